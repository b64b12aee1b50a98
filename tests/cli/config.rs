//! Refused settings: kbctl.yaml values out of range, files that are not configurations, flags out of range, misspelt names with a suggestion, front matter typos.

use std::path::Path;

use crate::util::{ERROR, SKIPPED, SMALL_KB, ingest, kbctl, stderr, write_files};

/// `kbctl --config FILE --index idx ARGS` in `dir`: (exit code, stderr).
fn run_with_config(dir: &Path, config: &Path, args: &[&str]) -> (i32, String) {
    let output = kbctl(dir)
        .arg("--config")
        .arg(config)
        .args(["--index", "idx"])
        .args(args)
        .output()
        .expect("run kbctl");
    (output.status.code().unwrap_or(-1), stderr(&output))
}

/// A kbctl.yaml with `text` in a fresh folder, and the result of `kbctl search hello` with it.
fn search_with(text: &str) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kbctl.yaml");
    std::fs::write(&path, text).unwrap();
    run_with_config(dir.path(), &path, &["search", "hello"])
}

#[test]
fn out_of_range_values_are_refused_by_key_value_and_range() {
    let (code, err) = search_with("retrieval:\n  candidates: 1000000000000\n");
    assert_eq!(code, ERROR, "{err}");
    assert!(
        err.contains("kbctl.yaml: retrieval.candidates = 1000000000000 is out of range 1..=10000"),
        "{err}"
    );
    let (code, err) = search_with("threads: 100000\n");
    assert_eq!(code, ERROR, "{err}");
    assert!(
        err.contains("threads = 100000 is out of range 1..=256"),
        "{err}"
    );
    let (code, err) = search_with(
        "costs:\n  tickets_per_month: 1000\n  cost_per_human_ticket: -100\n  implementation_cost: 1000\n",
    );
    assert_eq!(code, ERROR, "{err}");
    assert!(err.contains("costs.cost_per_human_ticket = -100"), "{err}");
    let (code, err) = search_with("gates:\n  min:\n    accuracy: .nan\n");
    assert_eq!(code, ERROR, "{err}");
    assert!(
        err.contains("gates.min.accuracy = NaN is out of range 0..=1"),
        "{err}"
    );
}

#[test]
fn a_threads_flag_that_used_to_panic_is_a_user_error() {
    let dir = tempfile::tempdir().unwrap();
    for n in ["100000", "0"] {
        let output = kbctl(dir.path())
            .args(["--index", "idx", "--threads", n, "search", "hello"])
            .output()
            .unwrap();
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(ERROR), "{err}");
        assert!(
            err.contains(&format!("--threads {n} is out of range 1..=256")),
            "{err}"
        );
    }
}

#[test]
fn a_device_as_the_config_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    let (code, err) = run_with_config(dir.path(), Path::new("/dev/zero"), &["search", "hello"]);
    assert_eq!(code, ERROR, "{err}");
    assert!(err.contains("/dev/zero: not a regular file"), "{err}");
    let (code, err) = run_with_config(dir.path(), dir.path(), &["search", "hello"]);
    assert_eq!(code, ERROR, "{err}");
    assert!(err.contains("a directory"), "{err}");
}

#[test]
fn deeply_nested_config_is_refused() {
    for text in [
        "policy:\n  triggers:\n    legal:\n      ".to_string() + &"- ".repeat(100_000) + "x\n",
        "policy: ".to_string() + &"[".repeat(100_000) + &"]".repeat(100_000) + "\n",
        "policy: ".to_string() + &"{a: ".repeat(100_000),
    ] {
        let (code, err) = search_with(&text);
        assert_eq!(code, ERROR, "{err}");
        assert!(err.contains("nested more than 64 levels"), "{err}");
    }
}

#[test]
fn a_misspelt_config_key_names_the_one_meant() {
    let (code, err) = search_with("retrieval:\n  fuson: rrf\n");
    assert_eq!(code, ERROR, "{err}");
    assert!(err.contains("kbctl.yaml:2:"), "{err}");
    assert!(
        err.contains("unknown field `fuson`, did you mean `fusion`?"),
        "{err}"
    );
}

#[test]
fn a_misspelt_metric_is_a_usage_error_not_a_failed_gate() {
    let dir = tempfile::tempdir().unwrap();
    // No index: the names are checked before anything is replayed.
    for flag in ["--fail-under", "--fail-over"] {
        let output = kbctl(dir.path())
            .args([
                "--index",
                "idx",
                "eval",
                "replay.jsonl",
                flag,
                "contaiment=0.5",
            ])
            .output()
            .unwrap();
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(ERROR), "{err}");
        assert!(
            err.contains(&format!(
                "{flag}: unknown metric `contaiment`, did you mean `containment`?"
            )),
            "{err}"
        );
        assert!(!err.contains("gate(s) failed"), "{err}");
    }
    // In kbctl.yaml it is refused when the file is loaded.
    let (code, err) = search_with("gates:\n  min:\n    contaiment: 0.5\n");
    assert_eq!(code, ERROR, "{err}");
    assert!(
        err.contains(
            "gates.min.contaiment: unknown metric `contaiment`, did you mean `containment`?"
        ),
        "{err}"
    );
    // Values out of a metric's scale, and non-numbers.
    for (spec, needle) in [
        (
            "accuracy=95",
            "--fail-under accuracy=95 is out of range 0..=1",
        ),
        (
            "accuracy=nan",
            "--fail-under accuracy=NaN is out of range 0..=1",
        ),
        (
            "accuracy=inf",
            "--fail-under accuracy=inf is out of range 0..=1",
        ),
    ] {
        let output = kbctl(dir.path())
            .args([
                "--index",
                "idx",
                "eval",
                "replay.jsonl",
                "--fail-under",
                spec,
            ])
            .output()
            .unwrap();
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(ERROR), "{err}");
        assert!(err.contains(needle), "{needle}: {err}");
    }
    let output = kbctl(dir.path())
        .args(["--index", "idx", "eval", "replay.jsonl", "--tolerance=-1"])
        .output()
        .unwrap();
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(ERROR), "{err}");
    assert!(
        err.contains("--tolerance -1 is out of range 0..=1e15"),
        "{err}"
    );
}

#[test]
fn a_misspelt_subcommand_gets_clap_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    let output = kbctl(dir.path()).arg("serch").output().unwrap();
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(ERROR), "{err}");
    assert!(err.contains("unrecognized subcommand 'serch'"), "{err}");
    assert!(err.contains("similar subcommand exists: 'search'"), "{err}");
}

#[test]
fn a_front_matter_typo_is_one_located_issue_and_the_rest_is_ingested() {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), SMALL_KB);
    write_files(
        dir.path(),
        &[
            (
                "kb/typo.md",
                "---\nid: typo\ntitle: Shipping costs\ncatgory: delivery\nlanguage: en\n---\n# Shipping costs\n\nShipping is free above 50 EUR.\n",
            ),
            (
                "kb/named-language.md",
                "---\nid: named-language\ntitle: Opening hours\nlanguage: english\n---\n# Opening hours\n\nSupport answers from 9 to 17 on working days.\n",
            ),
            (
                "kb/bad-language.md",
                "---\nid: bad-language\ntitle: Godziny otwarcia\nlanguage: polsky\n---\nText.\n",
            ),
        ],
    );
    let (summary, code, err) = ingest(dir.path(), "idx", &["kb"], &[]);
    assert_eq!(code, SKIPPED, "{err}");
    assert!(
        err.contains(
            "typo.md:4: unknown key `catgory` in the front matter, did you mean `category`?"
        ),
        "{err}"
    );
    assert!(
        err.contains("bad-language.md:4: unknown language `polsky`, did you mean `polski`?"),
        "{err}"
    );
    assert_eq!(err.matches("skipped:").count(), 2, "{err}");
    // The four documents of the small KB and the one whose language is a name.
    assert_eq!(summary["documents"], 5, "{summary}");
}
