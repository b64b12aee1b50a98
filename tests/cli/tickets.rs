//! The decision engine on the three-language fixture tickets, against their gold labels.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::Value;

use crate::util::{SKIPPED, fixtures, ingest, kbctl, stderr};

/// The fixture KB, ingested once, and the decisions on `fixtures/tickets/tickets.jsonl` under
/// the pilot policy the gold labels assume (`fixtures/tickets/kbctl.yaml`).
fn decisions() -> &'static (tempfile::TempDir, Vec<(Value, Value)>) {
    static RUN: OnceLock<(tempfile::TempDir, Vec<(Value, Value)>)> = OnceLock::new();
    RUN.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let kb = fixtures().join("kb");
        let (_, code, err) = ingest(dir.path(), "idx", &[kb.to_str().unwrap()], &[]);
        assert_eq!(code, 0, "{err}");
        let tickets = fixtures().join("tickets/tickets.jsonl");
        let output = kbctl(dir.path())
            .args(["--index", "idx", "--config"])
            .arg(fixtures().join("tickets/kbctl.yaml"))
            .arg("answer")
            .arg(&tickets)
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        let gold: HashMap<String, Value> = std::fs::read_to_string(&tickets)
            .unwrap()
            .lines()
            .map(|l| {
                let v: Value = serde_json::from_str(l).unwrap();
                (v["id"].as_str().unwrap().to_string(), v)
            })
            .collect();
        let pairs = String::from_utf8_lossy(&output.stdout)
            .lines()
            .map(|l| {
                let out: Value = serde_json::from_str(l).unwrap();
                let g = gold[out["id"].as_str().unwrap()]["expected"].clone();
                (g, out)
            })
            .collect();
        (dir, pairs)
    })
}

fn codes(out: &Value) -> Vec<&str> {
    out["escalation_reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect()
}

#[test]
fn nothing_that_must_escalate_is_answered_automatically() {
    let (_, pairs) = decisions();
    assert_eq!(pairs.len(), 120);
    for (gold, out) in pairs {
        if gold["decision"] == "escalate" {
            assert_ne!(
                out["decision"], "auto",
                "{} was sent automatically: {out}",
                out["id"]
            );
        }
    }
}

#[test]
fn triggers_and_human_requests_are_found_in_every_language() {
    let (_, pairs) = decisions();
    let mut found: HashMap<(String, String), (usize, usize)> = HashMap::new();
    for (gold, out) in pairs {
        let lang = gold["language"].as_str().unwrap_or("?").to_string();
        for kind in gold["trigger_kinds"].as_array().into_iter().flatten() {
            let hit = out["escalation_reasons"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["code"] == "trigger_term" && r["kind"] == *kind);
            let e = found.entry((lang.clone(), "trigger".into())).or_default();
            e.0 += usize::from(hit);
            e.1 += 1;
        }
        if gold["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r == "human_request")
        {
            let e = found.entry((lang.clone(), "human".into())).or_default();
            e.0 += usize::from(codes(out).contains(&"human_request"));
            e.1 += 1;
        }
    }
    for ((lang, what), (hit, total)) in &found {
        assert!(
            *hit as f64 >= 0.75 * *total as f64,
            "{what} in {lang}: {hit}/{total}"
        );
    }
    let (hit, total) = found.values().fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    assert!(hit as f64 >= 0.85 * total as f64, "overall {hit}/{total}");
}

#[test]
fn every_labelled_pii_kind_is_found_and_redacted() {
    let (_, pairs) = decisions();
    for (gold, out) in pairs {
        let found: Vec<&str> = out["pii"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["kind"].as_str().unwrap())
            .collect();
        for kind in gold["pii"].as_array().into_iter().flatten() {
            assert!(
                found.contains(&kind.as_str().unwrap()),
                "{}: {kind} not found in {found:?}",
                out["id"]
            );
        }
        if !found.is_empty() && out["handover"].is_object() {
            assert!(
                serde_json::to_string(&out["handover"])
                    .unwrap()
                    .contains('['),
                "{}",
                out["id"]
            );
        }
    }
}

#[test]
fn labelled_entities_are_extracted() {
    let (_, pairs) = decisions();
    let (mut hit, mut total) = (0, 0);
    for (gold, out) in pairs {
        let found: Vec<&str> = out["entities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["kind"].as_str().unwrap())
            .collect();
        for kind in gold["entities"].as_array().into_iter().flatten() {
            total += 1;
            hit += usize::from(found.contains(&kind.as_str().unwrap()));
        }
    }
    assert!(hit as f64 >= 0.9 * total as f64, "{hit}/{total}");
}

/// A regression guard on the default policy's overall agreement with the gold decisions
/// (0.70 when this was written) and on its automatic answers (15, of which 3 disagree with gold).
#[test]
fn decisions_agree_with_the_gold_labels() {
    let (_, pairs) = decisions();
    let agree = pairs
        .iter()
        .filter(|(g, o)| g["decision"] == o["decision"])
        .count();
    assert!(
        agree as f64 >= 0.65 * pairs.len() as f64,
        "{agree}/{}",
        pairs.len()
    );
    let autos: Vec<_> = pairs
        .iter()
        .filter(|(_, o)| o["decision"] == "auto")
        .collect();
    let wrong = autos
        .iter()
        .filter(|(g, o)| {
            g["decision"] != "auto"
                || (g["doc"].is_string() && o["sources"][0]["doc_id"] != g["doc"])
        })
        .count();
    assert!(autos.len() >= 10, "only {} automatic answers", autos.len());
    assert!(
        wrong * 4 <= autos.len(),
        "{wrong} of {} automatic answers disagree with gold",
        autos.len()
    );
}

#[test]
fn malformed_lines_are_reported_where_they_are() {
    let (dir, _) = decisions();
    let output = kbctl(dir.path())
        .args(["--index", "idx", "answer", "--input-format", "jsonl"])
        .arg(fixtures().join("tickets/malformed.jsonl"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(SKIPPED));
    let lines: Vec<Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 12);
    let bad: Vec<u64> = lines.iter().filter_map(|l| l["line"].as_u64()).collect();
    assert_eq!(bad, [3, 7, 10]);
    assert!(
        lines[6]["error"].as_str().unwrap().contains("array"),
        "{}",
        lines[6]
    );
}

#[test]
fn csv_and_text_exports_give_one_decision_per_ticket() {
    let (dir, _) = decisions();
    for (file, n) in [("tickets/tickets.csv", 15), ("tickets/tickets.txt", 10)] {
        let output = kbctl(dir.path())
            .args(["--index", "idx", "classify"])
            .arg(fixtures().join(file))
            .output()
            .unwrap();
        assert!(output.status.success(), "{file}: {}", stderr(&output));
        let lines: Vec<Value> = String::from_utf8_lossy(&output.stdout)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), n, "{file}");
        assert!(lines.iter().all(|l| l["decision"].is_string()), "{file}");
    }
}
