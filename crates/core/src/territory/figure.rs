//! A figure shown to a counsellor: a value, a lower bound under statistical
//! secrecy, or "non disponible" — always with its source and year.
//!
//! The renderers (documents, web) only ever print [`Figure::text`] and
//! [`Attribution::text`]; the structured fields are there for JSON consumers
//! and for tests. Nothing here invents a number: an absent input becomes
//! [`Amount::Unavailable`] with the reason.

use serde::{Deserialize, Serialize};

use crate::text::{FR_SPACE, fr_decimal, fr_int};

/// Who produced a figure, from which dataset, for which year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Attribution {
    /// "Insee", "France Travail", "DARES", "Réseau des Carif-Oref", …
    pub producer: String,
    /// "populations légales", "enquête BMO", …
    pub dataset: String,
    /// Year the figure refers to (not the publication date).
    pub year: Option<u16>,
    /// The line to print: "Insee, populations légales 2023".
    pub text: String,
}

impl Attribution {
    pub fn new(producer: &str, dataset: &str, year: Option<u16>) -> Self {
        let text = match year {
            Some(y) => format!("{producer}, {dataset} {y}"),
            None => format!("{producer}, {dataset}"),
        };
        Attribution {
            producer: producer.into(),
            dataset: dataset.into(),
            year,
            text,
        }
    }
}

/// What kind of quantity a figure is, for formatting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A head count or a number of projects, offers…
    Count,
    /// A percentage such as an unemployment rate (value 10.4 means 10,4 %).
    Percent,
}

/// The value part of a figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Amount {
    /// A plain published value.
    Value { value: f64 },
    /// A sum over cells some of which are under statistical secrecy ("*"):
    /// the true total is at least `value`.
    AtLeast { value: f64, secret_cells: u32 },
    /// No source gives this figure here.
    Unavailable { reason: String },
}

/// One figure with its label, source and provenance notes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Figure {
    /// French label: "Population", "Taux de chômage", …
    pub label: String,
    pub unit: Unit,
    #[serde(flatten)]
    pub amount: Amount,
    /// French rendering: "1 230 289", "10,4 %", "au moins 63 (secret statistique)", "non disponible".
    pub text: String,
    /// `None` only for unavailable figures that no source covers.
    pub source: Option<Attribution>,
    /// The older ROME code the figure was read for, when it is "hérité du code parent".
    pub inherited_from: Option<String>,
    /// Coverage or method notes ("2 bassins d'emploi sur 4 du département", …).
    pub notes: Vec<String>,
}

impl Figure {
    pub fn value(label: &str, unit: Unit, value: f64, source: Attribution) -> Self {
        Self::build(label, unit, Amount::Value { value }, Some(source))
    }

    pub fn at_least(
        label: &str,
        unit: Unit,
        value: f64,
        secret_cells: u32,
        source: Attribution,
    ) -> Self {
        Self::build(
            label,
            unit,
            Amount::AtLeast {
                value,
                secret_cells,
            },
            Some(source),
        )
    }

    pub fn unavailable(
        label: &str,
        unit: Unit,
        reason: impl Into<String>,
        source: Option<Attribution>,
    ) -> Self {
        Self::build(
            label,
            unit,
            Amount::Unavailable {
                reason: reason.into(),
            },
            source,
        )
    }

    /// A count summed over cells, of which `secret` were "*".
    pub fn count(label: &str, c: SecretCount, source: Attribution) -> Self {
        if c.secret_cells > 0 {
            Self::at_least(label, Unit::Count, c.known as f64, c.secret_cells, source)
        } else {
            Self::value(label, Unit::Count, c.known as f64, source)
        }
    }

    fn build(label: &str, unit: Unit, amount: Amount, source: Option<Attribution>) -> Self {
        let text = render(unit, &amount);
        Figure {
            label: label.into(),
            unit,
            amount,
            text,
            source,
            inherited_from: None,
            notes: Vec::new(),
        }
    }

    pub fn inherited(mut self, parent: &str) -> Self {
        self.inherited_from = Some(parent.to_string());
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn is_available(&self) -> bool {
        !matches!(self.amount, Amount::Unavailable { .. })
    }

    /// The value if it is a plain one (tests, sorting).
    pub fn plain_value(&self) -> Option<f64> {
        match self.amount {
            Amount::Value { value } => Some(value),
            _ => None,
        }
    }
}

/// A sum of cells where some may be secret.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretCount {
    /// Sum of the published cells.
    pub known: u64,
    /// Number of cells published as "*".
    pub secret_cells: u32,
}

impl SecretCount {
    pub fn add(&mut self, cell: Cell) {
        match cell {
            Cell::Value(v) => self.known += v,
            Cell::Secret => self.secret_cells += 1,
        }
    }
}

/// One published cell of a table under statistical secrecy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    Value(u64),
    Secret,
}

fn render(unit: Unit, amount: &Amount) -> String {
    match (unit, amount) {
        (_, Amount::Unavailable { .. }) => "non disponible".into(),
        (Unit::Count, Amount::Value { value }) => count(*value),
        (Unit::Percent, Amount::Value { value }) => format!("{}{FR_SPACE}%", fr_decimal(*value, 1)),
        // Every published cell was secret: "au moins 0" would read as a
        // figure (issue 24); the secrecy is the whole answer.
        (_, Amount::AtLeast { value, .. }) if *value <= 0.0 => "secret statistique".into(),
        (Unit::Count, Amount::AtLeast { value, .. }) => {
            format!("au moins {} (secret statistique)", count(*value))
        }
        (Unit::Percent, Amount::AtLeast { value, .. }) => {
            format!(
                "au moins {}{FR_SPACE}% (secret statistique)",
                fr_decimal(*value, 1)
            )
        }
    }
}

/// A count figure rounded to the unit, grouped like every count users see
/// ([`fr_int`]). Counts (people, projects, offers) are never negative.
fn count(v: f64) -> String {
    fr_int(v.round().max(0.0) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_formatting() {
        assert_eq!(count(1_230_289.0), "1\u{202f}230\u{202f}289");
        assert_eq!(count(101.4), "101");
        let src = Attribution::new("Insee", "populations légales", Some(2023));
        assert_eq!(src.text, "Insee, populations légales 2023");
        let f = Figure::value("Taux de chômage", Unit::Percent, 10.4, src.clone());
        assert_eq!(f.text, "10,4\u{202f}%");
        let s = Figure::count(
            "Projets",
            SecretCount {
                known: 63,
                secret_cells: 1,
            },
            src,
        );
        assert_eq!(s.text, "au moins 63 (secret statistique)");
        let all_secret = Figure::count(
            "Projets",
            SecretCount {
                known: 0,
                secret_cells: 2,
            },
            Attribution::new("France Travail", "enquête BMO", Some(2025)),
        );
        assert_eq!(all_secret.text, "secret statistique");
        assert_eq!(
            Figure::unavailable("x", Unit::Count, "absent", None).text,
            "non disponible"
        );
    }

    #[test]
    fn figure_json_is_flat_and_snake_case() {
        let src = Attribution::new("France Travail", "enquête BMO", Some(2025));
        let f = Figure::count(
            "Projets de recrutement",
            SecretCount {
                known: 5,
                secret_cells: 2,
            },
            src,
        );
        let v = serde_json::to_value(&f).unwrap();
        assert_eq!(v["status"], "at_least");
        assert_eq!(v["value"], 5.0);
        assert_eq!(v["secret_cells"], 2);
        assert_eq!(v["source"]["year"], 2025);
    }
}
