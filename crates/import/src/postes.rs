//! Job-title profile files ("postes"): a documented, human-editable TOML
//! format (docs/postes.md), read by `passerelle import postes` and written
//! back by `passerelle export poste`.
//!
//! ```toml
//! slug = "assistant-medical"
//! titre = "Assistant médical / Assistante médicale"
//! fiche = "J1303"
//! appellation = 200145
//! version_rome = 60
//! enquete = "afpa-aveyron-assistant-medical"
//! notes = ["…"]
//!
//! [provenance]
//! auteur = "Équipe Passerelle"
//! date = "2026-11-23"
//! base = "Fiche passerelle AFPA (Hérault)"
//!
//! [[items]]
//! ogr = 107361
//! libelle = "Terminologie médicale"
//! ```

use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use passerelle_core::{OgrCode, Poste, PosteProvenance, Referential, RomeCode};

#[derive(Debug, thiserror::Error)]
pub enum PostesError {
    #[error("{file} : lecture impossible : {source}")]
    Io { file: String, source: std::io::Error },
    #[error("{file} : le fichier n'est pas en UTF-8")]
    Encoding { file: String },
    #[error("{file}, ligne {line} : {message}")]
    At { file: String, line: usize, message: String },
    #[error("{file} : {message}")]
    File { file: String, message: String },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPoste {
    slug: Spanned<String>,
    titre: String,
    fiche: Spanned<String>,
    appellation: Option<Spanned<u32>>,
    version_rome: u32,
    enquete: Option<String>,
    #[serde(default)]
    notes: Vec<String>,
    provenance: RawProvenance,
    #[serde(default)]
    items: Vec<RawItem>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProvenance {
    auteur: String,
    date: String,
    base: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    ogr: Spanned<u32>,
    #[serde(default)]
    libelle: Option<String>,
    #[serde(default)]
    extra: bool,
}

/// A poste read from a file, with the item labels it recorded (for the
/// re-import check).
#[derive(Debug, Clone)]
pub struct PosteFile {
    pub poste: Poste,
    pub labels: Vec<(OgrCode, String)>,
}

/// Reads and validates one poste file against the referential.
pub fn read_poste(path: &Path, referential: &Referential) -> Result<PosteFile, PostesError> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| PostesError::Io { file: file.clone(), source })?;
    let text = String::from_utf8(bytes).map_err(|_| PostesError::Encoding { file: file.clone() })?;
    parse_poste(&file, &text, referential)
}

/// The TOML parser's messages are English; the common ones about the
/// structure of the file are said again in French (syntax errors keep the
/// parser's wording behind a French prefix).
fn french(message: &str) -> String {
    let message = message.trim();
    let ticked = |s: &str| s.split('`').nth(1).map(str::to_string);
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let name = ticked(rest).unwrap_or_default();
        let allowed: Vec<&str> = rest.split("expected").nth(1).unwrap_or("").split('`').skip(1).step_by(2).collect();
        return format!("champ inconnu « {name} » (champs permis : {})", allowed.join(", "));
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        return format!("champ obligatoire « {} » manquant", ticked(rest).unwrap_or_default());
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        return format!("valeur de type inattendu ({rest})");
    }
    format!("syntaxe TOML invalide : {message}")
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].bytes().filter(|&b| b == b'\n').count() + 1
}

/// [`read_poste`] on text in memory; `file` names it in errors.
pub fn parse_poste(file: &str, text: &str, referential: &Referential) -> Result<PosteFile, PostesError> {
    let at = |offset: usize, message: String| PostesError::At { file: file.into(), line: line_of(text, offset), message };
    let raw: RawPoste = toml::from_str(text).map_err(|e| match e.span() {
        Some(span) => at(span.start, french(e.message())),
        None => PostesError::File { file: file.into(), message: french(e.message()) },
    })?;
    let slug = raw.slug.get_ref().clone();
    if !passerelle_core::poste::valid_slug(&slug) {
        return Err(at(raw.slug.span().start, format!("slug « {slug} » invalide : lettres minuscules sans accent, chiffres et tirets")));
    }
    let base = RomeCode::parse(raw.fiche.get_ref())
        .map_err(|e| at(raw.fiche.span().start, format!("champ fiche : {e}")))?;
    if referential.fiche(base).is_none() {
        return Err(at(raw.fiche.span().start, format!("fiche de base inconnue : {base}")));
    }
    let appellation = match &raw.appellation {
        None => None,
        Some(a) => {
            let ogr = OgrCode::new(*a.get_ref());
            let app = referential
                .appellation(ogr)
                .ok_or_else(|| at(a.span().start, format!("appellation {ogr} inconnue")))?;
            if app.rome != base {
                return Err(at(a.span().start, format!("appellation {ogr} : elle appartient à la fiche {}, pas à {base}", app.rome)));
            }
            Some(ogr)
        }
    };
    if raw.items.is_empty() {
        return Err(PostesError::File { file: file.into(), message: "sélection vide : ajoutez au moins un [[items]]".into() });
    }
    let mut retained = Vec::new();
    let mut extra = Vec::new();
    for item in &raw.items {
        let ogr = OgrCode::new(*item.ogr.get_ref());
        retained.push(ogr);
        if item.extra {
            extra.push(ogr);
        }
    }
    // Validate item by item so that the error names the item's line.
    for item in &raw.items {
        let ogr = OgrCode::new(*item.ogr.get_ref());
        let one = [ogr];
        if let Err(e) = Poste::select_items(referential, base, &one, &extra) {
            return Err(at(item.ogr.span().start, e.to_string()));
        }
    }
    let items = Poste::select_items(referential, base, &retained, &extra).map_err(|e| {
        let line = raw.items.iter().rev().find(|i| e.to_string().contains(&i.ogr.get_ref().to_string()));
        match line {
            Some(i) => at(i.ogr.span().start, e.to_string()),
            None => PostesError::File { file: file.into(), message: e.to_string() },
        }
    })?;
    // The labels the file recorded (else the current ones): a later ROME
    // version is checked against them.
    let labels = raw
        .items
        .iter()
        .map(|i| {
            let ogr = OgrCode::new(*i.ogr.get_ref());
            let current = referential.item(ogr).map(|it| it.label().to_string()).unwrap_or_default();
            (ogr, i.libelle.clone().unwrap_or(current))
        })
        .collect();
    let poste = Poste {
        slug,
        title: raw.titre,
        base,
        appellation,
        items,
        extra,
        provenance: PosteProvenance { author: raw.provenance.auteur, date: raw.provenance.date, basis: raw.provenance.base },
        rome_version: raw.version_rome,
        survey: raw.enquete,
        notes: raw.notes,
    };
    Ok(PosteFile { poste, labels })
}

fn quote(s: &str) -> String {
    // TOML basic string: escape backslash, quote and control characters.
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Writes a poste in the documented format, each item with its label so a
/// counsellor can read and edit the file.
pub fn write_poste(poste: &Poste, referential: &Referential) -> String {
    let mut s = String::from("# Profil de poste Passerelle — format décrit dans docs/postes.md\n");
    s.push_str(&format!("slug = {}\n", quote(&poste.slug)));
    s.push_str(&format!("titre = {}\n", quote(&poste.title)));
    s.push_str(&format!("fiche = {}\n", quote(poste.base.as_str())));
    if let Some(a) = poste.appellation {
        s.push_str(&format!("appellation = {a}\n"));
    }
    s.push_str(&format!("version_rome = {}\n", poste.rome_version));
    if let Some(e) = &poste.survey {
        s.push_str(&format!("enquete = {}\n", quote(e)));
    }
    if !poste.notes.is_empty() {
        s.push_str("notes = [\n");
        for n in &poste.notes {
            s.push_str(&format!("    {},\n", quote(n)));
        }
        s.push_str("]\n");
    }
    s.push_str("\n[provenance]\n");
    s.push_str(&format!("auteur = {}\n", quote(&poste.provenance.author)));
    s.push_str(&format!("date = {}\n", quote(&poste.provenance.date)));
    s.push_str(&format!("base = {}\n", quote(&poste.provenance.basis)));
    for link in &poste.items {
        s.push_str("\n[[items]]\n");
        s.push_str(&format!("ogr = {}\n", link.ogr));
        let label = referential.item(link.ogr).map(|i| i.label().to_string()).unwrap_or_default();
        s.push_str(&format!("libelle = {}  # {}\n", quote(&label), link.kind.label_fr()));
        if poste.extra.contains(&link.ogr) {
            s.push_str("extra = true\n");
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::french;

    #[test]
    fn parser_messages_are_said_in_french() {
        assert_eq!(
            french("unknown field `couleur`, expected one of `ogr`, `libelle`, `extra`"),
            "champ inconnu « couleur » (champs permis : ogr, libelle, extra)"
        );
        assert_eq!(french("missing field `titre`"), "champ obligatoire « titre » manquant");
        assert!(french("invalid type: string \"a\", expected u32").starts_with("valeur de type inattendu"));
        assert!(french("expected `=`").starts_with("syntaxe TOML invalide"));
    }
}
