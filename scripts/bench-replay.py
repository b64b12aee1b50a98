#!/usr/bin/env python3
"""Replay throughput and peak memory of `kbctl eval` on a large replay (100,000 tickets by default).

The script writes, into a scratch folder (never into the repository):
  * replay.jsonl: N tickets sampled with replacement (fixed seed) from eval_sets/northwind-replay.jsonl
    (240 labelled historical tickets) and fixtures/tickets/tickets.jsonl (120 tickets, whose
    `expected` labels are turned into replay fields: intent and gold_docs = expected.doc,
    category, language, should_escalate = expected.decision is "escalate");
    every copy gets a unique id (R-0000001..., in created_at order), all its timestamps
    (created_at, first_response_at, resolved_at, messages[].at) shifted by the same whole number
    of days so they stay valid RFC 3339 and in order, and, unless --no-perturb, an order number
    appended to what the customer wrote so that texts differ from copy to copy;
  * index/: `kbctl ingest fixtures/kb`;
then runs `kbctl --index index --config fixtures/tickets/kbctl.yaml eval replay.jsonl --format json
-o results.json` under `/usr/bin/time -v` (or, without it, a wrapper reading
getrusage(RUSAGE_CHILDREN)) and prints a Markdown table: tickets, wall seconds, tickets/s,
peak RSS, and the containment kbctl reports.

Usage:
  scripts/bench-replay.py [--kbctl target/release/kbctl] [--tickets 100000] [--threads N] [--work DIR]
  scripts/bench-replay.py --tickets 2000          # a quick smoke run
"""
import argparse
import datetime
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SEED = 20251
SPAN_DAYS = 730  # copies are spread over about two years
TIME_FIELDS = ("created_at", "first_response_at", "resolved_at")


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def load_pool():
    """Replay-shaped source rows: the Northwind replay as is, the ticket fixtures converted."""
    pool = []
    with open(os.path.join(REPO, "eval_sets", "northwind-replay.jsonl"), encoding="utf-8") as f:
        pool += [json.loads(line) for line in f if line.strip()]
    northwind = len(pool)
    with open(os.path.join(REPO, "fixtures", "tickets", "tickets.jsonl"), encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            row = json.loads(line)
            expected = row.pop("expected")
            doc = expected.get("doc")
            row["language"] = expected["language"]
            if expected.get("category"):
                row["category"] = expected["category"]
            row["intent"] = doc
            row["gold_docs"] = [doc] if doc else []
            row["should_escalate"] = expected["decision"] == "escalate"
            pool.append(row)
    return pool, northwind, len(pool) - northwind


def epoch(stamp):
    return datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


def shift(stamp, days):
    """Move an RFC 3339 time by whole days, keeping its time of day, offset and spelling."""
    day = datetime.date.fromisoformat(stamp[:10]) + datetime.timedelta(days=days)
    return day.isoformat() + stamp[10:]


def make_copy(row, number, days, order_no):
    out = json.loads(json.dumps(row))  # deep copy
    out["id"] = f"R-{number:07d}"
    for field in TIME_FIELDS:
        if out.get(field):
            out[field] = shift(out[field], days)
    for message in out.get("messages") or []:
        if message.get("at"):
            message["at"] = shift(message["at"], days)
    if order_no is not None:
        suffix = f" (order HW-2026-{order_no:05d})"
        if out.get("messages"):
            customer = [m for m in out["messages"] if m.get("role") == "customer"] or out["messages"]
            customer[-1]["text"] = customer[-1]["text"].rstrip() + suffix
        elif out.get("body"):  # after the signature, on a line of its own
            out["body"] = out["body"].rstrip() + f"\n\nOrder HW-2026-{order_no:05d}"
        elif out.get("text"):
            out["text"] = out["text"].rstrip() + suffix
    return out


def build_replay(path, n, perturb):
    pool, northwind, fixtures = load_pool()
    rng = random.Random(SEED)
    plan = []
    for _ in range(n):
        source = rng.randrange(len(pool))
        days = rng.randrange(SPAN_DAYS)
        order_no = rng.randrange(100000) if perturb else None
        plan.append((epoch(pool[source]["created_at"]) + 86400 * days, source, days, order_no))
    plan.sort()  # ids in created_at order, as in a real export
    with open(path, "w", encoding="utf-8") as f:
        for number, (_, source, days, order_no) in enumerate(plan, 1):
            f.write(json.dumps(make_copy(pool[source], number, days, order_no), ensure_ascii=False) + "\n")
    from_northwind = sum(1 for p in plan if p[1] < northwind)
    return {"northwind_pool": northwind, "fixtures_pool": fixtures,
            "from_northwind": from_northwind, "from_fixtures": n - from_northwind}


def run(cmd, cwd, ok=(0,), shown=None):
    log("  $ " + (shown or " ".join(cmd)))
    started = time.time()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd)
    elapsed = time.time() - started
    if proc.returncode not in ok:
        sys.exit(f"error: `{' '.join(cmd)}` failed with exit code {proc.returncode} after {elapsed:.1f} s\n"
                 f"--- stderr ---\n{proc.stderr.strip()[-6000:]}\n--- stdout ---\n{proc.stdout.strip()[-2000:]}")
    return proc, elapsed


def gnu_time():
    """/usr/bin/time when it is GNU time (takes -v and -o), else None."""
    if not os.path.exists("/usr/bin/time"):
        return None
    probe = subprocess.run(["/usr/bin/time", "-v", "-o", os.devnull, "true"], capture_output=True)
    return "/usr/bin/time" if probe.returncode == 0 else None


# Fallback: run the command in a child Python whose only child it is, so RUSAGE_CHILDREN is its peak.
RUSAGE_WRAPPER = r"""
import json, resource, subprocess, sys
rc = subprocess.call(sys.argv[2:])
json.dump({"maxrss_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}, open(sys.argv[1], "w"))
sys.exit(rc)
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    release = os.path.join(REPO, "target", "release", "kbctl")
    debug = os.path.join(REPO, "target", "debug", "kbctl")
    ap.add_argument("--kbctl", default=release if os.path.exists(release) else debug,
                    help="kbctl binary (default: target/release/kbctl, else target/debug/kbctl)")
    ap.add_argument("--tickets", type=int, default=100000, help="tickets in the replay (default 100000)")
    ap.add_argument("--threads", type=int, default=None, help="passed as `kbctl --threads N` (default: kbctl's)")
    ap.add_argument("--work", default=None, help="scratch folder (default: a temporary one)")
    ap.add_argument("--no-perturb", action="store_true", help="do not append order numbers to the ticket texts")
    args = ap.parse_args()
    if args.tickets < 1:
        sys.exit("error: --tickets must be at least 1")
    kbctl = os.path.abspath(args.kbctl)
    if not (os.path.isfile(kbctl) and os.access(kbctl, os.X_OK)):
        sys.exit(f"error: no kbctl binary at {kbctl} (build it, or pass --kbctl PATH)")
    probe = subprocess.run([kbctl, "eval", "--help"], capture_output=True, text=True)
    if probe.returncode != 0:
        sys.exit(f"error: {kbctl} has no working `eval` subcommand (exit {probe.returncode}):\n{probe.stderr.strip()}")
    work = os.path.abspath(args.work or tempfile.mkdtemp(prefix="kbctl-bench-replay-"))
    os.makedirs(work, exist_ok=True)
    replay = os.path.join(work, "replay.jsonl")
    index = os.path.join(work, "index")
    results = os.path.join(work, "results.json")
    config = os.path.join(REPO, "fixtures", "tickets", "kbctl.yaml")
    threads = ["--threads", str(args.threads)] if args.threads else []

    started = time.time()
    mix = build_replay(replay, args.tickets, not args.no_perturb)
    log(f"replay: {args.tickets} tickets ({mix['from_northwind']} from the {mix['northwind_pool']} Northwind "
        f"replay rows, {mix['from_fixtures']} from the {mix['fixtures_pool']} ticket fixtures) "
        f"written to {replay} in {time.time() - started:.1f} s")

    # cwd = the scratch folder, so that no ./kbctl.yaml of the caller is picked up.
    _, ingest_s = run([kbctl, "-q", "--index", index] + threads
                      + ["ingest", "--rebuild", os.path.join(REPO, "fixtures", "kb")], work)
    log(f"ingest fixtures/kb: {ingest_s:.1f} s")

    if os.path.exists(results):
        os.remove(results)
    cmd = [kbctl, "--index", index, "--config", config] + threads + ["eval", replay, "--format", "json", "-o", results]
    timer = gnu_time()
    stats = os.path.join(work, "eval.time")
    if timer:
        wrapped, how = [timer, "-v", "-o", stats] + cmd, "/usr/bin/time -v"
    else:
        wrapped, how = [sys.executable, "-c", RUSAGE_WRAPPER, stats] + cmd, "getrusage(RUSAGE_CHILDREN)"
    proc, eval_s = run(wrapped, work, ok=(0, 1), shown=f"[{how}] " + " ".join(cmd))  # 1 = a gate failed; the results are still written
    if proc.returncode == 1:
        log(f"warning: kbctl eval exited 1 (a gate failed or rows were skipped):\n{proc.stderr.strip()[-2000:]}")

    peak_kib = None
    try:
        text = open(stats, encoding="utf-8").read()
        if timer:
            m = re.findall(r"Maximum resident set size \(kbytes\):\s*(\d+)", text)
            peak_kib = int(m[-1]) if m else None
        else:
            peak_kib = json.loads(text)["maxrss_kib"]
    except (OSError, ValueError, KeyError):
        pass
    try:
        if os.path.exists(results):
            with open(results, encoding="utf-8") as f:
                out = json.load(f)
        else:
            out = json.loads(proc.stdout)
        metrics = out["metrics"]
    except (OSError, ValueError, KeyError, TypeError) as err:
        sys.exit(f"error: cannot read the results of `kbctl eval` ({err})\n--- stderr ---\n{proc.stderr.strip()[-4000:]}")
    replayed = metrics.get("tickets") or 0
    if replayed != args.tickets:
        log(f"warning: kbctl replayed {replayed} tickets of {args.tickets}")

    containment = metrics.get("containment")
    print("| tickets | threads | ingest s | eval wall s | tickets/s | peak RSS MiB | containment % |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| {replayed} | {args.threads or 'default'} | {ingest_s:.1f} | {eval_s:.1f} | {replayed / eval_s:.0f} "
          f"| {'?' if peak_kib is None else f'{peak_kib / 1024:.0f}'} "
          f"| {'-' if containment is None else f'{100 * containment:.1f}'} |")
    print(f"\nkbctl: {kbctl}; peak RSS of `kbctl eval` by {how}; config fixtures/tickets/kbctl.yaml; "
          f"replay {replay}; results {results}")


if __name__ == "__main__":
    main()
