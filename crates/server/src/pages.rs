//! The French pages, rendered on the server with askama (auto-escaped) and
//! usable without JavaScript: every control is a link or a GET form, so a
//! page's state — département, weights, sort, filters, variant — is its URL.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use askama::Template;
use axum::Router;
use axum::extract::{Path, RawQuery};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use passerelle_core::engine::{Direction, Gap, GapItem, RankRow, Tier, Weights};
use passerelle_core::{DeptCode, ItemKind, OgrCode};

use passerelle_render::radar::{Scale, Series, radar_svg};

use crate::api::{ItemOut, Resolved, compute_gap, items_of, ranking, resolve_with_variant};
use crate::error::ApiError;
use crate::live::{Live, Snap};
use crate::pool::{Cancel, Work};
use crate::format::weight;
use passerelle_core::text::pct;
use crate::params::{Params, parse_weights, resolve_job};
use crate::state::AppState;
use crate::variant::{encode_removed, variant_poste};

/// The parameters each page reads; any other is ignored (and kept out of
/// the memo key).
const RECHERCHE_PARAMS: &[&str] = &["q", "dept", "sens", "job"];
const FICHE_PARAMS: &[&str] =
    &["dept", "tri", "viabilite", "domaine", "riasec", "limit", "transversal", "savoirs", "savoir_faire", "contextes", "sans"];
const COMPARAISON_PARAMS: &[&str] = &["dept", "sans", "weights"];
const EXPLORER_PARAMS: &[&str] = &["dept", "limit", "weights"];

/// The notice shown on every page.
pub const NOTICE: &str = "Passerelle est une aide au jugement du conseiller ou de la conseillère, \
pas une décision automatisée : les pourcentages comparent des listes d'items du ROME et doivent être \
discutés avec la personne. Aucune donnée personnelle n'est enregistrée : le serveur ne conserve rien \
de ce que vous saisissez.";

pub(crate) fn router() -> Router<Arc<Live>> {
    Router::new()
        .route("/", get(home))
        .route("/recherche", get(recherche))
        .route("/fiches/{code}", get(fiche))
        .route("/fiches/{code}/variante", get(variante_form))
        .route("/fiches/{code}/variante.toml", get(variante_toml))
        .route("/comparaison/{source}/{target}", get(comparaison))
        .route("/explorer/{code}", get(explorer))
        .route("/methode", get(methode))
}

// ---------------------------------------------------------------------------
// layout and errors

/// What the layout shows on every page.
pub struct Layout {
    pub notice: &'static str,
    pub data_version: String,
    pub attribution: String,
}

impl Layout {
    fn of(state: &AppState) -> Layout {
        let data_version = if state.stamp > 0 {
            format!("{} ; version des données n° {}", state.data_version, state.stamp)
        } else {
            state.data_version.clone()
        };
        Layout {
            notice: NOTICE,
            data_version,
            attribution: state.catalog.referential.version.attribution(),
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    status: u16,
    title: &'static str,
    message: String,
}

/// An error shown as a page (same French message as the API's).
pub struct PageError {
    status: StatusCode,
    message: String,
    layout: Option<Layout>,
    retry_after: Option<u32>,
}

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> Self {
        PageError { status: e.status, message: e.message, layout: None, retry_after: e.retry_after }
    }
}

/// An error page for `status` (framework rejections, panics).
pub(crate) fn error_page(status: StatusCode, message: String) -> Response {
    PageError { status, message, layout: None, retry_after: None }.into_response()
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let title = match self.status.as_u16() {
            400 => "Demande invalide",
            404 => "Page introuvable",
            503 => "Service indisponible",
            _ => "Erreur",
        };
        let retry_after = self.retry_after;
        let page = ErrorPage {
            layout: self.layout.unwrap_or(Layout {
                notice: NOTICE,
                data_version: String::new(),
                attribution: String::new(),
            }),
            status: self.status.as_u16(),
            title,
            message: self.message,
        };
        let mut res = match page.render() {
            Ok(html) => (self.status, Html(html)).into_response(),
            Err(_) => (self.status, "erreur").into_response(),
        };
        if let Some(s) = retry_after {
            res.headers_mut().insert(header::RETRY_AFTER, s.into());
        }
        res
    }
}

pub(crate) fn not_found_page() -> Response {
    error_page(StatusCode::NOT_FOUND, "Cette adresse ne correspond à aucune page.".into())
}

type PageResult = Result<Response, PageError>;

fn html(t: impl Template) -> PageResult {
    render(t).map(|s| Html(s).into_response())
}

fn render(t: impl Template) -> Result<String, PageError> {
    t.render().map_err(|e| PageError {
        status: StatusCode::INTERNAL_SERVER_ERROR,
        message: format!("rendu de la page : {e}"),
        layout: None,
        retry_after: None,
    })
}

/// A page computed on the blocking pool of [`Work::Calcul`] (rankings and
/// gaps take milliseconds to seconds of CPU), memoised under `key` (the
/// page's known parameters, sorted) in the snapshot's byte-bounded memo.
async fn cached_page<F>(state: Arc<AppState>, live: &Live, key: String, build: F) -> PageResult
where
    F: FnOnce(&AppState, &Cancel) -> Result<String, PageError> + Send + 'static,
{
    if let Some(b) = state.cache.get(&key) {
        return Ok(Html(b).into_response());
    }
    let st = state.clone();
    let page = live.run(Work::Calcul, move |cancel| build(&st, cancel)).await?;
    let bytes = axum::body::Bytes::from(page);
    state.cache.put(key, bytes.clone());
    Ok(Html(bytes).into_response())
}

/// `?a=1&b=2` from pairs, skipping empty values (links keep the page state).
fn query(pairs: &[(&str, &str)]) -> String {
    let kept: Vec<(&str, &str)> = pairs.iter().copied().filter(|(_, v)| !v.is_empty()).collect();
    if kept.is_empty() {
        return String::new();
    }
    format!("?{}", serde_urlencoded::to_string(kept).unwrap_or_default())
}

fn path_segment(s: &str) -> String {
    // Codes are validated before they reach a link; ':' of poste: is fine in a path.
    s.chars().filter(|c| c.is_ascii_alphanumeric() || *c == ':' || *c == '-').collect()
}

// ---------------------------------------------------------------------------
// home, search

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    departements: Vec<DeptOption>,
    examples: Vec<(String, String)>,
}

pub struct DeptOption {
    code: String,
    nom: String,
    selected: bool,
}

fn dept_options(state: &AppState, selected: Option<&str>) -> Vec<DeptOption> {
    state
        .departements
        .iter()
        .map(|d| DeptOption { code: d.code.clone(), nom: d.nom.clone(), selected: Some(d.code.as_str()) == selected })
        .collect()
}

async fn home(Snap(state, _): Snap) -> PageResult {
    let examples = ["poste:assistant-medical", "J1303", "M1609", "K2204"]
        .iter()
        .filter_map(|c| resolve_job(&state, c, "code").ok().map(|j| (path_segment(&j.id), j.title)))
        .collect();
    html(HomePage { layout: Layout::of(&state), departements: dept_options(&state, None), examples })
}

#[derive(Template)]
#[template(path = "recherche.html")]
struct SearchPage {
    layout: Layout,
    q: String,
    sens: String,
    departements: Vec<DeptOption>,
    hits: Vec<HitView>,
}

struct HitView {
    title: String,
    detail: String,
    fiche_href: String,
    explorer_href: String,
}

async fn recherche(Snap(state, _): Snap, RawQuery(raw): RawQuery) -> PageResult {
    let p = Params::page(raw.as_deref(), RECHERCHE_PARAMS, &[])?;
    let dept = p.dept(&state)?.map(|d| d.to_string()).unwrap_or_default();
    let sens = match p.get("sens") {
        Some("cibles") => "cibles",
        _ => "sources",
    };
    let dq = query(&[("dept", &dept)]);
    // A title picked in the typeahead: go straight to its page.
    if let Some(code) = p.get("job") {
        let job = resolve_job(&state, code, "job")?;
        let page = if sens == "cibles" { "explorer" } else { "fiches" };
        let code = if job.appellation.is_some() && !job.is_poste() {
            job.appellation.map(|a| a.to_string()).unwrap_or_default()
        } else {
            job.id.clone()
        };
        return Ok(Redirect::to(&format!("/{page}/{}{dq}", path_segment(&code))).into_response());
    }
    let q = p.get("q").unwrap_or("").to_string();
    let hits = if q.is_empty() {
        Vec::new()
    } else {
        let q = p.query_text()?;
        state
            .search
            .search(q, 30)
            .into_iter()
            .map(|h| {
                let seg = path_segment(&h.code);
                HitView {
                    detail: match h.kind.as_str() {
                        "fiche" => format!("fiche ROME {}", h.rome),
                        "poste" => format!("profil de poste, fiche ROME {}", h.rome),
                        _ if h.poste => format!("appellation de la fiche {} ({}), avec profil de poste", h.rome, h.rome_title),
                        _ => format!("appellation de la fiche {} ({})", h.rome, h.rome_title),
                    },
                    title: h.title,
                    fiche_href: format!("/fiches/{seg}{dq}"),
                    explorer_href: format!("/explorer/{seg}{dq}"),
                }
            })
            .collect()
    };
    html(SearchPage {
        layout: Layout::of(&state),
        departements: dept_options(&state, Some(&dept)),
        q,
        sens: sens.into(),
        hits,
    })
}

// ---------------------------------------------------------------------------
// fiche page

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
    thresholds: String,
    sans: String,
    removed_count: usize,
    item_groups: Vec<ItemGroup>,
    pdf_href: String,
    json_href: String,
    html_href: String,
    sources_json_href: String,
    variant_toml_href: String,
    whole_href: String,
}

pub struct FigureView {
    label: String,
    text: String,
    source: String,
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

pub struct SelectOption {
    value: String,
    label: String,
    selected: bool,
}

pub struct RowView {
    rank: usize,
    title: String,
    id: String,
    compare_href: String,
    tier: String,
    tier_class: &'static str,
    riasec: String,
    score: String,
    cells: Vec<CellView>,
}

/// One percentage and the items behind it.
pub struct CellView {
    axis: &'static str,
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

const AXES: [(&str, &str); 4] = [
    ("transversal", "Transversales"),
    ("savoirs", "Savoirs"),
    ("savoir_faire", "Savoir-faire"),
    ("contextes", "Contextes"),
];

/// Weights from the page's four number inputs (a French comma is
/// accepted). An error names the input as the page calls it (`savoirs`),
/// never the CLI flag.
fn page_weights(p: &Params) -> Result<Weights, ApiError> {
    let mut parts = Vec::new();
    for (name, _) in AXES {
        if let Some(v) = p.get(name) {
            let part = format!("{name}={}", v.replace(',', "."));
            parse_weights(&part, name)?;
            parts.push(part);
        }
    }
    if parts.is_empty() {
        return Ok(Weights::default());
    }
    parse_weights(&parts.join(","), "transversal, savoirs, savoir_faire, contextes")
}

fn row_value(r: &RankRow, key: &str) -> Option<f64> {
    match key {
        "transversal" => r.transversal,
        "savoirs" => r.savoirs,
        "savoir_faire" => r.savoir_faire,
        "contextes" => r.contextes,
        _ => r.score,
    }
}

fn tier_key(t: Tier) -> &'static str {
    match t {
        Tier::Courte => "courte",
        Tier::Possible => "possible",
        Tier::Exigeante => "exigeante",
    }
}

fn labels(items: &[GapItem]) -> Vec<String> {
    items
        .iter()
        .map(|i| match &i.proche_de {
            Some(n) => format!("{} (proche de « {} »)", i.label, n.label),
            None => i.label.clone(),
        })
        .collect()
}

fn fraction(n: u32, d: u32) -> String {
    if d == 0 { String::new() } else { format!("{n} sur {d}") }
}

/// The four cells of a row, each expandable to its items.
fn cells(row: &RankRow, gap: Option<&Gap>) -> Vec<CellView> {
    let mut out = Vec::new();
    for (key, _) in AXES {
        let text = pct(row_value(row, key));
        let mut c = CellView { axis: key, text, fraction: String::new(), left_title: "", left: vec![], right_title: "", right: vec![] };
        if let Some(g) = gap {
            match key {
                "transversal" => {
                    if let Some(t) = &g.transversal {
                        c.left_title = "Adaptées ou plus élevées";
                        c.left = t.adaptees.iter().chain(t.plus_elevees.iter()).map(|s| s.to_string()).collect();
                        c.right_title = "À faire évoluer";
                        c.right = t.a_faire_evoluer.iter().map(|s| s.to_string()).collect();
                    }
                }
                "savoirs" | "savoir_faire" => {
                    let ig = if key == "savoirs" { &g.savoirs } else { &g.savoir_faire };
                    c.fraction = fraction(ig.numerator, ig.denominator);
                    c.left_title = "Déjà acquis";
                    c.left = labels(&ig.acquis);
                    c.right_title = "À acquérir";
                    c.right = labels(&ig.a_acquerir);
                }
                _ => {
                    let cg = &g.contextes;
                    c.fraction = fraction(cg.numerator, cg.denominator);
                    let flat = |groups: &[passerelle_core::engine::ContextGroup]| {
                        groups
                            .iter()
                            .flat_map(|grp| grp.items.iter().map(move |i| format!("{} : {}", grp.type_label, i.label)))
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

/// A few figures of the territorial context JSON (each with its source).
fn figures(ctx: &serde_json::Value) -> Vec<FigureView> {
    let mut out = Vec::new();
    let mut push = |v: Option<&serde_json::Value>| {
        if let Some(f) = v {
            let label = f.get("label").and_then(|x| x.as_str()).unwrap_or("").to_string();
            let text = f.get("text").and_then(|x| x.as_str()).unwrap_or("").to_string();
            let source = f.pointer("/source/text").and_then(|x| x.as_str()).unwrap_or("").to_string();
            if !label.is_empty() {
                out.push(FigureView { label, text, source });
            }
        }
    };
    push(ctx.get("population"));
    push(ctx.get("chomage"));
    push(ctx.pointer("/metier/bmo/projets"));
    push(ctx.pointer("/metier/bmo/difficiles"));
    push(ctx.pointer("/metier/offres"));
    push(ctx.pointer("/metier/demandeurs"));
    out
}

fn territory_of(state: &AppState, dept: Option<DeptCode>, rome: passerelle_core::RomeCode) -> Option<serde_json::Value> {
    let (d, t) = (dept?, state.territory.as_ref()?);
    t.context(d, Some(rome)).ok().flatten()
}

fn item_groups(items: Vec<ItemOut>, removed: &BTreeSet<OgrCode>) -> Vec<ItemGroup> {
    let mut groups = vec![
        ItemGroup { title: "Savoir-faire", items: vec![] },
        ItemGroup { title: "Savoirs", items: vec![] },
        ItemGroup { title: "Savoir-être professionnels", items: vec![] },
        ItemGroup { title: "Contextes de travail", items: vec![] },
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

async fn fiche(Snap(state, live): Snap, Path(code): Path<String>, RawQuery(raw): RawQuery) -> PageResult {
    let p = Params::page(raw.as_deref(), FICHE_PARAMS, &[])?;
    let key = p.cache_key(&format!("page/fiche/{code}"));
    cached_page(state, &live, key, move |state, cancel| fiche_page(state, &code, &p, cancel)).await
}

/// The fiche page: ranking, then one gap per row shown (checking `cancel`
/// between rows), then the template.
fn fiche_page(state: &AppState, code: &str, p: &Params, cancel: &Cancel) -> Result<String, PageError> {
    let code = code.to_string();
    let dept = p.dept(&state)?;
    let weights = page_weights(&p)?;
    let limit = p.limit(30)?;
    let tri = match p.get("tri") {
        None => "score",
        Some(t) if AXES.iter().any(|(k, _)| *k == t) || t == "score" => t,
        Some(_) => return Err(ApiError::bad(crate::error::ErrorCode::ParametreInvalide, "tri", "paramètre tri : attendu score, transversal, savoirs, savoir_faire ou contextes").into()),
    };
    let viabilite = p.get("viabilite").unwrap_or("");
    if !["", "courte", "possible", "exigeante"].contains(&viabilite) {
        return Err(ApiError::bad(crate::error::ErrorCode::ParametreInvalide, "viabilite", "paramètre viabilite : attendu courte, possible ou exigeante").into());
    }
    let domaine = p.get("domaine").unwrap_or("").to_ascii_uppercase();
    let referential = &state.catalog.referential;
    if !domaine.is_empty() && !referential.grands_domaines.iter().any(|g| g.code.to_string() == domaine) {
        return Err(ApiError::bad(crate::error::ErrorCode::ParametreInvalide, "domaine", "paramètre domaine : grand domaine inconnu (attendu une lettre de A à N)").into());
    }
    let riasec = p.get("riasec").unwrap_or("").to_ascii_uppercase();
    if !["", "R", "I", "A", "S", "E", "C"].contains(&riasec.as_str()) {
        return Err(ApiError::bad(crate::error::ErrorCode::ParametreInvalide, "riasec", "paramètre riasec : attendu R, I, A, S, E ou C").into());
    }
    let base = resolve_job(&state, &code, "code")?;
    let resolved: Resolved = resolve_with_variant(&state, &code, p.get("sans"))?;
    let removed = resolved.removed();
    let sans = encode_removed(&removed);
    cancel.check()?;
    let full = ranking(&state, &resolved, Direction::Sources, &weights, usize::MAX)?;
    cancel.check()?;
    let mut rows: Vec<&RankRow> = full
        .rows
        .iter()
        .filter(|r| viabilite.is_empty() || tier_key(r.tier) == viabilite)
        .filter(|r| domaine.is_empty() || r.code.starts_with(&domaine))
        .filter(|r| riasec.is_empty() || r.riasec.as_deref().is_some_and(|x| x.starts_with(&riasec)))
        .collect();
    let matching = rows.len();
    rows.sort_by(|a, b| row_value(b, tri).unwrap_or(-1.0).total_cmp(&row_value(a, tri).unwrap_or(-1.0)).then(a.rank.cmp(&b.rank)));
    rows.truncate(limit);
    let engine = resolved.engine(&state);
    let dept_s = dept.map(|d| d.to_string()).unwrap_or_default();
    let seg = path_segment(&code);
    let w_values = weights.values();
    let weights_q: Vec<(String, String)> = if weights == Weights::default() {
        vec![]
    } else {
        AXES.iter().enumerate().map(|(i, (k, _))| (k.to_string(), weight(w_values.0[i]))).collect()
    };
    let state_query = |extra: &[(&str, &str)]| {
        let mut pairs: Vec<(&str, &str)> = vec![("dept", &dept_s), ("sans", &sans)];
        pairs.extend(weights_q.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        pairs.extend_from_slice(extra);
        query(&pairs)
    };
    let row_views = rows
        .iter()
        .map(|r| {
            let source_job = resolve_job(&state, &r.id, "source").ok();
            let gap = source_job.as_ref().and_then(|s| engine.gap(s, &resolved.job, &weights, None, None).ok());
            RowView {
                rank: r.rank,
                title: r.title.clone(),
                id: r.id.clone(),
                compare_href: format!("/comparaison/{}/{seg}{}", path_segment(&r.id), query(&[("dept", &dept_s), ("sans", &sans)])),
                tier: r.tier_label.to_string(),
                tier_class: tier_key(r.tier),
                riasec: r.riasec.clone().unwrap_or_else(|| "—".into()),
                score: pct(r.score),
                cells: cells(r, gap.as_ref()),
            }
        })
        .collect();
    let sorts = std::iter::once(("score", "Score"))
        .chain(AXES.iter().copied())
        .map(|(key, label)| SortLink {
            key,
            label,
            href: format!(
                "/fiches/{seg}{}",
                state_query(&[("tri", key), ("viabilite", viabilite), ("domaine", &domaine), ("riasec", &riasec)])
            ),
            active: key == tri,
        })
        .collect();
    let fiche = referential.fiche(base.fiche).ok_or_else(|| ApiError::internal("fiche absente"))?;
    let territoire = territory_of(&state, dept, base.fiche).map(|c| figures(&c)).unwrap_or_default();
    let page = FichePage {
        title: resolved.job.title.clone(),
        code: base.id.clone(),
        resolution: resolved.job.resolution.clone(),
        fiche_title: format!("{} — {}", fiche.code, fiche.title),
        riasec: fiche.riasec.map(|r| r.to_string()).unwrap_or_else(|| "non disponible".into()),
        definition: fiche.definition.clone(),
        niveau_acces: {
            let level = passerelle_core::qualification::access_level(referential, fiche);
            format!("{} — {}", level.display_fr(), level.provenance_fr())
        },
        dept_name: dept.and_then(|d| state.dept_name(d.as_str()).map(str::to_string)).unwrap_or_default(),
        territoire,
        departements: dept_options(&state, Some(&dept_s)),
        weights: AXES
            .iter()
            .enumerate()
            .map(|(i, (name, label))| WeightInput { name, label, value: weight(w_values.0[i]) })
            .collect(),
        sorts,
        tri: tri.into(),
        tiers: [("courte", "passerelle courte"), ("possible", "passerelle possible"), ("exigeante", "passerelle exigeante")]
            .iter()
            .map(|(v, l)| SelectOption { value: v.to_string(), label: l.to_string(), selected: *v == viabilite })
            .collect(),
        domaines: referential
            .grands_domaines
            .iter()
            .map(|g| SelectOption { value: g.code.to_string(), label: format!("{} — {}", g.code, g.label), selected: g.code.to_string() == domaine })
            .collect(),
        riasecs: [("R", "Réaliste"), ("I", "Investigateur"), ("A", "Artistique"), ("S", "Social"), ("E", "Entreprenant"), ("C", "Conventionnel")]
            .iter()
            .map(|(v, l)| SelectOption { value: v.to_string(), label: format!("{v} — {l}"), selected: *v == riasec })
            .collect(),
        limit,
        shown: rows.len(),
        matching,
        candidates: passerelle_core::text::fr_int(full.candidates as u64),
        thresholds: format!(
            "passerelle courte à partir de {} ; passerelle possible à partir de {} ; en dessous : passerelle exigeante",
            pct(Some(full.tiers.courte.value)),
            pct(Some(full.tiers.possible.value))
        ),
        removed_count: removed.len(),
        item_groups: item_groups(items_of(&state, &base), &removed),
        pdf_href: format!("/api/v1/fiches/{seg}/document{}", query(&[("dept", &dept_s), ("format", "pdf")])),
        json_href: format!("/api/v1/fiches/{seg}/document{}", query(&[("dept", &dept_s), ("format", "json")])),
        html_href: format!("/api/v1/fiches/{seg}/document{}", query(&[("dept", &dept_s), ("format", "html")])),
        sources_json_href: format!("/api/v1/fiches/{seg}/sources{}", query(&[("dept", &dept_s), ("sans", &sans)])),
        variant_toml_href: format!("/fiches/{seg}/variante.toml{}", query(&[("sans", &sans)])),
        whole_href: format!("/fiches/{seg}{}", query(&[("dept", &dept_s)])),
        seg,
        dept: dept_s,
        sans,
        rows: row_views,
        layout: Layout::of(&state),
    };
    cancel.check()?;
    render(page)
}

/// The variant form (ticked items) → the canonical URL with `sans=`.
async fn variante_form(Snap(state, _): Snap, Path(code): Path<String>, RawQuery(raw): RawQuery) -> PageResult {
    let p = Params::page(raw.as_deref(), &["dept"], &["garder"])?;
    let dept = p.dept(&state)?.map(|d| d.to_string()).unwrap_or_default();
    let job = resolve_job(&state, &code, "code")?;
    let kept: BTreeSet<&str> = p.all("garder").iter().map(|s| s.trim()).collect();
    for k in &kept {
        if !job.items.iter().any(|l| l.ogr.to_string() == *k) {
            return Err(ApiError::bad(
                crate::error::ErrorCode::ParametreInvalide,
                "garder",
                format!("paramètre garder : « {} » n'est pas un item de {}", crate::params::short(k), job.id),
            )
            .into());
        }
    }
    if kept.is_empty() {
        return Err(ApiError::bad(crate::error::ErrorCode::ParametreInvalide, "garder", "paramètre garder : la sélection ne garde aucun item").into());
    }
    let removed: Vec<String> =
        job.items.iter().map(|l| l.ogr.to_string()).filter(|o| !kept.contains(o.as_str())).collect::<BTreeSet<_>>().into_iter().collect();
    let sans = removed.join(",");
    Ok(Redirect::to(&format!("/fiches/{}{}", path_segment(&code), query(&[("dept", &dept), ("sans", &sans)]))).into_response())
}

/// The variant as a poste file for `passerelle import postes`.
async fn variante_toml(Snap(state, _): Snap, Path(code): Path<String>, RawQuery(raw): RawQuery) -> PageResult {
    let p = Params::page(raw.as_deref(), &["sans"], &[])?;
    let job = resolve_job(&state, &code, "code")?;
    let removed = crate::variant::parse_removed(&job, p.get("sans"))?;
    let poste = variant_poste(&state, &job, &removed);
    let body = passerelle_import::postes::write_poste(&poste, &state.catalog.referential);
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/toml; charset=utf-8"));
    h.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"poste-variante.toml\""));
    Ok(res)
}

// ---------------------------------------------------------------------------
// comparison

#[derive(Template)]
#[template(path = "comparaison.html")]
struct ComparePage {
    layout: Layout,
    source_title: String,
    target_title: String,
    source_resolution: String,
    target_resolution: String,
    score: String,
    tier: String,
    riasec: String,
    axes: Vec<(String, String, String)>,
    radar_svg: String,
    narrative: Vec<String>,
    lists: Vec<GapList>,
    contextes: Vec<GapList>,
    certifications: Vec<String>,
    formations: Vec<String>,
    formations_note: String,
    dept_name: String,
    pdf_href: String,
    json_href: String,
    fiche_href: String,
    explorer_href: String,
}

pub struct GapList {
    title: String,
    items: Vec<String>,
}

fn formations_of(ctx: &serde_json::Value) -> (Vec<String>, String) {
    let listing = ctx.pointer("/metier/formations");
    let items = listing
        .and_then(|l| l.get("items"))
        .and_then(|i| i.as_array())
        .map(|a| {
            a.iter()
                .take(12)
                .filter_map(|o| {
                    let title = ["intitule", "libelle", "title"].iter().find_map(|k| o.get(*k).and_then(|v| v.as_str()))?;
                    let who = ["organisme", "lieu", "ville", "commune"]
                        .iter()
                        .find_map(|k| o.get(*k).and_then(|v| v.as_str()))
                        .map(|w| format!(" — {w}"))
                        .unwrap_or_default();
                    Some(format!("{title}{who}"))
                })
                .collect()
        })
        .unwrap_or_default();
    let note = listing.and_then(|l| l.get("note")).and_then(|n| n.as_str()).unwrap_or("").to_string();
    (items, note)
}

async fn comparaison(Snap(state, live): Snap, Path((source, target)): Path<(String, String)>, RawQuery(raw): RawQuery) -> PageResult {
    let p = Params::page(raw.as_deref(), COMPARAISON_PARAMS, &[])?;
    let key = p.cache_key(&format!("page/comparaison/{source}/{target}"));
    cached_page(state, &live, key, move |state, cancel| comparaison_page(state, &source, &target, &p, cancel)).await
}

/// The comparison page: gap, territorial context (formations), radar.
fn comparaison_page(state: &AppState, source: &str, target: &str, p: &Params, cancel: &Cancel) -> Result<String, PageError> {
    let (source, target) = (source.to_string(), target.to_string());
    let dept = p.dept(&state)?;
    let (resolved, s, g) = compute_gap(&state, &source, &target, &p)?;
    let dept_s = dept.map(|d| d.to_string()).unwrap_or_default();
    let (sseg, tseg) = (path_segment(&source), path_segment(&target));
    let sans = encode_removed(&resolved.removed());
    let axes = vec![
        ("Compétences transversales".to_string(), g.transversal.as_ref().map(|t| pct(Some(t.score))).unwrap_or_else(|| "n. d.".into()), String::new()),
        ("Savoirs".to_string(), pct(g.savoirs.score), fraction(g.savoirs.numerator, g.savoirs.denominator)),
        ("Savoir-faire".to_string(), pct(g.savoir_faire.score), fraction(g.savoir_faire.numerator, g.savoir_faire.denominator)),
        ("Contextes".to_string(), pct(g.contextes.score), fraction(g.contextes.numerator, g.contextes.denominator)),
    ];
    let mut lists = Vec::new();
    if let Some(t) = &g.transversal {
        lists.push(GapList { title: format!("Compétences transversales adaptées ({})", t.adaptees.len()), items: t.adaptees.iter().map(|s| s.to_string()).collect() });
        lists.push(GapList { title: format!("Compétences transversales plus élevées ({})", t.plus_elevees.len()), items: t.plus_elevees.iter().map(|s| s.to_string()).collect() });
        lists.push(GapList { title: format!("Compétences transversales à faire évoluer ({})", t.a_faire_evoluer.len()), items: t.a_faire_evoluer.iter().map(|s| s.to_string()).collect() });
    }
    lists.push(GapList { title: format!("Savoirs déjà acquis ({})", g.savoirs.acquis.len()), items: labels(&g.savoirs.acquis) });
    lists.push(GapList { title: format!("Savoirs à acquérir ({})", g.savoirs.a_acquerir.len()), items: labels(&g.savoirs.a_acquerir) });
    lists.push(GapList { title: format!("Savoir-faire déjà maîtrisés ({})", g.savoir_faire.acquis.len()), items: labels(&g.savoir_faire.acquis) });
    lists.push(GapList { title: format!("Savoir-faire à acquérir ({})", g.savoir_faire.a_acquerir.len()), items: labels(&g.savoir_faire.a_acquerir) });
    let ctx_list = |title: &str, groups: &[passerelle_core::engine::ContextGroup]| GapList {
        title: title.to_string(),
        items: groups.iter().map(|grp| format!("{} : {}", grp.type_label, grp.items.iter().map(|i| i.label.as_str()).collect::<Vec<_>>().join(" / "))).collect(),
    };
    let contextes = vec![ctx_list("Contextes similaires", &g.contextes.similaires), ctx_list("Contextes nouveaux", &g.contextes.nouveaux)];
    let certifications = g
        .certifications
        .communes
        .iter()
        .map(|c| format!("{} (commune aux deux métiers)", c.label))
        .chain(g.certifications.cible_seulement.iter().map(|c| format!("{} (métier cible seulement)", c.label)))
        .collect();
    let (formations, formations_note) = territory_of(&state, dept, resolved.job.fiche).map(|c| formations_of(&c)).unwrap_or_default();
    let engine = resolved.engine(&state);
    let sp = engine.index_of(&s).ok().and_then(|i| engine.profile(i).transversal.clone());
    let tp = engine.index_of(&resolved.job).ok().and_then(|i| engine.profile(i).transversal.clone());
    let (source_label, target_label) = (format!("{} (source)", g.source.title), format!("{} (cible)", g.target.title));
    let mut series = Vec::new();
    if let Some(p) = &tp {
        series.push(Series { profile: p, label: &target_label, color: "#0b4f8a" });
    }
    if let Some(p) = &sp {
        series.push(Series { profile: p, label: &source_label, color: "#b04a00" });
    }
    let radar_svg = if series.is_empty() {
        String::new()
    } else {
        let title = format!("Compétences transversales : {} et {}", g.source.title, g.target.title);
        radar_svg(&title, Scale::Level, &series)
    };
    let page = ComparePage {
        layout: Layout::of(&state),
        source_title: g.source.title.clone(),
        target_title: g.target.title.clone(),
        source_resolution: g.source.resolution.clone(),
        target_resolution: g.target.resolution.clone(),
        score: pct(g.scores.score),
        tier: g.tier_label.to_string(),
        riasec: match (&g.riasec.source, &g.riasec.target, g.riasec.label) {
            (Some(a), Some(b), Some(l)) => format!("{a} → {b} ({l})"),
            _ => "non disponible".into(),
        },
        axes,
        radar_svg,
        narrative: g.narrative.clone(),
        lists,
        contextes,
        certifications,
        formations,
        formations_note,
        dept_name: dept.and_then(|d| state.dept_name(d.as_str()).map(str::to_string)).unwrap_or_default(),
        pdf_href: format!("/api/v1/gaps/{sseg}/{tseg}/document{}", query(&[("dept", &dept_s), ("format", "pdf")])),
        json_href: format!("/api/v1/gaps/{sseg}/{tseg}{}", query(&[("dept", &dept_s), ("sans", &sans)])),
        fiche_href: format!("/fiches/{tseg}{}", query(&[("dept", &dept_s), ("sans", &sans)])),
        explorer_href: format!("/explorer/{sseg}{}", query(&[("dept", &dept_s)])),
    };
    cancel.check()?;
    render(page)
}

// ---------------------------------------------------------------------------
// explore

#[derive(Template)]
#[template(path = "explorer.html")]
struct ExplorePage {
    layout: Layout,
    title: String,
    resolution: String,
    tiers: Vec<TierGroup>,
    dept_name: String,
    shown: usize,
}

pub struct TierGroup {
    label: String,
    class: &'static str,
    domaines: Vec<DomaineGroup>,
}

pub struct DomaineGroup {
    label: String,
    rows: Vec<ExploreRow>,
}

pub struct ExploreRow {
    title: String,
    id: String,
    score: String,
    href: String,
}

async fn explorer(Snap(state, live): Snap, Path(code): Path<String>, RawQuery(raw): RawQuery) -> PageResult {
    let p = Params::page(raw.as_deref(), EXPLORER_PARAMS, &[])?;
    let key = p.cache_key(&format!("page/explorer/{code}"));
    cached_page(state, &live, key, move |state, cancel| explorer_page(state, &code, &p, cancel)).await
}

/// The explore page: targets grouped by tier, then by domaine.
fn explorer_page(state: &AppState, code: &str, p: &Params, cancel: &Cancel) -> Result<String, PageError> {
    let code = code.to_string();
    let dept = p.dept(&state)?;
    let limit = p.limit(60)?;
    let weights = p.weights()?;
    let resolved = resolve_with_variant(&state, &code, None)?;
    let r = ranking(&state, &resolved, Direction::Targets, &weights, limit)?;
    let dept_s = dept.map(|d| d.to_string()).unwrap_or_default();
    let seg = path_segment(&code);
    let referential = &state.catalog.referential;
    let mut by_tier: BTreeMap<Tier, BTreeMap<String, Vec<ExploreRow>>> = BTreeMap::new();
    for row in &r.rows {
        let dom = row.code.get(..3).unwrap_or("");
        let label = referential.domaine(dom).map(|d| format!("{dom} — {}", d.label)).unwrap_or_else(|| dom.to_string());
        by_tier.entry(row.tier).or_default().entry(label).or_default().push(ExploreRow {
            title: row.title.clone(),
            id: row.id.clone(),
            score: pct(row.score),
            href: format!("/comparaison/{seg}/{}{}", path_segment(&row.id), query(&[("dept", &dept_s)])),
        });
    }
    let tiers = by_tier
        .into_iter()
        .map(|(t, doms)| TierGroup {
            label: t.label_fr().to_string(),
            class: tier_key(t),
            domaines: doms.into_iter().map(|(label, rows)| DomaineGroup { label, rows }).collect(),
        })
        .collect();
    cancel.check()?;
    render(ExplorePage {
        layout: Layout::of(&state),
        title: resolved.job.title.clone(),
        resolution: resolved.job.resolution.clone(),
        tiers,
        dept_name: dept.and_then(|d| state.dept_name(d.as_str()).map(str::to_string)).unwrap_or_default(),
        shown: r.rows.len(),
    })
}

// ---------------------------------------------------------------------------
// method

#[derive(Template)]
#[template(path = "methode.html")]
struct MethodPage {
    layout: Layout,
    body: String,
}

async fn methode(Snap(state, _): Snap) -> PageResult {
    let body = if state.methode_markdown.is_empty() {
        "<p>La documentation de la méthode (docs/methode.md) n'a pas été chargée par ce serveur.</p>".to_string()
    } else {
        crate::markdown::to_html(&state.methode_markdown)
    };
    html(MethodPage { layout: Layout::of(&state), body })
}
