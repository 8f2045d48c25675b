//! The closed lists a page's URL may name, parsed once into enums: the
//! sort column and viability filter of the fiche page, the direction of a
//! search. Each `parse` error is the page's French one-line message.

use passerelle_core::engine::{Axis, RankRow, Tier};

use crate::error::{ApiError, ErrorCode};

/// A column of the fiche page's table, as `tri=` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Score,
    Axis(Axis),
}

impl SortKey {
    /// In the order of the table's columns.
    pub const ALL: [SortKey; 5] = [
        SortKey::Score,
        SortKey::Axis(Axis::Transversal),
        SortKey::Axis(Axis::Savoirs),
        SortKey::Axis(Axis::SavoirFaire),
        SortKey::Axis(Axis::Contextes),
    ];

    /// `tri=`: absent means by score.
    pub fn parse(s: Option<&str>) -> Result<SortKey, ApiError> {
        let Some(s) = s else {
            return Ok(SortKey::Score);
        };
        SortKey::ALL.into_iter().find(|k| k.name() == s).ok_or_else(|| {
            ApiError::bad(
                ErrorCode::ParametreInvalide,
                "tri",
                "paramètre tri : attendu score, transversal, savoirs, savoir_faire ou contextes",
            )
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            SortKey::Score => "score",
            SortKey::Axis(a) => a.name(),
        }
    }

    /// The column header.
    pub fn label(self) -> &'static str {
        match self {
            SortKey::Score => "Score",
            SortKey::Axis(a) => column_label(a),
        }
    }

    /// The row's value in this column.
    pub fn value(self, r: &RankRow) -> Option<f64> {
        match self {
            SortKey::Score => r.score,
            SortKey::Axis(a) => axis_value(r, a),
        }
    }
}

/// The short header of an axis column (the table is narrow).
pub fn column_label(a: Axis) -> &'static str {
    match a {
        Axis::Transversal => "Transversales",
        Axis::Savoirs => "Savoirs",
        Axis::SavoirFaire => "Savoir-faire",
        Axis::Contextes => "Contextes",
    }
}

pub fn axis_value(r: &RankRow, a: Axis) -> Option<f64> {
    match a {
        Axis::Transversal => r.transversal,
        Axis::Savoirs => r.savoirs,
        Axis::SavoirFaire => r.savoir_faire,
        Axis::Contextes => r.contextes,
    }
}

/// The viability tiers, in the order of the filter.
pub const TIERS: [Tier; 4] = Tier::ALL;

/// `viabilite=` and the CSS class of a tier: its short name.
pub fn tier_key(t: Tier) -> &'static str {
    passerelle_render::scoring::tier_key(t)
}

/// `viabilite=`: absent means every tier.
pub fn parse_tier(s: Option<&str>) -> Result<Option<Tier>, ApiError> {
    let Some(s) = s else { return Ok(None) };
    TIERS
        .into_iter()
        .find(|t| tier_key(*t) == s)
        .map(Some)
        .ok_or_else(|| {
            ApiError::bad(
                ErrorCode::ParametreInvalide,
                "viabilite",
                "paramètre viabilite : attendu courte, possible, exigeante ou longue",
            )
        })
}

/// What a search result links to first: the fiche page (sources of the
/// job) or the explore page (its targets).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sens {
    Sources,
    Cibles,
}

impl Sens {
    /// `sens=cibles`, anything else is sources (the default of the form).
    pub fn parse(s: Option<&str>) -> Sens {
        if s == Some("cibles") {
            Sens::Cibles
        } else {
            Sens::Sources
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Sens::Sources => "sources",
            Sens::Cibles => "cibles",
        }
    }

    /// The page a picked job opens.
    pub fn page(self) -> &'static str {
        match self {
            Sens::Sources => "fiches",
            Sens::Cibles => "explorer",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_choice_reads_back_its_own_name() {
        for k in SortKey::ALL {
            assert_eq!(SortKey::parse(Some(k.name())).unwrap(), k);
        }
        assert_eq!(SortKey::parse(None).unwrap(), SortKey::Score);
        assert_eq!(
            SortKey::parse(Some("prix"))
                .unwrap_err()
                .parametre
                .as_deref(),
            Some("tri")
        );
        for t in TIERS {
            assert_eq!(parse_tier(Some(tier_key(t))).unwrap(), Some(t));
        }
        assert_eq!(
            parse_tier(Some("lointaine"))
                .unwrap_err()
                .parametre
                .as_deref(),
            Some("viabilite")
        );
        assert_eq!(Sens::parse(Some("cibles")), Sens::Cibles);
        assert_eq!(Sens::parse(Some("autre")), Sens::Sources);
    }
}
