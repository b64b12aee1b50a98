//! `schemas/`: every machine output of the real binary on the fixtures validates against its JSON
//! Schema (draft 2020-12, checked with `boon`), and each schema rejects a broken copy of a real output.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::{Value, json};

use crate::util::{SKIPPED, SMALL_KB, fixture_index, fixtures, kbctl, stderr, write_files};

/// Every schema file, each named by its `$id` under [`BASE`].
const FILES: [&str; 9] = [
    "answer.schema.json",
    "classify.schema.json",
    "ticket-error.schema.json",
    "search-hit.schema.json",
    "eval-results.schema.json",
    "audit-row.schema.json",
    "eval-error.schema.json",
    "tune.schema.json",
    "ingest-summary.schema.json",
];
const BASE: &str = "https://kbctl.dev/schemas/";

fn schema_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas")
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: cannot read: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: not JSON: {e}", path.display()))
}

/// All schema files compiled once (each also against the draft 2020-12 meta-schema).
struct Validator {
    schemas: boon::Schemas,
    index: BTreeMap<&'static str, boon::SchemaIndex>,
}

fn validator() -> &'static Validator {
    static V: OnceLock<Validator> = OnceLock::new();
    V.get_or_init(|| {
        let mut compiler = boon::Compiler::new();
        for name in FILES {
            let schema = read_json(&schema_dir().join(name));
            compiler
                .add_resource(&format!("{BASE}{name}"), schema)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        }
        let mut schemas = boon::Schemas::new();
        let index = FILES
            .into_iter()
            .map(|name| {
                let i = compiler
                    .compile(&format!("{BASE}{name}"), &mut schemas)
                    .unwrap_or_else(|e| panic!("{name} does not compile: {e:#}"));
                (name, i)
            })
            .collect();
        Validator { schemas, index }
    })
}

fn check(schema: &str, value: &Value) -> Result<(), String> {
    let v = validator();
    let index = *v
        .index
        .get(schema)
        .unwrap_or_else(|| panic!("no schema {schema}"));
    v.schemas
        .validate(value, index)
        .map_err(|e| format!("{e:#}"))
}

fn assert_valid(schema: &str, value: &Value) {
    if let Err(e) = check(schema, value) {
        panic!(
            "{schema} rejects real output:\n{e}\n{}",
            serde_json::to_string_pretty(value).unwrap()
        );
    }
}

/// A broken copy of real output that `schema` must reject.
fn assert_invalid(schema: &str, value: &Value, what: &str) {
    assert!(
        check(schema, value).is_err(),
        "{schema} accepts output with {what}:\n{}",
        serde_json::to_string_pretty(value).unwrap()
    );
}

/// `value` with the member at `pointer` removed (its parent must be an object).
fn without(value: &Value, pointer: &str) -> Value {
    let mut copy = value.clone();
    let (parent, key) = pointer.rsplit_once('/').expect("a JSON pointer");
    copy.pointer_mut(parent)
        .and_then(Value::as_object_mut)
        .unwrap_or_else(|| panic!("no object at {parent}"))
        .remove(key)
        .unwrap_or_else(|| panic!("no {pointer} in {value}"));
    copy
}

/// `value` with the member at `pointer` set to `new`.
fn with(value: &Value, pointer: &str, new: Value) -> Value {
    let mut copy = value.clone();
    let (parent, key) = pointer.rsplit_once('/').expect("a JSON pointer");
    copy.pointer_mut(parent)
        .and_then(Value::as_object_mut)
        .unwrap_or_else(|| panic!("no object at {parent}"))
        .insert(key.to_string(), new);
    copy
}

/// `value` with the member at `pointer` renamed to `to`.
fn renamed(value: &Value, pointer: &str, to: &str) -> Value {
    let old = value.pointer(pointer).cloned().expect("member to rename");
    let (parent, _) = pointer.rsplit_once('/').expect("a JSON pointer");
    with(&without(value, pointer), &format!("{parent}/{to}"), old)
}

fn lines(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

#[test]
fn every_schema_file_is_compiled_and_documented() {
    let mut on_disk: Vec<String> = std::fs::read_dir(schema_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    on_disk.sort();
    let mut known: Vec<String> = FILES.iter().map(|f| f.to_string()).collect();
    known.sort();
    assert_eq!(on_disk, known, "every schema file is validated here");
    assert_eq!(validator().index.len(), known.len());

    // Every field says what it means: each member of every `properties` (conditions under
    // `if` and `not` only select or exclude shapes, they define no field).
    fn walk(name: &str, path: &str, v: &Value) {
        match v {
            Value::Object(map) => {
                if let Some(Value::Object(props)) = map.get("properties") {
                    for (key, sub) in props {
                        let documented = sub.get("description").and_then(Value::as_str);
                        assert!(
                            documented.is_some_and(|d| !d.trim().is_empty()),
                            "{name}: {path}/properties/{key} has no description"
                        );
                    }
                }
                for (key, sub) in map
                    .iter()
                    .filter(|(k, _)| !matches!(k.as_str(), "if" | "not"))
                {
                    walk(name, &format!("{path}/{key}"), sub);
                }
            }
            Value::Array(items) => {
                for (i, sub) in items.iter().enumerate() {
                    walk(name, &format!("{path}/{i}"), sub);
                }
            }
            _ => {}
        }
    }
    for name in &known {
        let schema = read_json(&schema_dir().join(name));
        assert_eq!(
            schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
            "{name}"
        );
        assert_eq!(schema["$id"], format!("{BASE}{name}"), "{name}");
        assert!(
            schema["title"].is_string() && schema["description"].is_string(),
            "{name}"
        );
        walk(name, "", &schema);
    }
}

/// The tickets fixtures with the malformed lines: every reason, decision and an error record.
fn ticket_inputs() -> Vec<PathBuf> {
    let t = fixtures().join("tickets");
    vec![t.join("tickets.jsonl"), t.join("malformed.jsonl")]
}

#[test]
fn answer_lines_and_error_records_match_the_schema() {
    let output = kbctl(fixture_index())
        .args(["--index", "idx", "--config"])
        .arg(fixtures().join("tickets/kbctl.yaml"))
        .args(["answer", "--format", "jsonl"])
        .args(ticket_inputs())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(SKIPPED), "{}", stderr(&output));
    let lines = lines(&output.stdout);
    assert!(lines.len() > 100, "{} lines", lines.len());
    for line in &lines {
        assert_valid("answer.schema.json", line);
    }
    // The run exercises every branch: errors, each decision, a reply, reasons with numbers.
    let errors: Vec<&Value> = lines.iter().filter(|l| l.get("error").is_some()).collect();
    assert!(errors.len() >= 2, "malformed.jsonl gives error records");
    for e in &errors {
        assert_valid("ticket-error.schema.json", e);
    }
    for d in ["auto", "draft", "escalate"] {
        assert!(lines.iter().any(|l| l["decision"] == d), "no {d} line");
    }
    let auto = lines
        .iter()
        .find(|l| l["decision"] == "auto" && l.get("answer").is_some())
        .expect("an automatic answer");
    let escalated = lines
        .iter()
        .find(|l| {
            l["decision"] == "escalate"
                && l["escalation_reasons"]
                    .as_array()
                    .is_some_and(|r| r.iter().any(|r| r.get("value").is_some()))
        })
        .expect("an escalation with a number");

    // Negative: a missing field, a renamed one, a wrong type, an unknown one, a bad enum value.
    let s = "answer.schema.json";
    assert_invalid(s, &without(auto, "/confidence"), "no confidence");
    assert_invalid(
        s,
        &renamed(auto, "/escalation_reasons", "reasons"),
        "a renamed field",
    );
    assert_invalid(
        s,
        &with(auto, "/confidence", json!("0.9")),
        "confidence as a string",
    );
    assert_invalid(
        s,
        &with(auto, "/confidence", json!(1.5)),
        "confidence above 1",
    );
    assert_invalid(
        s,
        &with(auto, "/decision", json!("maybe")),
        "an unknown decision",
    );
    assert_invalid(s, &with(auto, "/extra", json!(1)), "an unknown field");
    assert_invalid(
        s,
        &without(auto, "/signals/coverage"),
        "no signals.coverage",
    );
    assert_invalid(
        s,
        &with(auto, "/signals/agreement", json!(1)),
        "agreement as a number",
    );
    assert_invalid(
        s,
        &without(escalated, "/handover"),
        "an escalation without a handover",
    );
    assert_invalid(
        s,
        &with(auto, "/handover", escalated["handover"].clone()),
        "an automatic answer with a handover",
    );
    assert_invalid(
        s,
        &without(escalated, "/escalation_reasons/0/code"),
        "a reason without a code",
    );
    let mut no_value = escalated.clone();
    for r in no_value["escalation_reasons"].as_array_mut().unwrap() {
        if r.get("value").is_some() {
            r.as_object_mut().unwrap().remove("value");
        }
    }
    assert_invalid(s, &no_value, "a numeric reason without its value");
    let error = errors[0];
    assert_invalid(
        s,
        &without(error, "/line"),
        "an error record without its line",
    );
    assert_invalid(
        s,
        &with(error, "/line", json!("3")),
        "a line number as a string",
    );
    assert_invalid(
        "ticket-error.schema.json",
        &renamed(error, "/source", "path"),
        "a renamed field",
    );
}

#[test]
fn classify_lines_match_the_schema_in_json_format() {
    let output = kbctl(fixture_index())
        .args(["--index", "idx", "classify", "--format", "json"])
        .arg(fixtures().join("tickets/tickets.csv"))
        .arg(fixtures().join("tickets/malformed.jsonl"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(SKIPPED), "{}", stderr(&output));
    let array: Value = serde_json::from_slice(&output.stdout).unwrap();
    let items = array.as_array().expect("--format json is one array");
    assert!(items.len() > 20, "{} items", items.len());
    for item in items {
        assert_valid("classify.schema.json", item);
        // A classify line is an answer line too.
        assert_valid("answer.schema.json", item);
    }
    assert!(items.iter().any(|i| i.get("error").is_some()));
    let handed = items
        .iter()
        .find(|i| i.get("handover").is_some())
        .expect("a draft or an escalation");

    let s = "classify.schema.json";
    assert_invalid(
        s,
        &with(handed, "/answer", json!("Hello")),
        "a composed reply",
    );
    assert_invalid(
        s,
        &with(handed, "/handover/suggested_reply", json!("Hello")),
        "a suggested reply",
    );
    assert_invalid(s, &without(handed, "/sources"), "no sources");
    assert_invalid(s, &with(handed, "/intent", json!(7)), "intent as a number");
}

#[test]
fn search_rows_match_the_schema() {
    let queries =
        "where can i download my invoice\njak zmienić plan\nне приходит письмо для сброса пароля\n";
    let jsonl = kbctl(fixture_index())
        .args(["--index", "idx", "search", "--format", "jsonl", "--explain"])
        .write_stdin(queries)
        .output()
        .unwrap();
    assert!(jsonl.status.success(), "{}", stderr(&jsonl));
    let rows = lines(&jsonl.stdout);
    assert_eq!(rows.len(), 3, "one line per query");
    let json = kbctl(fixture_index())
        .args([
            "--index", "idx", "search", "--format", "json", "--mode", "bm25",
        ])
        .args(["--top", "3", "faktura VAT"])
        .output()
        .unwrap();
    assert!(json.status.success(), "{}", stderr(&json));
    let array: Value = serde_json::from_slice(&json.stdout).unwrap();
    let mut all = rows.clone();
    all.extend(array.as_array().expect("one array").iter().cloned());
    for row in &all {
        assert_valid("search-hit.schema.json", row);
    }
    let row = &rows[0];
    assert!(row["hits"][0]["explain"].is_object(), "{row}");
    assert!(
        array[0].pointer("/hits/0/explain").is_none(),
        "explain only when asked"
    );

    let s = "search-hit.schema.json";
    assert_invalid(s, &without(row, "/hits/0/rank"), "a hit without its rank");
    assert_invalid(
        s,
        &with(row, "/hits/0/score", json!("1.0")),
        "a score as a string",
    );
    assert_invalid(s, &renamed(row, "/hits/0/doc_id", "doc"), "a renamed field");
    assert_invalid(
        s,
        &without(row, "/hits/0/explain/fused"),
        "explain without the fused score",
    );
    assert_invalid(s, &with(row, "/query", Value::Null), "a null query");
}

/// One eval run on the fixture replay: the results file, the audit rows and the misjudged tickets.
struct EvalRun {
    results: Value,
    audit: Vec<Value>,
    errors: Vec<Value>,
}

fn eval_run() -> &'static EvalRun {
    static RUN: OnceLock<EvalRun> = OnceLock::new();
    RUN.get_or_init(|| {
        let out = tempfile::tempdir().unwrap();
        let results = out.path().join("results.json");
        let audit = out.path().join("tickets.jsonl");
        let errors = out.path().join("errors.jsonl");
        let output = kbctl(fixture_index())
            .args(["--index", "idx", "--config"])
            .arg(fixtures().join("eval/kbctl.yaml"))
            .arg("eval")
            .arg(fixtures().join("eval/replay.jsonl"))
            .arg("-o")
            .arg(&results)
            .arg("--tickets-out")
            .arg(&audit)
            .arg("--errors")
            .arg(&errors)
            .output()
            .unwrap();
        // Exit 1 would be a failed gate: the files are written either way.
        assert!(
            matches!(output.status.code(), Some(0 | 1)),
            "{}",
            stderr(&output)
        );
        EvalRun {
            results: read_json(&results),
            audit: lines(&std::fs::read(&audit).unwrap()),
            errors: lines(&std::fs::read(&errors).unwrap()),
        }
    })
}

#[test]
fn eval_results_match_the_schema() {
    let results = &eval_run().results;
    let s = "eval-results.schema.json";
    assert_valid(s, results);
    assert!(
        results["frt"].is_object() && results["roi"].is_object(),
        "times and costs read"
    );
    assert!(
        !results["gates"].as_array().unwrap().is_empty(),
        "gates checked"
    );
    // The committed results files `kbctl report` tests read are of the same shape.
    for name in ["results.json", "baseline.json"] {
        assert_valid(s, &read_json(&fixtures().join("eval").join(name)));
    }

    assert_invalid(s, &with(results, "/version", json!(2)), "another version");
    assert_invalid(
        s,
        &with(results, "/schema", json!("results")),
        "another schema name",
    );
    assert_invalid(s, &without(results, "/metrics/accuracy"), "no accuracy");
    assert_invalid(
        s,
        &with(results, "/metrics/accuracy", json!("1")),
        "accuracy as a string",
    );
    assert_invalid(
        s,
        &renamed(results, "/metrics/wrong_rate", "wrong"),
        "a renamed metric",
    );
    assert_invalid(
        s,
        &without(results, "/replay/timezone"),
        "no replay.timezone",
    );
    assert_invalid(
        s,
        &with(results, "/roi/payback_months_net", json!(4.5)),
        "fractional months",
    );
    assert_invalid(
        s,
        &with(results, "/gates/0/op", json!(">")),
        "an unknown gate operator",
    );
    assert_invalid(
        s,
        &without(results, "/curve/0/answered"),
        "a curve point without answered",
    );
}

#[test]
fn audit_rows_match_the_schema() {
    let rows = &eval_run().audit;
    assert_eq!(rows.len(), 24, "one row per replayed ticket");
    let s = "audit-row.schema.json";
    for row in rows {
        assert_valid(s, row);
    }
    let row = &rows[0];
    assert_invalid(s, &without(row, "/decision"), "no decision");
    assert_invalid(
        s,
        &with(row, "/confidence", json!("0.5")),
        "confidence as a string",
    );
    assert_invalid(s, &with(row, "/gold_rank", json!(1.5)), "a fractional rank");
    assert_invalid(s, &renamed(row, "/top_doc", "doc"), "a renamed field");
    assert_invalid(
        s,
        &with(row, "/reasons", json!("low_confidence")),
        "reasons joined",
    );
    assert_invalid(
        s,
        &with(row, "/verdict", json!("right")),
        "an unknown verdict",
    );
    assert_invalid(
        s,
        &with(row, "/created_at", json!("2026-09-01T07:22:14Z")),
        "created_at in another format",
    );
}

#[test]
fn misjudged_tickets_match_the_schema() {
    let rows = &eval_run().errors;
    assert!(!rows.is_empty(), "the fixture replay has misjudged tickets");
    let s = "eval-error.schema.json";
    for row in rows {
        assert_valid(s, row);
    }
    let row = &rows[0];
    assert_invalid(s, &without(row, "/error"), "no error");
    assert_invalid(
        s,
        &with(row, "/error", json!("wrong")),
        "an unknown error kind",
    );
    assert_invalid(
        s,
        &with(row, "/gold_docs", json!("a;b")),
        "gold_docs joined",
    );
    assert_invalid(s, &renamed(row, "/text", "ticket"), "a renamed field");
}

#[test]
fn tune_report_matches_the_schema() {
    let output = kbctl(fixture_index())
        .args(["--index", "idx", "--config"])
        .arg(fixtures().join("eval/kbctl.yaml"))
        .arg("tune")
        .arg(fixtures().join("eval/replay.jsonl"))
        .args(["--dry-run", "--format", "json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let s = "tune.schema.json";
    assert_valid(s, &report);

    assert_invalid(s, &without(&report, "/choice"), "no choice");
    assert_invalid(
        s,
        &with(&report, "/choice/auto_threshold", json!("0.7")),
        "a threshold as a string",
    );
    assert_invalid(
        s,
        &with(&report, "/target", json!({"precision": 0.9})),
        "a renamed target",
    );
    assert_invalid(
        s,
        &with(&report, "/form", json!("logistic")),
        "an unknown form",
    );
    assert_invalid(
        s,
        &without(&report, "/in_sample/wrong"),
        "a point without wrong",
    );
}

#[test]
fn ingest_summary_matches_the_schema() {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), SMALL_KB);
    // A broken FAQ row: the summary lists it among its issues.
    std::fs::copy(
        fixtures().join("bad/faq-bad-row.csv"),
        dir.path().join("kb/faq-bad-row.csv"),
    )
    .unwrap();
    let output = kbctl(dir.path())
        .args(["--index", "idx", "-q", "ingest", "--format", "json", "kb"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(SKIPPED), "{}", stderr(&output));
    let summary: Value = serde_json::from_slice(&output.stdout).unwrap();
    let s = "ingest-summary.schema.json";
    assert_valid(s, &summary);
    assert!(
        !summary["issues"].as_array().unwrap().is_empty(),
        "{summary}"
    );

    assert_invalid(s, &without(&summary, "/documents"), "no documents");
    assert_invalid(
        s,
        &with(&summary, "/seconds", json!("1.2")),
        "seconds as a string",
    );
    assert_invalid(
        s,
        &renamed(&summary, "/chunks", "sections"),
        "a renamed field",
    );
    assert_invalid(
        s,
        &without(&summary, "/issues/0/message"),
        "an issue without a message",
    );
}
