//! Intent classifier: multinomial logistic regression over sentence embeddings, trained deterministically, with calibrated probabilities.
//!
//! The model is a linear softmax head over fixed sentence embeddings (for
//! example 512-d Universal Sentence Encoder vectors, optionally concatenated
//! with a second encoder's vectors). Training minimises
//!
//! ```text
//! (1 / n) * sum_i w_i * CE(softmax(W x_i + b), y_i)  +  (l2 / 2) * ||W||^2
//! ```
//!
//! (the bias is not penalised; `w_i` is 1, or `n / (k * count(y_i))` with
//! `class_weight_balanced`) by full-batch L-BFGS with a strong-Wolfe line
//! search. In scikit-learn's terms `l2 = 1 / (C * n)`.
//!
//! Determinism: there is no randomness, the classes are sorted, and the
//! parallel gradient is computed over fixed-size blocks of samples whose
//! partial sums are added in block order, so the same input gives the same
//! model bit for bit whatever the number of threads.
//!
//! Probabilities are `softmax(logits / temperature)`; `temperature` is 1
//! after training and is fitted on held-out data by [`LinearClassifier::calibrate`].
//!
//! Measured with the defaults on USE-multilingual embeddings (each text
//! embedded alone), against scikit-learn `LogisticRegression` (lbfgs, `C = 30`
//! chosen on CLINC150 val) on the same vectors: CLINC150 test in-scope
//! accuracy 94.82 (sklearn 94.71), BANKING77 test 91.66 (91.49) with the full
//! training set and 79.45 (79.35) with 10 rows per intent. Training CLINC150
//! (15,000 x 512, 150 classes) takes about 19 s on 2 idle cores. Calibrating
//! on CLINC150 val (temperature 0.82) takes the 15-bin expected calibration
//! error of the top probability on test from 2.7% to 0.6%.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::optim::{self, lbfgs};

/// Samples per parallel work item. Fixed (not derived from the thread count)
/// so that the summation order, and hence the result, never changes.
const BLOCK: usize = 256;

/// Options of [`LinearClassifier::train`].
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct TrainOptions {
    /// L2 penalty on the weights, `(l2 / 2) * ||W||^2` added to the *mean*
    /// cross-entropy (scikit-learn's `C` is `1 / (l2 * n)`). Must be finite
    /// and >= 0.
    pub l2: f32,
    /// Maximum number of L-BFGS iterations.
    pub max_iter: usize,
    /// Stop when the largest absolute gradient component is at or below
    /// this (like scikit-learn's `tol` for `lbfgs`). Must be finite and >= 0.
    pub tol: f32,
    /// Weight each sample by `n / (k * count(its class))`, so every class
    /// carries the same total weight (scikit-learn's `class_weight="balanced"`).
    pub class_weight_balanced: bool,
}

impl Default for TrainOptions {
    /// Chosen by measurement on CLINC150 `val` (3,000 queries) with
    /// USE-multilingual embeddings, training on `train` (15,000 x 512, 150
    /// classes) and on its first 10 rows per intent (10-shot):
    ///
    /// - `l2 = 1e-6` (scikit-learn `C` about 67 at n = 15,000). Val accuracy,
    ///   full / 10-shot, at `tol = 1e-4`: l2 1e-3 88.4 / 81.4, 1e-4 93.3 /
    ///   85.1, 1e-5 95.0 / 85.2, 3e-6 95.2 / 85.1, 1e-6 95.3 / 85.0, 5e-7
    ///   95.0 / 81.4; at `tol = 1e-5`: 1e-5 95.1 / 85.2, 1e-6 95.4 / 85.4,
    ///   1e-7 95.1 / 83.3. Below 1e-6 the fit gets slower and worse at 10-shot.
    /// - `tol = 1e-5`: with so little penalty a loose tolerance stops far
    ///   from the optimum. At l2 = 1e-6, tol 1e-4 stops after 42 iterations at
    ///   objective 0.0813 (val 95.33 / 85.03), tol 1e-5 after 83 at 0.0767
    ///   (95.37 / 85.40), tol 1e-6 after 138 at 0.0766 with no further change
    ///   in accuracy (95.37 / 85.33).
    /// - `max_iter = 300`: CLINC150 needs 83 iterations and BANKING77 (10,003
    ///   x 512, 77 classes) 171; 300 bounds the time with room to spare.
    /// - `class_weight_balanced = false`: CLINC150 and BANKING77 are (nearly)
    ///   balanced; turn it on for skewed ticket histories.
    fn default() -> Self {
        Self {
            l2: 1e-6,
            max_iter: 300,
            tol: 1e-5,
            class_weight_balanced: false,
        }
    }
}

/// Errors of training and of checked prediction.
#[derive(Debug, thiserror::Error)]
pub enum ClassifierError {
    /// No training (or input) vectors at all.
    #[error("no training examples")]
    Empty,
    /// `vectors` and `labels` differ in length.
    #[error("{vectors} vectors but {labels} labels")]
    LengthMismatch { vectors: usize, labels: usize },
    /// The vectors have zero dimensions.
    #[error("vectors have zero dimensions")]
    ZeroDimension,
    /// A vector's length differs from the first vector's (or the model's).
    #[error("vector {index} has {found} dimensions, expected {expected}")]
    DimensionMismatch {
        index: usize,
        expected: usize,
        found: usize,
    },
    /// Fewer than two distinct labels.
    #[error("need at least two classes, found only {0:?}")]
    SingleClass(String),
    /// A vector holds NaN or an infinity.
    #[error("vector {index} holds a non-finite value")]
    NonFinite { index: usize },
    /// A [`TrainOptions`] field is out of range.
    #[error("invalid training option: {0}")]
    InvalidOption(String),
    /// A deserialised model is inconsistent (sizes, temperature, values).
    #[error("invalid model: {0}")]
    InvalidModel(String),
}

/// The best class of one prediction.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    /// Index into [`LinearClassifier::classes`].
    pub class: usize,
    /// Its (temperature-scaled) probability.
    pub probability: f32,
    /// Its probability minus the runner-up's (0 when they tie).
    pub margin: f32,
}

/// A trained multinomial logistic-regression head.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "RawClassifier")]
pub struct LinearClassifier {
    /// Class labels, sorted; index `c` is row `c` of the weights.
    pub classes: Vec<String>,
    /// Input dimension.
    pub dim: usize,
    /// `classes.len() x dim`, row-major.
    weights: Vec<f32>,
    bias: Vec<f32>,
    /// Softmax temperature (1 after training; see [`Self::calibrate`]).
    pub temperature: f32,
}

/// The serialised form, checked before it becomes a [`LinearClassifier`].
#[derive(Deserialize)]
struct RawClassifier {
    classes: Vec<String>,
    dim: usize,
    weights: Vec<f32>,
    bias: Vec<f32>,
    temperature: f32,
}

impl TryFrom<RawClassifier> for LinearClassifier {
    type Error = ClassifierError;

    fn try_from(raw: RawClassifier) -> Result<Self, Self::Error> {
        let k = raw.classes.len();
        let bad = |m: String| Err(ClassifierError::InvalidModel(m));
        if k < 2 {
            return bad(format!("{k} classes, need at least 2"));
        }
        if raw.dim == 0 {
            return bad("zero dimensions".into());
        }
        if raw.classes.iter().collect::<BTreeSet<_>>().len() != k {
            return bad("duplicate class labels".into());
        }
        if Some(raw.weights.len()) != k.checked_mul(raw.dim) {
            return bad(format!(
                "{} weights for {k} classes x {} dimensions",
                raw.weights.len(),
                raw.dim
            ));
        }
        if raw.bias.len() != k {
            return bad(format!("{} biases for {k} classes", raw.bias.len()));
        }
        if !all_finite(&raw.weights) || !all_finite(&raw.bias) {
            return bad("non-finite weight or bias".into());
        }
        if !(raw.temperature.is_finite() && raw.temperature > 0.0) {
            return bad(format!("temperature {} is not > 0", raw.temperature));
        }
        Ok(Self {
            classes: raw.classes,
            dim: raw.dim,
            weights: raw.weights,
            bias: raw.bias,
            temperature: raw.temperature,
        })
    }
}

impl LinearClassifier {
    /// Train on (vector, label) pairs; labels are arbitrary strings; deterministic for the same input.
    pub fn train(
        vectors: &[Vec<f32>],
        labels: &[String],
        options: &TrainOptions,
    ) -> Result<Self, ClassifierError> {
        Self::train_with_report(vectors, labels, options).map(|(model, _)| model)
    }

    /// [`Self::train`], also telling how the optimisation went.
    pub fn train_with_report(
        vectors: &[Vec<f32>],
        labels: &[String],
        options: &TrainOptions,
    ) -> Result<(Self, optim::Report), ClassifierError> {
        check_options(options)?;
        let dim = check_vectors(vectors)?;
        if vectors.len() != labels.len() {
            return Err(ClassifierError::LengthMismatch {
                vectors: vectors.len(),
                labels: labels.len(),
            });
        }
        let classes: Vec<String> = labels
            .iter()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .cloned()
            .collect();
        if classes.len() < 2 {
            return Err(ClassifierError::SingleClass(
                classes.into_iter().next().unwrap_or_default(),
            ));
        }
        let index: BTreeMap<&str, usize> = classes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.as_str(), i))
            .collect();
        let targets: Vec<usize> = labels
            .iter()
            .map(|l| index.get(l.as_str()).copied().unwrap_or(0))
            .collect();
        let k = classes.len();
        let n = vectors.len();
        let sample_weights = if options.class_weight_balanced {
            let mut counts = vec![0usize; k];
            for &t in &targets {
                counts[t] += 1;
            }
            targets
                .iter()
                .map(|&t| (n as f64 / (k as f64 * counts[t] as f64)) as f32)
                .collect()
        } else {
            vec![1.0f32; n]
        };
        let mut x = Vec::with_capacity(n * dim);
        for v in vectors {
            x.extend_from_slice(v);
        }
        let problem = Problem {
            x,
            targets,
            sample_weights,
            n,
            dim,
            k,
            l2: f64::from(options.l2),
        };
        let start = vec![0.0f64; k * dim + k];
        let (params, report) = lbfgs(
            |p, g| problem.evaluate(p, g),
            start,
            options.max_iter,
            f64::from(options.tol),
        );
        let weights: Vec<f32> = params[..k * dim].iter().map(|&v| v as f32).collect();
        let bias: Vec<f32> = params[k * dim..].iter().map(|&v| v as f32).collect();
        if !all_finite(&weights) || !all_finite(&bias) {
            // Cannot happen for finite inputs (the line search rejects
            // non-finite trial points), but never hand out a broken model.
            return Err(ClassifierError::InvalidModel(
                "training diverged to non-finite weights".into(),
            ));
        }
        Ok((
            Self {
                classes,
                dim,
                weights,
                bias,
                temperature: 1.0,
            },
            report,
        ))
    }

    /// Read-only view of the weights, `classes.len() x dim`, row-major.
    pub fn weights(&self) -> &[f32] {
        &self.weights
    }

    /// Read-only view of the biases, one per class.
    pub fn bias(&self) -> &[f32] {
        &self.bias
    }

    /// Raw logits `W x + b` (before the temperature), checked: the vector
    /// must have `dim` finite values.
    pub fn logits(&self, vector: &[f32]) -> Result<Vec<f32>, ClassifierError> {
        let k = self.classes.len();
        if self.dim == 0
            || k == 0
            || Some(self.weights.len()) != k.checked_mul(self.dim)
            || self.bias.len() != k
        {
            return Err(ClassifierError::InvalidModel(
                "classes, dim and weights disagree".into(),
            ));
        }
        if vector.len() != self.dim {
            return Err(ClassifierError::DimensionMismatch {
                index: 0,
                expected: self.dim,
                found: vector.len(),
            });
        }
        if !all_finite(vector) {
            return Err(ClassifierError::NonFinite { index: 0 });
        }
        Ok(self
            .weights
            .chunks_exact(self.dim)
            .zip(&self.bias)
            .map(|(w, b)| b + dot(w, vector))
            .collect())
    }

    /// Checked [`Self::predict_proba`]: an error instead of the uniform
    /// fallback.
    pub fn try_predict_proba(&self, vector: &[f32]) -> Result<Vec<f32>, ClassifierError> {
        let mut z = self.logits(vector)?;
        softmax_in_place(&mut z, self.effective_temperature());
        Ok(z)
    }

    /// Probabilities over `classes` (softmax of logits / temperature), summing to 1.
    ///
    /// A vector of the wrong length or with non-finite values gets the
    /// uniform distribution (no confidence, so a caller escalates); use
    /// [`Self::try_predict_proba`] to get an error instead.
    pub fn predict_proba(&self, vector: &[f32]) -> Vec<f32> {
        self.try_predict_proba(vector).unwrap_or_else(|_| {
            let k = self.classes.len().max(1);
            vec![1.0 / k as f32; self.classes.len()]
        })
    }

    /// (class index, probability) of the best class, and the margin to the runner-up.
    ///
    /// Ties go to the lower class index. Bad input (see
    /// [`Self::predict_proba`]) gives class 0 with the uniform probability
    /// and margin 0.
    pub fn predict(&self, vector: &[f32]) -> Prediction {
        best_of(&self.predict_proba(vector))
    }

    /// Fit `temperature` on held-out data by minimising negative log-likelihood (a 1-D search).
    ///
    /// Pairs whose vector has the wrong length or non-finite values, or whose
    /// label is not a known class, are skipped; with none left the
    /// temperature is unchanged. The mean NLL is convex in `1 / temperature`,
    /// so a golden-section search over `ln(temperature)` in `[ln 0.01, ln 100]`
    /// finds its minimum.
    pub fn calibrate(&mut self, vectors: &[Vec<f32>], labels: &[String]) {
        let index: BTreeMap<&str, usize> = self
            .classes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.as_str(), i))
            .collect();
        let rows: Vec<(Vec<f32>, usize)> = vectors
            .par_iter()
            .zip(labels.par_iter())
            .filter_map(|(v, l)| {
                let t = *index.get(l.as_str())?;
                let z = self.logits(v).ok()?;
                Some((z, t))
            })
            .collect();
        if rows.is_empty() {
            return;
        }
        let nll = |log_t: f64| mean_nll(&rows, log_t.exp());
        let (mut lo, mut hi) = (0.01f64.ln(), 100.0f64.ln());
        let ratio = (5.0f64.sqrt() - 1.0) / 2.0;
        let mut a = hi - ratio * (hi - lo);
        let mut b = lo + ratio * (hi - lo);
        let (mut fa, mut fb) = (nll(a), nll(b));
        for _ in 0..80 {
            if fa <= fb {
                hi = b;
                b = a;
                fb = fa;
                a = hi - ratio * (hi - lo);
                fa = nll(a);
            } else {
                lo = a;
                a = b;
                fa = fb;
                b = lo + ratio * (hi - lo);
                fb = nll(b);
            }
        }
        let t = ((lo + hi) / 2.0).exp() as f32;
        if t.is_finite() && t > 0.0 {
            self.temperature = t;
        }
    }

    fn effective_temperature(&self) -> f32 {
        if self.temperature.is_finite() && self.temperature > 0.0 {
            self.temperature
        } else {
            1.0
        }
    }
}

/// Mean negative log-likelihood of `(logits, target)` rows at temperature `t`.
fn mean_nll(rows: &[(Vec<f32>, usize)], t: f64) -> f64 {
    let total: f64 = rows
        .iter()
        .map(|(z, y)| {
            let max = z
                .iter()
                .fold(f64::NEG_INFINITY, |m, &v| m.max(f64::from(v)));
            let sum: f64 = z.iter().map(|&v| ((f64::from(v) - max) / t).exp()).sum();
            let zy = z.get(*y).map_or(max, |&v| f64::from(v));
            sum.ln() - (zy - max) / t
        })
        .sum();
    total / rows.len() as f64
}

/// Argmax (ties to the lower index), its value and the gap to the runner-up.
fn best_of(p: &[f32]) -> Prediction {
    let mut best = 0usize;
    for (i, &v) in p.iter().enumerate() {
        if v > p[best] {
            best = i;
        }
    }
    let top = p.get(best).copied().unwrap_or(0.0);
    let second = p
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != best)
        .map(|(_, &v)| v)
        .fold(f32::NEG_INFINITY, f32::max);
    Prediction {
        class: best,
        probability: top,
        margin: if second.is_finite() {
            top - second
        } else {
            top
        },
    }
}

fn softmax_in_place(z: &mut [f32], temperature: f32) {
    let max = z.iter().fold(f32::NEG_INFINITY, |m, &v| m.max(v));
    let mut sum = 0.0f64;
    for v in z.iter_mut() {
        *v = ((*v - max) / temperature).exp();
        sum += f64::from(*v);
    }
    let inv = (1.0 / sum) as f32;
    for v in z.iter_mut() {
        *v *= inv;
    }
}

fn all_finite(v: &[f32]) -> bool {
    v.iter().all(|x| x.is_finite())
}

fn check_options(o: &TrainOptions) -> Result<(), ClassifierError> {
    if !(o.l2.is_finite() && o.l2 >= 0.0) {
        return Err(ClassifierError::InvalidOption(format!(
            "l2 = {} must be finite and >= 0",
            o.l2
        )));
    }
    if !(o.tol.is_finite() && o.tol >= 0.0) {
        return Err(ClassifierError::InvalidOption(format!(
            "tol = {} must be finite and >= 0",
            o.tol
        )));
    }
    Ok(())
}

/// The common dimension of `vectors`, all finite and non-empty.
fn check_vectors(vectors: &[Vec<f32>]) -> Result<usize, ClassifierError> {
    let dim = vectors.first().ok_or(ClassifierError::Empty)?.len();
    if dim == 0 {
        return Err(ClassifierError::ZeroDimension);
    }
    for (index, v) in vectors.iter().enumerate() {
        if v.len() != dim {
            return Err(ClassifierError::DimensionMismatch {
                index,
                expected: dim,
                found: v.len(),
            });
        }
        if !all_finite(v) {
            return Err(ClassifierError::NonFinite { index });
        }
    }
    Ok(dim)
}

/// Dot product with 8 independent partial sums (vectorises well).
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0.0f32; 8];
    let ca = a.chunks_exact(8);
    let cb = b.chunks_exact(8);
    let tail: f32 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in ca.zip(cb) {
        for j in 0..8 {
            acc[j] += x[j] * y[j];
        }
    }
    acc.iter().sum::<f32>() + tail
}

/// Four dot products of `w` with `x0..x3` at once (one pass over `w`).
/// Kept out of line: inlined into the block loop it was compiled to slower
/// code (measured about 10% more training time).
#[inline(never)]
fn dot4(w: &[f32], x0: &[f32], x1: &[f32], x2: &[f32], x3: &[f32]) -> [f32; 4] {
    let mut a0 = [0.0f32; 8];
    let mut a1 = [0.0f32; 8];
    let mut a2 = [0.0f32; 8];
    let mut a3 = [0.0f32; 8];
    let n = w.len() / 8 * 8;
    for ((((wc, c0), c1), c2), c3) in w[..n]
        .chunks_exact(8)
        .zip(x0[..n].chunks_exact(8))
        .zip(x1[..n].chunks_exact(8))
        .zip(x2[..n].chunks_exact(8))
        .zip(x3[..n].chunks_exact(8))
    {
        for j in 0..8 {
            a0[j] += wc[j] * c0[j];
            a1[j] += wc[j] * c1[j];
            a2[j] += wc[j] * c2[j];
            a3[j] += wc[j] * c3[j];
        }
    }
    let mut out = [
        a0.iter().sum::<f32>(),
        a1.iter().sum::<f32>(),
        a2.iter().sum::<f32>(),
        a3.iter().sum::<f32>(),
    ];
    for j in n..w.len() {
        out[0] += w[j] * x0[j];
        out[1] += w[j] * x1[j];
        out[2] += w[j] * x2[j];
        out[3] += w[j] * x3[j];
    }
    out
}

/// The training problem: data, targets, weights and penalty.
struct Problem {
    /// `n x dim`, row-major.
    x: Vec<f32>,
    targets: Vec<usize>,
    sample_weights: Vec<f32>,
    n: usize,
    dim: usize,
    k: usize,
    l2: f64,
}

/// One block's contribution: weighted loss sum, weight-gradient sum
/// (`k x dim`) and bias-gradient sum.
struct Partial {
    loss: f64,
    grad_w: Vec<f32>,
    grad_b: Vec<f64>,
}

impl Problem {
    /// Objective value at `params` (`[W; b]`), its gradient written to `grad`.
    fn evaluate(&self, params: &[f64], grad: &mut [f64]) -> f64 {
        let (k, d) = (self.k, self.dim);
        let w: Vec<f32> = params[..k * d].iter().map(|&v| v as f32).collect();
        let b: Vec<f32> = params[k * d..].iter().map(|&v| v as f32).collect();
        let partials: Vec<Partial> = self
            .x
            .par_chunks(BLOCK * d)
            .enumerate()
            .map(|(block, xs)| self.block(block * BLOCK, xs, &w, &b))
            .collect();
        let inv_n = 1.0 / self.n as f64;
        let mut loss = 0.0f64;
        grad.fill(0.0);
        for p in &partials {
            loss += p.loss;
            for (g, &v) in grad[..k * d].iter_mut().zip(&p.grad_w) {
                *g += f64::from(v);
            }
            for (g, &v) in grad[k * d..].iter_mut().zip(&p.grad_b) {
                *g += v;
            }
        }
        let mut penalty = 0.0f64;
        for (g, &p) in grad[..k * d].iter_mut().zip(&params[..k * d]) {
            *g = *g * inv_n + self.l2 * p;
            penalty += p * p;
        }
        for g in grad[k * d..].iter_mut() {
            *g *= inv_n;
        }
        loss * inv_n + 0.5 * self.l2 * penalty
    }

    /// Loss and gradient sums over the samples `start..` whose rows are `xs`.
    fn block(&self, start: usize, xs: &[f32], w: &[f32], b: &[f32]) -> Partial {
        let (k, d) = (self.k, self.dim);
        let m = xs.len() / d;
        // Logits, m x k.
        let mut z = vec![0.0f32; m * k];
        let quads = m / 4 * 4;
        for i in (0..quads).step_by(4) {
            let x0 = &xs[i * d..(i + 1) * d];
            let x1 = &xs[(i + 1) * d..(i + 2) * d];
            let x2 = &xs[(i + 2) * d..(i + 3) * d];
            let x3 = &xs[(i + 3) * d..(i + 4) * d];
            for (c, wc) in w.chunks_exact(d).enumerate() {
                let s = dot4(wc, x0, x1, x2, x3);
                for (r, v) in s.iter().enumerate() {
                    z[(i + r) * k + c] = v + b[c];
                }
            }
        }
        for i in quads..m {
            let xi = &xs[i * d..(i + 1) * d];
            for (c, wc) in w.chunks_exact(d).enumerate() {
                z[i * k + c] = dot(wc, xi) + b[c];
            }
        }
        // Loss, and z turned into dLoss/dz = weight * (p - onehot).
        let mut loss = 0.0f64;
        let mut grad_b = vec![0.0f64; k];
        for (i, zi) in z.chunks_exact_mut(k).enumerate() {
            let y = self.targets[start + i];
            let sw = self.sample_weights[start + i];
            let max = zi.iter().fold(f32::NEG_INFINITY, |a, &v| a.max(v));
            let zy = zi[y];
            let mut sum = 0.0f64;
            for v in zi.iter_mut() {
                *v = (*v - max).exp();
                sum += f64::from(*v);
            }
            loss += f64::from(sw) * (sum.ln() - f64::from(zy - max));
            let scale = (f64::from(sw) / sum) as f32;
            for v in zi.iter_mut() {
                *v *= scale;
            }
            zi[y] -= sw;
            for (g, &v) in grad_b.iter_mut().zip(zi.iter()) {
                *g += f64::from(v);
            }
        }
        // Weight gradient: G (k x d) = Dz^T X, two class rows and four
        // samples at a time (the sample rows are loaded once for both).
        let mut grad_w = vec![0.0f32; k * d];
        let pairs = k / 2;
        let (paired, single) = grad_w.split_at_mut(pairs * 2 * d);
        for (p, rows) in paired.chunks_exact_mut(2 * d).enumerate() {
            let c = 2 * p;
            let (ga, gb) = rows.split_at_mut(d);
            for i in (0..quads).step_by(4) {
                let da = [
                    z[i * k + c],
                    z[(i + 1) * k + c],
                    z[(i + 2) * k + c],
                    z[(i + 3) * k + c],
                ];
                let db = [
                    z[i * k + c + 1],
                    z[(i + 1) * k + c + 1],
                    z[(i + 2) * k + c + 1],
                    z[(i + 3) * k + c + 1],
                ];
                let x0 = &xs[i * d..(i + 1) * d];
                let x1 = &xs[(i + 1) * d..(i + 2) * d];
                let x2 = &xs[(i + 2) * d..(i + 3) * d];
                let x3 = &xs[(i + 3) * d..(i + 4) * d];
                for (((((a, b), &v0), &v1), &v2), &v3) in ga
                    .iter_mut()
                    .zip(gb.iter_mut())
                    .zip(x0)
                    .zip(x1)
                    .zip(x2)
                    .zip(x3)
                {
                    *a += da[0] * v0 + da[1] * v1 + da[2] * v2 + da[3] * v3;
                    *b += db[0] * v0 + db[1] * v1 + db[2] * v2 + db[3] * v3;
                }
            }
            for i in quads..m {
                let (a, b) = (z[i * k + c], z[i * k + c + 1]);
                for ((ga, gb), &v) in ga
                    .iter_mut()
                    .zip(gb.iter_mut())
                    .zip(&xs[i * d..(i + 1) * d])
                {
                    *ga += a * v;
                    *gb += b * v;
                }
            }
        }
        // An odd last class.
        if !single.is_empty() {
            let c = k - 1;
            for i in 0..m {
                let di = z[i * k + c];
                for (g, &v) in single.iter_mut().zip(&xs[i * d..(i + 1) * d]) {
                    *g += di * v;
                }
            }
        }
        Partial {
            loss,
            grad_w,
            grad_b,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic pseudo-random numbers in [-1, 1) (SplitMix64).
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> f32 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^= z >> 31;
            ((z >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0
        }
    }

    fn normalise(v: &mut [f32]) {
        let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        if n > 0.0 {
            v.iter_mut().for_each(|x| *x /= n);
        }
    }

    /// `per_class` points around each of `classes` random unit centres, with
    /// noise of size `noise`, normalised.
    fn blobs(
        classes: usize,
        per_class: usize,
        dim: usize,
        noise: f32,
        seed: u64,
    ) -> (Vec<Vec<f32>>, Vec<String>) {
        let mut rng = Rng(seed);
        let centres: Vec<Vec<f32>> = (0..classes)
            .map(|_| {
                let mut c: Vec<f32> = (0..dim).map(|_| rng.next()).collect();
                normalise(&mut c);
                c
            })
            .collect();
        let mut xs = Vec::new();
        let mut ys = Vec::new();
        for _ in 0..per_class {
            for (c, centre) in centres.iter().enumerate() {
                let mut v: Vec<f32> = centre.iter().map(|&m| m + noise * rng.next()).collect();
                normalise(&mut v);
                xs.push(v);
                ys.push(format!("intent_{c}"));
            }
        }
        (xs, ys)
    }

    fn accuracy(m: &LinearClassifier, xs: &[Vec<f32>], ys: &[String]) -> f64 {
        let right = xs
            .iter()
            .zip(ys)
            .filter(|(x, y)| m.classes[m.predict(x).class] == **y)
            .count();
        right as f64 / xs.len() as f64
    }

    fn nll(m: &LinearClassifier, xs: &[Vec<f32>], ys: &[String]) -> f64 {
        xs.iter()
            .zip(ys)
            .map(|(x, y)| {
                let p = m.predict_proba(x);
                let c = m.classes.iter().position(|c| c == y).unwrap();
                -f64::from(p[c]).max(1e-30).ln()
            })
            .sum::<f64>()
            / xs.len() as f64
    }

    #[test]
    fn separable_blobs_reach_full_accuracy() {
        let (xs, ys) = blobs(12, 30, 40, 0.3, 1);
        let (tx, ty) = blobs(12, 10, 40, 0.3, 1);
        let (m, report) =
            LinearClassifier::train_with_report(&xs, &ys, &TrainOptions::default()).unwrap();
        assert!(report.converged, "{report:?}");
        assert_eq!(m.classes.len(), 12);
        assert_eq!(m.dim, 40);
        assert_eq!(accuracy(&m, &xs, &ys), 1.0);
        assert_eq!(accuracy(&m, &tx, &ty), 1.0);
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let (xs, ys) = blobs(3, 7, 5, 0.8, 2);
        let classes: Vec<String> = ys
            .iter()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .cloned()
            .collect();
        let targets = ys
            .iter()
            .map(|y| classes.iter().position(|c| c == y).unwrap())
            .collect();
        let p = Problem {
            x: xs.concat(),
            targets,
            sample_weights: (0..xs.len()).map(|i| 0.5 + (i % 3) as f32).collect(),
            n: xs.len(),
            dim: 5,
            k: 3,
            l2: 0.1,
        };
        let params: Vec<f64> = (0..18)
            .map(|i| ((i * 7 % 11) as f64 - 5.0) / 10.0)
            .collect();
        let mut g = vec![0.0; 18];
        p.evaluate(&params, &mut g);
        for i in 0..18 {
            let h = 1e-3;
            let mut up = params.clone();
            up[i] += h;
            let mut down = params.clone();
            down[i] -= h;
            let mut scratch = vec![0.0; 18];
            let numeric =
                (p.evaluate(&up, &mut scratch) - p.evaluate(&down, &mut scratch)) / (2.0 * h);
            assert!(
                (numeric - g[i]).abs() < 1e-3,
                "param {i}: {numeric} vs {}",
                g[i]
            );
        }
    }

    #[test]
    fn probabilities_sum_to_one() {
        let (xs, ys) = blobs(5, 20, 16, 1.0, 3);
        let mut m = LinearClassifier::train(&xs, &ys, &TrainOptions::default()).unwrap();
        for t in [1.0, 0.3, 4.0] {
            m.temperature = t;
            for x in &xs {
                let p = m.predict_proba(x);
                assert_eq!(p.len(), 5);
                let s: f32 = p.iter().sum();
                assert!((s - 1.0).abs() < 1e-5, "{s}");
                assert!(p.iter().all(|v| (0.0..=1.0).contains(v)));
                let best = m.predict(x);
                assert_eq!(best.probability, p[best.class]);
                assert!(best.margin >= 0.0);
            }
        }
    }

    #[test]
    fn training_is_deterministic() {
        let (xs, ys) = blobs(6, 50, 24, 1.2, 4);
        let opts = TrainOptions {
            class_weight_balanced: true,
            ..TrainOptions::default()
        };
        let a = LinearClassifier::train(&xs, &ys, &opts).unwrap();
        let b = LinearClassifier::train(&xs, &ys, &opts).unwrap();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let c = pool.install(|| LinearClassifier::train(&xs, &ys, &opts).unwrap());
        for other in [&b, &c] {
            assert_eq!(a.classes, other.classes);
            assert_eq!(a.weights, other.weights);
            assert_eq!(a.bias, other.bias);
        }
    }

    #[test]
    fn classes_are_sorted_and_arbitrary_strings_work() {
        let xs = vec![
            vec![1.0, 0.0],
            vec![0.0, 1.0],
            vec![0.9, 0.1],
            vec![0.1, 0.9],
        ];
        let ys: Vec<String> = ["zeta ü", "", "zeta ü", ""]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let m = LinearClassifier::train(&xs, &ys, &TrainOptions::default()).unwrap();
        assert_eq!(m.classes, vec!["".to_string(), "zeta ü".to_string()]);
        assert_eq!(m.predict(&[1.0, 0.0]).class, 1);
    }

    #[test]
    fn serialisation_round_trip() {
        let (xs, ys) = blobs(4, 10, 8, 0.5, 5);
        let mut m = LinearClassifier::train(&xs, &ys, &TrainOptions::default()).unwrap();
        m.temperature = 1.7;
        let json = serde_json::to_string(&m).unwrap();
        let back: LinearClassifier = serde_json::from_str(&json).unwrap();
        assert_eq!(back.classes, m.classes);
        assert_eq!(back.dim, m.dim);
        assert_eq!(back.weights, m.weights);
        assert_eq!(back.bias, m.bias);
        assert_eq!(back.temperature, m.temperature);
        for x in &xs {
            assert_eq!(back.predict_proba(x), m.predict_proba(x));
        }
        let opts: TrainOptions =
            serde_json::from_str(&serde_json::to_string(&TrainOptions::default()).unwrap())
                .unwrap();
        assert_eq!(opts.max_iter, TrainOptions::default().max_iter);
    }

    #[test]
    fn inconsistent_serialised_models_are_rejected() {
        let ok =
            r#"{"classes":["a","b"],"dim":2,"weights":[1,0,0,1],"bias":[0,0],"temperature":1}"#;
        assert!(serde_json::from_str::<LinearClassifier>(ok).is_ok());
        for bad in [
            r#"{"classes":["a","b"],"dim":2,"weights":[1,0,0],"bias":[0,0],"temperature":1}"#,
            r#"{"classes":["a","b"],"dim":2,"weights":[1,0,0,1],"bias":[0],"temperature":1}"#,
            r#"{"classes":["a"],"dim":2,"weights":[1,0],"bias":[0],"temperature":1}"#,
            r#"{"classes":["a","a"],"dim":2,"weights":[1,0,0,1],"bias":[0,0],"temperature":1}"#,
            r#"{"classes":["a","b"],"dim":0,"weights":[],"bias":[0,0],"temperature":1}"#,
            r#"{"classes":["a","b"],"dim":2,"weights":[1,0,0,1],"bias":[0,0],"temperature":0}"#,
            r#"{"classes":["a","b"],"dim":2,"weights":[1,0,0,1],"bias":[0,0],"temperature":-1}"#,
        ] {
            assert!(
                serde_json::from_str::<LinearClassifier>(bad).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn bad_input_is_an_error() {
        let opts = TrainOptions::default();
        let s = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let err = |xs: &[Vec<f32>], ys: &[String], o: &TrainOptions| {
            LinearClassifier::train(xs, ys, o).unwrap_err()
        };
        assert!(matches!(err(&[], &[], &opts), ClassifierError::Empty));
        assert!(matches!(
            err(&[vec![], vec![]], &s(&["a", "b"]), &opts),
            ClassifierError::ZeroDimension
        ));
        assert!(matches!(
            err(&[vec![1.0, 0.0], vec![1.0]], &s(&["a", "b"]), &opts),
            ClassifierError::DimensionMismatch {
                index: 1,
                expected: 2,
                found: 1
            }
        ));
        assert!(matches!(
            err(&[vec![1.0], vec![0.0]], &s(&["a"]), &opts),
            ClassifierError::LengthMismatch {
                vectors: 2,
                labels: 1
            }
        ));
        assert!(matches!(
            err(&[vec![1.0], vec![0.0]], &s(&["a", "a"]), &opts),
            ClassifierError::SingleClass(c) if c == "a"
        ));
        for bad in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
            assert!(matches!(
                err(&[vec![1.0], vec![bad]], &s(&["a", "b"]), &opts),
                ClassifierError::NonFinite { index: 1 }
            ));
        }
        for o in [
            TrainOptions {
                l2: -1.0,
                ..opts.clone()
            },
            TrainOptions {
                l2: f32::NAN,
                ..opts.clone()
            },
            TrainOptions {
                tol: f32::INFINITY,
                ..opts.clone()
            },
        ] {
            assert!(matches!(
                err(&[vec![1.0], vec![0.0]], &s(&["a", "b"]), &o),
                ClassifierError::InvalidOption(_)
            ));
        }
    }

    #[test]
    fn bad_query_vectors_do_not_panic() {
        let (xs, ys) = blobs(3, 10, 8, 0.5, 6);
        let mut m = LinearClassifier::train(&xs, &ys, &TrainOptions::default()).unwrap();
        for v in [vec![], vec![0.5; 7], vec![0.5; 9], vec![f32::NAN; 8]] {
            let p = m.predict_proba(&v);
            assert_eq!(p, vec![1.0 / 3.0; 3]);
            let best = m.predict(&v);
            assert_eq!((best.class, best.margin), (0, 0.0));
            assert!(m.try_predict_proba(&v).is_err());
        }
        // Public fields mutated into nonsense: still no panic.
        m.temperature = f32::NAN;
        assert!((m.predict_proba(&xs[0]).iter().sum::<f32>() - 1.0).abs() < 1e-5);
        m.dim = 0;
        assert_eq!(m.predict_proba(&[]).len(), 3);
        m.classes.clear();
        assert!(m.predict_proba(&xs[0]).is_empty());
        let _ = m.predict(&xs[0]);
        m.calibrate(&xs, &ys);
    }

    #[test]
    fn calibration_lowers_nll_of_an_overconfident_model() {
        // Overlapping classes and almost no regularisation: the fit is
        // over-confident on held-out data.
        let opts = TrainOptions {
            l2: 1e-7,
            max_iter: 500,
            ..TrainOptions::default()
        };
        let (all_x, all_y) = blobs(4, 150, 30, 2.5, 9);
        let (train_x, rest_x) = all_x.split_at(200);
        let (train_y, rest_y) = all_y.split_at(200);
        let (cal_x, test_x) = rest_x.split_at(200);
        let (cal_y, test_y) = rest_y.split_at(200);
        let mut m = LinearClassifier::train(train_x, train_y, &opts).unwrap();
        let before_cal = nll(&m, cal_x, cal_y);
        let before_test = nll(&m, test_x, test_y);
        let acc_before = accuracy(&m, test_x, test_y);
        m.calibrate(cal_x, cal_y);
        assert!(m.temperature > 1.0, "temperature {}", m.temperature);
        assert!(nll(&m, cal_x, cal_y) < before_cal);
        assert!(nll(&m, test_x, test_y) < before_test);
        // Temperature never changes the ranking.
        assert_eq!(accuracy(&m, test_x, test_y), acc_before);
        // Nothing usable: unchanged.
        let t = m.temperature;
        m.calibrate(&[vec![1.0; 3]], &["intent_0".to_string()]);
        m.calibrate(&cal_x[..1], &["unknown".to_string()]);
        m.calibrate(&[], &[]);
        assert_eq!(m.temperature, t);
    }

    #[test]
    fn balanced_weights_help_a_minority_class() {
        let (xs, ys) = blobs(2, 200, 10, 3.0, 10);
        // Keep all of class 0, a tenth of class 1.
        let mut kx = Vec::new();
        let mut ky = Vec::new();
        let mut seen = 0;
        for (x, y) in xs.iter().zip(&ys) {
            if y.starts_with("intent_1") {
                seen += 1;
                if seen % 10 != 0 {
                    continue;
                }
            }
            kx.push(x.clone());
            ky.push(y.clone());
        }
        let plain = LinearClassifier::train(&kx, &ky, &TrainOptions::default()).unwrap();
        let balanced = LinearClassifier::train(
            &kx,
            &ky,
            &TrainOptions {
                class_weight_balanced: true,
                ..TrainOptions::default()
            },
        )
        .unwrap();
        let minority_recall = |m: &LinearClassifier| {
            xs.iter()
                .zip(&ys)
                .filter(|(_, y)| y.starts_with("intent_1"))
                .filter(|(x, _)| m.classes[m.predict(x).class].starts_with("intent_1"))
                .count()
        };
        assert!(minority_recall(&balanced) > minority_recall(&plain));
    }
}
