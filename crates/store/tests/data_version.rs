//! The data version: bumped by every import transaction on both backends;
//! on PostgreSQL, published with NOTIFY and seen by a LISTENing connection,
//! while readers keep the old version until the import commits.

use std::time::Duration;

use passerelle_core::OgrCode;
use passerelle_core::transversal::{
    Competency, ProfileEntry, Provenance, Survey, SurveyTarget, TransversalProfile,
};
use passerelle_store::testing::{Backend, TestDb};
use passerelle_store::{
    DataVersionListener, DbLocation, PosteRepository, ProfileRepository, TerritoryRepository,
};

passerelle_store::on_both_backends!(every_kind_of_import_bumps_the_version_once);

fn survey(id: &str) -> Survey {
    let mut entries = [ProfileEntry::UNUSED; 14];
    entries[Competency::Communiquer.index()] = ProfileEntry::new(2, 4).unwrap();
    Survey {
        target: SurveyTarget::Appellation(OgrCode::new(200145)),
        profile: TransversalProfile {
            entries: entries.map(Some),
            provenance: Provenance::Enquete {
                id: id.into(),
                source: "enquête d'essai".into(),
                date: "2024".into(),
                territory: None,
                population: None,
            },
            rome: None,
        },
    }
}

fn every_kind_of_import_bumps_the_version_once(db: TestDb) {
    let mut store = db.open();
    assert_eq!(store.data_version().unwrap(), 0);
    store.save_surveys(&[survey("a")], "t").unwrap();
    assert_eq!(store.data_version().unwrap(), 1);
    store.save_postes(&[], "t").unwrap();
    assert_eq!(store.data_version().unwrap(), 2);
    store.replace_formations(&[], "vide.csv", "t").unwrap();
    assert_eq!(store.data_version().unwrap(), 3);
    // Reopening reads the same version: it is stored, not counted in memory.
    drop(store);
    assert_eq!(db.open().data_version().unwrap(), 3);
}

#[test]
fn postgres_listeners_see_committed_versions_and_readers_never_see_uncommitted_ones() {
    let Some(db) = TestDb::new(Backend::Postgres) else {
        return;
    };
    let DbLocation::Postgres(url) = db.location.clone() else {
        unreachable!()
    };
    let mut store = db.open();
    let mut listener = DataVersionListener::connect(&url).unwrap();
    assert_eq!(listener.current().unwrap(), 0);
    assert_eq!(
        listener.wait(Duration::from_millis(50)).unwrap(),
        None,
        "no import, no notification"
    );

    store.save_surveys(&[survey("a")], "t").unwrap();
    assert_eq!(listener.wait(Duration::from_secs(10)).unwrap(), Some(1));

    // Two imports before the listener looks: one wake-up, at the latest version.
    store.save_surveys(&[survey("b")], "t").unwrap();
    store.save_surveys(&[survey("c")], "t").unwrap();
    assert_eq!(listener.wait(Duration::from_secs(10)).unwrap(), Some(3));
    assert_eq!(listener.wait(Duration::from_millis(50)).unwrap(), None);

    // A failed import publishes nothing.
    let mut estimated = survey("d");
    estimated.profile.provenance = Provenance::Estime {
        method: "m".into(),
        rome_version: "60".into(),
    };
    assert!(store.save_surveys(&[survey("e"), estimated], "t").is_err());
    assert_eq!(listener.wait(Duration::from_millis(300)).unwrap(), None);
    assert_eq!(store.data_version().unwrap(), 3);
    assert_eq!(store.load_surveys().unwrap().len(), 3);
}

#[test]
fn postgres_readers_keep_the_old_data_until_the_import_commits() {
    let Some(db) = TestDb::new(Backend::Postgres) else {
        return;
    };
    let DbLocation::Postgres(url) = db.location.clone() else {
        unreachable!()
    };
    let mut store = db.open();
    store.save_surveys(&[survey("old")], "t").unwrap();
    // An import left open by another session: its writes are not visible yet.
    let mut writer = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let mut tx = writer.transaction().unwrap();
    tx.batch_execute("UPDATE data_version SET counter = counter + 1; DELETE FROM survey_entries; DELETE FROM surveys;")
        .unwrap();
    let reader = db.open();
    let seen: Vec<String> = reader
        .load_surveys()
        .unwrap()
        .iter()
        .map(|s| s.id().to_string())
        .collect();
    assert_eq!(seen, ["old"]);
    assert_eq!(reader.data_version().unwrap(), 1);
    tx.commit().unwrap();
    assert!(reader.load_surveys().unwrap().is_empty());
    assert_eq!(reader.data_version().unwrap(), 2);
}

fn sqlite(store: &passerelle_store::Store) -> &passerelle_store::SqliteStore {
    match store {
        passerelle_store::Store::Sqlite(s) => s,
        passerelle_store::Store::Postgres(_) => unreachable!("base SQLite"),
    }
}

/// What a server does across reloads: a snapshot pinned at each version,
/// the older one dropped, then the WAL reclaimed. The WAL is emptied, each
/// import then adds only its own pages, and the pinned snapshot keeps
/// reading its version whatever is imported after.
#[test]
fn sqlite_wal_is_emptied_while_a_snapshot_stays_pinned() {
    let db = TestDb::new(Backend::Sqlite).unwrap();
    let mut writer = db.open();
    let helper = db.open();
    writer.save_surveys(&[survey("a")], "t").unwrap();
    let old = db.open();
    assert_eq!(old.pin_snapshot().unwrap(), 1);
    writer.save_surveys(&[survey("b")], "t").unwrap();
    assert!(sqlite(&helper).wal_size() > 0);

    let mut pinned = db.open();
    assert_eq!(pinned.pin_snapshot().unwrap(), 2);
    drop(old);
    let mut one_import = 0;
    for round in 0..3u64 {
        let version = 2 + round;
        let mut repinned = Vec::new();
        let reclaimed = sqlite(&helper)
            .reclaim_wal(version, &mut || {
                repinned.push(sqlite(&pinned).repin()?);
                Ok(())
            })
            .unwrap();
        assert!(reclaimed, "round {round}");
        assert_eq!(repinned, [version], "re-pinned at the same version");
        assert_eq!(sqlite(&helper).wal_size(), 0, "round {round}: WAL emptied");

        writer
            .save_surveys(&[survey(&format!("r{round}"))], "t")
            .unwrap();
        assert_eq!(
            pinned.data_version().unwrap(),
            version,
            "the snapshot keeps its version"
        );
        let wal = sqlite(&helper).wal_size();
        assert!(wal > 0);
        if round == 0 {
            one_import = wal;
        }
        assert_eq!(
            wal, one_import,
            "round {round}: one import's pages, not more"
        );

        // The server's reload: a new snapshot, then the old one dropped.
        let next = db.open();
        assert_eq!(next.pin_snapshot().unwrap(), version + 1);
        pinned = next;
    }

    // An import committed after the snapshot was taken: nothing is re-pinned.
    writer.save_surveys(&[survey("z")], "t").unwrap();
    let mut called = false;
    let reclaimed = sqlite(&helper)
        .reclaim_wal(5, &mut || {
            called = true;
            Ok(())
        })
        .unwrap();
    assert!(!reclaimed && !called);
    assert_eq!(pinned.data_version().unwrap(), 5);
}
