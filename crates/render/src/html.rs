//! Self-contained HTML rendering of the documents: CSS in one `<style>`
//! element (its SHA-256 hash is given for a Content-Security-Policy), the
//! radar inline as SVG, no script and nothing loaded from the network.
//! Links to official pages are plain `<a href>`.
//!
//! The markup is in `templates/fiche.html`, `parcours.html` and
//! `_html.html` (askama, every value escaped; only the static stylesheet
//! [`CSS`] is printed `|safe`), the radar included from `radar.svg`; the
//! labels come from [`crate::wording`].

use askama::Template;
use base64::Engine as _;
use sha2::{Digest, Sha256};

use crate::document::{FichePasserelle, Parcours};
use crate::wording::{WORDING, Wording};

/// The stylesheet (screen and print).
pub const CSS: &str = r#"
:root{--ink:#1d2630;--muted:#5b6770;--accent:#1f5f8b;--line:#d5dbe1;--bar:#1f5f8b;--bg2:#f3f6f9}
*{box-sizing:border-box}
body{font-family:"DejaVu Sans",Arial,sans-serif;color:var(--ink);max-width:60rem;margin:0 auto;padding:1rem 1.5rem;line-height:1.45;font-size:15px;overflow-wrap:break-word}
h1{font-size:1.8rem;color:var(--accent);margin:.2rem 0}
h2{font-size:1.3rem;color:var(--accent);border-bottom:2px solid var(--accent);padding-bottom:.2rem;margin-top:2rem}
h3{font-size:1.05rem;margin:1.2rem 0 .4rem}
.notice{background:#fff6e0;border-left:4px solid #d89b00;padding:.5rem .8rem;font-size:.9rem}
.cover{border:1px solid var(--line);padding:1rem;border-radius:6px;background:var(--bg2)}
.muted{color:var(--muted);font-size:.9rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0;font-size:.9rem}
th,td{border:1px solid var(--line);padding:.3rem .45rem;text-align:left;vertical-align:top}
th{background:var(--bg2)}
td.num{text-align:right;white-space:nowrap}
.bar{display:inline-block;width:4rem;height:.6rem;vertical-align:middle;margin-right:.3rem}
.bar .fond{fill:#e4e9ee}.bar .plein{fill:var(--bar)}
.jauge{white-space:nowrap}
.stars{color:#c98a00;letter-spacing:1px;white-space:nowrap}
.radar svg{max-width:100%;height:auto}
.tier-courte{color:#1b7a3a;font-weight:bold}.tier-possible{color:#8a6d00;font-weight:bold}.tier-exigeante{color:#a33;font-weight:bold}.tier-longue{color:#4a2a82;font-weight:bold}
.figures{display:block;font-size:.8em;font-weight:normal;color:#444}.decomposition{font-size:.85em}
.entretiens{border:1px dashed var(--accent);padding:.5rem 1rem;border-radius:6px}
.tag{display:inline-block;background:var(--accent);color:#fff;font-size:.75rem;padding:0 .4rem;border-radius:3px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(13rem,1fr));gap:.6rem;align-items:start;margin:.3rem 0 .8rem}
.card{border:1px solid var(--line);border-radius:6px;padding:.4rem .7rem;background:var(--bg2)}
.card ul{margin:.2rem 0;padding-left:1.1rem}.card-title{font-weight:bold;margin:.1rem 0}.card-sub{font-style:italic;margin:.4rem 0 0}
h4{margin:1rem 0 .3rem}
@media print{.card{break-inside:avoid}}
@media screen and (max-width:40rem){table{display:block;overflow-x:auto}}
@media print{body{max-width:none;font-size:10.5pt;padding:0}h2{break-after:avoid}tr,.radar{break-inside:avoid}a{color:inherit;text-decoration:none}.notice{border-left-color:#000}}
"#;

/// `sha256-…` source for a `style-src` CSP directive allowing [`CSS`]
/// (quote it inside the header: `'sha256-…'`).
pub fn css_csp_source() -> String {
    format!(
        "sha256-{}",
        base64::engine::general_purpose::STANDARD.encode(Sha256::digest(CSS.as_bytes()))
    )
}

/// The filled width of a coverage bar (`bar` in `_html.html`), out of 100.
///
/// The bar is an inline SVG whose filled `rect` has a `width` attribute: a
/// strict Content-Security-Policy blocks inline `style="width:…"` (the bar
/// would then be drawn full whatever the value), not SVG attributes.
pub fn bar_width(share: &f64) -> f64 {
    (share * 100.0).round().clamp(0.0, 100.0)
}

/// CSS class of a viability tier label.
pub fn tier_class(label: &str) -> &'static str {
    if label.contains("courte") {
        "tier-courte"
    } else if label.contains("possible") {
        "tier-possible"
    } else if label.contains("longue") {
        "tier-longue"
    } else {
        "tier-exigeante"
    }
}

#[derive(Template)]
#[template(path = "fiche.html")]
struct FicheHtml<'a> {
    d: &'a FichePasserelle,
    w: &'a Wording,
    title: String,
}

#[derive(Template)]
#[template(path = "parcours.html")]
struct ParcoursHtml<'a> {
    d: &'a Parcours,
    w: &'a Wording,
    title: String,
}

/// The fiche passerelle as a standalone HTML page.
pub fn fiche(d: &FichePasserelle) -> Result<String, askama::Error> {
    fiche_with(d, &WORDING)
}

pub(crate) fn fiche_with(d: &FichePasserelle, w: &Wording) -> Result<String, askama::Error> {
    let title = format!("{} – {}", w.fiche_passerelle, d.cover.title);
    FicheHtml { d, w, title }.render()
}

/// The parcours de mobilité as a standalone HTML page.
pub fn parcours(d: &Parcours) -> Result<String, askama::Error> {
    parcours_with(d, &WORDING)
}

pub(crate) fn parcours_with(d: &Parcours, w: &Wording) -> Result<String, askama::Error> {
    let title = format!(
        "{} – {} {} {}",
        w.parcours, d.source.title, w.vers, d.target.title
    );
    ParcoursHtml { d, w, title }.render()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `bar` macro of `_html.html` alone.
    #[derive(Template)]
    #[template(
        source = "{% import \"_html.html\" as m %}{% call m::bar(share) %}{% endcall %}",
        ext = "html"
    )]
    struct Bar<'a> {
        share: Option<f64>,
        w: &'a Wording,
    }

    fn bar(share: Option<f64>) -> String {
        Bar { share, w: &WORDING }.render().unwrap()
    }

    #[test]
    fn bars_carry_their_width_without_inline_style() {
        let zero = bar(Some(0.0));
        assert!(zero.contains(r#"class="plein" width="0""#), "{zero}");
        assert!(bar(Some(0.42)).contains(r#"width="42""#));
        assert!(bar(Some(1.7)).contains(r#"width="100""#));
        for b in [zero, bar(Some(0.5))] {
            assert!(
                !b.contains("style="),
                "style en ligne bloqué par la CSP : {b}"
            );
        }
        assert_eq!(bar(None), crate::document::NON_DISPONIBLE);
        assert_eq!(
            bar(Some(0.42)),
            "<span class=\"jauge\"><svg class=\"bar\" viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" \
aria-hidden=\"true\" focusable=\"false\"><rect class=\"fond\" width=\"100\" height=\"10\"/>\
<rect class=\"plein\" width=\"42\" height=\"10\"/></svg>42\u{202f}%</span>"
        );
    }

    #[test]
    fn csp_hash_of_the_stylesheet() {
        // The value the hand-written SHA-256 and base64 gave before the sha2
        // and base64 crates replaced them; it changes with the stylesheet.
        assert_eq!(
            css_csp_source(),
            "sha256-CNxD+bhXITnG+kMoye0kpcXmKKfwTAAdGYDvFPTicBM="
        );
        assert!(
            !CSS.contains("url("),
            "aucune ressource externe dans la feuille de style"
        );
    }
}
