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
    /// Whether the job is regulated: the ROME flag, or, where the flag is
    /// blank, what the access texts say.
    pub regulation: Regulation,
    /// The diploma or certification that opens the job, as the texts name
    /// it ("Diplôme d'Etat d'Infirmier"), for the "reconversion longue" label.
    pub diploma: Option<String>,
    /// When the texts say the job follows another qualification ("Suite au
    /// Diplôme d'Etat d'infirmier … il est possible de …").
    pub after: Option<Prerequisite>,
}

/// Whether a job is regulated, and how we know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Regulation {
    /// `emploi_reglemente = O`.
    Reglemente,
    /// `emploi_reglemente = N`.
    NonReglemente,
    /// Blank flag, but the access texts name a « Diplôme d'État » or say a
    /// qualification is « obligatoire ».
    ReglementeSelonTextes,
    /// Blank flag and nothing in the texts: unknown, treated as not
    /// regulated by the rules that need an answer.
    Inconnu,
}

impl Regulation {
    /// Regulated by the flag or by the texts.
    pub fn is_regulated(self) -> bool {
        matches!(
            self,
            Regulation::Reglemente | Regulation::ReglementeSelonTextes
        )
    }
}

/// A qualification the texts say the job follows ("accessible après …").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Prerequisite {
    /// The words of the texts: "Diplôme d'Etat d'infirmier ou de sage-femme
    /// et 2 ans d'activité professionnelle".
    pub phrase: String,
    /// The diplomas that satisfy it, folded ("diplome d'etat d'infirmier",
    /// "diplome d'etat de sage-femme"): a job whose access texts name one
    /// of them leads there directly.
    #[serde(skip)]
    pub keys: Vec<String>,
}

impl Prerequisite {
    /// Whether a job with these (folded) access texts holds the prerequisite.
    pub fn held_by(&self, folded_access: &str) -> bool {
        self.keys.iter().any(|k| folded_access.contains(k.as_str()))
    }
}

impl AccessLevel {
    /// A level nothing determines, for the reason given.
    pub fn undetermined(reason: impl Into<String>) -> AccessLevel {
        AccessLevel {
            level: None,
            source: LevelSource::NonDetermine {
                reason: reason.into(),
            },
            required_diploma: None,
            regulation: Regulation::Inconnu,
            diploma: None,
            after: None,
        }
    }

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
    let regulation = regulation(fiche, &sentences);
    let after = prerequisite(&sentences);
    let from_text = sentences
        .iter()
        .filter_map(|(s, f)| lowest_in(f).map(|(l, m)| (l, s, m)))
        .min_by_key(|(l, _, _)| *l);
    if let Some((level, sentence, matched)) = from_text {
        let diploma = required_diploma
            .as_deref()
            .and_then(diploma_phrase)
            .or_else(|| diploma_phrase(sentence));
        return AccessLevel {
            level: Some(level),
            source: LevelSource::Texte {
                sentence: sentence.clone(),
                matched,
            },
            required_diploma,
            regulation,
            diploma,
            after,
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
        let diploma = required_diploma
            .as_deref()
            .and_then(diploma_phrase)
            .or_else(|| Some(savoir.label.clone()));
        return AccessLevel {
            level: Some(level),
            source: LevelSource::Certification {
                label: savoir.label.clone(),
                matched,
            },
            required_diploma,
            regulation,
            diploma,
            after,
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
            diploma: required_diploma.as_deref().and_then(diploma_phrase),
            required_diploma,
            regulation,
            after,
        };
    }
    if fiche.tags.emploi_cadre == Some(true) {
        return AccessLevel {
            level: Level::new(6),
            source: LevelSource::EmploiCadre,
            diploma: required_diploma.as_deref().and_then(diploma_phrase),
            required_diploma,
            regulation,
            after,
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
        diploma: required_diploma.as_deref().and_then(diploma_phrase),
        required_diploma,
        regulation,
        after,
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

/// The ROME flag, or the texts where it is blank: a « Diplôme d'État » or
/// an « obligatoire » qualification makes a job regulated.
fn regulation(fiche: &Fiche, sentences: &[(String, String)]) -> Regulation {
    match fiche.tags.emploi_reglemente {
        Some(true) => Regulation::Reglemente,
        Some(false) => Regulation::NonReglemente,
        None if sentences
            .iter()
            .any(|(_, f)| f.contains("diplome d'etat") || f.contains("obligatoire")) =>
        {
            Regulation::ReglementeSelonTextes
        }
        None => Regulation::Inconnu,
    }
}

/// "Suite au Diplôme d'Etat d'infirmier ou de sage-femme et 2 ans
/// d'activité professionnelle, il est possible de …": the job follows that
/// qualification. Only a sentence that opens on « Suite au / à la » names a
/// prerequisite; the ROME says "accessible après" of the job's own diploma.
fn prerequisite(sentences: &[(String, String)]) -> Option<Prerequisite> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(?i)(?:^|[.;]\s+)suite (?:au|à la|a la|à l'|a l')\s*(.+?),")
            .expect("valid pattern")
    });
    sentences.iter().find_map(|(s, _)| {
        let phrase = re.captures(s)?.get(1)?.as_str().trim().to_string();
        let folded = fold(&phrase);
        // "X ou de Y et 2 ans …": the alternatives before any "et".
        let head = folded.split(" et ").next().unwrap_or(&folded);
        let mut alternatives = head.split(" ou ");
        let first = alternatives.next()?.trim().to_string();
        // "diplome d'etat d'infirmier" → "diplome d'etat", for "de sage-femme".
        let stem = first
            .rfind(" d'")
            .into_iter()
            .chain(first.rfind(" de "))
            .max()
            .map(|i| first[..i].to_string());
        let mut keys = vec![first.clone()];
        for alt in alternatives {
            let alt = alt.trim();
            match &stem {
                Some(stem) if alt.starts_with("de ") || alt.starts_with("d'") => {
                    keys.push(format!("{stem} {alt}"));
                }
                _ => keys.push(alt.to_string()),
            }
        }
        Some(Prerequisite { phrase, keys })
    })
}

/// The diploma a sentence names, in its own words: "Cet emploi est
/// accessible avec un Diplôme d'Etat d'Infirmier, obligatoire pour
/// exercer." → "Diplôme d'Etat d'Infirmier". `None` when the sentence does
/// not follow the ROME's usual "accessible avec / après …" form.
pub fn diploma_phrase(sentence: &str) -> Option<String> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(
            r"(?i)accessible\s+(?:avec|après|apres|par|sur)\s+(?:l'obtention\s+d(?:u|e|')\s*)?(?:(?:un|une|le|la|les|des)\s+|l')?(.+?)(?:,|;|\.(?:\s|$)|\s+\(|\s+obligatoire|\s+ou\s+(?:un|une|par)\s|$)",
        )
        .expect("valid pattern")
    });
    let mut phrase = re.captures(sentence)?.get(1)?.as_str().trim();
    // "formation initiale et l'acquisition du Diplôme d'Etat …": the diploma.
    let folded = phrase.to_lowercase();
    if let Some(i) = folded.find("diplôme").or_else(|| folded.find("diplome"))
        && i > 0
    {
        phrase = &phrase[i..];
    }
    (phrase.len() >= 3 && phrase.chars().count() <= 120).then(|| phrase.to_string())
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
    }

    #[test]
    fn diplomas_and_prerequisites_in_the_texts_own_words() {
        assert_eq!(
            diploma_phrase(
                "Cet emploi est accessible avec un Diplôme d'Etat d'Infirmier, obligatoire pour exercer."
            )
            .as_deref(),
            Some("Diplôme d'Etat d'Infirmier")
        );
        assert_eq!(
            diploma_phrase("Cet emploi est accessible après formation initiale et l'acquisition du Diplôme d'Etat d'infirmier anesthésiste (IADE).").as_deref(),
            Some("Diplôme d'Etat d'infirmier anesthésiste")
        );
        let s = "Cet emploi est accessible après formation initiale. Suite au Diplôme d'Etat d'infirmier ou de sage-femme et 2 ans d'activité professionnelle, il est possible de faire la spécialisation.";
        let p = prerequisite(&[(s.to_string(), fold(s))]).expect("prérequis");
        assert_eq!(
            p.phrase,
            "Diplôme d'Etat d'infirmier ou de sage-femme et 2 ans d'activité professionnelle"
        );
        assert!(p.held_by(&fold(
            "accessible avec un Diplôme d'Etat d'Infirmier, obligatoire"
        )));
        assert!(p.held_by(&fold("un Diplôme d'État de sage-femme")));
        assert!(!p.held_by(&fold("un Diplôme d'Etat d'Aide-Soignant")));
        assert_eq!(level("une formation en herboristerie"), None);
    }
}
