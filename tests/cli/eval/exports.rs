//! Replays as they come: conversations judged on their first customer message, vendor exports (Zendesk, Freshdesk, Intercom, Help Scout, Usedesk) sniffed and read, CSV delimiters and encodings.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{config, eval_file};
use crate::util::{fixture_index, kbctl, stderr};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
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

fn export(name: &str) -> PathBuf {
    repo().join("fixtures/exports").join(name)
}

/// `kbctl eval` on an export, then `kbctl report --format md` on its results: both succeed,
/// every ticket is read and has a first-response time, and the report says so.
fn replay_export(path: &Path, args: &[&str], tickets: u64, how: &str) -> Value {
    let (r, code, err, dir) = eval_file(path, args);
    assert_eq!(code, 0, "{err}");
    // How it was read, in the results file and on stderr.
    let file = path.display().to_string();
    assert_eq!(r["replay"]["read_as"][&file], how, "{}", r["replay"]);
    assert!(err.contains(&format!("{file}: read as {how}")), "{err}");
    assert!(!err.contains("bad replay row"), "{err}");
    assert_eq!(r["replay"]["tickets"], tickets, "{}", r["replay"]);
    assert_eq!(r["replay"]["skipped"], 0);
    assert_eq!(r["frt"]["before"]["tickets"], tickets, "every ticket timed");
    assert!(r["metrics"]["frt_median_before_s"].as_f64().is_some());
    let report = dir.path().join("report.md");
    let output = kbctl(dir.path())
        .arg("report")
        .arg(dir.path().join("results.json"))
        .args(["--format", "md", "-o"])
        .arg(&report)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let md = std::fs::read_to_string(&report).unwrap();
    assert!(
        md.contains(&format!("{tickets} historical tickets replayed")),
        "{md}"
    );
    let median = r["frt"]["before"]["median_s"].as_f64().unwrap();
    assert!(
        md.contains(&format!(
            "| Median first response, before | {} |",
            duration_md(median)
        )),
        "{md}"
    );
    r
}

/// How the report writes a duration of under a few hours: whole minutes.
fn duration_md(s: f64) -> String {
    format!("{:.0} min", s / 60.0)
}

/// The values of one segment field.
fn segment(r: &Value, field: &str) -> Vec<String> {
    let mut values: Vec<String> = r["segments"][field]
        .as_array()
        .unwrap_or(&Vec::new())
        .iter()
        .map(|s| s["value"].as_str().unwrap_or_default().to_string())
        .collect();
    values.sort();
    values
}

// The expected medians below are computed from each fixture's own fields: Zendesk's "First reply
// time in minutes", Freshdesk's "Initial response time", Usedesk's "Время первого ответа", and
// for the JSON exports the first public agent reply's time minus the ticket's.

#[test]
fn a_zendesk_csv_export() {
    let r = replay_export(
        &export("zendesk.csv"),
        &[],
        11,
        "Zendesk CSV (delimiter `,`, encoding UTF-8)",
    );
    assert_eq!(r["frt"]["before"]["median_s"], 3120.0);
    assert_eq!(r["replay"]["labelled"], 10, "kb- tags are gold documents");
    assert!(
        r["metrics"]["recall_at_5"].as_f64().unwrap() >= 0.8,
        "{}",
        r["metrics"]
    );
    assert_eq!(segment(&r, "channel"), ["API", "Mail", "Web form"]);
    // The Group is the category, not the Type (question/incident).
    assert!(
        segment(&r, "category").contains(&"billing".to_string()),
        "{}",
        r["segments"]
    );
    assert!(!segment(&r, "category").contains(&"Question".to_string()));
    // --source generic reads the same file by the generic names: Type is the category then.
    let (g, code, err, _d) = eval_file(&export("zendesk.csv"), &["--source", "generic"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        segment(&g, "category").contains(&"Question".to_string()),
        "{}",
        g["segments"]
    );
}

#[test]
fn a_zendesk_json_export_with_comments() {
    let r = replay_export(&export("zendesk.json"), &[], 9, "Zendesk JSON");
    assert_eq!(r["frt"]["before"]["median_s"], 3695.0);
    assert_eq!(r["replay"]["labelled"], 9);
    assert_eq!(
        segment(&r, "agent"),
        [
            "anna.k", "dmitry.s", "emma.l", "james.r", "olga.m", "piotr.w"
        ]
    );
    assert!(
        segment(&r, "category").contains(&"refunds".to_string()),
        "groups name the category"
    );
}

#[test]
fn a_freshdesk_csv_export() {
    let r = replay_export(
        &export("freshdesk.csv"),
        &[],
        10,
        "Freshdesk CSV (delimiter `,`, encoding UTF-8)",
    );
    assert_eq!(r["frt"]["before"]["median_s"], 3259.0);
    assert_eq!(r["replay"]["labelled"], 10);
    assert_eq!(segment(&r, "channel"), ["Chat", "Email", "Phone", "Portal"]);
    assert!(segment(&r, "agent").contains(&"piotr.w".to_string()));
}

#[test]
fn an_intercom_conversations_export() {
    let r = replay_export(&export("intercom.json"), &[], 9, "Intercom JSON");
    assert_eq!(r["frt"]["before"]["median_s"], 3695.0);
    assert_eq!(r["replay"]["labelled"], 9);
    assert_eq!(segment(&r, "channel"), ["chat", "email"]);
    assert!(segment(&r, "language").contains(&"pl".to_string()));
    assert!(
        r["replay"]["epoch_units"]["seconds"].as_u64().unwrap() > 0,
        "Intercom times are epoch seconds"
    );
}

#[test]
fn a_helpscout_conversations_export() {
    let r = replay_export(&export("helpscout.json"), &[], 9, "Help Scout JSON");
    assert_eq!(r["frt"]["before"]["median_s"], 3695.0);
    assert_eq!(r["replay"]["labelled"], 9);
    assert!(
        segment(&r, "agent").contains(&"Piotr W.".to_string()),
        "{}",
        r["segments"]
    );
    assert!(
        segment(&r, "category").contains(&"refunds".to_string()),
        "the Category field"
    );
    // Named as another vendor's, the file is refused with the reason.
    let (_, code, err, _d) = eval_file(&export("helpscout.json"), &["--source", "intercom"]);
    assert_eq!(code, crate::util::ERROR);
    assert!(
        err.contains("Intercom JSON: no `conversations` list"),
        "{err}"
    );
}

#[test]
fn a_usedesk_csv_export_with_semicolons_and_a_bom() {
    let r = replay_export(
        &export("usedesk.csv"),
        &["--timezone", "Europe/Moscow"],
        10,
        "Usedesk CSV (delimiter `;`, encoding UTF-8 with BOM)",
    );
    assert_eq!(r["frt"]["before"]["median_s"], 3259.0);
    assert_eq!(r["replay"]["labelled"], 10);
    assert!(segment(&r, "channel").contains(&"Чат на сайте".to_string()));
    assert!(segment(&r, "category").contains(&"Биллинг".to_string()));
}

#[test]
fn the_usedesk_export_saved_as_cp1251_or_utf16_reads_the_same() {
    let text = std::fs::read_to_string(export("usedesk.csv")).unwrap();
    // cp1251 has no Polish letters: keep the rows it can hold (Excel would write `?`).
    let kept: Vec<&str> = text
        .trim_start_matches('\u{feff}')
        .lines()
        .filter(|l| !encoding_rs::WINDOWS_1251.encode(l).2)
        .collect();
    let rows = kept.len() as u64 - 1;
    assert!(rows >= 8, "{rows}");
    let text = kept.join("\r\n") + "\r\n";
    let dir = tempfile::tempdir().unwrap();
    let utf8 = dir.path().join("usedesk-utf8.csv");
    std::fs::write(&utf8, &text).unwrap();
    // Excel "CSV (разделители - точка с запятой)" in a Russian locale: cp1251, no BOM.
    let cp1251 = dir.path().join("usedesk-cp1251.csv");
    std::fs::write(&cp1251, encoding_rs::WINDOWS_1251.encode(&text).0).unwrap();
    // Excel "Unicode text": UTF-16 LE with a BOM, tab-separated (no field holds a `;` or a tab).
    let utf16 = dir.path().join("usedesk-utf16.csv");
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(
        text.replace(';', "\t")
            .encode_utf16()
            .flat_map(u16::to_le_bytes),
    );
    std::fs::write(&utf16, bytes).unwrap();
    let base = replay_export(
        &utf8,
        &[],
        rows,
        "Usedesk CSV (delimiter `;`, encoding UTF-8)",
    );
    for (path, how) in [
        (&cp1251, "Usedesk CSV (delimiter `;`, encoding cp1251)"),
        (
            &utf16,
            "Usedesk CSV (delimiter tab, encoding UTF-16LE with BOM)",
        ),
    ] {
        let r = replay_export(path, &[], rows, how);
        assert_eq!(
            r["frt"]["before"],
            base["frt"]["before"],
            "{}",
            path.display()
        );
        assert_eq!(r["metrics"]["containment"], base["metrics"]["containment"]);
        assert_eq!(r["replay"]["labelled"], base["replay"]["labelled"]);
        assert_eq!(segment(&r, "category"), segment(&base, "category"));
        assert_eq!(segment(&r, "channel"), segment(&base, "channel"));
    }
    // A delimiter given wrongly: the message names what was tried.
    let (_, code, err, _d) = eval_file(&cp1251, &["--delimiter", ","]);
    assert_eq!(code, crate::util::ERROR);
    assert!(
        err.contains("usedesk-cp1251.csv") && err.contains("delimiter `,`, encoding cp1251"),
        "{err}"
    );
    let (_, code, err, _d) = eval_file(&cp1251, &["--encoding", "utf-8"]);
    assert_eq!(code, crate::util::ERROR);
    assert!(err.contains("not valid UTF-8 at byte"), "{err}");
    // Named rightly, it reads.
    let (r, code, err, _d) = eval_file(
        &cp1251,
        &[
            "--delimiter",
            ";",
            "--encoding",
            "cp1251",
            "--source",
            "usedesk",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(r["replay"]["tickets"], rows);
}

#[test]
fn tune_reads_an_export_with_the_same_flags() {
    let output = kbctl(fixture_index())
        .args(["--index", "idx", "--config"])
        .arg(config())
        .arg("tune")
        .arg(export("freshdesk.csv"))
        .args([
            "--source",
            "freshdesk",
            "--delimiter",
            ",",
            "--encoding",
            "utf-8",
        ])
        .args([
            "--target-precision",
            "0.9",
            "--dry-run",
            "--folds",
            "2",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let r: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(r["curve"].as_array().unwrap().len(), 101);
    assert!(
        stderr(&output).contains("read as Freshdesk CSV (delimiter `,`, encoding UTF-8)"),
        "{}",
        stderr(&output)
    );
    // A delimiter that is not one is a usage error.
    let output = kbctl(fixture_index())
        .args(["--index", "idx", "tune"])
        .arg(export("freshdesk.csv"))
        .args(["--delimiter", "::", "--dry-run"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(crate::util::ERROR));
    assert!(
        stderr(&output).contains("is not a delimiter"),
        "{}",
        stderr(&output)
    );
}
