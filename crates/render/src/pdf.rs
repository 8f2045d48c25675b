//! PDF rendering through typst (placeholder until the layout lands).

use crate::document::{FichePasserelle, Parcours};

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("PDF : {0}")]
    Typst(String),
}

pub fn fiche(_d: &FichePasserelle) -> Result<Vec<u8>, PdfError> {
    Err(PdfError::Typst("pas encore disponible".into()))
}

pub fn parcours(_d: &Parcours) -> Result<Vec<u8>, PdfError> {
    Err(PdfError::Typst("pas encore disponible".into()))
}
