//! The CQP Assistant médical: its four blocs with their hours, and which
//! blocs a source profile may be exempted from.
//!
//! The data is the hand-written, reviewable file
//! `data/territoire/cqp_assistant_medical.toml` (every rule cites its seed
//! document), compiled into the binary so that a fiche can always say it.

use crate::codes::{OgrCode, RomeCode};
use serde::{Deserialize, Serialize};

/// The shipped data file.
pub const CQP_ASSISTANT_MEDICAL_TOML: &str =
    include_str!("../../../../data/territoire/cqp_assistant_medical.toml");

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CqpInfo {
    pub intitule: String,
    pub rncp: Vec<String>,
    pub rncp_note: String,
    pub niveau: u8,
    pub certificateur: String,
    pub code_rome: String,
    pub heures_evaluation: u32,
    pub validation: String,
    pub vae: String,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CqpBloc {
    pub numero: u8,
    pub intitule: String,
    pub heures: u32,
    pub contenus: Vec<String>,
    /// The savoirs and savoir-faire of the target fiche that the bloc
    /// prepares, chosen by reading its programme (a reviewed list, not a
    /// text match: wordings of programmes and of the ROME rarely share the
    /// words that matter). Empty when nobody has written it.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<u32>))]
    pub items_rome: Vec<OgrCode>,
}

/// The missing items of one pair that one bloc prepares.
#[derive(Debug, Clone, PartialEq)]
pub struct BlocCoverage<'a, T> {
    pub bloc: &'a CqpBloc,
    /// In the order of the missing items given.
    pub covered: Vec<&'a T>,
}

/// An access rule for one kind of source profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccessRule {
    pub id: String,
    pub libelle: String,
    /// ROME 4.0 fiches of the profile; empty for the general rule.
    pub romes: Vec<String>,
    pub acces: String,
    /// Blocs the profile may be exempted from.
    pub dispenses: Vec<u8>,
    /// Blocs whose course may be shortened (after a positioning test).
    pub allegements: Vec<u8>,
    pub conditions: String,
    pub sources: Vec<String>,
}

/// The whole certification as described by the data file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Cqp {
    pub certification: CqpInfo,
    pub blocs: Vec<CqpBloc>,
    pub profils: Vec<AccessRule>,
}

/// What a given source profile may expect, ready to render.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileAccess {
    pub certification: String,
    pub profil: AccessRule,
    /// How the profile was matched: `rome`, `code_parent` or `general`.
    pub matched_by: String,
    pub blocs_dispenses: Vec<CqpBloc>,
    pub blocs_alleges: Vec<CqpBloc>,
    pub blocs_a_suivre: Vec<CqpBloc>,
    /// Hours of the blocs left to follow (before any allègement), evaluation excluded.
    pub heures_blocs_a_suivre: u32,
    pub heures_evaluation: u32,
}

impl Cqp {
    /// Parses a data file in the format of `cqp_assistant_medical.toml`, and
    /// checks that every rule names existing blocs.
    pub fn parse(toml_text: &str) -> Result<Self, String> {
        let cqp: Cqp = toml::from_str(toml_text).map_err(|e| e.to_string())?;
        for p in &cqp.profils {
            for n in p.dispenses.iter().chain(&p.allegements) {
                if !cqp.blocs.iter().any(|b| b.numero == *n) {
                    return Err(format!("profil « {} » : bloc {n} inconnu", p.id));
                }
            }
            for r in &p.romes {
                RomeCode::parse(r).map_err(|e| format!("profil « {} » : {e}", p.id))?;
            }
        }
        if !cqp.profils.iter().any(|p| p.romes.is_empty()) {
            return Err("aucune règle générale (profil sans code ROME)".into());
        }
        Ok(cqp)
    }

    /// The shipped CQP Assistant médical.
    pub fn assistant_medical() -> Self {
        Self::parse(CQP_ASSISTANT_MEDICAL_TOML)
            .expect("data/territoire/cqp_assistant_medical.toml is valid")
    }

    /// For each bloc, which of a pair's missing items (`missing`, each with
    /// its OGR code) it prepares; the items that no bloc prepares come last.
    pub fn coverage<'a, T>(
        &'a self,
        missing: &'a [T],
        ogr: impl Fn(&T) -> OgrCode,
    ) -> (Vec<BlocCoverage<'a, T>>, Vec<&'a T>) {
        let blocs = self
            .blocs
            .iter()
            .map(|bloc| BlocCoverage {
                bloc,
                covered: missing
                    .iter()
                    .filter(|m| bloc.items_rome.contains(&ogr(m)))
                    .collect(),
            })
            .collect();
        let outside = missing
            .iter()
            .filter(|m| !self.blocs.iter().any(|b| b.items_rome.contains(&ogr(m))))
            .collect();
        (blocs, outside)
    }

    /// Total hours: blocs plus evaluation (279 h for the assistant médical).
    pub fn total_hours(&self) -> u32 {
        self.blocs.iter().map(|b| b.heures).sum::<u32>() + self.certification.heures_evaluation
    }

    /// The rule for a source fiche: by its code, else by its ROME v3 parent
    /// code (pass it when known), else the general rule.
    pub fn access_for(&self, source: RomeCode, parent: Option<RomeCode>) -> ProfileAccess {
        let by = |code: RomeCode| {
            self.profils
                .iter()
                .find(|p| p.romes.iter().any(|r| r == code.as_str()))
        };
        let (rule, matched_by) = match (by(source), parent.filter(|p| *p != source).and_then(by)) {
            (Some(r), _) => (r, "rome"),
            (None, Some(r)) => (r, "code_parent"),
            (None, None) => (
                self.profils
                    .iter()
                    .find(|p| p.romes.is_empty())
                    .expect("checked by parse"),
                "general",
            ),
        };
        let pick = |nums: &[u8]| {
            self.blocs
                .iter()
                .filter(|b| nums.contains(&b.numero))
                .cloned()
                .collect::<Vec<_>>()
        };
        let a_suivre: Vec<CqpBloc> = self
            .blocs
            .iter()
            .filter(|b| !rule.dispenses.contains(&b.numero))
            .cloned()
            .collect();
        ProfileAccess {
            certification: self.certification.intitule.clone(),
            profil: rule.clone(),
            matched_by: matched_by.into(),
            blocs_dispenses: pick(&rule.dispenses),
            blocs_alleges: pick(&rule.allegements),
            heures_blocs_a_suivre: a_suivre.iter().map(|b| b.heures).sum(),
            blocs_a_suivre: a_suivre,
            heures_evaluation: self.certification.heures_evaluation,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rome(s: &str) -> RomeCode {
        RomeCode::parse(s).unwrap()
    }

    #[test]
    fn four_blocs_with_seed_hours() {
        let cqp = Cqp::assistant_medical();
        let hours: Vec<u32> = cqp.blocs.iter().map(|b| b.heures).collect();
        assert_eq!(hours, [77, 98, 35, 56]);
        assert_eq!(cqp.certification.heures_evaluation, 13);
        assert_eq!(cqp.total_hours(), 279);
    }

    #[test]
    fn soignants_keep_only_bloc_2() {
        let cqp = Cqp::assistant_medical();
        for code in ["J1506", "J1501", "J1304"] {
            let a = cqp.access_for(rome(code), None);
            assert_eq!(a.matched_by, "rome");
            let kept: Vec<u8> = a.blocs_a_suivre.iter().map(|b| b.numero).collect();
            assert_eq!(kept, [2], "{code}");
            assert_eq!(a.heures_blocs_a_suivre, 98);
        }
    }

    #[test]
    fn secretaire_medicale_gets_an_allegement_of_bloc_2_not_a_dispense() {
        let a = Cqp::assistant_medical().access_for(rome("M1609"), None);
        assert!(a.blocs_dispenses.is_empty());
        assert_eq!(
            a.blocs_alleges.iter().map(|b| b.numero).collect::<Vec<_>>(),
            [2]
        );
        assert_eq!(a.heures_blocs_a_suivre, 266);
    }

    #[test]
    fn coverage_lists_what_each_bloc_prepares_and_what_none_does() {
        let cqp = Cqp::assistant_medical();
        // Terminologie médicale (bloc 2), règles d'hygiène (bloc 3),
        // orthodontie (a dental post: no bloc).
        let missing = [107361u32, 100414, 107261];
        let (blocs, outside) = cqp.coverage(&missing, |n| OgrCode::new(*n));
        let by_bloc: Vec<(u8, Vec<u32>)> = blocs
            .iter()
            .map(|c| (c.bloc.numero, c.covered.iter().map(|n| **n).collect()))
            .collect();
        assert_eq!(
            by_bloc,
            [
                (1, vec![]),
                (2, vec![107361]),
                (3, vec![100414]),
                (4, vec![])
            ]
        );
        assert_eq!(outside, [&107261]);
    }

    #[test]
    fn every_bloc_names_the_items_it_prepares() {
        for b in Cqp::assistant_medical().blocs {
            assert!(!b.items_rome.is_empty(), "bloc {}", b.numero);
        }
    }

    #[test]
    fn parent_code_then_general_rule() {
        let cqp = Cqp::assistant_medical();
        // M1617 descends from M1609 in the ROME.
        assert_eq!(
            cqp.access_for(rome("M1617"), Some(rome("M1609")))
                .matched_by,
            "code_parent"
        );
        let g = cqp.access_for(rome("D1211"), Some(rome("D1211")));
        assert_eq!(
            (g.matched_by.as_str(), g.profil.id.as_str()),
            ("general", "niveau-4")
        );
        assert!(g.blocs_dispenses.is_empty());
    }

    #[test]
    fn a_rule_naming_an_unknown_bloc_is_refused() {
        let bad =
            CQP_ASSISTANT_MEDICAL_TOML.replace("dispenses = [1, 3, 4]", "dispenses = [1, 3, 9]");
        assert!(Cqp::parse(&bad).unwrap_err().contains("bloc 9 inconnu"));
    }
}
