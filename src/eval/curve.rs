//! The threshold curve: containment, accuracy and wrong answers at every auto-answer threshold, replayed without re-running the pipeline.

use serde::{Deserialize, Serialize};

use super::judge::Judged;
use crate::decision::Decision;

/// One operating point.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub threshold: f32,
    /// Share of tickets answered automatically.
    pub containment: f64,
    /// Share of the automatic answers with a known verdict that are right (None: no such answer).
    pub accuracy: Option<f64>,
    /// Wrong automatic answers as a share of the tickets with a known verdict.
    pub wrong_rate: f64,
    pub answered: usize,
    pub right: usize,
    pub wrong: usize,
}

/// The thresholds swept: 0.00 to 1.00 by 0.01.
pub fn grid() -> Vec<f32> {
    (0..=100).map(|i| i as f32 / 100.0).collect()
}

/// A ticket as the sweep sees it: its confidence, whether anything but confidence holds it back,
/// and whether the answer would be right.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Item {
    pub confidence: f32,
    pub may_auto: bool,
    pub correct: Option<bool>,
}

impl From<&Judged> for Item {
    fn from(t: &Judged) -> Self {
        Item {
            confidence: t.confidence,
            may_auto: t.floor == Decision::Auto,
            correct: t.correct,
        }
    }
}

/// The operating point of `items` at one threshold.
pub fn point(items: &[Item], threshold: f32) -> Point {
    point_with(items.iter().map(|&i| (i, threshold)), threshold)
}

/// The operating point of items each held to its own threshold (a category's, or the global
/// one, which `threshold` records).
pub fn point_with(items: impl IntoIterator<Item = (Item, f32)>, threshold: f32) -> Point {
    let (mut total, mut labelled, mut answered, mut right, mut wrong) = (0, 0, 0, 0, 0);
    for (item, t) in items {
        total += 1;
        labelled += usize::from(item.correct.is_some());
        if item.may_auto && item.confidence >= t {
            answered += 1;
            match item.correct {
                Some(true) => right += 1,
                Some(false) => wrong += 1,
                None => {}
            }
        }
    }
    Point {
        threshold,
        containment: if total == 0 {
            0.0
        } else {
            answered as f64 / total as f64
        },
        accuracy: (right + wrong > 0).then(|| right as f64 / (right + wrong) as f64),
        wrong_rate: if labelled == 0 {
            0.0
        } else {
            wrong as f64 / labelled as f64
        },
        answered,
        right,
        wrong,
    }
}

pub fn sweep(items: &[Item], thresholds: &[f32]) -> Vec<Point> {
    thresholds.iter().map(|&t| point(items, t)).collect()
}

/// What an operating point must meet.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Target {
    /// Accuracy of the automatic answers at least this.
    Precision(f64),
    /// Wrong automatic answers, as a share of all tickets, at most this.
    MaxWrongRate(f64),
}

impl Target {
    pub fn met(&self, p: &Point) -> bool {
        match *self {
            Target::Precision(min) => p.accuracy.is_none_or(|a| a >= min),
            Target::MaxWrongRate(max) => p.wrong_rate <= max,
        }
    }
}

/// The point answering the most tickets that meets the target (the highest threshold if none
/// does; ties go to the higher threshold, the safer side).
pub fn choose(curve: &[Point], target: Target) -> Option<Point> {
    curve
        .iter()
        .filter(|p| target.met(p))
        .max_by(|a, b| {
            a.answered
                .cmp(&b.answered)
                .then(a.threshold.total_cmp(&b.threshold))
        })
        .or_else(|| {
            curve
                .iter()
                .max_by(|a, b| a.threshold.total_cmp(&b.threshold))
        })
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(confidence: f32, correct: bool) -> Item {
        Item {
            confidence,
            may_auto: true,
            correct: Some(correct),
        }
    }

    /// Right answers from 0.61 and wrong ones up to 0.57: 0.58 to 0.61 all answer the 40 right
    /// ones, and the tie goes to the safer, higher threshold.
    #[test]
    fn finds_the_known_best_threshold() {
        let mut items: Vec<Item> = (0..40)
            .map(|i| item(0.61 + i as f32 * 0.009, true))
            .collect();
        items.extend((0..10).map(|i| item(0.3 + i as f32 * 0.03, false)));
        // A ticket a trigger holds back never counts, however confident.
        items.push(Item {
            confidence: 0.99,
            may_auto: false,
            correct: Some(false),
        });
        let curve = sweep(&items, &grid());
        let best = choose(&curve, Target::Precision(1.0)).unwrap();
        assert!((best.threshold - 0.61).abs() < 1e-6, "{best:?}");
        assert_eq!(best.answered, 40);
        assert_eq!(best.accuracy, Some(1.0));
        // Allowing 2% wrong of all 51 labelled tickets lets exactly one wrong answer in.
        let loose = choose(&curve, Target::MaxWrongRate(0.02)).unwrap();
        assert_eq!((loose.answered, loose.wrong), (41, 1));
        assert!((loose.threshold - 0.57).abs() < 1e-6, "{loose:?}");
    }

    #[test]
    fn unreachable_targets_fall_back_to_the_safest_point() {
        let items = [item(0.9, false), item(0.95, false)];
        let best = choose(&sweep(&items, &grid()), Target::Precision(0.9)).unwrap();
        assert_eq!(best.threshold, 1.0);
        assert_eq!(best.answered, 0);
    }
}
