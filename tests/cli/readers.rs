//! Readers beside writers: searches and answer streams while ingests publish, and indexes on read-only volumes.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::util::{SMALL_KB, ingest, kbctl, stderr, write_files};

/// One article whose text alternates, so that every ingest publishes a changed generation.
fn article(version: usize) -> String {
    format!(
        "---\nid: order-tracking\ntitle: Where is my order?\nlanguage: en\n---\n# Where is my order?\n\nEvery shipment gets a tracking link by email (revision {version}).\n"
    )
}

/// The generation directories in an index folder.
fn generations(index: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(index)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("gen-"))
        .collect();
    names.sort();
    names
}

/// `searches` runs of `kbctl search` while another thread re-ingests a changed article over and
/// over; returns the failed searches (with their stderr) and the number of ingests published.
fn searches_during_ingests(searches: usize) -> (Vec<String>, usize, Duration) {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), &[("kb/order.md", &article(0))]);
    let (_, code, err) = ingest(dir.path(), "idx", &["kb"], &["--profile", "fast"]);
    assert_eq!(code, 0, "{err}");

    let stop = Arc::new(AtomicBool::new(false));
    let published = Arc::new(AtomicUsize::new(0));
    let writer = {
        let (stop, published) = (Arc::clone(&stop), Arc::clone(&published));
        let root = dir.path().to_path_buf();
        std::thread::spawn(move || {
            let mut version = 0;
            let mut failures = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                version += 1;
                write_files(&root, &[("kb/order.md", &article(version))]);
                let (summary, code, err) = ingest(&root, "idx", &["kb"], &["--profile", "fast"]);
                if code == 0 && summary["updated"] == 1 {
                    published.fetch_add(1, Ordering::Relaxed);
                } else {
                    failures.push(format!("ingest exited {code}: {err}"));
                }
            }
            failures
        })
    };
    let started = Instant::now();
    let mut failed = Vec::new();
    for i in 0..searches {
        let output = kbctl(dir.path())
            .args(["--index", "idx", "--profile", "fast", "-q", "search"])
            .args(["--format", "json", "-k", "1", "tracking link for my order"])
            .output()
            .unwrap();
        let found = String::from_utf8_lossy(&output.stdout).contains("order-tracking");
        if !output.status.success() || !found {
            failed.push(format!(
                "search {i} exited {:?}: {}",
                output.status.code(),
                stderr(&output)
            ));
        }
    }
    let elapsed = started.elapsed();
    stop.store(true, Ordering::Relaxed);
    let writer_failures = writer.join().unwrap();
    assert!(writer_failures.is_empty(), "{writer_failures:?}");
    // With no reader left, the next publish retires every older generation.
    let (_, code, err) = ingest(dir.path(), "idx", &["kb"], &["--profile", "fast"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(generations(&dir.path().join("idx")).len(), 1);
    (failed, published.load(Ordering::Relaxed), elapsed)
}

fn check_searches_during_ingests(searches: usize) {
    let (failed, published, elapsed) = searches_during_ingests(searches);
    eprintln!(
        "{} of {searches} searches failed during {published} ingests, {:.1}s",
        failed.len(),
        elapsed.as_secs_f64()
    );
    assert!(
        failed.is_empty(),
        "{} of {searches} searches failed:\n{}",
        failed.len(),
        failed.join("\n")
    );
    assert!(
        published >= 3,
        "only {published} ingests published during the searches: the test proved nothing"
    );
}

/// Before leases, 4 of 53 searches started during ingests failed ("opening
/// .../gen-000040/views.jsonl: No such file or directory"). About 160 s on a shared 2-core
/// machine (0 of 200 failed during 151 ingests).
#[test]
fn two_hundred_searches_never_fail_while_ingests_publish() {
    check_searches_during_ingests(200);
}

/// A long `answer` stream keeps its generation while later ingests publish over it.
#[test]
fn an_answer_stream_keeps_its_generation_across_ingests() {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), &[("kb/order.md", &article(0))]);
    let (_, code, err) = ingest(dir.path(), "idx", &["kb"], &["--profile", "fast"]);
    assert_eq!(code, 0, "{err}");
    let index = dir.path().join("idx");
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("kbctl"))
        .current_dir(dir.path())
        .args([
            "--index",
            "idx",
            "--profile",
            "fast",
            "--threads",
            "1",
            "-q",
        ])
        .args(["answer"])
        .env_remove("KBCTL_INDEX")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut ask = |id: &str| {
        writeln!(
            stdin,
            "{{\"id\": \"{id}\", \"text\": \"Where is my order?\"}}"
        )
        .unwrap();
        stdin.flush().unwrap();
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        line
    };
    let first = ask("T1");
    assert!(first.contains("order-tracking"), "{first}");
    for version in 1..=2 {
        write_files(dir.path(), &[("kb/order.md", &article(version))]);
        let (_, code, err) = ingest(dir.path(), "idx", &["kb"], &["--profile", "fast"]);
        assert_eq!(code, 0, "{err}");
    }
    // The stream's generation is still there, beside the live one.
    assert_eq!(
        generations(&index),
        ["gen-000001", "gen-000003"],
        "the answer stream's generation was deleted under it"
    );
    let second = ask("T2");
    assert!(
        second.contains("\"T2\"") && second.contains("order-tracking"),
        "{second}"
    );
    drop(stdin);
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    // Released: the next ingest retires it.
    let (_, code, err) = ingest(dir.path(), "idx", &["kb"], &["--profile", "fast"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(generations(&index), ["gen-000004"]);
}

/// Every file under `dir` with its length and modification time.
fn snapshot(dir: &Path) -> Vec<(PathBuf, u64, std::time::SystemTime)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let meta = entry.metadata().unwrap();
            if meta.is_dir() {
                stack.push(entry.path());
            }
            out.push((entry.path(), meta.len(), meta.modified().unwrap()));
        }
    }
    out.sort();
    out
}

/// Copy a directory tree.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every read command, on the index at `ro` (relative to `cwd`): each must succeed.
/// `wrap` turns the kbctl argument list into the command to run.
fn run_read_commands(cwd: &Path, wrap: &dyn Fn(&[&str]) -> Command) {
    let ticket = "{\"id\": \"T1\", \"text\": \"Where is my order? No tracking yet\"}\n";
    std::fs::write(
        cwd.join("replay.jsonl"),
        "{\"id\": \"R1\", \"text\": \"Where is my order?\", \"gold_docs\": [\"order-tracking\"]}\n",
    )
    .unwrap();
    let runs: [(&[&str], &str, &str); 5] = [
        (
            &["search", "--format", "json", "where is my order"],
            "",
            "order-tracking",
        ),
        (&["answer"], ticket, "order-tracking"),
        (&["classify"], ticket, "\"T1\""),
        (
            &[
                "eval",
                "--no-vector-cache",
                "--format",
                "json",
                "replay.jsonl",
            ],
            "",
            "tickets",
        ),
        (&["doctor", "--format", "json"], "", "generation 1"),
    ];
    for (args, stdin, needle) in runs {
        let mut all = vec!["--index", "ro", "-q"];
        all.extend_from_slice(args);
        let mut cmd = wrap(&all);
        let mut child = cmd
            .current_dir(cwd)
            .env_remove("KBCTL_INDEX")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        let output = child.wait_with_output().unwrap();
        let out = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success() && out.contains(needle),
            "kbctl {} on a read-only index exited {:?}:\n{out}\n{}",
            args.join(" "),
            output.status.code(),
            stderr(&output)
        );
    }
}

/// A copy of the small test index, as `ro` under a new temp folder.
fn index_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), SMALL_KB);
    let (_, code, err) = ingest(dir.path(), "idx", &["kb"], &[]);
    assert_eq!(code, 0, "{err}");
    copy_tree(&dir.path().join("idx"), &dir.path().join("ro"));
    dir
}

fn kbctl_command(args: &[&str]) -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("kbctl"));
    cmd.args(args);
    cmd
}

/// Reading writes nothing into the index: no lock file, no lease file, nothing changed.
/// (Holds whoever runs the test, root included.)
#[test]
fn read_commands_write_nothing_into_the_index() {
    let dir = index_copy();
    let before = snapshot(&dir.path().join("ro"));
    run_read_commands(dir.path(), &kbctl_command);
    assert_eq!(before, snapshot(&dir.path().join("ro")));
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// search, answer, classify, eval and doctor on an index the process cannot write to: made
/// read-only by permissions, or, for root (whom permissions do not stop), by a read-only bind
/// mount in a private mount namespace (`unshare`), which vanishes with the process.
#[test]
fn every_read_command_works_on_a_read_only_index() {
    let dir = index_copy();
    let ro = dir.path().join("ro");
    if !is_root() {
        let chmod = |mode: &str| {
            let status = Command::new("chmod").args(["-R", mode]).arg(&ro).status();
            assert!(status.unwrap().success());
        };
        chmod("a-w");
        assert!(std::fs::write(ro.join("probe"), "").is_err());
        run_read_commands(dir.path(), &kbctl_command);
        chmod("u+w");
        return;
    }
    let bin = assert_cmd::cargo::cargo_bin("kbctl");
    let probe = Command::new("unshare")
        .args(["--mount", "sh", "-c"])
        .arg("mount --bind \"$0\" \"$0\" && mount -o remount,bind,ro \"$0\" \"$0\" && ! touch \"$0/probe\" 2>/dev/null")
        .arg(&ro)
        .status();
    if !probe.is_ok_and(|s| s.success()) {
        eprintln!(
            "SKIPPED every_read_command_works_on_a_read_only_index: running as root and no read-only bind mount possible here (unshare --mount)"
        );
        return;
    }
    let wrap = |args: &[&str]| {
        let mut cmd = Command::new("unshare");
        cmd.args(["--mount", "sh", "-c"])
            .arg("mount --bind \"$0\" \"$0\" && mount -o remount,bind,ro \"$0\" \"$0\" && shift && exec \"$@\"")
            .arg(&ro)
            .arg("--")
            .arg(&bin)
            .args(args);
        cmd
    };
    run_read_commands(dir.path(), &wrap);
}

/// `doctor` opens the index the way the read commands do: when `search` cannot (the BM25 index
/// of the live generation is damaged), `doctor` fails the index check instead of calling it fine.
#[test]
fn doctor_fails_the_index_when_search_cannot_open_it() {
    let dir = index_copy();
    let ro = dir.path().join("ro");
    let current = std::fs::read_to_string(ro.join("CURRENT")).unwrap();
    std::fs::remove_file(ro.join(current.trim()).join("tantivy/meta.json")).unwrap();
    let search = kbctl(dir.path())
        .args(["--index", "ro", "search", "where is my order"])
        .output()
        .unwrap();
    assert_eq!(search.status.code(), Some(crate::util::ERROR));
    let output = kbctl(dir.path())
        .args(["--index", "ro", "doctor", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(crate::util::FAILED),
        "{}",
        stderr(&output)
    );
    let checks: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let index = checks
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == "index")
        .unwrap_or_else(|| panic!("no index check in {checks}"));
    assert_eq!(index["status"], "fail", "{index}");
    assert!(
        index["detail"].as_str().unwrap().contains("BM25"),
        "{index}"
    );
}
