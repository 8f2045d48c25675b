//! The territorial data (`bench territoire`): import time, and the RNCP XML
//! reader's speed and memory on a large file made of the fixture's fiches.

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use passerelle_store::territory::TerritoryRepository;
use passerelle_territory::import::read_territory;
use passerelle_territory::rncp;

use crate::BenchError;
use crate::timing::timed;

/// The RNCP fixture repeated, relative to the territory directory.
pub const RNCP_FIXTURE: &str =
    "certifications/rncp_xml_format_sample/export_fiches_RNCP_fixture.xml";

/// Size of the generated RNCP file when the caller has no setting.
pub const DEFAULT_RNCP_MB: u64 = 200;

/// What `bench territoire` prints.
#[derive(Debug, Clone)]
pub struct TerritoireFigures {
    /// Reading and cross-checking every file, then writing them to SQLite.
    pub read: Duration,
    pub write: Duration,
    pub rncp: RncpFigures,
}

/// The streaming RNCP reader on the generated file.
#[derive(Debug, Clone)]
pub struct RncpFigures {
    pub bytes: u64,
    /// Copies of the fixture's fiches.
    pub copies: u64,
    pub fiches: u64,
    pub blocs: u64,
    pub elapsed: Duration,
    /// Peak resident memory of the process (VmHWM, KiB) before and after the
    /// read; `None` without /proc/self/status.
    pub peak_rss_kib: Option<(u64, u64)>,
}

impl RncpFigures {
    pub fn mebibytes(&self) -> f64 {
        self.bytes as f64 / (1u64 << 20) as f64
    }
}

/// Measures the territory in `dir`, with an RNCP file of about `rncp_mb`
/// Mo, in a scratch directory removed afterwards.
pub fn measure(dir: &Path, rncp_mb: u64) -> crate::Result<TerritoireFigures> {
    let tmp = std::env::temp_dir().join(format!(
        "passerelle-bench-territoire-{}",
        std::process::id()
    ));
    std::fs::create_dir_all(&tmp).map_err(|e| BenchError::io(&tmp, e))?;
    let result = measure_in(dir, &tmp, rncp_mb);
    let _ = std::fs::remove_dir_all(&tmp);
    result
}

fn measure_in(dir: &Path, tmp: &Path, rncp_mb: u64) -> crate::Result<TerritoireFigures> {
    let (data, read) = timed(|| read_territory(dir));
    let data = data?;
    let mut store = passerelle_store::SqliteStore::open(&tmp.join("bench.sqlite"))?;
    let (written, write) = timed(|| store.replace_territory(&data, "2026-01-01T00:00:00Z"));
    written?;

    let big = tmp.join("rncp_large.xml");
    let (bytes, copies) = generate_large_rncp(&dir.join(RNCP_FIXTURE), &big, rncp_mb << 20)?;
    let before = peak_rss_kib();
    let (mut fiches, mut blocs) = (0u64, 0u64);
    let (done, elapsed) = timed(|| {
        rncp::for_each_fiche(&big, |f| {
            fiches += 1;
            blocs += f.blocs.len() as u64;
        })
    });
    done?;
    let peak_rss_kib = before.zip(peak_rss_kib());
    Ok(TerritoireFigures {
        read,
        write,
        rncp: RncpFigures {
            bytes,
            copies,
            fiches,
            blocs,
            elapsed,
            peak_rss_kib,
        },
    })
}

/// Writes `FICHES` made of the fixture's fiches repeated until `target`
/// bytes; returns the bytes written and the copies.
fn generate_large_rncp(fixture: &Path, out: &Path, target: u64) -> crate::Result<(u64, u64)> {
    let text = std::fs::read_to_string(fixture)
        .map_err(|e| BenchError::io(fixture, format!("lecture impossible : {e}")))?;
    let start = text
        .find("<FICHE>")
        .ok_or_else(|| BenchError::io(fixture, "aucune <FICHE>"))?;
    let end = text
        .rfind("</FICHES>")
        .ok_or_else(|| BenchError::io(fixture, "</FICHES> absent"))?;
    let (head, body) = (&text[..start], &text[start..end]);
    let write = || -> std::io::Result<(u64, u64)> {
        let mut w = std::io::BufWriter::new(std::fs::File::create(out)?);
        w.write_all(head.as_bytes())?;
        let mut written = head.len() as u64;
        let mut copies = 0;
        while written < target {
            w.write_all(body.as_bytes())?;
            written += body.len() as u64;
            copies += 1;
        }
        w.write_all(b"</FICHES>\n")?;
        w.flush()?;
        Ok((written + 10, copies))
    };
    write().map_err(|e| BenchError::io(out, e))
}

/// Peak resident memory of this process (VmHWM), in KiB.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
