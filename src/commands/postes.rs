use crate::args::*;
use crate::context::Context;

pub fn export(_ctx: &Context, _args: ExportCommand) -> anyhow::Result<()> {
    anyhow::bail!("commande pas encore disponible")
}


pub fn import(_ctx: &Context, _args: ImportPathArgs) -> anyhow::Result<()> {
    anyhow::bail!("commande pas encore disponible")
}
