//! The 14 transversal competencies (Ministère du Travail nomenclature used by
//! AFPA and the Titres Professionnels) and a job's profile on them.
//!
//! A profile gives, for each competency, a level of expertise (1–4, 0 when the
//! job does not use it) and an importance/frequency in stars (0–5). An
//! *estimated* profile may also say nothing about a competency (`None`, "non
//! estimée"): the fiche gave no evidence, which is not evidence of non-use —
//! only a survey, a measurement, says "non mobilisée". The types
//! make the invalid combinations unrepresentable: a [`ProfileEntry`] can only be
//! built through [`ProfileEntry::new`], which refuses stars without a level,
//! a level without stars, a level above 4 and stars above 5.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::codes::RomeCode;

/// The three categories of the nomenclature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Relationnelles,
    Organisationnelles,
    Cognitives,
}

impl Category {
    pub fn label_fr(self) -> &'static str {
        match self {
            Category::Relationnelles => "Compétences relationnelles",
            Category::Organisationnelles => "Compétences organisationnelles",
            Category::Cognitives => "Compétences cognitives",
        }
    }
}

/// One of the 14 transversal competencies, in the nomenclature's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Competency {
    Communiquer,
    ComportementOrienteAutre,
    TransmettreSavoirs,
    ReguleSituationInterpersonnelle,
    TravaillerCooperer,
    RechercherAccord,
    OrganiserActions,
    RespecterRegles,
    EvaluerActions,
    ResolutionProbleme,
    TraiterInformations,
    ApprendreContinu,
    EnvironnementsNumeriques,
    InnovationCreativite,
}

impl Competency {
    /// How many transversal competencies the nomenclature has (the axes of
    /// the radar, the entries of every profile).
    pub const COUNT: usize = 14;

    pub const ALL: [Competency; Self::COUNT] = [
        Self::Communiquer,
        Self::ComportementOrienteAutre,
        Self::TransmettreSavoirs,
        Self::ReguleSituationInterpersonnelle,
        Self::TravaillerCooperer,
        Self::RechercherAccord,
        Self::OrganiserActions,
        Self::RespecterRegles,
        Self::EvaluerActions,
        Self::ResolutionProbleme,
        Self::TraiterInformations,
        Self::ApprendreContinu,
        Self::EnvironnementsNumeriques,
        Self::InnovationCreativite,
    ];

    /// Position 0–13 in [`Competency::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    pub fn category(self) -> Category {
        use Competency::*;
        match self {
            Communiquer
            | ComportementOrienteAutre
            | TransmettreSavoirs
            | ReguleSituationInterpersonnelle
            | TravaillerCooperer
            | RechercherAccord => Category::Relationnelles,
            OrganiserActions | RespecterRegles | EvaluerActions => Category::Organisationnelles,
            ResolutionProbleme
            | TraiterInformations
            | ApprendreContinu
            | EnvironnementsNumeriques
            | InnovationCreativite => Category::Cognitives,
        }
    }

    /// The competency's name as the nomenclature writes it.
    pub fn label_fr(self) -> &'static str {
        use Competency::*;
        match self {
            Communiquer => "Communiquer",
            ComportementOrienteAutre => "Adopter un comportement orienté vers l'autre",
            TransmettreSavoirs => "Transmettre ses savoirs",
            ReguleSituationInterpersonnelle => "Réguler une situation interpersonnelle",
            TravaillerCooperer => "Travailler et coopérer au sein d'un collectif",
            RechercherAccord => "Rechercher un accord",
            OrganiserActions => "Organiser ses actions",
            RespecterRegles => "Respecter des règles et des procédures",
            EvaluerActions => "Évaluer ses actions",
            ResolutionProbleme => "Mettre en œuvre une démarche de résolution de problème",
            TraiterInformations => "Traiter des informations",
            ApprendreContinu => "Apprendre en continu",
            EnvironnementsNumeriques => "Mobiliser les environnements numériques",
            InnovationCreativite => "Faire preuve d'innovation et de créativité",
        }
    }
}

impl fmt::Display for Competency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label_fr())
    }
}

/// Why a level/stars pair is not a valid profile entry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProfileError {
    #[error("niveau {0} hors de l'échelle 0 à 4")]
    LevelOutOfRange(u8),
    #[error("{0} étoiles hors de l'échelle 0 à 5")]
    StarsOutOfRange(u8),
    #[error("{stars} étoiles avec un niveau 0 : une compétence utilisée a un niveau de 1 à 4")]
    StarsWithoutLevel { stars: u8 },
    #[error("niveau {level} avec 0 étoile : une compétence non utilisée a le niveau 0")]
    LevelWithoutStars { level: u8 },
}

/// Level (0–4) and stars (0–5) of one competency; 0/0 means "not used".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProfileEntry {
    level: u8,
    stars: u8,
}

impl ProfileEntry {
    pub const UNUSED: ProfileEntry = ProfileEntry { level: 0, stars: 0 };

    pub fn new(level: u8, stars: u8) -> Result<Self, ProfileError> {
        if level > 4 {
            return Err(ProfileError::LevelOutOfRange(level));
        }
        if stars > 5 {
            return Err(ProfileError::StarsOutOfRange(stars));
        }
        match (level, stars) {
            (0, s) if s > 0 => Err(ProfileError::StarsWithoutLevel { stars: s }),
            (l, 0) if l > 0 => Err(ProfileError::LevelWithoutStars { level: l }),
            _ => Ok(ProfileEntry { level, stars }),
        }
    }

    pub fn level(self) -> u8 {
        self.level
    }

    pub fn stars(self) -> u8 {
        self.stars
    }

    pub fn is_used(self) -> bool {
        self.stars > 0
    }
}

impl<'de> Deserialize<'de> for ProfileEntry {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Raw {
            level: u8,
            stars: u8,
        }
        let raw = Raw::deserialize(d)?;
        ProfileEntry::new(raw.level, raw.stars).map_err(serde::de::Error::custom)
    }
}

/// Where a profile comes from. Surveyed and estimated profiles are always
/// labelled as such wherever they are shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Provenance {
    /// Surveyed with employers ("enquête").
    Enquete {
        /// Identifier of the survey (`afpa-aveyron-assistant-medical`).
        id: String,
        /// Who made it ("AFPA Évolution 21, enquête Aveyron").
        source: String,
        /// When, as given (`2024` or `2024-05-01`).
        date: String,
        /// Territory surveyed (département code or name).
        territory: Option<String>,
        /// Population described ("débutant", …).
        population: Option<String>,
    },
    /// Estimated from the ROME referential by Passerelle.
    Estime {
        /// Method identifier, documented in docs/methode.md.
        method: String,
        /// ROME version the estimate was computed from ("60 (25M09)").
        rome_version: String,
    },
}

impl Provenance {
    pub fn is_surveyed(&self) -> bool {
        matches!(self, Provenance::Enquete { .. })
    }

    /// "enquête" or "estimé".
    pub fn kind_fr(&self) -> &'static str {
        match self {
            Provenance::Enquete { .. } => "enquête",
            Provenance::Estime { .. } => "estimé",
        }
    }
}

/// A job's profile on the 14 competencies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransversalProfile {
    /// Entries indexed by [`Competency::index`]. `None` is "non estimée":
    /// an estimate found no evidence either way, so the competency is left
    /// out of the comparison instead of being read as "non mobilisée".
    /// A survey measures every competency: its entries are all `Some`
    /// (level 0 = "non mobilisée").
    pub entries: [Option<ProfileEntry>; Competency::COUNT],
    pub provenance: Provenance,
    /// The fiche the profile describes.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub rome: Option<RomeCode>,
}

impl TransversalProfile {
    /// Level and stars of `c`, a competency not estimated reading as 0/0:
    /// right wherever only use matters (a competency without evidence
    /// carries no stars, so a target never asks for it). Whatever *says*
    /// something about the source's mastery reads [`Self::entry`] instead.
    pub fn get(&self, c: Competency) -> ProfileEntry {
        self.entries[c.index()].unwrap_or(ProfileEntry::UNUSED)
    }

    /// The entry of `c`, `None` when an estimate found no evidence ("non
    /// estimée").
    pub fn entry(&self, c: Competency) -> Option<ProfileEntry> {
        self.entries[c.index()]
    }

    /// "non estimée" or "non mobilisée" for a competency the profile gives
    /// no level; `None` for a used one.
    pub fn unused_label_fr(&self, c: Competency) -> Option<&'static str> {
        match self.entry(c) {
            None => Some("non estimée"),
            Some(e) if !e.is_used() => Some("non mobilisée"),
            Some(_) => None,
        }
    }

    /// Competencies the job uses (stars > 0), in decreasing stars, then
    /// nomenclature order — the order of seed 000's "détail" pages.
    pub fn used_by_importance(&self) -> Vec<Competency> {
        let mut used: Vec<_> = Competency::ALL
            .into_iter()
            .filter(|c| self.get(*c).is_used())
            .collect();
        used.sort_by_key(|c| (std::cmp::Reverse(self.get(*c).stars()), c.index()));
        used
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_entries_are_rejected() {
        assert!(ProfileEntry::new(5, 1).is_err());
        assert!(ProfileEntry::new(1, 6).is_err());
        assert!(ProfileEntry::new(0, 3).is_err());
        assert!(ProfileEntry::new(2, 0).is_err());
        assert!(ProfileEntry::new(0, 0).is_ok());
        assert!(ProfileEntry::new(4, 5).is_ok());
        let bad: Result<ProfileEntry, _> = serde_json::from_str(r#"{"level":0,"stars":2}"#);
        assert!(bad.is_err());
    }

    #[test]
    fn nomenclature_has_three_categories_in_order() {
        assert_eq!(Competency::ALL.len(), Competency::COUNT);
        assert_eq!(
            Competency::RechercherAccord.category(),
            Category::Relationnelles
        );
        assert_eq!(
            Competency::EvaluerActions.category(),
            Category::Organisationnelles
        );
        assert_eq!(
            Competency::InnovationCreativite.category(),
            Category::Cognitives
        );
        for (i, c) in Competency::ALL.iter().enumerate() {
            assert_eq!(c.index(), i);
        }
    }
}

/// What a surveyed profile describes: a whole fiche or one appellation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", content = "code", rename_all = "snake_case")]
pub enum SurveyTarget {
    Rome(RomeCode),
    Appellation(crate::codes::OgrCode),
}

/// A surveyed ("enquête") profile and the job it describes. Its provenance
/// is always [`Provenance::Enquete`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Survey {
    pub target: SurveyTarget,
    pub profile: TransversalProfile,
}

mod estimate;
mod nomenclature;
mod select;

pub use estimate::{
    ESTIMATE_METHOD, estimate, estimate_all, estimate_all_with_levels, evidence_map,
};
pub use nomenclature::{NameMatch, match_competency};
