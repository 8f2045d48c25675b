//! What a use case can refuse, in French, naming the parameter at fault.
//! The server maps each variant to its HTTP status and stable code; the CLI
//! prints the message.

use passerelle_core::ResolveError;
use passerelle_core::engine::EngineError;

use crate::territory::ProviderError;

/// Characters of a user's value quoted in an error message.
const QUOTED_CHARS: usize = 40;

/// A user string cut for an error message (the message is JSON- or
/// HTML-escaped where shown; this only bounds its length).
pub fn short(s: &str) -> String {
    let mut t: String = s.chars().take(QUOTED_CHARS).collect();
    if s.chars().count() > QUOTED_CHARS {
        t.push('…');
    }
    t
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A name that is neither a ROME code, an OGR code nor `poste:<slug>`.
    #[error(
        "paramètre {param} : « {} » n'est ni un code ROME (J1303), ni un code d'appellation (200145), ni un profil de poste (poste:assistant-medical)",
        short(.value)
    )]
    InvalidJob { param: &'static str, value: String },
    /// A well-formed name the referential does not know.
    #[error("paramètre {param} : {source}")]
    UnknownJob {
        param: &'static str,
        #[source]
        source: ResolveError,
    },
    /// `sans=` names something that is not an item of the job.
    #[error("paramètre sans : « {} » n'est pas un code OGR d'item de {job}", short(.value))]
    NotAnItem { value: String, job: String },
    /// `sans=` unticks every item.
    #[error("paramètre sans : la sélection ne garde aucun item")]
    NothingKept,
    /// The engine does not know a resolved job (a bug, never the user's).
    #[error(transparent)]
    Engine(#[from] EngineError),
    /// `local` asked for without what it needs (docs/methode.md, « Marché local »).
    #[error("paramètre local : {0}")]
    Local(LocalRefusal),
    /// The territorial data could not be read.
    #[error(transparent)]
    Territory(#[from] ProviderError),
}

/// Why a local re-ranking cannot be made; the message names the API's
/// parameters (the CLI words its own flags before asking).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LocalRefusal {
    #[error("il demande un département (dept)")]
    NoDept,
    #[error("la demande locale est celle du métier cible : local s'applique à targets")]
    Sources,
    #[error("aucune donnée territoriale importée (passerelle import territoire)")]
    NoData,
    #[error("département absent des données territoriales")]
    UnknownDept,
}
