//! What Passerelle's test suites share, so that none copies it: where the
//! official data is, and the official ROME v460 set read once per test
//! binary. A dev-dependency only; nothing here ships, so it may find the
//! workspace from `CARGO_MANIFEST_DIR` where the binary cannot.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use passerelle_core::Referential;
use passerelle_import::rome::RomeImport;

/// The official data directory, checked: `$PASSERELLE_DATA`, else
/// `../shared/data` beside this workspace, found from this crate's sources at
/// compile time so that tests find the data whatever their working directory
/// (the shipped binary finds it at run time instead,
/// [`passerelle_import::default_data_dir`]). Tests and benchmarks fail, never
/// skip silently, when it is missing, with a message saying where they looked
/// (../shared/guides/conventions.md).
pub fn require_data_dir() -> PathBuf {
    let dir = match std::env::var_os("PASSERELLE_DATA") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => {
            passerelle_import::data_dir_beside(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."))
        }
    };
    if !dir.join("rome").is_dir() {
        panic!(
            "données officielles introuvables : {} n'existe pas (définissez PASSERELLE_DATA ou placez ../shared/data à côté du dépôt)",
            dir.join("rome").display()
        );
    }
    dir
}

/// The territorial open data (`territory/` of the data directory), checked
/// like [`require_data_dir`].
pub fn territory_dir() -> PathBuf {
    let dir = require_data_dir().join("territory");
    assert!(
        dir.is_dir(),
        "données territoriales introuvables : {}",
        dir.display()
    );
    dir
}

/// The official ROME v460 set as the reader returns it, read once per test
/// binary: reading it takes about a second, and most suites need it.
pub fn rome_v460() -> &'static RomeImport {
    static IMPORT: OnceLock<RomeImport> = OnceLock::new();
    IMPORT.get_or_init(|| {
        let dir = require_data_dir().join("rome");
        passerelle_import::rome::read(&dir, &mut |_| {})
            .unwrap_or_else(|e| panic!("lecture du ROME v460 : {e}"))
    })
}

/// [`rome_v460`] with its lookup indexes, built once per test binary.
pub fn referential_v460() -> &'static Referential {
    static REFERENTIAL: OnceLock<Referential> = OnceLock::new();
    REFERENTIAL.get_or_init(|| Referential::new(rome_v460().data.clone()))
}

pub mod printed;

/// Internal words no page or document may show
/// (../shared/guides/conventions.md, "Words users see"); each suite adds
/// what it can name besides (data file names, extensions). Issue 24 adds
/// the names of tools and methods a counsellor does not know: the service
/// a data file came from (« Mobiville »), the weighting's acronym (« IDF »,
/// said « pondération par la rareté des items »), the demo's own wording
/// and the administrator's commands.
pub const INTERNAL_WORDS: [&str; 11] = [
    "seed",
    "docs/",
    ".rs",
    "passerelle_core",
    "unix_",
    "v460",
    "--weights",
    "Mobiville",
    "IDF",
    "transcription de démonstration",
    "passerelle import",
];

/// Whether `text` shows the internal `word`: an acronym (no lower-case
/// letter, « IDF ») as written, so that the JSON's lower-case formula
/// identifiers (`couverture_idf`) stay a contract, not a word; any other
/// word in any case.
pub fn shows_word(text: &str, word: &str) -> bool {
    if word.chars().any(char::is_lowercase) {
        text.to_lowercase().contains(&word.to_lowercase())
    } else {
        text.contains(word)
    }
}

/// The text of an HTML page or document as a reader sees it: tags (and the
/// addresses in their attributes) removed, the entities askama writes
/// decoded.
pub fn visible_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}
