//! Bulk loading with `COPY … FROM STDIN` (text format).
//!
//! Every integer column is `BIGINT` and booleans are stored as 0/1, as in the
//! SQLite schema, so one encoding covers both directions.

use std::fmt::Write as _;
use std::io::Write as _;

use postgres::Transaction;

use crate::sql::{Params, Value};
use crate::{Result, SqlContext, StoreError};

/// Writes a value as the text format reads it.
fn put(value: Value<'_>, out: &mut String) {
    match value {
        Value::Null => out.push_str("\\N"),
        Value::Int(v) => {
            let _ = write!(out, "{v}");
        }
        // Rust prints the shortest string that reads back to the same f64.
        Value::Real(v) if v.is_finite() => {
            let _ = write!(out, "{v}");
        }
        Value::Real(v) if v.is_nan() => out.push_str("NaN"),
        Value::Real(v) => out.push_str(if v > 0.0 { "Infinity" } else { "-Infinity" }),
        Value::Text(s) => escape(s, out),
    }
}

/// Escapes what the text format gives a meaning to.
fn escape(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}

/// The rows of one table, ready for `COPY table (columns) FROM STDIN`.
pub(crate) struct CopyBuf {
    table: &'static str,
    columns: &'static str,
    data: String,
}

impl CopyBuf {
    /// `table` and `columns` are constants of this crate, never user input.
    pub(crate) fn new(table: &'static str, columns: &'static str) -> Self {
        CopyBuf {
            table,
            columns,
            data: String::new(),
        }
    }

    pub(crate) fn push(&mut self, values: Params<'_>) {
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                self.data.push('\t');
            }
            put(v.value(), &mut self.data);
        }
        self.data.push('\n');
    }

    /// Sends the rows inside the transaction.
    pub(crate) fn send(&self, tx: &mut Transaction<'_>, context: &'static str) -> Result<()> {
        let sql = format!("COPY {} ({}) FROM STDIN", self.table, self.columns);
        let mut writer = tx.copy_in(&sql).ctx(context)?;
        writer
            .write_all(self.data.as_bytes())
            .map_err(|source| StoreError::PgCopy { context, source })?;
        writer.finish().ctx(context)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_rows_escape_separators_and_mark_nulls() {
        let mut b = CopyBuf::new("t", "a, b, c, d, e");
        b.push(&[
            &"tab\there\\ and\nline",
            &None::<i64>,
            &Some(true),
            &0.1f64,
            &"É",
        ]);
        assert_eq!(b.data, "tab\\there\\\\ and\\nline\t\\N\t1\t0.1\tÉ\n");
    }
}
