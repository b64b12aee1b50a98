//! Judging one replayed ticket: the pipeline's outcome set against the ticket's history and gold labels.

use serde::{Deserialize, Serialize};

use super::replay::ReplayTicket;
use crate::config::Policy;
use crate::decision::{Decision, ReasonCode};
use crate::pipeline::Outcome;
use crate::text::clip_chars;

/// Characters of a ticket's text kept for examples (knowledge-base gaps, audit files).
const EXAMPLE_CHARS: usize = 240;

/// What a replayed decision amounts to against the ticket's history; "escalated" means handed to
/// a person (a draft or an escalation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Answered automatically, and the answer is right.
    RightAutoAnswer,
    /// Answered automatically with a wrong answer.
    WrongAutoAnswer,
    /// Handed to a person, and a person was needed (or the answer would have been wrong).
    RightlyEscalated,
    /// Handed to a person although the answer kbctl had was right and nothing asked for one.
    NeedlesslyEscalated,
    /// Answered automatically although the ticket needed a person.
    MissedEscalation,
}

impl Verdict {
    /// The verdict of a decision, when the ticket's labels allow one.
    pub fn of(auto: bool, should_escalate: Option<bool>, correct: Option<bool>) -> Option<Self> {
        Some(match (auto, should_escalate, correct) {
            (true, Some(true), _) => Self::MissedEscalation,
            (true, _, Some(true)) => Self::RightAutoAnswer,
            (true, _, Some(false)) => Self::WrongAutoAnswer,
            (false, Some(true), _) | (false, _, Some(false)) => Self::RightlyEscalated,
            (false, _, Some(true)) => Self::NeedlesslyEscalated,
            (_, _, None) => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::RightAutoAnswer => "right_auto_answer",
            Self::WrongAutoAnswer => "wrong_auto_answer",
            Self::RightlyEscalated => "rightly_escalated",
            Self::NeedlesslyEscalated => "needlessly_escalated",
            Self::MissedEscalation => "missed_escalation",
        }
    }
}

/// One replayed ticket, judged: the row of the per-ticket audit file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Judged {
    pub id: String,
    /// Gold category, else the predicted one.
    pub category: Option<String>,
    /// The category the history gives, if any.
    #[serde(default)]
    pub gold_category: Option<String>,
    /// When the ticket was created, in seconds since the epoch.
    #[serde(default)]
    pub created: Option<f64>,
    /// Given language, else the detected one.
    pub language: String,
    pub channel: Option<String>,
    pub agent: Option<String>,
    pub decision: Decision,
    pub confidence: f32,
    /// The least cautious decision the reasons other than confidence allow: what the
    /// thresholds cannot change.
    pub floor: Decision,
    pub auto_threshold: f32,
    pub draft_threshold: f32,
    pub intent: Option<String>,
    pub top_doc: Option<String>,
    pub gold_intent: Option<String>,
    pub gold_docs: Vec<String>,
    pub should_escalate: Option<bool>,
    /// Whether the answer kbctl would send is right (unknown without gold).
    pub correct: Option<bool>,
    /// What the decision amounts to (unknown without gold).
    #[serde(default)]
    pub verdict: Option<Verdict>,
    /// 1-based ranks of the gold documents among the ten retrieved.
    pub gold_ranks: Vec<usize>,
    pub human_frt_s: Option<f64>,
    pub elapsed_ms: f64,
    pub reasons: Vec<String>,
    /// Signals behind the confidence, for calibration in `kbctl tune`.
    #[serde(flatten)]
    pub features: crate::pipeline::confidence::Features,
    pub intent_share: f32,
    /// Whether `intent_share` is an intent classifier's probability (the index has one).
    pub classifier: bool,
    /// The category the policy saw (the predicted one), which per-category thresholds key on.
    pub routed_category: Option<String>,
    /// The ticket's text with personal data masked, shortened.
    pub text: String,
}

impl Judged {
    pub fn auto(&self) -> bool {
        self.decision == Decision::Auto
    }

    /// Rank of the first gold document retrieved.
    pub fn gold_rank(&self) -> Option<usize> {
        self.gold_ranks.first().copied()
    }

    /// Whether the knowledge base failed this ticket: no match, or not confident enough, while
    /// nothing else (a trigger, a request for a person) demanded a human.
    pub fn kb_gap(&self) -> bool {
        self.decision != Decision::Auto
            && self.should_escalate != Some(true)
            && self.reasons.iter().all(|r| {
                [
                    ReasonCode::NoKbMatch,
                    ReasonCode::UnknownTopic,
                    ReasonCode::LowConfidence,
                ]
                .iter()
                .any(|gap| gap.id() == r)
            })
    }

    /// The decision at other thresholds: confidence can only make it more cautious than the floor.
    pub fn decision_at(&self, auto: f32, draft: f32) -> Decision {
        let by_confidence = if self.confidence >= auto {
            Decision::Auto
        } else if self.confidence >= draft {
            Decision::Draft
        } else {
            Decision::Escalate
        };
        by_confidence.max(self.floor)
    }
}

/// Judge an outcome against its replayed ticket.
pub fn judge(
    ticket: &ReplayTicket,
    outcome: &Outcome,
    policy: &Policy,
    classifier: bool,
) -> Judged {
    let floor = outcome
        .escalation_reasons
        .iter()
        .filter(|r| r.code != ReasonCode::LowConfidence)
        .map(|r| r.decision)
        .max()
        .unwrap_or(Decision::Auto);
    let category = ticket.category.clone().or(outcome.category.clone());
    let overrides = outcome
        .category
        .as_ref()
        .and_then(|c| policy.categories.get(c));
    // The document the answer would come from: the first source.
    let top_doc = outcome
        .sources
        .first()
        .map(|s| s.doc_id.clone())
        .or_else(|| outcome.ranking.first().cloned());
    let correct = if ticket.should_escalate == Some(true) {
        Some(false)
    } else if !ticket.gold_docs.is_empty() {
        Some(
            top_doc
                .as_ref()
                .is_some_and(|d| ticket.gold_docs.contains(d)),
        )
    } else {
        match (&ticket.intent, &outcome.intent) {
            (Some(gold), Some(predicted)) => Some(gold == predicted),
            _ => None,
        }
    };
    let gold_ranks = outcome
        .ranking
        .iter()
        .enumerate()
        .filter(|(_, d)| ticket.gold_docs.contains(d))
        .map(|(i, _)| i + 1)
        .collect();
    let redacted = crate::pipeline::pii::redact_all(&ticket.ticket.query_text());
    Judged {
        id: outcome.id.clone(),
        category,
        gold_category: ticket.category.clone(),
        created: ticket.created,
        language: ticket
            .language
            .clone()
            .unwrap_or_else(|| outcome.language.to_string()),
        channel: ticket.ticket.channel.clone(),
        agent: ticket.agent.clone(),
        decision: outcome.decision,
        confidence: outcome.confidence,
        floor,
        auto_threshold: overrides
            .and_then(|o| o.auto_threshold)
            .unwrap_or(policy.auto_threshold),
        draft_threshold: overrides
            .and_then(|o| o.draft_threshold)
            .unwrap_or(policy.draft_threshold),
        intent: outcome.intent.clone(),
        top_doc,
        gold_intent: ticket.intent.clone(),
        gold_docs: ticket.gold_docs.clone(),
        should_escalate: ticket.should_escalate,
        correct,
        verdict: Verdict::of(
            outcome.decision == Decision::Auto,
            ticket.should_escalate,
            correct,
        ),
        gold_ranks,
        human_frt_s: ticket.human_frt_s(),
        elapsed_ms: outcome.elapsed_ms,
        reasons: outcome
            .escalation_reasons
            .iter()
            .map(|r| r.code.id().to_string())
            .collect(),
        features: outcome.signals.features(),
        intent_share: outcome.signals.intent_share,
        classifier,
        routed_category: outcome.category.clone(),
        text: clip_chars(redacted.trim(), EXAMPLE_CHARS).to_string(),
    }
}
