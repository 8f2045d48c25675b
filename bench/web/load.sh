#!/usr/bin/env bash
# Load figures of issue 7, on loopback, bounded duration:
#   GET /api/v1/fiches/J1303/sources?limit=15   (goal ≥ 2 000 req/s, p99 ≤ 20 ms, 0 errors)
#   GET /api/v1/search?q=assistant              (goal ≥ 2 000 req/s)
#   cold start with an existing database         (goal ≤ 1 s)
#
# Usage (release build, by hand — never in CI):
#   cargo build --release
#   bench/web/load.sh [DB]            # DB defaults to passerelle.sqlite (imported on first run)
# Environment: PASSERELLE_BIN (default target/release/passerelle), DURATION (default 10s),
# CONNECTIONS (default 32), THREADS (wrk threads, default 1: the load generator shares the 2 cores).
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="${PASSERELLE_BIN:-$root/target/release/passerelle}"
db="${1:-passerelle.sqlite}"
duration="${DURATION:-10s}"
connections="${CONNECTIONS:-32}"
threads="${THREADS:-1}"

command -v wrk >/dev/null || { echo "wrk introuvable : apt-get install -y wrk" >&2; exit 1; }
[ -x "$bin" ] || { echo "binaire introuvable : $bin (cargo build --release)" >&2; exit 1; }

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"

# First run: make sure the database exists (import), outside the measured start.
if [ ! -s "$db" ]; then
  echo "Base $db absente : premier lancement (import du ROME)…"
  "$bin" --db "$db" import rome "${PASSERELLE_DATA:-$root/../shared/data}/rome" --quiet
fi

start_ns=$(date +%s%N)
"$bin" --db "$db" serve --addr "127.0.0.1:$port" 2>"${TMPDIR:-/tmp}/passerelle-load-$port.log" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true' EXIT
until curl -fs "$base/readyz" >/dev/null 2>&1; do
  kill -0 "$pid" 2>/dev/null || { cat "${TMPDIR:-/tmp}/passerelle-load-$port.log" >&2; exit 1; }
  sleep 0.01
done
ready_ns=$(date +%s%N)
echo "démarrage à froid (lancement → /readyz répond) : $(( (ready_ns - start_ns) / 1000000 )) ms (objectif ≤ 1 000 ms)"
grep -o "prêt en [0-9]* ms" "${TMPDIR:-/tmp}/passerelle-load-$port.log" | sed 's/^/  serveur : /' || true

run() {
  local name="$1" path="$2"
  curl -fs "$base$path" >/dev/null   # warm the response cache (keyed by data version)
  local out
  out="$(wrk -t"$threads" -c"$connections" -d"$duration" --latency "$base$path")"
  local rps p99 errors non2xx
  rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
  p99="$(awk '$1=="99%" {print $2}' <<<"$out")"
  errors="$(awk '/Socket errors/ {print $0}' <<<"$out")"
  non2xx="$(awk '/Non-2xx/ {print $NF}' <<<"$out")"
  echo "$name : ${rps} req/s ; p99 ${p99} ; réponses non 2xx : ${non2xx:-0} ${errors:+; $errors}"
}

run "GET /api/v1/fiches/J1303/sources?limit=15" "/api/v1/fiches/J1303/sources?limit=15"
run "GET /api/v1/search?q=assistant" "/api/v1/search?q=assistant"
echo "(wrk -t$threads -c$connections -d$duration, boucle locale, générateur et serveur sur les mêmes cœurs)"
