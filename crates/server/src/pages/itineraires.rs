//! View models of routes (comparaison page), of the second circle and of
//! what to learn next (explorer page), in the words of
//! `passerelle_render::routes`, shared with the CLI and the documents.

use passerelle_core::engine::{Learn, Route, SecondCircle};
use passerelle_render::routes as words;

use super::choices::tier_key;
use super::{path_segment, query};

/// A route or a destination of the second circle.
pub struct RouteView {
    pub heading: String,
    pub steps: Vec<StepView>,
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

/// The second circle, numbered.
pub fn circle_view(circle: &SecondCircle, dept: &str) -> Vec<RouteView> {
    circle
        .destinations
        .iter()
        .enumerate()
        .map(|(n, r)| route_view(words::destination_heading(n + 1, r), r, dept))
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
