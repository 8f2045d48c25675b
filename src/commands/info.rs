use crate::args::*;
use crate::context::Context;

pub fn run(_ctx: &Context, _args: InfoArgs) -> anyhow::Result<()> {
    anyhow::bail!("commande pas encore disponible")
}


pub fn bench_import(_ctx: &Context) -> anyhow::Result<()> {
    anyhow::bail!("mesure pas encore disponible")
}
