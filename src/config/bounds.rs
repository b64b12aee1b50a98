//! The range of every numeric key of kbctl.yaml: one table that the loader, the flags and the README's table all read.

use crate::error::UserError;
use crate::metric::{Metric, Unit};

/// The allowed values of a numeric key.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Range {
    /// Whole numbers in `lo..=hi`.
    Whole(u64, u64),
    /// Finite numbers in `lo..=hi` (NaN and infinities are refused).
    Real(f64, f64),
    /// A gate: the scale of the metric it names ([`Metric::range`]).
    Metric,
}

/// A numeric key of kbctl.yaml with its default, range and meaning. [`BOUNDS`] lists them all;
/// the file is checked against it on load, the equivalent flags are checked against it, and the
/// README's table is [`bounds_table`] (a unit test keeps them equal).
#[derive(Debug, Clone, Copy)]
pub struct Bound {
    /// The key's path; `NAME` stands for any category, `METRIC` for any metric name.
    pub key: &'static str,
    pub default: &'static str,
    pub range: Range,
    pub meaning: &'static str,
}

const fn whole(
    key: &'static str,
    default: &'static str,
    lo: u64,
    hi: u64,
    meaning: &'static str,
) -> Bound {
    Bound {
        key,
        default,
        range: Range::Whole(lo, hi),
        meaning,
    }
}

const fn real(
    key: &'static str,
    default: &'static str,
    lo: f64,
    hi: f64,
    meaning: &'static str,
) -> Bound {
    Bound {
        key,
        default,
        range: Range::Real(lo, hi),
        meaning,
    }
}

/// The most threads (`threads`, `--threads`); each holds its own model session. The default,
/// every core, is capped here too.
pub const MAX_THREADS: usize = 256;
/// Money, in the report's currency: generous for any currency, finite.
const MONEY: f64 = 1e15;
/// The calibration's weights: beyond this the sigmoid is a step; `kbctl tune` stays far inside.
const WEIGHT: f64 = 1000.0;

/// Every numeric key, in the order of the file. One row per key: a new numeric key needs a row
/// (a unit test finds keys without one).
pub const BOUNDS: &[Bound] = &[
    whole(
        "threads",
        "all cores (at most 256)",
        1,
        MAX_THREADS as u64,
        "threads for embedding and search; each holds its own model session (`--threads`)",
    ),
    real(
        "retrieval.rrf_k",
        "60",
        1.0,
        1000.0,
        "the k of reciprocal-rank fusion",
    ),
    real(
        "retrieval.vector_weight",
        "0.6",
        0.0,
        1.0,
        "linear fusion: weight of the cosine (BM25 gets the rest)",
    ),
    real(
        "retrieval.bm25_weight",
        "6",
        0.0,
        20.0,
        "z-score fusion: what a BM25 match of every query word adds, in standard deviations",
    ),
    whole(
        "retrieval.candidates",
        "50",
        1,
        10_000,
        "candidates taken from each retriever before fusion",
    ),
    whole(
        "ingest.chunk_chars",
        "1200",
        200,
        100_000,
        "soft upper bound on a chunk's length, in characters",
    ),
    whole("ingest.batch_size", "1", 1, 256, "texts per model call"),
    real(
        "ingest.reply_similarity",
        "0.6",
        0.0,
        1.0,
        "history without gold_docs: least cosine of the agent's reply to a KB view",
    ),
    whole(
        "ingest.max_doc_bytes",
        "20000000",
        1,
        1_000_000_000_000,
        "a knowledge-base file larger than this many bytes is reported and not read",
    ),
    whole(
        "input.max_record_bytes",
        "16000000",
        1,
        1_000_000_000_000,
        "a ticket record (JSONL or text line, document ticket) larger than this many bytes is reported and not read",
    ),
    real(
        "policy.auto_threshold",
        "0.85",
        0.0,
        1.0,
        "confidence at or above which the bot answers on its own",
    ),
    real(
        "policy.draft_threshold",
        "0.5",
        0.0,
        1.0,
        "confidence below which the ticket is escalated (at most `auto_threshold`)",
    ),
    real(
        "policy.no_match_score",
        "0.2",
        0.0,
        1.0,
        "best absolute retrieval score below which the KB has no answer",
    ),
    real(
        "policy.unknown_topic_share",
        "0.5",
        0.0,
        1.0,
        "share of the subject's words unknown to every document from which a ticket is at most drafted",
    ),
    real(
        "policy.min_known_share",
        "0.25",
        0.0,
        1.0,
        "share of the ticket's words the KB knows below which it is escalated",
    ),
    real(
        "policy.escalate_sentiment",
        "-0.6",
        -1.0,
        1.0,
        "sentiment at or below which the ticket is escalated",
    ),
    real(
        "policy.draft_sentiment",
        "-0.25",
        -1.0,
        1.0,
        "sentiment at or below which the ticket is at most drafted",
    ),
    real(
        "policy.categories.NAME.auto_threshold",
        "the global one",
        0.0,
        1.0,
        "a category's own `auto_threshold`",
    ),
    real(
        "policy.categories.NAME.draft_threshold",
        "the global one",
        0.0,
        1.0,
        "a category's own `draft_threshold`",
    ),
    real(
        "policy.calibration.intercept",
        "-2.653",
        -WEIGHT,
        WEIGHT,
        "confidence model: intercept",
    ),
    real(
        "policy.calibration.top_score",
        "0.085",
        -WEIGHT,
        WEIGHT,
        "confidence model: weight of the fused top score",
    ),
    real(
        "policy.calibration.margin",
        "0.808",
        -WEIGHT,
        WEIGHT,
        "confidence model: weight of the lead over the runner-up",
    ),
    real(
        "policy.calibration.agreement",
        "-0.133",
        -WEIGHT,
        WEIGHT,
        "confidence model: weight of the views agreeing on the first document",
    ),
    real(
        "policy.calibration.views_agree",
        "2.69",
        -WEIGHT,
        WEIGHT,
        "confidence model: weight of the share of views naming the answered document",
    ),
    real(
        "policy.calibration.coverage",
        "1.709",
        -WEIGHT,
        WEIGHT,
        "confidence model: weight of the answer-span coverage",
    ),
    real(
        "policy.calibration.intent",
        "1",
        0.0,
        100.0,
        "confidence model: power on the intent classifier's probability",
    ),
    real(
        "costs.tickets_per_month",
        "required",
        0.0,
        1e9,
        "tickets per month",
    ),
    real(
        "costs.cost_per_human_ticket",
        "required",
        0.0,
        MONEY,
        "cost of a ticket handled by a person",
    ),
    real(
        "costs.cost_per_wrong_answer",
        "0",
        0.0,
        MONEY,
        "cost of a wrong automatic answer",
    ),
    real(
        "costs.implementation_cost",
        "required",
        0.0,
        MONEY,
        "one-off implementation cost",
    ),
    real(
        "costs.monthly_running_cost",
        "0",
        0.0,
        MONEY,
        "monthly running cost",
    ),
    whole(
        "costs.horizon_months",
        "36",
        1,
        600,
        "horizon of the ROI figure, in months",
    ),
    Bound {
        key: "gates.min.METRIC",
        default: "none",
        range: Range::Metric,
        meaning: "lower bound on a metric (`--fail-under`)",
    },
    Bound {
        key: "gates.max.METRIC",
        default: "none",
        range: Range::Metric,
        meaning: "upper bound on a metric (`--fail-over`)",
    },
    real(
        "gates.tolerance",
        "0.005",
        0.0,
        MONEY,
        "largest worsening against `--baseline`, absolute, for every metric (`--tolerance`; times: at least 60 s)",
    ),
    real(
        "gates.tolerances.METRIC",
        "`gates.tolerance`",
        0.0,
        MONEY,
        "a metric's own tolerance, in its unit",
    ),
];

/// What a [`Range::Metric`] row reads in the table.
const METRIC_SCALE: &str = "the metric's scale: shares 0..=1; `tickets` and times (`_s`) 0..=1e9; `payback_months_net` 0..=1e6; `roi_net` -1e9..=1e9; `monthly_savings_net` -1e18..=1e18";

impl Bound {
    /// The row for a concrete path (`policy.categories.billing.auto_threshold`).
    pub fn find<S: AsRef<str>>(path: &[S]) -> Option<&'static Bound> {
        BOUNDS.iter().find(|b| {
            let pattern: Vec<&str> = b.key.split('.').collect();
            pattern.len() == path.len()
                && pattern
                    .iter()
                    .zip(path)
                    .all(|(p, s)| *p == s.as_ref() || (*p == "NAME" || *p == "METRIC"))
        })
    }

    /// The row for a key without wildcards; a missing row is a programming error.
    pub fn of(key: &str) -> &'static Bound {
        BOUNDS
            .iter()
            .find(|b| b.key == key)
            .unwrap_or_else(|| panic!("no bound for {key}"))
    }

    /// The range, resolved for a metric gate.
    fn limits(&self, metric: &str) -> (f64, f64, bool) {
        match self.range {
            Range::Whole(lo, hi) => (lo as f64, hi as f64, true),
            Range::Real(lo, hi) => (lo, hi, false),
            Range::Metric => {
                // A name that is no metric is refused by name once every number is checked;
                // until then it reads as a share.
                let (lo, hi) = Metric::parse(metric).map_or(Unit::Share.range(), Metric::range);
                (lo, hi, false)
            }
        }
    }

    /// `Err("retrieval.candidates = 1000000000000 is out of range 1..=10000")` when `value` is
    /// outside the range; `shown` names the key or the flag, `metric` the metric of a gate.
    pub fn check(&self, shown: &str, metric: &str, value: f64) -> Result<(), String> {
        let (lo, hi, whole) = self.limits(metric);
        let fits =
            value.is_finite() && lo <= value && value <= hi && (!whole || value.fract() == 0.0);
        if fits {
            Ok(())
        } else {
            Err(format!(
                "{shown} = {} is out of range {}",
                show_number(value, whole),
                show_range(lo, hi)
            ))
        }
    }

    /// The range as the table shows it.
    pub fn range_text(&self) -> String {
        match self.range {
            Range::Metric => METRIC_SCALE.to_string(),
            _ => {
                let (lo, hi, _) = self.limits("");
                show_range(lo, hi)
            }
        }
    }
}

impl Bound {
    /// [`Bound::check`] for the value at `path`, named by it.
    pub fn check_path<S: AsRef<str>>(&self, path: &[S], value: f64) -> Result<(), String> {
        let shown: Vec<&str> = path.iter().map(AsRef::as_ref).collect();
        // The last key of a gate's path is its metric.
        let metric = shown.last().copied().unwrap_or("");
        self.check(&shown.join("."), metric, value)
    }
}

/// Check a command-line value against a key's range: `--threads 100000 is out of range 1..=256`.
pub fn check_flag(flag: &str, key: &str, value: f64) -> Result<(), UserError> {
    Bound::of(key)
        .check(flag, "", value)
        .map_err(|message| UserError::Invalid(message.replacen(" = ", " ", 1)))
}

fn show_range(lo: f64, hi: f64) -> String {
    let bound = |v: f64| {
        if v.abs() >= 1e6 {
            format!("{v:e}")
        } else {
            show_number(v, false)
        }
    };
    format!("{}..={}", bound(lo), bound(hi))
}

/// A number as a person wrote it: a whole-number key's value in full, f32 values without the
/// f64 digits of their widening, large amounts as powers of ten.
fn show_number(v: f64, whole: bool) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v.is_infinite() {
        if v > 0.0 { "inf" } else { "-inf" }.into()
    } else if v.fract() == 0.0 && (whole || v.abs() < 1e6) {
        format!("{v:.0}")
    } else if v.abs() >= 1e6 {
        format!("{v:e}")
    } else if f64::from(v as f32) == v {
        (v as f32).to_string()
    } else {
        v.to_string()
    }
}

/// The README's table of numeric keys: key, default, range, meaning.
pub fn bounds_table() -> String {
    let mut out = String::from("| key | default | range | meaning |\n|---|---|---|---|\n");
    for b in BOUNDS {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            b.key,
            b.default,
            b.range_text(),
            b.meaning
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use std::path::Path;

    /// A configuration with every optional block filled, so that every numeric key appears.
    fn full() -> Config {
        Config::parse(
            "threads: 2\ncosts:\n  tickets_per_month: 1\n  cost_per_human_ticket: 1\n  implementation_cost: 1\npolicy:\n  categories:\n    billing: {auto_threshold: 0.9, draft_threshold: 0.5}\ngates:\n  min: {accuracy: 0.9}\n  max: {wrong_rate: 0.1}\n  tolerances: {accuracy: 0.01}\n",
            Path::new("k.yaml"),
        )
        .unwrap()
    }

    #[test]
    fn every_numeric_key_has_exactly_one_row_in_the_range_table() {
        let numbers = crate::yaml::numbers(&full()).unwrap();
        let mut rows: Vec<&str> = Vec::new();
        for (path, _) in &numbers {
            let row = Bound::find(path).unwrap_or_else(|| {
                panic!(
                    "`{}` has no row in config::BOUNDS: add its range",
                    path.join(".")
                )
            });
            rows.push(row.key);
        }
        for b in BOUNDS {
            assert!(
                rows.contains(&b.key),
                "row `{}` matches no key of the configuration",
                b.key
            );
            assert_eq!(
                BOUNDS.iter().filter(|o| o.key == b.key).count(),
                1,
                "{}",
                b.key
            );
        }
        // Table order is file order.
        let mut ordered = rows.clone();
        ordered.dedup();
        assert_eq!(ordered, BOUNDS.iter().map(|b| b.key).collect::<Vec<_>>());
    }

    #[test]
    fn every_default_is_the_table_default_and_within_its_range() {
        for (path, value) in crate::yaml::numbers(&full()).unwrap() {
            let b = Bound::find(&path).unwrap();
            let key = path.join(".");
            // Keys the test configuration sets have no number as their default.
            if let Ok(default) = b.default.parse::<f64>() {
                assert!(
                    (value - default).abs() < 1e-6,
                    "{key}: default {value}, table {default}"
                );
            }
            assert!(b.check_path(&path, value).is_ok(), "{key}");
        }
    }

    #[test]
    fn the_readme_has_the_range_table() {
        let readme = include_str!("../../README.md");
        let table = bounds_table();
        assert!(
            readme.contains(&table),
            "README.md's table of numeric keys differs from config::BOUNDS; it should read:\n{table}"
        );
    }

    #[test]
    fn the_metric_scale_names_every_metric_range() {
        for metric in Metric::ALL {
            let (lo, hi) = metric.range();
            let range = show_range(lo, hi);
            assert!(
                METRIC_SCALE.contains(&range),
                "{}: {range} is not in the table's METRIC_SCALE",
                metric.id()
            );
        }
    }

    #[test]
    fn flags_are_checked_against_the_same_ranges() {
        let err = check_flag("--threads", "threads", 100_000.0)
            .unwrap_err()
            .to_string();
        assert_eq!(err, "--threads 100000 is out of range 1..=256");
        assert!(check_flag("--threads", "threads", 0.0).is_err());
        assert!(check_flag("--threads", "threads", 8.0).is_ok());
        assert!(check_flag("--tolerance", "gates.tolerance", f64::NAN).is_err());
        assert!(check_flag("--tolerance", "gates.tolerance", -1.0).is_err());
    }
}
