use crate::args::*;
use crate::context::Context;

pub fn sources(_ctx: &Context, _args: RankArgs) -> anyhow::Result<()> {
    anyhow::bail!("commande pas encore disponible")
}

pub fn targets(_ctx: &Context, _args: RankArgs) -> anyhow::Result<()> {
    anyhow::bail!("commande pas encore disponible")
}

pub fn gap(_ctx: &Context, _args: GapArgs) -> anyhow::Result<()> {
    anyhow::bail!("commande pas encore disponible")
}

pub fn matrix(_ctx: &Context, _args: MatrixArgs) -> anyhow::Result<()> {
    anyhow::bail!("commande pas encore disponible")
}


pub fn bench(_ctx: &Context) -> anyhow::Result<()> {
    anyhow::bail!("mesure pas encore disponible")
}
