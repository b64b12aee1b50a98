//! `kbctl doctor`: reports what set-up installed, and exactly what is missing.

use crate::util::{kbctl, stderr};

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
    assert_eq!(output.status.code(), Some(1));
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
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(
        err.contains("use-multilingual-v3") && err.contains("scripts/setup"),
        "{err}"
    );
}
