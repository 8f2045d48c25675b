//! Property tests over query parameters and path codes: whatever a visitor
//! sends, the server answers without panicking and never with a 5xx.

mod support;

use axum::body::Body;
use axum::http::Request;
use http_body_util::BodyExt;
use passerelle_server::App;
use proptest::prelude::*;
use tower::ServiceExt;

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn status_of(uri: &str) -> u16 {
    let app = App::new(support::state());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let res = app
            .router()
            .oneshot(Request::get(uri).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = res.status().as_u16();
        let _ = res.into_body().collect().await.unwrap();
        status
    })
}

/// Values that look like parameters, and arbitrary text.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{0,4}",
        "-?[0-9]{1,3}(\\.[0-9]{0,3})?",
        "(transversal|savoirs|savoir_faire|contextes|x)=(-?[0-9.]{0,4}|NaN|inf)(,(savoirs|contextes)=[0-9]{1,2})?",
        "(2A|2B|97[1-6]|0?[0-9]{1,2}|[A-Z]{1,3})",
        "[A-Z][0-9]{4}",
        "[0-9]{1,7}(,[0-9]{1,7}){0,3}",
        "(score|savoirs|courte|possible|M|S)",
        any::<String>(),
        ".{0,300}",
    ]
}

fn code() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("J1303".to_string()),
        Just("200145".to_string()),
        Just("poste:hostile".to_string()),
        "[A-Za-z][0-9]{4}",
        "[0-9]{1,12}",
        "poste:[a-z\\-]{0,10}",
        any::<String>(),
    ]
}

const NAMES: [&str; 13] = [
    "q",
    "limit",
    "weights",
    "dept",
    "sans",
    "format",
    "rome",
    "tri",
    "viabilite",
    "domaine",
    "riasec",
    "savoirs",
    "job",
];

fn query() -> impl Strategy<Value = String> {
    proptest::collection::vec((proptest::sample::select(&NAMES[..]), value()), 0..4).prop_map(
        |pairs| {
            pairs
                .iter()
                .map(|(k, v)| format!("{k}={}", enc(v)))
                .collect::<Vec<_>>()
                .join("&")
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn api_never_fails_on_input(code in code(), other in code(), q in query(), route in 0usize..8) {
        let (c, o) = (enc(&code), enc(&other));
        let uri = match route {
            0 => format!("/api/v1/search?{q}"),
            1 => format!("/api/v1/fiches/{c}?{q}"),
            2 => format!("/api/v1/fiches/{c}/sources?{q}"),
            3 => format!("/api/v1/fiches/{c}/targets?{q}"),
            4 => format!("/api/v1/gaps/{c}/{o}?{q}"),
            5 => format!("/api/v1/profils/{c}?{q}"),
            6 => format!("/api/v1/territoires/{c}?{q}"),
            _ => format!("/api/v1/fiches/{c}/document?{q}"),
        };
        let s = status_of(&uri);
        prop_assert!(s < 500, "{} → {}", uri, s);
    }

    #[test]
    fn pages_never_fail_on_input(code in code(), q in query(), route in 0usize..5) {
        let c = enc(&code);
        let uri = match route {
            0 => format!("/recherche?{q}"),
            1 => format!("/fiches/{c}?{q}&limit=3"),
            2 => format!("/comparaison/M1609/{c}?{q}"),
            3 => format!("/explorer/{c}?{q}&limit=5"),
            _ => format!("/fiches/{c}/variante?{q}"),
        };
        let s = status_of(&uri);
        prop_assert!(s < 500, "{} → {}", uri, s);
    }
}
