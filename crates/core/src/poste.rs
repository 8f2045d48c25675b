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

/// Why a poste is not valid against the referential.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PosteError {
    #[error("slug « {0} » invalide : lettres minuscules sans accent, chiffres et tirets (80 au plus)")]
    Slug(String),
    #[error("fiche de base inconnue : {0} n'est pas une fiche du référentiel")]
    UnknownBase(RomeCode),
    #[error("appellation {0} inconnue")]
    UnknownAppellation(OgrCode),
    #[error("appellation {appellation} : elle appartient à la fiche {actual}, pas à {base}")]
    AppellationElsewhere { appellation: OgrCode, base: RomeCode, actual: RomeCode },
    #[error("item {0} : code OGR inconnu du référentiel")]
    UnknownItem(OgrCode),
    #[error("item {ogr} « {label} » : absent de la fiche {base} ; déclarez-le en « extra » s'il est voulu")]
    NotInBase { ogr: OgrCode, label: String, base: RomeCode },
    #[error("item {0} : présent deux fois")]
    Duplicate(OgrCode),
    #[error("sélection vide : un profil de poste retient au moins un item")]
    Empty,
}

/// Whether a slug is valid for `poste:<slug>`.
pub fn valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 80
        && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A problem found when a poste made against an older ROME version meets
/// the current referential.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PosteIssue {
    pub slug: String,
    pub ogr: OgrCode,
    pub old_label: String,
    /// `None` when the item disappeared.
    pub new_label: Option<String>,
    /// What to do, in French.
    pub advice: String,
}

impl Poste {
    /// Builds the item links of a selection from a fiche: each retained OGR
    /// code must be an item of the base fiche, or listed in `extra` and
    /// known to the referential. The links keep the fiche's `coeur_metier`.
    pub fn select_items(
        referential: &crate::Referential,
        base: RomeCode,
        retained: &[OgrCode],
        extra: &[OgrCode],
    ) -> Result<Vec<ItemLink>, PosteError> {
        use crate::referential::{ItemKind, ItemRef, CompetenceCategory, CoeurMetier};
        let fiche = referential.fiche(base).ok_or(PosteError::UnknownBase(base))?;
        if retained.is_empty() {
            return Err(PosteError::Empty);
        }
        let mut seen = std::collections::HashSet::new();
        let mut items = Vec::with_capacity(retained.len());
        for &ogr in retained {
            if !seen.insert(ogr) {
                return Err(PosteError::Duplicate(ogr));
            }
            if let Some(link) = fiche.items.iter().find(|l| l.ogr == ogr) {
                items.push(*link);
                continue;
            }
            let item = referential.item(ogr).ok_or(PosteError::UnknownItem(ogr))?;
            if !extra.contains(&ogr) {
                return Err(PosteError::NotInBase { ogr, label: item.label().to_string(), base });
            }
            let kind = match item {
                ItemRef::Competence(c) if c.category == CompetenceCategory::SavoirEtre => ItemKind::SavoirEtre,
                ItemRef::Competence(_) => ItemKind::SavoirFaire,
                ItemRef::Savoir(_) => ItemKind::Savoir,
                ItemRef::Contexte(_) => ItemKind::Contexte,
            };
            items.push(ItemLink { ogr, kind, coeur: CoeurMetier::Non });
        }
        Ok(items)
    }

    /// Checks the poste against the referential (slug, base, appellation, items).
    pub fn validate(&self, referential: &crate::Referential) -> Result<(), PosteError> {
        if !valid_slug(&self.slug) {
            return Err(PosteError::Slug(self.slug.clone()));
        }
        if let Some(app) = self.appellation {
            let a = referential.appellation(app).ok_or(PosteError::UnknownAppellation(app))?;
            if a.rome != self.base {
                return Err(PosteError::AppellationElsewhere { appellation: app, base: self.base, actual: a.rome });
            }
        }
        let retained: Vec<OgrCode> = self.items.iter().map(|l| l.ogr).collect();
        Self::select_items(referential, self.base, &retained, &self.extra).map(|_| ())
    }

    /// Compares the labels recorded when the poste was made with the
    /// current referential: disappeared or relabelled items are reported,
    /// never silently dropped.
    pub fn check_labels(&self, referential: &crate::Referential, recorded: &[(OgrCode, String)]) -> Vec<PosteIssue> {
        let mut issues = Vec::new();
        for (ogr, old) in recorded {
            match referential.item(*ogr) {
                None => issues.push(PosteIssue {
                    slug: self.slug.clone(),
                    ogr: *ogr,
                    old_label: old.clone(),
                    new_label: None,
                    advice: "l'item n'existe plus dans cette version du ROME : choisissez son remplaçant dans la fiche, puis réimportez le profil".into(),
                }),
                Some(item) if item.label() != old => issues.push(PosteIssue {
                    slug: self.slug.clone(),
                    ogr: *ogr,
                    old_label: old.clone(),
                    new_label: Some(item.label().to_string()),
                    advice: "libellé modifié : vérifiez que l'item correspond toujours au poste, puis réexportez le profil".into(),
                }),
                Some(_) => {}
            }
        }
        issues
    }
}
