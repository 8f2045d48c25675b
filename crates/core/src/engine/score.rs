//! Pair scores: exact coverage (shown), ranking components (IDF-weighted,
//! with near-item credit) and the combined score.

use serde::Serialize;

use super::axis::{Axis, ItemSet, PerAxis};
use super::tprofile::transversal_score;
use super::{Engine, Weights};
use crate::transversal::TransversalProfile;

/// The scores of one ordered pair (source → target), all in [0, 1].
/// `None` means "axis not available" (no transversal profile, or a target
/// without items of that kind).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PairScores {
    /// The displayed percentages: exact, unweighted coverage of the target's
    /// items (savoirs, savoir-faire, contextes); M3 for the transversal axis.
    pub exact: PerAxis<Option<f64>>,
    /// The ranking components: IDF-weighted coverage with near-item credit
    /// (transversal: same as `exact`).
    pub components: PerAxis<Option<f64>>,
    /// Combined score (M5) over the available components.
    pub score: Option<f64>,
}

impl PairScores {
    /// Score used for sorting: an unavailable score sorts last.
    pub fn sort_key(&self) -> f64 {
        self.score.unwrap_or(-1.0)
    }
}

/// Per-source dense credit vectors: credit[i] = 1 when the source holds item
/// i, the best near credit otherwise (0 when nothing near).
pub(crate) struct Credit {
    v: [Vec<f32>; 3],
    touched: [Vec<u32>; 3],
}

impl Credit {
    pub(crate) fn new(engine: &Engine) -> Credit {
        Credit {
            v: std::array::from_fn(|k| vec![0.0; engine.universes[k].len()]),
            touched: Default::default(),
        }
    }

    /// Loads the credit of profile `s` (clearing the previous one).
    pub(crate) fn load(&mut self, engine: &Engine, s: usize) {
        for k in 0..3 {
            let v = &mut self.v[k];
            for i in self.touched[k].drain(..) {
                v[i as usize] = 0.0;
            }
            let u = &engine.universes[k];
            for &i in &engine.profiles[s].sets[k] {
                for &(j, c) in u.near.of(i) {
                    if v[j as usize] == 0.0 {
                        self.touched[k].push(j);
                    }
                    if c > v[j as usize] {
                        v[j as usize] = c;
                    }
                }
            }
            for &i in &engine.profiles[s].sets[k] {
                if v[i as usize] == 0.0 {
                    self.touched[k].push(i);
                }
                v[i as usize] = 1.0;
            }
        }
    }

    /// (exact count, Σ idf · credit) of target `t` on item set `k`.
    #[inline]
    pub(crate) fn gather(&self, engine: &Engine, k: usize, t: usize) -> (u32, f64) {
        let v = &self.v[k];
        let idf = &engine.universes[k].idf;
        let (mut n, mut w) = (0u32, 0.0f32);
        for &i in &engine.profiles[t].sets[k] {
            let c = v[i as usize];
            n += u32::from(c == 1.0);
            w += idf[i as usize] * c;
        }
        (n, f64::from(w))
    }
}

impl Engine {
    /// Scores of `s` → `t` from a loaded credit of `s`.
    pub(crate) fn scores_with(
        &self,
        credit: &Credit,
        s: usize,
        t: usize,
        weights: &Weights,
        tp: (Option<&TransversalProfile>, Option<&TransversalProfile>),
    ) -> PairScores {
        let mut exact = PerAxis([None; 4]);
        let mut comp = PerAxis([None; 4]);
        let target = &self.profiles[t];
        for set in ItemSet::ALL {
            let k = set as usize;
            let len = target.sets[k].len();
            if len == 0 {
                continue;
            }
            let (n, w) = credit.gather(self, k, t);
            exact.set(set.axis(), Some(f64::from(n) / len as f64));
            comp.set(set.axis(), Some((w / target.idf_sum[k]).clamp(0.0, 1.0)));
        }
        let v = match tp {
            (None, None) => match (&self.profiles[s].packed, &target.packed) {
                (Some(a), Some(b)) => b.score_of(a),
                _ => None,
            },
            _ => {
                let ts = tp.0.or(self.profiles[s].transversal.as_ref());
                let tt = tp.1.or(target.transversal.as_ref());
                ts.zip(tt).and_then(|(a, b)| transversal_score(a, b))
            }
        };
        exact.set(Axis::Transversal, v);
        comp.set(Axis::Transversal, v);
        PairScores { exact, components: comp, score: weights.combine(&comp) }
    }

    /// Scores of one pair, with the transversal profiles of the engine
    /// unless overridden (e.g. a chosen survey).
    pub fn pair(
        &self,
        s: usize,
        t: usize,
        weights: &Weights,
        source_tp: Option<&TransversalProfile>,
        target_tp: Option<&TransversalProfile>,
    ) -> PairScores {
        let mut credit = Credit::new(self);
        credit.load(self, s);
        self.scores_with(&credit, s, t, weights, (source_tp, target_tp))
    }

    /// Exact coverage counts |T ∩ S| per item set, by merging sorted vectors.
    pub fn exact_counts(&self, s: usize, t: usize) -> [u32; 3] {
        std::array::from_fn(|k| intersection_len(&self.profiles[s].sets[k], &self.profiles[t].sets[k]))
    }
}

/// Size of the intersection of two increasing vectors.
pub(crate) fn intersection_len(a: &[u32], b: &[u32]) -> u32 {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}
