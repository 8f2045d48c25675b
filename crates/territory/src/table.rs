//! A small reader for the `;`/`,`/`|` separated files: strips the UTF-8 BOM,
//! finds columns by header name (so a reordered export still reads), and
//! reports errors with the file and line.

use std::path::{Path, PathBuf};

use crate::error::{Result, TerritoryError};

/// An open delimited file with its header.
pub(crate) struct Table {
    path: PathBuf,
    reader: csv::Reader<std::io::Cursor<Vec<u8>>>,
    header: Vec<String>,
}

/// One record, with column access by the indexes resolved from the header.
pub(crate) struct Row<'a> {
    pub record: &'a csv::StringRecord,
}

impl Row<'_> {
    pub fn get(&self, col: usize) -> &str {
        self.record.get(col).unwrap_or("").trim()
    }
}

impl Table {
    /// Reads the whole file (they are all a few MB). It must be UTF-8: a
    /// silent Windows-1252 fallback would turn a wrong export into wrong
    /// labels, so the error names the line and the byte instead.
    pub fn open(path: &Path, delimiter: u8) -> Result<Self> {
        let bytes = std::fs::read(path).map_err(|e| TerritoryError::io(path, e))?;
        Self::from_bytes(path, bytes, delimiter)
    }

    pub fn from_bytes(path: &Path, bytes: Vec<u8>, delimiter: u8) -> Result<Self> {
        if let Err(e) = std::str::from_utf8(&bytes) {
            let at = e.valid_up_to();
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() as u64 + 1;
            return Err(TerritoryError::line(
                path,
                line,
                format!(
                    "fichier non encodé en UTF-8 (octet 0x{:02X} invalide) : convertissez-le, par exemple avec iconv -f WINDOWS-1252 -t UTF-8",
                    bytes[at]
                ),
            ));
        }
        let start = if bytes.starts_with(b"\xEF\xBB\xBF") {
            3
        } else {
            0
        };
        if bytes[start..].iter().all(u8::is_ascii_whitespace) {
            return Err(TerritoryError::file(
                path,
                "fichier vide : aucun en-tête ni aucune ligne",
            ));
        }
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .from_reader(std::io::Cursor::new(bytes[start..].to_vec()));
        let header = reader
            .headers()
            .map_err(|e| TerritoryError::line(path, 1, format!("en-tête illisible : {e}")))?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        Ok(Table {
            path: path.to_path_buf(),
            reader,
            header,
        })
    }

    /// Index of a required column.
    pub fn col(&self, name: &str) -> Result<usize> {
        self.header.iter().position(|h| h == name).ok_or_else(|| {
            TerritoryError::line(
                &self.path,
                1,
                format!(
                    "colonne « {name} » absente (colonnes : {})",
                    self.header.join(", ")
                ),
            )
        })
    }

    /// Calls `f` on every record; `f`'s errors are reported with the line.
    pub fn for_each(
        mut self,
        mut f: impl FnMut(&Row<'_>) -> std::result::Result<(), String>,
    ) -> Result<u64> {
        let mut record = csv::StringRecord::new();
        let mut n = 0;
        loop {
            let line = self.reader.position().line();
            match self.reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {
                    let line = record.position().map(|p| p.line()).unwrap_or(line);
                    if record.iter().all(|c| c.trim().is_empty()) {
                        continue;
                    }
                    f(&Row { record: &record })
                        .map_err(|m| TerritoryError::line(&self.path, line, m))?;
                    n += 1;
                }
                Err(e) => return Err(TerritoryError::line(&self.path, line, e.to_string())),
            }
        }
        Ok(n)
    }
}

/// Parses a French decimal ("10,4", "8", "16,61538462").
pub(crate) fn fr_f64(s: &str) -> Option<f64> {
    let t = s.trim().replace(',', ".");
    if t.is_empty() {
        return None;
    }
    t.parse::<f64>().ok().filter(|v| v.is_finite())
}
