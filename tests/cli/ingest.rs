//! `kbctl ingest`: counts, incremental re-ingest, rebuild, crash safety, model mismatch, bad input.

use std::time::{Duration, Instant};

use crate::util::{
    ERROR, SKIPPED, SMALL_KB, fixtures, ingest, kbctl, search_json, stderr, write_files,
};

#[test]
fn reingest_skips_updates_and_removes() {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), SMALL_KB);

    let (first, code, err) = ingest(dir.path(), "idx", &["kb"], &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(first["documents"], 4);
    assert_eq!(first["added"], 4);
    assert_eq!(first["generation"], 1);
    assert!(first["vectors_embedded"].as_u64().unwrap() > 4);

    // Nothing changed: nothing re-embedded.
    let (second, code, _) = ingest(dir.path(), "idx", &["kb"], &[]);
    assert_eq!(code, 0);
    assert_eq!(
        (second["skipped"].as_u64(), second["added"].as_u64()),
        (Some(4), Some(0))
    );
    assert_eq!(second["vectors_embedded"], 0);
    assert_eq!(second["generation"], 2);

    // One changed, one removed, one added.
    std::fs::write(
        dir.path().join("kb/password-reset.md"),
        "---\nid: password-reset\ntitle: How do I change my password?\ncategory: account\nlanguage: en\n---\n# How do I change my password?\n\nOpen Settings, then Security. Passwords need 12 characters.\n",
    )
    .unwrap();
    std::fs::remove_file(dir.path().join("kb/vozvrat.md")).unwrap();
    write_files(
        dir.path(),
        &[(
            "kb/api.md",
            "# API limits\n\nThe API allows 100 requests per minute per key.\n",
        )],
    );
    let (third, code, err) = ingest(dir.path(), "idx", &["kb"], &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        (
            &third["added"],
            &third["updated"],
            &third["removed"],
            &third["skipped"]
        ),
        (&1.into(), &1.into(), &1.into(), &2.into()),
        "{third}"
    );
    assert!(third["vectors_reused"].as_u64().unwrap() > 0);

    // --rebuild re-embeds everything.
    let (rebuilt, code, _) = ingest(dir.path(), "idx", &["kb"], &["--rebuild"]);
    assert_eq!(code, 0);
    assert_eq!(rebuilt["vectors_reused"], 0);
    assert_eq!(rebuilt["added"], 4);
}

#[test]
fn table_summary_names_the_counts() {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), SMALL_KB);
    let output = kbctl(dir.path())
        .args(["--index", "idx", "ingest", "kb"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let text = String::from_utf8_lossy(&output.stdout);
    for word in [
        "ingested 4 documents",
        "4 added",
        "0 updated",
        "0 removed",
        "0 unchanged",
        "chunks",
    ] {
        assert!(text.contains(word), "{word:?} missing in {text}");
    }
}

#[test]
fn bad_inputs_are_named_and_everything_else_is_ingested() {
    let dir = tempfile::tempdir().unwrap();
    let bad = fixtures().join("bad");
    let (summary, code, err) = ingest(dir.path(), "idx", &[bad.to_str().unwrap()], &[]);
    assert_eq!(
        code, SKIPPED,
        "a skipped input must show in the exit code; stderr: {err}"
    );
    // Each problem names its file, and its line where there is one.
    for needle in [
        "broken-front-matter.md:",
        "invalid front matter",
        "empty.md",
        "blank.txt",
        "invalid-utf8.txt:1: invalid UTF-8",
        "duplicate document id `duplicate-id`",
        "faq-bad-row.csv:4:",
    ] {
        assert!(
            err.contains(needle),
            "{needle:?} missing from stderr:\n{err}"
        );
    }
    assert!(summary["documents"].as_u64().unwrap() >= 2, "{summary}");
    let output = search_json(dir.path(), &["-k", "10", "good document"]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("bad-dir-good-doc"), "{text}");
}

#[test]
fn nothing_to_ingest_leaves_the_index_alone() {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), &[("empty/blank.txt", "   \n")]);
    let (_, code, err) = ingest(dir.path(), "idx", &["empty"], &[]);
    assert_eq!(code, ERROR, "nothing to ingest is an input error");
    assert!(
        err.contains("no documents found") && err.contains("unchanged"),
        "{err}"
    );
    assert!(!dir.path().join("idx/CURRENT").exists());
}

#[test]
fn a_changed_model_is_explained_not_mixed() {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), SMALL_KB);
    assert_eq!(ingest(dir.path(), "idx", &["kb"], &[]).1, 0);
    let output = kbctl(dir.path())
        .args([
            "--index",
            "idx",
            "--embedder",
            "all-minilm-l6-v2",
            "ingest",
            "kb",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(ERROR));
    let err = stderr(&output);
    assert!(
        err.contains("use-multilingual-v3 (512-d)")
            && err.contains("all-minilm-l6-v2 (384-d)")
            && err.contains("--rebuild"),
        "{err}"
    );
    let search = kbctl(dir.path())
        .args([
            "--index",
            "idx",
            "--embedder",
            "all-minilm-l6-v2",
            "search",
            "password",
        ])
        .output()
        .unwrap();
    assert_eq!(search.status.code(), Some(ERROR));
    assert!(stderr(&search).contains("--rebuild"));
    // With --rebuild the other model takes over, and search follows the index's model by itself.
    let rebuilt = kbctl(dir.path())
        .args([
            "--index",
            "idx",
            "-q",
            "--embedder",
            "all-minilm-l6-v2",
            "ingest",
            "--rebuild",
            "kb",
        ])
        .output()
        .unwrap();
    assert!(rebuilt.status.success(), "{}", stderr(&rebuilt));
    let search = search_json(dir.path(), &["change password"]);
    assert!(search.status.success(), "{}", stderr(&search));
    assert!(String::from_utf8_lossy(&search.stdout).contains("password-reset"));
}

/// The previous index must survive a writer that dies after writing everything but the switch.
#[test]
fn crash_before_publish_keeps_the_previous_index() {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), SMALL_KB);
    assert_eq!(ingest(dir.path(), "idx", &["kb"], &[]).1, 0);
    write_files(
        dir.path(),
        &[(
            "kb/new.md",
            "# Brand new article\n\nAbout onboarding webinars.\n",
        )],
    );
    let output = kbctl(dir.path())
        .env("KBCTL_FAILPOINT", "ingest-before-publish")
        .args(["--index", "idx", "-q", "ingest", "kb"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let search = search_json(dir.path(), &["onboarding webinars"]);
    assert!(search.status.success(), "{}", stderr(&search));
    let text = String::from_utf8_lossy(&search.stdout);
    assert!(
        !text.contains("\"new\""),
        "the unpublished generation leaked: {text}"
    );
    // The next ingest cleans up and publishes.
    let (summary, code, err) = ingest(dir.path(), "idx", &["kb"], &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(summary["added"], 1);
}

/// `kill -9` in the middle of a long ingest: the previous index stays whole and usable.
#[test]
fn kill_during_ingest_keeps_the_previous_index() {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), SMALL_KB);
    assert_eq!(ingest(dir.path(), "idx", &["kb"], &[]).1, 0);
    // A knowledge base large enough that embedding takes a while.
    for i in 0..400 {
        let body = format!(
            "# Article {i}\n\nSection about shipment number {i} and invoices for month {m}.\n\n## Details {i}\n\nThe customer asked about refund {i} twice.\n",
            m = i % 12
        );
        write_files(dir.path(), &[(&format!("kb/gen-{i}.md"), &body)]);
    }
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("kbctl"))
        .current_dir(dir.path())
        .args(["--index", "idx", "-q", "ingest", "kb"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let pending = dir.path().join("idx/gen-000002");
    let started = Instant::now();
    while !pending.exists() && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(pending.exists(), "the second ingest never started writing");
    std::thread::sleep(Duration::from_millis(200));
    child.kill().unwrap(); // SIGKILL
    let status = child.wait().unwrap();
    assert!(
        !status.success(),
        "ingest finished before it could be killed; make the KB larger"
    );

    let search = search_json(dir.path(), &["-k", "1", "Where is my order"]);
    assert!(search.status.success(), "{}", stderr(&search));
    assert!(String::from_utf8_lossy(&search.stdout).contains("order-tracking"));
    let current = std::fs::read_to_string(dir.path().join("idx/CURRENT")).unwrap();
    assert_eq!(current.trim(), "gen-000001");
}

#[test]
fn resolved_history_becomes_a_view_of_its_document_and_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), SMALL_KB);
    let history = [
        r#"{"id": "H1", "text": "The courier app shows exception at hub since Monday", "gold_docs": ["order-tracking"]}"#,
        r#"{"id": "H2", "text": "Kurier pokazuje wyjątek w sortowni od poniedziałku", "gold_docs": ["order-tracking"]}"#,
        r#"{"id": "H3", "text": "Something about a retired article", "gold_docs": ["no-such-doc"]}"#,
        r#"{"id": "H4", "text": "A ticket nobody answered from the knowledge base"}"#,
    ];
    std::fs::write(dir.path().join("history.jsonl"), history.join("\n") + "\n").unwrap();
    let query = "courier app says exception at the hub";
    let vector_of = |index: &str| {
        let output = kbctl(dir.path())
            .args([
                "--index",
                index,
                "search",
                "--format",
                "json",
                "--explain",
                "-k",
                "1",
                query,
            ])
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        let v: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let hit = &v[0]["hits"][0];
        assert_eq!(hit["doc_id"], "order-tracking", "{v}");
        hit["explain"]["vector"].as_f64().unwrap()
    };

    let (plain, code, err) = ingest(dir.path(), "plain", &["kb"], &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(plain["exemplars"], 0);
    let (learned, code, err) = ingest(
        dir.path(),
        "learned",
        &["kb"],
        &["--history", "history.jsonl"],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(learned["exemplars"], 2, "{learned}");
    assert_eq!(learned["exemplars_dropped"], 1, "{learned}");
    // A near-duplicate of a resolved ticket is now close to its document.
    let (before, after) = (vector_of("plain"), vector_of("learned"));
    assert!(after > before + 0.1, "vector score {before} -> {after}");

    // A later ingest without --history keeps the history, embedding nothing again.
    let (again, code, err) = ingest(dir.path(), "learned", &["kb"], &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(again["exemplars"], 2, "{again}");
    assert_eq!(again["vectors_embedded"], 0, "{again}");
    // A rebuild starts from the documents alone.
    let (rebuilt, code, err) = ingest(dir.path(), "learned", &["kb"], &["--rebuild"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(rebuilt["exemplars"], 0, "{rebuilt}");
}

#[test]
fn history_without_gold_docs_is_matched_by_the_agents_reply() {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), SMALL_KB);
    let history = [
        // The reply restates the tracking article: matched to it.
        r#"{"id": "R1", "text": "Parcel stuck since Friday", "agent_reply": "Every shipment gets a tracking link by email as soon as it leaves the warehouse. If the tracking has not moved for three working days, contact support with your order number."}"#,
        // A reply about nothing in the knowledge base: left out, and counted.
        r#"{"id": "R2", "text": "Do you sponsor the local football club?", "agent_reply": "Thanks for asking! Our marketing team will get back to you about sponsorship next week."}"#,
    ];
    std::fs::write(dir.path().join("history.jsonl"), history.join("\n") + "\n").unwrap();
    let (summary, code, err) = ingest(dir.path(), "idx", &["kb"], &["--history", "history.jsonl"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(summary["replies_matched"], 1, "{summary}");
    assert_eq!(summary["replies_unmatched"], 1, "{summary}");
    assert_eq!(summary["exemplars"], 1, "{summary}");
}

/// One problem per line on stderr that names `path` (as kbctl prints it).
fn problems_naming<'a>(err: &'a str, path: &str) -> Vec<&'a str> {
    err.lines()
        .filter(|l| l.starts_with(&format!("kbctl: skipped: {path}:")))
        .collect()
}

/// Ingest `kb` in `dir` (fast profile), within a time limit: the walk must never hang.
fn ingest_promptly(dir: &std::path::Path) -> (serde_json::Value, i32, String) {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("kbctl"))
        .current_dir(dir)
        .args(["--index", "idx", "--profile", "fast", "-q", "ingest"])
        .args(["--format", "json", "kb"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("ingest still running after 60 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let output = child.wait_with_output().unwrap();
    let summary = serde_json::from_slice(&output.stdout).unwrap_or(serde_json::Value::Null);
    (summary, output.status.code().unwrap_or(-1), stderr(&output))
}

#[cfg(unix)]
#[test]
fn symlink_loops_fifos_and_devices_are_reported_and_never_read() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), SMALL_KB);
    let kb = dir.path().join("kb");
    // Two loops in the knowledge base's own folder, one from a subfolder.
    symlink(".", kb.join("loop")).unwrap();
    symlink(".", kb.join("loop2")).unwrap();
    std::fs::create_dir(kb.join("sub")).unwrap();
    symlink("..", kb.join("sub/up")).unwrap();
    let status = std::process::Command::new("mkfifo")
        .arg(kb.join("x.md"))
        .status()
        .unwrap();
    assert!(status.success());
    symlink("/dev/zero", kb.join("zero.md")).unwrap();
    // A link to a regular file outside the folder is read, once.
    write_files(
        dir.path(),
        &[(
            "elsewhere/shared.md",
            "# Shared article\n\nAbout gift cards.\n",
        )],
    );
    symlink("../elsewhere/shared.md", kb.join("shared.md")).unwrap();

    let (summary, code, err) = ingest_promptly(dir.path());
    assert_eq!(code, crate::util::SKIPPED, "{err}");
    assert_eq!(summary["documents"], 5, "{summary}\n{err}");
    assert_eq!(summary["added"], 5, "{summary}");
    assert!(!err.contains("duplicate document id"), "{err}");
    for (path, message) in [
        ("kb/loop", "the directory kb again"),
        ("kb/loop2", "the directory kb again"),
        ("kb/sub/up", "the directory kb again"),
        ("kb/x.md", "not a regular file: FIFO"),
        ("kb/zero.md", "not a regular file: character device"),
    ] {
        let lines = problems_naming(&err, path);
        assert_eq!(lines.len(), 1, "{path}: one message expected in\n{err}");
        assert!(
            lines[0].contains(message),
            "{path}: {message:?} missing: {}",
            lines[0]
        );
    }
    assert_eq!(
        err.lines()
            .filter(|l| l.starts_with("kbctl: skipped:"))
            .count(),
        5,
        "{err}"
    );
    let found = search_json(dir.path(), &["--profile", "fast", "gift cards"]);
    assert!(String::from_utf8_lossy(&found.stdout).contains("\"shared\""));
}

#[cfg(unix)]
#[test]
fn one_symlink_loop_skips_nothing_real() {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), SMALL_KB);
    std::os::unix::fs::symlink(".", dir.path().join("kb/loop")).unwrap();
    let (summary, code, err) = ingest_promptly(dir.path());
    assert_eq!(code, crate::util::SKIPPED, "{err}");
    assert_eq!(summary["documents"], 4, "{summary}");
    assert_eq!(summary["files"], 4, "{summary}");
    assert_eq!(problems_naming(&err, "kb/loop").len(), 1, "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn a_file_over_the_size_cap_is_named_with_the_key_that_raises_it() {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), SMALL_KB);
    let big = format!("# Big\n\n{}\n", "word ".repeat(400));
    write_files(
        dir.path(),
        &[
            ("kb/big.md", big.as_str()),
            ("kbctl.yaml", "ingest:\n  max_doc_bytes: 1000\n"),
        ],
    );
    let (summary, code, err) = ingest_promptly(dir.path());
    assert_eq!(code, crate::util::SKIPPED, "{err}");
    assert_eq!(summary["documents"], 4, "{summary}");
    let lines = problems_naming(&err, "kb/big.md");
    assert_eq!(lines.len(), 1, "{err}");
    assert!(
        lines[0].contains("1 kB") && lines[0].contains("ingest.max_doc_bytes"),
        "{}",
        lines[0]
    );
    // Raised, it is read.
    write_files(
        dir.path(),
        &[("kbctl.yaml", "ingest:\n  max_doc_bytes: 100000\n")],
    );
    let (summary, code, err) = ingest_promptly(dir.path());
    assert_eq!(code, 0, "{err}");
    assert_eq!(summary["added"], 1, "{summary}");
}
