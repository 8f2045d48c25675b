#!/usr/bin/env bash
# Custom weights at interactive speed (the defensible-passerelles issue):
# one client, on loopback, asks N fiche pages and N API rankings, each with a
# weight vector no cache has seen, and prints the median and the slowest.
# Goals: fiche page ≤ 100 ms, API ranking ≤ 20 ms (release build).
# Bounded: N requests of each kind, then the server is stopped.
#
# Usage:
#   cargo build --release
#   bench/web/weights.sh [DB]     # DB defaults to passerelle.sqlite (first run imports)
# Environment: PASSERELLE_BIN (default target/release/passerelle), N (default 30).
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="${PASSERELLE_BIN:-$root/target/release/passerelle}"
db="${1:-passerelle.sqlite}"
n="${N:-30}"

[ -x "$bin" ] || { echo "binaire introuvable : $bin (cargo build --release)" >&2; exit 1; }
. "$root/bench/web/serve.sh"
# Warm the default pages once (the first request of a snapshot).
curl -fs -o /dev/null "$base/fiches/J1303"

# time KIND PATH_PREFIX: N requests with contextes=0.30, 0.31, … (never seen).
measure() {
  local kind="$1" prefix="$2" i
  for ((i = 0; i < n; i++)); do
    curl -fs -o /dev/null -w '%{time_total}\n' "$base$prefix$(printf '0.%03d' $((300 + i)))"
  done | sort -n | awk -v kind="$kind" '{ t[NR] = $1 } END {
    printf "%-40s médiane %.1f ms ; plus lente %.1f ms (%d requêtes)\n", kind, 1000 * t[int((NR + 1) / 2)], 1000 * t[NR], NR }'
}
measure "page fiche, poids nouveaux" "/fiches/J1303?transversal=0.5&contextes="
measure "API classement, poids nouveaux" "/api/v1/fiches/J1303/sources?limit=15&weights=transversal=0.5,contextes="
