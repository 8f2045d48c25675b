//! DownloadRepository on both backends: downloads belong to the latest
//! import of their dataset, and recording them does not move the data version.

use passerelle_core::territory::records::TerritoryData;
use passerelle_store::testing::TestDb;
use passerelle_store::{Dataset, Download, DownloadRepository, TerritoryRepository};

passerelle_store::on_both_backends!(downloads_belong_to_the_latest_import);

fn download(name: &str) -> Download {
    Download {
        file_name: name.into(),
        url: format!("http://127.0.0.1:1/{name}"),
        downloaded_at: "2026-11-23T08:00:00Z".into(),
        size_bytes: 3,
        sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad".into(),
    }
}

fn downloads_belong_to_the_latest_import(db: TestDb) {
    let mut store = db.open();
    assert!(
        store
            .record_downloads(Dataset::Territoire, &[download("a.json")])
            .is_err(),
        "pas encore d'import"
    );
    assert!(store.downloads(Dataset::Territoire).unwrap().is_empty());
    store
        .replace_territory(&TerritoryData::default(), "2026-11-23T08:00:00Z")
        .unwrap();
    let version = store.data_version().unwrap();
    store
        .record_downloads(
            Dataset::Territoire,
            &[download("communes.json"), download("regions.json")],
        )
        .unwrap();
    assert_eq!(
        store.downloads(Dataset::Territoire).unwrap(),
        vec![download("communes.json"), download("regions.json")]
    );
    assert_eq!(
        store.data_version().unwrap(),
        version,
        "la provenance n'est pas une nouvelle version des données"
    );
    assert!(store.downloads(Dataset::Rome).unwrap().is_empty());
    // A later import from local files has no downloads.
    store
        .replace_territory(&TerritoryData::default(), "2026-11-24T08:00:00Z")
        .unwrap();
    assert!(store.downloads(Dataset::Territoire).unwrap().is_empty());
}
