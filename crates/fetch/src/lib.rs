//! Downloads of the official open-data files, so that a machine without
//! `../shared/data` can still get them through Passerelle itself
//! (`passerelle import rome URL`, `passerelle import territoire URL…`).
//!
//! A download goes to a file chosen by the caller (in a temporary directory),
//! is hashed (SHA-256) while it is written, and fails — removing the partial
//! file — on an HTTP error status, a silence longer than the timeout, a body
//! over the size cap or a body shorter than its announced length. Callers
//! import only what [`download`] returned `Ok` for, so a failed download never
//! reaches the database.
//!
//! Error policy: one [`FetchError`] enum whose messages are French sentences
//! naming the URL and, for a limit, the setting that changes it.

pub mod manifest;
#[cfg(any(test, feature = "test-server"))]
pub mod test_server;

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use sha2::{Digest, Sha256};

pub use manifest::{Manifest, ManifestEntry};

/// Limits of one download. The defaults suit the official files: the largest
/// input Passerelle reads is the national RNCP/RS XML export (about 570 MB).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Longest wait for the connection or for the next bytes of the body.
    /// A silence, not a total: a large file on a slow link still arrives.
    pub timeout: Duration,
    /// Largest body accepted, in bytes.
    pub max_bytes: u64,
}

impl Limits {
    pub const DEFAULT_TIMEOUT_SECS: u64 = 60;
    pub const DEFAULT_MAX_BYTES: u64 = 1 << 30;
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            timeout: Duration::from_secs(Self::DEFAULT_TIMEOUT_SECS),
            max_bytes: Self::DEFAULT_MAX_BYTES,
        }
    }
}

/// A complete download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Downloaded {
    pub url: String,
    pub path: PathBuf,
    pub bytes: u64,
    /// Lower-case hexadecimal SHA-256 of the bytes received.
    pub sha256: String,
}

/// Bytes received so far and the announced total, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub received: u64,
    pub total: Option<u64>,
}

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("adresse invalide « {0} » : attendu http://… ou https://…")]
    InvalidUrl(String),
    #[error("{url} : le serveur a répondu {status}{}", status_hint(*status))]
    Status { url: String, status: u16 },
    #[error("{url} : connexion impossible ({message})")]
    Connect { url: String, message: String },
    #[error(
        "{url} : aucune donnée reçue pendant {secs} s (délai --timeout ou PASSERELLE_DOWNLOAD_TIMEOUT)"
    )]
    Timeout { url: String, secs: u64 },
    #[error(
        "{url} : le fichier dépasse la taille maximale de {limit} octets{} (réglage --max-size ou PASSERELLE_DOWNLOAD_MAX_SIZE)",
        announced.map(|n| format!(" ({n} octets annoncés)")).unwrap_or_default()
    )]
    TooLarge {
        url: String,
        limit: u64,
        announced: Option<u64>,
    },
    #[error("{url} : téléchargement incomplet, {received} octets reçus sur {expected} annoncés")]
    Truncated {
        url: String,
        received: u64,
        expected: u64,
    },
    #[error("{url} : téléchargement interrompu après {received} octets ({message})")]
    Interrupted {
        url: String,
        received: u64,
        message: String,
    },
    #[error("écriture de {path} impossible : {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

fn status_hint(status: u16) -> &'static str {
    match status {
        404 | 410 => " (fichier introuvable à cette adresse)",
        401 | 403 => " (accès refusé)",
        500..=599 => " (erreur du serveur)",
        _ => "",
    }
}

/// True for an `http://` or `https://` address (what the import commands
/// fetch instead of reading a path).
pub fn is_url(s: &str) -> bool {
    let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// The last path segment of a URL (`…/files/communes.json?x=1` → `communes.json`),
/// which names the file when no manifest does.
pub fn file_name_of(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let after_scheme = path.split_once("://").map(|(_, rest)| rest).unwrap_or(path);
    let (_, path) = after_scheme.split_once('/')?;
    path.rsplit('/')
        .next()
        .filter(|n| !n.is_empty())
        .map(str::to_string)
}

/// Downloads `url` into `dest`. On any failure the partial file is removed.
pub fn download(
    url: &str,
    dest: &Path,
    limits: &Limits,
    progress: &mut dyn FnMut(Progress),
) -> Result<Downloaded, FetchError> {
    if !is_url(url) {
        return Err(FetchError::InvalidUrl(url.to_string()));
    }
    let result = fetch_into(url, dest, limits, progress);
    if result.is_err() {
        let _ = std::fs::remove_file(dest);
    }
    result
}

fn agent(url: &str, limits: &Limits) -> ureq::Agent {
    let mut config = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_connect(Some(limits.timeout))
        .timeout_per_read(Some(limits.timeout))
        .user_agent(concat!("passerelle/", env!("CARGO_PKG_VERSION")));
    // A proxy from the environment is for the outside world; a file served on
    // this machine (a mirror, the tests) is fetched directly.
    if is_loopback(url) {
        config = config.proxy(None);
    }
    config.build().into()
}

fn is_loopback(url: &str) -> bool {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit_once('@').map(|(_, h)| h).unwrap_or(host);
    host.starts_with("127.") || host.starts_with("localhost") || host.starts_with("[::1]")
}

fn fetch_into(
    url: &str,
    dest: &Path,
    limits: &Limits,
    progress: &mut dyn FnMut(Progress),
) -> Result<Downloaded, FetchError> {
    let response = agent(url, limits)
        .get(url)
        .call()
        .map_err(|e| request_error(url, limits, e))?;
    let status = response.status().as_u16();
    if !(200..300).contains(&status) {
        return Err(FetchError::Status {
            url: url.to_string(),
            status,
        });
    }
    let announced = response
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if let Some(n) = announced.filter(|&n| n > limits.max_bytes) {
        return Err(FetchError::TooLarge {
            url: url.to_string(),
            limit: limits.max_bytes,
            announced: Some(n),
        });
    }
    let reader = response.into_body().into_reader();
    let (bytes, sha256) = copy_hashed(url, reader, dest, limits, announced, progress)?;
    if let Some(expected) = announced.filter(|&n| n != bytes) {
        return Err(FetchError::Truncated {
            url: url.to_string(),
            received: bytes,
            expected,
        });
    }
    Ok(Downloaded {
        url: url.to_string(),
        path: dest.to_path_buf(),
        bytes,
        sha256,
    })
}

/// Streams the body to `dest`, hashing and counting, stopping at the cap.
fn copy_hashed(
    url: &str,
    mut reader: impl Read,
    dest: &Path,
    limits: &Limits,
    announced: Option<u64>,
    progress: &mut dyn FnMut(Progress),
) -> Result<(u64, String), FetchError> {
    let write_err = |source| FetchError::Write {
        path: dest.to_path_buf(),
        source,
    };
    let mut out = BufWriter::new(File::create(dest).map_err(write_err)?);
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut received = 0u64;
    progress(Progress {
        received,
        total: announced,
    });
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(read_error(url, limits, received, announced, e)),
        };
        received += n as u64;
        if received > limits.max_bytes {
            return Err(FetchError::TooLarge {
                url: url.to_string(),
                limit: limits.max_bytes,
                announced,
            });
        }
        hasher.update(&buf[..n]);
        out.write_all(&buf[..n]).map_err(write_err)?;
        progress(Progress {
            received,
            total: announced,
        });
    }
    out.flush().map_err(write_err)?;
    out.into_inner()
        .map_err(|e| write_err(e.into_error()))?
        .sync_all()
        .map_err(write_err)?;
    Ok((received, hex(&hasher.finalize())))
}

fn request_error(url: &str, limits: &Limits, e: ureq::Error) -> FetchError {
    let url = url.to_string();
    match e {
        ureq::Error::Timeout(_) => FetchError::Timeout {
            url,
            secs: limits.timeout.as_secs(),
        },
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => FetchError::Timeout {
            url,
            secs: limits.timeout.as_secs(),
        },
        ureq::Error::BadUri(_) => FetchError::InvalidUrl(url),
        other => FetchError::Connect {
            url,
            message: other.to_string(),
        },
    }
}

/// A read error in the body: a timeout, a cut before the announced length, or another cut.
fn read_error(
    url: &str,
    limits: &Limits,
    received: u64,
    announced: Option<u64>,
    e: std::io::Error,
) -> FetchError {
    let url = url.to_string();
    let inner = e.get_ref().and_then(|i| i.downcast_ref::<ureq::Error>());
    let timed_out = e.kind() == std::io::ErrorKind::TimedOut
        || matches!(inner, Some(ureq::Error::Timeout(_)))
        || matches!(inner, Some(ureq::Error::Io(io)) if io.kind() == std::io::ErrorKind::TimedOut);
    if timed_out {
        return FetchError::Timeout {
            url,
            secs: limits.timeout.as_secs(),
        };
    }
    match announced {
        Some(expected) if received < expected => FetchError::Truncated {
            url,
            received,
            expected,
        },
        _ => FetchError::Interrupted {
            url,
            received,
            message: e.to_string(),
        },
    }
}

/// SHA-256 of a file already on disk (a local import records it too).
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut file, &mut hasher)?;
    Ok(hex(&hasher.finalize()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `1G`, `200M`, `64k`, `1 Go`, `500 Mo` or a plain number of bytes
/// (binary multiples: 1k = 1024).
pub fn parse_size(s: &str) -> Option<u64> {
    let t = s.trim().replace(' ', "");
    let lower = t.to_ascii_lowercase();
    let digits_end = lower
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(lower.len());
    let (num, unit) = lower.split_at(digits_end);
    let n: u64 = num.parse().ok()?;
    let shift = match unit {
        "" | "o" | "b" => 0,
        "k" | "ko" | "kb" | "kio" | "kib" => 10,
        "m" | "mo" | "mb" | "mio" | "mib" => 20,
        "g" | "go" | "gb" | "gio" | "gib" => 30,
        _ => return None,
    };
    n.checked_mul(1u64 << shift)
}

#[cfg(test)]
mod tests {
    use super::test_server::{Reply, TestServer};
    use super::*;

    fn limits(timeout_ms: u64, max_bytes: u64) -> Limits {
        Limits {
            timeout: Duration::from_millis(timeout_ms),
            max_bytes,
        }
    }

    fn get(
        server: &TestServer,
        path: &str,
        l: Limits,
    ) -> (Result<Downloaded, FetchError>, PathBuf, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("fichier");
        (
            download(&server.url(path), &dest, &l, &mut |_| {}),
            dest,
            dir,
        )
    }

    #[test]
    fn complete_download_has_the_sha256_of_its_bytes() {
        let body = b"abc".repeat(50_000);
        let server = TestServer::start([
            ("/f.csv", Reply::File(body.clone())),
            ("/nolen", Reply::NoLength(b"abc".to_vec())),
        ]);
        let mut seen = Vec::new();
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("f.csv");
        let d = download(&server.url("/f.csv"), &dest, &Limits::default(), &mut |p| {
            seen.push(p)
        })
        .unwrap();
        assert_eq!(d.bytes, 150_000);
        assert_eq!(std::fs::read(&dest).unwrap(), body);
        assert_eq!(d.sha256, sha256_file(&dest).unwrap());
        assert_eq!(
            seen.last(),
            Some(&Progress {
                received: 150_000,
                total: Some(150_000)
            })
        );
        // Known vector: SHA-256("abc").
        let (small, _, _dir) = get(&server, "/nolen", Limits::default());
        assert_eq!(
            small.unwrap().sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn http_error_status_is_named_and_leaves_no_file() {
        let server = TestServer::start([("/ok", Reply::File(vec![1]))]);
        let (r, dest, _dir) = get(&server, "/absent.zip", Limits::default());
        let err = r.unwrap_err();
        assert!(
            matches!(err, FetchError::Status { status: 404, .. }),
            "{err:?}"
        );
        assert!(
            err.to_string()
                .contains("404 (fichier introuvable à cette adresse)"),
            "{err}"
        );
        assert!(!dest.exists());
    }

    #[test]
    fn truncated_body_is_refused() {
        let server = TestServer::start([(
            "/t",
            Reply::Truncated {
                body: vec![7; 1000],
                announced: 5000,
            },
        )]);
        let (r, dest, _dir) = get(&server, "/t", Limits::default());
        let err = r.unwrap_err();
        assert!(
            matches!(err, FetchError::Truncated { expected: 5000, .. }),
            "{err:?}"
        );
        assert!(!dest.exists());
    }

    #[test]
    fn silent_server_times_out() {
        let server = TestServer::start([("/lent", Reply::Stall(Duration::from_secs(5)))]);
        let started = std::time::Instant::now();
        let (r, dest, _dir) = get(&server, "/lent", limits(300, 1 << 20));
        let err = r.unwrap_err();
        assert!(matches!(err, FetchError::Timeout { .. }), "{err:?}");
        assert!(err.to_string().contains("--timeout"), "{err}");
        // Not a speed assertion: only that the 5 s stall was not waited for.
        assert!(started.elapsed() < Duration::from_secs(5));
        assert!(!dest.exists());
    }

    #[test]
    fn body_over_the_cap_is_refused_with_or_without_a_length() {
        let server = TestServer::start([
            ("/gros", Reply::File(vec![0; 10_000])),
            ("/gros-sans-taille", Reply::NoLength(vec![0; 10_000])),
        ]);
        for path in ["/gros", "/gros-sans-taille"] {
            let (r, dest, _dir) = get(&server, path, limits(5_000, 4_096));
            let err = r.unwrap_err();
            assert!(
                matches!(err, FetchError::TooLarge { limit: 4_096, .. }),
                "{path} : {err:?}"
            );
            assert!(err.to_string().contains("--max-size"), "{err}");
            assert!(!dest.exists(), "{path}");
        }
        // Exactly at the cap is accepted.
        let (r, _, _dir) = get(&server, "/gros", limits(5_000, 10_000));
        assert_eq!(r.unwrap().bytes, 10_000);
    }

    #[test]
    fn refused_connection_is_a_connect_error() {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let dir = tempfile::tempdir().unwrap();
        let err = download(
            &format!("http://127.0.0.1:{port}/x"),
            &dir.path().join("x"),
            &limits(2_000, 10),
            &mut |_| {},
        )
        .unwrap_err();
        assert!(matches!(err, FetchError::Connect { .. }), "{err:?}");
    }

    #[test]
    fn urls_and_names() {
        assert!(is_url("https://example.org/a.zip") && is_url("HTTP://x/y"));
        assert!(!is_url("../shared/data/rome") && !is_url("http:/x") && !is_url("ftp://x"));
        assert_eq!(
            file_name_of("http://h:1/a/b/communes.json?x=1#f").as_deref(),
            Some("communes.json")
        );
        assert_eq!(file_name_of("http://h/"), None);
        assert_eq!(file_name_of("http://h"), None);
        assert!(is_loopback("http://127.0.0.1:8/x") && is_loopback("http://localhost/x"));
        assert!(!is_loopback("https://www.data.gouv.fr/x"));
        assert!(matches!(
            download(
                "ftp://x/y",
                Path::new("/nonexistent"),
                &Limits::default(),
                &mut |_| {}
            ),
            Err(FetchError::InvalidUrl(_))
        ));
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("1G"), Some(1 << 30));
        assert_eq!(parse_size("200 Mo"), Some(200 << 20));
        assert_eq!(parse_size("64k"), Some(65_536));
        assert_eq!(parse_size("4096"), Some(4_096));
        assert_eq!(parse_size("douze"), None);
        assert_eq!(parse_size("3T"), None);
        assert_eq!(parse_size(""), None);
    }
}
