//! Thresholds and percentiles for a new weight vector come from stored
//! pair parts and a sample of rows, not from a pass over all pairs: they
//! must agree with the exact ones (docs/methode.md § 5).

use passerelle_core::Catalog;
use passerelle_core::engine::{Engine, Weights};

#[test]
fn estimated_tiers_agree_with_the_exact_pass() {
    let referential = passerelle_test_support::referential_v460();
    let catalog = Catalog::new(referential.clone(), Vec::new(), Vec::new());
    let engine = Engine::new(&catalog);
    for w in [
        "transversal=1,savoirs=1,savoir_faire=1,contextes=0.25",
        "transversal=0,savoirs=0.5,savoir_faire=2,contextes=1",
    ] {
        let weights = Weights::parse(w).unwrap();
        let estimated = engine.tiers_for(&weights);
        let exact = engine.calibrate_with_percentiles(&weights);
        assert!(estimated.percentiles_estimated && !exact.percentiles_estimated);
        for (e, x) in [
            (&estimated.courte, &exact.courte),
            (&estimated.possible, &exact.possible),
        ] {
            assert!((e.value - x.value).abs() <= 0.005, "{w} : {e:?} / {x:?}");
            let (pe, px) = (e.percentile.unwrap(), x.percentile.unwrap());
            assert!((pe - px).abs() <= 0.5, "{w} : percentile {pe} / {px}");
        }
    }
}
