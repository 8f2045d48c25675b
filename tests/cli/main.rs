//! CLI integration tests of the `passerelle` binary: one module per area.

mod common;

mod defensible;
mod document_words;
mod documents;
mod download;
mod engine;
mod help;
mod local;
mod parity;
mod postes;
mod profil;
mod ranking;
mod rome;
mod routes;
mod search;
mod serve;
mod territoire;
mod thin_data;
