//! TerritoryRepository on both backends with the real territorial data.

use passerelle_core::territory::records::TrainingOffer;
use passerelle_core::territory::{Amount, territorial_context};
use passerelle_core::{DeptCode, RomeCode};
use passerelle_store::territory::TerritoryRepository;
use passerelle_store::testing::TestDb;
use passerelle_territory::import::read_territory;

fn dept(s: &str) -> DeptCode {
    DeptCode::parse(s).unwrap()
}
fn rome(s: &str) -> RomeCode {
    RomeCode::parse(s).unwrap()
}

passerelle_store::on_both_backends!(import_context_and_all_or_nothing);

fn import_context_and_all_or_nothing(db: TestDb) {
    let data = read_territory(&passerelle_test_support::territory_dir()).unwrap();
    let mut store = db.open();
    assert!(!store.has_territory().unwrap());
    store
        .replace_territory(&data, "2026-11-23T00:00:00Z")
        .unwrap();
    assert!(store.has_territory().unwrap());
    assert_eq!(store.departements().unwrap().len(), 101);

    let ctx = store
        .context_rows(dept("034"), Some((rome("J1303"), Some(rome("J1303")))))
        .map(|rows| rows.map(territorial_context))
        .unwrap()
        .unwrap();
    assert_eq!(ctx.departement.nom, "Hérault");
    assert_eq!(ctx.population.text, "1\u{202f}230\u{202f}289");
    assert_eq!(
        ctx.population.source.as_ref().unwrap().text,
        "Insee, populations légales 2023"
    );
    assert_eq!(ctx.chomage.text, "10,4\u{202f}%");
    assert_eq!(ctx.chomage.source.as_ref().unwrap().year, Some(2023));
    let job = ctx.metier.as_ref().unwrap();
    assert_eq!(job.bmo.code_bmo.as_deref(), Some("V3X70"));
    assert_eq!(
        job.bmo.libelle_bmo.as_deref(),
        Some("Techniciens médicaux et préparateurs")
    );
    assert_eq!(job.bmo.projets.amount, Amount::Value { value: 101.0 });
    assert_eq!(job.bmo.difficiles.text, "au moins 63 (secret statistique)");
    assert_eq!(job.bmo.saisonniers.text, "au moins 24 (secret statistique)");
    assert_eq!(
        job.bmo.projets.source.as_ref().unwrap().text,
        "France Travail, enquête BMO 2025"
    );
    assert_eq!(job.offres.text, "390");
    assert!(
        job.offres.notes[0].contains("couverture partielle : 2 bassins d'emploi sur 6"),
        "{:?}",
        job.offres.notes
    );
    assert!(
        job.certifications
            .items
            .iter()
            .any(|c| c.rncp.as_deref() == Some("RNCP36358"))
    );
    assert_eq!(job.secteurs.items[0].naf, "8623Z");
    assert!(job.cqp.is_some());
    assert!(
        ctx.sources
            .contains(&"France Travail, enquête BMO 2025".to_string())
    );

    // Mayotte: no unemployment rate, population from the 2017 census.
    let m = store
        .context_rows(dept("976"), None)
        .map(|rows| rows.map(territorial_context))
        .unwrap()
        .unwrap();
    assert_eq!(m.chomage.text, "non disponible");
    assert!(matches!(m.chomage.amount, Amount::Unavailable { .. }));
    assert_eq!(
        m.population.source.unwrap().text,
        "Insee, recensement de la population 2017"
    );

    // A fiche known only through its parent code: figures inherited and labelled.
    let j1312 = store
        .context_rows(dept("34"), Some((rome("J1312"), Some(rome("J1303")))))
        .map(|rows| rows.map(territorial_context))
        .unwrap()
        .unwrap();
    let job = j1312.metier.unwrap();
    assert_eq!(job.offres.inherited_from.as_deref(), Some("J1303"));
    assert!(
        job.offres
            .notes
            .iter()
            .any(|n| n == "hérité du code parent J1303")
    );
    assert_eq!(job.secteurs.inherited_from.as_deref(), Some("J1303"));

    // A failing import (duplicate département) leaves everything unchanged.
    let before = serde_json::to_string(&ctx).unwrap();
    let mut bad = data.clone();
    bad.departements.push(bad.departements[0].clone());
    assert!(
        store
            .replace_territory(&bad, "2026-11-24T00:00:00Z")
            .is_err()
    );
    let after = store
        .context_rows(dept("34"), Some((rome("J1303"), Some(rome("J1303")))))
        .map(|rows| rows.map(territorial_context))
        .unwrap()
        .unwrap();
    assert_eq!(serde_json::to_string(&after).unwrap(), before);
    assert_eq!(
        store.territory_info().unwrap().unwrap().imported_at,
        "2026-11-23T00:00:00Z"
    );

    // Formations: atomic replace too.
    let offer = |id: &str| TrainingOffer {
        id: id.into(),
        intitule: "CQP Assistant médical".into(),
        organisme: "Infrep".into(),
        ville: "Montpellier".into(),
        departement: Some(dept("34")),
        rncp: Some("RNCP36358".into()),
        ..TrainingOffer::default()
    };
    store
        .replace_formations(&[offer("a")], "demo.xml", "2026-11-23T00:00:00Z")
        .unwrap();
    assert!(
        store
            .replace_formations(&[offer("b"), offer("b")], "bad.xml", "2026-11-23T00:00:00Z")
            .is_err()
    );
    let kept = store.formations_in(dept("34")).unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].id, "a");
    let ctx = store
        .context_rows(dept("34"), Some((rome("J1303"), None)))
        .map(|rows| rows.map(territorial_context))
        .unwrap()
        .unwrap();
    let f = &ctx.metier.unwrap().formations;
    assert_eq!(
        f.items.len(),
        1,
        "linked through the RNCP code of Certif Info"
    );
    assert_eq!(
        f.source.as_ref().unwrap().text,
        "Offre de formation importée, demo.xml"
    );

    assert!(
        store
            .context_rows(dept("2A"), None)
            .map(|rows| rows.map(territorial_context))
            .unwrap()
            .is_some()
    );

    // RNCP XML fiches: blocs of a Certif Info certification, and fiches citing the code.
    let dev = store
        .context_rows(dept("34"), Some((rome("M1805"), Some(rome("M1805")))))
        .map(|rows| rows.map(territorial_context))
        .unwrap()
        .unwrap();
    let job = dev.metier.unwrap();
    let tp = job
        .certifications
        .items
        .iter()
        .find(|c| c.rncp.as_deref() == Some("RNCP37674"))
        .unwrap();
    assert!(!tp.blocs.is_empty());
    assert!(
        tp.blocs[0].code.starts_with("RNCP37674BC"),
        "{:?}",
        tp.blocs
    );
    let numeros: Vec<&str> = job
        .fiches_rncp
        .items
        .iter()
        .map(|f| f.numero.as_str())
        .collect();
    assert!(
        numeros.contains(&"RNCP37674") && numeros.contains(&"RNCP35419"),
        "{numeros:?}"
    );
    assert!(
        dev.sources
            .iter()
            .any(|s| s.starts_with("France compétences")),
        "{:?}",
        dev.sources
    );
}
