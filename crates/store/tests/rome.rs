//! The ROME referential round-trips through both backends, and a failed
//! write leaves the previous referential untouched.

use passerelle_core::{Referential, ReferentialData, RomeCode};
use passerelle_store::rome::{NewRomeImport, RomeRepository};
use passerelle_store::testing::TestDb;
use passerelle_store::{Store, StoreError};

passerelle_store::on_both_backends!(
    empty_store_has_no_referential,
    v460_round_trips_exactly,
    failed_write_keeps_the_previous_referential,
    newer_import_replaces_the_old_one,
);

use passerelle_test_support::rome_v460 as v460;

fn save(store: &mut Store, data: &ReferentialData, at: &str) -> Result<(), StoreError> {
    store.replace_referential(&NewRomeImport {
        data,
        imported_at: at,
        source: "test",
        report_json: "{}",
    })
}

fn empty_store_has_no_referential(db: TestDb) {
    let store = db.open();
    assert!(!store.has_referential().unwrap());
    assert!(store.rome_info().unwrap().is_none());
    let err = store.load_referential().unwrap_err();
    assert!(matches!(err, StoreError::NoReferential));
    assert!(err.to_string().contains("passerelle import rome"), "{err}");
}

fn v460_round_trips_exactly(db: TestDb) {
    let mut store = db.open();
    save(&mut store, &v460().data, "2026-11-23T06:00:00Z").unwrap();
    drop(store);
    let store = db.open();
    let loaded = store.load_referential().unwrap();
    let expected = Referential::new(v460().data.clone());
    // Field by field first, for readable failures, then everything.
    assert_eq!(loaded.fiches.len(), expected.fiches.len());
    let j1303 = RomeCode::parse("J1303").unwrap();
    assert_eq!(loaded.fiche(j1303), expected.fiche(j1303));
    assert_eq!(loaded.appellations, expected.appellations);
    assert_eq!(loaded.competences, expected.competences);
    assert_eq!(loaded.data(), expected.data());

    let info = store.rome_info().unwrap().unwrap();
    assert_eq!(info.version.number, 60);
    assert_eq!(info.version.label.as_deref(), Some("25M09"));
    assert_eq!(info.imported_at, "2026-11-23T06:00:00Z");
    let c = &info.counts;
    assert_eq!(
        (
            c.fiches,
            c.appellations,
            c.competences,
            c.macro_competences,
            c.savoirs,
            c.contextes,
            c.fiche_items
        ),
        (1_584, 13_120, 18_317, 507, 15_354, 179, 104_219)
    );
    assert_eq!(c.certifications, 3_223);
    assert_eq!(store.rome_import_report().unwrap().as_deref(), Some("{}"));
}

fn failed_write_keeps_the_previous_referential(db: TestDb) {
    let mut store = db.open();
    save(&mut store, &v460().data, "2026-11-23T06:00:00Z").unwrap();
    let before_info = store.rome_info().unwrap();
    let before_version = store.data_version().unwrap();
    let before = store.load_referential().unwrap();

    // An appellation of an unknown fiche makes the write fail after the old
    // rows were deleted: the transaction must bring them back.
    let mut broken = v460().data.clone();
    broken.version.number = 61;
    broken.appellations[0].rome = RomeCode::parse("Z9999").unwrap();
    let err = save(&mut store, &broken, "2026-11-24T06:00:00Z").unwrap_err();
    assert!(err.to_string().contains("Z9999"), "{err}");

    assert_eq!(store.rome_info().unwrap(), before_info);
    assert_eq!(store.load_referential().unwrap().data(), before.data());
    assert_eq!(
        store.data_version().unwrap(),
        before_version,
        "a failed import publishes no new version"
    );

    // A failure inside the transaction, after the old rows were deleted
    // (duplicate appellation code: a unique key), is rolled back too.
    let mut duplicate = v460().data.clone();
    let first = duplicate.appellations[0].clone();
    duplicate.appellations.push(first);
    assert!(save(&mut store, &duplicate, "2026-11-24T06:00:00Z").is_err());
    assert_eq!(store.rome_info().unwrap(), before_info);
    assert_eq!(store.load_referential().unwrap().data(), before.data());
    assert_eq!(store.data_version().unwrap(), before_version);
}

fn newer_import_replaces_the_old_one(db: TestDb) {
    let mut store = db.open();
    assert_eq!(store.data_version().unwrap(), 0);
    save(&mut store, &v460().data, "2026-11-23T06:00:00Z").unwrap();
    assert_eq!(store.data_version().unwrap(), 1);
    let mut newer = v460().data.clone();
    newer.version.number = 61;
    newer.version.label = Some("26M06".into());
    newer.fiches.truncate(10);
    let kept: Vec<RomeCode> = newer.fiches.iter().map(|f| f.code).collect();
    newer.appellations.retain(|a| kept.contains(&a.rome));
    save(&mut store, &newer, "2026-11-24T07:00:00Z").unwrap();
    assert_eq!(
        store.data_version().unwrap(),
        2,
        "every import bumps the data version"
    );
    let info = store.rome_info().unwrap().unwrap();
    assert_eq!(
        (info.version.number, info.version.label.as_deref()),
        (61, Some("26M06"))
    );
    assert_eq!(info.imported_at, "2026-11-24T07:00:00Z");
    assert_eq!(info.counts.fiches, 10);
    assert_eq!(info.imports, 2);
    assert_eq!(store.load_referential().unwrap().fiches.len(), 10);
}
