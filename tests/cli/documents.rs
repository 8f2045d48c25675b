//! `passerelle fiche` and `passerelle parcours` (issue 6): the JSON model
//! (snapshot), the PDF (pdftotext / pdfinfo), the HTML (self-contained).

use std::path::Path;
use std::process::Command;

use crate::common::*;

/// The section titles every fiche passerelle carries, in seed 000's order.
const SECTIONS: [&str; 14] = [
    "Compétences transversales : la méthode",
    "Contexte territorial",
    "Définition et missions",
    "Profil de compétences transversales",
    "Descriptif métier",
    "Descriptif métier selon les entretiens employeurs",
    "Profil RIASEC",
    "Métiers sources",
    "Analyse des écarts",
    "Offre de formation",
    "Autres appellations des métiers sources",
    "Pour aller plus loin",
    "Annexe : méthodes et sources",
    "aide au jugement du conseiller",
];

fn fiche_json(db: &Path) -> serde_json::Value {
    let out = ok(passerelle_db(db).args(["fiche", "J1303", "--dept", "34", "--format", "json"]));
    serde_json::from_slice(&out.stdout).expect("JSON valide")
}

#[test]
fn fiche_json_snapshot_j1303_herault() {
    let db = db_with_territory();
    let mut doc = fiche_json(&db);
    // The gap analyses are snapshotted by the engine tests; keep their summary here.
    let ecarts: Vec<serde_json::Value> = doc["ecarts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| serde_json::json!({ "source": g["source"]["code"], "score": g["scores"]["score"], "tier_label": g["tier_label"], "narrative": g["narrative"] }))
        .collect();
    assert_eq!(ecarts.len(), 3, "trois analyses détaillées par défaut");
    doc["ecarts"] = serde_json::Value::Array(ecarts);
    assert_eq!(doc["cover"]["generated_on"], "23/11/2026");
    assert_eq!(
        doc["territoire"]["figures"][0]["text"],
        "1\u{202f}230\u{202f}289"
    );
    assert_eq!(doc["sources"]["rows"].as_array().unwrap().len(), 15);
    assert!(
        doc["descriptif"]["entretiens"]["sections"]
            .as_array()
            .unwrap()
            .len()
            >= 4,
        "entretiens employeurs de l'Hérault"
    );
    insta::assert_json_snapshot!("fiche_j1303_34_json", doc);
}

#[test]
fn fiche_sources_option_chooses_the_detailed_gaps() {
    let db = db_with_territory();
    let out = ok(passerelle_db(&db).args([
        "fiche",
        "J1303",
        "--dept",
        "34",
        "--sources",
        "M1609,J1304",
        "--format",
        "json",
    ]));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<&str> = doc["ecarts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["source"]["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["M1609", "J1304"]);
}

#[test]
fn fiche_without_territory_says_non_disponible() {
    let db = db_with_rome();
    let out = stdout(&ok(
        passerelle_db(&db).args(["fiche", "J1303", "--dept", "34", "--format", "md"])
    ));
    assert!(out.contains("Contexte territorial non disponible"), "{out}");
    assert!(out.contains("## Métiers sources"), "{out}");
}

fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name} est requis (paquet poppler-utils) : {e}"));
    assert!(
        out.status.success(),
        "{name} {args:?} : {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn fiche_pdf_has_every_section_and_key_figures() {
    let db = db_with_territory();
    let dir = temp_dir();
    let pdf = dir.path().join("j1303.pdf");
    ok(passerelle_db(&db)
        .args(["fiche", "J1303", "--dept", "34", "--format", "pdf", "-o"])
        .arg(&pdf));
    let json = fiche_json(&db);
    let first_source = json["sources"]["rows"][0]["title"]
        .as_str()
        .unwrap()
        .to_string();
    let p = pdf.to_str().unwrap();
    // -nopgbrk and no layout: words of a line come out in reading order.
    let text = tool("pdftotext", &[p, "-"]);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for s in SECTIONS {
        assert!(flat.contains(s), "section « {s} » absente du PDF");
    }
    // `flat` splits on every white space, the narrow no-break space of
    // numbers included, and joins with plain spaces.
    assert!(
        flat.contains("1 230 289"),
        "population de l'Hérault absente"
    );
    assert!(
        flat.contains(&first_source),
        "premier métier source « {first_source} » absent"
    );
    assert!(flat.contains("Insee, populations légales 2023"));
    assert!(flat.contains(
        "Source : France Travail – ROME 4.0, version 60 (25M09), mise à jour du 18/09/2025"
    ));
    let info = tool("pdfinfo", &[p]);
    let pages: u32 = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .map(|n| n.trim().parse().unwrap())
        .expect("nombre de pages");
    assert!(pages > 1, "{pages} page(s)");
    assert!(
        info.contains("A4") || info.contains("595.276 x 841.89"),
        "{info}"
    );
}

#[test]
fn fiche_html_is_self_contained() {
    let db = db_with_territory();
    let html = stdout(&ok(
        passerelle_db(&db).args(["fiche", "J1303", "--dept", "34", "--format", "html"])
    ));
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<html lang=\"fr\">"));
    assert_eq!(html.matches("<style>").count(), 1);
    assert!(!html.contains("<script"), "aucun script");
    assert!(!html.contains("<link"), "aucune feuille externe");
    assert!(!html.contains("src=\"http"), "aucune ressource réseau");
    assert!(!html.contains("url("), "aucune ressource CSS externe");
    assert!(html.contains("<svg"), "radar en ligne");
    assert!(html.contains("<th scope=\"col\">"), "en-têtes de tableau");
    assert!(
        html.contains("href=\"https://candidat.francetravail.fr/metierscope/fiche-metier/J1303\"")
    );
    for s in SECTIONS {
        assert!(html.contains(s), "section « {s} » absente");
    }
    // Well-formed enough: every opened element of these kinds is closed.
    for tag in [
        "section", "table", "tr", "ul", "li", "h2", "h3", "p", "main", "figure",
    ] {
        let opened =
            html.matches(&format!("<{tag}>")).count() + html.matches(&format!("<{tag} ")).count();
        let closed = html.matches(&format!("</{tag}>")).count();
        assert_eq!(
            opened, closed,
            "balise <{tag}> : {opened} ouvertes, {closed} fermées"
        );
    }
}

/// Seed 000's "mesure des écarts", in every format: the three transversal
/// lists named, savoirs split into connaissances and savoir-faire as
/// acquired / to acquire with "proche de …", contexts similar / new.
#[test]
fn fiche_details_each_gap_with_seed_000_structure() {
    let db = db_with_territory();
    let json = fiche_json(&db);
    let ecarts = json["ecarts"].as_array().unwrap();
    let n = ecarts.len();
    assert_eq!(n, 3);
    let near = ecarts.iter().any(|g| {
        g["savoirs"]["a_acquerir"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| !i["proche_de"].is_null())
    });
    for g in ecarts {
        let t = &g["transversal"];
        let higher = t["plus_elevees"].as_array().unwrap();
        for c in higher {
            let c = c.as_str().unwrap();
            assert!(
                g["narrative"][0].as_str().unwrap().contains(c),
                "le récit nomme la compétence plus élevée « {c} »"
            );
        }
    }
    let dir = temp_dir();
    let pdf = dir.path().join("j1303.pdf");
    ok(passerelle_db(&db)
        .args(["fiche", "J1303", "--dept", "34", "--format", "pdf", "-o"])
        .arg(&pdf));
    let pdf_text = tool("pdftotext", &[pdf.to_str().unwrap(), "-"])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for format in ["html", "md", "pdf"] {
        let text = match format {
            "pdf" => pdf_text.clone(),
            f => stdout(&ok(
                passerelle_db(&db).args(["fiche", "J1303", "--dept", "34", "--format", f])
            )),
        };
        for label in [
            "Compétences adaptées (",
            "Compétences les plus élevées (",
            "Compétences à faire évoluer (",
            "Savoirs déjà acquis (",
            "Savoirs à acquérir (",
            "Contextes similaires",
            "Contextes nouveaux",
        ] {
            // pdftotext may read a card's count after its list.
            let label = if format == "pdf" {
                label.trim_end_matches(" (")
            } else {
                label
            };
            assert_eq!(
                text.matches(label).count(),
                n,
                "{format} : « {label} » une fois par écart détaillé"
            );
        }
        // A narrow PDF card may wrap the label: compare words, not lines.
        let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            words.contains("Connaissances professionnelles"),
            "{format} : savoirs répartis en connaissances"
        );
        if near {
            assert!(text.contains("proche de "), "{format} : « proche de … »");
        }
    }
}

#[test]
fn parcours_secretaire_vers_assistant_medical() {
    let db = db_with_territory();
    let out = ok(passerelle_db(&db).args([
        "parcours", "M1609", "J1303", "--dept", "34", "--format", "json",
    ]));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        doc["je_suis"]
            .as_str()
            .unwrap()
            .starts_with("Je suis secrétaire médical")
    );
    let activites = doc["activites"].as_array().unwrap();
    assert!(!activites.is_empty());
    for a in activites {
        let part = a["part"].as_f64().unwrap();
        let expected = if part >= passerelle_render::document::DEGRE_FORT {
            "Fort"
        } else if part >= passerelle_render::document::DEGRE_MOYEN {
            "Moyen"
        } else {
            "Faible"
        };
        assert_eq!(a["degre"], expected);
    }
    let cert = &doc["certification"];
    assert_eq!(cert["intitule"], "CQP Assistant médical");
    assert!(!cert["blocs"].as_array().unwrap().is_empty());
    // Sources: only what the parcours shows (no territorial figure here).
    let attributions = doc["attributions"].to_string();
    assert!(
        attributions.contains("CQP Assistant médical") && !attributions.contains("Insee"),
        "{attributions}"
    );
    // Seed 001 from the appellation too: activities named with a degree,
    // assets named in the summary, access agreeing with the certification.
    let out = ok(passerelle_db(&db).args([
        "parcours", "M1609", "200145", "--dept", "34", "--format", "json",
    ]));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let activites = doc["activites"].as_array().unwrap();
    assert!(!activites.is_empty(), "au moins une activité transférable");
    for a in activites {
        assert!(a["part"].as_f64().unwrap() > 0.0, "{a}");
        assert!(
            ["Fort", "Moyen", "Faible"].contains(&a["degre"].as_str().unwrap()),
            "{a}"
        );
    }
    let synthese = doc["synthese"][0].as_str().unwrap();
    let first = activites[0]["title"].as_str().unwrap();
    assert!(
        synthese.contains(first) && synthese.contains("atouts"),
        "la synthèse nomme les atouts : {synthese}"
    );
    let cert = doc["certification"]["intitule"].as_str().unwrap();
    assert!(
        doc["acces"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p.as_str().unwrap().contains(cert)),
        "« Accès au métier » cite la certification {cert}"
    );
    let dir = temp_dir();
    let pdf = dir.path().join("parcours.pdf");
    ok(passerelle_db(&db)
        .args([
            "parcours", "M1609", "J1303", "--dept", "34", "--format", "pdf", "-o",
        ])
        .arg(&pdf));
    let text = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for s in [
        "Compétences transférables",
        "Compétences à acquérir",
        "Certification",
        "CQP Assistant médical",
        "Ce que chaque bloc couvre des savoirs à acquérir",
        "Bloc 3 – Hygiène et qualité : couvre",
    ] {
        assert!(flat.contains(s), "« {s} » absent du PDF du parcours");
    }
}

#[test]
fn parcours_says_which_bloc_covers_which_item_to_acquire() {
    let db = db_with_territory();
    let out = ok(passerelle_db(&db).args([
        "parcours", "M1609", "J1303", "--dept", "34", "--format", "json",
    ]));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let cv = &doc["certification"]["couverture"];
    let blocs: Vec<&str> = cv["blocs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_str().unwrap())
        .collect();
    assert_eq!(blocs.len(), 4, "{cv}");
    assert!(
        blocs[2].starts_with("Bloc 3 – Hygiène et qualité : couvre")
            && blocs[2].contains("«\u{a0}Règles d'hygiène et d'asepsie\u{a0}»"),
        "{}",
        blocs[2]
    );
    // What the secretary already holds is not « à acquérir ».
    assert!(!cv.to_string().contains("Terminologie médicale"), "{cv}");
    let hors = cv["hors_blocs"].as_str().unwrap();
    assert!(hors.contains("«\u{a0}Orthodontie\u{a0}»"), "{hors}");

    // The counts are those of the gap: every item to acquire is either in
    // a bloc or named outside them.
    let out = ok(passerelle_db(&db).args(["gap", "M1609", "J1303", "--json"]));
    let gap: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let items = |part: &str| -> Vec<serde_json::Value> {
        ["savoirs", "savoir_faire"]
            .iter()
            .flat_map(|k| gap[k][part].as_array().unwrap().clone())
            .collect()
    };
    let missing = items("a_acquerir");
    let outside = hors.matches('«').count();
    let resume = cv["resume"].as_str().unwrap();
    assert_eq!(
        resume,
        format!(
            "Les blocs couvrent {} des {} savoirs et savoir-faire à acquérir.",
            missing.len() - outside,
            missing.len()
        )
    );

    // The reviewed list names items of the imported fiche J1303 only.
    let held: Vec<u64> = items("acquis")
        .iter()
        .chain(&missing)
        .map(|i| i["ogr"].as_u64().unwrap())
        .collect();
    for b in passerelle_core::territory::cqp::Cqp::assistant_medical().blocs {
        for ogr in &b.items_rome {
            assert!(
                held.contains(&u64::from(ogr.get())),
                "bloc {} : l'item {} n'est pas dans la fiche J1303",
                b.numero,
                ogr.get()
            );
        }
    }

    // A profile exempted from a bloc reads it.
    let out = ok(passerelle_db(&db).args([
        "parcours", "J1501", "J1303", "--dept", "34", "--format", "md",
    ]));
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(
        md.contains("- Bloc 3 – Hygiène et qualité (dispensé pour ce profil) : couvre"),
        "{md}"
    );
}

#[test]
fn pdf_goes_to_a_file_named_with_the_departement() {
    let db = db_with_rome();
    let err = fails(passerelle_db(&db).args([
        "fiche", "J1303", "--dept", "34", "--format", "pdf", "-o", "-",
    ]));
    assert!(
        err.contains("-o"),
        "jamais de PDF sur la sortie standard : {err}"
    );
    let dir = temp_dir();
    ok(passerelle_db(&db)
        .current_dir(dir.path())
        .args(["fiche", "J1303", "--dept", "34", "--format", "pdf"]));
    assert!(dir.path().join("fiche-passerelle-J1303-34.pdf").is_file());
}

/// `-o NAME.ext` chooses the format when `--format` is absent; a
/// contradiction between the two is one French line and writes nothing.
#[test]
fn the_output_extension_chooses_the_format() {
    let db = db_with_territory();
    let dir = temp_dir();
    let pdf = dir.path().join("g.pdf");
    ok(passerelle_db(&db)
        .args(["fiche", "G1801", "--dept", "973", "-o"])
        .arg(&pdf));
    assert!(
        std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"),
        "g.pdf n'est pas un PDF"
    );
    let md = dir.path().join("p.md");
    ok(passerelle_db(&db)
        .args(["parcours", "M1609", "J1303", "--dept", "34", "-o"])
        .arg(&md));
    assert!(std::fs::read_to_string(&md).unwrap().starts_with('#'));
    let clash = dir.path().join("x.html");
    let err = fails(
        passerelle_db(&db)
            .args(["fiche", "J1303", "--dept", "34", "--format", "pdf", "-o"])
            .arg(&clash),
    );
    assert!(
        err.contains("--format") && err.contains(".html") && err.lines().count() == 1,
        "{err}"
    );
    assert!(
        !clash.exists(),
        "rien n'est écrit quand les deux se contredisent"
    );
}
