//! Ranked sources of a target and targets of a source.

use serde::Serialize;

use super::axis::{Axis, ItemSet, PerAxis};
use super::score::{Credit, PairScores};
use super::tiers::{Tier, Tiers};
use super::{Engine, Weights};
use crate::referential::Riasec;
use crate::transversal::TransversalProfile;

/// Which way the ranking goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Where people can come from (the subject is the target).
    Sources,
    /// Where someone can go (the subject is the source).
    Targets,
}

/// RIASEC congruence of the two major letters (display only, M12).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RiasecCongruence {
    pub source: Option<String>,
    pub target: Option<String>,
    /// Hexagon distance of the major letters: 0 same, 1 adjacent, 2 alternate, 3 opposite.
    pub distance: Option<u8>,
    pub label: Option<&'static str>,
}

impl RiasecCongruence {
    pub fn new(source: Option<Riasec>, target: Option<Riasec>) -> Self {
        let distance = match (source, target) {
            (Some(a), Some(b)) => Some(a.major.distance(b.major)),
            _ => None,
        };
        RiasecCongruence {
            source: source.map(|r| r.to_string()),
            target: target.map(|r| r.to_string()),
            distance,
            label: distance.map(|d| match d {
                0 => "identique",
                1 => "adjacent",
                2 => "alterné",
                _ => "opposé",
            }),
        }
    }
}

/// One ranked job.
#[derive(Debug, Clone, Serialize)]
pub struct RankRow {
    pub rank: usize,
    /// ROME code or `poste:<slug>`.
    pub id: String,
    pub code: String,
    pub title: String,
    pub poste: bool,
    pub transversal: Option<f64>,
    pub savoirs: Option<f64>,
    pub savoir_faire: Option<f64>,
    pub contextes: Option<f64>,
    pub score: Option<f64>,
    pub components: PerAxis<Option<f64>>,
    /// Numerator / denominator of the exact percentages (savoirs, savoir_faire, contextes).
    pub counts: PerAxis<Option<Count>>,
    pub tier: Tier,
    pub tier_label: &'static str,
    pub riasec: Option<String>,
    pub riasec_congruence: RiasecCongruence,
}

/// Items of the target the source holds, out of the target's items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Count {
    pub numerator: u32,
    pub denominator: u32,
}

/// A ranked list with what it was computed with.
#[derive(Debug, Clone, Serialize)]
pub struct Ranking {
    pub direction: Direction,
    pub weights: Weights,
    pub tiers: Tiers,
    /// Candidates compared (fiches and postes of other fiches).
    pub candidates: usize,
    pub rows: Vec<RankRow>,
}

impl Engine {
    /// Scores of every profile as a source of target `t` (index = profile).
    pub fn all_sources_of(&self, t: usize, weights: &Weights, target_tp: Option<&TransversalProfile>) -> Vec<PairScores> {
        let np = self.profiles.len();
        let target = &self.profiles[t];
        let mut exact_n = vec![[0u32; 3]; np];
        let mut weighted = vec![[0f32; 3]; np];
        let mut best: Vec<f32> = Vec::new();
        for set in ItemSet::ALL {
            let k = set as usize;
            let u = &self.universes[k];
            let items = &target.sets[k];
            let l = items.len();
            if l == 0 {
                continue;
            }
            best.clear();
            best.resize(np * l, 0.0);
            for (j, &i) in items.iter().enumerate() {
                for &(near, c) in u.near.of(i) {
                    for &p in &u.postings[near as usize] {
                        let b = &mut best[p as usize * l + j];
                        if c > *b {
                            *b = c;
                        }
                    }
                }
                for &p in &u.postings[i as usize] {
                    best[p as usize * l + j] = 1.0;
                }
            }
            for p in 0..np {
                let row = &best[p * l..(p + 1) * l];
                let (mut n, mut w) = (0u32, 0f32);
                for (j, &c) in row.iter().enumerate() {
                    n += u32::from(c == 1.0);
                    w += u.idf[items[j] as usize] * c;
                }
                exact_n[p][k] = n;
                weighted[p][k] = w;
            }
        }
        let tt = match target_tp {
            Some(p) => Some(super::tprofile::Packed::new(p)),
            None => target.packed,
        };
        (0..np)
            .map(|p| {
                let mut exact = PerAxis([None; 4]);
                let mut comp = PerAxis([None; 4]);
                for set in ItemSet::ALL {
                    let k = set as usize;
                    let len = target.sets[k].len();
                    if len > 0 {
                        exact.set(set.axis(), Some(f64::from(exact_n[p][k]) / len as f64));
                        comp.set(set.axis(), Some((f64::from(weighted[p][k]) / target.idf_sum[k]).clamp(0.0, 1.0)));
                    }
                }
                if let (Some(a), Some(b)) = (&self.profiles[p].packed, &tt) {
                    let v = b.score_of(a);
                    exact.set(Axis::Transversal, v);
                    comp.set(Axis::Transversal, v);
                }
                PairScores { exact, components: comp, score: weights.combine(&comp) }
            })
            .collect()
    }

    /// Scores of source `s` towards every profile (index = profile).
    pub fn all_targets_of(&self, s: usize, weights: &Weights, source_tp: Option<&TransversalProfile>) -> Vec<PairScores> {
        let mut credit = Credit::new(self);
        credit.load(self, s);
        (0..self.profiles.len()).map(|t| self.scores_with(&credit, s, t, weights, (source_tp, None))).collect()
    }

    /// [`Engine::rank`] for a resolved job (an appellation ranks its fiche).
    pub fn rank_job(
        &self,
        direction: Direction,
        job: &crate::job::Job,
        weights: &Weights,
        limit: usize,
        subject_tp: Option<&TransversalProfile>,
    ) -> Result<Ranking, super::EngineError> {
        Ok(self.rank(direction, self.index_of(job)?, weights, limit, subject_tp))
    }

    /// The ranked list for `subject` (a profile index): its sources or its
    /// targets among the fiches and postes of other fiches.
    pub fn rank(
        &self,
        direction: Direction,
        subject: usize,
        weights: &Weights,
        limit: usize,
        subject_tp: Option<&TransversalProfile>,
    ) -> Ranking {
        let tiers = self.tiers_for(weights);
        let all = match direction {
            Direction::Sources => self.all_sources_of(subject, weights, subject_tp),
            Direction::Targets => self.all_targets_of(subject, weights, subject_tp),
        };
        let fiche = self.profiles[subject].fiche;
        let mut candidates: Vec<(usize, PairScores)> =
            all.into_iter().enumerate().filter(|(p, _)| self.profiles[*p].fiche != fiche).collect();
        let total = candidates.len();
        candidates.sort_by(|a, b| {
            b.1.sort_key().total_cmp(&a.1.sort_key()).then_with(|| self.profiles[a.0].id.cmp(&self.profiles[b.0].id))
        });
        candidates.truncate(limit);
        let subject_riasec = self.profiles[subject].riasec;
        let rows = candidates
            .into_iter()
            .enumerate()
            .map(|(r, (p, sc))| {
                let other = &self.profiles[p];
                let (s_idx, t_idx) = match direction {
                    Direction::Sources => (p, subject),
                    Direction::Targets => (subject, p),
                };
                let congruence = match direction {
                    Direction::Sources => RiasecCongruence::new(other.riasec, subject_riasec),
                    Direction::Targets => RiasecCongruence::new(subject_riasec, other.riasec),
                };
                let counts = self.counts(t_idx, &sc);
                let _ = s_idx;
                let tier = tiers.tier(sc.score);
                RankRow {
                    rank: r + 1,
                    id: other.id.clone(),
                    code: other.fiche.to_string(),
                    title: other.title.clone(),
                    poste: other.is_poste,
                    transversal: sc.exact.get(Axis::Transversal),
                    savoirs: sc.exact.get(Axis::Savoirs),
                    savoir_faire: sc.exact.get(Axis::SavoirFaire),
                    contextes: sc.exact.get(Axis::Contextes),
                    score: sc.score,
                    components: sc.components,
                    counts,
                    tier,
                    tier_label: tier.label_fr(),
                    riasec: other.riasec.map(|r| r.to_string()),
                    riasec_congruence: congruence,
                }
            })
            .collect();
        Ranking { direction, weights: *weights, tiers, candidates: total, rows }
    }

    fn counts(&self, t: usize, sc: &PairScores) -> PerAxis<Option<Count>> {
        let mut out = PerAxis([None; 4]);
        for set in ItemSet::ALL {
            let len = self.profiles[t].sets[set as usize].len() as u32;
            if let Some(v) = sc.exact.get(set.axis()) {
                out.set(set.axis(), Some(Count { numerator: (v * f64::from(len)).round() as u32, denominator: len }));
            }
        }
        out
    }
}
