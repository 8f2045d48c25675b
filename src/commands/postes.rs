//! `passerelle import postes FILE`, `passerelle export poste ID -o FILE`,
//! and the demo data the main command loads on first run.

use std::io::Write;

use anyhow::Context as _;
use passerelle_core::poste::toml::{parse_poste, write_poste};
use passerelle_core::{JobRef, Referential};
use passerelle_import::postes::read_poste;
use passerelle_import::profils::parse_surveys;
use passerelle_store::{PosteRepository, ProfileRepository, Store, StoredPoste};

use crate::args::*;
use crate::context::Context;

/// The demo job-title profile (seed 000's assistant médical), embedded.
const DEMO_POSTE: &str = include_str!("../../data/postes/assistant-medical.toml");
/// The seed's surveyed transversal profile, embedded.
const DEMO_SURVEY: &str = include_str!("../../data/profils/assistant-medical-aveyron.csv");

pub fn import(ctx: &Context, args: ImportPathArgs) -> anyhow::Result<()> {
    let referential = ctx.referential()?;
    let file = read_poste(&args.path, &referential)?;
    let mut store = ctx.open_store()?;
    // An appellation resolves to one poste only: refuse a second one.
    if let Some(app) = file.poste.appellation
        && let Some(other) = store
            .load_postes()?
            .iter()
            .find(|s| s.poste.appellation == Some(app) && s.poste.slug != file.poste.slug)
    {
        anyhow::bail!(
            "{} : champ appellation : l'appellation {app} est déjà décrite par le profil poste:{} (un seul profil par appellation)",
            args.path.display(),
            other.poste.slug
        );
    }
    let issues = file.poste.check_labels(&referential, &file.labels);
    // The survey may be imported later: a missing one is said, not refused.
    let missing_survey = match &file.poste.survey {
        Some(id) if !store.load_surveys()?.iter().any(|s| s.id() == id) => Some(id.clone()),
        _ => None,
    };
    let slug = file.poste.slug.clone();
    let count = file.poste.items.len();
    store.save_postes(
        &[StoredPoste {
            poste: file.poste,
            labels: file.labels,
        }],
        &ctx.now_rfc3339(),
    )?;
    if !args.quiet {
        println!("Profil de poste poste:{slug} importé ({count} items).");
        for i in &issues {
            println!("  attention : {}", issue_line(i));
        }
        if let Some(id) = missing_survey {
            println!(
                "  attention : enquête « {id} » absente de la base : importez-la avec `passerelle import profils` (en attendant, profil transversal estimé)"
            );
        }
    }
    Ok(())
}

pub fn export(ctx: &Context, command: ExportCommand) -> anyhow::Result<()> {
    let ExportCommand::Poste(args) = command;
    let slug = args
        .id
        .strip_prefix("poste:")
        .unwrap_or(&args.id)
        .to_string();
    let catalog = ctx.catalog()?;
    let poste = catalog
        .postes
        .iter()
        .find(|p| p.slug == slug)
        .ok_or_else(|| anyhow::anyhow!("profil de poste inconnu « poste:{slug} »"))?;
    let text = write_poste(poste, &catalog.referential);
    if args.out.as_os_str() == "-" {
        std::io::stdout().lock().write_all(text.as_bytes())?;
    } else {
        std::fs::write(&args.out, text)
            .with_context(|| format!("écriture de {}", args.out.display()))?;
    }
    Ok(())
}

/// Loads the demo poste and the seed's survey when the database has none,
/// so that a newcomer sees `poste:assistant-medical` at once.
pub fn ensure_demo(
    ctx: &Context,
    store: &mut Store,
    referential: &Referential,
) -> anyhow::Result<()> {
    let now = ctx.now_rfc3339();
    if store.load_surveys()?.is_empty() {
        let surveys = parse_surveys(
            "data/profils/assistant-medical-aveyron.csv",
            DEMO_SURVEY,
            referential,
        )?;
        store.save_surveys(&surveys, &now)?;
    }
    if store.load_postes()?.is_empty() {
        let file = parse_poste(
            "data/postes/assistant-medical.toml",
            DEMO_POSTE,
            referential,
        )?;
        store.save_postes(
            &[StoredPoste {
                poste: file.poste,
                labels: file.labels,
            }],
            &now,
        )?;
    }
    Ok(())
}

/// Postes whose items disappeared or changed label in the current
/// referential, in French, one line each (for `import rome` and `info`).
pub fn poste_warnings(store: &Store, referential: &Referential) -> anyhow::Result<Vec<String>> {
    let stored = store.load_postes()?;
    let postes = stored.iter().map(|s| (&s.poste, s.labels.as_slice()));
    Ok(passerelle_core::poste::check_postes(referential, postes)
        .into_iter()
        .map(|i| format!("poste:{} : {}", i.slug, issue_line(&i)))
        .collect())
}

/// One re-import issue in French: the item, its old (and new) label, what to do.
fn issue_line(i: &passerelle_core::PosteIssue) -> String {
    match &i.new_label {
        Some(new) => format!(
            "item {} « {} » devenu « {} » : {}",
            i.ogr, i.old_label, new, i.advice
        ),
        None => format!("item {} « {} » : {}", i.ogr, i.old_label, i.advice),
    }
}

/// `passerelle show poste:<slug>`, and `show APPELLATION` when a poste
/// describes that appellation, as text: the poste, its provenance and its
/// items (the JSON is `show`'s fiche).
/// Returns `false` (nothing printed) when `job` names no poste, so that
/// `show` displays the whole fiche.
pub fn show(ctx: &Context, job: &JobRef) -> anyhow::Result<bool> {
    match job {
        JobRef::Poste(_) => {}
        JobRef::Appellation(ogr) => {
            let described = ctx.db.exists()
                && ctx
                    .open_store()?
                    .load_postes()?
                    .iter()
                    .any(|s| s.poste.appellation == Some(*ogr));
            if !described {
                return Ok(false);
            }
        }
        JobRef::Rome(_) => return Ok(false),
    }
    let catalog = ctx.catalog()?;
    let job = catalog.resolve(job)?;
    let passerelle_core::JobKind::Poste { slug } = &job.kind else {
        return Ok(false);
    };
    let poste = catalog.poste(slug).expect("resolved");
    let mut out = std::io::stdout().lock();
    writeln!(out, "poste:{} — {}", poste.slug, poste.title)?;
    writeln!(out, "{}", job.resolution)?;
    if let Some(a) = poste.appellation {
        writeln!(out, "Appellation : {a}")?;
    }
    writeln!(
        out,
        "Fait par {} le {} à partir de : {}",
        poste.provenance.author, poste.provenance.date, poste.provenance.basis
    )?;
    writeln!(out, "Version du ROME : {}", poste.rome_version)?;
    if let Some(s) = &poste.survey {
        writeln!(out, "Profil transversal d'enquête : {s}")?;
    }
    writeln!(out, "\nItems retenus ({}) :", poste.items.len())?;
    for l in &poste.items {
        let label = catalog
            .referential
            .item(l.ogr)
            .map(|i| i.label())
            .unwrap_or("(inconnu)");
        let extra = if poste.extra.contains(&l.ogr) {
            " [extra]"
        } else {
            ""
        };
        writeln!(
            out,
            "  {:<26} {:>7}  {label}{extra}",
            l.kind.label_fr(),
            l.ogr
        )?;
    }
    if !poste.notes.is_empty() {
        writeln!(out, "\nNotes :")?;
        for n in &poste.notes {
            writeln!(out, "  - {n}")?;
        }
    }
    Ok(true)
}
