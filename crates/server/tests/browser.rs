//! End-to-end tests in headless Chromium (Debian `chromium` and
//! `chromium-driver`), driven through chromedriver with fantoccini: the
//! counsellor's journey of issue 7, screenshots of every page under
//! target/screenshots/, and an axe-core accessibility audit of every page
//! (no serious or critical violation); and, over the real documents, no
//! Content-Security-Policy violation in the console of any page or HTML
//! document, a 0 % bar drawn with zero width, no horizontal scrolling at
//! 390 px, and the sources ticked on the fiche page detailed in its PDF
//! (read back with `pdftotext`, Debian `poppler-utils`). The test fails — never skips — when
//! Chromium, chromedriver or axe-core (`npm ci` in tests/browser, as .ci/run
//! does) is missing.

mod support;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use passerelle_server::App;
use serde_json::{Value, json};

const CHROMIUM_FLAGS: [&str; 8] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
];

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn screenshots_dir() -> PathBuf {
    let dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"));
    let dir = dir.join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for n in names {
            let p = dir.join(n);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// chromedriver on a free port, killed on drop.
struct Driver {
    child: Child,
    port: u16,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_driver() -> Driver {
    let chromium = find_program(&["chromium", "chromium-browser"]).unwrap_or_else(|| {
        panic!("Chromium introuvable dans le PATH : installez les paquets Debian `chromium` et `chromium-driver` (apt-get install -y chromium chromium-driver)")
    });
    let _ = chromium;
    let driver = find_program(&["chromedriver"]).unwrap_or_else(|| {
        panic!("chromedriver introuvable dans le PATH : installez le paquet Debian `chromium-driver` (apt-get install -y chromium-driver)")
    });
    let port = free_port();
    let child = Command::new(driver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("lancement de chromedriver");
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "chromedriver ne répond pas sur le port {port}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    Driver {
        child,
        port,
        _profile: tempfile::tempdir().unwrap(),
    }
}

async fn connect(driver: &Driver) -> Client {
    let chromium = find_program(&["chromium", "chromium-browser"]).unwrap();
    let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|s| s.to_string()).collect();
    args.push(format!(
        "--user-data-dir={}",
        driver._profile.path().display()
    ));
    args.push("--window-size=1280,1000".into());
    args.push("--lang=fr-FR".into());
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), json!("chrome"));
    // The console, read back by `browser_log` (CSP violations are logged there).
    caps.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));
    caps.insert(
        "goog:chromeOptions".into(),
        json!({ "binary": chromium, "args": args }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("session WebDriver Chromium")
}

async fn start_server() -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = App::new(support::real_state()).router();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    addr
}

/// Full-page screenshot (the window is resized to the page's height).
async fn screenshot(c: &Client, name: &str) {
    let h = c
        .execute("return document.documentElement.scrollHeight;", vec![])
        .await
        .unwrap()
        .as_u64()
        .unwrap_or(1000);
    c.set_window_size(1280, h.clamp(600, 7000) as u32)
        .await
        .unwrap();
    let png = c.screenshot().await.unwrap();
    std::fs::write(screenshots_dir().join(format!("{name}.png")), png).unwrap();
    c.set_window_size(1280, 1000).await.unwrap();
}

fn axe_source() -> String {
    let p = workspace_root().join("tests/browser/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&p).unwrap_or_else(|_| {
        panic!(
            "axe-core absent ({}) : lancez `npm ci` dans tests/browser (fait par .ci/run)",
            p.display()
        )
    })
}

/// Runs axe-core on the current page; returns serious and critical violations.
async fn audit(c: &Client, axe: &str, page: &str) -> Vec<Value> {
    c.execute(axe, vec![]).await.expect("injection d'axe-core");
    let script = r#"
        const done = arguments[arguments.length - 1];
        axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })
          .then(r => done(r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
              nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ')) }))))
          .catch(e => done([{ id: 'axe-error', impact: 'critical', help: String(e), nodes: [] }]));
    "#;
    let v = c.execute_async(script, vec![]).await.expect("axe.run");
    let all = v.as_array().cloned().unwrap_or_default();
    for x in &all {
        eprintln!(
            "axe {page} : {} ({}) — {} — {:?}",
            x["id"], x["impact"], x["help"], x["nodes"]
        );
    }
    all.into_iter()
        .filter(|x| x["impact"] == "serious" || x["impact"] == "critical")
        .collect()
}

/// GET over plain HTTP: (status, body).
async fn http_get(addr: SocketAddr, path: &str) -> (u16, Vec<u8>) {
    let path = path.to_string();
    let buf = tokio::task::spawn_blocking(move || {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        s.write_all(
            format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes(),
        )
        .unwrap();
        let mut buf = Vec::new();
        s.read_to_end(&mut buf).unwrap();
        buf
    })
    .await
    .unwrap();
    let split = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("réponse HTTP");
    let head = String::from_utf8_lossy(&buf[..split]).to_string();
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, buf[split + 4..].to_vec())
}

async fn wait_for(c: &Client, css: &str) -> fantoccini::elements::Element {
    c.wait()
        .at_most(Duration::from_secs(15))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css} : {e}"))
}

async fn wait_url(c: &Client, part: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let url = c.current_url().await.unwrap().to_string();
        if url.contains(part) {
            return url;
        }
        assert!(
            Instant::now() < deadline,
            "adresse attendue contenant {part}, obtenue {url}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn counsellor_journey_in_chromium() {
    let axe = axe_source();
    let addr = start_server().await;
    let driver = start_driver();
    let c = connect(&driver).await;
    let base = format!("http://{addr}");
    let result = journey(&c, &base, addr, &axe).await;
    c.close().await.ok();
    if let Err(e) = result {
        panic!("{e}");
    }
}

async fn journey(c: &Client, base: &str, addr: SocketAddr, axe: &str) -> Result<(), String> {
    let mut serious: Vec<(String, Value)> = Vec::new();

    // Home: type, pick from the typeahead, choose the département.
    c.goto(&format!("{base}/"))
        .await
        .map_err(|e| e.to_string())?;
    screenshot(c, "01-accueil").await;
    serious.extend(
        audit(c, axe, "accueil")
            .await
            .into_iter()
            .map(|v| ("accueil".to_string(), v)),
    );
    let q = wait_for(c, "#q").await;
    q.send_keys("assistant med").await.unwrap();
    let option = {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let mut found = None;
            for li in c
                .find_all(Locator::Css("#suggestions li[role=option]"))
                .await
                .unwrap()
            {
                if li
                    .text()
                    .await
                    .unwrap_or_default()
                    .starts_with("Assistant médical")
                {
                    found = Some(li);
                    break;
                }
            }
            if let Some(li) = found {
                break li;
            }
            if Instant::now() > deadline {
                return Err("la suggestion « Assistant médical » n'apparaît pas".into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    };
    screenshot(c, "02-accueil-suggestions").await;
    option.click().await.unwrap();
    let job = c
        .find(Locator::Css("#job"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default();
    assert_eq!(job, "200145", "l'appellation choisie");
    c.find(Locator::Css("#dept"))
        .await
        .unwrap()
        .select_by_value("34")
        .await
        .unwrap();
    c.find(Locator::Css("#btn-sources"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();

    // The fiche shows Secrétaire médical among the sources.
    let url = wait_url(c, "/fiches/200145?dept=34").await;
    wait_for(c, "table.sources").await;
    let html = c.source().await.unwrap();
    assert!(
        html.contains("Fiche passerelle : Assistant médical / Assistante médicale"),
        "{url}"
    );
    assert!(html.contains("Hérault"));
    let mut compare = None;
    for a in c.find_all(Locator::Css("a.comparer")).await.unwrap() {
        if a.text()
            .await
            .unwrap_or_default()
            .starts_with("Secrétaire médical")
        {
            compare = Some(a);
        }
    }
    let compare = compare.ok_or("Secrétaire médical absent des métiers sources")?;
    // Expand one percentage to the items behind it.
    c.find(Locator::Css("td.savoirs details summary"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    screenshot(c, "03-fiche").await;
    serious.extend(
        audit(c, axe, "fiche")
            .await
            .into_iter()
            .map(|v| ("fiche".to_string(), v)),
    );

    // Open the comparison and download the PDF (fetched over HTTP).
    compare.click().await.unwrap();
    wait_url(c, "/comparaison/M1609/200145").await;
    let pdf = wait_for(c, "#lien-pdf-parcours")
        .await
        .attr("href")
        .await
        .unwrap()
        .ok_or("lien PDF sans href")?;
    screenshot(c, "04-comparaison").await;
    serious.extend(
        audit(c, axe, "comparaison")
            .await
            .into_iter()
            .map(|v| ("comparaison".to_string(), v)),
    );
    let (status, body) = http_get(addr, &pdf).await;
    assert_eq!(status, 200, "{pdf}");
    assert!(body.starts_with(b"%PDF"), "{pdf} ne renvoie pas un PDF");

    // Variant: untick the first item, recompute, the URL carries it.
    c.goto(&format!("{base}/fiches/J1303?dept=34&limit=5"))
        .await
        .unwrap();
    let first = wait_for(c, ".variante-form input[type=checkbox]").await;
    first.click().await.unwrap();
    c.find(Locator::Css(".variante-form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let url = wait_url(c, "sans=").await;
    wait_for(c, "#lien-toml").await;
    screenshot(c, "05-variante").await;
    let toml = c
        .find(Locator::Css("#lien-toml"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    let (status, body) = http_get(addr, &toml).await;
    assert_eq!(status, 200, "{url}");
    assert!(String::from_utf8_lossy(&body).contains("[[items]]"));

    // The other pages.
    for (name, path) in [
        ("06-explorer", "/explorer/M1609?dept=34"),
        ("07-methode", "/methode"),
        ("08-recherche", "/recherche?q=soudeur&dept=34"),
        ("09-erreur", "/fiches/Z9999"),
    ] {
        c.goto(&format!("{base}{path}")).await.unwrap();
        wait_for(c, "main h1").await;
        screenshot(c, name).await;
        serious.extend(
            audit(c, axe, name)
                .await
                .into_iter()
                .map(|v| (name.to_string(), v)),
        );
    }
    c.goto(&format!("{base}/api/docs/")).await.unwrap();
    wait_for(c, ".swagger-ui .info").await;
    screenshot(c, "10-api-docs").await;

    // The audit itself works: a page with an unlabelled image is caught.
    c.goto("data:text/html,<html><body><img src='x.png'></body></html>")
        .await
        .unwrap();
    let control = audit(c, axe, "témoin").await;
    assert!(
        control.iter().any(|v| v["id"] == "image-alt"),
        "axe-core ne détecte pas une image sans alt : {control:?}"
    );

    if !serious.is_empty() {
        return Err(format!(
            "axe-core : violations graves ou critiques : {serious:#?}"
        ));
    }
    Ok(())
}

/// chromedriver's console log (`POST /session/{id}/se/log`, outside W3C
/// WebDriver, which fantoccini does not wrap): the entries since the last
/// read.
#[derive(Debug)]
struct BrowserLog;

impl fantoccini::wd::WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (axum::http::Method, Option<String>) {
        (
            axum::http::Method::POST,
            Some(r#"{"type":"browser"}"#.to_string()),
        )
    }
}

async fn browser_log(c: &Client) -> Vec<String> {
    let v = c
        .issue_cmd(BrowserLog)
        .await
        .expect("journal de la console");
    v.as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|e| format!("{} {}", e["level"], e["message"]))
        .collect()
}

/// Pages and HTML documents a counsellor opens (the variant is a fiche
/// with unticked items).
const CSP_PAGES: [(&str, &str); 9] = [
    ("accueil", "/"),
    ("recherche", "/recherche?q=assistant+medical&dept=34"),
    ("fiche", "/fiches/J1303?dept=34"),
    ("comparaison", "/comparaison/M1609/200145?dept=34"),
    ("explorer", "/explorer/M1609?dept=34"),
    ("methode", "/methode"),
    ("variante", "/fiches/J1303?dept=34&sans=107356"),
    (
        "document-fiche",
        "/api/v1/fiches/J1303/document?format=html",
    ),
    (
        "document-parcours",
        "/api/v1/gaps/M1609/200145/document?format=html",
    ),
];

/// Pages that must fit a phone's width.
const NARROW_PAGES: [(&str, &str); 7] = [
    ("accueil", "/"),
    ("fiche", "/fiches/200145?dept=34"),
    ("comparaison", "/comparaison/M1609/200145?dept=34"),
    ("explorer", "/explorer/M1609?dept=34"),
    ("methode", "/methode"),
    // The documents too: their wide tables scroll inside themselves.
    (
        "document-fiche",
        "/api/v1/fiches/200145/document?dept=34&format=html",
    ),
    (
        "document-parcours",
        "/api/v1/gaps/M1609/200145/document?dept=34&format=html",
    ),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_and_documents_in_chromium() {
    let addr = start_server().await;
    let driver = start_driver();
    let c = connect(&driver).await;
    let base = format!("http://{addr}");
    let result = pages_and_documents(&c, &base, addr).await;
    c.close().await.ok();
    if let Err(e) = result {
        panic!("{e}");
    }
}

async fn pages_and_documents(c: &Client, base: &str, addr: SocketAddr) -> Result<(), String> {
    let mut failures = Vec::new();

    // No CSP violation (nor missing resource) in the console.
    c.goto(&format!("{base}/"))
        .await
        .map_err(|e| e.to_string())?;
    browser_log(c).await;
    for (name, path) in CSP_PAGES {
        c.goto(&format!("{base}{path}"))
            .await
            .map_err(|e| e.to_string())?;
        wait_for(c, "h1").await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        for line in browser_log(c).await {
            if line.contains("Content Security Policy")
                || line.contains("Content-Security-Policy")
                || line.contains("404")
            {
                failures.push(format!("{name} ({path}) : {line}"));
            }
        }
    }

    // A 0 % bar has no width; a 33 % bar a third of its frame.
    c.goto(&format!("{base}/api/v1/fiches/J1303/document?format=html"))
        .await
        .map_err(|e| e.to_string())?;
    let bars = c
        .execute(
            r#"return Array.from(document.querySelectorAll("svg.bar")).map(s => {
                 const r = s.querySelector("rect.plein");
                 return [Number(r.getAttribute("width")), r.getBoundingClientRect().width,
                         s.getBoundingClientRect().width];
               });"#,
            vec![],
        )
        .await
        .map_err(|e| e.to_string())?;
    let bars: Vec<(f64, f64, f64)> = bars
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|b| {
            (
                b[0].as_f64().unwrap_or(-1.0),
                b[1].as_f64().unwrap_or(-1.0),
                b[2].as_f64().unwrap_or(-1.0),
            )
        })
        .collect();
    if !bars.iter().any(|b| b.0 == 0.0) {
        failures.push(format!("aucune barre à 0 % dans la fiche J1303 : {bars:?}"));
    }
    for (pct, drawn, frame) in &bars {
        if (drawn - frame * pct / 100.0).abs() > 1.0 {
            failures.push(format!(
                "barre à {pct} % dessinée sur {drawn} px d'un cadre de {frame} px"
            ));
        }
    }

    // No horizontal scrolling at 390 px.
    c.set_window_size(390, 900)
        .await
        .map_err(|e| e.to_string())?;
    for (name, path) in NARROW_PAGES {
        c.goto(&format!("{base}{path}"))
            .await
            .map_err(|e| e.to_string())?;
        wait_for(c, "h1").await;
        let w = c
            .execute(
                "return [document.documentElement.scrollWidth, window.innerWidth];",
                vec![],
            )
            .await
            .map_err(|e| e.to_string())?;
        let (scroll, inner) = (w[0].as_u64().unwrap_or(0), w[1].as_u64().unwrap_or(0));
        if inner > 390 {
            failures.push(format!("{name} : fenêtre de {inner} px au lieu de 390"));
        }
        if scroll > 390 {
            failures.push(format!(
                "{name} ({path}) : {scroll} px de large à 390 px (défilement horizontal)"
            ));
        }
        let png = c.screenshot().await.map_err(|e| e.to_string())?;
        std::fs::write(screenshots_dir().join(format!("390-{name}.png")), png).unwrap();
    }
    c.set_window_size(1280, 1000)
        .await
        .map_err(|e| e.to_string())?;

    // Two sources ticked instead of the default three: the PDF details them.
    c.goto(&format!("{base}/fiches/J1303?dept=34"))
        .await
        .map_err(|e| e.to_string())?;
    wait_for(c, "#btn-detailler").await;
    let boxes = c
        .find_all(Locator::Css("input[form=choix-sources][name=sources]"))
        .await
        .map_err(|e| e.to_string())?;
    let mut chosen = Vec::new();
    for (i, b) in boxes.iter().enumerate() {
        let checked = b.prop("checked").await.unwrap_or_default().as_deref() == Some("true");
        let wanted = i == 3 || i == 5;
        if checked != wanted {
            b.click().await.map_err(|e| e.to_string())?;
        }
        if wanted {
            chosen.push(
                b.attr("value")
                    .await
                    .unwrap_or_default()
                    .unwrap_or_default(),
            );
        }
    }
    c.find(Locator::Css("#btn-detailler"))
        .await
        .map_err(|e| e.to_string())?
        .click()
        .await
        .map_err(|e| e.to_string())?;
    wait_url(c, "sources=").await;
    let pdf = wait_for(c, "#lien-pdf")
        .await
        .attr("href")
        .await
        .map_err(|e| e.to_string())?
        .ok_or("lien PDF sans href")?;
    let (status, body) = http_get(addr, &pdf).await;
    if status != 200 || !body.starts_with(b"%PDF") {
        return Err(format!("{pdf} : {status}, pas un PDF"));
    }
    let detailed = detailed_sources_of_pdf(&body);
    let mut want = chosen.clone();
    want.sort();
    if detailed != want {
        failures.push(format!(
            "sources cochées {chosen:?}, écarts détaillés dans le PDF {detailed:?} ({pdf})"
        ));
    }

    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n"))
    }
}

/// The ROME codes of the detailed gaps of a fiche passerelle PDF: their
/// headings read "Title (CODE) → Target" in the text `pdftotext` extracts.
fn detailed_sources_of_pdf(pdf: &[u8]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fiche.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
        .unwrap_or_else(|e| {
            panic!("pdftotext introuvable ({e}) : installez le paquet Debian `poppler-utils`")
        });
    let text = String::from_utf8_lossy(&out.stdout);
    let mut codes: Vec<String> = Vec::new();
    for line in text.lines() {
        let Some(arrow) = line.find(") →") else {
            continue;
        };
        let Some(open) = line[..arrow].rfind('(') else {
            continue;
        };
        let code = line[open + 1..arrow].to_string();
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    codes.sort();
    codes
}

/// Five targets from different grands domaines: the tables must fit
/// whatever the titles and figures.
const FIT_JOBS: [&str; 5] = ["J1303", "K2503", "C1107", "N4112", "G1801"];

/// The cells of the page's tables that lie outside the window, or inside
/// a container that scrolls or clips them: "what · where" for each.
const CELLS_OUT_OF_VIEW: &str = r#"
const w = window.innerWidth, out = [];
if (document.documentElement.scrollWidth > w) out.push("page · " + document.documentElement.scrollWidth + " px");
for (const cell of document.querySelectorAll("table td, table th")) {
  const r = cell.getBoundingClientRect();
  if (r.width === 0 && r.height === 0) continue;
  // Headers hidden for the eye but read aloud (the cards repeat them).
  const head = cell.closest("thead");
  if (head && head.getBoundingClientRect().width <= 1) continue;
  if (r.left < -1 || r.right > w + 1) { out.push((cell.dataset.label || cell.textContent.trim().slice(0, 30)) + " · " + Math.round(r.right) + " px"); continue; }
  for (let p = cell.parentElement; p && p !== document.body; p = p.parentElement) {
    const s = getComputedStyle(p);
    if (s.overflowX !== "visible" && p.scrollWidth > p.clientWidth + 1) { out.push((cell.dataset.label || cell.tagName + " " + cell.textContent.trim().slice(0, 30)) + " · défile dans " + p.tagName + "." + p.className + " (" + s.overflowX + ", " + p.scrollWidth + " > " + p.clientWidth + ")"); break; }
  }
}
return out.slice(0, 5);"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tables_fit_at_1366_and_phones_show_cards() {
    let addr = start_server().await;
    let driver = start_driver();
    let c = connect(&driver).await;
    let base = format!("http://{addr}");
    let result = tables_fit(&c, &base).await;
    c.close().await.ok();
    if let Err(e) = result {
        panic!("{e}");
    }
}

async fn tables_fit(c: &Client, base: &str) -> Result<(), String> {
    let mut failures = Vec::new();
    c.set_window_size(1366, 900)
        .await
        .map_err(|e| e.to_string())?;
    for job in FIT_JOBS {
        for path in [
            format!("/fiches/{job}?dept=34"),
            format!("/explorer/{job}?dept=34"),
            format!("/comparaison/M1609/{job}?dept=34"),
        ] {
            c.goto(&format!("{base}{path}"))
                .await
                .map_err(|e| e.to_string())?;
            wait_for(c, "h1").await;
            let out = c
                .execute(CELLS_OUT_OF_VIEW, vec![])
                .await
                .map_err(|e| e.to_string())?;
            for o in out.as_array().cloned().unwrap_or_default() {
                failures.push(format!("1366 px, {path} : {}", o.as_str().unwrap_or("")));
            }
        }
    }
    // A phone: each source is a card whose score and tier are in view.
    c.set_window_size(390, 900)
        .await
        .map_err(|e| e.to_string())?;
    for job in FIT_JOBS {
        let path = format!("/fiches/{job}?dept=34");
        c.goto(&format!("{base}{path}"))
            .await
            .map_err(|e| e.to_string())?;
        wait_for(c, "table.sources").await;
        let out = c
            .execute(CELLS_OUT_OF_VIEW, vec![])
            .await
            .map_err(|e| e.to_string())?;
        for o in out.as_array().cloned().unwrap_or_default() {
            failures.push(format!("390 px, {path} : {}", o.as_str().unwrap_or("")));
        }
        let shown = c
            .execute(
                r#"const rows = Array.from(document.querySelectorAll("table.sources tbody tr"));
                   const seen = c => { const r = c && c.getBoundingClientRect();
                     return !!r && r.width > 0 && r.height > 0 && r.left >= 0 && r.right <= window.innerWidth; };
                   return [rows.length, rows.filter(r => seen(r.querySelector("td.score")) && seen(r.querySelector(".palier"))).length];"#,
                vec![],
            )
            .await
            .map_err(|e| e.to_string())?;
        let (rows, ok) = (
            shown[0].as_u64().unwrap_or(0),
            shown[1].as_u64().unwrap_or(0),
        );
        if rows == 0 || ok != rows {
            failures.push(format!(
                "390 px, {path} : score et viabilité visibles sur {ok} lignes sur {rows}"
            ));
        }
        if job == "K2503" {
            c.execute(
                r#"document.querySelector("table.sources tbody").scrollIntoView();"#,
                vec![],
            )
            .await
            .map_err(|e| e.to_string())?;
            let png = c.screenshot().await.map_err(|e| e.to_string())?;
            std::fs::write(screenshots_dir().join("390-fiche-cartes.png"), png).unwrap();
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n"))
    }
}

/// Routes (comparaison), the second circle and what to learn (explorer),
/// and the local market (explorer re-ranked, comparaison) at 1366 and 390
/// px: every step and local line in view, the page never wider than the
/// window, the nurse's diploma named on the way to cadre de santé.
#[tokio::test(flavor = "multi_thread")]
async fn routes_and_learning_fit_at_1366_and_390() {
    let addr = start_server().await;
    let driver = start_driver();
    let c = connect(&driver).await;
    let base = format!("http://{addr}");
    let result = routes_fit(&c, &base).await;
    c.close().await.ok();
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// Steps out of view and what the sections hold, as one JSON array:
/// [page width, steps, steps out of view, routes, items to learn, step texts].
const ROUTES_IN_VIEW: &str = r#"
const w = window.innerWidth;
const steps = Array.from(document.querySelectorAll(".etape"));
const out = steps.filter(s => { const r = s.getBoundingClientRect(); return r.left < -1 || r.right > w + 1; });
return [document.documentElement.scrollWidth - w, steps.length, out.length,
        document.querySelectorAll(".itineraire").length,
        document.querySelectorAll(".apprendre > li").length,
        steps.map(s => s.textContent).join(" | "),
        Array.from(document.querySelectorAll(".marche-local")).filter(l => { const r = l.getBoundingClientRect(); return r.width > 0 && r.left >= -1 && r.right <= w + 1; }).length,
        document.querySelectorAll(".marche-local").length];"#;

async fn routes_fit(c: &Client, base: &str) -> Result<(), String> {
    let mut failures = Vec::new();
    for width in [1366u32, 390] {
        c.set_window_size(width, 900)
            .await
            .map_err(|e| e.to_string())?;
        for path in [
            "/comparaison/J1501/J1502?dept=34",
            "/explorer/M1609?dept=34",
        ] {
            c.goto(&format!("{base}{path}"))
                .await
                .map_err(|e| e.to_string())?;
            wait_for(c, ".itineraire").await;
            let v = c
                .execute(ROUTES_IN_VIEW, vec![])
                .await
                .map_err(|e| e.to_string())?;
            let n = |i: usize| v[i].as_i64().unwrap_or(-1);
            let text = v[5].as_str().unwrap_or("");
            if n(0) > 0 {
                failures.push(format!(
                    "{width} px, {path} : page plus large de {} px",
                    n(0)
                ));
            }
            if n(1) < 2 || n(2) != 0 {
                failures.push(format!(
                    "{width} px, {path} : {} étapes hors de la fenêtre sur {}",
                    n(2),
                    n(1)
                ));
            }
            let (local_seen, local_lines) = (n(6), n(7));
            if local_seen != local_lines
                || (path.contains("local=true") && local_lines < 30)
                || (path.starts_with("/comparaison") && local_lines != 1)
            {
                failures.push(format!(
                    "{width} px, {path} : {local_seen} lignes de marché local visibles sur {local_lines}"
                ));
            }
            if path.starts_with("/comparaison") {
                if !(text.contains("J1501 → J1506") && text.contains("Diplôme d'Etat d'Infirmier"))
                {
                    failures.push(format!(
                        "{path} : pas d'étape vers J1506 avec son diplôme : {text}"
                    ));
                }
            } else if n(3) < 10 || n(4) < 3 {
                failures.push(format!(
                    "{path} : {} destinations du second cercle, {} items à apprendre",
                    n(3),
                    n(4)
                ));
            }
            if width == 390 && path.starts_with("/comparaison") {
                c.execute(
                    r#"document.getElementById("titre-itineraires").scrollIntoView();"#,
                    vec![],
                )
                .await
                .map_err(|e| e.to_string())?;
                let png = c.screenshot().await.map_err(|e| e.to_string())?;
                std::fs::write(screenshots_dir().join("390-itineraires.png"), png).unwrap();
            }
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n"))
    }
}
