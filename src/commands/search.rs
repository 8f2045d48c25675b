//! `passerelle search QUERY`: the API's search (`passerelle_app::search`),
//! registered postes first, as lines or as its JSON (`bench search` is in
//! `passerelle_bench::search`).

use std::io::Write;

use anyhow::Context as _;
use passerelle_app::{IndexSearch, SearchHit};

use crate::args::SearchArgs;
use crate::context::Context;

pub fn run(ctx: &Context, args: SearchArgs) -> anyhow::Result<()> {
    let catalog = ctx.catalog()?;
    let index = IndexSearch::new(&catalog).context("construction de l'index de recherche")?;
    let found = passerelle_app::search(&index, &args.query, args.limit);
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &found)?;
        writeln!(out)?;
        return Ok(());
    }
    if found.hits.is_empty() {
        writeln!(out, "Aucun métier ne correspond à « {} ».", args.query)?;
        return Ok(());
    }
    for hit in &found.hits {
        writeln!(out, "{}", line(hit))?;
    }
    Ok(())
}

fn line(hit: &SearchHit) -> String {
    match hit.kind.as_str() {
        "fiche" => format!("{:<7} {}  (fiche ROME)", hit.code, hit.title),
        "poste" => format!(
            "{} {}  (profil de poste → {} {})",
            hit.code, hit.title, hit.rome, hit.rome_title
        ),
        _ => format!(
            "{:<7} {}  (appellation → {} {})",
            hit.code, hit.title, hit.rome, hit.rome_title
        ),
    }
}
