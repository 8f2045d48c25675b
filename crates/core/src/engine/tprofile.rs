//! Transversal axis (methods.md M3): per-competency buckets and a
//! percentage weighted by the target's stars that penalises shortfalls only.

use serde::Serialize;

use crate::transversal::{Competency, TransversalProfile};

/// Seed 000's three lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Bucket {
    /// Same level as the target ("compétences adaptées").
    Adaptee,
    /// Source above the target ("compétences les plus élevées").
    PlusElevee,
    /// Source below the target ("compétences à faire évoluer").
    AFaireEvoluer,
}

impl Bucket {
    pub fn label_fr(self) -> &'static str {
        match self {
            Bucket::Adaptee => "adaptée",
            Bucket::PlusElevee => "plus élevée",
            Bucket::AFaireEvoluer => "à faire évoluer",
        }
    }
}

/// One competency the target uses.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CompetencyGap {
    pub competency: Competency,
    pub label: &'static str,
    pub source_level: u8,
    pub target_level: u8,
    pub target_stars: u8,
    pub bucket: Bucket,
    /// 1 − min(deficit, 3)/3: the match strength entering the percentage.
    pub strength: f64,
}

/// The transversal comparison of two profiles.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransversalCoverage {
    /// TC% in [0, 1].
    pub score: f64,
    /// Σ stars_T(c) · strength(c).
    pub numerator: f64,
    /// Σ stars_T(c).
    pub denominator: f64,
    /// The target's used competencies, by decreasing stars then nomenclature order.
    pub competencies: Vec<CompetencyGap>,
}

/// Match strength of one competency: 1 − min(max(0, L_T − L_S), 3)/3 when
/// the source uses the competency; 0 when it does not (level 0): a
/// competency the source never mobilises is wholly to develop, whatever the
/// target's level.
pub fn strength(source_level: u8, target_level: u8) -> f64 {
    if source_level == 0 {
        return 0.0;
    }
    let deficit = target_level.saturating_sub(source_level).min(3);
    1.0 - f64::from(deficit) / 3.0
}

/// M3. `None` when the target uses no competency (no stars at all).
pub fn transversal_coverage(
    source: &TransversalProfile,
    target: &TransversalProfile,
) -> Option<TransversalCoverage> {
    let mut competencies = Vec::new();
    let (mut num, mut den) = (0.0, 0.0);
    for c in target.used_by_importance() {
        let (s, t) = (source.get(c), target.get(c));
        let bucket = match s.level().cmp(&t.level()) {
            std::cmp::Ordering::Equal => Bucket::Adaptee,
            std::cmp::Ordering::Greater => Bucket::PlusElevee,
            std::cmp::Ordering::Less => Bucket::AFaireEvoluer,
        };
        let st = strength(s.level(), t.level());
        num += f64::from(t.stars()) * st;
        den += f64::from(t.stars());
        competencies.push(CompetencyGap {
            competency: c,
            label: c.label_fr(),
            source_level: s.level(),
            target_level: t.level(),
            target_stars: t.stars(),
            bucket,
            strength: st,
        });
    }
    let score = transversal_score(source, target)?;
    (den > 0.0).then_some(TransversalCoverage {
        score,
        numerator: num,
        denominator: den,
        competencies,
    })
}

/// A profile packed for the all-pairs loops: 16 lanes (14 used) of levels,
/// and, as a target, the stars and levels of the competencies it uses, with
/// 3 × Σ stars. Fixed-size lanes let the compiler vectorise the pair loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Packed {
    levels: [u8; 16],
    stars: [u8; 16],
    den: u32,
}

impl Packed {
    pub(crate) fn new(p: &TransversalProfile) -> Packed {
        let mut packed = Packed {
            levels: [0; 16],
            stars: [0; 16],
            den: 0,
        };
        for c in Competency::ALL {
            let e = p.get(c);
            packed.levels[c.index()] = e.level();
            packed.stars[c.index()] = e.stars();
            packed.den += 3 * u32::from(e.stars());
        }
        packed
    }

    /// M3 with `self` as the target, in integers: Σ s·(3 − min(deficit, 3))
    /// / (3 Σ s) — the same value as Σ s·strength / Σ s. (A competency the
    /// target does not use has 0 stars and adds nothing.)
    #[inline]
    pub(crate) fn score_of(&self, source: &Packed) -> Option<f64> {
        if self.den == 0 {
            return None;
        }
        let mut num = 0u16;
        for c in 0..16 {
            let deficit = self.levels[c].saturating_sub(source.levels[c]).min(3);
            let used = u16::from(source.levels[c] > 0);
            num += used * u16::from(self.stars[c]) * u16::from(3 - deficit);
        }
        Some(f64::from(num) / f64::from(self.den))
    }
}

/// The score alone (M3), without allocating.
pub(crate) fn transversal_score(
    source: &TransversalProfile,
    target: &TransversalProfile,
) -> Option<f64> {
    Packed::new(target).score_of(&Packed::new(source))
}
