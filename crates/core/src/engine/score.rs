//! Pair scores: exact coverage (shown), symmetric ranking components
//! (IDF-weighted, with near-item credit, both ways), and the one combined
//! score that `sources`, `targets`, `matrix` and the tiers share.
//!
//! The combined score of S → T (docs/methode.md, "Score de classement"):
//!
//! ```text
//! axes    = Σ p_k · C_k / Σ p_k                (M5, over the available axes)
//! C_k     = √(cov_k(S→T) · cov_k(T→S))        (items: symmetric, M14)
//! mixed   = (1 − λ) · axes + λ · wording
//! score   = f · (mixed + β·[same domaine] − δ·max(0, N_S − N_T − 1))
//! f       = φ without any shared savoir or savoir-faire, ψ with some but
//!           none of the target's core, 1 otherwise
//! ```
//!
//! λ, β, δ, φ, ψ, κ and the default axis weights are the engine's published
//! constants ([`RankingConstants`]), chosen on half of the expert list by the
//! procedure in docs/methode.md.

use serde::Serialize;

use super::axis::{Axis, ItemSet, PerAxis};
use super::tprofile::transversal_score;
use super::{Engine, Profile, Weights};
use crate::transversal::TransversalProfile;

/// The published constants of the combined score.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RankingConstants {
    /// λ: share of the wording similarity in the score.
    pub wording_share: f64,
    /// β: bonus of a source in the target's domaine professionnel.
    pub domain_bonus: f64,
    /// δ: penalty per level of a descent of two levels or more
    /// (reconversion descendante), beyond the first level.
    pub level_penalty: f64,
    /// φ: factor applied when the source holds none of the target's savoirs
    /// and savoir-faire, exact or near (`ScoreTerms::shared_items`). The
    /// name is older than ψ and kept: it is part of the JSON output.
    pub no_core_factor: f64,
    /// ψ: factor applied when the source holds some of the target's savoirs
    /// or savoir-faire but none of its core (`ScoreTerms::shared_core`):
    /// fire regulations and team leading do not make a rescuer a claims
    /// handler.
    pub peripheral_factor: f64,
    /// κ: extra weight of an item the job marks as its core
    /// (`coeur_metier` « Principale »): it weighs IDF × (1 + κ).
    pub core_weight: f64,
}

impl RankingConstants {
    pub const DEFAULT: RankingConstants = RankingConstants {
        wording_share: 0.6,
        domain_bonus: 0.05,
        level_penalty: 0.1,
        no_core_factor: 0.5,
        peripheral_factor: 0.9,
        core_weight: 2.0,
    };
}

impl Default for RankingConstants {
    fn default() -> Self {
        RankingConstants::DEFAULT
    }
}

/// The terms of one combined score, so that a reader sees where it comes from.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScoreTerms {
    /// Weighted mean of the available ranking components.
    pub axes: Option<f64>,
    /// Wording similarity (descriptions and item labels), in [0, 1].
    pub wording: f64,
    /// β when source and target share a domaine professionnel, else 0.
    pub domain_bonus: f64,
    /// Levels of descent beyond the first, times δ (0 unless the source is
    /// two or more levels above the target).
    pub level_penalty: f64,
    /// Access levels of the source and the target, when determined.
    pub source_level: Option<u8>,
    pub target_level: Option<u8>,
    /// Whether the source holds at least one of the target's savoirs or
    /// savoir-faire, exact or near.
    pub shared_items: bool,
    /// Whether the source holds at least one item of the target's core
    /// (`coeur_metier` « Principale »; any savoir or savoir-faire when the
    /// target marks none; every item of a poste), exact or near: without it
    /// the score is multiplied by ψ.
    pub shared_core: bool,
    /// IDF-weighted share of the target's savoir-faire the source holds
    /// (exact or near): "courte" needs a quarter of it.
    pub savoir_faire_held: f64,
    /// The target is a regulated job (ROME flag, or its access texts where
    /// the flag is blank).
    pub target_regulated: bool,
    /// The target's texts say it follows a qualification ("accessible après
    /// le Diplôme d'Etat d'infirmier …") that the source's texts do not name.
    pub prerequisite_missing: bool,
}

impl ScoreTerms {
    /// Two or more levels down.
    pub fn is_descent(&self) -> bool {
        matches!((self.source_level, self.target_level), (Some(s), Some(t)) if s >= t + 2)
    }

    /// Two or more levels up: a qualifying certification is needed.
    pub fn needs_qualification(&self) -> bool {
        matches!((self.source_level, self.target_level), (Some(s), Some(t)) if t >= s + 2)
    }

    /// Levels the move climbs (negative: descends), when both are known.
    pub fn levels_up(&self) -> Option<i8> {
        match (self.source_level, self.target_level) {
            (Some(s), Some(t)) => Some(t as i8 - s as i8),
            _ => None,
        }
    }

    /// A *reconversion longue*: a qualifying diploma several levels up, or
    /// a job that follows another qualification (docs/methode.md § 5).
    pub fn is_long_move(&self) -> bool {
        use super::tiers::{LONG_ASCENT_LEVELS, REGULATED_LONG_ASCENT_LEVELS};
        self.prerequisite_missing
            || self.levels_up().is_some_and(|up| {
                up >= LONG_ASCENT_LEVELS as i8
                    || (self.target_regulated && up >= REGULATED_LONG_ASCENT_LEVELS as i8)
            })
    }

    /// The combined score from its terms (module documentation): the one
    /// formula, shared by every ranking and the calibration of the tiers.
    pub fn score(&self, c: &RankingConstants) -> Option<f64> {
        self.axes.map(|axes| {
            let mixed = (1.0 - c.wording_share) * axes + c.wording_share * self.wording;
            let raw = mixed + self.domain_bonus - self.level_penalty;
            (raw * self.factor(c)).clamp(0.0, 1.0)
        })
    }

    /// The factor of the score: φ when nothing of the target is shared, ψ
    /// when only items outside its core are, 1 otherwise.
    pub fn factor(&self, c: &RankingConstants) -> f64 {
        if !self.shared_items {
            c.no_core_factor
        } else if !self.shared_core {
            c.peripheral_factor
        } else {
            1.0
        }
    }
}

/// The scores of one ordered pair (source → target), all in [0, 1].
/// `None` means "axis not available" (no transversal profile, or a target
/// without items of that kind).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PairScores {
    /// The displayed percentages: exact, unweighted coverage of the target's
    /// items (savoirs, savoir-faire, contextes); M3 for the transversal axis.
    #[cfg_attr(feature = "openapi", schema(value_type = super::axis::AxisMap<Option<f64>>))]
    pub exact: PerAxis<Option<f64>>,
    /// The ranking components: symmetric IDF-weighted coverage with
    /// near-item credit (transversal: same as `exact`).
    #[cfg_attr(feature = "openapi", schema(value_type = super::axis::AxisMap<Option<f64>>))]
    pub components: PerAxis<Option<f64>>,
    /// The combined score (see the module documentation).
    pub score: Option<f64>,
    pub terms: ScoreTerms,
}

impl PairScores {
    /// Score used for sorting: an unavailable score sorts last.
    pub fn sort_key(&self) -> f64 {
        self.score.unwrap_or(-1.0)
    }
}

/// How much one job covers another's items on one item set: exact count and
/// Σ IDF · credit.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Held {
    pub(crate) exact: u32,
    pub(crate) weighted: f32,
    /// Some core item is held, exactly or nearly.
    pub(crate) core: bool,
}

/// Per-job dense credit vectors: credit[i] = 1 when the job holds item i,
/// the best near credit otherwise (0 when nothing near).
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
        self.load_profile(engine, &engine.profiles[s]);
    }

    /// Loads the credit of a profile, which need not be one of the
    /// engine's (a job with one more item, for `apprendre`).
    pub(crate) fn load_profile(&mut self, engine: &Engine, profile: &Profile) {
        for k in 0..3 {
            let v = &mut self.v[k];
            for i in self.touched[k].drain(..) {
                v[i as usize] = 0.0;
            }
            let u = &engine.universes[k];
            for &i in &profile.sets[k] {
                for &(j, c) in u.near.of(i) {
                    if v[j as usize] == 0.0 {
                        self.touched[k].push(j);
                    }
                    if c > v[j as usize] {
                        v[j as usize] = c;
                    }
                }
            }
            for &i in &profile.sets[k] {
                if v[i as usize] == 0.0 {
                    self.touched[k].push(i);
                }
                v[i as usize] = 1.0;
            }
        }
    }

    /// Adds item `i` of set `k` to the loaded job's credit (fully, and its
    /// near items partly), returning what [`Credit::restore`] puts back.
    pub(crate) fn add_item(&mut self, engine: &Engine, k: usize, i: u32) -> Vec<(u32, f32)> {
        let v = &mut self.v[k];
        let mut saved = vec![(i, v[i as usize])];
        for &(j, c) in engine.universes[k].near.of(i) {
            if c > v[j as usize] {
                saved.push((j, v[j as usize]));
                v[j as usize] = c;
            }
        }
        v[i as usize] = 1.0;
        saved
    }

    /// Undoes [`Credit::add_item`].
    pub(crate) fn restore(&mut self, k: usize, saved: &[(u32, f32)]) {
        for &(j, c) in saved.iter().rev() {
            self.v[k][j as usize] = c;
        }
    }

    /// How much the loaded job holds of profile `t`'s items on set `k`.
    #[inline]
    pub(crate) fn gather(&self, engine: &Engine, k: usize, t: usize) -> Held {
        let v = &self.v[k];
        let target = &engine.profiles[t];
        let (mut n, mut w, mut core) = (0u32, 0.0f32, false);
        for ((&i, &weight), &is_core) in target.sets[k]
            .iter()
            .zip(&target.item_weight[k])
            .zip(&target.core[k])
        {
            let c = v[i as usize];
            n += u32::from(c == 1.0);
            w += weight * c;
            core |= is_core && c > 0.0;
        }
        Held {
            exact: n,
            weighted: w,
            core,
        }
    }

    pub(crate) fn gather_all(&self, engine: &Engine, t: usize) -> [Held; 3] {
        std::array::from_fn(|k| self.gather(engine, k, t))
    }
}

impl Engine {
    /// Assembles the scores of `s` → `t` from what `s` holds of `t`
    /// (`forward`), what `t` holds of `s` (`reverse`) and their wording
    /// similarity.
    pub(crate) fn assemble(
        &self,
        (s, t): (usize, usize),
        forward: &[Held; 3],
        reverse: &[Held; 3],
        wording: f64,
        weights: &Weights,
        tp: (Option<&TransversalProfile>, Option<&TransversalProfile>),
    ) -> PairScores {
        let profiles = (&self.profiles[s], &self.profiles[t]);
        self.assemble_profiles(profiles, forward, reverse, wording, weights, tp)
    }

    /// [`Engine::assemble`] for profiles that need not be the engine's.
    pub(crate) fn assemble_profiles(
        &self,
        (source, target): (&Profile, &Profile),
        forward: &[Held; 3],
        reverse: &[Held; 3],
        wording: f64,
        weights: &Weights,
        tp: (Option<&TransversalProfile>, Option<&TransversalProfile>),
    ) -> PairScores {
        let mut exact = PerAxis([None; 4]);
        let mut comp = PerAxis([None; 4]);
        let mut shared_items = false;
        let mut core_held = false;
        let mut savoir_faire_held = 0.0;
        for set in ItemSet::ALL {
            let k = set as usize;
            let len = target.sets[k].len();
            if len == 0 {
                continue;
            }
            let held = forward[k];
            let cov_t = (f64::from(held.weighted) / target.idf_sum[k]).clamp(0.0, 1.0);
            let cov_s = if source.idf_sum[k] > 0.0 {
                (f64::from(reverse[k].weighted) / source.idf_sum[k]).clamp(0.0, 1.0)
            } else {
                0.0
            };
            exact.set(set.axis(), Some(f64::from(held.exact) / len as f64));
            comp.set(set.axis(), Some((cov_t * cov_s).sqrt()));
            if set != ItemSet::Contextes {
                shared_items |= held.weighted > 0.0;
                core_held |= held.core;
            }
            if set == ItemSet::SavoirFaire {
                savoir_faire_held = cov_t;
            }
        }
        let v = match tp {
            (None, None) => match (&source.packed, &target.packed) {
                (Some(a), Some(b)) => b.score_of(a),
                _ => None,
            },
            _ => {
                let ts = tp.0.or(source.transversal.as_ref());
                let tt = tp.1.or(target.transversal.as_ref());
                ts.zip(tt).and_then(|(a, b)| transversal_score(a, b))
            }
        };
        exact.set(Axis::Transversal, v);
        comp.set(Axis::Transversal, v);
        let c = &self.constants;
        let (sl, tl) = (source.level.map(|l| l.get()), target.level.map(|l| l.get()));
        let descent = match (sl, tl) {
            (Some(a), Some(b)) => f64::from(a.saturating_sub(b).saturating_sub(1)),
            _ => 0.0,
        };
        let terms = ScoreTerms {
            axes: weights.combine(&comp),
            wording,
            domain_bonus: if source.domaine == target.domaine {
                c.domain_bonus
            } else {
                0.0
            },
            level_penalty: c.level_penalty * descent,
            source_level: sl,
            target_level: tl,
            shared_items,
            shared_core: if target.has_core {
                core_held
            } else {
                shared_items
            },
            savoir_faire_held,
            target_regulated: target.regulated,
            prerequisite_missing: target
                .prerequisite
                .as_ref()
                .is_some_and(|p| !p.held_by(&source.access_folded)),
        };
        let score = terms.score(c);
        PairScores {
            exact,
            components: comp,
            score,
            terms,
        }
    }

    /// Wording similarity of two profiles: the mean of the description and
    /// item-label cosines, each without its largest single-word share
    /// ([`super::wording::TermVector::corroborated`]).
    pub(crate) fn wording(&self, s: usize, t: usize) -> f64 {
        let (a, b) = (&self.profiles[s].wording, &self.profiles[t].wording);
        0.5 * (a[0].corroborated(&b[0]) + a[1].corroborated(&b[1]))
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
        let forward = credit.gather_all(self, t);
        credit.load(self, t);
        let reverse = credit.gather_all(self, s);
        self.assemble(
            (s, t),
            &forward,
            &reverse,
            self.wording(s, t),
            weights,
            (source_tp, target_tp),
        )
    }

    /// Exact coverage counts |T ∩ S| per item set, by merging sorted vectors.
    pub fn exact_counts(&self, s: usize, t: usize) -> [u32; 3] {
        std::array::from_fn(|k| {
            intersection_len(&self.profiles[s].sets[k], &self.profiles[t].sets[k])
        })
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
