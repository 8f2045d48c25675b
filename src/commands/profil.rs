use crate::args::*;
use crate::context::Context;

pub fn run(_ctx: &Context, _args: ProfilArgs) -> anyhow::Result<()> {
    anyhow::bail!("commande pas encore disponible")
}

