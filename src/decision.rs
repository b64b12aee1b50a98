//! What happens to a ticket and why: the decisions and reason codes that the pipeline makes and the evaluation judges.

use serde::{Deserialize, Serialize};

/// What happens to a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    Auto,
    Draft,
    Escalate,
}

/// Why a ticket is not answered automatically: the `code` of an escalation reason in answers,
/// handovers and audit rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasonCode {
    /// No knowledge-base document matches well enough.
    NoKbMatch,
    /// Too few of the ticket's words are known to the knowledge base.
    UnrecognisedText,
    /// The subject names what no document mentions.
    UnknownTopic,
    /// A trigger term of some kind (legal, security, ...) matched.
    TriggerTerm,
    /// The customer asks for a person.
    HumanRequest,
    NegativeSentiment,
    /// The best source, or its category, must never be sent automatically.
    SensitiveTopic,
    /// Automation is limited to categories the best source is not in.
    CategoryNotEnabled,
    /// The confidence is below the auto (or draft) threshold.
    LowConfidence,
}

impl ReasonCode {
    /// The code as written in outputs: `no_kb_match`.
    pub fn id(self) -> &'static str {
        match self {
            Self::NoKbMatch => "no_kb_match",
            Self::UnrecognisedText => "unrecognised_text",
            Self::UnknownTopic => "unknown_topic",
            Self::TriggerTerm => "trigger_term",
            Self::HumanRequest => "human_request",
            Self::NegativeSentiment => "negative_sentiment",
            Self::SensitiveTopic => "sensitive_topic",
            Self::CategoryNotEnabled => "category_not_enabled",
            Self::LowConfidence => "low_confidence",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_code_serializes_as_its_id() {
        use ReasonCode::*;
        for code in [
            NoKbMatch,
            UnrecognisedText,
            UnknownTopic,
            TriggerTerm,
            HumanRequest,
            NegativeSentiment,
            SensitiveTopic,
            CategoryNotEnabled,
            LowConfidence,
        ] {
            assert_eq!(
                serde_json::to_value(code).unwrap(),
                serde_json::Value::from(code.id())
            );
        }
    }
}
