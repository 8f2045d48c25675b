#!/usr/bin/env bash
# Load test of issue 14: does cheap work stay fast while heavy work runs?
# On loopback only, bounded in time (4 phases of DURATION), run by hand —
# never in CI:
#   1. GET /api/v1/fiches/J1303/sources (cached)   8 connections, alone
#   2. GET the fiche passerelle PDF                 4 connections, alone
#   3. both again, at the same time as 16 connections fetching fiche pages
#      with custom weights (a new weight per request: never cached), and
#      1 connection on /healthz
# Prints both throughputs and p99 of the cheap API, /healthz p99, PDFs
# completed alone and under load, and the 503 answers (load shedding).
# Goals: cheap API ≥ 50 % of its alone throughput with p99 ≤ 50 ms, /healthz
# p99 ≤ 20 ms, PDFs ≥ 50 % of their alone rate.
#
# Usage:
#   cargo build --release
#   bench/web/mixed.sh [DB]     # DB defaults to passerelle.sqlite (first run imports)
# Environment: PASSERELLE_BIN (default target/release/passerelle), DURATION (default 15s).
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="${PASSERELLE_BIN:-$root/target/release/passerelle}"
db="${1:-passerelle.sqlite}"
duration="${DURATION:-15s}"

command -v wrk >/dev/null || { echo "wrk introuvable : apt-get install -y wrk" >&2; exit 1; }
[ -x "$bin" ] || { echo "binaire introuvable : $bin (cargo build --release)" >&2; exit 1; }

. "$root/bench/web/serve.sh"

cheap="/api/v1/fiches/J1303/sources"
dept=""
curl -fs "$base/readyz" | grep -q '"territoire":true' && dept="&dept=34"
pdf="/api/v1/fiches/J1303/document?format=pdf$dept"

# Counts answers by status (503 = shed) across wrk threads.
cat >"$work/count.lua" <<'EOF'
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) n503 = 0; n2xx = 0; nother = 0 end
function response(status, headers, body)
  if status == 503 then n503 = n503 + 1
  elseif status >= 200 and status < 300 then n2xx = n2xx + 1
  else nother = nother + 1 end
end
function done(summary, latency, requests)
  local a, b, c = 0, 0, 0
  for _, t in ipairs(threads) do a = a + t:get("n2xx"); b = b + t:get("n503"); c = c + t:get("nother") end
  io.write(string.format("COUNTS %d %d %d\n", a, b, c))
end
EOF
# Custom weights: a new value per request, so nothing is served from the memo.
cat >"$work/weights.lua" <<EOF
$(cat "$work/count.lua")
math.randomseed(os.time())
request = function()
  local w = math.random(1, 100000) / 1000
  return wrk.format("GET", "/fiches/J1303?transversal=" .. w .. "$dept")
end
EOF

# wrk NAME CONNECTIONS SCRIPT URL → $work/NAME.out
load() {
  wrk -t1 -c"$2" -d"$duration" --timeout 30s --latency -s "$3" "$base$4" >"$work/$1.out" 2>&1
}
rps() { awk '/Requests\/sec/ {print $2}' "$work/$1.out"; }
p99() { awk '$1=="99%" {print $2}' "$work/$1.out"; }
counts() { awk '/^COUNTS/ {print $2, $3, $4}' "$work/$1.out"; }

curl -fs "$base$cheap" >/dev/null # warm the memo
echo "Phase 1/3 : API en cache seule (c8, $duration)…"
load cheap_alone 8 "$work/count.lua" "$cheap"
echo "Phase 2/3 : PDF seuls (c4, $duration)…"
load pdf_alone 4 "$work/count.lua" "$pdf"
echo "Phase 3/3 : tout ensemble (API c8 + PDF c4 + pages à poids personnalisés c16 + /healthz c1, $duration)…"
load cheap_mixed 8 "$work/count.lua" "$cheap" &
a=$!
load pdf_mixed 4 "$work/count.lua" "$pdf" &
b=$!
load pages_mixed 16 "$work/weights.lua" "/fiches/J1303" &
c=$!
load healthz_mixed 1 "$work/count.lua" "/healthz" &
d=$!
wait "$a" "$b" "$c" "$d"

read -r pdf_alone_ok pdf_alone_503 _ <<<"$(counts pdf_alone)"
read -r pdf_mixed_ok pdf_mixed_503 _ <<<"$(counts pdf_mixed)"
read -r _ cheap_503 _ <<<"$(counts cheap_mixed)"
read -r pages_ok pages_503 pages_other <<<"$(counts pages_mixed)"
echo
echo "API en cache seule      : $(rps cheap_alone) req/s, p99 $(p99 cheap_alone)"
echo "API en cache sous charge: $(rps cheap_mixed) req/s, p99 $(p99 cheap_mixed) ($(python3 -c "print(f'{100*$(rps cheap_mixed)/$(rps cheap_alone):.0f}')") % du débit seul ; objectif ≥ 50 %, p99 ≤ 50 ms)"
echo "/healthz sous charge    : p99 $(p99 healthz_mixed) (objectif ≤ 20 ms)"
echo "PDF seuls               : $pdf_alone_ok terminés en $duration ($(rps pdf_alone) /s), p99 $(p99 pdf_alone), 503 : $pdf_alone_503"
echo "PDF sous charge         : $pdf_mixed_ok terminés en $duration ($(rps pdf_mixed) /s), p99 $(p99 pdf_mixed), 503 : $pdf_mixed_503 ($(python3 -c "print(f'{100*$pdf_mixed_ok/max($pdf_alone_ok,1):.0f}')") % du rythme seul ; objectif ≥ 50 %)"
echo "Pages à poids perso     : $pages_ok servies, 503 : $pages_503, autres : $pages_other, p99 $(p99 pages_mixed)"
echo "503 au total sous charge: $((cheap_503 + pdf_mixed_503 + pages_503))"
echo "(wrk -t1 par client, boucle locale, générateur et serveur sur les mêmes cœurs : $(nproc))"
