//! `cargo bench -p passerelle-bench --bench render`: the fiche of `passerelle
//! bench render` (J1303, Hérault) as a model, HTML and PDF — here without
//! territorial data (no database), from the referential alone.

use std::sync::LazyLock;

use passerelle_bench::fixtures::{NoLookups, official_catalog};
use passerelle_bench::render::{request, target};
use passerelle_core::engine::Engine;
use passerelle_core::{Catalog, Job};
use passerelle_render::Pipeline;
use passerelle_render::document::FichePasserelle;

static CATALOG: LazyLock<Catalog> = LazyLock::new(|| {
    official_catalog(&passerelle_test_support::require_data_dir()).unwrap_or_else(|e| panic!("{e}"))
});
static ENGINE: LazyLock<Engine> = LazyLock::new(|| Engine::new(&CATALOG));
static TARGET: LazyLock<Job> = LazyLock::new(|| target(&CATALOG).unwrap_or_else(|e| panic!("{e}")));
static MODEL: LazyLock<FichePasserelle> = LazyLock::new(|| {
    pipeline()
        .fiche_model(request(&TARGET))
        .unwrap_or_else(|e| panic!("{e}"))
});

fn pipeline() -> Pipeline<'static> {
    Pipeline::new(
        &CATALOG,
        &ENGINE,
        &NoLookups,
        "2026-11-23T06:00:00Z".to_string(),
    )
}

fn main() {
    // Warm-up: typst parses its fonts and templates on first use.
    passerelle_render::pdf::fiche(&MODEL).unwrap_or_else(|e| panic!("{e}"));
    divan::main();
}

/// The model: ranking of 15 sources, 3 gap analyses.
#[divan::bench]
fn model(bencher: divan::Bencher<'_, '_>) {
    let pipeline = pipeline();
    bencher.bench_local(|| pipeline.fiche_model(request(&TARGET)));
}

#[divan::bench]
fn html() -> String {
    passerelle_render::html::fiche(&MODEL).unwrap_or_else(|e| panic!("{e}"))
}

#[divan::bench(sample_count = 20)]
fn pdf() -> Vec<u8> {
    passerelle_render::pdf::fiche(&MODEL).unwrap_or_else(|e| panic!("{e}"))
}
