use crate::args::*;
use crate::context::Context;

pub fn export(_ctx: &Context, _args: ExportCommand) -> anyhow::Result<()> {
    anyhow::bail!("commande pas encore disponible")
}

