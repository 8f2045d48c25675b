//! Readers of Passerelle's territorial inputs: every département's context,
//! the certifications that lead to a job, and the training offer.
//!
//! The model these readers fill (records, figures, the context builder) is
//! `passerelle_core::territory`, so that the store, render and server use it
//! without this crate's parsers (calamine, quick-xml, csv). Here:
//! - readers for the official open-data files of `$PASSERELLE_DATA/territory`
//!   ([`geo`], [`chomage`], [`bmo`], [`tension`], [`labonneboite`],
//!   [`certif_info`]), gathered by [`import::read_territory`] into one
//!   `TerritoryData` that the store saves in a single transaction;
//! - the reader of the hand-written ROME → BMO correspondence compiled in
//!   from `data/territoire/` ([`rome_bmo`]);
//! - a streaming reader for the France Compétences RNCP/RS XML export
//!   ([`rncp`]) and the LHEO / CSV training-offer importer ([`formations`]).
//!
//! Errors are [`TerritoryError`], one French line naming the file and line.

pub mod bmo;
pub mod certif_info;
pub mod chomage;
pub mod error;
pub mod formations;
pub mod geo;
pub mod import;
pub mod labonneboite;
pub mod rncp;
pub mod rome_bmo;
mod table;
pub mod tension;
pub mod xml;

pub use error::{Result, TerritoryError};
