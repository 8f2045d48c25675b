//! [`Db`] and [`Backend`] on SQLite: the statements are cached by rusqlite,
//! bulk loads are prepared `INSERT`s inside the import transaction.

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{CachedStatement, Connection, params_from_iter};

use crate::sql::{
    Backend, Cells, Change, Db, Each, Fill, Params, Query, Row, Sink, Table, ToValue, Value, Work,
};
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
    fn each_row(&mut self, q: &Query<'_>, each: Each<'_>) -> Result<()> {
        let mut st = self.0.prepare_cached(q.sql).ctx(q.ctx)?;
        let mut rows = st.query(params_from_iter(values(q.params))).ctx(q.ctx)?;
        while let Some(row) = rows.next().ctx(q.ctx)? {
            each(&Cells::new(row, q.ctx))?;
        }
        Ok(())
    }

    fn run(&mut self, q: &Query<'_>) -> Result<()> {
        let mut st = self.0.prepare_cached(q.sql).ctx(q.ctx)?;
        st.execute(params_from_iter(values(q.params))).ctx(q.ctx)?;
        Ok(())
    }

    fn load(&mut self, table: &Table, fill: Fill<'_>) -> Result<()> {
        let placeholders = (1..=table.columns.split(',').count())
            .map(|i| format!("?{i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "INSERT INTO {} ({}) VALUES ({placeholders})",
            table.name, table.columns
        );
        let st = self.0.prepare_cached(&sql).ctx(table.ctx)?;
        fill(&mut Inserts { st, ctx: table.ctx })
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
    fn read<T: Send>(&self, _ctx: &'static str, f: impl Work<T>) -> Result<T> {
        f(&mut SqliteDb(self.conn()))
    }

    fn write<T: Send>(&mut self, change: Change, f: impl Work<T>) -> Result<T> {
        let tx = self.import_transaction(change.context())?;
        let out = f(&mut SqliteDb(&tx))?;
        if let Change::Data(_) = change {
            crate::bump_data_version(&tx)?;
        }
        tx.commit().ctx(change.context())?;
        Ok(out)
    }
}
