//! Metrics of a replay: decision mix, correctness, escalation, intent, retrieval, per segment (polars), with Wilson intervals.

use std::collections::{BTreeMap, HashMap};

use polars::prelude::*;
use serde::{Deserialize, Serialize};

use super::judge::Judged;
use crate::decision::Decision;
use crate::metric::Metric;

/// The headline numbers, one field per [`Metric`] named by its id. `None` where the replay has
/// no labels for a metric.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    pub tickets: usize,
    pub containment: Option<f64>,
    pub draft_share: Option<f64>,
    pub escalation_share: Option<f64>,
    pub accuracy: Option<f64>,
    pub wrong_rate: Option<f64>,
    pub escalation_precision: Option<f64>,
    pub escalation_recall: Option<f64>,
    pub intent_accuracy: Option<f64>,
    pub intent_macro_f1: Option<f64>,
    pub recall_at_1: Option<f64>,
    pub recall_at_5: Option<f64>,
    pub mrr: Option<f64>,
    pub ndcg_at_10: Option<f64>,
    pub frt_median_before_s: Option<f64>,
    pub frt_median_after_s: Option<f64>,
    pub frt_p90_before_s: Option<f64>,
    pub frt_p90_after_s: Option<f64>,
    pub monthly_savings_net: Option<f64>,
    pub payback_months_net: Option<f64>,
    pub roi_net: Option<f64>,
}

impl Metrics {
    /// The value of one metric; `None` where the replay cannot measure it.
    pub fn value(&self, metric: Metric) -> Option<f64> {
        match metric {
            Metric::Tickets => Some(self.tickets as f64),
            Metric::Containment => self.containment,
            Metric::DraftShare => self.draft_share,
            Metric::EscalationShare => self.escalation_share,
            Metric::Accuracy => self.accuracy,
            Metric::WrongRate => self.wrong_rate,
            Metric::EscalationPrecision => self.escalation_precision,
            Metric::EscalationRecall => self.escalation_recall,
            Metric::IntentAccuracy => self.intent_accuracy,
            Metric::IntentMacroF1 => self.intent_macro_f1,
            Metric::RecallAt1 => self.recall_at_1,
            Metric::RecallAt5 => self.recall_at_5,
            Metric::Mrr => self.mrr,
            Metric::NdcgAt10 => self.ndcg_at_10,
            Metric::FrtMedianBeforeS => self.frt_median_before_s,
            Metric::FrtMedianAfterS => self.frt_median_after_s,
            Metric::FrtP90BeforeS => self.frt_p90_before_s,
            Metric::FrtP90AfterS => self.frt_p90_after_s,
            Metric::MonthlySavingsNet => self.monthly_savings_net,
            Metric::PaybackMonthsNet => self.payback_months_net,
            Metric::RoiNet => self.roi_net,
        }
    }
}

fn ratio(num: usize, den: usize) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

/// The ticket counts the decision shares are ratios of.
struct DecisionCounts {
    n: usize,
    auto: usize,
    draft: usize,
    escalate: usize,
    right: usize,
    wrong: usize,
    labelled: usize,
    needed: usize,
    handed_known: usize,
    handed_needed: usize,
}

impl DecisionCounts {
    fn of(tickets: &[&Judged]) -> Self {
        let count = |f: &dyn Fn(&Judged) -> bool| tickets.iter().filter(|t| f(t)).count();
        Self {
            n: tickets.len(),
            auto: count(&|t| t.auto()),
            draft: count(&|t| t.decision == Decision::Draft),
            escalate: count(&|t| t.decision == Decision::Escalate),
            right: count(&|t| t.auto() && t.correct == Some(true)),
            wrong: count(&|t| t.auto() && t.correct == Some(false)),
            labelled: count(&|t| t.correct.is_some()),
            needed: count(&|t| t.should_escalate == Some(true)),
            handed_known: count(&|t| !t.auto() && t.should_escalate.is_some()),
            handed_needed: count(&|t| !t.auto() && t.should_escalate == Some(true)),
        }
    }
}

/// Decision mix and correctness over a set of judged tickets.
pub fn decision_metrics(tickets: &[&Judged]) -> Metrics {
    let c = DecisionCounts::of(tickets);
    Metrics {
        tickets: c.n,
        containment: ratio(c.auto, c.n),
        draft_share: ratio(c.draft, c.n),
        escalation_share: ratio(c.escalate, c.n),
        accuracy: ratio(c.right, c.right + c.wrong),
        wrong_rate: ratio(c.wrong, c.labelled),
        escalation_precision: ratio(c.handed_needed, c.handed_known),
        escalation_recall: ratio(c.handed_needed, c.needed),
        ..Metrics::default()
    }
}

/// Intent accuracy, macro-F1 over the gold intents, and the most frequent confusions.
pub fn intent_metrics(
    tickets: &[&Judged],
    top: usize,
) -> (Option<f64>, Option<f64>, Vec<Confusion>) {
    let pairs: Vec<(&str, &str)> = tickets
        .iter()
        .filter_map(|t| Some((t.gold_intent.as_deref()?, t.intent.as_deref().unwrap_or(""))))
        .collect();
    if pairs.is_empty() {
        return (None, None, Vec::new());
    }
    let right = pairs.iter().filter(|(g, p)| g == p).count();
    // Macro-F1 over the gold intents: the per-class F1 of the `rasa test` table, averaged.
    let labelled: Vec<(&str, Option<&str>)> = tickets
        .iter()
        .filter_map(|t| Some((t.gold_intent.as_deref()?, t.intent.as_deref())))
        .collect();
    let f1: Vec<f64> = super::classes::scores(&labelled)
        .into_iter()
        .filter(|c| c.support > 0)
        .map(|c| c.f1.unwrap_or(0.0))
        .collect();
    let mut counts: HashMap<(&str, &str), usize> = HashMap::new();
    for &(g, p) in pairs.iter().filter(|(g, p)| g != p) {
        *counts.entry((g, p)).or_default() += 1;
    }
    let mut confusions: Vec<Confusion> = counts
        .into_iter()
        .map(|((gold, predicted), count)| Confusion {
            gold: gold.to_string(),
            predicted: predicted.to_string(),
            count,
        })
        .collect();
    confusions.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.gold.cmp(&b.gold))
            .then_with(|| a.predicted.cmp(&b.predicted))
    });
    confusions.truncate(top);
    (
        ratio(right, pairs.len()),
        Some(f1.iter().sum::<f64>() / f1.len() as f64),
        confusions,
    )
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Confusion {
    pub gold: String,
    pub predicted: String,
    pub count: usize,
}

/// Recall@1, recall@5, MRR and nDCG@10 over the tickets with gold documents.
pub fn retrieval_metrics(tickets: &[&Judged]) -> [Option<f64>; 4] {
    let labelled: Vec<&&Judged> = tickets.iter().filter(|t| !t.gold_docs.is_empty()).collect();
    if labelled.is_empty() {
        return [None; 4];
    }
    let n = labelled.len() as f64;
    let at = |k: usize| {
        labelled
            .iter()
            .filter(|t| t.gold_rank().is_some_and(|r| r <= k))
            .count() as f64
            / n
    };
    let mrr = labelled
        .iter()
        .map(|t| t.gold_rank().map_or(0.0, |r| 1.0 / r as f64))
        .sum::<f64>()
        / n;
    // Binary relevance; the ideal ranking puts every gold document first.
    let gain = |rank: usize| 1.0 / ((rank + 1) as f64).log2();
    let ndcg = labelled
        .iter()
        .map(|t| {
            let dcg = t.gold_ranks.iter().map(|&r| gain(r)).sum::<f64>();
            let ideal: f64 = (1..=t.gold_docs.len().min(10)).map(gain).sum();
            dcg / ideal
        })
        .sum::<f64>()
        / n;
    [Some(at(1)), Some(at(5)), Some(mrr), Some(ndcg)]
}

/// A proportion as counts: `successes` of `trials`, with its 95% Wilson score interval, so a
/// report can say "69 of 69 right, 95% CI 0.95-1.00" and never shows a zero-width interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Proportion {
    pub successes: usize,
    pub trials: usize,
    pub low: f64,
    pub high: f64,
}

impl Proportion {
    /// None without trials.
    pub fn wilson(successes: usize, trials: usize) -> Option<Self> {
        if trials == 0 {
            return None;
        }
        const Z: f64 = 1.959_963_984_540_054;
        let n = trials as f64;
        let p = successes as f64 / n;
        let z2 = Z * Z;
        let denominator = 1.0 + z2 / n;
        let centre = (p + z2 / (2.0 * n)) / denominator;
        let half = Z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denominator;
        Some(Self {
            successes,
            trials,
            low: (centre - half).max(0.0),
            high: (centre + half).min(1.0),
        })
    }
}

/// The counts behind every share-of-tickets metric, with Wilson intervals, by metric id.
pub fn proportions(tickets: &[&Judged]) -> BTreeMap<String, Proportion> {
    let c = DecisionCounts::of(tickets);
    let intents: Vec<bool> = tickets
        .iter()
        .filter_map(|t| Some(t.gold_intent.as_deref()? == t.intent.as_deref().unwrap_or("")))
        .collect();
    let ranked: Vec<Option<usize>> = tickets
        .iter()
        .filter(|t| !t.gold_docs.is_empty())
        .map(|t| t.gold_rank())
        .collect();
    let within = |k: usize| ranked.iter().filter(|r| r.is_some_and(|r| r <= k)).count();
    [
        (Metric::Containment, c.auto, c.n),
        (Metric::DraftShare, c.draft, c.n),
        (Metric::EscalationShare, c.escalate, c.n),
        (Metric::Accuracy, c.right, c.right + c.wrong),
        (Metric::WrongRate, c.wrong, c.labelled),
        (Metric::EscalationPrecision, c.handed_needed, c.handed_known),
        (Metric::EscalationRecall, c.handed_needed, c.needed),
        (
            Metric::IntentAccuracy,
            intents.iter().filter(|&&r| r).count(),
            intents.len(),
        ),
        (Metric::RecallAt1, within(1), ranked.len()),
        (Metric::RecallAt5, within(5), ranked.len()),
    ]
    .into_iter()
    .filter_map(|(metric, k, n)| Some((metric.id().to_string(), Proportion::wilson(k, n)?)))
    .collect()
}

/// A small, fast, seedable generator (SplitMix64): reproducible intervals without a dependency.
pub struct SplitMix(pub u64);

impl SplitMix {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// One value of a segment (a category, a language, a channel, an agent) and its figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    pub value: String,
    pub tickets: usize,
    pub auto: usize,
    pub draft: usize,
    pub escalate: usize,
    pub containment: Option<f64>,
    pub accuracy: Option<f64>,
    pub wrong_rate: Option<f64>,
    pub escalation_precision: Option<f64>,
    pub escalation_recall: Option<f64>,
    pub intent_accuracy: Option<f64>,
    pub recall_at_1: Option<f64>,
    pub recall_at_5: Option<f64>,
    pub mrr: Option<f64>,
    pub frt_median_before_s: Option<f64>,
    pub frt_median_after_s: Option<f64>,
}

/// The segment fields, in the order they are reported.
pub const SEGMENT_FIELDS: [&str; 4] = ["category", "language", "channel", "agent"];

/// Per-ticket frame for the aggregations: one row per judged ticket, 0/1 indicator columns.
pub fn frame(tickets: &[&Judged], bot_latency_s: f64) -> PolarsResult<DataFrame> {
    let text = |f: &dyn Fn(&Judged) -> Option<String>| -> Vec<Option<String>> {
        tickets.iter().map(|t| f(t)).collect()
    };
    let flag = |f: &dyn Fn(&Judged) -> bool| -> Vec<u32> {
        tickets.iter().map(|t| u32::from(f(t))).collect()
    };
    df!(
        "category" => text(&|t| t.category.clone()),
        "language" => text(&|t| Some(t.language.clone())),
        "channel" => text(&|t| t.channel.clone()),
        "agent" => text(&|t| t.agent.clone()),
        "auto" => flag(&|t| t.auto()),
        "draft" => flag(&|t| t.decision == Decision::Draft),
        "escalate" => flag(&|t| t.decision == Decision::Escalate),
        "right" => flag(&|t| t.auto() && t.correct == Some(true)),
        "wrong" => flag(&|t| t.auto() && t.correct == Some(false)),
        "labelled" => flag(&|t| t.correct.is_some()),
        "needed" => flag(&|t| t.should_escalate == Some(true)),
        "handed_needed" => flag(&|t| !t.auto() && t.should_escalate == Some(true)),
        "handed_known" => flag(&|t| !t.auto() && t.should_escalate.is_some()),
        "intent_known" => flag(&|t| t.gold_intent.is_some()),
        "intent_right" => flag(&|t| t.gold_intent.is_some() && t.gold_intent == t.intent),
        "docs_known" => flag(&|t| !t.gold_docs.is_empty()),
        "hit_1" => flag(&|t| t.gold_rank().is_some_and(|r| r <= 1)),
        "hit_5" => flag(&|t| t.gold_rank().is_some_and(|r| r <= 5)),
        "reciprocal_rank" => tickets
            .iter()
            .map(|t| t.gold_rank().map_or(0.0, |r| 1.0 / r as f64))
            .collect::<Vec<_>>(),
        "frt_before" => tickets.iter().map(|t| t.human_frt_s).collect::<Vec<_>>(),
        "frt_after" => tickets
            .iter()
            .map(|t| t.human_frt_s.map(|f| if t.auto() { bot_latency_s } else { f }))
            .collect::<Vec<_>>(),
    )
}

/// Per-value figures of one segment field, largest first; tickets without the field are left out.
pub fn segments(frame: &DataFrame, field: &str) -> PolarsResult<Vec<Segment>> {
    let sum = |c: &str| col(c).sum().alias(c);
    let grouped = frame
        .clone()
        .lazy()
        .filter(col(field).is_not_null())
        .group_by([col(field)])
        .agg([
            len().alias("tickets"),
            sum("auto"),
            sum("draft"),
            sum("escalate"),
            sum("right"),
            sum("wrong"),
            sum("labelled"),
            sum("needed"),
            sum("handed_needed"),
            sum("handed_known"),
            sum("intent_known"),
            sum("intent_right"),
            sum("docs_known"),
            sum("hit_1"),
            sum("hit_5"),
            sum("reciprocal_rank"),
            col("frt_before").median().alias("frt_before"),
            col("frt_after").median().alias("frt_after"),
        ])
        .sort(
            ["tickets", field],
            SortMultipleOptions::default().with_order_descending_multi([true, false]),
        )
        .collect()?;
    let strings = grouped.column(field)?.cast(&DataType::String)?;
    let names = strings.str()?;
    let count = |c: &str| -> PolarsResult<Vec<usize>> {
        let s = grouped.column(c)?.cast(&DataType::UInt64)?;
        Ok(s.u64()?.iter().map(|v| v.unwrap_or(0) as usize).collect())
    };
    let float = |c: &str| -> PolarsResult<Vec<Option<f64>>> {
        let s = grouped.column(c)?.cast(&DataType::Float64)?;
        Ok(s.f64()?.iter().collect())
    };
    let (tickets, auto, draft, escalate) = (
        count("tickets")?,
        count("auto")?,
        count("draft")?,
        count("escalate")?,
    );
    let (right, wrong, labelled) = (count("right")?, count("wrong")?, count("labelled")?);
    let (needed, handed) = (count("needed")?, count("handed_needed")?);
    let handed_known = count("handed_known")?;
    let (intent_known, intent_right) = (count("intent_known")?, count("intent_right")?);
    let (docs, hit_1, hit_5) = (count("docs_known")?, count("hit_1")?, count("hit_5")?);
    let reciprocal = float("reciprocal_rank")?;
    let (before, after) = (float("frt_before")?, float("frt_after")?);
    Ok((0..grouped.height())
        .map(|i| Segment {
            value: names.get(i).unwrap_or_default().to_string(),
            tickets: tickets[i],
            auto: auto[i],
            draft: draft[i],
            escalate: escalate[i],
            containment: ratio(auto[i], tickets[i]),
            accuracy: ratio(right[i], right[i] + wrong[i]),
            wrong_rate: ratio(wrong[i], labelled[i]),
            escalation_precision: ratio(handed[i], handed_known[i]),
            escalation_recall: ratio(handed[i], needed[i]),
            intent_accuracy: ratio(intent_right[i], intent_known[i]),
            recall_at_1: ratio(hit_1[i], docs[i]),
            recall_at_5: ratio(hit_5[i], docs[i]),
            mrr: (docs[i] > 0).then(|| reciprocal[i].unwrap_or(0.0) / docs[i] as f64),
            frt_median_before_s: before[i],
            frt_median_after_s: after[i],
        })
        .collect())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A judged ticket with the fields the metrics read.
    pub(crate) fn judged(
        id: &str,
        decision: Decision,
        correct: Option<bool>,
        should_escalate: Option<bool>,
    ) -> Judged {
        Judged {
            id: id.into(),
            category: Some("billing".into()),
            gold_category: None,
            created: None,
            language: "en".into(),
            channel: None,
            agent: None,
            decision,
            confidence: 0.5,
            floor: Decision::Auto,
            auto_threshold: 0.8,
            draft_threshold: 0.5,
            intent: None,
            top_doc: None,
            gold_intent: None,
            gold_docs: Vec::new(),
            should_escalate,
            correct,
            verdict: super::super::judge::Verdict::of(
                decision == Decision::Auto,
                should_escalate,
                correct,
            ),
            gold_ranks: Vec::new(),
            human_frt_s: None,
            elapsed_ms: 2.0,
            reasons: Vec::new(),
            features: crate::pipeline::confidence::Features {
                top_score: 0.5,
                margin: 0.1,
                agreement: 1.0,
                views_agree: 1.0,
                coverage: 0.5,
            },
            intent_share: 0.0,
            classifier: false,
            routed_category: Some("billing".into()),
            text: String::new(),
        }
    }

    #[test]
    fn the_fields_are_the_metrics_in_their_order_and_value_reads_each_one() {
        // The results file writes the fields in declaration order: the order of Metric::ALL.
        let text = serde_json::to_string(&Metrics::default()).unwrap();
        assert_eq!(text.matches("\":").count(), Metric::ALL.len(), "{text}");
        let at: Vec<usize> = Metric::ALL
            .iter()
            .map(|m| {
                text.find(&format!("\"{}\":", m.id()))
                    .unwrap_or_else(|| panic!("no field `{}` in Metrics", m.id()))
            })
            .collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{text}");
        // A distinct number in every field, written by name, read back by metric.
        let mut json = serde_json::to_value(Metrics::default()).unwrap();
        for (i, metric) in Metric::ALL.into_iter().enumerate() {
            json[metric.id()] = serde_json::Value::from(i);
        }
        let m: Metrics = serde_json::from_value(json).unwrap();
        for (i, metric) in Metric::ALL.into_iter().enumerate() {
            assert_eq!(m.value(metric), Some(i as f64), "{}", metric.id());
        }
    }

    #[test]
    fn decision_mix_and_escalation_by_hand() {
        use Decision::*;
        // 10 tickets: 4 auto (3 right, 1 wrong), 3 drafts, 3 escalations; 4 needed a person,
        // 3 of whom were handed over (the wrong auto answer is the fourth).
        let t = [
            judged("1", Auto, Some(true), Some(false)),
            judged("2", Auto, Some(true), Some(false)),
            judged("3", Auto, Some(true), Some(false)),
            judged("4", Auto, Some(false), Some(true)),
            judged("5", Draft, Some(true), Some(false)),
            judged("6", Draft, None, Some(true)),
            judged("7", Draft, Some(false), None),
            judged("8", Escalate, Some(false), Some(true)),
            judged("9", Escalate, Some(false), Some(true)),
            judged("10", Escalate, None, Some(false)),
        ];
        let refs: Vec<&Judged> = t.iter().collect();
        let m = decision_metrics(&refs);
        assert_eq!(m.tickets, 10);
        assert_eq!(m.containment, Some(0.4));
        assert_eq!(m.draft_share, Some(0.3));
        assert_eq!(m.escalation_share, Some(0.3));
        assert_eq!(m.accuracy, Some(0.75));
        // 1 wrong of the 8 tickets whose correctness is known.
        assert_eq!(m.wrong_rate, Some(1.0 / 8.0));
        // Handed over with a label: 5, 6, 8, 9, 10 (7 has none); 6, 8, 9 needed it.
        assert_eq!(m.escalation_precision, Some(3.0 / 5.0));
        assert_eq!(m.escalation_recall, Some(3.0 / 4.0));

        let frame = frame(&refs, 1.0).unwrap();
        let seg = segments(&frame, "category").unwrap();
        assert_eq!(seg.len(), 1);
        assert_eq!(seg[0].value, "billing");
        assert_eq!(
            (seg[0].tickets, seg[0].auto, seg[0].draft, seg[0].escalate),
            (10, 4, 3, 3)
        );
        assert_eq!(seg[0].containment, m.containment);
        assert_eq!(seg[0].accuracy, m.accuracy);
        assert_eq!(seg[0].escalation_recall, m.escalation_recall);
        assert_eq!(seg[0].escalation_precision, m.escalation_precision);
        // No channel on any ticket: no channel segment.
        assert!(segments(&frame, "channel").unwrap().is_empty());
    }

    #[test]
    fn intent_accuracy_macro_f1_and_confusions_by_hand() {
        let mut t = Vec::new();
        for (gold, predicted) in [("a", "a"), ("a", "a"), ("a", "b"), ("b", "b"), ("c", "b")] {
            let mut j = judged("x", Decision::Auto, None, None);
            j.gold_intent = Some(gold.into());
            j.intent = Some(predicted.into());
            t.push(j);
        }
        let refs: Vec<&Judged> = t.iter().collect();
        let (acc, f1, confusions) = intent_metrics(&refs, 10);
        assert_eq!(acc, Some(0.6));
        let seg = segments(&frame(&refs, 1.0).unwrap(), "category").unwrap();
        assert_eq!(seg[0].intent_accuracy, Some(0.6));
        // a: tp 2 fp 0 fn 1 -> 0.8; b: tp 1 fp 2 fn 0 -> 0.5; c: 0 -> macro 1.3 / 3
        assert!((f1.unwrap() - 1.3 / 3.0).abs() < 1e-12);
        assert_eq!(confusions.len(), 2);
        assert_eq!(
            (
                confusions[0].gold.as_str(),
                confusions[0].predicted.as_str()
            ),
            ("a", "b")
        );
    }

    #[test]
    fn retrieval_metrics_by_hand() {
        let mut t = Vec::new();
        for rank in [Some(1), Some(3), None, Some(10)] {
            let mut j = judged("x", Decision::Auto, None, None);
            j.gold_docs = vec!["d".into()];
            j.gold_ranks = rank.into_iter().collect();
            t.push(j);
        }
        t.push(judged("unlabelled", Decision::Auto, None, None));
        let refs: Vec<&Judged> = t.iter().collect();
        let [r1, r5, mrr, ndcg] = retrieval_metrics(&refs);
        assert_eq!(r1, Some(0.25));
        assert_eq!(r5, Some(0.5));
        assert!((mrr.unwrap() - (1.0 + 1.0 / 3.0 + 0.1) / 4.0).abs() < 1e-12);
        let expected = (1.0 + 1.0 / 4f64.log2() + 1.0 / 11f64.log2()) / 4.0;
        assert!((ndcg.unwrap() - expected).abs() < 1e-12);
        // The same per segment, through polars.
        let seg = segments(&frame(&refs, 1.0).unwrap(), "category").unwrap();
        assert_eq!((seg[0].recall_at_1, seg[0].recall_at_5), (r1, r5));
        assert!((seg[0].mrr.unwrap() - mrr.unwrap()).abs() < 1e-12);
    }

    #[test]
    fn wilson_intervals_match_published_values_and_never_collapse() {
        // 69 of 69: the interval the issue asks for, not [1, 1].
        let all = Proportion::wilson(69, 69).unwrap();
        assert_eq!((all.successes, all.trials), (69, 69));
        assert!(
            (all.low - 0.9473).abs() < 1e-3 && all.high == 1.0,
            "{all:?}"
        );
        // Textbook case (Newcombe 1998): 81 of 263 gives 0.2553-0.3662.
        let p = Proportion::wilson(81, 263).unwrap();
        assert!(
            (p.low - 0.2553).abs() < 1e-3 && (p.high - 0.3662).abs() < 1e-3,
            "{p:?}"
        );
        let none = Proportion::wilson(0, 10).unwrap();
        assert!(none.low == 0.0 && none.high > 0.25, "{none:?}");
        assert!(Proportion::wilson(0, 0).is_none());
    }

    #[test]
    fn proportions_count_what_the_metrics_divide() {
        let t: Vec<Judged> = (0..200)
            .map(|i| {
                let auto = i % 2 == 0;
                judged(
                    &i.to_string(),
                    if auto {
                        Decision::Auto
                    } else {
                        Decision::Escalate
                    },
                    Some(i % 10 != 0),
                    None,
                )
            })
            .collect();
        let refs: Vec<&Judged> = t.iter().collect();
        let p = proportions(&refs);
        let m = decision_metrics(&refs);
        for (name, value) in [("containment", m.containment), ("accuracy", m.accuracy)] {
            let q = p[name];
            let share = q.successes as f64 / q.trials as f64;
            assert_eq!(Some(share), value, "{name}");
            assert!(q.low < share && share < q.high, "{name}: {q:?}");
        }
        assert_eq!(
            (p["containment"].successes, p["containment"].trials),
            (100, 200)
        );
        // Every fifth automatic answer (i = 0, 10, 20, ...) is wrong.
        assert_eq!((p["accuracy"].successes, p["accuracy"].trials), (80, 100));
    }
}
