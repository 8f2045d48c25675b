//! PosteRepository on both backends: postes round-trip, replace by slug, all or nothing.

use passerelle_core::referential::{CoeurMetier, ItemKind, ItemLink};
use passerelle_core::{OgrCode, Poste, PosteProvenance, RomeCode};
use passerelle_store::testing::TestDb;
use passerelle_store::{PosteRepository, StoredPoste};

passerelle_store::on_both_backends!(
    postes_round_trip_with_labels_kinds_and_extras,
    a_failing_save_writes_nothing
);

fn link(o: u32, kind: ItemKind, coeur: CoeurMetier) -> ItemLink {
    ItemLink {
        ogr: OgrCode::new(o),
        kind,
        coeur,
    }
}

fn stored(slug: &str, items: Vec<ItemLink>) -> StoredPoste {
    let labels = items
        .iter()
        .map(|l| (l.ogr, format!("libellé {}", l.ogr)))
        .collect();
    let extra = items
        .iter()
        .filter(|l| l.coeur == CoeurMetier::Non)
        .map(|l| l.ogr)
        .collect();
    StoredPoste {
        poste: Poste {
            slug: slug.into(),
            title: "Assistant médical".into(),
            base: RomeCode::parse("J1303").unwrap(),
            appellation: Some(OgrCode::new(200145)),
            items,
            extra,
            provenance: PosteProvenance {
                author: "Équipe".into(),
                date: "2026-11-23".into(),
                basis: "fiche AFPA".into(),
            },
            rome_version: 60,
            survey: Some("afpa-aveyron-assistant-medical".into()),
            notes: vec!["« rapprochement »".into()],
        },
        labels,
    }
}

fn postes_round_trip_with_labels_kinds_and_extras(db: TestDb) {
    let mut store = db.open();
    let p = stored(
        "assistant-medical",
        vec![
            link(107361, ItemKind::Savoir, CoeurMetier::Principale),
            link(124221, ItemKind::SavoirFaire, CoeurMetier::Emergente),
            link(300490, ItemKind::SavoirEtre, CoeurMetier::Principale),
            link(38126, ItemKind::Contexte, CoeurMetier::Non),
        ],
    );
    store
        .save_postes(std::slice::from_ref(&p), "2026-11-23T00:00:00Z")
        .unwrap();
    let loaded = store.load_postes().unwrap();
    assert_eq!(loaded.len(), 1);
    assert_eq!(loaded[0].poste, p.poste);
    assert_eq!(loaded[0].labels, p.labels);
    // Same slug again: replaced, not duplicated.
    let smaller = stored(
        "assistant-medical",
        vec![link(107361, ItemKind::Savoir, CoeurMetier::Principale)],
    );
    store
        .save_postes(&[smaller], "2026-11-24T00:00:00Z")
        .unwrap();
    let loaded = store.load_postes().unwrap();
    assert_eq!(loaded.len(), 1);
    assert_eq!(loaded[0].poste.items.len(), 1);
}

fn a_failing_save_writes_nothing(db: TestDb) {
    let mut store = db.open();
    let good = stored(
        "a",
        vec![link(1, ItemKind::Savoir, CoeurMetier::Principale)],
    );
    // The same item twice breaks the (slug, ogr) key after `good` was written.
    let bad = stored(
        "b",
        vec![link(2, ItemKind::Savoir, CoeurMetier::Principale); 2],
    );
    assert!(
        store
            .save_postes(&[good, bad], "2026-11-23T00:00:00Z")
            .is_err()
    );
    assert!(store.load_postes().unwrap().is_empty());
}
