//! Usual access level of a fiche in the French nomenclature of diplomas
//! (niveaux 3 to 8, décret du 8 janvier 2019), estimated from the ROME texts.
//!
//! The ROME has no level field, but its "Accès au métier" sentences name the
//! diplomas almost everywhere ("accessible avec un CAP…", "Bac+2 à Bac+5").
//! The level kept is the **entry** level: the lowest level the texts name
//! (the low end of a range, the diploma a job open "sans diplôme" still
//! names). When the texts name none, the certifications the fiche lists
//! speak; then the `emploi_cadre` flag. Every level carries the sentence or
//! label it came from, so a counsellor can check it.
//!
//! The diploma table ([`DIPLOMAS`]) is reviewed by hand: docs/methode.md
//! lists it with the rules.

use std::sync::OnceLock;

use regex::Regex;
use serde::Serialize;

use crate::referential::{Fiche, Referential, SavoirCategory};
use crate::text::fold;

/// A level of the nomenclature: 3 (CAP) to 8 (doctorat).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Level(u8);

impl Level {
    pub const MIN: Level = Level(3);
    pub const MAX: Level = Level(8);

    /// `None` outside 3–8.
    pub fn new(n: u8) -> Option<Level> {
        (3..=8).contains(&n).then_some(Level(n))
    }

    pub fn get(self) -> u8 {
        self.0
    }

    /// The usual name of the level, as counsellors say it.
    pub fn label_fr(self) -> &'static str {
        match self.0 {
            3 => "CAP, BEP",
            4 => "bac",
            5 => "bac+2",
            6 => "bac+3, licence",
            7 => "bac+5, master",
            _ => "doctorat",
        }
    }

    /// "4 (bac)".
    pub fn display_fr(self) -> String {
        format!("{} ({})", self.0, self.label_fr())
    }
}

/// Where an access level comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LevelSource {
    /// A sentence of the fiche's "Accès au métier" text.
    Texte { sentence: String, matched: String },
    /// A certification the fiche lists (no diploma in the texts).
    Certification { label: String, matched: String },
    /// The fiche is an `emploi cadre` and nothing else names a level.
    EmploiCadre,
    /// Nothing says.
    NonDetermine { reason: String },
}

/// The estimated usual access level of a fiche, with its provenance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccessLevel {
    pub level: Option<Level>,
    pub source: LevelSource,
    /// For an `emploi_reglemente` fiche, the diploma the texts say is
    /// required ("obligatoire", "exigé"), when they name one.
    pub required_diploma: Option<String>,
}

impl AccessLevel {
    /// "niveau d'accès habituel : 4 (bac)" / "non déterminé".
    pub fn display_fr(&self) -> String {
        match self.level {
            Some(l) => l.display_fr(),
            None => "non déterminé".to_string(),
        }
    }

    /// One French line saying where the level comes from.
    pub fn provenance_fr(&self) -> String {
        match &self.source {
            LevelSource::Texte { sentence, .. } => format!("d'après « {sentence} »"),
            LevelSource::Certification { label, .. } => {
                format!("d'après la certification « {label} »")
            }
            LevelSource::EmploiCadre => "emploi cadre, aucun diplôme cité".to_string(),
            LevelSource::NonDetermine { reason } => reason.clone(),
        }
    }
}

/// How a pattern gives its level.
#[derive(Clone, Copy)]
enum Rule {
    /// A fixed level.
    Fixed(u8),
    /// `bac+N` (the captured digit).
    BacPlus,
    /// `niveau V` … `niveau I` (old nomenclature, captured numeral).
    OldRoman,
    /// `niveau 3` … `niveau 8` (captured digit).
    Numbered,
}

/// The reviewed table: folded patterns (accents removed, lower case) and
/// the level they give. Order does not matter: the lowest match wins.
pub const DIPLOMAS: &[(&str, u8, &str)] = &[
    (
        r"\b(doctorat|docteur)\b",
        8,
        "doctorat, diplôme d'État de docteur",
    ),
    (
        r"\b(master|mastere|diplome d'ingenieur|ecole d'ingenieurs?|titre d'ingenieur|ingenieur diplome|dscg|agregation|capes)\b",
        7,
        "master, diplôme d'ingénieur, DSCG, CAPES",
    ),
    (
        r"\bdiplome d'etat (de |d')(masseur|sage|orthophon|psychomotric|infirmier de bloc|infirmier anesth|puericult)",
        7,
        "diplômes d'État de santé de grade master",
    ),
    (
        r"\b(licence|licence professionnelle|licence pro|but|bachelor|dcg|dnmade)\b",
        6,
        "licence, BUT, bachelor, DCG",
    ),
    (
        r"\bdiplome d'etat (de |d')(infirmier|educateur specialise|educateur de jeunes|assistant de service social|ergotherap|manipulateur|conseiller en economie|pedicure|dieteticien|audioprothesiste|orthoptiste)",
        6,
        "diplômes d'État de grade licence",
    ),
    (
        r"\b(bts|btsa|dut|deust|dma|brevet de technicien superieur|diplome universitaire de technologie|brevet de maitrise|bm)\b",
        5,
        "BTS, DUT, DEUST, brevet de maîtrise",
    ),
    (
        r"\bdiplome d'etat (de |d')(technicien de laboratoire|preparateur)",
        5,
        "diplômes d'État de niveau 5",
    ),
    (
        r"\bdiplome d'etat (de |d')(aide[- ]soignant|auxiliaire de puericulture|moniteur[- ]educateur|ambulancier|technicien de l'intervention sociale)",
        4,
        "diplômes d'État de niveau 4",
    ),
    (r"\b(deas|deap)\b", 4, "DEAS, DEAP"),
    (r"\bdei\b", 6, "DEI"),
    (
        r"\b(bac|baccalaureat|bac pro|bac professionnel|bp|brevet professionnel|bt|bta|btm|brevet de technicien|brevet technique des metiers)\b",
        4,
        "bac, brevet professionnel, brevet de technicien",
    ),
    (
        r"\bdiplome d'etat (de |d')accompagnant educatif",
        3,
        "DEAES",
    ),
    (
        r"\b(cap|capa|bep|bepa|bpa|cqp|mention complementaire|cfg)\b",
        3,
        "CAP, BEP, CQP, mention complémentaire",
    ),
    (
        r"\b(sans diplome|sans qualification|sans formation|sans condition de diplome|aucun diplome|avec ou sans (diplome|qualification))",
        3,
        "accessible sans diplôme : niveau 3 ou infra",
    ),
];

/// Patterns computed from the text itself.
const COMPUTED: &[(&str, Rule)] = &[
    (r"\bbac\s*\+\s*([2-9])", Rule::BacPlus),
    (r"\bniveau (v|iv|iii|ii|i)\b", Rule::OldRoman),
    (r"\bniveau ([3-8])\b", Rule::Numbered),
];

/// Habilitations that name no diploma: a job they alone open is at the floor.
const HABILITATION: &str = r"\b(caces|certificat d'aptitude a la conduite|habilitation|permis)";

struct Patterns {
    rules: Vec<(Regex, Rule)>,
    habilitation: Regex,
    required: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        let compile = |p: &str| Regex::new(p).expect("valid diploma pattern");
        let mut rules: Vec<(Regex, Rule)> = DIPLOMAS
            .iter()
            .map(|&(p, l, _)| (compile(p), Rule::Fixed(l)))
            .collect();
        rules.extend(COMPUTED.iter().map(|&(p, r)| (compile(p), r)));
        Patterns {
            rules,
            habilitation: compile(HABILITATION),
            required: compile(r"\b(obligatoire|exige|requis|necessaire pour exercer|reglementee)"),
        }
    })
}

/// The lowest level named in a folded sentence, with the words that named it.
/// `bac` followed by `+N` is a bac+N, never a bac.
fn lowest_in(folded: &str) -> Option<(Level, String)> {
    let mut best: Option<(Level, String)> = None;
    for (re, rule) in &patterns().rules {
        for caps in re.captures_iter(folded) {
            let m = caps.get(0).expect("whole match");
            let level = match rule {
                Rule::Fixed(l) => {
                    if *l == 4 && folded[m.end()..].trim_start().starts_with('+') {
                        continue;
                    }
                    if folded[m.end()..].starts_with(" superieur") {
                        continue;
                    }
                    *l
                }
                Rule::BacPlus => match caps[1].parse::<u8>().unwrap_or(0) {
                    2 => 5,
                    3 | 4 => 6,
                    5..=7 => 7,
                    _ => 8,
                },
                Rule::OldRoman => match &caps[1] {
                    "v" => 3,
                    "iv" => 4,
                    "iii" => 5,
                    "ii" => 6,
                    _ => 7,
                },
                Rule::Numbered => caps[1].parse().unwrap_or(0),
            };
            let Some(level) = Level::new(level) else {
                continue;
            };
            if best.as_ref().is_none_or(|(b, _)| level < *b) {
                best = Some((level, m.as_str().to_string()));
            }
        }
    }
    best
}

/// The level a certification's label names ("CAP boulanger" → 3), if any.
pub fn certification_level(label: &str) -> Option<Level> {
    lowest_in(&fold(label)).map(|(l, _)| l)
}

/// The access level of one fiche.
pub fn access_level(referential: &Referential, fiche: &Fiche) -> AccessLevel {
    // The importer has already unescaped the ROME's doubled apostrophes.
    let sentences: Vec<(String, String)> =
        fiche.acces.iter().map(|s| (s.clone(), fold(s))).collect();
    let required_diploma = required_diploma(fiche, &sentences);
    let from_text = sentences
        .iter()
        .filter_map(|(s, f)| lowest_in(f).map(|(l, m)| (l, s, m)))
        .min_by_key(|(l, _, _)| *l);
    if let Some((level, sentence, matched)) = from_text {
        return AccessLevel {
            level: Some(level),
            source: LevelSource::Texte {
                sentence: sentence.clone(),
                matched,
            },
            required_diploma,
        };
    }
    let certifications = fiche
        .items
        .iter()
        .filter_map(|l| referential.savoir(l.ogr))
        .filter(|s| s.category == SavoirCategory::CertificationsHabilitations);
    let from_certifications = certifications
        .clone()
        .filter_map(|s| lowest_in(&fold(&s.label)).map(|(l, m)| (l, s, m)))
        .min_by_key(|x| x.0);
    if let Some((level, savoir, matched)) = from_certifications {
        return AccessLevel {
            level: Some(level),
            source: LevelSource::Certification {
                label: savoir.label.clone(),
                matched,
            },
            required_diploma,
        };
    }
    let habilitation = sentences
        .iter()
        .find(|(_, f)| patterns().habilitation.is_match(f));
    if let Some((sentence, f)) = habilitation {
        let matched = patterns()
            .habilitation
            .find(f)
            .map(|m| m.as_str().to_string())
            .unwrap_or_default();
        return AccessLevel {
            level: Some(Level::MIN),
            source: LevelSource::Texte {
                sentence: sentence.clone(),
                matched,
            },
            required_diploma,
        };
    }
    if fiche.tags.emploi_cadre == Some(true) {
        return AccessLevel {
            level: Level::new(6),
            source: LevelSource::EmploiCadre,
            required_diploma,
        };
    }
    let reason = if fiche.acces.is_empty() {
        "la fiche n'a pas de texte « Accès au métier »".to_string()
    } else {
        "le texte « Accès au métier » ne cite ni diplôme ni niveau".to_string()
    };
    AccessLevel {
        level: None,
        source: LevelSource::NonDetermine { reason },
        required_diploma,
    }
}

/// For a regulated job, the first sentence that says a diploma is required
/// and names it.
fn required_diploma(fiche: &Fiche, sentences: &[(String, String)]) -> Option<String> {
    if fiche.tags.emploi_reglemente != Some(true) {
        return None;
    }
    sentences
        .iter()
        .find(|(_, f)| {
            patterns().required.is_match(f) && (lowest_in(f).is_some() || f.contains("diplome"))
        })
        .map(|(s, _)| s.clone())
}

/// Access levels of every fiche, in `referential.fiches` order.
pub fn access_levels(referential: &Referential) -> Vec<AccessLevel> {
    use rayon::prelude::*;
    referential
        .fiches
        .par_iter()
        .map(|f| access_level(referential, f))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn level(s: &str) -> Option<u8> {
        lowest_in(&fold(s)).map(|(l, _)| l.get())
    }

    #[test]
    fn ranges_give_their_low_end_and_bac_plus_is_not_bac() {
        assert_eq!(
            level("Cet emploi est accessible avec un niveau Bac+2 à Bac+5 dans le domaine"),
            Some(5)
        );
        assert_eq!(
            level("accessible avec un Diplôme d'État de vétérinaire (Bac +6)"),
            Some(7)
        );
        assert_eq!(level("une formation de niveau Bac à Bac +3"), Some(4));
        assert_eq!(level("un BTS ou un DUT"), Some(5));
        assert_eq!(level("un Brevet de Technicien Supérieur"), Some(5));
    }

    #[test]
    fn named_diplomas_and_no_diploma() {
        assert_eq!(
            level("un CAP Boulanger ou un Brevet Professionnel Boulanger"),
            Some(3)
        );
        assert_eq!(
            level("un Diplôme d'Etat d'Aide-Soignant, obligatoire pour exercer"),
            Some(4)
        );
        assert_eq!(level("une Licence ou un Master dans le domaine"), Some(6));
        assert_eq!(level("un Diplôme d'État de docteur en médecine"), Some(8));
        assert_eq!(level("Cet emploi est accessible sans diplôme."), Some(3));
        assert_eq!(level("un titre de niveau IV"), Some(4));
        assert_eq!(level("la capacité d'écoute"), None);
        assert_eq!(level("une formation en herboristerie"), None);
    }
}
