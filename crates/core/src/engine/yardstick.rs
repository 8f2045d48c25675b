//! The yardstick: how well the engine's rankings find the mobilities France
//! Travail's experts list (`bench ranking`). The expert list is *never* an
//! input of the engine: this module only measures ranks.
//!
//! Recall@k is pooled, as the validation README defines it: expert pairs
//! found in the top k, divided by all expert pairs. For `sources`, each
//! target T ranks the 1,583 other fiches as sources of T; for `targets`,
//! each source S ranks the other fiches as its targets. Postes take no part.

use rayon::prelude::*;
use serde::Serialize;

use super::{Direction, Engine, PairScores, Weights};
use crate::codes::RomeCode;

/// One expert mobility: from `source` to `target`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExpertPair {
    pub source: RomeCode,
    pub target: RomeCode,
}

/// Recall figures of one direction.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Recall {
    /// Expert pairs measured (both codes known to the engine).
    pub pairs: usize,
    pub at_15: f64,
    pub at_50: f64,
    /// Mean rank (1 = first) of the expert pairs.
    pub mean_rank: f64,
}

/// What ranks a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// The engine's own order: direct passerelles first, then by the
    /// combined score (what `sources` and `targets` print).
    Engine,
    /// The combined score alone, without the order of the labels (what the
    /// labels' order costs or gains).
    ScoreAlone,
    /// The transversal axis alone (unavailable last).
    TransversalAlone,
}

impl Engine {
    /// Recall of the rankings in `direction` on the expert pairs whose
    /// subject (target for `Sources`, source for `Targets`) passes `keep`.
    pub fn recall(
        &self,
        pairs: &[ExpertPair],
        direction: Direction,
        weights: &Weights,
        key: Key,
        keep: &(dyn Fn(RomeCode) -> bool + Sync),
    ) -> Recall {
        let n = self.n_fiches;
        let index = |c: RomeCode| self.referential.fiche_index(c).filter(|&i| i < n);
        let mut by_subject: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
        for p in pairs {
            let (subject, other) = match direction {
                Direction::Sources => (p.target, p.source),
                Direction::Targets => (p.source, p.target),
            };
            if !keep(subject) {
                continue;
            }
            if let (Some(s), Some(o)) = (index(subject), index(other))
                && s != o
            {
                by_subject.entry(s).or_default().push(o);
            }
        }
        let tiers = self.thresholds(weights);
        let key_of = |s: &PairScores| match key {
            Key::Engine => tiers.order_key(s),
            Key::ScoreAlone => s.sort_key(),
            Key::TransversalAlone => s.components.get(super::Axis::Transversal).unwrap_or(-1.0),
        };
        let ranks: Vec<usize> = by_subject
            .par_iter()
            .flat_map_iter(|(&subject, others)| {
                let scores = self.scores_against_all(subject, direction, weights, None);
                let keys: Vec<f64> = scores[..n].iter().map(key_of).collect();
                others
                    .iter()
                    .map(|&o| {
                        let k = keys[o];
                        let ahead = (0..n)
                            .filter(|&p| p != subject && p != o)
                            .filter(|&p| keys[p] > k || (keys[p] == k && p < o))
                            .count();
                        ahead + 1
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        let count = ranks.len();
        if count == 0 {
            return Recall::default();
        }
        let share = |k: usize| ranks.iter().filter(|&&r| r <= k).count() as f64 / count as f64;
        Recall {
            pairs: count,
            at_15: share(15),
            at_50: share(50),
            mean_rank: ranks.iter().sum::<usize>() as f64 / count as f64,
        }
    }
}

/// The calibration half: subjects whose code ends with an even digit choose
/// the constants; the others measure them.
pub fn in_choosing_half(code: RomeCode) -> bool {
    code.as_str()
        .bytes()
        .last()
        .is_some_and(|b| (b - b'0').is_multiple_of(2))
}
