//! Search behaviour on the official ROME v460 titles (issue 2).

use std::sync::OnceLock;

use passerelle_search::{HitKind, SearchIndex};

fn index() -> &'static SearchIndex {
    static INDEX: OnceLock<SearchIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        SearchIndex::build(passerelle_test_support::referential_v460()).expect("index")
    })
}

fn labels(query: &str, limit: usize) -> Vec<String> {
    index()
        .search(query, limit)
        .unwrap()
        .into_iter()
        .map(|h| h.label)
        .collect()
}

#[test]
fn every_title_is_indexed() {
    assert_eq!(index().len(), 1_584 + 13_120);
}

#[test]
fn unaccented_query_finds_accented_title() {
    let hits = labels("infirmiere", 10);
    assert!(hits.iter().any(|l| l.contains("Infirmière")), "{hits:?}");
}

#[test]
fn assistant_medical_returns_the_appellation_first() {
    let hits = index().search("assistant medical", 10).unwrap();
    let first = &hits[0];
    assert_eq!(first.kind, HitKind::Appellation);
    assert_eq!(first.code, "200145", "{hits:#?}");
    assert_eq!(first.rome.as_str(), "J1303");
}

#[test]
fn secretaire_medicale_finds_m1609() {
    let hits = index().search("secretaire medicale", 5).unwrap();
    assert!(
        hits.iter().take(3).any(|h| h.rome.as_str() == "M1609"),
        "{hits:#?}"
    );
}

#[test]
fn codes_go_straight_to_their_entry() {
    let hits = index().search("j1303", 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(
        (hits[0].kind, hits[0].code.as_str()),
        (HitKind::Fiche, "J1303")
    );
    let hits = index().search("200145", 10).unwrap();
    assert_eq!(
        (hits[0].kind, hits[0].code.as_str()),
        (HitKind::Appellation, "200145")
    );
}

#[test]
fn typo_still_finds_developpeur() {
    let hits = labels("devlopeur", 10);
    assert!(
        hits.iter().any(|l| l.starts_with("Développeur")),
        "{hits:?}"
    );
}

#[test]
fn typeahead_prefix_finds_assistant_medical() {
    let hits = index().search("assistant med", 5).unwrap();
    assert!(hits.iter().any(|h| h.code == "200145"), "{hits:#?}");
}

#[test]
fn hostile_input_never_errors() {
    for q in [
        "",
        "   ",
        "\"",
        "(a OR b",
        "<script>alert(1)</script>",
        "title:*",
        "AND",
        "*",
        "\u{0}",
        &"x".repeat(10_000),
    ] {
        assert!(index().search(q, 10).is_ok(), "{q:?}");
    }
}

#[test]
fn limit_is_bounded() {
    assert!(index().search("a", 0).is_err());
    assert!(index().search("a", 201).is_err());
    let err = index().search("a", 500).unwrap_err().to_string();
    assert!(err.contains("limit"), "{err}");
    assert!(index().search("aide", 200).unwrap().len() <= 200);
}

#[test]
fn typeahead_suggests_assistant_medical() {
    let hits = index().typeahead("assistant med", 10).unwrap();
    assert!(hits.iter().any(|h| h.code == "200145"), "{hits:#?}");
    assert!(index().typeahead("assistant med", 0).is_err());
}
