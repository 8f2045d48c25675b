//! `passerelle territoire`, `import territoire` and `import formations`
//! (issue 5; `bench territoire` is in `passerelle_bench::territoire`).

use std::io::Write;
use std::time::Instant;

use passerelle_core::RomeCode;
use passerelle_core::territory::context::{JobContext, TerritorialContext};
use passerelle_core::territory::figure::Figure;
use passerelle_core::territory::records::ImportReport;
use passerelle_core::territory::territorial_context;
use passerelle_store::Store;
use passerelle_store::territory::TerritoryRepository;
use passerelle_territory::formations::{parse_lheo_file, read_formations_file};
use passerelle_territory::import::read_territory;

use crate::args::*;
use crate::context::Context;
use passerelle_core::text::{fr_decimal, fr_int};

/// How many certifications the text output lists before summarising.
const MAX_CERTIFICATIONS: usize = 10;
const MAX_SECTEURS: usize = 5;

pub fn run(ctx: &Context, args: TerritoireArgs) -> anyhow::Result<()> {
    let dept = args.dept;
    let job = match &args.rome {
        None => None,
        Some(r) => {
            let code = RomeCode::parse(r).map_err(|e| anyhow::anyhow!("paramètre --rome : {e}"))?;
            let referential = ctx.referential()?;
            let fiche = referential.fiche(code).ok_or_else(|| {
                anyhow::anyhow!(
                    "paramètre --rome : fiche ROME {code} inconnue du référentiel importé"
                )
            })?;
            Some((code, Some(fiche.parent), fiche.title.clone()))
        }
    };
    let store = open_with_territory(ctx)?;
    let context = store
        .context_rows(dept, job.as_ref().map(|(c, p, _)| (*c, *p)))?
        .map(territorial_context)
        .ok_or_else(|| {
            anyhow::anyhow!("département {dept} absent des données territoriales importées")
        })?;
    let out = &mut std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &context)?;
        writeln!(out)?;
    } else {
        print_context(out, &context, job.as_ref().map(|(_, _, t)| t.as_str()))?;
    }
    Ok(())
}

fn open_with_territory(ctx: &Context) -> anyhow::Result<Store> {
    let hint = || {
        anyhow::anyhow!(
            "la base {} ne contient pas encore de données territoriales : lancez `passerelle import territoire`",
            ctx.db
        )
    };
    if !ctx.db.exists() {
        return Err(hint());
    }
    let store = ctx.open_store()?;
    if !store.has_territory()? {
        return Err(hint());
    }
    Ok(store)
}

fn figure_line(out: &mut impl Write, indent: &str, f: &Figure) -> std::io::Result<()> {
    write!(out, "{indent}{} : {}", f.label, f.text)?;
    if let Some(s) = &f.source {
        write!(out, " ({})", s.text)?;
    }
    writeln!(out)?;
    if let passerelle_core::territory::Amount::Unavailable { reason } = &f.amount {
        writeln!(out, "{indent}  {reason}")?;
    }
    for n in &f.notes {
        writeln!(out, "{indent}  {n}")?;
    }
    Ok(())
}

fn print_context(
    out: &mut impl Write,
    c: &TerritorialContext,
    title: Option<&str>,
) -> std::io::Result<()> {
    let d = &c.departement;
    writeln!(out, "{} ({}), région {}", d.nom, d.code, d.region_nom)?;
    figure_line(out, "  ", &c.population)?;
    figure_line(out, "  ", &c.chomage)?;
    if let Some(j) = &c.metier {
        print_job(out, j, title)?;
    }
    writeln!(out)?;
    writeln!(out, "Sources :")?;
    for s in &c.sources {
        writeln!(out, "  {s}")?;
    }
    Ok(())
}

fn print_job(out: &mut impl Write, j: &JobContext, title: Option<&str>) -> std::io::Result<()> {
    writeln!(out)?;
    write!(out, "Métier {}", j.code_rome)?;
    if let Some(t) = title {
        write!(out, " – {t}")?;
    }
    if let Some(p) = &j.code_rome_parent {
        write!(out, " (code parent ROME v3 : {p})")?;
    }
    writeln!(out)?;
    let b = &j.bmo;
    match (&b.code_bmo, &b.libelle_bmo) {
        (Some(code), Some(l)) => writeln!(
            out,
            "  Métier BMO (FAP 2021) : {code} « {l} » – {}",
            b.correspondance.as_deref().unwrap_or("")
        )?,
        (Some(code), None) => writeln!(out, "  Métier BMO (FAP 2021) : {code}")?,
        _ => writeln!(out, "  Métier BMO : aucun ne correspond à cette fiche")?,
    }
    figure_line(out, "  ", &b.projets)?;
    figure_line(out, "    ", &b.difficiles)?;
    figure_line(out, "    ", &b.saisonniers)?;
    figure_line(out, "  ", &j.offres)?;
    figure_line(out, "  ", &j.demandeurs)?;

    let s = &j.secteurs;
    write!(out, "  Secteurs qui recrutent (NAF)")?;
    if let Some(p) = &s.inherited_from {
        write!(out, ", hérité du code parent {p}")?;
    }
    writeln!(out, " :")?;
    if s.items.is_empty() {
        writeln!(out, "    {}", s.note.as_deref().unwrap_or("non disponible"))?;
    }
    for n in s.items.iter().take(MAX_SECTEURS) {
        writeln!(
            out,
            "    {} {} ({} embauches)",
            n.naf,
            n.libelle,
            fr_int(n.embauches)
        )?;
    }

    let c = &j.certifications;
    write!(out, "  Certifications (Certif Info)")?;
    if let Some(p) = &c.inherited_from {
        write!(out, ", hérité du code parent {p}")?;
    }
    writeln!(out, " : {}", c.items.len())?;
    if c.items.is_empty() {
        writeln!(out, "    {}", c.note.as_deref().unwrap_or("non disponible"))?;
    }
    for it in c.items.iter().take(MAX_CERTIFICATIONS) {
        let mut parts = vec![it.type_libelle.clone()];
        if let Some(n) = it.niveau {
            parts.push(format!("niveau {n}"));
        }
        parts.extend(it.rncp.clone());
        parts.extend(it.rs.clone());
        if let Some(cert) = &it.certificateur {
            parts.push(format!("certificateur : {cert}"));
        }
        parts.push(format!("accès : {}", it.accessibilite));
        writeln!(out, "    - {} ({})", it.libelle, parts.join(", "))?;
        for b in &it.blocs {
            writeln!(out, "        {} {}", b.code, b.libelle)?;
        }
    }
    if c.items.len() > MAX_CERTIFICATIONS {
        writeln!(
            out,
            "    … et {} autres (--json pour la liste complète)",
            c.items.len() - MAX_CERTIFICATIONS
        )?;
    }

    let r = &j.fiches_rncp;
    if !r.items.is_empty() {
        write!(
            out,
            "  Fiches RNCP/RS de l'export France compétences importé"
        )?;
        if let Some(p) = &r.inherited_from {
            write!(out, ", hérité du code parent {p}")?;
        }
        writeln!(out, " : {}", r.items.len())?;
        for f in &r.items {
            let niveau = f
                .niveau
                .map(|n| format!(", niveau {n}"))
                .unwrap_or_default();
            writeln!(
                out,
                "    - {} {}{niveau} : {} bloc(s) de compétences",
                f.numero,
                f.intitule,
                f.blocs.len()
            )?;
        }
    }

    let f = &j.formations;
    writeln!(
        out,
        "  Offre de formation dans le département : {}",
        f.items.len()
    )?;
    if f.items.is_empty() {
        writeln!(out, "    {}", f.note.as_deref().unwrap_or("non disponible"))?;
    }
    for o in &f.items {
        let mut parts = vec![o.organisme.clone(), o.ville.clone()];
        if let Some(h) = o.duree_heures {
            parts.push(format!("{} h", fr_int(h as u64)));
        }
        if !o.modalites.is_empty() {
            parts.push(o.modalites.join(" / "));
        }
        writeln!(out, "    - {} : {}", o.intitule, parts.join(", "))?;
        if let Some(r) = &o.rythme {
            writeln!(out, "      Rythme : {r}")?;
        }
        for p in &o.prerequis {
            writeln!(out, "      Prérequis : {p}")?;
        }
    }
    if let Some(cqp) = &j.cqp {
        let hours: Vec<String> = cqp
            .blocs
            .iter()
            .map(|b| format!("bloc {} {} h", b.numero, b.heures))
            .collect();
        writeln!(
            out,
            "  {} : {} + évaluation {} h = {} h",
            cqp.certification.intitule,
            hours.join(", "),
            cqp.certification.heures_evaluation,
            cqp.total_hours()
        )?;
        for p in cqp
            .profils
            .iter()
            .filter(|p| !p.dispenses.is_empty() || !p.allegements.is_empty())
        {
            let list = |v: &[u8]| {
                v.iter()
                    .map(|n| n.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let mut what = Vec::new();
            if !p.dispenses.is_empty() {
                what.push(format!("dispense des blocs {}", list(&p.dispenses)));
            }
            if !p.allegements.is_empty() {
                what.push(format!("allègement du bloc {}", list(&p.allegements)));
            }
            writeln!(
                out,
                "    {} ({}) : {}",
                p.id,
                p.romes.join(", "),
                what.join(", ")
            )?;
        }
    }
    Ok(())
}

/// Reads the whole directory first: a bad set never touches the database.
pub fn import(ctx: &Context, args: ImportTerritoireArgs) -> anyhow::Result<()> {
    let refused =
        |e: anyhow::Error| anyhow::anyhow!("import territorial refusé, base inchangée : {e}");
    let t0 = Instant::now();
    let fetched = if super::download::is_remote(&args.sources) {
        let limits = args.download.limits();
        Some(
            super::download::fetch_territory(ctx, &args.sources, &limits, args.quiet)
                .map_err(refused)?,
        )
    } else {
        None
    };
    let dir = match (&fetched, args.sources.as_slice()) {
        (Some(f), _) => f.dir.path().to_path_buf(),
        (None, []) => ctx.territory_dir(),
        (None, [one]) => one.into(),
        (None, _) => {
            return Err(refused(anyhow::anyhow!(
                "un seul répertoire à la fois (ou des adresses http(s), ou un manifeste)"
            )));
        }
    };
    let mut data = read_territory(&dir).map_err(|e| match &fetched {
        Some(f) => refused(anyhow::anyhow!(f.explain(e.to_string()))),
        None => refused(e.into()),
    })?;
    if fetched.is_some() {
        // The temporary directory is gone after the import: name what was asked for.
        data.report.source = args.sources.join(" ");
    }
    let mut store = ctx.open_store()?;
    store
        .replace_territory(&data, &ctx.now_rfc3339())
        .map_err(|e| {
            anyhow::anyhow!(
                "écriture des données territoriales dans {} impossible, base inchangée : {e}",
                ctx.db
            )
        })?;
    if let Some(f) = &fetched {
        super::import::record_downloads(
            ctx,
            &mut store,
            passerelle_store::Dataset::Territoire,
            &f.files,
        )?;
    }
    if !args.quiet {
        print_import_summary(
            &mut std::io::stdout().lock(),
            &data.report,
            ctx,
            t0.elapsed().as_secs_f64(),
        )?;
        if let Some(f) = &fetched {
            super::import::print_downloads(&f.files)?;
        }
    }
    Ok(())
}

fn print_import_summary(
    out: &mut impl Write,
    r: &ImportReport,
    ctx: &Context,
    secs: f64,
) -> std::io::Result<()> {
    writeln!(
        out,
        "Données territoriales importées depuis {} en {} s",
        r.source,
        fr_decimal(secs, 1)
    )?;
    writeln!(
        out,
        "  {} départements (population : Insee, populations légales 2023)",
        fr_int(r.departements as u64)
    )?;
    writeln!(
        out,
        "  Taux de chômage : {} valeurs, dernière année {} ; sans taux : {}",
        fr_int(r.unemployment_rows as u64),
        r.unemployment_latest_year
            .map(|y| y.to_string())
            .unwrap_or_else(|| "non disponible".into()),
        if r.departements_without_unemployment.is_empty() {
            "aucun".into()
        } else {
            r.departements_without_unemployment.join(", ")
        }
    )?;
    writeln!(
        out,
        "  Enquête BMO {} : {} lignes, {} métiers ; correspondance ROME → BMO : {} fiches rattachées, {} sans métier BMO",
        r.bmo_year,
        fr_int(r.bmo_rows),
        fr_int(r.bmo_metiers as u64),
        fr_int(r.rome_bmo_mapped as u64),
        fr_int(r.rome_bmo_unmapped as u64)
    )?;
    writeln!(
        out,
        "  Offres et demandeurs 2021 (sous-ensemble) : {} lignes, {} bassins dont {} sur plusieurs départements",
        fr_int(r.tension.rows),
        fr_int(r.bassins as u64),
        r.bassins_multi_departements
    )?;
    writeln!(
        out,
        "  ROME → NAF (La Bonne Boîte) : {} lignes ; Certif Info : {} certifications",
        fr_int(r.rome_naf_rows as u64),
        fr_int(r.certifications as u64)
    )?;
    writeln!(
        out,
        "  Export XML RNCP/RS (flux 4.1) : {} fiches, {} blocs de compétences ({})",
        fr_int(r.rncp_fiches as u64),
        fr_int(r.rncp_blocs as u64),
        if r.rncp_files.is_empty() {
            "aucun fichier".into()
        } else {
            r.rncp_files.join(", ")
        }
    )?;
    for w in &r.warnings {
        writeln!(out, "  Avertissement : {w}")?;
    }
    writeln!(out, "Base : {}", ctx.db)
}

/// The demo training offer (the one of the AFPA fiche passerelle Assistant
/// médical, Hérault), embedded so that the first run shows it.
const DEMO_FORMATIONS: &str = include_str!("../../data/territoire/formations_herault_demo.xml");

/// Imports the demo training offer when the database has no offer in its
/// département (first run of `serve`).
pub fn ensure_demo_formations(ctx: &Context) -> anyhow::Result<()> {
    let path = std::path::Path::new("data/territoire/formations_herault_demo.xml");
    let (offers, declared) = parse_lheo_file(path, DEMO_FORMATIONS)?;
    let mut store = ctx.open_store()?;
    let depts: std::collections::BTreeSet<_> =
        offers.iter().filter_map(|o| o.departement).collect();
    for d in depts {
        if !store.formations_in(d)?.is_empty() {
            return Ok(());
        }
    }
    let source =
        declared.ok_or_else(|| anyhow::anyhow!("{} : source non déclarée", path.display()))?;
    store.replace_formations(&offers, &source, &ctx.now_rfc3339())?;
    Ok(())
}

pub fn import_formations(ctx: &Context, args: ImportPathArgs) -> anyhow::Result<()> {
    let (offers, declared) = read_formations_file(&args.path)
        .map_err(|e| anyhow::anyhow!("import des formations refusé, base inchangée : {e}"))?;
    let mut store = ctx.open_store()?;
    let now = ctx.now_rfc3339();
    // Documents cite this line: the file's declared source, else the import
    // date — never a file name.
    let source = declared.unwrap_or_else(|| {
        format!(
            "fichier importé le {}",
            passerelle_render::filters::date_fr(&now)
        )
    });
    store
        .replace_formations(&offers, &source, &now)
        .map_err(|e| {
            anyhow::anyhow!(
                "écriture des formations dans {} impossible, base inchangée : {e}",
                ctx.db
            )
        })?;
    if !args.quiet {
        let out = &mut std::io::stdout().lock();
        writeln!(
            out,
            "{} offre(s) de formation importée(s) depuis {}",
            offers.len(),
            args.path.display()
        )?;
        for o in &offers {
            let dept = o
                .departement
                .map(|d| d.to_string())
                .unwrap_or_else(|| "département inconnu".into());
            let hours = o
                .duree_heures
                .map(|h| format!(", {h} h"))
                .unwrap_or_default();
            writeln!(
                out,
                "  {} : {}, {} ({dept}){hours}",
                o.intitule, o.organisme, o.ville
            )?;
        }
        writeln!(out, "Base : {}", ctx.db)?;
    }
    Ok(())
}
