//! `--help` of every command and clap's refusals, in French: clap writes its
//! headings, usage line, help and version flags and notes in English unless
//! the binary replaces them (src/args.rs, `command`), and words its errors
//! in English unless `main` does.

use crate::common::{fails, ok, passerelle, stdout};

/// What clap prints in English when a word is left to it.
const CLAP_ENGLISH: [&str; 17] = [
    "Print help",
    "Print version",
    "Print this message",
    "help for the subcommand",
    "see more with",
    "see a summary with",
    "Usage:",
    "Commands:",
    "Options:",
    "Arguments:",
    "[default:",
    "[env:",
    "[possible values:",
    "[alias",
    "error:",
    "tip:",
    "For more information",
];

fn english_in(text: &str) -> Vec<&'static str> {
    CLAP_ENGLISH
        .into_iter()
        .filter(|word| text.contains(word))
        .collect()
}

/// The subcommands a help text lists under its « Commandes » heading.
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| l.trim_end() != "Commandes\u{a0}:")
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        // An entry is indented by two spaces; a wrapped description, deeper.
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect()
}

/// Every command, from `passerelle` down through nested subcommands, read
/// with `-h` and `--help`: French headings and flags, no English of clap.
#[test]
fn every_help_is_french() {
    let mut pending = vec![Vec::<String>::new()];
    let mut seen = 0;
    while let Some(path) = pending.pop() {
        for flag in ["-h", "--help"] {
            let help = stdout(&ok(passerelle().args(&path).arg(flag)));
            let english = english_in(&help);
            assert!(
                english.is_empty(),
                "passerelle {} {flag} : anglais de clap {english:?}\n{help}",
                path.join(" ")
            );
            assert!(
                help.contains("Utilisation : passerelle")
                    && help.contains("Options\u{a0}:")
                    && help.contains("Afficher l'aide"),
                "passerelle {} {flag} :\n{help}",
                path.join(" ")
            );
            if flag == "--help" {
                for sub in subcommands(&help) {
                    let mut next = path.clone();
                    next.push(sub);
                    pending.push(next);
                }
            }
        }
        seen += 1;
    }
    // passerelle, its 17 commands, import's 5 and export's 1.
    assert_eq!(seen, 24, "commandes parcourues");
    let version = stdout(&ok(passerelle().arg("--version")));
    assert!(version.starts_with("passerelle "), "{version}");
}

/// Clap's refusals, worded by `main`: one French line, no English.
#[test]
fn clap_refusals_are_french() {
    for args in [
        &["inconnue"][..],
        &["help"],
        &["serch", "x"],
        &["sources"],
        &["sources", "J1303", "--limite", "3"],
        &["search", "x", "--limit", "beaucoup"],
        &["bench", "moteur"],
        &["fiche", "J1303"],
        &["show", "J1303", "en", "trop"],
    ] {
        let err = fails(passerelle().args(args));
        assert!(
            english_in(&err).is_empty() && err.starts_with("erreur : "),
            "{args:?} : {err}"
        );
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?} : {err}");
    }
    // A command without its subcommand: its (French) help, or one line.
    let err = fails(passerelle().arg("import"));
    assert!(
        english_in(&err).is_empty()
            && (err.contains("Commandes\u{a0}:") || err.starts_with("erreur : commande manquante")),
        "{err}"
    );
}
