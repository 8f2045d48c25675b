//! `passerelle show JOB`: a fiche with everything the referential says,
//! items grouped the way ROME groups them (savoir-faire by macro-compétence
//! and sub-category, savoirs by category with certifications apart,
//! contextes by type), cœur de métier marked.

use std::io::Write;

use passerelle_core::{
    Appellation, CategoryLink, Classification, CoeurMetier, CompetenceSubcategory, Fiche,
    FicheTags, ItemKind, JobRef, OgrCode, Referential, Riasec,
};
use serde::Serialize;

use crate::args::*;
use crate::context::Context;

pub fn run(ctx: &Context, args: JobArgs) -> anyhow::Result<()> {
    let job: JobRef = args.job.parse()?;
    // A poste, or an appellation a poste describes: the poste is shown.
    if super::postes::show(ctx, &job, args.json)? {
        return Ok(());
    }
    let r = ctx.referential()?;
    let view = resolve(&r, &job)?;
    let out = &mut std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &view)?;
        writeln!(out)?;
    } else {
        print_text(out, &view)?;
    }
    Ok(())
}

/// Finds the fiche a ROME code or an appellation OGR code names.
pub fn resolve<'r>(r: &'r Referential, job: &JobRef) -> anyhow::Result<FicheView<'r>> {
    let (fiche, appellation, resolution) = match job {
        JobRef::Rome(code) => {
            let fiche = r.fiche(*code).ok_or_else(|| {
                anyhow::anyhow!(
                    "code ROME inconnu « {code} » dans le référentiel (version {})",
                    r.version.number
                )
            })?;
            (fiche, None, format!("Fiche ROME {code} entière"))
        }
        JobRef::Appellation(ogr) => {
            let a = r.appellation(*ogr).ok_or_else(|| {
                anyhow::anyhow!(
                    "code OGR d'appellation inconnu « {ogr} » dans le référentiel (version {})",
                    r.version.number
                )
            })?;
            let fiche = r.fiche(a.rome).ok_or_else(|| {
                anyhow::anyhow!("fiche {} de l'appellation {ogr} absente", a.rome)
            })?;
            (
                fiche,
                Some(a),
                format!(
                    "Appellation {ogr} « {} » : fiche ROME {} entière",
                    a.long_label, a.rome
                ),
            )
        }
        JobRef::Poste(slug) => anyhow::bail!("profil de poste inconnu « poste:{slug} »"),
    };
    Ok(FicheView::new(r, fiche, appellation, resolution))
}

#[derive(Serialize)]
pub struct FicheView<'r> {
    pub resolution: String,
    pub appellation: Option<&'r Appellation>,
    pub fiche: FicheDetail<'r>,
    pub attribution: String,
}

#[derive(Serialize)]
pub struct FicheDetail<'r> {
    pub code: String,
    pub ogr: OgrCode,
    pub title: &'r str,
    pub parent: String,
    pub code_fiche_metier: Option<u32>,
    pub domaine: CodeLabel,
    pub grand_domaine: CodeLabel,
    pub tags: &'r FicheTags,
    pub riasec: Option<Riasec>,
    pub definition: &'r [String],
    pub acces: &'r [String],
    /// Usual access level (niveaux 3–8) with its provenance (docs/methode.md).
    pub niveau_acces: passerelle_core::AccessLevel,
    pub appellations: Vec<&'r Appellation>,
    pub savoir_faire: Vec<MacroGroup<'r>>,
    pub savoir_etre: Vec<ItemView<'r>>,
    pub savoirs: Vec<CategoryGroup<'r>>,
    pub certifications: Vec<ItemView<'r>>,
    pub contextes: Vec<CategoryGroup<'r>>,
    pub centres_interet: Vec<ClassView<'r>>,
    pub secteurs: Vec<ClassView<'r>>,
    pub themes: Vec<ClassView<'r>>,
    pub secteurs_naf: Vec<ClassView<'r>>,
}

#[derive(Serialize)]
pub struct CodeLabel {
    pub code: String,
    pub label: Option<String>,
}

#[derive(Serialize)]
pub struct ItemView<'r> {
    pub ogr: OgrCode,
    pub label: &'r str,
    pub coeur: CoeurMetier,
}

#[derive(Serialize)]
pub struct MacroGroup<'r> {
    /// The macro-compétence (absent for compétences without one).
    pub macro_competence: Option<ItemView<'r>>,
    pub macro_riasec: Option<Riasec>,
    pub subcategories: Vec<SubGroup<'r>>,
}

#[derive(Serialize)]
pub struct SubGroup<'r> {
    pub subcategory: &'static str,
    pub items: Vec<ItemView<'r>>,
}

#[derive(Serialize)]
pub struct CategoryGroup<'r> {
    pub category: String,
    pub subcategories: Vec<NamedGroup<'r>>,
}

#[derive(Serialize)]
pub struct NamedGroup<'r> {
    pub subcategory: String,
    pub items: Vec<ItemView<'r>>,
}

#[derive(Serialize)]
pub struct ClassView<'r> {
    pub code: &'r str,
    pub label: Option<&'r str>,
    pub principal: bool,
}

/// Items grouped under a key, groups in first-seen order.
type Groups<K, T> = Vec<(K, Vec<T>)>;

/// Pushes `item` into the group keyed `key`, creating groups in first-seen order.
fn group_push<K: PartialEq, T>(groups: &mut Vec<(K, Vec<T>)>, key: K, item: T) {
    match groups.iter_mut().find(|(k, _)| *k == key) {
        Some((_, v)) => v.push(item),
        None => groups.push((key, vec![item])),
    }
}

impl<'r> FicheView<'r> {
    fn new(
        r: &'r Referential,
        f: &'r Fiche,
        appellation: Option<&'r Appellation>,
        resolution: String,
    ) -> Self {
        let gd = f.code.grand_domaine();
        let fiche = FicheDetail {
            code: f.code.to_string(),
            ogr: f.ogr,
            title: &f.title,
            parent: f.parent.to_string(),
            code_fiche_metier: f.code_fiche_metier,
            domaine: CodeLabel {
                code: f.domaine.clone(),
                label: r.domaine(&f.domaine).map(|d| d.label.clone()),
            },
            grand_domaine: CodeLabel {
                code: gd.to_string(),
                label: r
                    .grands_domaines
                    .iter()
                    .find(|g| g.code == gd)
                    .map(|g| g.label.clone()),
            },
            tags: &f.tags,
            riasec: f.riasec,
            definition: &f.definition,
            acces: &f.acces,
            niveau_acces: passerelle_core::qualification::access_level(r, f),
            appellations: r.appellations_of(f),
            savoir_faire: savoir_faire(r, f),
            savoir_etre: f
                .items_of(ItemKind::SavoirEtre)
                .filter_map(|l| item(r, l.ogr, l.coeur))
                .collect(),
            savoirs: savoirs(r, f, false),
            certifications: savoirs(r, f, true)
                .into_iter()
                .flat_map(|g| g.subcategories)
                .flat_map(|g| g.items)
                .collect(),
            contextes: contextes(r, f),
            centres_interet: classes(&f.centres_interet, &r.centres_interet),
            secteurs: classes(&f.secteurs, &r.secteurs),
            themes: classes(&f.themes, &r.themes),
            secteurs_naf: classes(&f.secteurs_naf, &r.secteurs_naf),
        };
        FicheView {
            resolution,
            appellation,
            fiche,
            attribution: r.version.attribution(),
        }
    }
}

fn item(r: &Referential, ogr: OgrCode, coeur: CoeurMetier) -> Option<ItemView<'_>> {
    r.item(ogr).map(|i| ItemView {
        ogr,
        label: i.label(),
        coeur,
    })
}

fn savoir_faire<'r>(r: &'r Referential, f: &'r Fiche) -> Vec<MacroGroup<'r>> {
    let mut by_macro: Groups<Option<OgrCode>, (CompetenceSubcategory, ItemView<'r>)> = Vec::new();
    for l in f.items_of(ItemKind::SavoirFaire) {
        let Some(c) = r.competence(l.ogr) else {
            continue;
        };
        let key = c.macro_ogr.or(
            if c.nature == passerelle_core::CompetenceNature::MacroCompetence {
                Some(c.ogr)
            } else {
                None
            },
        );
        group_push(
            &mut by_macro,
            key,
            (
                c.subcategory,
                ItemView {
                    ogr: c.ogr,
                    label: &c.label,
                    coeur: l.coeur,
                },
            ),
        );
    }
    by_macro
        .into_iter()
        .map(|(m, items)| {
            let macro_c = m.and_then(|m| r.competence(m));
            let mut subs: Groups<CompetenceSubcategory, ItemView<'r>> = Vec::new();
            for (sub, it) in items {
                group_push(&mut subs, sub, it);
            }
            MacroGroup {
                macro_competence: macro_c.map(|c| ItemView {
                    ogr: c.ogr,
                    label: &c.label,
                    coeur: CoeurMetier::Non,
                }),
                macro_riasec: macro_c.and_then(|c| c.riasec),
                subcategories: subs
                    .into_iter()
                    .map(|(s, items)| SubGroup {
                        subcategory: s.label_fr(),
                        items,
                    })
                    .collect(),
            }
        })
        .collect()
}

fn savoirs<'r>(r: &'r Referential, f: &'r Fiche, certifications: bool) -> Vec<CategoryGroup<'r>> {
    let mut cats: Groups<String, (String, ItemView<'r>)> = Vec::new();
    for l in f.items_of(ItemKind::Savoir) {
        let Some(s) = r.savoir(l.ogr) else { continue };
        if s.category.is_certification() != certifications {
            continue;
        }
        let view = ItemView {
            ogr: s.ogr,
            label: &s.label,
            coeur: l.coeur,
        };
        group_push(
            &mut cats,
            s.category.label_fr().to_string(),
            (s.subcategory.clone(), view),
        );
    }
    regroup(cats)
}

fn contextes<'r>(r: &'r Referential, f: &'r Fiche) -> Vec<CategoryGroup<'r>> {
    let mut types: Groups<String, (String, ItemView<'r>)> = Vec::new();
    for l in f.items_of(ItemKind::Contexte) {
        let Some(c) = r.contexte(l.ogr) else { continue };
        group_push(
            &mut types,
            c.type_label.clone(),
            (
                String::new(),
                ItemView {
                    ogr: c.ogr,
                    label: &c.label,
                    coeur: l.coeur,
                },
            ),
        );
    }
    regroup(types)
}

fn regroup<'r>(cats: Groups<String, (String, ItemView<'r>)>) -> Vec<CategoryGroup<'r>> {
    cats.into_iter()
        .map(|(category, items)| {
            let mut subs: Groups<String, ItemView<'r>> = Vec::new();
            for (sub, it) in items {
                group_push(&mut subs, sub, it);
            }
            CategoryGroup {
                category,
                subcategories: subs
                    .into_iter()
                    .map(|(subcategory, items)| NamedGroup { subcategory, items })
                    .collect(),
            }
        })
        .collect()
}

fn classes<'r>(links: &'r [CategoryLink], all: &'r [Classification]) -> Vec<ClassView<'r>> {
    links
        .iter()
        .map(|l| ClassView {
            code: &l.code,
            label: all
                .iter()
                .find(|c| c.code == l.code)
                .map(|c| c.label.as_str()),
            principal: l.principal,
        })
        .collect()
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

fn print_text(out: &mut impl Write, v: &FicheView<'_>) -> std::io::Result<()> {
    let f = &v.fiche;
    writeln!(out, "{} — {}", f.code, f.title)?;
    writeln!(out, "{}", v.resolution)?;
    let mut codes = format!("Code OGR {} · code ROME parent {}", f.ogr, f.parent);
    if let Some(n) = f.code_fiche_metier {
        codes.push_str(&format!(" · fiche métier n° {n}"));
    }
    writeln!(out, "{codes}")?;
    writeln!(
        out,
        "Domaine : {} {} · grand domaine {} {}",
        f.domaine.code,
        f.domaine.label.as_deref().unwrap_or("(libellé inconnu)"),
        f.grand_domaine.code,
        f.grand_domaine
            .label
            .as_deref()
            .unwrap_or("(libellé inconnu)")
    )?;
    let t = f.tags;
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
    if let Some(r) = &f.riasec {
        writeln!(out, "RIASEC : {}", riasec_fr(r))?;
    }
    for (title, sentences) in [("Définition", f.definition), ("Accès au métier", f.acces)] {
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
        if a.classification.as_deref() == Some("PRINCIPALE") {
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
        writeln!(out, "  {:>6}  {}{flags}", a.ogr.get(), a.long_label)?;
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
                    let label = c.label.unwrap_or(c.code);
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
    groups: &[CategoryGroup<'_>],
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
