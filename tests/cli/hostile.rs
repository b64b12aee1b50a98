//! Hostile input: every known PII example mutated (separators, spacing, full width, obfuscation) and checked in every output; report injection; broken CSV rows; replay sanity.

use std::path::Path;

use serde_json::Value;

use crate::util::{FAILED, SKIPPED, fixture_index, kbctl, stderr};

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
    let numbers: [(&str, &[&str]); 6] = [
        ("card", &["4111", "1111", "1111", "1111"]),
        (
            "iban",
            &["PL61", "1090", "1014", "0000", "0712", "1981", "2874"],
        ),
        ("pesel", &["440514", "01359"]),
        ("inn", &["5001", "0073", "2259"]),
        ("snils", &["112", "233", "445", "95"]),
        ("phone", &["+48", "601", "234", "567"]),
    ];
    let mut out = Vec::new();
    for (kind, groups) in numbers {
        let compact = groups.concat();
        let spaced = groups.join(" ");
        let digits: String = compact.chars().filter(char::is_ascii_digit).collect();
        let mut forbidden = vec![compact.clone(), spaced.clone(), digits.clone()];
        if kind == "phone" {
            // The number without its country code, as a reader would dial it.
            forbidden.push(groups[1..].concat());
            forbidden.push(groups[1..].join(" "));
        }
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
        format!(
            "Здравствуйте, мой номер {} для закрывающих документов",
            v.written
        )
    } else if v.label.starts_with("snils") {
        format!("Мой СНИЛС {} для оформления вычета", v.written)
    } else if v.label.starts_with("phone") {
        format!("Please call me back on {} after five", v.written)
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

/// Assert no form of any variant appears in `output` (named `what` in the failure); every leak
/// is listed, with the variants it belongs to and the lines it is on.
fn assert_clean(what: &str, output: &str, variants: &[Variant]) {
    let mut leaks: Vec<String> = Vec::new();
    for v in variants {
        for f in v.forbidden.iter().chain(std::iter::once(&v.written)) {
            if let Some(at) = output.find(f.as_str()) {
                let mut from = at.saturating_sub(80);
                while !output.is_char_boundary(from) {
                    from -= 1;
                }
                let mut to = (at + f.len() + 40).min(output.len());
                while !output.is_char_boundary(to) {
                    to += 1;
                }
                leaks.push(format!(
                    "`{f}` (a form of {}): ...{}...",
                    v.label,
                    &output[from..to]
                ));
            }
        }
    }
    assert!(leaks.is_empty(), "{what}: leaked\n{}", leaks.join("\n"));
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
            Some(SKIPPED),
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

/// A question the fixtures knowledge base has no answer to (escalated for low confidence
/// alone): asked alike by several customers, it is a knowledge-base gap.
const GAP_QUESTION: &str = "Do you sponsor local football teams or charity events?";

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
        // A question the knowledge base does not answer, asked alike by several customers: a
        // gap whose example texts carry PII (no escalation demanded, so it counts as a gap).
        if i % 3 == 0 {
            let row = serde_json::json!({
                "id": format!("gap-{i}"),
                "text": format!("{GAP_QUESTION} {}", ticket_text(v)),
            });
            text.push_str(&row.to_string());
            text.push('\n');
        }
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
            Some(SKIPPED),
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
            // As JSON lines: the audit rows hold lists, which CSV cannot.
            let mut buf = Vec::new();
            JsonWriter::new(&mut buf)
                .with_json_format(JsonFormat::JsonLines)
                .finish(&mut df)
                .unwrap();
            String::from_utf8(buf).unwrap()
        } else {
            std::fs::read_to_string(&audit).unwrap()
        };
        assert!(rows.contains("pii-0"), "{what}: the audit rows are there");
        assert_clean(&format!("audit.{ext}"), &rows, &variants);
    }
    let r: Value = serde_json::from_str(&std::fs::read_to_string(&results).unwrap()).unwrap();
    assert_eq!(
        r["replay"]["skipped"],
        BAD_REPLAY_ROWS.len(),
        "{}",
        r["replay"]
    );
    let issues = r["replay"]["issues"].to_string();
    assert!(
        issues.contains("found a number (16 digits)"),
        "the issue says what was found: {issues}"
    );
    let gaps = r["gaps"].to_string();
    assert!(
        gaps.contains("football")
            && [
                "[CARD]", "[IBAN]", "[EMAIL]", "[PHONE]", "[PESEL]", "[INN]", "[SNILS]"
            ]
            .iter()
            .any(|tag| gaps.contains(tag)),
        "the PII-bearing questions are a gap with examples: {gaps}"
    );
    assert_clean(
        "results.json",
        &std::fs::read_to_string(&results).unwrap(),
        &variants,
    );
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

/// What a ticket, a category, an agent or an intent may carry to attack a report read on GitHub.
const INJECTIONS: &[&str] = &[
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "![pixel](https://evil.example/p.png)",
    "[click me](https://evil.example/login)",
    "`code` *bold* _it_ a|b",
];

#[test]
fn data_cannot_inject_html_links_or_images_into_the_markdown_report() {
    let dir = tempfile::tempdir().unwrap();
    let replay = dir.path().join("replay.jsonl");
    let mut text = String::new();
    // Tickets much alike the knowledge base leaves unanswered: a gap with examples.
    for i in 0..10 {
        let payload = INJECTIONS[i % INJECTIONS.len()];
        let row = serde_json::json!({
            "id": format!("inj-{i}"),
            "text": format!("{payload} {GAP_QUESTION}"),
            "category": INJECTIONS[(i + 1) % INJECTIONS.len()],
            "intent": INJECTIONS[(i + 2) % INJECTIONS.len()],
            "agent": INJECTIONS[(i + 3) % INJECTIONS.len()],
            "language": INJECTIONS[(i + 4) % INJECTIONS.len()],
            "created_at": "2026-03-02T09:00:00Z",
            "first_response_at": "2026-03-02T10:00:00Z",
        });
        text.push_str(&row.to_string());
        text.push('\n');
    }
    std::fs::write(&replay, text).unwrap();
    let results = dir.path().join("results.json");
    let output = kbctl(fixture_index())
        .args(["--index", "idx", "eval", "--format", "table", "-o"])
        .arg(&results)
        .arg(&replay)
        .output()
        .unwrap();
    assert!(
        matches!(output.status.code(), Some(0 | FAILED)),
        "{}",
        stderr(&output)
    );
    let raw = std::fs::read_to_string(&results).unwrap();
    let r: Value = serde_json::from_str(&raw).unwrap();
    // The payloads did reach the results: the report is what has to defuse them.
    let examples = r["gaps"][0]["examples"].to_string();
    assert!(
        INJECTIONS.iter().any(|p| examples.contains(p)),
        "a gap example carries a payload: {}",
        r["gaps"]
    );
    let categories = r["segments"]["category"].to_string();
    assert!(categories.contains("<img src=x"), "{categories}");
    let md_path = dir.path().join("report.md");
    let output = kbctl(dir.path())
        .arg("report")
        .arg(&results)
        .args(["--format", "md", "-o"])
        .arg(&md_path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let md = std::fs::read_to_string(&md_path).unwrap();
    for live in [
        "<script",
        "<img",
        "![",
        "](",
        "[click me]",
        "`code`",
        "*bold*",
        "_it_",
        "a|b",
    ] {
        assert!(
            !md.contains(live),
            "`{live}` reached the Markdown report:\n{md}"
        );
    }
    // Defused, still readable: escaped, not dropped.
    for inert in [
        "&lt;script&gt;alert\\(1\\)&lt;/script&gt;",
        "&lt;img src=x onerror=alert\\(1\\)&gt;",
        "\\!\\[pixel\\]\\(https://evil.example/p.png\\)",
    ] {
        assert!(md.contains(inert), "`{inert}` missing from:\n{md}");
    }
    // The category table keeps its six columns: a `|` in a value does not split a cell.
    let row = md
        .lines()
        .find(|l| l.starts_with("| \\`code\\`"))
        .unwrap_or_else(|| panic!("a category row for the code payload:\n{md}"));
    let cells = row.replace("\\|", "").matches('|').count();
    assert_eq!(cells, 7, "{row}");
    let output = kbctl(dir.path())
        .arg("report")
        .arg(&results)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let html = String::from_utf8_lossy(&output.stdout);
    assert!(
        !html.contains("<script") && !html.contains("<img"),
        "HTML report"
    );
    assert!(
        html.contains("&lt;script&gt;"),
        "HTML report shows the text escaped"
    );
}

/// A CSV replay, a ticket CSV and a FAQ CSV, each with one row of every bad kind: each bad row
/// is one issue naming the file and its physical line, the rest is read, nothing else lost.
#[test]
fn a_bad_csv_row_is_one_located_issue_and_the_rest_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let rows: &[u8] = b"id,text,category,should_escalate\n\
        c1,Where can I download my invoice?,billing,false\n\
        c2,\"a quote never closed,billing,false\n\
        c3,How do I change my password?,account,false\n\
        c4,one field too many,billing,false,4111 1111 1111 1111\n\
        c5,bad \xff byte,billing,false\n\
        c6,\"Two\nlines, quoted\",billing,false\n\
        c7,Do you ship to Norway?,delivery,false\n";
    let replay = dir.path().join("replay.csv");
    std::fs::write(&replay, rows).unwrap();
    let results = dir.path().join("results.json");
    let output = kbctl(fixture_index())
        .args(["--index", "idx", "eval", "--format", "table", "-o"])
        .arg(&results)
        .arg(&replay)
        .output()
        .unwrap();
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(SKIPPED), "{err}");
    for needle in [
        "replay.csv:3: unterminated quote",
        "replay.csv:5: row has 5 fields, the header has 4",
        "replay.csv:6: invalid UTF-8 in column `text`",
    ] {
        assert!(
            err.contains(needle),
            "{needle:?} missing from stderr:\n{err}"
        );
    }
    assert!(!err.contains("4111"), "{err}");
    let r: Value = serde_json::from_str(&std::fs::read_to_string(&results).unwrap()).unwrap();
    assert_eq!(r["replay"]["tickets"], 4, "{}", r["replay"]);
    assert_eq!(r["replay"]["skipped"], 3, "{}", r["replay"]);
    assert_eq!(r["replay"]["issues"].as_array().unwrap().len(), 3);

    // The same rows as tickets: every record answered or reported, in order.
    let tickets = dir.path().join("tickets.csv");
    std::fs::write(&tickets, rows).unwrap();
    let output = kbctl(fixture_index())
        .args(["--index", "idx", "classify", "--format", "jsonl"])
        .arg(&tickets)
        .output()
        .unwrap();
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(SKIPPED), "{err}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let records: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let seen: Vec<String> = records
        .iter()
        .map(|r| match r["error"].as_str() {
            Some(_) => format!("error at {}", r["line"]),
            None => r["id"].as_str().unwrap_or_default().to_string(),
        })
        .collect();
    assert_eq!(
        seen,
        [
            "c1",
            "error at 3",
            "c3",
            "error at 5",
            "error at 6",
            "c6",
            "c7"
        ],
        "{stdout}"
    );
    assert!(
        err.contains("tickets.csv:3:") && err.contains("tickets.csv:6:"),
        "{err}"
    );

    // A FAQ table: the broken quote does not swallow the next good row.
    let kb = dir.path().join("kb");
    std::fs::create_dir_all(&kb).unwrap();
    std::fs::write(
        kb.join("faq.csv"),
        "id,questions,answer,category,language\n\
         faq-ok-1,How do I download an invoice?,\"Settings, then Billing.\",billing,en\n\
         faq-broken,\"Can I pay by card?,Yes.,billing,en\n\
         faq-ok-2,Do you ship to Norway?,\"Yes, in 5-8 days.\",delivery,en\n\
         faq-extra,Can I pay by transfer?,Yes.,billing,en,surplus\n\
         faq-ok-3,Can I change my plan?,In Settings.,account,en\n",
    )
    .unwrap();
    let (summary, code, err) = crate::util::ingest(dir.path(), "idx", &["kb"], &[]);
    assert_eq!(code, SKIPPED, "{err}");
    assert!(err.contains("faq.csv:3: unterminated quote"), "{err}");
    assert!(err.contains("faq.csv:5: row has 6 fields"), "{err}");
    assert_eq!(summary["documents"], 3, "{summary}");
    let output = crate::util::search_json(dir.path(), &["-k", "1", "shipping to Norway"]);
    let hits = crate::util::json(&output);
    assert_eq!(hits[0]["hits"][0]["doc_id"], "faq-ok-2", "{hits}");
}
