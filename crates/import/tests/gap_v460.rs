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
