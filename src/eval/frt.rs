//! First-response time: the human FRT from replay timestamps (read in `times`), and the FRT projected with the bot answering its share.
//!
//! Percentiles interpolate linearly between order statistics (numpy's default): the p-th
//! percentile of n sorted values sits at index p x (n - 1).

use serde::{Deserialize, Serialize};

/// Median and 90th percentile of a set of durations, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FrtSummary {
    pub tickets: usize,
    pub median_s: f64,
    pub p90_s: f64,
}

/// Percentile `p` (0..=1) of `sorted` values, linear between order statistics.
pub fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let pos = p.clamp(0.0, 1.0) * last as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    Some(sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64))
}

pub fn summarize(durations_s: &[f64]) -> Option<FrtSummary> {
    let mut sorted: Vec<f64> = durations_s
        .iter()
        .copied()
        .filter(|d| d.is_finite())
        .collect();
    sorted.sort_by(f64::total_cmp);
    Some(FrtSummary {
        tickets: sorted.len(),
        median_s: percentile(&sorted, 0.5)?,
        p90_s: percentile(&sorted, 0.9)?,
    })
}

/// FRT before and after: every ticket as it was, and with the bot's tickets answered at its latency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Projection {
    pub before: FrtSummary,
    pub after: FrtSummary,
    /// The tickets the bot answers, at its latency, and the ones people still answer.
    pub bot: Option<FrtSummary>,
    pub human: Option<FrtSummary>,
    /// Relative reduction of the median (0.25 = a quarter shorter).
    pub median_reduction: f64,
}

/// `tickets`: (historical human FRT in seconds, answered automatically by the bot).
pub fn project(tickets: &[(f64, bool)], bot_latency_s: f64) -> Option<Projection> {
    let before = summarize(&tickets.iter().map(|t| t.0).collect::<Vec<_>>())?;
    let after_values: Vec<f64> = tickets
        .iter()
        .map(|&(frt, bot)| if bot { bot_latency_s } else { frt })
        .collect();
    let after = summarize(&after_values)?;
    let bot_n = tickets.iter().filter(|t| t.1).count();
    let human: Vec<f64> = tickets.iter().filter(|t| !t.1).map(|t| t.0).collect();
    Some(Projection {
        before,
        after,
        bot: summarize(&vec![bot_latency_s; bot_n]),
        human: summarize(&human),
        median_reduction: if before.median_s > 0.0 {
            1.0 - after.median_s / before.median_s
        } else {
            0.0
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_interpolate_like_numpy() {
        let s = summarize(&[3600.0, 60.0, 7200.0, 120.0]).unwrap();
        // sorted 60, 120, 3600, 7200: median at 1.5 -> 1860; p90 at 2.7 -> 3600 + 0.7 * 3600
        assert_eq!(s.median_s, 1860.0);
        assert!((s.p90_s - 6120.0).abs() < 1e-9);
        assert_eq!(summarize(&[]), None);
    }

    #[test]
    fn projection_answers_the_bots_share_at_its_latency() {
        let tickets = [
            (60.0, false),
            (120.0, false),
            (3600.0, true),
            (7200.0, true),
        ];
        let p = project(&tickets, 2.0).unwrap();
        assert_eq!(p.before.median_s, 1860.0);
        // after: 2, 2, 60, 120 -> median (2 + 60) / 2
        assert_eq!(p.after.median_s, 31.0);
        assert_eq!(p.bot.unwrap().tickets, 2);
        assert_eq!(p.human.unwrap().median_s, 90.0);
        assert!((p.median_reduction - (1.0 - 31.0 / 1860.0)).abs() < 1e-12);
    }
}
