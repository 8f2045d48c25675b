//! PDF rendering with typst used as a library: A4, French hyphenation,
//! page numbers, tables that break across pages (with repeated headers),
//! the radar as a vector image, DejaVu Sans embedded.
//!
//! The document model and the wording ([`crate::wording`]) go to the typst
//! templates as JSON through `sys.inputs`, never spliced into markup: no
//! escaping to get wrong, and no label written in the templates.

use std::sync::OnceLock;

use typst::foundations::{Dict, IntoValue};
use typst_as_lib::{TypstEngine, TypstTemplateMainFile};
use typst_layout::PagedDocument;

use crate::document::{FichePasserelle, Parcours};
use crate::wording::{WORDING, Wording};

static FONTS: [&[u8]; 3] = [
    include_bytes!("../fonts/DejaVuSans.ttf"),
    include_bytes!("../fonts/DejaVuSans-Bold.ttf"),
    include_bytes!("../fonts/DejaVuSans-Oblique.ttf"),
];
const COMMON: &str = include_str!("../templates/common.typ");
const FICHE: &str = include_str!("../templates/fiche.typ");
const PARCOURS: &str = include_str!("../templates/parcours.typ");

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("mise en page PDF impossible : {0}")]
    Typst(String),
    #[error("sérialisation du document : {0}")]
    Json(#[from] serde_json::Error),
}

type Engine = TypstEngine<TypstTemplateMainFile>;

fn engine(main: &'static str, cell: &'static OnceLock<Engine>) -> &'static Engine {
    cell.get_or_init(|| {
        TypstEngine::builder()
            .main_file(main)
            .fonts(FONTS)
            .with_static_source_file_resolver([("common.typ", COMMON)])
            .build()
    })
}

fn layout(
    engine: &Engine,
    data: String,
    radar: String,
    w: &Wording,
) -> Result<PagedDocument, PdfError> {
    let mut inputs = Dict::new();
    inputs.insert("data".into(), data.into_value());
    inputs.insert("radar".into(), radar.into_value());
    inputs.insert("wording".into(), serde_json::to_string(w)?.into_value());
    engine
        .compile_with_input(inputs)
        .output
        .map_err(|e| PdfError::Typst(format!("{e:?}")))
}

fn pdf(doc: &PagedDocument) -> Result<Vec<u8>, PdfError> {
    typst_pdf::pdf(doc, &typst_pdf::PdfOptions::default())
        .map_err(|e| PdfError::Typst(format!("{e:?}")))
}

/// The fiche passerelle as PDF bytes.
pub fn fiche(d: &FichePasserelle) -> Result<Vec<u8>, PdfError> {
    pdf(&fiche_layout(d, &WORDING)?)
}

/// The fiche passerelle laid out in pages, with the wording `w`.
pub(crate) fn fiche_layout(d: &FichePasserelle, w: &Wording) -> Result<PagedDocument, PdfError> {
    static CELL: OnceLock<Engine> = OnceLock::new();
    let radar = d
        .profil_transversal
        .as_ref()
        .map(|p| p.radar.to_string())
        .unwrap_or_default();
    layout(engine(FICHE, &CELL), fiche_data(d)?, radar, w)
}

/// The model as the template reads it: the gap analyses without their
/// item-by-item explanations (the JSON output keeps them; the PDF does not
/// print them, and parsing them costs typst time).
fn fiche_data(d: &FichePasserelle) -> Result<String, PdfError> {
    let mut v = serde_json::to_value(d)?;
    if let Some(ecarts) = v.get_mut("ecarts").and_then(|e| e.as_array_mut()) {
        for g in ecarts {
            for axis in ["savoirs", "savoir_faire", "contextes", "transversal"] {
                if let Some(o) = g.get_mut(axis).and_then(|a| a.as_object_mut()) {
                    o.remove("explanation");
                    o.remove("ranking");
                    o.remove("detail");
                }
            }
        }
    }
    Ok(serde_json::to_string(&v)?)
}

/// The parcours de mobilité as PDF bytes.
pub fn parcours(d: &Parcours) -> Result<Vec<u8>, PdfError> {
    pdf(&parcours_layout(d, &WORDING)?)
}

/// The parcours de mobilité laid out in pages, with the wording `w`.
pub(crate) fn parcours_layout(d: &Parcours, w: &Wording) -> Result<PagedDocument, PdfError> {
    static CELL: OnceLock<Engine> = OnceLock::new();
    layout(
        engine(PARCOURS, &CELL),
        serde_json::to_string(d)?,
        String::new(),
        w,
    )
}
