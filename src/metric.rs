//! The metrics of a replay by name: each one's id, meaning, unit, scale and which way is better, in one table that gates, ranges, results and reports read.

use crate::error::UserError;

/// A headline metric of `kbctl eval`. Its [`id`](Metric::id) is the key in the results file,
/// in `gates` and in `--fail-under`/`--fail-over`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Metric {
    Tickets,
    Containment,
    DraftShare,
    EscalationShare,
    Accuracy,
    WrongRate,
    EscalationPrecision,
    EscalationRecall,
    IntentAccuracy,
    IntentMacroF1,
    RecallAt1,
    RecallAt5,
    Mrr,
    NdcgAt10,
    FrtMedianBeforeS,
    FrtMedianAfterS,
    FrtP90BeforeS,
    FrtP90AfterS,
    MonthlySavingsNet,
    PaybackMonthsNet,
    RoiNet,
}

/// What a metric's number counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A number of tickets.
    Tickets,
    /// A share of tickets, or a score on the same 0..=1 scale (MRR, nDCG, F1).
    Share,
    /// A duration in seconds.
    Seconds,
    /// An amount in the report's currency, either sign.
    Money,
    /// A number of months.
    Months,
    /// A return as a fraction of the investment (2.375 = 237.5%), either sign.
    Ratio,
}

impl Unit {
    /// The values a metric in this unit can take, and so the thresholds a gate on it may set.
    pub fn range(self) -> (f64, f64) {
        match self {
            Self::Share => (0.0, 1.0),
            Self::Tickets | Self::Seconds => (0.0, 1e9),
            Self::Months => (0.0, 1e6),
            Self::Ratio => (-1e9, 1e9),
            Self::Money => (-1e18, 1e18),
        }
    }
}

/// Which way a metric improves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Better {
    Higher,
    Lower,
}

/// One row of the metric table.
struct Spec {
    id: &'static str,
    unit: Unit,
    /// `None` for the facts of a replay that are not results: its size, the split between
    /// drafts and escalations, and the history's own first-response time; a baseline
    /// comparison leaves them out.
    better: Option<Better>,
    definition: &'static str,
}

impl Metric {
    /// Every metric, in the order of the results file.
    pub const ALL: [Metric; 21] = [
        Self::Tickets,
        Self::Containment,
        Self::DraftShare,
        Self::EscalationShare,
        Self::Accuracy,
        Self::WrongRate,
        Self::EscalationPrecision,
        Self::EscalationRecall,
        Self::IntentAccuracy,
        Self::IntentMacroF1,
        Self::RecallAt1,
        Self::RecallAt5,
        Self::Mrr,
        Self::NdcgAt10,
        Self::FrtMedianBeforeS,
        Self::FrtMedianAfterS,
        Self::FrtP90BeforeS,
        Self::FrtP90AfterS,
        Self::MonthlySavingsNet,
        Self::PaybackMonthsNet,
        Self::RoiNet,
    ];

    fn spec(self) -> Spec {
        use Better::{Higher, Lower};
        use Unit::*;
        let (id, unit, better, definition) = match self {
            Self::Tickets => (
                "tickets",
                Tickets,
                None,
                "tickets replayed (rows that could not be read are not counted)",
            ),
            Self::Containment => (
                "containment",
                Share,
                Some(Higher),
                "share of tickets the bot answers on its own",
            ),
            Self::DraftShare => (
                "draft_share",
                Share,
                None,
                "share of tickets where the bot prepares a draft for an agent",
            ),
            Self::EscalationShare => (
                "escalation_share",
                Share,
                None,
                "share of tickets handed straight to a person",
            ),
            Self::Accuracy => (
                "accuracy",
                Share,
                Some(Higher),
                "share of the automatic answers that are right (right document, or right intent where no document is labelled); a ticket that should have reached a person is wrong when answered",
            ),
            Self::WrongRate => (
                "wrong_rate",
                Share,
                Some(Lower),
                "wrong automatic answers as a share of all labelled tickets",
            ),
            Self::EscalationPrecision => (
                "escalation_precision",
                Share,
                Some(Higher),
                "of the tickets handed to a person (draft or escalation), the share that needed one",
            ),
            Self::EscalationRecall => (
                "escalation_recall",
                Share,
                Some(Higher),
                "of the tickets that needed a person, the share handed to one",
            ),
            Self::IntentAccuracy => (
                "intent_accuracy",
                Share,
                Some(Higher),
                "share of tickets whose predicted intent equals the gold intent",
            ),
            Self::IntentMacroF1 => (
                "intent_macro_f1",
                Share,
                Some(Higher),
                "F1 of intent prediction averaged over the gold intents",
            ),
            Self::RecallAt1 => (
                "recall_at_1",
                Share,
                Some(Higher),
                "share of tickets with a gold document ranked first",
            ),
            Self::RecallAt5 => (
                "recall_at_5",
                Share,
                Some(Higher),
                "share of tickets with a gold document among the first five",
            ),
            Self::Mrr => (
                "mrr",
                Share,
                Some(Higher),
                "mean reciprocal rank of the first gold document (0 beyond rank 10)",
            ),
            Self::NdcgAt10 => (
                "ndcg_at_10",
                Share,
                Some(Higher),
                "normalised discounted cumulative gain of the gold documents in the first ten",
            ),
            Self::FrtMedianBeforeS => (
                "frt_median_before_s",
                Seconds,
                None,
                "median first-response time in the history",
            ),
            Self::FrtMedianAfterS => (
                "frt_median_after_s",
                Seconds,
                Some(Lower),
                "median first-response time with the bot's answers at its measured latency",
            ),
            Self::FrtP90BeforeS => (
                "frt_p90_before_s",
                Seconds,
                None,
                "90th percentile of the historical first-response time",
            ),
            Self::FrtP90AfterS => (
                "frt_p90_after_s",
                Seconds,
                Some(Lower),
                "90th percentile of the first-response time with the bot",
            ),
            Self::MonthlySavingsNet => (
                "monthly_savings_net",
                Money,
                Some(Higher),
                "monthly savings after running costs and the cost of wrong answers",
            ),
            Self::PaybackMonthsNet => (
                "payback_months_net",
                Months,
                Some(Lower),
                "months until the net savings cover the implementation",
            ),
            Self::RoiNet => (
                "roi_net",
                Ratio,
                Some(Higher),
                "return over the horizon, net of running costs",
            ),
        };
        Spec {
            id,
            unit,
            better,
            definition,
        }
    }

    /// The snake_case name: `frt_median_after_s`.
    pub fn id(self) -> &'static str {
        self.spec().id
    }

    /// What the metric means, written into the results and shown in reports.
    pub fn definition(self) -> &'static str {
        self.spec().definition
    }

    pub fn unit(self) -> Unit {
        self.spec().unit
    }

    /// Which way is better; `None` for a fact of the replay rather than a result.
    pub fn better(self) -> Option<Better> {
        self.spec().better
    }

    /// The values the metric can take, and so the thresholds a gate on it may set.
    pub fn range(self) -> (f64, f64) {
        self.unit().range()
    }

    /// The metric named `id`; an unknown name is the user's mistake (not a failed gate), named
    /// with the closest known metric.
    pub fn parse(id: &str) -> Result<Self, UserError> {
        let ids = Self::ALL.map(Self::id);
        Self::ALL.into_iter().find(|m| m.id() == id).ok_or_else(|| {
            UserError::Invalid(format!(
                "unknown metric `{id}`{} (known: {})",
                crate::suggest::did_you_mean(id, ids),
                ids.join(", ")
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_metric_is_listed_once_and_parses_from_its_id() {
        for (i, metric) in Metric::ALL.into_iter().enumerate() {
            assert_eq!(
                Metric::ALL.iter().position(|m| *m == metric),
                Some(i),
                "{metric:?}"
            );
            assert_eq!(Metric::parse(metric.id()).unwrap(), metric);
        }
    }

    #[test]
    fn an_unknown_metric_is_named_with_the_closest_one() {
        let err = Metric::parse("contaiment").unwrap_err().to_string();
        assert!(
            err.starts_with(
                "unknown metric `contaiment`, did you mean `containment`? (known: tickets, containment, "
            ),
            "{err}"
        );
    }
}
