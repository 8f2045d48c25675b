//! The four axes of a passerelle and a small fixed-size map over them.

use serde::{Deserialize, Serialize};

/// One axis of comparison between a source and a target job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Axis {
    /// The 14 transversal competencies (levels and stars).
    Transversal,
    /// Savoirs (knowledge), certifications excluded.
    Savoirs,
    /// Savoir-faire: compétences and macro-compétences.
    SavoirFaire,
    /// Contextes de travail.
    Contextes,
}

impl Axis {
    /// In the order of the matrix columns and the `--weights` grammar.
    pub const ALL: [Axis; 4] = [
        Axis::Transversal,
        Axis::Savoirs,
        Axis::SavoirFaire,
        Axis::Contextes,
    ];

    /// The stable `snake_case` name used in `--weights`, JSON and CSV.
    pub fn name(self) -> &'static str {
        match self {
            Axis::Transversal => "transversal",
            Axis::Savoirs => "savoirs",
            Axis::SavoirFaire => "savoir_faire",
            Axis::Contextes => "contextes",
        }
    }

    pub fn label_fr(self) -> &'static str {
        match self {
            Axis::Transversal => "Compétences transversales",
            Axis::Savoirs => "Savoirs professionnels",
            Axis::SavoirFaire => "Savoir-faire",
            Axis::Contextes => "Contextes professionnels",
        }
    }

    pub fn from_name(s: &str) -> Option<Axis> {
        Axis::ALL.into_iter().find(|a| a.name() == s)
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// The three item-based axes, as dense array positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum ItemSet {
    Savoirs = 0,
    SavoirFaire = 1,
    Contextes = 2,
}

impl ItemSet {
    pub(crate) const ALL: [ItemSet; 3] =
        [ItemSet::Savoirs, ItemSet::SavoirFaire, ItemSet::Contextes];

    pub(crate) fn axis(self) -> Axis {
        match self {
            ItemSet::Savoirs => Axis::Savoirs,
            ItemSet::SavoirFaire => Axis::SavoirFaire,
            ItemSet::Contextes => Axis::Contextes,
        }
    }
}

/// A value per axis, in [`Axis::ALL`] order.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PerAxis<T>(pub [T; 4]);

/// What a [`PerAxis`] serializes to (an object keyed by [`Axis::name`]),
/// spelled out for the server's OpenAPI document: fields of type
/// `PerAxis<T>` say `schema(value_type = AxisMap<T>)`.
#[cfg(feature = "openapi")]
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct AxisMap<T> {
    transversal: T,
    savoirs: T,
    savoir_faire: T,
    contextes: T,
}

impl<T: Copy> PerAxis<T> {
    pub fn get(&self, a: Axis) -> T {
        self.0[a.index()]
    }

    pub fn set(&mut self, a: Axis, v: T) {
        self.0[a.index()] = v;
    }
}

impl<T: Serialize> Serialize for PerAxis<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(4))?;
        for a in Axis::ALL {
            m.serialize_entry(a.name(), &self.0[a.index()])?;
        }
        m.end()
    }
}
