//! `cargo bench -p passerelle-bench --bench engine`: the operations of
//! `passerelle bench engine` on the official referential (PASSERELLE_DATA).

use std::sync::LazyLock;

use passerelle_bench::engine::Subjects;
use passerelle_bench::fixtures::official_catalog;
use passerelle_core::engine::Direction;

static SUBJECTS: LazyLock<Subjects> = LazyLock::new(|| {
    let catalog = official_catalog(&passerelle_test_support::require_data_dir())
        .unwrap_or_else(|e| panic!("{e}"));
    Subjects::new(&catalog)
});

fn main() {
    LazyLock::force(&SUBJECTS);
    divan::main();
}

/// Exact coverage of all ordered pairs (the numpy reference's work).
#[divan::bench]
fn exact_matrix(bencher: divan::Bencher<'_, '_>) {
    let mut buffer = Vec::new();
    bencher.bench_local(|| SUBJECTS.exact_matrix(&mut buffer));
}

/// Combined score with near items, all ordered pairs.
#[divan::bench(sample_count = 10)]
fn score_matrix(bencher: divan::Bencher<'_, '_>) {
    let mut buffer = Vec::new();
    bencher.bench_local(|| SUBJECTS.score_matrix(&mut buffer));
}

/// One ranking: the sources of J1303, and the targets of M1609.
#[divan::bench(args = [Direction::Sources, Direction::Targets])]
fn rank(direction: Direction) -> passerelle_core::engine::Ranking {
    SUBJECTS.rank(direction)
}

/// One gap analysis, M1609 → J1303.
#[divan::bench]
fn gap() -> passerelle_core::engine::Gap {
    SUBJECTS.gap().unwrap_or_else(|e| panic!("{e}"))
}
