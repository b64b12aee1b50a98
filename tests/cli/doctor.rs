//! `kbctl doctor`: reports what set-up installed, and exactly what is missing.

use crate::util::{ERROR, FAILED, kbctl, stderr};

#[test]
fn doctor_reports_runtime_and_models() {
    let dir = tempfile::tempdir().unwrap();
    let output = kbctl(dir.path())
        .args(["--index", "idx", "doctor", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        stderr(&output)
    );
    let checks: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let find = |name: &str| {
        checks
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["check"].as_str().unwrap().starts_with(name))
            .cloned()
            .unwrap_or_else(|| panic!("no {name} check in {checks}"))
    };
    assert_eq!(find("onnxruntime")["status"], "ok");
    assert!(
        find("onnxruntime")["detail"]
            .as_str()
            .unwrap()
            .contains("1.24")
    );
    assert_eq!(find("model use-multilingual-v3")["status"], "ok");
    assert!(
        find("model use-multilingual-v3")["detail"]
            .as_str()
            .unwrap()
            .contains("512-d")
    );
    assert_eq!(find("index")["status"], "warn");
}

#[test]
fn doctor_says_what_is_missing_and_how_to_get_it() {
    let dir = tempfile::tempdir().unwrap();
    let output = kbctl(dir.path())
        .env("KBCTL_HOME", dir.path().join("empty-home"))
        .env_remove("KBCTL_ORT_LIB")
        .env_remove("ORT_DYLIB_PATH")
        .args(["doctor"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(FAILED),
        "a failed check, not a broken run"
    );
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("ONNX Runtime library"), "{text}");
    assert!(text.contains("scripts/setup"), "{text}");
    assert!(text.contains("FAIL"), "{text}");
}

#[test]
fn commands_that_need_the_model_fail_with_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), "# Title\n\nText.\n").unwrap();
    let output = kbctl(dir.path())
        .env("KBCTL_HOME", dir.path().join("empty-home"))
        .args(["--index", "idx", "ingest", "a.md"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(ERROR));
    let err = stderr(&output);
    assert!(
        err.contains("use-multilingual-v3") && err.contains("scripts/setup"),
        "{err}"
    );
}

/// A set-up home holding the runtime and the primary model but not the second view.
fn home_without_second_view() -> tempfile::TempDir {
    let real = std::env::var_os("KBCTL_HOME")
        .map_or_else(::kbctl::config::default_home, std::path::PathBuf::from);
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join("models")).unwrap();
    std::os::unix::fs::symlink(real.join("onnxruntime"), home.path().join("onnxruntime")).unwrap();
    std::os::unix::fs::symlink(
        real.join("models/use-multilingual-v3"),
        home.path().join("models/use-multilingual-v3"),
    )
    .unwrap();
    home
}

#[test]
fn a_missing_second_model_degrades_with_a_clear_message() {
    let index = crate::util::small_index();
    let home = home_without_second_view();
    let output = kbctl(index)
        .args(["--index", "idx", "--home"])
        .arg(home.path())
        .args(["search", "--format", "json", "how do I change my password"])
        .output()
        .unwrap();
    let err = stderr(&output);
    assert!(output.status.success(), "{err}");
    assert!(
        err.contains("multilingual-e5-small") && err.contains("ranking without"),
        "{err}"
    );
    let hits: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(hits[0]["hits"][0]["doc_id"], "password-reset", "{hits}");

    // doctor names the view, says ranking goes without it, and is not a failure.
    let output = kbctl(index)
        .args(["--index", "idx", "--home"])
        .arg(home.path())
        .args(["doctor", "--format", "json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let checks: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let view = checks
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == "view multilingual-e5-small")
        .unwrap_or_else(|| panic!("no view line in {checks}"));
    assert_eq!(view["status"], "warn", "{view}");
    assert!(
        view["detail"].as_str().unwrap().contains("not installed"),
        "{view}"
    );
}
