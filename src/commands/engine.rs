//! `passerelle sources`, `targets`, `gap`, `matrix` and `bench engine`: the
//! passerelle engine of `passerelle_core::engine`, printed in French or as
//! the stable JSON of docs/json.md.

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use passerelle_core::engine::{
    Axis, Direction, Engine, Gap, GapItem, MatrixRow, MatrixSink, Ranking, Weights,
};
use passerelle_core::transversal::TransversalProfile;
use passerelle_core::{Catalog, DeptCode, Job, JobRef, JobSummary, Referential, SurveyChoice};
use serde::Serialize;

use passerelle_core::text::{fr_int, pct};
use crate::args::*;
use crate::context::Context;

/// The catalog the engine runs on: referential, postes, surveys and
/// estimated transversal profiles of the database.
fn catalog(ctx: &Context) -> anyhow::Result<Catalog> {
    ctx.catalog()
}

fn resolve(catalog: &Catalog, name: &str) -> anyhow::Result<Job> {
    let r: JobRef = name.parse()?;
    Ok(catalog.resolve(&r)?)
}

/// The transversal profile of a job as the catalog chooses it: the survey
/// named by `--enquete` (which must exist), else a survey describing the job,
/// else the fiche's estimate. `--dept` never changes base scores, so it does
/// not take part in the choice here.
fn transversal<'c>(catalog: &'c Catalog, job: &Job, enquete: Option<&str>) -> anyhow::Result<Option<&'c TransversalProfile>> {
    if let Some(id) = enquete.filter(|id| catalog.survey(id).is_none()) {
        anyhow::bail!("paramètre --enquete : enquête inconnue « {id} » (voir `passerelle import profils`)");
    }
    let choice = SurveyChoice { enquete: enquete.map(str::to_string), dept: None };
    Ok(catalog.transversal_profile(job, &choice))
}

// ---------------------------------------------------------------------------
// sources / targets

#[derive(Serialize)]
struct RankingOut<'a> {
    subject: JobSummary,
    dept: Option<String>,
    #[serde(flatten)]
    ranking: &'a Ranking,
}

pub fn sources(ctx: &Context, args: RankArgs) -> anyhow::Result<()> {
    rank(ctx, args, Direction::Sources)
}

pub fn targets(ctx: &Context, args: RankArgs) -> anyhow::Result<()> {
    rank(ctx, args, Direction::Targets)
}

fn rank(ctx: &Context, args: RankArgs, direction: Direction) -> anyhow::Result<()> {
    let w = args.weights.unwrap_or_default();
    let dept = args.dept;
    if args.local && dept.is_none() {
        anyhow::bail!("paramètre --local : il demande un département (--dept)");
    }
    if args.local {
        anyhow::bail!("paramètre --local : le reclassement selon le marché local n'est pas encore disponible");
    }
    let catalog = catalog(ctx)?;
    let job = resolve(&catalog, &args.job)?;
    let engine = Engine::new(&catalog);
    let subject = engine.index_of(&job)?;
    let subject_tp = transversal(&catalog, &job, None)?;
    let ranking = engine.rank(direction, subject, &w, args.limit, subject_tp);
    let out = &mut std::io::stdout().lock();
    if args.json {
        let view = RankingOut {
            subject: job.summary(),
            dept: dept.map(|d| d.to_string()),
            ranking: &ranking,
        };
        serde_json::to_writer_pretty(&mut *out, &view)?;
        writeln!(out)?;
        return Ok(());
    }
    print_ranking(out, &job, &ranking, dept.as_ref())?;
    Ok(())
}

/// A decimal with a French comma (`0,42`).
pub fn fr_dec(v: f64, digits: usize) -> String {
    format!("{v:.digits$}").replace('.', ",")
}

fn truncate(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        return format!("{s:<width$}");
    }
    let mut t: String = s.chars().take(width - 1).collect();
    t.push('…');
    t
}

fn print_ranking(out: &mut impl Write, job: &Job, r: &Ranking, dept: Option<&DeptCode>) -> anyhow::Result<()> {
    let what = match r.direction {
        Direction::Sources => "Métiers sources vers",
        Direction::Targets => "Métiers cibles depuis",
    };
    writeln!(out, "{what} « {} » ({})", job.title, job.fiche)?;
    writeln!(out, "{}", job.resolution)?;
    writeln!(
        out,
        "Poids : {} ; {} métiers comparés",
        Axis::ALL.iter().map(|a| format!("{} {}", a.name(), fr_dec(r.weights.get(*a), 2))).collect::<Vec<_>>().join(", "),
        fr_int(r.candidates as u64)
    )?;
    writeln!(
        out,
        "Seuils : passerelle courte ≥ {} ; passerelle possible ≥ {} ; en dessous : passerelle exigeante",
        pct(Some(r.tiers.courte.value)),
        pct(Some(r.tiers.possible.value))
    )?;
    if let Some(d) = dept {
        writeln!(out, "Département {d} : les scores de base ne dépendent pas du département.")?;
    }
    writeln!(out)?;
    let w = r.rows.iter().map(|row| row.id.chars().count()).max().unwrap_or(5).max(5);
    writeln!(
        out,
        "{:>3}  {:<w$} {:<44} {:>7} {:>7} {:>7} {:>7} {:>6} {:>4}  {:<20} RIASEC",
        "#", "Code", "Intitulé", "Transv.", "Savoirs", "S.-faire", "Context.", "Score", "Niv.", "Viabilité"
    )?;
    for row in &r.rows {
        let other_level = match r.direction {
            Direction::Sources => row.terms.source_level,
            Direction::Targets => row.terms.target_level,
        };
        writeln!(
            out,
            "{:>3}  {:<w$} {} {:>7} {:>7} {:>7} {:>7} {:>6} {:>4}  {:<20} {}{}",
            row.rank,
            row.id,
            truncate(&row.title, 44),
            pct(row.transversal),
            pct(row.savoirs),
            pct(row.savoir_faire),
            pct(row.contextes),
            pct(row.score),
            other_level.map(|l| l.to_string()).unwrap_or_else(|| "n. d.".into()),
            row.tier_label,
            row.riasec.as_deref().unwrap_or("—"),
            row.level_move.map(|m| format!("  ({m})")).unwrap_or_default()
        )?;
    }
    if r.rows.iter().any(|row| row.transversal.is_none()) {
        writeln!(out)?;
        writeln!(out, "n. d. : non disponible (profil de compétences transversales absent) ; le score est recalculé sur les autres axes.")?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// gap

#[derive(Serialize)]
struct GapOut<'a> {
    dept: Option<String>,
    #[serde(flatten)]
    gap: &'a Gap,
}

pub fn gap(ctx: &Context, args: GapArgs) -> anyhow::Result<()> {
    let dept = args.dept;
    let catalog = catalog(ctx)?;
    let source = resolve(&catalog, &args.source)?;
    let target = resolve(&catalog, &args.target)?;
    let source_tp = transversal(&catalog, &source, None)?;
    let target_tp = transversal(&catalog, &target, args.enquete.as_deref())?;
    let engine = Engine::new(&catalog);
    let gap = engine.gap(&source, &target, &Weights::default(), source_tp, target_tp)?;
    let out = &mut std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &GapOut { dept: dept.map(|d| d.to_string()), gap: &gap })?;
        writeln!(out)?;
    } else {
        print_gap(out, &gap)?;
    }
    Ok(())
}

fn print_gap(out: &mut impl Write, g: &Gap) -> anyhow::Result<()> {
    writeln!(out, "Mesure des écarts : « {} » ({}) vers « {} » ({})", g.source.title, g.source.code, g.target.title, g.target.code)?;
    writeln!(out, "Source : {}", g.source.resolution)?;
    writeln!(out, "Cible : {}", g.target.resolution)?;
    let riasec = match (&g.riasec.source, &g.riasec.target, g.riasec.label) {
        (Some(a), Some(b), Some(l)) => format!("{a} → {b} ({l})"),
        _ => "non disponible".into(),
    };
    writeln!(out, "Score combiné : {} ({}) ; RIASEC : {riasec}", pct(g.scores.score), g.tier_label)?;
    let level = |l: &Option<passerelle_core::AccessLevel>| {
        l.as_ref().map(|l| l.display_fr()).unwrap_or_else(|| "non déterminé".into())
    };
    writeln!(
        out,
        "Niveau d'accès habituel : source {} ; cible {}{}",
        level(&g.niveaux.source),
        level(&g.niveaux.target),
        g.niveaux.move_label.map(|m| format!(" ({m})")).unwrap_or_default()
    )?;
    writeln!(out)?;

    match &g.transversal {
        None => writeln!(out, "Compétences transversales : non disponible (profil de compétences transversales absent)")?,
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
                writeln!(out, "  {n} {} {title}", if n > 1 { "compétences" } else { "compétence" })?;
                for c in list.iter() {
                    writeln!(out, "    • {c}")?;
                }
            }
        }
    }
    writeln!(out)?;

    let s = &g.savoirs;
    writeln!(out, "Savoirs professionnels : {} ({} sur {})", pct(s.score), s.numerator, s.denominator)?;
    print_split(out, "déjà acquis", &s.acquis)?;
    print_split(out, "à acquérir", &s.a_acquerir)?;
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
    writeln!(out, "Savoir-faire : {} ({} sur {})", pct(sf.score), sf.numerator, sf.denominator)?;
    for (title, items) in [("Déjà maîtrisés", &sf.acquis), ("À acquérir", &sf.a_acquerir)] {
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
    writeln!(out, "Contextes professionnels : {} ({} sur {})", pct(c.score), c.numerator, c.denominator)?;
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
    writeln!(out, "  {n} {} {what} :", if n > 1 { "savoirs" } else { "savoir" })?;
    for (group, title_1, title_n) in [
        ("connaissances", "Connaissance professionnelle", "Connaissances professionnelles"),
        ("savoir_faire", "Savoir-faire professionnel", "Savoir-faire professionnels"),
    ] {
        let list: Vec<&GapItem> = items.iter().filter(|i| i.group == group).collect();
        if list.is_empty() {
            continue;
        }
        writeln!(out, "    {} {} :", list.len(), if list.len() > 1 { title_n } else { title_1 })?;
        for i in list {
            writeln!(out, "      • {}{}", i.label, proche(i))?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// matrix

/// CSV writer of the matrix: `,` and `.` decimals, or `;` and `,` decimals
/// for French spreadsheets (`--excel`). Unavailable values are empty fields.
struct CsvSink<W: Write> {
    out: W,
    excel: bool,
    line: String,
    rows: u64,
}

impl<W: Write> CsvSink<W> {
    fn header(&mut self) -> std::io::Result<()> {
        let sep = if self.excel { ";" } else { "," };
        let mut cols = vec!["source", "target"];
        cols.extend(Axis::ALL.iter().map(|a| a.name()));
        cols.push("score");
        writeln!(self.out, "{}", cols.join(sep))
    }

    fn push(&mut self, v: Option<f64>) {
        use std::fmt::Write as _;
        self.line.push(if self.excel { ';' } else { ',' });
        if let Some(v) = v {
            let start = self.line.len();
            // Shortest representation that reads back to the same f64.
            let _ = write!(self.line, "{v}");
            if self.excel {
                let tail = self.line.split_off(start).replace('.', ",");
                self.line.push_str(&tail);
            }
        }
    }
}

impl<W: Write> MatrixSink for CsvSink<W> {
    type Error = std::io::Error;
    fn row(&mut self, row: MatrixRow<'_>) -> std::io::Result<()> {
        self.line.clear();
        self.line.push_str(row.source);
        self.line.push(if self.excel { ';' } else { ',' });
        self.line.push_str(row.target);
        for a in Axis::ALL {
            self.push(row.scores.get(a));
        }
        self.push(row.score);
        self.line.push('\n');
        self.rows += 1;
        self.out.write_all(self.line.as_bytes())
    }
}

pub fn matrix(ctx: &Context, args: MatrixArgs) -> anyhow::Result<()> {
    let w = args.weights.unwrap_or_default();
    let catalog = catalog(ctx)?;
    let engine = Engine::new(&catalog);
    let path = &args.out;
    let write = |out: Box<dyn Write>| -> std::io::Result<u64> {
        let mut sink = CsvSink { out: std::io::BufWriter::with_capacity(1 << 20, out), excel: args.excel, line: String::new(), rows: 0 };
        sink.header()?;
        engine.write_matrix(&w, &mut sink)?;
        sink.out.flush()?;
        Ok(sink.rows)
    };
    let rows = if path == Path::new("-") {
        write(Box::new(std::io::stdout().lock()))
    } else {
        let file = std::fs::File::create(path).with_context(|| format!("écriture de {} impossible", path.display()))?;
        write(Box::new(file))
    }
    .with_context(|| format!("écriture de {} impossible", path.display()))?;
    if path != Path::new("-") {
        eprintln!("{} couples écrits dans {}", fr_int(rows), path.display());
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// bench

fn fr_duration(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s >= 1.0 {
        format!("{} s", fr_dec(s, 2))
    } else if s >= 1e-3 {
        format!("{} ms", fr_dec(s * 1e3, 1))
    } else {
        format!("{} µs", fr_dec(s * 1e6, 0))
    }
}

fn median_of<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    let mut v: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed()
        })
        .collect();
    v.sort();
    v[v.len() / 2]
}

/// The numpy reference (bench/reference.py) timed on the same data.
fn numpy_reference(rome_dir: &Path) -> anyhow::Result<f64> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/reference.py");
    let out = std::process::Command::new("python3")
        .arg(&script)
        .arg("bench")
        .arg(rome_dir)
        .output()
        .context("lancement de python3 impossible (la référence numpy demande python3 et numpy)")?;
    if !out.status.success() {
        anyhow::bail!("référence numpy {} en échec : {}", script.display(), String::from_utf8_lossy(&out.stderr).trim());
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let secs = text
        .lines()
        .find_map(|l| l.strip_prefix("seconds="))
        .and_then(|v| v.trim().parse::<f64>().ok())
        .ok_or_else(|| anyhow::anyhow!("sortie inattendue de {} : {text}", script.display()))?;
    Ok(secs)
}

pub fn bench(ctx: &Context) -> anyhow::Result<()> {
    let referential = match ctx.referential() {
        Ok(r) => r,
        Err(_) => {
            let imported = passerelle_import::rome::read(&ctx.rome_dir(), &mut |_| {})?;
            Referential::new(imported.data)
        }
    };
    let catalog = Catalog::new(referential, Vec::new(), Vec::new());
    let t = Instant::now();
    let engine = Engine::new(&catalog);
    let build = t.elapsed();
    let n = engine.n_fiches();
    let stats = engine.stats();
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    println!(
        "bench engine — {} fiches, {} couples ordonnés, {threads} fils d'exécution",
        fr_int(n as u64),
        fr_int((n * n.saturating_sub(1)) as u64)
    );
    println!(
        "  préparation (Engine::new)          : {} ({} savoirs, {} savoir-faire, {} contextes ; {} paires proches)",
        fr_duration(build),
        fr_int(stats.savoirs as u64),
        fr_int(stats.savoir_faire as u64),
        fr_int(stats.contextes as u64),
        fr_int((stats.near_savoirs + stats.near_savoir_faire) as u64)
    );
    // Output buffer reused between runs (the figure is the computation, not
    // the first allocation of 40 Mo).
    let mut buffer = Vec::new();
    let exact = median_of(7, || engine.exact_matrix_into(&mut buffer));
    println!("  couverture exacte, tous couples    : {} (objectif ≤ 100 ms)", fr_duration(exact));
    match numpy_reference(&ctx.rome_dir()) {
        Ok(secs) => println!(
            "  référence numpy, mêmes couvertures : {} ; rapport {}× (objectif ≥ 4×)",
            fr_duration(Duration::from_secs_f64(secs)),
            fr_dec(secs / exact.as_secs_f64(), 1)
        ),
        Err(e) => println!("  référence numpy : non mesurée ({e})"),
    }
    let w = Weights::default();
    let mut scores = Vec::new();
    let full = median_of(3, || engine.score_matrix_into(&w, &mut scores));
    println!("  score combiné avec proches, tous   : {} (objectif ≤ 1 s)", fr_duration(full));
    let target = engine.index_of_id("J1303").unwrap_or(0);
    let source = engine.index_of_id("M1609").unwrap_or(1.min(n - 1));
    let one = median_of(51, || engine.rank(Direction::Sources, target, &w, 15, None));
    println!("  un métier cible classé (J1303)     : {} (objectif ≤ 2 ms)", fr_duration(one));
    let one_t = median_of(51, || engine.rank(Direction::Targets, source, &w, 15, None));
    println!("  un métier source classé (M1609)    : {}", fr_duration(one_t));
    let (sj, tj) = (
        passerelle_core::Job::from_fiche(&catalog.referential.fiches[source]),
        passerelle_core::Job::from_fiche(&catalog.referential.fiches[target]),
    );
    let gap = median_of(51, || engine.gap(&sj, &tj, &w, None, None));
    println!("  une mesure des écarts (M1609→J1303) : {} (objectif ≤ 1 ms)", fr_duration(gap));
    let tiers = engine.tiers().clone();
    for (name, th) in [("passerelle courte", &tiers.courte), ("passerelle possible", &tiers.possible)] {
        println!(
            "  seuil {name:<19} : {} (moyenne {} − écart type {}, {} groupes) ; percentile {} des couples",
            fr_dec(th.value, 4),
            fr_dec(th.mean, 4),
            fr_dec(th.sd, 4),
            th.groups,
            th.percentile.map(|p| fr_dec(p, 1)).unwrap_or_else(|| "n. d.".into())
        );
    }
    if cfg!(debug_assertions) {
        println!("  (binaire de debug, mais passerelle-core y est compilé optimisé ; `cargo run --release -- bench engine` pour tout optimiser)");
    }
    Ok(())
}
