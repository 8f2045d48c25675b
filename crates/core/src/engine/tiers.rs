//! Viability tiers calibrated on the referential itself (methods.md M6,
//! Nesta): for a grouping of fiches, average the combined score over the
//! ordered pairs inside each group, then threshold = mean of those group
//! averages − 1 standard deviation. A move several levels up is a
//! *reconversion longue* whatever its score.
//!
//! The score of a pair is a fixed formula of weight-independent parts
//! (components, wording, domain bonus, level penalty, shared core), so the
//! engine keeps those parts for the pairs the thresholds are computed from
//! ([`CalibrationPairs`]): thresholds for a new weight vector are then a
//! pass of arithmetic over about 40,000 stored pairs, not a scoring pass.
//! Their percentiles are estimated on a systematic sample of whole rows.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use super::axis::PerAxis;
use super::score::{Credit, PairScores, RankingConstants, ScoreTerms};
use super::{Direction, Engine, Weights};

/// Levels up from which any move is a *reconversion longue*.
pub const LONG_ASCENT_LEVELS: u8 = 3;

/// Levels up from which a move to a regulated job is a *reconversion
/// longue* (its diploma is compulsory).
pub const REGULATED_LONG_ASCENT_LEVELS: u8 = 2;

/// Share of the target's savoir-faire (IDF-weighted, exact or near) a
/// source must hold for a "passerelle courte": real shared core work.
pub const COURTE_MIN_SAVOIR_FAIRE: f64 = 0.25;

/// Source rows in the percentile sample (every ⌈n / 96⌉-th fiche).
const PERCENTILE_SAMPLE_ROWS: usize = 96;

/// A viability label, from the shortest move to the longest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    Courte,
    Possible,
    Exigeante,
    /// A qualifying diploma several levels up, or a job that follows
    /// another qualification: never "courte" or "possible".
    ReconversionLongue,
}

impl Tier {
    pub const ALL: [Tier; 4] = [
        Tier::Courte,
        Tier::Possible,
        Tier::Exigeante,
        Tier::ReconversionLongue,
    ];

    pub fn label_fr(self) -> &'static str {
        match self {
            Tier::Courte => "passerelle courte",
            Tier::Possible => "passerelle possible",
            Tier::Exigeante => "passerelle exigeante",
            Tier::ReconversionLongue => "reconversion longue",
        }
    }

    /// A direct passerelle: courte or possible.
    pub fn is_direct(self) -> bool {
        matches!(self, Tier::Courte | Tier::Possible)
    }
}

/// A score as printed, in whole percent ("20 %"): the tiers compare
/// printed values, so that a label never contradicts the figures beside it.
pub fn printed_percent(v: f64) -> i64 {
    (v * 100.0).round() as i64
}

/// One calibrated threshold.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Threshold {
    /// Combined score the calibration gives (mean − 1 standard deviation).
    pub value: f64,
    /// The threshold as printed and applied, in whole percent: a score
    /// whose printed percentage reaches it is at or above the threshold.
    pub percent: i64,
    /// Mean of the within-group averages.
    pub mean: f64,
    /// Standard deviation (population) of the within-group averages.
    pub sd: f64,
    /// Groups with at least two fiches that entered the calibration.
    pub groups: usize,
    /// Share of all ordered pairs of distinct fiches scoring below the
    /// threshold, in percent: exact for the default weights, estimated on
    /// a sample of rows otherwise (see [`Tiers::percentiles_estimated`]).
    pub percentile: Option<f64>,
}

/// The two thresholds: fiches sharing a `code_rome_parent` ("courte") and
/// fiches of the same domaine professionnel ("possible").
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tiers {
    pub courte: Threshold,
    pub possible: Threshold,
    /// Whether the percentiles come from the sample of rows rather than
    /// from every pair.
    pub percentiles_estimated: bool,
}

impl Tiers {
    /// The tier of a score alone (printed thresholds only).
    pub fn tier(&self, score: Option<f64>) -> Tier {
        match score.map(printed_percent) {
            Some(s) if s >= self.courte.percent => Tier::Courte,
            Some(s) if s >= self.possible.percent => Tier::Possible,
            _ => Tier::Exigeante,
        }
    }

    /// The tier of a pair (docs/methode.md § 5): a long move first; then
    /// nothing above "exigeante" without a shared savoir or savoir-faire,
    /// and "courte" only with a quarter of the target's savoir-faire held —
    /// each compared as printed.
    pub fn tier_of(&self, scores: &PairScores) -> Tier {
        let t = &scores.terms;
        if t.is_long_move() {
            return Tier::ReconversionLongue;
        }
        match self.tier(scores.score) {
            _ if !t.shared_items => Tier::Exigeante,
            Tier::Courte
                if printed_percent(t.savoir_faire_held)
                    < printed_percent(COURTE_MIN_SAVOIR_FAIRE) =>
            {
                Tier::Possible
            }
            tier => tier,
        }
    }

    /// The rule that gives every label, in counsellors' words, with the
    /// thresholds as printed: shown wherever labels are.
    pub fn rule_fr(&self) -> [String; 4] {
        [
            format!(
                "{} : score d'au moins {} % et au moins {} % des savoir-faire du métier cible déjà maîtrisés (à l'identique ou proches, pondérés par leur rareté)",
                Tier::Courte.label_fr(),
                self.courte.percent,
                printed_percent(COURTE_MIN_SAVOIR_FAIRE),
            ),
            format!(
                "{} : score d'au moins {} % et au moins un savoir ou savoir-faire en commun (à l'identique ou proche)",
                Tier::Possible.label_fr(),
                self.possible.percent,
            ),
            format!(
                "{} : score plus bas, ou aucun savoir ni savoir-faire en commun",
                Tier::Exigeante.label_fr(),
            ),
            format!(
                "{} : métier cible au moins {LONG_ASCENT_LEVELS} niveaux de diplôme au-dessus ({REGULATED_LONG_ASCENT_LEVELS} s'il est réglementé), ou accessible seulement après un autre diplôme",
                Tier::ReconversionLongue.label_fr(),
            ),
        ]
    }

    /// The engine's order (docs/methode.md § 8), as one key to sort by
    /// decreasing value: direct passerelles first, then the other moves
    /// that share a savoir or savoir-faire (long or exigeante), then those
    /// that share none; by score within each.
    pub fn order_key(&self, scores: &PairScores) -> f64 {
        let Some(score) = scores.score else {
            return -1.0;
        };
        let class = if self.tier_of(scores).is_direct() {
            2.0
        } else if scores.terms.shared_items {
            1.0
        } else {
            0.0
        };
        class + score
    }
}

/// The weight-independent parts of one pair's score, compact (`NaN`: axis
/// not available): what the thresholds are recomputed from for new weights.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ScoreParts {
    components: [f32; 4],
    wording: f32,
    /// Domain bonus minus level penalty.
    offset: f32,
    shared_items: bool,
    shared_core: bool,
}

impl ScoreParts {
    fn of(sc: &PairScores) -> ScoreParts {
        ScoreParts {
            components: sc.components.0.map(|c| c.map_or(f32::NAN, |v| v as f32)),
            wording: sc.terms.wording as f32,
            offset: (sc.terms.domain_bonus - sc.terms.level_penalty) as f32,
            shared_items: sc.terms.shared_items,
            shared_core: sc.terms.shared_core,
        }
    }

    /// The combined score with `weights`, by the one formula.
    fn score(&self, weights: &Weights, c: &RankingConstants) -> Option<f64> {
        let components = PerAxis(
            self.components
                .map(|v| (!v.is_nan()).then_some(f64::from(v))),
        );
        ScoreTerms {
            axes: weights.combine(&components),
            wording: f64::from(self.wording),
            domain_bonus: f64::from(self.offset),
            shared_items: self.shared_items,
            shared_core: self.shared_core,
            ..ScoreTerms::default()
        }
        .score(c)
    }
}

/// Pairs scoring below each threshold, out of the pairs counted.
#[derive(Debug, Clone, Copy, Default)]
struct Below {
    courte: u64,
    possible: u64,
    total: u64,
}

impl Below {
    /// Counts the scores (an unavailable score counts as 0).
    fn count(tiers: &Tiers, scores: impl Iterator<Item = Option<f64>>) -> Below {
        let mut b = Below::default();
        for v in scores.map(|v| v.unwrap_or(0.0)) {
            b.courte += u64::from(v < tiers.courte.value);
            b.possible += u64::from(v < tiers.possible.value);
            b.total += 1;
        }
        b
    }

    fn add(self, o: Below) -> Below {
        Below {
            courte: self.courte + o.courte,
            possible: self.possible + o.possible,
            total: self.total + o.total,
        }
    }

    /// `tiers` with these shares as percentiles.
    fn percentiles(self, tiers: &Tiers, estimated: bool) -> Tiers {
        let mut out = tiers.clone();
        out.percentiles_estimated = estimated;
        if self.total > 0 {
            let share = |k: u64| Some(100.0 * k as f64 / self.total as f64);
            out.courte.percentile = share(self.courte);
            out.possible.percentile = share(self.possible);
        }
        out
    }
}

/// The pairs the thresholds and their percentiles are computed from.
#[derive(Debug, Clone, Default)]
pub(crate) struct CalibrationPairs {
    /// Ordered pairs inside each group of fiches sharing a parent code.
    by_parent: Vec<Vec<ScoreParts>>,
    /// The same for each domaine professionnel.
    by_domaine: Vec<Vec<ScoreParts>>,
    /// Whole rows of a systematic sample of sources (percentiles), built on
    /// first use.
    sample: Arc<std::sync::OnceLock<Vec<ScoreParts>>>,
}

impl Engine {
    /// Computes the weight-independent parts of every within-group pair.
    pub(crate) fn calibration_pairs(&self) -> CalibrationPairs {
        let by_parent = self.groups(|p| p.parent.to_string());
        let by_domaine = self.groups(|p| p.domaine.clone());
        CalibrationPairs {
            by_parent: self.group_parts(&by_parent),
            by_domaine: self.group_parts(&by_domaine),
            sample: Default::default(),
        }
    }

    fn groups(&self, key: impl Fn(&super::Profile) -> String) -> Vec<Vec<usize>> {
        let mut g: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, p) in self.profiles[..self.n_fiches].iter().enumerate() {
            g.entry(key(p)).or_default().push(i);
        }
        g.into_values().filter(|v| v.len() >= 2).collect()
    }

    fn group_parts(&self, groups: &[Vec<usize>]) -> Vec<Vec<ScoreParts>> {
        use rayon::prelude::*;
        groups.par_iter().map(|g| self.pairs_within(g)).collect()
    }

    /// The parts of the ordered pairs of distinct fiches of one group.
    fn pairs_within(&self, g: &[usize]) -> Vec<ScoreParts> {
        let credits: Vec<Credit> = g
            .iter()
            .map(|&s| {
                let mut c = Credit::new(self);
                c.load(self, s);
                c
            })
            .collect();
        let mut out = Vec::with_capacity(g.len() * (g.len() - 1));
        for (a, &s) in g.iter().enumerate() {
            for (b, &t) in g.iter().enumerate().filter(|&(_, &t)| t != s) {
                let forward = credits[a].gather_all(self, t);
                let reverse = credits[b].gather_all(self, s);
                let sc = self.assemble(
                    (s, t),
                    &forward,
                    &reverse,
                    self.wording(s, t),
                    &Weights::default(),
                    (None, None),
                );
                out.push(ScoreParts::of(&sc));
            }
        }
        out
    }

    /// Calibrates both thresholds for `weights` from the stored pairs.
    pub fn calibrate(&self, weights: &Weights) -> Tiers {
        let pairs = &self.calibration;
        Tiers {
            courte: self.threshold(&pairs.by_parent, weights),
            possible: self.threshold(&pairs.by_domaine, weights),
            percentiles_estimated: false,
        }
    }

    fn threshold(&self, groups: &[Vec<ScoreParts>], weights: &Weights) -> Threshold {
        let averages: Vec<f64> = groups
            .iter()
            .filter_map(|g| {
                let (mut sum, mut n) = (0.0, 0usize);
                for v in g.iter().filter_map(|p| p.score(weights, &self.constants)) {
                    sum += v;
                    n += 1;
                }
                (n > 0).then(|| sum / n as f64)
            })
            .collect();
        let k = averages.len();
        if k == 0 {
            return Threshold::default();
        }
        let mean = averages.iter().sum::<f64>() / k as f64;
        let sd = (averages.iter().map(|a| (a - mean).powi(2)).sum::<f64>() / k as f64).sqrt();
        let value = (mean - sd).max(0.0);
        Threshold {
            value,
            percent: printed_percent(value),
            mean,
            sd,
            groups: k,
            percentile: None,
        }
    }

    /// The thresholds with their exact percentile over all ordered pairs of
    /// distinct fiches (one parallel pass over the whole matrix).
    pub fn with_percentiles(&self, tiers: &Tiers, weights: &Weights) -> Tiers {
        use rayon::prelude::*;
        let n = self.n_fiches;
        let below = (0..n)
            .into_par_iter()
            .map(|s| {
                let row = self.scores_against_all(s, Direction::Targets, weights, None);
                let scores = row.iter().take(n).enumerate().filter(|&(t, _)| t != s);
                Below::count(tiers, scores.map(|(_, sc)| sc.score))
            })
            .reduce(Below::default, Below::add);
        below.percentiles(tiers, false)
    }

    /// The thresholds with percentiles estimated on the sample of rows:
    /// every ⌈n / 96⌉-th fiche as a source against all the others (about
    /// 100,000 pairs), scored from stored parts.
    pub fn with_estimated_percentiles(&self, tiers: &Tiers, weights: &Weights) -> Tiers {
        let sample = self.calibration.sample.get_or_init(|| self.sample_rows());
        let scores = sample.iter().map(|x| x.score(weights, &self.constants));
        Below::count(tiers, scores).percentiles(tiers, true)
    }

    fn sample_rows(&self) -> Vec<ScoreParts> {
        use rayon::prelude::*;
        let n = self.n_fiches;
        let step = n.div_ceil(PERCENTILE_SAMPLE_ROWS).max(1);
        (0..n)
            .step_by(step)
            .collect::<Vec<_>>()
            .par_iter()
            .flat_map_iter(|&s| {
                let row = self.scores_against_all(s, Direction::Targets, &Weights::default(), None);
                row.into_iter()
                    .take(n)
                    .enumerate()
                    .filter(move |&(t, _)| t != s)
                    .map(|(_, sc)| ScoreParts::of(&sc))
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// Builds, ahead of the first request, what rankings need: the exact
    /// percentiles of the default thresholds and the sample of rows that
    /// other weights use (a server calls it before serving a snapshot).
    pub fn prepare(&self) {
        self.tiers();
        self.calibration.sample.get_or_init(|| self.sample_rows());
    }

    /// The thresholds for `weights`, with percentiles: the precomputed
    /// exact ones for the defaults, estimated ones otherwise (no pass over
    /// all pairs).
    pub fn tiers_for(&self, weights: &Weights) -> Tiers {
        if *weights == Weights::default() {
            self.tiers().clone()
        } else {
            self.with_estimated_percentiles(&self.calibrate(weights), weights)
        }
    }

    /// [`Engine::calibrate`] with the exact percentiles (a pass over all
    /// pairs: for `bench` and the agreement test).
    pub fn calibrate_with_percentiles(&self, weights: &Weights) -> Tiers {
        self.with_percentiles(&self.calibrate(weights), weights)
    }
}
