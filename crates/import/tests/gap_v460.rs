//! Gap analyses on the official v460 set (issue 21): the transversal
//! sentence agrees with its percentage, and the "proche de …" pairs a gap
//! shows are printed for review (docs/methode.md § 3).

use std::collections::HashSet;
use std::sync::OnceLock;

use passerelle_core::engine::{Engine, Gap, Weights};
use passerelle_core::{Catalog, Job};

use passerelle_test_support::referential_v460 as v460;

fn catalog() -> &'static (Catalog, Engine) {
    static CELL: OnceLock<(Catalog, Engine)> = OnceLock::new();
    CELL.get_or_init(|| {
        let catalog = Catalog::new(v460().clone(), Vec::new(), Vec::new());
        let engine = Engine::new(&catalog);
        (catalog, engine)
    })
}

/// xorshift64: reproducible draws without a dependency.
fn xorshift(seed: u64) -> impl FnMut() -> u64 {
    let mut state = seed;
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}

/// `n` distinct ordered pairs of distinct fiches, drawn with `seed`.
fn random_pairs(seed: u64, n: usize) -> Vec<(Job, Job)> {
    let fiches = &v460().fiches;
    let mut next = xorshift(seed);
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    while out.len() < n {
        let a = (next() % fiches.len() as u64) as usize;
        let b = (next() % fiches.len() as u64) as usize;
        if a != b && seen.insert((a, b)) {
            out.push((Job::from_fiche(&fiches[a]), Job::from_fiche(&fiches[b])));
        }
    }
    out
}

fn gap(source: &Job, target: &Job) -> Gap {
    let (_, engine) = catalog();
    engine
        .gap(source, target, &Weights::default(), None, None)
        .unwrap()
}

#[test]
fn transversal_sentences_agree_with_their_percentage() {
    let mut checked = 0;
    for (s, t) in random_pairs(21, 50)
        .into_iter()
        .chain([(job("G1808"), job("G1801"))])
    {
        let g = gap(&s, &t);
        let Some(tg) = &g.transversal else {
            continue;
        };
        checked += 1;
        let pct = passerelle_core::text::pct(Some(tg.score));
        let sentence = g
            .narrative
            .iter()
            .find(|x| x.contains("compétences transversales"))
            .unwrap_or_else(|| panic!("{} → {} : pas de phrase transversale", s.id, t.id));
        assert!(sentence.contains(&pct), "{sentence} ≠ {pct}");
        if (tg.score * 100.0).round() >= 1.0 {
            for x in &g.narrative {
                assert!(
                    !x.contains("aucune compétence transversale"),
                    "{} → {} : {pct} et « {x} »",
                    s.id,
                    t.id
                );
            }
        }
        // Estimated profiles never claim non-use from silence.
        assert!(!sentence.contains("non mobilisée"), "{sentence}");
        let d = &tg.detail;
        assert_eq!(
            tg.adaptees.len()
                + tg.plus_elevees.len()
                + tg.a_faire_evoluer.len()
                + tg.non_estimees.len(),
            d.competencies.len()
        );
        let counted: f64 = d
            .competencies
            .iter()
            .filter(|c| c.strength.is_some())
            .map(|c| f64::from(c.target_stars))
            .sum();
        assert_eq!(counted, d.denominator, "{} → {}", s.id, t.id);
    }
    assert!(checked >= 40, "{checked} paires avec un axe transversal");
}

fn job(code: &str) -> Job {
    let r = v460();
    Job::from_fiche(r.fiche(code.parse().unwrap()).unwrap())
}

/// The "proche de …" pairs as gaps show them: random ordered pairs of
/// fiches (seed 4621), each gap's items to acquire that have a near item of
/// the source, 50 distinct pairs (target item ← source item). Printed for the
/// review of docs/methode.md § 3 (`cargo test -p passerelle-import --test
/// gap_v460 near -- --nocapture`).
#[test]
fn near_pairs_shown_in_gaps_sample_for_review() {
    let mut next = xorshift(4621);
    let fiches = &v460().fiches;
    let mut seen = HashSet::new();
    let mut sample = Vec::new();
    let mut draws = 0;
    while sample.len() < 50 {
        draws += 1;
        assert!(draws < 20_000, "trop peu de paires proches");
        let a = (next() % fiches.len() as u64) as usize;
        let b = (next() % fiches.len() as u64) as usize;
        if a == b {
            continue;
        }
        let g = gap(&Job::from_fiche(&fiches[a]), &Job::from_fiche(&fiches[b]));
        let near: Vec<_> = [("savoir", &g.savoirs), ("savoir-faire", &g.savoir_faire)]
            .into_iter()
            .flat_map(|(kind, items)| {
                items
                    .a_acquerir
                    .iter()
                    .filter_map(move |i| i.proche_de.as_ref().map(|n| (kind, i, n)))
            })
            .collect();
        if near.is_empty() {
            continue;
        }
        // One pair per gap, drawn among its near items.
        let (kind, item, n) = near[(next() % near.len() as u64) as usize];
        if seen.insert((item.ogr, n.ogr)) {
            sample.push((kind, item.label.clone(), n.label.clone(), n.strength));
        }
    }
    for (k, (kind, target, source, credit)) in sample.iter().enumerate() {
        println!(
            "{:>2}. [{kind}] {target} ← proche de {source} ({credit:.2})",
            k + 1
        );
    }
}
