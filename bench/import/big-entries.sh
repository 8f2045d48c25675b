#!/usr/bin/env bash
# Imports in bounded memory (the months-of-uptime issue): builds a zip of the
# official ROME set whose four largest files are replaced by their header
# and their first row repeated up to S MiB each (250 by default: the
# per-file cap is 256 MiB, so they are read to the end), then runs
# `passerelle import rome` on it under /usr/bin/time. Prints the outcome
# (import or refusal, first lines) and the peak RSS (goal ≤ 200 MB,
# whatever S). A second run imports the plain set, for comparison.
#
# Usage:
#   cargo build --release
#   bench/import/big-entries.sh
# Environment: PASSERELLE_BIN (default target/release/passerelle),
# PASSERELLE_DATA (default ../shared/data), S (MiB per entry, default 250).
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="${PASSERELLE_BIN:-$root/target/release/passerelle}"
data="${PASSERELLE_DATA:-$root/../shared/data}"
size="${S:-250}"
[ -x "$bin" ] || { echo "binaire introuvable : $bin (cargo build --release)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time introuvable (paquet Debian « time »)" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

ROME="$data/rome" OUT="$work/rome.zip" MIB="$size" python3 - <<'PY'
import os, zipfile
rome, out, mib = os.environ["ROME"], os.environ["OUT"], int(os.environ["MIB"])
files = sorted(f for f in os.listdir(rome) if f.endswith(".csv") or f == "version.txt")
largest = sorted((f for f in files if f.endswith(".csv")),
                 key=lambda f: os.path.getsize(os.path.join(rome, f)), reverse=True)[:4]
target = mib * 1024 * 1024
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
    for f in files:
        path = os.path.join(rome, f)
        if f not in largest:
            z.write(path, f)
            continue
        with open(path, "rb") as src:
            header, row = src.readline(), src.readline()
        block = row * max(1, (1024 * 1024) // len(row))
        with z.open(f, "w", force_zip64=True) as dst:
            dst.write(header)
            written = len(header)
            while written + len(block) <= target:
                dst.write(block)
                written += len(block)
            while written + len(row) <= target:
                dst.write(row)
                written += len(row)
        print(f"{f} : {written} octets ({written / 1048576:.0f} Mio), « {row.decode().strip()[:60]} » répété")
print(f"archive : {os.path.getsize(out) / 1048576:.1f} Mio")
PY

run() {
    local label="$1" src="$2"
    rm -f "$work/db.sqlite"*
    set +e
    /usr/bin/time -v "$bin" --db "$work/db.sqlite" import rome "$src" >"$work/out" 2>"$work/err"
    local rc=$?
    set -e
    local rss
    rss=$(grep "Maximum resident set size" "$work/err" | awk '{print $NF}')
    local secs
    secs=$(grep "Elapsed (wall clock)" "$work/err" | awk '{print $NF}')
    echo "== $label : code de sortie $rc, pic de mémoire $((rss / 1024)) Mo, durée $secs"
    grep -v -E "^\s|Command being timed|Command exited" "$work/err" | head -5 || true
    head -3 "$work/out" || true
}

run "ROME officiel (répertoire)" "$data/rome"
run "quatre fichiers de ${size} Mio" "$work/rome.zip"
