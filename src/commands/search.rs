//! `passerelle search QUERY` and `passerelle bench search`.

use std::io::Write;
use std::time::Instant;

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

/// Index build time and query latency percentiles over varied queries.
pub fn bench(ctx: &Context) -> anyhow::Result<()> {
    let referential = ctx.referential()?;
    let t = Instant::now();
    let index = SearchIndex::build(&referential)?;
    let build = t.elapsed();
    let base = [
        "assistant medical",
        "infirmiere",
        "secretaire medicale",
        "devlopeur",
        "assistant med",
        "boulangere",
        "electricien batiment",
        "aide soignante",
        "conducteur engins",
        "comptable",
        "j1303",
        "200145",
        "chef de projet informatique",
        "vendeur",
        "agent accueil",
        "plombier",
        "educateur specialise",
        "cuisinier",
        "hotellerie",
        "mecanicien auto",
    ];
    let mut samples = Vec::new();
    for round in 0..20 {
        for q in base {
            // Vary the queries: full, truncated (typeahead), with a typo.
            let q = match round % 3 {
                0 => q.to_string(),
                1 => q.chars().take(q.len().saturating_sub(2).max(2)).collect(),
                _ => q.replacen('e', "", 1),
            };
            let t = Instant::now();
            let _ = index.search(&q, 10)?;
            samples.push(t.elapsed().as_secs_f64() * 1e3);
        }
    }
    samples.sort_by(f64::total_cmp);
    let pct = |p: f64| samples[((samples.len() as f64 * p).ceil() as usize).min(samples.len()) - 1];
    let ms = |v: f64| format!("{v:.3}").replace('.', ",");
    println!(
        "recherche : index de {} titres construit en {} ms",
        passerelle_core::text::fr_int(index.len() as u64),
        ms(build.as_secs_f64() * 1e3)
    );
    println!(
        "recherche : {} requêtes, p50 {} ms, p99 {} ms, max {} ms (objectif p99 ≤ 2 ms)",
        samples.len(),
        ms(pct(0.50)),
        ms(pct(0.99)),
        ms(samples[samples.len() - 1])
    );
    Ok(())
}
