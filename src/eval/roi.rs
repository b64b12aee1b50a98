//! Return on investment: monthly savings, payback and ROI over a horizon, gross and net of running costs.
//!
//! Conventions (both views are always reported, side by side):
//! - gross: savings before the monthly running cost. ROI = (savings x horizon - implementation)
//!   / implementation. This is the convention of the published case kbctl started from.
//! - net: the monthly running cost is subtracted from the savings first.
//! - payback is the first whole month by which cumulative savings cover the implementation.
//!   It is `None` when savings never cover it.

use serde::{Deserialize, Serialize};

use crate::config::Costs;

/// Both views of the investment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Roi {
    pub monthly_savings_gross: f64,
    pub monthly_savings_net: f64,
    pub payback_months_gross: Option<u32>,
    pub payback_months_net: Option<u32>,
    /// ROI over the horizon, as a fraction (2.375 = 237.5%); null when nothing is invested (an
    /// implementation cost of 0 makes the ratio undefined, not infinite).
    pub roi_gross: Option<f64>,
    pub roi_net: Option<f64>,
    pub horizon_months: u32,
    /// Cumulative cash flow at the end of each month, net view (month 0 = -implementation).
    pub cash_flow_net: Vec<f64>,
}

/// Savings per month from a measured containment and wrong-answer rate (shares of all tickets).
pub fn monthly_savings(costs: &Costs, containment: f64, wrong_rate: f64) -> f64 {
    costs.tickets_per_month
        * (containment * costs.cost_per_human_ticket - wrong_rate * costs.cost_per_wrong_answer)
}

/// ROI from a gross monthly saving.
pub fn roi(
    gross_monthly_savings: f64,
    implementation: f64,
    monthly_running: f64,
    horizon_months: u32,
) -> Roi {
    let net = gross_monthly_savings - monthly_running;
    let payback = |monthly: f64| {
        if monthly <= 0.0 {
            None
        } else if implementation <= 0.0 {
            Some(0)
        } else {
            Some((implementation / monthly).ceil() as u32)
        }
    };
    let ratio = |monthly: f64| {
        (implementation > 0.0)
            .then(|| (monthly * f64::from(horizon_months) - implementation) / implementation)
    };
    let cash_flow_net = (0..=horizon_months)
        .map(|m| net * f64::from(m) - implementation)
        .collect();
    Roi {
        monthly_savings_gross: gross_monthly_savings,
        monthly_savings_net: net,
        payback_months_gross: payback(gross_monthly_savings),
        payback_months_net: payback(net),
        roi_gross: ratio(gross_monthly_savings),
        roi_net: ratio(net),
        horizon_months,
        cash_flow_net,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The published case: implementation 1,600,000 RUB, savings 150,000 RUB a month.
    #[test]
    fn reproduces_the_published_case_and_its_net_view() {
        let r = roi(150_000.0, 1_600_000.0, 100_000.0, 36);
        assert_eq!(r.payback_months_gross, Some(11));
        // (150,000 x 36 - 1,600,000) / 1,600,000 = 2.375: the case's "237%" (truncated).
        assert!((r.roi_gross.unwrap() - 2.375).abs() < 1e-12);
        assert_eq!((r.roi_gross.unwrap() * 100.0).floor(), 237.0);
        // Net of a 100,000 RUB running cost: 50,000 a month, 32 months, 12.5% over 3 years.
        assert!((r.monthly_savings_net - 50_000.0).abs() < 1e-9);
        assert_eq!(r.payback_months_net, Some(32));
        assert!((r.roi_net.unwrap() - 0.125).abs() < 1e-12);
        assert_eq!(r.cash_flow_net.len(), 37);
        assert_eq!(r.cash_flow_net[0], -1_600_000.0);
        assert!(r.cash_flow_net[31] < 0.0 && r.cash_flow_net[32] >= 0.0);
    }

    #[test]
    fn savings_come_from_containment_minus_wrong_answers() {
        let costs = Costs {
            tickets_per_month: 10_000.0,
            cost_per_human_ticket: 250.0,
            cost_per_wrong_answer: 1_000.0,
            implementation_cost: 0.0,
            monthly_running_cost: 0.0,
            horizon_months: 36,
            currency: "RUB".into(),
        };
        // 60% contained saves 1.5M; 1% wrong costs 100k.
        assert!((monthly_savings(&costs, 0.6, 0.01) - 1_400_000.0).abs() < 1e-6);
    }

    #[test]
    fn no_payback_when_savings_do_not_cover_running_costs() {
        let r = roi(80_000.0, 1_000_000.0, 100_000.0, 36);
        assert_eq!(r.payback_months_net, None);
        assert!(r.roi_net.unwrap() < -1.0);
        assert_eq!(r.payback_months_gross, Some(13));
    }

    #[test]
    fn nothing_invested_has_no_roi_and_pays_back_at_once() {
        let r = roi(50_000.0, 0.0, 10_000.0, 12);
        assert_eq!((r.roi_gross, r.roi_net), (None, None));
        assert_eq!(r.payback_months_net, Some(0));
        // It survives the results file: null, read back as None (it used to be refused).
        let back: Roi = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
        assert_eq!(back, r);
    }
}
