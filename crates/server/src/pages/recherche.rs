//! The search page: results of a text, or straight to the job picked in
//! the typeahead.

use askama::Template;
use axum::extract::RawQuery;
use axum::response::{IntoResponse, Redirect};

use super::choices::Sens;
use super::views::{DeptOption, dept_options};
use super::{Layout, PageResult, html, path_segment, query};
use crate::live::Snap;
use crate::params::{Params, resolve_job};

/// The parameters the page reads; any other is ignored.
const RECHERCHE_PARAMS: &[&str] = &["q", "dept", "sens", "job"];
/// Results listed (the API's default is 10: a page has room for more).
const SEARCH_HITS: usize = 30;

#[derive(Template)]
#[template(path = "recherche.html")]
struct SearchPage {
    layout: Layout,
    q: String,
    sens: String,
    departements: Vec<DeptOption>,
    hits: Vec<HitView>,
}

struct HitView {
    title: String,
    detail: String,
    fiche_href: String,
    explorer_href: String,
}

pub(super) async fn recherche(Snap(state, _): Snap, RawQuery(raw): RawQuery) -> PageResult {
    let p = Params::page(raw.as_deref(), RECHERCHE_PARAMS, &[])?;
    let dept = p.dept(&state)?.map(|d| d.to_string()).unwrap_or_default();
    let sens = Sens::parse(p.get("sens"));
    let dq = query(&[("dept", &dept)]);
    // A title picked in the typeahead: go straight to its page.
    if let Some(code) = p.get("job") {
        let job = resolve_job(&state, code, "job")?;
        let page = sens.page();
        let code = if job.appellation.is_some() && !job.is_poste() {
            job.appellation.map(|a| a.to_string()).unwrap_or_default()
        } else {
            job.id.clone()
        };
        return Ok(Redirect::to(&format!("/{page}/{}{dq}", path_segment(&code))).into_response());
    }
    let q = p.get("q").unwrap_or("").to_string();
    let hits = if q.is_empty() {
        Vec::new()
    } else {
        let q = crate::params::read_query_text(p.get("q"))?;
        state
            .search
            .search(q, SEARCH_HITS)
            .into_iter()
            .map(|h| {
                let seg = path_segment(&h.code);
                HitView {
                    detail: match h.kind.as_str() {
                        "fiche" => format!("fiche ROME {}", h.rome),
                        "poste" => format!("profil de poste, fiche ROME {}", h.rome),
                        _ if h.poste => format!(
                            "appellation de la fiche {} ({}), avec profil de poste",
                            h.rome, h.rome_title
                        ),
                        _ => format!("appellation de la fiche {} ({})", h.rome, h.rome_title),
                    },
                    title: h.title,
                    fiche_href: format!("/fiches/{seg}{dq}"),
                    explorer_href: format!("/explorer/{seg}{dq}"),
                }
            })
            .collect()
    };
    html(SearchPage {
        layout: Layout::of(&state),
        departements: dept_options(&state, Some(&dept)),
        q,
        sens: sens.name().into(),
        hits,
    })
}
