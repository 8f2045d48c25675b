//! `passerelle chemins` (routes, second circle) and `passerelle apprendre`
//! (what to learn next), as French text or JSON.

use std::io::Write;

use passerelle_app::Resolved;
use passerelle_core::engine::{
    Axis, DEFAULT_ROUTES, DEFAULT_SECOND_CIRCLE, Engine, Learn, Route, RouteStep, Tiers, Weights,
};
use passerelle_core::text::fr_decimal;
use passerelle_render::routes as words;
use passerelle_render::scoring;

use super::{catalog, local_refusal, resolve, territory};
use crate::args::{ApprendreArgs, CheminsArgs};
use crate::context::Context;
use passerelle_app::TerritoryProvider;
use passerelle_render::local;

pub fn chemins(ctx: &Context, args: CheminsArgs) -> anyhow::Result<()> {
    let weights = args.weights.unwrap_or_default();
    if args.local && args.cible.is_some() {
        anyhow::bail!(
            "paramètre --local : le marché local reclasse les destinations du second cercle ; il s'applique à « chemins SOURCE » sans cible"
        );
    }
    let catalog = catalog(ctx)?;
    let market = if args.local {
        let t = territory(ctx, &catalog, args.dept)?;
        Some(
            passerelle_app::market_of(t.as_ref().map(|t| t as &dyn TerritoryProvider), args.dept)
                .map_err(|e| local_refusal(e, args.dept))?,
        )
    } else {
        None
    };
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
                writeln!(out, "{}", words::NO_ROUTE)?;
            }
            for (n, route) in r.routes.iter().enumerate() {
                print_route(out, n + 1, route)?;
            }
        }
        None => {
            let limit = args.limit.unwrap_or(DEFAULT_SECOND_CIRCLE);
            let view =
                passerelle_app::second_circle(&engine, &source, &weights, limit, market.as_ref())?;
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
            if let Some(l) = &view.local {
                writeln!(
                    out,
                    "Reclassement selon le marché local ({} {}) :",
                    l.dept, l.nom
                )?;
                for line in &l.rule {
                    writeln!(out, "  - {line}")?;
                }
            }
            writeln!(
                out,
                "Premières étapes explorées : les {} moins coûteuses.",
                c.explored
            )?;
            if c.destinations.is_empty() {
                writeln!(out, "{}", words::NO_DESTINATION)?;
            }
            for (n, route) in c.destinations.iter().enumerate() {
                writeln!(out)?;
                writeln!(out, "{:>4}", words::destination_heading(n + 1, route))?;
                for step in &route.steps {
                    print_step(out, step)?;
                }
                if let Some(l) = view.local.as_ref().and_then(|l| l.figures.get(n)) {
                    writeln!(out, "     marché local : {}", local::route_line(l))?;
                }
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
    if routes {
        for line in words::route_rule() {
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

fn print_route(out: &mut impl Write, n: usize, route: &Route) -> anyhow::Result<()> {
    writeln!(out)?;
    writeln!(out, "{}", words::route_heading(n, route))?;
    for step in &route.steps {
        print_step(out, step)?;
    }
    Ok(())
}

fn print_step(out: &mut impl Write, s: &RouteStep) -> anyhow::Result<()> {
    writeln!(out, "     {}", words::step_move(s))?;
    writeln!(out, "       {}", words::step_figures(s))?;
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
    writeln!(out, "{}", words::learn_intro(l))?;
    if l.items.is_empty() {
        writeln!(out, "{}", words::NOTHING_TO_LEARN)?;
    }
    for (n, item) in l.items.iter().enumerate() {
        writeln!(out)?;
        writeln!(out, "{:>3}. {}", n + 1, words::learn_heading(item))?;
        for o in &item.opens {
            writeln!(out, "       {}", words::opened_line(o))?;
        }
    }
    Ok(())
}
