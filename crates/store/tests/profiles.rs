//! ProfileRepository on both backends: surveys round-trip, replace by identifier, all or nothing.

use passerelle_core::transversal::{
    Competency, ProfileEntry, Provenance, Survey, SurveyTarget, TransversalProfile,
};
use passerelle_core::{OgrCode, RomeCode};
use passerelle_store::ProfileRepository;
use passerelle_store::testing::TestDb;

passerelle_store::on_both_backends!(
    surveys_round_trip_and_replace_by_identifier,
    a_failing_batch_writes_nothing
);

fn survey(id: &str, target: SurveyTarget, communiquer: (u8, u8)) -> Survey {
    let mut entries = [ProfileEntry::UNUSED; 14];
    entries[Competency::Communiquer.index()] =
        ProfileEntry::new(communiquer.0, communiquer.1).unwrap();
    entries[Competency::ApprendreContinu.index()] = ProfileEntry::new(3, 3).unwrap();
    Survey {
        target,
        profile: TransversalProfile {
            entries: entries.map(Some),
            provenance: Provenance::Enquete {
                id: id.into(),
                source: "AFPA Évolution 21, enquête Aveyron".into(),
                date: "2024".into(),
                territory: Some("12".into()),
                population: None,
            },
            rome: None,
        },
    }
}

const APP: SurveyTarget = SurveyTarget::Appellation(OgrCode::new(200145));

fn surveys_round_trip_and_replace_by_identifier(db: TestDb) {
    let mut store = db.open();
    let rome = SurveyTarget::Rome(RomeCode::parse("J1303").unwrap());
    let (a, b) = (survey("a", APP, (1, 5)), survey("b", rome, (2, 4)));
    store
        .save_surveys(&[a.clone(), b.clone()], "2026-11-23T08:00:00Z")
        .unwrap();
    let mut b_loaded = b.clone();
    b_loaded.profile.rome = Some(RomeCode::parse("J1303").unwrap());
    assert_eq!(
        store.load_surveys().unwrap(),
        vec![a.clone(), b_loaded.clone()]
    );
    // Same identifier: replaced, not duplicated; the other survey stays.
    let a2 = survey("a", APP, (2, 3));
    store
        .save_surveys(std::slice::from_ref(&a2), "2026-11-23T09:00:00Z")
        .unwrap();
    assert_eq!(store.load_surveys().unwrap(), vec![a2, b_loaded]);
}

fn a_failing_batch_writes_nothing(db: TestDb) {
    let mut store = db.open();
    let first = survey("a", APP, (1, 5));
    store
        .save_surveys(std::slice::from_ref(&first), "t")
        .unwrap();
    let mut estimated = survey("c", APP, (1, 1));
    estimated.profile.provenance = Provenance::Estime {
        method: "m".into(),
        rome_version: "60".into(),
    };
    // The first two of the batch are valid; the third fails: none is kept.
    let batch = [
        survey("a", APP, (4, 4)),
        survey("b", APP, (2, 2)),
        estimated,
    ];
    assert!(store.save_surveys(&batch, "t").is_err());
    assert_eq!(store.load_surveys().unwrap(), vec![first]);
}
