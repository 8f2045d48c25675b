//! The poste file format (docs/postes.md): TOML text ↔ [`Poste`], pure, so
//! that the CLI import and export and the server's download share it without
//! the file readers. `passerelle-import` reads the file (size cap, UTF-8).
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
//!
//! Errors name the file, the line and the field in French. The structure
//! (unknown and missing fields) is checked on the parsed document with its
//! spans ([`check_fields`]) before the typed read, so no parser message is
//! translated by matching its English text.

use ::toml::Spanned;
use ::toml::de::{DeTable, DeValue};
use serde::Deserialize;
use serde::de::IntoDeserializer;

use super::{Poste, PosteProvenance};
use crate::codes::{OgrCode, RomeCode};
use crate::referential::Referential;

/// Why a poste file's text was refused; every message is one French line.
#[derive(Debug, thiserror::Error)]
pub enum PosteTomlError {
    #[error("{file}, ligne {line} : {message}")]
    At {
        file: String,
        line: usize,
        message: String,
    },
    #[error("{file} : {message}")]
    File { file: String, message: String },
}

#[derive(Deserialize)]
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
struct RawProvenance {
    auteur: String,
    date: String,
    base: String,
}

#[derive(Deserialize)]
struct RawItem {
    ogr: Spanned<u32>,
    #[serde(default)]
    libelle: Option<String>,
    #[serde(default)]
    extra: bool,
}

/// The fields a table of the format may hold, in the documented order, and
/// those it must hold (the typed structs above say the same; a test checks it).
struct Fields {
    allowed: &'static [&'static str],
    required: &'static [&'static str],
}

const ROOT_FIELDS: Fields = Fields {
    allowed: &[
        "slug",
        "titre",
        "fiche",
        "appellation",
        "version_rome",
        "enquete",
        "notes",
        "provenance",
        "items",
    ],
    required: &["slug", "titre", "fiche", "version_rome", "provenance"],
};
const PROVENANCE_FIELDS: Fields = Fields {
    allowed: &["auteur", "date", "base"],
    required: &["auteur", "date", "base"],
};
const ITEM_FIELDS: Fields = Fields {
    allowed: &["ogr", "libelle", "extra"],
    required: &["ogr"],
};

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
    let num = |r: std::ops::Range<usize>| {
        s.get(r)
            .filter(|p| p.bytes().all(|c| c.is_ascii_digit()))
            .and_then(|p| p.parse::<u32>().ok())
    };
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    // The shape is checked above because jiff's parser also takes datetimes
    // and signed years; whether the day exists in the month is jiff's call.
    (1900..=2999).contains(&y) && jiff::civil::Date::new(y as i16, m as i8, d as i8).is_ok()
}

/// The bounds of docs/postes.md, checked before anything is stored or rendered.
fn check_lengths(raw: &RawPoste) -> Result<(), String> {
    let chars = |s: &str| s.chars().count();
    if raw.titre.trim().is_empty() {
        return Err("champ titre : vide".into());
    }
    if chars(&raw.titre) > MAX_TITLE_CHARS {
        return Err(format!(
            "champ titre : {} caractères, au plus {MAX_TITLE_CHARS}",
            chars(&raw.titre)
        ));
    }
    if raw.notes.len() > MAX_NOTES {
        return Err(format!(
            "champ notes : {} notes, au plus {MAX_NOTES}",
            raw.notes.len()
        ));
    }
    if let Some((i, n)) = raw
        .notes
        .iter()
        .enumerate()
        .find(|(_, n)| chars(n) > MAX_NOTE_CHARS)
    {
        return Err(format!(
            "champ notes : la note {} a {} caractères, au plus {MAX_NOTE_CHARS}",
            i + 1,
            chars(n)
        ));
    }
    for (name, value) in [
        ("provenance.auteur", &raw.provenance.auteur),
        ("provenance.base", &raw.provenance.base),
    ] {
        if chars(value) > MAX_FIELD_CHARS {
            return Err(format!(
                "champ {name} : {} caractères, au plus {MAX_FIELD_CHARS}",
                chars(value)
            ));
        }
    }
    if let Some(l) = raw
        .items
        .iter()
        .filter_map(|i| i.libelle.as_deref())
        .find(|l| chars(l) > MAX_FIELD_CHARS)
    {
        return Err(format!(
            "champ libelle : {} caractères, au plus {MAX_FIELD_CHARS}",
            chars(l)
        ));
    }
    if !valid_date(&raw.provenance.date) {
        return Err(format!(
            "champ provenance.date : « {} » n'est pas une date AAAA-MM-JJ",
            short(&raw.provenance.date)
        ));
    }
    if let Some(e) = &raw.enquete {
        let ok = !e.is_empty()
            && chars(e) <= MAX_SURVEY_ID_CHARS
            && e.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !ok {
            return Err(format!(
                "champ enquete : identifiant « {} » invalide (lettres, chiffres, tirets, {MAX_SURVEY_ID_CHARS} caractères au plus)",
                short(e)
            ));
        }
    }
    Ok(())
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())]
        .bytes()
        .filter(|&b| b == b'\n')
        .count()
        + 1
}

/// A structure error at a byte offset of the text.
struct Misplaced {
    offset: usize,
    message: String,
}

/// Unknown and missing fields of one table; `span` is the table's, where a
/// missing field is reported.
fn check_table(table: &DeTable<'_>, span: usize, fields: &Fields) -> Result<(), Misplaced> {
    if let Some(key) = table
        .keys()
        .find(|k| !fields.allowed.contains(&k.get_ref().as_ref()))
    {
        return Err(Misplaced {
            offset: key.span().start,
            message: format!(
                "champ inconnu « {} » (champs permis : {})",
                key.get_ref(),
                fields.allowed.join(", ")
            ),
        });
    }
    match fields
        .required
        .iter()
        .find(|name| !table.keys().any(|k| k.get_ref() == **name))
    {
        Some(name) => Err(Misplaced {
            offset: span,
            message: format!("champ obligatoire « {name} » manquant"),
        }),
        None => Ok(()),
    }
}

/// The structure of the whole document: root, `[provenance]`, each `[[items]]`.
/// A value of the wrong kind (a string for `[provenance]`…) is left to the typed read.
fn check_fields(doc: &Spanned<DeTable<'_>>) -> Result<(), Misplaced> {
    check_table(doc.get_ref(), doc.span().start, &ROOT_FIELDS)?;
    for (key, value) in doc.get_ref() {
        match (key.get_ref().as_ref(), value.get_ref()) {
            ("provenance", DeValue::Table(t)) => {
                check_table(t, value.span().start, &PROVENANCE_FIELDS)?
            }
            ("items", DeValue::Array(items)) => {
                for item in items {
                    if let DeValue::Table(t) = item.get_ref() {
                        check_table(t, item.span().start, &ITEM_FIELDS)?;
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// The field whose value holds `offset`: `provenance.date`, or an item's own
/// field name (`ogr`) since the line already says which item. Tables are
/// searched whole: the span of an array of tables need not cover its items.
fn field_at(table: &DeTable<'_>, offset: usize) -> Option<String> {
    table.iter().find_map(|(key, value)| match value.get_ref() {
        DeValue::Table(t) => field_at(t, offset).map(|f| format!("{}.{f}", key.get_ref())),
        DeValue::Array(items)
            if items
                .iter()
                .any(|i| matches!(i.get_ref(), DeValue::Table(_))) =>
        {
            items.iter().find_map(|i| match i.get_ref() {
                DeValue::Table(t) => field_at(t, offset),
                _ => None,
            })
        }
        _ => value
            .span()
            .contains(&offset)
            .then(|| key.get_ref().to_string()),
    })
}

/// Reads the raw document: syntax, then structure, then types.
fn read_raw(file: &str, text: &str) -> Result<RawPoste, PosteTomlError> {
    let at = |offset: usize, message: String| PosteTomlError::At {
        file: file.into(),
        line: line_of(text, offset),
        message,
    };
    let syntax = |e: ::toml::de::Error| {
        let message = format!("syntaxe TOML invalide : {}", e.message().trim());
        match e.span() {
            Some(span) => at(span.start, message),
            None => PosteTomlError::File {
                file: file.into(),
                message,
            },
        }
    };
    let doc = DeTable::parse(text).map_err(syntax)?;
    check_fields(&doc).map_err(|m| at(m.offset, m.message))?;
    let fields = doc.get_ref().clone();
    RawPoste::deserialize(doc.into_deserializer()).map_err(|e| {
        let detail = e.message().trim().to_string();
        match e.span() {
            Some(span) => {
                let field = field_at(&fields, span.start).unwrap_or_default();
                at(
                    span.start,
                    format!("champ {field} : valeur invalide ({detail})"),
                )
            }
            None => PosteTomlError::File {
                file: file.into(),
                message: format!("valeur invalide ({detail})"),
            },
        }
    })
}

/// A poste read from a file, with the item labels it recorded (for the
/// re-import check).
#[derive(Debug, Clone)]
pub struct PosteFile {
    pub poste: Poste,
    pub labels: Vec<(OgrCode, String)>,
}

/// Reads and validates the text of one poste file against the referential;
/// `file` names it in errors.
pub fn parse_poste(
    file: &str,
    text: &str,
    referential: &Referential,
) -> Result<PosteFile, PosteTomlError> {
    let at = |offset: usize, message: String| PosteTomlError::At {
        file: file.into(),
        line: line_of(text, offset),
        message,
    };
    let raw = read_raw(file, text)?;
    let slug = raw.slug.get_ref().clone();
    if !super::valid_slug(&slug) {
        return Err(at(
            raw.slug.span().start,
            format!(
                "slug « {} » invalide : lettres minuscules sans accent, chiffres et tirets, 80 caractères au plus",
                short(&slug)
            ),
        ));
    }
    check_lengths(&raw).map_err(|message| PosteTomlError::File {
        file: file.into(),
        message,
    })?;
    let base = RomeCode::parse(raw.fiche.get_ref())
        .map_err(|e| at(raw.fiche.span().start, format!("champ fiche : {e}")))?;
    if referential.fiche(base).is_none() {
        return Err(at(
            raw.fiche.span().start,
            format!("fiche de base inconnue : {base}"),
        ));
    }
    let appellation = match &raw.appellation {
        None => None,
        Some(a) => {
            let ogr = OgrCode::new(*a.get_ref());
            let app = referential
                .appellation(ogr)
                .ok_or_else(|| at(a.span().start, format!("appellation {ogr} inconnue")))?;
            if app.rome != base {
                return Err(at(
                    a.span().start,
                    format!(
                        "appellation {ogr} : elle appartient à la fiche {}, pas à {base}",
                        app.rome
                    ),
                ));
            }
            Some(ogr)
        }
    };
    if raw.items.is_empty() {
        return Err(PosteTomlError::File {
            file: file.into(),
            message: "sélection vide : ajoutez au moins un [[items]]".into(),
        });
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
        let line = raw
            .items
            .iter()
            .rev()
            .find(|i| e.to_string().contains(&i.ogr.get_ref().to_string()));
        match line {
            Some(i) => at(i.ogr.span().start, e.to_string()),
            None => PosteTomlError::File {
                file: file.into(),
                message: e.to_string(),
            },
        }
    })?;
    // The labels the file recorded (else the current ones): a later ROME
    // version is checked against them.
    let labels = raw
        .items
        .iter()
        .map(|i| {
            let ogr = OgrCode::new(*i.ogr.get_ref());
            let current = referential
                .item(ogr)
                .map(|it| it.label().to_string())
                .unwrap_or_default();
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
        provenance: PosteProvenance {
            author: raw.provenance.auteur,
            date: raw.provenance.date,
            basis: raw.provenance.base,
        },
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
        let label = referential
            .item(link.ogr)
            .map(|i| i.label().to_string())
            .unwrap_or_default();
        s.push_str(&format!(
            "libelle = {}  # {}\n",
            quote(&label),
            link.kind.label_fr()
        ));
        if poste.extra.contains(&link.ogr) {
            s.push_str("extra = true\n");
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw_err(text: &str) -> String {
        read_raw("p.toml", text)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    }

    const HEAD: &str = "slug = \"a\"\ntitre = \"A\"\nfiche = \"J1303\"\nversion_rome = 60\n";
    const PROVENANCE: &str = "[provenance]\nauteur = \"x\"\ndate = \"2026-11-23\"\nbase = \"y\"\n";

    #[test]
    fn structure_errors_name_the_field_and_line_in_french() {
        let unknown = format!("{HEAD}{PROVENANCE}[[items]]\nogr = 1\ncouleur = \"bleu\"\n");
        assert_eq!(
            raw_err(&unknown),
            "p.toml, ligne 11 : champ inconnu « couleur » (champs permis : ogr, libelle, extra)"
        );
        let missing = format!("slug = \"a\"\nfiche = \"J1303\"\nversion_rome = 60\n{PROVENANCE}");
        assert_eq!(
            raw_err(&missing),
            "p.toml, ligne 1 : champ obligatoire « titre » manquant"
        );
        let no_author = format!("{HEAD}[provenance]\ndate = \"2026-11-23\"\nbase = \"y\"\n");
        assert!(
            raw_err(&no_author).contains("champ obligatoire « auteur » manquant"),
            "{}",
            raw_err(&no_author)
        );
        let bad_type = format!("{HEAD}{PROVENANCE}[[items]]\nogr = \"a\"\n");
        assert!(
            raw_err(&bad_type).starts_with("p.toml, ligne 10 : champ ogr : valeur invalide ("),
            "{}",
            raw_err(&bad_type)
        );
        let bad_date = format!("{HEAD}[provenance]\nauteur = \"x\"\ndate = 3\nbase = \"y\"\n");
        assert!(
            raw_err(&bad_date)
                .starts_with("p.toml, ligne 7 : champ provenance.date : valeur invalide"),
            "{}",
            raw_err(&bad_date)
        );
        assert!(raw_err("slug = ").starts_with("p.toml, ligne 1 : syntaxe TOML invalide"));
    }

    #[test]
    fn dates_exist_in_their_month() {
        for ok in ["2026-11-23", "2024-02-29", "2000-02-29", "1900-01-01"] {
            assert!(valid_date(ok), "{ok}");
        }
        for bad in [
            "2026-02-29",
            "1900-02-29",
            "2026-04-31",
            "2026-13-01",
            "2026-00-10",
            "2026-01-00",
            "1899-12-31",
            "2026-1-01",
            "2026-11-23T08:00",
            "+02026-11-23",
            "d",
        ] {
            assert!(!valid_date(bad), "{bad}");
        }
    }

    #[test]
    fn field_lists_match_the_typed_structs() {
        // Every allowed field set once is read without error by the typed structs.
        let full = "slug = \"a\"\ntitre = \"A\"\nfiche = \"J1303\"\nappellation = 1\nversion_rome = 60\n\
                    enquete = \"e\"\nnotes = []\n[provenance]\nauteur = \"x\"\ndate = \"d\"\nbase = \"y\"\n\
                    [[items]]\nogr = 1\nlibelle = \"l\"\nextra = true\n";
        assert!(read_raw("p.toml", full).is_ok(), "{}", raw_err(full));
        assert_eq!(ROOT_FIELDS.allowed.len(), 9);
    }
}
