//! Bulk loading with `COPY … FROM STDIN` (text format), and typed reading of
//! result rows.
//!
//! Every integer column is `BIGINT` and booleans are stored as 0/1, as in the
//! SQLite schema, so one encoding covers both directions.

use std::fmt::Write as _;
use std::io::Write as _;

use postgres::{Row, Transaction};

use crate::{Result, SqlContext, StoreError};

/// A value as written in a text-format COPY row.
pub(crate) trait CopyValue {
    fn put(&self, out: &mut String);
}

macro_rules! copy_display {
    ($($t:ty),*) => {$(
        impl CopyValue for $t {
            fn put(&self, out: &mut String) {
                let _ = write!(out, "{self}");
            }
        }
    )*};
}
copy_display!(i64, u64, u32, u16, u8, usize);

impl CopyValue for f64 {
    fn put(&self, out: &mut String) {
        // Rust prints the shortest string that reads back to the same f64.
        if self.is_finite() {
            let _ = write!(out, "{self}");
        } else if self.is_nan() {
            out.push_str("NaN");
        } else {
            out.push_str(if *self > 0.0 { "Infinity" } else { "-Infinity" });
        }
    }
}

impl CopyValue for bool {
    fn put(&self, out: &mut String) {
        out.push(if *self { '1' } else { '0' });
    }
}

impl CopyValue for str {
    /// Escapes what the text format gives a meaning to.
    fn put(&self, out: &mut String) {
        for c in self.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '\t' => out.push_str("\\t"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                c => out.push(c),
            }
        }
    }
}

impl CopyValue for String {
    fn put(&self, out: &mut String) {
        self.as_str().put(out)
    }
}

impl CopyValue for char {
    fn put(&self, out: &mut String) {
        self.encode_utf8(&mut [0; 4]).put(out)
    }
}

impl<T: CopyValue + ?Sized> CopyValue for &T {
    fn put(&self, out: &mut String) {
        (**self).put(out)
    }
}

impl<T: CopyValue> CopyValue for Option<T> {
    fn put(&self, out: &mut String) {
        match self {
            Some(v) => v.put(out),
            None => out.push_str("\\N"),
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

    pub(crate) fn row(&mut self, values: &[&dyn CopyValue]) {
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                self.data.push('\t');
            }
            v.put(&mut self.data);
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

/// Typed access to the cells of a row, with errors naming the operation.
pub(crate) struct Cells<'a> {
    row: &'a Row,
    context: &'static str,
}

impl<'a> Cells<'a> {
    pub(crate) fn new(row: &'a Row, context: &'static str) -> Self {
        Cells { row, context }
    }

    fn get<T: postgres::types::FromSqlOwned>(&self, i: usize) -> Result<T> {
        self.row.try_get(i).ctx(self.context)
    }

    fn range<T: TryFrom<i64>>(&self, i: usize, v: i64) -> Result<T> {
        T::try_from(v).map_err(|_| {
            StoreError::Corrupt(format!(
                "{} : valeur hors limites {v} en colonne {}",
                self.context,
                self.row.columns()[i].name()
            ))
        })
    }

    pub(crate) fn int(&self, i: usize) -> Result<i64> {
        self.get(i)
    }

    pub(crate) fn opt_int(&self, i: usize) -> Result<Option<i64>> {
        self.get(i)
    }

    pub(crate) fn num<T: TryFrom<i64>>(&self, i: usize) -> Result<T> {
        let v = self.int(i)?;
        self.range(i, v)
    }

    pub(crate) fn opt_num<T: TryFrom<i64>>(&self, i: usize) -> Result<Option<T>> {
        self.opt_int(i)?.map(|v| self.range(i, v)).transpose()
    }

    pub(crate) fn flag(&self, i: usize) -> Result<bool> {
        Ok(self.int(i)? != 0)
    }

    pub(crate) fn opt_flag(&self, i: usize) -> Result<Option<bool>> {
        Ok(self.opt_int(i)?.map(|v| v != 0))
    }

    pub(crate) fn real(&self, i: usize) -> Result<f64> {
        self.get(i)
    }

    pub(crate) fn text(&self, i: usize) -> Result<String> {
        self.get(i)
    }

    pub(crate) fn opt_text(&self, i: usize) -> Result<Option<String>> {
        self.get(i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_rows_escape_separators_and_mark_nulls() {
        let mut b = CopyBuf::new("t", "a, b, c, d, e");
        b.row(&[
            &"tab\there\\ and\nline",
            &None::<i64>,
            &Some(true),
            &0.1f64,
            &'É',
        ]);
        assert_eq!(b.data, "tab\\there\\\\ and\\nline\t\\N\t1\t0.1\tÉ\n");
    }
}
