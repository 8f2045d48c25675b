use crate::args::*;
use crate::context::Context;

pub fn run(_ctx: &Context, _args: ImportCommand) -> anyhow::Result<()> {
    anyhow::bail!("commande pas encore disponible")
}

