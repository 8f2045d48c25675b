//! `passerelle bench WHAT`: prints measured figures. Each area owns its bench
//! function next to its command; this only dispatches.

use crate::args::BenchArgs;
use crate::context::Context;

pub fn run(ctx: &Context, args: BenchArgs) -> anyhow::Result<()> {
    match args.what.as_str() {
        "import" => super::info::bench_import(ctx),
        "search" => super::search::bench(ctx),
        "engine" => super::engine::bench(ctx),
        "territoire" => super::territoire::bench(ctx),
        "render" => super::documents::bench(ctx),
        "ranking" => super::yardstick::bench_ranking(ctx),
        "calibration" => super::yardstick::bench_calibration(ctx),
        "all" => {
            super::info::bench_import(ctx)?;
            super::search::bench(ctx)?;
            super::engine::bench(ctx)?;
            super::territoire::bench(ctx)?;
            super::documents::bench(ctx)
        }
        other => anyhow::bail!(
            "paramètre « {other} » inconnu pour bench : attendu import, search, engine, ranking, calibration, territoire, render ou all"
        ),
    }
}
