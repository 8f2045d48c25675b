//! Surveyed transversal profiles: the CSV format of `passerelle import profils`.
//!
//! One row per job × competency (docs/transversal.md):
//!
//! ```text
//! cible,competence,niveau,etoiles,enquete,source,date,territoire,population
//! 200145,Communiquer,1,5,afpa-aveyron-assistant-medical,"AFPA Évolution 21, enquête Aveyron",2024,12,débutant
//! ```
//!
//! `cible` is a ROME code or an appellation OGR code. Competencies a survey
//! does not list are "not used" (level 0, 0 star). A file with any error
//! yields no survey at all: the caller imports all or nothing.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use passerelle_core::transversal::{
    Competency, NameMatch, ProfileEntry, Provenance, Survey, SurveyTarget, TransversalProfile,
    match_competency,
};
use passerelle_core::{OgrCode, Referential, RomeCode};

/// The columns, in the documented order (any order is accepted on input).
pub const HEADER: [&str; 9] = [
    "cible",
    "competence",
    "niveau",
    "etoiles",
    "enquete",
    "source",
    "date",
    "territoire",
    "population",
];

/// Largest surveys file, in bytes: a survey is 14 rows of a few hundred
/// bytes, so 16 MiB is thousands of surveys. Larger files are refused
/// before being read.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;
/// Longest `enquete` identifier, in characters.
pub const MAX_ID_CHARS: usize = 80;
/// Longest free text (`source`, `territoire`, `population`), in characters.
pub const MAX_TEXT_CHARS: usize = 300;

#[derive(Debug, thiserror::Error)]
pub enum ProfilsError {
    #[error("{file} : lecture impossible : {source}")]
    Io {
        file: String,
        source: std::io::Error,
    },
    #[error("{file} : le fichier n'est pas en UTF-8 (octet invalide à la position {position})")]
    Encoding { file: String, position: usize },
    #[error("{file}, ligne 1 (en-tête) : {message} (colonnes attendues : {})", HEADER.join(","))]
    Header { file: String, message: String },
    #[error("{file}, ligne {line} : {message}")]
    Row {
        file: String,
        line: u64,
        message: String,
    },
    #[error("{file} : aucun profil dans le fichier")]
    Empty { file: String },
    #[error("{file} : fichier vide (attendu un en-tête : {})", HEADER.join(","))]
    NoHeader { file: String },
    #[error(
        "{file} : {size} octets, au-delà de la limite de {limit} octets d'un fichier d'enquêtes"
    )]
    TooLarge { file: String, size: u64, limit: u64 },
}

/// Position of each of the [`HEADER`] columns in the file.
struct Columns([usize; 9]);

impl Columns {
    fn from_header(file: &str, header: &csv::StringRecord) -> Result<Columns, ProfilsError> {
        let names: Vec<String> = header
            .iter()
            .map(|h| passerelle_core::text::fold(h.trim()))
            .collect();
        let bad = |message: String| ProfilsError::Header {
            file: file.into(),
            message,
        };
        for (i, n) in names.iter().enumerate() {
            if !HEADER.contains(&n.as_str()) {
                return Err(bad(format!(
                    "colonne « {} » inconnue",
                    header.get(i).unwrap_or("").trim()
                )));
            }
            if names[..i].contains(n) {
                return Err(bad(format!("colonne « {n} » en double")));
            }
        }
        let mut pos = [0; 9];
        for (slot, name) in pos.iter_mut().zip(HEADER) {
            *slot = names
                .iter()
                .position(|n| n == name)
                .ok_or_else(|| bad(format!("colonne « {name} » manquante")))?;
        }
        Ok(Columns(pos))
    }
}

struct Row {
    line: u64,
    target: SurveyTarget,
    competency: Competency,
    entry: ProfileEntry,
    id: String,
    meta: [String; 4],
}

/// Reads and validates a surveys file against the referential. The file is
/// read as a stream (row by row), so that an error at line 2 of a large file
/// is reported without reading the rest, and its size is checked first.
pub fn read_surveys(path: &Path, referential: &Referential) -> Result<Vec<Survey>, ProfilsError> {
    let file = path.display().to_string();
    let io = |source| ProfilsError::Io {
        file: file.clone(),
        source,
    };
    let size = std::fs::metadata(path).map_err(io)?.len();
    if size > MAX_FILE_BYTES {
        return Err(ProfilsError::TooLarge {
            file,
            size,
            limit: MAX_FILE_BYTES,
        });
    }
    let reader = std::io::BufReader::new(std::fs::File::open(path).map_err(io)?);
    parse_reader(&file, reader, referential)
}

/// [`read_surveys`] on text already in memory; `file` names it in errors.
pub fn parse_surveys(
    file: &str,
    text: &str,
    referential: &Referential,
) -> Result<Vec<Survey>, ProfilsError> {
    parse_reader(file, text.as_bytes(), referential)
}

fn parse_reader(
    file: &str,
    input: impl std::io::Read,
    referential: &Referential,
) -> Result<Vec<Survey>, ProfilsError> {
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(input);
    let header = reader.byte_headers().map_err(|e| ProfilsError::Header {
        file: file.into(),
        message: format!("CSV illisible : {e}"),
    })?;
    if header.is_empty() || (header.len() == 1 && header[0].is_empty()) {
        return Err(ProfilsError::NoHeader { file: file.into() });
    }
    let header = header_text(file, header)?;
    let columns = Columns::from_header(file, &header)?;
    let mut rows = Vec::new();
    let mut record = csv::ByteRecord::new();
    loop {
        let more = reader.read_byte_record(&mut record).map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            row_error(file, line, format!("ligne CSV mal formée : {e}"))
        })?;
        if !more {
            break;
        }
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let text = csv::StringRecord::from_byte_record(record.clone()).map_err(|e| {
            ProfilsError::Encoding {
                file: file.into(),
                position: invalid_byte(&record, e.utf8_error()),
            }
        })?;
        rows.push(parse_row(file, line, &columns, &text, referential)?);
    }
    group(file, rows)
}

/// Byte offset in the file of the first invalid UTF-8 byte of `record`
/// (fields counted with one delimiter each; exact for unquoted rows).
fn invalid_byte(record: &csv::ByteRecord, e: &csv::Utf8Error) -> usize {
    let start = record.position().map(|p| p.byte() as usize).unwrap_or(0);
    let before: usize = record.iter().take(e.field()).map(|f| f.len() + 1).sum();
    start + before + e.valid_up_to()
}

/// The header as text, without the byte-order mark some editors write.
fn header_text(file: &str, header: &csv::ByteRecord) -> Result<csv::StringRecord, ProfilsError> {
    let mut fields = header.iter().map(<[u8]>::to_vec).collect::<Vec<_>>();
    if let Some(first) = fields.first_mut()
        && first.starts_with(b"\xEF\xBB\xBF")
    {
        first.drain(..3);
    }
    csv::StringRecord::from_byte_record(csv::ByteRecord::from(fields)).map_err(|e| {
        ProfilsError::Encoding {
            file: file.into(),
            position: e.utf8_error().valid_up_to(),
        }
    })
}

/// A user string cut for an error message (a hostile value is never echoed whole).
fn short(s: &str) -> String {
    let mut t: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        t.push('…');
    }
    t
}

fn row_error(file: &str, line: u64, message: String) -> ProfilsError {
    ProfilsError::Row {
        file: file.into(),
        line,
        message,
    }
}

fn parse_row(
    file: &str,
    line: u64,
    columns: &Columns,
    r: &csv::StringRecord,
    referential: &Referential,
) -> Result<Row, ProfilsError> {
    let field = |i: usize| r.get(columns.0[i]).unwrap_or("").trim();
    let err = |message: String| row_error(file, line, message);
    let target =
        parse_target(field(0), referential).map_err(|m| err(format!("champ cible : {m}")))?;
    let competency = match match_competency(field(1)) {
        NameMatch::Found(c) => c,
        NameMatch::Unknown { closest } => {
            return Err(err(format!(
                "champ competence : « {} » n'est pas une des {} compétences transversales (vouliez-vous dire « {} » ?)",
                short(field(1)),
                Competency::COUNT,
                closest.label_fr()
            )));
        }
    };
    let number = |i: usize, name: &str| -> Result<u8, ProfilsError> {
        field(i).parse::<u8>().map_err(|_| {
            err(format!(
                "champ {name} : « {} » n'est pas un entier",
                field(i)
            ))
        })
    };
    let (level, stars) = (number(2, "niveau")?, number(3, "etoiles")?);
    let entry =
        ProfileEntry::new(level, stars).map_err(|e| err(format!("champs niveau/etoiles : {e}")))?;
    let id = field(4).to_string();
    if id.is_empty()
        || id.len() > MAX_ID_CHARS
        || !id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(err(format!(
            "champ enquete : identifiant « {} » invalide (lettres, chiffres, tirets, {MAX_ID_CHARS} caractères au plus)",
            short(&id)
        )));
    }
    for (i, name) in [(5, "source"), (7, "territoire"), (8, "population")] {
        let n = field(i).chars().count();
        if n > MAX_TEXT_CHARS {
            return Err(err(format!(
                "champ {name} : {n} caractères, au plus {MAX_TEXT_CHARS}"
            )));
        }
    }
    if field(5).is_empty() {
        return Err(err(
            "champ source : obligatoire (qui a mené l'enquête)".into()
        ));
    }
    if !is_iso_date(field(6)) {
        return Err(err(format!(
            "champ date : « {} » n'est pas une date AAAA, AAAA-MM ou AAAA-MM-JJ",
            short(field(6))
        )));
    }
    let meta = [field(5), field(6), field(7), field(8)].map(str::to_string);
    Ok(Row {
        line,
        target,
        competency,
        entry,
        id,
        meta,
    })
}

/// `2024`, `2024-05` or `2024-05-01`: the forms whose string order is the
/// date order, which the choice of the most recent survey relies on.
fn is_iso_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str, len: usize, range: std::ops::RangeInclusive<u32>| {
        p.len() == len
            && p.bytes().all(|b| b.is_ascii_digit())
            && p.parse().is_ok_and(|n| range.contains(&n))
    };
    match parts[..] {
        [y] => num(y, 4, 1900..=2999),
        [y, m] => num(y, 4, 1900..=2999) && num(m, 2, 1..=12),
        [y, m, d] => num(y, 4, 1900..=2999) && num(m, 2, 1..=12) && num(d, 2, 1..=31),
        _ => false,
    }
}

fn parse_target(s: &str, referential: &Referential) -> Result<SurveyTarget, String> {
    if let Ok(code) = RomeCode::parse(s) {
        return referential
            .fiche(code)
            .map(|_| SurveyTarget::Rome(code))
            .ok_or_else(|| format!("code ROME inconnu « {s} »"));
    }
    if let Ok(ogr) = OgrCode::parse(s) {
        return referential
            .appellation(ogr)
            .map(|_| SurveyTarget::Appellation(ogr))
            .ok_or_else(|| format!("appellation inconnue « {s} »"));
    }
    Err(format!(
        "« {s} » n'est ni un code ROME ni un code OGR d'appellation"
    ))
}

fn group(file: &str, rows: Vec<Row>) -> Result<Vec<Survey>, ProfilsError> {
    if rows.is_empty() {
        return Err(ProfilsError::Empty { file: file.into() });
    }
    let mut seen = HashSet::new();
    let mut surveys: BTreeMap<
        String,
        (SurveyTarget, [String; 4], [ProfileEntry; Competency::COUNT]),
    > = BTreeMap::new();
    for row in rows {
        if !seen.insert((row.id.clone(), row.competency)) {
            return Err(row_error(
                file,
                row.line,
                format!(
                    "ligne en double : « {} » figure déjà pour l'enquête {}",
                    row.competency.label_fr(),
                    row.id
                ),
            ));
        }
        let entry = surveys.entry(row.id.clone()).or_insert_with(|| {
            (
                row.target,
                row.meta.clone(),
                [ProfileEntry::UNUSED; Competency::COUNT],
            )
        });
        if entry.0 != row.target || entry.1 != row.meta {
            return Err(row_error(
                file,
                row.line,
                format!(
                    "l'enquête {} change de cible, de source, de date, de territoire ou de population",
                    row.id
                ),
            ));
        }
        entry.2[row.competency.index()] = row.entry;
    }
    Ok(surveys
        .into_iter()
        .map(
            |(id, (target, [source, date, territory, population], entries))| Survey {
                target,
                profile: TransversalProfile {
                    entries: entries.map(Some),
                    provenance: Provenance::Enquete {
                        id,
                        source,
                        date,
                        territory: Some(territory).filter(|t| !t.is_empty()),
                        population: Some(population).filter(|p| !p.is_empty()),
                    },
                    rome: match target {
                        SurveyTarget::Rome(c) => Some(c),
                        SurveyTarget::Appellation(_) => None,
                    },
                },
            },
        )
        .collect())
}
