//! Where the files come from: a directory of CSV files or a zip archive
//! (files at its root or in one sub-folder, as France Travail publishes it).

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use super::ReadLimits;
use super::error::RomeImportError;
use super::files::parse_file_name;

#[derive(Clone)]
enum Entry {
    File(PathBuf),
    Zip(usize),
}

/// The set of ROME files found at a path, not read yet.
pub(crate) struct Source {
    /// Human-readable location (`/data/rome` or `RefRomeCsv.zip`, `RefRomeCsv.zip:dossier/`).
    pub location: String,
    /// `460` for `_v460_` file names.
    pub file_version: u32,
    entries: BTreeMap<String, (String, Entry)>,
    version_txt: Option<Entry>,
    zip: Option<zip::ZipArchive<File>>,
    zip_path: PathBuf,
    /// Names that are neither ROME CSV files nor version.txt.
    pub unexpected: Vec<String>,
    limits: ReadLimits,
}

impl Source {
    pub fn open(path: &Path, limits: ReadLimits) -> Result<Source, RomeImportError> {
        let mut source = Self::open_unbounded(path)?;
        source.limits = limits;
        Ok(source)
    }

    fn open_unbounded(path: &Path) -> Result<Source, RomeImportError> {
        if !path.exists() {
            return Err(RomeImportError::NotFound(path.to_path_buf()));
        }
        if path.is_dir() {
            return Self::open_dir(path);
        }
        let mut magic = [0u8; 4];
        let is_zip = File::open(path)
            .and_then(|mut f| f.read_exact(&mut magic))
            .map(|_| &magic == b"PK\x03\x04" || &magic == b"PK\x05\x06")
            .unwrap_or(false);
        if is_zip {
            Self::open_zip(path)
        } else {
            Err(RomeImportError::NotDirOrZip(path.to_path_buf()))
        }
    }

    fn open_dir(dir: &Path) -> Result<Source, RomeImportError> {
        let io = |source| RomeImportError::Io {
            path: dir.display().to_string(),
            source,
        };
        let (mut names, mut subdirs) = (Vec::new(), Vec::new());
        for entry in std::fs::read_dir(dir).map_err(io)? {
            let entry = entry.map_err(io)?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if entry.file_type().map_err(io)?.is_file() {
                names.push((name, entry.path()));
            } else {
                // Listed (as `dossier/`) when no ROME file is found, to hint at a nested set.
                subdirs.push(format!("{name}/"));
            }
        }
        names.sort();
        let location = dir.display().to_string();
        let mut grouped = Grouping::default();
        for (name, path) in names {
            grouped.add("", &name, Entry::File(path));
        }
        if grouped.rome.is_empty() {
            subdirs.sort();
            grouped.others.extend(subdirs);
        }
        grouped.finish(location, None, PathBuf::new())
    }

    fn open_zip(path: &Path) -> Result<Source, RomeImportError> {
        let zip_err = |e: zip::result::ZipError| RomeImportError::Zip {
            path: path.to_path_buf(),
            message: e.to_string(),
        };
        let file = File::open(path).map_err(|source| RomeImportError::Io {
            path: path.display().to_string(),
            source,
        })?;
        let mut archive = zip::ZipArchive::new(file).map_err(zip_err)?;
        let mut grouped = Grouping::default();
        for i in 0..archive.len() {
            let entry = archive.by_index_raw(i).map_err(zip_err)?;
            if entry.is_dir() {
                continue;
            }
            let full = entry.name().to_string();
            let (folder, name) = match full.rsplit_once('/') {
                Some((folder, name)) => (folder.to_string(), name.to_string()),
                None => (String::new(), full.clone()),
            };
            grouped.add(&folder, &name, Entry::Zip(i));
        }
        grouped.finish(
            path.display().to_string(),
            Some(archive),
            path.to_path_buf(),
        )
    }

    /// The file with this stem, as (file name, stream), or `None` when
    /// absent.
    pub fn stream(&mut self, stem: &str) -> Result<Option<(String, Stream)>, RomeImportError> {
        let Some((name, entry)) = self.entries.get(stem).cloned() else {
            return Ok(None);
        };
        let stream = self.open_entry(&entry, &name)?;
        Ok(Some((name, stream)))
    }

    /// The content of `version.txt`, when present (read under the same cap).
    pub fn version_txt(&mut self) -> Result<Option<Vec<u8>>, RomeImportError> {
        let Some(entry) = self.version_txt.clone() else {
            return Ok(None);
        };
        let name = "version.txt";
        let mut bytes = Vec::new();
        self.open_entry(&entry, name)?
            .read_to_end(&mut bytes)
            .map_err(|e| StreamError::import_error(name, e))?;
        Ok(Some(bytes))
    }

    /// Opens one file of the set as a stream that yields at most
    /// `limits.max_file_bytes` bytes: a declared size above it is refused
    /// before anything is read; a stream that goes on past it fails with
    /// [`StreamError::TooLarge`]. It is read chunk by chunk: memory never
    /// depends on the file's size.
    fn open_entry(&mut self, entry: &Entry, name: &str) -> Result<Stream, RomeImportError> {
        let cap = self.limits.max_file_bytes;
        let stream: Box<dyn Read + Send> = match entry {
            Entry::File(p) => {
                let io = |source| RomeImportError::Io {
                    path: p.display().to_string(),
                    source,
                };
                let file = File::open(p).map_err(io)?;
                check_declared(
                    file.metadata().map_err(io)?.len(),
                    &p.display().to_string(),
                    cap,
                )?;
                Box::new(file)
            }
            Entry::Zip(i) => {
                let archive = self.zip.as_mut().expect("zip source");
                let declared = archive
                    .by_index_raw(*i)
                    .map_err(|e| RomeImportError::Zip {
                        path: self.zip_path.clone(),
                        message: e.to_string(),
                    })?
                    .size();
                check_declared(
                    declared,
                    &format!("{}:{name}", self.zip_path.display()),
                    cap,
                )?;
                Box::new(ZipEntryStream::spawn(self.zip_path.clone(), *i)?)
            }
        };
        Ok(Stream::new(stream, cap))
    }

    /// Every ROME file of the set, as (stem, file name).
    pub fn stems(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries
            .iter()
            .map(|(stem, (name, _))| (stem.as_str(), name.as_str()))
    }
}

fn check_declared(declared: u64, name: &str, cap: u64) -> Result<(), RomeImportError> {
    if declared > cap {
        return Err(RomeImportError::TooLarge {
            file: name.to_string(),
            size: declared.to_string(),
            limit: cap,
        });
    }
    Ok(())
}

/// Why the stream of one file stopped, carried inside the `io::Error` that
/// reading it returns, so that whoever reads it can say so in words.
#[derive(Debug, thiserror::Error)]
pub(crate) enum StreamError {
    /// More bytes than the cap: the file is refused, not truncated.
    #[error("plus de {0} octets")]
    TooLarge(u64),
    /// The archive could not be decompressed (bad data, checksum).
    #[error("archive zip {} illisible : {message}", path.display())]
    Zip { path: PathBuf, message: String },
}

impl StreamError {
    /// The import error for a failed read of `file`: the stream error it
    /// carries, else the I/O error itself.
    pub fn import_error(file: &str, e: io::Error) -> RomeImportError {
        match e
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<StreamError>())
        {
            Some(StreamError::TooLarge(cap)) => RomeImportError::TooLarge {
                file: file.to_string(),
                size: format!("plus de {cap}"),
                limit: *cap,
            },
            Some(StreamError::Zip { path, message }) => RomeImportError::Zip {
                path: path.clone(),
                message: format!("{file} : {message}"),
            },
            None => RomeImportError::Io {
                path: file.to_string(),
                source: e,
            },
        }
    }
}

/// One file of the set, read as a stream bounded by the cap.
pub(crate) struct Stream {
    inner: Box<dyn Read + Send>,
    left: u64,
    cap: u64,
}

impl Stream {
    pub fn new(inner: Box<dyn Read + Send>, cap: u64) -> Self {
        Stream {
            inner,
            left: cap,
            cap,
        }
    }
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 {
            // At the cap: one more byte means the file is too large.
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(io::Error::other(StreamError::TooLarge(self.cap))),
            };
        }
        let want = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        self.left -= n as u64;
        Ok(n)
    }
}

/// Size of the chunks an archive entry is handed over in.
const CHUNK: usize = 64 * 1024;

/// An archive entry decompressed on its own thread and handed over in
/// chunks through a channel of two: the entry reader of `zip` borrows its
/// archive, which the import's reader could not hold, and the channel keeps
/// memory at a few chunks whatever the entry's size. When the reader is
/// dropped (an error, the cap), the thread stops at its next chunk.
struct ZipEntryStream {
    chunks: mpsc::Receiver<io::Result<Vec<u8>>>,
    current: Vec<u8>,
    pos: usize,
}

impl ZipEntryStream {
    fn spawn(path: PathBuf, index: usize) -> Result<Self, RomeImportError> {
        let (tx, chunks) = mpsc::sync_channel(2);
        let shown = path.display().to_string();
        std::thread::Builder::new()
            .name("zip-entry".into())
            .spawn(move || {
                let fail = |message: String| {
                    io::Error::other(StreamError::Zip {
                        path: path.clone(),
                        message,
                    })
                };
                let opened = File::open(&path)
                    .map_err(|e| fail(e.to_string()))
                    .and_then(|f| zip::ZipArchive::new(f).map_err(|e| fail(e.to_string())));
                let mut archive = match opened {
                    Ok(a) => a,
                    Err(e) => return drop(tx.send(Err(e))),
                };
                let mut entry = match archive.by_index(index) {
                    Ok(e) => e,
                    Err(e) => return drop(tx.send(Err(fail(e.to_string())))),
                };
                loop {
                    let mut chunk = vec![0u8; CHUNK];
                    match entry.read(&mut chunk) {
                        Ok(0) => return,
                        Ok(n) => {
                            chunk.truncate(n);
                            if tx.send(Ok(chunk)).is_err() {
                                return;
                            }
                        }
                        Err(e) => return drop(tx.send(Err(fail(e.to_string())))),
                    }
                }
            })
            .map_err(|source| RomeImportError::Io {
                path: shown,
                source,
            })?;
        Ok(ZipEntryStream {
            chunks,
            current: Vec::new(),
            pos: 0,
        })
    }
}

impl Read for ZipEntryStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.current.len() {
            match self.chunks.recv() {
                Ok(chunk) => {
                    self.current = chunk?;
                    self.pos = 0;
                }
                // The thread is done: end of the entry.
                Err(mpsc::RecvError) => return Ok(0),
            }
        }
        let n = buf.len().min(self.current.len() - self.pos);
        buf[..n].copy_from_slice(&self.current[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// Sorts the names found into ROME files per folder, version.txt and others.
#[derive(Default)]
struct Grouping {
    rome: BTreeMap<String, Vec<(String, String, u32, Entry)>>,
    version_txt: BTreeMap<String, Entry>,
    others: Vec<String>,
}

impl Grouping {
    fn add(&mut self, folder: &str, name: &str, entry: Entry) {
        let shown = if folder.is_empty() {
            name.to_string()
        } else {
            format!("{folder}/{name}")
        };
        if let Some((stem, version)) = parse_file_name(name) {
            self.rome.entry(folder.to_string()).or_default().push((
                stem.to_string(),
                name.to_string(),
                version,
                entry,
            ));
        } else if name.eq_ignore_ascii_case("version.txt") {
            self.version_txt.insert(folder.to_string(), entry);
        } else {
            self.others.push(shown);
        }
    }

    fn finish(
        mut self,
        origin: String,
        zip: Option<zip::ZipArchive<File>>,
        zip_path: PathBuf,
    ) -> Result<Source, RomeImportError> {
        if self.rome.is_empty() {
            let mut found: Vec<String> = self.others.iter().take(10).cloned().collect();
            if self.others.len() > 10 {
                found.push(format!("… ({} en tout)", self.others.len()));
            }
            let found = if found.is_empty() {
                "rien".to_string()
            } else {
                found.join(", ")
            };
            return Err(RomeImportError::NoRomeFiles { origin, found });
        }
        if self.rome.len() > 1 {
            let folders = self.rome.keys().map(|f| {
                if f.is_empty() {
                    "racine".into()
                } else {
                    f.clone()
                }
            });
            return Err(RomeImportError::SeveralFolders {
                origin,
                folders: folders.collect::<Vec<_>>().join(", "),
            });
        }
        let (folder, files) = self.rome.pop_first().expect("one folder");
        let versions: BTreeSet<u32> = files.iter().map(|f| f.2).collect();
        if versions.len() > 1 {
            let versions = versions
                .iter()
                .map(|v| format!("v{v}"))
                .collect::<Vec<_>>()
                .join(", ");
            return Err(RomeImportError::SeveralVersions { origin, versions });
        }
        let file_version = *versions.first().expect("one version");
        let location = if folder.is_empty() || zip.is_none() {
            origin
        } else {
            format!("{origin}:{folder}/")
        };
        let version_txt = self.version_txt.remove(&folder);
        let mut unexpected = self.others;
        unexpected.extend(
            self.version_txt
                .into_keys()
                .map(|f| format!("{f}/version.txt")),
        );
        let entries = files
            .into_iter()
            .map(|(stem, name, _, entry)| (stem, (name, entry)))
            .collect();
        Ok(Source {
            location,
            file_version,
            entries,
            version_txt,
            zip,
            zip_path,
            unexpected,
            limits: ReadLimits::default(),
        })
    }
}
