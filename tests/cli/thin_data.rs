//! Issue 24: any job in any département gives a fiche passerelle that reads
//! well when the data is thin. The six pairs of the issue, one in Corsica
//! and one overseas, and ten pairs drawn with a fixed seed, each rendered
//! in every format: at most one "non disponible" line per section, no
//! table without rows, the target's other titles, no internal word; and
//! PDF pages that end well (body text in the lower half of every page but
//! the last, unless the next one opens a part; a last page holding more
//! than the notice).
//!
//! One database, one catalog and one engine: each fiche's model is built
//! once and rendered in the four formats, as `passerelle fiche` does.

use std::path::Path;
use std::process::Command;

use passerelle_core::engine::Engine;
use passerelle_core::{Catalog, DeptCode, JobRef};
use passerelle_render::wording::WORDING;
use passerelle_render::{DocFormat, FicheRequest, Pipeline, render_fiche};
use passerelle_store::{DbLocation, ProfileRepository, RomeRepository, Store, TerritoryRepository};
use passerelle_test_support::{INTERNAL_WORDS, shows_word, visible_text};

use crate::common::*;

/// The pairs, then Haute-Corse and Mayotte.
const PAIRS: [(&str, &str); 8] = [
    ("K2503", "01"),
    ("C1107", "67"),
    ("N4112", "38"),
    ("G1801", "973"),
    ("M1425", "01"),
    ("H1523", "67"),
    ("D1106", "2B"),
    ("J1501", "976"),
];

/// How many pairs the fixed seed draws, and the seed.
const DRAWN: usize = 10;
const SEED: u64 = 0x5eed_2024_0024;

/// Every spelling of "non disponible" a reader meets.
const NON_DISPONIBLE: [&str; 3] = ["non disponible", "non disponibles", "n. d."];

/// SplitMix64: a small deterministic generator, enough to draw pairs the
/// issue does not name, the same at every run.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Lines holding "non disponible" (any spelling), per section: `sections`
/// are (title, text) with one reader's line per text line.
fn check_one_gap_line(name: &str, format: &str, sections: &[(String, String)]) {
    for (title, text) in sections {
        let lines = text
            .lines()
            .filter(|l| {
                let l = l.to_lowercase();
                NON_DISPONIBLE.iter().any(|w| l.contains(w))
            })
            .count();
        assert!(
            lines <= 1,
            "{name} ({format}) : {lines} lignes « non disponible » dans la section « {title} »\n{text}"
        );
    }
}

/// Markdown sections: split at the `#` and `##` headings.
fn md_sections(md: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = vec![(String::new(), String::new())];
    for line in md.lines() {
        if line.starts_with("# ") || line.starts_with("## ") {
            out.push((line.to_string(), String::new()));
        } else {
            let last = out.last_mut().unwrap();
            last.1.push_str(line);
            last.1.push('\n');
        }
    }
    out
}

/// HTML sections: split at `<h2`, each element's text on its own line.
fn html_sections(html: &str) -> Vec<(String, String)> {
    html.split("<h2")
        .map(|part| {
            let text = visible_text(
                &part
                    .replace("</p>", "</p>\n")
                    .replace("</li>", "</li>\n")
                    .replace("</tr>", "</tr>\n"),
            );
            let title = text.lines().next().unwrap_or("").to_string();
            (title, text)
        })
        .collect()
}

/// Every Markdown table has a row under its header, every HTML table a
/// row in its body.
fn check_tables(name: &str, md: &str, html: &str) {
    let lines: Vec<&str> = md.lines().collect();
    for (i, l) in lines.iter().enumerate() {
        if l.starts_with("|---") {
            assert!(
                lines.get(i + 1).is_some_and(|n| n.starts_with('|')),
                "{name} (Markdown) : tableau sans ligne après « {} »",
                lines[i - 1]
            );
        }
    }
    for table in html.split("<table").skip(1) {
        let table = &table[..table.find("</table>").unwrap()];
        let body = table.split("<tbody>").nth(1).unwrap_or(table);
        assert!(
            body.contains("<tr"),
            "{name} (HTML) : tableau sans ligne : {}",
            &table[..table.len().min(300)]
        );
    }
}

/// One page of a PDF: its height and the words of its body (the footer,
/// in the bottom margin, left out) with their top and bottom.
struct Page {
    height: f64,
    words: Vec<(f64, f64, String)>,
}

/// The PDF's bottom margin (2 cm), where the footer is.
const FOOTER: f64 = 2.0 * 72.0 / 2.54;

fn pdf_pages(path: &Path) -> Vec<Page> {
    let info = Command::new("pdfinfo")
        .arg(path)
        .output()
        .expect("pdfinfo (poppler-utils)");
    let info = String::from_utf8_lossy(&info.stdout);
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("nombre de pages");
    (1..=pages)
        .map(|n| {
            let out = Command::new("pdftotext")
                .args(["-f", &n.to_string(), "-l", &n.to_string(), "-bbox"])
                .arg(path)
                .arg("-")
                .output()
                .expect("pdftotext (poppler-utils)");
            let xml = String::from_utf8_lossy(&out.stdout);
            let attr = |s: &str, name: &str| -> f64 {
                let key = format!("{name}=\"");
                let start = s.find(&key).unwrap() + key.len();
                s[start..start + s[start..].find('"').unwrap()]
                    .parse()
                    .unwrap()
            };
            let height = attr(&xml[xml.find("<page ").unwrap()..], "height");
            let words = xml
                .split("<word ")
                .skip(1)
                .map(|w| {
                    let text = w[w.find('>').unwrap() + 1..w.find("</word>").unwrap()].to_string();
                    (attr(w, "yMin"), attr(w, "yMax"), text)
                })
                .filter(|(_, y_max, _)| *y_max <= height - FOOTER + 1.0)
                .collect();
            Page { height, words }
        })
        .collect()
}

/// Every page but the last has body text in its lower half unless the
/// next page opens a part (its first words are a part's title); the last
/// page holds more than the notice.
fn check_pages(name: &str, path: &Path, parts: &[&str]) {
    let pages = pdf_pages(path);
    let opens_part = |p: &Page| {
        let first: Vec<&str> = p.words.iter().take(6).map(|(_, _, t)| t.as_str()).collect();
        let first = first.join(" ");
        parts.iter().any(|t| {
            let head: Vec<&str> = t
                .split_whitespace()
                .take(first.split(' ').count())
                .collect();
            !head.is_empty() && first.starts_with(&head.join(" "))
        })
    };
    for (i, p) in pages.iter().enumerate().take(pages.len() - 1) {
        let lower = p.words.iter().any(|(_, y, _)| *y > p.height / 2.0);
        assert!(
            lower || opens_part(&pages[i + 1]),
            "{name} : page {} à moitié vide (la suivante n'ouvre pas une partie)",
            i + 1
        );
    }
    let last = pages.last().unwrap();
    let text: String = last
        .words
        .iter()
        .map(|(_, _, t)| t.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let notice: Vec<&str> = WORDING.notice.split_whitespace().collect();
    assert!(
        last.words.len() > notice.len() + 2,
        "{name} : la dernière page ne porte que l'avertissement : {text}"
    );
}

fn flat(s: &str) -> String {
    s.replace('’', "'")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn any_job_in_any_departement_reads_well() {
    let db = db_with_territory();
    let store = Store::open(&DbLocation::Sqlite(db.to_path_buf())).unwrap();
    let catalog = Catalog::new(
        store.load_referential().unwrap(),
        Vec::new(),
        store.load_surveys().unwrap(),
    );
    let engine = Engine::new(&catalog);
    let departements: Vec<DeptCode> = store
        .departements()
        .unwrap()
        .into_iter()
        .map(|d| d.code)
        .collect();
    let lookups = StoreLookups { store };
    let pipeline = Pipeline::new(&catalog, &engine, &lookups, NOW.to_string());

    let mut pairs: Vec<(String, DeptCode)> = PAIRS
        .iter()
        .map(|(j, d)| (j.to_string(), d.parse().unwrap()))
        .collect();
    let fiches = &catalog.referential.fiches;
    let mut rng = SplitMix(SEED);
    for _ in 0..DRAWN {
        let f = &fiches[rng.below(fiches.len())];
        let d = departements[rng.below(departements.len())];
        pairs.push((f.code.to_string(), d));
    }

    let w = &WORDING;
    let parts = [
        w.methode_transversale,
        w.territoire,
        w.definition_missions,
        w.profil_transversal,
        w.descriptif,
        w.riasec,
        w.sources,
        w.ecarts,
        w.offre_formation,
        w.autres_appellations,
        w.pour_aller_plus_loin,
        w.annexe,
    ];
    let dir = temp_dir();
    for (job, dept) in &pairs {
        let name = format!("fiche {job} ({dept})");
        let target = catalog.resolve(&job.parse::<JobRef>().unwrap()).unwrap();
        let req = FicheRequest {
            target: &target,
            dept: Some(*dept),
            sources: &[],
            enquete: None,
        };
        let model = pipeline.fiche_model(req).unwrap();
        let bytes = |f| render_fiche(&model, f).unwrap().bytes;
        let json: serde_json::Value = serde_json::from_slice(&bytes(DocFormat::Json)).unwrap();
        let html = String::from_utf8(bytes(DocFormat::Html)).unwrap();
        let md = String::from_utf8(bytes(DocFormat::Markdown)).unwrap();
        let pdf_path = dir.path().join(format!("{job}-{dept}.pdf"));
        std::fs::write(&pdf_path, bytes(DocFormat::Pdf)).unwrap();
        let pdf = Command::new("pdftotext")
            .arg(&pdf_path)
            .arg("-")
            .output()
            .expect("pdftotext (poppler-utils)");
        let pdf = String::from_utf8(pdf.stdout).unwrap();

        // One "non disponible" line per section at most.
        check_one_gap_line(&name, "Markdown", &md_sections(&md));
        check_one_gap_line(&name, "HTML", &html_sections(&html));
        let mut json_territoire = json["territoire"].clone();
        json_territoire["context"] = serde_json::Value::Null;
        for key in ["figures", "non_disponibles"] {
            let text = json_territoire[key].to_string().to_lowercase();
            assert!(
                text.matches("non disponible").count() <= 1,
                "{name} (JSON) : territoire.{key} : {text}"
            );
        }
        assert!(
            !flat(&md).contains("au moins 0 (") && !flat(&pdf).contains("au moins 0 ("),
            "{name} : « au moins 0 »"
        );
        check_tables(&name, &md, &html);

        // The target's other titles, in every format.
        let titles = json["appellations_cible"].as_array().unwrap();
        let first = titles.first().map(|t| flat(t.as_str().unwrap()));
        for (format, text) in [
            ("HTML", flat(&visible_text(&html))),
            ("Markdown", flat(&md)),
            ("PDF", flat(&pdf)),
        ] {
            assert!(
                text.contains(w.appellations_cible),
                "{name} ({format}) : section « {} » absente",
                w.appellations_cible
            );
            // pdftotext may cut a long title at a line's hyphen.
            if let Some(first) = &first {
                assert!(
                    text.replace('-', "").contains(&first.replace('-', "")),
                    "{name} ({format}) : « {first} » absent"
                );
            }
            for word in INTERNAL_WORDS {
                assert!(
                    !shows_word(&text, word),
                    "{name} ({format}) contient « {word} »"
                );
            }
        }
        let json_text = json.to_string();
        for word in INTERNAL_WORDS {
            assert!(
                !shows_word(&json_text, word),
                "{name} (JSON) contient « {word} »"
            );
        }

        check_pages(&name, &pdf_path, &parts);
    }
}
