//! Decoding and parsing of one CSV file: encoding check, real CSV parsing
//! (quoted fields spanning several lines), header check, and errors that name
//! the file and line.

use csv::StringRecord;
use serde::Deserialize;

use super::error::RomeImportError;
use super::files::{FileSpec, KNOWN_LATIN9};
use super::rows::Line;

/// Turns raw bytes into text: UTF-8 (BOM removed), or ISO-8859-15 for the
/// files known to be published that way (with a warning).
pub(crate) fn decode(
    file: &str,
    spec: &FileSpec,
    mut bytes: Vec<u8>,
    warnings: &mut Vec<String>,
) -> Result<String, RomeImportError> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(err) => {
            let valid = err.utf8_error().valid_up_to();
            let bytes = err.into_bytes();
            if KNOWN_LATIN9.contains(&spec.stem) {
                let (text, _) = encoding_rs::ISO_8859_15.decode_without_bom_handling(&bytes);
                warnings.push(format!(
                    "{file} : fichier encodé en ISO-8859-15 (Latin-9) malgré « utf8 » dans son nom ; décodé en ISO-8859-15"
                ));
                Ok(text.into_owned())
            } else {
                let line = bytes[..valid].iter().filter(|&&b| b == b'\n').count() as u64 + 1;
                Err(RomeImportError::NotUtf8 {
                    file: file.into(),
                    line,
                    byte: bytes[valid],
                })
            }
        }
    }
}

/// The rows of one file, trimmed, with the header they are read by.
pub(crate) struct Table {
    file: String,
    header: StringRecord,
    records: Vec<(u64, StringRecord)>,
}

impl Table {
    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Every row as `T`, by column name, borrowing the cells.
    pub fn rows<'a, T: Deserialize<'a>>(&'a self) -> Result<Vec<Line<T>>, RomeImportError> {
        self.records
            .iter()
            .map(|(line, rec)| {
                let row = rec.deserialize(Some(&self.header)).map_err(|e| {
                    RomeImportError::Malformed {
                        file: self.file.clone(),
                        line: *line,
                        message: format!("ligne illisible : {e}"),
                    }
                })?;
                Ok(Line { line: *line, row })
            })
            .collect()
    }
}

/// Parses the text of a file whose header must be `spec.columns`.
pub(crate) fn parse(
    file: &str,
    spec: &FileSpec,
    text: &str,
    warnings: &mut Vec<String>,
) -> Result<Table, RomeImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let mut header = reader
        .headers()
        .map_err(|e| csv_error(file, text, e))?
        .clone();
    check_header(file, spec, &header, warnings)?;
    header.trim();
    let mut records = Vec::with_capacity(text.len() / 64);
    let mut rec = StringRecord::new();
    loop {
        match reader.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {
                let line = rec.position().map(|p| p.line()).unwrap_or(0);
                rec.trim();
                records.push((line, rec.clone()));
            }
            Err(e) => return Err(csv_error(file, text, e)),
        }
    }
    Ok(Table {
        file: file.into(),
        header,
        records,
    })
}

fn check_header(
    file: &str,
    spec: &FileSpec,
    header: &StringRecord,
    warnings: &mut Vec<String>,
) -> Result<(), RomeImportError> {
    let found: Vec<&str> = header.iter().map(str::trim).collect();
    let expected = spec.columns;
    if found.len() >= expected.len() && found[..expected.len()] == *expected {
        if found.len() > expected.len() {
            warnings.push(format!(
                "{file} : colonnes supplémentaires ignorées : {}",
                found[expected.len()..].join(", ")
            ));
        }
        return Ok(());
    }
    let missing: Vec<&str> = expected
        .iter()
        .copied()
        .filter(|c| !found.contains(c))
        .collect();
    let unknown: Vec<&str> = found
        .iter()
        .copied()
        .filter(|c| !expected.contains(c))
        .collect();
    let mut detail = Vec::new();
    if !missing.is_empty() {
        detail.push(format!("colonne(s) manquante(s) : {}", missing.join(", ")));
    }
    if !unknown.is_empty() {
        detail.push(format!("colonne(s) inconnue(s) : {}", unknown.join(", ")));
    }
    if detail.is_empty() {
        detail.push("colonnes dans un autre ordre".into());
    }
    Err(RomeImportError::Header {
        file: file.into(),
        detail: detail.join(" ; "),
        expected: expected.join(","),
        found: found.join(","),
    })
}

fn csv_error(file: &str, text: &str, e: csv::Error) -> RomeImportError {
    let line = e.position().map(|p| p.line()).unwrap_or(0);
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            pos,
            expected_len,
            len,
        } => {
            let start = pos.as_ref().map(|p| p.byte() as usize).unwrap_or(0);
            let physical = text.get(start..).unwrap_or("").lines().next().unwrap_or("");
            let quotes = physical.bytes().filter(|&b| b == b'"').count();
            if quotes % 2 == 1 {
                format!(
                    "guillemet non fermé ou mal placé ({len} colonnes lues au lieu de {expected_len})"
                )
            } else {
                format!("nombre de colonnes incorrect : {len} au lieu de {expected_len}")
            }
        }
        _ => format!("ligne illisible : {e}"),
    };
    RomeImportError::Malformed {
        file: file.into(),
        line,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rome::files::{ARBORESCENCE_SECTEUR_NAF, GRAND_DOMAINE};
    use crate::rome::rows::GrandDomaineRow;

    #[test]
    fn multi_line_fields_and_doubled_quotes_are_parsed() {
        let text = "\"code_grand_domaine\",\"libelle_grand_domaine\"\n\"A\",\"Agri\nculture \"\"x\"\"\"\n\"B\",\"Arts\"\n";
        let table = parse("f.csv", &GRAND_DOMAINE, text, &mut Vec::new()).unwrap();
        let rows: Vec<Line<GrandDomaineRow<'_>>> = table.rows().unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].row.label, "Agri\nculture \"x\"");
        assert_eq!(rows[1].line, 4);
    }

    #[test]
    fn wrong_column_count_names_the_line() {
        let text = "\"code_grand_domaine\",\"libelle_grand_domaine\"\n\"A\",\"Agri\"\n\"B\"\n";
        let err = parse("f.csv", &GRAND_DOMAINE, text, &mut Vec::new())
            .err()
            .unwrap()
            .to_string();
        assert_eq!(
            err,
            "f.csv, ligne 3 : nombre de colonnes incorrect : 1 au lieu de 2"
        );
    }

    #[test]
    fn latin9_is_decoded_only_for_known_files() {
        let bytes = b"caf\xe9 \xbd".to_vec();
        let mut warnings = Vec::new();
        assert_eq!(
            decode(
                "naf.csv",
                &ARBORESCENCE_SECTEUR_NAF,
                bytes.clone(),
                &mut warnings
            )
            .unwrap(),
            "café œ"
        );
        assert_eq!(warnings.len(), 1);
        let err = decode("gd.csv", &GRAND_DOMAINE, bytes, &mut warnings)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "gd.csv, ligne 1 : fichier non encodé en UTF-8 (octet 0xE9 invalide)"
        );
    }
}
