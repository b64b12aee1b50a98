//! The confidence model: a logistic function of the retrieval signals, capped by the intent classifier's probability.
//!
//! Its weights are settings (`policy.calibration` in kbctl.yaml, [`Calibration`]); what they
//! weigh and how is here.

use serde::{Deserialize, Serialize};

use crate::config::Calibration;

/// The coverage assumed when it cannot be measured (the ticket and section differ in language).
pub const NEUTRAL_COVERAGE: f32 = 0.5;

/// The retrieval signals the confidence is computed from.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Features {
    pub top_score: f32,
    pub margin: f32,
    /// 1 when the views agree on the first document, else 0.
    pub agreement: f32,
    pub views_agree: f32,
    pub coverage: f32,
}

impl Features {
    /// Number of features, and their values in `Calibration::weights` order.
    pub const LEN: usize = 5;

    pub fn values(&self) -> [f32; Self::LEN] {
        [
            self.top_score,
            self.margin,
            self.agreement,
            self.views_agree,
            self.coverage,
        ]
    }
}

impl Calibration {
    /// The weights in `Features::values` order.
    pub fn weights(&self) -> [f32; Features::LEN] {
        [
            self.top_score,
            self.margin,
            self.agreement,
            self.views_agree,
            self.coverage,
        ]
    }

    /// The same calibration with other weights (in `Features::values` order).
    pub fn with_weights(&self, intercept: f32, w: [f32; Features::LEN]) -> Self {
        Self {
            intercept,
            top_score: w[0],
            margin: w[1],
            agreement: w[2],
            views_agree: w[3],
            coverage: w[4],
            intent: self.intent,
        }
    }

    /// The confidence from the retrieval signals and, with an intent classifier, its probability.
    pub fn confidence(&self, x: &Features, classifier: Option<f32>) -> f32 {
        let z = self.intercept
            + self
                .weights()
                .iter()
                .zip(x.values())
                .map(|(w, v)| w * v)
                .sum::<f32>();
        let retrieval = 1.0 / (1.0 + (-z).exp());
        // The classifier's calibrated probability caps the retrieval confidence: both read the
        // same embedding, so they are not independent evidence to add up.
        match classifier {
            Some(p) => retrieval.min(p.max(0.0).powf(self.intent)),
            None => retrieval,
        }
    }
}
