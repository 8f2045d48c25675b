//! `passerelle chemins` (routes, second circle) and `passerelle apprendre`
//! (what to learn next), as French text or JSON.

use std::io::Write;

use passerelle_app::Resolved;
use passerelle_core::engine::{
    Axis, DEFAULT_ROUTES, DEFAULT_SECOND_CIRCLE, Engine, LONG_STEP_COST, Learn, Route, RouteJob,
    RouteStep, Tiers, Weights,
};
use passerelle_core::text::{fr_decimal, fr_int, pct};
use passerelle_render::scoring;

use super::{catalog, resolve};
use crate::args::{ApprendreArgs, CheminsArgs};
use crate::context::Context;

pub fn chemins(ctx: &Context, args: CheminsArgs) -> anyhow::Result<()> {
    let weights = args.weights.unwrap_or_default();
    let catalog = catalog(ctx)?;
    let source = Resolved::plain(resolve(&catalog, &args.source)?);
    let target = match &args.cible {
        Some(c) => Some(Resolved::plain(resolve(&catalog, c)?)),
        None => None,
    };
    let engine = Engine::new(&catalog);
    let out = &mut std::io::stdout().lock();
    match target {
        Some(target) => {
            let limit = args.limit.unwrap_or(DEFAULT_ROUTES);
            let view = passerelle_app::routes(&engine, &source, &target, &weights, limit)?;
            if args.json {
                serde_json::to_writer_pretty(&mut *out, &view)?;
                writeln!(out)?;
                return Ok(());
            }
            let r = &view.routes;
            writeln!(
                out,
                "Itinéraires de « {} » ({}) vers « {} » ({})",
                r.source.title, r.source.id, r.target.title, r.target.id
            )?;
            print_rules(out, &r.weights, &r.tiers, true)?;
            if r.routes.is_empty() {
                writeln!(
                    out,
                    "Aucun itinéraire de trois étapes au plus : aucune suite de passerelles directes ou de reconversions longues ne relie ces deux métiers."
                )?;
            }
            for (n, route) in r.routes.iter().enumerate() {
                print_route(out, n + 1, route)?;
            }
        }
        None => {
            let limit = args.limit.unwrap_or(DEFAULT_SECOND_CIRCLE);
            let view = passerelle_app::second_circle(&engine, &source, &weights, limit)?;
            if args.json {
                serde_json::to_writer_pretty(&mut *out, &view)?;
                writeln!(out)?;
                return Ok(());
            }
            let c = &view.circle;
            writeln!(
                out,
                "Second cercle de « {} » ({}) : destinations à deux étapes qui ne sont pas des passerelles directes",
                c.source.title, c.source.id
            )?;
            print_rules(out, &c.weights, &c.tiers, true)?;
            writeln!(
                out,
                "Premières étapes explorées : les {} moins coûteuses.",
                c.explored
            )?;
            if c.destinations.is_empty() {
                writeln!(out, "Aucune destination à deux étapes.")?;
            }
            for (n, route) in c.destinations.iter().enumerate() {
                let [first, second] = [&route.steps[0], &route.steps[1]];
                writeln!(out)?;
                writeln!(
                    out,
                    "{:>3}. {} {} — coût {} — par {} {}",
                    n + 1,
                    second.to.id,
                    second.to.title,
                    fr_decimal(route.cost, 2),
                    first.to.id,
                    first.to.title
                )?;
                print_step(out, first)?;
                print_step(out, second)?;
            }
        }
    }
    Ok(())
}

/// The weights and the rule of the labels; for routes, the steps' rule and
/// the cost of a route.
fn print_rules(
    out: &mut impl Write,
    weights: &Weights,
    tiers: &Tiers,
    routes: bool,
) -> anyhow::Result<()> {
    writeln!(
        out,
        "Poids : {}",
        Axis::ALL
            .iter()
            .map(|a| format!("{} {}", a.name(), fr_decimal(weights.get(*a), 2)))
            .collect::<Vec<_>>()
            .join(", ")
    )?;
    let (title, rule) = scoring::rule(tiers);
    writeln!(out, "{title} :")?;
    for line in rule {
        writeln!(out, "  - {line}")?;
    }
    if !routes {
        return Ok(());
    }
    writeln!(
        out,
        "Une étape est une passerelle courte ou possible, ou une reconversion longue (diplôme à obtenir) ; jamais une passerelle exigeante."
    )?;
    writeln!(
        out,
        "Coût d'un itinéraire : somme, pour chaque étape, de 1 − score, plus {} pour une reconversion longue.",
        fr_decimal(LONG_STEP_COST, 0)
    )?;
    Ok(())
}

fn print_route(out: &mut impl Write, n: usize, route: &Route) -> anyhow::Result<()> {
    writeln!(out)?;
    let through: Vec<String> = route
        .intermediates()
        .map(|j| format!("{} {}", j.id, j.title))
        .collect();
    writeln!(
        out,
        "Itinéraire {n} — {} étape{}, coût {}{}",
        route.steps.len(),
        if route.steps.len() > 1 { "s" } else { "" },
        fr_decimal(route.cost, 2),
        if through.is_empty() {
            " — sans métier intermédiaire".to_string()
        } else {
            format!(" — par {}", through.join(", puis "))
        }
    )?;
    for step in &route.steps {
        print_step(out, step)?;
    }
    Ok(())
}

fn level(j: &RouteJob) -> String {
    j.level
        .map(|l| l.to_string())
        .unwrap_or_else(|| "n. d.".into())
}

fn print_step(out: &mut impl Write, s: &RouteStep) -> anyhow::Result<()> {
    let mut what = vec![format!("{} ({})", s.tier_label, pct(Some(s.score)))];
    if let Some(r) = &s.requirement {
        what.push(r.clone());
    }
    writeln!(
        out,
        "     {} → {} {} : {}",
        s.from.id,
        s.to.id,
        s.to.title,
        what.join(", ")
    )?;
    writeln!(
        out,
        "       niveau {} → {}{} ; savoirs {}, savoir-faire {} ; à acquérir : {} savoir{}, {} savoir-faire",
        level(&s.from),
        level(&s.to),
        s.level_move.map(|m| format!(" ({m})")).unwrap_or_default(),
        pct(s.savoirs),
        pct(s.savoir_faire),
        fr_int(u64::from(s.to_acquire.savoirs)),
        if s.to_acquire.savoirs > 1 { "s" } else { "" },
        fr_int(u64::from(s.to_acquire.savoir_faire)),
    )?;
    Ok(())
}

pub fn apprendre(ctx: &Context, args: ApprendreArgs) -> anyhow::Result<()> {
    let weights = args.weights.unwrap_or_default();
    let catalog = catalog(ctx)?;
    let source = Resolved::plain(resolve(&catalog, &args.source)?);
    let engine = Engine::new(&catalog);
    let view = passerelle_app::learn(&engine, &source, &weights, args.limit)?;
    let out = &mut std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &view)?;
        writeln!(out)?;
        return Ok(());
    }
    print_learn(out, &view.learn)
}

fn print_learn(out: &mut impl Write, l: &Learn) -> anyhow::Result<()> {
    writeln!(
        out,
        "Ce qu'il faut apprendre depuis « {} » ({}) pour ouvrir des passerelles",
        l.source.title, l.source.id
    )?;
    print_rules(out, &l.weights, &l.tiers, false)?;
    writeln!(
        out,
        "Chaque savoir ou savoir-faire est ajouté seul au métier, qui est comparé de nouveau aux {} métiers cibles à portée (passerelle exigeante à {} points au plus du seuil « possible ») ; il « ouvre » une cible qui devient passerelle courte ou possible. Les items présents dans plus de {} % des fiches ne sont pas proposés ; {} items essayés.",
        fr_int(l.targets_within_reach as u64),
        fr_decimal(l.reach * 100.0, 0),
        fr_decimal(l.generic_item_share * 100.0, 0),
        fr_int(l.items_tried as u64),
    )?;
    if l.items.is_empty() {
        writeln!(
            out,
            "Aucun savoir ni savoir-faire n'ouvre à lui seul une nouvelle passerelle."
        )?;
    }
    for (n, item) in l.items.iter().enumerate() {
        writeln!(out)?;
        writeln!(
            out,
            "{:>3}. {} « {} » — ouvre {} passerelle{} (item de {} fiche{})",
            n + 1,
            if item.kind == "savoir" {
                "Savoir"
            } else {
                "Savoir-faire"
            },
            item.item.label,
            item.opens.len(),
            if item.opens.len() > 1 { "s" } else { "" },
            fr_int(u64::from(item.fiches)),
            if item.fiches > 1 { "s" } else { "" },
        )?;
        for o in &item.opens {
            writeln!(
                out,
                "       {} {} : {} → {}, {}",
                o.id,
                o.title,
                pct(Some(o.score_before)),
                pct(Some(o.score_after)),
                o.tier_label
            )?;
        }
    }
    Ok(())
}
