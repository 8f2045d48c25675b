//! Viability tiers calibrated on the referential itself (methods.md M6,
//! Nesta): for a grouping of fiches, average the combined score over the
//! ordered pairs inside each group, then threshold = mean of those group
//! averages − 1 standard deviation.

use std::collections::BTreeMap;

use serde::Serialize;

use super::score::Credit;
use super::{Engine, Weights};

/// A viability label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    Courte,
    Possible,
    Exigeante,
}

impl Tier {
    pub fn label_fr(self) -> &'static str {
        match self {
            Tier::Courte => "passerelle courte",
            Tier::Possible => "passerelle possible",
            Tier::Exigeante => "passerelle exigeante",
        }
    }
}

/// One calibrated threshold.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Threshold {
    /// Combined score at and above which the tier applies.
    pub value: f64,
    /// Mean of the within-group averages.
    pub mean: f64,
    /// Standard deviation (population) of the within-group averages.
    pub sd: f64,
    /// Groups with at least two fiches that entered the calibration.
    pub groups: usize,
    /// Share of all ordered pairs of distinct fiches scoring below the
    /// threshold, in percent (see [`Engine::with_percentiles`]).
    pub percentile: Option<f64>,
}

/// The two thresholds: fiches sharing a `code_rome_parent` ("courte") and
/// fiches of the same domaine professionnel ("possible").
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tiers {
    pub courte: Threshold,
    pub possible: Threshold,
}

/// Share of the target's savoir-faire (IDF-weighted, exact or near) a
/// source must hold for a "passerelle courte": real shared core work.
pub const COURTE_MIN_SAVOIR_FAIRE: f64 = 0.25;

impl Tiers {
    /// The tier of a score alone (thresholds only).
    pub fn tier(&self, score: Option<f64>) -> Tier {
        match score {
            Some(s) if s >= self.courte.value => Tier::Courte,
            Some(s) if s >= self.possible.value => Tier::Possible,
            _ => Tier::Exigeante,
        }
    }

    /// The tier of a pair, with the floors: nothing above "exigeante"
    /// without a shared savoir or savoir-faire, and "courte" only with a
    /// quarter of the target's savoir-faire held.
    pub fn tier_of(&self, scores: &super::PairScores) -> Tier {
        let t = &scores.terms;
        match self.tier(scores.score) {
            _ if !t.shared_core => Tier::Exigeante,
            Tier::Courte if t.savoir_faire_held < COURTE_MIN_SAVOIR_FAIRE => Tier::Possible,
            tier => tier,
        }
    }
}

impl Engine {
    /// Calibrates both thresholds for `weights` (cheap: within-group pairs only).
    pub fn calibrate(&self, weights: &Weights) -> Tiers {
        let by_parent = self.groups(|p| p.parent.to_string());
        let by_domaine = self.groups(|p| p.domaine.clone());
        Tiers {
            courte: self.threshold(&by_parent, weights),
            possible: self.threshold(&by_domaine, weights),
        }
    }

    fn groups(&self, key: impl Fn(&super::Profile) -> String) -> Vec<Vec<usize>> {
        let mut g: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, p) in self.profiles[..self.n_fiches].iter().enumerate() {
            g.entry(key(p)).or_default().push(i);
        }
        g.into_values().filter(|v| v.len() >= 2).collect()
    }

    fn threshold(&self, groups: &[Vec<usize>], weights: &Weights) -> Threshold {
        use rayon::prelude::*;
        // Groups in parallel, each summed in order: the sequential averages.
        let averages: Vec<f64> = groups
            .par_iter()
            .filter_map(|g| self.group_average(g, weights))
            .collect();
        let k = averages.len();
        if k == 0 {
            return Threshold::default();
        }
        let mean = averages.iter().sum::<f64>() / k as f64;
        let sd = (averages.iter().map(|a| (a - mean).powi(2)).sum::<f64>() / k as f64).sqrt();
        Threshold {
            value: (mean - sd).max(0.0),
            mean,
            sd,
            groups: k,
            percentile: None,
        }
    }

    /// Average combined score over the ordered pairs of one group (None
    /// when no pair has a score).
    fn group_average(&self, g: &[usize], weights: &Weights) -> Option<f64> {
        let credits: Vec<Credit> = g
            .iter()
            .map(|&s| {
                let mut c = Credit::new(self);
                c.load(self, s);
                c
            })
            .collect();
        let (mut sum, mut n) = (0.0, 0usize);
        for (a, &s) in g.iter().enumerate() {
            for (b, &t) in g.iter().enumerate().filter(|&(_, &t)| t != s) {
                let forward = credits[a].gather_all(self, t);
                let reverse = credits[b].gather_all(self, s);
                let sc = self.assemble(
                    (s, t),
                    &forward,
                    &reverse,
                    self.wording(s, t),
                    weights,
                    (None, None),
                );
                if let Some(v) = sc.score {
                    sum += v;
                    n += 1;
                }
            }
        }
        (n > 0).then(|| sum / n as f64)
    }

    /// The thresholds with their percentile over all ordered pairs of
    /// distinct fiches (one parallel pass over the whole matrix).
    pub fn with_percentiles(&self, tiers: &Tiers, weights: &Weights) -> Tiers {
        use rayon::prelude::*;
        let n = self.n_fiches;
        let (below_c, below_p) = (0..n)
            .into_par_iter()
            .map(|s| {
                let row = self.scores_against_all(s, super::Direction::Targets, weights, None);
                let (mut c, mut p) = (0u64, 0u64);
                for (_, sc) in row.iter().enumerate().take(n).filter(|&(t, _)| t != s) {
                    let v = sc.score.unwrap_or(0.0);
                    c += u64::from(v < tiers.courte.value);
                    p += u64::from(v < tiers.possible.value);
                }
                (c, p)
            })
            .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
        let total = (n * n.saturating_sub(1)) as u64;
        let mut out = tiers.clone();
        if total > 0 {
            out.courte.percentile = Some(100.0 * below_c as f64 / total as f64);
            out.possible.percentile = Some(100.0 * below_p as f64 / total as f64);
        }
        out
    }

    /// The thresholds for `weights`: the precomputed ones for the defaults,
    /// a fresh calibration (with percentiles) otherwise.
    pub fn tiers_for(&self, weights: &Weights) -> Tiers {
        if *weights == Weights::default() {
            self.tiers().clone()
        } else {
            self.calibrate_with_percentiles(weights)
        }
    }

    /// [`Engine::calibrate`] with the percentiles.
    pub fn calibrate_with_percentiles(&self, weights: &Weights) -> Tiers {
        self.with_percentiles(&self.calibrate(weights), weights)
    }
}
