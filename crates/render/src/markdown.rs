//! Markdown rendering of the documents (same model as HTML and PDF).

use std::fmt::Write;

use crate::build::pct;
use crate::document::*;

/// Escapes characters Markdown would interpret at the start or inside text.
fn md(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '|' | '#') {
            o.push('\\');
        }
        o.push(c);
    }
    o
}

fn list(o: &mut String, items: &[String]) {
    if items.is_empty() {
        let _ = writeln!(o, "_{NON_DISPONIBLE}_\n");
        return;
    }
    for i in items {
        let _ = writeln!(o, "- {}", md(i));
    }
    o.push('\n');
}

fn paras(o: &mut String, ps: &[String]) {
    if ps.is_empty() {
        let _ = writeln!(o, "_{NON_DISPONIBLE}_\n");
    }
    for p in ps {
        let _ = writeln!(o, "{}\n", md(p));
    }
}

fn bar(v: Option<f64>) -> String {
    match v {
        Some(x) => {
            let n = (x * 10.0).round().clamp(0.0, 10.0) as usize;
            format!("`{}{}` {}", "█".repeat(n), "░".repeat(10 - n), pct(v))
        }
        None => NON_DISPONIBLE.into(),
    }
}

fn formations(o: &mut String, f: &Formations) {
    if f.items.is_empty() {
        let _ = writeln!(o, "_{}_\n", md(f.note.as_deref().unwrap_or(NON_DISPONIBLE)));
    } else {
        o.push_str("| Formation | Organisme | Lieu | Durée |\n|---|---|---|---|\n");
        for t in &f.items {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} |",
                md(&t.intitule),
                md(&t.organisme),
                md(&t.ville),
                t.duree_heures.map(|h| format!("{} h", passerelle_core::text::fr_int(u64::from(h)))).unwrap_or_else(|| NON_DISPONIBLE.into())
            );
        }
        o.push('\n');
    }
    if let Some(s) = &f.source {
        let _ = writeln!(o, "Source : {}\n", md(s));
    }
}

fn links(o: &mut String, ls: &[Link]) {
    for l in ls {
        let _ = writeln!(o, "- [{}]({})", md(&l.label), l.url);
    }
    o.push('\n');
}

/// The fiche passerelle as Markdown.
pub fn fiche(d: &FichePasserelle) -> String {
    let mut o = String::with_capacity(32 * 1024);
    let c = &d.cover;
    let _ = writeln!(o, "# Fiche passerelle : {}\n", md(&c.title));
    let _ = writeln!(o, "Fiche ROME {} – {}  \n{}\n", c.code_rome, md(&c.fiche_title), md(&c.resolution));
    let dept = match (&c.departement, &c.departement_nom) {
        (Some(code), Some(nom)) => format!("{nom} ({code})"),
        (Some(code), None) => code.clone(),
        _ => NON_DISPONIBLE.into(),
    };
    let _ = writeln!(o, "Département : **{}** — édition du {} — {}\n", md(&dept), c.generated_on, md(&c.rome_version));
    let _ = writeln!(o, "> {}\n", md(NOTICE));

    o.push_str("## Compétences transversales : la méthode\n\n");
    paras(&mut o, &d.methode_transversale.paragraphs);
    for cat in &d.methode_transversale.categories {
        let _ = writeln!(o, "**{}** : {}\n", md(&cat.label), md(&cat.competencies.join(", ")));
    }

    o.push_str("## Contexte territorial\n\n");
    if let Some(n) = &d.territoire.note {
        let _ = writeln!(o, "_{}_\n", md(n));
    }
    if !d.territoire.figures.is_empty() {
        o.push_str("| Indicateur | Valeur | Source |\n|---|---|---|\n");
        for f in &d.territoire.figures {
            let _ = writeln!(o, "| {} | {} | {} |", md(&f.label), md(&f.text), md(f.source.as_deref().unwrap_or(NON_DISPONIBLE)));
        }
        o.push('\n');
    }

    o.push_str("## Définition et missions\n\n### Définition de l'emploi\n\n");
    paras(&mut o, &d.definition.definition);
    o.push_str("### Accès au métier\n\n");
    paras(&mut o, &d.definition.acces);
    o.push_str("### Missions\n\n");
    for g in &d.definition.missions {
        let _ = writeln!(o, "**{}**\n", md(&g.title));
        list(&mut o, &g.items);
    }

    o.push_str("## Profil de compétences transversales\n\n");
    match &d.profil_transversal {
        None => {
            let _ = writeln!(o, "_{NON_DISPONIBLE}_\n");
        }
        Some(p) => {
            let _ = writeln!(o, "{}\n", md(&p.provenance_label));
            o.push_str("| Compétence | Catégorie | Importance (/5) | Niveau (/4) | En situation de travail |\n|---|---|---|---|---|\n");
            for r in &p.rows {
                let _ = writeln!(
                    o,
                    "| {} | {} | {}{} | {} | {} |",
                    md(&r.competency),
                    md(&r.category),
                    "★".repeat(r.stars as usize),
                    "☆".repeat(5 - r.stars.min(5) as usize),
                    r.level,
                    md(&r.situation)
                );
            }
            o.push('\n');
        }
    }

    o.push_str("## Descriptif métier\n\n### Certifications et blocs de compétences\n\n");
    if d.descriptif.certifications.is_empty() {
        let _ = writeln!(o, "_{NON_DISPONIBLE}_\n");
    }
    for cert in &d.descriptif.certifications {
        let _ = writeln!(o, "**{}** {}\n", md(&cert.intitule), md(cert.rncp.as_deref().unwrap_or("")));
        list(&mut o, &cert.blocs);
    }
    o.push_str("### Savoir-être professionnels\n\n");
    list(&mut o, &d.descriptif.savoir_etre);
    o.push_str("### Descriptif métier selon les entretiens employeurs\n\n");
    match &d.descriptif.entretiens {
        None => {
            let _ = writeln!(o, "_Aucun entretien employeur saisi ({NON_DISPONIBLE})._\n");
        }
        Some(e) => {
            o.push_str("_Contenu rédigé (entretiens employeurs), non calculé._\n\n");
            for g in &e.sections {
                let _ = writeln!(o, "**{}**\n", md(&g.title));
                list(&mut o, &g.items);
            }
            let _ = writeln!(o, "Source : {}\n", md(&e.source));
        }
    }

    o.push_str("## Profil RIASEC\n\n");
    match &d.riasec {
        None => {
            let _ = writeln!(o, "_{NON_DISPONIBLE}_\n");
        }
        Some(r) => {
            let _ = writeln!(o, "Profil RIASEC de la fiche : **{}**\n", r.code);
            for l in &r.letters {
                let _ = writeln!(o, "- **{} – {}** : {}", l.letter, md(&l.label), md(&l.description));
            }
            let _ = writeln!(o, "\n{}\n", md(&r.explanation));
        }
    }

    o.push_str("## Métiers sources\n\n");
    paras(&mut o, &d.sources.explanation);
    o.push_str("| # | Métier source | Code | Transversales | Savoirs | Savoir-faire | Contextes | Score | Viabilité |\n|---|---|---|---|---|---|---|---|---|\n");
    for r in &d.sources.rows {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            r.rank,
            md(&r.title),
            r.code,
            bar(r.transversal),
            bar(r.savoirs),
            bar(r.savoir_faire),
            bar(r.contextes),
            pct(r.score),
            r.tier_label
        );
    }
    o.push('\n');

    o.push_str("## Analyse des écarts\n\n");
    for g in &d.ecarts {
        let _ = writeln!(o, "### {} ({}) → {}\n", md(&g.source.title), g.source.code, md(&g.target.title));
        let _ = writeln!(o, "Score combiné : **{}** — {}\n", pct(g.scores.score), g.tier_label);
        paras(&mut o, &g.narrative);
        let _ = writeln!(o, "- Savoirs à acquérir : {}", md(&g.savoirs.a_acquerir.iter().map(|i| i.label.as_str()).collect::<Vec<_>>().join(" ; ")));
        let _ = writeln!(o, "- Savoir-faire à acquérir : {}\n", md(&g.savoir_faire.a_acquerir.iter().map(|i| i.label.as_str()).collect::<Vec<_>>().join(" ; ")));
    }

    o.push_str("## Offre de formation\n\n");
    formations(&mut o, &d.formations);

    o.push_str("## Autres appellations des métiers sources\n\n");
    for s in &d.autres_appellations {
        let _ = writeln!(o, "**{} ({})** : {}\n", md(&s.title), s.code, md(&s.appellations.join(" ; ")));
    }

    o.push_str("## Pour aller plus loin\n\n");
    links(&mut o, &d.liens);
    o.push_str("## Annexe : méthodes et sources\n\n### Méthodes\n\n");
    list(&mut o, &d.annexe.methodes);
    o.push_str("### Sources et licences\n\n");
    list(&mut o, &d.annexe.attributions);
    let _ = writeln!(o, "> {}", md(NOTICE));
    o
}

/// The parcours de mobilité as Markdown.
pub fn parcours(d: &Parcours) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# Parcours de mobilité\n\n**{}** — {}\n", md(&d.je_suis), md(&d.je_souhaite));
    let _ = writeln!(o, "{} ({}) → {} ({}) — édition du {}\n", md(&d.source.title), d.source.code, md(&d.target.title), d.target.code, d.generated_on);
    let _ = writeln!(o, "> {}\n", md(NOTICE));
    let _ = writeln!(o, "## En bref\n\nScore combiné : **{}** — {}\n", pct(d.score), d.tier_label);
    paras(&mut o, &d.synthese);
    o.push_str("## Le métier visé\n\n");
    paras(&mut o, &d.definition);
    o.push_str("### Accès au métier\n\n");
    paras(&mut o, &d.acces);
    o.push_str("## Compétences transférables\n\n");
    let _ = writeln!(o, "{}\n", md(&d.transferabilite_methode));
    let _ = writeln!(o, "| Activités de {} | Degré | Explication |\n|---|---|---|", md(&d.source.title));
    for a in &d.activites {
        let _ = writeln!(o, "| {} | {} {} | {} |", md(&a.title), bar(Some(a.part)), a.degre, md(&a.explication));
    }
    o.push_str("\n## Compétences à acquérir\n\n");
    for g in &d.a_acquerir {
        let _ = writeln!(o, "**{}**\n", md(&g.title));
        list(&mut o, &g.items);
    }
    o.push_str("## Certification\n\n");
    match &d.certification {
        None => {
            let _ = writeln!(o, "_{NON_DISPONIBLE}_\n");
        }
        Some(c) => {
            let _ = writeln!(o, "**{}**\n\n{}\n", md(&c.intitule), md(&c.explication));
            for b in &c.blocs {
                let _ = writeln!(o, "- Bloc {} – {} ({} h)", b.numero, md(&b.intitule), b.heures);
            }
            o.push('\n');
        }
    }
    o.push_str("## Formations à proximité\n\n");
    formations(&mut o, &d.formations);
    o.push_str("## Pour aller plus loin\n\n");
    links(&mut o, &d.liens);
    o.push_str("### Sources\n\n");
    list(&mut o, &d.attributions);
    o
}
