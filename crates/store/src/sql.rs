//! One query text and one row decoder per record, for both backends.
//!
//! Choice (issue #23): a small shared row-mapping layer, not a query
//! builder. sea-query's rusqlite binder (`sea-query-rusqlite` 0.8) requires
//! rusqlite 0.38 while the workspace pins 0.42 (two `libsqlite3-sys` cannot
//! be linked), and every query here is constant text that both SQL dialects
//! read the same way, so a builder would add a dependency to say what the
//! text already says. Instead:
//! - every query is written once with SQLite's `?1, ?2…` placeholders;
//!   the PostgreSQL side rewrites them to `$1, $2…` ([`crate::pg::db`]);
//! - parameters and written cells are [`Value`]s (integers, reals, text,
//!   NULL: the types both schemas store, booleans as 0/1);
//! - a row is read through [`Cells`], typed getters over either backend's
//!   row, with errors naming the operation; one decoder per record;
//! - repositories are written once against [`Db`], and [`Backend`] gives
//!   them a read (one consistent version) or an import transaction (which
//!   bumps the data version). Bulk loads stay per backend behind
//!   [`Db::load`]: prepared `INSERT`s on SQLite, `COPY` on PostgreSQL.
//!
//! Measured against the twin implementations it replaced (official data,
//! debug build, best wall time of 3 interleaved runs, user CPU): SQLite
//! `import rome` 3.75 s / 2.2 s before, 3.62 s / 2.2 s after, `import
//! territoire` 8.1 s / 5.3 s both; PostgreSQL `import rome` 4.5 s / 1.9 s
//! before, 4.35 s / 1.9 s after, `import territoire` 9.5 s / 5.3 s both.

use crate::{Result, StoreError};

/// A parameter or a cell to write, as both backends store it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Value<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(&'a str),
}

/// What can be written as a [`Value`].
pub(crate) trait ToValue {
    fn value(&self) -> Value<'_>;
}

macro_rules! int_value {
    ($($t:ty),*) => {$(
        impl ToValue for $t {
            fn value(&self) -> Value<'_> {
                // Every stored count, code and position fits an i64.
                Value::Int(*self as i64)
            }
        }
    )*};
}
int_value!(i64, u64, u32, u16, u8, usize);

impl ToValue for bool {
    fn value(&self) -> Value<'_> {
        Value::Int(i64::from(*self))
    }
}

impl ToValue for f64 {
    fn value(&self) -> Value<'_> {
        Value::Real(*self)
    }
}

impl ToValue for str {
    fn value(&self) -> Value<'_> {
        Value::Text(self)
    }
}

impl ToValue for String {
    fn value(&self) -> Value<'_> {
        Value::Text(self)
    }
}

impl<T: ToValue + ?Sized> ToValue for &T {
    fn value(&self) -> Value<'_> {
        (**self).value()
    }
}

impl<T: ToValue> ToValue for Option<T> {
    fn value(&self) -> Value<'_> {
        self.as_ref().map_or(Value::Null, T::value)
    }
}

/// Parameters of a query, in placeholder order.
pub(crate) type Params<'a> = &'a [&'a dyn ToValue];

/// One result row of either backend, read cell by cell.
pub(crate) trait Row {
    fn int(&self, i: usize, ctx: &'static str) -> Result<Option<i64>>;
    fn real(&self, i: usize, ctx: &'static str) -> Result<Option<f64>>;
    fn text(&self, i: usize, ctx: &'static str) -> Result<Option<String>>;
}

/// Typed access to the cells of a row, with errors naming the operation.
pub(crate) struct Cells<'a> {
    row: &'a dyn Row,
    ctx: &'static str,
}

impl<'a> Cells<'a> {
    pub(crate) fn new(row: &'a dyn Row, ctx: &'static str) -> Self {
        Cells { row, ctx }
    }

    /// A bad value in the database, for the decoders.
    pub(crate) fn corrupt(&self, what: &str, value: impl std::fmt::Display) -> StoreError {
        StoreError::Corrupt(format!(
            "{} : {what} inconnu dans la base : {value}",
            self.ctx
        ))
    }

    fn present<T>(&self, i: usize, v: Option<T>) -> Result<T> {
        v.ok_or_else(|| StoreError::Corrupt(format!("{} : colonne {i} vide", self.ctx)))
    }

    fn range<T: TryFrom<i64>>(&self, i: usize, v: i64) -> Result<T> {
        T::try_from(v).map_err(|_| {
            StoreError::Corrupt(format!(
                "{} : valeur hors limites {v} en colonne {i}",
                self.ctx
            ))
        })
    }

    pub(crate) fn opt_int(&self, i: usize) -> Result<Option<i64>> {
        self.row.int(i, self.ctx)
    }

    pub(crate) fn int(&self, i: usize) -> Result<i64> {
        self.present(i, self.opt_int(i)?)
    }

    pub(crate) fn num<T: TryFrom<i64>>(&self, i: usize) -> Result<T> {
        self.range(i, self.int(i)?)
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
        self.present(i, self.row.real(i, self.ctx)?)
    }

    pub(crate) fn opt_text(&self, i: usize) -> Result<Option<String>> {
        self.row.text(i, self.ctx)
    }

    pub(crate) fn text(&self, i: usize) -> Result<String> {
        self.present(i, self.opt_text(i)?)
    }

    /// A JSON document stored as text.
    pub(crate) fn json<T: serde::de::DeserializeOwned>(&self, i: usize) -> Result<T> {
        serde_json::from_str(&self.text(i)?).map_err(json_err)
    }
}

pub(crate) fn json_err(e: serde_json::Error) -> StoreError {
    StoreError::Corrupt(format!("JSON : {e}"))
}

/// Where the rows of a bulk load go, one at a time.
pub(crate) trait Sink {
    fn row(&mut self, values: Params<'_>) -> Result<()>;
}

/// A query: its text (placeholders `?1`, `?2`…), parameters, and the
/// operation errors name.
pub(crate) struct Query<'q> {
    pub(crate) sql: &'q str,
    pub(crate) params: Params<'q>,
    pub(crate) ctx: &'static str,
}

/// The target of a bulk load; `name` and `columns` are constants of this
/// crate, never user input.
pub(crate) struct Table {
    pub(crate) name: &'static str,
    pub(crate) columns: &'static str,
    pub(crate) ctx: &'static str,
}

/// What is done with each row of a query.
pub(crate) type Each<'e> = &'e mut dyn FnMut(&Cells<'_>) -> Result<()>;

/// What writes the rows of a bulk load.
pub(crate) type Fill<'f> = &'f mut dyn FnMut(&mut dyn Sink) -> Result<()>;

/// A connection inside a read or an import transaction, of either backend.
/// The repositories call the helpers below (`all`, `opt`, `execute`,
/// `bulk`…) rather than these three.
pub(crate) trait Db {
    /// Runs the query and hands every row to `each`, in order.
    fn each_row(&mut self, q: &Query<'_>, each: Each<'_>) -> Result<()>;

    /// Runs a statement that returns no rows.
    fn run(&mut self, q: &Query<'_>) -> Result<()>;

    /// Writes the rows `fill` gives into the table.
    fn load(&mut self, table: &Table, fill: Fill<'_>) -> Result<()>;
}

impl dyn Db + '_ {
    /// Runs `sql` and hands every row to `each`, in order.
    pub(crate) fn query(
        &mut self,
        sql: &str,
        params: Params<'_>,
        ctx: &'static str,
        each: Each<'_>,
    ) -> Result<()> {
        self.each_row(&Query { sql, params, ctx }, each)
    }

    /// Runs a statement that returns no rows.
    pub(crate) fn execute(
        &mut self,
        sql: &str,
        params: Params<'_>,
        ctx: &'static str,
    ) -> Result<()> {
        self.run(&Query { sql, params, ctx })
    }

    /// Writes the rows `fill` gives into `name (columns)`.
    pub(crate) fn bulk(
        &mut self,
        name: &'static str,
        columns: &'static str,
        ctx: &'static str,
        fill: Fill<'_>,
    ) -> Result<()> {
        self.load(&Table { name, columns, ctx }, fill)
    }

    /// Every row, decoded.
    pub(crate) fn all<T>(
        &mut self,
        sql: &str,
        params: Params<'_>,
        ctx: &'static str,
        mut decode: impl FnMut(&Cells<'_>) -> Result<T>,
    ) -> Result<Vec<T>> {
        let mut out = Vec::new();
        self.query(sql, params, ctx, &mut |c| {
            out.push(decode(c)?);
            Ok(())
        })?;
        Ok(out)
    }

    /// The first row, decoded, if any.
    pub(crate) fn opt<T>(
        &mut self,
        sql: &str,
        params: Params<'_>,
        ctx: &'static str,
        decode: impl FnOnce(&Cells<'_>) -> Result<T>,
    ) -> Result<Option<T>> {
        let mut decode = Some(decode);
        let mut out = None;
        self.query(sql, params, ctx, &mut |c| {
            if let Some(d) = decode.take() {
                out = Some(d(c)?);
            }
            Ok(())
        })?;
        Ok(out)
    }

    /// The first row, decoded; its absence is an inconsistent database.
    pub(crate) fn one<T>(
        &mut self,
        sql: &str,
        params: Params<'_>,
        ctx: &'static str,
        decode: impl FnOnce(&Cells<'_>) -> Result<T>,
    ) -> Result<T> {
        self.opt(sql, params, ctx, decode)?
            .ok_or_else(|| StoreError::Corrupt(format!("{ctx} : aucune ligne")))
    }

    /// A `SELECT COUNT(*) …` (or any single integer).
    pub(crate) fn count(
        &mut self,
        sql: &str,
        params: Params<'_>,
        ctx: &'static str,
    ) -> Result<u64> {
        self.one(sql, params, ctx, |c| c.num(0))
    }

    /// JSON documents of the first column, decoded.
    pub(crate) fn json_rows<T: serde::de::DeserializeOwned>(
        &mut self,
        sql: &str,
        params: Params<'_>,
        ctx: &'static str,
    ) -> Result<Vec<T>> {
        self.all(sql, params, ctx, |c| c.json(0))
    }

    /// Deletes every row of each table (constants of this crate).
    pub(crate) fn clear(&mut self, tables: &[&str], ctx: &'static str) -> Result<()> {
        for t in tables {
            self.execute(&format!("DELETE FROM {t}"), &[], ctx)?;
        }
        Ok(())
    }
}

/// The work of a repository inside one transaction.
pub(crate) trait Work<T>: FnOnce(&mut dyn Db) -> Result<T> + Send {}

impl<T, F: FnOnce(&mut dyn Db) -> Result<T> + Send> Work<T> for F {}

/// How a store runs the repositories' work: the one thing each backend
/// implements, so that every repository is written once (this crate's
/// repository traits are implemented for every `Backend`).
pub(crate) trait Backend {
    /// Runs `f` on one consistent version of the data.
    fn read<T: Send>(&self, ctx: &'static str, f: impl Work<T>) -> Result<T>;

    /// Runs `f` in one transaction, all or nothing; a [`Change::Data`] also
    /// bumps the data version (and notifies listeners on PostgreSQL).
    fn write<T: Send>(&mut self, change: Change, f: impl Work<T>) -> Result<T>;
}

/// What a write transaction changes, and the operation its errors name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Change {
    /// The data readers load: a new data version.
    Data(&'static str),
    /// Provenance only (downloads): readers need not reload.
    Provenance(&'static str),
}

impl Change {
    pub(crate) fn context(self) -> &'static str {
        match self {
            Change::Data(ctx) | Change::Provenance(ctx) => ctx,
        }
    }
}
