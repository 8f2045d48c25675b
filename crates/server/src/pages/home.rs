//! The home page (search form and a few examples) and the method page
//! (written for counsellors; the developer's account of the method is in
//! the repository's docs/methode.md, not served).

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
    /// The rule of the four labels with the default weights.
    rule: Vec<String>,
}

pub(super) async fn methode(Snap(state, _): Snap) -> PageResult {
    let tiers = state.engine.tiers();
    html(MethodPage {
        layout: Layout::of(&state),
        rule: passerelle_render::scoring::rule(tiers).1.to_vec(),
    })
}
