//! The home page (search form and a few examples) and the method page
//! (docs/methode.md).

use askama::Template;

use super::views::{DeptOption, dept_options};
use super::{Layout, PageResult, html, path_segment};
use crate::live::Snap;
use crate::params::resolve_job;

/// Jobs linked from the home page, skipped when the data lacks them.
const HOME_EXAMPLES: [&str; 4] = ["poste:assistant-medical", "J1303", "M1609", "K2204"];

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    departements: Vec<DeptOption>,
    examples: Vec<(String, String)>,
}

pub(super) async fn home(Snap(state, _): Snap) -> PageResult {
    let examples = HOME_EXAMPLES
        .iter()
        .filter_map(|c| {
            resolve_job(&state, c, "code")
                .ok()
                .map(|j| (path_segment(&j.id), j.title))
        })
        .collect();
    html(HomePage {
        layout: Layout::of(&state),
        departements: dept_options(&state, None),
        examples,
    })
}

#[derive(Template)]
#[template(path = "methode.html")]
struct MethodPage {
    layout: Layout,
    body: String,
}

pub(super) async fn methode(Snap(state, _): Snap) -> PageResult {
    let body = if state.methode_markdown.is_empty() {
        "<p>La documentation de la méthode (docs/methode.md) n'a pas été chargée par ce serveur.</p>".to_string()
    } else {
        crate::markdown::to_html(&state.methode_markdown)
    };
    html(MethodPage {
        layout: Layout::of(&state),
        body,
    })
}
