//! Ranked sources of a target and targets of a source.

use serde::Serialize;

use super::axis::{Axis, ItemSet, PerAxis};
use super::score::{Credit, Held, PairScores, ScoreTerms};
use super::tiers::{Tier, Tiers};
use super::wording::Dense;
use super::{Engine, Weights};
use crate::referential::Riasec;
use crate::transversal::TransversalProfile;

/// Rows of a ranking when the user asks for no number: the CLI's `--limit`
/// and the API's `limit=`, and the ranking `passerelle bench engine` times.
pub const DEFAULT_RANKING_LIMIT: usize = 15;

/// Which way the ranking goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Where people can come from (the subject is the target).
    Sources,
    /// Where someone can go (the subject is the source).
    Targets,
}

/// RIASEC congruence of the two major letters (display only, M12).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RiasecCongruence {
    pub source: Option<String>,
    pub target: Option<String>,
    /// Hexagon distance of the major letters: 0 same, 1 adjacent, 2
    /// alternate, 3 opposite. The label says "identique" only for identical
    /// codes, "même dominante" for the same major letter.
    pub distance: Option<u8>,
    pub label: Option<&'static str>,
}

impl RiasecCongruence {
    pub fn new(source: Option<Riasec>, target: Option<Riasec>) -> Self {
        let distance = match (source, target) {
            (Some(a), Some(b)) => Some(a.major.distance(b.major)),
            _ => None,
        };
        let (source, target) = (source.map(|r| r.to_string()), target.map(|r| r.to_string()));
        let identical = source.is_some() && source == target;
        RiasecCongruence {
            label: distance.map(|d| match d {
                0 if identical => "identique",
                0 => "même dominante",
                1 => "adjacent",
                2 => "alterné",
                _ => "opposé",
            }),
            source,
            target,
            distance,
        }
    }
}

/// One ranked job.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    #[cfg_attr(feature = "openapi", schema(value_type = super::axis::AxisMap<Option<f64>>))]
    pub components: PerAxis<Option<f64>>,
    /// Numerator / denominator of the exact percentages (savoirs, savoir_faire, contextes).
    #[cfg_attr(feature = "openapi", schema(value_type = super::axis::AxisMap<Option<Count>>))]
    pub counts: PerAxis<Option<Count>>,
    pub tier: Tier,
    pub tier_label: &'static str,
    /// For a *reconversion longue*: what it requires, in the texts' words
    /// ("diplôme exigé : Diplôme d'Etat d'Infirmier", "accessible après le
    /// Diplôme d'Etat d'infirmier … ").
    pub requirement: Option<String>,
    /// When the source holds none of the target's savoirs and savoir-faire
    /// exactly (0 % and 0 %) but some nearly: the closest such pair, so that
    /// the row shows what it shares.
    pub proche: Option<NearPair>,
    /// The terms of the combined score (wording, domain bonus, level
    /// penalty, shared core work), so that two rows with the same
    /// percentages can be told apart.
    pub terms: ScoreTerms,
    /// "reconversion descendante" when the source is two or more levels
    /// above the target; "qualification à acquérir" when the target is two
    /// or more levels above the source.
    pub level_move: Option<&'static str>,
    pub riasec: Option<String>,
    pub riasec_congruence: RiasecCongruence,
    /// With the local market (`--local`, `local=true`): the figures of the
    /// target in the département and its local score (docs/methode.md,
    /// « Marché local »); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub local: Option<crate::territory::local::LocalFigures>,
}

/// A target item and the source's item closest to it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NearPair {
    /// The target's item the source lacks.
    pub target_item: super::ItemBrief,
    /// The source's item near it.
    pub source_item: super::ItemBrief,
    /// Near credit, in (0, 1).
    pub strength: f64,
}

/// Items of the target the source holds, out of the target's items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Count {
    pub numerator: u32,
    pub denominator: u32,
}

/// A candidate of a ranking before its row is built: what a re-ranking
/// reads ([`Engine::rank_with`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    /// The fiche of the candidate (a poste's is its fiche's).
    pub fiche: crate::codes::RomeCode,
    pub tier: Tier,
    pub score: Option<f64>,
    /// Whether it shares a savoir or savoir-faire (exact or near) with the subject.
    pub shared_items: bool,
}

/// A ranked list with what it was computed with.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Ranking {
    pub direction: Direction,
    #[cfg_attr(feature = "openapi", schema(value_type = super::axis::AxisMap<f64>))]
    pub weights: Weights,
    /// The constants of the score (λ, β, δ, φ): with `weights`, what every
    /// row's score is computed from.
    pub constants: super::RankingConstants,
    pub tiers: Tiers,
    /// Candidates compared (fiches and postes of other fiches).
    pub candidates: usize,
    pub rows: Vec<RankRow>,
}

impl Engine {
    /// How much every profile holds of `subject`'s items (index = profile),
    /// by scattering the subject's items over the inverted lists.
    pub(crate) fn held_by_all(&self, subject: usize) -> Vec<[Held; 3]> {
        let np = self.profiles.len();
        let target = &self.profiles[subject];
        let mut out = vec![[Held::default(); 3]; np];
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
            for (p, held) in out.iter_mut().enumerate() {
                let row = &best[p * l..(p + 1) * l];
                let (mut n, mut w, mut core) = (0u32, 0f32, false);
                for ((&c, &weight), &is_core) in
                    row.iter().zip(&target.item_weight[k]).zip(&target.core[k])
                {
                    n += u32::from(c == 1.0);
                    w += weight * c;
                    core |= is_core && c > 0.0;
                }
                held[k] = Held {
                    exact: n,
                    weighted: w,
                    core,
                };
            }
        }
        out
    }

    /// How much `subject` holds of every profile's items (index = profile).
    pub(crate) fn holds_of_all(&self, subject: usize) -> Vec<[Held; 3]> {
        let mut credit = Credit::new(self);
        credit.load(self, subject);
        (0..self.profiles.len())
            .map(|p| credit.gather_all(self, p))
            .collect()
    }

    /// Wording similarity of `subject` with every profile.
    pub(crate) fn wording_of_all(&self, subject: usize) -> Vec<f64> {
        let w = &self.profiles[subject].wording;
        let mut dense: [Dense; 2] = std::array::from_fn(|i| Dense::new(self.vocabularies[i].len()));
        dense[0].load(&w[0]);
        dense[1].load(&w[1]);
        self.profiles
            .iter()
            .map(|p| {
                0.5 * (dense[0].corroborated(&p.wording[0]) + dense[1].corroborated(&p.wording[1]))
            })
            .collect()
    }

    /// The scores of `subject` against every profile (index = profile): as
    /// the target of each (`Direction::Sources`) or as the source.
    pub fn scores_against_all(
        &self,
        subject: usize,
        direction: Direction,
        weights: &Weights,
        subject_tp: Option<&TransversalProfile>,
    ) -> Vec<PairScores> {
        let held_by = self.held_by_all(subject);
        let holds = self.holds_of_all(subject);
        let wording = self.wording_of_all(subject);
        (0..self.profiles.len())
            .map(|p| match direction {
                Direction::Sources => self.assemble(
                    (p, subject),
                    &held_by[p],
                    &holds[p],
                    wording[p],
                    weights,
                    (None, subject_tp),
                ),
                Direction::Targets => self.assemble(
                    (subject, p),
                    &holds[p],
                    &held_by[p],
                    wording[p],
                    weights,
                    (subject_tp, None),
                ),
            })
            .collect()
    }

    /// Scores of every profile as a source of target `t` (index = profile).
    pub fn all_sources_of(
        &self,
        t: usize,
        weights: &Weights,
        target_tp: Option<&TransversalProfile>,
    ) -> Vec<PairScores> {
        self.scores_against_all(t, Direction::Sources, weights, target_tp)
    }

    /// Scores of source `s` towards every profile (index = profile).
    pub fn all_targets_of(
        &self,
        s: usize,
        weights: &Weights,
        source_tp: Option<&TransversalProfile>,
    ) -> Vec<PairScores> {
        self.scores_against_all(s, Direction::Targets, weights, source_tp)
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
        self.rank_with(direction, subject, weights, limit, subject_tp, |_| None)
    }

    /// [`Engine::rank`] with the engine's order changed before the rows
    /// are built and cut to `limit`: `reorder` sees every candidate in the
    /// engine's order and returns a permutation of their positions (`None`:
    /// the engine's order). The local market's re-ranking
    /// (`crate::territory::local`) is one.
    pub fn rank_with(
        &self,
        direction: Direction,
        subject: usize,
        weights: &Weights,
        limit: usize,
        subject_tp: Option<&TransversalProfile>,
        reorder: impl FnOnce(&[Candidate]) -> Option<Vec<usize>>,
    ) -> Ranking {
        let weights = &self.ranking_weights(subject, weights, subject_tp);
        let tiers = self.tiers_for(weights);
        let all = match direction {
            Direction::Sources => self.all_sources_of(subject, weights, subject_tp),
            Direction::Targets => self.all_targets_of(subject, weights, subject_tp),
        };
        let fiche = self.profiles[subject].fiche;
        let mut candidates: Vec<(usize, PairScores)> = all
            .into_iter()
            .enumerate()
            .filter(|(p, _)| self.profiles[*p].fiche != fiche)
            .collect();
        let total = candidates.len();
        candidates.sort_by(|a, b| {
            tiers
                .order_key(&b.1)
                .total_cmp(&tiers.order_key(&a.1))
                .then_with(|| self.profiles[a.0].id.cmp(&self.profiles[b.0].id))
        });
        let seen: Vec<Candidate> = candidates
            .iter()
            .map(|(p, sc)| Candidate {
                fiche: self.profiles[*p].fiche,
                tier: tiers.tier_of(sc),
                score: sc.score,
                shared_items: sc.terms.shared_items,
            })
            .collect();
        if let Some(order) = reorder(&seen) {
            debug_assert_eq!(order.len(), candidates.len());
            let mut slots: Vec<Option<(usize, PairScores)>> =
                candidates.into_iter().map(Some).collect();
            candidates = order
                .into_iter()
                .filter_map(|i| slots.get_mut(i).and_then(Option::take))
                .collect();
        }
        candidates.truncate(limit);
        let subject_riasec = self.profiles[subject].riasec;
        let rows = candidates
            .into_iter()
            .enumerate()
            .map(|(r, (p, sc))| {
                let other = &self.profiles[p];
                let t_idx = match direction {
                    Direction::Sources => subject,
                    Direction::Targets => p,
                };
                let congruence = match direction {
                    Direction::Sources => RiasecCongruence::new(other.riasec, subject_riasec),
                    Direction::Targets => RiasecCongruence::new(subject_riasec, other.riasec),
                };
                let s_idx = match direction {
                    Direction::Sources => p,
                    Direction::Targets => subject,
                };
                let counts = self.counts(t_idx, &sc);
                let exact_none = [Axis::Savoirs, Axis::SavoirFaire]
                    .iter()
                    .all(|&a| sc.exact.get(a).unwrap_or(0.0) == 0.0);
                let proche = (exact_none && sc.terms.shared_items)
                    .then(|| self.best_near(s_idx, t_idx))
                    .flatten();
                let tier = tiers.tier_of(&sc);
                let requirement = (tier == Tier::ReconversionLongue)
                    .then(|| self.requirement(t_idx, &sc.terms))
                    .flatten();
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
                    requirement,
                    proche,
                    terms: sc.terms,
                    level_move: level_move(&sc.terms),
                    riasec: other.riasec.map(|r| r.to_string()),
                    riasec_congruence: congruence,
                    local: None,
                }
            })
            .collect();
        Ranking {
            direction,
            weights: *weights,
            constants: self.constants,
            tiers,
            candidates: total,
            rows,
        }
    }

    /// The weights a ranking of `subject` uses for every candidate: the
    /// user's, with the transversal weight raised when the subject's own
    /// profile comes from a survey (and the user did not give it).
    pub fn ranking_weights(
        &self,
        subject: usize,
        weights: &Weights,
        subject_tp: Option<&TransversalProfile>,
    ) -> Weights {
        let tp = subject_tp.or(self.profiles[subject].transversal.as_ref());
        if tp.is_some_and(|p| p.provenance.is_surveyed()) {
            weights.for_surveyed_subject()
        } else {
            *weights
        }
    }

    /// The target item (savoir or savoir-faire) the source holds most
    /// nearly, with that source item.
    fn best_near(&self, s: usize, t: usize) -> Option<NearPair> {
        let mut best: Option<(f32, usize, u32, u32)> = None;
        for set in [ItemSet::Savoirs, ItemSet::SavoirFaire] {
            let k = set as usize;
            let src = &self.profiles[s].sets[k];
            for &i in &self.profiles[t].sets[k] {
                for &(j, c) in self.universes[k].near.of(i) {
                    if src.binary_search(&j).is_ok() && best.is_none_or(|b| c > b.0) {
                        best = Some((c, k, i, j));
                    }
                }
            }
        }
        let (c, k, i, j) = best?;
        let brief = |x: u32| {
            let ogr = self.universes[k].ogr[x as usize];
            super::ItemBrief {
                ogr,
                label: self.label_of(ogr),
            }
        };
        Some(NearPair {
            target_item: brief(i),
            source_item: brief(j),
            strength: f64::from(c),
        })
    }

    /// What a long move to profile `t` requires, in the texts' words.
    pub fn requirement(&self, t: usize, terms: &ScoreTerms) -> Option<String> {
        let target = &self.profiles[t];
        if terms.prerequisite_missing
            && let Some(p) = &target.prerequisite
        {
            return Some(format!("accessible après le {}", lower_first(&p.phrase)));
        }
        let access = self.access_level(target.fiche)?;
        let diploma = access.diploma.as_deref()?;
        Some(if target.regulated {
            format!("diplôme exigé : {diploma}")
        } else {
            format!("diplôme d'accès : {diploma}")
        })
    }

    fn counts(&self, t: usize, sc: &PairScores) -> PerAxis<Option<Count>> {
        let mut out = PerAxis([None; 4]);
        for set in ItemSet::ALL {
            let len = self.profiles[t].sets[set as usize].len() as u32;
            if let Some(v) = sc.exact.get(set.axis()) {
                out.set(
                    set.axis(),
                    Some(Count {
                        numerator: (v * f64::from(len)).round() as u32,
                        denominator: len,
                    }),
                );
            }
        }
        out
    }
}

/// "Diplôme d'Etat …" → "diplôme d'Etat …" after an article.
fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The label of a move of two levels or more, either way.
pub fn level_move(terms: &ScoreTerms) -> Option<&'static str> {
    if terms.is_descent() {
        Some("reconversion descendante")
    } else if terms.needs_qualification() {
        Some("qualification à acquérir")
    } else {
        None
    }
}
