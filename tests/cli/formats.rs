//! Snapshots of every command in every `--format`: exit code, stdout and stderr of one run together
//! (the uv style), so a change to any encoder, field name or message shows up as one reviewed diff.

use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use super::util::{fixture_index, fixtures, kbctl, small_index};

const FORMATS: &[&str] = &["table", "json", "jsonl", "csv"];

/// What one run printed, with what differs between runs (temporary folders, timings) masked.
fn transcript(dir: &Path, args: &[&str], stdin: Option<&str>) -> String {
    let mut cmd = kbctl(dir);
    cmd.args(args);
    if let Some(input) = stdin {
        cmd.write_stdin(input);
    }
    let output = cmd.output().expect("run kbctl");
    let text = format!(
        "exit: {}\n----- stdout -----\n{}----- stderr -----\n{}",
        output
            .status
            .code()
            .map_or_else(|| "signal".to_string(), |c| c.to_string()),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    mask(&text, dir)
}

/// Temporary paths become `[DIR]`/`[FIXTURES]`/`[HOME]`; what the run's own speed decides becomes
/// `[T]`: wall times and rates, every duration under a minute (the bot's measured reply time; the
/// replayed human reply times are minutes to days and stay) and the projected reply times "after",
/// which mix the measured bot time in (a median of two tickets is the mean of both).
fn mask(text: &str, dir: &Path) -> String {
    static TIMED_KEY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"("(?:[a-z0-9_]*_ms|tickets_per_s|seconds)":\s*)-?[0-9][0-9.e+-]*"#)
            .expect("pattern")
    });
    static SECONDS_KEY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"("[a-z0-9_]*_s":\s*)(-?[0-9][0-9.e+-]*)"#).expect("pattern")
    });
    static SHOWN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b[0-9]+(?:\.[0-9]+)?\s?(?:ms|s|µs|tickets/s|docs/s)\b").expect("pattern")
    });
    let mut out = text
        .replace(dir.to_str().expect("utf-8 dir"), "[DIR]")
        .replace(fixtures().to_str().expect("utf-8 path"), "[FIXTURES]");
    if let Some(home) = std::env::var_os("HOME").and_then(|h| h.into_string().ok()) {
        out = out.replace(&home, "[HOME]");
    }
    let out = TIMED_KEY.replace_all(&out, "${1}[T]");
    let out = SECONDS_KEY.replace_all(&out, |c: &regex::Captures| match c[2].parse::<f64>() {
        Ok(v) if v.abs() < 60.0 || c[1].contains("_after_") => format!("{}[T]", &c[1]),
        _ => c[0].to_string(),
    });
    SHOWN.replace_all(&out, "[T]").into_owned()
}

fn fixture(rel: &str) -> String {
    fixtures()
        .join(rel)
        .to_str()
        .expect("utf-8 path")
        .to_string()
}

#[test]
fn search_in_every_format() {
    for format in FORMATS {
        let run = transcript(
            small_index(),
            &[
                "--index",
                "idx",
                "search",
                "--explain",
                "-k",
                "3",
                "--format",
                format,
                "jak pobrać fakturę VAT",
            ],
            None,
        );
        insta::assert_snapshot!(format!("search_{format}"), run);
    }
}

#[test]
fn search_eval_in_every_format() {
    for format in FORMATS {
        let run = transcript(
            fixture_index(),
            &[
                "--index",
                "idx",
                "search",
                "--eval",
                &fixture("queries.jsonl"),
                "--format",
                format,
            ],
            None,
        );
        insta::assert_snapshot!(format!("search_eval_{format}"), run);
    }
}

/// Three good tickets and one that is not JSON: the error record keeps its line, the exit code says
/// a record was skipped.
const TICKETS: &str = concat!(
    r#"{"id": "t-en", "text": "How do I change my password?", "customer": {"name": "Sam Carter"}}"#,
    "\n",
    "{not json\n",
    r#"{"id": "t-pl", "text": "Dzień dobry, gdzie znajdę fakturę VAT?"}"#,
    "\n",
    r#"{"id": "t-ru", "text": "Верните деньги немедленно, это мошенничество! Я подам в суд."}"#,
    "\n",
);

#[test]
fn answer_in_every_format() {
    for format in FORMATS {
        let run = transcript(
            small_index(),
            &["--index", "idx", "answer", "--format", format],
            Some(TICKETS),
        );
        insta::assert_snapshot!(format!("answer_{format}"), run);
    }
}

#[test]
fn classify_in_every_format() {
    for format in FORMATS {
        let run = transcript(
            small_index(),
            &["--index", "idx", "classify", "--format", format],
            Some(TICKETS),
        );
        insta::assert_snapshot!(format!("classify_{format}"), run);
    }
}

#[test]
fn ingest_in_every_format() {
    for format in FORMATS {
        let dir = tempfile::tempdir().expect("temp dir");
        super::util::write_files(dir.path(), super::util::SMALL_KB);
        let run = transcript(
            dir.path(),
            &["--index", "idx", "ingest", "--format", format, "kb"],
            None,
        );
        insta::assert_snapshot!(format!("ingest_{format}"), run);
    }
}

#[test]
fn eval_in_every_format() {
    let config = fixture("eval/kbctl.yaml");
    let replay = fixture("eval/replay.jsonl");
    for format in FORMATS {
        let run = transcript(
            fixture_index(),
            &[
                "--index",
                "idx",
                "--config",
                &config,
                "eval",
                "--no-vector-cache",
                "--format",
                format,
                &replay,
            ],
            None,
        );
        insta::assert_snapshot!(format!("eval_{format}"), run);
    }
}

#[test]
fn tune_in_every_format() {
    let config = fixture("eval/kbctl.yaml");
    let replay = fixture("eval/replay.jsonl");
    for format in FORMATS {
        let run = transcript(
            fixture_index(),
            &[
                "--index",
                "idx",
                "--config",
                &config,
                "tune",
                "--no-vector-cache",
                "--dry-run",
                "--target-precision",
                "0.9",
                "--format",
                format,
                &replay,
            ],
            None,
        );
        insta::assert_snapshot!(format!("tune_{format}"), run);
    }
}

#[test]
fn report_markdown_and_doctor() {
    let run = transcript(
        small_index(),
        &["report", "--format", "md", &fixture("eval/results.json")],
        None,
    );
    insta::assert_snapshot!("report_md", run);
    for format in ["table", "json"] {
        let run = transcript(
            small_index(),
            &["--index", "idx", "doctor", "--format", format],
            None,
        );
        insta::assert_snapshot!(format!("doctor_{format}"), run);
    }
}
