//! `kbctl search`: cross-lingual retrieval, formats, explain, stdin streams, retrieval evaluation.

use crate::util::{ERROR, fixtures, ingest, json, kbctl, small_index, stderr};

fn top_doc(query: &str, mode: &str) -> String {
    let output = kbctl(small_index())
        .args([
            "--index", "idx", "search", "--format", "json", "--mode", mode, "-k", "1", query,
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    json(&output)[0]["hits"][0]["doc_id"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn cross_lingual_queries_find_the_right_article() {
    // Russian and Polish questions, English articles; an English question, a Russian article.
    assert_eq!(top_doc("Где мой заказ?", "hybrid"), "order-tracking");
    assert_eq!(top_doc("Jak zmienić hasło?", "hybrid"), "password-reset");
    assert_eq!(
        top_doc("how long does a refund take", "hybrid"),
        "refund-ru"
    );
    assert_eq!(top_doc("Где мой заказ?", "vector"), "order-tracking");
}

#[test]
fn polish_inflections_and_missing_diacritics_match_in_bm25() {
    assert_eq!(top_doc("faktury", "bm25"), "faktura-pl");
    assert_eq!(top_doc("gdzie jest faktura", "bm25"), "faktura-pl");
}

#[test]
fn explain_shows_each_retrievers_score() {
    let output = kbctl(small_index())
        .args([
            "--index",
            "idx",
            "search",
            "--format",
            "json",
            "--explain",
            "change my password",
        ])
        .output()
        .unwrap();
    let hit = &json(&output)[0]["hits"][0];
    assert_eq!(hit["doc_id"], "password-reset");
    let explain = &hit["explain"];
    assert!(explain["bm25"].as_f64().unwrap() > 0.0, "{hit}");
    assert!(explain["vector"].as_f64().unwrap() > 0.3, "{hit}");
    assert_eq!(explain["fused"], hit["score"]);
    assert_eq!(hit["section"], "How do I change my password?");
}

#[test]
fn stdin_queries_stream_one_jsonl_line_each() {
    let output = kbctl(small_index())
        .args(["--index", "idx", "search", "-k", "2"])
        .write_stdin("where is my parcel\n\nreset password\nzwrot pieniędzy\n")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "blank lines are skipped");
    assert_eq!(lines[0]["query"], "where is my parcel");
    assert_eq!(lines[1]["hits"].as_array().unwrap().len(), 2);
}

#[test]
fn bm25_table_and_csv_formats() {
    let table = kbctl(small_index())
        .args([
            "--index", "idx", "search", "--mode", "bm25", "--format", "table", "password",
        ])
        .output()
        .unwrap();
    insta::assert_snapshot!("bm25_table", String::from_utf8_lossy(&table.stdout));
    let csv = kbctl(small_index())
        .args([
            "--index", "idx", "search", "--mode", "bm25", "--format", "csv", "password",
        ])
        .output()
        .unwrap();
    insta::assert_snapshot!("bm25_csv", String::from_utf8_lossy(&csv.stdout));
}

#[test]
fn missing_index_is_a_user_error() {
    let dir = tempfile::tempdir().unwrap();
    let output = kbctl(dir.path())
        .args(["--index", "nowhere", "search", "x"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(ERROR));
    assert!(
        stderr(&output).contains("kbctl ingest"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn broken_pipe_exits_quietly() {
    let bin = assert_cmd::cargo::cargo_bin("kbctl");
    let queries = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(queries.path(), "reset my password\n".repeat(300)).unwrap();
    // Only kbctl and head in the pipeline: kbctl must see the closed pipe and exit 0, silently.
    let script = format!(
        "set -o pipefail; '{}' --index idx search --format jsonl < '{}' | head -n 1 > /dev/null",
        bin.display(),
        queries.path().display()
    );
    let output = std::process::Command::new("bash")
        .current_dir(small_index())
        .args(["-c", &script])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "exit {:?}: {}",
        output.status.code(),
        stderr(&output)
    );
    assert!(!stderr(&output).contains("error"), "{}", stderr(&output));
}

/// The retrieval-quality check on the fixtures: every group and system is reported, and
/// hybrid retrieval is at least as good as the better of BM25 and vectors overall.
#[test]
fn retrieval_evaluation_on_the_fixtures() {
    let dir = tempfile::tempdir().unwrap();
    let kb = fixtures().join("kb");
    let (_, code, err) = ingest(dir.path(), "idx", &[kb.to_str().unwrap()], &[]);
    assert_eq!(code, 0, "{err}");
    let queries = fixtures().join("queries.jsonl");
    let output = kbctl(dir.path())
        .args([
            "--index",
            "idx",
            "search",
            "--format",
            "json",
            "--eval",
            queries.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let report = json(&output);
    let rows = report["rows"].as_array().unwrap();
    let metric = |group: &str, system: &str, key: &str| {
        rows.iter()
            .find(|r| r["group"] == group && r["system"] == system)
            .unwrap_or_else(|| panic!("no row {group}/{system}"))[key]
            .as_f64()
            .unwrap()
    };
    for group in ["all", "en", "ru", "pl", "cross-lingual"] {
        for system in ["bm25", "vector", "hybrid-rrf", "hybrid-linear"] {
            let mrr = metric(group, system, "mrr");
            assert!((0.0..=1.0).contains(&mrr));
        }
    }
    let configured = format!("hybrid-{}", report["configured_fusion"].as_str().unwrap());
    for key in ["recall_at_5", "mrr"] {
        let best_single = metric("all", "bm25", key).max(metric("all", "vector", key));
        let hybrid = metric("all", &configured, key);
        assert!(
            hybrid >= best_single,
            "{key}: hybrid {hybrid} < best single retriever {best_single}"
        );
    }
    assert!(metric("cross-lingual", &configured, "recall_at_5") > 0.6);
}
