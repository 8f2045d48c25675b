//! Streaming reader for the France Compétences RNCP / RS XML export
//! (flux version 4.1).
//!
//! The national file is about 570 MB, so the reader never holds more than one
//! `<FICHE>`: it is an iterator over [`RncpFiche`] on top of a quick-xml pull
//! parser with one reused buffer. Only what Passerelle shows is kept: title,
//! level, certifiers, ROME codes, formacodes and blocs de compétences.

use std::io::BufRead;
use std::path::Path;

use passerelle_core::territory::records::{Bloc, Certificateur, CodeLabel, RncpFiche};
use quick_xml::Reader;
use quick_xml::events::Event;

use crate::error::{Result, TerritoryError};
use crate::xml::{line_col_in_file, push_ref, squash};

/// Iterator over the fiches of an export, reading from any `BufRead`.
pub struct RncpReader<R: BufRead> {
    reader: Reader<R>,
    buf: Vec<u8>,
    /// Names of the open elements (reused, no allocation per event once warm).
    path: Vec<String>,
    text: String,
    version: Option<String>,
    done: bool,
}

/// A syntax or structure error at a byte offset of the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlError {
    pub offset: u64,
    pub message: String,
}

impl<R: BufRead> RncpReader<R> {
    pub fn new(input: R) -> Self {
        let mut reader = Reader::from_reader(input);
        reader.config_mut().check_end_names = true;
        reader.config_mut().expand_empty_elements = true;
        RncpReader {
            reader,
            buf: Vec::with_capacity(64 * 1024),
            path: Vec::new(),
            text: String::new(),
            version: None,
            done: false,
        }
    }

    /// `VERSION_FLUX` once it has been read (it precedes the first fiche).
    pub fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }

    /// Bytes consumed so far.
    pub fn position(&self) -> u64 {
        self.reader.buffer_position()
    }

    fn err(&self, message: impl Into<String>) -> XmlError {
        XmlError {
            offset: self
                .reader
                .error_position()
                .max(self.reader.buffer_position()),
            message: message.into(),
        }
    }

    fn next_fiche(&mut self) -> std::result::Result<Option<RncpFiche>, XmlError> {
        let mut fiche: Option<RncpFiche> = None;
        loop {
            self.buf.clear();
            let event = match self.reader.read_event_into(&mut self.buf) {
                Ok(e) => e,
                Err(e) => {
                    let offset = self.reader.error_position();
                    return Err(XmlError {
                        offset,
                        message: e.to_string(),
                    });
                }
            };
            match event {
                Event::Start(s) => {
                    let name = s.name();
                    let name: &str = name.as_ref();
                    if self.path.len() >= crate::xml::MAX_XML_DEPTH {
                        let message = crate::xml::too_deep(name);
                        let offset = self.reader.buffer_position();
                        return Err(XmlError { offset, message });
                    }
                    if name == "FICHE" && self.path.last().map(String::as_str) == Some("FICHES") {
                        fiche = Some(RncpFiche::default());
                    }
                    self.path.push(name.to_string());
                    self.text.clear();
                    if let Some(f) = fiche.as_mut() {
                        open_child(f, &self.path);
                    }
                }
                Event::Text(t) => self.text.push_str(&t),
                Event::CData(t) => self.text.push_str(&t),
                Event::GeneralRef(r) => {
                    if let Err(m) = push_ref(&mut self.text, &r) {
                        return Err(self.err(m));
                    }
                }
                Event::End(_) => {
                    let depth = self.path.len();
                    if depth == 2 && self.path[1] == "VERSION_FLUX" {
                        self.version = Some(self.text.trim().to_string());
                    }
                    if let Some(f) = fiche.as_mut() {
                        close_leaf(f, &self.path, &self.text);
                    }
                    let closed = self.path.pop();
                    self.text.clear();
                    if closed.as_deref() == Some("FICHE") && self.path.len() == 1 {
                        let f = fiche.take().expect("a FICHE was open");
                        if f.numero.is_empty() {
                            return Err(self.err("fiche sans NUMERO_FICHE"));
                        }
                        return Ok(Some(f));
                    }
                }
                Event::Eof => {
                    if !self.path.is_empty() {
                        return Err(self.err(format!(
                            "fin de fichier avant la fermeture de <{}>",
                            self.path.join("/")
                        )));
                    }
                    return Ok(None);
                }
                _ => {}
            }
        }
    }
}

/// Adds the record an opening element starts (a certifier, a ROME code…).
fn open_child(f: &mut RncpFiche, path: &[String]) {
    let tail: Vec<&str> = path.iter().rev().take(2).map(String::as_str).collect();
    match tail.as_slice() {
        ["CERTIFICATEUR", "CERTIFICATEURS"] => f.certificateurs.push(Certificateur::default()),
        ["ROME", "CODES_ROME"] => f.romes.push(CodeLabel::default()),
        ["FORMACODE", "FORMACODES"] => f.formacodes.push(CodeLabel::default()),
        ["BLOC_COMPETENCES", "BLOCS_COMPETENCES"] => f.blocs.push(Bloc::default()),
        _ => {}
    }
}

/// Stores the text of a closing leaf element relevant to a fiche.
fn close_leaf(f: &mut RncpFiche, path: &[String], text: &str) {
    // path = [FICHES, FICHE, …]; look at what is under FICHE.
    let rel: Vec<&str> = path.iter().skip(2).map(String::as_str).collect();
    let t = || squash(text);
    match rel.as_slice() {
        ["NUMERO_FICHE"] => f.numero = t(),
        ["INTITULE"] => f.intitule = t(),
        ["ETAT_FICHE"] => f.etat = t(),
        ["ABREGE", "LIBELLE"] => f.type_libelle = Some(t()),
        ["NOMENCLATURE_EUROPE", "NIVEAU"] => f.niveau = Some(t()),
        ["DATE_FIN_ENREGISTREMENT"] => f.date_fin_enregistrement = Some(t()),
        ["CERTIFICATEURS", "CERTIFICATEUR", "SIRET_CERTIFICATEUR"] => {
            if let Some(c) = f.certificateurs.last_mut() {
                c.siret = Some(t()).filter(|s| !s.is_empty());
            }
        }
        ["CERTIFICATEURS", "CERTIFICATEUR", "NOM_CERTIFICATEUR"] => {
            if let Some(c) = f.certificateurs.last_mut() {
                c.nom = t();
            }
        }
        ["CODES_ROME", "ROME", leaf] | ["FORMACODES", "FORMACODE", leaf] => {
            let list = if rel[0] == "CODES_ROME" {
                &mut f.romes
            } else {
                &mut f.formacodes
            };
            if let Some(c) = list.last_mut() {
                match *leaf {
                    "CODE" => c.code = t(),
                    "LIBELLE" => c.libelle = t(),
                    _ => {}
                }
            }
        }
        ["BLOCS_COMPETENCES", "BLOC_COMPETENCES", leaf] => {
            if let Some(b) = f.blocs.last_mut() {
                match *leaf {
                    "CODE" => b.code = t(),
                    "LIBELLE" => b.libelle = t(),
                    "LISTE_COMPETENCES" => b.competences = t(),
                    "MODALITES_EVALUATION" => b.modalites_evaluation = t(),
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

impl<R: BufRead> Iterator for RncpReader<R> {
    type Item = std::result::Result<RncpFiche, XmlError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.next_fiche() {
            Ok(Some(f)) => Some(Ok(f)),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

/// The flux version this reader was written for.
pub const FLUX_VERSION: &str = "4.1";

/// Reads every fiche of a file through `f` (streaming), with errors located
/// by line and column. Returns the number of fiches.
pub fn for_each_fiche(path: &Path, mut f: impl FnMut(RncpFiche)) -> Result<u64> {
    let file = std::fs::File::open(path).map_err(|e| TerritoryError::io(path, e))?;
    let mut reader = RncpReader::new(std::io::BufReader::with_capacity(256 * 1024, file));
    let mut n = 0;
    while let Some(item) = reader.next() {
        match item {
            Ok(fiche) => {
                n += 1;
                f(fiche);
            }
            Err(e) => {
                let (line, column) = line_col_in_file(path, e.offset);
                return Err(TerritoryError::Xml {
                    path: path.to_path_buf(),
                    line,
                    column,
                    message: e.message,
                });
            }
        }
        if let Some(v) = reader.version().filter(|v| n == 1 && *v != FLUX_VERSION) {
            return Err(TerritoryError::file(
                path,
                format!("version de flux « {v} » non prise en charge (attendu {FLUX_VERSION})"),
            ));
        }
    }
    Ok(n)
}

/// Reads a whole (small) export into memory.
pub fn read_fiches(path: &Path) -> Result<Vec<RncpFiche>> {
    let mut out = Vec::new();
    for_each_fiche(path, |f| out.push(f))?;
    Ok(out)
}
