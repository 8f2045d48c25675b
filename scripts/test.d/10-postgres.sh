# Sourced by scripts/test (see README.md here): a throw-away PostgreSQL
# cluster for the store tests and the CLI parity test, which run on both
# backends (docs/decisions.md, « Tests sur PostgreSQL »).
#
# An already set PASSERELLE_TEST_PG (a URL of a role that may create
# databases, or `off` for SQLite only) is used as it is.

pg_hook() {
    if [ -n "${PASSERELLE_TEST_PG:-}" ]; then
        echo "== PostgreSQL : PASSERELLE_TEST_PG déjà défini, utilisé tel quel"
        return 0
    fi
    if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
        local cmd="apt-get install -y --no-install-recommends postgresql"
        if [ "$install" = 0 ] || [ "$EUID" -ne 0 ] || ! has apt-get; then
            [ "$EUID" -ne 0 ] && cmd="sudo $cmd"
            missing "PostgreSQL (paquet Debian postgresql)" "$cmd"
        fi
        echo "== paquet Debian : postgresql"
        export DEBIAN_FRONTEND=noninteractive
        { apt-get update -qq && apt-get install -y -qq --no-install-recommends postgresql >/dev/null; } ||
            missing "PostgreSQL (apt-get a échoué : dépôt Debian injoignable ?)" "$cmd"
    fi
    local exports
    exports=$(scripts/pg-cluster start) || missing "un cluster PostgreSQL de test (scripts/pg-cluster start a échoué)" "scripts/pg-cluster start"
    eval "$exports"
    at_exit "scripts/pg-cluster stop '$PASSERELLE_PG_DIR'"
    echo "== PostgreSQL : cluster de test démarré ($PASSERELLE_PG_DIR)"
}

pg_hook
unset -f pg_hook
