//! `kbctl answer` / `kbctl classify`: decisions, reasons with numbers, replies, handover, bad input, order, formats.

use serde_json::Value;

use crate::util::{ERROR, SKIPPED, kbctl, small_index, stderr};

/// Run `kbctl <cmd>` on stdin; parse every stdout line.
fn run(cmd: &str, stdin: &str, extra: &[&str]) -> (Vec<Value>, i32, String) {
    let output = kbctl(small_index())
        .args(["--index", "idx", cmd])
        .args(extra)
        .write_stdin(stdin.to_string())
        .output()
        .unwrap();
    let lines = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    (lines, output.status.code().unwrap_or(-1), stderr(&output))
}

fn one(text: &str) -> Value {
    let (mut lines, code, err) = run("answer", &format!("{text}\n"), &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(lines.len(), 1);
    lines.pop().unwrap()
}

fn reasons(v: &Value) -> Vec<String> {
    v["escalation_reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_routine_question_gets_a_reply_in_its_language() {
    let v = one(
        "{\"id\": \"T1\", \"text\": \"Где мой заказ? Отправили неделю назад\", \"customer\": {\"name\": \"Ольга Петрова\"}}",
    );
    assert_eq!(v["id"], "T1");
    assert_eq!(v["language"], "ru");
    assert_eq!(v["sources"][0]["doc_id"], "order-tracking");
    assert_eq!(v["intent"], "order-tracking");
    assert_eq!(v["category"], "delivery");
    let answer = v["answer"].as_str().unwrap();
    assert!(answer.starts_with("Здравствуйте, Ольга!"), "{answer}");
    // Either section of the tracking article answers it ("sent a week ago" fits the delays one).
    assert!(
        answer.contains("tracking link") || answer.contains("tracking has not moved"),
        "{answer}"
    );
    let c = v["confidence"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&c));
    for key in ["top_score", "margin", "agreement", "intent_share"] {
        assert!(
            v["signals"].get(key).is_some(),
            "signals.{key} missing: {v}"
        );
    }
    // Every decision other than auto comes with its reasons, and every reason with its numbers.
    if v["decision"] != "auto" {
        assert!(!reasons(&v).is_empty(), "{v}");
        assert!(v["handover"].is_object(), "{v}");
    }
}

#[test]
fn legal_threats_escalate_through_inflections() {
    for text in [
        "Мой юристом будет заниматься этим, готовьтесь к суду",
        "Przekażę sprawę prawnikowi",
        "I will take you to court over the password reset",
    ] {
        let v = one(text);
        assert_eq!(v["decision"], "escalate", "{text}: {v}");
        let r = v["escalation_reasons"].as_array().unwrap();
        let legal = r
            .iter()
            .find(|r| r["code"] == "trigger_term")
            .unwrap_or_else(|| panic!("{text}: {v}"));
        assert_eq!(legal["kind"], "legal", "{text}");
        assert!(legal["matched"].as_str().is_some_and(|m| !m.is_empty()));
        assert_eq!(v["priority"], "urgent");
    }
}

#[test]
fn requests_for_a_human_escalate_in_three_languages() {
    for text in [
        "Позовите оператора, пожалуйста",
        "Chcę rozmawiać z konsultantem",
        "Can I talk to a real person please",
    ] {
        let v = one(text);
        assert_eq!(v["decision"], "escalate", "{text}: {v}");
        assert!(
            reasons(&v).contains(&"human_request".to_string()),
            "{text}: {v}"
        );
    }
}

#[test]
fn a_never_automate_source_is_a_sensitive_topic() {
    let v = one("Как долго возвращаются деньги на карту после одобрения возврата?");
    assert_eq!(v["sources"][0]["doc_id"], "refund-ru");
    assert_eq!(v["decision"], "escalate", "{v}");
    assert!(reasons(&v).contains(&"sensitive_topic".to_string()), "{v}");
}

#[test]
fn questions_the_kb_cannot_answer_are_escalated_with_the_number() {
    let v = one("Do you offer pizza delivery on weekends in Madrid?");
    assert_eq!(v["decision"], "escalate", "{v}");
    let r = v["escalation_reasons"].as_array().unwrap();
    let low = r
        .iter()
        .find(|r| r["code"] == "no_kb_match" || r["code"] == "low_confidence")
        .expect("a reason");
    assert!(
        low["value"].as_f64().unwrap() < low["threshold"].as_f64().unwrap(),
        "{low}"
    );
}

#[test]
fn angry_customers_are_not_answered_by_the_bot() {
    let v = one(
        "THIS IS UNACCEPTABLE!!! Your service is a total scam, the worst ever, I want my money back NOW!!!",
    );
    assert_ne!(v["decision"], "auto", "{v}");
    assert_eq!(v["sentiment"]["label"], "negative");
    let r = v["escalation_reasons"].as_array().unwrap();
    let neg = r
        .iter()
        .find(|r| r["code"] == "negative_sentiment")
        .expect("negative_sentiment");
    assert!(neg["value"].as_f64().unwrap() <= neg["threshold"].as_f64().unwrap());
}

#[test]
fn pii_is_found_and_kept_out_of_the_handover() {
    let v = one(
        "{\"id\": \"P1\", \"text\": \"Мой юрист требует вернуть деньги на карту 4111 1111 1111 1111, пишите на anna@example.com\"}",
    );
    let kinds: Vec<&str> = v["pii"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"card") && kinds.contains(&"email"), "{v}");
    let handover = serde_json::to_string(&v["handover"]).unwrap();
    assert!(
        !handover.contains("4111") && !handover.contains("anna@example.com"),
        "{handover}"
    );
    assert!(handover.contains("[CARD]"), "{handover}");
}

#[test]
fn bad_records_are_reported_in_place_and_the_rest_answered() {
    let input = "{\"id\": \"A\", \"text\": \"reset my password\"}\n{broken json\n[1, 2]\n{\"id\": \"B\"}\n{\"id\": \"C\", \"text\": \"where is my order\"}\n";
    let (lines, code, err) = run("answer", input, &[]);
    assert_eq!(code, SKIPPED, "a bad record shows in the exit code");
    assert_eq!(lines.len(), 5, "one output line per input record");
    assert_eq!(lines[0]["id"], "A");
    for (i, line) in [(1, 2), (2, 3), (3, 4)] {
        assert_eq!(lines[i]["line"], line, "{}", lines[i]);
        assert!(lines[i]["error"].is_string());
    }
    assert_eq!(lines[4]["id"], "C");
    assert!(err.contains("-:2:") && err.contains("3 of 5"), "{err}");

    let (lines, code, _) = run("answer", input, &["--fail-fast"]);
    assert_eq!(code, ERROR, "--fail-fast makes the bad record fatal");
    assert_eq!(lines.len(), 2, "stops after the first bad record");
}

#[test]
fn output_keeps_input_order_with_two_workers() {
    let input: String = (0..24)
        .map(|i| {
            let text = [
                "where is my order",
                "jak zmienić hasło",
                "возврат денег",
                "invoice please",
            ][i % 4];
            format!("{{\"id\": \"N{i}\", \"text\": \"{text} {i}\"}}\n")
        })
        .collect();
    let (lines, code, err) = run("answer", &input, &["--threads", "2"]);
    assert_eq!(code, 0, "{err}");
    let ids: Vec<String> = lines
        .iter()
        .map(|l| l["id"].as_str().unwrap().to_string())
        .collect();
    let want: Vec<String> = (0..24).map(|i| format!("N{i}")).collect();
    assert_eq!(ids, want);
    let (single, ..) = run("answer", &input, &["--threads", "1"]);
    assert_eq!(
        lines, single,
        "the same decisions whatever the number of workers"
    );
}

#[test]
fn csv_input_with_a_column_map() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("export.csv");
    std::fs::write(&csv, "Case,Title,Message\nC-1,Hasło,\"Nie pamiętam hasła, jak je zmienić?\"\nC-2,Order,\"Where is my order, it is late\"\n").unwrap();
    let output = kbctl(small_index())
        .args([
            "--index",
            "idx",
            "classify",
            "--map",
            "id=Case,subject=Title,body=Message",
        ])
        .arg(&csv)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let lines: Vec<Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["id"], "C-1");
    assert_eq!(lines[0]["intent"], "password-reset");
    assert!(
        lines[0].get("answer").is_none(),
        "classify composes no reply"
    );
    assert_eq!(lines[1]["intent"], "order-tracking");
}

#[test]
fn json_format_is_one_array() {
    let output = kbctl(small_index())
        .args(["--index", "idx", "classify", "--format", "json"])
        .write_stdin("reset my password\n{broken\nwhere is my order\n")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(SKIPPED));
    let v: Value = serde_json::from_slice(&output.stdout).unwrap();
    let items = v.as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(items[1]["line"], 2);
    let empty = kbctl(small_index())
        .args(["--index", "idx", "classify", "--format", "json"])
        .write_stdin("")
        .output()
        .unwrap();
    assert_eq!(
        serde_json::from_slice::<Value>(&empty.stdout).unwrap(),
        serde_json::json!([])
    );
}

#[test]
fn table_snapshot() {
    let output = kbctl(small_index())
        .args(["--index", "idx", "--threads", "1", "classify", "--format", "table"])
        .write_stdin("{\"id\": \"S1\", \"text\": \"How do I change my password?\"}\n{\"id\": \"S2\", \"text\": \"Мой юрист подаст на вас в суд!\"}\n{\"id\": \"S3\", \"text\": \"Czy macie biuro w Gdańsku?\"}\n")
        .output()
        .unwrap();
    insta::assert_snapshot!("classify_table", String::from_utf8_lossy(&output.stdout));
}

#[test]
fn a_table_for_people() {
    let output = kbctl(small_index())
        .args(["--index", "idx", "classify", "--format", "csv"])
        .write_stdin("reset my password\n")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.starts_with(
            "id,decision,confidence,intent,category,language,sentiment,priority,reasons"
        ),
        "{text}"
    );
    assert!(text.contains("password-reset"), "{text}");
}

#[test]
fn init_writes_a_config_that_kbctl_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let output = kbctl(dir.path()).arg("init").output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(dir.path().join("kbctl.yaml").is_file());
    let again = kbctl(dir.path()).arg("init").output().unwrap();
    assert_eq!(again.status.code(), Some(ERROR), "no silent overwrite");
    std::fs::write(
        dir.path().join("kbctl.yaml"),
        "policy:\n  auto_treshold: 0.8\n",
    )
    .unwrap();
    let bad = kbctl(dir.path()).args(["doctor"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(ERROR));
    assert!(stderr(&bad).contains("auto_treshold"), "{}", stderr(&bad));
}

#[test]
fn with_labelled_examples_the_predicted_article_is_the_answer() {
    let dir = tempfile::tempdir().unwrap();
    crate::util::write_files(dir.path(), crate::util::SMALL_KB);
    let examples: String = [
        ("order-tracking", "Where is my parcel?"),
        ("order-tracking", "My order has not arrived yet"),
        ("order-tracking", "Gdzie jest moja paczka?"),
        ("order-tracking", "Где мой заказ?"),
        ("order-tracking", "tracking number does not update"),
        ("password-reset", "I forgot my password"),
        ("password-reset", "How can I reset my password?"),
        ("password-reset", "Nie pamiętam hasła"),
        ("password-reset", "Не могу войти, забыл пароль"),
        ("password-reset", "change my login password"),
    ]
    .iter()
    .map(|(intent, text)| format!("{{\"text\": \"{text}\", \"intent\": \"{intent}\"}}\n"))
    .collect();
    std::fs::write(dir.path().join("examples.jsonl"), examples).unwrap();
    let (_, code, err) = crate::util::ingest(
        dir.path(),
        "idx",
        &["kb"],
        &["--examples", "examples.jsonl"],
    );
    assert_eq!(code, 0, "{err}");
    let output = kbctl(dir.path())
        .args(["--index", "idx", "classify"])
        .write_stdin("I can't remember my password\nmy package still hasn't come\nzapomniałem hasła do konta\n")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let lines: Vec<Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let intents: Vec<&str> = lines
        .iter()
        .map(|v| v["intent"].as_str().unwrap())
        .collect();
    assert_eq!(
        intents,
        ["password-reset", "order-tracking", "password-reset"]
    );
    for v in &lines {
        // The article the classifier names is the one the answer comes from.
        assert_eq!(v["sources"][0]["doc_id"], v["intent"], "{v}");
    }
}

#[test]
fn noise_with_one_knowledge_base_word_is_never_answered() {
    // Random symbols around a word the KB knows ("password"): the views may agree on the
    // password article, but most of the text is no language the KB knows.
    for text in [
        "ꙮ ᚠᛇᚻ qzxv ʬʭ ђћџ password ɮɸ ӂӝӟ ᚱᚢᚾ",
        "xkq vvrp zzt password hhq plw",
    ] {
        let v = one(&serde_json::json!({"id": "N", "text": text}).to_string());
        assert_ne!(v["decision"], "auto", "{v}");
        let reason = v["escalation_reasons"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["code"] == "unrecognised_text")
            .unwrap_or_else(|| panic!("no unrecognised_text reason: {v}"));
        assert!(reason["value"].as_f64().unwrap() < reason["threshold"].as_f64().unwrap());
    }
}

#[test]
fn a_subject_the_knowledge_base_never_names_is_at_most_drafted() {
    let v = one(&serde_json::json!({
        "id": "U",
        "subject": "Zendesk Shopify",
        "body": "Can I change my password through it?"
    })
    .to_string());
    assert_ne!(v["decision"], "auto", "{v}");
    let reason = v["escalation_reasons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "unknown_topic")
        .unwrap_or_else(|| panic!("no unknown_topic reason: {v}"));
    let detail = reason["detail"].as_str().unwrap();
    assert!(
        detail.contains("Zendesk") && detail.contains("Shopify"),
        "{detail}"
    );
}

#[test]
fn an_agents_correction_changes_the_next_answer() {
    let dir = tempfile::tempdir().unwrap();
    crate::util::write_files(dir.path(), crate::util::SMALL_KB);
    let (_, code, err) = crate::util::ingest(dir.path(), "idx", &["kb"], &[]);
    assert_eq!(code, 0, "{err}");
    let ticket = "Our warehouse scanner keeps beeping twice, what does it mean?";
    let answer = || -> Value {
        let output = kbctl(dir.path())
            .args(["--index", "idx", "answer"])
            .write_stdin(serde_json::json!({"id": "C1", "text": ticket}).to_string() + "\n")
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        serde_json::from_slice(&output.stdout).unwrap()
    };
    let before = answer();
    let first = before["sources"][0]["doc_id"].as_str().unwrap().to_string();
    // The agent who reviewed the draft answered from another article.
    let chosen = ["order-tracking", "password-reset", "faktura-pl"]
        .into_iter()
        .find(|d| *d != first)
        .unwrap();
    std::fs::write(
        dir.path().join("corrections.jsonl"),
        serde_json::json!({"id": "C1", "text": ticket, "gold_docs": [chosen]}).to_string() + "\n",
    )
    .unwrap();
    let (summary, code, err) = crate::util::ingest(
        dir.path(),
        "idx",
        &["kb"],
        &["--history", "corrections.jsonl"],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(summary["exemplars"], 1, "{summary}");
    let after = answer();
    assert_eq!(after["sources"][0]["doc_id"], chosen, "{before}\n{after}");
}
