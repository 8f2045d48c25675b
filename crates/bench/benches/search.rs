//! `cargo bench -p passerelle-bench --bench search`: the index build and the
//! queries of `passerelle bench search`.

use std::sync::LazyLock;

use passerelle_bench::fixtures::official_referential;
use passerelle_bench::search::{LIMIT, QUERIES};
use passerelle_core::Referential;
use passerelle_search::SearchIndex;

static REFERENTIAL: LazyLock<Referential> = LazyLock::new(|| {
    official_referential(&passerelle_test_support::require_data_dir())
        .unwrap_or_else(|e| panic!("{e}"))
});
static INDEX: LazyLock<SearchIndex> =
    LazyLock::new(|| SearchIndex::build(&REFERENTIAL).unwrap_or_else(|e| panic!("{e}")));

fn main() {
    LazyLock::force(&INDEX);
    divan::main();
}

#[divan::bench(sample_count = 10)]
fn build_index() -> SearchIndex {
    SearchIndex::build(&REFERENTIAL).unwrap_or_else(|e| panic!("{e}"))
}

#[divan::bench(args = QUERIES)]
fn query(q: &str) -> usize {
    INDEX.search(q, LIMIT).map(|h| h.len()).unwrap_or(0)
}
