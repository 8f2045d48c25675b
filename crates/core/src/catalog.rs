//! Everything the engine and the renderers need, loaded once: the referential,
//! the job-title profiles, the surveyed transversal profiles and an estimated
//! transversal profile for every fiche. Resolving what a user typed
//! ([`JobRef`]) into what the engine compares ([`Job`]) happens here, once,
//! for the CLI, the API and the documents alike.

use serde::Serialize;

use crate::codes::RomeCode;
use crate::job::{Job, JobKind, JobRef};
use crate::poste::Poste;
use crate::referential::Referential;
use crate::transversal::{Survey, TransversalProfile};

/// Why a job name cannot be resolved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    #[error("code ROME inconnu : {0} n'est pas une fiche du référentiel")]
    UnknownRome(RomeCode),
    #[error("appellation inconnue : le code OGR {0} n'est pas une appellation du référentiel")]
    UnknownAppellation(u32),
    #[error("profil de poste inconnu « poste:{0} » (voir `passerelle import postes`)")]
    UnknownPoste(String),
}

/// Which surveyed profile to prefer (`--enquete`, `--dept`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SurveyChoice {
    pub enquete: Option<String>,
    pub dept: Option<crate::codes::DeptCode>,
}

/// The loaded data set.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub referential: Referential,
    pub postes: Vec<Poste>,
    pub surveys: Vec<Survey>,
    /// Estimated profile of each fiche, same order as `referential.fiches`.
    pub estimated: Vec<TransversalProfile>,
}

impl Catalog {
    /// Assembles the data set and estimates a transversal profile for every
    /// fiche (pure and fast: a few milliseconds for ROME v460).
    pub fn new(referential: Referential, postes: Vec<Poste>, surveys: Vec<Survey>) -> Catalog {
        let estimated = crate::transversal::estimate_all(&referential);
        Catalog { referential, postes, surveys, estimated }
    }

    /// Resolves a user's job name. An appellation with a registered poste
    /// resolves to that poste; otherwise to its whole fiche, titled by the
    /// appellation. The [`Job::resolution`] sentence says which.
    pub fn resolve(&self, r: &JobRef) -> Result<Job, ResolveError> {
        match r {
            JobRef::Rome(code) => {
                let fiche = self.referential.fiche(*code).ok_or(ResolveError::UnknownRome(*code))?;
                Ok(Job::from_fiche(fiche))
            }
            JobRef::Appellation(ogr) => {
                let app = self
                    .referential
                    .appellation(*ogr)
                    .ok_or(ResolveError::UnknownAppellation(ogr.get()))?;
                if let Some(poste) = self.postes.iter().find(|p| p.appellation == Some(*ogr)) {
                    let mut job = self.poste_job(poste);
                    job.resolution = format!(
                        "Appellation {} « {} » : profil de poste poste:{} utilisé",
                        ogr, app.long_label, poste.slug
                    );
                    return Ok(job);
                }
                let fiche = self
                    .referential
                    .fiche(app.rome)
                    .ok_or(ResolveError::UnknownRome(app.rome))?;
                let mut job = Job::from_fiche(fiche);
                job.title = app.long_label.clone();
                job.appellation = Some(*ogr);
                job.resolution = format!(
                    "Appellation {} « {} » : aucun profil de poste enregistré, fiche ROME {} entière utilisée",
                    ogr, app.long_label, fiche.code
                );
                Ok(job)
            }
            JobRef::Poste(slug) => {
                let poste = self
                    .postes
                    .iter()
                    .find(|p| &p.slug == slug)
                    .ok_or_else(|| ResolveError::UnknownPoste(slug.clone()))?;
                Ok(self.poste_job(poste))
            }
        }
    }

    fn poste_job(&self, poste: &Poste) -> Job {
        Job {
            id: format!("poste:{}", poste.slug),
            kind: JobKind::Poste { slug: poste.slug.clone() },
            title: poste.title.clone(),
            fiche: poste.base,
            appellation: poste.appellation,
            items: poste.items.clone(),
            resolution: format!(
                "Profil de poste poste:{} (sélection d'items de la fiche ROME {})",
                poste.slug, poste.base
            ),
        }
    }

    /// The estimated profile of a fiche.
    pub fn estimated_profile(&self, code: RomeCode) -> Option<&TransversalProfile> {
        self.referential.fiche_index(code).and_then(|i| self.estimated.get(i))
    }
}
