use crate::args::*;
use crate::context::Context;

pub fn fiche(_ctx: &Context, _args: FicheArgs) -> anyhow::Result<()> {
    anyhow::bail!("commande pas encore disponible")
}

pub fn parcours(_ctx: &Context, _args: ParcoursArgs) -> anyhow::Result<()> {
    anyhow::bail!("commande pas encore disponible")
}


pub fn bench(_ctx: &Context) -> anyhow::Result<()> {
    anyhow::bail!("mesure pas encore disponible")
}
