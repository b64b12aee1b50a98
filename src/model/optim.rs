//! A general optimiser: full-batch L-BFGS with a strong-Wolfe line search, minimising any
//! smooth function that returns its value and writes its gradient.

use std::collections::VecDeque;

/// L-BFGS history length.
const HISTORY: usize = 10;
/// Armijo (sufficient decrease) constant of the line search.
const WOLFE_C1: f64 = 1e-4;
/// Curvature constant of the strong Wolfe conditions.
const WOLFE_C2: f64 = 0.9;
/// Function evaluations allowed in one line search.
const MAX_LINE_EVALS: usize = 25;
/// Stop when the objective's relative decrease falls below this.
const REL_DECREASE_TOL: f64 = 1e-12;

/// What one run of [`lbfgs`] did.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Report {
    /// L-BFGS iterations taken.
    pub iterations: usize,
    /// Objective (loss + penalty) evaluations, line search included.
    pub evaluations: usize,
    /// Final objective value.
    pub objective: f64,
    /// Final largest absolute gradient component.
    pub gradient_max: f64,
    /// Whether a stopping test (`tol`, or no further decrease) was met
    /// before `max_iter`.
    pub converged: bool,
}

fn dot64(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn max_abs(v: &[f64]) -> f64 {
    v.iter().fold(0.0f64, |m, x| m.max(x.abs()))
}

/// A point evaluated along the search direction.
struct Trial {
    alpha: f64,
    f: f64,
    /// Directional derivative `g . d` at the point.
    slope: f64,
    grad: Vec<f64>,
}

/// Minimise `f` (which writes its gradient into the second argument) from
/// `x` by L-BFGS with a strong-Wolfe line search.
pub fn lbfgs<F>(f: F, mut x: Vec<f64>, max_iter: usize, tol: f64) -> (Vec<f64>, Report)
where
    F: Fn(&[f64], &mut [f64]) -> f64,
{
    let len = x.len();
    let mut g = vec![0.0f64; len];
    let mut fx = f(&x, &mut g);
    let mut evaluations = 1usize;
    let mut history: VecDeque<(Vec<f64>, Vec<f64>, f64)> = VecDeque::with_capacity(HISTORY);
    let mut iterations = 0usize;
    let mut converged = max_abs(&g) <= tol;
    let mut alpha_hist = [0.0f64; HISTORY];
    while !converged && iterations < max_iter {
        // Two-loop recursion: direction = -H g.
        let mut q: Vec<f64> = g.iter().map(|v| -v).collect();
        for (j, (s, y, rho)) in history.iter().enumerate().rev() {
            let a = rho * dot64(s, &q);
            alpha_hist[j] = a;
            for (qi, yi) in q.iter_mut().zip(y) {
                *qi -= a * yi;
            }
        }
        if let Some((s, y, _)) = history.back() {
            let gamma = dot64(s, y) / dot64(y, y);
            for qi in q.iter_mut() {
                *qi *= gamma;
            }
        }
        for (j, (s, y, rho)) in history.iter().enumerate() {
            let beta = rho * dot64(y, &q);
            let a = alpha_hist[j];
            for (qi, si) in q.iter_mut().zip(s) {
                *qi += (a - beta) * si;
            }
        }
        let mut dir = q;
        let mut slope = dot64(&g, &dir);
        if !(slope < 0.0 && slope.is_finite()) {
            history.clear();
            dir = g.iter().map(|v| -v).collect();
            slope = -dot64(&g, &g);
        }
        let first_step = if history.is_empty() {
            (1.0 / dot64(&dir, &dir).sqrt()).min(1.0)
        } else {
            1.0
        };
        let (trial, used) = line_search(&f, &x, fx, slope, &dir, first_step);
        evaluations += used;
        let Some(trial) = trial else {
            if history.is_empty() {
                break; // no progress possible even along -g
            }
            history.clear();
            continue;
        };
        iterations += 1;
        let s: Vec<f64> = dir.iter().map(|v| v * trial.alpha).collect();
        for (xi, si) in x.iter_mut().zip(&s) {
            *xi += si;
        }
        let y: Vec<f64> = trial.grad.iter().zip(&g).map(|(a, b)| a - b).collect();
        let sy = dot64(&s, &y);
        let decrease = fx - trial.f;
        let scale = fx.abs().max(trial.f.abs()).max(1.0);
        fx = trial.f;
        g = trial.grad;
        if sy > 1e-10 * dot64(&y, &y).sqrt() * dot64(&s, &s).sqrt() && sy > 0.0 {
            if history.len() == HISTORY {
                history.pop_front();
            }
            history.push_back((s, y, 1.0 / sy));
        }
        if max_abs(&g) <= tol || decrease <= REL_DECREASE_TOL * scale {
            converged = true;
        }
    }
    let report = Report {
        iterations,
        evaluations,
        objective: fx,
        gradient_max: max_abs(&g),
        converged,
    };
    (x, report)
}

/// Strong-Wolfe line search (Nocedal & Wright, algorithms 3.5 and 3.6) along
/// `dir` from `x`; returns the accepted point (or `None`) and the number of
/// evaluations used.
fn line_search<F>(
    f: &F,
    x: &[f64],
    f0: f64,
    slope0: f64,
    dir: &[f64],
    first_step: f64,
) -> (Option<Trial>, usize)
where
    F: Fn(&[f64], &mut [f64]) -> f64,
{
    let mut evals = 0usize;
    let mut point = vec![0.0f64; x.len()];
    let mut eval = |alpha: f64, evals: &mut usize| -> Trial {
        for ((p, xi), di) in point.iter_mut().zip(x).zip(dir) {
            *p = xi + alpha * di;
        }
        let mut grad = vec![0.0f64; x.len()];
        let fv = f(&point, &mut grad);
        *evals += 1;
        let slope = dot64(&grad, dir);
        Trial {
            alpha,
            f: if fv.is_finite() { fv } else { f64::INFINITY },
            slope: if slope.is_finite() {
                slope
            } else {
                f64::INFINITY
            },
            grad,
        }
    };
    let armijo = |t: &Trial| t.f <= f0 + WOLFE_C1 * t.alpha * slope0;
    let curvature = |t: &Trial| t.slope.abs() <= -WOLFE_C2 * slope0;

    let mut prev = Trial {
        alpha: 0.0,
        f: f0,
        slope: slope0,
        grad: Vec::new(),
    };
    let mut alpha = first_step;
    let (mut lo, mut hi);
    loop {
        let t = eval(alpha, &mut evals);
        if !armijo(&t) || (prev.alpha > 0.0 && t.f >= prev.f) {
            lo = prev;
            hi = t;
            break;
        }
        if curvature(&t) {
            return (Some(t), evals);
        }
        if t.slope >= 0.0 {
            lo = t;
            hi = prev;
            break;
        }
        if evals >= MAX_LINE_EVALS {
            return (Some(t), evals); // sufficient decrease holds
        }
        alpha = t.alpha * 2.0;
        prev = t;
    }
    // Zoom: `lo` satisfies sufficient decrease and has the lower value;
    // the minimiser lies between lo.alpha and hi.alpha.
    while evals < MAX_LINE_EVALS {
        let a = interpolate(&lo, &hi);
        let t = eval(a, &mut evals);
        if !armijo(&t) || t.f >= lo.f {
            hi = t;
        } else {
            if curvature(&t) {
                return (Some(t), evals);
            }
            if t.slope * (hi.alpha - lo.alpha) >= 0.0 {
                hi = lo;
            }
            lo = t;
        }
        if (hi.alpha - lo.alpha).abs() <= 1e-12 * lo.alpha.abs().max(1e-12) {
            break;
        }
    }
    if lo.alpha > 0.0 && lo.f < f0 {
        (Some(lo), evals)
    } else {
        (None, evals)
    }
}

/// Minimiser of the cubic through `lo` and `hi` (values and slopes),
/// kept inside the middle 80% of the interval; bisection as fallback.
fn interpolate(lo: &Trial, hi: &Trial) -> f64 {
    let (a, b) = (lo.alpha, hi.alpha);
    let mid = 0.5 * (a + b);
    let width = b - a;
    let guarded = |v: f64| {
        let (left, right) = if a < b { (a, b) } else { (b, a) };
        let margin = 0.1 * (right - left);
        if v.is_finite() && v >= left + margin && v <= right - margin {
            v
        } else {
            mid
        }
    };
    if !(hi.f.is_finite() && hi.slope.is_finite()) || width == 0.0 {
        return mid;
    }
    let d1 = lo.slope + hi.slope - 3.0 * (lo.f - hi.f) / (a - b);
    let disc = d1 * d1 - lo.slope * hi.slope;
    if disc < 0.0 {
        return mid;
    }
    let d2 = width.signum() * disc.sqrt();
    let denom = hi.slope - lo.slope + 2.0 * d2;
    if denom == 0.0 {
        return mid;
    }
    guarded(b - width * (hi.slope + d2 - d1) / denom)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lbfgs_minimises_a_quadratic_and_rosenbrock() {
        let quad = |x: &[f64], g: &mut [f64]| {
            let mut f = 0.0;
            for (i, (xi, gi)) in x.iter().zip(g.iter_mut()).enumerate() {
                let a = (i + 1) as f64;
                f += 0.5 * a * (xi - 1.0) * (xi - 1.0);
                *gi = a * (xi - 1.0);
            }
            f
        };
        let (x, r) = lbfgs(quad, vec![0.0; 20], 200, 1e-9);
        assert!(r.converged);
        assert!(x.iter().all(|v| (v - 1.0).abs() < 1e-5), "{x:?}");
        let rosen = |x: &[f64], g: &mut [f64]| {
            let (a, b) = (x[0], x[1]);
            g[0] = -2.0 * (1.0 - a) - 400.0 * a * (b - a * a);
            g[1] = 200.0 * (b - a * a);
            (1.0 - a).powi(2) + 100.0 * (b - a * a).powi(2)
        };
        let (x, _) = lbfgs(rosen, vec![-1.2, 1.0], 500, 1e-8);
        assert!(
            (x[0] - 1.0).abs() < 1e-5 && (x[1] - 1.0).abs() < 1e-5,
            "{x:?}"
        );
    }
}
