//! Replays as they come: conversations judged on their first customer message, vendor exports (Zendesk, Freshdesk, Intercom, Help Scout, Usedesk) sniffed and read, CSV delimiters and encodings.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::config;
use crate::util::{fixture_index, kbctl, stderr};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// `kbctl eval FILE ARGS -o results.json` with the fixture KB and config; (results, code, stderr, folder).
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
    let value = std::fs::read_to_string(&results)
        .map(|t| serde_json::from_str(&t).unwrap())
        .unwrap_or(Value::Null);
    (
        value,
        output.status.code().unwrap_or(-1),
        stderr(&output),
        out,
    )
}

#[test]
fn chat_conversations_are_replayed_at_their_first_message_and_leave_the_gaps() {
    // The twelve chats of the evaluation set: the agent asks for a reference, the customer
    // gives it ("Да, HW-2026-99491."). Judged on that last line they were the largest gap.
    let set = std::fs::read_to_string(repo().join("eval_sets/northwind-replay.jsonl")).unwrap();
    let chats: Vec<Value> = set
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|t| t.get("messages").is_some())
        .collect();
    assert_eq!(chats.len(), 12);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("chats.jsonl");
    let lines: Vec<String> = chats.iter().map(Value::to_string).collect();
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let audit = dir.path().join("audit.jsonl");
    let (r, code, err, _out) = eval_file(&path, &["--tickets-out", audit.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(r["replay"]["tickets"], 12);
    let ids: Vec<&str> = chats.iter().map(|c| c["id"].as_str().unwrap()).collect();
    for gap in r["gaps"].as_array().unwrap() {
        let chat_ids: Vec<&Value> = gap["ids"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|id| ids.contains(&id.as_str().unwrap()))
            .collect();
        assert!(chat_ids.is_empty(), "chats in a gap: {gap}");
    }
    // What was judged is each chat's first customer message, not the reference given later.
    let rows: Vec<Value> = std::fs::read_to_string(&audit)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 12);
    for (row, chat) in rows.iter().zip(&chats) {
        let first = chat["messages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["role"] == "customer")
            .unwrap()["text"]
            .as_str()
            .unwrap();
        let text = row["text"].as_str().unwrap();
        let start: String = first.chars().take(15).collect();
        assert!(text.starts_with(&start), "{text:?} is not {first:?}");
        assert!(!text.contains("HW-2026-"), "{text:?}");
    }
}
