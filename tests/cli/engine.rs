//! The passerelle engine on ROME v460: sources, targets, gap, matrix, and the
//! independent numpy reference (bench/reference.py) on all pairs.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::common::*;

fn json(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).expect("JSON valide")
}

fn labels(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn gap_secretaire_medicale_to_assistant_medical_names_the_two_acquired_savoirs() {
    let db = db_with_rome();
    let g = json(&ok(
        passerelle_db(&db).args(["gap", "M1609", "J1303", "--json"])
    ));
    let acquis = labels(&g["savoirs"]["acquis"]);
    assert_eq!(
        acquis,
        [
            "Grille de codification Sécurité Sociale",
            "Terminologie médicale"
        ]
    );
    assert_eq!(g["savoirs"]["numerator"], 2);
    assert_eq!(
        g["savoirs"]["explanation"]["formula"],
        "savoirs.couverture_exacte.v1"
    );
    assert_eq!(g["savoirs"]["explanation"]["numerator"], 2.0);
    let den = g["savoirs"]["denominator"].as_u64().unwrap();
    // (serde_json's default float parsing may be 1 ulp off; the matrix test checks exactness.)
    assert!((g["scores"]["exact"]["savoirs"].as_f64().unwrap() - 2.0 / den as f64).abs() < 1e-15);
    assert_eq!(
        g["savoirs"]["a_acquerir"].as_array().unwrap().len() as u64,
        den - 2
    );
    // Certifications are reported apart, never among savoirs.
    let all_savoirs = [
        labels(&g["savoirs"]["acquis"]),
        labels(&g["savoirs"]["a_acquerir"]),
    ]
    .concat();
    assert!(
        !all_savoirs
            .iter()
            .any(|l| l.contains("CQP assistant médical"))
    );
    assert_eq!(
        labels(&g["certifications"]["communes"]),
        ["Titre professionnel secrétaire assistant médico-social"]
    );
    assert!(
        labels(&g["certifications"]["cible_seulement"])
            .contains(&"CQP assistant médical".to_string())
    );
    // Transversal axis from the estimated profiles: buckets cover the
    // competencies the target uses, and the sentence counts them.
    let t = &g["transversal"];
    let n = |k: &str| t[k].as_array().unwrap().len();
    let used = t["detail"]["competencies"].as_array().unwrap().len();
    assert!(used > 0);
    assert_eq!(
        n("adaptees") + n("plus_elevees") + n("a_faire_evoluer") + n("non_estimees"),
        used
    );
    assert_eq!(
        t["explanation"]["formula"],
        "transversal.etoiles_deficit.v1"
    );
    let tc = g["scores"]["exact"]["transversal"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&tc));
    let narrative: Vec<&str> = g["narrative"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(
        narrative[0].starts_with("Le métier « Secrétaire médical / Secrétaire médicale » couvre "),
        "{narrative:?}"
    );
    assert!(narrative[0].contains("compétence"), "{narrative:?}");
    assert!(narrative.iter().any(|s| s.starts_with(&format!(
        "Le métier « Secrétaire médical / Secrétaire médicale » possède déjà 2 des {den} savoirs du métier « Assistant / Assistante médico-technique »"
    ))), "{narrative:?}");
    assert!(narrative.iter().any(|s| s.starts_with(
        "Les contextes d'activité liés au métier « Assistant / Assistante médico-technique » sont"
    )));
    // Contexts are grouped by type, similar + new = the target's contexts.
    let count = |v: &Value| {
        v.as_array()
            .unwrap()
            .iter()
            .map(|g| g["items"].as_array().unwrap().len())
            .sum::<usize>()
    };
    assert_eq!(
        (count(&g["contextes"]["similaires"]) + count(&g["contextes"]["nouveaux"])) as u64,
        g["contextes"]["denominator"].as_u64().unwrap()
    );
}

#[test]
fn gap_text_is_french() {
    let db = db_with_rome();
    let out = stdout(&ok(passerelle_db(&db).args(["gap", "M1609", "200145"])));
    assert!(
        out.contains("« Assistant médical / Assistante médicale » (J1303)"),
        "{out}"
    );
    assert!(out.contains("2 savoirs déjà acquis :"), "{out}");
    assert!(out.contains("• Terminologie médicale"), "{out}");
    assert!(
        out.contains("• Grille de codification Sécurité Sociale"),
        "{out}"
    );
    assert!(
        out.lines()
            .any(|l| l.starts_with("Compétences transversales : ") && l.ends_with("\u{202f}%")),
        "{out}"
    );
    assert!(out.contains("Synthèse :"), "{out}");
    assert!(
        out.lines()
            .any(|l| l.starts_with("Savoirs professionnels : ") && l.contains("\u{202f}%")),
        "{out}"
    );
}

#[test]
fn sources_rank_other_fiches_with_all_columns() {
    let db = db_with_rome();
    let r = json(&ok(
        passerelle_db(&db).args(["sources", "J1303", "--json", "--limit", "15"])
    ));
    assert_eq!(r["direction"], "sources");
    assert_eq!(r["subject"]["id"], "J1303");
    assert_eq!(r["candidates"], 1583);
    let rows = r["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 15);
    let mut last = f64::INFINITY;
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row["rank"], i + 1);
        assert_ne!(row["code"], "J1303");
        for key in ["savoirs", "savoir_faire", "contextes", "score"] {
            let v = row[key].as_f64().unwrap();
            assert!((0.0..=1.0).contains(&v), "{key} = {v}");
        }
        let tc = row["transversal"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&tc));
        assert!(["courte", "possible", "exigeante"].contains(&row["tier"].as_str().unwrap()));
        assert!(row["riasec"].is_string());
        let s = row["score"].as_f64().unwrap();
        assert!(s <= last);
        last = s;
    }
    // The dental assistant shares the most with the medical assistant.
    assert_eq!(rows[0]["code"], "J1312");
    let t = &r["tiers"];
    assert!(t["courte"]["value"].as_f64().unwrap() >= t["possible"]["value"].as_f64().unwrap());
    for tier in ["courte", "possible"] {
        let p = t[tier]["percentile"].as_f64().unwrap();
        assert!(p > 50.0 && p < 100.0, "{tier} : percentile {p}");
        assert!(t[tier]["groups"].as_u64().unwrap() > 100);
    }
    assert_eq!(rows[0]["counts"]["savoirs"]["denominator"], 22);
    assert!(rows[0]["counts"]["transversal"].is_null());
}

#[test]
fn appellation_titles_the_ranking_and_dept_leaves_scores_unchanged() {
    let db = db_with_rome();
    let plain = json(&ok(
        passerelle_db(&db).args(["targets", "M1609", "--json", "--limit", "5"])
    ));
    let dept =
        json(&ok(passerelle_db(&db).args([
            "targets", "M1609", "--json", "--limit", "5", "--dept", "34",
        ])));
    assert_eq!(plain["rows"], dept["rows"]);
    assert_eq!(dept["dept"], "34");
    let app = json(&ok(
        passerelle_db(&db).args(["sources", "200145", "--json", "--limit", "3"])
    ));
    assert_eq!(
        app["subject"]["title"],
        "Assistant médical / Assistante médicale"
    );
    assert_eq!(app["subject"]["code"], "J1303");
    let text = stdout(&ok(
        passerelle_db(&db).args(["targets", "M1609", "--limit", "3"])
    ));
    assert!(
        text.starts_with(
            "Métiers cibles depuis « Secrétaire médical / Secrétaire médicale » (M1609)"
        ),
        "{text}"
    );
    assert!(text.contains("\u{202f}%"), "{text}");
}

#[test]
fn weights_change_the_score_and_bad_weights_are_refused_in_french() {
    let db = db_with_rome();
    let only_savoirs = json(&ok(passerelle_db(&db).args([
        "sources",
        "J1303",
        "--json",
        "--limit",
        "3",
        "--weights",
        "transversal=0,savoir_faire=0,contextes=0",
    ])));
    // The axes term of the score is the savoirs component alone.
    for row in only_savoirs["rows"].as_array().unwrap() {
        assert_eq!(row["terms"]["axes"], row["components"]["savoirs"]);
    }
    for (w, expected) in [
        (
            "salaire=1",
            "paramètre --weights : poids inconnu « salaire »",
        ),
        ("savoirs=1e308", "ne peut pas dépasser 100"),
        ("savoirs=-1", "ne peut pas être négatif"),
        ("savoirs=inf", "doit être un nombre fini"),
        ("savoirs=abc", "attendu un nombre"),
        (
            "transversal=0,savoirs=0,savoir_faire=0,contextes=0",
            "au moins un poids doit être strictement positif",
        ),
    ] {
        let err = fails(passerelle_db(&db).args(["sources", "J1303", "--weights", w]));
        assert!(
            err.starts_with("erreur : ") && err.contains(expected),
            "{w}: {err}"
        );
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    }
    let err = fails(passerelle_db(&db).args(["sources", "J1303", "--dept", "999"]));
    assert!(
        err.contains("--dept") && err.contains("département"),
        "{err}"
    );
    let err = fails(passerelle_db(&db).args(["gap", "M1609", "Z9999"]));
    assert!(err.contains("Z9999"), "{err}");
    let err = fails(passerelle_db(&db).args(["gap", "M1609", "J1303", "--enquete", "inexistante"]));
    assert!(
        err.contains("--enquete") && err.contains("« inexistante »"),
        "{err}"
    );
    let err = fails(passerelle_db(&db).args(["targets", "J1303", "--local"]));
    assert!(err.contains("--local") && err.contains("--dept"), "{err}");
}

/// The numpy reference must be runnable: CI installs numpy; never skip.
fn require_python_numpy() {
    let ok = Command::new("python3")
        .args(["-c", "import numpy"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    assert!(
        ok,
        "python3 avec numpy est requis par la référence indépendante bench/reference.py : installez-les (apt-get install python3 ; pip install numpy)"
    );
}

#[test]
fn matrix_agrees_with_the_independent_numpy_reference() {
    require_python_numpy();
    let db = db_with_rome();
    let dir = temp_dir();
    let csv = dir.path().join("matrice.csv");
    ok(passerelle_db(&db).args(["matrix", "--out"]).arg(&csv));
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("source,target,transversal,savoirs,savoir_faire,contextes,score")
    );
    assert_eq!(text.lines().count(), 1 + 1584 * 1583);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/reference.py");
    let out = Command::new("python3")
        .arg(&script)
        .arg("compare")
        .arg(data_dir().join("rome"))
        .arg(&csv)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "la matrice Rust diffère de la référence numpy :\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(report.contains("pairs=2507472"), "{report}");
    // One known pair, exactly.
    let line = text
        .lines()
        .find(|l| l.starts_with("M1609,J1303,"))
        .unwrap();
    let fields: Vec<&str> = line.split(',').collect();
    assert!(
        (0.0..=1.0).contains(&fields[2].parse::<f64>().unwrap()),
        "transversal : {line}"
    );
    assert_eq!(fields[3].parse::<f64>().unwrap(), 2.0 / 22.0);
}

#[test]
fn matrix_excel_uses_semicolons_and_decimal_commas() {
    let db = db_with_rome();
    let out = stdout(&ok(
        passerelle_db(&db).args(["matrix", "--excel", "--out", "-"])
    ));
    let mut lines = out.lines();
    assert_eq!(
        lines.next(),
        Some("source;target;transversal;savoirs;savoir_faire;contextes;score")
    );
    let row = out.lines().find(|l| l.starts_with("M1609;J1303;")).unwrap();
    assert!(row.contains("0,"), "{row}");
    assert!(!row.contains('.'), "{row}");
    assert_eq!(row.split(';').count(), 7);
}

/// Blanks what depends on the estimated transversal profiles (owned and
/// tuned by the transversal area), so that the snapshots pin the engine's own
/// structure and figures.
fn redact_transversal(v: &mut Value) {
    const MARK: &str = "[profil transversal estimé]";
    match v {
        Value::Object(map) => {
            for (k, x) in map.iter_mut() {
                if k == "transversal" && !x.is_null() {
                    *x = Value::String(MARK.into());
                } else {
                    redact_transversal(x);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact_transversal),
        _ => {}
    }
}

#[test]
fn json_outputs_are_stable() {
    let db = db_with_rome();
    let mut gap = json(&ok(
        passerelle_db(&db).args(["gap", "M1609", "200145", "--json"])
    ));
    redact_transversal(&mut gap);
    // The combined score, tier and first sentence follow the transversal axis.
    for k in ["tier", "tier_label"] {
        gap[k] = Value::String("[dépend du profil transversal]".into());
    }
    gap["scores"]["score"] = Value::String("[dépend du profil transversal]".into());
    gap["narrative"][0] = Value::String("[phrase des compétences transversales]".into());
    gap["weights"]["transversal"] = 1.0.into();
    insta::assert_json_snapshot!("gap_m1609_200145_json", gap);
    // Without the transversal weight, order, scores and thresholds are the engine's own.
    let mut sources = json(&ok(passerelle_db(&db).args([
        "sources",
        "J1303",
        "--json",
        "--limit",
        "5",
        "--weights",
        "transversal=0",
    ])));
    redact_transversal(&mut sources);
    sources["weights"]["transversal"] = 0.0.into();
    insta::assert_json_snapshot!("sources_j1303_json", sources);
}
