//! Hostile input: every known PII example mutated (separators, spacing, full width, obfuscation) and checked in every output; report injection; broken CSV rows; replay sanity.

use std::path::Path;

use serde_json::Value;

use crate::util::{fixture_index, fixtures, kbctl, skipped_records_exit, stderr};

/// One PII example as written in a ticket, and every form of it that must not be printed.
struct Variant {
    label: String,
    written: String,
    forbidden: Vec<String>,
}

/// Full-width form of ASCII (what NFKC folds back): digits, letters, punctuation; a space
/// becomes the ideographic space.
fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            ' ' => '\u{3000}',
            '!'..='~' => char::from_u32(c as u32 + 0xfee0).unwrap(),
            other => other,
        })
        .collect()
}

/// Every mutation of every example: each separator (space, dot, dash, slash, none), doubled
/// spaces, full width, a Cyrillic look-alike letter, and for the address each obfuscation.
fn variants() -> Vec<Variant> {
    let numbers: [(&str, &[&str]); 4] = [
        ("card", &["4111", "1111", "1111", "1111"]),
        ("iban", &["PL61", "1090", "1014", "0000", "0712", "1981", "2874"]),
        ("pesel", &["440514", "01359"]),
        ("inn", &["5001", "0073", "2259"]),
    ];
    let mut out = Vec::new();
    for (kind, groups) in numbers {
        let compact = groups.concat();
        let spaced = groups.join(" ");
        let digits: String = compact.chars().filter(char::is_ascii_digit).collect();
        let mut forbidden = vec![compact.clone(), spaced.clone(), digits.clone()];
        for sep in [".", "-", "/"] {
            forbidden.push(groups.join(sep));
        }
        forbidden.push(full_width(&spaced));
        forbidden.push(full_width(&compact));
        let mut written: Vec<(String, String)> = [" ", ".", "-", "/", ""]
            .iter()
            .map(|sep| (format!("sep {sep:?}"), groups.join(sep)))
            .collect();
        written.push(("double spaces".into(), groups.join("  ")));
        written.push(("full width".into(), full_width(&spaced)));
        written.push(("full width compact".into(), full_width(&compact)));
        if kind == "iban" {
            // A Cyrillic Р in the country code.
            written.push(("cyrillic P".into(), format!("Р{}", &spaced[1..])));
            forbidden.push(spaced[2..].to_string());
        }
        for (how, text) in written {
            out.push(Variant {
                label: format!("{kind} {how}"),
                written: text,
                forbidden: forbidden.clone(),
            });
        }
    }
    for (how, text) in [
        ("plain", "jan.kowalski@firma.pl"),
        ("(at)", "jan.kowalski(at)firma.pl"),
        ("[at]", "jan.kowalski[at]firma.pl"),
        (" at ", "jan.kowalski at firma.pl"),
        ("собака", "jan.kowalski собака firma.pl"),
        ("małpa", "jan.kowalski małpa firma.pl"),
        ("(dot)", "jan.kowalski(at)firma(dot)pl"),
        ("spaced", "jan.kowalski (at) firma (dot) pl"),
        ("kropka", "jan.kowalski [małpa] firma [kropka] pl"),
        ("точка", "jan.kowalski(собака)firma(точка)pl"),
        ("full width", "ｊａｎ．ｋｏｗａｌｓｋｉ＠ｆｉｒｍａ．ｐｌ"),
    ] {
        out.push(Variant {
            label: format!("email {how}"),
            written: text.to_string(),
            forbidden: vec![
                "kowalski".into(),
                "firma".into(),
                full_width("kowalski"),
                full_width("firma"),
            ],
        });
    }
    out
}

/// The sentence a variant is written in (Polish, Russian or English, as a customer would).
fn ticket_text(v: &Variant) -> String {
    if v.label.starts_with("inn") {
        format!("Здравствуйте, мой номер {} для закрывающих документов", v.written)
    } else if v.label.starts_with("card") {
        format!("Please refund the card {} for the double charge", v.written)
    } else {
        format!("Proszę o kontakt, dane: {} dziękuję", v.written)
    }
}

/// Error records whose rejected values are PII: they must be described, never quoted.
const BAD_TICKETS: &[&str] = &[
    r#"{"id":"bad-number","text":4111111111111111}"#,
    r#"{"id":"bad-email","text":"hi","customer":{"email":["jan.kowalski@firma.pl"]}}"#,
    r#"{"id":"bad-role","messages":[{"role":"4111 1111 1111 1111","text":"hi"}]}"#,
    r#"{"id":"bad-json","text":"4111 1111 1111 1111"#,
    r#"["jan.kowalski@firma.pl", 44051401359]"#,
];

/// Assert no form of any variant appears in `output` (named `what` in the failure).
fn assert_clean(what: &str, output: &str, variants: &[Variant]) {
    for v in variants {
        for f in &v.forbidden {
            assert!(
                !output.contains(f.as_str()),
                "{what}: `{f}` ({}) leaked:\n{}",
                v.label,
                output
                    .lines()
                    .filter(|l| l.contains(f.as_str()))
                    .collect::<Vec<_>>()
                    .join("\n")
            );
        }
        assert!(
            !output.contains(v.written.as_str()),
            "{what}: `{}` ({}) leaked",
            v.written,
            v.label
        );
    }
}

fn tickets_jsonl(variants: &[Variant]) -> String {
    let mut text = String::new();
    for (i, v) in variants.iter().enumerate() {
        let line = serde_json::json!({"id": format!("pii-{i}"), "text": ticket_text(v)});
        text.push_str(&line.to_string());
        text.push('\n');
    }
    for bad in BAD_TICKETS {
        text.push_str(bad);
        text.push('\n');
    }
    text
}

#[test]
fn no_form_of_a_pii_example_reaches_any_output_of_answer_or_classify() {
    let variants = variants();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("tickets.jsonl");
    std::fs::write(&input, tickets_jsonl(&variants)).unwrap();
    let mut csv_input = String::from("id,text\n");
    for (i, v) in variants.iter().enumerate() {
        csv_input.push_str(&format!("c-{i},\"{}\"\n", ticket_text(v)));
    }
    csv_input.push_str("c-extra,4111 1111 1111 1111,jan.kowalski@firma.pl\n");
    let csv_path = dir.path().join("tickets.csv");
    std::fs::write(&csv_path, csv_input).unwrap();
    for (cmd, format, file) in [
        ("answer", "jsonl", &input),
        ("classify", "table", &input),
        ("answer", "csv", &csv_path),
        ("answer", "json", &csv_path),
    ] {
        let output = kbctl(fixture_index())
            .args(["--index", "idx", cmd, "--format", format])
            .arg(file)
            .output()
            .unwrap();
        let what = format!("{cmd} --format {format} {}", file.display());
        assert_eq!(
            output.status.code(),
            Some(skipped_records_exit(cmd)),
            "{what}: {}",
            stderr(&output)
        );
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert_clean(&format!("{what} stdout"), &stdout, &variants);
        assert_clean(&format!("{what} stderr"), &stderr(&output), &variants);
        if format == "jsonl" {
            let lines: Vec<Value> = stdout
                .lines()
                .map(|l| serde_json::from_str(l).unwrap())
                .collect();
            assert_eq!(lines.len(), variants.len() + BAD_TICKETS.len());
            // Each variant was found as PII (not merely absent from a short output).
            for (v, line) in variants.iter().zip(&lines) {
                assert!(
                    !line["pii"].as_array().unwrap().is_empty(),
                    "{}: nothing found in {line}",
                    v.label
                );
            }
            let errors: Vec<&str> = lines[variants.len()..]
                .iter()
                .map(|l| l["error"].as_str().unwrap())
                .collect();
            assert_eq!(
                errors[0],
                "field `text`: expected a string, found a number (16 digits)"
            );
        }
    }
}

/// `kbctl eval` on a replay of every variant plus bad rows, with the audit rows in `audit`.
fn eval_variants(replay: &Path, out: &Path, audit: &Path) -> std::process::Output {
    kbctl(fixture_index())
        .args(["--index", "idx", "eval", "--format", "table", "-o"])
        .arg(out)
        .arg("--tickets-out")
        .arg(audit)
        .arg(replay)
        .output()
        .unwrap()
}

/// Replay rows whose bad values are PII.
const BAD_REPLAY_ROWS: &[&str] = &[
    r#"{"id":"r-number","text":4111111111111111}"#,
    r#"{"id":"r-time","text":"hello","created_at":"4111 1111 1111 1111"}"#,
    r#"{"id":"r-flag","text":"hello","should_escalate":"jan.kowalski@firma.pl"}"#,
    r#"{"id":"r-docs","text":"hello","gold_docs":44051401359}"#,
    r#"{"id":"r-msgs","messages":"[{\"role\":\"4111111111111111\",\"text\":\"x\"}]"}"#,
];

#[test]
fn no_form_of_a_pii_example_reaches_the_results_the_audit_rows_or_the_reports() {
    let variants = variants();
    let dir = tempfile::tempdir().unwrap();
    let replay = dir.path().join("replay.jsonl");
    let mut text = String::new();
    for (i, v) in variants.iter().enumerate() {
        let row = serde_json::json!({
            "id": format!("pii-{i}"),
            "text": ticket_text(v),
            "agent": "ann",
            "should_escalate": true,
            "created_at": "2026-03-02T09:00:00Z",
            "first_response_at": "2026-03-02T10:00:00Z",
        });
        text.push_str(&row.to_string());
        text.push('\n');
    }
    for bad in BAD_REPLAY_ROWS {
        text.push_str(bad);
        text.push('\n');
    }
    std::fs::write(&replay, text).unwrap();
    let results = dir.path().join("results.json");
    for ext in ["csv", "jsonl", "parquet"] {
        let audit = dir.path().join(format!("audit.{ext}"));
        let output = eval_variants(&replay, &results, &audit);
        let what = format!("eval --tickets-out audit.{ext}");
        assert_eq!(
            output.status.code(),
            Some(skipped_records_exit("eval")),
            "{what}: {}",
            stderr(&output)
        );
        assert_clean(
            &format!("{what} stdout"),
            &String::from_utf8_lossy(&output.stdout),
            &variants,
        );
        assert_clean(&format!("{what} stderr"), &stderr(&output), &variants);
        let rows = if ext == "parquet" {
            use polars::prelude::*;
            let file = std::fs::File::open(&audit).unwrap();
            let mut df = ParquetReader::new(file).finish().unwrap();
            let mut buf = Vec::new();
            CsvWriter::new(&mut buf).finish(&mut df).unwrap();
            String::from_utf8(buf).unwrap()
        } else {
            std::fs::read_to_string(&audit).unwrap()
        };
        assert!(rows.contains("pii-0"), "{what}: the audit rows are there");
        assert_clean(&format!("audit.{ext}"), &rows, &variants);
    }
    let r: Value = serde_json::from_str(&std::fs::read_to_string(&results).unwrap()).unwrap();
    assert_eq!(r["replay"]["skipped"], BAD_REPLAY_ROWS.len(), "{}", r["replay"]);
    let issues = r["replay"]["issues"].to_string();
    assert!(
        issues.contains("found a number (16 digits)"),
        "the issue says what was found: {issues}"
    );
    assert_clean("results.json", &std::fs::read_to_string(&results).unwrap(), &variants);
    for format in ["html", "md"] {
        let output = kbctl(dir.path())
            .arg("report")
            .arg(&results)
            .args(["--format", format])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let report = String::from_utf8_lossy(&output.stdout);
        assert!(report.len() > 500, "a {format} report was written");
        assert_clean(&format!("report --format {format}"), &report, &variants);
    }
}

#[allow(dead_code)]
fn hostile(name: &str) -> std::path::PathBuf {
    fixtures().join("hostile").join(name)
}
