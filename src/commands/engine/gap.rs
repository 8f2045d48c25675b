//! `passerelle gap`: the gap analysis between two jobs, as French text or JSON.

use std::io::Write;

use passerelle_app::{ChosenProfiles, Resolved};
use passerelle_core::engine::{Engine, Gap, GapItem, Weights};
use passerelle_core::text::pct;

use super::{catalog, resolve, transversal};
use crate::args::GapArgs;
use crate::context::Context;

pub fn gap(ctx: &Context, args: GapArgs) -> anyhow::Result<()> {
    let dept = args.dept;
    let catalog = catalog(ctx)?;
    let source = resolve(&catalog, &args.source)?;
    let target = resolve(&catalog, &args.target)?;
    let profiles = ChosenProfiles {
        source: transversal(&catalog, &source, None)?,
        target: transversal(&catalog, &target, args.enquete.as_deref())?,
    };
    let engine = Engine::new(&catalog);
    let target = Resolved::plain(target);
    let view = passerelle_app::gap_out(
        &engine,
        &source,
        &target,
        &Weights::default(),
        profiles,
        dept,
    )?;
    let out = &mut std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &view)?;
        writeln!(out)?;
    } else {
        print_gap(out, &view.gap)?;
    }
    Ok(())
}

fn print_gap(out: &mut impl Write, g: &Gap) -> anyhow::Result<()> {
    writeln!(
        out,
        "Mesure des écarts : « {} » ({}) vers « {} » ({})",
        g.source.title, g.source.code, g.target.title, g.target.code
    )?;
    writeln!(out, "Source : {}", g.source.resolution)?;
    writeln!(out, "Cible : {}", g.target.resolution)?;
    let riasec = match (&g.riasec.source, &g.riasec.target, g.riasec.label) {
        (Some(a), Some(b), Some(l)) => format!("{a} → {b} ({l})"),
        _ => "non disponible".into(),
    };
    writeln!(
        out,
        "Score combiné : {} ({}) ; RIASEC : {riasec}",
        pct(g.scores.score),
        g.tier_label
    )?;
    let level = |l: &Option<passerelle_core::AccessLevel>| {
        l.as_ref()
            .map(|l| l.display_fr())
            .unwrap_or_else(|| "non déterminé".into())
    };
    writeln!(
        out,
        "Niveau d'accès habituel : source {} ; cible {}{}",
        level(&g.niveaux.source),
        level(&g.niveaux.target),
        g.niveaux
            .move_label
            .map(|m| format!(" ({m})"))
            .unwrap_or_default()
    )?;
    writeln!(out)?;

    match &g.transversal {
        None => writeln!(
            out,
            "Compétences transversales : non disponible (profil de compétences transversales absent)"
        )?,
        Some(t) => {
            writeln!(out, "Compétences transversales : {}", pct(Some(t.score)))?;
            for (title, list) in [
                ("adaptée", &t.adaptees),
                ("la plus élevée", &t.plus_elevees),
                ("à faire évoluer", &t.a_faire_evoluer),
            ] {
                let n = list.len();
                let title = match (title, n > 1) {
                    ("adaptée", true) => "adaptées".to_string(),
                    ("la plus élevée", true) => "les plus élevées".to_string(),
                    (t, _) => t.to_string(),
                };
                writeln!(
                    out,
                    "  {n} {} {title}",
                    if n > 1 { "compétences" } else { "compétence" }
                )?;
                for c in list.iter() {
                    writeln!(out, "    • {c}")?;
                }
            }
            if !t.non_estimees.is_empty() {
                let n = t.non_estimees.len();
                writeln!(
                    out,
                    "  {n} {} pour le métier source (hors pourcentage)",
                    if n > 1 {
                        "compétences non estimées"
                    } else {
                        "compétence non estimée"
                    }
                )?;
                for c in &t.non_estimees {
                    writeln!(out, "    • {c}")?;
                }
            }
        }
    }
    writeln!(out)?;

    let s = &g.savoirs;
    writeln!(
        out,
        "Savoirs professionnels : {} ({} sur {})",
        pct(s.score),
        s.numerator,
        s.denominator
    )?;
    print_split(out, "déjà acquis", &s.acquis)?;
    print_acquire(out, "savoirs", &s.a_acquerir)?;
    if !g.certifications.communes.is_empty() || !g.certifications.cible_seulement.is_empty() {
        writeln!(out, "  Certifications (comptées à part) :")?;
        for c in &g.certifications.communes {
            writeln!(out, "    • {} (commune aux deux métiers)", c.label)?;
        }
        for c in &g.certifications.cible_seulement {
            writeln!(out, "    • {} (métier cible seulement)", c.label)?;
        }
    }
    writeln!(out)?;

    let sf = &g.savoir_faire;
    writeln!(
        out,
        "Savoir-faire : {} ({} sur {})",
        pct(sf.score),
        sf.numerator,
        sf.denominator
    )?;
    print_acquire(out, "savoir-faire", &sf.a_acquerir)?;
    for (title, items) in [("Déjà maîtrisés", &sf.acquis)] {
        writeln!(out, "  {title} ({}) :", items.len())?;
        let mut group = None;
        for i in items.iter() {
            if group != Some(&i.group) {
                writeln!(out, "    {} :", i.group)?;
                group = Some(&i.group);
            }
            writeln!(out, "      • {}{}", i.label, proche(i))?;
        }
    }
    writeln!(out)?;

    let c = &g.contextes;
    writeln!(
        out,
        "Contextes professionnels : {} ({} sur {})",
        pct(c.score),
        c.numerator,
        c.denominator
    )?;
    for (title, groups) in [("Similaires", &c.similaires), ("Nouveaux", &c.nouveaux)] {
        writeln!(out, "  {title} :")?;
        for grp in groups.iter() {
            let labels: Vec<&str> = grp.items.iter().map(|i| i.label.as_str()).collect();
            writeln!(out, "    • {} : {}", grp.type_label, labels.join(" / "))?;
        }
    }
    writeln!(out)?;
    writeln!(out, "Synthèse :")?;
    for sentence in &g.narrative {
        writeln!(out, "  {sentence}")?;
    }
    Ok(())
}

fn proche(i: &GapItem) -> String {
    match &i.proche_de {
        Some(n) => format!(" (proche de « {} »)", n.label),
        None => String::new(),
    }
}

fn print_split(out: &mut impl Write, what: &str, items: &[GapItem]) -> anyhow::Result<()> {
    let n = items.len();
    writeln!(
        out,
        "  {n} {} {what} :",
        if n > 1 { "savoirs" } else { "savoir" }
    )?;
    for (group, title_1, title_n) in [
        (
            "connaissances",
            "Connaissance professionnelle",
            "Connaissances professionnelles",
        ),
        (
            "savoir_faire",
            "Savoir-faire professionnel",
            "Savoir-faire professionnels",
        ),
    ] {
        let list: Vec<&GapItem> = items.iter().filter(|i| i.group == group).collect();
        if list.is_empty() {
            continue;
        }
        writeln!(
            out,
            "    {} {} :",
            list.len(),
            if list.len() > 1 { title_n } else { title_1 }
        )?;
        for i in list {
            writeln!(out, "      • {}{}", i.label, proche(i))?;
        }
    }
    Ok(())
}

/// Items to acquire: the core of the target job first, then those that
/// depend on the post (docs/methode.md § 9).
fn print_acquire(out: &mut impl Write, what: &str, items: &[GapItem]) -> anyhow::Result<()> {
    writeln!(out, "  À acquérir ({} {what}) :", items.len())?;
    for (core, title) in [(true, "Cœur du métier"), (false, "Selon le poste")] {
        let list: Vec<&GapItem> = items.iter().filter(|i| i.coeur == core).collect();
        if list.is_empty() {
            continue;
        }
        writeln!(out, "    {title} ({}) :", list.len())?;
        for i in list {
            writeln!(out, "      • {}{}", i.label, proche(i))?;
        }
    }
    Ok(())
}
