//! `targets JOB --dept D --local`: the re-ranking by the local market
//! (docs/methode.md, « Marché local (`--local`) »), on ROME v460 and the
//! shipped territorial data.

use serde_json::Value;

use crate::common::*;

fn targets_json(db: &std::path::Path, args: &[&str]) -> Value {
    let out = ok(passerelle_db(db)
        .args(["targets", "M1609", "--json"])
        .args(args));
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn rows(v: &Value) -> &Vec<Value> {
    v["rows"].as_array().expect("rows")
}

fn f(v: &Value) -> Option<f64> {
    v.as_f64()
}

#[test]
fn hérault_and_seine_saint_denis_differ_where_the_bmo_figures_differ() {
    let db = db_with_territory();
    let a = targets_json(&db, &["--dept", "34", "--local"]);
    let b = targets_json(&db, &["--dept", "93", "--local"]);
    let projets = |v: &Value| -> Vec<(String, String)> {
        rows(v)
            .iter()
            .map(|r| {
                (
                    r["id"].as_str().unwrap().to_string(),
                    r["local"]["projets"]["text"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let (pa, pb) = (projets(&a), projets(&b));
    // The same métier BMO has other figures in the two départements…
    let shared: Vec<_> = pa
        .iter()
        .filter_map(|(id, p)| pb.iter().find(|(j, _)| j == id).map(|(_, q)| (p, q)))
        .collect();
    assert!(shared.iter().any(|(p, q)| p != q), "{pa:?}\n{pb:?}");
    // …and the orders differ.
    let ids = |v: &Value| -> Vec<String> {
        rows(v)
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_ne!(ids(&a), ids(&b));
    assert_eq!(a["local"]["dept"], "34");
    assert_eq!(b["local"]["dept"], "93");
}

#[test]
fn every_row_carries_its_bmo_figures_and_source_and_the_formula_holds() {
    let db = db_with_territory();
    let v = targets_json(&db, &["--dept", "34", "--local", "--limit", "40"]);
    let blend = &v["local"];
    let mu = f(&blend["mu"]).unwrap();
    let (wp, wh, wt) = (
        f(&blend["poids_projets"]).unwrap(),
        f(&blend["poids_difficile"]).unwrap(),
        f(&blend["poids_tension"]).unwrap(),
    );
    let pmax = f(&blend["projets_max"]).unwrap();
    let neutral = f(&blend["demande_neutre"]).unwrap();
    let mut checked = 0;
    for r in rows(&v) {
        let l = &r["local"];
        assert!(l.is_object(), "ligne sans chiffres locaux : {r}");
        let sources: Vec<&str> = l["sources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        assert!(
            sources.contains(&"France Travail, enquête BMO 2025"),
            "{sources:?}"
        );
        assert!(l["projets"]["text"].is_string() && l["projets"]["source"].is_object());
        // The documented formula, from the row's own figures.
        let score = f(&r["score"]).unwrap();
        let d = f(&l["demande"]).unwrap();
        let local = f(&l["score"]).unwrap();
        assert!((local - ((1.0 - mu) * score + mu * d)).abs() < 1e-9, "{r}");
        if l["neutre"].as_bool().unwrap() {
            assert_eq!(d, neutral);
            continue;
        }
        // Each index present, recomputed from the figures it is made of.
        let mut parts = Vec::new();
        if let Some(ip) = f(&l["indice_projets"]) {
            let p = f(&l["projets"]["value"]).unwrap();
            assert!(
                (ip - (1.0 + p).ln() / (1.0 + pmax).ln()).abs() < 1e-9,
                "{r}"
            );
            parts.push((ip, wp));
        }
        if let Some(h) = f(&l["part_difficile"]) {
            let p = f(&l["projets"]["value"]).unwrap();
            let x = f(&l["difficiles"]["value"]).unwrap();
            assert!((h - (x / p).min(1.0)).abs() < 1e-9, "{r}");
            parts.push((h, wh));
        }
        if let Some(t) = f(&l["indice_tension"]) {
            let o = f(&l["offres"]["value"]).unwrap();
            let s = f(&l["demandeurs"]["value"]).unwrap();
            assert!((t - o / (o + s)).abs() < 1e-9, "{r}");
            parts.push((t, wt));
        }
        let expected = parts.iter().map(|(c, w)| c * w).sum::<f64>()
            / parts.iter().map(|(_, w)| w).sum::<f64>();
        assert!((d - expected).abs() < 1e-9, "{r}");
        checked += 1;
    }
    assert!(checked >= 2, "au moins deux lignes recalculées ({checked})");
}

#[test]
fn the_labels_keep_the_places_of_the_plain_ranking() {
    let db = db_with_territory();
    for dept in ["34", "93"] {
        let plain = targets_json(&db, &["--dept", dept, "--limit", "200"]);
        let local = targets_json(&db, &["--dept", dept, "--local", "--limit", "200"]);
        let tiers = |v: &Value| -> Vec<String> {
            rows(v)
                .iter()
                .map(|r| r["tier"].as_str().unwrap().to_string())
                .collect()
        };
        assert_eq!(tiers(&plain), tiers(&local), "département {dept}");
        // No row of a longer label above a direct passerelle.
        let t = tiers(&local);
        let direct = |s: &str| s == "courte" || s == "possible";
        if let Some(first_other) = t.iter().position(|s| !direct(s)) {
            assert!(t[first_other..].iter().all(|s| !direct(s)), "{t:?}");
        }
        // Within "possible", rows are in decreasing local score.
        let local_scores: Vec<f64> = rows(&local)
            .iter()
            .filter(|r| r["tier"] == "possible")
            .map(|r| f(&r["local"]["score"]).unwrap())
            .collect();
        assert!(
            local_scores.windows(2).all(|w| w[0] >= w[1]),
            "{local_scores:?}"
        );
        // Ranks are the printed positions.
        for (i, r) in rows(&local).iter().enumerate() {
            assert_eq!(r["rank"].as_u64(), Some(i as u64 + 1));
        }
    }
}

#[test]
fn the_text_prints_the_rule_the_local_column_and_the_sources() {
    let db = db_with_territory();
    let out = stdout(&ok(
        passerelle_db(&db).args(["targets", "M1609", "--dept", "34", "--local"])
    ));
    assert!(
        out.contains("Reclassement selon le marché local (34 Hérault)"),
        "{out}"
    );
    assert!(
        out.contains("score local = 75 % du score de mobilité"),
        "{out}"
    );
    assert!(out.contains("ni avantagée ni pénalisée"), "{out}");
    assert!(out.contains("Local") && out.contains("Projets"), "{out}");
    assert!(out.contains("marché local : métier BMO"), "{out}");
    assert!(
        out.contains("Sources du marché local : France Travail, enquête BMO 2025"),
        "{out}"
    );
    assert!(!out.contains("pas encore disponible"), "{out}");
}

#[test]
fn local_without_dept_and_sources_local_are_one_line_errors() {
    let db = db_with_territory();
    for (args, words) in [
        (
            vec!["targets", "M1609", "--local"],
            vec!["--local", "--dept"],
        ),
        (
            vec!["sources", "M1609", "--dept", "34", "--local"],
            vec!["la demande locale est celle du métier cible : --local s'applique à targets"],
        ),
        (vec!["sources", "M1609", "--local"], vec!["targets"]),
    ] {
        let err = fails(passerelle_db(&db).args(&args));
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
        for w in words {
            assert!(err.contains(w), "{args:?}: {err}");
        }
    }
    // Without territorial data: one line too.
    let rome = db_with_rome();
    let err = fails(passerelle_db(&rome).args(["targets", "M1609", "--dept", "34", "--local"]));
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("import territoire"), "{err}");
}
