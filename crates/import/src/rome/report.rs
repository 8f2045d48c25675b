//! The import report: every row of every file is either imported or
//! counted here with the reason it was not, with its first examples.

use serde::{Deserialize, Serialize};

use passerelle_core::RomeVersion;

/// How many examples an issue keeps.
pub const MAX_EXAMPLES: usize = 5;

/// What happened to a whole import.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportReport {
    /// The directory or zip the set was read from.
    pub source: String,
    pub version: RomeVersion,
    pub files: Vec<FileReport>,
    /// Non-fatal remarks (decoded Latin-9 file, unexpected files ignored, …), in French.
    pub warnings: Vec<String>,
}

impl ImportReport {
    pub fn file(&self, stem: &str) -> Option<&FileReport> {
        self.files.iter().find(|f| f.stem == stem)
    }

    /// Rows not imported, all files and reasons together.
    pub fn rows_not_imported(&self) -> usize {
        self.files.iter().map(FileReport::not_imported).sum()
    }

    pub fn count_of(&self, kind: IssueKind) -> usize {
        self.files
            .iter()
            .flat_map(|f| &f.issues)
            .filter(|i| i.kind == kind)
            .map(|i| i.count)
            .sum()
    }
}

/// Whether a file was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileStatus {
    Read,
    /// Optional file not in the set.
    Absent,
    /// Optional file of 0 bytes.
    Empty,
}

/// What happened to one file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileReport {
    pub stem: String,
    /// File name as found (or as expected when absent).
    pub file: String,
    pub required: bool,
    pub status: FileStatus,
    /// Data rows (header excluded).
    pub rows_read: usize,
    /// Rows that became (or confirmed) part of the referential.
    pub imported: usize,
    pub issues: Vec<Issue>,
}

impl FileReport {
    pub fn new(stem: &str, file: String, required: bool, status: FileStatus) -> Self {
        FileReport {
            stem: stem.into(),
            file,
            required,
            status,
            rows_read: 0,
            imported: 0,
            issues: Vec::new(),
        }
    }

    pub fn not_imported(&self) -> usize {
        self.issues.iter().map(|i| i.count).sum()
    }

    /// Records one row that was not imported.
    pub fn issue(&mut self, kind: IssueKind, reason: &str, example: impl FnOnce() -> String) {
        let issue = match self
            .issues
            .iter_mut()
            .find(|i| i.kind == kind && i.reason == reason)
        {
            Some(i) => i,
            None => {
                self.issues.push(Issue {
                    kind,
                    reason: reason.into(),
                    count: 0,
                    examples: Vec::new(),
                });
                self.issues.last_mut().expect("just pushed")
            }
        };
        issue.count += 1;
        if issue.examples.len() < MAX_EXAMPLES {
            issue.examples.push(example());
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IssueKind {
    /// Refers to something that does not exist (unknown fiche, item, …).
    Orphan,
    /// Same key as an earlier row; the first one is kept.
    Duplicate,
    /// A value that cannot be read (bad code, unknown category, …).
    Invalid,
}

impl IssueKind {
    pub fn label_fr(self) -> &'static str {
        match self {
            IssueKind::Orphan => "orphelines",
            IssueKind::Duplicate => "doublons",
            IssueKind::Invalid => "invalides",
        }
    }
}

/// Rows of one file left out for one reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Issue {
    pub kind: IssueKind,
    /// French, e.g. "item inconnu des référentiels".
    pub reason: String,
    pub count: usize,
    /// First rows concerned, as "ligne 12 : A1101 → 999999".
    pub examples: Vec<String>,
}
