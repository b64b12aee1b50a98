//! `kbctl report`: figures equal to the results file, every chart drawn, Markdown snapshot, template override, refused results files.

use serde_json::Value;

use crate::util::{ERROR, fixtures, kbctl, stderr};

fn results() -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixtures().join("eval/results.json")).unwrap())
        .unwrap()
}

/// `kbctl report ARGS` run in the repository root (so paths in the output are stable).
fn report(args: &[&str]) -> std::process::Output {
    kbctl(&fixtures().join(".."))
        .arg("report")
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn the_html_figures_equal_the_results_file_and_every_chart_is_drawn() {
    let dir = tempfile::tempdir().unwrap();
    let html_path = dir.path().join("report.html");
    let output = report(&[
        "fixtures/eval/results.json",
        "-o",
        html_path.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let html = std::fs::read_to_string(&html_path).unwrap();
    let r = results();
    let m = &r["metrics"];
    // Each headline card carries the exact value it shows.
    let re = regex::Regex::new(r#"data-metric="([a-z0-9_]+)" data-value="([^"]*)""#).unwrap();
    let cards: Vec<(String, String)> = re
        .captures_iter(&html)
        .map(|c| (c[1].to_string(), c[2].to_string()))
        .collect();
    assert_eq!(cards.len(), 9, "{cards:?}");
    for (metric, value) in &cards {
        match m[metric].as_f64() {
            Some(expected) => {
                let shown: f64 = value
                    .parse()
                    .unwrap_or_else(|_| panic!("{metric}: {value}"));
                assert!(
                    (shown - expected).abs() < 1e-9,
                    "{metric}: {shown} vs {expected}"
                );
            }
            None => assert!(value.is_empty(), "{metric}"),
        }
    }
    let pct = |v: &Value| format!("{:.1}%", v.as_f64().unwrap() * 100.0);
    assert!(html.contains(&pct(&m["containment"])));
    assert!(html.contains(&pct(&m["accuracy"])));
    let roi = &r["roi"];
    assert!(html.contains(&format!("{} months", roi["payback_months_net"])));
    // Charts: curve, two decision mixes, FRT, cash flow, confusions, gaps; no external resources.
    assert_eq!(html.matches("<svg ").count(), 7, "every chart present");
    assert!(!html.contains("no data"), "every chart has data");
    assert!(html.contains("break-even"));
    assert!(
        !html.contains("http://")
            || html.matches("http://").count()
                == html.matches("http://www.w3.org/2000/svg").count()
    );
    assert!(!html.contains("https://") && !html.contains("<script"));
    // The knowledge-base gaps list their example texts.
    let example = r["gaps"][0]["examples"][0].as_str().unwrap();
    assert!(html.contains(&example.replace('&', "&amp;").replace('<', "&lt;")));
}

#[test]
fn markdown_with_a_baseline() {
    let output = report(&[
        "fixtures/eval/results.json",
        "--baseline",
        "fixtures/eval/baseline.json",
        "--format",
        "md",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let md = String::from_utf8(output.stdout).unwrap();
    insta::assert_snapshot!("report_md_with_baseline", md);
}

#[test]
fn a_baseline_regression_stands_out() {
    // Swap the two: the tuned run as the baseline makes the default run a regression.
    let output = report(&[
        "fixtures/eval/baseline.json",
        "--baseline",
        "fixtures/eval/results.json",
        "--format",
        "md",
    ]);
    let md = String::from_utf8(output.stdout).unwrap();
    assert!(
        md.contains("got worse than the baseline**: containment"),
        "{md}"
    );
    assert!(md.contains("❌"), "{md}");
}

#[test]
fn a_team_template_overrides_the_built_in_one() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("report.md.j2"),
        "Contained: {% for f in r.headline %}{% if f.key == \"containment\" %}{{ f.value }}{% endif %}{% endfor %}\n",
    )
    .unwrap();
    let output = report(&[
        "fixtures/eval/results.json",
        "--format",
        "md",
        "--template",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "Contained: 31.2%\n"
    );
}

#[test]
fn results_of_another_version_or_missing_a_field_are_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = results();
    r["version"] = 99.into();
    let other = dir.path().join("v99.json");
    std::fs::write(&other, r.to_string()).unwrap();
    let output = report(&[other.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(ERROR));
    let err = stderr(&output);
    assert!(
        err.contains("results version 99, this kbctl reads version 1"),
        "{err}"
    );

    let mut r = results();
    r.as_object_mut().unwrap().remove("metrics");
    let missing = dir.path().join("missing.json");
    std::fs::write(&missing, r.to_string()).unwrap();
    let output = report(&[missing.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(ERROR));
    let err = stderr(&output);
    assert!(
        err.contains("results file incomplete: missing field `metrics`"),
        "{err}"
    );

    let output = report(&["fixtures/eval/kbctl.yaml"]);
    assert_eq!(output.status.code(), Some(ERROR));
    assert!(
        stderr(&output).contains("not a results file"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn no_path_of_the_machine_reaches_the_report() {
    // Results read by absolute path, replay files recorded with their folders.
    let dir = tempfile::tempdir().unwrap();
    let mut r = results();
    r["replay"]["files"] = serde_json::json!(["/home/ci/work/secret-folder/history.csv"]);
    let path = dir.path().join("results.json");
    std::fs::write(&path, r.to_string()).unwrap();
    for format in ["html", "md"] {
        let output = report(&[path.to_str().unwrap(), "--format", format]);
        assert!(output.status.success(), "{}", stderr(&output));
        let text = String::from_utf8(output.stdout).unwrap();
        if format == "html" {
            assert!(text.contains("history.csv"), "the footer names the file");
        }
        for leak in ["secret-folder", "/home/ci", dir.path().to_str().unwrap()] {
            assert!(!text.contains(leak), "{format}: {leak} leaked");
        }
    }
}

#[test]
fn a_results_file_with_nothing_invested_is_reported() {
    // implementation_cost 0: the ROI is undefined and written as null; it used to be refused.
    let dir = tempfile::tempdir().unwrap();
    let mut r = results();
    r["roi"]["costs"]["implementation_cost"] = serde_json::json!(0.0);
    r["roi"]["roi_gross"] = Value::Null;
    r["roi"]["roi_net"] = Value::Null;
    r["metrics"]["roi_net"] = Value::Null;
    let path = dir.path().join("results.json");
    std::fs::write(&path, r.to_string()).unwrap();
    let output = report(&[path.to_str().unwrap(), "--format", "md"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let md = String::from_utf8(output.stdout).unwrap();
    assert!(md.contains("ROI n/a gross, n/a net"), "{md}");
}
