//! The comparison page: the gap source → target on each axis, the radar of
//! transversal competencies, and the training offers of the département.

use askama::Template;
use axum::extract::RawQuery;
use passerelle_core::territory::TerritorialContext;
use passerelle_render::document::CertificationParcours;
use passerelle_render::radar::{Radar, Scale, Series};

use super::itineraires::{RouteView, routes_view};
use super::views::{fraction, labels, territory_of};
use super::{Layout, PageError, PageResult, cached_page, path_segment, query, render};
use crate::live::Snap;
use crate::params::{JobPairPath, Params};
use crate::pool::Cancel;
use crate::state::AppState;
use passerelle_app::encode_removed;
use passerelle_core::engine::DEFAULT_ROUTES;
use passerelle_core::text::pct;
use passerelle_core::{DeptCode, JobRef, RomeCode};

/// The parameters the page reads; any other is ignored.
const COMPARAISON_PARAMS: &[&str] = &["dept", "sans", "weights"];

#[derive(Template)]
#[template(path = "comparaison.html")]
struct ComparePage {
    layout: Layout,
    source_title: String,
    target_title: String,
    source_resolution: String,
    target_resolution: String,
    score: String,
    tier: String,
    tier_class: &'static str,
    /// The score's terms, adding up to it (empty: no score).
    decomposition: String,
    /// The figures the label is decided on.
    figures: String,
    rule_title: &'static str,
    rule: Vec<String>,
    legend: String,
    riasec: String,
    axes: Vec<(String, String, String)>,
    /// The radar of both profiles (`None`: neither is known).
    radar: Option<Radar>,
    narrative: Vec<String>,
    lists: Vec<GapList>,
    contextes: Vec<GapList>,
    certifications: Vec<String>,
    /// The target's certification with blocs, seen from the source (with a
    /// département whose data has it).
    certification: Option<CertificationParcours>,
    formations: Vec<String>,
    formations_note: String,
    dept_name: String,
    pdf_href: String,
    json_href: String,
    fiche_href: String,
    explorer_href: String,
    /// The target's local market in the département (empty without one).
    local: String,
    /// Routes from the source to the target, and their rule.
    routes: Vec<RouteView>,
    route_rule: [String; 2],
}

/// Training offers listed on the comparison page (the JSON has them all).
const FORMATIONS_SHOWN: usize = 12;

pub struct GapList {
    title: String,
    items: Vec<String>,
}

/// The first training offers of the fiche in the département, and the
/// note that comes with the list.
fn formations_of(ctx: &TerritorialContext) -> (Vec<String>, String) {
    let Some(listing) = ctx.metier.as_ref().map(|m| &m.formations) else {
        return Default::default();
    };
    let items = listing
        .items
        .iter()
        .take(FORMATIONS_SHOWN)
        .map(|o| {
            let place = if o.organisme.is_empty() {
                &o.ville
            } else {
                &o.organisme
            };
            if place.is_empty() {
                o.intitule.clone()
            } else {
                format!("{} — {place}", o.intitule)
            }
        })
        .collect();
    (items, listing.note.clone().unwrap_or_default())
}

/// The target's local market in the département, in words; empty without
/// a département or territorial data (the page then says nothing of it).
fn local_figures(state: &AppState, dept: Option<DeptCode>, target: RomeCode) -> String {
    let (Some(dept), Some(provider)) = (dept, state.territory()) else {
        return String::new();
    };
    match provider.local_market(dept) {
        Ok(Some(market)) => passerelle_render::local::figures_line(&market.figures(
            target,
            None,
            passerelle_core::territory::local::NEUTRAL_WITHOUT_FIGURES,
        )),
        _ => String::new(),
    }
}

pub(super) async fn comparaison(
    Snap(state, live): Snap,
    JobPairPath { source, target }: JobPairPath,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let p = Params::page(raw.as_deref(), COMPARAISON_PARAMS, &[])?;
    let key = p.cache_key(&format!("page/comparaison/{source}/{target}"));
    cached_page(state, &live, key, move |state, cancel| {
        comparaison_page(state, &source, &target, &p, cancel)
    })
    .await
}

/// The comparison page: gap, territorial context (formations), radar.
fn comparaison_page(
    state: &AppState,
    source_ref: &JobRef,
    target_ref: &JobRef,
    p: &Params,
    cancel: &Cancel,
) -> Result<String, PageError> {
    let (source, target) = (source_ref.to_string(), target_ref.to_string());
    let dept = p.dept(state)?;
    let weights = p.weights()?;
    let s = passerelle_app::resolve_ref(&state.catalog, source_ref, "source")?;
    let resolved = state.resolve("target", target_ref, p.get("sans"))?;
    let g = passerelle_app::gap(
        &state.engine,
        &s,
        &resolved,
        &weights,
        passerelle_app::ChosenProfiles::default(),
    )?;
    let dept_s = dept.map(|d| d.to_string()).unwrap_or_default();
    let (sseg, tseg) = (path_segment(&source), path_segment(&target));
    let sans = encode_removed(&resolved.removed());
    let axes = vec![
        (
            "Compétences transversales".to_string(),
            g.transversal
                .as_ref()
                .map(|t| pct(Some(t.score)))
                .unwrap_or_else(|| "n. d.".into()),
            String::new(),
        ),
        (
            "Savoirs".to_string(),
            pct(g.savoirs.score),
            fraction(g.savoirs.numerator, g.savoirs.denominator),
        ),
        (
            "Savoir-faire".to_string(),
            pct(g.savoir_faire.score),
            fraction(g.savoir_faire.numerator, g.savoir_faire.denominator),
        ),
        (
            "Contextes".to_string(),
            pct(g.contextes.score),
            fraction(g.contextes.numerator, g.contextes.denominator),
        ),
    ];
    let mut lists = Vec::new();
    if let Some(t) = &g.transversal {
        lists.push(GapList {
            title: format!("Compétences transversales adaptées ({})", t.adaptees.len()),
            items: t.adaptees.iter().map(|s| s.to_string()).collect(),
        });
        lists.push(GapList {
            title: format!(
                "Compétences transversales plus élevées ({})",
                t.plus_elevees.len()
            ),
            items: t.plus_elevees.iter().map(|s| s.to_string()).collect(),
        });
        lists.push(GapList {
            title: format!(
                "Compétences transversales à faire évoluer ({})",
                t.a_faire_evoluer.len()
            ),
            items: t.a_faire_evoluer.iter().map(|s| s.to_string()).collect(),
        });
    }
    lists.push(GapList {
        title: format!("Savoirs déjà acquis ({})", g.savoirs.acquis.len()),
        items: labels(&g.savoirs.acquis),
    });
    lists.push(GapList {
        title: format!("Savoirs à acquérir ({})", g.savoirs.a_acquerir.len()),
        items: super::views::to_acquire_labels(&g.savoirs.a_acquerir),
    });
    lists.push(GapList {
        title: format!(
            "Savoir-faire déjà maîtrisés ({})",
            g.savoir_faire.acquis.len()
        ),
        items: labels(&g.savoir_faire.acquis),
    });
    lists.push(GapList {
        title: format!(
            "Savoir-faire à acquérir ({})",
            g.savoir_faire.a_acquerir.len()
        ),
        items: super::views::to_acquire_labels(&g.savoir_faire.a_acquerir),
    });
    let ctx_list = |title: &str, groups: &[passerelle_core::engine::ContextGroup]| GapList {
        title: title.to_string(),
        items: groups
            .iter()
            .map(|grp| {
                format!(
                    "{} : {}",
                    grp.type_label,
                    grp.items
                        .iter()
                        .map(|i| i.label.as_str())
                        .collect::<Vec<_>>()
                        .join(" / ")
                )
            })
            .collect(),
    };
    let contextes = vec![
        ctx_list("Contextes similaires", &g.contextes.similaires),
        ctx_list("Contextes nouveaux", &g.contextes.nouveaux),
    ];
    let certifications = g
        .certifications
        .communes
        .iter()
        .map(|c| format!("{} (commune aux deux métiers)", c.label))
        .chain(
            g.certifications
                .cible_seulement
                .iter()
                .map(|c| format!("{} (métier cible seulement)", c.label)),
        )
        .collect();
    let ctx = territory_of(state, dept, resolved.job.fiche);
    let (formations, formations_note) = ctx.as_ref().map(formations_of).unwrap_or_default();
    let certification = ctx
        .as_ref()
        .and_then(|c| c.metier.as_ref()?.cqp.as_ref())
        .map(|cqp| {
            passerelle_render::blocs::certification(&state.catalog.referential, cqp, &s, &g)
        });
    let engine = resolved.engine(&state.engine);
    let sp = engine
        .index_of(&s)
        .ok()
        .and_then(|i| engine.profile(i).transversal.clone());
    let tp = engine
        .index_of(&resolved.job)
        .ok()
        .and_then(|i| engine.profile(i).transversal.clone());
    let (source_label, target_label) = (
        format!("{} (source)", g.source.title),
        format!("{} (cible)", g.target.title),
    );
    let mut series = Vec::new();
    if let Some(p) = &tp {
        series.push(Series {
            profile: p,
            label: &target_label,
            color: "#0b4f8a",
        });
    }
    if let Some(p) = &sp {
        series.push(Series {
            profile: p,
            label: &source_label,
            color: "#b04a00",
        });
    }
    let radar = (!series.is_empty()).then(|| {
        let title = format!(
            "Compétences transversales : {} et {}",
            g.source.title, g.target.title
        );
        Radar::new(&title, Scale::Level, &series)
    });
    let engine = resolved.engine(&state.engine);
    let constants = engine.constants();
    // The thresholds of the ranking whose row this pair is.
    let tiers = engine.thresholds(&g.weights);
    let routes = passerelle_app::routes(
        &state.engine,
        &passerelle_app::Resolved::plain(s.clone()),
        &resolved,
        &weights,
        DEFAULT_ROUTES,
    )?;
    cancel.check()?;
    let local = local_figures(state, dept, resolved.job.fiche);
    let page = ComparePage {
        local,
        routes: routes_view(&routes.routes.routes, &dept_s),
        route_rule: passerelle_render::routes::route_rule(),
        layout: Layout::of(state),
        source_title: g.source.title.clone(),
        target_title: g.target.title.clone(),
        source_resolution: g.source.resolution.clone(),
        target_resolution: g.target.resolution.clone(),
        score: pct(g.scores.score),
        tier: g.tier_label.to_string(),
        tier_class: passerelle_render::scoring::tier_key(g.tier),
        decomposition: passerelle_render::scoring::pair_decomposition(
            &g.scores, &g.weights, &constants,
        )
        .unwrap_or_default(),
        figures: passerelle_render::scoring::gap_figures(&g).join(" ; "),
        rule_title: passerelle_render::scoring::rule(&tiers).0,
        rule: passerelle_render::scoring::rule(&tiers).1.to_vec(),
        legend: passerelle_render::scoring::legend(&constants),
        riasec: match (&g.riasec.source, &g.riasec.target, g.riasec.label) {
            (Some(a), Some(b), Some(l)) => format!("{a} → {b} ({l})"),
            _ => "non disponible".into(),
        },
        axes,
        radar,
        narrative: g.narrative.clone(),
        lists,
        contextes,
        certifications,
        certification,
        formations,
        formations_note,
        dept_name: dept
            .and_then(|d| state.dept_name(d.as_str()).map(str::to_string))
            .unwrap_or_default(),
        pdf_href: format!(
            "/api/v1/gaps/{sseg}/{tseg}/document{}",
            query(&[("dept", &dept_s), ("format", "pdf")])
        ),
        json_href: format!(
            "/api/v1/gaps/{sseg}/{tseg}{}",
            query(&[("dept", &dept_s), ("sans", &sans)])
        ),
        fiche_href: format!(
            "/fiches/{tseg}{}",
            query(&[("dept", &dept_s), ("sans", &sans)])
        ),
        explorer_href: format!("/explorer/{sseg}{}", query(&[("dept", &dept_s)])),
    };
    cancel.check()?;
    render(page)
}
