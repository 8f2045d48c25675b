//! View models of routes (comparaison page), of the second circle and of
//! what to learn next (explorer page), in the words of
//! `passerelle_render::routes`, shared with the CLI and the documents.

use passerelle_app::SecondCircleOut;
use passerelle_core::engine::{Learn, Route};
use passerelle_render::routes as words;

use super::choices::tier_key;
use super::{path_segment, query};

/// A route or a destination of the second circle.
pub struct RouteView {
    pub heading: String,
    pub steps: Vec<StepView>,
    /// The destination's local market, when re-ranked by it.
    pub local: String,
}

pub struct StepView {
    /// The move and its label.
    pub moves: String,
    /// Levels, coverage, items to acquire.
    pub figures: String,
    /// The tier's class (colours like the rankings).
    pub class: &'static str,
    /// The comparison page of the step.
    pub href: String,
}

fn route_view(heading: String, route: &Route, dept: &str) -> RouteView {
    RouteView {
        heading,
        local: String::new(),
        steps: route
            .steps
            .iter()
            .map(|s| StepView {
                moves: words::step_move(s),
                figures: words::step_figures(s),
                class: tier_key(s.tier),
                href: format!(
                    "/comparaison/{}/{}{}",
                    path_segment(&s.from.id),
                    path_segment(&s.to.id),
                    query(&[("dept", dept)])
                ),
            })
            .collect(),
    }
}

/// The routes of a comparison, numbered.
pub fn routes_view(routes: &[Route], dept: &str) -> Vec<RouteView> {
    routes
        .iter()
        .enumerate()
        .map(|(n, r)| route_view(words::route_heading(n + 1, r), r, dept))
        .collect()
}

/// The second circle, numbered; with the local market, each destination's
/// figures.
pub fn circle_view(out: &SecondCircleOut, dept: &str) -> Vec<RouteView> {
    out.circle
        .destinations
        .iter()
        .enumerate()
        .map(|(n, r)| RouteView {
            local: out
                .local
                .as_ref()
                .and_then(|l| l.figures.get(n))
                .map(passerelle_render::local::route_line)
                .unwrap_or_default(),
            ..route_view(words::destination_heading(n + 1, r), r, dept)
        })
        .collect()
}

/// An item to learn and the targets it opens.
pub struct LearnView {
    pub heading: String,
    pub opens: Vec<String>,
}

pub fn learn_view(l: &Learn) -> Vec<LearnView> {
    l.items
        .iter()
        .map(|i| LearnView {
            heading: words::learn_heading(i),
            opens: i.opens.iter().map(words::opened_line).collect(),
        })
        .collect()
}
