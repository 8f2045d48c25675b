//! HTTP-level tests of every route (tower `oneshot`, no socket): status,
//! content, JSON errors with stable codes, escaping, security headers.

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use passerelle_server::App;
use tower::ServiceExt;

use support::{HOSTILE, bare_state, j1303_item, state};

struct Res {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Res {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("JSON attendu ({e}) : {}", self.text()))
    }
    fn header(&self, name: header::HeaderName) -> String {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    }
    /// Asserts a JSON error with this status and stable code.
    fn error(&self, status: u16, code: &str) -> serde_json::Value {
        assert_eq!(self.status.as_u16(), status, "{}", self.text());
        assert!(
            self.header(header::CONTENT_TYPE)
                .starts_with("application/json")
        );
        let j = self.json();
        assert_eq!(j["error"]["code"], code, "{j}");
        assert!(!j["error"]["message"].as_str().unwrap().is_empty());
        j
    }
}

async fn get_with(app: &App, uri: &str) -> Res {
    let res = app
        .router()
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    Res {
        status,
        headers,
        body,
    }
}

async fn get(uri: &str) -> Res {
    get_with(&App::new(state()), uri).await
}

fn assert_ok(r: &Res) {
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
}

// ---------------------------------------------------------------------------
// health, headers

#[tokio::test]
async fn health_and_readiness() {
    let r = get("/healthz").await;
    assert_ok(&r);
    assert_eq!(r.text(), "ok");
    let r = get("/readyz").await;
    assert_ok(&r);
    let j = r.json();
    assert_eq!(j["status"], "ready");
    assert_eq!(j["fiches"], 1584);
    assert_eq!(j["appellations"], 13_120);
    assert_eq!(j["territoire"], true);
}

#[tokio::test]
async fn security_headers_on_pages_and_api() {
    for uri in [
        "/",
        "/api/v1/search?q=assistant",
        "/fiches/J1303",
        "/nulle-part",
        "/api/v1/nulle-part",
    ] {
        let r = get(uri).await;
        let csp = r.header(header::CONTENT_SECURITY_POLICY);
        assert!(csp.contains("default-src 'none'"), "{uri}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{uri}: {csp}");
        assert!(csp.contains("script-src 'self'"), "{uri}: {csp}");
        assert!(
            !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"),
            "{uri}: {csp}"
        );
        assert_eq!(r.header(header::X_CONTENT_TYPE_OPTIONS), "nosniff", "{uri}");
        assert_eq!(r.header(header::REFERRER_POLICY), "no-referrer", "{uri}");
        assert_eq!(r.header(header::X_FRAME_OPTIONS), "DENY", "{uri}");
    }
}

#[tokio::test]
async fn comparaison_says_which_bloc_covers_which_item_to_acquire() {
    let r = get("/comparaison/M1609/J1303?dept=34").await;
    assert_ok(&r);
    let html = r.text();
    assert!(
        html.contains("CQP Assistant médical : ce que couvrent ses blocs"),
        "{html}"
    );
    let start = html
        .find("Bloc 3 – Hygiène et qualité : couvre")
        .expect("bloc 3");
    let line = &html[start..start + html[start..].find("</li>").unwrap()];
    assert!(
        line.contains("Règles d&#39;hygiène et d&#39;asepsie")
            || line.contains("Règles d'hygiène et d'asepsie"),
        "{line}"
    );
    assert!(html.contains("Aucun bloc ne prépare"), "{html}");
    // Without the département, no certification data, no section.
    let html = get("/comparaison/M1609/J1303").await.text();
    assert!(!html.contains("ce que couvrent ses blocs"));
}

#[tokio::test]
async fn pages_have_no_inline_script_or_style() {
    for uri in [
        "/",
        "/fiches/J1303?dept=34",
        "/comparaison/M1609/J1303?dept=34",
        "/explorer/M1609",
        "/methode",
        "/recherche?q=soudeur",
    ] {
        let r = get(uri).await;
        assert_ok(&r);
        let html = r.text();
        assert!(html.contains("<html lang=\"fr\">"), "{uri}");
        assert!(
            html.contains("aide au jugement") && html.contains("Aucune donnée personnelle"),
            "{uri}: notice"
        );
        assert!(!html.contains(" style=\""), "{uri}: attribut style");
        assert!(!html.contains("<style"), "{uri}: <style>");
        for (i, _) in html.match_indices("<script") {
            assert!(
                html[i..].starts_with("<script src=\"/static/app.js\" defer></script>"),
                "{uri}: script en ligne"
            );
        }
        assert!(!html.contains(" on") || !html.contains("onclick="), "{uri}");
    }
}

#[tokio::test]
async fn request_body_limit_applies() {
    let app = App::new(state());
    let big = vec![b'a'; passerelle_server::BODY_LIMIT + 1];
    let res = app
        .router()
        .oneshot(
            Request::post("/api/v1/search?q=a")
                .header(header::CONTENT_LENGTH, big.len())
                .body(Body::from(big))
                .unwrap(),
        )
        .await
        .unwrap();
    assert!(
        res.status() == StatusCode::PAYLOAD_TOO_LARGE
            || res.status() == StatusCode::METHOD_NOT_ALLOWED,
        "{}",
        res.status()
    );
    assert_ne!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
}

#[tokio::test]
async fn static_assets() {
    let r = get("/static/app.js").await;
    assert_ok(&r);
    assert!(
        r.header(header::CONTENT_TYPE)
            .starts_with("text/javascript")
    );
    assert!(r.text().contains("/api/v1/search"));
    let r = get("/static/style.css").await;
    assert_ok(&r);
    assert!(r.header(header::CONTENT_TYPE).starts_with("text/css"));
}

// ---------------------------------------------------------------------------
// search

#[tokio::test]
async fn search_finds_titles_without_accents() {
    let r = get("/api/v1/search?q=assistante%20medicale&limit=20").await;
    assert_ok(&r);
    let j = r.json();
    let hits = j["hits"].as_array().unwrap();
    assert!(hits.len() <= 20);
    assert!(
        hits.iter()
            .any(|h| h["code"] == "200145" && h["rome"] == "J1303"),
        "{j}"
    );
    let r = get("/api/v1/search?q=J1303").await;
    assert!(
        r.json()["hits"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["kind"] == "fiche" && h["code"] == "J1303")
    );
}

/// Suggestions read once each, and a typo still finds the poste of the
/// appellation it describes.
#[test]
fn suggestions_are_distinct_and_find_the_poste_through_a_typo() {
    use passerelle_server::{IndexSearch, Searcher, SimpleSearch};
    let referential = support::referential();
    let mut poste = support::hostile_poste(&referential);
    poste.slug = "assistant-medical".into();
    poste.title = "Assistant médical".into();
    poste.appellation = Some(passerelle_core::OgrCode::parse("200145").unwrap());
    let catalog = passerelle_core::Catalog::new(referential, vec![poste], Vec::new());
    let index = IndexSearch::new(&catalog).unwrap();
    let simple = SimpleSearch::new(&catalog);
    let searchers: [&dyn Searcher; 2] = [&index, &simple];
    for s in searchers {
        for q in [
            "secretaire medical",
            "biologiste medical",
            "ARM",
            "assistant med",
        ] {
            let hits = s.search(q, 8);
            for (i, h) in hits.iter().enumerate() {
                assert!(
                    !hits[..i]
                        .iter()
                        .any(|o| o.title == h.title && o.rome == h.rome),
                    "« {q} » : « {} » ({}) deux fois",
                    h.title,
                    h.rome
                );
            }
        }
    }
    let hits = index.search("asistant medical", 8);
    assert_eq!(hits[0].code, "poste:assistant-medical", "{hits:?}");
    assert_eq!(hits.len(), 8, "{hits:?}");
    // Another query does not bring the poste to the top.
    let hits = index.search("secretaire medical", 8);
    assert_eq!(
        hits[0].title, "Secrétaire médical / Secrétaire médicale",
        "{hits:?}"
    );
}

#[tokio::test]
async fn search_validates_its_parameters() {
    get("/api/v1/search").await.error(400, "parametre_invalide");
    get("/api/v1/search?q=")
        .await
        .error(400, "parametre_invalide");
    let long = "a".repeat(201);
    get(&format!("/api/v1/search?q={long}"))
        .await
        .error(400, "parametre_invalide");
    for bad in ["0", "201", "-1", "abc", "1e3", "99999999999999999999999"] {
        let j = get(&format!("/api/v1/search?q=a&limit={bad}"))
            .await
            .error(400, "limite_invalide");
        assert_eq!(j["error"]["parametre"], "limit");
    }
    get("/api/v1/search?q=a&q=b")
        .await
        .error(400, "requete_invalide");
    assert_ok(&get("/api/v1/search?q=a&limit=200").await);
}

#[tokio::test]
async fn search_with_payloads_is_json_and_harmless() {
    let r = get("/api/v1/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E%22%27").await;
    assert_ok(&r);
    assert!(
        r.header(header::CONTENT_TYPE)
            .starts_with("application/json")
    );
    assert_eq!(r.json()["query"], "<script>alert(1)</script>\"'");
}

// ---------------------------------------------------------------------------
// fiches, sources, targets

#[tokio::test]
async fn fiche_by_rome_appellation_and_poste() {
    let j = get("/api/v1/fiches/J1303").await.json();
    assert_eq!(j["job"]["id"], "J1303");
    assert_eq!(
        j["fiche"]["title"],
        "Assistant / Assistante médico-technique"
    );
    assert!(j["items"].as_array().unwrap().len() > 30);
    let j = get("/api/v1/fiches/j1303").await.json();
    assert_eq!(j["job"]["id"], "J1303");
    let j = get("/api/v1/fiches/200145").await.json();
    assert_eq!(j["job"]["appellation"], 200145);
    assert!(j["job"]["resolution"].as_str().unwrap().contains("200145"));
    let j = get("/api/v1/fiches/poste:hostile").await.json();
    assert_eq!(j["job"]["id"], "poste:hostile");
    assert_eq!(j["job"]["title"], HOSTILE);
    assert_eq!(j["items"].as_array().unwrap().len(), 20);
}

#[tokio::test]
async fn unknown_and_invalid_codes() {
    get("/api/v1/fiches/Z9999")
        .await
        .error(404, "metier_inconnu");
    get("/api/v1/fiches/999999")
        .await
        .error(404, "metier_inconnu");
    get("/api/v1/fiches/poste:inconnu")
        .await
        .error(404, "metier_inconnu");
    for bad in [
        "%3Cscript%3E",
        "J13",
        "poste:Bad%20Slug",
        "%22%3E%3Cimg%3E",
        "1234567890123",
    ] {
        let j = get(&format!("/api/v1/fiches/{bad}"))
            .await
            .error(400, "code_invalide");
        assert_eq!(j["error"]["parametre"], "code");
    }
}

#[tokio::test]
async fn sources_of_a_target() {
    let r = get("/api/v1/fiches/J1303/sources?limit=15").await;
    assert_ok(&r);
    let j = r.json();
    assert_eq!(j["subject"]["id"], "J1303");
    assert_eq!(j["direction"], "sources");
    let rows = j["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 15);
    assert!(rows.iter().all(|r| r["code"] != "J1303"));
    let scores: Vec<f64> = rows.iter().map(|r| r["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    assert!(scores.iter().all(|s| (0.0..=1.0).contains(s)));
    // Cached answers are identical.
    assert_eq!(
        get("/api/v1/fiches/J1303/sources?limit=15").await.body,
        r.body
    );
    // The département adds context, never changes scores.
    let d = get("/api/v1/fiches/J1303/sources?limit=15&dept=34")
        .await
        .json();
    assert_eq!(d["dept"], "34");
    assert_eq!(d["territoire"]["departement"]["code"], "34");
    assert_eq!(d["rows"], j["rows"]);
    // Weights change the ranking's weights.
    let w = get("/api/v1/fiches/J1303/sources?limit=5&weights=savoirs=3")
        .await
        .json();
    assert_eq!(w["weights"]["savoirs"], 3.0);
    assert_eq!(
        w["weights"]["contextes"], 0.25,
        "les poids absents gardent leur défaut"
    );
    assert_eq!(w["rows"].as_array().unwrap().len(), 5);
}

#[tokio::test]
async fn local_is_refused_without_dept_on_sources_and_when_not_a_flag() {
    for (uri, message) in [
        ("/api/v1/fiches/M1609/targets?local=true", "dept"),
        (
            "/api/v1/fiches/M1609/sources?local=true&dept=34",
            "la demande locale est celle du métier cible : local s'applique à targets",
        ),
        (
            "/api/v1/fiches/M1609/targets?local=oui&dept=34",
            "ni true ni false",
        ),
    ] {
        let j = get(uri).await.error(400, "parametre_invalide");
        assert_eq!(j["error"]["parametre"], "local", "{uri}");
        let m = j["error"]["message"].as_str().unwrap();
        assert!(m.contains(message), "{uri}: {m}");
    }
}

#[tokio::test]
async fn sources_validate_parameters() {
    for (q, code, param) in [
        ("limit=0", "limite_invalide", "limit"),
        ("limit=201", "limite_invalide", "limit"),
        ("limit=%3Cscript%3E", "limite_invalide", "limit"),
        ("weights=savoirs=-1", "poids_invalides", "weights"),
        ("weights=savoirs=NaN", "poids_invalides", "weights"),
        ("weights=savoirs=inf", "poids_invalides", "weights"),
        ("weights=inconnu=1", "poids_invalides", "weights"),
        (
            "weights=savoirs=0,transversal=0,savoir_faire=0,contextes=0",
            "poids_invalides",
            "weights",
        ),
        ("weights=%22%3E%3Cscript%3E", "poids_invalides", "weights"),
        ("dept=999", "departement_invalide", "dept"),
        ("dept=%3Cscript%3E", "departement_invalide", "dept"),
        ("sans=1", "parametre_invalide", "sans"),
        ("sans=abc", "parametre_invalide", "sans"),
        ("limit=1&limit=2", "requete_invalide", "limit"),
    ] {
        let j = get(&format!("/api/v1/fiches/J1303/sources?{q}"))
            .await
            .error(400, code);
        assert_eq!(j["error"]["parametre"], param, "{q}");
    }
    get("/api/v1/fiches/J1303/sources?dept=75")
        .await
        .error(404, "departement_inconnu");
    get("/api/v1/fiches/Z9999/sources")
        .await
        .error(404, "metier_inconnu");
}

#[tokio::test]
async fn targets_of_a_source() {
    let j = get("/api/v1/fiches/M1609/targets?limit=10").await.json();
    assert_eq!(j["direction"], "targets");
    assert_eq!(j["rows"].as_array().unwrap().len(), 10);
    get("/api/v1/fiches/M1609/targets?limit=300")
        .await
        .error(400, "limite_invalide");
}

#[tokio::test]
async fn variant_ranking_and_fiche() {
    let removed = j1303_item(0);
    let j = get(&format!(
        "/api/v1/fiches/J1303/sources?limit=5&sans={removed}"
    ))
    .await
    .json();
    assert_eq!(j["subject"]["id"], "poste:variante");
    assert!(
        j["subject"]["resolution"]
            .as_str()
            .unwrap()
            .starts_with("Variante de « Assistant")
    );
    let f = get(&format!("/api/v1/fiches/J1303?sans={removed}"))
        .await
        .json();
    let whole = get("/api/v1/fiches/J1303").await.json();
    assert_eq!(
        f["items"].as_array().unwrap().len() + 1,
        whole["items"].as_array().unwrap().len()
    );
    assert!(
        !f["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["ogr"] == removed.get())
    );
    // Removing everything is refused.
    let all: Vec<String> = support::referential()
        .fiche(passerelle_core::RomeCode::parse("J1303").unwrap())
        .unwrap()
        .items
        .iter()
        .map(|l| l.ogr.to_string())
        .collect();
    get(&format!(
        "/api/v1/fiches/J1303/sources?sans={}",
        all.join(",")
    ))
    .await
    .error(400, "parametre_invalide");
}

// ---------------------------------------------------------------------------
// gaps, profils, territoires, documents

#[tokio::test]
async fn gap_between_two_jobs() {
    let j = get("/api/v1/gaps/M1609/J1303?dept=34").await.json();
    assert_eq!(j["source"]["id"], "M1609");
    assert_eq!(j["target"]["id"], "J1303");
    assert_eq!(j["dept"], "34");
    let s = &j["savoirs"];
    assert_eq!(
        s["numerator"].as_u64().unwrap() as usize,
        s["acquis"].as_array().unwrap().len()
    );
    assert!(s["denominator"].as_u64().unwrap() > 0);
    assert!(!j["narrative"].as_array().unwrap().is_empty());
    get("/api/v1/gaps/M1609/Z9999")
        .await
        .error(404, "metier_inconnu");
    let e = get("/api/v1/gaps/%3Cb%3E/J1303")
        .await
        .error(400, "code_invalide");
    assert_eq!(e["error"]["parametre"], "source");
    get("/api/v1/gaps/M1609/J1303?weights=x")
        .await
        .error(400, "poids_invalides");
}

#[tokio::test]
async fn profil_of_a_job() {
    let j = get("/api/v1/profils/J1303").await.json();
    assert_eq!(j["job"]["id"], "J1303");
    assert!(j.get("profil").is_some());
    get("/api/v1/profils/Z9999")
        .await
        .error(404, "metier_inconnu");
}

#[tokio::test]
async fn territoire_of_a_departement() {
    let j = get("/api/v1/territoires/34?rome=J1303").await.json();
    assert_eq!(j["departement"]["code"], "34");
    assert_eq!(j["metier"]["code_rome"], "J1303");
    get("/api/v1/territoires/abc")
        .await
        .error(400, "departement_invalide");
    get("/api/v1/territoires/34?rome=XX")
        .await
        .error(400, "code_invalide");
    get("/api/v1/territoires/34?rome=Z9999")
        .await
        .error(404, "metier_inconnu");
    get("/api/v1/territoires/75")
        .await
        .error(404, "departement_inconnu");
    // Without territorial data: 503, JSON.
    get_with(&App::new(bare_state()), "/api/v1/territoires/34")
        .await
        .error(503, "donnees_indisponibles");
}

#[tokio::test]
async fn documents_in_three_formats() {
    let r = get("/api/v1/fiches/200145/document?dept=34&format=pdf").await;
    assert_ok(&r);
    assert_eq!(r.header(header::CONTENT_TYPE), "application/pdf");
    assert!(r.body.starts_with(b"%PDF"));
    assert!(r.header(header::CONTENT_DISPOSITION).contains("attachment"));
    let r = get("/api/v1/fiches/J1303/document").await;
    assert!(
        r.header(header::CONTENT_TYPE)
            .starts_with("application/json")
    );
    let r = get("/api/v1/fiches/J1303/document?format=html").await;
    let csp = r.header(header::CONTENT_SECURITY_POLICY);
    assert!(
        csp.contains("'sha256-abc'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    let r = get("/api/v1/gaps/M1609/200145/document?format=pdf&dept=34").await;
    assert!(r.body.starts_with(b"%PDF"));
    get("/api/v1/fiches/J1303/document?format=docx")
        .await
        .error(400, "format_invalide");
    get("/api/v1/gaps/M1609/J1303/document?format=%3Cscript%3E")
        .await
        .error(400, "format_invalide");
    get_with(
        &App::new(bare_state()),
        "/api/v1/fiches/J1303/document?format=pdf",
    )
    .await
    .error(503, "donnees_indisponibles");
}

#[tokio::test]
async fn fiche_document_takes_chosen_sources_and_markdown() {
    let r = get("/api/v1/fiches/J1303/document?format=md").await;
    assert_ok(&r);
    assert!(r.header(header::CONTENT_TYPE).starts_with("text/markdown"));
    assert!(r.header(header::CONTENT_DISPOSITION).contains(".md"));
    let r = get("/api/v1/gaps/M1609/J1303/document?format=md").await;
    assert!(r.header(header::CONTENT_TYPE).starts_with("text/markdown"));
    // The sources reach the provider, in the order given, repeats dropped.
    let r = get("/api/v1/fiches/J1303/document?sources=M1609,%20J1301,M1609").await;
    assert_ok(&r);
    assert_eq!(
        r.json()["titre"],
        "Assistant / Assistante médico-technique ; détaille M1609 ; détaille J1301"
    );
    let e = get("/api/v1/fiches/J1303/document?sources=M1609,Z9999")
        .await
        .error(404, "metier_inconnu");
    assert_eq!(e["error"]["parametre"], "sources", "{e}");
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("paramètre sources : ")
    );
    get("/api/v1/fiches/J1303/document?sources=%3Cscript%3E")
        .await
        .error(400, "code_invalide");
    let many = (1..=11).map(|i| format!("M16{i:02}")).collect::<Vec<_>>();
    let e = get(&format!(
        "/api/v1/fiches/J1303/document?sources={}",
        many.join(",")
    ))
    .await
    .error(400, "parametre_invalide");
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("au plus 10")
    );
    // The parcours route does not take sources.
    get("/api/v1/gaps/M1609/J1303/document?sources=M1609")
        .await
        .error(400, "parametre_inconnu");
}

#[tokio::test]
async fn fiche_page_carries_the_chosen_sources_to_the_documents() {
    // By default the three best rows are ticked and the links name none.
    let html = get("/fiches/J1303?dept=34").await.text();
    assert_eq!(
        html.matches(" checked>").count() - html.matches("name=\"garder\"").count(),
        3
    );
    assert!(html.contains("/api/v1/fiches/J1303/document?dept=34&#38;format=md"));
    // Ticked sources (checkboxes repeat the name; links join them).
    let html = get("/fiches/J1303?dept=34&sources=M1609&sources=J1301")
        .await
        .text();
    assert!(
        html.contains(
            "/api/v1/fiches/J1303/document?dept=34&#38;sources=M1609%2CJ1301&#38;format=pdf"
        ),
        "lien PDF sans les sources choisies"
    );
    assert!(html.contains("name=\"sources\" value=\"M1609\" id=\"detail-"));
    let r = get("/fiches/J1303?sources=Z9999").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let page = r.text();
    assert!(page.contains("Les métiers à détailler : "), "{page}");
    assert!(!page.contains("paramètre"), "{page}");
}

/// What pages must never show: the conventions' internal words, and data
/// file names by their extensions or the demo files' suffix.
fn forbidden() -> impl Iterator<Item = &'static str> {
    passerelle_test_support::INTERNAL_WORDS
        .into_iter()
        .chain([".xlsx", ".xml", ".zip", ".csv", "_demo"])
}

#[tokio::test]
async fn pages_show_no_internal_words() {
    for uri in [
        "/",
        "/recherche?q=assistant+medical&dept=34",
        "/fiches/J1303?dept=34",
        "/fiches/poste:hostile",
        "/comparaison/M1609/J1303?dept=34",
        "/comparaison/M1609/poste:hostile",
        "/explorer/M1609?dept=34",
        "/explorer/poste:hostile",
        "/methode",
        &format!("/fiches/J1303?dept=34&sans={}", j1303_item(0)),
        "/fiches/J1303?savoirs=abc",
        "/explorer/J1303?weights=abc",
    ] {
        let r = get(uri).await;
        let html = r.text();
        let text = passerelle_test_support::visible_text(&html);
        for w in forbidden() {
            assert!(!text.contains(w), "{uri} : « {w} » visible");
        }
        if r.status.is_success() {
            assert!(
                !text.contains("poste:"),
                "{uri} : identifiant de poste brut"
            );
        }
    }
    for uri in [
        "/api/v1/gaps/M1609/J1303?weights=salaire=1",
        "/api/v1/fiches/J1303/sources?weights=abc",
    ] {
        let r = get(uri).await;
        assert!(!r.text().contains("--weights"), "{uri}");
    }
}

/// An error page names the field in a counsellor's words (the JSON error
/// keeps the parameter's name), never the parameter nor the HTTP code.
#[tokio::test]
async fn error_pages_name_the_field_in_words() {
    let long_query = format!("/recherche?q={}", "a".repeat(201));
    for (uri, words) in [
        ("/fiches/J1303?dept=0", "Le département : "),
        (long_query.as_str(), "La recherche : "),
        ("/fiches/J1303?limit=0", "Le nombre de lignes : "),
        ("/fiches/J1303?viabilite=rapide", "La viabilité : "),
        ("/fiches/J1303?sans=1", "La variante : "),
        ("/fiches/Z9999", "Le métier : "),
        ("/comparaison/M1609/Z9999", "Le métier cible : "),
    ] {
        let r = get(uri).await;
        assert!(r.status.is_client_error(), "{uri} : {}", r.status);
        let text = passerelle_test_support::visible_text(&r.text());
        assert!(text.contains(words), "{uri} : « {words} » absent de {text}");
        for w in ["paramètre", "Code HTTP", "HTTP 4"] {
            assert!(!text.contains(w), "{uri} : « {w} » visible");
        }
        for w in forbidden() {
            assert!(!text.contains(w), "{uri} : « {w} » visible");
        }
    }
    let api = get("/api/v1/fiches/J1303/sources?dept=0").await.json();
    assert_eq!(api["error"]["parametre"], "dept");
    assert!(
        api["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("paramètre dept : ")
    );
}

#[tokio::test]
async fn favicon_and_explorer_breakdown() {
    for uri in ["/favicon.ico", "/favicon.svg"] {
        let r = get(uri).await;
        assert_ok(&r);
        assert_eq!(r.header(header::CONTENT_TYPE), "image/svg+xml", "{uri}");
        assert!(r.text().starts_with("<svg"), "{uri}");
    }
    assert!(
        get("/")
            .await
            .text()
            .contains(r#"<link rel="icon" href="/favicon.svg" type="image/svg+xml">"#)
    );
    let html = get("/explorer/M1609").await.text();
    assert!(
        html.contains("Règle des viabilités")
            && html.contains("reconversion longue : métier cible"),
        "règle des viabilités"
    );
    assert!(
        html.contains(r#"<span class="axe-valeur">Savoir-faire "#),
        "axes"
    );
}

#[tokio::test]
async fn unknown_routes() {
    get("/api/v1/inconnu").await.error(404, "route_inconnue");
    let r = get("/page-inconnue").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.text().contains("<html lang=\"fr\">"));
}

// ---------------------------------------------------------------------------
// OpenAPI and its docs UI

#[tokio::test]
async fn openapi_is_served_and_snapshotted() {
    let r = get("/api/openapi.json").await;
    assert_ok(&r);
    let spec = r.json();
    let paths = spec["paths"].as_object().unwrap();
    for p in [
        "/api/v1/search",
        "/api/v1/fiches/{code}",
        "/api/v1/fiches/{code}/sources",
        "/api/v1/fiches/{code}/targets",
        "/api/v1/fiches/{code}/document",
        "/api/v1/gaps/{source}/{target}",
        "/api/v1/gaps/{source}/{target}/document",
        "/api/v1/profils/{code}",
        "/api/v1/territoires/{dept}",
    ] {
        assert!(paths.contains_key(p), "{p} absent de la spécification");
    }
    insta::assert_json_snapshot!("openapi", spec);
}

/// Real responses match the schema the spec declares for them: every
/// property present is declared, every required one is present, types and
/// enums hold (a small checker of the subset utoipa emits: `$ref`, `allOf`,
/// `oneOf`, `type`, `enum`, `properties`, `required`, `items`).
#[tokio::test]
async fn responses_match_the_openapi_schema() {
    let spec = get("/api/openapi.json").await.json();
    for (path, uri) in [
        ("/api/v1/fiches/{code}", "/api/v1/fiches/J1303"),
        (
            "/api/v1/fiches/{code}/sources",
            "/api/v1/fiches/J1303/sources?dept=34",
        ),
        (
            "/api/v1/fiches/{code}/targets",
            "/api/v1/fiches/M1609/targets",
        ),
        (
            "/api/v1/gaps/{source}/{target}",
            "/api/v1/gaps/M1609/J1303?dept=34",
        ),
        ("/api/v1/profils/{code}", "/api/v1/profils/J1303"),
        (
            "/api/v1/territoires/{dept}",
            "/api/v1/territoires/34?rome=J1303",
        ),
        ("/api/v1/search", "/api/v1/search?q=assistant"),
    ] {
        let r = get(uri).await;
        assert_ok(&r);
        let schema = &spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
            ["schema"];
        assert!(schema.is_object(), "{path} : pas de schéma de réponse");
        let body = r.json();
        if let Err(e) = schema::check(&spec, schema, &body) {
            panic!("{uri} ne suit pas son schéma : {e}");
        }
        if path == "/api/v1/gaps/{source}/{target}" {
            // The checker bites: an undeclared property is refused.
            let mut bad = body.clone();
            bad["savoirs"]["inconnu"] = serde_json::json!(1);
            assert!(schema::check(&spec, schema, &bad).is_err());
        }
    }
}

/// The subset of JSON Schema the OpenAPI document uses, checked strictly
/// (objects may only hold declared properties).
mod schema {
    use serde_json::{Map, Value};

    pub fn check(spec: &Value, schema: &Value, v: &Value) -> Result<(), String> {
        check_at(spec, schema, v, "$")
    }

    fn check_at(spec: &Value, schema: &Value, v: &Value, at: &str) -> Result<(), String> {
        let mut errors = Vec::new();
        for alt in expand(spec, schema) {
            match check_flat(spec, &alt, v, at) {
                Ok(()) => return Ok(()),
                Err(e) => errors.push(e),
            }
        }
        Err(errors.join(" | "))
    }

    fn resolve<'a>(spec: &'a Value, r: &str) -> &'a Value {
        let name = r.strip_prefix("#/components/schemas/").expect(r);
        let s = &spec["components"]["schemas"][name];
        assert!(s.is_object(), "schéma {name} absent");
        s
    }

    /// The schema as alternatives without `$ref`, `allOf` or `oneOf`.
    fn expand(spec: &Value, s: &Value) -> Vec<Map<String, Value>> {
        if let Some(r) = s.get("$ref").and_then(Value::as_str) {
            return expand(spec, resolve(spec, r));
        }
        let mut base = s.as_object().cloned().unwrap_or_default();
        base.remove("allOf");
        base.remove("oneOf");
        let mut alts = vec![base];
        for part in s
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let parts = expand(spec, part);
            alts = alts
                .iter()
                .flat_map(|a| parts.iter().map(move |p| merge(a, p)))
                .collect();
        }
        if let Some(one) = s.get("oneOf").and_then(Value::as_array) {
            let choices: Vec<_> = one.iter().flat_map(|c| expand(spec, c)).collect();
            alts = alts
                .iter()
                .flat_map(|a| choices.iter().map(move |c| merge(a, c)))
                .collect();
        }
        alts
    }

    fn merge(a: &Map<String, Value>, b: &Map<String, Value>) -> Map<String, Value> {
        let mut out = a.clone();
        for (k, v) in b {
            match (k.as_str(), out.get_mut(k)) {
                ("properties", Some(Value::Object(p))) => {
                    p.extend(v.as_object().cloned().unwrap_or_default());
                }
                ("required", Some(Value::Array(r))) => {
                    r.extend(v.as_array().cloned().unwrap_or_default());
                }
                (_, None) => {
                    out.insert(k.clone(), v.clone());
                }
                _ => {}
            }
        }
        out
    }

    fn has_type(v: &Value, t: &str) -> bool {
        match t {
            "null" => v.is_null(),
            "boolean" => v.is_boolean(),
            "integer" => v.is_i64() || v.is_u64(),
            "number" => v.is_number(),
            "string" => v.is_string(),
            "array" => v.is_array(),
            "object" => v.is_object(),
            _ => panic!("type {t} inattendu"),
        }
    }

    fn check_flat(spec: &Value, s: &Map<String, Value>, v: &Value, at: &str) -> Result<(), String> {
        if let Some(e) = s.get("enum").and_then(Value::as_array)
            && !e.contains(v)
        {
            return Err(format!("{at} : {v} hors de {e:?}"));
        }
        let types: Vec<&str> = match s.get("type") {
            Some(Value::String(t)) => vec![t],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        if !types.is_empty() && !types.iter().any(|t| has_type(v, t)) {
            return Err(format!("{at} : {v} n'est pas de type {types:?}"));
        }
        if let (Some(items), Some(a)) = (s.get("items"), v.as_array()) {
            for (i, x) in a.iter().enumerate() {
                check_at(spec, items, x, &format!("{at}[{i}]"))?;
            }
        }
        if let (Some(props), Some(o)) = (
            s.get("properties").and_then(Value::as_object),
            v.as_object(),
        ) {
            for r in s
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let r = r.as_str().unwrap();
                if !o.contains_key(r) {
                    return Err(format!("{at} : propriété requise {r} absente"));
                }
            }
            for (k, x) in o {
                let Some(p) = props.get(k) else {
                    return Err(format!("{at} : propriété {k} non déclarée"));
                };
                check_at(spec, p, x, &format!("{at}.{k}"))?;
            }
        }
        Ok(())
    }
}

#[tokio::test]
async fn docs_ui_has_no_external_url() {
    let r = get("/api/docs/").await;
    assert_ok(&r);
    let html = r.text();
    assert!(html.contains("swagger"), "{html}");
    for asset in [
        "/api/docs/swagger-initializer.js",
        "/api/docs/swagger-ui-bundle.js",
        "/api/docs/swagger-ui.css",
    ] {
        assert_ok(&get(asset).await);
    }
    let init = get("/api/docs/swagger-initializer.js").await.text();
    assert!(init.contains("/api/openapi.json"), "{init}");
    for text in [&html, &init] {
        assert!(
            !text.contains("https://") && !text.contains("http://"),
            "URL externe : {text}"
        );
    }
}

// ---------------------------------------------------------------------------
// pages

#[tokio::test]
async fn home_page() {
    let html = get("/").await.text();
    assert!(html.contains("Je recrute / je forme pour ce métier"));
    assert!(html.contains("Je suis … je souhaite évoluer"));
    assert!(html.contains("<label for=\"q\">") && html.contains("<label for=\"dept\">"));
    assert!(html.contains("<option value=\"34\">34 — Hérault</option>"));
}

#[tokio::test]
async fn search_page_and_redirect() {
    let html = get("/recherche?q=secretaire%20medical&dept=34")
        .await
        .text();
    assert!(html.contains("Secrétaire médical"), "{html}");
    assert!(html.contains("/fiches/M1609?dept=34"), "{html}");
    let r = get("/recherche?q=Assistant&job=200145&dept=34&sens=sources").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.header(header::LOCATION), "/fiches/200145?dept=34");
    let r = get("/recherche?q=x&job=M1609&sens=cibles").await;
    assert_eq!(r.header(header::LOCATION), "/explorer/M1609");
    assert_eq!(
        get("/recherche?job=%3Cscript%3E").await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn fiche_page_sorts_filters_and_explains() {
    let html = get("/fiches/J1303?dept=34").await.text();
    assert!(html.contains("Fiche passerelle : Assistant / Assistante médico-technique"));
    assert!(html.contains("Contexte territorial : Hérault"));
    assert!(
        html.contains("/api/v1/fiches/J1303/document?dept=34&#38;format=pdf"),
        "lien PDF"
    );
    assert!(
        html.contains("<details><summary>"),
        "pourcentages dépliables"
    );
    assert!(html.contains("Déjà acquis") && html.contains("À acquérir"));
    assert_eq!(html.matches("class=\"comparer\"").count(), 30);
    let sorted = get("/fiches/J1303?tri=contextes&limit=10").await.text();
    assert!(
        sorted
            .contains("aria-sort=\"descending\"><a href=\"/fiches/J1303?tri=contextes\">Contextes"),
        "{sorted}"
    );
    let courte = get("/fiches/J1303?viabilite=courte&limit=200").await.text();
    assert!(!courte.contains("palier possible") && !courte.contains("palier exigeante"));
    let dom = get("/fiches/J1303?domaine=M&limit=200").await.text();
    assert!(dom.contains("M1609"));
    assert!(!dom.contains("class=\"code\">J1312"));
    let weighted = get("/fiches/J1303?savoirs=3&contextes=0%2C5").await;
    assert_ok(&weighted);
    for bad in [
        "tri=%3Cscript%3E",
        "viabilite=x",
        "domaine=Z",
        "riasec=Q",
        "savoirs=-1",
        "limit=0",
        "dept=999",
    ] {
        let r = get(&format!("/fiches/J1303?{bad}")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(
            r.text().contains("<html lang=\"fr\">") && !r.text().contains("<script>"),
            "{bad}"
        );
    }
}

#[tokio::test]
async fn variant_in_url_and_as_toml() {
    let (a, b) = (j1303_item(0), j1303_item(1));
    // No-JavaScript form: ticked items → canonical URL with the unticked ones.
    let kept: Vec<String> = support::referential()
        .fiche(passerelle_core::RomeCode::parse("J1303").unwrap())
        .unwrap()
        .items
        .iter()
        .filter(|l| l.ogr != a && l.ogr != b)
        .map(|l| format!("garder={}", l.ogr))
        .collect();
    let r = get(&format!(
        "/fiches/J1303/variante?dept=34&{}",
        kept.join("&")
    ))
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let (lo, hi) = if a < b { (a, b) } else { (b, a) };
    let expected = format!("/fiches/J1303?dept=34&sans={lo}%2C{hi}");
    assert_eq!(r.header(header::LOCATION), expected);
    let html = get(&expected).await.text();
    assert!(
        html.contains("<strong>Variante :</strong> 2 item(s) décoché(s)"),
        "{html}"
    );
    assert!(
        html.contains(&format!("id=\"i-{a}\" name=\"garder\" value=\"{a}\">")),
        "case décochée"
    );
    let toml = get(&format!("/fiches/J1303/variante.toml?sans={a},{b}")).await;
    assert!(
        toml.header(header::CONTENT_DISPOSITION)
            .contains("attachment")
    );
    let t = toml.text();
    assert!(
        t.contains("slug = \"j1303-variante\"") && t.contains("fiche = \"J1303\""),
        "{t}"
    );
    // The file imports back as a poste (`passerelle import postes`).
    let referential = support::referential();
    let back = passerelle_core::poste::toml::parse_poste("variante.toml", &t, &referential)
        .expect("fichier de poste valide");
    let whole = referential
        .fiche(passerelle_core::RomeCode::parse("J1303").unwrap())
        .unwrap()
        .items
        .len();
    assert_eq!(back.poste.items.len(), whole - 2);
    assert!(!back.poste.items.iter().any(|l| l.ogr == a || l.ogr == b));
    assert_eq!(
        get("/fiches/J1303/variante?garder=1").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        get("/fiches/J1303/variante").await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn comparison_explore_and_method_pages() {
    let html = get("/comparaison/M1609/J1303?dept=34").await.text();
    assert!(html.contains("Parcours de mobilité : Secrétaire médical / Secrétaire médicale → Assistant / Assistante médico-technique"));
    assert!(html.contains("Savoirs déjà acquis") && html.contains("Savoirs à acquérir"));
    assert!(html.contains("/api/v1/gaps/M1609/J1303/document?dept=34&#38;format=pdf"));
    assert!(
        html.contains("Titre professionnel secrétaire assistant médico-social"),
        "formations"
    );
    assert!(
        html.contains("<svg") && html.contains("role=\"img\""),
        "radar des compétences transversales"
    );
    let html = get("/explorer/M1609").await.text();
    assert!(html.contains(
        "Vers quels métiers évoluer depuis « Secrétaire médical / Secrétaire médicale »"
    ));
    assert!(html.contains("passerelle courte") || html.contains("passerelle possible"));
    let html = get("/methode").await.text();
    assert!(html.contains("<h1>Méthode et sources</h1>"));
    // The worked example's figures are the engine's: the gap M1609 → J1303
    // (components, axes, wording, score) and the printed courte threshold.
    let gap = get("/api/v1/gaps/M1609/J1303").await.json();
    let four = |v: &serde_json::Value| format!("{:.4}", v.as_f64().unwrap()).replace('.', ",");
    let sc = &gap["scores"];
    let figures = [
        four(&sc["components"]["savoirs"]),
        four(&sc["components"]["savoir_faire"]),
        four(&sc["components"]["contextes"]),
        four(&sc["terms"]["axes"]),
        four(&sc["terms"]["wording"]),
        four(&sc["score"]),
    ];
    let ranking = get("/api/v1/fiches/M1609/targets?limit=1").await.json();
    let courte = four(&ranking["tiers"]["courte"]["value"]);
    assert!(
        html.contains(&format!(
            "0,4 × {} + 0,6 × {} = {}",
            figures[3], figures[4], figures[5]
        )),
        "{figures:?}"
    );
    // One worked decomposition, the same on the page and in docs/methode.md
    // § 4, as `passerelle targets M1609` prints it.
    let worked = "0,4 × (1 × savoirs 12 % + 1 × savoir-faire 18 % + 0,25 × contextes 27 %) / 2,25 + 0,6 × libellés 33 % + domaine 0 % − niveau 0 % = 26 %";
    assert!(html.contains(worked), "détail du score absent de la page");
    // The worked example's figures are those of docs/methode.md § 11.
    let doc = include_str!("../../../docs/methode.md");
    for n in figures.iter().chain([&courte, &"0,42".to_string()]) {
        assert!(html.contains(n.as_str()) && doc.contains(n.as_str()), "{n}");
    }
    assert!(
        doc.contains(worked),
        "détail du score absent de docs/methode.md"
    );
    assert_eq!(
        get("/comparaison/M1609/Z9999").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get("/explorer/%3Cscript%3E").await.status,
        StatusCode::BAD_REQUEST
    );
}

// ---------------------------------------------------------------------------
// injection

/// No raw payload in a page: what a visitor types, and what a crafted
/// import carries (the hostile poste), is escaped.
fn assert_escaped(uri: &str, html: &str) {
    for raw in [
        "<script>alert",
        "<img src=x",
        "\"><img",
        "onerror=alert(1)>",
    ] {
        assert!(!html.contains(raw), "{uri} contient « {raw} » non échappé");
    }
}

#[tokio::test]
async fn user_strings_are_escaped_in_pages() {
    for uri in [
        "/recherche?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/recherche?q=%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
        "/recherche?q=%27%20onmouseover%3D%27alert(1)",
        "/fiches/J1303?tri=%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/fiches/J1303?sans=%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
        "/fiches/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/comparaison/%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E/J1303",
    ] {
        let r = get(uri).await;
        assert_ne!(r.status, StatusCode::INTERNAL_SERVER_ERROR, "{uri}");
        assert_escaped(uri, &r.text());
    }
    let html = get("/recherche?q=%22%3E%3Cimg%20src%3Dx%3E").await.text();
    assert!(
        html.contains("value=\"&#34;&#62;&#60;img src=x&#62;\"")
            || html.contains("value=\"&quot;&gt;&lt;img src=x&gt;\""),
        "{html}"
    );
}

#[tokio::test]
async fn crafted_import_is_escaped_everywhere() {
    for uri in [
        "/fiches/poste:hostile?dept=34",
        "/comparaison/M1609/poste:hostile?dept=34",
        "/comparaison/poste:hostile/J1303",
        "/explorer/poste:hostile",
        "/fiches/M1609?limit=200",
        "/recherche?q=hostile",
    ] {
        let r = get(uri).await;
        assert_ok(&r);
        let body = r.text();
        assert_escaped(uri, &body.replace("\\\"", ""));
    }
    let html = get("/fiches/poste:hostile").await.text();
    assert!(
        html.contains("&#60;script&#62;alert(&#39;x&#39;)&#60;/script&#62;")
            || html.contains("&lt;script&gt;"),
        "{html}"
    );
    // The TOML download escapes quotes: the hostile title reads back intact.
    let t = get("/fiches/poste:hostile/variante.toml").await.text();
    let back = passerelle_core::poste::toml::parse_poste("v.toml", &t, &support::referential())
        .expect("fichier valide");
    assert_eq!(back.poste.title, format!("{HOSTILE} (variante)"));
}

// ---------------------------------------------------------------------------
// hardening (issue 14)

async fn send(app: &App, req: Request<Body>) -> Res {
    let res = app.router().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    Res {
        status,
        headers,
        body,
    }
}

/// Row 6: weights that overflow a sum are refused, and the message names
/// the parameter as the API and the page know it, never the CLI flag.
#[tokio::test]
async fn huge_weights_are_refused_naming_the_web_parameter() {
    let j = get("/api/v1/fiches/J1303/sources?weights=transversal=1e308,savoirs=1e308,savoir_faire=1e308,contextes=1e308")
        .await
        .error(400, "poids_invalides");
    let m = j["error"]["message"].as_str().unwrap();
    assert!(
        m.starts_with("paramètre weights : ") && m.contains("ne peut pas dépasser 100"),
        "{m}"
    );
    assert!(!m.contains("--weights"), "{m}");
    assert_eq!(j["error"]["parametre"], "weights");
    let w = get("/api/v1/fiches/J1303/sources?limit=3&weights=savoirs=100")
        .await
        .json();
    assert_eq!(w["weights"]["savoirs"], 100.0, "100 reste permis");
    let r = get("/fiches/J1303?savoirs=1e308").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let page = r.text();
    assert!(
        page.contains("Le poids des savoirs : ") && page.contains("ne peut pas dépasser 100"),
        "{page}"
    );
    assert!(!page.contains("--weights"));
}

/// Unknown query parameters: a stable 400 on the API; ignored by pages
/// (same page as without them).
#[tokio::test]
async fn unknown_parameters_are_refused_by_the_api_and_ignored_by_pages() {
    let j = get("/api/v1/fiches/J1303/sources?limit=3&z0=xxxxxxxx")
        .await
        .error(400, "parametre_inconnu");
    assert_eq!(j["error"]["parametre"], "z0");
    let m = j["error"]["message"].as_str().unwrap();
    assert!(
        m.contains("paramètre z0 inconnu") && m.contains("limit, weights"),
        "{m}"
    );
    let long = "z".repeat(5_000);
    let j = get(&format!("/api/v1/search?q=a&{long}=1"))
        .await
        .error(400, "parametre_inconnu");
    assert!(
        j.to_string().len() < 600,
        "le nom n'est pas renvoyé en entier"
    );
    get("/api/v1/profils/J1303?x=1")
        .await
        .error(400, "parametre_inconnu");
    let plain = get("/fiches/J1303?limit=3&dept=34").await;
    let tagged = get("/fiches/J1303?utm_source=lettre&limit=3&dept=34&z9=1").await;
    assert_ok(&tagged);
    assert_eq!(plain.text(), tagged.text());
}

/// Row 8: framework rejections under /api/ are JSON with a stable code.
#[tokio::test]
async fn framework_rejections_under_api_are_json() {
    let app = App::new(state());
    let r = send(
        &app,
        Request::post("/api/v1/search?q=a")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    r.error(405, "methode_non_autorisee");
    assert!(r.header(header::ALLOW).contains("GET"), "{:?}", r.headers);
    let long = format!(
        "/api/v1/search?q={}",
        "a".repeat(passerelle_server::MAX_URI_BYTES)
    );
    get(&long).await.error(414, "uri_trop_longue");
    let req = Request::get("/api/v1/search?q=a")
        .header(
            "x-rembourrage",
            "b".repeat(passerelle_server::MAX_HEADER_BYTES),
        )
        .body(Body::empty())
        .unwrap();
    send(&app, req).await.error(431, "en_tetes_trop_grands");
    get("/api/v1/fiches/%FF%FE")
        .await
        .error(400, "requete_invalide");
    get("/api/v1/gaps/%FF/J1303")
        .await
        .error(400, "requete_invalide");
    // Pages keep HTML.
    let r = get(&format!(
        "/recherche?q={}",
        "a".repeat(passerelle_server::MAX_URI_BYTES)
    ))
    .await;
    assert_eq!(r.status, StatusCode::URI_TOO_LONG);
    assert!(r.text().contains("<html lang=\"fr\">"));
}

/// Framework rejections outside /api/ are the French error page with the
/// right status (issue 25): a path that is not UTF-8, a method other than
/// GET, a body over the limit — never a bare text or an empty body.
#[tokio::test]
async fn framework_rejections_on_pages_are_french_pages() {
    let app = App::new(state());
    let page = |r: &Res, status: u16, words: &str| {
        assert_eq!(r.status.as_u16(), status, "{}", r.text());
        assert!(
            r.header(header::CONTENT_TYPE).starts_with("text/html"),
            "{:?}",
            r.headers
        );
        let html = r.text();
        assert!(html.contains("<html lang=\"fr\">"), "{html}");
        assert!(html.contains(words), "{words} : {html}");
        assert!(!html.contains("Invalid URL") && !html.contains("length limit"));
    };
    page(&get("/fiches/%FF").await, 400, "UTF-8 attendu");
    page(&get("/comparaison/%FF/J1303").await, 400, "UTF-8 attendu");
    let r = send(&app, Request::delete("/").body(Body::empty()).unwrap()).await;
    page(&r, 405, "demandes de lecture (GET)");
    assert!(r.header(header::ALLOW).contains("GET"), "{:?}", r.headers);
    let big = vec![b'a'; 20 * 1024];
    let r = send(
        &app,
        Request::get("/recherche?q=a")
            .header(header::CONTENT_LENGTH, big.len())
            .body(Body::from(big))
            .unwrap(),
    )
    .await;
    // A declared body over the limit is refused before any handler.
    page(&r, 413, "corps de requête de plus de");
    let big = vec![b'a'; 20 * 1024];
    let r = send(
        &app,
        Request::post("/recherche")
            .header(header::CONTENT_LENGTH, big.len())
            .body(Body::from(big))
            .unwrap(),
    )
    .await;
    assert!(
        r.status == StatusCode::METHOD_NOT_ALLOWED || r.status == StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        r.status
    );
    page(
        &r,
        r.status.as_u16(),
        if r.status == StatusCode::PAYLOAD_TOO_LARGE {
            "corps de requête"
        } else {
            "méthode non autorisée"
        },
    );
}

/// A panic in a handler becomes a 500 in the stable JSON shape under /api/
/// (and an HTML page elsewhere); the server goes on answering.
#[tokio::test]
async fn a_panic_becomes_a_json_500() {
    let app = App::new(state());
    async fn boom() -> &'static str {
        panic!("panique de test")
    }
    let router = axum::Router::new()
        .route("/api/v1/panique", axum::routing::get(boom))
        .route("/panique", axum::routing::get(boom));
    let router = passerelle_server::harden(router, app.live().clone());
    let call = |uri: &'static str| {
        let router = router.clone();
        async move {
            let res = router
                .oneshot(Request::get(uri).body(Body::empty()).unwrap())
                .await
                .unwrap();
            let (status, headers) = (res.status(), res.headers().clone());
            Res {
                status,
                headers,
                body: res.into_body().collect().await.unwrap().to_bytes().to_vec(),
            }
        }
    };
    let j = call("/api/v1/panique").await.error(500, "erreur_interne");
    assert!(
        !j.to_string().contains("panique de test"),
        "le détail reste dans le journal"
    );
    let page = call("/panique").await;
    assert_eq!(page.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(page.text().contains("<html lang=\"fr\">"));
    assert_ok(&get_with(&app, "/healthz").await);
}

/// One snapshot at a time: a request sees the snapshot current when it
/// starts; a swap serves the new one, with an empty memo.
#[tokio::test]
async fn a_swapped_snapshot_is_served_whole_with_fresh_caches() {
    let app = App::new(state());
    let before = get_with(&app, "/api/v1/fiches/J1303/sources?limit=2")
        .await
        .json();
    assert_eq!(get_with(&app, "/readyz").await.json()["version_donnees"], 0);
    let catalog = support::catalog();
    let search = Box::new(passerelle_server::SimpleSearch::new(&catalog));
    let next = passerelle_server::AppState::new(catalog, search)
        .with_stamp(7)
        .with_data_version("ROME 4.0 version 61".into());
    app.live().replace(next);
    let ready = get_with(&app, "/readyz").await.json();
    assert_eq!(
        (
            ready["version_donnees"].as_u64(),
            ready["territoire"].as_bool()
        ),
        (Some(7), Some(false))
    );
    let after = get_with(&app, "/api/v1/fiches/J1303/sources?limit=2&dept=34").await;
    assert_eq!(
        after.status,
        StatusCode::OK,
        "sans données territoriales, dept n'est plus vérifié contre la liste"
    );
    assert_eq!(
        after.json()["territoire"],
        serde_json::Value::Null,
        "rien de l'ancien instantané"
    );
    assert_eq!(
        get_with(&app, "/api/v1/fiches/J1303").await.json()["data_version"],
        "ROME 4.0 version 61"
    );
    assert!(
        get_with(&app, "/fiches/J1303")
            .await
            .text()
            .contains("ROME 4.0 version 61 ; version des données n° 7")
    );
    assert_eq!(before["rows"].as_array().unwrap().len(), 2);
}

// ---------------------------------------------------------------------------
// labels and scores as printed (issue 21, points 3 and 4)

/// The text between `start` (after it) and the next `end`, as a reader
/// sees it.
fn between<'a>(html: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let i = html.find(start)? + start.len();
    let j = html[i..].find(end)?;
    Some(&html[i..i + j])
}

fn seen(fragment: &str) -> String {
    passerelle_test_support::visible_text(fragment)
        .replace("&#38;", "&")
        .trim()
        .to_string()
}

/// One row as printed: label, score, figures of the rule, decomposition.
struct PrintedRow {
    label: String,
    score: String,
    figures: String,
    decomposition: Option<String>,
    ticked: bool,
}

impl PrintedRow {
    fn read(block: &str, label: Option<&str>) -> Option<PrintedRow> {
        Some(PrintedRow {
            label: match label {
                Some(l) => l.to_string(),
                None => seen(
                    between(block, "<span class=\"palier ", "</span>")?
                        .split_once('>')?
                        .1,
                ),
            },
            score: seen(
                between(block, "score-valeur\"", "</span>")?
                    .split_once('>')?
                    .1,
            ),
            figures: seen(between(
                block,
                "<span class=\"chiffres-regle\">",
                "</span>",
            )?),
            decomposition: between(block, "<p class=\"decomposition\">", "</p>").map(seen),
            ticked: block.contains("name=\"sources\"") && block.contains(" checked>"),
        })
    }
}

/// Re-derives each label from the printed rule and figures, and adds each
/// decomposition up to its printed score (± 1 point of rounding).
fn check_rows(uri: &str, rule: &str, rows: &[PrintedRow]) {
    use passerelle_test_support::printed::{PrintedFigures, PrintedRule, add_up};
    let rule = PrintedRule::parse(rule).unwrap_or_else(|e| panic!("{uri} : {e}"));
    assert!(!rows.is_empty(), "{uri} : aucune ligne");
    for r in rows {
        let f =
            PrintedFigures::parse(&r.score, &r.figures).unwrap_or_else(|e| panic!("{uri} : {e}"));
        assert_eq!(
            rule.label(&f),
            r.label,
            "{uri} : étiquette contraire à la règle imprimée pour {} / {}",
            r.score,
            r.figures
        );
        let d = r
            .decomposition
            .as_deref()
            .unwrap_or_else(|| panic!("{uri} : score {} sans détail", r.score));
        let (sum, printed) = add_up(d).unwrap_or_else(|e| panic!("{uri} : {e}"));
        assert_eq!(printed, f.score, "{uri} : {d} ≠ score imprimé {}", r.score);
        assert!(
            (sum - printed).abs() <= 1.0 + 1e-9,
            "{uri} : {d} fait {sum:.2}, pas {printed}"
        );
    }
}

/// The 20 jobs whose pages are read back: the issue's examples and a
/// spread of domaines.
const PRINTED_JOBS: [&str; 20] = [
    "J1303", "M1609", "J1501", "H1523", "G1801", "C1107", "K1707", "M1425", "G1808", "J1506",
    "N1101", "A1203", "K2111", "E1103", "D1502", "F1703", "H2913", "I1304", "K1302", "M1203",
];

#[tokio::test]
async fn labels_follow_the_printed_rule() {
    let app = App::new(state());
    for job in PRINTED_JOBS {
        // The web fiche: sources.
        let uri = format!("/fiches/{job}");
        let r = get_with(&app, &uri).await;
        assert_ok(&r);
        let html = r.text();
        let rule = seen(between(&html, "id=\"regle-viabilites\">", "</div>").expect("règle"));
        let tbody = between(&html, "<tbody>", "</tbody>").expect("tableau");
        let rows: Vec<PrintedRow> = tbody
            .split("<tr>")
            .skip(1)
            .map(|b| {
                PrintedRow::read(b, None).unwrap_or_else(|| panic!("{uri} : ligne illisible {b}"))
            })
            .collect();
        check_rows(&uri, &rule, &rows);
        // The default detailed sources are direct passerelles when any is.
        let direct = |r: &PrintedRow| r.label.contains("courte") || r.label.contains("possible");
        if rows.iter().any(direct) {
            assert!(
                rows.iter().filter(|r| r.ticked).all(direct),
                "{uri} : une source détaillée par défaut n'est pas une passerelle directe"
            );
        }

        // The explorer: targets, strongest first within a label.
        let uri = format!("/explorer/{job}");
        let r = get_with(&app, &uri).await;
        assert_ok(&r);
        let html = r.text();
        let rule = seen(between(&html, "id=\"regle-viabilites\">", "</div>").expect("règle"));
        let mut rows = Vec::new();
        for section in html.split("<section class=\"palier-groupe").skip(1) {
            let label = seen(
                between(section, "\">", "</h2>")
                    .unwrap()
                    .rsplit_once('>')
                    .unwrap()
                    .1,
            );
            let mut previous: Option<(bool, f64)> = None;
            for b in section.split("<li class=\"cible\"").skip(1) {
                let row = PrintedRow::read(b, Some(&label))
                    .unwrap_or_else(|| panic!("{uri} : ligne illisible {b}"));
                let f = passerelle_test_support::printed::PrintedFigures::parse(
                    &row.score,
                    &row.figures,
                )
                .unwrap();
                if let Some((shared, score)) = previous {
                    assert!(
                        shared != f.shared || score >= f.score,
                        "{uri} : « {label} » : {} après {score} %",
                        row.score
                    );
                }
                previous = Some((f.shared, f.score));
                rows.push(row);
            }
        }
        check_rows(&uri, &rule, &rows);
    }
}
