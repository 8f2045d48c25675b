use crate::args::*;
use crate::context::Context;

pub fn run(_ctx: &Context, _args: TerritoireArgs) -> anyhow::Result<()> {
    anyhow::bail!("commande pas encore disponible")
}


pub fn bench(_ctx: &Context) -> anyhow::Result<()> {
    anyhow::bail!("mesure pas encore disponible")
}

pub fn import(_ctx: &Context, _args: ImportOptionalPathArgs) -> anyhow::Result<()> {
    anyhow::bail!("commande pas encore disponible")
}

pub fn import_formations(_ctx: &Context, _args: ImportPathArgs) -> anyhow::Result<()> {
    anyhow::bail!("commande pas encore disponible")
}
