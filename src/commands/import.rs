//! `passerelle import …`: dispatches to the module owning each kind of data.

use crate::args::ImportCommand;
use crate::context::Context;

pub fn run(ctx: &Context, command: ImportCommand) -> anyhow::Result<()> {
    match command {
        ImportCommand::Rome(a) => rome(ctx, a),
        ImportCommand::Territoire(a) => super::territoire::import(ctx, a),
        ImportCommand::Formations(a) => super::territoire::import_formations(ctx, a),
        ImportCommand::Profils(a) => super::profil::import(ctx, a),
        ImportCommand::Postes(a) => super::postes::import(ctx, a),
    }
}

fn rome(_ctx: &Context, _args: crate::args::ImportPathArgs) -> anyhow::Result<()> {
    anyhow::bail!("commande pas encore disponible")
}
