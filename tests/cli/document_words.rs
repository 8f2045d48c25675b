//! Issue 13: every document a counsellor hands out, in every format, speaks
//! to people — no internal word (code names, data file names, `poste:` ids),
//! the same qualifiers in HTML, Markdown and PDF, and no training source
//! line when no offer is shown.
//!
//! One database (imported once through the CLI, as the README does), then
//! one catalog and one engine render all documents through the same
//! pipeline as `passerelle fiche` / `parcours`.

use std::path::Path;
use std::process::Command;

use passerelle_core::engine::Engine;
use passerelle_core::{Catalog, DeptCode, JobRef};
use passerelle_render::{DocFormat, FicheRequest, Pipeline};
use passerelle_store::{DbLocation, PosteRepository, ProfileRepository, RomeRepository, Store};

use passerelle_test_support::{INTERNAL_WORDS, shows_word, visible_text};

use crate::common::*;

/// The fiches of the issue: the demo (appellation 200145, resolved to its
/// poste as `passerelle fiche 200145` does) and four other jobs.
const FICHES: [(&str, &str); 5] = [
    ("200145", "34"),
    ("K2111", "75"),
    ("N1101", "13"),
    ("D1102", "48"),
    ("M1805", "69"),
];

/// Every import of the README, in one fresh database.
fn imported_db() -> tempfile::TempPath {
    let db = db_with_rome();
    import_demo_data(&db.display().to_string());
    db
}

/// File names (with an extension) under `dir`, recursively.
fn file_names(dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        if path.is_dir() {
            file_names(&path, out);
        } else if let Some(name) = path.file_name().and_then(|n| n.to_str())
            && name.contains('.')
            && !name.starts_with('.')
        {
            out.push(name.to_string());
        }
    }
}

/// Words separated by single spaces (PDF text breaks lines anywhere, and
/// numbers carry narrow no-break spaces); typographic apostrophes made plain.
fn flat(s: &str) -> String {
    s.replace('’', "'")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn pdf_text(bytes: &[u8], dir: &Path, name: &str) -> String {
    let path = dir.join(format!("{name}.pdf"));
    std::fs::write(&path, bytes).unwrap();
    let out = Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext est requis (paquet poppler-utils)");
    assert!(out.status.success(), "pdftotext {name}");
    String::from_utf8(out.stdout).unwrap()
}

/// One document in the four formats: the JSON model, and the flattened
/// text of HTML, Markdown and PDF.
struct Formats {
    name: String,
    json: serde_json::Value,
    texts: [(&'static str, String); 3],
}

fn formats(name: &str, render: impl Fn(DocFormat) -> Vec<u8>, dir: &Path) -> Formats {
    let text = |f| String::from_utf8(render(f)).unwrap();
    let json = serde_json::from_str(&text(DocFormat::Json)).expect("JSON valide");
    Formats {
        name: name.to_string(),
        json,
        texts: [
            ("HTML", flat(&visible_text(&text(DocFormat::Html)))),
            ("Markdown", flat(&text(DocFormat::Markdown))),
            ("PDF", flat(&pdf_text(&render(DocFormat::Pdf), dir, name))),
        ],
    }
}

fn check_words(doc: &Formats, forbidden: &[String]) {
    let json = doc.json.to_string();
    for (format, text) in doc
        .texts
        .iter()
        .map(|(f, t)| (*f, t.as_str()))
        .chain([("JSON", json.as_str())])
    {
        for w in forbidden {
            assert!(
                !shows_word(text, w),
                "{} ({format}) contient « {w} »",
                doc.name
            );
        }
        assert!(
            !text.contains("bassin(s)"),
            "{} ({format}) : pluriel « bassin(s) »",
            doc.name
        );
        // The JSON keeps the ids a user copies; the documents name postes by title.
        if format != "JSON" {
            assert!(
                !text.contains("poste:"),
                "{} ({format}) montre un identifiant poste:",
                doc.name
            );
        }
    }
}

/// Every qualifier of the territorial figures (notes: coverage, year and
/// older ROME code, whole BMO métier, reason of a "non disponible") is in
/// HTML, Markdown and PDF alike.
fn check_qualifiers(doc: &Formats) {
    let Some(figures) = doc.json["territoire"]["figures"].as_array() else {
        return;
    };
    // pdftotext joins a word cut after its hyphen at a line end
    // ("Animateur-" + "coordinateur" → "Animateurcoordinateur"): compare
    // without hyphens.
    let unhyphen = |s: &str| s.replace('-', "");
    let texts: Vec<(&str, String)> = doc.texts.iter().map(|(f, t)| (*f, unhyphen(t))).collect();
    for f in figures {
        for note in f["notes"].as_array().unwrap() {
            let note = unhyphen(&flat(note.as_str().unwrap()));
            for (format, text) in &texts {
                assert!(
                    text.contains(&note),
                    "{} ({format}) : qualificatif absent pour « {} » : {note}",
                    doc.name,
                    f["label"]
                );
            }
        }
    }
}

/// "Source : Offre de formation importée, …" only with at least one offer.
fn check_training_source(doc: &Formats) {
    let formations = &doc.json["formations"];
    let shown = !formations["items"].as_array().unwrap().is_empty();
    assert_eq!(
        formations["source"].is_string(),
        shown,
        "{} : source des formations {:?} pour {} offre(s)",
        doc.name,
        formations["source"],
        formations["items"].as_array().unwrap().len()
    );
    if !shown {
        for (format, text) in &doc.texts {
            assert!(
                !text.contains("Offre de formation importée"),
                "{} ({format}) cite une source de formation sans offre",
                doc.name
            );
        }
    }
}

#[test]
fn documents_speak_to_people_in_every_format() {
    let db = imported_db();
    let store = Store::open(&DbLocation::Sqlite(db.to_path_buf())).unwrap();
    let referential = store.load_referential().unwrap();
    let postes = store
        .load_postes()
        .unwrap()
        .into_iter()
        .map(|p| p.poste)
        .collect();
    let surveys = store.load_surveys().unwrap();
    let catalog = Catalog::new(referential, postes, surveys);
    let engine = Engine::new(&catalog);
    let lookups = StoreLookups { store };
    let pipeline = Pipeline::new(&catalog, &engine, &lookups, NOW.to_string());
    let job = |name: &str| catalog.resolve(&name.parse::<JobRef>().unwrap()).unwrap();
    let dir = temp_dir();

    let mut forbidden: Vec<String> = INTERNAL_WORDS.iter().map(|s| s.to_string()).collect();
    file_names(&data_dir(), &mut forbidden);
    file_names(&repo_file("data"), &mut forbidden);
    assert!(
        forbidden.iter().any(|f| f == "formations_herault_demo.xml"),
        "les noms des fichiers de données sont lus"
    );

    let mut docs = Vec::new();
    for (name, dept) in FICHES {
        let target = job(name);
        let dept: DeptCode = dept.parse().unwrap();
        let req = FicheRequest {
            target: &target,
            dept: Some(dept),
            sources: &[],
            enquete: None,
        };
        docs.push(formats(
            &format!("fiche {name} ({dept})"),
            |f| pipeline.fiche(req, f).unwrap().bytes,
            dir.path(),
        ));
    }
    let (source, target) = (job("M1609"), job("200145"));
    let dept: DeptCode = "34".parse().unwrap();
    docs.push(formats(
        "parcours M1609 → 200145 (34)",
        |f| {
            pipeline
                .parcours(&source, &target, Some(dept), f)
                .unwrap()
                .bytes
        },
        dir.path(),
    ));

    for doc in &docs {
        check_words(doc, &forbidden);
        check_qualifiers(doc);
        check_training_source(doc);
    }
    // Without blocs, the certifications are still listed, in every format
    // (boulanger in Lozère: the CAP and the BP, with their RNCP numbers).
    let boulanger = docs
        .iter()
        .find(|d| d.name.starts_with("fiche D1102"))
        .expect("fiche D1102");
    assert!(
        boulanger.json["descriptif"]["certifications_sans_blocs"]["items"]
            .as_array()
            .is_some_and(|l| l.len() >= 2),
        "{}",
        boulanger.json["descriptif"]
    );
    for (format, text) in &boulanger.texts {
        for expected in ["CAP boulanger", "BP boulanger", "RNCP37537"] {
            assert!(text.contains(expected), "{format} : « {expected} » absent");
        }
    }
    // The demo shows its offers, cited by what the file transcribes.
    let demo = &docs[0].json["formations"];
    assert!(
        demo["source"]
            .as_str()
            .is_some_and(|s| s.contains("AFPA pour l'Opco EP")),
        "{demo}"
    );
}

/// Issue 21, point 7: the certifications a fiche lists first fit the job.
/// Agent recenseur (M1425, accessible « sans qualification » : niveau 3)
/// inherits from its parent code masters and licences (niveaux 6 et 7):
/// none of them is in the main list, in any format; they are counted in one
/// line, listed in HTML behind a disclosure only.
#[test]
fn certifications_of_the_fiche_fit_the_job_level() {
    let db = db_with_territory();
    let store = Store::open(&DbLocation::Sqlite(db.to_path_buf())).unwrap();
    let catalog = Catalog::new(store.load_referential().unwrap(), Vec::new(), Vec::new());
    let engine = Engine::new(&catalog);
    let lookups = StoreLookups { store };
    let pipeline = Pipeline::new(&catalog, &engine, &lookups, NOW.to_string());
    let target = catalog
        .resolve(&"M1425".parse::<JobRef>().unwrap())
        .unwrap();
    let req = FicheRequest {
        target: &target,
        dept: Some("01".parse().unwrap()),
        sources: &[],
        enquete: None,
    };
    let dir = temp_dir();
    let doc = formats(
        "fiche M1425 (01)",
        |f| pipeline.fiche(req, f).unwrap().bytes,
        dir.path(),
    );
    let list = &doc.json["descriptif"]["certifications_sans_blocs"];
    let items = list["items"].as_array().expect("liste des certifications");
    assert!(!items.is_empty(), "{list}");
    for c in items {
        let niveau = c["niveau"].as_u64().expect("niveau connu dans la liste");
        assert!(niveau < 6, "niveau {niveau} dans la liste principale : {c}");
    }
    let autres = list["autres"].as_array().unwrap();
    assert!(
        autres.iter().any(|c| c["niveau"].as_u64() >= Some(6)),
        "{list}"
    );
    let resume = list["autres_resume"].as_str().expect("ligne des autres");
    assert!(
        resume.starts_with(&format!("{} autres certifications de niveau", autres.len())),
        "{resume}"
    );
    let master = "Master mention démographie";
    assert!(autres.iter().any(|c| c["intitule"] == master), "{list}");
    for (format, text) in &doc.texts {
        assert!(text.contains(resume), "{format} : « {resume} » absent");
        for c in items {
            let title = c["intitule"].as_str().unwrap();
            assert!(text.contains(title), "{format} : « {title} » absent");
        }
        let main_list = text
            .split(resume)
            .next()
            .expect("texte avant la ligne des autres");
        assert!(
            !main_list.contains(master),
            "{format} : « {master} » avant la ligne des autres"
        );
        if *format != "HTML" {
            assert!(!text.contains(master), "{format} : « {master} » listé");
        }
    }
    let html = String::from_utf8(pipeline.fiche(req, DocFormat::Html).unwrap().bytes).unwrap();
    let details = html.find("<details").expect("liste repliée en HTML");
    assert!(html.find(master).is_some_and(|i| i > details));
}
