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

/// Largest poste file read, in bytes (a real profile is a few kilobytes).
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;
/// Longest `titre`, in characters (it is the title of every document).
pub const MAX_TITLE_CHARS: usize = 200;
/// Most `notes`, and longest note, in characters.
pub const MAX_NOTES: usize = 50;
pub const MAX_NOTE_CHARS: usize = 2000;
/// Longest `provenance.auteur` / `provenance.base` and `libelle`, in characters.
pub const MAX_FIELD_CHARS: usize = 500;
/// Longest `enquete` identifier.
pub const MAX_SURVEY_ID_CHARS: usize = 80;

/// A user string cut for an error message, so that a hostile 100 KB value
/// is never echoed whole.
fn short(s: &str) -> String {
    let mut t: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        t.push('…');
    }
    t
}

/// `AAAA-MM-JJ` with a real month and a day that exists in that month.
fn valid_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| s.get(r).filter(|p| p.bytes().all(|c| c.is_ascii_digit())).and_then(|p| p.parse::<u32>().ok());
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else { return false };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1900..=2999).contains(&y) && (1..=days).contains(&d)
}

/// The bounds of docs/postes.md, checked before anything is stored or rendered.
fn check_lengths(raw: &RawPoste) -> Result<(), String> {
    let chars = |s: &str| s.chars().count();
    if raw.titre.trim().is_empty() {
        return Err("champ titre : vide".into());
    }
    if chars(&raw.titre) > MAX_TITLE_CHARS {
        return Err(format!("champ titre : {} caractères, au plus {MAX_TITLE_CHARS}", chars(&raw.titre)));
    }
    if raw.notes.len() > MAX_NOTES {
        return Err(format!("champ notes : {} notes, au plus {MAX_NOTES}", raw.notes.len()));
    }
    if let Some((i, n)) = raw.notes.iter().enumerate().find(|(_, n)| chars(n) > MAX_NOTE_CHARS) {
        return Err(format!("champ notes : la note {} a {} caractères, au plus {MAX_NOTE_CHARS}", i + 1, chars(n)));
    }
    for (name, value) in [("provenance.auteur", &raw.provenance.auteur), ("provenance.base", &raw.provenance.base)] {
        if chars(value) > MAX_FIELD_CHARS {
            return Err(format!("champ {name} : {} caractères, au plus {MAX_FIELD_CHARS}", chars(value)));
        }
    }
    if let Some(l) = raw.items.iter().filter_map(|i| i.libelle.as_deref()).find(|l| chars(l) > MAX_FIELD_CHARS) {
        return Err(format!("champ libelle : {} caractères, au plus {MAX_FIELD_CHARS}", chars(l)));
    }
    if !valid_date(&raw.provenance.date) {
        return Err(format!("champ provenance.date : « {} » n'est pas une date AAAA-MM-JJ", short(&raw.provenance.date)));
    }
    if let Some(e) = &raw.enquete {
        let ok = !e.is_empty()
            && chars(e) <= MAX_SURVEY_ID_CHARS
            && e.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !ok {
            return Err(format!(
                "champ enquete : identifiant « {} » invalide (lettres, chiffres, tirets, {MAX_SURVEY_ID_CHARS} caractères au plus)",
                short(e)
            ));
        }
    }
    Ok(())
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
    let io = |source| PostesError::Io { file: file.clone(), source };
    let size = std::fs::metadata(path).map_err(io)?.len();
    if size > MAX_FILE_BYTES {
        return Err(PostesError::File {
            file,
            message: format!("{size} octets : un profil de poste fait au plus {MAX_FILE_BYTES} octets"),
        });
    }
    let bytes = std::fs::read(path).map_err(io)?;
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
        return Err(at(
            raw.slug.span().start,
            format!("slug « {} » invalide : lettres minuscules sans accent, chiffres et tirets, 80 caractères au plus", short(&slug)),
        ));
    }
    check_lengths(&raw).map_err(|message| PostesError::File { file: file.into(), message })?;
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
