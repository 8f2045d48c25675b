//! The one dispatch from a document format to its content type, file
//! extension and renderer, shared by the CLI (`--format`) and the server
//! (`?format=`), so that a format is added in one place.

use std::fmt;
use std::str::FromStr;

use passerelle_core::DeptCode;
use serde::Serialize;

use crate::document::{FichePasserelle, Parcours};

/// File name stem of a fiche passerelle: `fiche-passerelle-J1303-34` (the
/// département last, so that files of several départements do not collide).
/// One rule for the CLI's default output and the server's
/// Content-Disposition.
pub fn fiche_file_stem(job_id: &str, dept: Option<DeptCode>) -> String {
    with_dept(format!("fiche-passerelle-{}", safe_stem(job_id)), dept)
}

/// File name stem of a parcours: `parcours-M1609-200145-34`.
pub fn parcours_file_stem(source_id: &str, target_id: &str, dept: Option<DeptCode>) -> String {
    with_dept(
        format!("parcours-{}-{}", safe_stem(source_id), safe_stem(target_id)),
        dept,
    )
}

fn with_dept(stem: String, dept: Option<DeptCode>) -> String {
    match dept {
        Some(d) => format!("{stem}-{d}"),
        None => stem,
    }
}

/// An id as a file name part: ASCII letters, digits and `-` only
/// (`poste:assistant-medical` → `poste-assistant-medical`).
fn safe_stem(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// Output format of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocFormat {
    /// The model's serialisation (docs/json.md).
    Json,
    /// One self-contained page (CSS inline, no script).
    Html,
    Markdown,
    Pdf,
}

/// A format name that is none of [`DocFormat::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("format inconnu « {0} » (attendu json, html, md ou pdf)")]
pub struct UnknownFormat(pub String);

impl DocFormat {
    /// Every format, in the order of the help texts.
    pub const ALL: [DocFormat; 4] = [
        DocFormat::Json,
        DocFormat::Html,
        DocFormat::Markdown,
        DocFormat::Pdf,
    ];

    /// The name users type (`--format md`, `?format=pdf`).
    pub fn name(self) -> &'static str {
        match self {
            DocFormat::Json => "json",
            DocFormat::Html => "html",
            DocFormat::Markdown => "md",
            DocFormat::Pdf => "pdf",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            DocFormat::Json => "application/json",
            DocFormat::Html => "text/html; charset=utf-8",
            DocFormat::Markdown => "text/markdown; charset=utf-8",
            DocFormat::Pdf => "application/pdf",
        }
    }

    /// File extension, without the dot.
    pub fn extension(self) -> &'static str {
        self.name()
    }

    /// Bytes that a terminal should not receive.
    pub fn is_binary(self) -> bool {
        self == DocFormat::Pdf
    }
}

impl fmt::Display for DocFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for DocFormat {
    type Err = UnknownFormat;

    fn from_str(s: &str) -> Result<DocFormat, UnknownFormat> {
        DocFormat::ALL
            .into_iter()
            .find(|f| f.name() == s)
            .ok_or_else(|| UnknownFormat(s.to_string()))
    }
}

/// A rendered document.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub bytes: Vec<u8>,
    /// `sha256-…` sources of the inline `<style>` blocks of an HTML
    /// document, for its Content-Security-Policy (empty for other formats).
    pub style_hashes: Vec<String>,
}

/// Errors of a renderer.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error(transparent)]
    Pdf(#[from] crate::pdf::PdfError),
    #[error("sérialisation JSON du document : {0}")]
    Json(#[from] serde_json::Error),
    #[error("gabarit du document : {0}")]
    Template(#[from] askama::Error),
}

/// The fiche passerelle in `format`.
pub fn render_fiche(doc: &FichePasserelle, format: DocFormat) -> Result<Rendered, RenderError> {
    Ok(match format {
        DocFormat::Json => json(doc)?,
        DocFormat::Html => html(crate::html::fiche(doc)?),
        DocFormat::Markdown => text(crate::markdown::fiche(doc)?),
        DocFormat::Pdf => bytes(crate::pdf::fiche(doc)?),
    })
}

/// The parcours de mobilité in `format`.
pub fn render_parcours(doc: &Parcours, format: DocFormat) -> Result<Rendered, RenderError> {
    Ok(match format {
        DocFormat::Json => json(doc)?,
        DocFormat::Html => html(crate::html::parcours(doc)?),
        DocFormat::Markdown => text(crate::markdown::parcours(doc)?),
        DocFormat::Pdf => bytes(crate::pdf::parcours(doc)?),
    })
}

/// Pretty JSON ending with a newline, as files and terminals expect.
fn json(doc: &impl Serialize) -> Result<Rendered, RenderError> {
    let mut v = serde_json::to_vec_pretty(doc)?;
    v.push(b'\n');
    Ok(bytes(v))
}

fn html(page: String) -> Rendered {
    Rendered {
        bytes: page.into_bytes(),
        style_hashes: vec![crate::html::css_csp_source()],
    }
}

fn text(s: String) -> Rendered {
    bytes(s.into_bytes())
}

fn bytes(bytes: Vec<u8>) -> Rendered {
    Rendered {
        bytes,
        style_hashes: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_stems_carry_the_departement() {
        let d = DeptCode::parse("34").ok();
        assert_eq!(fiche_file_stem("J1303", d), "fiche-passerelle-J1303-34");
        assert_eq!(
            parcours_file_stem("M1609", "200145", d),
            "parcours-M1609-200145-34"
        );
        assert_eq!(
            fiche_file_stem("poste:assistant-medical", None),
            "fiche-passerelle-poste-assistant-medical"
        );
    }

    #[test]
    fn names_round_trip_and_unknown_lists_the_accepted_values() {
        for f in DocFormat::ALL {
            assert_eq!(f.name().parse::<DocFormat>(), Ok(f));
            assert_eq!(f.extension(), f.to_string());
        }
        let e = "docx".parse::<DocFormat>().unwrap_err().to_string();
        assert_eq!(e, "format inconnu « docx » (attendu json, html, md ou pdf)");
        assert!(!e.contains('\n'));
        assert_eq!(
            DocFormat::Markdown.content_type(),
            "text/markdown; charset=utf-8"
        );
    }
}
