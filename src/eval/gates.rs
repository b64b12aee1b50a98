//! CI gates: thresholds on metrics (`--fail-under`, `--fail-over`, the `gates` block), regressions against a baseline, and a JUnit file.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use super::metrics::Metrics;
use crate::config::GatesConfig;
use crate::error::UserError;
use crate::metric::{Better, Metric, Unit};

/// Times with the bot include its measured latency, which varies run to run by milliseconds:
/// a baseline comparison of a time allows at least this much.
pub const DEFAULT_TIME_TOLERANCE_S: f64 = 60.0;

/// One gate and how it went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GateResult {
    pub metric: String,
    /// `>=` or `<=`.
    pub op: String,
    pub threshold: f64,
    pub value: Option<f64>,
    pub passed: bool,
}

/// One metric against the baseline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub metric: String,
    pub baseline: Option<f64>,
    pub current: Option<f64>,
    pub delta: Option<f64>,
    pub tolerance: f64,
    pub regressed: bool,
}

/// `accuracy=0.95,containment=0.6` into (metric, value) pairs, checking the names and that
/// each value is a number within the metric's range (`gates.min.METRIC` in the range table).
pub fn parse_bounds(spec: &str, flag: &str) -> Result<Vec<(String, f64)>, UserError> {
    let mut out = Vec::new();
    for pair in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (metric, value) = pair
            .split_once('=')
            .ok_or_else(|| UserError::Invalid(format!("{flag}: `{pair}` is not metric=value")))?;
        let metric = metric.trim();
        Metric::parse(metric).map_err(|err| UserError::Invalid(format!("{flag}: {err}")))?;
        let value: f64 = value
            .trim()
            .trim_end_matches('%')
            .parse()
            .map_err(|_| UserError::Invalid(format!("{flag}: `{value}` is not a number")))?;
        let value = if pair.trim_end().ends_with('%') {
            value / 100.0
        } else {
            value
        };
        crate::config::Bound::of("gates.min.METRIC")
            .check(&format!("{flag} {metric}"), metric, value)
            .map_err(|message| UserError::Invalid(message.replacen(" = ", "=", 1)))?;
        out.push((metric.to_string(), value));
    }
    Ok(out)
}

/// Check the gates. A metric the replay cannot measure (no labels) fails its gate: a gate that
/// cannot fail would protect nothing.
pub fn check(
    metrics: &Metrics,
    min: &[(String, f64)],
    max: &[(String, f64)],
) -> Result<Vec<GateResult>, UserError> {
    let mut out = Vec::new();
    for (bounds, op) in [(min, ">="), (max, "<=")] {
        for (metric, threshold) in bounds {
            let value = metrics.value(Metric::parse(metric)?);
            let passed = value.is_some_and(|v| {
                if op == ">=" {
                    v >= *threshold
                } else {
                    v <= *threshold
                }
            });
            out.push(GateResult {
                metric: metric.clone(),
                op: op.to_string(),
                threshold: *threshold,
                value,
                passed,
            });
        }
    }
    Ok(out)
}

/// Compare with a baseline: a metric regresses when it moves the wrong way by more than its
/// tolerance, or when the baseline measured it and this run cannot.
pub fn compare(current: &Metrics, baseline: &Metrics, config: &GatesConfig) -> Vec<Comparison> {
    Metric::ALL
        .into_iter()
        .filter_map(|metric| {
            let better = metric.better()?;
            let (now, was) = (current.value(metric), baseline.value(metric));
            if was.is_none() && now.is_none() {
                return None;
            }
            let tolerance = config.tolerances.get(metric.id()).copied().unwrap_or(
                if metric.unit() == Unit::Seconds {
                    config.tolerance.max(DEFAULT_TIME_TOLERANCE_S)
                } else {
                    config.tolerance
                },
            );
            let delta = match (now, was) {
                (Some(n), Some(w)) => Some(n - w),
                _ => None,
            };
            let worse_by = delta.map(|d| match better {
                Better::Higher => -d,
                Better::Lower => d,
            });
            let regressed = match (was, now) {
                (Some(_), None) => true,
                _ => worse_by.is_some_and(|w| w > tolerance + 1e-12),
            };
            Some(Comparison {
                metric: metric.id().to_string(),
                baseline: was,
                current: now,
                delta,
                tolerance,
                regressed,
            })
        })
        .collect()
}

/// A JUnit XML report: one test case per gate and per baseline comparison.
pub fn junit(gates: &[GateResult], comparisons: &[Comparison]) -> String {
    let failures = gates.iter().filter(|g| !g.passed).count()
        + comparisons.iter().filter(|c| c.regressed).count();
    let tests = gates.len() + comparisons.len();
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        xml,
        "<testsuites name=\"kbctl eval\" tests=\"{tests}\" failures=\"{failures}\">"
    );
    let _ = writeln!(
        xml,
        "  <testsuite name=\"kbctl eval\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">"
    );
    let show = |v: Option<f64>| v.map_or("not measured".to_string(), |v| format!("{v:.4}"));
    for g in gates {
        let name = format!("{} {} {}", g.metric, g.op, g.threshold);
        case(
            &mut xml,
            "gates",
            &name,
            (!g.passed).then(|| {
                format!(
                    "{} is {}, gate {} {}",
                    g.metric,
                    show(g.value),
                    g.op,
                    g.threshold
                )
            }),
        );
    }
    for c in comparisons {
        let name = format!("{} not worse than baseline", c.metric);
        case(
            &mut xml,
            "baseline",
            &name,
            c.regressed.then(|| {
                format!(
                    "{}: {} -> {} (tolerance {})",
                    c.metric,
                    show(c.baseline),
                    show(c.current),
                    c.tolerance
                )
            }),
        );
    }
    xml.push_str("  </testsuite>\n</testsuites>\n");
    xml
}

fn case(xml: &mut String, class: &str, name: &str, failure: Option<String>) {
    let _ = write!(
        xml,
        "    <testcase classname=\"kbctl.eval.{class}\" name=\"{}\"",
        escape(name)
    );
    match failure {
        None => xml.push_str("/>\n"),
        Some(message) => {
            let _ = writeln!(
                xml,
                ">\n      <failure message=\"{0}\">{0}</failure>\n    </testcase>",
                escape(&message)
            );
        }
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metrics(containment: f64, accuracy: f64, wrong: f64) -> Metrics {
        Metrics {
            tickets: 100,
            containment: Some(containment),
            accuracy: Some(accuracy),
            wrong_rate: Some(wrong),
            ..Metrics::default()
        }
    }

    #[test]
    fn gates_pass_and_fail_on_the_boundary() {
        let m = metrics(0.6, 0.95, 0.01);
        let min = parse_bounds("accuracy=0.95, containment=60%", "--fail-under").unwrap();
        assert_eq!(min[1], ("containment".to_string(), 0.6));
        let max = parse_bounds("wrong_rate=0.009", "--fail-over").unwrap();
        let r = check(&m, &min, &max).unwrap();
        assert_eq!(
            r.iter().map(|g| g.passed).collect::<Vec<_>>(),
            [true, true, false]
        );
        // A metric the replay does not measure fails its gate.
        let r = check(&m, &[("mrr".into(), 0.1)], &[]).unwrap();
        assert!(!r[0].passed && r[0].value.is_none());
        assert!(parse_bounds("acuracy=0.9", "--fail-under").is_err());
        assert!(parse_bounds("accuracy", "--fail-under").is_err());
        let err = parse_bounds("accuracy=95", "--fail-under").unwrap_err();
        assert_eq!(
            err.to_string(),
            "--fail-under accuracy=95 is out of range 0..=1"
        );
        assert!(parse_bounds("frt_p90_after_s=3600,roi_net=-0.5", "--fail-over").is_ok());
        for bad in [
            "accuracy=nan",
            "accuracy=inf",
            "accuracy=-0.1",
            "tickets=-1",
        ] {
            assert!(parse_bounds(bad, "--fail-under").is_err(), "{bad}");
        }
        let err = parse_bounds("contaiment=0.5", "--fail-under").unwrap_err();
        assert!(
            err.to_string().starts_with(
                "--fail-under: unknown metric `contaiment`, did you mean `containment`? (known: "
            ),
            "{err}"
        );
    }

    #[test]
    fn baseline_regressions_respect_direction_and_tolerance() {
        let base = metrics(0.60, 0.97, 0.010);
        let now = metrics(0.59, 0.98, 0.013);
        let config = GatesConfig {
            tolerance: 0.005,
            tolerances: [
                ("containment".to_string(), 0.02),
                ("wrong_rate".to_string(), 0.002),
            ]
            .into(),
            ..GatesConfig::default()
        };
        let c = compare(&now, &base, &config);
        let get = |m: &str| c.iter().find(|x| x.metric == m).unwrap();
        assert!(!get("containment").regressed, "within its own tolerance");
        assert!(!get("accuracy").regressed, "better");
        assert!(get("wrong_rate").regressed, "0.003 worse, lower is better");
        let lost = Metrics {
            accuracy: None,
            ..now.clone()
        };
        assert!(
            compare(&lost, &base, &config)
                .iter()
                .any(|x| x.metric == "accuracy" && x.regressed)
        );
    }

    #[test]
    fn junit_has_a_case_per_gate_and_counts_failures() {
        let m = metrics(0.5, 0.99, 0.0);
        let gates = check(
            &m,
            &parse_bounds("containment=0.6,accuracy=0.95", "x").unwrap(),
            &[],
        )
        .unwrap();
        let xml = junit(&gates, &[]);
        assert!(xml.contains("tests=\"2\" failures=\"1\""), "{xml}");
        assert_eq!(xml.matches("<testcase ").count(), 2);
        assert_eq!(xml.matches("<failure ").count(), 1);
        assert!(
            xml.contains("containment is 0.5000, gate &gt;= 0.6"),
            "{xml}"
        );
    }
}
