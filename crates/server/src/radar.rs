//! Radar overlay of two transversal profiles (14 axes, levels 0–4), as an
//! inline SVG using presentation attributes and classes only (no `style`
//! attribute, so the page's Content-Security-Policy holds).

use passerelle_core::transversal::{Competency, TransversalProfile};

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

const SIZE: f64 = 560.0;
const CENTER: f64 = SIZE / 2.0;
const RADIUS: f64 = 170.0;

fn point(i: usize, level: f64) -> (f64, f64) {
    let angle = -std::f64::consts::FRAC_PI_2 + i as f64 * std::f64::consts::TAU / 14.0;
    let r = RADIUS * level / 4.0;
    (CENTER + r * angle.cos(), CENTER + r * angle.sin())
}

fn polygon(p: &TransversalProfile, class: &str) -> String {
    let pts: Vec<String> = Competency::ALL
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let (x, y) = point(i, f64::from(p.get(*c).level()));
            format!("{x:.1},{y:.1}")
        })
        .collect();
    format!("<polygon class=\"{class}\" points=\"{}\"/>", pts.join(" "))
}

/// The SVG, or a French sentence when neither profile is known.
pub(crate) fn overlay(source: Option<&TransversalProfile>, target: Option<&TransversalProfile>, source_title: &str, target_title: &str) -> String {
    if source.is_none() && target.is_none() {
        return String::new();
    }
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"-240 0 {} {SIZE}\" role=\"img\" aria-labelledby=\"radar-titre\" class=\"radar\">\
<title id=\"radar-titre\">Profils de compétences transversales : {} (source) et {} (cible), niveaux 0 à 4</title>",
        SIZE + 480.0,
        esc(source_title),
        esc(target_title)
    );
    for level in 1..=4 {
        let pts: Vec<String> = (0..14).map(|i| point(i, f64::from(level))).map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
        s.push_str(&format!("<polygon class=\"grille\" points=\"{}\"/>", pts.join(" ")));
    }
    for (i, c) in Competency::ALL.iter().enumerate() {
        let (x, y) = point(i, 4.0);
        s.push_str(&format!("<line class=\"axe\" x1=\"{CENTER}\" y1=\"{CENTER}\" x2=\"{x:.1}\" y2=\"{y:.1}\"/>"));
        let (lx, ly) = point(i, 4.55);
        let anchor = if (lx - CENTER).abs() < 10.0 { "middle" } else if lx > CENTER { "start" } else { "end" };
        s.push_str(&format!(
            "<text class=\"etiquette\" x=\"{lx:.1}\" y=\"{ly:.1}\" text-anchor=\"{anchor}\">{}</text>",
            esc(c.label_fr())
        ));
    }
    if let Some(t) = target {
        s.push_str(&polygon(t, "cible"));
    }
    if let Some(p) = source {
        s.push_str(&polygon(p, "source"));
    }
    s.push_str("</svg>");
    s
}
