//! The download manifest: a TOML file listing, for each official file, where
//! to download it and the exact name the importer expects (docs/donnees.md).
//!
//! ```toml
//! [[fichier]]
//! nom = "communes.json"                      # nom exact attendu par l'importeur
//! url = "https://exemple.org/communes.json"  # absolue, ou relative au manifeste
//! sha256 = "…"                               # facultatif : empreinte vérifiée
//! ```
//!
//! The names, not the URLs, say what each file is: a publisher's address
//! rarely ends with the file name the importer knows.

use std::collections::BTreeSet;

/// One file to download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestEntry {
    /// Exact file name the importer expects (no directory).
    pub nom: String,
    pub url: String,
    /// Expected SHA-256 (hexadecimal), checked after the download.
    pub sha256: Option<String>,
}

/// A checked manifest: at least one file, names unique, URLs absolute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    pub files: Vec<ManifestEntry>,
}

#[derive(Debug, thiserror::Error)]
#[error("manifeste {origin} : {message}")]
pub struct ManifestError {
    pub origin: String,
    pub message: String,
}

impl Manifest {
    /// Parses and checks `text`; `origin` (path or URL) names the manifest in
    /// messages and is the base of relative URLs when it is itself a URL.
    pub fn parse(text: &str, origin: &str) -> Result<Manifest, ManifestError> {
        let err = |message: String| ManifestError {
            origin: origin.to_string(),
            message,
        };
        let table: toml::Table = text
            .parse()
            .map_err(|e: toml::de::Error| err(format!("TOML invalide : {}", e.message())))?;
        let mut manifest = Manifest {
            files: entries(&table).map_err(err)?,
        };
        if manifest.files.is_empty() {
            return Err(err("aucun bloc [[fichier]] (nom, url)".into()));
        }
        let mut names = BTreeSet::new();
        for (i, f) in manifest.files.iter_mut().enumerate() {
            let n = i + 1;
            if f.nom.trim().is_empty() || f.nom.contains(['/', '\\']) || f.nom.starts_with('.') {
                return Err(err(format!(
                    "fichier n° {n} : champ nom « {} » : attendu un nom de fichier sans dossier",
                    f.nom
                )));
            }
            if !names.insert(f.nom.clone()) {
                return Err(err(format!("fichier n° {n} : nom « {} » en double", f.nom)));
            }
            if f.url.trim().is_empty() {
                return Err(err(format!(
                    "fichier {} : champ url vide (adresse de téléchargement à compléter, voir docs/donnees.md)",
                    f.nom
                )));
            }
            f.url = resolve(origin, f.url.trim()).ok_or_else(|| {
                err(format!("fichier {} : champ url « {} » : attendu une adresse http(s) (ou relative à un manifeste téléchargé)", f.nom, f.url))
            })?;
            if let Some(h) = &mut f.sha256 {
                *h = h.trim().to_ascii_lowercase();
                if h.len() != 64 || !h.chars().all(|c| c.is_ascii_hexdigit()) {
                    return Err(err(format!(
                        "fichier {} : champ sha256 : attendu 64 chiffres hexadécimaux",
                        f.nom
                    )));
                }
            }
        }
        Ok(manifest)
    }
}

/// The `[[fichier]]` blocks, with French messages for unknown or mistyped keys
/// (serde's would be English).
fn entries(table: &toml::Table) -> Result<Vec<ManifestEntry>, String> {
    if let Some(key) = table.keys().find(|k| *k != "fichier") {
        return Err(format!(
            "clé « {key} » inconnue : attendu des blocs [[fichier]]"
        ));
    }
    let Some(list) = table.get("fichier") else {
        return Ok(Vec::new());
    };
    let list = list
        .as_array()
        .ok_or("« fichier » doit être une liste de blocs [[fichier]]")?;
    let mut files = Vec::new();
    for (i, item) in list.iter().enumerate() {
        let n = i + 1;
        let t = item
            .as_table()
            .ok_or(format!("fichier n° {n} : attendu un bloc [[fichier]]"))?;
        if let Some(key) = t
            .keys()
            .find(|k| !["nom", "url", "sha256"].contains(&k.as_str()))
        {
            return Err(format!(
                "fichier n° {n} : champ « {key} » inconnu (champs : nom, url, sha256)"
            ));
        }
        let text = |key: &str, required: bool| -> Result<Option<String>, String> {
            match t.get(key) {
                None if required => Err(format!("fichier n° {n} : champ {key} absent")),
                None => Ok(None),
                Some(v) => v
                    .as_str()
                    .map(|s| Some(s.to_string()))
                    .ok_or(format!("fichier n° {n} : champ {key} : attendu un texte")),
            }
        };
        files.push(ManifestEntry {
            nom: text("nom", true)?.unwrap_or_default(),
            url: text("url", true)?.unwrap_or_default(),
            sha256: text("sha256", false)?,
        });
    }
    Ok(files)
}

/// `url` made absolute: kept when it is http(s), joined to the directory of
/// `origin` when `origin` is a URL, refused otherwise.
fn resolve(origin: &str, url: &str) -> Option<String> {
    if crate::is_url(url) {
        return Some(url.to_string());
    }
    if url.contains("://") || !crate::is_url(origin) {
        return None;
    }
    let base = origin.split(['?', '#']).next().unwrap_or(origin);
    let scheme_end = base.find("://")? + 3;
    if let Some(path) = url.strip_prefix('/') {
        let host_end = base[scheme_end..]
            .find('/')
            .map(|i| scheme_end + i)
            .unwrap_or(base.len());
        return Some(format!("{}/{path}", &base[..host_end]));
    }
    let dir_end = base[scheme_end..].rfind('/').map(|i| scheme_end + i + 1);
    match dir_end {
        Some(end) => Some(format!("{}{url}", &base[..end])),
        None => Some(format!("{base}/{url}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_files_and_resolves_relative_urls() {
        let text = r#"
            [[fichier]]
            nom = "communes.json"
            url = "geo/communes.json"
            [[fichier]]
            nom = "certif_info.csv"
            url = "https://autre.example/ci.csv"
            sha256 = "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"
        "#;
        let m = Manifest::parse(text, "http://127.0.0.1:9/miroir/territoire.toml").unwrap();
        assert_eq!(
            m.files[0].url,
            "http://127.0.0.1:9/miroir/geo/communes.json"
        );
        assert_eq!(m.files[1].url, "https://autre.example/ci.csv");
        assert_eq!(
            m.files[1].sha256.as_deref(),
            Some("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        );
        assert_eq!(
            resolve("http://h:1/a/m.toml", "/racine.csv").as_deref(),
            Some("http://h:1/racine.csv")
        );
    }

    #[test]
    fn refuses_what_cannot_be_downloaded() {
        let cases = [
            ("", "aucun bloc [[fichier]]"),
            ("[[fichier]]\nnom = \"a.csv\"\nurl = \"\"", "champ url vide"),
            (
                "[[fichier]]\nnom = \"a.csv\"\nurl = \"a.csv\"",
                "attendu une adresse http(s)",
            ),
            (
                "[[fichier]]\nnom = \"d/a.csv\"\nurl = \"http://h/a\"",
                "sans dossier",
            ),
            (
                "[[fichier]]\nnom = \"a.csv\"\nurl = \"http://h/a\"\n[[fichier]]\nnom = \"a.csv\"\nurl = \"http://h/b\"",
                "en double",
            ),
            (
                "[[fichier]]\nnom = \"a.csv\"\nurl = \"http://h/a\"\nsha256 = \"12\"",
                "64 chiffres",
            ),
            (
                "[[fichier]]\nnom = \"a.csv\"\nadresse = \"http://h/a\"",
                "champ « adresse » inconnu",
            ),
            ("[[fichier]]\nnom = \"a.csv\"", "champ url absent"),
            (
                "[[fichier]]\nnom = 3\nurl = \"http://h/a\"",
                "champ nom : attendu un texte",
            ),
            ("[fichier\n", "TOML invalide"),
        ];
        for (text, expected) in cases {
            let e = Manifest::parse(text, "m.toml").unwrap_err().to_string();
            assert!(
                e.starts_with("manifeste m.toml : ") && e.contains(expected),
                "{text:?} → {e}"
            );
        }
    }
}
