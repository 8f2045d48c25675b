//! `passerelle show JOB`: a fiche with everything the referential says,
//! items grouped the way ROME groups them (savoir-faire by macro-compétence
//! and sub-category, savoirs by category with certifications apart,
//! contextes by type), cœur de métier marked. The JSON is the API's fiche
//! (`passerelle_app::FicheOut`); a poste's text is `postes::show`'s.

use std::io::Write;

use passerelle_app::fiche::{CategoryGroup, FicheOut};
use passerelle_core::{Catalog, CoeurMetier, JobRef, Riasec};

use crate::args::*;
use crate::context::Context;

pub fn run(ctx: &Context, args: JobArgs) -> anyhow::Result<()> {
    let job: JobRef = args.job.parse()?;
    // A poste, or an appellation a poste describes: the poste is shown.
    if !args.json && super::postes::show(ctx, &job)? {
        return Ok(());
    }
    let catalog = ctx.catalog()?;
    known(&catalog, &job)?;
    let resolved = catalog.resolve(&job)?;
    let version = passerelle_app::data_version(&catalog.referential);
    let view = passerelle_app::fiche(&catalog, &resolved, version);
    let out = &mut std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &view)?;
        writeln!(out)?;
    } else {
        let riasec = catalog
            .referential
            .fiche(resolved.fiche)
            .and_then(|f| f.riasec);
        print_text(out, &view, riasec)?;
    }
    Ok(())
}

/// Refuses a code the referential does not know, naming its version.
fn known(catalog: &Catalog, job: &JobRef) -> anyhow::Result<()> {
    let r = &catalog.referential;
    match job {
        JobRef::Rome(code) if r.fiche(*code).is_none() => anyhow::bail!(
            "code ROME inconnu « {code} » dans le référentiel (version {})",
            r.version.number
        ),
        JobRef::Appellation(ogr) if r.appellation(*ogr).is_none() => anyhow::bail!(
            "code OGR d'appellation inconnu « {ogr} » dans le référentiel (version {})",
            r.version.number
        ),
        JobRef::Poste(slug) if catalog.poste(slug).is_none() => {
            anyhow::bail!("profil de poste inconnu « poste:{slug} »")
        }
        _ => Ok(()),
    }
}

// ---------- text ----------

fn mark(coeur: CoeurMetier) -> &'static str {
    match coeur {
        CoeurMetier::Principale => "★ ",
        CoeurMetier::Emergente => "✦ ",
        CoeurMetier::Non => "  ",
    }
}

fn yes_no(b: Option<bool>) -> &'static str {
    match b {
        Some(true) => "oui",
        Some(false) => "non",
        None => "non renseigné",
    }
}

fn riasec_fr(r: &Riasec) -> String {
    match r.minor {
        Some(m) => format!("{} ({} / {})", r, r.major.label_fr(), m.label_fr()),
        None => format!("{} ({})", r, r.major.label_fr()),
    }
}

fn print_text(out: &mut impl Write, v: &FicheOut, riasec: Option<Riasec>) -> std::io::Result<()> {
    let f = &v.fiche;
    writeln!(out, "{} — {}", f.code, f.title)?;
    writeln!(out, "{}", v.job.resolution)?;
    let mut codes = format!("Code OGR {} · code ROME parent {}", f.ogr, f.parent);
    if let Some(n) = f.code_fiche_metier {
        codes.push_str(&format!(" · fiche métier n° {n}"));
    }
    writeln!(out, "{codes}")?;
    writeln!(
        out,
        "Domaine : {} {} · grand domaine {} {}",
        f.domaine,
        f.domaine_label.as_deref().unwrap_or("(libellé inconnu)"),
        f.grand_domaine.code,
        f.grand_domaine
            .label
            .as_deref()
            .unwrap_or("(libellé inconnu)")
    )?;
    let t = &f.tags;
    writeln!(
        out,
        "Tags : transition écologique : {} · numérique : {} · démographique : {} · emploi réglementé : {} · emploi cadre : {}",
        t.transition_eco.as_deref().unwrap_or("non renseigné"),
        yes_no(t.transition_num),
        yes_no(t.transition_demo),
        yes_no(t.emploi_reglemente),
        yes_no(t.emploi_cadre)
    )?;
    writeln!(
        out,
        "Niveau d'accès habituel : {} — {}",
        f.niveau_acces.display_fr(),
        f.niveau_acces.provenance_fr()
    )?;
    if let Some(r) = &riasec {
        writeln!(out, "RIASEC : {}", riasec_fr(r))?;
    }
    for (title, sentences) in [("Définition", &f.definition), ("Accès au métier", &f.acces)] {
        if !sentences.is_empty() {
            writeln!(out, "\n{title}")?;
            for s in sentences {
                writeln!(out, "  {s}")?;
            }
        }
    }
    writeln!(out, "\nAppellations ({})", f.appellations.len())?;
    for a in &f.appellations {
        let mut flags = Vec::new();
        if a.principale {
            flags.push("principale");
        }
        if a.rare {
            flags.push("peu usitée");
        }
        let flags = if flags.is_empty() {
            String::new()
        } else {
            format!(" [{}]", flags.join(", "))
        };
        writeln!(out, "  {:>6}  {}{flags}", a.ogr.get(), a.label)?;
    }
    writeln!(out, "\n(★ cœur de métier, ✦ compétence émergente)")?;
    let n_sf: usize = f
        .savoir_faire
        .iter()
        .flat_map(|g| &g.subcategories)
        .map(|s| s.items.len())
        .sum();
    writeln!(out, "\nSavoir-faire ({n_sf})")?;
    for g in &f.savoir_faire {
        match &g.macro_competence {
            Some(m) => {
                let riasec = g
                    .macro_riasec
                    .as_ref()
                    .map(|r| format!(" [RIASEC {r}]"))
                    .unwrap_or_default();
                writeln!(out, "  {}{riasec}", m.label)?;
            }
            None => writeln!(out, "  (sans macro-compétence)")?,
        }
        for s in &g.subcategories {
            writeln!(out, "    {}", s.subcategory)?;
            for i in &s.items {
                writeln!(out, "      {}{} ({})", mark(i.coeur), i.label, i.ogr)?;
            }
        }
    }
    if !f.savoir_etre.is_empty() {
        writeln!(
            out,
            "\nSavoir-être professionnels ({})",
            f.savoir_etre.len()
        )?;
        for i in &f.savoir_etre {
            writeln!(out, "  {}{} ({})", mark(i.coeur), i.label, i.ogr)?;
        }
    }
    print_groups(out, "Savoirs", &f.savoirs)?;
    if !f.certifications.is_empty() {
        writeln!(
            out,
            "\nCertifications et habilitations ({})",
            f.certifications.len()
        )?;
        for i in &f.certifications {
            writeln!(out, "  {}{} ({})", mark(i.coeur), i.label, i.ogr)?;
        }
    }
    print_groups(out, "Contextes de travail", &f.contextes)?;
    for (title, list) in [
        ("Centres d'intérêt", &f.centres_interet),
        ("Secteurs d'activité", &f.secteurs),
        ("Thèmes", &f.themes),
        ("Secteurs NAF", &f.secteurs_naf),
    ] {
        if !list.is_empty() {
            let names: Vec<String> = list
                .iter()
                .map(|c| {
                    let label = c.label.as_deref().unwrap_or(&c.code);
                    if c.principal {
                        format!("{label} (principal)")
                    } else {
                        label.to_string()
                    }
                })
                .collect();
            writeln!(out, "\n{title} : {}", names.join(" ; "))?;
        }
    }
    writeln!(out, "\n{}", v.attribution)
}

fn print_groups(
    out: &mut impl Write,
    title: &str,
    groups: &[CategoryGroup],
) -> std::io::Result<()> {
    let n: usize = groups
        .iter()
        .flat_map(|g| &g.subcategories)
        .map(|s| s.items.len())
        .sum();
    if n == 0 {
        return Ok(());
    }
    writeln!(out, "\n{title} ({n})")?;
    for g in groups {
        writeln!(out, "  {}", g.category)?;
        for s in &g.subcategories {
            let indent = if s.subcategory.is_empty() {
                "    "
            } else {
                writeln!(out, "    {}", s.subcategory)?;
                "      "
            };
            for i in &s.items {
                writeln!(out, "{indent}{}{} ({})", mark(i.coeur), i.label, i.ogr)?;
            }
        }
    }
    Ok(())
}
