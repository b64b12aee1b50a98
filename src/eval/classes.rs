//! Per-class scores in the style of `rasa test`: precision, recall, F1 and support for each intent and each category, and the misjudged tickets behind them.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::judge::{Judged, Verdict};

/// One class (an intent or a category) and how well it was told apart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassScore {
    pub label: String,
    /// Of the tickets predicted as this class, the share that were it (none predicted: null).
    pub precision: Option<f64>,
    /// Of the tickets that were this class, the share predicted as it.
    pub recall: Option<f64>,
    pub f1: Option<f64>,
    /// Tickets whose gold label is this class.
    pub support: usize,
    /// Tickets predicted as this class.
    pub predicted: usize,
}

/// Per-intent and per-category tables; empty when the replay has no such gold labels.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClassReport {
    pub intent: Vec<ClassScore>,
    pub category: Vec<ClassScore>,
}

impl ClassReport {
    pub fn of(tickets: &[Judged]) -> Self {
        let intents: Vec<(&str, Option<&str>)> = tickets
            .iter()
            .filter_map(|t| Some((t.gold_intent.as_deref()?, t.intent.as_deref())))
            .collect();
        let categories: Vec<(&str, Option<&str>)> = tickets
            .iter()
            .filter_map(|t| Some((t.gold_category.as_deref()?, t.routed_category.as_deref())))
            .collect();
        Self {
            intent: scores(&intents),
            category: scores(&categories),
        }
    }
}

/// Scores for every class that is a gold label or a prediction among the labelled pairs
/// (gold, predicted), by support, then label. A missing prediction counts against recall only.
pub fn scores(pairs: &[(&str, Option<&str>)]) -> Vec<ClassScore> {
    let labels: BTreeSet<&str> = pairs
        .iter()
        .flat_map(|(g, p)| std::iter::once(*g).chain(*p))
        .collect();
    let mut out: Vec<ClassScore> = labels
        .into_iter()
        .map(|label| {
            let support = pairs.iter().filter(|(g, _)| *g == label).count();
            let predicted = pairs.iter().filter(|(_, p)| *p == Some(label)).count();
            let tp = pairs
                .iter()
                .filter(|(g, p)| *g == label && *p == Some(label))
                .count();
            let ratio = |n: usize, d: usize| (d > 0).then(|| n as f64 / d as f64);
            let precision = ratio(tp, predicted);
            let recall = ratio(tp, support);
            // No hit at all is an F1 of 0 (as `rasa test` and scikit-learn report it), even when
            // the class was never predicted and its precision is undefined.
            let f1 = match (precision, recall) {
                _ if tp == 0 => Some(0.0),
                (Some(p), Some(r)) => Some(2.0 * p * r / (p + r)),
                _ => None,
            };
            ClassScore {
                label: label.to_string(),
                precision,
                recall,
                f1,
                support,
                predicted,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.support
            .cmp(&a.support)
            .then_with(|| a.label.cmp(&b.label))
    });
    out
}

/// One misjudged ticket for the errors file: what was expected, what kbctl did, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ErrorRow<'a> {
    pub id: &'a str,
    /// What went wrong: `wrong_auto_answer`, `missed_escalation`, `needlessly_escalated`
    /// (the answer would have been right) or `wrong_intent`.
    pub error: &'static str,
    pub verdict: Option<Verdict>,
    pub decision: crate::decision::Decision,
    pub confidence: f32,
    pub gold_intent: Option<&'a str>,
    pub intent: Option<&'a str>,
    pub gold_docs: &'a [String],
    pub top_doc: Option<&'a str>,
    pub reasons: &'a [String],
    /// The customer's text, personal data masked, shortened.
    pub text: &'a str,
}

/// The misjudged tickets, in replay order: a wrong or needless decision first, else a wrong intent.
pub fn errors(tickets: &[Judged]) -> Vec<ErrorRow<'_>> {
    tickets
        .iter()
        .filter_map(|t| {
            let error = match t.verdict {
                Some(Verdict::WrongAutoAnswer) => "wrong_auto_answer",
                Some(Verdict::MissedEscalation) => "missed_escalation",
                Some(Verdict::NeedlesslyEscalated) => "needlessly_escalated",
                _ if t.gold_intent.is_some() && t.gold_intent != t.intent => "wrong_intent",
                _ => return None,
            };
            Some(ErrorRow {
                id: &t.id,
                error,
                verdict: t.verdict,
                decision: t.decision,
                confidence: t.confidence,
                gold_intent: t.gold_intent.as_deref(),
                intent: t.intent.as_deref(),
                gold_docs: &t.gold_docs,
                top_doc: t.top_doc.as_deref(),
                reasons: &t.reasons,
                text: &t.text,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score<'a>(s: &'a [ClassScore], label: &str) -> &'a ClassScore {
        s.iter().find(|c| c.label == label).unwrap()
    }

    #[test]
    fn precision_recall_and_f1_per_class_as_sklearn_counts_them() {
        // gold:      a a a b b c
        // predicted: a a b b - a
        let pairs = [
            ("a", Some("a")),
            ("a", Some("a")),
            ("a", Some("b")),
            ("b", Some("b")),
            ("b", None),
            ("c", Some("a")),
        ];
        let s = scores(&pairs);
        let a = score(&s, "a");
        assert_eq!((a.support, a.predicted), (3, 3));
        assert!((a.precision.unwrap() - 2.0 / 3.0).abs() < 1e-12);
        assert!((a.recall.unwrap() - 2.0 / 3.0).abs() < 1e-12);
        assert!((a.f1.unwrap() - 2.0 / 3.0).abs() < 1e-12);
        let b = score(&s, "b");
        assert_eq!((b.support, b.predicted), (2, 2));
        assert_eq!((b.precision, b.recall), (Some(0.5), Some(0.5)));
        let c = score(&s, "c");
        assert_eq!(c.precision, None, "never predicted");
        assert_eq!((c.recall, c.support), (Some(0.0), 1));
        assert_eq!(
            c.f1,
            Some(0.0),
            "no hit: F1 0, as sklearn with zero_division=0"
        );
        // Largest support first.
        assert_eq!(s[0].label, "a");
    }

    #[test]
    fn a_class_only_predicted_has_zero_precision_and_no_recall() {
        let s = scores(&[("a", Some("z"))]);
        let z = score(&s, "z");
        assert_eq!((z.support, z.predicted), (0, 1));
        assert_eq!((z.precision, z.recall), (Some(0.0), None));
        assert_eq!(z.f1, Some(0.0));
    }
}
