//! The pure core of Passerelle: the ROME 4.0 domain model, the 14 transversal
//! competencies, job-title profiles ("postes") and the passerelle engine.
//!
//! Nothing in this crate does I/O: importers build a [`Referential`], stores
//! persist it, renderers and servers present what the engine computes. Keeping
//! the core pure is what lets the same scores feed the CLI, the web pages, the
//! JSON API and the printed sheets without any of them disagreeing.

pub mod catalog;
pub mod codes;
pub mod engine;
pub mod job;
pub mod poste;
pub mod qualification;
pub mod referential;
pub mod territory;
pub mod text;
pub mod transversal;

pub use catalog::{Catalog, ResolveError, SurveyChoice};
pub use codes::{CodeError, DeptCode, OgrCode, RomeCode};
pub use job::{Job, JobKind, JobRef, JobRefError, JobSummary};
pub use poste::{Poste, PosteError, PosteIssue, PosteProvenance};
pub use qualification::{AccessLevel, Level, LevelSource};
pub use referential::{
    Appellation, CategoryLink, Classification, CoeurMetier, Competence, CompetenceBranch,
    CompetenceCategory, CompetenceNature, CompetenceSubcategory, Contexte, Domaine, Fiche,
    FicheTags, GrandDomaine, ItemKind, ItemLink, ItemRef, Labelled, Referential, ReferentialData,
    Riasec, RiasecLetter, RomeVersion, Savoir, SavoirCategory,
};
