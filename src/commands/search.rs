use crate::args::*;
use crate::context::Context;

pub fn run(_ctx: &Context, _args: SearchArgs) -> anyhow::Result<()> {
    anyhow::bail!("commande pas encore disponible")
}


pub fn bench(_ctx: &Context) -> anyhow::Result<()> {
    anyhow::bail!("mesure pas encore disponible")
}
