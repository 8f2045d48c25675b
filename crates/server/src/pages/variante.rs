//! A variant of a job (some items unticked): the form that turns ticked
//! boxes into the canonical `sans=` URL, and its download as a poste file.

use std::collections::BTreeSet;

use axum::extract::RawQuery;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect};

use super::{PageResult, path_segment, query};
use crate::error::{ApiError, ErrorCode};
use crate::live::Snap;
use crate::params::{JobPath, Params, short};
use passerelle_app::{parse_removed, variant_poste};

/// The variant form (ticked items) → the canonical URL with `sans=`.
pub(super) async fn variante_form(
    Snap(state, _): Snap,
    JobPath(code): JobPath,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let p = Params::page(raw.as_deref(), &["dept"], &["garder"])?;
    let dept = p.dept(&state)?.map(|d| d.to_string()).unwrap_or_default();
    let job = passerelle_app::resolve_ref(&state.catalog, &code, "code")?;
    let kept: BTreeSet<&str> = p.all("garder").iter().map(|s| s.trim()).collect();
    for k in &kept {
        if !job.items.iter().any(|l| l.ogr.to_string() == *k) {
            return Err(ApiError::bad(
                ErrorCode::ParametreInvalide,
                "garder",
                format!(
                    "paramètre garder : « {} » n'est pas un item de « {} »",
                    short(k),
                    job.title
                ),
            )
            .into());
        }
    }
    if kept.is_empty() {
        return Err(ApiError::bad(
            ErrorCode::ParametreInvalide,
            "garder",
            "paramètre garder : la sélection ne garde aucun item",
        )
        .into());
    }
    let removed: Vec<String> = job
        .items
        .iter()
        .map(|l| l.ogr.to_string())
        .filter(|o| !kept.contains(o.as_str()))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let sans = removed.join(",");
    Ok(Redirect::to(&format!(
        "/fiches/{}{}",
        path_segment(&code.to_string()),
        query(&[("dept", &dept), ("sans", &sans)])
    ))
    .into_response())
}

/// The variant as a poste file for `passerelle import postes`.
pub(super) async fn variante_toml(
    Snap(state, _): Snap,
    JobPath(code): JobPath,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let p = Params::page(raw.as_deref(), &["sans"], &[])?;
    let job = passerelle_app::resolve_ref(&state.catalog, &code, "code")?;
    let removed = parse_removed(&job, p.get("sans"))?;
    let poste = variant_poste(&state.catalog, &job, &removed, state.today());
    let body = passerelle_core::poste::toml::write_poste(&poste, &state.catalog.referential);
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/toml; charset=utf-8"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"poste-variante.toml\""),
    );
    Ok(res)
}
