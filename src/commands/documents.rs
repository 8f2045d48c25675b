//! `passerelle fiche` and `passerelle parcours` (and the lookups of `bench
//! render`): the documents of `passerelle_render`, made by its one pipeline
//! ([`passerelle_render::Pipeline`]) over the lookups below (territorial
//! context from the store, authored interviews from files) and written as
//! JSON, HTML, Markdown or PDF.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context as _;
use passerelle_core::engine::Engine;
use passerelle_core::territory::context::TerritorialContext;
use passerelle_core::territory::territorial_context;
use passerelle_core::{Catalog, DeptCode, Job, JobRef, RomeCode};
use passerelle_render::build::parse_entretiens;
use passerelle_render::document::Entretiens;
use passerelle_render::{DocFormat, FicheRequest, LookupError, Lookups, Pipeline};
use passerelle_store::Store;
use passerelle_store::territory::TerritoryRepository;

use crate::args::*;
use crate::context::Context;

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
    Ok(store
        .context_rows(dept, Some((fiche, parent)))?
        .map(territorial_context))
}

/// What the CLI's documents read: the store (territory, `None` when no
/// territorial data was imported, and the document then says "non
/// disponible") and the authored interview files.
pub(crate) struct CliLookups {
    store: Store,
    has_territory: bool,
}

impl CliLookups {
    pub(crate) fn open(ctx: &Context) -> anyhow::Result<CliLookups> {
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
/// `$PASSERELLE_ENTRETIENS`, else `data/entretiens` of the checkout found at
/// run time (`passerelle_import::workspace_root`, the rule of the data
/// directory), never a path compiled in.
fn entretiens_dir() -> PathBuf {
    match std::env::var_os("PASSERELLE_ENTRETIENS") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => passerelle_import::workspace_root()
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

/// The format of a document: `--format`, else the extension of `-o`
/// (`.pdf`, `.html`, `.md`, `.json`), else HTML. A `--format` that the
/// extension contradicts is refused: the file would lie about its content.
pub(crate) fn chosen_format(
    format: Option<DocFormat>,
    out: Option<&Path>,
) -> anyhow::Result<DocFormat> {
    let by_extension = out
        .and_then(|p| p.extension())
        .and_then(|e| e.to_str())
        .and_then(|e| e.to_ascii_lowercase().parse::<DocFormat>().ok());
    match (format, by_extension) {
        (Some(f), Some(e)) if f != e => anyhow::bail!(
            "paramètres --format et -o : le format {f} ne correspond pas à l'extension .{} du fichier {}",
            e.extension(),
            out.map(|p| p.display().to_string()).unwrap_or_default()
        ),
        (Some(f), _) | (None, Some(f)) => Ok(f),
        (None, None) => Ok(DocFormat::Html),
    }
}

/// Writes a document to `-o FILE`, or to standard output (no `-o`, or
/// `-o -`). A binary format (PDF) without `-o` goes to its default name in
/// the current directory (`stem.pdf`, e.g. `fiche-passerelle-J1303-34.pdf`,
/// the same name the server gives); it never goes to a terminal.
fn write_out(
    out: Option<&Path>,
    bytes: &[u8],
    format: DocFormat,
    stem: &str,
) -> anyhow::Result<()> {
    let write = |p: &Path| {
        std::fs::write(p, bytes)
            .map_err(|e| anyhow::anyhow!("écriture impossible de {} : {e}", p.display()))
    };
    match out {
        Some(p) if p != Path::new("-") => write(p),
        None if format.is_binary() => {
            let p = PathBuf::from(format!("{stem}.{}", format.extension()));
            write(&p)?;
            eprintln!("{} écrit", p.display());
            Ok(())
        }
        _ => {
            if format.is_binary() {
                anyhow::bail!(
                    "le format {format} demande un fichier de sortie (-o FICHIER.{}, ou aucun -o pour {stem}.{})",
                    format.extension(),
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
    let format = chosen_format(args.format, args.out.as_deref())?;
    let target = resolve(&catalog, name)?;
    let lookups = CliLookups::open(ctx)?;
    let pipeline = Pipeline::new(&catalog, &engine, &lookups, ctx.now_rfc3339());
    let doc = pipeline.fiche(options.request(&target), format)?;
    let stem = passerelle_render::fiche_file_stem(&target.id, Some(dept));
    write_out(args.out.as_deref(), &doc.bytes, format, &stem)
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
    // A directory's name says nothing of the format.
    let format = args.format.unwrap_or(DocFormat::Html);
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
                        let doc = pipeline.fiche(options.request(target), format)?;
                        let path = dir.join(format!("{}.{}", target.fiche, format.extension()));
                        write_out(Some(&path), &doc.bytes, format, "")?;
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
    let format = chosen_format(args.format, args.out.as_deref())?;
    let catalog = ctx.catalog()?;
    let engine = Engine::new(&catalog);
    let source = resolve(&catalog, &args.source)?;
    let target = resolve(&catalog, &args.target)?;
    let lookups = CliLookups::open(ctx)?;
    let pipeline = Pipeline::new(&catalog, &engine, &lookups, ctx.now_rfc3339());
    let doc = pipeline.parcours(&source, &target, dept, format)?;
    let stem = passerelle_render::parcours_file_stem(&source.id, &target.id, dept);
    write_out(args.out.as_deref(), &doc.bytes, format, &stem)
}
