//! `passerelle sources` and `targets`: a ranking, as a French table or JSON.

use std::io::Write;

use passerelle_app::{RankRequest, Resolved};
use passerelle_core::engine::{Axis, Direction, Engine, Ranking, RankingConstants};
use passerelle_core::territory::local::LocalBlend;
use passerelle_core::text::{fr_decimal, fr_int, pct};
use passerelle_core::{DeptCode, Job};
use passerelle_render::{local, scoring};

use super::{catalog, local_refusal, resolve, territory, transversal};
use crate::args::RankArgs;
use crate::context::Context;

pub fn sources(ctx: &Context, args: RankArgs) -> anyhow::Result<()> {
    rank(ctx, args, Direction::Sources)
}

pub fn targets(ctx: &Context, args: RankArgs) -> anyhow::Result<()> {
    rank(ctx, args, Direction::Targets)
}

fn rank(ctx: &Context, args: RankArgs, direction: Direction) -> anyhow::Result<()> {
    let w = args.weights.unwrap_or_default();
    let dept = args.dept;
    if args.local && direction == Direction::Sources {
        anyhow::bail!(
            "paramètre --local : la demande locale est celle du métier cible : --local s'applique à targets"
        );
    }
    if args.local && dept.is_none() {
        anyhow::bail!("paramètre --local : il demande un département (--dept)");
    }
    let catalog = catalog(ctx)?;
    let job = resolve(&catalog, &args.job)?;
    let engine = Engine::new(&catalog);
    let territory = if args.json || args.local {
        territory(ctx, &catalog, dept)?
    } else {
        None
    };
    let request = RankRequest {
        direction,
        weights: &w,
        limit: args.limit,
        dept,
        subject_tp: transversal(&catalog, &job, None)?,
        local: args.local,
    };
    let subject = Resolved::plain(job);
    let view = passerelle_app::rank(
        &engine,
        territory.as_ref().map(|t| t as _),
        &subject,
        request,
    )
    .map_err(|e| local_refusal(e, dept))?;
    let out = &mut std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &view)?;
        writeln!(out)?;
        return Ok(());
    }
    print_ranking(
        out,
        &subject.job,
        &view.ranking,
        &engine.constants(),
        dept.as_ref(),
        view.local.as_ref(),
    )?;
    Ok(())
}

fn truncate(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        return format!("{s:<width$}");
    }
    let mut t: String = s.chars().take(width - 1).collect();
    t.push('…');
    t
}

fn print_ranking(
    out: &mut impl Write,
    job: &Job,
    r: &Ranking,
    constants: &RankingConstants,
    dept: Option<&DeptCode>,
    local: Option<&LocalBlend>,
) -> anyhow::Result<()> {
    let what = match r.direction {
        Direction::Sources => "Métiers sources vers",
        Direction::Targets => "Métiers cibles depuis",
    };
    writeln!(out, "{what} « {} » ({})", job.title, job.fiche)?;
    writeln!(out, "{}", job.resolution)?;
    writeln!(
        out,
        "Poids : {} ; {} métiers comparés",
        Axis::ALL
            .iter()
            .map(|a| format!("{} {}", a.name(), fr_decimal(r.weights.get(*a), 2)))
            .collect::<Vec<_>>()
            .join(", "),
        fr_int(r.candidates as u64)
    )?;
    let (rule_title, rule) = scoring::rule(&r.tiers);
    writeln!(out, "{rule_title} :")?;
    for line in rule {
        writeln!(out, "  - {line}")?;
    }
    if let Some(d) = dept {
        writeln!(
            out,
            "Département {d} : les scores de base ne dépendent pas du département."
        )?;
    }
    if let Some(l) = local {
        writeln!(
            out,
            "Reclassement selon le marché local ({} {}), colonne « Local » :",
            l.dept, l.nom
        )?;
        for line in &l.rule {
            writeln!(out, "  - {line}")?;
        }
    }
    writeln!(out)?;
    let w = r
        .rows
        .iter()
        .map(|row| row.id.chars().count())
        .max()
        .unwrap_or(5)
        .max(5);
    write!(
        out,
        "{:>3}  {:<w$} {:<44} {:>7} {:>7} {:>7} {:>7} {:>6} ",
        "#", "Code", "Intitulé", "Transv.", "Savoirs", "S.-faire", "Context.", "Score",
    )?;
    if local.is_some() {
        write!(out, "{:>6} {:>9} {:>9} ", "Local", "Projets", "Difficile")?;
    }
    writeln!(out, "{:>4}  {:<20} RIASEC", "Niv.", "Viabilité")?;
    for row in &r.rows {
        let other_level = match r.direction {
            Direction::Sources => row.terms.source_level,
            Direction::Targets => row.terms.target_level,
        };
        write!(
            out,
            "{:>3}  {:<w$} {} {:>7} {:>7} {:>7} {:>7} {:>6} ",
            row.rank,
            row.id,
            truncate(&row.title, 44),
            pct(row.transversal),
            pct(row.savoirs),
            pct(row.savoir_faire),
            pct(row.contextes),
            pct(row.score),
        )?;
        if let Some(l) = &row.local {
            write!(
                out,
                "{:>6} {:>9} {:>9} ",
                pct(l.score),
                local::count_cell(&l.projets),
                pct(l.part_difficile),
            )?;
        }
        writeln!(
            out,
            "{:>4}  {:<20} {}{}",
            other_level
                .map(|l| l.to_string())
                .unwrap_or_else(|| "n. d.".into()),
            row.tier_label,
            row.riasec.as_deref().unwrap_or("—"),
            row.level_move
                .map(|m| format!("  ({m})"))
                .unwrap_or_default()
        )?;
        // The figures of the label, then the score's terms.
        writeln!(out, "{:>5}{}", "", scoring::row_figures(row).join(" ; "))?;
        if let Some(d) = scoring::row_decomposition(row, &r.weights, constants) {
            writeln!(out, "{:>5}score : {d}", "")?;
        }
        if let Some(l) = &row.local {
            writeln!(out, "{:>5}marché local : {}", "", local::row_line(row, l))?;
        }
    }
    writeln!(out)?;
    writeln!(out, "{}", scoring::legend(constants))?;
    if let Some(l) = local {
        writeln!(out)?;
        writeln!(out, "Sources du marché local : {}", l.sources.join(" ; "))?;
    }
    if r.rows.iter().any(|row| row.transversal.is_none()) {
        writeln!(out)?;
        writeln!(
            out,
            "n. d. : non disponible (profil de compétences transversales absent) ; le score est recalculé sur les autres axes."
        )?;
    }
    Ok(())
}
