//! Every command and flag of `passerelle`, as in the command table of
//! ../shared/guides/conventions.md. Doc comments are the `--help` text, hence
//! in French. Values are parsed here (`value_parser`), so a wrong argument
//! stops the command before any work; `main` prints clap's refusal as one
//! French line (see `usage_error`).

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::builder::StyledStr;
use clap::{Arg, ArgAction, Args, CommandFactory, Parser, Subcommand, ValueEnum};
use passerelle_core::DeptCode;
use passerelle_core::engine::Weights;

/// Passerelle : passerelles métiers à partir du ROME 4.0 et des données territoriales.
#[derive(Debug, Parser)]
#[command(name = "passerelle", version, about)]
pub struct Cli {
    /// Base de données : fichier SQLite (défaut : passerelle.sqlite dans le répertoire courant)
    /// ou URL PostgreSQL (postgres://utilisateur@hôte:port/base).
    #[arg(long, global = true, env = "PASSERELLE_DB")]
    pub db: Option<PathBuf>,
    /// Répertoire des données officielles ; défaut : trouvé au lancement, à côté du dépôt qui
    /// contient l'exécutable (sinon du répertoire courant).
    // The one reader of PASSERELLE_DATA; the default is resolved at run time,
    // never compiled in (passerelle_import::default_data_dir).
    #[arg(long, global = true, env = "PASSERELLE_DATA", default_value_os_t = passerelle_import::default_data_dir())]
    pub data: PathBuf,
    /// Journalisation détaillée sur la sortie d'erreur.
    #[arg(long, short, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

/// The command line with clap's own words in French: headings, usage,
/// `--help` and `--version`, and the notes clap appends to an option
/// (default, variable, possible values). Clap words them in English and has
/// no translation, so its help flag, version flag and `help` subcommand are
/// replaced by French ones and the notes are written into the help text; the
/// doc comments give the rest. `tests/cli/help.rs` reads every `--help`.
pub fn command() -> clap::Command {
    let root = Cli::command().disable_version_flag(true).arg(
        Arg::new("version")
            .short('V')
            .long("version")
            .action(ArgAction::Version)
            .help("Afficher la version")
            .help_heading(OPTIONS),
    );
    french(root)
}

/// Section headings, with the French space before the colon clap appends.
const COMMANDS: &str = "Commandes\u{a0}";
const ARGUMENTS: &str = "Arguments\u{a0}";
const OPTIONS: &str = "Options\u{a0}";

/// Clap's default layout with French words.
const TEMPLATE: &str =
    "{before-help}{about-with-newline}\nUtilisation : {usage}\n\n{all-args}{after-help}";

/// The placeholders of values, in French, by argument (the derive writes the
/// field name in capitals); `JOB` is the name the documentation uses.
const VALUE_NAMES: [(&str, &str); 14] = [
    ("db", "FICHIER|URL"),
    ("data", "RÉPERTOIRE"),
    ("out", "FICHIER"),
    ("svg", "FICHIER"),
    ("path", "FICHIER"),
    ("limit", "N"),
    ("weights", "POIDS"),
    ("dept", "DÉPARTEMENT"),
    ("enquete", "ENQUÊTE"),
    ("rome", "CODE"),
    ("addr", "ADRESSE"),
    ("query", "TEXTE"),
    ("target", "CIBLE"),
    ("what", "MESURE"),
];

/// `cmd` and its subcommands in French (see [`command`]).
fn french(cmd: clap::Command) -> clap::Command {
    cmd.disable_help_flag(true)
        .disable_help_subcommand(true)
        .help_template(TEMPLATE)
        .subcommand_help_heading(COMMANDS)
        .subcommand_value_name("COMMANDE")
        .mut_args(french_arg)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("Afficher l'aide (-h : résumé, --help : complète)")
                .help_heading(OPTIONS),
        )
        .mut_subcommands(french)
}

/// One argument under a French heading, with its default value, variable
/// and possible values written in French into its help.
fn french_arg(arg: Arg) -> Arg {
    let mut notes = Vec::new();
    let takes_values = arg.get_action().takes_values();
    if takes_values && !arg.get_default_values().is_empty() {
        let values: Vec<_> = arg
            .get_default_values()
            .iter()
            .map(|v| v.to_string_lossy().into_owned())
            .collect();
        notes.push(format!("défaut : {}", values.join(" ")));
    }
    if let Some(env) = arg.get_env() {
        notes.push(format!("variable : {}", env.to_string_lossy()));
    }
    let values: Vec<_> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect();
    if takes_values && !values.is_empty() {
        notes.push(format!("valeurs : {}", values.join(", ")));
    }
    let heading = if arg.is_positional() {
        ARGUMENTS
    } else {
        OPTIONS
    };
    let with_notes = |help: Option<&StyledStr>| -> Option<String> {
        let help = help.map(|h| h.to_string()).unwrap_or_default();
        match (help.is_empty(), notes.is_empty()) {
            (_, true) => None,
            (true, false) => Some(format!("[{}]", notes.join(" ; "))),
            (false, false) => Some(format!("{help} [{}]", notes.join(" ; "))),
        }
    };
    let help = with_notes(arg.get_help());
    let long_help = arg.get_long_help().and_then(|h| with_notes(Some(h)));
    let mut arg = arg.help_heading(heading).hide_env(true);
    if let Some((_, name)) = VALUE_NAMES
        .iter()
        .find(|(id, _)| takes_values && arg.get_id() == *id)
    {
        arg = arg.value_name(*name);
    }
    if takes_values {
        arg = arg.hide_default_value(true).hide_possible_values(true);
    }
    if let Some(help) = help {
        arg = arg.help(help);
    }
    if let Some(long_help) = long_help {
        arg = arg.long_help(long_help);
    }
    arg
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Importer des données (ROME, territoire, formations, profils, postes).
    #[command(subcommand)]
    Import(ImportCommand),
    /// Exporter un profil de poste en fichier éditable.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Versions des données, effectifs, chemin de la base.
    Info(InfoArgs),
    /// Rechercher un métier (appellations et fiches ROME).
    Search(SearchArgs),
    /// Afficher une fiche ROME, une appellation ou un profil de poste.
    Show(JobArgs),
    /// Profil de compétences transversales d'un métier.
    Profil(ProfilArgs),
    /// Métiers sources classés pour un métier cible.
    Sources(RankArgs),
    /// Métiers cibles classés pour un métier source.
    Targets(RankArgs),
    /// Mesure des écarts entre un métier source et un métier cible.
    Gap(GapArgs),
    /// Itinéraires d'un métier vers un autre (trois étapes au plus), ou, sans cible, les
    /// destinations à deux étapes qui ne sont pas des passerelles directes.
    Chemins(CheminsArgs),
    /// Ce qu'il faut apprendre pour ouvrir le plus de passerelles depuis un métier.
    Apprendre(ApprendreArgs),
    /// Tous les couples ordonnés de fiches, tous les scores (CSV).
    Matrix(MatrixArgs),
    /// Contexte territorial d'un département.
    Territoire(TerritoireArgs),
    /// Fiche passerelle d'un métier cible dans un département.
    Fiche(FicheArgs),
    /// Parcours de mobilité d'un métier source vers un métier cible.
    Parcours(ParcoursArgs),
    /// Application web et API JSON.
    Serve(ServeArgs),
    /// Mesures de performance.
    Bench(BenchArgs),
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Référentiel ROME 4.0 officiel (répertoire de CSV, archive zip, ou adresse http(s) de l'archive).
    Rome(ImportRomeArgs),
    /// Données territoriales : répertoire (défaut : $PASSERELLE_DATA/territory), adresses http(s) des fichiers officiels, ou manifeste TOML.
    Territoire(ImportTerritoireArgs),
    /// Offre de formation (LHEO XML ou CSV documenté).
    Formations(ImportPathArgs),
    /// Profils de compétences transversales issus d'enquêtes (CSV).
    Profils(ImportPathArgs),
    /// Profils de poste (TOML).
    Postes(ImportPathArgs),
}

#[derive(Debug, Args)]
pub struct ImportPathArgs {
    /// Fichier à importer.
    pub path: PathBuf,
    /// Aucune barre de progression ni résumé.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct ImportRomeArgs {
    /// Répertoire, archive zip, ou adresse http(s) de l'archive officielle (RefRomeCsv.zip).
    pub source: String,
    /// Aucune barre de progression ni résumé.
    #[arg(long, short)]
    pub quiet: bool,
    #[command(flatten)]
    pub download: DownloadArgs,
}

#[derive(Debug, Args)]
pub struct ImportTerritoireArgs {
    /// Un répertoire ; ou les adresses http(s) des fichiers officiels ; ou un manifeste
    /// TOML (chemin ou adresse, voir docs/donnees.md). Défaut : $PASSERELLE_DATA/territory.
    pub sources: Vec<String>,
    /// Aucune barre de progression ni résumé.
    #[arg(long, short)]
    pub quiet: bool,
    #[command(flatten)]
    pub download: DownloadArgs,
}

/// Limits of the downloads of `import … URL` (docs/donnees.md).
#[derive(Debug, Clone, Args)]
pub struct DownloadArgs {
    /// Délai maximal, en secondes, sans recevoir de données pendant un téléchargement.
    #[arg(long, value_name = "SECONDES", env = "PASSERELLE_DOWNLOAD_TIMEOUT", default_value_t = passerelle_fetch::Limits::DEFAULT_TIMEOUT_SECS)]
    pub timeout: u64,
    /// Taille maximale d'un fichier téléchargé (ex. 1G, 200M, 64k, ou un nombre d'octets).
    #[arg(long, value_name = "TAILLE", env = "PASSERELLE_DOWNLOAD_MAX_SIZE", default_value = "1G", value_parser = parse_max_size)]
    pub max_size: u64,
}

impl DownloadArgs {
    pub fn limits(&self) -> passerelle_fetch::Limits {
        passerelle_fetch::Limits {
            timeout: std::time::Duration::from_secs(self.timeout.max(1)),
            max_bytes: self.max_size,
        }
    }
}

fn parse_max_size(s: &str) -> Result<u64, String> {
    passerelle_fetch::parse_size(s)
        .ok_or_else(|| format!("« {s} » n'est pas une taille (ex. 1G, 200M, 64k, 4096)"))
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Un profil de poste (`poste:<slug>` ou `<slug>`).
    Poste(ExportPosteArgs),
}

#[derive(Debug, Args)]
pub struct ExportPosteArgs {
    /// Le profil de poste, `poste:<slug>` ou `<slug>`.
    pub id: String,
    /// Fichier de sortie (`-` pour la sortie standard ; s'écrit aussi --output).
    #[arg(short = 'o', long = "out", alias = "output")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct InfoArgs {
    /// Sortie JSON stable (docs/json.md).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Texte cherché (accents et fautes de frappe tolérés) ou code ROME, code OGR.
    pub query: String,
    /// Nombre de résultats.
    #[arg(long, default_value_t = passerelle_search::DEFAULT_LIMIT, value_parser = parse_limit)]
    pub limit: usize,
    /// Sortie JSON stable (docs/json.md).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct JobArgs {
    /// Code ROME, code OGR d'appellation ou `poste:<slug>`.
    pub job: String,
    /// Sortie JSON stable (docs/json.md).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ProfilArgs {
    /// Code ROME, code OGR d'appellation ou `poste:<slug>`.
    pub job: String,
    /// Identifiant d'enquête à utiliser.
    #[arg(long)]
    pub enquete: Option<String>,
    /// Département (choisit l'enquête de ce département s'il y en a une).
    #[arg(long)]
    pub dept: Option<DeptCode>,
    /// Écrire le radar SVG dans ce fichier.
    #[arg(long)]
    pub svg: Option<PathBuf>,
    /// Sortie JSON stable (docs/json.md).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct RankArgs {
    /// Code ROME, code OGR d'appellation ou `poste:<slug>`.
    pub job: String,
    /// Nombre de lignes du classement.
    #[arg(long, default_value_t = passerelle_core::engine::DEFAULT_RANKING_LIMIT)]
    pub limit: usize,
    /// Poids, ex. `transversal=1,savoirs=1,savoir_faire=1,contextes=0.5`.
    #[arg(long, value_parser = parse_weights)]
    pub weights: Option<Weights>,
    /// Département : ajoute les chiffres du marché local.
    #[arg(long)]
    pub dept: Option<DeptCode>,
    /// Reclasser selon le marché local (avec --dept).
    #[arg(long)]
    pub local: bool,
    /// Sortie JSON stable (docs/json.md).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CheminsArgs {
    /// Métier de départ (code ROME, code OGR d'appellation ou `poste:<slug>`).
    pub source: String,
    /// Métier visé (même forme) ; sans lui, le second cercle du métier de départ.
    pub cible: Option<String>,
    /// Nombre d'itinéraires (défaut 3) ou de destinations du second cercle (défaut 15).
    #[arg(long)]
    pub limit: Option<usize>,
    /// Département : avec --local, le second cercle est reclassé selon le marché local.
    #[arg(long)]
    pub dept: Option<DeptCode>,
    /// Reclasser les destinations du second cercle selon le marché local (avec --dept).
    #[arg(long)]
    pub local: bool,
    /// Poids, ex. `transversal=1,savoirs=1,savoir_faire=1,contextes=0.5`.
    #[arg(long, value_parser = parse_weights)]
    pub weights: Option<Weights>,
    /// Sortie JSON stable (docs/json.md).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ApprendreArgs {
    /// Métier de départ (code ROME, code OGR d'appellation ou `poste:<slug>`).
    pub source: String,
    /// Nombre de savoirs et savoir-faire proposés.
    #[arg(long, default_value_t = passerelle_core::engine::DEFAULT_LEARN_ITEMS)]
    pub limit: usize,
    /// Poids, ex. `transversal=1,savoirs=1,savoir_faire=1,contextes=0.5`.
    #[arg(long, value_parser = parse_weights)]
    pub weights: Option<Weights>,
    /// Sortie JSON stable (docs/json.md).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct GapArgs {
    /// Métier source (code ROME, code OGR d'appellation ou `poste:<slug>`).
    pub source: String,
    /// Métier cible (même forme).
    pub target: String,
    /// Identifiant d'enquête à utiliser pour le profil transversal du métier cible.
    #[arg(long)]
    pub enquete: Option<String>,
    /// Département (choisit l'enquête de ce département s'il y en a une).
    #[arg(long)]
    pub dept: Option<DeptCode>,
    /// Sortie JSON stable (docs/json.md).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct MatrixArgs {
    /// Fichier CSV à écrire.
    #[arg(short = 'o', long = "out")]
    pub out: PathBuf,
    /// Poids, ex. `transversal=1,savoirs=1,savoir_faire=1,contextes=0.5`.
    #[arg(long, value_parser = parse_weights)]
    pub weights: Option<Weights>,
    /// Séparateur `;` et décimales à virgule (tableurs français).
    #[arg(long)]
    pub excel: bool,
}

#[derive(Debug, Args)]
pub struct TerritoireArgs {
    /// Département, ex. `34`, `2A`, `971`.
    pub dept: DeptCode,
    /// Ajoute les chiffres de ce métier (code ROME).
    #[arg(long)]
    pub rome: Option<String>,
    /// Sortie JSON stable (docs/json.md).
    #[arg(long)]
    pub json: bool,
}

/// Parsed by its `FromStr` (one French line listing the accepted values).
pub use passerelle_render::DocFormat;

#[derive(Debug, Args)]
pub struct FicheArgs {
    /// Métier cible (absent avec --all).
    #[arg(required_unless_present = "all", conflicts_with = "all")]
    pub job: Option<String>,
    /// Département, ex. `34`, `2A`, `971`.
    #[arg(long)]
    pub dept: DeptCode,
    /// Sources détaillées, ex. `M1609,J1304`.
    #[arg(long, value_delimiter = ',', value_name = "MÉTIERS")]
    pub sources: Vec<String>,
    /// Format de sortie : json, html, md ou pdf ; absent : celui de l'extension de -o, sinon html.
    #[arg(long)]
    pub format: Option<DocFormat>,
    /// Fichier à écrire ; absent : sortie standard, ou pour le pdf fiche-passerelle-CODE-DÉPARTEMENT.pdf ; un répertoire avec --all.
    #[arg(short = 'o', long = "out")]
    pub out: Option<PathBuf>,
    /// Toutes les fiches (sortie : un répertoire).
    #[arg(long)]
    pub all: bool,
    /// Identifiant d'enquête à utiliser pour le profil transversal du métier cible.
    #[arg(long)]
    pub enquete: Option<String>,
    /// Sans barre de progression ni résumé (avec --all).
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct ParcoursArgs {
    /// Métier actuel (code ROME, code OGR d'appellation ou `poste:<slug>`).
    pub source: String,
    /// Métier visé (même forme).
    pub target: String,
    /// Département du métier visé (contexte territorial, certification, formations).
    #[arg(long)]
    pub dept: Option<DeptCode>,
    /// Format de sortie : json, html, md ou pdf ; absent : celui de l'extension de -o, sinon html.
    #[arg(long)]
    pub format: Option<DocFormat>,
    /// Fichier à écrire ; absent : sortie standard, ou pour le pdf parcours-SOURCE-CIBLE-DÉPARTEMENT.pdf.
    #[arg(short = 'o', long = "out")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Adresse d'écoute.
    #[arg(long, default_value = "127.0.0.1:8080", value_parser = parse_addr)]
    pub addr: SocketAddr,
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Ce qui est mesuré (`all` : tout sauf `ranking` et `calibration`).
    #[arg(value_enum)]
    pub what: BenchTarget,
    /// Avec `engine` (ou `all`) : chronomètre aussi la référence numpy (bench/reference.py) sur les
    /// mêmes couvertures ; lance python3, qui doit avoir numpy.
    #[arg(long)]
    pub reference_numpy: bool,
}

/// What `passerelle bench` measures. `ranking` and `calibration` print
/// figures of quality (recall, chosen constants), the others timings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BenchTarget {
    Import,
    Search,
    Engine,
    Ranking,
    Calibration,
    Territoire,
    Render,
    All,
}

fn parse_weights(s: &str) -> Result<Weights, String> {
    Weights::parse(s).map_err(|e| e.to_string())
}

fn parse_addr(s: &str) -> Result<SocketAddr, String> {
    s.parse()
        .map_err(|_| format!("« {s} » n'est pas une adresse IP:port (ex. 127.0.0.1:8080)"))
}

fn parse_limit(s: &str) -> Result<usize, String> {
    let max = passerelle_search::MAX_LIMIT;
    s.parse()
        .ok()
        .filter(|n| (1..=max).contains(n))
        .ok_or_else(|| format!("« {s} » hors limites : attendu un entier de 1 à {max}"))
}

#[cfg(test)]
mod tests {
    /// Clap's own consistency checks on the French command line (they run
    /// at parse time only in debug builds).
    #[test]
    fn french_command_line_is_consistent() {
        super::command().debug_assert();
    }
}
