//! What a user names when they ask about a job, and what the engine compares.
//!
//! Users name a job by ROME code (`J1303`), appellation OGR code (`200145`)
//! or job-title profile (`poste:assistant-medical`); see
//! `../shared/guides/conventions.md` and docs/decisions.md (« Identifiants de
//! métier »). [`JobRef`] is that name, validated; [`Job`] is the resolved bag
//! of items the engine works on, with a French note saying how the name was
//! resolved so every output can say it.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::codes::{OgrCode, RomeCode};
use crate::referential::{Fiche, ItemLink};

/// A job as named by a user.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", content = "code", rename_all = "snake_case")]
pub enum JobRef {
    Rome(RomeCode),
    Appellation(OgrCode),
    Poste(String),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "métier inconnu « {0} » : attendu un code ROME (J1303), un code OGR d'appellation (200145) ou un profil de poste (poste:assistant-medical)"
)]
pub struct JobRefError(pub String);

impl FromStr for JobRef {
    type Err = JobRefError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        if let Some(slug) = t.strip_prefix("poste:") {
            let ok = !slug.is_empty()
                && slug.len() <= 80
                && slug
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            return if ok {
                Ok(JobRef::Poste(slug.to_string()))
            } else {
                Err(JobRefError(s.into()))
            };
        }
        if let Ok(code) = RomeCode::parse(t) {
            return Ok(JobRef::Rome(code));
        }
        if !t.is_empty()
            && t.len() <= 9
            && t.bytes().all(|b| b.is_ascii_digit())
            && let Ok(ogr) = OgrCode::parse(t)
        {
            return Ok(JobRef::Appellation(ogr));
        }
        Err(JobRefError(s.into()))
    }
}

impl fmt::Display for JobRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JobRef::Rome(c) => write!(f, "{c}"),
            JobRef::Appellation(o) => write!(f, "{o}"),
            JobRef::Poste(s) => write!(f, "poste:{s}"),
        }
    }
}

/// Whether a resolved job is a whole fiche or a job-title profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum JobKind {
    Fiche,
    Poste { slug: String },
}

/// A job resolved to the items the engine compares.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Job {
    /// Stable identifier: the ROME code or `poste:<slug>`.
    pub id: String,
    pub kind: JobKind,
    /// Title to show (the appellation's or poste's when one was asked for).
    pub title: String,
    /// The fiche the job belongs to.
    pub fiche: RomeCode,
    pub appellation: Option<OgrCode>,
    /// The items compared: the fiche's, or the poste's selection.
    pub items: Vec<ItemLink>,
    /// How the user's name was resolved, in French ("Fiche ROME J1303 entière", …).
    pub resolution: String,
}

/// A job as every output names it, without its items (`show` gives those):
/// the one "job summary" of the JSON contract (docs/json.md), used by the
/// CLI (`sources`, `targets`, `gap`, `profil`), the API and the documents.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JobSummary {
    /// ROME code or `poste:<slug>`.
    pub id: String,
    /// The fiche (ROME code) the job belongs to.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub code: RomeCode,
    /// The appellation asked for, when the job was named by one.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<u32>))]
    pub appellation: Option<OgrCode>,
    pub title: String,
    /// True for a job-title profile (`poste:<slug>`).
    pub poste: bool,
    /// How the user's name was resolved, in French.
    pub resolution: String,
}

impl From<&Job> for JobSummary {
    fn from(job: &Job) -> Self {
        JobSummary {
            id: job.id.clone(),
            code: job.fiche,
            appellation: job.appellation,
            title: job.title.clone(),
            poste: job.is_poste(),
            resolution: job.resolution.clone(),
        }
    }
}

impl Job {
    /// What outputs show of this job ([`JobSummary`]).
    pub fn summary(&self) -> JobSummary {
        JobSummary::from(self)
    }

    /// The whole fiche.
    pub fn from_fiche(fiche: &Fiche) -> Job {
        Job {
            id: fiche.code.to_string(),
            kind: JobKind::Fiche,
            title: fiche.title.clone(),
            fiche: fiche.code,
            appellation: None,
            items: fiche.items.clone(),
            resolution: format!("Fiche ROME {} entière", fiche.code),
        }
    }

    pub fn is_poste(&self) -> bool {
        matches!(self.kind, JobKind::Poste { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn job_ref_parses_the_three_forms() {
        assert_eq!(
            "j1303".parse::<JobRef>().unwrap(),
            JobRef::Rome(RomeCode::parse("J1303").unwrap())
        );
        assert_eq!(
            "200145".parse::<JobRef>().unwrap(),
            JobRef::Appellation(OgrCode::new(200145))
        );
        assert_eq!(
            "poste:assistant-medical".parse::<JobRef>().unwrap(),
            JobRef::Poste("assistant-medical".into())
        );
        for bad in [
            "",
            "poste:",
            "poste:Bad Slug",
            "J13",
            "<script>",
            "12345678901",
        ] {
            assert!(bad.parse::<JobRef>().is_err(), "{bad}");
        }
    }
}
