//! [`Db`] on PostgreSQL: the shared query text with its `?N` placeholders
//! rewritten to `$N`, each statement prepared once per transaction, and bulk
//! loads sent with `COPY … FROM STDIN` ([`CopyBuf`]).

use std::collections::HashMap;
use std::error::Error;

use bytes::BytesMut;
use postgres::types::{IsNull, ToSql, Type};
use postgres::{Statement, Transaction};

use super::CopyBuf;
use crate::sql::{Cells, Db, Each, Fill, Params, Query, Row, Sink, Table, ToValue, Value};
use crate::{Result, SqlContext};

impl Value<'_> {
    fn inner(&self) -> Option<&(dyn ToSql + Sync)> {
        match self {
            Value::Null => None,
            Value::Int(v) => Some(v),
            Value::Real(v) => Some(v),
            Value::Text(v) => Some(v),
        }
    }
}

impl ToSql for Value<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn Error + Sync + Send>> {
        self.to_sql_checked(ty, out)
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    /// Checks the type of the value held, not of `Value`.
    fn to_sql_checked(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn Error + Sync + Send>> {
        match self.inner() {
            None => Ok(IsNull::Yes),
            Some(v) => v.to_sql_checked(ty, out),
        }
    }
}

impl Row for postgres::Row {
    /// Stored integers are `BIGINT`; computed ones (`SELECT 1`,
    /// `EXISTS`, a boolean here) are read as SQLite gives them, an integer.
    fn int(&self, i: usize, ctx: &'static str) -> Result<Option<i64>> {
        match *self.columns()[i].type_() {
            Type::INT4 => Ok(self.try_get::<_, Option<i32>>(i).ctx(ctx)?.map(i64::from)),
            Type::BOOL => Ok(self.try_get::<_, Option<bool>>(i).ctx(ctx)?.map(i64::from)),
            _ => self.try_get(i).ctx(ctx),
        }
    }
    fn real(&self, i: usize, ctx: &'static str) -> Result<Option<f64>> {
        self.try_get(i).ctx(ctx)
    }
    fn text(&self, i: usize, ctx: &'static str) -> Result<Option<String>> {
        self.try_get(i).ctx(ctx)
    }
}

/// `?1` → `$1`: the shared text is written with SQLite's placeholders
/// (no query of this crate has a `?` elsewhere).
fn dollar_placeholders(sql: &str) -> String {
    sql.replace('?', "$")
}

/// A transaction and the statements it prepared.
pub(crate) struct PgDb<'a, 't> {
    tx: &'a mut Transaction<'t>,
    statements: HashMap<String, Statement>,
}

impl<'a, 't> PgDb<'a, 't> {
    pub(crate) fn new(tx: &'a mut Transaction<'t>) -> Self {
        PgDb {
            tx,
            statements: HashMap::new(),
        }
    }

    fn statement(&mut self, sql: &str, ctx: &'static str) -> Result<Statement> {
        if let Some(st) = self.statements.get(sql) {
            return Ok(st.clone());
        }
        let st = self.tx.prepare(&dollar_placeholders(sql)).ctx(ctx)?;
        self.statements.insert(sql.to_string(), st.clone());
        Ok(st)
    }
}

fn bind<'v>(values: &'v [Value<'v>]) -> Vec<&'v (dyn ToSql + Sync)> {
    values.iter().map(|v| v as &(dyn ToSql + Sync)).collect()
}

impl Db for PgDb<'_, '_> {
    fn each_row(&mut self, q: &Query<'_>, each: Each<'_>) -> Result<()> {
        let st = self.statement(q.sql, q.ctx)?;
        let values: Vec<Value<'_>> = q.params.iter().map(|p| p.value()).collect();
        for row in self.tx.query(&st, &bind(&values)).ctx(q.ctx)? {
            each(&Cells::new(&row, q.ctx))?;
        }
        Ok(())
    }

    fn run(&mut self, q: &Query<'_>) -> Result<()> {
        let st = self.statement(q.sql, q.ctx)?;
        let values: Vec<Value<'_>> = q.params.iter().map(|p| p.value()).collect();
        self.tx.execute(&st, &bind(&values)).ctx(q.ctx)?;
        Ok(())
    }

    fn load(&mut self, table: &Table, fill: Fill<'_>) -> Result<()> {
        let mut rows = CopyBuf::new(table.name, table.columns);
        fill(&mut rows)?;
        rows.send(self.tx, table.ctx)
    }
}

impl Sink for CopyBuf {
    fn row(&mut self, values: Params<'_>) -> Result<()> {
        self.push(values);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_dollars() {
        assert_eq!(
            dollar_placeholders("SELECT a FROM t WHERE b = ?1 AND c = ?2"),
            "SELECT a FROM t WHERE b = $1 AND c = $2"
        );
    }
}
