//! Decoding and parsing of one CSV file, row by row: encoding check, real
//! CSV parsing (quoted fields spanning several lines), header check, and
//! errors that name the file and line. Nothing holds more than one row, so
//! memory does not depend on the file's size.

use std::io::{self, BufRead, BufReader, Read};

use csv::{ByteRecord, StringRecord};
use serde::Deserialize;

use super::error::RomeImportError;
use super::files::FileSpec;
use super::rows::Line;
use super::source::{Stream, StreamError};

/// How a file's bytes are read as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    /// UTF-8; a byte that is not is an error naming its line.
    Utf8,
    /// ISO-8859-15, for the files known to be published that way.
    Latin9,
}

/// Whether everything `reader` yields is UTF-8, read chunk by chunk (a
/// character cut between two chunks is carried over).
pub(crate) fn is_utf8(mut reader: impl Read) -> io::Result<bool> {
    let mut buf = vec![0u8; 64 * 1024];
    let mut carried = 0;
    loop {
        let n = reader.read(&mut buf[carried..])?;
        if n == 0 {
            return Ok(carried == 0);
        }
        let filled = carried + n;
        match std::str::from_utf8(&buf[..filled]) {
            Ok(_) => carried = 0,
            Err(e) if e.error_len().is_none() => {
                let valid = e.valid_up_to();
                buf.copy_within(valid..filled, 0);
                carried = filled - valid;
            }
            Err(_) => return Ok(false),
        }
    }
}

/// The rows of one file, read one at a time, trimmed, by the header they
/// are read with.
pub(crate) struct Table {
    file: String,
    encoding: Encoding,
    header: StringRecord,
    reader: csv::Reader<Input>,
    raw: ByteRecord,
    rec: StringRecord,
    line: u64,
    /// `rec` holds a row read ahead (by [`Table::has_rows`]) not handed out yet.
    ahead: bool,
    rows_read: usize,
}

impl Table {
    /// Opens `stream` as a file whose header must be `spec.columns`;
    /// `None` when the file has no byte at all.
    pub fn open(
        file: &str,
        spec: &FileSpec,
        stream: Stream,
        encoding: Encoding,
        warnings: &mut Vec<String>,
    ) -> Result<Option<Table>, RomeImportError> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .from_reader(Input::new(stream));
        let raw = match reader.byte_headers() {
            Ok(h) => h.clone(),
            Err(e) => return Err(csv_error(file, reader.get_ref(), e)),
        };
        if reader.get_ref().total == 0 {
            return Ok(None);
        }
        let mut header = decode(file, encoding, &raw, 1)?;
        check_header(file, spec, &header, warnings)?;
        header.trim();
        Ok(Some(Table {
            file: file.into(),
            encoding,
            header,
            reader,
            raw: ByteRecord::new(),
            rec: StringRecord::new(),
            line: 1,
            ahead: false,
            rows_read: 0,
        }))
    }

    /// Whether a row follows (read ahead, handed out by the next [`Table::next`]).
    pub fn has_rows(&mut self) -> Result<bool, RomeImportError> {
        if !self.ahead {
            self.ahead = self.advance()?;
        }
        Ok(self.ahead)
    }

    /// The rows handed out so far.
    pub fn rows_read(&self) -> usize {
        self.rows_read
    }

    /// The next row as `T`, by column name, borrowing the cells; `None` at
    /// the end. A row that cannot be read stops the file there.
    pub fn next<'t, T: Deserialize<'t>>(&'t mut self) -> Option<Result<Line<T>, RomeImportError>> {
        match self.has_rows() {
            Ok(true) => {}
            Ok(false) => return None,
            Err(e) => return Some(Err(e)),
        }
        self.ahead = false;
        self.rows_read += 1;
        let line = self.line;
        Some(
            self.rec
                .deserialize(Some(&self.header))
                .map(|row| Line { line, row })
                .map_err(|e| RomeImportError::Malformed {
                    file: self.file.clone(),
                    line,
                    message: format!("ligne illisible : {e}"),
                }),
        )
    }

    /// Reads the next record into `rec`; `false` at the end.
    fn advance(&mut self) -> Result<bool, RomeImportError> {
        match self.reader.read_byte_record(&mut self.raw) {
            Ok(true) => {}
            Ok(false) => return Ok(false),
            Err(e) => return Err(csv_error(&self.file, self.reader.get_ref(), e)),
        }
        self.line = self.raw.position().map(|p| p.line()).unwrap_or(0);
        self.rec = decode(&self.file, self.encoding, &self.raw, self.line)?;
        self.rec.trim();
        Ok(true)
    }
}

/// One record as text; a byte that is not UTF-8 is an error naming the
/// physical line it is on.
fn decode(
    file: &str,
    encoding: Encoding,
    raw: &ByteRecord,
    line: u64,
) -> Result<StringRecord, RomeImportError> {
    match encoding {
        Encoding::Latin9 => Ok(raw
            .iter()
            .map(|f| encoding_rs::ISO_8859_15.decode_without_bom_handling(f).0)
            .collect()),
        Encoding::Utf8 => match std::str::from_utf8(raw.as_slice()) {
            // Fields end at ASCII delimiters: the record is UTF-8 when its
            // bytes together are.
            Ok(_) => Ok(StringRecord::from_byte_record_lossy(raw.clone())),
            Err(e) => {
                let bytes = raw.as_slice();
                let valid = e.valid_up_to();
                let newlines = bytes[..valid].iter().filter(|&&b| b == b'\n').count() as u64;
                Err(RomeImportError::NotUtf8 {
                    file: file.into(),
                    line: line + newlines,
                    byte: bytes[valid],
                })
            }
        },
    }
}

/// What the CSV reader reads: the stream without its UTF-8 byte order
/// mark, with the last bytes kept so that an error can quote its line.
struct Input {
    inner: BufReader<Stream>,
    started: bool,
    /// Bytes read from the stream, byte order mark included.
    total: u64,
    /// The last bytes handed to the CSV reader, from offset `recent_start`
    /// (offsets as the CSV reader counts them: after the mark).
    recent: Vec<u8>,
    recent_start: u64,
}

/// How much of the stream [`Input`] keeps: well beyond the CSV reader's
/// buffer plus one row.
const RECENT: usize = 256 * 1024;

impl Input {
    fn new(stream: Stream) -> Self {
        Input {
            inner: BufReader::with_capacity(64 * 1024, stream),
            started: false,
            total: 0,
            recent: Vec::new(),
            recent_start: 0,
        }
    }

    /// The physical line that starts at `byte`, when still kept.
    fn line_at(&self, byte: u64) -> Option<&[u8]> {
        let from = usize::try_from(byte.checked_sub(self.recent_start)?).ok()?;
        let rest = self.recent.get(from..)?;
        Some(rest.split(|&b| b == b'\n').next().unwrap_or(rest))
    }
}

impl Read for Input {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if !self.started {
            self.started = true;
            let head = self.inner.fill_buf()?;
            if head.starts_with(b"\xEF\xBB\xBF") {
                self.inner.consume(3);
                self.total += 3;
            }
        }
        let n = self.inner.read(buf)?;
        self.total += n as u64;
        self.recent.extend_from_slice(&buf[..n]);
        if self.recent.len() > 2 * RECENT {
            let drop = self.recent.len() - RECENT;
            self.recent.drain(..drop);
            self.recent_start += drop as u64;
        }
        Ok(n)
    }
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

fn csv_error(file: &str, input: &Input, e: csv::Error) -> RomeImportError {
    let line = e.position().map(|p| p.line()).unwrap_or(0);
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            pos,
            expected_len,
            len,
        } => {
            let start = pos.as_ref().map(|p| p.byte()).unwrap_or(0);
            let physical = input.line_at(start).unwrap_or_default();
            let quotes = physical.iter().filter(|&&b| b == b'"').count();
            if quotes % 2 == 1 {
                format!(
                    "guillemet non fermé ou mal placé ({len} colonnes lues au lieu de {expected_len})"
                )
            } else {
                format!("nombre de colonnes incorrect : {len} au lieu de {expected_len}")
            }
        }
        csv::ErrorKind::Io(_) => match e.into_kind() {
            csv::ErrorKind::Io(io) => return StreamError::import_error(file, io),
            _ => unreachable!("matched above"),
        },
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
    use crate::rome::files::GRAND_DOMAINE;
    use crate::rome::rows::GrandDomaineRow;

    fn open(bytes: &[u8], encoding: Encoding, cap: u64) -> Result<Table, RomeImportError> {
        let stream = Stream::new(Box::new(io::Cursor::new(bytes.to_vec())), cap);
        Table::open("f.csv", &GRAND_DOMAINE, stream, encoding, &mut Vec::new())
            .map(|t| t.expect("not empty"))
    }

    /// Every row as (line, code, label), or the first error.
    fn read_all(mut table: Table) -> Result<Vec<(u64, String, String)>, RomeImportError> {
        let mut out = Vec::new();
        while let Some(next) = table.next::<GrandDomaineRow<'_>>() {
            let Line { line, row } = next?;
            out.push((line, row.code.to_string(), row.label.to_string()));
        }
        Ok(out)
    }

    const HEADER: &str = "\"code_grand_domaine\",\"libelle_grand_domaine\"\n";

    #[test]
    fn multi_line_fields_and_doubled_quotes_are_parsed() {
        let text = format!("{HEADER}\"A\",\"Agri\nculture \"\"x\"\"\"\n\"B\",\"Arts\"\n");
        let rows = read_all(open(text.as_bytes(), Encoding::Utf8, 1 << 20).unwrap()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].2, "Agri\nculture \"x\"");
        assert_eq!(rows[1].0, 4);
    }

    #[test]
    fn wrong_column_count_names_the_line() {
        let text = format!("{HEADER}\"A\",\"Agri\"\n\"B\"\n");
        let err = read_all(open(text.as_bytes(), Encoding::Utf8, 1 << 20).unwrap())
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "f.csv, ligne 3 : nombre de colonnes incorrect : 1 au lieu de 2"
        );
    }

    #[test]
    fn byte_order_mark_is_not_part_of_the_header() {
        let text = format!("\u{feff}{HEADER}\"A\",\"Agri\"\n");
        let rows = read_all(open(text.as_bytes(), Encoding::Utf8, 1 << 20).unwrap()).unwrap();
        assert_eq!(rows, [(2, "A".to_string(), "Agri".to_string())]);
    }

    #[test]
    fn latin9_is_decoded_when_chosen_and_an_error_otherwise() {
        let bytes = [HEADER.as_bytes(), b"\"A\",\"caf\xe9 \xbd\"\n"].concat();
        assert!(!is_utf8(&bytes[..]).unwrap());
        let rows = read_all(open(&bytes, Encoding::Latin9, 1 << 20).unwrap()).unwrap();
        assert_eq!(rows[0].2, "café œ");
        let err = read_all(open(&bytes, Encoding::Utf8, 1 << 20).unwrap())
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "f.csv, ligne 2 : fichier non encodé en UTF-8 (octet 0xE9 invalide)"
        );
    }

    #[test]
    fn utf8_check_carries_a_character_cut_between_chunks() {
        // « é » (two bytes) straddles the 64 KiB chunk boundary.
        let mut bytes = vec![b'a'; 64 * 1024 - 1];
        bytes.extend_from_slice("é".as_bytes());
        assert!(is_utf8(&bytes[..]).unwrap());
        bytes.push(0xE9);
        assert!(!is_utf8(&bytes[..]).unwrap());
    }

    #[test]
    fn a_stream_longer_than_the_cap_is_refused_at_the_cap() {
        let mut text = HEADER.to_string();
        for _ in 0..1000 {
            text.push_str("\"A\",\"Agri\"\n");
        }
        let err = read_all(open(text.as_bytes(), Encoding::Utf8, 4096).unwrap()).unwrap_err();
        assert!(
            matches!(&err, RomeImportError::TooLarge { size, limit: 4096, .. } if size == "plus de 4096"),
            "{err}"
        );
    }
}
