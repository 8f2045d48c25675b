//! The official v460 set, read from `PASSERELLE_DATA` (fails loudly when absent).

use passerelle_core::{CoeurMetier, CompetenceNature, ItemKind, OgrCode, RomeCode};
use passerelle_import::rome::FileStatus;

use passerelle_test_support::rome_v460 as v460;

#[test]
fn counts_equal_the_files() {
    let d = &v460().data;
    assert_eq!(d.fiches.len(), 1_584);
    assert_eq!(d.appellations.len(), 13_120);
    assert_eq!(d.competences.len(), 18_317);
    assert_eq!(
        d.competences
            .iter()
            .filter(|c| c.nature == CompetenceNature::MacroCompetence)
            .count(),
        507
    );
    assert_eq!(d.savoirs.len(), 15_354);
    assert_eq!(d.contextes.len(), 179);
    assert_eq!(
        d.fiches.iter().map(|f| f.items.len()).sum::<usize>(),
        104_219
    );
    assert_eq!(d.grands_domaines.len(), 14);
    assert_eq!(d.domaines.len(), 110);
}

#[test]
fn version_comes_from_version_txt() {
    let v = &v460().data.version;
    assert_eq!(v.number, 60);
    assert_eq!(v.label.as_deref(), Some("25M09"));
    assert_eq!(v.published.as_deref(), Some("18/09/2025"));
    assert_eq!(v.validated.as_deref(), Some("27/08/2025"));
}

#[test]
fn every_row_is_accounted_for_and_nothing_is_left_out() {
    let report = &v460().report;
    for f in &report.files {
        assert_eq!(f.imported + f.not_imported(), f.rows_read, "{}", f.file);
    }
    assert_eq!(
        report.rows_not_imported(),
        0,
        "{:#?}",
        report
            .files
            .iter()
            .filter(|f| !f.issues.is_empty())
            .collect::<Vec<_>>()
    );
    assert_eq!(
        report.file("liens_rome_referentiels").unwrap().rows_read,
        118_923
    );
    assert_eq!(report.file("coherence_item").unwrap().imported, 104_219);
    assert_eq!(
        report.file("arborescence_competences").unwrap().status,
        FileStatus::Absent
    );
    assert_eq!(report.file("type_referentiel").unwrap().rows_read, 0);
}

#[test]
fn naf_tree_is_decoded_from_latin9_with_a_warning() {
    let import = v460();
    assert!(
        import.report.warnings.iter().any(|w| w
            .contains("unix_arborescence_secteur_naf_v460_utf8.csv")
            && w.contains("ISO-8859-15")),
        "{:?}",
        import.report.warnings
    );
    assert_eq!(
        import
            .report
            .file("arborescence_secteur_naf")
            .unwrap()
            .imported,
        2_920
    );
    let a1101 = import
        .data
        .fiches
        .iter()
        .find(|f| f.code.as_str() == "A1101")
        .unwrap();
    assert!(a1101.secteurs_naf.iter().any(|s| s.code == "1"));
    // Correctly decoded: the fiche titles repeated in the file (with accents)
    // equal those of unix_referentiel_code_rome.
    assert!(
        !import
            .report
            .warnings
            .iter()
            .any(|w| w.contains("intitulé")),
        "{:?}",
        import.report.warnings
    );
}

#[test]
fn fiche_j1303_is_complete() {
    let r = passerelle_test_support::referential_v460();
    let f = r.fiche(RomeCode::parse("J1303").unwrap()).unwrap();
    assert_eq!(f.title, "Assistant / Assistante médico-technique");
    assert_eq!(f.domaine, "J13");
    assert!(f.riasec.is_some());
    assert!(!f.definition.is_empty() && !f.acces.is_empty());
    let app = r.appellation(OgrCode::new(200145)).unwrap();
    assert_eq!(app.rome, f.code);
    assert_eq!(
        r.appellation(f.appellations[0])
            .unwrap()
            .classification
            .as_deref(),
        Some("PRINCIPALE")
    );
    for kind in [ItemKind::SavoirFaire, ItemKind::Savoir, ItemKind::Contexte] {
        assert!(f.items_of(kind).count() > 0, "{kind:?}");
    }
    assert!(f.items.iter().any(|l| l.coeur == CoeurMetier::Principale));
    assert!(f.items.iter().all(|l| r.item(l.ogr).is_some()));
}

#[test]
fn texts_have_their_apostrophes_unescaped_and_ordered() {
    let d = &v460().data;
    let a1101 = d
        .fiches
        .iter()
        .find(|f| f.code.as_str() == "A1101")
        .unwrap();
    assert_eq!(
        a1101.definition[0],
        "Réalise des travaux agricoles mécanisés."
    );
    assert!(
        a1101.definition[2].contains("en assure l'entretien"),
        "{}",
        a1101.definition[2]
    );
    assert!(
        d.fiches
            .iter()
            .flat_map(|f| f.definition.iter().chain(&f.acces))
            .all(|s| !s.contains("''"))
    );
    let sentences: usize = d
        .fiches
        .iter()
        .map(|f| f.definition.len() + f.acces.len())
        .sum();
    assert_eq!(sentences, 11_980);
}

#[test]
fn coeur_metier_and_riasec_are_carried() {
    let d = &v460().data;
    let count = |c| {
        d.fiches
            .iter()
            .flat_map(|f| &f.items)
            .filter(|l| l.coeur == c)
            .count()
    };
    assert_eq!(count(CoeurMetier::Principale), 18_900);
    assert_eq!(count(CoeurMetier::Emergente), 1_731);
    assert_eq!(
        d.competences.iter().filter(|c| c.riasec.is_some()).count(),
        358
    ); // 149 have none
    assert_eq!(
        d.fiches.iter().filter(|f| f.riasec.is_some()).count(),
        1_584
    );
    assert_eq!(
        d.savoirs
            .iter()
            .filter(|s| s.category.is_certification())
            .count(),
        3_223
    );
}
