//! Estimated transversal profiles for every fiche, from ROME 4.0.
//!
//! ROME has no transversal profile; it does mark *transverse*
//! macro-compétences (57 savoir-faire and 16 savoir-être professionnels) and
//! the compétences under them. Each of these maps to one of the 14
//! competencies (the table below, documented in docs/transversal.md); the
//! technical savoir-faire add weaker evidence through the wording of their
//! labels (a second table), and savoirs about digital tools to the digital
//! competency. Items the fiche marks `coeur_metier` "Principale" count
//! double. Evidence gives
//! the stars; the fiche's expertise (share of "Technique expert"
//! savoir-faire, emploi cadre) gives the levels. The result is always
//! labelled "estimé" and never replaces a survey.

use std::collections::HashMap;

use super::{Competency, ProfileEntry, Provenance, TransversalProfile};
use crate::codes::OgrCode;
use crate::qualification::{AccessLevel, Level};
use crate::referential::{CoeurMetier, CompetenceSubcategory, Fiche, ItemKind, Referential};

/// Identifier of this method, recorded in each estimated profile.
pub const ESTIMATE_METHOD: &str = "macro-competences-transverses-v3";

/// ROME transverse macro-compétences (OGR codes of v460) → competency.
const MAPPING: &[(u32, Competency)] = {
    use Competency::*;
    &[
        // Communiquer
        (300110, Communiquer),
        (300405, Communiquer),
        (300406, Communiquer),
        (300407, Communiquer),
        (300410, Communiquer),
        (300411, Communiquer),
        (300413, Communiquer),
        (300451, Communiquer),
        (300462, Communiquer),
        // Adopter un comportement orienté vers l'autre
        (300412, ComportementOrienteAutre),
        (399999, ComportementOrienteAutre),
        (404513, ComportementOrienteAutre),
        (300463, ComportementOrienteAutre),
        (404514, ComportementOrienteAutre),
        // Transmettre ses savoirs
        (300028, TransmettreSavoirs),
        (300453, TransmettreSavoirs),
        (300469, TransmettreSavoirs),
        // Réguler une situation interpersonnelle
        (300480, ReguleSituationInterpersonnelle),
        (300478, ReguleSituationInterpersonnelle),
        (300468, ReguleSituationInterpersonnelle),
        (300455, ReguleSituationInterpersonnelle),
        (403000, ReguleSituationInterpersonnelle),
        // Travailler et coopérer au sein d'un collectif
        (300465, TravaillerCooperer),
        (300470, TravaillerCooperer),
        (300466, TravaillerCooperer),
        (402001, TravaillerCooperer),
        (300421, TravaillerCooperer),
        (300489, TravaillerCooperer),
        (300416, TravaillerCooperer),
        // Rechercher un accord
        (300415, RechercherAccord),
        (300418, RechercherAccord),
        // Organiser ses actions
        (300483, OrganiserActions),
        (300460, OrganiserActions),
        (300473, OrganiserActions),
        (402000, OrganiserActions),
        (405056, OrganiserActions),
        (300485, OrganiserActions),
        // Respecter des règles et des procédures
        (300446, RespecterRegles),
        (300448, RespecterRegles),
        (300449, RespecterRegles),
        (300450, RespecterRegles),
        (300490, RespecterRegles),
        (300461, RespecterRegles),
        (300147, RespecterRegles),
        // Évaluer ses actions
        (300495, EvaluerActions),
        (300496, EvaluerActions),
        (300494, EvaluerActions),
        // Mettre en œuvre une démarche de résolution de problème
        (300474, ResolutionProbleme),
        (300459, ResolutionProbleme),
        (300353, ResolutionProbleme),
        (404362, ResolutionProbleme),
        // Traiter des informations
        (300067, TraiterInformations),
        (300452, TraiterInformations),
        (300458, TraiterInformations),
        (300253, TraiterInformations),
        (300431, TraiterInformations),
        (300118, TraiterInformations),
        (300125, TraiterInformations),
        (300491, TraiterInformations),
        // Apprendre en continu
        (300492, ApprendreContinu),
        (300493, ApprendreContinu),
        (300479, ApprendreContinu),
        (300119, ApprendreContinu),
        (300499, ApprendreContinu),
        (300500, ApprendreContinu),
        (300501, ApprendreContinu),
        (300502, ApprendreContinu),
        // Mobiliser les environnements numériques
        (300426, EnvironnementsNumeriques),
        (300428, EnvironnementsNumeriques),
        (300424, EnvironnementsNumeriques),
        (300425, EnvironnementsNumeriques),
        // Faire preuve d'innovation et de créativité
        (300497, InnovationCreativite),
        (300467, InnovationCreativite),
    ]
};

/// Wording rules for the *technical* savoir-faire (not covered by the table
/// above): a folded word stem in the label of an item or of its
/// macro-compétence is evidence, at half the weight of a transverse item.
const WORDING: &[(&str, Competency)] = {
    use Competency::*;
    &[
        ("former ", TransmettreSavoirs),
        ("formation", TransmettreSavoirs),
        ("enseign", TransmettreSavoirs),
        ("transmettre", TransmettreSavoirs),
        ("expliquer", TransmettreSavoirs),
        ("sensibiliser", TransmettreSavoirs),
        ("tutor", TransmettreSavoirs),
        ("pedagog", TransmettreSavoirs),
        ("conflit", ReguleSituationInterpersonnelle),
        ("litige", ReguleSituationInterpersonnelle),
        ("reclamation", ReguleSituationInterpersonnelle),
        ("mediation", ReguleSituationInterpersonnelle),
        ("negoci", RechercherAccord),
        ("convaincre", RechercherAccord),
        ("vendre", RechercherAccord),
        ("prospect", RechercherAccord),
        ("argument", RechercherAccord),
        ("accueillir", ComportementOrienteAutre),
        ("accompagner", ComportementOrienteAutre),
        ("conseiller", ComportementOrienteAutre),
        ("aider", ComportementOrienteAutre),
        ("patient", ComportementOrienteAutre),
        ("client", ComportementOrienteAutre),
        ("usager", ComportementOrienteAutre),
        ("prodiguer", ComportementOrienteAutre),
        ("communiqu", Communiquer),
        ("informer", Communiquer),
        ("renseigner", Communiquer),
        ("rediger", Communiquer),
        ("presenter", Communiquer),
        ("rendre compte", Communiquer),
        ("coordonner", TravaillerCooperer),
        ("equipe", TravaillerCooperer),
        ("collabor", TravaillerCooperer),
        ("encadrer", TravaillerCooperer),
        ("superviser", TravaillerCooperer),
        ("diriger", TravaillerCooperer),
        ("organiser", OrganiserActions),
        ("planifier", OrganiserActions),
        ("piloter", OrganiserActions),
        ("gerer", OrganiserActions),
        ("programmer", OrganiserActions),
        ("preparer", OrganiserActions),
        ("respecter", RespecterRegles),
        ("appliquer", RespecterRegles),
        ("conformite", RespecterRegles),
        ("securite", RespecterRegles),
        ("hygiene", RespecterRegles),
        ("reglement", RespecterRegles),
        ("procedure", RespecterRegles),
        ("prevenir", RespecterRegles),
        ("controler", EvaluerActions),
        ("verifier", EvaluerActions),
        ("evaluer", EvaluerActions),
        ("qualite", EvaluerActions),
        ("surveiller", EvaluerActions),
        ("mesurer", EvaluerActions),
        ("diagnostiqu", ResolutionProbleme),
        ("depann", ResolutionProbleme),
        ("anomalie", ResolutionProbleme),
        ("diagnostic", ResolutionProbleme),
        ("tester", ResolutionProbleme),
        ("coder", ResolutionProbleme),
        ("developper un logiciel", ResolutionProbleme),
        ("solution", ResolutionProbleme),
        ("optimiser", ResolutionProbleme),
        ("ameliorer", ResolutionProbleme),
        ("analyser une situation", ResolutionProbleme),
        ("animer", Communiquer),
        ("argumenter", Communiquer),
        ("promouvoir", Communiquer),
        ("documenter", Communiquer),
        ("enseigner", Communiquer),
        ("echanger", Communiquer),
        ("application", EnvironnementsNumeriques),
        ("systeme d'information", EnvironnementsNumeriques),
        ("data", EnvironnementsNumeriques),
        ("web", EnvironnementsNumeriques),
        ("pedagogique", TransmettreSavoirs),
        ("apprentissage", TransmettreSavoirs),
        ("dysfonctionn", ResolutionProbleme),
        ("resoudre", ResolutionProbleme),
        ("incident", ResolutionProbleme),
        ("urgence", ResolutionProbleme),
        ("reparer", ResolutionProbleme),
        ("analyser", TraiterInformations),
        ("donnees", TraiterInformations),
        ("collecter", TraiterInformations),
        ("traiter", TraiterInformations),
        ("interpret", TraiterInformations),
        ("dossier", TraiterInformations),
        ("document", TraiterInformations),
        ("classer", TraiterInformations),
        ("veille", ApprendreContinu),
        ("actualiser", ApprendreContinu),
        ("se former", ApprendreContinu),
        ("logiciel", EnvironnementsNumeriques),
        ("informatique", EnvironnementsNumeriques),
        ("numerique", EnvironnementsNumeriques),
        ("digital", EnvironnementsNumeriques),
        ("saisir", EnvironnementsNumeriques),
        ("bureautique", EnvironnementsNumeriques),
        ("concevoir", InnovationCreativite),
        ("creer", InnovationCreativite),
        ("innover", InnovationCreativite),
        ("imaginer", InnovationCreativite),
        ("elaborer", InnovationCreativite),
    ]
};

/// Folded stems that make a *savoir* evidence of digital tools, besides the
/// ROME's own `transition_num` flag on the savoir ("Utilisation de
/// logiciels médicaux", "Gestion des emails"). Savoirs are knowledge, not
/// behaviour: they only speak for the competency whose object is a tool.
const DIGITAL_SAVOIR: &[&str] = &[
    "logiciel",
    "informatique",
    "numerique",
    "bureautique",
    "digital",
    "internet",
    "tableur",
    "traitement de texte",
    "messagerie",
    "email",
    "e-mail",
    "progiciel",
    "base de donnees",
    "outils collaboratifs",
    "reseaux sociaux",
    "site web",
];

/// The macro-compétence → competency table, keyed by OGR code.
pub fn evidence_map() -> HashMap<OgrCode, Competency> {
    MAPPING.iter().map(|&(o, c)| (OgrCode::new(o), c)).collect()
}

/// Stars from evidence, counted in half-items (a transverse item counts 2,
/// a wording match 1, doubled when the fiche marks the item "Principale").
/// Less than one transverse item and a wording match is not evidence; then
/// the stars grow with the evidence up to 5★ from nine items. The scale is wide on
/// purpose: a competency every fiche mobilises a little must not look as
/// important as one a fiche is built on (docs/transversal.md).
fn stars(evidence: u32) -> u8 {
    match evidence {
        0..=2 => 0,
        3..=4 => 1,
        5..=6 => 2,
        7..=10 => 3,
        11..=16 => 4,
        _ => 5,
    }
}

/// Competencies whose wording rules match a folded label.
fn wording_matches(label: &str) -> impl Iterator<Item = Competency> + '_ {
    WORDING
        .iter()
        .filter(move |(stem, _)| label.contains(stem))
        .map(|&(_, c)| c)
}

/// Whether a savoir is about digital tools: flagged `transition_num` by the
/// ROME, or named so. Certifications are not knowledge of a tool.
fn is_digital(savoir: &crate::referential::Savoir) -> bool {
    if savoir.category == crate::referential::SavoirCategory::CertificationsHabilitations {
        return false;
    }
    if savoir.transition_num == Some(true) {
        return true;
    }
    let label = crate::text::fold(&savoir.label);
    DIGITAL_SAVOIR.iter().any(|stem| label.contains(stem))
}

/// The fiche's base level of proficiency, from its usual access level
/// (crate::qualification): niveau 3 → 1, 4–5 → 2, 6–7 → 3, 8 → 4. A fiche
/// without a determined access level falls back on its expertise: 1, +1
/// when at least a third of its savoir-faire are "Technique expert", +1 for
/// an emploi cadre.
fn base_level(referential: &Referential, fiche: &Fiche, access: Option<Level>) -> u8 {
    if let Some(level) = access {
        return match level.get() {
            3 => 1,
            4 | 5 => 2,
            6 | 7 => 3,
            _ => 4,
        };
    }
    expertise_level(referential, fiche)
}

fn expertise_level(referential: &Referential, fiche: &Fiche) -> u8 {
    let (mut expert, mut total) = (0u32, 0u32);
    for link in fiche.items_of(ItemKind::SavoirFaire) {
        if let Some(c) = referential.competence(link.ogr) {
            total += 1;
            expert += u32::from(c.subcategory == CompetenceSubcategory::TechniqueExpert);
        }
    }
    let mut level = 1;
    if total > 0 && expert * 3 >= total {
        level += 1;
    }
    if fiche.tags.emploi_cadre == Some(true) {
        level += 1;
    }
    level
}

/// The estimated profile of one fiche.
pub fn estimate(referential: &Referential, fiche: &Fiche) -> TransversalProfile {
    let access = crate::qualification::access_level(referential, fiche).level;
    estimate_with(referential, fiche, access, &evidence_map())
}

/// Estimated profiles of all fiches, in `referential.fiches` order.
pub fn estimate_all(referential: &Referential) -> Vec<TransversalProfile> {
    estimate_all_with_levels(
        referential,
        &crate::qualification::access_levels(referential),
    )
}

/// [`estimate_all`] with the fiches' access levels already computed (in
/// `referential.fiches` order): the catalog computes them once for the
/// estimate and the engine, as reading them is the costly part.
pub fn estimate_all_with_levels(
    referential: &Referential,
    levels: &[AccessLevel],
) -> Vec<TransversalProfile> {
    use rayon::prelude::*;
    let map = evidence_map();
    referential
        .fiches
        .par_iter()
        .zip(levels)
        .map(|(f, access)| estimate_with(referential, f, access.level, &map))
        .collect()
}

fn estimate_with(
    referential: &Referential,
    fiche: &Fiche,
    access: Option<Level>,
    map: &HashMap<OgrCode, Competency>,
) -> TransversalProfile {
    let mut evidence = [0u32; Competency::COUNT];
    let mut core = [false; Competency::COUNT];
    for link in &fiche.items {
        let principal = link.coeur == CoeurMetier::Principale;
        let factor = if principal { 2 } else { 1 };
        if link.kind == ItemKind::Savoir {
            // Weak evidence for the digital competency only.
            if referential.savoir(link.ogr).is_some_and(is_digital) {
                let i = Competency::EnvironnementsNumeriques.index();
                evidence[i] += factor;
                core[i] |= principal;
            }
            continue;
        }
        if !matches!(link.kind, ItemKind::SavoirFaire | ItemKind::SavoirEtre) {
            continue;
        }
        let competence = referential.competence(link.ogr);
        let macro_ogr = competence.and_then(|c| c.macro_ogr);
        // The item itself, or the transverse macro-compétence it belongs to.
        if let Some(&c) = map
            .get(&link.ogr)
            .or_else(|| macro_ogr.and_then(|m| map.get(&m)))
        {
            evidence[c.index()] += 2 * factor;
            core[c.index()] |= principal;
            continue;
        }
        // A technical savoir-faire: its wording, and its macro-compétence's.
        let Some(competence) = competence else {
            continue;
        };
        let mut label = crate::text::fold(&competence.label);
        if let Some(m) = macro_ogr.and_then(|m| referential.competence(m)) {
            label.push_str(" / ");
            label.push_str(&crate::text::fold(&m.label));
        }
        let mut hit = [false; Competency::COUNT];
        for c in wording_matches(&label) {
            hit[c.index()] = true;
        }
        for c in Competency::ALL.into_iter().filter(|c| hit[c.index()]) {
            evidence[c.index()] += factor;
            core[c.index()] |= principal;
        }
    }
    let base = base_level(referential, fiche, access);
    let mut entries = [None; Competency::COUNT];
    for c in Competency::ALL {
        let i = c.index();
        let (level, stars) = match stars(evidence[i]) {
            // No evidence is not evidence of non-use: "non estimée".
            0 => continue,
            // A competency barely evidenced is practised a level below the
            // fiche's base; one the fiche is built on, a level above.
            1 => (base.saturating_sub(1).max(1), 1),
            s => ((base + u8::from(core[i])).min(4), s),
        };
        entries[i] = Some(ProfileEntry::new(level, stars).expect("levels 1–4 with stars 1–5"));
    }
    TransversalProfile {
        entries,
        provenance: Provenance::Estime {
            method: ESTIMATE_METHOD.to_string(),
            rome_version: rome_version_label(referential),
        },
        rome: Some(fiche.code),
    }
}

fn rome_version_label(referential: &Referential) -> String {
    match &referential.version.label {
        Some(l) => format!("{} ({l})", referential.version.number),
        None => referential.version.number.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mapping_has_no_duplicate_and_covers_every_competency() {
        let map = evidence_map();
        assert_eq!(map.len(), MAPPING.len(), "doublon dans la table");
        for c in Competency::ALL {
            assert!(MAPPING.iter().any(|&(_, m)| m == c), "{c} sans item ROME");
        }
    }

    fn savoir(
        o: u32,
        label: &str,
        category: crate::referential::SavoirCategory,
        num: Option<bool>,
    ) -> crate::referential::Savoir {
        crate::referential::Savoir {
            ogr: OgrCode::new(o),
            label: label.into(),
            category,
            subcategory: String::new(),
            transition_eco: None,
            transition_num: num,
        }
    }

    #[test]
    fn digital_savoirs_speak_for_the_digital_competency_only() {
        use crate::referential::SavoirCategory::*;
        let digital = [
            savoir(
                1,
                "Utilisation de logiciels médicaux",
                ProduitsOutilsMatieres,
                Some(true),
            ),
            savoir(2, "Outils bureautiques", ProduitsOutilsMatieres, None),
            savoir(
                3,
                "Gestion des emails",
                TechniquesProfessionnelles,
                Some(true),
            ),
        ];
        assert!(digital.iter().all(is_digital));
        assert!(!is_digital(&savoir(
            4,
            "Terminologie médicale",
            DomainesExpertise,
            Some(false)
        )));
        assert!(!is_digital(&savoir(
            5,
            "Certificat informatique et internet (PIX)",
            CertificationsHabilitations,
            Some(true)
        )));
    }

    #[test]
    fn stars_grow_with_evidence() {
        let s: Vec<u8> = [0, 2, 3, 5, 7, 11, 17].into_iter().map(stars).collect();
        assert_eq!(s, [0, 0, 1, 2, 3, 4, 5]);
    }
}
