//! The ticket record size cap (`input.max_record_bytes`): a huge line in `answer`, `classify` or an eval replay is one located issue, never an abort.

use serde_json::Value;

use crate::util::{SKIPPED, kbctl, small_index, stderr};

/// A JSONL ticket line of about `bytes` bytes.
fn huge_ticket(id: &str, bytes: usize) -> String {
    format!(
        "{{\"id\": \"{id}\", \"text\": \"where is my order {}\"}}",
        "x".repeat(bytes)
    )
}

/// `kbctl <cmd>` on the small index with `stdin`, and a config file holding `config`.
fn run(cmd: &str, stdin: &[u8], config: &str) -> (Vec<Value>, i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kbctl.yaml");
    std::fs::write(&path, config).unwrap();
    let output = kbctl(small_index())
        .args(["--index", "idx", "--config"])
        .arg(&path)
        .arg(cmd)
        .write_stdin(stdin.to_vec())
        .output()
        .unwrap();
    let lines = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    (lines, output.status.code().unwrap_or(-1), stderr(&output))
}

#[test]
fn a_ticket_over_the_record_cap_is_one_located_issue_in_answer_and_classify() {
    let big = huge_ticket("BIG", 5_000);
    let input = format!(
        "{{\"id\": \"A\", \"text\": \"reset my password\"}}\n{big}\n{{\"id\": \"C\", \"text\": \"where is my order\"}}\n"
    );
    for cmd in ["answer", "classify"] {
        let (lines, code, err) = run(cmd, input.as_bytes(), "input:\n  max_record_bytes: 1000\n");
        assert_eq!(code, SKIPPED, "{cmd}: {err}");
        assert_eq!(lines.len(), 3, "{cmd}: one line per record: {lines:?}");
        assert_eq!(lines[0]["id"], "A");
        assert_eq!(lines[1]["line"], 2, "{}", lines[1]);
        let message = lines[1]["error"].as_str().unwrap();
        assert!(
            message.contains(&format!("{} bytes", big.len()))
                && message.contains("1000-byte")
                && message.contains("input.max_record_bytes"),
            "{cmd}: {message}"
        );
        assert!(
            !message.contains("xxxx"),
            "{cmd}: the record is not quoted: {message}"
        );
        assert_eq!(lines[2]["id"], "C");
        assert!(
            err.contains("-:2:") && err.contains("input.max_record_bytes"),
            "{err}"
        );
        // Raised, the same record is answered.
        let (lines, code, err) = run(
            cmd,
            input.as_bytes(),
            "input:\n  max_record_bytes: 100000\n",
        );
        assert_eq!(code, 0, "{cmd}: {err}");
        assert_eq!(lines[1]["id"], "BIG", "{cmd}");
    }
}

/// A line much larger than the default cap (16 MB) streams through; the tickets around it are
/// answered in order.
#[test]
fn a_line_over_the_default_cap_is_reported_not_read() {
    let big = huge_ticket("BIG", 40_000_000);
    let input = format!(
        "{{\"id\": \"A\", \"text\": \"reset my password\"}}\n{big}\n{{\"id\": \"C\", \"text\": \"where is my order\"}}\n"
    );
    let (lines, code, err) = run("answer", input.as_bytes(), "{}\n");
    assert_eq!(code, SKIPPED, "{err}");
    assert_eq!(lines.len(), 3, "{err}");
    assert_eq!(lines[0]["id"], "A");
    let message = lines[1]["error"].as_str().unwrap();
    assert!(
        message.contains("16000000-byte") && message.contains("input.max_record_bytes"),
        "{message}"
    );
    assert_eq!(lines[2]["id"], "C");
}

#[test]
fn an_eval_replay_line_over_the_record_cap_is_a_located_replay_issue() {
    let dir = tempfile::tempdir().unwrap();
    let replay = format!(
        "{{\"id\": \"R1\", \"text\": \"where is my order\", \"gold_docs\": [\"order-tracking\"]}}\n{}\n{{\"id\": \"R3\", \"text\": \"reset my password\"}}\n",
        huge_ticket("R2", 5_000)
    );
    let path = dir.path().join("replay.jsonl");
    std::fs::write(&path, replay).unwrap();
    let config = dir.path().join("kbctl.yaml");
    std::fs::write(&config, "input:\n  max_record_bytes: 1000\n").unwrap();
    let output = kbctl(small_index())
        .args(["--index", "idx", "--config"])
        .arg(&config)
        .args(["eval", "--no-vector-cache", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(SKIPPED), "{err}");
    assert!(
        err.contains("replay.jsonl:2: record of") && err.contains("input.max_record_bytes"),
        "{err}"
    );
    let r: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(r["replay"]["tickets"], 2, "{}", r["replay"]);
    assert_eq!(r["replay"]["skipped"], 1, "{}", r["replay"]);
}
