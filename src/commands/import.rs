//! `passerelle import …`: dispatches to the module owning each kind of data.

use std::io::IsTerminal;
use std::path::Path;

use indicatif::{ProgressBar, ProgressStyle};
use passerelle_import::rome::{self, FileStatus, ImportReport};
use passerelle_store::{
    Dataset, DownloadRepository, NewRomeImport, RomeInfo, RomeRepository, Store,
};

use crate::args::ImportCommand;
use crate::commands::info::fr_size;
use crate::context::Context;
use passerelle_core::text::fr_int;

pub fn run(ctx: &Context, command: ImportCommand) -> anyhow::Result<()> {
    match command {
        ImportCommand::Rome(a) => rome(ctx, a),
        ImportCommand::Territoire(a) => super::territoire::import(ctx, a),
        ImportCommand::Formations(a) => super::territoire::import_formations(ctx, a),
        ImportCommand::Profils(a) => super::profil::import(ctx, a),
        ImportCommand::Postes(a) => super::postes::import(ctx, a),
    }
}

/// `passerelle import rome PATH|URL`: reads the whole set first (downloaded
/// to a temporary directory when given a URL), and only then opens the
/// database, so that a bad set or a failed download never even touches it.
fn rome(ctx: &Context, args: crate::args::ImportRomeArgs) -> anyhow::Result<()> {
    let refused = |e: anyhow::Error| anyhow::anyhow!("import du ROME refusé, base inchangée : {e}");
    let fetched = if passerelle_fetch::is_url(&args.source) {
        let limits = args.download.limits();
        Some(super::download::fetch_rome(ctx, &args.source, &limits, args.quiet).map_err(refused)?)
    } else {
        None
    };
    let path = fetched
        .as_ref()
        .map(|(_, p)| p.clone())
        .unwrap_or_else(|| args.source.clone().into());
    let bar = progress_bar(args.quiet);
    let mut import = match (read_rome(&path, &bar), &fetched) {
        (Ok(import), _) => import,
        (Err(e), Some((f, _))) => return Err(anyhow::anyhow!(f.explain(e.to_string()))),
        (Err(e), None) => return Err(e),
    };
    if fetched.is_some() {
        // The temporary file is gone after the import: the URL is the source.
        import.report.source = args.source.clone();
    }
    let mut store = ctx.open_store()?;
    let previous = store.rome_info()?;
    save_rome(ctx, &mut store, &import, &bar)?;
    if let Some((fetched, _)) = &fetched {
        record_downloads(ctx, &mut store, Dataset::Rome, &fetched.files)?;
    }
    if !args.quiet {
        print_summary(ctx, &store, &import.report, previous.as_ref())?;
        if let Some((fetched, _)) = &fetched {
            print_downloads(&fetched.files)?;
        }
    }
    // Postes made against the previous version are checked, never shrunk.
    let referential = passerelle_core::Referential::new(import.data);
    for warning in super::postes::poste_warnings(&store, &referential)? {
        eprintln!("attention : {warning}");
    }
    Ok(())
}

/// Records where the files of the import just written came from.
pub fn record_downloads(
    ctx: &Context,
    store: &mut Store,
    dataset: Dataset,
    files: &[passerelle_store::Download],
) -> anyhow::Result<()> {
    store.record_downloads(dataset, files).map_err(|e| {
        anyhow::anyhow!(
            "import enregistré, mais pas la provenance des fichiers téléchargés dans {} : {e}",
            ctx.db
        )
    })
}

/// One line per downloaded file: URL, size and SHA-256 (also in `info`).
pub fn print_downloads(files: &[passerelle_store::Download]) -> std::io::Result<()> {
    use std::io::Write;
    let out = &mut std::io::stdout().lock();
    for f in files {
        writeln!(
            out,
            "  téléchargé : {} ({}, SHA-256 {})",
            f.url,
            fr_size(f.size_bytes),
            f.sha256
        )?;
    }
    Ok(())
}

/// Reads and stores the set at `path` (used by `referential_or_import` too).
pub fn import_rome(
    ctx: &Context,
    store: &mut Store,
    path: &Path,
    quiet: bool,
) -> anyhow::Result<ImportReport> {
    let bar = progress_bar(quiet);
    let import = read_rome(path, &bar)?;
    save_rome(ctx, store, &import, &bar)?;
    Ok(import.report)
}

fn progress_bar(quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    // One step per file, one for the database write.
    let bar = ProgressBar::new((rome::FILES.len() + 1) as u64);
    bar.set_style(
        ProgressStyle::with_template("{spinner} import du ROME [{bar:30}] {pos}/{len} {msg}")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar
}

fn read_rome(path: &Path, bar: &ProgressBar) -> anyhow::Result<rome::RomeImport> {
    let import = rome::read(path, &mut |p| {
        bar.set_position(p.step as u64);
        bar.set_message(p.file);
    });
    match import {
        Ok(import) => Ok(import),
        Err(e) => {
            bar.finish_and_clear();
            // Not `.context()`: the top-level printer joins contexts with ": ", French wants " : ".
            Err(anyhow::anyhow!(
                "import du ROME refusé, base inchangée : {e}"
            ))
        }
    }
}

fn save_rome(
    ctx: &Context,
    store: &mut Store,
    import: &rome::RomeImport,
    bar: &ProgressBar,
) -> anyhow::Result<()> {
    bar.set_message("écriture de la base");
    let report_json = serde_json::to_string(&import.report)?;
    let saved = store.replace_referential(&NewRomeImport {
        data: &import.data,
        imported_at: &ctx.now_rfc3339(),
        source: &import.report.source,
        report_json: &report_json,
    });
    bar.finish_and_clear();
    saved.map_err(|e| {
        anyhow::anyhow!(
            "écriture du ROME dans {} impossible, base inchangée : {e}",
            ctx.db
        )
    })
}

fn print_summary(
    ctx: &Context,
    store: &Store,
    report: &ImportReport,
    previous: Option<&RomeInfo>,
) -> anyhow::Result<()> {
    use std::io::Write;
    let out = &mut std::io::stdout().lock();
    let v = &report.version;
    let mut title = format!("ROME 4.0 version {}", v.number);
    match (&v.label, &v.published) {
        (Some(l), Some(p)) => title.push_str(&format!(" ({l}, publiée le {p})")),
        (Some(l), None) => title.push_str(&format!(" ({l})")),
        (None, Some(p)) => title.push_str(&format!(" (publiée le {p})")),
        (None, None) => {}
    }
    writeln!(out, "{title} importé depuis {}", report.source)?;
    if let Some(p) = previous {
        let older = if p.version.number > v.number {
            " (attention : elle était plus récente)"
        } else {
            ""
        };
        writeln!(
            out,
            "  remplace la version {} importée le {}{older}",
            p.version.number, p.imported_at
        )?;
    }
    if let Some(info) = store.rome_info()? {
        let c = &info.counts;
        writeln!(
            out,
            "  {} fiches, {} appellations, {} compétences (dont {} macro-compétences), {} savoirs (dont {} certifications), {} contextes de travail, {} liens fiche → item",
            fr_int(c.fiches),
            fr_int(c.appellations),
            fr_int(c.competences),
            fr_int(c.macro_competences),
            fr_int(c.savoirs),
            fr_int(c.certifications),
            fr_int(c.contextes),
            fr_int(c.fiche_items)
        )?;
    }
    let read = report
        .files
        .iter()
        .filter(|f| f.status == FileStatus::Read)
        .count();
    let absent: Vec<&str> = report
        .files
        .iter()
        .filter(|f| f.status != FileStatus::Read)
        .map(|f| f.file.as_str())
        .collect();
    let rows: usize = report.files.iter().map(|f| f.rows_read).sum();
    write!(
        out,
        "  Fichiers : {read} lus ({} lignes)",
        fr_int(rows as u64)
    )?;
    if absent.is_empty() {
        writeln!(out)?;
    } else {
        writeln!(
            out,
            ", {} facultatif(s) absent(s) ou vide(s) : {}",
            absent.len(),
            absent.join(", ")
        )?;
    }
    let left_out = report.rows_not_imported();
    if left_out == 0 {
        writeln!(
            out,
            "  Toutes les lignes ont été importées (aucune orpheline, aucun doublon)"
        )?;
    } else {
        writeln!(out, "  Lignes non importées : {}", fr_int(left_out as u64))?;
        for f in &report.files {
            for i in &f.issues {
                writeln!(
                    out,
                    "    {} : {} ligne(s) {} ({}), ex. {}",
                    f.file,
                    fr_int(i.count as u64),
                    i.kind.label_fr(),
                    i.reason,
                    i.examples.join(" ; ")
                )?;
            }
        }
    }
    for w in &report.warnings {
        writeln!(out, "  Avertissement : {w}")?;
    }
    writeln!(out, "Base : {}", ctx.db)?;
    Ok(())
}
