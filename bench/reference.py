#!/usr/bin/env python3
"""Independent reference of Passerelle's exact coverage (numpy).

Reads the official ROME 4.0 CSV files itself (no Passerelle code, no
database) and computes, for every ordered pair of distinct fiches
(source S, target T), the exact unweighted coverage of the target's items:

    savoirs      = |K_T ∩ K_S| / |K_T|, K = savoirs of the fiche except the
                   category "Certifications et habilitations"
    savoir_faire = |F_T ∩ F_S| / |F_T|, F = compétences and macro-compétences
                   of category "Savoir-faire"
    contextes    = |C_T ∩ C_S| / |C_T|, C = contextes de travail

Item links are the (code_rome, code_ogr) rows of unix_coherence_item.
Coverage is NaN when the target has no item of that kind.

Usage:
    reference.py bench ROME_DIR          time the computation, print seconds=…
    reference.py compare ROME_DIR CSV    compare with `passerelle matrix` output
                                         (exit 1 on any difference > 1e-9)
"""

import csv
import math
import sys
import time

try:
    import numpy as np
except ImportError:  # the message the Rust test shows
    sys.exit("numpy introuvable : installez-le (pip install numpy) pour la référence bench/reference.py")

TOLERANCE = 1e-9
AXES = ("savoirs", "savoir_faire", "contextes")


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def load(rome_dir):
    """Fiche codes (sorted) and, per axis, the incidence matrix fiche × item."""
    f = lambda name: f"{rome_dir}/unix_{name}_v460_utf8.csv"
    codes = sorted(r["code_rome"] for r in read(f("referentiel_code_rome")))
    savoirs = {r["code_ogr_savoir"]: r["categorie_savoir"] for r in read(f("referentiel_savoir"))}
    competences = {r["code_ogr"]: r["cat_comp"] for r in read(f("referentiel_competence"))}
    contextes = {r["code_ogr"] for r in read(f("referentiel_contexte_travail"))}

    def axis_of(ogr):
        if ogr in savoirs:
            return None if savoirs[ogr].startswith("Certifications") else "savoirs"
        if ogr in contextes:
            return "contextes"
        if competences.get(ogr) == "Savoir-faire":
            return "savoir_faire"
        return None

    row = {c: i for i, c in enumerate(codes)}
    links = {a: set() for a in AXES}
    for r in read(f("coherence_item")):
        a = axis_of(r["code_ogr"])
        if a is not None and r["code_rome"] in row:
            links[a].add((row[r["code_rome"]], r["code_ogr"]))
    mats = {}
    for a in AXES:
        items = sorted({o for _, o in links[a]})
        col = {o: j for j, o in enumerate(items)}
        m = np.zeros((len(codes), len(items)), dtype=np.float32)
        for i, o in links[a]:
            m[i, col[o]] = 1.0
        mats[a] = m
    return codes, mats


def coverage(mats):
    """cov[a][s, t] = |T ∩ S| / |T| (float64, NaN for an empty target)."""
    out = {}
    for a, m in mats.items():
        inter = (m @ m.T).astype(np.float64)  # exact: integer counts < 2^24
        sizes = m.sum(axis=1, dtype=np.float64)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[a] = inter / sizes[np.newaxis, :]
    return out


def bench(rome_dir):
    codes, mats = load(rome_dir)
    runs = []
    for _ in range(3):
        t = time.perf_counter()
        coverage(mats)
        runs.append(time.perf_counter() - t)
    runs.sort()
    print(f"fiches={len(codes)}")
    print(f"seconds={runs[len(runs) // 2]:.6f}")


def compare(rome_dir, matrix_csv):
    codes, mats = load(rome_dir)
    cov = coverage(mats)
    n = len(codes)
    row = {c: i for i, c in enumerate(codes)}
    seen = np.zeros((n, n), dtype=bool)
    errors = []
    worst = 0.0
    with open(matrix_csv, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        if header[:2] != ["source", "target"] or header[-1] != "score":
            sys.exit(f"{matrix_csv} : en-tête inattendu {header}")
        cols = {a: header.index(a) for a in AXES}
        for line, rec in enumerate(reader, start=2):
            s, t = row.get(rec[0]), row.get(rec[1])
            if s is None or t is None:
                errors.append(f"ligne {line} : fiche inconnue {rec[0]} ou {rec[1]}")
                continue
            seen[s, t] = True
            for a, c in cols.items():
                ref = cov[a][s, t]
                field = rec[c]
                if field == "":
                    if not math.isnan(ref):
                        errors.append(f"ligne {line} ({rec[0]}→{rec[1]}) {a} : vide, référence {ref!r}")
                    continue
                got = float(field)
                if math.isnan(ref):
                    errors.append(f"ligne {line} ({rec[0]}→{rec[1]}) {a} : {got!r}, référence vide")
                    continue
                d = abs(got - ref)
                worst = max(worst, d)
                if d > TOLERANCE:
                    errors.append(f"ligne {line} ({rec[0]}→{rec[1]}) {a} : {got!r}, référence {ref!r}")
            if len(errors) > 20:
                break
    np.fill_diagonal(seen, True)
    missing = int((~seen).sum())
    if missing:
        errors.append(f"{missing} couples ordonnés absents de {matrix_csv}")
    if errors:
        print("\n".join(errors[:20]), file=sys.stderr)
        sys.exit(1)
    print(f"pairs={n * (n - 1)} axes={','.join(AXES)} max_abs_diff={worst:.3e}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "bench":
        bench(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "compare":
        compare(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
