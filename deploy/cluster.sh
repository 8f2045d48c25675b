#!/usr/bin/env bash
# A local Passerelle cluster on 127.0.0.1 only (docs/deploy.md): a throw-away
# PostgreSQL cluster, the official data imported once, two `passerelle serve`
# replicas and HAProxy in front (health checks on /readyz, retries on another
# replica), then bounded load tests with wrk:
#   1. one replica alone, then the two through the balancer;
#   2. the balancer while one replica is killed;
#   3. the balancer while an import commits a new data version (the killed
#      replica restarted first): both replicas move to it (on NOTIFY), and
#      neither ever serves an older version again.
# Everything it started is stopped by process id at the end (or on error).
#
#   deploy/cluster.sh [SECONDS]     # duration of each load test, default 10
#
# Needs: the release binary (cargo build --release; PASSERELLE_BIN names
# another), Debian's postgresql,
# haproxy and wrk (apt-get install -y postgresql haproxy wrk).
set -euo pipefail
cd "$(dirname "$0")/.."

duration="${1:-10}"
bin="${PASSERELLE_BIN:-${CARGO_TARGET_DIR:-target}/release/passerelle}"
[ -x "$bin" ] || { echo "cluster : $bin manque : cargo build --release" >&2; exit 1; }
for tool in haproxy wrk curl; do
    command -v "$tool" >/dev/null || { echo "cluster : $tool manque : apt-get install -y $tool" >&2; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/passerelle-cluster.XXXXXX")
pids=()
pg_dir=""
cleanup() {
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    [ -n "$pg_dir" ] && scripts/pg-cluster stop "$pg_dir" || true
    rm -rf "$work"
}
trap cleanup EXIT

free_port() {
    local port
    while :; do
        port=$((20000 + RANDOM % 40000))
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
    done
}

wait_ready() { # URL, seconds
    for _ in $(seq 1 "$(($2 * 10))"); do
        curl -sf -o /dev/null "$1" && return 0
        sleep 0.1
    done
    echo "cluster : $1 ne répond pas" >&2
    return 1
}

# wrk's summary: requests, requests/s, failed (socket errors + non-2xx).
load() { # label URL
    local out
    out=$(wrk -t2 -c16 -d"${duration}s" --timeout 5s "$2")
    local requests rps errors non2xx
    requests=$(echo "$out" | awk '/requests in/ {print $1}')
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    errors=$(echo "$out" | awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}')
    non2xx=$(echo "$out" | awk '/Non-2xx/ {print $5}')
    printf '%-44s %8s requêtes  %8s req/s  échecs : %s\n' "$1" "$requests" "$rps" "$((${errors:-0} + ${non2xx:-0}))"
}

echo "== PostgreSQL"
eval "$(scripts/pg-cluster start --durable)"
pg_dir="$PASSERELLE_PG_DIR"
db="$PASSERELLE_TEST_PG"
export PASSERELLE_DB="$db" PASSERELLE_LOG=warn

echo "== import des données (une fois, avant les répliques)"
start=$(date +%s%N)
"$bin" import rome --quiet "${PASSERELLE_DATA:-../shared/data}/rome"
echo "   ROME importé en $((($(date +%s%N) - start) / 1000000)) ms (lecture des CSV comprise)"
"$bin" import territoire --quiet
"$bin" import profils --quiet data/profils/assistant-medical-aveyron.csv
"$bin" import postes --quiet data/postes/assistant-medical.toml

echo "== deux répliques"
ports=()
for i in 1 2; do
    port=$(free_port)
    ports+=("$port")
    "$bin" serve --addr "127.0.0.1:$port" >"$work/replica$i.log" 2>&1 &
    pids+=($!)
done
for i in 0 1; do
    wait_ready "http://127.0.0.1:${ports[$i]}/readyz" 120
    echo "   réplique $((i + 1)) (pid ${pids[$i]}) : $(grep -o 'prêt en [0-9]* ms' "$work/replica$((i + 1)).log")"
done
replica1_pid=${pids[0]}

echo "== HAProxy"
lb=$(free_port)
cat >"$work/haproxy.cfg" <<EOF
global
    maxconn 512
defaults
    mode http
    timeout connect 1s
    timeout client 10s
    timeout server 10s
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response response-timeout 502 503
frontend passerelle
    bind 127.0.0.1:$lb
    default_backend replicas
backend replicas
    balance roundrobin
    option httpchk GET /readyz
    default-server check inter 500ms fall 2 rise 2
    server r1 127.0.0.1:${ports[0]}
    server r2 127.0.0.1:${ports[1]}
EOF
haproxy -f "$work/haproxy.cfg" -db >"$work/haproxy.log" 2>&1 &
pids+=($!)
wait_ready "http://127.0.0.1:$lb/readyz" 10
echo "   balancer 127.0.0.1:$lb (pid ${pids[2]})"

path=/api/v1/fiches/J1303/sources
echo "== charge : GET $path, ${duration} s, 16 connexions"
load "une réplique seule" "http://127.0.0.1:${ports[1]}$path"
load "deux répliques derrière HAProxy" "http://127.0.0.1:$lb$path"

echo "== une réplique tuée pendant la charge"
(sleep "$((duration / 3))"; kill "$replica1_pid") &
killer=$!
load "HAProxy, réplique 1 tuée à $((duration / 3)) s" "http://127.0.0.1:$lb$path"
wait "$killer"

echo "== réplique 1 relancée"
"$bin" serve --addr "127.0.0.1:${ports[0]}" >"$work/replica1-bis.log" 2>&1 &
pids+=($!)
wait_ready "http://127.0.0.1:${ports[0]}/readyz" 120
echo "   réplique 1 (pid ${pids[-1]}) : $(grep -o 'prêt en [0-9]* ms' "$work/replica1-bis.log")"
sleep 1.5 # HAProxy's health check takes it back (rise 2, every 500 ms)

served() { # port → the data version the replica serves
    curl -sf "http://127.0.0.1:$1/readyz" | grep -o '"version_donnees":[0-9]*' | cut -d: -f2
}
reading() { # one line per replica: its index and the version it serves
    for i in 0 1; do echo "$i $(served "${ports[$i]}")"; done
}

echo "== un import pendant la charge"
before=$("$bin" info --json | awk -F': ' '/"data_version"/ {gsub(",", "", $2); print $2}')
# Every 100 ms, the version each replica serves (one line per reading).
(while :; do
    reading
    sleep 0.1
done) >"$work/versions.log" 2>/dev/null &
watcher=$!
pids+=($watcher)
(sleep "$((duration / 3))"
 t0=$(date +%s%N)
 "$bin" import rome --quiet "${PASSERELLE_DATA:-../shared/data}/rome"
 echo "$(( ($(date +%s%N) - t0) / 1000000 ))" >"$work/import.ms"
 date +%s%N >"$work/import.end") &
importer=$!
load "HAProxy, import du ROME à $((duration / 3)) s" "http://127.0.0.1:$lb$path"
wait "$importer"
after=$("$bin" info --json | awk -F': ' '/"data_version"/ {gsub(",", "", $2); print $2}')
for _ in $(seq 1 300); do
    [ "$(served "${ports[0]}")" = "$after" ] && [ "$(served "${ports[1]}")" = "$after" ] && break
    sleep 0.1
done
both=$(date +%s%N)
kill "$watcher"
wait "$watcher" 2>/dev/null || true
# One last reading once the watcher has stopped, so that the check below
# judges what each replica serves now rather than a reading taken before.
reading >>"$work/versions.log"
echo "   version des données : $before → $after ; import (sous charge) en $(cat "$work/import.ms") ms"
echo "   deux répliques à la version $after au plus $(( (both - $(cat "$work/import.end")) / 1000000 )) ms après la fin de l'import"
# A replica never goes back to an older version (each answer comes from one snapshot).
awk -v after="$after" '$2 != "" { if ($2 < last[$1]) back++; last[$1] = $2 }
    END { printf "   retours en arrière : %d ; dernières versions servies : %s et %s\n", back, last[0], last[1]; exit (back > 0 || last[0] != after || last[1] != after) }' \
    "$work/versions.log" || echo "cluster : les répliques ne sont pas toutes passées à la version $after" >&2
curl -s "http://127.0.0.1:$lb/readyz"
echo
echo "== arrêt (par pid)"
