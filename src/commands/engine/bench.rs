//! `passerelle bench engine`: timings of the engine on the whole referential,
//! against the numpy reference (bench/reference.py).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use passerelle_core::engine::{Direction, Engine, Weights};
use passerelle_core::text::fr_int;
use passerelle_core::{Catalog, Referential};

use super::fr_dec;
use crate::context::Context;

fn fr_duration(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s >= 1.0 {
        format!("{} s", fr_dec(s, 2))
    } else if s >= 1e-3 {
        format!("{} ms", fr_dec(s * 1e3, 1))
    } else {
        format!("{} µs", fr_dec(s * 1e6, 0))
    }
}

fn median_of<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    let mut v: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed()
        })
        .collect();
    v.sort();
    v[v.len() / 2]
}

/// Where the numpy reference lives: `$PASSERELLE_NUMPY_REFERENCE`, else
/// `bench/reference.py` of the workspace the binary was built from — the
/// rule of the data directory (`passerelle_import::default_data_dir`).
fn numpy_reference_script() -> PathBuf {
    match std::env::var_os("PASSERELLE_NUMPY_REFERENCE") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("bench")
            .join("reference.py"),
    }
}

/// The numpy reference (bench/reference.py) timed on the same data.
fn numpy_reference(rome_dir: &Path) -> anyhow::Result<f64> {
    let script = numpy_reference_script();
    let out = std::process::Command::new("python3")
        .arg(&script)
        .arg("bench")
        .arg(rome_dir)
        .output()
        .context("lancement de python3 impossible (la référence numpy demande python3 et numpy)")?;
    if !out.status.success() {
        anyhow::bail!(
            "référence numpy {} en échec : {}",
            script.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let secs = text
        .lines()
        .find_map(|l| l.strip_prefix("seconds="))
        .and_then(|v| v.trim().parse::<f64>().ok())
        .ok_or_else(|| anyhow::anyhow!("sortie inattendue de {} : {text}", script.display()))?;
    Ok(secs)
}

pub fn bench(ctx: &Context) -> anyhow::Result<()> {
    let referential = match ctx.referential() {
        Ok(r) => r,
        Err(_) => {
            let imported = passerelle_import::rome::read(&ctx.rome_dir(), &mut |_| {})?;
            Referential::new(imported.data)
        }
    };
    let catalog = Catalog::new(referential, Vec::new(), Vec::new());
    let t = Instant::now();
    let engine = Engine::new(&catalog);
    let build = t.elapsed();
    let n = engine.n_fiches();
    let stats = engine.stats();
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    println!(
        "bench engine — {} fiches, {} couples ordonnés, {threads} fils d'exécution",
        fr_int(n as u64),
        fr_int((n * n.saturating_sub(1)) as u64)
    );
    println!(
        "  préparation (Engine::new)          : {} ({} savoirs, {} savoir-faire, {} contextes ; {} paires proches)",
        fr_duration(build),
        fr_int(stats.savoirs as u64),
        fr_int(stats.savoir_faire as u64),
        fr_int(stats.contextes as u64),
        fr_int((stats.near_savoirs + stats.near_savoir_faire) as u64)
    );
    // Output buffer reused between runs (the figure is the computation, not
    // the first allocation of 40 Mo).
    let mut buffer = Vec::new();
    let exact = median_of(7, || engine.exact_matrix_into(&mut buffer));
    println!(
        "  couverture exacte, tous couples    : {} (objectif ≤ 100 ms)",
        fr_duration(exact)
    );
    match numpy_reference(&ctx.rome_dir()) {
        Ok(secs) => println!(
            "  référence numpy, mêmes couvertures : {} ; rapport {}× (objectif ≥ 4×)",
            fr_duration(Duration::from_secs_f64(secs)),
            fr_dec(secs / exact.as_secs_f64(), 1)
        ),
        Err(e) => println!("  référence numpy : non mesurée ({e})"),
    }
    let w = Weights::default();
    let mut scores = Vec::new();
    let full = median_of(3, || engine.score_matrix_into(&w, &mut scores));
    println!(
        "  score combiné avec proches, tous   : {} (objectif ≤ 1 s)",
        fr_duration(full)
    );
    let target = engine.index_of_id("J1303").unwrap_or(0);
    let source = engine.index_of_id("M1609").unwrap_or(1.min(n - 1));
    let one = median_of(51, || engine.rank(Direction::Sources, target, &w, 15, None));
    println!(
        "  un métier cible classé (J1303)     : {} (objectif ≤ 2 ms)",
        fr_duration(one)
    );
    let one_t = median_of(51, || engine.rank(Direction::Targets, source, &w, 15, None));
    println!(
        "  un métier source classé (M1609)    : {}",
        fr_duration(one_t)
    );
    let (sj, tj) = (
        passerelle_core::Job::from_fiche(&catalog.referential.fiches[source]),
        passerelle_core::Job::from_fiche(&catalog.referential.fiches[target]),
    );
    let gap = median_of(51, || engine.gap(&sj, &tj, &w, None, None));
    println!(
        "  une mesure des écarts (M1609→J1303) : {} (objectif ≤ 1 ms)",
        fr_duration(gap)
    );
    let tiers = engine.tiers().clone();
    for (name, th) in [
        ("passerelle courte", &tiers.courte),
        ("passerelle possible", &tiers.possible),
    ] {
        println!(
            "  seuil {name:<19} : {} (moyenne {} − écart type {}, {} groupes) ; percentile {} des couples",
            fr_dec(th.value, 4),
            fr_dec(th.mean, 4),
            fr_dec(th.sd, 4),
            th.groups,
            th.percentile
                .map(|p| fr_dec(p, 1))
                .unwrap_or_else(|| "n. d.".into())
        );
    }
    if cfg!(debug_assertions) {
        println!(
            "  (binaire de debug, mais passerelle-core y est compilé optimisé ; `cargo run --release -- bench engine` pour tout optimiser)"
        );
    }
    Ok(())
}
