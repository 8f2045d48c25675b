//! The territorial layer of Passerelle: every département's context, the
//! certifications that lead to a job, and the training offer — each figure
//! with its source and year.
//!
//! Brief overview:
//! - readers for the official open-data files of `$PASSERELLE_DATA/territory`
//!   ([`geo`], [`chomage`], [`bmo`], [`tension`], [`labonneboite`],
//!   [`certif_info`]), gathered by [`import::read_territory`] into one
//!   [`import::TerritoryData`] that the store saves in a single transaction;
//! - the hand-written, reviewable data of `data/territoire/` compiled in:
//!   the ROME → BMO correspondence ([`rome_bmo`]) and the CQP Assistant
//!   médical blocs and access rules ([`cqp`]);
//! - a streaming reader for the France Compétences RNCP/RS XML export
//!   ([`rncp`]) and the LHEO / CSV training-offer importer ([`formations`]);
//! - the pure [`context::TerritorialContext`] that documents and web pages
//!   render, built from figures ([`figure::Figure`]) that are a value, a lower
//!   bound under statistical secrecy, or "non disponible" — never invented.
//!
//! Errors are [`TerritoryError`], one French line naming the file and line.

pub mod bmo;
pub mod certif_info;
pub mod chomage;
pub mod context;
pub mod cqp;
pub mod error;
pub mod formations;
pub mod figure;
pub mod geo;
pub mod import;
pub mod labonneboite;
pub mod rncp;
pub mod rome_bmo;
pub mod tension;
mod table;
pub mod xml;

pub use error::{Result, TerritoryError};
pub use context::{build_context, ContextInput, Found, JobInput, TerritorialContext};
pub use figure::{Amount, Attribution, Cell, Figure, SecretCount, Unit};
