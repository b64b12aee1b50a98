//! `kbctl eval` and `kbctl tune`: metrics that agree with the per-ticket rows, gates and exit codes, baselines, JUnit, bad rows, helpdesk exports, tuning.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::util::{ERROR, FAILED, SKIPPED, fixture_index, fixtures, kbctl, stderr};

mod exports;

fn replay() -> PathBuf {
    fixtures().join("eval/replay.jsonl")
}

fn config() -> PathBuf {
    fixtures().join("eval/kbctl.yaml")
}

/// `kbctl --index idx --config fixtures/eval/kbctl.yaml eval REPLAY ARGS` in a fresh folder
/// beside the shared index; returns (results file, exit code, stderr, the folder).
fn eval(args: &[&str]) -> (Value, i32, String, tempfile::TempDir) {
    eval_file(&replay(), args)
}

/// [`eval`] of another replay file.
fn eval_file(file: &Path, args: &[&str]) -> (Value, i32, String, tempfile::TempDir) {
    let out = tempfile::tempdir().unwrap();
    let results = out.path().join("results.json");
    let output = kbctl(fixture_index())
        .args(["--index", "idx", "--config"])
        .arg(config())
        .arg("eval")
        .arg(file)
        .arg("-o")
        .arg(&results)
        .args(args)
        .output()
        .unwrap();
    let code = output.status.code().unwrap_or(-1);
    let value = std::fs::read_to_string(&results)
        .map(|t| serde_json::from_str(&t).unwrap())
        .unwrap_or(Value::Null);
    (value, code, stderr(&output), out)
}

fn close(a: &Value, b: f64) -> bool {
    a.as_f64().is_some_and(|a| (a - b).abs() < 1e-9)
}

#[test]
fn metrics_agree_with_the_per_ticket_rows_and_the_money_with_the_costs() {
    let out = tempfile::tempdir().unwrap();
    let audit = out.path().join("tickets.csv");
    let (r, code, err, _dir) = eval(&["--tickets-out", audit.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(r["schema"], "kbctl-eval-results");
    assert_eq!(r["version"], 1);
    let m = &r["metrics"];
    assert_eq!(m["tickets"], 24);

    // Recount from the audit rows, by hand.
    let mut reader = csv::Reader::from_path(&audit).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 24);
    let (decision, correct, escalate) = (col("decision"), col("correct"), col("should_escalate"));
    let auto: Vec<&csv::StringRecord> = rows.iter().filter(|r| &r[decision] == "auto").collect();
    let right = auto.iter().filter(|r| &r[correct] == "true").count();
    let wrong = auto.iter().filter(|r| &r[correct] == "false").count();
    let needed = rows.iter().filter(|r| &r[escalate] == "true").count();
    let handed_needed = rows
        .iter()
        .filter(|r| &r[escalate] == "true" && &r[decision] != "auto")
        .count();
    assert!(
        !auto.is_empty() && needed > 0,
        "the fixture exercises both sides"
    );
    assert!(close(&m["containment"], auto.len() as f64 / 24.0), "{m}");
    assert!(
        close(&m["accuracy"], right as f64 / (right + wrong) as f64),
        "{m}"
    );
    assert!(close(&m["wrong_rate"], wrong as f64 / 24.0), "{m}");
    assert!(
        close(
            &m["escalation_recall"],
            handed_needed as f64 / needed as f64
        ),
        "{m}"
    );
    let containment = m["containment"].as_f64().unwrap();
    let wrong_rate = m["wrong_rate"].as_f64().unwrap();
    // Savings = tickets x (containment x 180 - wrong x 900) - 100,000 running cost.
    let net = 12_000.0 * (containment * 180.0 - wrong_rate * 900.0) - 100_000.0;
    assert!(
        (m["monthly_savings_net"].as_f64().unwrap() - net).abs() < 1e-6,
        "{m}"
    );
    let payback = (1_600_000.0 / net).ceil();
    assert!(close(&m["payback_months_net"], payback), "{m}");
    // Every segment adds up to the whole.
    for field in ["category", "language", "channel", "agent"] {
        let total: u64 = r["segments"][field]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["tickets"].as_u64().unwrap())
            .sum();
        assert_eq!(total, 24, "{field}");
    }
    let [lo, hi] = [
        &r["intervals"]["containment"][0],
        &r["intervals"]["containment"][1],
    ];
    assert!(lo.as_f64().unwrap() <= containment && containment <= hi.as_f64().unwrap());
    assert_eq!(r["curve"].as_array().unwrap().len(), 101);
    assert!(m["frt_median_after_s"].as_f64() < m["frt_median_before_s"].as_f64());
}

#[test]
fn audit_rows_say_what_each_decision_was_and_the_errors_file_lists_the_misjudged() {
    let out = tempfile::tempdir().unwrap();
    let audit = out.path().join("tickets.jsonl");
    let errors = out.path().join("errors.jsonl");
    let (r, code, err, _dir) = eval(&[
        "--tickets-out",
        audit.to_str().unwrap(),
        "--errors",
        errors.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let rows: Vec<Value> = std::fs::read_to_string(&audit)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 24);
    let mut verdicts = std::collections::BTreeMap::<String, usize>::new();
    for row in &rows {
        // Lists stay lists; the creation time is a time (the fixture's first row is 07:22:14Z).
        assert!(
            row["gold_docs"].is_array() && row["reasons"].is_array(),
            "{row}"
        );
        assert!(!row["created_at"].is_null(), "{row}");
        let auto = row["decision"] == "auto";
        let verdict = row["verdict"].as_str().unwrap_or("none").to_string();
        let expected = match (
            auto,
            row["should_escalate"].as_bool(),
            row["correct"].as_bool(),
        ) {
            (true, Some(true), _) => "missed_escalation",
            (true, _, Some(true)) => "right_auto_answer",
            (true, _, Some(false)) => "wrong_auto_answer",
            (false, Some(true), _) | (false, _, Some(false)) => "rightly_escalated",
            (false, _, Some(true)) => "needlessly_escalated",
            (_, _, None) => "none",
        };
        assert_eq!(verdict, expected, "{row}");
        *verdicts.entry(verdict).or_default() += 1;
    }
    assert!(
        verdicts.len() >= 2,
        "the fixture has more than one verdict: {verdicts:?}"
    );
    let first = rows.iter().find(|r| r["id"] == "H-0001").unwrap();
    assert!(
        first["created_at"].to_string().contains("2026-09-01")
            || first["created_at"].as_i64() == Some(1_788_247_334_000),
        "{first}"
    );

    // The errors file: exactly the misjudged decisions, then the wrong intents.
    let listed: Vec<Value> = std::fs::read_to_string(&errors)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let misjudged = rows
        .iter()
        .filter(|r| {
            matches!(
                r["verdict"].as_str(),
                Some("wrong_auto_answer" | "missed_escalation" | "needlessly_escalated")
            ) || (!r["gold_intent"].is_null() && r["gold_intent"] != r["intent"])
        })
        .count();
    assert_eq!(listed.len(), misjudged);
    for e in &listed {
        assert!(e["error"].is_string() && e["id"].is_string(), "{e}");
    }

    // Per-intent scores add up: supports are the labelled tickets, and the micro precision is
    // the intent accuracy.
    let intents = r["classes"]["intent"].as_array().unwrap();
    let support: u64 = intents.iter().map(|c| c["support"].as_u64().unwrap()).sum();
    let labelled = rows.iter().filter(|r| !r["gold_intent"].is_null()).count() as u64;
    assert_eq!(support, labelled);
    let hits: f64 = intents
        .iter()
        .filter_map(|c| Some(c["recall"].as_f64()? * c["support"].as_f64()?))
        .sum();
    assert!(
        close(&r["metrics"]["intent_accuracy"], hits / labelled as f64),
        "{r}"
    );
    assert!(!r["classes"]["category"].as_array().unwrap().is_empty());

    // Proportions carry their counts and a Wilson interval that is never zero-width.
    let p = &r["proportions"]["containment"];
    let auto = rows.iter().filter(|r| r["decision"] == "auto").count() as u64;
    assert_eq!(
        (p["successes"].as_u64(), p["trials"].as_u64()),
        (Some(auto), Some(24))
    );
    for (name, p) in r["proportions"].as_object().unwrap() {
        let (lo, hi) = (p["low"].as_f64().unwrap(), p["high"].as_f64().unwrap());
        assert!(lo < hi, "{name}: {p}");
        assert_eq!(r["intervals"][name][0], p["low"], "{name}");
    }
}

#[test]
fn gates_decide_the_exit_code_and_the_junit_file() {
    let out = tempfile::tempdir().unwrap();
    let junit = out.path().join("eval.xml");
    let (r, code, err, _dir) = eval(&[
        "--fail-under",
        "containment=0.99,recall_at_5=0.5",
        "--junit",
        junit.to_str().unwrap(),
    ]);
    assert_eq!(code, FAILED, "{err}");
    assert!(err.contains("1 gate(s) failed"), "{err}");
    let gates = r["gates"].as_array().unwrap();
    // Two from the config file (accuracy, wrong_rate), two from the flag.
    assert_eq!(gates.len(), 4, "{gates:?}");
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(xml.starts_with("<?xml"));
    assert!(xml.contains("tests=\"4\" failures=\"1\""), "{xml}");
    assert_eq!(xml.matches("<testcase ").count(), 4);
    assert_eq!(xml.matches("<failure ").count(), 1);
    assert_eq!(
        xml.matches("<testsuite ").count(),
        xml.matches("</testsuite>").count()
    );

    let (_, code, err, _dir) = eval(&["--fail-under", "containment=0.01"]);
    assert_eq!(code, 0, "{err}");
    let (_, code, err, _dir) = eval(&["--fail-under", "containmnet=0.5"]);
    assert_eq!(
        code, ERROR,
        "a typo in a gate is a usage error, not a failed gate"
    );
    assert!(err.contains("unknown metric `containmnet`"), "{err}");
    // An audit file kbctl cannot write is refused before the replay, and not created.
    let (_, code, err, dir) = eval(&["--tickets-out", "audit.txt"]);
    assert_eq!(code, ERROR);
    assert!(
        err.contains("audit.txt: --tickets-out must end in .csv, .parquet or .jsonl"),
        "{err}"
    );
    assert!(
        !dir.path().join("results.json").exists(),
        "nothing was replayed"
    );
}

#[test]
fn a_baseline_fails_the_run_when_a_metric_regresses_beyond_its_tolerance() {
    let (r, code, err, dir) = eval(&[]);
    assert_eq!(code, 0, "{err}");
    let same = dir.path().join("same.json");
    std::fs::write(&same, r.to_string()).unwrap();
    let (cmp, code, err, _d) = eval(&["--baseline", same.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(
        cmp["baseline"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["regressed"] == false)
    );

    // A baseline that answered 10 points more: containment regressed beyond the 0.02 tolerance.
    let mut better = r.clone();
    let c = better["metrics"]["containment"].as_f64().unwrap();
    better["metrics"]["containment"] = (c + 0.1).into();
    let path = dir.path().join("better.json");
    std::fs::write(&path, better.to_string()).unwrap();
    let (cmp, code, err, _d) = eval(&["--baseline", path.to_str().unwrap()]);
    assert_eq!(code, FAILED, "{err}");
    let regressed: Vec<&str> = cmp["baseline"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["regressed"] == true)
        .map(|c| c["metric"].as_str().unwrap())
        .collect();
    assert_eq!(regressed, ["containment"]);
    // Within a wider tolerance it passes.
    let (_, code, err, _d) = eval(&["--baseline", path.to_str().unwrap(), "--tolerance", "0.2"]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_bad_row_is_reported_by_line_and_the_rest_replayed() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(replay()).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines.insert(3, "{\"id\": \"broken\", \"text\": ");
    let path = dir.path().join("replay.jsonl");
    std::fs::write(&path, lines.join("\n")).unwrap();
    let output = kbctl(fixture_index())
        .args(["--index", "idx", "eval", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(SKIPPED), "{err}");
    assert!(err.contains("replay.jsonl:4: invalid JSON"), "{err}");
    let r: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(r["replay"]["tickets"], 24);
    assert_eq!(r["replay"]["skipped"], 1);
}

#[test]
fn a_helpdesk_csv_export_is_read_by_its_own_column_names() {
    let output = kbctl(fixture_index())
        .args(["--index", "idx", "eval", "--format", "json"])
        .arg(fixtures().join("eval/helpdesk-export.csv"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let r: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(r["metrics"]["tickets"], 8);
    assert!(
        r["metrics"]["recall_at_5"].as_f64().is_some(),
        "Articles read as gold documents"
    );
    assert!(
        r["frt"]["before"]["median_s"].as_f64().is_some(),
        "times read"
    );
    let agents = r["segments"]["agent"].as_array().unwrap();
    assert!(!agents.is_empty(), "Assignee read as the agent");
}

fn tune(config: &Path, extra: &[&str]) -> (std::process::Output, i32) {
    let output = kbctl(fixture_index())
        .args(["--index", "idx", "--config"])
        .arg(config)
        .arg("tune")
        .arg(replay())
        .args(extra)
        .output()
        .unwrap();
    let code = output.status.code().unwrap_or(-1);
    (output, code)
}

#[test]
fn tune_prints_the_curve_and_an_out_of_fold_estimate() {
    let (output, code) = tune(
        &config(),
        &["--target-precision", "0.9", "--dry-run", "--format", "json"],
    );
    assert_eq!(code, 0, "{}", stderr(&output));
    let r: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(r["curve"].as_array().unwrap().len(), 101);
    let t = r["choice"]["auto_threshold"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&t));
    assert!(r["choice"]["draft_threshold"].as_f64().unwrap() <= t);
    // The chosen point meets the target on the data it was chosen on.
    assert!(
        r["in_sample"]["accuracy"].as_f64().unwrap_or(1.0) >= 0.9,
        "{r}"
    );
    assert_eq!(r["folds"], 5);
    assert!(r["estimate"]["answered"].as_u64().is_some());
    assert!(r["ece_before"].as_f64().is_some() && r["ece_after"].as_f64().is_some());
    assert!(stderr(&output).contains("estimated on held-out folds"));
}

#[test]
fn tune_writes_the_thresholds_into_the_config_and_keeps_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kbctl.yaml");
    std::fs::copy(config(), &path).unwrap();
    let (output, code) = tune(&path, &["--max-wrong-rate", "0.02", "--format", "json"]);
    assert_eq!(code, 0, "{}", stderr(&output));
    let r: Value = serde_json::from_slice(&output.stdout).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let before = std::fs::read_to_string(config()).unwrap();
    // Comments and the other blocks are untouched.
    for line in before.lines().filter(|l| !l.contains("_threshold")) {
        assert!(text.contains(line), "lost `{line}`:\n{text}");
    }
    let chosen = format!(
        "auto_threshold: {:.2}",
        r["choice"]["auto_threshold"].as_f64().unwrap()
    );
    assert!(text.contains(&chosen), "{chosen} not in\n{text}");
    assert!(text.contains("calibration:\n    intercept: "), "{text}");
    // Every weight of the fitted calibration is written, not only some of them.
    let fitted = r["calibration"].as_object().expect("a fitted calibration");
    assert!(fitted.len() >= 7, "{fitted:?}");
    for (key, value) in fitted {
        let line = format!("{key}: {:.3}", value.as_f64().unwrap());
        assert!(text.contains(&line), "`{line}` not in\n{text}");
    }
    // The file still loads: eval runs with it.
    let output = kbctl(fixture_index())
        .args(["--index", "idx", "--config"])
        .arg(&path)
        .args(["eval", "--format", "json"])
        .arg(replay())
        .output()
        .unwrap();
    assert!(
        output.status.code() == Some(0) || output.status.code() == Some(FAILED),
        "{}",
        stderr(&output)
    );
}

/// Total size of the files under `dir`.
fn dir_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| match e.metadata() {
                    Ok(m) if m.is_dir() => dir_bytes(&e.path()),
                    Ok(m) => m.len(),
                    Err(_) => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}

#[test]
fn a_second_replay_is_served_from_the_vector_cache() {
    let cache = tempfile::tempdir().unwrap();
    let cache_arg = cache.path().to_str().unwrap();
    let (first, code, err, _a) = eval(&["--vector-cache", cache_arg]);
    assert_eq!(code, 0, "{err}");
    let filled = dir_bytes(cache.path());
    assert!(filled > 0, "the first replay cached nothing");
    let (second, code, err, _b) = eval(&["--vector-cache", cache_arg]);
    assert_eq!(code, 0, "{err}");
    // Every query vector was found: nothing was appended, and the figures are the same.
    assert_eq!(dir_bytes(cache.path()), filled);
    assert_eq!(first["metrics"], second["metrics"]);
    // And without the cache the figures are the same too.
    let (uncached, code, err, _c) = eval(&["--no-vector-cache"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(first["metrics"], uncached["metrics"]);
}

/// The fixture replay with each row's JSON changed by `edit` (row index, row), plus `extra`
/// lines; run through `kbctl eval ARGS` with a results file. Returns (results, exit code,
/// stderr, stdout).
fn eval_edited(
    edit: impl Fn(usize, &mut serde_json::Map<String, Value>),
    extra: &[String],
    args: &[&str],
) -> (Value, i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(replay()).unwrap();
    let mut lines: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, line)| {
            let mut row: serde_json::Map<String, Value> = serde_json::from_str(line).unwrap();
            edit(i, &mut row);
            serde_json::to_string(&row).unwrap()
        })
        .collect();
    lines.extend(extra.iter().cloned());
    let path = dir.path().join("replay.jsonl");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let results = dir.path().join("results.json");
    let output = kbctl(fixture_index())
        .args(["--index", "idx", "--config"])
        .arg(config())
        .arg("eval")
        .arg(&path)
        .arg("-o")
        .arg(&results)
        .args(args)
        .output()
        .unwrap();
    let value = std::fs::read_to_string(&results)
        .map(|t| serde_json::from_str(&t).unwrap())
        .unwrap_or(Value::Null);
    (
        value,
        output.status.code().unwrap_or(-1),
        stderr(&output),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

const TIMES: [&str; 3] = ["created_at", "first_response_at", "resolved_at"];

fn rfc3339(row: &serde_json::Map<String, Value>, field: &str) -> chrono::DateTime<chrono::Utc> {
    row[field].as_str().unwrap().parse().unwrap()
}

/// The located issues of a results file.
fn issues_of(r: &Value) -> Vec<String> {
    r["replay"]["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn epoch_milliseconds_give_the_same_first_response_time_as_rfc3339() {
    let (base, code, err, _) = eval_edited(|_, _| {}, &[], &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(base["replay"]["timezone"], "UTC");
    let (r, code, err, _) = eval_edited(
        |_, row| {
            for field in TIMES {
                let ms = rfc3339(row, field).timestamp_millis();
                row.insert(field.into(), Value::from(ms));
            }
        },
        // Microseconds fit neither unit: refused, not read as seconds.
        &[r#"{"id":"US-1","text":"Where is my order?","created_at":1788247334000000}"#.into()],
        &[],
    );
    assert_eq!(code, SKIPPED, "{err}");
    assert_eq!(
        r["replay"]["epoch_units"]["milliseconds"], 72,
        "{}",
        r["replay"]
    );
    assert_eq!(r["replay"]["issue_counts"]["epoch_unit"], 1);
    assert_eq!(r["replay"]["skipped"], 1);
    let issues = issues_of(&r);
    assert!(
        issues.len() == 1 && issues[0].contains("replay.jsonl:25: created_at: a number that is neither epoch seconds nor epoch milliseconds"),
        "{issues:?}"
    );
    assert!(!issues[0].contains("1788247334000000"), "no value quoted");
    assert_eq!(r["frt"]["before"], base["frt"]["before"]);
    let hours = r["frt"]["before"]["median_s"].as_f64().unwrap() / 3600.0;
    assert!(hours > 0.0 && hours < 48.0, "median FRT {hours} h");
}

#[test]
fn an_impossible_date_is_refused_with_its_line() {
    let (r, code, err, _) = eval_edited(
        |i, row| {
            if i == 2 {
                row.insert("created_at".into(), "2026-02-30T07:22:14Z".into());
            }
            if i == 4 {
                row.insert("first_response_at".into(), "2026-09-08 25:00".into());
            }
        },
        &[],
        &[],
    );
    assert_eq!(code, SKIPPED, "{err}");
    assert_eq!(r["replay"]["tickets"], 22);
    assert_eq!(r["replay"]["skipped"], 2);
    assert_eq!(r["replay"]["issue_counts"]["impossible_time"], 2);
    let issues = issues_of(&r);
    assert!(
        issues[0].contains("replay.jsonl:3: created_at: an impossible date"),
        "{issues:?}"
    );
    assert!(
        issues[1].contains("replay.jsonl:5: first_response_at: an impossible date"),
        "{issues:?}"
    );
    assert!(err.contains("replay.jsonl:3: created_at"), "{err}");
}

#[test]
fn a_duplicate_id_is_skipped_and_the_first_kept() {
    let first = std::fs::read_to_string(replay())
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_string();
    let (r, code, err, stdout) = eval_edited(|_, _| {}, &[first], &["--format", "csv"]);
    assert_eq!(code, SKIPPED, "{err}");
    assert_eq!(r["replay"]["tickets"], 24);
    assert_eq!(r["replay"]["skipped"], 1);
    assert_eq!(r["replay"]["issue_counts"]["duplicate_id"], 1);
    let issues = issues_of(&r);
    assert!(
        issues.len() == 1
            && issues[0].contains("replay.jsonl:25: duplicate id: the ticket at ")
            && issues[0].contains("replay.jsonl:1 has the same id"),
        "{issues:?}"
    );
    // The eval table counts each kind.
    assert!(stdout.contains("replay.issues.duplicate_id,1,"), "{stdout}");
    assert!(stdout.contains("replay.skipped,1,"), "{stdout}");
}

#[test]
fn a_first_response_before_creation_is_reported_and_the_ticket_kept() {
    let (base, _, _, _) = eval_edited(|_, _| {}, &[], &[]);
    let (r, code, err, _) = eval_edited(
        |i, row| {
            if i == 0 {
                let created = rfc3339(row, "created_at");
                let before = created - chrono::Duration::minutes(30);
                row.insert("first_response_at".into(), before.to_rfc3339().into());
            }
        },
        &[],
        &[],
    );
    assert_eq!(code, 0, "nothing skipped: {err}");
    assert_eq!(r["replay"]["tickets"], 24);
    assert_eq!(r["replay"]["skipped"], 0);
    assert_eq!(r["replay"]["issue_counts"]["negative_frt"], 1);
    let issues = issues_of(&r);
    assert!(
        issues.len() == 1
            && issues[0].contains("replay.jsonl:1: first_response_at is 30 min before created_at"),
        "{issues:?}"
    );
    let n = base["frt"]["before"]["tickets"].as_u64().unwrap();
    assert_eq!(
        r["frt"]["before"]["tickets"],
        n - 1,
        "left out of FRT, and said so"
    );
    assert!(
        err.contains("kept with a first-response time left out"),
        "{err}"
    );
}

#[test]
fn naive_times_are_read_in_the_timezone_given_and_it_is_stated() {
    let (base, _, _, _) = eval_edited(|_, _| {}, &[], &[]);
    let warsaw: chrono_tz::Tz = "Europe/Warsaw".parse().unwrap();
    let naive = |row: &mut serde_json::Map<String, Value>| {
        for field in TIMES {
            let local = rfc3339(row, field).with_timezone(&warsaw);
            row.insert(
                field.into(),
                local.format("%d.%m.%Y %H:%M:%S").to_string().into(),
            );
        }
    };
    let (r, code, err, stdout) =
        eval_edited(|_, row| naive(row), &[], &["--timezone", "Europe/Warsaw"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(r["replay"]["timezone"], "Europe/Warsaw");
    assert_eq!(r["frt"]["before"], base["frt"]["before"]);
    assert!(
        stdout.contains("replay.timezone") && stdout.contains("Europe/Warsaw"),
        "{stdout}"
    );
    // The same file read as UTC shifts every time by the same offset: FRT equal, times not.
    let (utc, code, _, _) = eval_edited(|_, row| naive(row), &[], &["--timezone", "+03:00"]);
    assert_eq!(code, 0);
    assert_eq!(utc["replay"]["timezone"], "+03:00");
    let (_, code, err, _) = eval_edited(|_, _| {}, &[], &["--timezone", "Mars/Olympus"]);
    assert_eq!(code, ERROR);
    assert!(
        err.contains("--timezone Mars/Olympus: not a time zone"),
        "{err}"
    );
}
