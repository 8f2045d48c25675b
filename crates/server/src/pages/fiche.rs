//! The fiche page: the ranked sources of a target job, sortable and
//! filterable, each percentage expandable to the items behind it, with the
//! variant form (items to untick) and the territorial figures.

use std::collections::BTreeSet;

use askama::Template;
use axum::extract::RawQuery;
use passerelle_core::engine::{Axis, Direction, Gap, RankRow, Ranking, Weights};
use passerelle_core::territory::TerritorialContext;
use passerelle_core::{ItemKind, OgrCode, RiasecLetter};

use super::choices::{SortKey, TIERS, axis_value, column_label, parse_tier, tier_key};
use super::views::{
    DeptOption, SelectOption, dept_options, fraction, labels, shown_code, territory_of,
};
use super::{Layout, PageError, PageResult, cached_page, path_segment, query, render};
use crate::error::{ApiError, ErrorCode};
use crate::format::weight;
use crate::live::Snap;
use crate::params::{JobPath, Params, parse_weights, resolve_job};
use crate::pool::Cancel;
use crate::state::AppState;
use passerelle_app::{ItemOut, Resolved, encode_removed, items_of};
use passerelle_core::JobRef;
use passerelle_core::text::pct;

/// The parameters the page reads; any other is ignored (and kept out of
/// the memo key).
const FICHE_PARAMS: &[&str] = &[
    "dept",
    "tri",
    "viabilite",
    "domaine",
    "riasec",
    "limit",
    "transversal",
    "savoirs",
    "savoir_faire",
    "contextes",
    "sans",
];
/// The page's repeatable parameter: the sources the counsellor ticked to
/// detail in the fiche passerelle (one per checkbox, or comma-separated as
/// in the document links).
const SOURCES_PARAM: &str = "sources";
/// Sources ticked by default: those the document details when none is
/// named (`passerelle_render::pipeline::DETAILED_SOURCES`).
const DEFAULT_DETAILED: usize = passerelle_render::pipeline::DETAILED_SOURCES;
/// Rows shown by default: twice a ranking's default length, as a
/// counsellor scans a table, and the filters narrow it.
const FICHE_ROWS: usize = 2 * passerelle_core::engine::DEFAULT_RANKING_LIMIT;

#[derive(Template)]
#[template(path = "fiche.html")]
struct FichePage {
    layout: Layout,
    title: String,
    code: String,
    seg: String,
    resolution: String,
    fiche_title: String,
    riasec: String,
    definition: Vec<String>,
    /// "4 (bac) — d'après « … »".
    niveau_acces: String,
    dept: String,
    dept_name: String,
    territoire: Vec<FigureView>,
    departements: Vec<DeptOption>,
    weights: Vec<WeightInput>,
    sorts: Vec<SortLink>,
    tri: String,
    tiers: Vec<SelectOption>,
    domaines: Vec<SelectOption>,
    riasecs: Vec<SelectOption>,
    limit: usize,
    rows: Vec<RowView>,
    shown: usize,
    matching: usize,
    candidates: String,
    /// "Règle des viabilités" and the rule of the four labels.
    rule_title: &'static str,
    rule: Vec<String>,
    /// What the terms of a score's decomposition are.
    legend: String,
    sans: String,
    removed_count: usize,
    item_groups: Vec<ItemGroup>,
    pdf_href: String,
    json_href: String,
    html_href: String,
    md_href: String,
    /// The sources chosen on the page, comma-separated (empty: the default).
    chosen: String,
    /// The page's state as hidden fields of the sources form.
    hidden: Vec<(String, String)>,
    default_detailed: usize,
    sources_json_href: String,
    variant_toml_href: String,
    whole_href: String,
}

pub struct FigureView {
    label: String,
    text: String,
    source: String,
    /// Qualifiers ("couverture partielle…", "chiffre de l'ensemble du métier BMO…").
    notes: String,
}

pub struct WeightInput {
    name: &'static str,
    label: &'static str,
    value: String,
}

pub struct SortLink {
    key: &'static str,
    label: &'static str,
    href: String,
    active: bool,
}

pub struct RowView {
    rank: usize,
    /// Ticked to be detailed in the fiche passerelle.
    detail: bool,
    /// The job's identifier, the value of its checkbox.
    job_id: String,
    title: String,
    id: String,
    compare_href: String,
    tier: String,
    tier_class: &'static str,
    riasec: String,
    score: String,
    /// The score's terms, adding up to it (empty: no score).
    decomposition: String,
    /// The figures the label is decided on ("savoir-faire maîtrisés,
    /// pondérés : 31 % ; …").
    figures: String,
    cells: Vec<CellView>,
}

/// One percentage and the items behind it.
pub struct CellView {
    axis: &'static str,
    /// The column's title, repeated in each cell of a row shown as a card.
    label: &'static str,
    text: String,
    fraction: String,
    left_title: &'static str,
    left: Vec<String>,
    right_title: &'static str,
    right: Vec<String>,
}

pub struct ItemGroup {
    title: &'static str,
    items: Vec<ItemCheck>,
}

pub struct ItemCheck {
    ogr: String,
    label: String,
    group: String,
    kept: bool,
}

/// Weights from the page's four number inputs (a French comma is
/// accepted). An error names the input as the page calls it (`savoirs`),
/// never the CLI flag.
fn page_weights(p: &Params) -> Result<Weights, ApiError> {
    let mut parts = Vec::new();
    for name in Axis::ALL.map(Axis::name) {
        if let Some(v) = p.get(name) {
            let part = format!("{name}={}", v.replace(',', "."));
            parse_weights(&part, name)?;
            parts.push(part);
        }
    }
    if parts.is_empty() {
        return Ok(Weights::default());
    }
    parse_weights(
        &parts.join(","),
        "transversal, savoirs, savoir_faire, contextes",
    )
}

/// The four cells of a row, each expandable to its items.
fn cells(row: &RankRow, gap: Option<&Gap>) -> Vec<CellView> {
    let mut out = Vec::new();
    for axis in Axis::ALL {
        let text = pct(axis_value(row, axis));
        let mut c = CellView {
            axis: axis.name(),
            label: column_label(axis),
            text,
            fraction: String::new(),
            left_title: "",
            left: vec![],
            right_title: "",
            right: vec![],
        };
        if let Some(g) = gap {
            match axis {
                Axis::Transversal => {
                    if let Some(t) = &g.transversal {
                        c.left_title = "Adaptées ou plus élevées";
                        c.left = t
                            .adaptees
                            .iter()
                            .chain(t.plus_elevees.iter())
                            .map(|s| s.to_string())
                            .collect();
                        c.right_title = "À faire évoluer";
                        c.right = t.a_faire_evoluer.iter().map(|s| s.to_string()).collect();
                    }
                }
                Axis::Savoirs | Axis::SavoirFaire => {
                    let ig = if axis == Axis::Savoirs {
                        &g.savoirs
                    } else {
                        &g.savoir_faire
                    };
                    c.fraction = fraction(ig.numerator, ig.denominator);
                    c.left_title = "Déjà acquis";
                    c.left = labels(&ig.acquis);
                    c.right_title = "À acquérir";
                    c.right = super::views::to_acquire_labels(&ig.a_acquerir);
                }
                Axis::Contextes => {
                    let cg = &g.contextes;
                    c.fraction = fraction(cg.numerator, cg.denominator);
                    let flat = |groups: &[passerelle_core::engine::ContextGroup]| {
                        groups
                            .iter()
                            .flat_map(|grp| {
                                grp.items
                                    .iter()
                                    .map(move |i| format!("{} : {}", grp.type_label, i.label))
                            })
                            .collect()
                    };
                    c.left_title = "Similaires";
                    c.left = flat(&cg.similaires);
                    c.right_title = "Nouveaux";
                    c.right = flat(&cg.nouveaux);
                }
            }
        }
        out.push(c);
    }
    out
}

/// The figures of the territorial context shown on the fiche page: the
/// documents' lines, with their sources and qualifiers.
fn figures(state: &AppState, ctx: &TerritorialContext) -> Vec<FigureView> {
    passerelle_render::build::figure_lines(&state.catalog.referential, ctx)
        .into_iter()
        .filter(|f| !f.label.is_empty())
        .map(|f| FigureView {
            label: f.label,
            text: f.text,
            source: f.source.unwrap_or_default(),
            notes: f.notes.join(" ; "),
        })
        .collect()
}

fn item_groups(items: Vec<ItemOut>, removed: &BTreeSet<OgrCode>) -> Vec<ItemGroup> {
    let mut groups = vec![
        ItemGroup {
            title: "Savoir-faire",
            items: vec![],
        },
        ItemGroup {
            title: "Savoirs",
            items: vec![],
        },
        ItemGroup {
            title: "Savoir-être professionnels",
            items: vec![],
        },
        ItemGroup {
            title: "Contextes de travail",
            items: vec![],
        },
    ];
    for i in items {
        let g = match i.kind {
            ItemKind::SavoirFaire => 0,
            ItemKind::Savoir => 1,
            ItemKind::Contexte => 3,
            _ => 2,
        };
        groups[g].items.push(ItemCheck {
            kept: !removed.contains(&i.ogr),
            ogr: i.ogr.to_string(),
            label: i.label,
            group: i.group.unwrap_or_default(),
        });
    }
    groups.retain(|g| !g.items.is_empty());
    groups
}

pub(super) async fn fiche(
    Snap(state, live): Snap,
    JobPath(job): JobPath,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let p = Params::page(raw.as_deref(), FICHE_PARAMS, &[SOURCES_PARAM])?;
    let code = job.to_string();
    let key = p.cache_key(&format!("page/fiche/{code}"));
    cached_page(state, &live, key, move |state, cancel| {
        fiche_page(state, &job, &p, cancel)
    })
    .await
}

/// What the page's query asks for, read and checked in the order a
/// visitor's errors are reported.
struct Filters {
    dept: Option<passerelle_core::DeptCode>,
    weights: Weights,
    limit: usize,
    /// `limit` was given (kept in the sources form).
    limit_given: bool,
    tri: SortKey,
    viabilite: Option<passerelle_core::engine::Tier>,
    /// A grand domaine letter, upper case (empty: all).
    domaine: String,
    riasec: Option<RiasecLetter>,
}

impl Filters {
    fn read(p: &Params, state: &AppState) -> Result<Filters, PageError> {
        let dept = p.dept(state)?;
        let weights = page_weights(p)?;
        let limit = p.limit(FICHE_ROWS)?;
        let tri = SortKey::parse(p.get("tri"))?;
        let viabilite = parse_tier(p.get("viabilite"))?;
        let domaine = p.get("domaine").unwrap_or("").to_ascii_uppercase();
        let known = state
            .catalog
            .referential
            .grands_domaines
            .iter()
            .any(|g| g.code.to_string() == domaine);
        if !domaine.is_empty() && !known {
            return Err(ApiError::bad(
                ErrorCode::ParametreInvalide,
                "domaine",
                "paramètre domaine : grand domaine inconnu (attendu une lettre de A à N)",
            )
            .into());
        }
        let riasec = match p.get("riasec") {
            None => None,
            Some(s) => Some(RiasecLetter::parse(s).ok_or_else(|| {
                ApiError::bad(
                    ErrorCode::ParametreInvalide,
                    "riasec",
                    "paramètre riasec : attendu R, I, A, S, E ou C",
                )
            })?),
        };
        Ok(Filters {
            dept,
            weights,
            limit,
            limit_given: p.get("limit").is_some(),
            tri,
            viabilite,
            domaine,
            riasec,
        })
    }

    fn riasec_s(&self) -> String {
        self.riasec.map(|l| l.to_string()).unwrap_or_default()
    }

    fn viabilite_s(&self) -> &'static str {
        self.viabilite.map(tier_key).unwrap_or("")
    }

    /// The rows the filters keep (`matching` of them), sorted by the
    /// chosen column, then cut to `limit`.
    fn rows<'r>(&self, all: &'r [RankRow]) -> (Vec<&'r RankRow>, usize) {
        let riasec = self.riasec_s();
        let mut rows: Vec<&RankRow> = all
            .iter()
            .filter(|r| self.viabilite.is_none_or(|t| r.tier == t))
            .filter(|r| self.domaine.is_empty() || r.code.starts_with(&self.domaine))
            .filter(|r| {
                self.riasec.is_none() || r.riasec.as_deref().is_some_and(|x| x.starts_with(&riasec))
            })
            .collect();
        let matching = rows.len();
        rows.sort_by(|a, b| {
            self.tri
                .value(b)
                .unwrap_or(-1.0)
                .total_cmp(&self.tri.value(a).unwrap_or(-1.0))
                .then(a.rank.cmp(&b.rank))
        });
        rows.truncate(self.limit);
        (rows, matching)
    }
}

/// What every link of the page carries: the job's path segment, the
/// département, the variant, the chosen sources and typed weights.
struct Carried {
    seg: String,
    dept: String,
    sans: String,
    /// The sources ticked to be detailed (empty: the default ones).
    chosen_ids: Vec<String>,
    /// The same, comma-separated.
    chosen: String,
    weights: Vec<(String, String)>,
}

impl Carried {
    /// The query of a link to this page with `extra` parameters.
    fn query(&self, extra: &[(&str, &str)]) -> String {
        let mut pairs: Vec<(&str, &str)> = vec![
            ("dept", &self.dept),
            ("sans", &self.sans),
            (SOURCES_PARAM, &self.chosen),
        ];
        pairs.extend(self.weights.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        pairs.extend_from_slice(extra);
        query(&pairs)
    }

    /// A document of the fiche passerelle, in `format`.
    fn document(&self, format: &str) -> String {
        format!(
            "/api/v1/fiches/{}/document{}",
            self.seg,
            query(&[
                ("dept", &self.dept),
                (SOURCES_PARAM, &self.chosen),
                ("format", format)
            ])
        )
    }
}

/// The weights as the links write them: none when they are the defaults.
fn typed_weights(weights: &Weights) -> Vec<(String, String)> {
    if *weights == Weights::default() {
        return Vec::new();
    }
    let values = weights.values();
    Axis::ALL
        .iter()
        .map(|a| (a.name().to_string(), weight(values.get(*a))))
        .collect()
}

/// One table row per ranking row shown, each with its gap (the items
/// behind every percentage); `cancel` is checked between rows.
fn row_views(
    state: &AppState,
    resolved: &Resolved,
    full: &Ranking,
    rows: &[&RankRow],
    filters: &Filters,
    carried: &Carried,
    cancel: &Cancel,
) -> Result<Vec<RowView>, PageError> {
    let chosen = &carried.chosen_ids;
    let engine = resolved.engine(&state.engine);
    let constants = engine.constants();
    let default_ids: Vec<&str> =
        passerelle_render::scoring::default_detailed(&full.rows, DEFAULT_DETAILED)
            .into_iter()
            .map(|r| r.id.as_str())
            .collect();
    let mut views = Vec::with_capacity(rows.len());
    for r in rows {
        cancel.check()?;
        let source_job = resolve_job(state, &r.id, "source").ok();
        let gap = source_job.as_ref().and_then(|s| {
            engine
                .gap(s, &resolved.job, &filters.weights, None, None)
                .ok()
        });
        views.push(RowView {
            rank: r.rank,
            detail: if chosen.is_empty() {
                default_ids.contains(&r.id.as_str())
            } else {
                chosen.contains(&r.id)
            },
            job_id: r.id.clone(),
            title: r.title.clone(),
            id: shown_code(&r.id),
            compare_href: format!(
                "/comparaison/{}/{}{}",
                path_segment(&r.id),
                carried.seg,
                query(&[("dept", &carried.dept), ("sans", &carried.sans)])
            ),
            tier: r.tier_label.to_string(),
            tier_class: tier_key(r.tier),
            riasec: r.riasec.clone().unwrap_or_else(|| "—".into()),
            score: pct(r.score),
            decomposition: passerelle_render::scoring::row_decomposition(
                r,
                &full.weights,
                &constants,
            )
            .unwrap_or_default(),
            figures: passerelle_render::scoring::row_figures(r).join(" ; "),
            cells: cells(r, gap.as_ref()),
        });
    }
    Ok(views)
}

/// The column headers that sort the table, keeping every filter.
fn sort_links(filters: &Filters, carried: &Carried) -> Vec<SortLink> {
    let riasec = filters.riasec_s();
    SortKey::ALL
        .into_iter()
        .map(|key| SortLink {
            key: key.name(),
            label: key.label(),
            href: format!(
                "/fiches/{}{}",
                carried.seg,
                carried.query(&[
                    ("tri", key.name()),
                    ("viabilite", filters.viabilite_s()),
                    ("domaine", &filters.domaine),
                    ("riasec", &riasec)
                ])
            ),
            active: key == filters.tri,
        })
        .collect()
}

/// The page's state as hidden fields of the sources form.
fn hidden_fields(filters: &Filters, carried: &Carried) -> Vec<(String, String)> {
    let riasec = filters.riasec_s();
    let mut hidden: Vec<(String, String)> = [
        ("dept", carried.dept.as_str()),
        ("sans", &carried.sans),
        ("tri", filters.tri.name()),
        ("viabilite", filters.viabilite_s()),
        ("domaine", &filters.domaine),
        ("riasec", &riasec),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .chain(carried.weights.iter().cloned())
    .filter(|(_, v)| !v.is_empty())
    .collect();
    if filters.limit_given {
        hidden.push(("limit".into(), filters.limit.to_string()));
    }
    hidden
}

/// The fiche page: ranking, then one gap per row shown (checking `cancel`
/// between rows), then the template.
fn fiche_page(
    state: &AppState,
    job: &JobRef,
    p: &Params,
    cancel: &Cancel,
) -> Result<String, PageError> {
    let filters = Filters::read(p, state)?;
    let referential = &state.catalog.referential;
    let base = passerelle_app::resolve_ref(&state.catalog, job, "code")?;
    let resolved: Resolved = state.resolve("code", job, p.get("sans"))?;
    let removed = resolved.removed();
    let chosen: Vec<String> = p
        .detailed_sources(state)?
        .into_iter()
        .map(|j| j.id)
        .collect();
    cancel.check()?;
    let full = passerelle_app::ranking(
        &state.engine,
        &resolved,
        Direction::Sources,
        &filters.weights,
        usize::MAX,
        None,
    )?;
    cancel.check()?;
    let (rows, matching) = filters.rows(&full.rows);
    let carried = Carried {
        seg: path_segment(&job.to_string()),
        dept: filters.dept.map(|d| d.to_string()).unwrap_or_default(),
        sans: encode_removed(&removed),
        chosen: chosen.join(","),
        chosen_ids: chosen,
        weights: typed_weights(&filters.weights),
    };
    let row_views = row_views(state, &resolved, &full, &rows, &filters, &carried, cancel)?;
    let constants = resolved.engine(&state.engine).constants();
    let (dept, domaine, riasec, tri, viabilite, limit) = (
        filters.dept,
        &filters.domaine,
        filters.riasec,
        filters.tri,
        filters.viabilite,
        filters.limit,
    );
    let fiche = referential
        .fiche(base.fiche)
        .ok_or_else(|| ApiError::internal("fiche absente"))?;
    let territoire = territory_of(state, dept, base.fiche)
        .map(|c| figures(state, &c))
        .unwrap_or_default();
    let page = FichePage {
        title: resolved.job.title.clone(),
        code: shown_code(&base.id),
        resolution: resolved.job.resolution.clone(),
        fiche_title: format!("{} — {}", fiche.code, fiche.title),
        riasec: fiche
            .riasec
            .map(|r| r.to_string())
            .unwrap_or_else(|| "non disponible".into()),
        definition: fiche.definition.clone(),
        niveau_acces: {
            let level = passerelle_core::qualification::access_level(referential, fiche);
            format!("{} — {}", level.display_fr(), level.provenance_fr())
        },
        dept_name: dept
            .and_then(|d| state.dept_name(d.as_str()).map(str::to_string))
            .unwrap_or_default(),
        territoire,
        departements: dept_options(state, Some(&carried.dept)),
        weights: Axis::ALL
            .into_iter()
            .map(|a| WeightInput {
                name: a.name(),
                label: column_label(a),
                // The ranking's effective weights (a surveyed profile
                // raises the transversal one unless it was typed).
                value: weight(full.weights.get(a)),
            })
            .collect(),
        sorts: sort_links(&filters, &carried),
        tri: tri.name().into(),
        tiers: TIERS
            .into_iter()
            .map(|t| SelectOption {
                value: tier_key(t).into(),
                label: t.label_fr().into(),
                selected: viabilite == Some(t),
            })
            .collect(),
        domaines: referential
            .grands_domaines
            .iter()
            .map(|g| SelectOption {
                value: g.code.to_string(),
                label: format!("{} — {}", g.code, g.label),
                selected: g.code.to_string() == *domaine,
            })
            .collect(),
        riasecs: RiasecLetter::ALL
            .into_iter()
            .map(|l| SelectOption {
                value: l.to_string(),
                label: format!("{l} — {}", l.label_fr()),
                selected: riasec == Some(l),
            })
            .collect(),
        limit,
        shown: rows.len(),
        matching,
        candidates: passerelle_core::text::fr_int(full.candidates as u64),
        rule_title: passerelle_render::scoring::rule(&full.tiers).0,
        rule: passerelle_render::scoring::rule(&full.tiers).1.to_vec(),
        legend: passerelle_render::scoring::legend(&constants),
        removed_count: removed.len(),
        item_groups: item_groups(items_of(&state.catalog.referential, &base, None), &removed),
        pdf_href: carried.document("pdf"),
        json_href: carried.document("json"),
        html_href: carried.document("html"),
        md_href: carried.document("md"),
        chosen: carried.chosen.clone(),
        hidden: hidden_fields(&filters, &carried),
        default_detailed: DEFAULT_DETAILED,
        sources_json_href: format!(
            "/api/v1/fiches/{}/sources{}",
            carried.seg,
            query(&[("dept", &carried.dept), ("sans", &carried.sans)])
        ),
        variant_toml_href: format!(
            "/fiches/{}/variante.toml{}",
            carried.seg,
            query(&[("sans", &carried.sans)])
        ),
        whole_href: format!(
            "/fiches/{}{}",
            carried.seg,
            query(&[("dept", &carried.dept)])
        ),
        seg: carried.seg,
        dept: carried.dept,
        sans: carried.sans,
        rows: row_views,
        layout: Layout::of(state),
    };
    cancel.check()?;
    render(page)
}
