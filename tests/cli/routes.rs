//! `chemins` (routes, second circle) and `apprendre` on ROME v460: the steps
//! follow the ranking's labels, the nurse's diploma is named on the way to
//! cadre de santé, and what `apprendre` promises is what a full re-scoring
//! with the item added finds.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

use crate::common::*;

fn json(db: &Path, args: &[&str]) -> Value {
    serde_json::from_slice(&ok(passerelle_db(db).args(args)).stdout).expect("JSON valide")
}

/// Every target of `job` with its tier, from the ranking itself.
fn tiers_of_targets(db: &Path, job: &str) -> BTreeMap<String, String> {
    let v = json(db, &["targets", job, "--json", "--limit", "5000"]);
    v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_string(),
                r["tier"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn is_direct(tier: &str) -> bool {
    tier == "courte" || tier == "possible"
}

fn id(job: &Value) -> &str {
    job["id"].as_str().unwrap()
}

/// Each step carries the label `targets FROM` gives the same move, and
/// never "exigeante".
fn assert_steps_follow_the_ranking(db: &Path, routes: &[Value]) {
    let mut rankings: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for route in routes {
        for step in route["steps"].as_array().unwrap() {
            let (from, to) = (id(&step["from"]), id(&step["to"]));
            let tiers = rankings
                .entry(from.to_string())
                .or_insert_with(|| tiers_of_targets(db, from));
            let tier = step["tier"].as_str().unwrap();
            assert_ne!(tier, "exigeante", "{from} → {to}");
            assert_eq!(tiers[to], tier, "{from} → {to} : étiquette du classement");
        }
    }
}

#[test]
fn an_aide_soignant_reaches_cadre_de_sante_through_the_nurses_diploma() {
    let db = db_with_rome();
    let v = json(&db, &["chemins", "J1501", "J1502", "--json"]);
    let routes = v["routes"].as_array().unwrap();
    assert!(!routes.is_empty() && routes.len() <= 3, "{v:#}");
    let through_nurse = routes
        .iter()
        .find(|r| {
            r["steps"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| id(&s["to"]) == "J1506")
        })
        .expect("un itinéraire passe par J1506 (infirmier)");
    let first = &through_nurse["steps"][0];
    assert_eq!(id(&first["to"]), "J1506");
    assert_eq!(first["tier"], "reconversion_longue");
    let requirement = first["requirement"].as_str().unwrap().to_lowercase();
    assert!(
        requirement.contains("diplôme d'etat d'infirmier"),
        "{requirement}"
    );
    // The cost is the published sum.
    for route in routes {
        let steps = route["steps"].as_array().unwrap();
        let cost: f64 = steps
            .iter()
            .map(|s| {
                let long = s["tier"] == "reconversion_longue";
                1.0 - s["score"].as_f64().unwrap() + if long { 1.0 } else { 0.0 }
            })
            .sum();
        assert!((cost - route["cost"].as_f64().unwrap()).abs() < 1e-9);
    }
    assert_steps_follow_the_ranking(&db, routes);
    let text = stdout(&ok(passerelle_db(&db).args(["chemins", "J1501", "J1502"])));
    assert!(text.contains("par J1506"), "{text}");
    assert!(text.contains("Coût d'un itinéraire"), "{text}");
}

#[test]
fn the_second_circle_of_a_medical_secretary_lies_beyond_her_direct_passerelles() {
    let db = db_with_rome();
    let direct: BTreeSet<String> = tiers_of_targets(&db, "M1609")
        .into_iter()
        .filter(|(_, t)| is_direct(t))
        .map(|(id, _)| id)
        .collect();
    let v = json(&db, &["chemins", "M1609", "--json"]);
    let destinations = v["destinations"].as_array().unwrap();
    assert_eq!(destinations.len(), 15, "{v:#}");
    for route in destinations {
        let steps = route["steps"].as_array().unwrap();
        assert_eq!(steps.len(), 2);
        let (middle, end) = (id(&steps[0]["to"]), id(&steps[1]["to"]));
        assert_eq!(id(&steps[1]["from"]), middle);
        assert!(!direct.contains(end), "{end} est une passerelle directe");
        assert!(end != "M1609" && middle != "M1609");
    }
    // The labels of the first destinations' steps, against the rankings
    // (one ranking per intermediate: the first three keep the test short).
    assert_steps_follow_the_ranking(&db, &destinations[..3]);
}

#[test]
fn what_apprendre_promises_is_what_a_full_rescoring_with_the_item_finds() {
    let db = db_with_rome();
    let v = json(&db, &["apprendre", "M1609", "--json"]);
    let items = v["items"].as_array().unwrap();
    assert!(items.len() >= 3, "{v:#}");
    let n_fiches = v["n_fiches"].as_f64().unwrap();
    for item in items {
        assert!(!item["opens"].as_array().unwrap().is_empty());
        assert!(item["fiches"].as_f64().unwrap() <= 0.10 * n_fiches);
    }
    // M1609 with the first item added, as a poste of the same title.
    let item = &items[0];
    let ogr = item["item"]["ogr"].as_u64().unwrap();
    let show = json(&db, &["show", "M1609", "--json"]);
    let mut toml = format!(
        "slug = \"secretaire-medicale-plus\"\ntitre = {}\nfiche = \"M1609\"\nversion_rome = 60\n\n[provenance]\nauteur = \"tests\"\ndate = \"2026-12-06\"\nbase = \"fiche M1609 et un item proposé par apprendre\"\n",
        show["job"]["title"]
    );
    for i in show["items"].as_array().unwrap() {
        toml += &format!("\n[[items]]\nogr = {}\n", i["ogr"]);
    }
    toml += &format!("\n[[items]]\nogr = {ogr}\nextra = true\n");
    let dir = temp_dir();
    let file = dir.path().join("plus.toml");
    std::fs::write(&file, toml).unwrap();
    ok(passerelle_db(&db)
        .args(["import", "postes", "--quiet"])
        .arg(&file));
    let before = tiers_of_targets(&db, "M1609");
    let after = tiers_of_targets(&db, "poste:secretaire-medicale-plus");
    let opened: BTreeSet<String> = after
        .iter()
        .filter(|(id, t)| is_direct(t) && before.get(*id).is_some_and(|b| b == "exigeante"))
        .map(|(id, _)| id.clone())
        .filter(|id| {
            // Opened by the item: the target holds it.
            let s = json(&db, &["show", id, "--json"]);
            s["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|i| i["ogr"].as_u64() == Some(ogr))
        })
        .collect();
    let promised: BTreeSet<String> = item["opens"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(opened, promised, "{item:#}");
}

#[test]
fn routes_and_apprendre_refuse_unknown_jobs_in_one_line() {
    let db = db_with_rome();
    let err = fails(passerelle_db(&db).args(["chemins", "M1609", "Z9999"]));
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("Z9999"), "{err}");
    let err = fails(passerelle_db(&db).args(["apprendre", "X1"]));
    assert_eq!(err.trim().lines().count(), 1, "{err}");
}

#[test]
fn the_second_circle_is_re_ranked_by_the_local_market_within_its_classes() {
    let db = db_with_territory();
    let plain = json(&db, &["chemins", "M1609", "--json", "--limit", "200"]);
    let long = |r: &Value| {
        r["steps"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["tier"] == "reconversion_longue")
    };
    let classes = |v: &Value| -> Vec<bool> {
        v["destinations"]
            .as_array()
            .unwrap()
            .iter()
            .map(long)
            .collect()
    };
    let mut orders = Vec::new();
    for dept in ["34", "93"] {
        let v = json(
            &db,
            &[
                "chemins", "M1609", "--dept", dept, "--local", "--json", "--limit", "200",
            ],
        );
        let destinations = v["destinations"].as_array().unwrap();
        let figures = v["local"]["figures"].as_array().unwrap();
        assert_eq!(destinations.len(), figures.len());
        // Each class keeps the positions it holds without the local market.
        assert_eq!(classes(&v), classes(&plain), "{dept}");
        // The published formula, on every destination: 0,75 × quality + 0,25 × demand.
        for (r, f) in destinations.iter().zip(figures) {
            let steps = r["steps"].as_array().unwrap();
            let quality: f64 = steps
                .iter()
                .map(|s| s["score"].as_f64().unwrap())
                .sum::<f64>()
                / steps.len() as f64;
            let expected = 0.75 * quality + 0.25 * f["demande"].as_f64().unwrap();
            assert!(
                (f["score"].as_f64().unwrap() - expected).abs() < 1e-9,
                "{f:#}"
            );
            assert!(!f["sources"].as_array().unwrap().is_empty() || f["neutre"] == true);
        }
        // Within a class, the local scores decrease.
        for class in [false, true] {
            let scores: Vec<f64> = destinations
                .iter()
                .zip(figures)
                .filter(|(r, _)| long(r) == class)
                .map(|(_, f)| f["score"].as_f64().unwrap())
                .collect();
            assert!(
                scores.windows(2).all(|w| w[0] >= w[1] - 1e-12),
                "{dept} : {scores:?}"
            );
        }
        let ids: Vec<String> = destinations
            .iter()
            .map(|r| r["steps"][1]["to"]["id"].as_str().unwrap().to_string())
            .collect();
        orders.push(ids);
    }
    assert_ne!(orders[0], orders[1], "34 et 93 donnent le même ordre");
    let err = fails(passerelle_db(&db).args(["chemins", "M1609", "--local"]));
    assert_eq!(
        err.trim(),
        "erreur : paramètre --local : il demande un département (--dept)"
    );
    let err =
        fails(passerelle_db(&db).args(["chemins", "M1609", "J1303", "--local", "--dept", "34"]));
    assert_eq!(err.trim().lines().count(), 1, "{err}");
}
