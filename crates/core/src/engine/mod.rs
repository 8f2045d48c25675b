//! The passerelle engine: how much of a target job a source job already
//! covers, on four axes, and how the axes combine into a ranking score.
//!
//! Everything here is a pure function of a [`Catalog`]. [`Engine::new`]
//! precomputes dense item indices, sorted item vectors per job, inverted
//! lists, IDF weights, the sparse near-item table and the viability
//! thresholds, so that one ranking, one gap analysis or the whole matrix is a
//! matter of integer and float loops. The formulas are documented in
//! `docs/methode.md`; every displayed percentage carries its explanation
//! ([`Explanation`]).

mod axis;
mod explain;
mod gap;
pub mod learn;
pub mod lexical;
mod matrix;
mod rank;
pub mod routes;
mod score;
mod tiers;
mod tprofile;
mod weights;
pub mod wording;
pub mod yardstick;

#[cfg(test)]
mod tests;

use std::collections::HashMap;

pub use axis::{Axis, PerAxis};
pub use explain::{Explanation, ItemBrief, Matched, Missing, formula};
pub use gap::{
    CONTEXTES_QUALIFIERS, CertificationsGap, ContextGroup, ContextesGap, Gap, GapItem, ItemsGap,
    LevelsGap, NearItem, SavoirsSplit, TransversalGap, contextes_qualifier, join_et, plural,
};
pub use learn::{DEFAULT_LEARN_ITEMS, GENERIC_ITEM_SHARE, LEARN_REACH, Learn, LearnItem, Opened};
pub use matrix::{MatrixRow, MatrixSink};
pub use rank::{
    Candidate, Count, DEFAULT_RANKING_LIMIT, Direction, NearPair, RankRow, Ranking,
    RiasecCongruence, level_move,
};
pub use routes::{
    DEFAULT_ROUTES, DEFAULT_SECOND_CIRCLE, LONG_STEP_COST, Reach, Route, RouteJob, RouteStep,
    Routes, SecondCircle, ToAcquire,
};
pub use score::{PairScores, RankingConstants, ScoreTerms};
pub use tiers::{
    COURTE_MIN_SAVOIR_FAIRE, LONG_ASCENT_LEVELS, REGULATED_LONG_ASCENT_LEVELS, Threshold, Tier,
    Tiers, printed_percent,
};
pub use tprofile::{Bucket, CompetencyGap, TransversalCoverage, transversal_coverage};
pub use weights::{SURVEYED_TRANSVERSAL_WEIGHT, Weights, WeightsError};

use crate::catalog::{Catalog, SurveyChoice};
use crate::codes::{OgrCode, RomeCode};
use crate::job::{Job, JobKind};
use crate::referential::{ItemKind, Referential, Riasec};
use crate::transversal::{Provenance, TransversalProfile};
use axis::ItemSet;

/// Why the engine cannot answer about a job.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    #[error("métier {0} absent du moteur de passerelles (référentiel rechargé depuis ?)")]
    UnknownJob(String),
}

/// One comparable job: a fiche or a registered poste, with its items as
/// sorted dense indices per item set.
#[derive(Debug, Clone)]
pub struct Profile {
    /// ROME code or `poste:<slug>`.
    pub id: String,
    pub title: String,
    pub fiche: RomeCode,
    pub is_poste: bool,
    pub riasec: Option<Riasec>,
    /// Domaine professionnel of the fiche (`J13`).
    pub domaine: String,
    /// `code_rome_parent` of the fiche.
    pub parent: RomeCode,
    pub transversal: Option<TransversalProfile>,
    /// `transversal`, packed for the all-pairs loops.
    pub(crate) packed: Option<tprofile::Packed>,
    pub(crate) sets: [Vec<u32>; 3],
    /// Whether each item of `sets` is one the fiche marks « Principale »
    /// (`coeur_metier`; a poste's items keep their fiche's mark).
    pub(crate) core: [Vec<bool>; 3],
    /// Whether some savoir or savoir-faire of the job is core.
    pub(crate) has_core: bool,
    /// The weight of each item of `sets` in this job: IDF × (1 + κ) for a
    /// core item, IDF otherwise (docs/methode.md § 4.1).
    pub(crate) item_weight: [Vec<f32>; 3],
    /// Σ of `item_weight` per set (denominator of the ranking components).
    pub(crate) idf_sum: [f64; 3],
    /// Certifications ("Certifications et habilitations"), apart from savoirs.
    pub certifications: Vec<OgrCode>,
    /// Usual access level of the fiche (a poste has its fiche's).
    pub level: Option<crate::qualification::Level>,
    /// Regulated job (ROME flag, or the access texts where it is blank).
    pub regulated: bool,
    /// The qualification the fiche's texts say it follows, if any.
    pub prerequisite: Option<crate::qualification::Prerequisite>,
    /// The fiche's access texts, folded: what a prerequisite is looked for in.
    pub(crate) access_folded: String,
    /// Unit TF-IDF vectors of the description (title, appellations,
    /// definition) and of the item labels.
    pub(crate) wording: [wording::TermVector; 2],
}

/// The items of one item set: dense index ↔ OGR code, document frequency
/// over fiches, IDF, inverted lists and near-item table.
#[derive(Debug, Clone, Default)]
pub(crate) struct Universe {
    pub(crate) ogr: Vec<OgrCode>,
    pub(crate) pos: HashMap<OgrCode, u32>,
    /// Number of fiches (not postes) holding the item.
    pub(crate) df: Vec<u32>,
    pub(crate) idf: Vec<f32>,
    /// Profiles holding the item, increasing (fiches first, then postes).
    pub(crate) postings: Vec<Vec<u32>>,
    pub(crate) near: lexical::NearTable,
}

impl Universe {
    fn intern(&mut self, ogr: OgrCode) -> u32 {
        let next = self.ogr.len() as u32;
        *self.pos.entry(ogr).or_insert_with(|| {
            self.ogr.push(ogr);
            next
        })
    }

    pub(crate) fn len(&self) -> usize {
        self.ogr.len()
    }
}

/// The precomputed engine.
#[derive(Debug, Clone)]
pub struct Engine {
    pub(crate) referential: Referential,
    pub(crate) profiles: Vec<Profile>,
    /// Fiches occupy `0..n_fiches` in [`Engine::profiles`], in referential order.
    pub(crate) n_fiches: usize,
    pub(crate) universes: [Universe; 3],
    by_id: HashMap<String, usize>,
    /// Thresholds for the default weights (without percentiles).
    tiers: Tiers,
    /// The within-group pairs the thresholds are computed from.
    calibration: tiers::CalibrationPairs,
    /// The same with their percentiles: one pass over all pairs, computed on
    /// first use (rankings publish them; a gap analysis does not need them).
    tiers_with_percentiles: std::sync::OnceLock<Tiers>,
    /// Vocabularies of descriptions and item labels (IDF over fiches).
    pub(crate) vocabularies: [wording::Vocabulary; 2],
    /// Access level of every fiche with its provenance, in referential order.
    levels: Vec<crate::qualification::AccessLevel>,
    pub(crate) constants: RankingConstants,
}

/// The IDF of an item held by `df` of `n` fiches, Robertson–Spärck Jones /
/// BM25 form: ln(1 + (n − df + 0.5)/(df + 0.5)). An item held by one fiche
/// weighs ≈ ln(n), an item every fiche holds ≈ 0 (but stays positive, so
/// that any non-empty target has a positive denominator).
pub fn idf(n: usize, df: u32) -> f64 {
    let (n, df) = (n as f64, f64::from(df).min(n as f64));
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

impl Engine {
    /// Precomputes everything from the catalog (fiches, then registered postes).
    pub fn new(catalog: &Catalog) -> Engine {
        Engine::with_constants(catalog, RankingConstants::DEFAULT)
    }

    /// [`Engine::new`] with other ranking constants (for the calibration
    /// procedure of `bench ranking`).
    pub fn with_constants(catalog: &Catalog, constants: RankingConstants) -> Engine {
        use rayon::prelude::*;
        let referential = catalog.referential.clone();
        let levels = catalog.levels.clone();
        let mut universes: [Universe; 3] = Default::default();
        let mut profiles = Vec::with_capacity(referential.fiches.len() + catalog.postes.len());
        // Each job's transversal profile as the catalog chooses it by default
        // (a survey that describes it, else the fiche's estimate).
        let choice = SurveyChoice::default();
        for fiche in referential.fiches.iter() {
            let job = Job::from_fiche(fiche);
            let tp = catalog.transversal_profile(&job, &choice).cloned();
            profiles.push(build_profile(&referential, &job, tp, &mut universes));
        }
        let n_fiches = profiles.len();
        for poste in &catalog.postes {
            let Ok(job) = catalog.resolve(&crate::job::JobRef::Poste(poste.slug.clone())) else {
                continue;
            };
            let tp = poste_profile(catalog, poste)
                .or_else(|| catalog.transversal_profile(&job, &choice).cloned());
            profiles.push(build_profile(&referential, &job, tp, &mut universes));
        }
        for (set, u) in universes.iter_mut().enumerate() {
            let n = u.len();
            u.df = vec![0; n];
            u.postings = vec![Vec::new(); n];
            for (p, prof) in profiles.iter().enumerate() {
                for &i in &prof.sets[set] {
                    u.postings[i as usize].push(p as u32);
                    if p < n_fiches {
                        u.df[i as usize] += 1;
                    }
                }
            }
            u.idf = u.df.iter().map(|&d| idf(n_fiches, d) as f32).collect();
        }
        build_near(&referential, &mut universes);
        // The steps below are independent per profile (or per table) and
        // run on all cores; each result is the sequential one.
        let texts: [Vec<Vec<String>>; 2] = [
            profiles
                .par_iter()
                .map(|p| description_words(&referential, p))
                .collect(),
            profiles
                .par_iter()
                .map(|p| label_words(&referential, p, &universes))
                .collect(),
        ];
        let (description, labels) = rayon::join(
            || wording::Vocabulary::build(&texts[0][..n_fiches]).0,
            || wording::Vocabulary::build(&texts[1][..n_fiches]).0,
        );
        let vocabularies = [description, labels];
        profiles.par_iter_mut().enumerate().for_each(|(p, prof)| {
            prof.wording = std::array::from_fn(|i| vocabularies[i].vector(&texts[i][p]));
            let access = referential.fiche_index(prof.fiche).map(|i| &levels[i]);
            set_access(prof, &referential, access);
        });
        for prof in &mut profiles {
            set_item_weights(prof, &universes, constants.core_weight);
        }
        let by_id = profiles
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), i))
            .collect();
        let mut engine = Engine {
            referential,
            profiles,
            n_fiches,
            universes,
            by_id,
            tiers: Tiers::default(),
            calibration: Default::default(),
            tiers_with_percentiles: std::sync::OnceLock::new(),
            vocabularies,
            levels,
            constants,
        };
        engine.calibration = engine.calibration_pairs();
        engine.tiers = engine.calibrate(&Weights::default());
        engine
    }

    pub fn referential(&self) -> &Referential {
        &self.referential
    }

    pub fn profiles(&self) -> &[Profile] {
        &self.profiles
    }

    pub fn profile(&self, index: usize) -> &Profile {
        &self.profiles[index]
    }

    pub fn n_fiches(&self) -> usize {
        self.n_fiches
    }

    /// The usual access level of a fiche, with its provenance.
    pub fn access_level(&self, fiche: RomeCode) -> Option<&crate::qualification::AccessLevel> {
        self.referential
            .fiche_index(fiche)
            .and_then(|i| self.levels.get(i))
    }

    /// The ranking constants in force.
    pub fn constants(&self) -> RankingConstants {
        self.constants
    }

    /// Index of the profile a resolved job is computed on: the poste's, or
    /// its fiche's (an appellation is computed on its fiche).
    pub fn index_of(&self, job: &Job) -> Result<usize, EngineError> {
        let id = match &job.kind {
            JobKind::Fiche => job.fiche.to_string(),
            JobKind::Poste { slug } => format!("poste:{slug}"),
        };
        self.by_id
            .get(&id)
            .copied()
            .ok_or(EngineError::UnknownJob(id))
    }

    pub fn index_of_id(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// Viability thresholds calibrated with the default weights, with their
    /// percentiles over all pairs (computed once, on first call).
    pub fn tiers(&self) -> &Tiers {
        self.tiers_with_percentiles
            .get_or_init(|| self.with_percentiles(&self.tiers, &Weights::default()))
    }

    /// The thresholds for `weights`, without percentiles (cheap: enough to
    /// label a pair).
    pub fn thresholds(&self, weights: &Weights) -> Tiers {
        if *weights == Weights::default() {
            self.tiers.clone()
        } else {
            self.calibrate(weights)
        }
    }

    /// Adds (or replaces) a job-title profile without rebuilding the engine:
    /// e.g. a counsellor's variant of a job, computed on the fly. IDF, near
    /// table and thresholds are unchanged (they are computed on fiches only);
    /// items unknown to the engine get the IDF of an item no fiche holds and
    /// no near items. A job that is a whole fiche already present is not
    /// replaced: its index is returned. Returns the profile index.
    pub fn upsert_job(&mut self, job: &Job, transversal: Option<TransversalProfile>) -> usize {
        if let (JobKind::Fiche, Some(&i)) = (&job.kind, self.by_id.get(&job.fiche.to_string())) {
            return i;
        }
        let mut prof = build_profile(&self.referential, job, transversal, &mut self.universes);
        let words = [
            description_words(&self.referential, &prof),
            label_words(&self.referential, &prof, &self.universes),
        ];
        prof.wording = std::array::from_fn(|i| self.vocabularies[i].vector(&words[i]));
        let access = self.access_level(prof.fiche);
        set_access(&mut prof, &self.referential, access);
        let unknown_idf = idf(self.n_fiches, 0) as f32;
        for u in &mut self.universes {
            let n = u.len();
            u.df.resize(n, 0);
            u.idf.resize(n, unknown_idf);
            u.postings.resize(n, Vec::new());
        }
        set_item_weights(&mut prof, &self.universes, self.constants.core_weight);
        let index = match self.by_id.get(&prof.id).copied() {
            Some(i) => {
                for (k, u) in self.universes.iter_mut().enumerate() {
                    for &item in &self.profiles[i].sets[k] {
                        u.postings[item as usize].retain(|&p| p as usize != i);
                    }
                }
                self.profiles[i] = prof;
                i
            }
            None => {
                self.by_id.insert(prof.id.clone(), self.profiles.len());
                self.profiles.push(prof);
                self.profiles.len() - 1
            }
        };
        for (k, u) in self.universes.iter_mut().enumerate() {
            for &item in &self.profiles[index].sets[k] {
                let list = &mut u.postings[item as usize];
                if let Err(pos) = list.binary_search(&(index as u32)) {
                    list.insert(pos, index as u32);
                }
            }
        }
        index
    }

    /// The near savoir-faire pairs the engine proposes ("proche de …"), each
    /// once (a < b), with their credit, in index order.
    pub fn near_savoir_faire_pairs(&self) -> Vec<(OgrCode, OgrCode, f32)> {
        let u = &self.universes[ItemSet::SavoirFaire as usize];
        let mut out = Vec::new();
        for a in 0..u.len() as u32 {
            for &(b, c) in u.near.of(a) {
                if a < b {
                    out.push((u.ogr[a as usize], u.ogr[b as usize], c));
                }
            }
        }
        out
    }

    /// Sizes of the precomputed structures, for `bench engine` and `info`.
    pub fn stats(&self) -> EngineStats {
        EngineStats {
            profiles: self.profiles.len(),
            fiches: self.n_fiches,
            savoirs: self.universes[0].len(),
            savoir_faire: self.universes[1].len(),
            contextes: self.universes[2].len(),
            near_savoirs: self.universes[0].near.len(),
            near_savoir_faire: self.universes[1].near.len(),
        }
    }
}

/// Sizes of the engine's tables.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct EngineStats {
    pub profiles: usize,
    pub fiches: usize,
    pub savoirs: usize,
    pub savoir_faire: usize,
    pub contextes: usize,
    /// Directed near-item pairs.
    pub near_savoirs: usize,
    pub near_savoir_faire: usize,
}

/// Each item's weight in the profile (IDF, × (1 + κ) for a core item) and
/// their sums.
fn set_item_weights(prof: &mut Profile, universes: &[Universe; 3], core_weight: f64) {
    for (k, u) in universes.iter().enumerate() {
        prof.item_weight[k] = prof.sets[k]
            .iter()
            .zip(&prof.core[k])
            .map(|(&i, &core)| {
                let boost = if core { 1.0 + core_weight } else { 1.0 };
                (f64::from(u.idf[i as usize]) * boost) as f32
            })
            .collect();
        prof.idf_sum[k] = prof.item_weight[k].iter().map(|&w| f64::from(w)).sum();
    }
}

/// What the access texts of a profile's fiche say: level, regulation,
/// prerequisite (the terms of a long move).
fn set_access(
    prof: &mut Profile,
    referential: &Referential,
    access: Option<&crate::qualification::AccessLevel>,
) {
    prof.level = access.and_then(|a| a.level);
    prof.regulated = access.is_some_and(|a| a.regulation.is_regulated());
    prof.prerequisite = access.and_then(|a| a.after.clone());
    prof.access_folded = referential
        .fiche(prof.fiche)
        .map(|f| crate::text::fold(&f.acces.join(" ")))
        .unwrap_or_default();
}

fn poste_profile(catalog: &Catalog, poste: &crate::poste::Poste) -> Option<TransversalProfile> {
    let id = poste.survey.as_deref()?;
    catalog
        .surveys
        .iter()
        .find(|s| matches!(&s.profile.provenance, Provenance::Enquete { id: sid, .. } if sid == id))
        .map(|s| s.profile.clone())
}

/// Sorts a job's items into the three item sets (savoir-être professionnels
/// are left to the transversal axis; certifications are kept apart).
fn build_profile(
    referential: &Referential,
    job: &Job,
    transversal: Option<TransversalProfile>,
    universes: &mut [Universe; 3],
) -> Profile {
    let fiche = referential.fiche(job.fiche);
    let mut sets: [Vec<(u32, bool)>; 3] = Default::default();
    let mut certifications = Vec::new();
    for link in &job.items {
        let set = match link.kind {
            ItemKind::Savoir => match referential.savoir(link.ogr) {
                Some(s) if s.category.is_certification() => {
                    certifications.push(link.ogr);
                    continue;
                }
                _ => ItemSet::Savoirs,
            },
            ItemKind::SavoirFaire => ItemSet::SavoirFaire,
            ItemKind::Contexte => ItemSet::Contextes,
            ItemKind::SavoirEtre => continue,
        };
        // A poste is a selection of its fiche's items: every one of them is
        // the core of the post (as `Engine::gap` lists them). A fiche's
        // items are core when the ROME marks them « Principale ».
        let core = job.is_poste() || link.coeur == crate::referential::CoeurMetier::Principale;
        sets[set as usize].push((universes[set as usize].intern(link.ogr), core));
    }
    for s in &mut sets {
        // Sorted by item, a repeated item core if any of its links is.
        s.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        s.dedup_by_key(|x| x.0);
    }
    let core: [Vec<bool>; 3] = std::array::from_fn(|k| sets[k].iter().map(|x| x.1).collect());
    let has_core = core[..2].iter().flatten().any(|&c| c);
    let sets = std::array::from_fn(|k| sets[k].iter().map(|x| x.0).collect());
    certifications.sort();
    certifications.dedup();
    Profile {
        id: job.id.clone(),
        title: job.title.clone(),
        fiche: job.fiche,
        is_poste: job.is_poste(),
        riasec: fiche.and_then(|f| f.riasec),
        domaine: fiche
            .map(|f| f.domaine.clone())
            .unwrap_or_else(|| job.fiche.domaine().to_string()),
        parent: fiche.map(|f| f.parent).unwrap_or(job.fiche),
        packed: transversal.as_ref().map(tprofile::Packed::new),
        transversal,
        sets,
        core,
        has_core,
        item_weight: Default::default(),
        idf_sum: [0.0; 3],
        certifications,
        level: None,
        regulated: false,
        prerequisite: None,
        access_folded: String::new(),
        wording: Default::default(),
    }
}

/// Stems of a profile's description: its title, its fiche's title,
/// appellations and definition.
fn description_words(referential: &Referential, p: &Profile) -> Vec<String> {
    let mut words: Vec<String> = wording::stems(&p.title).collect();
    if let Some(f) = referential.fiche(p.fiche) {
        if f.title != p.title {
            words.extend(wording::stems(&f.title));
        }
        for a in referential.appellations_of(f) {
            words.extend(wording::stems(&a.short_label));
        }
        for sentence in &f.definition {
            words.extend(wording::stems(sentence));
        }
    }
    words
}

/// Stems of the labels of a profile's savoirs and savoir-faire.
fn label_words(referential: &Referential, p: &Profile, universes: &[Universe; 3]) -> Vec<String> {
    let mut words = Vec::new();
    for set in [ItemSet::Savoirs, ItemSet::SavoirFaire] {
        let u = &universes[set as usize];
        for &i in &p.sets[set as usize] {
            if let Some(item) = referential.item(u.ogr[i as usize]) {
                words.extend(wording::stems(item.label()));
            }
        }
    }
    words
}

/// Near tables: savoirs by label similarity (a lower threshold within the
/// same category and sub-category); savoir-faire within a macro-compétence
/// family lowers the lexical threshold (a shared family alone is not
/// nearness).
fn build_near(referential: &Referential, universes: &mut [Universe; 3]) {
    use std::hash::{Hash, Hasher};
    let key = |parts: &dyn Fn(&mut std::collections::hash_map::DefaultHasher)| {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        parts(&mut h);
        h.finish()
    };
    let sav = &universes[ItemSet::Savoirs as usize];
    let labels: Vec<(String, Option<u64>)> = sav
        .ogr
        .iter()
        .map(|&o| match referential.savoir(o) {
            Some(s) => (
                s.label.clone(),
                Some(key(&|h| {
                    (s.category.label_fr(), s.subcategory.as_str()).hash(h)
                })),
            ),
            None => (String::new(), None),
        })
        .collect();
    let savoirs: Vec<lexical::NearInput<'_>> = labels
        .iter()
        .map(|(l, g)| lexical::NearInput {
            label: l,
            group: *g,
        })
        .collect();

    let sf = &universes[ItemSet::SavoirFaire as usize];
    let sf_labels: Vec<(String, Option<u64>)> = sf
        .ogr
        .iter()
        .map(|&o| match referential.competence(o) {
            Some(c) => (
                c.label.clone(),
                Some(c.macro_ogr.unwrap_or(c.ogr).get() as u64),
            ),
            None => (String::new(), None),
        })
        .collect();
    let savoir_faire: Vec<lexical::NearInput<'_>> = sf_labels
        .iter()
        .map(|(l, g)| lexical::NearInput {
            label: l,
            group: *g,
        })
        .collect();
    let (near_savoirs, near_savoir_faire) = rayon::join(
        || lexical::build(&savoirs, lexical::Scope::Everywhere),
        || lexical::build(&savoir_faire, lexical::Scope::Everywhere),
    );
    universes[ItemSet::Savoirs as usize].near = near_savoirs;
    universes[ItemSet::SavoirFaire as usize].near = near_savoir_faire;
}
