//! Markdown rendering of the documents (same model as HTML and PDF).
//!
//! The text is in `templates/fiche.md`, `parcours.md` and `_md.md`
//! (askama, every value escaped for Markdown unless marked `|safe`); the
//! labels come from [`crate::wording`].

use askama::Template;

use crate::build::pct;
use crate::document::{FichePasserelle, NON_DISPONIBLE, Parcours};
use crate::wording::{WORDING, Wording};

/// A coverage bar in ten blocks and its percentage, as inline code.
pub fn bar(v: impl std::borrow::Borrow<Option<f64>>) -> String {
    let v = *v.borrow();
    match v {
        Some(x) => {
            let n = (x * 10.0).round().clamp(0.0, 10.0) as usize;
            format!("`{}{}` {}", "█".repeat(n), "░".repeat(10 - n), pct(v))
        }
        None => NON_DISPONIBLE.into(),
    }
}

/// [`bar`] of a share that is always known.
pub fn bar_of(x: &f64) -> String {
    bar(Some(*x))
}

#[derive(Template)]
#[template(path = "fiche.md")]
struct FicheMd<'a> {
    d: &'a FichePasserelle,
    w: &'a Wording,
}

#[derive(Template)]
#[template(path = "parcours.md")]
struct ParcoursMd<'a> {
    d: &'a Parcours,
    w: &'a Wording,
}

/// The fiche passerelle as Markdown.
pub fn fiche(d: &FichePasserelle) -> Result<String, askama::Error> {
    fiche_with(d, &WORDING)
}

pub(crate) fn fiche_with(d: &FichePasserelle, w: &Wording) -> Result<String, askama::Error> {
    FicheMd { d, w }.render()
}

/// The parcours de mobilité as Markdown.
pub fn parcours(d: &Parcours) -> Result<String, askama::Error> {
    parcours_with(d, &WORDING)
}

pub(crate) fn parcours_with(d: &Parcours, w: &Wording) -> Result<String, askama::Error> {
    ParcoursMd { d, w }.render()
}
