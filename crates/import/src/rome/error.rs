//! Why an import of the ROME set stopped. Each message is one French line
//! naming the file (and line, column) at fault.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum RomeImportError {
    #[error("chemin introuvable : {0}")]
    NotFound(PathBuf),
    #[error("{0} n'est ni un répertoire ni une archive zip")]
    NotDirOrZip(PathBuf),
    #[error("lecture de {path} impossible : {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "{file} : {size} octets une fois décompressé, au-delà de la limite de {limit} octets (fichier refusé sans être lu en entier)"
    )]
    TooLarge {
        file: String,
        size: String,
        limit: u64,
    },
    #[error("archive zip {path} illisible : {message}")]
    Zip { path: PathBuf, message: String },
    #[error(
        "{origin} ne contient aucun fichier du ROME (unix_*_vNNN_utf8.csv) ; contenu trouvé : {found}"
    )]
    NoRomeFiles { origin: String, found: String },
    #[error(
        "{origin} mélange plusieurs versions du ROME ({versions}) : gardez un seul jeu de fichiers"
    )]
    SeveralVersions { origin: String, versions: String },
    #[error(
        "{origin} contient des fichiers du ROME dans plusieurs dossiers ({folders}) : gardez un seul jeu de fichiers"
    )]
    SeveralFolders { origin: String, folders: String },
    #[error("fichier obligatoire {file} absent de {dir} ({role})")]
    MissingFile {
        file: String,
        dir: String,
        role: &'static str,
    },
    #[error("{file} est vide (0 octet) alors que ce fichier est obligatoire ({role})")]
    EmptyFile { file: String, role: &'static str },
    #[error(
        "{file} ne contient aucune ligne de données alors que ce fichier est obligatoire ({role})"
    )]
    NoRows { file: String, role: &'static str },
    #[error("{file} : en-tête inattendu ({detail}) : attendu « {expected} », trouvé « {found} »")]
    Header {
        file: String,
        detail: String,
        expected: String,
        found: String,
    },
    #[error("{file}, ligne {line} : {message}")]
    Malformed {
        file: String,
        line: u64,
        message: String,
    },
    #[error("{file}, ligne {line} : fichier non encodé en UTF-8 (octet 0x{byte:02X} invalide)")]
    NotUtf8 { file: String, line: u64, byte: u8 },
    #[error(
        "{file} : {rejected} lignes sur {read} ne sont pas importables ({detail}) ; fichier obligatoire refusé, car plus de la moitié de ses lignes sont rejetées (exemple : {example})"
    )]
    MostlyRejected {
        file: String,
        read: usize,
        rejected: usize,
        detail: String,
        example: String,
    },
    #[error("{file} : {message}")]
    Version { file: String, message: String },
}
