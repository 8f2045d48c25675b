//! `passerelle bench WHAT`: prints measured figures. Each area owns its bench
//! function next to its command; this only dispatches.

use crate::args::{BenchArgs, BenchTarget};
use crate::context::Context;

pub fn run(ctx: &Context, args: BenchArgs) -> anyhow::Result<()> {
    match args.what {
        BenchTarget::Import => super::info::bench_import(ctx),
        BenchTarget::Search => super::search::bench(ctx),
        BenchTarget::Engine => super::engine::bench(ctx),
        BenchTarget::Territoire => super::territoire::bench(ctx),
        BenchTarget::Render => super::documents::bench(ctx),
        BenchTarget::Ranking => super::yardstick::bench_ranking(ctx),
        BenchTarget::Calibration => super::yardstick::bench_calibration(ctx),
        BenchTarget::All => {
            super::info::bench_import(ctx)?;
            super::search::bench(ctx)?;
            super::engine::bench(ctx)?;
            super::territoire::bench(ctx)?;
            super::documents::bench(ctx)
        }
    }
}
