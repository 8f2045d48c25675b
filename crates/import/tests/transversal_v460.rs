//! Estimated transversal profiles on the official v460 set, read from
//! `PASSERELLE_DATA` (fails loudly when absent): every fiche gets a valid,
//! deterministic profile, and the written mapping covers exactly the
//! transverse macro-compétences of ROME.

use std::collections::HashSet;
use std::path::Path;

use passerelle_core::transversal::{
    Competency, Provenance, SurveyTarget, estimate, estimate_all, evidence_map,
};
use passerelle_core::{
    CompetenceCategory, CompetenceNature, CompetenceSubcategory, OgrCode, RomeCode,
};

use passerelle_test_support::referential_v460 as v460;

#[test]
fn every_fiche_gets_a_valid_deterministic_estimate() {
    let r = v460();
    let all = estimate_all(r);
    assert_eq!(all.len(), 1_584);
    assert_eq!(all, estimate_all(r), "deux calculs, deux résultats");
    let mut used = [0usize; 14];
    for (fiche, p) in r.fiches.iter().zip(&all) {
        assert_eq!(p.rome, Some(fiche.code));
        assert_eq!(p, &estimate(r, fiche), "{}", fiche.code);
        let Provenance::Estime {
            method,
            rome_version,
        } = &p.provenance
        else {
            panic!("{}", fiche.code)
        };
        assert_eq!(
            (method.as_str(), rome_version.as_str()),
            ("macro-competences-transverses-v3", "60 (25M09)")
        );
        for c in Competency::ALL {
            let e = p.get(c);
            assert!(
                e.level() <= 4 && e.stars() <= 5 && (e.level() == 0) == (e.stars() == 0),
                "{} {c}",
                fiche.code
            );
            used[c.index()] += usize::from(e.is_used());
        }
        assert!(
            !p.used_by_importance().is_empty(),
            "{} : aucune compétence estimée",
            fiche.code
        );
    }
    // Figures for docs/transversal.md (cargo test -- --nocapture).
    for c in Competency::ALL {
        println!("{c} : mobilisée par {} fiches", used[c.index()]);
    }
    // Every competency is used by some fiches and not by all: the estimate discriminates.
    for c in Competency::ALL {
        assert!(used[c.index()] > 0, "{c} n'est jamais estimée");
    }
    assert!(Competency::ALL.iter().any(|c| used[c.index()] < 1_584));
}

#[test]
fn the_mapping_covers_exactly_the_transverse_macro_competences() {
    let r = v460();
    let map = evidence_map();
    let transverse: HashSet<OgrCode> = r
        .data()
        .competences
        .iter()
        .filter(|c| {
            c.nature == CompetenceNature::MacroCompetence
                && c.subcategory == CompetenceSubcategory::Transverse
        })
        .map(|c| c.ogr)
        .collect();
    let savoir_etre = r
        .data()
        .competences
        .iter()
        .filter(|c| transverse.contains(&c.ogr) && c.category == CompetenceCategory::SavoirEtre)
        .count();
    println!(
        "{} macro-compétences transverses dont {savoir_etre} savoir-être",
        transverse.len()
    );
    let unmapped: Vec<String> = r
        .data()
        .competences
        .iter()
        .filter(|c| transverse.contains(&c.ogr) && !map.contains_key(&c.ogr))
        .map(|c| format!("{} {}", c.ogr, c.label))
        .collect();
    assert!(unmapped.is_empty(), "sans correspondance : {unmapped:#?}");
    let stray: Vec<_> = map.keys().filter(|o| !transverse.contains(o)).collect();
    assert!(
        stray.is_empty(),
        "codes de la table qui ne sont pas des macro-compétences transverses : {stray:?}"
    );
}

/// The seed's survey (data/profils) against the J1303 estimate: the figures
/// docs/transversal.md states.
#[test]
fn j1303_estimate_against_the_seed_survey() {
    let r = v460();
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/profils/assistant-medical-aveyron.csv");
    let survey = passerelle_import::profils::read_surveys(&path, r)
        .unwrap()
        .remove(0);
    assert_eq!(
        survey.target,
        SurveyTarget::Appellation(OgrCode::new(200145))
    );
    let est = estimate(r, r.fiche(RomeCode::parse("J1303").unwrap()).unwrap());
    let (mut stars, mut levels, mut both_used) = (0, 0, 0);
    for c in Competency::ALL {
        let (a, b) = (est.get(c), survey.profile.get(c));
        println!(
            "{c} | {} | {} | {} | {}",
            b.stars(),
            b.level(),
            a.stars(),
            a.level()
        );
        stars += usize::from(a.stars().abs_diff(b.stars()) <= 1);
        levels += usize::from(a.level().abs_diff(b.level()) <= 1);
        both_used += usize::from(a.is_used() && b.is_used());
    }
    let doc = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/transversal.md"),
    )
    .unwrap();
    let claim = format!(
        "{stars} compétences sur 14 s'accordent à une étoile près et {levels} sur 14 à un niveau près"
    );
    assert!(
        doc.contains(&claim),
        "docs/transversal.md doit dire : « {claim} » ({both_used} mobilisées des deux côtés)"
    );
}

/// A reviewed panel: competencies that a fiche's definition makes obvious
/// must be estimated with at least 2 stars (a developer solves problems, a
/// trainer communicates and transmits, a cariste respects procedures…).
#[test]
fn estimated_profiles_are_plausible_on_a_reviewed_panel() {
    use Competency::*;
    let panel: &[(&str, &[Competency])] = &[
        ("M1805", &[ResolutionProbleme, EnvironnementsNumeriques]),
        ("K2111", &[TransmettreSavoirs, Communiquer]),
        ("N1101", &[RespecterRegles]),
        ("J1501", &[ComportementOrienteAutre, RespecterRegles]),
        ("M1609", &[TraiterInformations, Communiquer]),
        ("D1102", &[RespecterRegles]),
        ("G1602", &[RespecterRegles, OrganiserActions]),
        ("I1304", &[ResolutionProbleme]),
        ("F1703", &[RespecterRegles]),
        ("H2913", &[RespecterRegles]),
        ("D1214", &[ComportementOrienteAutre]),
        (
            "K1207",
            &[ComportementOrienteAutre, ReguleSituationInterpersonnelle],
        ),
        ("M1607", &[TraiterInformations, OrganiserActions]),
        ("J1506", &[ComportementOrienteAutre, RespecterRegles]),
        ("K2106", &[TransmettreSavoirs, Communiquer]),
        ("E1104", &[InnovationCreativite, EnvironnementsNumeriques]),
        ("K1205", &[ComportementOrienteAutre]),
        ("D1402", &[RechercherAccord]),
    ];
    let r = v460();
    let mut failures = Vec::new();
    for (code, obvious) in panel {
        let fiche = r.fiche(RomeCode::parse(code).unwrap()).unwrap();
        let p = estimate(r, fiche);
        for c in *obvious {
            if p.get(*c).stars() < 2 {
                failures.push(format!(
                    "{code} {} : {c} à {}★",
                    fiche.title,
                    p.get(*c).stars()
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "profils estimés peu plausibles : {failures:?}"
    );
}

/// Levels follow the access level: a cariste (niveau 3) is estimated below
/// a développeur (niveau 5) and a médecin (niveau 8) on what they share.
#[test]
fn estimated_levels_follow_the_access_level() {
    let r = v460();
    let max_level = |code: &str| {
        let p = estimate(r, r.fiche(RomeCode::parse(code).unwrap()).unwrap());
        Competency::ALL
            .iter()
            .map(|&c| p.get(c).level())
            .max()
            .unwrap()
    };
    assert!(max_level("N1101") < max_level("M1805"));
    assert!(max_level("M1805") <= max_level("J1102"));
}

/// The precision sample of docs/methode.md (§ 3): 50 near savoir-faire
/// pairs drawn with a fixed seed among all the pairs the engine proposes,
/// printed for review (`cargo test --test transversal_v460 near -- --nocapture`).
/// The reviewed verdicts are in docs/methode.md; this test pins the sample
/// so that the review stays the review of what the engine proposes.
#[test]
fn near_savoir_faire_sample_for_review() {
    use passerelle_core::engine::Engine;
    let r = v460();
    let catalog = passerelle_core::Catalog::new(r.clone(), Vec::new(), Vec::new());
    let engine = Engine::new(&catalog);
    let pairs = engine.near_savoir_faire_pairs();
    assert!(
        pairs.len() > 1_000,
        "{} paires proches seulement",
        pairs.len()
    );
    // xorshift64, seed 2026: reproducible without a dependency.
    let mut state: u64 = 2026;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let label = |o: OgrCode| r.competence(o).map(|c| c.label.clone()).unwrap_or_default();
    let mut seen = HashSet::new();
    let mut sample = Vec::new();
    while sample.len() < 50 {
        let i = (next() % pairs.len() as u64) as usize;
        if seen.insert(i) {
            sample.push(pairs[i]);
        }
    }
    for (k, (a, b, c)) in sample.iter().enumerate() {
        println!("{:>2}. {} ⟷ {} ({:.2})", k + 1, label(*a), label(*b), c);
    }
    // The pair the issue names must not be proposed.
    let installer = pairs.iter().any(|(a, b, _)| {
        let (la, lb) = (label(*a), label(*b));
        (la == "Installer une personne" && lb == "Assurer un accueil téléphonique")
            || (lb == "Installer une personne" && la == "Assurer un accueil téléphonique")
    });
    assert!(
        !installer,
        "« Installer une personne » proche de « Assurer un accueil téléphonique »"
    );
}
