#!/usr/bin/env bash
# Admission under load (the months-of-uptime issue): 64 distinct uncached
# PDFs asked at once, twice — on a cold server (the pool's service time is
# still its prior guess), then once it has measured it. Every answer must be 200, or 503 with Retry-After
# sent at once; none 408 (a request admitted that could not finish before
# the 20 s deadline). Prints the count of each status, the slowest 200 and
# the slowest 503.
#
# Usage:
#   cargo build --release
#   bench/web/admission.sh [DB]     # DB defaults to passerelle.sqlite (first run imports)
# Environment: PASSERELLE_BIN (default target/release/passerelle), N (default 64).
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="${PASSERELLE_BIN:-$root/target/release/passerelle}"
db="${1:-passerelle.sqlite}"
n="${N:-64}"

[ -x "$bin" ] || { echo "binaire introuvable : $bin (cargo build --release)" >&2; exit 1; }
. "$root/bench/web/serve.sh"
# N distinct fiches of the referential, each asked once (never cached).
python3 - "$root" "$n" > "$work/codes" <<'PY'
import csv, sys, random
root, n = sys.argv[1], int(sys.argv[2])
path = f"{root}/../shared/data/rome/unix_referentiel_code_rome_v460_utf8.csv"
codes = [r["code_rome"] for r in csv.DictReader(open(path, encoding="utf-8"))]
random.seed(25)
print("\n".join(random.sample(codes, 2 * n)))
PY
export port
for burst in froid chaud; do
  if [ "$burst" = froid ]; then head -n "$n" "$work/codes" > "$work/batch"; else tail -n "$n" "$work/codes" > "$work/batch"; fi
  xargs -P "$n" -I{} sh -c 'curl -s -o /dev/null -D - -w "STATUS %{http_code} %{time_total}\n" "http://127.0.0.1:$port/api/v1/fiches/{}/document?format=pdf" | grep -E "^STATUS|^[Rr]etry-[Aa]fter"' < "$work/batch" > "$work/out"
  echo "serveur $burst :"
  python3 - "$work/out" <<'PY'
import sys, collections
lines = open(sys.argv[1]).read().splitlines()
statuses = collections.Counter()
slowest = collections.defaultdict(float)
retry = sum(1 for l in lines if l.lower().startswith("retry-after"))
for l in lines:
    if l.startswith("STATUS"):
        _, code, t = l.split()
        statuses[code] += 1
        slowest[code] = max(slowest[code], float(t))
print("  réponses :", ", ".join(f"{c} × {n}" for c, n in sorted(statuses.items())))
for c in sorted(slowest):
    print(f"  {c} : la plus lente en {slowest[c]:.2f} s")
print(f"  en-têtes Retry-After : {retry} (pour {statuses.get('503', 0)} réponses 503)")
print("  408 :", statuses.get("408", 0), "(objectif : 0)")
PY
done
