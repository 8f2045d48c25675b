#!/usr/bin/env bash
# Reload soak (the months-of-uptime issue): `passerelle serve`, as shipped,
# while `passerelle import rome` runs N times (20 by default). After each
# import the script waits until the server serves the new version, asks a
# few pages and rankings (so that caches fill), waits for the next poll
# (the old snapshot is then gone and reclaimed), and prints the server's
# resident memory (VmRSS) and, on SQLite, the size of the write-ahead log
# right after the import and after the reload. Goals: WAL at the end ≤ two
# imports' worth; RSS after the last reload within 15 % of the RSS after
# the 2nd.
#
# Usage:
#   cargo build --release
#   bench/web/soak.sh                  # SQLite, a fresh database in a temporary directory
#   bench/web/soak.sh --postgres       # PostgreSQL: a throw-away cluster (scripts/pg-cluster)
# Environment: PASSERELLE_BIN (default target/release/passerelle),
# PASSERELLE_DATA (default ../shared/data), N (imports, default 20).
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="${PASSERELLE_BIN:-$root/target/release/passerelle}"
data="${PASSERELLE_DATA:-$root/../shared/data}"
n="${N:-20}"
[ -x "$bin" ] || { echo "binaire introuvable : $bin (cargo build --release)" >&2; exit 1; }

store="$(mktemp -d)"
if [ "${1:-}" = "--postgres" ]; then
  eval "$("$root/scripts/pg-cluster" start)"
  db="$PASSERELLE_TEST_PG"
  wal=""
  stop_store() { "$root/scripts/pg-cluster" stop "$PASSERELLE_PG_DIR" >/dev/null 2>&1 || true; rm -rf "$store"; }
else
  db="$store/soak.sqlite"
  wal="$db-wal"
  stop_store() { rm -rf "$store"; }
fi
export PASSERELLE_DATA="$data"

# First run: the server imports what the empty database lacks.
. "$root/bench/web/serve.sh"
trap 'cleanup; stop_store' EXIT

version() { curl -fs "$base/readyz" | python3 -c 'import json,sys; print(json.load(sys.stdin)["version_donnees"])'; }
rss_mb() { awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status"; }
threads() { awk '/^Threads/ {print $2}' "/proc/$pid/status"; }
wal_mb() { if [ -n "$wal" ]; then python3 -c "import os,sys; p=sys.argv[1]; print(f'{(os.path.getsize(p) if os.path.exists(p) else 0)/1048576:.1f}')" "$wal"; else echo "—"; fi; }
exercise() {
  for path in "/fiches/J1303?dept=34" "/api/v1/fiches/M1609/targets" "/api/v1/fiches/J1303/sources" \
              "/explorer/M1609" "/comparaison/M1609/J1303?dept=34" "/api/v1/fiches/K2111/targets?weights=transversal=1,savoirs=1,savoir_faire=1,contextes=0.5"; do
    curl -fs -o /dev/null "$base$path" || echo "  échec : $path" >&2
  done
}

exercise
printf "%-8s %-9s %-10s %-8s %-18s %-18s\n" "import" "version" "RSS (Mo)" "threads" "WAL après import" "WAL après reload"
printf "%-8s %-9s %-10s %-8s %-18s %-18s\n" "départ" "$(version)" "$(rss_mb)" "$(threads)" "—" "$(wal_mb)"
declare -a rss
for i in $(seq 1 "$n"); do
  before="$(version)"
  "$bin" --db "$db" import rome "$data/rome" >/dev/null
  after_import="$(wal_mb)"
  deadline=$((SECONDS + 120))
  until [ "$(version)" != "$before" ]; do
    [ "$SECONDS" -lt "$deadline" ] || { echo "le serveur n'a pas rechargé" >&2; exit 1; }
    sleep 0.2
  done
  exercise
  sleep 5   # two polls: the old snapshot is gone and reclaimed
  rss[$i]="$(rss_mb)"
  printf "%-8s %-9s %-10s %-8s %-18s %-18s\n" "$i" "$(version)" "${rss[$i]}" "$(threads)" "$after_import" "$(wal_mb)"
done
python3 - "${rss[2]}" "${rss[$n]}" <<'PY'
import sys
second, last = int(sys.argv[1]), int(sys.argv[2])
print(f"RSS après le 2e rechargement : {second} Mo ; après le dernier : {last} Mo ({(last - second) / second * 100:+.1f} %, objectif ≤ +15 %)")
PY
