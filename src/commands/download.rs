//! Downloads for `import rome URL` and `import territoire URL…|MANIFESTE`:
//! every file goes to a temporary directory (with the progress bar), and only
//! a complete set is handed to the readers; the database is opened after that.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressStyle};
use passerelle_fetch::{Downloaded, Limits, Manifest, ManifestEntry, Progress};
use passerelle_store::Download;
use passerelle_territory::import::files;

use crate::context::Context;

/// Official address of the ROME CSV archive (`RefRomeCsv.zip`), as given in
/// `../shared/data/rome/README.md`.
pub const ROME_ARCHIVE_URL: &str =
    "https://api.francetravail.fr/api-nomenclatureemploi/v1/open-data/csv";

/// The territory manifest template shipped with Passerelle (docs/donnees.md).
pub const TERRITORY_MANIFEST: &str = "data/telechargement/territoire.toml";

/// Files downloaded into a temporary directory, removed when dropped.
pub struct Fetched {
    pub dir: tempfile::TempDir,
    pub files: Vec<Download>,
    /// Temporary path of each file and the URL it came from.
    places: Vec<(PathBuf, String)>,
}

impl Fetched {
    /// A reader's message with each temporary path replaced by its URL, so
    /// that the user is told which download was wrong.
    pub fn explain(&self, message: String) -> String {
        let mut message = message;
        for (path, url) in &self.places {
            message = message.replace(&path.display().to_string(), url);
        }
        message.replace(&self.dir.path().display().to_string(), "(téléchargement)")
    }
}

/// Downloads the ROME archive at `url` to `<tmp>/RefRomeCsv.zip` (or the
/// URL's own `.zip` name); returns the directory and the path of the archive.
pub fn fetch_rome(
    ctx: &Context,
    url: &str,
    limits: &Limits,
    quiet: bool,
) -> anyhow::Result<(Fetched, PathBuf)> {
    let name = passerelle_fetch::file_name_of(url)
        .filter(|n| n.to_ascii_lowercase().ends_with(".zip"))
        .unwrap_or_else(|| "RefRomeCsv.zip".to_string());
    let dir = temp_dir()?;
    let dest = dir.path().join(&name);
    let got = fetch_one(url, &dest, &name, limits, quiet)?;
    let places = vec![(dest.clone(), url.to_string())];
    let files = vec![record(ctx, &name, got)];
    Ok((Fetched { dir, files, places }, dest))
}

/// Downloads the territorial files named by `sources` (URLs of official
/// files, or one manifest given by path or URL) into the directory layout
/// that `read_territory` expects. Checks the set before downloading anything.
pub fn fetch_territory(
    ctx: &Context,
    sources: &[String],
    limits: &Limits,
    quiet: bool,
) -> anyhow::Result<Fetched> {
    let entries = territory_entries(sources, limits, quiet)?;
    let planned = plan(&entries)?;
    let dir = temp_dir()?;
    let (mut files, mut places) = (Vec::new(), Vec::new());
    for (entry, rel) in planned {
        let dest = dir.path().join(rel);
        std::fs::create_dir_all(dest.parent().unwrap_or(dir.path()))?;
        let got = fetch_one(&entry.url, &dest, &entry.nom, limits, quiet)?;
        if let Some(expected) = entry.sha256.as_deref().filter(|e| *e != got.sha256) {
            anyhow::bail!(
                "{} ({}) : empreinte SHA-256 {} différente de celle du manifeste ({expected})",
                entry.nom,
                entry.url,
                got.sha256
            );
        }
        places.push((dest, entry.url.clone()));
        files.push(record(ctx, &entry.nom, got));
    }
    Ok(Fetched { dir, files, places })
}

/// True when `sources` asks for downloads rather than a local directory.
pub fn is_remote(sources: &[String]) -> bool {
    sources
        .iter()
        .any(|s| passerelle_fetch::is_url(s) || is_manifest(s))
}

fn is_manifest(s: &str) -> bool {
    let path = s.split(['?', '#']).next().unwrap_or(s);
    path.to_ascii_lowercase().ends_with(".toml")
}

/// The files to download: those of a manifest, or one per URL, named by the
/// URL's last segment.
fn territory_entries(
    sources: &[String],
    limits: &Limits,
    quiet: bool,
) -> anyhow::Result<Vec<ManifestEntry>> {
    if let [one] = sources
        && is_manifest(one)
    {
        return Ok(load_manifest(one, limits, quiet)?.files);
    }
    if let Some(bad) = sources.iter().find(|s| !passerelle_fetch::is_url(s)) {
        anyhow::bail!(
            "« {bad} » : donnez soit un répertoire, soit des adresses http(s) de fichiers officiels, soit un seul manifeste .toml"
        );
    }
    sources
        .iter()
        .map(|url| {
            let nom = passerelle_fetch::file_name_of(url).ok_or_else(|| {
                anyhow::anyhow!("{url} : l'adresse ne se termine pas par un nom de fichier ; utilisez un manifeste (docs/donnees.md)")
            })?;
            Ok(ManifestEntry { nom, url: url.clone(), sha256: None })
        })
        .collect()
}

fn load_manifest(source: &str, limits: &Limits, quiet: bool) -> anyhow::Result<Manifest> {
    let text = if passerelle_fetch::is_url(source) {
        let dir = temp_dir()?;
        let dest = dir.path().join("manifeste.toml");
        fetch_one(source, &dest, "manifeste", limits, quiet)?;
        std::fs::read_to_string(&dest)
            .map_err(|e| anyhow::anyhow!("manifeste {source} illisible : {e}"))?
    } else {
        std::fs::read_to_string(source)
            .map_err(|e| anyhow::anyhow!("manifeste {source} illisible : {e}"))?
    };
    Ok(Manifest::parse(&text, source)?)
}

/// Where each expected file goes under the territory directory.
fn territory_path(name: &str) -> Option<String> {
    let fixed = [
        (
            "departements.json",
            format!("{}/departements.json", files::GEO_DIR),
        ),
        ("regions.json", format!("{}/regions.json", files::GEO_DIR)),
        ("communes.json", format!("{}/communes.json", files::GEO_DIR)),
        (base(files::CHOMAGE), files::CHOMAGE.to_string()),
        (base(files::BMO_XLSX), files::BMO_XLSX.to_string()),
        (base(files::BASSINS), files::BASSINS.to_string()),
        (base(files::TENSION), files::TENSION.to_string()),
        (base(files::ROME_NAF), files::ROME_NAF.to_string()),
        (base(files::CERTIF_INFO), files::CERTIF_INFO.to_string()),
    ];
    if let Some((_, rel)) = fixed.into_iter().find(|(n, _)| *n == name) {
        return Some(rel);
    }
    // RNCP/RS exports: any XML file, read from the RNCP directory.
    name.to_ascii_lowercase()
        .ends_with(".xml")
        .then(|| format!("{}/{name}", files::RNCP_DIR))
}

fn base(rel: &'static str) -> &'static str {
    rel.rsplit('/').next().unwrap_or(rel)
}

/// The file names `import territoire` needs (the RNCP/RS XML exports are optional).
pub fn required_territory_files() -> Vec<&'static str> {
    let mut names = vec!["departements.json", "regions.json", "communes.json"];
    names.extend(
        [
            files::CHOMAGE,
            files::BMO_XLSX,
            files::BASSINS,
            files::TENSION,
            files::ROME_NAF,
            files::CERTIF_INFO,
        ]
        .map(base),
    );
    names
}

/// Each entry with its place in the directory; refuses unknown names and an
/// incomplete set before anything is downloaded.
fn plan(entries: &[ManifestEntry]) -> anyhow::Result<Vec<(ManifestEntry, String)>> {
    let required = required_territory_files();
    let mut planned = Vec::new();
    for e in entries {
        let rel = territory_path(&e.nom).ok_or_else(|| {
            anyhow::anyhow!(
                "fichier « {} » ({}) inconnu de l'import territorial ; noms attendus : {}, et les exports RNCP/RS en .xml",
                e.nom,
                e.url,
                required.join(", ")
            )
        })?;
        if planned
            .iter()
            .any(|(p, _): &(ManifestEntry, String)| p.nom == e.nom)
        {
            anyhow::bail!("fichier « {} » donné deux fois", e.nom);
        }
        planned.push((e.clone(), rel));
    }
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|n| !entries.iter().any(|e| e.nom == *n))
        .collect();
    if !missing.is_empty() {
        anyhow::bail!(
            "il manque {} fichier(s) officiel(s) : {} (chaque fichier est décrit dans docs/donnees.md)",
            missing.len(),
            missing.join(", ")
        );
    }
    Ok(planned)
}

fn temp_dir() -> anyhow::Result<tempfile::TempDir> {
    tempfile::Builder::new()
        .prefix("passerelle-telechargement-")
        .tempdir()
        .map_err(|e| {
            anyhow::anyhow!(
                "répertoire temporaire impossible à créer ({}) : {e}",
                std::env::temp_dir().display()
            )
        })
}

/// One download with its progress bar (hidden when quiet or not on a terminal).
fn fetch_one(
    url: &str,
    dest: &Path,
    label: &str,
    limits: &Limits,
    quiet: bool,
) -> anyhow::Result<Downloaded> {
    let bar = if quiet || !std::io::stderr().is_terminal() {
        ProgressBar::hidden()
    } else {
        ProgressBar::no_length()
    };
    bar.set_message(label.to_string());
    let mut styled = false;
    let got = passerelle_fetch::download(url, dest, limits, &mut |p: Progress| {
        if !styled {
            styled = true;
            let template = match p.total {
                Some(total) => {
                    bar.set_length(total);
                    "{spinner} téléchargement {msg} [{bar:30}] {bytes}/{total_bytes} ({bytes_per_sec}, reste {eta})"
                }
                None => "{spinner} téléchargement {msg} {bytes} ({bytes_per_sec})",
            };
            bar.set_style(
                ProgressStyle::with_template(template)
                    .expect("valid template")
                    .progress_chars("=> "),
            );
        }
        bar.set_position(p.received);
    });
    bar.finish_and_clear();
    Ok(got?)
}

fn record(ctx: &Context, name: &str, got: Downloaded) -> Download {
    Download {
        file_name: name.to_string(),
        url: got.url,
        downloaded_at: ctx.now_rfc3339(),
        size_bytes: got.bytes,
        sha256: got.sha256,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(nom: &str) -> ManifestEntry {
        ManifestEntry {
            nom: nom.into(),
            url: format!("http://127.0.0.1:1/{nom}"),
            sha256: None,
        }
    }

    #[test]
    fn every_expected_name_has_its_place() {
        let mut entries: Vec<_> = required_territory_files().into_iter().map(entry).collect();
        entries.push(entry("export_fiches_RNCP_fixture.xml"));
        let planned = plan(&entries).unwrap();
        let rel = |n: &str| planned.iter().find(|(e, _)| e.nom == n).unwrap().1.clone();
        assert_eq!(
            rel("communes.json"),
            "referentiel_geo/etalab_decoupage_administratif_6.0.0/communes.json"
        );
        assert_eq!(rel("Base_open_data_BMO_2025.xlsx"), files::BMO_XLSX);
        assert_eq!(
            rel("export_fiches_RNCP_fixture.xml"),
            "certifications/rncp_xml_format_sample/export_fiches_RNCP_fixture.xml"
        );
        // The shared data directory has every required file at that place.
        let territory = passerelle_test_support::require_data_dir().join("territory");
        for (e, rel) in &planned {
            assert!(
                territory.join(rel).is_file(),
                "{} absent de {}",
                e.nom,
                territory.display()
            );
        }
    }

    #[test]
    fn incomplete_or_unknown_sets_are_refused_before_downloading() {
        let err = plan(&[entry("communes.json")]).unwrap_err().to_string();
        assert!(
            err.contains("il manque 8 fichier(s)") && err.contains("certif_info.csv"),
            "{err}"
        );
        let err = plan(&[entry("notes.pdf")]).unwrap_err().to_string();
        assert!(
            err.contains("« notes.pdf »") && err.contains("noms attendus"),
            "{err}"
        );
        assert!(is_remote(&["http://h/a.csv".into()]) && is_remote(&["m.toml".into()]));
        assert!(!is_remote(&["../shared/data/territory".into()]));
    }
}
