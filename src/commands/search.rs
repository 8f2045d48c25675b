//! `passerelle search QUERY` (`bench search` is in `passerelle_bench::search`).

use std::io::Write;

use anyhow::Context as _;
use passerelle_search::{Hit, HitKind, SearchIndex};
use serde::Serialize;

use crate::args::SearchArgs;
use crate::context::Context;

#[derive(Serialize)]
struct SearchOutput<'a> {
    query: &'a str,
    hits: &'a [Hit],
}

pub fn run(ctx: &Context, args: SearchArgs) -> anyhow::Result<()> {
    let referential = ctx.referential()?;
    let index = SearchIndex::build(&referential).context("construction de l'index de recherche")?;
    let hits = index.search(&args.query, args.limit)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(
            &mut out,
            &SearchOutput {
                query: &args.query,
                hits: &hits,
            },
        )?;
        writeln!(out)?;
        return Ok(());
    }
    if hits.is_empty() {
        writeln!(out, "Aucun métier ne correspond à « {} ».", args.query)?;
        return Ok(());
    }
    for hit in &hits {
        writeln!(out, "{}", line(hit))?;
    }
    Ok(())
}

fn line(hit: &Hit) -> String {
    match hit.kind {
        HitKind::Fiche => format!("{:<7} {}  (fiche ROME)", hit.code, hit.label),
        HitKind::Appellation => format!(
            "{:<7} {}  (appellation → {} {})",
            hit.code, hit.label, hit.rome, hit.fiche_title
        ),
    }
}
