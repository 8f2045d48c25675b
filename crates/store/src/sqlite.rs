//! [`Db`] and [`Backend`] on SQLite: the statements are cached by rusqlite,
//! bulk loads are prepared `INSERT`s inside the import transaction.

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{CachedStatement, Connection, params_from_iter};

use crate::sql::{Backend, Cells, Change, Db, Params, Row, Sink, ToValue, Value};
use crate::{Result, SqlContext, SqliteStore};

impl rusqlite::ToSql for Value<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match *self {
            Value::Null => ValueRef::Null,
            Value::Int(v) => ValueRef::Integer(v),
            Value::Real(v) => ValueRef::Real(v),
            Value::Text(s) => ValueRef::Text(s.as_bytes()),
        }))
    }
}

fn values<'a>(params: Params<'a>) -> impl Iterator<Item = Value<'a>> {
    params.iter().map(|p| p.value())
}

impl Row for rusqlite::Row<'_> {
    fn int(&self, i: usize, ctx: &'static str) -> Result<Option<i64>> {
        self.get(i).ctx(ctx)
    }
    fn real(&self, i: usize, ctx: &'static str) -> Result<Option<f64>> {
        self.get(i).ctx(ctx)
    }
    fn text(&self, i: usize, ctx: &'static str) -> Result<Option<String>> {
        self.get(i).ctx(ctx)
    }
}

/// A connection (or a transaction, which derefs to one).
pub(crate) struct SqliteDb<'c>(pub(crate) &'c Connection);

impl Db for SqliteDb<'_> {
    fn query(
        &mut self,
        sql: &str,
        params: Params<'_>,
        ctx: &'static str,
        each: &mut dyn FnMut(&Cells<'_>) -> Result<()>,
    ) -> Result<()> {
        let mut st = self.0.prepare_cached(sql).ctx(ctx)?;
        let mut rows = st.query(params_from_iter(values(params))).ctx(ctx)?;
        while let Some(row) = rows.next().ctx(ctx)? {
            each(&Cells::new(row, ctx))?;
        }
        Ok(())
    }

    fn execute(&mut self, sql: &str, params: Params<'_>, ctx: &'static str) -> Result<()> {
        let mut st = self.0.prepare_cached(sql).ctx(ctx)?;
        st.execute(params_from_iter(values(params))).ctx(ctx)?;
        Ok(())
    }

    fn bulk(
        &mut self,
        table: &'static str,
        columns: &'static str,
        ctx: &'static str,
        fill: &mut dyn FnMut(&mut dyn Sink) -> Result<()>,
    ) -> Result<()> {
        let placeholders = (1..=columns.split(',').count())
            .map(|i| format!("?{i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!("INSERT INTO {table} ({columns}) VALUES ({placeholders})");
        let st = self.0.prepare_cached(&sql).ctx(ctx)?;
        fill(&mut Inserts { st, ctx })
    }
}

/// A bulk load on SQLite: one prepared `INSERT`, run for every row.
struct Inserts<'c> {
    st: CachedStatement<'c>,
    ctx: &'static str,
}

impl Sink for Inserts<'_> {
    fn row(&mut self, values: Params<'_>) -> Result<()> {
        self.st
            .execute(params_from_iter(values.iter().map(|v| v.value())))
            .ctx(self.ctx)?;
        Ok(())
    }
}

impl Backend for SqliteStore {
    /// Reads without a transaction of its own: a pinned store
    /// ([`SqliteStore::pin_snapshot`]) already holds one.
    fn read<T: Send>(
        &self,
        _ctx: &'static str,
        f: impl FnOnce(&mut dyn Db) -> Result<T> + Send,
    ) -> Result<T> {
        f(&mut SqliteDb(self.conn()))
    }

    fn write<T: Send>(
        &mut self,
        ctx: &'static str,
        change: Change,
        f: impl FnOnce(&mut dyn Db) -> Result<T> + Send,
    ) -> Result<T> {
        let tx = self.import_transaction(ctx)?;
        let out = f(&mut SqliteDb(&tx))?;
        if change == Change::Data {
            crate::bump_data_version(&tx)?;
        }
        tx.commit().ctx(ctx)?;
        Ok(out)
    }
}
