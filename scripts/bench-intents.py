#!/usr/bin/env python3
"""Intent accuracy and out-of-scope escalation on the public datasets, through the real kbctl.

For each dataset this script writes, into a scratch folder (never into the repository):
  * examples.jsonl: the training split as labelled history (text, intent, category);
  * kb/: one short article per intent (its name and three training questions), so that
    retrieval has something to find;
  * tickets.jsonl: the test split (plus CLINC150's out-of-scope test queries),
then runs `kbctl ingest --examples` and `kbctl classify`, and prints one table next to the
published numbers (../shared/datasets/README.md) and the plain-Python floor
(../shared/notes/baselines.md).

Protocol (as the datasets' README asks):
  * CLINC150: train on `train`; report in-scope accuracy on `test` and the share of
    `oos_test` queries escalated, at kbctl's default thresholds (nothing tuned here).
  * BANKING77: test accuracy with the full training set and with the first 10 rows per intent.

Usage: scripts/bench-intents.py [--kbctl target/release/kbctl] [--datasets ../shared/datasets]
"""
import argparse
import collections
import csv
import json
import os
import subprocess
import sys
import tempfile
import time


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def write_kb(folder, train_rows, categories):
    os.makedirs(folder, exist_ok=True)
    by_intent = collections.defaultdict(list)
    for text, intent in train_rows:
        by_intent[intent].append(text)
    for intent, texts in by_intent.items():
        title = intent.replace("_", " ")
        body = "\n".join(f"- {t}" for t in texts[:3])
        with open(os.path.join(folder, f"{intent}.md"), "w", encoding="utf-8") as f:
            f.write(f"---\nid: {intent}\ntitle: \"{title}\"\ncategory: {categories.get(intent, 'general')}\nlanguage: en\n---\n"
                    f"# {title}\n\nQuestions about {title}:\n\n{body}\n")


def run(cmd, **kw):
    started = time.time()
    proc = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr}")
    return proc, time.time() - started


def evaluate(kbctl, work, name, train_rows, test_rows, oos_rows, categories):
    folder = os.path.join(work, name)
    os.makedirs(folder, exist_ok=True)
    examples = os.path.join(folder, "examples.jsonl")
    write_jsonl(examples, [{"text": t, "intent": i, "category": categories.get(i)} for t, i in train_rows])
    write_kb(os.path.join(folder, "kb"), train_rows, categories)
    tickets = os.path.join(folder, "tickets.jsonl")
    rows = [{"id": f"in-{n}", "text": t, "gold": i} for n, (t, i) in enumerate(test_rows)]
    rows += [{"id": f"oos-{n}", "text": t, "gold": None} for n, t in enumerate(oos_rows)]
    write_jsonl(tickets, [{"id": r["id"], "text": r["text"]} for r in rows])
    index = os.path.join(folder, "index")
    _, ingest_s = run([kbctl, "-q", "--index", index, "ingest", "--rebuild", "--examples", examples, os.path.join(folder, "kb")])
    proc, classify_s = run([kbctl, "--index", index, "classify", "--format", "jsonl", tickets])
    out = {}
    for line in proc.stdout.splitlines():
        v = json.loads(line)
        out[v.get("id")] = v
    gold = {r["id"]: r["gold"] for r in rows}
    ins = [i for i in gold if gold[i] is not None]
    oos = [i for i in gold if gold[i] is None]
    acc = sum(out[i]["intent"] == gold[i] for i in ins) / len(ins)
    auto = [i for i in ins if out[i]["decision"] == "auto"]
    auto_acc = sum(out[i]["intent"] == gold[i] for i in auto) / len(auto) if auto else float("nan")
    oos_recall = sum(out[i]["decision"] == "escalate" for i in oos) / len(oos) if oos else float("nan")
    oos_auto = sum(out[i]["decision"] == "auto" for i in oos) / len(oos) if oos else float("nan")
    return {
        "set": name,
        "train": len(train_rows),
        "test": len(ins),
        "accuracy": acc,
        "containment": len(auto) / len(ins),
        "auto_accuracy": auto_acc,
        "oos_escalated": oos_recall,
        "oos_auto": oos_auto,
        "ingest_s": ingest_s,
        "tickets_per_s": len(rows) / classify_s,
    }


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kbctl", default=os.path.join(here, "..", "target", "release", "kbctl"))
    ap.add_argument("--datasets", default=os.path.join(here, "..", "..", "shared", "datasets"))
    ap.add_argument("--work", default=None, help="scratch folder (default: a temporary one)")
    args = ap.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="kbctl-bench-")
    results = []

    clinc = json.load(open(os.path.join(args.datasets, "clinc150", "data_full.json"), encoding="utf-8"))
    domains = json.load(open(os.path.join(args.datasets, "clinc150", "domains.json"), encoding="utf-8"))
    clinc_cat = {intent: domain for domain, intents in domains.items() for intent in intents}
    results.append(evaluate(args.kbctl, work, "clinc150", clinc["train"], clinc["test"],
                            [t for t, _ in clinc["oos_test"]], clinc_cat))

    def read_banking(name):
        with open(os.path.join(args.datasets, "banking77", name), encoding="utf-8") as f:
            return [(r["text"], r["category"]) for r in csv.DictReader(f)]
    b_train, b_test = read_banking("train.csv"), read_banking("test.csv")
    results.append(evaluate(args.kbctl, work, "banking77-full", b_train, b_test, [], {}))
    seen = collections.Counter()
    ten = []
    for text, intent in b_train:
        if seen[intent] < 10:
            ten.append((text, intent))
            seen[intent] += 1
    results.append(evaluate(args.kbctl, work, "banking77-10shot", ten, b_test, [], {}))

    published = {
        "clinc150": "BERT 96.2 / oos 52.3 (threshold); USE+LR floor 94.6 / 60.7",
        "banking77-full": "BERT 93.66; USE+ConveRT 93.36; USE+LR floor 91.6",
        "banking77-10shot": "USE+ConveRT 85.19; USE+LR floor 78.9",
    }
    print("| set | train | test | intent accuracy % | containment % | accuracy of auto % | oos escalated % | oos auto % | tickets/s | published / floor |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in results:
        pct = lambda x: "-" if x != x else f"{100 * x:.1f}"
        print(f"| {r['set']} | {r['train']} | {r['test']} | {pct(r['accuracy'])} | {pct(r['containment'])} | {pct(r['auto_accuracy'])} "
              f"| {pct(r['oos_escalated'])} | {pct(r['oos_auto'])} | {r['tickets_per_s']:.0f} | {published[r['set']]} |")
    print(f"\nscratch: {work}")


if __name__ == "__main__":
    main()
