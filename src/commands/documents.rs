//! `passerelle fiche`, `passerelle parcours` and `bench render`: the
//! documents of `passerelle_render`, made by its one pipeline
//! ([`passerelle_render::Pipeline`]) over the lookups below (territorial
//! context from the store, authored interviews from files) and written as
//! JSON, HTML, Markdown or PDF.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context as _;
use passerelle_core::engine::Engine;
use passerelle_core::territory::context::TerritorialContext;
use passerelle_core::{Catalog, DeptCode, Job, JobRef, RomeCode};
use passerelle_render::build::parse_entretiens;
use passerelle_render::document::Entretiens;
use passerelle_render::{DocFormat, FicheRequest, LookupError, Lookups, Pipeline};
use passerelle_store::Store;
use passerelle_store::territory::TerritoryRepository;

use crate::args::*;
use crate::context::Context;

fn dept(s: &str) -> anyhow::Result<DeptCode> {
    Ok(s.parse()?)
}

fn resolve(catalog: &Catalog, name: &str) -> anyhow::Result<Job> {
    let r: JobRef = name.parse()?;
    Ok(catalog.resolve(&r)?)
}

/// The territorial context of `dept` for the fiche `fiche` read from
/// `store`; shared with the server's lookups (`serve.rs`).
pub(crate) fn territory_context(
    store: &Store,
    dept: DeptCode,
    fiche: RomeCode,
    parent: Option<RomeCode>,
) -> Result<Option<TerritorialContext>, LookupError> {
    Ok(store.territorial_context(dept, Some((fiche, parent)))?)
}

/// What the CLI's documents read: the store (territory, `None` when no
/// territorial data was imported, and the document then says "non
/// disponible") and the authored interview files.
struct CliLookups {
    store: Store,
    has_territory: bool,
}

impl CliLookups {
    fn open(ctx: &Context) -> anyhow::Result<CliLookups> {
        let store = ctx.open_store()?;
        let has_territory = store.has_territory()?;
        Ok(CliLookups {
            store,
            has_territory,
        })
    }
}

impl Lookups for CliLookups {
    fn territory(
        &self,
        dept: DeptCode,
        fiche: RomeCode,
        parent: Option<RomeCode>,
    ) -> Result<Option<TerritorialContext>, LookupError> {
        if !self.has_territory {
            return Ok(None);
        }
        territory_context(&self.store, dept, fiche, parent)
    }

    fn entretiens(&self, dept: DeptCode, job: &Job) -> Result<Option<Entretiens>, LookupError> {
        Ok(entretiens(dept, job)?)
    }
}

/// Where authored "entretiens employeurs" files live:
/// `$PASSERELLE_ENTRETIENS`, else `data/entretiens` of the workspace.
fn entretiens_dir() -> PathBuf {
    match std::env::var_os("PASSERELLE_ENTRETIENS") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("data")
            .join("entretiens"),
    }
}

/// `DIR/DEPT/<job id>.md`, else `DIR/DEPT/<ROME code>.md`, if present.
fn entretiens(dept: DeptCode, job: &Job) -> anyhow::Result<Option<Entretiens>> {
    let dir = entretiens_dir().join(dept.to_string());
    let id = job.id.replace(':', "_");
    for name in [id, job.fiche.to_string()] {
        let path = dir.join(format!("{name}.md"));
        if path.is_file() {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("lecture de {}", path.display()))?;
            return Ok(Some(parse_entretiens(&text, &path.display().to_string())?));
        }
    }
    Ok(None)
}

fn write_out(out: Option<&Path>, bytes: &[u8], format: DocFormat) -> anyhow::Result<()> {
    match out {
        Some(p) if p != Path::new("-") => std::fs::write(p, bytes)
            .map_err(|e| anyhow::anyhow!("écriture impossible de {} : {e}", p.display())),
        _ => {
            if format.is_binary() {
                anyhow::bail!(
                    "le format {format} demande un fichier de sortie (-o FICHIER.{})",
                    format.extension()
                );
            }
            let mut o = std::io::stdout().lock();
            o.write_all(bytes)?;
            Ok(())
        }
    }
}

/// The options of `fiche` shared by every target of a run.
struct FicheOptions {
    dept: DeptCode,
    sources: Vec<Job>,
    enquete: Option<String>,
}

impl FicheOptions {
    fn request<'a>(&'a self, target: &'a Job) -> FicheRequest<'a> {
        FicheRequest {
            target,
            dept: Some(self.dept),
            sources: &self.sources,
            enquete: self.enquete.as_deref(),
        }
    }
}

pub fn fiche(ctx: &Context, args: FicheArgs) -> anyhow::Result<()> {
    let dept = args.dept;
    let catalog = ctx.catalog()?;
    if let Some(id) = &args.enquete
        && catalog.survey(id).is_none()
    {
        anyhow::bail!(
            "paramètre --enquete : enquête inconnue « {id} » (voir `passerelle import profils`)"
        );
    }
    let engine = Engine::new(&catalog);
    let sources = args
        .sources
        .iter()
        .map(|s| resolve(&catalog, s).map_err(|e| anyhow::anyhow!("paramètre --sources : {e}")))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let options = FicheOptions {
        dept,
        sources,
        enquete: args.enquete.clone(),
    };
    if args.all {
        return fiche_all(ctx, &catalog, &engine, &options, &args);
    }
    let name = args.job.as_deref().ok_or_else(|| {
        anyhow::anyhow!("métier cible manquant : `passerelle fiche J1303 --dept 34` (ou --all)")
    })?;
    let target = resolve(&catalog, name)?;
    let lookups = CliLookups::open(ctx)?;
    let pipeline = Pipeline::new(&catalog, &engine, &lookups, ctx.now_rfc3339());
    let doc = pipeline.fiche(options.request(&target), args.format)?;
    write_out(args.out.as_deref(), &doc.bytes, args.format)
}

/// Every fiche of the referential, rendered by one worker per core (each
/// with its own database connection; catalog and engine are shared).
fn fiche_all(
    ctx: &Context,
    catalog: &Catalog,
    engine: &Engine,
    options: &FicheOptions,
    args: &FicheArgs,
) -> anyhow::Result<()> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let dir = args
        .out
        .clone()
        .ok_or_else(|| anyhow::anyhow!("--all demande un répertoire de sortie (-o RÉPERTOIRE)"))?;
    std::fs::create_dir_all(&dir)
        .map_err(|e| anyhow::anyhow!("création impossible de {} : {e}", dir.display()))?;
    let fiches: Vec<Job> = catalog
        .referential
        .fiches
        .iter()
        .map(Job::from_fiche)
        .collect();
    let bar = if args.quiet {
        indicatif::ProgressBar::hidden()
    } else {
        indicatif::ProgressBar::new(fiches.len() as u64)
    };
    let start = Instant::now();
    let next = AtomicUsize::new(0);
    let now = ctx.now_rfc3339();
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(8);
    std::thread::scope(|scope| -> anyhow::Result<()> {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                let (fiches, next, bar, dir, now) = (&fiches, &next, &bar, &dir, &now);
                scope.spawn(move || -> anyhow::Result<()> {
                    let lookups = CliLookups::open(ctx)?;
                    let pipeline = Pipeline::new(catalog, engine, &lookups, now.clone());
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(target) = fiches.get(i) else {
                            return Ok(());
                        };
                        let doc = pipeline.fiche(options.request(target), args.format)?;
                        let path =
                            dir.join(format!("{}.{}", target.fiche, args.format.extension()));
                        write_out(Some(&path), &doc.bytes, args.format)?;
                        bar.inc(1);
                    }
                })
            })
            .collect();
        for h in handles {
            h.join()
                .map_err(|_| anyhow::anyhow!("un fil de rendu s'est arrêté brutalement"))??;
        }
        Ok(())
    })?;
    bar.finish_and_clear();
    if !args.quiet {
        eprintln!(
            "{} fiches écrites dans {} en {:.1} s ({workers} fils)",
            fiches.len(),
            dir.display(),
            start.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

pub fn parcours(ctx: &Context, args: ParcoursArgs) -> anyhow::Result<()> {
    let dept = args.dept;
    let catalog = ctx.catalog()?;
    let engine = Engine::new(&catalog);
    let source = resolve(&catalog, &args.source)?;
    let target = resolve(&catalog, &args.target)?;
    let lookups = CliLookups::open(ctx)?;
    let pipeline = Pipeline::new(&catalog, &engine, &lookups, ctx.now_rfc3339());
    let doc = pipeline.parcours(&source, &target, dept, args.format)?;
    write_out(args.out.as_deref(), &doc.bytes, args.format)
}

/// Median of `n` runs of `f`, in milliseconds.
fn median_ms(n: usize, mut f: impl FnMut() -> anyhow::Result<()>) -> anyhow::Result<f64> {
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        f()?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    Ok(times[n / 2])
}

fn ms(v: f64) -> String {
    format!("{v:.1}").replace('.', ",")
}

/// `passerelle bench render`: one fiche (J1303, Hérault) as HTML and PDF,
/// then every fiche of the département as PDF, extrapolated from a sample.
pub fn bench(ctx: &Context) -> anyhow::Result<()> {
    if cfg!(debug_assertions) {
        println!("(build de débogage : mesurez avec `cargo run --release -- bench render`)");
    }
    let dept = dept("34")?;
    let t0 = Instant::now();
    let catalog = ctx.catalog()?;
    let engine = Engine::new(&catalog);
    println!(
        "préparation (catalogue + moteur, une fois par processus) : {} ms",
        ms(t0.elapsed().as_secs_f64() * 1000.0)
    );
    let lookups = CliLookups::open(ctx)?;
    let pipeline = Pipeline::new(&catalog, &engine, &lookups, ctx.now_rfc3339());
    let options = FicheOptions {
        dept,
        sources: Vec::new(),
        enquete: None,
    };
    let target = resolve(&catalog, "J1303")?;
    // Warm-up: typst parses its fonts and templates on first use.
    let t = Instant::now();
    let doc = pipeline.fiche_model(options.request(&target))?;
    passerelle_render::pdf::fiche(&doc)?;
    println!(
        "premier PDF (polices et gabarits chargés) : {} ms",
        ms(t.elapsed().as_secs_f64() * 1000.0)
    );
    let runs = 9;
    let model = median_ms(runs, || {
        pipeline
            .fiche_model(options.request(&target))
            .map(|_| ())
            .map_err(Into::into)
    })?;
    let html = median_ms(runs, || {
        passerelle_render::html::fiche(&doc)
            .map(|_| ())
            .map_err(Into::into)
    })?;
    let pdf = median_ms(runs, || {
        passerelle_render::pdf::fiche(&doc)
            .map(|_| ())
            .map_err(Into::into)
    })?;
    let pages_html = passerelle_render::html::fiche(&doc)?.len();
    println!("fiche J1303 (Hérault), médiane de {runs} mesures :");
    println!(
        "  modèle (classement de 15 sources, 3 analyses d'écarts, contexte territorial) : {} ms",
        ms(model)
    );
    println!(
        "  HTML : {} ms de rendu ({} ko), soit {} ms avec le modèle (objectif ≤ 20 ms)",
        ms(html),
        pages_html / 1024,
        ms(model + html)
    );
    println!(
        "  PDF : {} ms de mise en page, soit {} ms avec le modèle (objectif ≤ 150 ms)",
        ms(pdf),
        ms(model + pdf)
    );

    // Every fiche of the département, extrapolated from an evenly spread sample.
    let fiches = &catalog.referential.fiches;
    let sample = 24.min(fiches.len());
    let step = (fiches.len() / sample.max(1)).max(1);
    let t = Instant::now();
    let mut done = 0usize;
    for f in fiches.iter().step_by(step).take(sample) {
        let d = pipeline.fiche_model(options.request(&Job::from_fiche(f)))?;
        passerelle_render::pdf::fiche(&d)?;
        done += 1;
    }
    let per = t.elapsed().as_secs_f64() / done as f64;
    let total = per * fiches.len() as f64;
    println!(
        "toutes les fiches du département en PDF : {} fiches ; {} ms par fiche (échantillon de {done} fiches réparties dans le référentiel) → {} s extrapolées sur un cœur, {} s sur 2 cœurs (`fiche --all` utilise un fil par cœur) (objectif ≤ 180 s ; extrapolation, pas une mesure du lot complet)",
        fiches.len(),
        ms(per * 1000.0),
        ms(total),
        ms(total / 2.0)
    );
    Ok(())
}
