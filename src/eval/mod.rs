//! Evaluation: replay history through the pipeline and measure it (decisions, correctness, retrieval, first-response time, money), for CI and for reports.
//!
//! Data flows one way: `replay` (files -> tickets) -> the pipeline -> `judge` (outcome vs gold)
//! -> `metrics`, `curve`, `gaps`, `frt`, `roi` -> [`Results`] (the versioned results file) ->
//! `gates` and the report.

pub mod classes;
pub mod conversation;
pub mod curve;
pub mod exports;
pub mod frt;
pub mod gaps;
pub mod gates;
pub mod judge;
pub mod metrics;
pub mod replay;
pub mod retrieval;
pub mod roi;
pub mod sanity;
pub mod sniff;
pub mod times;
pub mod tune;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::config::{Costs, Policy};
use crate::error::UserError;
use crate::metric::Metric;
use judge::Judged;
use metrics::{Confusion, Metrics, Segment};

/// The results file's schema name and version; a reader refuses any other.
pub const SCHEMA: &str = "kbctl-eval-results";
pub const SCHEMA_VERSION: u32 = 1;

/// Everything `kbctl eval` measured: the results file, read back by `report` and `--baseline`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Results {
    pub schema: String,
    pub version: u32,
    pub kbctl_version: String,
    pub replay: ReplayInfo,
    pub policy: PolicySnapshot,
    pub metrics: Metrics,
    /// 95% Wilson intervals of the proportions, by metric (`proportions` has the counts).
    pub intervals: BTreeMap<String, [f64; 2]>,
    /// Every share-of-tickets metric as successes of trials, with its interval.
    #[serde(default)]
    pub proportions: BTreeMap<String, metrics::Proportion>,
    pub definitions: BTreeMap<String, String>,
    pub latency: Latency,
    pub frt: Option<FrtResults>,
    pub roi: Option<RoiResults>,
    /// Per category, language, channel and agent.
    pub segments: BTreeMap<String, Vec<Segment>>,
    pub confusions: Vec<Confusion>,
    /// Precision, recall, F1 and support per intent and per category.
    #[serde(default)]
    pub classes: classes::ClassReport,
    /// The auto threshold swept from 0 to 1, every other setting as configured.
    pub curve: Vec<curve::Point>,
    pub gaps: Vec<gaps::Gap>,
    #[serde(default)]
    pub gates: Vec<gates::GateResult>,
    #[serde(default)]
    pub baseline: Vec<gates::Comparison>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReplayInfo {
    pub files: Vec<String>,
    pub tickets: usize,
    /// Rows that could not be read, and the first of their messages.
    pub skipped: usize,
    pub issues: Vec<String>,
    /// Labelled with a verdict (gold documents, intent or should_escalate).
    pub labelled: usize,
    /// The zone times without an offset were read in.
    #[serde(default = "utc")]
    pub timezone: String,
    /// Issues by kind (`duplicate_id`, `impossible_time`, `epoch_unit`, `negative_frt`, ...);
    /// skipped rows and kept rows with a refused first-response time alike.
    #[serde(default)]
    pub issue_counts: BTreeMap<String, usize>,
    /// Epoch numbers read, by the unit their magnitude gave (`seconds`, `milliseconds`).
    #[serde(default)]
    pub epoch_units: BTreeMap<String, usize>,
    /// How each file was read, by file: `Zendesk CSV (delimiter `,`, encoding UTF-8)`,
    /// `Intercom JSON`, `JSON lines`, `Parquet`.
    #[serde(default)]
    pub read_as: BTreeMap<String, String>,
}

fn utc() -> String {
    "UTC".into()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicySnapshot {
    pub auto_threshold: f32,
    pub draft_threshold: f32,
    pub categories: BTreeMap<String, (Option<f32>, Option<f32>)>,
}

impl From<&Policy> for PolicySnapshot {
    fn from(p: &Policy) -> Self {
        Self {
            auto_threshold: p.auto_threshold,
            draft_threshold: p.draft_threshold,
            categories: p
                .categories
                .iter()
                .map(|(k, v)| (k.clone(), (v.auto_threshold, v.draft_threshold)))
                .collect(),
        }
    }
}

/// Processing time per ticket, and throughput of the whole replay.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Latency {
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub mean_ms: f64,
    pub tickets_per_s: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrtResults {
    #[serde(flatten)]
    pub projection: frt::Projection,
    /// The bot's latency the projection uses for its answers, in seconds.
    pub bot_latency_s: f64,
    /// Histogram of first-response times, in hours: the lower edge of each bin (the last bin is
    /// open-ended), and counts before and with the bot.
    pub histogram_edges_h: Vec<f64>,
    pub histogram_before: Vec<usize>,
    pub histogram_after: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoiResults {
    pub costs: Costs,
    #[serde(flatten)]
    pub roi: roi::Roi,
    /// People-handled tickets per month before and with the bot.
    pub human_tickets_before: f64,
    pub human_tickets_after: f64,
}

/// Histogram edges for first-response time, in hours: a minute, a quarter hour, an hour, ... two days.
const FRT_EDGES_H: [f64; 10] = [
    0.0,
    1.0 / 60.0,
    0.25,
    1.0,
    2.0,
    4.0,
    8.0,
    24.0,
    48.0,
    f64::INFINITY,
];

/// What the measurement needs besides the judged tickets.
pub struct Inputs<'a> {
    pub files: Vec<String>,
    /// Every issue of the replay, located; `skipped` of them left their row out.
    pub issues: Vec<String>,
    pub skipped: usize,
    pub issue_counts: BTreeMap<String, usize>,
    pub epoch_units: BTreeMap<String, usize>,
    pub read_as: BTreeMap<String, String>,
    pub timezone: String,
    pub policy: &'a Policy,
    pub costs: Option<&'a Costs>,
    pub wall_s: f64,
    /// Embeddings of the tickets the knowledge base did not answer, by index into the judged list.
    pub gap_vectors: Vec<(usize, Vec<f32>)>,
}

/// Measure a replay.
pub fn measure(judged: &[Judged], inputs: Inputs<'_>) -> anyhow::Result<Results> {
    let refs: Vec<&Judged> = judged.iter().collect();
    let proportions = metrics::proportions(&refs);
    let mut m = metrics::decision_metrics(&refs);
    let (intent_accuracy, intent_f1, confusions) = metrics::intent_metrics(&refs, 15);
    m.intent_accuracy = intent_accuracy;
    m.intent_macro_f1 = intent_f1;
    [m.recall_at_1, m.recall_at_5, m.mrr, m.ndcg_at_10] = metrics::retrieval_metrics(&refs);

    let mut elapsed: Vec<f64> = judged.iter().map(|t| t.elapsed_ms).collect();
    elapsed.sort_by(f64::total_cmp);
    let latency = Latency {
        p50_ms: frt::percentile(&elapsed, 0.5).unwrap_or(0.0),
        p99_ms: frt::percentile(&elapsed, 0.99).unwrap_or(0.0),
        mean_ms: elapsed.iter().sum::<f64>() / elapsed.len().max(1) as f64,
        tickets_per_s: if inputs.wall_s > 0.0 {
            judged.len() as f64 / inputs.wall_s
        } else {
            0.0
        },
    };
    // The bot answers at its measured latency: the mean over its own automatic answers.
    let auto_ms: Vec<f64> = judged
        .iter()
        .filter(|t| t.auto())
        .map(|t| t.elapsed_ms)
        .collect();
    let bot_latency_s = if auto_ms.is_empty() {
        latency.mean_ms / 1000.0
    } else {
        auto_ms.iter().sum::<f64>() / auto_ms.len() as f64 / 1000.0
    };
    let timed: Vec<(f64, bool)> = judged
        .iter()
        .filter_map(|t| Some((t.human_frt_s?, t.auto())))
        .collect();
    let frt = frt::project(&timed, bot_latency_s).map(|projection| {
        let hist = |values: &mut dyn Iterator<Item = f64>| {
            let mut counts = vec![0usize; FRT_EDGES_H.len() - 1];
            for v in values {
                let h = v / 3600.0;
                if let Some(bin) = FRT_EDGES_H.windows(2).position(|w| h >= w[0] && h < w[1]) {
                    counts[bin] += 1;
                }
            }
            counts
        };
        FrtResults {
            bot_latency_s,
            histogram_edges_h: FRT_EDGES_H[..FRT_EDGES_H.len() - 1].to_vec(),
            histogram_before: hist(&mut timed.iter().map(|t| t.0)),
            histogram_after: hist(&mut timed.iter().map(|t| if t.1 { bot_latency_s } else { t.0 })),
            projection,
        }
    });
    if let Some(f) = &frt {
        m.frt_median_before_s = Some(f.projection.before.median_s);
        m.frt_median_after_s = Some(f.projection.after.median_s);
        m.frt_p90_before_s = Some(f.projection.before.p90_s);
        m.frt_p90_after_s = Some(f.projection.after.p90_s);
    }
    let roi = match (inputs.costs, m.containment) {
        (Some(costs), Some(containment)) => {
            let gross = roi::monthly_savings(costs, containment, m.wrong_rate.unwrap_or(0.0));
            let r = roi::roi(
                gross,
                costs.implementation_cost,
                costs.monthly_running_cost,
                costs.horizon_months,
            );
            m.monthly_savings_net = Some(r.monthly_savings_net);
            m.payback_months_net = r.payback_months_net.map(f64::from);
            m.roi_net = r.roi_net.filter(|v| v.is_finite());
            Some(RoiResults {
                costs: costs.clone(),
                human_tickets_before: costs.tickets_per_month,
                human_tickets_after: costs.tickets_per_month * (1.0 - containment),
                roi: r,
            })
        }
        _ => None,
    };

    let frame = metrics::frame(&refs, bot_latency_s)?;
    let mut segments = BTreeMap::new();
    for field in metrics::SEGMENT_FIELDS {
        let s = metrics::segments(&frame, field)?;
        if !s.is_empty() {
            segments.insert(field.to_string(), s);
        }
    }
    let items: Vec<curve::Item> = judged.iter().map(curve::Item::from).collect();
    let gap_input: Vec<(&Judged, Vec<f32>)> = inputs
        .gap_vectors
        .into_iter()
        .map(|(i, v)| (&judged[i], v))
        .collect();
    Ok(Results {
        schema: SCHEMA.into(),
        version: SCHEMA_VERSION,
        kbctl_version: env!("CARGO_PKG_VERSION").into(),
        replay: ReplayInfo {
            files: inputs.files,
            tickets: judged.len(),
            skipped: inputs.skipped,
            issues: inputs.issues,
            labelled: judged.iter().filter(|t| t.correct.is_some()).count(),
            timezone: inputs.timezone,
            issue_counts: inputs.issue_counts,
            epoch_units: inputs.epoch_units,
            read_as: inputs.read_as,
        },
        policy: inputs.policy.into(),
        intervals: proportions
            .iter()
            .map(|(k, p)| (k.clone(), [p.low, p.high]))
            .collect(),
        proportions,
        definitions: Metric::ALL
            .iter()
            .map(|m| (m.id().to_string(), m.definition().to_string()))
            .collect(),
        metrics: m,
        latency,
        frt,
        roi,
        segments,
        confusions,
        classes: classes::ClassReport::of(judged),
        curve: curve::sweep(&items, &curve::grid()),
        gaps: gaps::group(&gap_input, judged.len(), gaps::JOIN_SIMILARITY, 12),
        gates: Vec::new(),
        baseline: Vec::new(),
    })
}

/// Read a results file, refusing other schemas and versions with a clear message.
pub fn read_results(path: &std::path::Path) -> Result<Results, UserError> {
    let origin = path.display();
    let text = std::fs::read_to_string(path)
        .map_err(|err| UserError::Invalid(format!("{origin}: {err}")))?;
    let value: serde_json::Value = serde_json::from_str(&text)
        .map_err(|err| UserError::Invalid(format!("{origin}: not a results file: {err}")))?;
    let schema = value.get("schema").and_then(|v| v.as_str());
    if schema != Some(SCHEMA) {
        return Err(UserError::Invalid(format!(
            "{origin}: not a kbctl eval results file (schema {}, expected \"{SCHEMA}\")",
            schema.map_or("missing".into(), |s| format!("\"{s}\""))
        )));
    }
    let version = value.get("version").and_then(|v| v.as_u64());
    if version != Some(u64::from(SCHEMA_VERSION)) {
        return Err(UserError::Invalid(format!(
            "{origin}: results version {}, this kbctl reads version {SCHEMA_VERSION}: re-run `kbctl eval` with this kbctl",
            version.map_or("missing".into(), |v| v.to_string())
        )));
    }
    serde_json::from_value(value)
        .map_err(|err| UserError::Invalid(format!("{origin}: results file incomplete: {err}")))
}
