//! Both migration lists describe the same schema: same tables, same
//! columns in the same order, same kinds of values, same NOT NULL.

use passerelle_store::testing::{Backend, TestDb, schema_of};

#[test]
fn sqlite_and_postgres_migrations_describe_the_same_tables_and_columns() {
    let sqlite = TestDb::new(Backend::Sqlite).unwrap();
    let Some(pg) = TestDb::new(Backend::Postgres) else {
        return;
    };
    let (s, p) = (schema_of(&sqlite.open()), schema_of(&pg.open()));
    assert!(
        s.len() >= 30 && s.contains_key("data_version"),
        "{:?}",
        s.keys()
    );
    let tables = |m: &std::collections::BTreeMap<String, _>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(tables(&s), tables(&p), "tables");
    for (table, columns) in &s {
        assert_eq!(columns, &p[table], "colonnes de {table}");
    }
    assert_eq!(
        sqlite.open().schema_version().unwrap(),
        pg.open().schema_version().unwrap()
    );
}
