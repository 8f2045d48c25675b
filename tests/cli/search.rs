//! `passerelle search` (issue 2).

use crate::common::*;

#[test]
fn search_assistant_medical_lists_the_appellation_first() {
    let db = db_with_rome();
    let out = stdout(&ok(passerelle_db(&db).args([
        "search",
        "assistant medical",
        "--limit",
        "5",
    ])));
    let first = out.lines().next().unwrap();
    assert!(first.starts_with("200145"), "{out}");
    assert!(
        first.contains("Assistant médical / Assistante médicale") && first.contains("J1303"),
        "{out}"
    );
}

#[test]
fn search_json_has_stable_keys() {
    let db = db_with_rome();
    let out = stdout(&ok(passerelle_db(&db).args([
        "search",
        "infirmiere",
        "--json",
    ])));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["query"], "infirmiere");
    let hit = &v["hits"][0];
    for key in ["kind", "code", "title", "rome", "rome_title", "poste"] {
        assert!(hit.get(key).is_some(), "clé {key} absente : {hit}");
    }
    assert!(
        v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["title"].as_str().unwrap().contains("Infirmière"))
    );
}

#[test]
fn search_rejects_absurd_limit_in_french() {
    let db = db_with_rome();
    let err = fails(passerelle_db(&db).args(["search", "aide", "--limit", "0"]));
    assert!(err.contains("--limit") && err.contains("1 à 200"), "{err}");
}
