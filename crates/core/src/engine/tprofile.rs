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
    /// The source's estimate has no evidence for it ("non estimée"): left
    /// out of the percentage, neither credited nor counted as missing.
    NonEstimee,
}

impl Bucket {
    pub fn label_fr(self) -> &'static str {
        match self {
            Bucket::Adaptee => "adaptée",
            Bucket::PlusElevee => "plus élevée",
            Bucket::AFaireEvoluer => "à faire évoluer",
            Bucket::NonEstimee => "non estimée",
        }
    }
}

/// One competency the target uses.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CompetencyGap {
    pub competency: Competency,
    pub label: &'static str,
    /// `None`: not estimated for the source ([`Bucket::NonEstimee`]).
    pub source_level: Option<u8>,
    pub target_level: u8,
    pub target_stars: u8,
    pub bucket: Bucket,
    /// 1 − min(deficit, 3)/3: the match strength entering the percentage;
    /// `None` when the competency does not enter it (not estimated).
    pub strength: Option<f64>,
}

/// The transversal comparison of two profiles.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransversalCoverage {
    /// TC% in [0, 1].
    pub score: f64,
    /// Σ stars_T(c) · strength(c).
    pub numerator: f64,
    /// Σ stars_T(c) over the competencies the source's profile assesses.
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

/// M3. `None` when the target uses no competency (no stars at all) or
/// when the source's profile assesses none of those it uses. A competency
/// the source's estimate does not assess ("non estimée") is listed but left
/// out of both sums: silence is not a shortfall.
pub fn transversal_coverage(
    source: &TransversalProfile,
    target: &TransversalProfile,
) -> Option<TransversalCoverage> {
    let mut competencies = Vec::new();
    let (mut num, mut den) = (0.0, 0.0);
    for c in target.used_by_importance() {
        let t = target.get(c);
        let Some(s) = source.entry(c) else {
            competencies.push(CompetencyGap {
                competency: c,
                label: c.label_fr(),
                source_level: None,
                target_level: t.level(),
                target_stars: t.stars(),
                bucket: Bucket::NonEstimee,
                strength: None,
            });
            continue;
        };
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
            source_level: Some(s.level()),
            target_level: t.level(),
            target_stars: t.stars(),
            bucket,
            strength: Some(st),
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
/// whether each competency is assessed (1; 0 when an estimate says
/// nothing), and, as a target, the stars of the competencies it uses.
/// Fixed-size lanes let the compiler vectorise the pair loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Packed {
    levels: [u8; 16],
    assessed: [u8; 16],
    stars: [u8; 16],
}

impl Packed {
    pub(crate) fn new(p: &TransversalProfile) -> Packed {
        let mut packed = Packed {
            levels: [0; 16],
            assessed: [0; 16],
            stars: [0; 16],
        };
        for c in Competency::ALL {
            let e = p.get(c);
            packed.levels[c.index()] = e.level();
            packed.assessed[c.index()] = u8::from(p.entry(c).is_some());
            packed.stars[c.index()] = e.stars();
        }
        packed
    }

    /// M3 with `self` as the target, in integers: Σ s·(3 − min(deficit, 3))
    /// / (3 Σ s), both sums over the competencies the source assesses — the
    /// same value as [`transversal_coverage`]'s Σ s·strength / Σ s. (A
    /// competency the target does not use has 0 stars and adds nothing.)
    #[inline]
    pub(crate) fn score_of(&self, source: &Packed) -> Option<f64> {
        let (mut num, mut den) = (0u16, 0u16);
        for c in 0..16 {
            let deficit = self.levels[c].saturating_sub(source.levels[c]).min(3);
            let used = u16::from(source.levels[c] > 0);
            let counted = u16::from(source.assessed[c]) * u16::from(self.stars[c]);
            num += used * counted * u16::from(3 - deficit);
            den += 3 * counted;
        }
        (den > 0).then(|| f64::from(num) / f64::from(den))
    }
}

/// The score alone (M3), without allocating.
pub(crate) fn transversal_score(
    source: &TransversalProfile,
    target: &TransversalProfile,
) -> Option<f64> {
    Packed::new(target).score_of(&Packed::new(source))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transversal::{ProfileEntry, Provenance};

    /// A profile from (level, stars) pairs; `None` = not estimated.
    fn profile(
        entries: [Option<(u8, u8)>; crate::transversal::Competency::COUNT],
    ) -> TransversalProfile {
        TransversalProfile {
            entries: entries.map(|e| e.map(|(l, s)| ProfileEntry::new(l, s).unwrap())),
            provenance: Provenance::Estime {
                method: "test".into(),
                rome_version: "60".into(),
            },
            rome: None,
        }
    }

    #[test]
    fn a_competency_not_estimated_is_out_of_both_sums() {
        let mut source = [Some((0, 0)); crate::transversal::Competency::COUNT];
        let mut target = [Some((0, 0)); crate::transversal::Competency::COUNT];
        // The target asks for two competencies at level 2, 3 stars each;
        // the source holds the first at level 2 and says nothing of the second.
        target[0] = Some((2, 3));
        target[4] = Some((2, 3));
        source[0] = Some((2, 1));
        source[4] = None;
        let cov = transversal_coverage(&profile(source), &profile(target)).unwrap();
        assert_eq!((cov.numerator, cov.denominator, cov.score), (3.0, 3.0, 1.0));
        let silent = &cov.competencies[1];
        assert_eq!(silent.bucket, Bucket::NonEstimee);
        assert_eq!((silent.source_level, silent.strength), (None, None));
        // Surveyed silence is a measurement: level 0 counts as a shortfall.
        source[4] = Some((0, 0));
        let cov = transversal_coverage(&profile(source), &profile(target)).unwrap();
        assert_eq!((cov.numerator, cov.denominator), (3.0, 6.0));
        // Nothing the target uses is assessed: no percentage at all.
        source[0] = None;
        source[4] = None;
        assert!(transversal_coverage(&profile(source), &profile(target)).is_none());
    }

    #[test]
    fn packed_score_equals_the_explicit_one_with_unassessed_competencies() {
        // xorshift64: many random profiles, including "non estimée".
        let mut state: u64 = 21;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..2_000 {
            let mut draw = || -> [Option<(u8, u8)>; crate::transversal::Competency::COUNT] {
                std::array::from_fn(|_| match next() % 4 {
                    0 => None,
                    1 => Some((0, 0)),
                    _ => Some((1 + (next() % 4) as u8, 1 + (next() % 5) as u8)),
                })
            };
            let (s, t) = (profile(draw()), profile(draw()));
            let explicit = transversal_coverage(&s, &t).map(|c| c.numerator / c.denominator);
            let packed = Packed::new(&t).score_of(&Packed::new(&s));
            match (explicit, packed) {
                (Some(a), Some(b)) => assert!((a - b).abs() < 1e-12, "{a} ≠ {b}"),
                (a, b) => assert_eq!(a, b),
            }
        }
    }
}
