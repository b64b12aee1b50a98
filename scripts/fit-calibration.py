#!/usr/bin/env python3
"""Fit the default confidence calibration on pooled audit rows, and check it on each set left out.

The confidence is sigmoid(intercept + w . features) over the retrieval signals that
`kbctl eval --tickets-out FILE.jsonl` writes per ticket (top_score, margin, agreement,
views_agree, coverage). This script fits that logistic regression (Newton's method, L2 on the
weights, each set weighted equally so the biggest does not decide) on the tickets the
thresholds decide (`floor` = auto) whose verdict is known, and prints:
  * the weights, as the `policy.calibration` block of kbctl.yaml;
  * leave-one-set-out: fitted on the other sets, the held-out set's ECE, and the containment and
    accuracy of automatic answers at the thresholds given (--auto).

Pure Python (no numpy), so it runs anywhere kbctl's scripts do.

Usage:
  scripts/fit-calibration.py NAME=AUDIT.jsonl [NAME=AUDIT.jsonl ...] [--check NAME=AUDIT.jsonl]
                             [--auto 0.8] [--l2 1.0]
"""
import argparse
import json
import math

FEATURES = ["top_score", "margin", "agreement", "views_agree", "coverage"]


def read(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r.get("floor") != "auto" or r.get("correct") is None:
                continue
            rows.append(([1.0] + [float(r[k]) for k in FEATURES], 1.0 if r["correct"] else 0.0))
    return rows


def solve(a, b):
    n = len(b)
    a = [row[:] for row in a]
    b = b[:]
    for col in range(n):
        piv = max(range(col, n), key=lambda i: abs(a[i][col]))
        if abs(a[piv][col]) < 1e-12:
            return None
        a[col], a[piv] = a[piv], a[col]
        b[col], b[piv] = b[piv], b[col]
        for row in range(col + 1, n):
            f = a[row][col] / a[col][col]
            for k in range(col, n):
                a[row][k] -= f * a[col][k]
            b[row] -= f * b[col]
    x = [0.0] * n
    for row in reversed(range(n)):
        x[row] = (b[row] - sum(a[row][k] * x[k] for k in range(row + 1, n))) / a[row][row]
    return x


def fit(sets, l2):
    """Weighted logistic regression: each set's rows weigh 1/len(set), so sets count alike."""
    data = [(x, y, 1.0 / len(rows)) for rows in sets for x, y in rows]
    n = len(FEATURES) + 1
    total = sum(w for _, _, w in data)
    rate = sum(y * w for _, y, w in data) / total
    beta = [math.log(rate / (1 - rate))] + [0.0] * (n - 1)
    for _ in range(100):
        grad = [0.0] * n
        hess = [[0.0] * n for _ in range(n)]
        for x, y, w in data:
            z = sum(b * v for b, v in zip(beta, x))
            p = 1 / (1 + math.exp(-max(min(z, 30), -30)))
            for i in range(n):
                grad[i] += w * (p - y) * x[i]
                for j in range(n):
                    hess[i][j] += w * p * (1 - p) * x[i] * x[j]
        # The penalty is per unit of total weight, so it does not depend on the number of sets.
        for i in range(1, n):
            grad[i] += l2 * total / 1000 * beta[i]
            hess[i][i] += l2 * total / 1000
        step = solve(hess, grad)
        if step is None:
            break
        beta = [b - s for b, s in zip(beta, step)]
        if sum(abs(s) for s in step) < 1e-9:
            break
    return beta


def confidence(beta, x):
    z = sum(b * v for b, v in zip(beta, x))
    return 1 / (1 + math.exp(-max(min(z, 30), -30)))


def ece(beta, rows, bins=10):
    counts = [[0, 0.0, 0.0] for _ in range(bins)]
    for x, y in rows:
        c = confidence(beta, x)
        b = min(int(c * bins), bins - 1)
        counts[b][0] += 1
        counts[b][1] += c
        counts[b][2] += y
    n = len(rows)
    return sum(abs(s - r) for k, s, r in counts if k) / n if n else float("nan")


def at_threshold(beta, rows, auto):
    answered = [y for x, y in rows if confidence(beta, x) >= auto]
    right = sum(answered)
    return len(answered) / len(rows), (right / len(answered) if answered else float("nan"))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sets", nargs="+", help="NAME=AUDIT.jsonl")
    ap.add_argument("--auto", type=float, default=0.8, help="auto threshold to report containment at")
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--check", action="append", default=[], metavar="NAME=AUDIT.jsonl",
                    help="a set only checked with the pooled fit, never fitted on")
    args = ap.parse_args()
    named = []
    for spec in args.sets:
        name, _, path = spec.partition("=")
        named.append((name, read(path)))
    beta = fit([rows for _, rows in named], args.l2)
    print("policy:\n  calibration:")
    print(f"    intercept: {beta[0]:.3f}")
    for k, b in zip(FEATURES, beta[1:]):
        print(f"    {k}: {b:.3f}")
    print()
    print(f"| held out | tickets decided | ECE | share >= {args.auto} | right among them | in-sample share | in-sample right |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for i, (name, rows) in enumerate(named):
        others = [r for j, (_, r) in enumerate(named) if j != i]
        held = fit(others, args.l2)
        share, acc = at_threshold(held, rows, args.auto)
        share_in, acc_in = at_threshold(beta, rows, args.auto)
        print(f"| {name} | {len(rows)} | {ece(held, rows):.3f} | {share:.3f} | {acc:.3f} | {share_in:.3f} | {acc_in:.3f} |")
    for spec in args.check:
        name, _, path = spec.partition("=")
        rows = read(path)
        share, acc = at_threshold(beta, rows, args.auto)
        print(f"| {name} (never fitted on) | {len(rows)} | {ece(beta, rows):.3f} | {share:.3f} | {acc:.3f} | - | - |")


if __name__ == "__main__":
    main()
