//! The transversal-profile radar: 14 axes grouped by category, one or two
//! profiles overlaid (source and target), as a standalone SVG.
//!
//! The geometry is computed here into a typed model ([`Radar`]) and drawn
//! by the askama template `templates/radar.svg`, which escapes every text:
//! the same drawing goes inline into HTML pages (the fiche includes the
//! template, the server prints the model) and, as an image, into the PDF,
//! so it uses presentation attributes only (no stylesheet, no external
//! reference) and its output is byte-for-byte deterministic.

use std::fmt;

use askama::Template;
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
const CATEGORIES: [Category; 3] = [
    Category::Relationnelles,
    Category::Organisationnelles,
    Category::Cognitives,
];

/// A coordinate, printed with one decimal ("262.0").
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Coord(pub f64);

impl fmt::Display for Coord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.1}", self.0)
    }
}

/// A point, printed "x,y" as SVG point lists and paths read it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub x: Coord,
    pub y: Coord,
}

impl Point {
    fn new(x: f64, y: f64) -> Point {
        Point {
            x: Coord(x),
            y: Coord(y),
        }
    }
}

impl fmt::Display for Point {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{},{}", self.x, self.y)
    }
}

/// The points of a polygon, printed "x,y x,y …".
#[derive(Debug, Clone, PartialEq)]
pub struct Points(pub Vec<Point>);

impl fmt::Display for Points {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

/// The background sector of one category of competencies.
#[derive(Debug, Clone)]
pub struct Sector {
    /// The arc's points, after the centre.
    pub arc: Vec<Point>,
    pub fill: &'static str,
}

/// One ring of the scale, with its value written beside the top axis.
#[derive(Debug, Clone)]
pub struct Ring {
    pub points: Points,
    pub value: u8,
    pub label_at: Point,
}

/// One competency's axis and its label.
#[derive(Debug, Clone)]
pub struct Spoke {
    pub end: Point,
    pub label_at: Point,
    /// `start`, `middle` or `end`: which side of the axis the label goes.
    pub anchor: &'static str,
    pub label: &'static str,
}

/// One profile drawn: its polygon and a dot per competency.
#[derive(Debug, Clone)]
pub struct Shape {
    pub points: Points,
    pub color: String,
}

/// A category's colour key in the legend.
#[derive(Debug, Clone)]
pub struct CategoryKey {
    /// The top-left corner of its colour swatch.
    pub swatch: Point,
    pub label_at: Point,
    pub fill: &'static str,
    pub label: &'static str,
}

/// A series' key in the legend: a line of its colour and its label,
/// wrapped when long.
#[derive(Debug, Clone)]
pub struct SeriesKey {
    /// The top-left corner of its colour line.
    pub swatch: Point,
    pub color: String,
    pub lines: Vec<(Point, String)>,
}

/// The radar as drawn: every coordinate computed, every text as given;
/// `templates/radar.svg` prints it ([`fmt::Display`] renders it alone).
#[derive(Debug, Clone)]
pub struct Radar {
    pub width: f64,
    pub height: f64,
    /// Prefix of the `<title>`/`<desc>` ids (see [`element_id`]).
    pub id: String,
    pub title: String,
    /// The figures as text, for screen readers.
    pub description: String,
    pub center: Point,
    pub sectors: Vec<Sector>,
    pub rings: Vec<Ring>,
    pub spokes: Vec<Spoke>,
    pub shapes: Vec<Shape>,
    /// The line of "Rayon : …" (written at x = 20).
    pub scale_y: Coord,
    pub scale_name: &'static str,
    pub categories: Vec<CategoryKey>,
    pub series: Vec<SeriesKey>,
}

/// The template that draws a [`Radar`] alone; the fiche's HTML includes
/// the same template with its own `radar` variable.
#[derive(Template)]
#[template(path = "radar.svg")]
struct RadarSvg<'a> {
    radar: &'a Radar,
}

impl fmt::Display for Radar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        RadarSvg { radar: self }
            .render_into(f)
            .map_err(|_| fmt::Error)
    }
}

/// The SVG is escaped by its template: a page may print it as it is.
impl askama::filters::HtmlSafe for Radar {}

/// Angle of axis `i` (0 at the top, clockwise).
fn angle(i: usize) -> f64 {
    std::f64::consts::TAU * i as f64 / Competency::COUNT as f64 - std::f64::consts::FRAC_PI_2
}

fn point(i: usize, r: f64) -> Point {
    let a = angle(i);
    Point::new(CX + r * a.cos(), CY + r * a.sin())
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
        d.push_str(&format!(
            " {} ({}) — {}.",
            s.label,
            s.profile.provenance.kind_fr(),
            values.join(" ; ")
        ));
    }
    d
}

/// The background sector of `cat`: from the centre, an arc over its axes.
fn sector(cat: Category) -> Sector {
    let idx: Vec<usize> = Competency::ALL
        .iter()
        .filter(|c| c.category() == cat)
        .map(|c| c.index())
        .collect();
    let (first, last) = (idx[0] as f64 - 0.5, idx[idx.len() - 1] as f64 + 0.5);
    let steps = ((last - first) * 4.0) as usize;
    let arc = (0..=steps)
        .map(|k| {
            let a = std::f64::consts::TAU * (first + (last - first) * k as f64 / steps as f64)
                / Competency::COUNT as f64
                - std::f64::consts::FRAC_PI_2;
            Point::new(CX + RADIUS * a.cos(), CY + RADIUS * a.sin())
        })
        .collect();
    Sector {
        arc,
        fill: category_fill(cat),
    }
}

/// The axis of `c` and where its label goes: beside the end, on the side
/// away from the centre.
fn spoke(c: Competency) -> Spoke {
    let i = c.index();
    let label_at = point(i, RADIUS + 14.0);
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
    Spoke {
        end: point(i, RADIUS),
        label_at: Point::new(label_at.x.0, label_at.y.0 + dy),
        anchor,
        label: c.short_label_fr(),
    }
}

impl Radar {
    /// The radar of `series` on `scale`. `title` is the accessible name of
    /// the image; the values are also given as text in its `<desc>`.
    pub fn new(title: &str, scale: Scale, series: &[Series<'_>]) -> Radar {
        let max = f64::from(scale.max());
        let legend = series_legend(series);
        let rings = (1..=scale.max())
            .map(|v| {
                let r = RADIUS * f64::from(v) / max;
                Ring {
                    points: Points((0..Competency::COUNT).map(|i| point(i, r)).collect()),
                    value: v,
                    label_at: Point::new(CX + 3.0, CY - r + 11.0),
                }
            })
            .collect();
        let shapes = series
            .iter()
            .map(|s| Shape {
                points: Points(
                    Competency::ALL
                        .iter()
                        .map(|&c| {
                            point(
                                c.index(),
                                RADIUS * f64::from(scale.value(s.profile, c)) / max,
                            )
                        })
                        .collect(),
                ),
                color: s.color.to_string(),
            })
            .collect();
        // Legend: scale, then categories, then series, from this line down.
        let scale_y = HEIGHT - 70.0;
        let categories_y = scale_y + 18.0;
        let series_y = categories_y + 20.0;
        let categories = CATEGORIES
            .iter()
            .enumerate()
            .map(|(k, &cat)| {
                let x = 20.0 + 210.0 * k as f64;
                CategoryKey {
                    swatch: Point::new(x, categories_y - 10.0),
                    label_at: Point::new(x + 17.0, categories_y),
                    fill: category_fill(cat),
                    label: cat.label_fr(),
                }
            })
            .collect();
        let series_keys = series
            .iter()
            .zip(legend.places)
            .map(|(s, place)| {
                let (x, y) = (place.x, series_y + place.dy);
                SeriesKey {
                    swatch: Point::new(x, y - 5.0),
                    color: s.color.to_string(),
                    lines: place
                        .lines
                        .into_iter()
                        .enumerate()
                        .map(|(k, line)| (Point::new(x + 28.0, y + LEGEND_LINE * k as f64), line))
                        .collect(),
                }
            })
            .collect();
        Radar {
            width: WIDTH,
            height: HEIGHT + legend.extra_height,
            id: element_id(title, scale, series),
            title: title.to_string(),
            description: description(scale, series),
            center: Point::new(CX, CY),
            sectors: CATEGORIES.into_iter().map(sector).collect(),
            rings,
            spokes: Competency::ALL.into_iter().map(spoke).collect(),
            shapes,
            scale_y: Coord(scale_y),
            scale_name: scale.name_fr(),
            categories,
            series: series_keys,
        }
    }
}

/// The radar as a standalone SVG document.
pub fn radar_svg(title: &str, scale: Scale, series: &[Series<'_>]) -> String {
    Radar::new(title, scale, series).to_string()
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
