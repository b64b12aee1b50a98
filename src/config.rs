//! `kbctl.yaml`: the team's settings, validated on load, merged with flags and environment.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::{Deserialize, Serialize};

use crate::cli::GlobalArgs;
use crate::error::UserError;
use crate::metric::Metric;

mod bounds;
pub use bounds::{BOUNDS, Bound, MAX_THREADS, Range, bounds_table, check_flag};

/// The file looked for in the working directory when `--config` is not given.
pub const DEFAULT_CONFIG_FILE: &str = "kbctl.yaml";
/// The index directory when neither a flag nor the config names one.
pub const DEFAULT_INDEX_DIR: &str = ".kbctl/index";

/// Everything `kbctl.yaml` may hold. Unknown keys are refused by name.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Index directory.
    pub index: Option<PathBuf>,
    /// Where set-up put ONNX Runtime and the models.
    pub home: Option<PathBuf>,
    /// Path of the ONNX Runtime shared library, overriding the one under `home`.
    pub onnxruntime: Option<PathBuf>,
    /// Embedding model (see `kbctl --help`).
    pub embedder: Option<String>,
    /// Threads for embedding and search.
    pub threads: Option<usize>,
    /// `accurate` (default: every installed view) or `fast` (the primary encoder and BM25 only).
    pub profile: Option<Profile>,
    /// The further encoders of the `accurate` profile (default: multilingual-e5-small).
    pub views: Option<Vec<String>>,
    pub retrieval: RetrievalConfig,
    pub ingest: IngestConfig,
    pub input: InputConfig,
    pub policy: Policy,
    pub templates: Templates,
    /// What a ticket costs, for the ROI in `kbctl eval` and reports; absent: no ROI.
    pub costs: Option<Costs>,
    /// CI gates and baseline tolerances for `kbctl eval`.
    pub gates: GatesConfig,
}

/// When the bot may answer on its own, when it drafts, when it hands over.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Policy {
    /// Confidence at or above which an answer is sent automatically.
    pub auto_threshold: f32,
    /// Confidence at or above which a draft is prepared; below it the ticket is escalated.
    pub draft_threshold: f32,
    /// Best absolute retrieval score (linear fusion of cosine and BM25 fraction, whatever fusion
    /// ranks) below which the knowledge base is taken to have no answer.
    pub no_match_score: f32,
    /// At most a draft when at least this share of the subject's words is unknown to every
    /// document ("SAP Ariba" against a KB that never names it): the topic is one the knowledge
    /// base does not cover, and its nearest document is a near miss however the views agree.
    pub unknown_topic_share: f32,
    /// Escalated when less than this share of the ticket's words is known to the knowledge
    /// base in any language: noise, another language, or a topic it has never heard of.
    pub min_known_share: f32,
    /// Sentiment score at or below which the ticket is escalated.
    pub escalate_sentiment: f32,
    /// Sentiment score at or below which the ticket is at most drafted.
    pub draft_sentiment: f32,
    /// Categories the bot may answer automatically; empty means all (pilot on a few first).
    pub automate_categories: Vec<String>,
    /// Categories never answered automatically (escalated as sensitive topics).
    pub never_automate_categories: Vec<String>,
    /// Per-category thresholds overriding the global ones.
    pub categories: std::collections::BTreeMap<String, CategoryPolicy>,
    /// Trigger terms by kind and language (dictionary forms; inflections match); absent: built-in lists.
    pub triggers:
        Option<std::collections::BTreeMap<String, std::collections::BTreeMap<String, Vec<String>>>>,
    /// Phrases asking for a human, by language; absent: built-in lists.
    pub human_requests: Option<std::collections::BTreeMap<String, Vec<String>>>,
    /// The confidence model: a logistic function of the retrieval and intent signals.
    pub calibration: Calibration,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            auto_threshold: 0.85,
            draft_threshold: 0.50,
            no_match_score: 0.20,
            unknown_topic_share: 0.5,
            min_known_share: 0.25,
            escalate_sentiment: -0.6,
            draft_sentiment: -0.25,
            automate_categories: Vec::new(),
            never_automate_categories: Vec::new(),
            categories: std::collections::BTreeMap::new(),
            triggers: None,
            human_requests: None,
            calibration: Calibration::default(),
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CategoryPolicy {
    #[serde(default)]
    pub auto_threshold: Option<f32>,
    #[serde(default)]
    pub draft_threshold: Option<f32>,
}

/// The weights of the confidence model ([`crate::pipeline::confidence`]):
/// confidence = sigmoid(intercept + w . signals) over the fused top score and margin (z-score
/// fusion: standard deviations), the views' agreement on the first document (all of them, and
/// the share that name the answered one) and the answer-span coverage; with labelled examples
/// it is at most (classifier probability)^intent: an answer is right only if both the
/// document and the intent are, and the two read the same embedding, so they are capped rather
/// than added as independent evidence.
/// The defaults were fitted once (`scripts/fit-calibration.py`, logistic regression with each
/// set weighted alike) on the audit rows of four sets without an intent classifier: CLINC150
/// val + oos_val, a held-out tenth of BANKING77 train, the fixtures' replay and labelled
/// queries. Left out of the fit, each set keeps ECE <= 0.13; Bitext, never fitted on, 0.07
/// (docs/measurements.md). Agreement of the views is the strongest signal; the fused score
/// itself carries little across knowledge bases of different sizes. `kbctl tune` refits them
/// on a team's own history.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Calibration {
    pub intercept: f32,
    pub top_score: f32,
    pub margin: f32,
    pub agreement: f32,
    /// Weight of the share of views whose own best document is the answered one.
    pub views_agree: f32,
    /// Weight of the answer-span coverage.
    pub coverage: f32,
    pub intent: f32,
}

impl Default for Calibration {
    fn default() -> Self {
        Self {
            intercept: -2.653,
            top_score: 0.085,
            margin: 0.808,
            agreement: -0.133,
            views_agree: 2.690,
            coverage: 1.709,
            intent: 1.0,
        }
    }
}

/// The `costs` block of kbctl.yaml.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Costs {
    /// Tickets per month.
    pub tickets_per_month: f64,
    /// Cost of one ticket handled by a person (salary, overhead), in the report's currency.
    pub cost_per_human_ticket: f64,
    /// Cost of one wrong automatic answer (rework, goodwill, churn risk).
    #[serde(default)]
    pub cost_per_wrong_answer: f64,
    /// One-off implementation cost.
    pub implementation_cost: f64,
    /// Monthly running cost (hosting, licences, upkeep).
    #[serde(default)]
    pub monthly_running_cost: f64,
    /// Horizon of the ROI figure, in months.
    #[serde(default = "default_horizon")]
    pub horizon_months: u32,
    #[serde(default = "default_currency")]
    pub currency: String,
}

fn default_horizon() -> u32 {
    36
}

fn default_currency() -> String {
    "RUB".into()
}

/// The `gates` block of kbctl.yaml: CI gates and baseline tolerances for `kbctl eval`, by
/// metric id (`crate::metric::Metric`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GatesConfig {
    /// Lower bounds: `accuracy: 0.95`.
    pub min: BTreeMap<String, f64>,
    /// Upper bounds: `wrong_rate: 0.01`.
    pub max: BTreeMap<String, f64>,
    /// Largest allowed worsening against a baseline, for every metric (absolute).
    pub tolerance: f64,
    /// Per-metric tolerances overriding `tolerance`.
    pub tolerances: BTreeMap<String, f64>,
}

/// Shares move by whole tickets, so half a point is noise-free on the same replay.
pub const DEFAULT_TOLERANCE: f64 = 0.005;

impl Default for GatesConfig {
    fn default() -> Self {
        Self {
            min: BTreeMap::new(),
            max: BTreeMap::new(),
            tolerance: DEFAULT_TOLERANCE,
            tolerances: BTreeMap::new(),
        }
    }
}

/// Template files overriding the built-in ones.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Templates {
    /// The customer reply (minijinja).
    pub answer: Option<PathBuf>,
}

/// How many views of every ticket and document kbctl computes.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// BM25 and every encoder the index holds: the most accurate.
    #[default]
    Accurate,
    /// BM25 and the primary encoder only: for very large replays.
    Fast,
}

impl Profile {
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "accurate" => Some(Self::Accurate),
            "fast" => Some(Self::Fast),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Accurate => "accurate",
            Self::Fast => "fast",
        }
    }
}

/// How candidates from BM25 and vectors are combined.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum Fusion {
    /// Reciprocal-rank fusion: sum of 1 / (k + rank).
    Rrf,
    /// Weighted sum of absolute scores: cosine, and BM25 as a fraction of an ideal match
    /// (it beat reciprocal-rank fusion on every language group; docs/measurements.md).
    Linear,
    /// Every encoder's cosine as z-scores over the query's chunks, averaged, plus BM25 as a
    /// fraction of an ideal match (the default: encoders whose cosines sit at different
    /// heights count alike; docs/measurements.md).
    #[default]
    Zscore,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RetrievalConfig {
    pub fusion: Fusion,
    /// The k of reciprocal-rank fusion.
    pub rrf_k: f32,
    /// Weight of the vector score in linear fusion (BM25 gets 1 - this).
    pub vector_weight: f32,
    /// In z-score fusion, what a BM25 match holding every query word adds, in standard
    /// deviations of the encoders' scores.
    pub bm25_weight: f32,
    /// Candidates taken from each retriever before fusion.
    pub candidates: usize,
}

impl Default for RetrievalConfig {
    fn default() -> Self {
        Self {
            fusion: Fusion::Zscore,
            rrf_k: 60.0,
            vector_weight: 0.6,
            bm25_weight: 6.0,
            candidates: 50,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct IngestConfig {
    /// Soft upper bound on a chunk's length in characters; sections are split at paragraphs.
    pub chunk_chars: usize,
    /// Texts per embedding call. 1 keeps every vector independent of its neighbours
    /// (the quantized encoders scale activations per batch); larger is faster.
    pub batch_size: usize,
    /// A history ticket with an agent's reply but no `gold_docs` is taken as answered from the
    /// knowledge-base view the reply is closest to when their cosine (primary encoder) is at
    /// least this (on the fixture replay 0.6 matched 96 of 240 replies, 98% to the agent's
    /// document; 0.5 matched 155 at 93%, 0.65 71 at 100%: docs/measurements.md).
    pub reply_similarity: f32,
    /// A knowledge-base file larger than this many bytes is reported and not read.
    pub max_doc_bytes: u64,
}

impl Default for IngestConfig {
    fn default() -> Self {
        Self {
            chunk_chars: 1200,
            batch_size: 1,
            reply_similarity: 0.6,
            max_doc_bytes: 20_000_000,
        }
    }
}

/// Limits on what `answer`, `classify`, `eval` and history ingests read.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct InputConfig {
    /// A ticket record (a JSONL or text line, a whole-document ticket) larger than this many
    /// bytes is reported in its place and not read (`crate::lines::CAP_KEY`).
    pub max_record_bytes: u64,
}

impl Default for InputConfig {
    fn default() -> Self {
        Self {
            max_record_bytes: 16_000_000,
        }
    }
}

impl Config {
    /// Parse and validate a config file's text; `origin` names it in messages.
    pub fn parse(text: &str, origin: &Path) -> Result<Self, UserError> {
        let config: Config = crate::yaml::from_str(text).map_err(|err| {
            let at = err.line.map(|l| format!(":{l}")).unwrap_or_default();
            // "threads: invalid value: integer `-2`, expected usize": add the allowed range.
            let range = err
                .message
                .split_once(": ")
                .and_then(|(key, _)| Bound::find(&key.split('.').collect::<Vec<_>>()))
                .map(|b| format!(" (allowed: {})", b.range_text()))
                .unwrap_or_default();
            UserError::Invalid(format!("{}{at}: {}{range}", origin.display(), err.message))
        })?;
        config.validate(origin)?;
        Ok(config)
    }

    fn validate(&self, origin: &Path) -> Result<(), UserError> {
        let bad = |message: String| {
            Err(UserError::Invalid(format!(
                "{}: {message}",
                origin.display()
            )))
        };
        // Every number the file can hold, by its path, against the range table.
        let numbers = crate::yaml::numbers(self)
            .map_err(|err| UserError::Invalid(format!("{}: {}", origin.display(), err.message)))?;
        for (path, value) in &numbers {
            if let Some(bound) = Bound::find(path)
                && let Err(message) = bound.check_path(path, *value)
            {
                return bad(message);
            }
        }
        let g = &self.gates;
        for (block, metrics) in [
            ("gates.min", g.min.keys()),
            ("gates.max", g.max.keys()),
            ("gates.tolerances", g.tolerances.keys()),
        ] {
            for metric in metrics {
                if let Err(err) = Metric::parse(metric) {
                    return bad(format!("{block}.{metric}: {err}"));
                }
            }
        }
        let p = &self.policy;
        if p.draft_threshold > p.auto_threshold {
            return bad("`policy.draft_threshold` must not exceed policy.auto_threshold".into());
        }
        Ok(())
    }

    /// Load `--config FILE`, else ./kbctl.yaml when present, else defaults.
    pub fn load(explicit: Option<&Path>) -> anyhow::Result<(Self, Option<PathBuf>)> {
        let path = match explicit {
            Some(p) => p.to_path_buf(),
            None => {
                let default = PathBuf::from(DEFAULT_CONFIG_FILE);
                if !default.exists() {
                    return Ok((Self::default(), None));
                }
                default
            }
        };
        let text = read_config(&path).with_context(|| "reading the configuration")?;
        Ok((Self::parse(&text, &path)?, Some(path)))
    }
}

/// The largest configuration file read: a kbctl.yaml is a few kilobytes.
pub const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// A config file's text: a regular file (not a FIFO, a device or a folder, which could be read
/// forever), at most [`MAX_CONFIG_BYTES`], UTF-8.
fn read_config(path: &Path) -> Result<String, UserError> {
    use std::io::Read;
    let fail = |why: String| UserError::Invalid(format!("{}: {why}", path.display()));
    let meta = std::fs::metadata(path).map_err(|err| fail(err.to_string()))?;
    if !meta.is_file() {
        let kind = if meta.is_dir() {
            "a directory"
        } else {
            "not a regular file (a device, FIFO or socket)"
        };
        return Err(fail(format!("{kind}: give the path of a kbctl.yaml file")));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(MAX_CONFIG_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|err| fail(err.to_string()))?;
    if bytes.len() as u64 > MAX_CONFIG_BYTES {
        return Err(fail(format!(
            "larger than {} KiB: not a kbctl configuration",
            MAX_CONFIG_BYTES / 1024
        )));
    }
    String::from_utf8(bytes).map_err(|err| {
        fail(format!(
            "not UTF-8 text (invalid byte at offset {})",
            err.utf8_error().valid_up_to()
        ))
    })
}

/// Settings resolved from flags, environment, config file and defaults, in that order.
#[derive(Debug, Clone)]
pub struct Settings {
    pub config: Config,
    pub config_path: Option<PathBuf>,
    pub home: PathBuf,
    pub index: PathBuf,
    /// The model named by flag, environment or config; `None` means "the default, or the index's own".
    pub embedder: Option<String>,
    pub threads: usize,
    pub quiet: bool,
    pub profile: Profile,
    /// Where query vectors are cached across runs (`kbctl eval` and `tune`); `None`: no cache.
    pub vector_cache: Option<PathBuf>,
}

impl Settings {
    pub fn resolve(global: &GlobalArgs) -> anyhow::Result<Self> {
        let (config, config_path) = Config::load(global.config.as_deref())?;
        let home = global
            .home
            .clone()
            .or_else(|| config.home.clone())
            .unwrap_or_else(default_home);
        let index = global
            .index
            .clone()
            .or_else(|| config.index.clone())
            .unwrap_or_else(|| PathBuf::from(DEFAULT_INDEX_DIR));
        let embedder = global.embedder.clone().or_else(|| config.embedder.clone());
        let threads = global.threads.or(config.threads).unwrap_or_else(|| {
            std::thread::available_parallelism().map_or(1, |n| n.get().min(MAX_THREADS))
        });
        let profile = match &global.profile {
            Some(name) => Profile::parse(name).ok_or_else(|| {
                UserError::Invalid(format!("--profile {name}: use accurate or fast"))
            })?,
            None => config.profile.unwrap_or_default(),
        };
        if let Some(n) = global.threads {
            check_flag("--threads", "threads", n as f64)?;
        }
        Ok(Self {
            config,
            config_path,
            home,
            index,
            embedder,
            threads,
            quiet: global.quiet,
            profile,
            vector_cache: None,
        })
    }
}

impl Settings {
    /// The further encoders this run uses besides the primary one: none in the `fast`
    /// profile, else the configured views (default: multilingual-e5-small).
    pub fn view_names(&self) -> Vec<String> {
        match self.profile {
            Profile::Fast => Vec::new(),
            Profile::Accurate => self
                .config
                .views
                .clone()
                .unwrap_or_else(|| vec![crate::embed::SECOND_VIEW.to_string()]),
        }
    }

    /// The model to build an index with: the one named, else the default.
    pub fn embedder_name(&self) -> &str {
        self.embedder
            .as_deref()
            .unwrap_or(crate::embed::DEFAULT_MODEL)
    }
}

/// `$XDG_CACHE_HOME/kbctl`, else `~/.cache/kbctl`: where `scripts/setup` puts things by default.
pub fn default_home() -> PathBuf {
    if let Some(xdg) = std::env::var_os("XDG_CACHE_HOME").filter(|v| !v.is_empty()) {
        return PathBuf::from(xdg).join("kbctl");
    }
    let home = std::env::var_os("HOME").map_or_else(|| PathBuf::from("."), PathBuf::from);
    home.join(".cache").join("kbctl")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_file_gives_defaults() {
        let c = Config::parse("{}", Path::new("k.yaml")).unwrap();
        assert_eq!(c, Config::default());
    }

    #[test]
    fn unknown_key_is_named() {
        let err = Config::parse("retrieval:\n  fuson: rrf\n", Path::new("k.yaml")).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("fuson") && msg.contains("k.yaml"), "{msg}");
    }

    #[test]
    fn out_of_range_value_is_named() {
        let err = Config::parse("retrieval:\n  vector_weight: 1.5\n", Path::new("k.yaml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("retrieval.vector_weight"), "{err}");
    }

    #[test]
    fn policy_values_are_checked_by_name() {
        let err = Config::parse(
            "policy:\n  categories:\n    billing:\n      auto_threshold: 2\n",
            Path::new("k.yaml"),
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("policy.categories.billing.auto_threshold"),
            "{err}"
        );
        let err = Config::parse(
            "policy:\n  auto_threshold: 0.3\n  draft_threshold: 0.5\n",
            Path::new("k.yaml"),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("policy.draft_threshold"), "{err}");
        let err = Config::parse("policy:\n  calibraton: {}\n", Path::new("k.yaml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("calibraton"), "{err}");
    }

    fn refused(text: &str) -> String {
        Config::parse(text, Path::new("kbctl.yaml"))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn values_above_a_range_are_refused_with_key_value_and_range() {
        assert_eq!(
            refused("retrieval:\n  candidates: 1000000000000\n"),
            "kbctl.yaml: retrieval.candidates = 1000000000000 is out of range 1..=10000"
        );
        assert_eq!(
            refused("threads: 100000\n"),
            "kbctl.yaml: threads = 100000 is out of range 1..=256"
        );
        assert_eq!(
            refused(
                "costs:\n  tickets_per_month: 1\n  cost_per_human_ticket: 1\n  implementation_cost: 1\n  horizon_months: 100000\n"
            ),
            "kbctl.yaml: costs.horizon_months = 100000 is out of range 1..=600"
        );
        assert!(
            refused("ingest:\n  chunk_chars: 10000000\n")
                .contains("ingest.chunk_chars = 10000000 is out of range 200..=100000")
        );
        assert!(refused("ingest:\n  batch_size: 100000\n").contains("ingest.batch_size"));
        assert!(
            refused("policy:\n  calibration:\n    margin: 1e9\n")
                .contains("policy.calibration.margin = 1e9 is out of range -1000..=1000")
        );
    }

    #[test]
    fn negative_values_are_refused() {
        let costs = |key: &str| {
            let mut text = String::from("costs:\n");
            for (k, v) in [
                ("tickets_per_month", "1000"),
                ("cost_per_human_ticket", "100"),
                ("implementation_cost", "1000"),
            ] {
                if k != key {
                    text.push_str(&format!("  {k}: {v}\n"));
                }
            }
            text + &format!("  {key}: -5\n")
        };
        for key in [
            "tickets_per_month",
            "cost_per_human_ticket",
            "cost_per_wrong_answer",
            "implementation_cost",
            "monthly_running_cost",
        ] {
            let err = refused(&costs(key));
            assert!(
                err.contains(&format!("costs.{key} = -5 is out of range 0..=1e")),
                "{err}"
            );
        }
        assert_eq!(
            refused("gates:\n  tolerance: -0.1\n"),
            "kbctl.yaml: gates.tolerance = -0.1 is out of range 0..=1e15"
        );
        assert!(
            refused("gates:\n  tolerances:\n    accuracy: -1\n")
                .contains("gates.tolerances.accuracy = -1")
        );
        assert!(
            refused("policy:\n  calibration:\n    intent: -1\n")
                .contains("policy.calibration.intent = -1 is out of range 0..=100")
        );
        // A negative whole number does not even parse; the message still gives the range.
        let err = refused("threads: -2\n");
        assert!(err.contains("threads") && err.contains("1..=256"), "{err}");
    }

    #[test]
    fn nan_and_infinity_are_refused() {
        for (text, key) in [
            (
                "policy:\n  auto_threshold: .nan\n",
                "policy.auto_threshold = NaN",
            ),
            ("retrieval:\n  rrf_k: .inf\n", "retrieval.rrf_k = inf"),
            (
                "gates:\n  min:\n    accuracy: .nan\n",
                "gates.min.accuracy = NaN",
            ),
            ("gates:\n  tolerance: .nan\n", "gates.tolerance = NaN"),
            (
                "policy:\n  calibration:\n    intercept: -.inf\n",
                "policy.calibration.intercept = -inf",
            ),
            (
                "policy:\n  categories:\n    billing:\n      draft_threshold: .nan\n",
                "policy.categories.billing.draft_threshold = NaN",
            ),
            (
                "costs:\n  tickets_per_month: .nan\n  cost_per_human_ticket: 1\n  implementation_cost: 1\n",
                "costs.tickets_per_month = NaN",
            ),
        ] {
            let err = refused(text);
            assert!(
                err.contains(key) && err.contains("out of range"),
                "{text}: {err}"
            );
        }
    }

    #[test]
    fn a_gate_is_bounded_by_its_metric_and_its_name_is_checked_on_load() {
        let err = refused("gates:\n  min:\n    accuracy: 95\n");
        assert!(
            err.contains("gates.min.accuracy = 95 is out of range 0..=1"),
            "{err}"
        );
        assert!(
            Config::parse(
                "gates:\n  max:\n    frt_median_after_s: 3600\n",
                Path::new("k.yaml")
            )
            .is_ok()
        );
        let err = refused("gates:\n  min:\n    contaiment: 0.5\n");
        assert!(
            err.contains(
                "gates.min.contaiment: unknown metric `contaiment`, did you mean `containment`?"
            ),
            "{err}"
        );
        let err = refused("gates:\n  tolerances:\n    acuracy: 0.01\n");
        assert!(err.contains("did you mean `accuracy`?"), "{err}");
    }

    #[test]
    fn an_unknown_key_suggests_the_closest_one() {
        let err = refused("retrieval:\n  fuson: rrf\n");
        assert!(
            err.contains("unknown field `fuson`, did you mean `fusion`?"),
            "{err}"
        );
        let err = refused("polcy:\n  auto_threshold: 0.9\n");
        assert!(err.contains("did you mean `policy`?"), "{err}");
        let err = refused("retrieval:\n  fusion: rff\n");
        assert!(err.contains("did you mean `rrf`?"), "{err}");
    }

    #[test]
    fn a_config_that_is_not_a_regular_file_is_refused_without_reading_it() {
        let err = Config::load(Some(Path::new("/dev/zero"))).unwrap_err();
        let msg = format!("{err:#}");
        assert!(msg.contains("/dev/zero: not a regular file"), "{msg}");
        assert!(crate::error::is_user_error(&err));
        let dir = tempfile::tempdir().unwrap();
        let msg = format!("{:#}", Config::load(Some(dir.path())).unwrap_err());
        assert!(msg.contains("a directory"), "{msg}");
    }

    #[test]
    fn a_config_larger_than_the_cap_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kbctl.yaml");
        let line = "# padding padding padding padding padding padding padding padding\n";
        std::fs::write(
            &path,
            line.repeat(MAX_CONFIG_BYTES as usize / line.len() + 1),
        )
        .unwrap();
        let msg = format!("{:#}", Config::load(Some(&path)).unwrap_err());
        assert!(msg.contains("larger than 1024 KiB"), "{msg}");
    }

    #[test]
    fn deeply_nested_config_is_refused_before_parsing() {
        let block = "policy:\n  triggers:\n    ".to_string() + &"- ".repeat(100_000) + "x\n";
        let flow = "policy: ".to_string() + &"[".repeat(100_000);
        for text in [block, flow] {
            let err = refused(&text);
            assert!(err.contains("nested more than 64 levels"), "{err}");
        }
    }

    #[test]
    fn fusion_parses_lowercase() {
        let c = Config::parse("retrieval:\n  fusion: rrf\n", Path::new("k.yaml")).unwrap();
        assert_eq!(c.retrieval.fusion, Fusion::Rrf);
    }
}
