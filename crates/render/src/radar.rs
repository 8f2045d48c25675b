//! The transversal-profile radar: 14 axes grouped by category, one or two
//! profiles overlaid (source and target), as a standalone SVG.
//!
//! The same string goes inline into HTML pages and, as an image, into the
//! PDF, so it uses presentation attributes only (no stylesheet, no external
//! reference) and its output is byte-for-byte deterministic.

use std::fmt::Write;

use passerelle_core::transversal::{Category, Competency, TransversalProfile};

/// What the radius shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// Level of expertise, 0–4.
    Level,
    /// Importance and frequency, 0–5 stars.
    Stars,
}

impl Scale {
    fn max(self) -> u8 {
        match self {
            Scale::Level => 4,
            Scale::Stars => 5,
        }
    }

    fn value(self, p: &TransversalProfile, c: Competency) -> u8 {
        let e = p.get(c);
        match self {
            Scale::Level => e.level(),
            Scale::Stars => e.stars(),
        }
    }

    fn name_fr(self) -> &'static str {
        match self {
            Scale::Level => "niveau d'expertise (0 à 4)",
            Scale::Stars => "importance et fréquence (0 à 5 étoiles)",
        }
    }
}

/// One profile drawn on the radar.
pub struct Series<'a> {
    pub profile: &'a TransversalProfile,
    /// Legend text ("Secrétaire médicale (estimé)").
    pub label: &'a str,
    /// A CSS colour (`#1f5f8b`).
    pub color: &'a str,
}

const WIDTH: f64 = 660.0;
const HEIGHT: f64 = 560.0;
const CX: f64 = 330.0;
const CY: f64 = 262.0;
const RADIUS: f64 = 165.0;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Angle of axis `i` (0 at the top, clockwise).
fn angle(i: usize) -> f64 {
    std::f64::consts::TAU * i as f64 / Competency::COUNT as f64 - std::f64::consts::FRAC_PI_2
}

fn point(i: usize, r: f64) -> (f64, f64) {
    let a = angle(i);
    (CX + r * a.cos(), CY + r * a.sin())
}

fn category_fill(c: Category) -> &'static str {
    match c {
        Category::Relationnelles => "#eef4fb",
        Category::Organisationnelles => "#fbf3e6",
        Category::Cognitives => "#eef8f0",
    }
}

/// An identifier for the `<title>`/`<desc>` elements, unique among radars
/// inlined in one HTML page (a source's and a target's, say) yet
/// deterministic: a FNV-1a hash of everything drawn.
fn element_id(title: &str, scale: Scale, series: &[Series<'_>]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for b in bytes {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    };
    feed(title.as_bytes());
    feed(&[scale.max()]);
    for s in series {
        feed(s.label.as_bytes());
        feed(s.color.as_bytes());
        for c in Competency::ALL {
            let e = s.profile.get(c);
            feed(&[e.level(), e.stars()]);
        }
    }
    format!("radar-{:012x}", h & 0xffff_ffff_ffff)
}

/// The figures as text, for screen readers: one sentence per series.
fn description(scale: Scale, series: &[Series<'_>]) -> String {
    let mut d = format!("Rayon : {}.", scale.name_fr());
    for s in series {
        let values: Vec<String> = Competency::ALL
            .iter()
            .map(|&c| {
                let e = s.profile.get(c);
                if e.is_used() {
                    format!(
                        "{} : niveau {}, {} étoile{}",
                        c.label_fr(),
                        e.level(),
                        e.stars(),
                        if e.stars() > 1 { "s" } else { "" }
                    )
                } else {
                    let status = s.profile.unused_label_fr(c).unwrap_or("non mobilisée");
                    format!("{} : {status}", c.label_fr())
                }
            })
            .collect();
        let _ = write!(
            d,
            " {} ({}) — {}.",
            s.label,
            s.profile.provenance.kind_fr(),
            values.join(" ; ")
        );
    }
    d
}

/// Renders the radar. `title` is the accessible name of the image; the
/// values are also given as text in its `<desc>`.
pub fn radar_svg(title: &str, scale: Scale, series: &[Series<'_>]) -> String {
    let mut s = String::new();
    let max = f64::from(scale.max());
    let id = element_id(title, scale, series);
    let legend = series_legend(series);
    let height = HEIGHT + legend.extra_height;
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" aria-labelledby="{id}-titre" aria-describedby="{id}-desc" font-family="DejaVu Sans, Arial, sans-serif">"#
    );
    let _ = write!(s, r#"<title id="{id}-titre">{}</title>"#, escape(title));
    let _ = write!(
        s,
        r#"<desc id="{id}-desc">{}</desc>"#,
        escape(&description(scale, series))
    );
    let _ = write!(
        s,
        r##"<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>"##
    );
    // Category sectors.
    for cat in [
        Category::Relationnelles,
        Category::Organisationnelles,
        Category::Cognitives,
    ] {
        let idx: Vec<usize> = Competency::ALL
            .iter()
            .filter(|c| c.category() == cat)
            .map(|c| c.index())
            .collect();
        let (first, last) = (idx[0] as f64 - 0.5, *idx.last().unwrap() as f64 + 0.5);
        let mut d = format!("M{CX:.1},{CY:.1}");
        let steps = ((last - first) * 4.0) as usize;
        for k in 0..=steps {
            let a = std::f64::consts::TAU * (first + (last - first) * k as f64 / steps as f64)
                / Competency::COUNT as f64
                - std::f64::consts::FRAC_PI_2;
            let _ = write!(
                d,
                " L{:.1},{:.1}",
                CX + RADIUS * a.cos(),
                CY + RADIUS * a.sin()
            );
        }
        d.push_str(" Z");
        let _ = write!(
            s,
            r#"<path d="{d}" fill="{}" stroke="none"/>"#,
            category_fill(cat)
        );
    }
    // Rings and their values.
    for v in 1..=scale.max() {
        let r = RADIUS * f64::from(v) / max;
        let pts: Vec<String> = (0..Competency::COUNT)
            .map(|i| point(i, r))
            .map(|(x, y)| format!("{x:.1},{y:.1}"))
            .collect();
        let _ = write!(
            s,
            r##"<polygon points="{}" fill="none" stroke="#b8c2cc" stroke-width="0.8"/>"##,
            pts.join(" ")
        );
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{:.1}" font-size="10" fill="#5b6770">{v}</text>"##,
            CX + 3.0,
            CY - r + 11.0
        );
    }
    // Axes and labels.
    for c in Competency::ALL {
        let i = c.index();
        let (x, y) = point(i, RADIUS);
        let _ = write!(
            s,
            r##"<line x1="{CX:.1}" y1="{CY:.1}" x2="{x:.1}" y2="{y:.1}" stroke="#b8c2cc" stroke-width="0.8"/>"##
        );
        let (lx, ly) = point(i, RADIUS + 14.0);
        let cos = angle(i).cos();
        let anchor = if cos > 0.2 {
            "start"
        } else if cos < -0.2 {
            "end"
        } else {
            "middle"
        };
        let dy = if angle(i).sin() > 0.5 {
            10.0
        } else if angle(i).sin() < -0.5 {
            -2.0
        } else {
            4.0
        };
        let _ = write!(
            s,
            r##"<text x="{lx:.1}" y="{:.1}" font-size="12" fill="#1d2a33" text-anchor="{anchor}">{}</text>"##,
            ly + dy,
            escape(c.short_label_fr())
        );
    }
    // Profiles.
    for series in series {
        let pts: Vec<String> = Competency::ALL
            .iter()
            .map(|&c| {
                point(
                    c.index(),
                    RADIUS * f64::from(scale.value(series.profile, c)) / max,
                )
            })
            .map(|(x, y)| format!("{x:.1},{y:.1}"))
            .collect();
        let color = escape(series.color);
        let _ = write!(
            s,
            r#"<polygon points="{}" fill="{color}" fill-opacity="0.18" stroke="{color}" stroke-width="2.2" stroke-linejoin="round"/>"#,
            pts.join(" ")
        );
        for p in &pts {
            let (x, y) = p.split_once(',').unwrap();
            let _ = write!(s, r#"<circle cx="{x}" cy="{y}" r="3" fill="{color}"/>"#);
        }
    }
    // Legend: categories, scale and series.
    let mut y = HEIGHT - 70.0;
    let _ = write!(
        s,
        r##"<text x="20" y="{y:.1}" font-size="11" fill="#5b6770">Rayon : {}</text>"##,
        scale.name_fr()
    );
    let mut x = 20.0;
    y += 18.0;
    for cat in [
        Category::Relationnelles,
        Category::Organisationnelles,
        Category::Cognitives,
    ] {
        let _ = write!(
            s,
            r##"<rect x="{x:.1}" y="{:.1}" width="12" height="12" fill="{}" stroke="#b8c2cc" stroke-width="0.5"/>"##,
            y - 10.0,
            category_fill(cat)
        );
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{y:.1}" font-size="11" fill="#1d2a33">{}</text>"##,
            x + 17.0,
            cat.label_fr()
        );
        x += 210.0;
    }
    y += 20.0;
    for (series, place) in series.iter().zip(&legend.places) {
        let color = escape(series.color);
        let (x, y) = (place.x, y + place.dy);
        let _ = write!(
            s,
            r#"<rect x="{x:.1}" y="{:.1}" width="22" height="4" fill="{color}"/>"#,
            y - 5.0
        );
        for (k, line) in place.lines.iter().enumerate() {
            let _ = write!(
                s,
                r##"<text x="{:.1}" y="{:.1}" font-size="12" fill="#1d2a33">{}</text>"##,
                x + 28.0,
                y + LEGEND_LINE * k as f64,
                escape(line)
            );
        }
    }
    s.push_str("</svg>");
    s
}

/// Characters of a series label that fit beside another (half the width,
/// at font size 12), and on a line of its own.
const HALF_LINE_CHARS: usize = 40;
const FULL_LINE_CHARS: usize = 82;
/// Height of one legend line.
const LEGEND_LINE: f64 = 16.0;

/// Where each series' legend goes.
struct Legend {
    places: Vec<LegendPlace>,
    /// Height added below [`HEIGHT`] for stacked or wrapped labels.
    extra_height: f64,
}

struct LegendPlace {
    x: f64,
    /// Offset below the first series line.
    dy: f64,
    lines: Vec<String>,
}

/// Short labels side by side (two per line, as before); otherwise one
/// series per line, long labels wrapped at word boundaries, the image made
/// taller — a label is never cut at the image's edge.
fn series_legend(series: &[Series<'_>]) -> Legend {
    let short = series.len() <= 2
        && series
            .iter()
            .all(|s| s.label.chars().count() <= HALF_LINE_CHARS);
    if short {
        let places = series
            .iter()
            .enumerate()
            .map(|(i, s)| LegendPlace {
                x: 20.0 + 320.0 * i as f64,
                dy: 0.0,
                lines: vec![s.label.to_string()],
            })
            .collect();
        return Legend {
            places,
            extra_height: 0.0,
        };
    }
    let mut dy = 0.0;
    let places: Vec<LegendPlace> = series
        .iter()
        .map(|s| {
            let lines = wrap(s.label, FULL_LINE_CHARS);
            let place = LegendPlace { x: 20.0, dy, lines };
            dy += LEGEND_LINE * place.lines.len() as f64 + 4.0;
            place
        })
        .collect();
    Legend {
        places,
        extra_height: (dy - LEGEND_LINE - 4.0).max(0.0),
    }
}

/// Words of `text` in lines of at most `width` characters (a longer word
/// stays whole on its own line).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use passerelle_core::transversal::{ProfileEntry, Provenance};

    fn profile(level: u8, stars: u8) -> TransversalProfile {
        let mut entries = [ProfileEntry::UNUSED; Competency::COUNT];
        for (i, e) in entries.iter_mut().enumerate() {
            if i % 3 != 2 {
                *e = ProfileEntry::new(level.max(1) - (i % 2) as u8 * u8::from(level > 1), stars)
                    .unwrap();
            }
        }
        TransversalProfile {
            entries: entries.map(Some),
            provenance: Provenance::Estime {
                method: "test".into(),
                rome_version: "60".into(),
            },
            rome: None,
        }
    }

    #[test]
    fn long_legend_labels_are_stacked_and_wrapped_never_cut() {
        let (a, b) = (profile(3, 4), profile(2, 5));
        let long = "Secrétaire médical / Secrétaire médicale (source, estimé à partir de la fiche ROME, à confirmer par une enquête)";
        let series = [
            Series {
                profile: &a,
                label: "Assistant médical / Assistante médicale (cible, estimé)",
                color: "#1f5f8b",
            },
            Series {
                profile: &b,
                label: long,
                color: "#c0392b",
            },
        ];
        let svg = radar_svg("Profils", Scale::Level, &series);
        assert!(!svg.contains(r#"x="368.0""#), "plus côte à côte");
        assert!(svg.contains("(source,"), "{svg}");
        assert!(svg.contains("enquête)"), "la fin du libellé est imprimée");
        let height: f64 = svg
            .split("height=\"")
            .nth(1)
            .and_then(|h| h.split('"').next())
            .unwrap()
            .parse()
            .unwrap();
        assert!(height > HEIGHT, "image agrandie : {height}");
        for line in wrap(long, FULL_LINE_CHARS) {
            assert!(line.chars().count() <= FULL_LINE_CHARS, "{line}");
        }
    }

    #[test]
    fn radar_is_deterministic_and_escapes_labels() {
        let (a, b) = (profile(3, 4), profile(2, 5));
        let series = [
            Series {
                profile: &a,
                label: "Secrétaire <médicale> & co",
                color: "#1f5f8b",
            },
            Series {
                profile: &b,
                label: "Assistant médical",
                color: "#c0392b",
            },
        ];
        let svg = radar_svg("Profils \"comparés\"", Scale::Level, &series);
        assert_eq!(
            svg,
            radar_svg("Profils \"comparés\"", Scale::Level, &series)
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("Secrétaire &lt;médicale&gt; &amp; co"));
        assert!(!svg.contains("<médicale>"));
        assert_eq!(
            svg.matches("<polygon").count(),
            4 + 2,
            "4 anneaux + 2 profils"
        );
        assert!(svg.contains("Réguler") && svg.contains("Compétences cognitives"));
        assert!(
            svg.contains("Communiquer : niveau 3, 4 étoiles"),
            "valeurs lisibles dans <desc>"
        );
        // Two different radars inlined in one page never share an id.
        let other = radar_svg("Autre", Scale::Stars, &series[1..]);
        let id_of = |svg: &str| {
            svg.split("aria-labelledby=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .to_string()
        };
        assert_ne!(id_of(&svg), id_of(&other));
        assert!(
            !svg.contains("class="),
            "pas de classe CSS : le SVG se suffit à lui-même"
        );
        assert!(!svg.contains("href"), "aucune référence externe");
        insta::assert_snapshot!(svg);
    }
}
