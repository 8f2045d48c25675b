//! Job-title profiles ("postes"): a named selection of a fiche's items.
//!
//! ROME links items to fiches, not to job titles, so a fiche such as J1303
//! mixes medical, dental, hearing-aid and radiology assistants. A poste keeps
//! only the items of the job a sheet is really about, and the engine uses it
//! in place of the whole fiche.

use serde::{Deserialize, Serialize};

use crate::codes::{OgrCode, RomeCode};
use crate::referential::ItemLink;

/// Who made a poste, when, and from what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PosteProvenance {
    pub author: String,
    pub date: String,
    /// What it was made from ("fiche passerelle AFPA, Hérault", "contenu du CQP", …).
    pub basis: String,
}

/// A job-title profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Poste {
    /// `assistant-medical` in `poste:assistant-medical`.
    pub slug: String,
    pub title: String,
    /// The fiche the poste narrows.
    pub base: RomeCode,
    /// The appellation the poste describes, if any.
    pub appellation: Option<OgrCode>,
    /// The retained items (from the base fiche, or declared extras).
    pub items: Vec<ItemLink>,
    /// Items retained that the base fiche does not have, declared as such.
    pub extra: Vec<OgrCode>,
    pub provenance: PosteProvenance,
    /// ROME version number the selection was made against.
    pub rome_version: u32,
    /// Identifier of the surveyed transversal profile attached, if any.
    pub survey: Option<String>,
    /// Free notes (e.g. seed items with no exact ROME match).
    pub notes: Vec<String>,
}
