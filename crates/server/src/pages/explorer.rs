//! The explore page: where a person can go from a job, targets grouped by
//! viability tier, strongest first within each (the domaine is printed);
//! then the destinations two steps away and what to learn next.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::RawQuery;
use passerelle_core::engine::{Axis, DEFAULT_LEARN_ITEMS, DEFAULT_SECOND_CIRCLE, Direction, Tier};

use super::choices::{axis_value, column_label, tier_key};
use super::itineraires::{LearnView, RouteView, circle_view, learn_view};
use super::views::shown_code;
use super::{Layout, PageError, PageResult, cached_page, path_segment, query, render};
use crate::live::Snap;
use crate::params::{JobPath, Params, read_flag};
use crate::pool::Cancel;
use crate::state::AppState;
use passerelle_app::RankRequest;
use passerelle_core::JobRef;
use passerelle_core::text::pct;
use passerelle_render::local as local_words;
use passerelle_render::routes as routes_words;
use passerelle_render::scoring;

/// The parameters the page reads; any other is ignored.
const EXPLORER_PARAMS: &[&str] = &["dept", "limit", "weights", "local"];
/// Targets shown by default: grouped by tier and domaine, a page holds more
/// than a table.
const EXPLORER_ROWS: usize = 60;

#[derive(Template)]
#[template(path = "explorer.html")]
struct ExplorePage {
    layout: Layout,
    title: String,
    resolution: String,
    tiers: Vec<TierGroup>,
    dept_name: String,
    shown: usize,
    /// "Règle des viabilités" and the rule of the four labels.
    rule_title: &'static str,
    rule: Vec<String>,
    /// What the terms of a score's decomposition are.
    legend: String,
    /// The second circle (destinations two steps away) and its rule.
    routes: Vec<RouteView>,
    route_rule: [String; 2],
    /// What to learn next, and how it was chosen.
    learn: Vec<LearnView>,
    learn_intro: String,
    /// With a département: the link that re-ranks by the local market (or
    /// back), and, when re-ranked, the rule and the sources of the blend.
    local_toggle: Option<(String, &'static str)>,
    local_rule: Vec<String>,
    local_sources: Vec<String>,
}

pub struct TierGroup {
    label: String,
    class: &'static str,
    /// In the engine's order: by score, the moves that share a savoir or
    /// savoir-faire first (the domaine is printed, never grouped on).
    rows: Vec<ExploreRow>,
}

pub struct ExploreRow {
    title: String,
    id: String,
    /// "M16 — Secrétariat et assistance".
    domaine: String,
    score: String,
    /// The score's terms, adding up to it (empty: no score).
    decomposition: String,
    /// The figures the label is decided on.
    figures: String,
    href: String,
    /// "Savoirs 25 %", … : the four percentages behind the score.
    axes: Vec<(&'static str, String)>,
    /// The local figures and local score, when re-ranked by the local market.
    local: String,
}

pub(super) async fn explorer(
    Snap(state, live): Snap,
    JobPath(job): JobPath,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let p = Params::page(raw.as_deref(), EXPLORER_PARAMS, &[])?;
    let code = job.to_string();
    let key = p.cache_key(&format!("page/explorer/{code}"));
    cached_page(state, &live, key, move |state, cancel| {
        explorer_page(state, &job, &p, cancel)
    })
    .await
}

/// The explore page: targets grouped by tier, in the engine's order.
fn explorer_page(
    state: &AppState,
    job: &JobRef,
    p: &Params,
    cancel: &Cancel,
) -> Result<String, PageError> {
    let code = job.to_string();
    let dept = p.dept(state)?;
    let limit = p.limit(EXPLORER_ROWS)?;
    let weights = p.weights()?;
    let local = read_flag(p.get("local"), "local")? && dept.is_some();
    let resolved = state.resolve("code", job, None)?;
    let request = RankRequest {
        direction: Direction::Targets,
        weights: &weights,
        limit,
        dept,
        subject_tp: None,
        local,
    };
    let territory = if local { state.territory() } else { None };
    let out = passerelle_app::rank(&state.engine, territory, &resolved, request)?;
    let r = &out.ranking;
    let dept_s = dept.map(|d| d.to_string()).unwrap_or_default();
    let seg = path_segment(&code);
    let referential = &state.catalog.referential;
    let engine = resolved.engine(&state.engine);
    let constants = engine.constants();
    // Rows stay in the engine's order inside each tier.
    let mut by_tier: BTreeMap<Tier, Vec<ExploreRow>> = BTreeMap::new();
    for row in &r.rows {
        let dom = row.code.get(..3).unwrap_or("");
        let domaine = referential
            .domaine(dom)
            .map(|d| format!("{dom} — {}", d.label))
            .unwrap_or_else(|| dom.to_string());
        by_tier.entry(row.tier).or_default().push(ExploreRow {
            title: row.title.clone(),
            id: shown_code(&row.id),
            domaine,
            score: pct(row.score),
            decomposition: scoring::row_decomposition(row, &r.weights, &constants)
                .unwrap_or_default(),
            figures: scoring::row_figures(row).join(" ; "),
            axes: Axis::ALL
                .into_iter()
                .map(|a| (column_label(a), pct(axis_value(row, a))))
                .collect(),
            href: format!(
                "/comparaison/{seg}/{}{}",
                path_segment(&row.id),
                query(&[("dept", &dept_s)])
            ),
            local: row
                .local
                .as_ref()
                .map(|l| local_words::row_line(row, l))
                .unwrap_or_default(),
        });
    }
    let tiers = by_tier
        .into_iter()
        .map(|(t, rows)| TierGroup {
            label: t.label_fr().to_string(),
            class: tier_key(t),
            rows,
        })
        .collect();
    cancel.check()?;
    let market = if local {
        Some(passerelle_app::market_of(state.territory(), dept)?)
    } else {
        None
    };
    let circle = passerelle_app::second_circle(
        &state.engine,
        &resolved,
        &weights,
        DEFAULT_SECOND_CIRCLE,
        market.as_ref(),
    )?;
    cancel.check()?;
    let learn = passerelle_app::learn(&state.engine, &resolved, &weights, DEFAULT_LEARN_ITEMS)?;
    cancel.check()?;
    let weights_s = p.get("weights").unwrap_or_default().to_string();
    let local_toggle = dept.is_some().then(|| {
        let (flag, label) = if local {
            ("", "Revenir au classement de mobilité seul")
        } else {
            ("true", "Reclasser selon le marché local")
        };
        (
            format!(
                "/explorer/{seg}{}",
                query(&[("dept", &dept_s), ("weights", &weights_s), ("local", flag)])
            ),
            label,
        )
    });
    render(ExplorePage {
        local_toggle,
        local_rule: out
            .local
            .as_ref()
            .map(|l| l.rule.clone())
            .unwrap_or_default(),
        local_sources: out
            .local
            .as_ref()
            .map(|l| l.sources.clone())
            .unwrap_or_default(),
        routes: circle_view(&circle, &dept_s),
        route_rule: routes_words::route_rule(),
        learn: learn_view(&learn.learn),
        learn_intro: routes_words::learn_intro(&learn.learn),
        layout: Layout::of(state),
        title: resolved.job.title.clone(),
        resolution: resolved.job.resolution.clone(),
        tiers,
        dept_name: dept
            .and_then(|d| state.dept_name(d.as_str()).map(str::to_string))
            .unwrap_or_default(),
        shown: r.rows.len(),
        rule_title: scoring::rule(&r.tiers).0,
        rule: scoring::rule(&r.tiers).1.to_vec(),
        legend: scoring::legend(&constants),
    })
}
