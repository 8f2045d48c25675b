//! `passerelle`: the command-line entry point. Glue only: parse arguments,
//! build the [`Context`], dispatch to `commands::*`, print errors in French on
//! one line and exit non-zero.

mod args;
mod clock;
mod commands;
mod context;
mod memory;

use std::process::ExitCode;

use clap::FromArgMatches;

use crate::args::{Cli, Command};
use crate::context::Context;

fn main() -> ExitCode {
    let cli = match args::command()
        .try_get_matches()
        .and_then(|matches| Cli::from_arg_matches(&matches))
    {
        Ok(cli) => cli,
        Err(err) => match usage_error(&err) {
            Some(line) => {
                eprintln!("erreur : {}", one_line(&line));
                return ExitCode::FAILURE;
            }
            // Help and version (French, args::command).
            None => err.exit(),
        },
    };
    // The server logs its start, stop, reloads and a summary per minute at
    // info (one line per request only at debug); other commands only warn.
    let serving = matches!(cli.command, Command::Serve(_));
    init_logging(cli.verbose, serving);
    let result = Context::from_cli(&cli).and_then(|ctx| run(&ctx, cli.command));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // A closed pipe (`passerelle search x | head`) is not a failure.
            if err.chain().any(|e| {
                e.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("erreur : {}", one_line(&chain_fr(&err)));
            ExitCode::FAILURE
        }
    }
}

fn run(ctx: &Context, command: Command) -> anyhow::Result<()> {
    match command {
        Command::Import(a) => commands::import::run(ctx, a),
        Command::Export(a) => commands::postes::export(ctx, a),
        Command::Info(a) => commands::info::run(ctx, a),
        Command::Search(a) => commands::search::run(ctx, a),
        Command::Show(a) => commands::show::run(ctx, a),
        Command::Profil(a) => commands::profil::run(ctx, a),
        Command::Sources(a) => commands::engine::sources(ctx, a),
        Command::Targets(a) => commands::engine::targets(ctx, a),
        Command::Gap(a) => commands::engine::gap(ctx, a),
        Command::Chemins(a) => commands::engine::chemins(ctx, a),
        Command::Apprendre(a) => commands::engine::apprendre(ctx, a),
        Command::Matrix(a) => commands::engine::matrix(ctx, a),
        Command::Territoire(a) => commands::territoire::run(ctx, a),
        Command::Fiche(a) => commands::documents::fiche(ctx, a),
        Command::Parcours(a) => commands::documents::parcours(ctx, a),
        Command::Serve(a) => commands::serve::run(ctx, a),
        Command::Bench(a) => commands::bench::run(ctx, a),
    }
}

/// Clap's refusal of the arguments as one French line naming the parameter
/// (the convention for every error), or `None` for help and version, which
/// are not refusals. Clap words its errors in English only, so every kind is
/// worded here. The reason of a `value_parser` refusal is the French message
/// of the parsing function (`DeptCode`, `Weights`…).
fn usage_error(err: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let context = |kind| match err.get(kind) {
        Some(ContextValue::String(s)) => param_name(s),
        Some(ContextValue::Strings(v)) => {
            fr_list(&v.iter().map(|s| param_name(s)).collect::<Vec<_>>())
        }
        _ => String::new(),
    };
    let arg = context(ContextKind::InvalidArg);
    Some(match err.kind() {
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(err)
                .map(|e| e.to_string())
                .unwrap_or_default();
            format!("paramètre {arg} : {why}")
        }
        ErrorKind::InvalidValue => {
            let value = match err.get(ContextKind::InvalidValue) {
                Some(ContextValue::String(v)) => v.as_str(),
                _ => "",
            };
            format!(
                "paramètre {arg} : valeur « {value} » inconnue : attendu {}",
                context(ContextKind::ValidValue)
            )
        }
        ErrorKind::MissingRequiredArgument => format!("paramètre obligatoire manquant : {arg}"),
        ErrorKind::ArgumentConflict => format!(
            "paramètre {arg} : incompatible avec {}",
            context(ContextKind::PriorArg)
        ),
        ErrorKind::UnknownArgument => match err.get(ContextKind::SuggestedArg) {
            Some(ContextValue::String(s)) => {
                format!("paramètre « {arg} » inconnu : vouliez-vous dire « {s} » ? (voir --help)")
            }
            _ => format!("paramètre « {arg} » inconnu (voir --help)"),
        },
        ErrorKind::InvalidSubcommand => {
            let name = context(ContextKind::InvalidSubcommand);
            match err.get(ContextKind::SuggestedSubcommand) {
                Some(ContextValue::Strings(s)) if !s.is_empty() => format!(
                    "commande « {name} » inconnue : vouliez-vous dire « {} » ? (voir --help)",
                    s.join(" » ou « ")
                ),
                _ => format!("commande « {name} » inconnue (voir --help)"),
            }
        }
        ErrorKind::MissingSubcommand => format!(
            "commande manquante après « {} » (voir --help)",
            context(ContextKind::InvalidSubcommand)
        ),
        ErrorKind::NoEquals => format!("paramètre {arg} : la valeur s'écrit après « = »"),
        ErrorKind::TooManyValues => {
            let value = match err.get(ContextKind::InvalidValue) {
                Some(ContextValue::String(v)) => v.as_str(),
                _ => "",
            };
            format!("paramètre {arg} : valeur « {value} » en trop")
        }
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("paramètre {arg} : nombre de valeurs incorrect")
        }
        ErrorKind::InvalidUtf8 => format!("paramètre {arg} : texte qui n'est pas de l'UTF-8"),
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
        | ErrorKind::DisplayVersion => return None,
        _ => "paramètres illisibles (voir --help)".to_string(),
    })
}

/// `--dept <DEPT>` → `--dept`; a positional `<DEPT>` → `DEPT`.
fn param_name(s: &str) -> String {
    match s.split_once(' ') {
        Some((flag, _)) if flag.starts_with('-') => flag.to_string(),
        _ => s
            .trim_matches(|c| matches!(c, '<' | '>' | '[' | ']' | '.'))
            .to_string(),
    }
}

/// `a, b ou c`.
fn fr_list(items: &[String]) -> String {
    match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} ou {last}", rest.join(", ")),
        _ => items.join(""),
    }
}

/// The error and its causes, joined the French way (" : ").
fn chain_fr(err: &anyhow::Error) -> String {
    err.chain()
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join(" : ")
}

/// Errors are printed on a single line (conventions: one line on stderr).
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn init_logging(verbose: bool, serving: bool) {
    let default = match (verbose, serving) {
        (true, _) => "info",
        (false, true) => "warn,passerelle=info,passerelle_server=info",
        (false, false) => "warn",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("PASSERELLE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    // Colours only for a person at a terminal: a log file or a service
    // manager's journal gets plain text.
    let colours = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(colours)
        .try_init();
}
