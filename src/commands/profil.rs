//! `passerelle profil JOB` and `passerelle import profils FILE`.

use std::io::Write;

use anyhow::Context as _;
use passerelle_core::transversal::{Competency, Provenance, SurveyTarget, TransversalProfile};
use passerelle_core::{DeptCode, JobRef, JobSummary, SurveyChoice};
use passerelle_import::profils::read_surveys;
use passerelle_render::radar::{Scale, Series, radar_svg};
use passerelle_store::ProfileRepository;
use serde::Serialize;

use crate::args::*;
use crate::context::Context;

pub fn import(ctx: &Context, args: ImportPathArgs) -> anyhow::Result<()> {
    let referential = ctx.referential()?;
    // Read and validate everything before touching the database.
    let surveys = read_surveys(&args.path, &referential)?;
    let mut store = ctx.open_store()?;
    store.save_surveys(&surveys, &ctx.now_rfc3339())?;
    if !args.quiet {
        println!(
            "{} profil(s) d'enquête importé(s) depuis {} :",
            surveys.len(),
            args.path.display()
        );
        for s in &surveys {
            if let Provenance::Enquete { id, source, .. } = &s.profile.provenance {
                let used = Competency::ALL
                    .iter()
                    .filter(|c| s.profile.get(**c).is_used())
                    .count();
                println!("  {id} — {source} ({used} compétences utilisées)");
            }
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct CompetencyRow {
    competency: Competency,
    label: &'static str,
    category: &'static str,
    level: u8,
    stars: u8,
    /// False for a competency an estimated profile does not assess ("non
    /// estimée"; level and stars then 0).
    assessed: bool,
    situation: &'static str,
}

#[derive(Serialize)]
struct ProfilOutput<'a> {
    job: JobSummary,
    provenance: &'a Provenance,
    competencies: Vec<CompetencyRow>,
    /// Identifiers of the job's other surveys, not chosen.
    other_surveys: Vec<&'a str>,
}

pub fn run(ctx: &Context, args: ProfilArgs) -> anyhow::Result<()> {
    let catalog = ctx.catalog()?;
    let job = catalog.resolve(&args.job.parse::<JobRef>()?)?;
    let dept = args.dept;
    if let Some(id) = &args.enquete {
        let survey = catalog.survey(id).ok_or_else(|| {
            anyhow::anyhow!(
                "paramètre --enquete : enquête inconnue « {id} » (voir `passerelle import profils`)"
            )
        })?;
        if !survey.applies_to(&job) {
            anyhow::bail!(
                "paramètre --enquete : l'enquête « {id} » porte sur {}, pas sur {} ({})",
                target_fr(&survey.target),
                job.title,
                job.id
            );
        }
    }
    let choice = SurveyChoice {
        enquete: args.enquete.clone(),
        dept,
    };
    let profile = catalog.transversal_profile(&job, &choice).ok_or_else(|| {
        anyhow::anyhow!("aucun profil de compétences transversales pour {}", job.id)
    })?;
    // A surveyed profile is drawn over the fiche's estimate, to show how far they agree.
    let estimate = catalog
        .estimated_profile(job.fiche)
        .filter(|_| profile.provenance.is_surveyed());
    if let Some(path) = &args.svg {
        let label = format!("{} ({})", job.title, profile.provenance.kind_fr());
        let estimate_label = format!("Fiche ROME {} (estimé)", job.fiche);
        let mut series = vec![Series {
            profile,
            label: &label,
            color: "#1f5f8b",
        }];
        if let Some(e) = estimate {
            series.push(Series {
                profile: e,
                label: &estimate_label,
                color: "#b5651d",
            });
        }
        let svg = radar_svg(
            &format!("Profil de compétences transversales : {}", job.title),
            Scale::Level,
            &series,
        );
        std::fs::write(path, svg).with_context(|| format!("écriture de {}", path.display()))?;
    }
    let others: Vec<&str> = catalog
        .surveys_for(&job)
        .map(|s| s.id())
        .filter(|id| !matches!(&profile.provenance, Provenance::Enquete { id: chosen, .. } if chosen == id))
        .collect();
    let mut out = std::io::stdout().lock();
    if args.json {
        let output = ProfilOutput {
            job: job.summary(),
            provenance: &profile.provenance,
            competencies: rows(profile),
            other_surveys: others,
        };
        serde_json::to_writer_pretty(&mut out, &output)?;
        writeln!(out)?;
        return Ok(());
    }
    writeln!(
        out,
        "Profil de compétences transversales — {} ({})",
        job.title, job.id
    )?;
    writeln!(out, "{}", job.resolution)?;
    writeln!(out, "Provenance : {}", provenance_fr(&profile.provenance))?;
    if !others.is_empty() {
        writeln!(
            out,
            "Autres enquêtes sur ce métier (--enquete ID) : {}",
            others.join(", ")
        )?;
    }
    writeln!(out)?;
    let mut category = None;
    for c in Competency::ALL {
        if category != Some(c.category()) {
            category = Some(c.category());
            writeln!(out, "{}", c.category().label_fr())?;
        }
        let e = profile.get(c);
        if e.is_used() {
            let stars = format!(
                "{}{}",
                "★".repeat(e.stars().into()),
                "☆".repeat(5 - usize::from(e.stars()))
            );
            writeln!(out, "  {stars}  niveau {}/4  {}", e.level(), c.label_fr())?;
            writeln!(out, "                       {}", c.situation_fr())?;
        } else {
            // An estimate silent on a competency says "non estimée", never
            // "non mobilisée" (only a survey measures non-use).
            let status = profile.unused_label_fr(c).unwrap_or("non mobilisée");
            writeln!(out, "  ☆☆☆☆☆  {status}  {}", c.label_fr())?;
        }
    }
    Ok(())
}

fn rows(profile: &TransversalProfile) -> Vec<CompetencyRow> {
    Competency::ALL
        .into_iter()
        .map(|c| CompetencyRow {
            competency: c,
            label: c.label_fr(),
            category: c.category().label_fr(),
            level: profile.get(c).level(),
            stars: profile.get(c).stars(),
            assessed: profile.entry(c).is_some(),
            situation: c.situation_fr(),
        })
        .collect()
}

/// What a survey describes, in French.
fn target_fr(t: &SurveyTarget) -> String {
    match t {
        SurveyTarget::Rome(c) => format!("la fiche ROME {c}"),
        SurveyTarget::Appellation(o) => format!("l'appellation {o}"),
    }
}

/// The provenance in one French sentence.
pub fn provenance_fr(p: &Provenance) -> String {
    match p {
        Provenance::Enquete {
            id,
            source,
            date,
            territory,
            population,
        } => {
            let mut s = format!("enquête « {id} » — {source}, {date}");
            match territory {
                Some(t) if DeptCode::parse(t).is_ok() => s.push_str(&format!(", département {t}")),
                Some(t) => s.push_str(&format!(", territoire {t}")),
                None => {}
            }
            if let Some(pop) = population {
                s.push_str(&format!(", population : {pop}"));
            }
            s
        }
        Provenance::Estime {
            method,
            rome_version,
        } => {
            format!(
                "estimé à partir du ROME version {rome_version} (méthode {method}, voir docs/transversal.md)"
            )
        }
    }
}
