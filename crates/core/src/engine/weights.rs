//! Axis weights of the combined score and the weights grammar of the
//! conventions: `transversal=1,savoirs=1,savoir_faire=1,contextes=0.5`
//! (`--weights` on the command line, `weights=` on the web).

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use super::axis::{Axis, PerAxis};

/// Weight of the transversal axis when a profile of the pair (usually the
/// target's) comes from a survey of employers — a measurement, not an
/// estimate — unless the user set a larger one.
pub const SURVEYED_TRANSVERSAL_WEIGHT: f64 = 1.0;

/// Largest weight accepted: weights are relative, so 100 already lets one
/// axis dominate; the cap keeps every weighted sum finite (no `1e308`).
pub const MAX_WEIGHT: f64 = 100.0;

/// Non-negative, finite weights of at most [`MAX_WEIGHT`], with at least one
/// strictly positive. Two weight vectors are equal when their values are:
/// which names the user typed only decides whether a survey may raise the
/// transversal weight ([`Weights::for_surveyed_subject`]).
/// (In the OpenAPI document, a field of this type is described as an
/// `AxisMap<f64>`, the object it serializes to.)
#[derive(Debug, Clone, Copy)]
pub struct Weights {
    values: PerAxis<f64>,
    /// The axes whose weight the user gave (the others hold their default).
    typed: [bool; 4],
}

impl PartialEq for Weights {
    fn eq(&self, other: &Self) -> bool {
        self.values == other.values
    }
}

/// Why a weights value is refused. Messages are one French line that does
/// not name the parameter: the caller prefixes the name its user typed
/// (`paramètre --weights : …` on the command line, `paramètre weights : …`
/// on the web), so that a web visitor never reads a CLI flag.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WeightsError {
    #[error(
        "poids « {0} » mal formé : attendu nom=valeur, ex. transversal=1,savoirs=1,savoir_faire=1,contextes=0.5"
    )]
    Syntax(String),
    #[error("poids inconnu « {0} » : attendu transversal, savoirs, savoir_faire ou contextes")]
    UnknownName(String),
    #[error("poids « {name} » donné deux fois")]
    Duplicate { name: String },
    #[error("valeur « {value} » du poids « {name} » : attendu un nombre (ex. 0.5)")]
    NotANumber { name: String, value: String },
    #[error("valeur « {value} » du poids « {name} » : un poids doit être un nombre fini")]
    NonFinite { name: String, value: String },
    #[error("valeur « {value} » du poids « {name} » : un poids ne peut pas être négatif")]
    Negative { name: String, value: String },
    #[error("valeur « {value} » du poids « {name} » : un poids ne peut pas dépasser 100")]
    TooLarge { name: String, value: String },
    #[error("poids tous nuls : au moins un poids doit être strictement positif")]
    AllZero,
}

impl Default for Weights {
    /// The published defaults (docs/methode.md, chosen on the calibration
    /// half of the expert list): transversal 0, savoirs 1, savoir-faire 1,
    /// contextes 0.25. An estimated transversal profile adds nothing the
    /// items do not already say; a surveyed one does (see
    /// [`SURVEYED_TRANSVERSAL_WEIGHT`]).
    fn default() -> Self {
        Weights {
            values: PerAxis([0.0, 1.0, 1.0, 0.25]),
            typed: [false; 4],
        }
    }
}

impl Weights {
    /// Checked constructor (same rules as the parser); every weight counts
    /// as given.
    pub fn new(values: PerAxis<f64>) -> Result<Self, WeightsError> {
        Weights::checked(values, [true; 4])
    }

    fn checked(values: PerAxis<f64>, typed: [bool; 4]) -> Result<Self, WeightsError> {
        for a in Axis::ALL {
            let v = values.get(a);
            if !v.is_finite() {
                return Err(WeightsError::NonFinite {
                    name: a.name().into(),
                    value: v.to_string(),
                });
            }
            if v < 0.0 {
                return Err(WeightsError::Negative {
                    name: a.name().into(),
                    value: v.to_string(),
                });
            }
            if v > MAX_WEIGHT {
                return Err(WeightsError::TooLarge {
                    name: a.name().into(),
                    value: v.to_string(),
                });
            }
        }
        if values.0.iter().all(|&v| v == 0.0) {
            return Err(WeightsError::AllZero);
        }
        Ok(Weights { values, typed })
    }

    pub fn get(&self, a: Axis) -> f64 {
        self.values.get(a)
    }

    pub fn values(&self) -> PerAxis<f64> {
        self.values
    }

    /// Whether the user gave this axis's weight.
    pub fn is_typed(&self, a: Axis) -> bool {
        self.typed[a.index()]
    }

    /// Parses the conventions' grammar; names not given keep their default.
    /// An empty string gives the defaults.
    pub fn parse(s: &str) -> Result<Self, WeightsError> {
        let mut values = Weights::default().values;
        let mut seen = [false; 4];
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (name, value) = part
                .split_once('=')
                .ok_or_else(|| WeightsError::Syntax(part.into()))?;
            let (name, value) = (name.trim(), value.trim());
            let axis =
                Axis::from_name(name).ok_or_else(|| WeightsError::UnknownName(name.into()))?;
            if std::mem::replace(&mut seen[axis.index()], true) {
                return Err(WeightsError::Duplicate { name: name.into() });
            }
            let v: f64 = value.parse().map_err(|_| WeightsError::NotANumber {
                name: name.into(),
                value: value.into(),
            })?;
            if !v.is_finite() {
                return Err(WeightsError::NonFinite {
                    name: name.into(),
                    value: value.into(),
                });
            }
            if v < 0.0 {
                return Err(WeightsError::Negative {
                    name: name.into(),
                    value: value.into(),
                });
            }
            if v > MAX_WEIGHT {
                return Err(WeightsError::TooLarge {
                    name: name.into(),
                    value: value.into(),
                });
            }
            // `-0` is accepted as zero, stored without its sign.
            values.set(axis, if v == 0.0 { 0.0 } else { v });
        }
        Weights::checked(values, seen)
    }

    /// The weights of a ranking whose subject's transversal profile comes
    /// from a survey: the transversal weight becomes
    /// [`SURVEYED_TRANSVERSAL_WEIGHT`] unless the user gave it. Applied once
    /// per ranking (never per candidate), so that every candidate is scored
    /// on the same basis.
    pub fn for_surveyed_subject(&self) -> Weights {
        let mut w = *self;
        if !w.is_typed(Axis::Transversal) {
            w.values.set(Axis::Transversal, SURVEYED_TRANSVERSAL_WEIGHT);
        }
        w
    }

    /// M5: Σ p_k W_k / Σ p_k over the axes available (Some). `None` when no
    /// available axis has a positive weight.
    pub fn combine(&self, components: &PerAxis<Option<f64>>) -> Option<f64> {
        let (mut num, mut den) = (0.0, 0.0);
        for a in Axis::ALL {
            if let Some(v) = components.get(a) {
                let p = self.get(a);
                num += p * v;
                den += p;
            }
        }
        (den > 0.0).then(|| (num / den).clamp(0.0, 1.0))
    }
}

impl FromStr for Weights {
    type Err = WeightsError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Weights::parse(s)
    }
}

impl fmt::Display for Weights {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = Axis::ALL
            .iter()
            .map(|a| format!("{}={}", a.name(), self.get(*a)))
            .collect();
        f.write_str(&parts.join(","))
    }
}

impl Serialize for Weights {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.values.serialize(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_partial_overrides() {
        assert_eq!(Weights::parse("").unwrap(), Weights::default());
        let w = Weights::parse("contextes=2, savoirs=0").unwrap();
        assert_eq!(w.values().0, [0.0, 0.0, 1.0, 2.0]);
        assert_eq!(
            Weights::default().to_string(),
            "transversal=0,savoirs=1,savoir_faire=1,contextes=0.25"
        );
        assert_eq!(
            Weights::parse(&Weights::default().to_string()).unwrap(),
            Weights::default()
        );
    }

    #[test]
    fn errors_are_french_and_name_the_parameter() {
        let e = |s: &str| Weights::parse(s).unwrap_err();
        assert_eq!(e("salaire=1"), WeightsError::UnknownName("salaire".into()));
        assert!(
            e("salaire=1")
                .to_string()
                .starts_with("poids inconnu « salaire » :")
        );
        assert!(
            !e("salaire=1").to_string().contains("--weights"),
            "le message ne nomme pas le drapeau de la CLI"
        );
        assert!(matches!(e("savoirs=100.5"), WeightsError::TooLarge { .. }));
        assert!(
            e("savoirs=1e308")
                .to_string()
                .contains("ne peut pas dépasser 100")
        );
        assert_eq!(
            Weights::parse("savoirs=100").unwrap().get(Axis::Savoirs),
            100.0
        );
        assert!(matches!(e("savoirs=-1"), WeightsError::Negative { .. }));
        assert!(
            e("savoirs=-1")
                .to_string()
                .contains("ne peut pas être négatif")
        );
        assert!(matches!(e("savoirs=inf"), WeightsError::NonFinite { .. }));
        assert!(matches!(e("savoirs=NaN"), WeightsError::NonFinite { .. }));
        assert!(matches!(
            e("savoirs=beaucoup"),
            WeightsError::NotANumber { .. }
        ));
        assert!(matches!(e("savoirs"), WeightsError::Syntax(_)));
        assert!(matches!(
            e("savoirs=1,savoirs=2"),
            WeightsError::Duplicate { .. }
        ));
        assert_eq!(
            e("transversal=0,savoirs=0,savoir_faire=0,contextes=0"),
            WeightsError::AllZero
        );
        assert!(
            e("transversal=0,savoirs=0,savoir_faire=0,contextes=0")
                .to_string()
                .contains("au moins un poids")
        );
    }

    #[test]
    fn negative_zero_is_zero() {
        let w = Weights::parse("savoirs=-0").unwrap();
        assert_eq!(w.get(Axis::Savoirs), 0.0);
        assert!(w.get(Axis::Savoirs).is_sign_positive());
    }

    #[test]
    fn combine_renormalises_over_available_axes() {
        let w = Weights::parse("transversal=1,contextes=0.5").unwrap();
        let all = PerAxis([Some(1.0), Some(0.5), Some(0.5), Some(0.0)]);
        assert!((w.combine(&all).unwrap() - 2.0 / 3.5).abs() < 1e-12);
        let no_tc = PerAxis([None, Some(0.5), Some(0.5), Some(0.0)]);
        assert!((w.combine(&no_tc).unwrap() - 1.0 / 2.5).abs() < 1e-12);
        let only_tc = Weights::parse("transversal=1,savoirs=0,savoir_faire=0,contextes=0").unwrap();
        assert_eq!(only_tc.combine(&no_tc), None);
    }
}
