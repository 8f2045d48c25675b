//! The pure core of Passerelle: the ROME 4.0 domain model, the 14 transversal
//! competencies, job-title profiles ("postes") and the passerelle engine.
//!
//! Nothing in this crate does I/O: importers build a [`Referential`], stores
//! persist it, renderers and servers present what the engine computes. Keeping
//! the core pure is what lets the same scores feed the CLI, the web pages, the
//! JSON API and the printed sheets without any of them disagreeing.

pub mod catalog;
pub mod engine;
pub mod codes;
pub mod job;
pub mod poste;
pub mod qualification;
pub mod referential;
pub mod territory;
pub mod text;
pub mod transversal;

pub use job::{Job, JobKind, JobRef, JobRefError, JobSummary};
pub use catalog::{Catalog, ResolveError, SurveyChoice};
pub use poste::{Poste, PosteError, PosteIssue, PosteProvenance};
pub use qualification::{AccessLevel, Level, LevelSource};
pub use codes::{CodeError, DeptCode, OgrCode, RomeCode};
pub use referential::{
    Appellation, CoeurMetier, Competence, CompetenceNature, CompetenceCategory,
    CompetenceSubcategory, Contexte, Domaine, Fiche, FicheTags, GrandDomaine, ItemKind, ItemLink,
    Referential, ReferentialData, Riasec, RiasecLetter, RomeVersion, Savoir, SavoirCategory, Labelled, ItemRef, CategoryLink, Classification, CompetenceBranch,
};
