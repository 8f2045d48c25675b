//! `passerelle bench ranking` and `bench calibration`: the engine's rankings
//! measured against France Travail's expert mobilities (the calibration
//! half in `$PASSERELLE_DATA/validation`), and the procedure that chose the
//! ranking constants. The expert file is read here, never by the engine.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use passerelle_core::engine::yardstick::{self, ExpertPair, Recall};
use passerelle_core::engine::{Axis, Direction, Engine, RankingConstants, Weights};
use passerelle_core::{Catalog, RomeCode};

use super::engine::fr_dec;
use crate::context::Context;

/// The calibration half of the expert list, as published.
const EXPERT_FILE: &str = "validation/mobilites_calibration_v460.csv";

/// The panel of named jobs whose top 10 `bench ranking` prints.
pub const PANEL: &[&str] = &[
    "J1303",
    "poste:assistant-medical",
    "M1609",
    "J1501",
    "N1101",
    "M1805",
    "K2111",
    "D1102",
    // Six more, in other domains.
    "F1703",
    "G1602",
    "H2913",
    "I1304",
    "C1203",
    "E1104",
];

fn expert_path(ctx: &Context) -> PathBuf {
    ctx.data_dir.join(EXPERT_FILE)
}

/// Reads `code_rome,code_rome_cible,numero_ordre`; a malformed line is an
/// error naming the file and line.
pub fn read_expert_pairs(path: &Path) -> anyhow::Result<Vec<ExpertPair>> {
    let mut reader = csv::Reader::from_path(path).with_context(|| {
        format!(
            "liste d'experts introuvable : {} (attendu dans $PASSERELLE_DATA/{EXPERT_FILE})",
            path.display()
        )
    })?;
    let mut out = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record =
            record.with_context(|| format!("{} ligne {line} : CSV illisible", path.display()))?;
        let code = |col: usize, name: &str| -> anyhow::Result<RomeCode> {
            let v = record.get(col).unwrap_or("");
            RomeCode::parse(v).map_err(|_| {
                anyhow::anyhow!(
                    "{} ligne {line}, champ {name} : code ROME « {v} » invalide",
                    path.display()
                )
            })
        };
        out.push(ExpertPair {
            source: code(0, "code_rome")?,
            target: code(1, "code_rome_cible")?,
        });
    }
    Ok(out)
}

fn engine_and_catalog(ctx: &Context) -> anyhow::Result<Catalog> {
    ctx.referential_or_import()?;
    ctx.catalog()
}

fn line(label: &str, r: &Recall) -> String {
    format!(
        "  {label:<34} recall@15 {} ; recall@50 {} ; rang moyen {} ({} couples)",
        fr_dec(r.at_15, 3),
        fr_dec(r.at_50, 3),
        fr_dec(r.mean_rank, 0),
        r.pairs
    )
}

/// `bench ranking`.
pub fn bench_ranking(ctx: &Context) -> anyhow::Result<()> {
    let pairs = read_expert_pairs(&expert_path(ctx))?;
    let catalog = engine_and_catalog(ctx)?;
    let engine = Engine::new(&catalog);
    let w = Weights::default();
    println!(
        "bench ranking — {} mobilités d'experts (moitié de calibration), poids {w}",
        pairs.len()
    );
    let c = engine.constants();
    println!(
        "  constantes : λ texte {} ; bonus domaine {} ; pénalité par niveau descendu {} ; facteur sans cœur commun {}",
        fr_dec(c.wording_share, 2),
        fr_dec(c.domain_bonus, 2),
        fr_dec(c.level_penalty, 2),
        fr_dec(c.no_core_factor, 2)
    );
    let all = |_: RomeCode| true;
    let choose = |c: RomeCode| yardstick::in_choosing_half(c);
    let measure = |c: RomeCode| !yardstick::in_choosing_half(c);
    for (name, dir) in [
        ("sources", Direction::Sources),
        ("targets", Direction::Targets),
    ] {
        println!("{name}");
        println!(
            "{}",
            line(
                "fichier entier",
                &engine.recall(&pairs, dir, &w, yardstick::combined, &all)
            )
        );
        println!(
            "{}",
            line(
                "moitié de choix (code pair)",
                &engine.recall(&pairs, dir, &w, yardstick::combined, &choose)
            )
        );
        println!(
            "{}",
            line(
                "moitié de mesure (code impair)",
                &engine.recall(&pairs, dir, &w, yardstick::combined, &measure)
            )
        );
        println!(
            "{}",
            line(
                "axe transversal seul",
                &engine.recall(&pairs, dir, &w, yardstick::transversal_alone, &all)
            )
        );
    }
    let median = median_transversal(&engine);
    println!(
        "  score transversal médian, tous couples ordonnés : {}",
        fr_dec(median, 3)
    );
    println!("panel (10 premiers)");
    for id in PANEL {
        print_panel(&engine, id)?;
    }
    Ok(())
}

/// Median of the transversal score over all ordered pairs of fiches.
pub fn median_transversal(engine: &Engine) -> f64 {
    let w = Weights::default();
    let n = engine.n_fiches();
    let mut values: Vec<f64> = Vec::with_capacity(n * n);
    for s in 0..n {
        let row = engine.scores_against_all(s, Direction::Targets, &w, None);
        values.extend(
            row[..n]
                .iter()
                .enumerate()
                .filter(|&(t, _)| t != s)
                .filter_map(|(_, p)| p.exact.get(Axis::Transversal)),
        );
    }
    if values.is_empty() {
        return f64::NAN;
    }
    let mid = values.len() / 2;
    *values.select_nth_unstable_by(mid, f64::total_cmp).1
}

fn print_panel(engine: &Engine, id: &str) -> anyhow::Result<()> {
    let Some(i) = engine.index_of_id(id) else {
        println!("  {id} : absent de la base");
        return Ok(());
    };
    let w = Weights::default();
    let p = engine.profile(i);
    let level = p
        .level
        .map(|l| l.get().to_string())
        .unwrap_or_else(|| "n. d.".into());
    for dir in [Direction::Sources, Direction::Targets] {
        let r = engine.rank(dir, i, &w, 10, None);
        let name = if dir == Direction::Sources {
            "sources"
        } else {
            "cibles"
        };
        println!("  {id} {} (niveau {level}) — {name} :", p.title);
        for row in &r.rows {
            println!(
                "    {:>2}. {} {} — score {} ; {}{}",
                row.rank,
                row.code,
                row.title,
                fr_dec(row.score.unwrap_or(0.0), 3),
                row.tier_label,
                row.level_move
                    .map(|m| format!(" ; {m}"))
                    .unwrap_or_default()
            );
        }
    }
    Ok(())
}

/// `bench calibration`: the procedure of docs/methode.md. Coordinate search
/// over a small grid of each constant, in turn, maximising the mean of the
/// sources and targets recall@15 on the choosing half only; then prints the
/// recall of the chosen values on the measuring half.
pub fn bench_calibration(ctx: &Context) -> anyhow::Result<()> {
    let pairs = read_expert_pairs(&expert_path(ctx))?;
    let catalog = engine_and_catalog(ctx)?;
    let choose = |c: RomeCode| yardstick::in_choosing_half(c);
    let measure = |c: RomeCode| !yardstick::in_choosing_half(c);
    let eval = |engine: &Engine, w: &Weights, keep: &(dyn Fn(RomeCode) -> bool + Sync)| {
        let s = engine.recall(&pairs, Direction::Sources, w, yardstick::combined, keep);
        let t = engine.recall(&pairs, Direction::Targets, w, yardstick::combined, keep);
        (s.at_15 + t.at_15) / 2.0
    };
    let mut c = RankingConstants::DEFAULT;
    let mut w = Weights::default().values();
    let grids: [(&str, &[f64]); 6] = [
        ("wording_share", &[0.3, 0.4, 0.5, 0.6, 0.7, 0.8]),
        ("domain_bonus", &[0.0, 0.025, 0.05, 0.1]),
        ("level_penalty", &[0.0, 0.025, 0.05, 0.1]),
        ("no_core_factor", &[0.25, 0.5, 0.75, 1.0]),
        ("transversal", &[0.0, 0.25, 0.5, 1.0]),
        ("contextes", &[0.0, 0.25, 0.5, 1.0]),
    ];
    for round in 1..=2 {
        for (name, grid) in grids {
            let mut results = Vec::new();
            for &v in grid {
                let (mut c2, mut w2) = (c, w);
                match name {
                    "wording_share" => c2.wording_share = v,
                    "domain_bonus" => c2.domain_bonus = v,
                    "level_penalty" => c2.level_penalty = v,
                    "no_core_factor" => c2.no_core_factor = v,
                    "transversal" => w2.set(Axis::Transversal, v),
                    _ => w2.set(Axis::Contextes, v),
                }
                let engine = Engine::with_constants(&catalog, c2);
                let r = eval(&engine, &Weights::new(w2)?, &choose);
                println!(
                    "  tour {round} {name} = {} : recall@15 moyen (moitié de choix) {}",
                    fr_dec(v, 3),
                    fr_dec(r, 4)
                );
                results.push((v, r));
            }
            let current = match name {
                "wording_share" => c.wording_share,
                "domain_bonus" => c.domain_bonus,
                "level_penalty" => c.level_penalty,
                "no_core_factor" => c.no_core_factor,
                "transversal" => w.get(Axis::Transversal),
                _ => w.get(Axis::Contextes),
            };
            let best = choose_value(name, current, &results);
            match name {
                "wording_share" => c.wording_share = best,
                "domain_bonus" => c.domain_bonus = best,
                "level_penalty" => c.level_penalty = best,
                "no_core_factor" => c.no_core_factor = best,
                "transversal" => w.set(Axis::Transversal, best),
                _ => w.set(Axis::Contextes, best),
            }
        }
    }
    let engine = Engine::with_constants(&catalog, c);
    let weights = Weights::new(w)?;
    println!("choisi : {c:?} ; poids {weights}");
    println!(
        "  moitié de choix  : {}",
        fr_dec(eval(&engine, &weights, &choose), 4)
    );
    println!(
        "  moitié de mesure : {}",
        fr_dec(eval(&engine, &weights, &measure), 4)
    );
    Ok(())
}

/// The rule of docs/methode.md for one constant: the value with the best
/// recall, the current value on a tie (a constant moves only when the
/// expert list says so); for the level penalty, the **largest** value whose
/// recall is within [`LEVEL_PENALTY_TOLERANCE`] of the best, because a
/// counsellor's rule asks descents to be penalised as much as the
/// yardstick allows.
fn choose_value(name: &str, current: f64, results: &[(f64, f64)]) -> f64 {
    let best = results.iter().map(|r| r.1).fold(f64::MIN, f64::max);
    if name == "level_penalty" {
        return results
            .iter()
            .filter(|r| r.1 >= best - LEVEL_PENALTY_TOLERANCE)
            .map(|r| r.0)
            .fold(0.0, f64::max);
    }
    match results.iter().find(|r| r.0 == current) {
        Some(r) if r.1 >= best - 1e-9 => current,
        _ => results
            .iter()
            .find(|r| r.1 >= best - 1e-9)
            .map_or(current, |r| r.0),
    }
}

/// Recall the level penalty may cost (mean recall@15 on the choosing half).
const LEVEL_PENALTY_TOLERANCE: f64 = 0.005;
