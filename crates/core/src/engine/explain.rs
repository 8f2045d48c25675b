//! The explanation contract (methods.md M13): every percentage comes with
//! its formula id, weights, numerator, denominator, matched items (with
//! match strength) and missing items.

use serde::Serialize;

use super::axis::Axis;
use crate::codes::OgrCode;
use crate::transversal::Competency;

/// Formula identifiers, documented in docs/methode.md.
pub mod formula {
    /// |T ∩ S| / |T| over the target's savoirs (certifications excluded).
    pub const SAVOIRS_EXACT: &str = "savoirs.couverture_exacte.v1";
    /// Σ idf·m / Σ idf over the target's savoirs, m = 1 exact, near credit otherwise.
    pub const SAVOIRS_RANKING: &str = "savoirs.couverture_idf_proche.v1";
    pub const SAVOIR_FAIRE_EXACT: &str = "savoir_faire.couverture_exacte.v1";
    pub const SAVOIR_FAIRE_RANKING: &str = "savoir_faire.couverture_idf_proche.v1";
    pub const CONTEXTES_EXACT: &str = "contextes.couverture_exacte.v1";
    pub const CONTEXTES_RANKING: &str = "contextes.couverture_idf.v1";
    /// Σ stars_T · (1 − min(deficit, 3)/3) / Σ stars_T.
    pub const TRANSVERSAL: &str = "transversal.etoiles_deficit.v1";
}

/// An item named by its OGR code and label.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemBrief {
    #[cfg_attr(feature = "openapi", schema(value_type = u32))]
    pub ogr: OgrCode,
    pub label: String,
}

/// A target item the source covers, fully (strength 1) or partly.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Matched {
    /// The item (savoirs, savoir-faire, contextes)…
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<u32>))]
    pub ogr: Option<OgrCode>,
    /// …or the transversal competency.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub competency: Option<Competency>,
    pub label: String,
    /// m ∈ (0, 1]: 1 for an exact match, the near credit otherwise.
    pub strength: f64,
    /// The item's weight in the formula (1, IDF or stars).
    pub weight: f64,
    /// The source item that gives partial credit ("proche de …").
    pub near_to: Option<ItemBrief>,
}

/// Why a percentage has the value it has.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Explanation {
    pub axis: Axis,
    pub formula: &'static str,
    /// Weighting scheme: `uniforme` (each item 1), `idf` (ln(1 + N/df)) or
    /// `etoiles_cible` (the target's stars).
    pub weights: &'static str,
    pub score: Option<f64>,
    pub numerator: f64,
    pub denominator: f64,
    pub matched: Vec<Matched>,
    pub missing: Vec<Missing>,
}

/// A target item (or competency) the source does not cover at all.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Missing {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<u32>))]
    pub ogr: Option<OgrCode>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub competency: Option<Competency>,
    pub label: String,
    pub weight: f64,
}
