#!/usr/bin/env python3
"""Containment, accuracy and escalation on the public datasets, through `kbctl tune` and `kbctl eval`.

For each dataset this script writes, into a scratch folder (never into the repository):
  * kb/: one Markdown document per intent (front matter `id:` = the intent);
  * examples.jsonl: labelled history (text, intent, category) for the intent classifier, if any;
  * tune.jsonl and eval.jsonl: replay files (id, text, language, category, intent, gold_docs,
    should_escalate);
then runs `kbctl ingest`, `kbctl tune --target-precision 0.99` (writing a scratch kbctl.yaml) and
`kbctl eval --config` with that file (then the same eval at the built-in defaults, and at the
defaults with the tune split ingested as `--history`), and prints ONE Markdown table: containment at the tuned
threshold, accuracy of the automatic answers, out-of-scope escalation recall, intent accuracy and
recall@1, next to the published numbers (../shared/datasets/README.md, */SOURCE.md) and the
plain-Python floor (../shared/notes/baselines.md), with the wall time of each step.

Protocol (as ../shared/datasets/README.md and ../shared/notes/baselines.md ask):
  * CLINC150 (data_full.json): KB = one article per intent (its name and three training
    questions); examples = `train`; tune on `val` + `oos_val`, the out-of-scope rows duplicated
    (ids suffixed `#k`) until their share equals the test mix (`oos_test` / (`test` + `oos_test`),
    18.2%; val alone is 3.2%); evaluate on `test` + `oos_test`. Out-of-scope rows: intent null,
    should_escalate true, no gold_docs.
  * BANKING77: KB = one article per intent; a stratified 10% of `train` (fixed seed) is held out
    to tune on, the other 90% are the examples; evaluate on `test`. No out-of-scope.
  * Bitext (cold start, no examples): KB = one document per intent, its body the shortest agent
    response of that intent, its title the intent name humanised, its category the dataset's;
    tickets = every instruction with gold_docs [intent]; tune on a random half (fixed seed),
    evaluate on the other half.
  Thresholds are tuned for 99% precision of the automatic answers (baselines.md's "P99" column).

Usage:
  scripts/bench-datasets.py [--kbctl target/release/kbctl] [--datasets ../shared/datasets]
                            [--work DIR] [--only clinc,banking,bitext] [--limit N] [--folds K]
  scripts/bench-datasets.py --prepare-only --work /tmp/bench     # write the files, count rows, run nothing
  scripts/bench-datasets.py --limit 300                          # a quick smoke run
"""
import argparse
import collections
import csv
import json
import math
import os
import random
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SEED = 20250
TARGET_PRECISION = 0.99
DATASETS = ("clinc", "banking", "bitext")

# Reference numbers, in percent. `None` = not reported for that column.
# Columns: containment, accuracy of automatic answers, out-of-scope escalated, intent accuracy, recall@1.
REFERENCE = {
    "clinc": [
        # ../shared/notes/baselines.md, "CLINC150" table: USE + LR, containment at P99 with the
        # out-of-scope validation rows weighted (precision reached on test), threshold "L"
        # out-of-scope recall, in-scope accuracy with no rejection.
        ("floor: USE + LR (baselines.md; P99 weighted / oos at threshold L / no rejection)",
         62.9, 98.1, 60.7, 94.6, None),
        # same table: MiniLM + LR, the best plain-Python classifier.
        ("floor: MiniLM + LR (baselines.md; P99 weighted / oos at threshold L / no rejection)",
         59.3, 99.0, 53.2, 95.5, None),
        # ../shared/datasets/README.md and clinc150/SOURCE.md: Larson et al. 2019, Table 2, "Full",
        # oos-threshold: in-scope accuracy / out-of-scope recall.
        ("published: fine-tuned BERT, threshold (Larson et al. 2019, Table 2)",
         None, None, 52.3, 96.2, None),
    ],
    "banking": [
        # ../shared/notes/baselines.md, "BANKING77" table, full training set, LR.
        ("floor: USE + LR, full train (baselines.md)", None, None, None, 91.6, None),
        ("floor: MiniLM + LR, full train (baselines.md)", None, None, None, 93.0, None),
        # ../shared/datasets/README.md and banking77/SOURCE.md: Casanueva et al. 2020.
        ("published: fine-tuned BERT, full train (Casanueva et al. 2020)", None, None, None, 93.66, None),
        ("published: USE+ConveRT, full train (Casanueva et al. 2020)", None, None, None, 93.36, None),
    ],
    "bitext": [
        # ../shared/notes/baselines.md, "Bitext: the cold-start case": top document = intent,
        # over all 4,514 instructions.
        ("floor: USE cosine top-1 (baselines.md, all 4,514 rows)", None, None, None, None, 49.5),
        ("floor: BM25 top-1 (baselines.md, all 4,514 rows)", None, None, None, None, 34.7),
    ],
}
NAMES = {"clinc": "CLINC150", "banking": "BANKING77", "bitext": "Bitext"}


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def humanise(intent):
    words = intent.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def write_doc(folder, doc_id, title, category, body):
    """One Markdown document; front matter values are JSON strings, which YAML reads as-is."""
    with open(os.path.join(folder, f"{doc_id}.md"), "w", encoding="utf-8") as f:
        f.write(f"---\nid: {json.dumps(doc_id)}\ntitle: {json.dumps(title, ensure_ascii=False)}\n"
                f"category: {json.dumps(category)}\nlanguage: en\n---\n{body.strip()}\n")


def write_intent_kb(folder, rows, categories):
    """One short article per intent: its name and three labelled questions (as bench-intents.py)."""
    os.makedirs(folder, exist_ok=True)
    by_intent = collections.defaultdict(list)
    for text, intent in rows:
        by_intent[intent].append(text)
    for intent, texts in sorted(by_intent.items()):
        title = intent.replace("_", " ")
        questions = "\n".join(f"- {t}" for t in texts[:3])
        write_doc(folder, intent, title, categories.get(intent, "general"),
                  f"# {title}\n\nQuestions about {title}:\n\n{questions}")
    return len(by_intent)


def ticket(tid, text, category, intent, escalate=False):
    row = {"id": tid, "text": text, "language": "en"}
    if category is not None:
        row["category"] = category
    row["intent"] = intent
    if intent is not None:
        row["gold_docs"] = [intent]
    row["should_escalate"] = escalate
    return row


def cap(rows, limit, rng):
    """At most `limit` rows, a seeded random sample in the original order (so every intent can appear)."""
    if limit is None or len(rows) <= limit:
        return list(rows)
    keep = set(rng.sample(range(len(rows)), limit))
    return [r for i, r in enumerate(rows) if i in keep]


# ---------------------------------------------------------------- preparation


def prepare_clinc(datasets, folder, limit):
    rng = random.Random(SEED)
    base = os.path.join(datasets, "clinc150")
    with open(os.path.join(base, "data_full.json"), encoding="utf-8") as f:
        data = json.load(f)
    with open(os.path.join(base, "domains.json"), encoding="utf-8") as f:
        domains = json.load(f)
    category = {intent: domain for domain, intents in domains.items() for intent in intents}
    kb_docs = write_intent_kb(os.path.join(folder, "kb"), data["train"], category)

    train = cap(data["train"], limit, rng)
    val, test = cap(data["val"], limit, rng), cap(data["test"], limit, rng)
    # Under --limit the out-of-scope splits shrink in proportion to their in-scope partner, so
    # that the mixes stay as published (val 3.2%, test 18.2% out-of-scope).
    oos_val = cap(data["oos_val"], math.ceil(len(data["oos_val"]) * len(val) / len(data["val"])), rng)
    oos_test = cap(data["oos_test"], math.ceil(len(data["oos_test"]) * len(test) / len(data["test"])), rng)
    write_jsonl(os.path.join(folder, "examples.jsonl"),
                [{"text": t, "intent": i, "category": category.get(i)} for t, i in train])

    # Weight the out-of-scope validation rows to the test mix: oos copies / (val + copies) must
    # equal oos_test / (test + oos_test), i.e. copies = val * oos_test / test (about 6.7 x 100).
    test_share = len(oos_test) / (len(test) + len(oos_test))
    copies_total = round(len(val) * len(oos_test) / len(test))
    per_row, extra = divmod(copies_total, len(oos_val))
    lucky = set(rng.sample(range(len(oos_val)), extra))
    tune = [ticket(f"clinc-val-{n}", t, category.get(i), i) for n, (t, i) in enumerate(val)]
    for n, (t, _) in enumerate(oos_val):
        for k in range(1, per_row + (n in lucky) + 1):
            tune.append(ticket(f"clinc-oos-val-{n}#{k}", t, None, None, escalate=True))
    write_jsonl(os.path.join(folder, "tune.jsonl"), tune)

    evaluation = [ticket(f"clinc-test-{n}", t, category.get(i), i) for n, (t, i) in enumerate(test)]
    evaluation += [ticket(f"clinc-oos-test-{n}", t, None, None, escalate=True) for n, (t, _) in enumerate(oos_test)]
    write_jsonl(os.path.join(folder, "eval.jsonl"), evaluation)
    tune_oos = len(tune) - len(val)
    return {
        "kb_docs": kb_docs,
        "examples": len(train),
        "tune": len(tune),
        "tune_detail": f"val {len(val)} + oos_val {len(oos_val)} x {copies_total / len(oos_val):.2f} = {tune_oos} "
                       f"({100 * tune_oos / len(tune):.1f}% oos; test {100 * test_share:.1f}%, "
                       f"unweighted val {100 * len(oos_val) / (len(val) + len(oos_val)):.1f}%)",
        "eval": len(evaluation),
        "eval_detail": f"test {len(test)} + oos_test {len(oos_test)}",
    }


def prepare_banking(datasets, folder, limit):
    rng = random.Random(SEED + 1)

    def read(name):
        with open(os.path.join(datasets, "banking77", name), encoding="utf-8") as f:
            return [(r["text"], r["category"]) for r in csv.DictReader(f)]

    train, test = read("train.csv"), read("test.csv")
    by_intent = collections.defaultdict(list)
    for n, (_, intent) in enumerate(train):
        by_intent[intent].append(n)
    held = set()
    for intent in sorted(by_intent):  # stratified: 10% of each intent, at least one row
        rows = by_intent[intent]
        held.update(rng.sample(rows, max(1, round(0.1 * len(rows)))))
    examples_all = [r for n, r in enumerate(train) if n not in held]
    tune_all = [r for n, r in enumerate(train) if n in held]
    kb_docs = write_intent_kb(os.path.join(folder, "kb"), examples_all, {})
    cat = "banking"  # BANKING77 has intents only; one category for all
    examples = cap(examples_all, limit, rng)
    write_jsonl(os.path.join(folder, "examples.jsonl"),
                [{"text": t, "intent": i, "category": cat} for t, i in examples])
    tune_rows = cap(tune_all, limit, rng)
    write_jsonl(os.path.join(folder, "tune.jsonl"),
                [ticket(f"banking-train-{n}", t, cat, i) for n, (t, i) in enumerate(tune_rows)])
    test_rows = cap(test, limit, rng)
    write_jsonl(os.path.join(folder, "eval.jsonl"),
                [ticket(f"banking-test-{n}", t, cat, i) for n, (t, i) in enumerate(test_rows)])
    return {
        "kb_docs": kb_docs,
        "examples": len(examples),
        "tune": len(tune_rows),
        "tune_detail": f"stratified 10% of train ({len(tune_all)} of {len(train)}), not used as examples",
        "eval": len(test_rows),
        "eval_detail": "test",
    }


def prepare_bitext(datasets, folder, limit):
    rng = random.Random(SEED + 2)
    path = os.path.join(datasets, "bitext_support", "Bitext_Sample_Customer_Support_Training_Dataset.csv")
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    shortest = {}
    for r in rows:  # the shortest agent response of each intent (first one on a tie)
        best = shortest.get(r["intent"])
        if best is None or len(r["response"]) < len(best["response"]):
            shortest[r["intent"]] = r
    kb = os.path.join(folder, "kb")
    os.makedirs(kb, exist_ok=True)
    for intent, r in sorted(shortest.items()):
        write_doc(kb, intent, humanise(intent), r["category"].lower(), r["response"])
    tickets = [ticket(f"bitext-{n}", r["instruction"], r["category"].lower(), r["intent"])
               for n, r in enumerate(rows)]
    order = list(range(len(tickets)))
    rng.shuffle(order)
    half = set(order[: len(order) // 2])
    tune = cap([t for n, t in enumerate(tickets) if n in half], limit, rng)
    evaluation = cap([t for n, t in enumerate(tickets) if n not in half], limit, rng)
    write_jsonl(os.path.join(folder, "tune.jsonl"), tune)
    write_jsonl(os.path.join(folder, "eval.jsonl"), evaluation)
    return {
        "kb_docs": len(shortest),
        "examples": 0,
        "tune": len(tune),
        "tune_detail": f"random half of {len(rows)} instructions",
        "eval": len(evaluation),
        "eval_detail": "the other half",
    }


PREPARE = {"clinc": prepare_clinc, "banking": prepare_banking, "bitext": prepare_bitext}


# ---------------------------------------------------------------- running kbctl


class Kbctl:
    def __init__(self, path, folds=None):
        self.path = path
        self.folds = folds

    def run(self, args, cwd, ok=(0,)):
        cmd = [self.path] + args
        log("  $ " + " ".join(cmd))
        started = time.time()
        # cwd = the scratch folder, so that no ./kbctl.yaml of the caller is picked up.
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd)
        elapsed = time.time() - started
        if proc.returncode not in ok:
            sys.exit(f"error: `{' '.join(cmd)}` failed with exit code {proc.returncode} after {elapsed:.1f} s\n"
                     f"--- stderr ---\n{proc.stderr.strip()[-6000:]}\n--- stdout ---\n{proc.stdout.strip()[-2000:]}")
        return proc, elapsed

    def check(self):
        if not (os.path.isfile(self.path) and os.access(self.path, os.X_OK)):
            sys.exit(f"error: no kbctl binary at {self.path} (build it, or pass --kbctl PATH)")
        for sub in ("eval", "tune"):
            proc = subprocess.run([self.path, sub, "--help"], capture_output=True, text=True)
            if proc.returncode != 0:
                sys.exit(f"error: {self.path} has no working `{sub}` subcommand (exit {proc.returncode}):\n"
                         f"{proc.stderr.strip()}")


def read_thresholds(config):
    found = {}
    try:
        text = open(config, encoding="utf-8").read()
    except OSError:
        return found
    for key in ("auto_threshold", "draft_threshold"):
        m = re.search(rf"^\s*{key}\s*:\s*([-+0-9.eE]+)", text, re.M)
        if m:
            found[key] = float(m.group(1))
    return found


def run_dataset(kbctl, name, folder, counts):
    folder = os.path.abspath(folder)
    index = os.path.join(folder, "index")
    config = os.path.join(folder, "kbctl.yaml")
    # A fresh config, so no thresholds of an earlier run are reused; written up front because
    # some kbctl builds refuse a --config file that does not exist yet.
    with open(config, "w", encoding="utf-8") as f:
        f.write("# Scratch configuration of scripts/bench-datasets.py: `kbctl tune` writes the policy here.\n")
    ingest = ["-q", "--index", index, "ingest", "--rebuild", os.path.join(folder, "kb")]
    if counts["examples"]:
        ingest += ["--examples", os.path.join(folder, "examples.jsonl")]
    log(f"[{name}] ingest: {counts['kb_docs']} documents, {counts['examples']} examples")
    _, ingest_s = kbctl.run(ingest, folder)
    log(f"[{name}] ingest done in {ingest_s:.1f} s")

    tune = ["--index", index, "--config", config, "tune", os.path.join(folder, "tune.jsonl"),
            "--target-precision", str(TARGET_PRECISION)]
    if kbctl.folds:
        tune += ["--folds", str(kbctl.folds)]
    log(f"[{name}] tune on {counts['tune']} tickets ({counts['tune_detail']})")
    proc, tune_s = kbctl.run(tune, folder)
    thresholds = read_thresholds(config)
    if "auto_threshold" not in thresholds:
        sys.exit(f"error: `kbctl tune` exited 0 but {config} has no policy.auto_threshold\n"
                 f"--- stdout ---\n{proc.stdout.strip()[-2000:]}\n--- stderr ---\n{proc.stderr.strip()[-2000:]}")
    log(f"[{name}] tune done in {tune_s:.1f} s: {thresholds}")

    results = os.path.join(folder, "results.json")
    if os.path.exists(results):
        os.remove(results)
    evaluate = ["--index", index, "--config", config, "eval", os.path.join(folder, "eval.jsonl"),
                "--format", "json", "-o", results]
    log(f"[{name}] eval on {counts['eval']} tickets ({counts['eval_detail']})")
    proc, eval_s = kbctl.run(evaluate, folder, ok=(0, 1))  # 1 = a gate failed; the results are still written
    try:
        if os.path.exists(results):
            with open(results, encoding="utf-8") as f:
                out = json.load(f)
        else:
            out = json.loads(proc.stdout)
        metrics = out["metrics"]
    except (OSError, ValueError, KeyError, TypeError) as err:
        sys.exit(f"error: cannot read the results of `kbctl eval` ({err})\n--- stderr ---\n{proc.stderr.strip()[-4000:]}")
    if proc.returncode == 1:
        log(f"[{name}] warning: kbctl eval exited 1 (a gate failed or rows were skipped):\n{proc.stderr.strip()[-2000:]}")
    replayed = metrics.get("tickets") or 0
    if replayed != counts["eval"]:
        log(f"[{name}] warning: kbctl replayed {replayed} tickets of {counts['eval']}")
    log(f"[{name}] eval done in {eval_s:.1f} s ({replayed / eval_s:.0f} tickets/s)")

    # The same eval at the built-in defaults (nothing tuned on this dataset), then with the tune
    # split learned as history (`ingest --history`): what a team gets before and after tuning.
    # The query vectors are cached by now, so these replays cost no model call.
    blank = os.path.join(folder, "defaults.yaml")
    with open(blank, "w", encoding="utf-8") as f:
        f.write("# The built-in defaults.\n")
    extra = {"defaults": eval_metrics(kbctl, name, index, blank, folder)}
    history_index = os.path.join(folder, "index-history")
    history_ingest = ["-q", "--index", history_index, "ingest", "--rebuild", os.path.join(folder, "kb"),
                      "--history", os.path.join(folder, "tune.jsonl")]
    if counts["examples"]:
        history_ingest += ["--examples", os.path.join(folder, "examples.jsonl")]
    kbctl.run(history_ingest, folder)
    extra["defaults + history"] = eval_metrics(kbctl, name, history_index, blank, folder)
    return {
        "extra": extra,
        "metrics": metrics,
        "thresholds": thresholds,
        "ingest_s": ingest_s,
        "tune_s": tune_s,
        "eval_s": eval_s,
        "tickets_per_s": replayed / eval_s if eval_s > 0 else float("nan"),
        "results": results,
    }


def eval_metrics(kbctl, name, index, config, folder):
    results = os.path.join(folder, "results-extra.json")
    if os.path.exists(results):
        os.remove(results)
    proc, _ = kbctl.run(["--index", index, "--config", config, "eval", os.path.join(folder, "eval.jsonl"),
                         "--format", "json", "-o", results], folder, ok=(0, 1))
    with open(results, encoding="utf-8") as f:
        return json.load(f)["metrics"]


# ---------------------------------------------------------------- output


def pct(x):
    return "" if x is None else f"{100 * x:.1f}"


def ref(x):
    return "" if x is None else (f"{x:.1f}" if round(x, 1) == x else f"{x:.2f}")


def print_counts(prepared, work):
    print("| dataset | KB documents | examples | tune tickets | eval tickets | tune set | eval set |")
    print("|---|---:|---:|---:|---:|---|---|")
    for key, c in prepared:
        print(f"| {NAMES[key]} | {c['kb_docs']} | {c['examples']} | {c['tune']} | {c['eval']} "
              f"| {c['tune_detail']} | {c['eval_detail']} |")
    print(f"\nscratch: {work}")


def print_table(prepared, runs, work, limit):
    print("| dataset | system | tune / eval tickets | auto threshold | containment % | accuracy of auto % "
          "| oos escalated % | intent accuracy % | recall@1 % | ingest s | tune s | eval s | eval tickets/s |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for key, c in prepared:
        r = runs[key]
        m = r["metrics"]
        oos = pct(m.get("escalation_recall")) if key == "clinc" else ""
        thr = r["thresholds"].get("auto_threshold")
        print(f"| {NAMES[key]} | **kbctl** | {c['tune']} / {c['eval']} | {'' if thr is None else f'{thr:.3f}'} "
              f"| {pct(m.get('containment'))} | {pct(m.get('accuracy'))} | {oos} | {pct(m.get('intent_accuracy'))} "
              f"| {pct(m.get('recall_at_1'))} | {r['ingest_s']:.1f} | {r['tune_s']:.1f} | {r['eval_s']:.1f} "
              f"| {r['tickets_per_s']:.0f} |")
        for label, em in r.get("extra", {}).items():
            oos = pct(em.get("escalation_recall")) if key == "clinc" else ""
            print(f"| {NAMES[key]} | kbctl, {label} | – / {c['eval']} | | {pct(em.get('containment'))} "
                  f"| {pct(em.get('accuracy'))} | {oos} | {pct(em.get('intent_accuracy'))} "
                  f"| {pct(em.get('recall_at_1'))} | | | | |")
        for label, *values in REFERENCE[key]:
            cells = " | ".join(ref(v) for v in values)
            print(f"| {NAMES[key]} | {label} | | | {cells} | | | | |")
    print()
    print(f"Thresholds tuned for {100 * TARGET_PRECISION:.0f}% precision of automatic answers. "
          "containment = automatic answers / all eval tickets; accuracy of auto = right automatic answers / "
          "automatic answers (an answered out-of-scope ticket is wrong); oos escalated = kbctl's "
          "escalation_recall, the share of CLINC out-of-scope tickets handed to a person (draft or escalation); "
          "intent accuracy over the tickets with a gold intent (in-scope only; kbctl does not reject here, "
          "so compare with the floor's 'no rejection' column); recall@1 = a gold document ranked first. "
          "BANKING77 examples are 90% of train (10% held out for tune). Bitext floors are over all 4,514 rows, "
          "kbctl is evaluated on the held-out half, with no examples.")
    if limit:
        print(f"\n**Smoke run: every split capped at {limit} rows (CLINC out-of-scope splits in proportion); "
              "not comparable with the references.**")
    print(f"\nscratch: {work}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    release = os.path.join(REPO, "target", "release", "kbctl")
    debug = os.path.join(REPO, "target", "debug", "kbctl")
    ap.add_argument("--kbctl", default=release if os.path.exists(release) else debug,
                    help="kbctl binary (default: target/release/kbctl, else target/debug/kbctl)")
    ap.add_argument("--datasets", default=os.path.normpath(os.path.join(REPO, "..", "shared", "datasets")),
                    help="the public datasets (default: ../shared/datasets from the repository root)")
    ap.add_argument("--work", default=None, help="scratch folder (default: a temporary one)")
    ap.add_argument("--only", default=",".join(DATASETS), help="comma-separated subset of clinc,banking,bitext")
    ap.add_argument("--limit", type=int, default=None, help="cap every split at N rows, CLINC out-of-scope splits in proportion (a quick smoke run)")
    ap.add_argument("--folds", type=int, default=None, help="passed to `kbctl tune --folds`")
    ap.add_argument("--prepare-only", action="store_true", help="write the converted files, print their row counts, run nothing")
    args = ap.parse_args()

    only = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = [s for s in only if s not in DATASETS]
    if unknown or not only:
        sys.exit(f"error: --only takes a comma-separated subset of {','.join(DATASETS)} (got {args.only!r})")
    if args.limit is not None and args.limit < 1:
        sys.exit("error: --limit must be at least 1")
    if not os.path.isdir(args.datasets):
        sys.exit(f"error: no datasets folder at {args.datasets} (pass --datasets DIR)")
    kbctl = Kbctl(os.path.abspath(args.kbctl), args.folds)
    if not args.prepare_only:
        kbctl.check()  # before minutes of conversion
    work = os.path.abspath(args.work or tempfile.mkdtemp(prefix="kbctl-bench-datasets-"))
    os.makedirs(work, exist_ok=True)

    prepared = []
    for key in DATASETS:
        if key not in only:
            continue
        folder = os.path.join(work, key)
        os.makedirs(folder, exist_ok=True)
        log(f"[{key}] converting into {folder}")
        prepared.append((key, PREPARE[key](args.datasets, folder, args.limit)))
    if args.prepare_only:
        print_counts(prepared, work)
        return

    runs = {}
    for key, counts in prepared:
        runs[key] = run_dataset(kbctl, key, os.path.join(work, key), counts)
    print_table(prepared, runs, work, args.limit)


if __name__ == "__main__":
    main()
