//! The authored "entretiens employeurs" file format: a `---` front matter
//! with `source:` (required), then `## Section` headings with `- item`
//! lines. Counsellors write these files by hand, so every error names the
//! file and the line.

use crate::build::BuildError;
use crate::document::{Entretiens, Group};

/// Parses an authored "entretiens employeurs" file (`path` names it in errors).
pub fn parse_entretiens(text: &str, path: &str) -> Result<Entretiens, BuildError> {
    let err = |message: String| BuildError::Entretiens {
        path: path.to_string(),
        message,
    };
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, l)) if l.trim() == "---" => {}
        _ => return Err(err("ligne 1 : en-tête `---` attendu".into())),
    }
    let mut source = None;
    for (_, l) in lines.by_ref() {
        if l.trim() == "---" {
            break;
        }
        if let Some((k, v)) = l.split_once(':')
            && k.trim() == "source"
        {
            source = Some(v.trim().to_string());
        }
    }
    let source = source.ok_or_else(|| err("champ `source` absent de l'en-tête".into()))?;
    let mut sections: Vec<Group> = Vec::new();
    for (n, l) in lines {
        let l = l.trim();
        if let Some(h) = l.strip_prefix("## ") {
            sections.push(Group {
                title: h.trim().to_string(),
                items: Vec::new(),
            });
        } else if let Some(item) = l.strip_prefix("- ") {
            let g = sections.last_mut().ok_or_else(|| {
                err(format!(
                    "ligne {} : élément hors d'une section `## …`",
                    n + 1
                ))
            })?;
            g.items.push(item.trim().to_string());
        } else if !l.is_empty() {
            let g = sections
                .last_mut()
                .ok_or_else(|| err(format!("ligne {} : texte hors d'une section `## …`", n + 1)))?;
            g.items.push(l.to_string());
        }
    }
    Ok(Entretiens { source, sections })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_entretiens_parse() {
        let text = include_str!("../../../data/entretiens/34/J1303.md");
        let e = parse_entretiens(text, "J1303.md").unwrap();
        let titles: Vec<&str> = e.sections.iter().map(|g| g.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Qualités attendues",
                "Atouts du métier",
                "Contraintes",
                "Compléments d'informations"
            ]
        );
        assert!(e.source.contains("Hérault"));
        assert!(
            e.sections[2]
                .items
                .contains(&"La patientèle quelquefois exigeante".to_string())
        );
    }

    #[test]
    fn entretiens_errors_name_the_file_and_line() {
        let err = parse_entretiens("---\nrome: J1303\n---\n", "x.md")
            .unwrap_err()
            .to_string();
        assert!(err.contains("x.md") && err.contains("source"), "{err}");
        let err = parse_entretiens("---\nsource: s\n---\n- orphelin\n", "y.md")
            .unwrap_err()
            .to_string();
        assert!(err.contains("y.md") && err.contains("ligne 4"), "{err}");
    }
}
