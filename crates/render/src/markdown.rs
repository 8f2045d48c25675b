//! Markdown rendering of the documents (same model as HTML and PDF).
//!
//! The text is in `templates/fiche.md`, `parcours.md` and `_md.md`
//! (askama, every value escaped for Markdown; only the links' addresses,
//! built by `crate::links`, are printed `|safe`); the labels come from
//! [`crate::wording`].

use askama::Template;

use crate::document::{FichePasserelle, Parcours};
use crate::wording::{WORDING, Wording};

/// The ten blocks of a coverage bar (`bar` in `_md.md`): "██████░░░░".
pub fn gauge(share: &f64) -> String {
    let n = (share * 10.0).round().clamp(0.0, 10.0) as usize;
    format!("{}{}", "█".repeat(n), "░".repeat(10 - n))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The `bar` macro of `_md.md` alone.
    #[derive(Template)]
    #[template(
        source = "{% import \"_md.md\" as m %}{% call m::bar(share) %}{% endcall %}",
        ext = "md"
    )]
    struct Bar<'a> {
        share: Option<f64>,
        w: &'a Wording,
    }

    #[test]
    fn bars_in_ten_blocks() {
        let bar = |share| Bar { share, w: &WORDING }.render().unwrap();
        assert_eq!(bar(Some(0.58)), "`██████░░░░` 58\u{202f}%");
        assert_eq!(bar(Some(1.7)), "`██████████` 170\u{202f}%");
        assert_eq!(bar(None), crate::document::NON_DISPONIBLE);
    }
}
