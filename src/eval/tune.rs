//! Choosing the operating point on history: calibration fitted to the team's own tickets, the threshold curve, the best point for a target, and an honest k-fold estimate of it.

use std::collections::BTreeMap;

use serde::Serialize;

use super::curve::{self, Item, Point, Target};
use super::judge::Judged;
use super::metrics::SplitMix;
use crate::config::Calibration;
use crate::pipeline::confidence::Features;

/// Fewest labelled tickets a category needs for a threshold of its own.
pub const MIN_CATEGORY_TICKETS: usize = 30;
/// A draft is worth an agent's review when its suggested answer is right at least this often.
pub const DRAFT_PRECISION: f64 = 0.5;

#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub target: Target,
    pub folds: usize,
    pub per_category: bool,
    pub refit_calibration: bool,
}

/// How the confidence is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Form {
    /// As configured, not refit.
    Configured,
    /// Logistic regression on the retrieval signals, capped by the classifier's probability.
    Combined,
    /// The classifier's probability alone (raised to a fitted power): the retrieval signals
    /// are left out when they only hold it back.
    ClassifierOnly,
}

/// The chosen thresholds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Choice {
    pub auto_threshold: f32,
    pub draft_threshold: f32,
    /// Categories with a threshold of their own.
    pub categories: BTreeMap<String, f32>,
}

impl Choice {
    /// The auto threshold a row is held to: its category's, else the global one.
    fn threshold_for(&self, row: &Row) -> f32 {
        row.category
            .as_ref()
            .and_then(|c| self.categories.get(c))
            .copied()
            .unwrap_or(self.auto_threshold)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TuneReport {
    pub tickets: usize,
    pub labelled: usize,
    pub target: Target,
    /// The form of the confidence chosen out of fold.
    pub form: Form,
    pub choice: Choice,
    /// The calibration fitted here (None: kept as configured).
    pub calibration: Option<Calibration>,
    /// Expected calibration error of the confidence as configured, and of the refit one
    /// measured out of fold.
    pub ece_before: Option<f64>,
    pub ece_after: Option<f64>,
    /// The chosen point on the data it was chosen on.
    pub in_sample: Point,
    /// The same procedure estimated on folds it was not fitted on.
    pub estimate: Point,
    pub folds: usize,
    /// The global threshold curve (after calibration).
    pub curve: Vec<Point>,
}

/// One ticket as tuning sees it.
#[derive(Debug, Clone)]
struct Row {
    features: Features,
    classifier: Option<f32>,
    may_auto: bool,
    correct: Option<bool>,
    category: Option<String>,
    confidence: f32,
}

impl Row {
    fn item(&self) -> Item {
        Item {
            confidence: self.confidence,
            may_auto: self.may_auto,
            correct: self.correct,
        }
    }
}

pub fn tune(judged: &[Judged], configured: &Calibration, options: Options) -> TuneReport {
    let mut rows: Vec<Row> = judged
        .iter()
        .map(|t| Row {
            features: t.features,
            classifier: t.classifier.then_some(t.intent_share),
            may_auto: t.floor == crate::decision::Decision::Auto,
            correct: t.correct,
            category: t.routed_category.clone(),
            confidence: t.confidence,
        })
        .collect();
    let ece_before = ece(&rows);
    let folds = options.folds.clamp(2, rows.len().max(2));
    let fold_of = fold_assignment(rows.len(), folds, 0x5eed);
    let labelled = rows.iter().filter(|r| r.correct.is_some()).count();

    // Each form of the confidence is estimated out of fold; the one answering the most while
    // meeting the target there is kept.
    let forms: Vec<Form> = if !options.refit_calibration {
        vec![Form::Configured]
    } else if rows.iter().any(|r| r.classifier.is_some()) {
        vec![Form::Combined, Form::ClassifierOnly]
    } else {
        vec![Form::Combined]
    };
    let (form, mut estimate, held_out) = forms
        .into_iter()
        .map(|form| {
            let (point, held_out) =
                cross_validate(&rows, &fold_of, folds, configured, form, options);
            (form, point, held_out)
        })
        .max_by(|a, b| {
            let key = |p: &Point| {
                (
                    options.target.met(p),
                    p.answered,
                    std::cmp::Reverse(p.wrong),
                )
            };
            key(&a.1).cmp(&key(&b.1))
        })
        .expect("at least one form");
    let ece_after = if options.refit_calibration {
        ece(&held_out)
    } else {
        ece_before
    };

    // The final choice on everything.
    let calibration = calibrate(&rows, configured, form);
    if let Some(cal) = &calibration {
        recompute(&mut rows, cal);
    }
    let choice = choose(&rows, options);
    let in_sample = curve::point_with(
        rows.iter().map(|r| (r.item(), choice.threshold_for(r))),
        choice.auto_threshold,
    );
    let items: Vec<Item> = rows.iter().map(Row::item).collect();
    estimate.threshold = choice.auto_threshold;
    TuneReport {
        tickets: rows.len(),
        labelled,
        target: options.target,
        form,
        curve: curve::sweep(&items, &curve::grid()),
        choice,
        calibration,
        ece_before,
        ece_after,
        in_sample,
        estimate,
        folds,
    }
}

/// Calibrate and choose on k-1 folds, count on the k-th: the estimate of the whole procedure,
/// and the held-out rows with their out-of-fold confidences.
fn cross_validate(
    rows: &[Row],
    fold_of: &[usize],
    folds: usize,
    configured: &Calibration,
    form: Form,
    options: Options,
) -> (Point, Vec<Row>) {
    let mut held_out: Vec<Row> = Vec::with_capacity(rows.len());
    let mut decided: Vec<(Item, f32)> = Vec::with_capacity(rows.len());
    for k in 0..folds {
        let mut train: Vec<Row> = pick(rows, fold_of, |f| f != k);
        let mut test: Vec<Row> = pick(rows, fold_of, |f| f == k);
        if let Some(cal) = calibrate(&train, configured, form) {
            recompute(&mut train, &cal);
            recompute(&mut test, &cal);
        }
        let choice = choose(&train, options);
        decided.extend(test.iter().map(|r| (r.item(), choice.threshold_for(r))));
        held_out.extend(test);
    }
    (curve::point_with(decided, f32::NAN), held_out)
}

fn calibrate(rows: &[Row], configured: &Calibration, form: Form) -> Option<Calibration> {
    match form {
        Form::Configured => None,
        Form::Combined => Some(fit(rows, configured)),
        Form::ClassifierOnly => {
            // A retrieval term that always saturates: the minimum is the classifier's term.
            let only = configured.with_weights(30.0, [0.0; Features::LEN]);
            let intent = fit_exponent(&training_data(rows), &only);
            Some(Calibration { intent, ..only })
        }
    }
}

fn pick(rows: &[Row], fold_of: &[usize], keep: impl Fn(usize) -> bool) -> Vec<Row> {
    rows.iter()
        .zip(fold_of)
        .filter(|(_, f)| keep(**f))
        .map(|(r, _)| r.clone())
        .collect()
}

/// A shuffled, balanced assignment of `n` rows to `k` folds (fixed seed: reproducible).
fn fold_assignment(n: usize, k: usize, seed: u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    let mut rng = SplitMix(seed);
    for i in (1..n).rev() {
        let j = (rng.next_u64() % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
    let mut fold = vec![0; n];
    for (position, &row) in order.iter().enumerate() {
        fold[row] = position % k;
    }
    fold
}

fn recompute(rows: &mut [Row], cal: &Calibration) {
    for r in rows {
        r.confidence = cal.confidence(&r.features, r.classifier);
    }
}

/// Thresholds for `rows`: the global point, the draft threshold below it, and per category.
fn choose(rows: &[Row], options: Options) -> Choice {
    let items: Vec<Item> = rows.iter().map(Row::item).collect();
    let best = curve::choose(&curve::sweep(&items, &curve::grid()), options.target);
    let auto = best.map_or(1.0, |p| p.threshold);
    let mut categories = BTreeMap::new();
    if options.per_category {
        let mut by_category: BTreeMap<&str, Vec<Item>> = BTreeMap::new();
        for r in rows {
            if let Some(c) = &r.category {
                by_category.entry(c).or_default().push(r.item());
            }
        }
        for (category, items) in by_category {
            if items.iter().filter(|i| i.correct.is_some()).count() < MIN_CATEGORY_TICKETS {
                continue;
            }
            if let Some(p) = curve::choose(&curve::sweep(&items, &curve::grid()), options.target)
                && (p.threshold - auto).abs() > 1e-6
            {
                categories.insert(category.to_string(), p.threshold);
            }
        }
    }
    Choice {
        auto_threshold: auto,
        draft_threshold: draft_threshold(&items, auto),
        categories,
    }
}

/// The lowest threshold whose band below `auto` still gives drafts right at least
/// [`DRAFT_PRECISION`] of the time.
fn draft_threshold(items: &[Item], auto: f32) -> f32 {
    let mut chosen = auto;
    for t in curve::grid().into_iter().rev().filter(|&t| t < auto) {
        let band: Vec<&Item> = items
            .iter()
            .filter(|i| i.may_auto && i.confidence >= t && i.confidence < auto)
            .collect();
        let (right, known) = band.iter().fold((0, 0), |(r, k), i| match i.correct {
            Some(c) => (r + usize::from(c), k + 1),
            None => (r, k),
        });
        if known > 0 && (right as f64) < DRAFT_PRECISION * known as f64 {
            break;
        }
        chosen = t;
    }
    chosen
}

/// Expected calibration error over the tickets the thresholds decide (10 equal-width bins).
fn ece(rows: &[Row]) -> Option<f64> {
    let pairs: Vec<(f32, bool)> = rows
        .iter()
        .filter(|r| r.may_auto)
        .filter_map(|r| Some((r.confidence, r.correct?)))
        .collect();
    expected_calibration_error(&pairs, 10)
}

pub fn expected_calibration_error(pairs: &[(f32, bool)], bins: usize) -> Option<f64> {
    if pairs.is_empty() {
        return None;
    }
    let mut sum_conf = vec![0f64; bins];
    let mut sum_right = vec![0f64; bins];
    let mut count = vec![0usize; bins];
    for &(c, right) in pairs {
        let b = ((c.clamp(0.0, 1.0) * bins as f32) as usize).min(bins - 1);
        sum_conf[b] += f64::from(c);
        sum_right[b] += f64::from(u8::from(right));
        count[b] += 1;
    }
    let n = pairs.len() as f64;
    Some(
        (0..bins)
            .filter(|&b| count[b] > 0)
            .map(|b| (sum_right[b] - sum_conf[b]).abs() / n)
            .sum(),
    )
}

/// Logistic regression of correctness on the retrieval signals (Newton's method, light L2), and
/// with a classifier the exponent on its probability that best fits the capped confidence.
/// (features with a constant, right or not, classifier probability) of the tickets the
/// thresholds decide and whose verdict is known.
type Sample = ([f64; N], f64, Option<f32>, Features);

/// Weights fitted: the intercept and one per feature.
const N: usize = Features::LEN + 1;

fn training_data(rows: &[Row]) -> Vec<Sample> {
    rows.iter()
        .filter(|r| r.may_auto)
        .filter_map(|r| {
            let y = f64::from(u8::from(r.correct?));
            let mut x = [1.0; N];
            for (slot, v) in x[1..].iter_mut().zip(r.features.values()) {
                *slot = f64::from(v);
            }
            Some((x, y, r.classifier, r.features))
        })
        .collect()
}

fn fit(rows: &[Row], start: &Calibration) -> Calibration {
    let data = training_data(rows);
    let both = data.iter().any(|d| d.1 > 0.5) && data.iter().any(|d| d.1 < 0.5);
    if !both {
        return start.clone();
    }
    // Newton's method from the base rate, not from the configured weights: those may belong to
    // another fusion's scale and saturate the sigmoid, where Newton's steps blow up.
    let mut w = [0f64; N];
    let rate = data.iter().map(|d| d.1).sum::<f64>() / data.len() as f64;
    w[0] = (rate / (1.0 - rate)).ln();
    let lambda = 1e-2;
    for _ in 0..50 {
        let mut grad = [0f64; N];
        let mut hess = [[0f64; N]; N];
        for (x, y, _, _) in &data {
            let z: f64 = (0..N).map(|i| w[i] * x[i]).sum();
            let p = 1.0 / (1.0 + (-z).exp());
            for i in 0..N {
                grad[i] += (p - y) * x[i];
                for j in 0..N {
                    hess[i][j] += p * (1.0 - p) * x[i] * x[j];
                }
            }
        }
        for i in 1..N {
            grad[i] += lambda * w[i];
            hess[i][i] += lambda;
        }
        hess[0][0] += 1e-9;
        let Some(step) = solve(hess, grad) else { break };
        let mut size = 0.0;
        for i in 0..N {
            w[i] -= step[i];
            size += step[i].abs();
        }
        if size < 1e-9 {
            break;
        }
    }
    // A fit that ran away (separable data) is no fit, and kbctl.yaml would refuse its weights.
    let most = crate::config::Bound::of("policy.calibration.intercept");
    if w.iter().any(|v| most.check("", "", *v).is_err()) {
        return start.clone();
    }
    let mut weights = [0f32; Features::LEN];
    for (slot, v) in weights.iter_mut().zip(&w[1..]) {
        *slot = *v as f32;
    }
    let mut cal = start.with_weights(w[0] as f32, weights);
    if data.iter().any(|d| d.2.is_some()) {
        cal.intent = fit_exponent(&data, &cal);
    }
    cal
}

/// The power on the classifier's probability that best fits (log-loss) the capped confidence.
fn fit_exponent(data: &[Sample], cal: &Calibration) -> f32 {
    let loss = |gamma: f32| -> f64 {
        let c = Calibration {
            intent: gamma,
            ..cal.clone()
        };
        data.iter()
            .map(|(_, y, p, features)| {
                let conf = f64::from(c.confidence(features, *p)).clamp(1e-6, 1.0 - 1e-6);
                -(y * conf.ln() + (1.0 - y) * (1.0 - conf).ln())
            })
            .sum()
    };
    (1..=16)
        .map(|i| i as f32 * 0.25)
        .min_by(|a, b| loss(*a).total_cmp(&loss(*b)))
        .unwrap_or(cal.intent)
}

/// Solve the system `a x = b` by Gaussian elimination with partial pivoting.
fn solve(mut a: [[f64; N]; N], mut b: [f64; N]) -> Option<[f64; N]> {
    for col in 0..N {
        let pivot = (col..N).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        let pivot_row = a[col];
        for row in col + 1..N {
            let f = a[row][col] / pivot_row[col];
            for (x, p) in a[row].iter_mut().zip(pivot_row).skip(col) {
                *x -= f * p;
            }
            b[row] -= f * b[col];
        }
    }
    let mut x = [0f64; N];
    for row in (0..N).rev() {
        let s: f64 = (row + 1..N).map(|k| a[row][k] * x[k]).sum();
        x[row] = (b[row] - s) / a[row][row];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decision::Decision;
    use crate::eval::metrics::tests::judged;

    /// Tickets whose correctness follows the top score: right above 0.55, wrong below.
    fn history(n: usize) -> Vec<Judged> {
        (0..n)
            .map(|i| {
                let score = i as f32 / n as f32;
                let mut j = judged(&i.to_string(), Decision::Draft, Some(score >= 0.55), None);
                j.features = Features {
                    top_score: score,
                    ..Features::default()
                };
                // The configured confidence is a monotone map of the score.
                j.confidence = score;
                j
            })
            .collect()
    }

    #[test]
    fn finds_the_threshold_that_separates_right_from_wrong() {
        let t = history(400);
        let options = Options {
            target: Target::Precision(1.0),
            folds: 5,
            per_category: false,
            refit_calibration: false,
        };
        let r = tune(&t, &Calibration::default(), options);
        assert_eq!(r.choice.auto_threshold, 0.55);
        assert_eq!(r.in_sample.answered, 180);
        assert_eq!(r.in_sample.accuracy, Some(1.0));
        // Out of fold the same procedure answers (almost) the same tickets, all right.
        assert!(r.estimate.accuracy.unwrap() >= 0.99, "{:?}", r.estimate);
        assert!(
            (r.estimate.containment - 0.45).abs() < 0.03,
            "{:?}",
            r.estimate
        );
        // Drafts below 0.55 are all wrong: no draft band worth reviewing.
        assert_eq!(r.choice.draft_threshold, 0.55);
    }

    #[test]
    fn refitting_calibration_lowers_the_calibration_error() {
        // Configured confidence says 0.9 for everything, but only scores above 0.5 are right.
        let mut t = history(400);
        for j in &mut t {
            j.confidence = 0.9;
            j.correct = Some(j.features.top_score >= 0.5);
        }
        let options = Options {
            target: Target::MaxWrongRate(0.0),
            folds: 4,
            per_category: false,
            refit_calibration: true,
        };
        let r = tune(&t, &Calibration::default(), options);
        let (before, after) = (r.ece_before.unwrap(), r.ece_after.unwrap());
        assert!((before - 0.4).abs() < 1e-6, "{before}");
        assert!(after < 0.1, "{after}");
        let cal = r.calibration.unwrap();
        assert!(cal.top_score > 0.0, "{cal:?}");
        assert_eq!(r.estimate.wrong, 0);
        assert!(r.estimate.containment > 0.3, "{:?}", r.estimate);
    }

    #[test]
    fn per_category_thresholds_where_a_category_differs() {
        let mut t = history(400);
        // In `shipping` even low scores are right: it gets a lower threshold of its own.
        for (i, j) in t.iter_mut().enumerate() {
            if i % 2 == 0 {
                j.routed_category = Some("shipping".into());
                j.correct = Some(j.features.top_score >= 0.2);
            }
        }
        let options = Options {
            target: Target::Precision(1.0),
            folds: 5,
            per_category: true,
            refit_calibration: false,
        };
        let r = tune(&t, &Calibration::default(), options);
        assert_eq!(r.choice.categories.get("shipping"), Some(&0.2));
        assert_eq!(r.choice.auto_threshold, 0.55);
    }

    #[test]
    fn the_classifier_alone_is_chosen_when_retrieval_only_holds_it_back() {
        // The classifier separates right from wrong; the retrieval score is noise.
        let mut t = history(400);
        for (i, j) in t.iter_mut().enumerate() {
            let right = i % 3 != 0;
            j.correct = Some(right);
            j.classifier = true;
            j.intent_share = if right { 0.9 } else { 0.3 };
            j.features.top_score = ((i * 7) % 13) as f32 / 13.0;
        }
        let options = Options {
            target: Target::Precision(0.99),
            folds: 5,
            per_category: false,
            refit_calibration: true,
        };
        let r = tune(&t, &Calibration::default(), options);
        assert_eq!(r.form, Form::ClassifierOnly);
        assert_eq!(r.estimate.wrong, 0, "{:?}", r.estimate);
        assert_eq!(r.estimate.answered, 266, "every right ticket");
    }

    #[test]
    fn ece_by_hand() {
        // Bin 0.8-0.9: confidence 0.8 twice, one right -> |0.5 - 0.8| with weight 2/4;
        // bin 0.2-0.3: confidence 0.2 twice, both wrong -> 0.2 with weight 2/4.
        let e = expected_calibration_error(
            &[(0.8, true), (0.8, false), (0.2, false), (0.2, false)],
            10,
        )
        .unwrap();
        assert!((e - (0.5 * 0.3 + 0.5 * 0.2)).abs() < 1e-6, "{e}");
    }
}
