//! The explore page: where a person can go from a job, targets grouped by
//! viability tier, then by domaine.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, RawQuery};
use passerelle_core::engine::{Axis, Direction, Tier};

use super::choices::{axis_value, column_label, tier_key};
use super::views::shown_code;
use super::{Layout, PageError, PageResult, cached_page, path_segment, query, render};
use crate::api::{ranking, resolve_with_variant};
use crate::live::Snap;
use crate::params::Params;
use crate::pool::Cancel;
use crate::state::AppState;
use passerelle_core::text::pct;

/// The parameters the page reads; any other is ignored.
const EXPLORER_PARAMS: &[&str] = &["dept", "limit", "weights"];
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
    /// The tiers' thresholds, as on the fiche page.
    thresholds: String,
}

pub struct TierGroup {
    label: String,
    class: &'static str,
    domaines: Vec<DomaineGroup>,
}

pub struct DomaineGroup {
    label: String,
    rows: Vec<ExploreRow>,
}

pub struct ExploreRow {
    title: String,
    id: String,
    score: String,
    href: String,
    /// "Savoirs 25 %", … : the four percentages behind the score.
    axes: Vec<(&'static str, String)>,
}

pub(super) async fn explorer(
    Snap(state, live): Snap,
    Path(code): Path<String>,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let p = Params::page(raw.as_deref(), EXPLORER_PARAMS, &[])?;
    let key = p.cache_key(&format!("page/explorer/{code}"));
    cached_page(state, &live, key, move |state, cancel| {
        explorer_page(state, &code, &p, cancel)
    })
    .await
}

/// The explore page: targets grouped by tier, then by domaine.
fn explorer_page(
    state: &AppState,
    code: &str,
    p: &Params,
    cancel: &Cancel,
) -> Result<String, PageError> {
    let code = code.to_string();
    let dept = p.dept(state)?;
    let limit = p.limit(EXPLORER_ROWS)?;
    let weights = p.weights()?;
    let resolved = resolve_with_variant(state, &code, None)?;
    let r = ranking(state, &resolved, Direction::Targets, &weights, limit)?;
    let dept_s = dept.map(|d| d.to_string()).unwrap_or_default();
    let seg = path_segment(&code);
    let referential = &state.catalog.referential;
    let mut by_tier: BTreeMap<Tier, BTreeMap<String, Vec<ExploreRow>>> = BTreeMap::new();
    for row in &r.rows {
        let dom = row.code.get(..3).unwrap_or("");
        let label = referential
            .domaine(dom)
            .map(|d| format!("{dom} — {}", d.label))
            .unwrap_or_else(|| dom.to_string());
        by_tier
            .entry(row.tier)
            .or_default()
            .entry(label)
            .or_default()
            .push(ExploreRow {
                title: row.title.clone(),
                id: shown_code(&row.id),
                score: pct(row.score),
                axes: Axis::ALL
                    .into_iter()
                    .map(|a| (column_label(a), pct(axis_value(row, a))))
                    .collect(),
                href: format!(
                    "/comparaison/{seg}/{}{}",
                    path_segment(&row.id),
                    query(&[("dept", &dept_s)])
                ),
            });
    }
    let tiers = by_tier
        .into_iter()
        .map(|(t, doms)| TierGroup {
            label: t.label_fr().to_string(),
            class: tier_key(t),
            domaines: doms
                .into_iter()
                .map(|(label, rows)| DomaineGroup { label, rows })
                .collect(),
        })
        .collect();
    cancel.check()?;
    render(ExplorePage {
        layout: Layout::of(state),
        title: resolved.job.title.clone(),
        resolution: resolved.job.resolution.clone(),
        tiers,
        dept_name: dept
            .and_then(|d| state.dept_name(d.as_str()).map(str::to_string))
            .unwrap_or_default(),
        shown: r.rows.len(),
        thresholds: format!(
            "passerelle courte à partir de {} ; passerelle possible à partir de {} ; en dessous : passerelle exigeante",
            pct(Some(r.tiers.courte.value)),
            pct(Some(r.tiers.possible.value))
        ),
    })
}
