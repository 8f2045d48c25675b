//! Estimated transversal profiles on the official v460 set, read from
//! `PASSERELLE_DATA` (fails loudly when absent): every fiche gets a valid,
//! deterministic profile, and the written mapping covers exactly the
//! transverse macro-compétences of ROME.

use std::collections::HashSet;
use std::path::Path;
use std::sync::OnceLock;

use passerelle_core::transversal::{Competency, Provenance, SurveyTarget, estimate, estimate_all, evidence_map};
use passerelle_core::{CompetenceCategory, CompetenceNature, CompetenceSubcategory, OgrCode, Referential, RomeCode};

fn v460() -> &'static Referential {
    static R: OnceLock<Referential> = OnceLock::new();
    R.get_or_init(|| {
        let dir = passerelle_import::require_data_dir().join("rome");
        let import = passerelle_import::rome::read(&dir, &mut |_| {}).unwrap_or_else(|e| panic!("{e}"));
        Referential::new(import.data)
    })
}

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
        let Provenance::Estime { method, rome_version } = &p.provenance else { panic!("{}", fiche.code) };
        assert_eq!((method.as_str(), rome_version.as_str()), ("macro-competences-transverses-v3", "60 (25M09)"));
        for c in Competency::ALL {
            let e = p.get(c);
            assert!(e.level() <= 4 && e.stars() <= 5 && (e.level() == 0) == (e.stars() == 0), "{} {c}", fiche.code);
            used[c.index()] += usize::from(e.is_used());
        }
        assert!(p.used_by_importance().len() >= 4, "{} : socle de 4 compétences", fiche.code);
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
        .filter(|c| c.nature == CompetenceNature::MacroCompetence && c.subcategory == CompetenceSubcategory::Transverse)
        .map(|c| c.ogr)
        .collect();
    let savoir_etre = r
        .data()
        .competences
        .iter()
        .filter(|c| transverse.contains(&c.ogr) && c.category == CompetenceCategory::SavoirEtre)
        .count();
    println!("{} macro-compétences transverses dont {savoir_etre} savoir-être", transverse.len());
    let unmapped: Vec<String> = r
        .data()
        .competences
        .iter()
        .filter(|c| transverse.contains(&c.ogr) && !map.contains_key(&c.ogr))
        .map(|c| format!("{} {}", c.ogr, c.label))
        .collect();
    assert!(unmapped.is_empty(), "sans correspondance : {unmapped:#?}");
    let stray: Vec<_> = map.keys().filter(|o| !transverse.contains(o)).collect();
    assert!(stray.is_empty(), "codes de la table qui ne sont pas des macro-compétences transverses : {stray:?}");
}

/// The seed's survey (data/profils) against the J1303 estimate: the figures
/// docs/transversal.md states.
#[test]
fn j1303_estimate_against_the_seed_survey() {
    let r = v460();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/profils/assistant-medical-aveyron.csv");
    let survey = passerelle_import::profils::read_surveys(&path, r).unwrap().remove(0);
    assert_eq!(survey.target, SurveyTarget::Appellation(OgrCode::new(200145)));
    let est = estimate(r, r.fiche(RomeCode::parse("J1303").unwrap()).unwrap());
    let (mut stars, mut levels, mut both_used) = (0, 0, 0);
    for c in Competency::ALL {
        let (a, b) = (est.get(c), survey.profile.get(c));
        println!("{c} | {} | {} | {} | {}", b.stars(), b.level(), a.stars(), a.level());
        stars += usize::from(a.stars().abs_diff(b.stars()) <= 1);
        levels += usize::from(a.level().abs_diff(b.level()) <= 1);
        both_used += usize::from(a.is_used() && b.is_used());
    }
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/transversal.md")).unwrap();
    let claim = format!("{stars} compétences sur 14 s'accordent à une étoile près et {levels} sur 14 à un niveau près");
    assert!(doc.contains(&claim), "docs/transversal.md doit dire : « {claim} » ({both_used} mobilisées des deux côtés)");
}
