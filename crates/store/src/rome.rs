//! Storage of the ROME referential.
