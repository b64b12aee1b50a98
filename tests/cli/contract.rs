//! The command-line contract CI relies on: exit codes per command, completions, the man page,
//! and no panic (exit 101) on hostile input for any subcommand.

use std::path::PathBuf;

use crate::util::{
    ERROR, FAILED, SKIPPED, fixture_index, fixtures, kbctl, small_index, stderr, write_files,
};

fn code(output: &std::process::Output) -> i32 {
    output.status.code().unwrap_or(-1)
}

fn replay() -> PathBuf {
    fixtures().join("eval/replay.jsonl")
}

/// Deterministic garbage: bytes of every kind, invalid UTF-8, NULs, control characters.
fn garbage(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (0..len)
        .map(|_| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) as u8
        })
        .collect()
}

#[test]
fn ingest_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[("kb/a.md", "# Returns\n\nSend it back within 30 days.\n")],
    );
    let run = |args: &[&str]| {
        kbctl(dir.path())
            .args(["--index", "idx", "-q", "ingest"])
            .args(args)
            .output()
            .unwrap()
    };
    let ok = run(&["kb"]);
    assert_eq!(code(&ok), 0, "{}", stderr(&ok));
    let skipped = run(&[fixtures().join("bad").to_str().unwrap(), "--rebuild"]);
    assert_eq!(code(&skipped), SKIPPED, "{}", stderr(&skipped));
    let missing = run(&["no-such-folder"]);
    assert_eq!(code(&missing), ERROR, "{}", stderr(&missing));
    let usage = run(&["--no-such-flag"]);
    assert_eq!(code(&usage), ERROR, "clap's usage errors are 2 as well");
}

#[test]
fn search_exit_codes() {
    let ok = kbctl(small_index())
        .args(["--index", "idx", "search", "password"])
        .output()
        .unwrap();
    assert_eq!(code(&ok), 0, "{}", stderr(&ok));
    let dir = tempfile::tempdir().unwrap();
    let queries = dir.path().join("q.jsonl");
    std::fs::write(
        &queries,
        "{\"query\": \"reset my password\", \"doc\": \"password-reset\"}\n{not json\n",
    )
    .unwrap();
    let skipped = kbctl(small_index())
        .args(["--index", "idx", "search", "--eval"])
        .arg(&queries)
        .output()
        .unwrap();
    assert_eq!(code(&skipped), SKIPPED, "{}", stderr(&skipped));
    let no_index = kbctl(dir.path())
        .args(["--index", "none", "search", "x"])
        .output()
        .unwrap();
    assert_eq!(code(&no_index), ERROR);
}

#[test]
fn answer_and_classify_exit_codes() {
    for task in ["answer", "classify"] {
        let ok = kbctl(small_index())
            .args(["--index", "idx", task])
            .write_stdin("reset my password\n")
            .output()
            .unwrap();
        assert_eq!(code(&ok), 0, "{task}: {}", stderr(&ok));
        let skipped = kbctl(small_index())
            .args(["--index", "idx", task, "--input-format", "jsonl"])
            .write_stdin("{\"id\": \"a\", \"text\": \"reset my password\"}\n{broken\n")
            .output()
            .unwrap();
        assert_eq!(code(&skipped), SKIPPED, "{task}: {}", stderr(&skipped));
        assert_eq!(
            String::from_utf8_lossy(&skipped.stdout).lines().count(),
            2,
            "the good record is still answered"
        );
        let missing = kbctl(small_index())
            .args(["--index", "idx", task, "no-such-file.jsonl"])
            .output()
            .unwrap();
        assert_eq!(code(&missing), ERROR, "{task}: {}", stderr(&missing));
    }
}

#[test]
fn eval_exit_codes_tell_a_failed_gate_from_a_broken_run() {
    let eval = |args: &[&str]| {
        let out = tempfile::tempdir().unwrap();
        kbctl(fixture_index())
            .args(["--index", "idx", "-q", "eval", "--format", "json", "-o"])
            .arg(out.path().join("results.json"))
            .arg(replay())
            .args(args)
            .output()
            .unwrap()
    };
    let ok = eval(&[]);
    assert_eq!(code(&ok), 0, "{}", stderr(&ok));
    assert_eq!(code(&eval(&["--fail-under", "containment=0.99"])), FAILED);
    let typo = eval(&["--fail-under", "contaiment=0.5"]);
    assert_eq!(code(&typo), ERROR, "a typo is not a failed gate");
    assert!(stderr(&typo).contains("contaiment"), "{}", stderr(&typo));
}

#[test]
fn tune_report_init_and_doctor_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let tune = kbctl(fixture_index())
        .args(["--index", "idx", "-q", "tune", "--dry-run"])
        .arg(replay())
        .output()
        .unwrap();
    assert_eq!(code(&tune), 0, "{}", stderr(&tune));
    let tune_missing = kbctl(fixture_index())
        .args(["--index", "idx", "tune", "missing.jsonl"])
        .output()
        .unwrap();
    assert_eq!(code(&tune_missing), ERROR);

    let report = kbctl(dir.path())
        .arg("report")
        .arg(fixtures().join("eval/results.json"))
        .args(["-o", "r.html"])
        .output()
        .unwrap();
    assert_eq!(code(&report), 0, "{}", stderr(&report));
    let report_missing = kbctl(dir.path())
        .args(["report", "missing.json"])
        .output()
        .unwrap();
    assert_eq!(code(&report_missing), ERROR);

    assert_eq!(code(&kbctl(dir.path()).arg("init").output().unwrap()), 0);
    assert_eq!(
        code(&kbctl(dir.path()).arg("init").output().unwrap()),
        ERROR,
        "no overwrite"
    );

    let doctor = kbctl(small_index())
        .args(["--index", "idx", "doctor"])
        .output()
        .unwrap();
    assert_eq!(code(&doctor), 0, "{}", stderr(&doctor));
    let failing = kbctl(dir.path())
        .env("KBCTL_HOME", dir.path().join("empty-home"))
        .env_remove("KBCTL_ORT_LIB")
        .env_remove("ORT_DYLIB_PATH")
        .arg("doctor")
        .output()
        .unwrap();
    assert_eq!(
        code(&failing),
        FAILED,
        "a failed check is a verdict, not a broken run"
    );
}

#[test]
fn completions_for_every_shell_name_every_subcommand() {
    let dir = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let output = kbctl(dir.path())
            .args(["completions", shell])
            .output()
            .unwrap();
        assert_eq!(code(&output), 0, "{shell}: {}", stderr(&output));
        let script = String::from_utf8(output.stdout).unwrap();
        for sub in [
            "ingest", "search", "answer", "classify", "eval", "tune", "report", "doctor",
        ] {
            assert!(script.contains(sub), "{shell} completion lacks {sub}");
        }
        assert!(
            script.contains("fail-under"),
            "{shell} completion lacks eval's flags"
        );
    }
    // The bash script is valid bash.
    let path = dir.path().join("kbctl.bash");
    let bash = kbctl(dir.path())
        .args(["completions", "bash"])
        .output()
        .unwrap();
    std::fs::write(&path, &bash.stdout).unwrap();
    if let Ok(status) = std::process::Command::new("bash")
        .arg("-n")
        .arg(&path)
        .status()
    {
        assert!(status.success(), "bash -n rejects the completion script");
    }
    let bad = kbctl(dir.path())
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert_eq!(code(&bad), ERROR);
}

#[test]
fn man_pages_render_and_document_the_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let output = kbctl(dir.path()).arg("man").output().unwrap();
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let page = String::from_utf8(output.stdout).unwrap();
    assert!(
        page.starts_with(".ie") || page.contains(".TH kbctl 1"),
        "{page}"
    );
    assert!(
        page.contains(".SH NAME") && page.contains("ingest"),
        "{page}"
    );
    assert!(page.contains("Exit codes"), "the contract is in the page");

    let pages = dir.path().join("man");
    let output = kbctl(dir.path())
        .args(["man", "--dir"])
        .arg(&pages)
        .output()
        .unwrap();
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    for name in [
        "kbctl.1",
        "kbctl-ingest.1",
        "kbctl-eval.1",
        "kbctl-answer.1",
    ] {
        let text = std::fs::read_to_string(pages.join(name)).unwrap();
        assert!(text.contains(".TH"), "{name}");
    }
}

/// Every subcommand on hostile input ends with a code of the contract and without a panic.
#[test]
fn no_subcommand_panics_on_hostile_input() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let junk = garbage(64 * 1024, 7);
    let mut long_line = vec![b'a'; 2 * 1024 * 1024];
    long_line.push(b'\n');
    write_files(
        d,
        &[
            ("empty.jsonl", ""),
            ("kb/ok.md", "# Fine\n\nA fine article.\n"),
        ],
    );
    for (name, bytes) in [
        ("junk.jsonl", &junk),
        ("junk.csv", &junk),
        ("junk.md", &junk),
        ("junk.json", &junk),
        ("kbctl.yaml", &junk),
        ("long.jsonl", &long_line),
    ] {
        std::fs::write(d.join(name), bytes).unwrap();
    }
    std::fs::create_dir_all(d.join("junkkb")).unwrap();
    for (i, ext) in ["md", "txt", "html", "csv"].iter().enumerate() {
        std::fs::write(
            d.join(format!("junkkb/j{i}.{ext}")),
            garbage(8192, i as u64),
        )
        .unwrap();
    }
    let idx = small_index().join("idx");
    let idx = idx.to_str().unwrap();
    let junk_config = d.join("kbctl.yaml");
    let junk_config = junk_config.to_str().unwrap();
    let cases: Vec<(Vec<&str>, Option<&[u8]>)> = vec![
        (vec!["--index", idx, "answer"], Some(&junk)),
        (
            vec!["--index", idx, "classify", "--input-format", "csv"],
            Some(&junk),
        ),
        (
            vec!["--index", idx, "answer", "--input-format", "jsonl"],
            Some(&junk),
        ),
        (vec!["--index", idx, "answer", "long.jsonl"], None),
        (vec!["--index", idx, "answer", "empty.jsonl"], None),
        (
            vec!["--index", idx, "search", "\u{1}\u{202e}\u{fffd}"],
            None,
        ),
        (vec!["--index", idx, "search", "-k", "0", "x"], None),
        (vec!["--index", idx, "search", "--eval", "junk.jsonl"], None),
        (vec!["--index", idx, "eval", "junk.jsonl"], None),
        (vec!["--index", idx, "eval", "junk.csv"], None),
        (vec!["--index", idx, "eval", "empty.jsonl"], None),
        (vec!["--index", idx, "tune", "junk.jsonl"], None),
        (vec!["report", "junk.json"], None),
        (vec!["report", "empty.jsonl"], None),
        (vec!["--index", "new-idx", "ingest", "junkkb"], None),
        (vec!["--index", "junk.md", "search", "x"], None),
        (
            vec!["--config", junk_config, "--index", idx, "doctor"],
            None,
        ),
        (
            vec!["--config", junk_config, "--index", idx, "answer"],
            Some(b"hi\n"),
        ),
        (
            vec!["--threads", "0", "--index", idx, "answer"],
            Some(b"hi\n"),
        ),
        (vec!["man", "--dir", "junk.md"], None),
    ];
    for (args, stdin) in cases {
        let mut cmd = kbctl(d);
        cmd.args(&args);
        if let Some(input) = stdin {
            cmd.write_stdin(input);
        }
        let output = cmd.output().unwrap_or_else(|e| panic!("{args:?}: {e}"));
        let c = code(&output);
        let err = stderr(&output);
        assert!(
            [0, FAILED, ERROR, SKIPPED].contains(&c),
            "{args:?} exited {c}: {err}"
        );
        assert!(!err.contains("panicked"), "{args:?} panicked: {err}");
    }
}
