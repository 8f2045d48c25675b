//! Strongly typed identifiers of the referentials.
//!
//! A ROME code, an OGR code and a département code are different things that
//! all look like short strings in the official files; giving each its own type
//! makes it impossible to pass one where another is expected, and puts the
//! validation (and its French error message) in exactly one place.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Why a string is not a valid code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("code ROME invalide « {0} » : attendu une lettre et quatre chiffres (ex. J1303)")]
    Rome(String),
    #[error("code OGR invalide « {0} » : attendu un nombre entier positif (ex. 200145)")]
    Ogr(String),
    #[error(
        "département inconnu « {0} » : attendu un code de 01 à 95, 2A, 2B ou 971 à 976 (ex. 34 ou 034 pour l'Hérault)"
    )]
    Dept(String),
}

/// A ROME 4.0 fiche code: one upper-case letter A–N and four digits (`J1303`).
///
/// Stored as its five ASCII bytes so that it is `Copy`, hashes fast and
/// orders like the official listings.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RomeCode([u8; 5]);

impl RomeCode {
    /// Parses a code, case-insensitively (`j1303` is `J1303`).
    pub fn parse(s: &str) -> Result<Self, CodeError> {
        let t = s.trim().as_bytes();
        let ok =
            t.len() == 5 && t[0].is_ascii_alphabetic() && t[1..].iter().all(u8::is_ascii_digit);
        if !ok {
            return Err(CodeError::Rome(s.to_string()));
        }
        let mut b = [0u8; 5];
        b.copy_from_slice(t);
        b[0] = b[0].to_ascii_uppercase();
        Ok(RomeCode(b))
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII bytes are ever stored.
        std::str::from_utf8(&self.0).expect("ASCII")
    }

    /// The grand domaine letter (`J` for `J1303`).
    pub fn grand_domaine(&self) -> char {
        self.0[0] as char
    }

    /// The domaine professionnel code (`J13` for `J1303`).
    pub fn domaine(&self) -> &str {
        &self.as_str()[..3]
    }
}

impl FromStr for RomeCode {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for RomeCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for RomeCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RomeCode({})", self.as_str())
    }
}

impl Serialize for RomeCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for RomeCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        RomeCode::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// An OGR code: the numeric identifier France Travail gives to every item of
/// its referentials (appellations, compétences, savoirs, contextes, fiches).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OgrCode(u32);

impl OgrCode {
    pub const fn new(n: u32) -> Self {
        OgrCode(n)
    }

    pub fn parse(s: &str) -> Result<Self, CodeError> {
        s.trim()
            .parse::<u32>()
            .map(OgrCode)
            .map_err(|_| CodeError::Ogr(s.to_string()))
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

impl FromStr for OgrCode {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for OgrCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl fmt::Debug for OgrCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OgrCode({})", self.0)
    }
}

/// A French département code in its canonical INSEE form: `01`…`95`, `2A`,
/// `2B`, `971`…`976`.
///
/// Official files disagree on the form (`034` in INSEE and Éducation
/// nationale files, `34` in the COG): [`DeptCode::parse`] accepts both and
/// always yields the canonical one, so lookups never miss on a leading zero.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DeptCode([u8; 3], u8);

impl DeptCode {
    pub fn parse(s: &str) -> Result<Self, CodeError> {
        let err = || CodeError::Dept(s.to_string());
        let t = s.trim().to_ascii_uppercase();
        // Strip one leading zero of a 3-character metropolitan code ("034", "02A").
        let t = if t.len() == 3 && t.starts_with('0') {
            t[1..].to_string()
        } else {
            t
        };
        let valid = match t.as_str() {
            "2A" | "2B" => true,
            x if x.len() == 2 && x.bytes().all(|b| b.is_ascii_digit()) => {
                let n: u32 = x.parse().map_err(|_| err())?;
                (1..=95).contains(&n) && n != 20
            }
            x if x.len() == 3 && x.bytes().all(|b| b.is_ascii_digit()) => {
                let n: u32 = x.parse().map_err(|_| err())?;
                (971..=976).contains(&n)
            }
            _ => false,
        };
        if !valid {
            return Err(err());
        }
        let mut b = [0u8; 3];
        b[..t.len()].copy_from_slice(t.as_bytes());
        Ok(DeptCode(b, t.len() as u8))
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0[..self.1 as usize]).expect("ASCII")
    }

    /// The three-character form used by INSEE and Éducation nationale files (`034`).
    pub fn padded(&self) -> String {
        format!("{:0>3}", self.as_str())
    }
}

impl FromStr for DeptCode {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for DeptCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for DeptCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DeptCode({})", self.as_str())
    }
}

impl Serialize for DeptCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for DeptCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        DeptCode::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rome_code_is_case_insensitive_and_validated() {
        assert_eq!(RomeCode::parse("j1303").unwrap().as_str(), "J1303");
        assert_eq!(RomeCode::parse("J1303").unwrap().domaine(), "J13");
        for bad in ["", "J130", "J13033", "11303", "J13O3", "J 303"] {
            assert!(RomeCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn dept_code_accepts_padded_and_corsican_forms() {
        assert_eq!(
            DeptCode::parse("034").unwrap(),
            DeptCode::parse("34").unwrap()
        );
        assert_eq!(DeptCode::parse("34").unwrap().padded(), "034");
        assert_eq!(DeptCode::parse("02a").unwrap().as_str(), "2A");
        assert_eq!(DeptCode::parse("974").unwrap().as_str(), "974");
        for bad in ["0", "20", "96", "977", "2C", "abc", "", "1234"] {
            assert!(DeptCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ogr_code_parses_digits_only() {
        assert_eq!(OgrCode::parse(" 200145 ").unwrap().get(), 200145);
        assert!(OgrCode::parse("20a").is_err());
        assert!(OgrCode::parse("-3").is_err());
    }
}
