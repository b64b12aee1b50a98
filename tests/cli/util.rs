//! Helpers: a `kbctl` command isolated from the caller's environment, temp knowledge bases, JSON parsing.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The exit-code contract (src/exit.rs): a failed gate or check, a run that could not be judged,
/// some records skipped.
pub const FAILED: i32 = 1;
pub const ERROR: i32 = 2;
pub const SKIPPED: i32 = 3;

/// `kbctl` run in `cwd`, with only the set-up location inherited (KBCTL_HOME, if set).
pub fn kbctl(cwd: &Path) -> Command {
    let mut cmd = Command::cargo_bin("kbctl").expect("kbctl binary");
    cmd.current_dir(cwd)
        .env_remove("KBCTL_INDEX")
        .env_remove("KBCTL_EMBEDDER")
        .env_remove("KBCTL_FAILPOINT");
    cmd
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Write files (relative path, content) under `dir`.
pub fn write_files(dir: &Path, files: &[(&str, &str)]) {
    for (name, content) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, content).expect("write");
    }
}

/// A small knowledge base in three languages, with one FAQ table.
pub const SMALL_KB: &[(&str, &str)] = &[
    (
        "kb/order-tracking.md",
        "---\nid: order-tracking\ntitle: Where is my order?\ncategory: delivery\nlanguage: en\n---\n# Where is my order?\n\nEvery shipment gets a tracking link by email as soon as it leaves the warehouse.\n\n## Delays\n\nIf the tracking has not moved for three working days, contact support with your order number.\n",
    ),
    (
        "kb/password-reset.md",
        "---\nid: password-reset\ntitle: How do I change my password?\ncategory: account\nlanguage: en\n---\n# How do I change my password?\n\nOpen Settings, then Security, and choose Change password. A reset link can also be requested on the sign-in page.\n",
    ),
    (
        "kb/vozvrat.md",
        "---\nid: refund-ru\ntitle: Возврат денег\ncategory: refunds\nlanguage: ru\nnever_automate: true\n---\n# Возврат денег\n\nДеньги возвращаются на карту в течение 14 дней после одобрения заявки на возврат.\n",
    ),
    (
        "kb/faq.csv",
        "id,questions,answer,category,language\nfaktura-pl,Gdzie znajdę fakturę? | Jak pobrać fakturę VAT,Faktury są w panelu w zakładce Rozliczenia.,billing,pl\n",
    ),
];

/// `kbctl --index idx search --format json ARGS...` in `dir` (success is the caller's to check).
pub fn search_json(dir: &Path, args: &[&str]) -> std::process::Output {
    kbctl(dir)
        .args(["--index", "idx", "search", "--format", "json"])
        .args(args)
        .output()
        .expect("run kbctl")
}

/// Parse stdout as one JSON value.
pub fn json(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

pub fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Ingest `paths` into `index` (relative to `cwd`) and return the JSON summary and exit code.
pub fn ingest(
    cwd: &Path,
    index: &str,
    paths: &[&str],
    extra: &[&str],
) -> (serde_json::Value, i32, String) {
    let output = kbctl(cwd)
        .args(["--index", index, "-q", "ingest", "--format", "json"])
        .args(extra)
        .args(paths)
        .output()
        .expect("run kbctl");
    let code = output.status.code().unwrap_or(-1);
    let summary = if output.stdout.is_empty() {
        serde_json::Value::Null
    } else {
        json(&output)
    };
    (summary, code, stderr(&output))
}

/// `SMALL_KB` ingested once per test run into `idx` under the returned folder.
pub fn small_index() -> &'static Path {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        write_files(dir.path(), SMALL_KB);
        let (_, code, err) = ingest(dir.path(), "idx", &["kb"], &[]);
        assert_eq!(code, 0, "{err}");
        dir
    })
    .path()
}

/// A folder with the fixtures knowledge base ingested into `idx` (built once per test run).
pub fn fixture_index() -> &'static Path {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let kb = fixtures().join("kb");
        let (_, code, err) = ingest(dir.path(), "idx", &[kb.to_str().expect("utf-8 path")], &[]);
        assert_eq!(code, 0, "{err}");
        dir
    })
    .path()
}
