//! Command-line surface: clap types only; validation and work happen in `cmd/` and the domain modules.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// kbctl: an AI first line for support teams, over your own knowledge base.
#[derive(Debug, Parser)]
#[command(name = "kbctl", version, about, propagate_version = true)]
#[command(after_help = "Examples:\n  \
    kbctl ingest fixtures/kb\n  \
    kbctl search \"Где мой заказ?\" --explain\n  \
    kbctl doctor\n\n\
    Exit codes: 0 success; 1 a gate, baseline comparison or doctor check failed;\n\
    2 usage, configuration, input or internal error; 3 some input records were skipped.")]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every subcommand understands.
#[derive(Debug, Args, Clone, Default)]
pub struct GlobalArgs {
    /// Configuration file (default: ./kbctl.yaml when it exists).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Where set-up put ONNX Runtime and the models.
    #[arg(long, global = true, env = "KBCTL_HOME", value_name = "DIR")]
    pub home: Option<PathBuf>,
    /// Index directory (default: `index` from the config, else ./.kbctl/index).
    #[arg(long, global = true, env = "KBCTL_INDEX", value_name = "DIR")]
    pub index: Option<PathBuf>,
    /// Embedding model: `use-multilingual-v3` (default), `all-minilm-l6-v2`, a model folder, or `fastembed:NAME`.
    #[arg(long, global = true, env = "KBCTL_EMBEDDER", value_name = "MODEL")]
    pub embedder: Option<String>,
    /// `accurate` (default): BM25 and every encoder; `fast`: BM25 and the primary encoder only.
    #[arg(long, global = true, env = "KBCTL_PROFILE", value_name = "PROFILE", value_parser = ["accurate", "fast"])]
    pub profile: Option<String>,
    /// Threads for embedding and search (default: the configured value, else all cores).
    #[arg(long, global = true, value_name = "N")]
    pub threads: Option<usize>,
    /// No progress bars and no summary on stderr; errors are still printed.
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read documents into the on-disk index (incremental, atomic).
    Ingest(IngestArgs),
    /// Hybrid search over the index: BM25 and vectors, fused.
    Search(SearchArgs),
    /// Decide tickets: answer automatically, draft for an agent, or escalate, with reasons.
    Answer(TicketArgs),
    /// Route tickets: intent, sentiment, priority, language, entities and escalation flags, no reply.
    Classify(TicketArgs),
    /// Write a commented default kbctl.yaml.
    Init(InitArgs),
    /// Check the set-up: runtime, models, index and configuration.
    Doctor(DoctorArgs),
    /// Replay historical tickets: containment, accuracy, escalation, FRT, ROI; gates for CI.
    Eval(EvalArgs),
    /// Sweep the thresholds on history and choose the operating point.
    Tune(TuneArgs),
    /// A manager's report (HTML with charts, or Markdown) from eval results.
    Report(ReportArgs),
    /// Shell completions on stdout, e.g. `kbctl completions bash > ~/.local/share/bash-completion/completions/kbctl`.
    Completions(CompletionsArgs),
    /// The manual page (roff) on stdout, or one page per subcommand with `--dir`.
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write kbctl.1 and kbctl-SUBCOMMAND.1 into this folder instead of printing kbctl.1.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// `kbctl eval`
#[derive(Debug, Args)]
#[command(
    after_help = "Replay files: JSONL, CSV or Parquet with id; text (or subject and body, or\n\
messages); created_at, first_response_at, resolved_at; agent, channel, language; category, intent,\n\
gold_docs, should_escalate; agent_reply. See eval_sets/README.md.\n\n\
Exit codes: 0 all gates passed, 1 a gate or a baseline comparison failed, 2 error.\n\n\
Examples:\n  kbctl eval eval_sets/northwind-replay.jsonl -o results.json\n  \
kbctl eval zendesk-export.csv intercom-conversations.json -o results.json\n  \
kbctl eval usedesk.csv --source usedesk --delimiter ';' --encoding cp1251\n  \
kbctl eval history.csv --map text=Description,agent=Assignee --fail-under accuracy=0.95,containment=0.4\n  \
kbctl eval history.parquet --baseline main.json --junit eval.xml --tickets-out audit.csv"
)]
pub struct EvalArgs {
    #[command(flatten)]
    pub replay: ReplayArgs,
    /// Lower bounds that must hold, e.g. accuracy=0.95,containment=0.6 (adds to `gates.min`).
    #[arg(long, value_name = "METRIC=VALUE,...")]
    pub fail_under: Option<String>,
    /// Upper bounds that must hold, e.g. wrong_rate=0.01 (adds to `gates.max`).
    #[arg(long, value_name = "METRIC=VALUE,...")]
    pub fail_over: Option<String>,
    /// A previous results file: fail when a metric is worse by more than its tolerance.
    #[arg(long, value_name = "RESULTS.json")]
    pub baseline: Option<PathBuf>,
    /// Baseline tolerance for every metric (overrides `gates.tolerance`).
    #[arg(long, value_name = "X")]
    pub tolerance: Option<f64>,
    /// Write a JUnit XML file with one test case per gate.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Write the results file (JSON) here.
    #[arg(short, long, value_name = "RESULTS.json")]
    pub output: Option<PathBuf>,
    /// Write one row per ticket (decision, verdict, reasons) for audit: .csv, .parquet or .jsonl.
    #[arg(long, value_name = "FILE")]
    pub tickets_out: Option<PathBuf>,
    /// Write the misjudged tickets (wrong or needless decisions, wrong intents; text masked)
    /// here, one JSON object per line.
    #[arg(long, value_name = "FILE")]
    pub errors: Option<PathBuf>,
    /// Output on stdout: a table of the metrics, or the results as JSON; jsonl/csv give metric rows.
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
}

/// What `kbctl eval` and `kbctl tune` replay, and how the files are read.
#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// Replay files (.jsonl, .csv, .parquet), or helpdesk exports (Zendesk, Freshdesk and
    /// Usedesk CSV; Zendesk, Intercom and Help Scout JSON).
    #[arg(required = true, value_name = "REPLAY")]
    pub files: Vec<PathBuf>,
    /// Columns for replay fields, e.g. text=Description,agent=Assignee,created_at="Created time".
    #[arg(long, value_name = "FIELD=COLUMN,...")]
    pub map: Option<String>,
    /// Zone for times without an offset: UTC, an offset (+03:00) or an IANA name (Europe/Warsaw).
    #[arg(long, value_name = "ZONE", default_value = "UTC")]
    pub timezone: String,
    /// Whose export the files are: auto (sniffed from the CSV header row or the JSON top-level
    /// keys), zendesk, zendesk-json, freshdesk, intercom, helpscout, usedesk or generic.
    #[arg(long, value_enum, default_value_t = crate::eval::exports::Source::Auto)]
    pub source: crate::eval::exports::Source,
    /// CSV delimiter: `,`, `;`, `|` or `tab` (default: the one the header row has most of).
    #[arg(long, value_name = "DELIMITER", value_parser = crate::eval::sniff::parse_delimiter)]
    pub delimiter: Option<u8>,
    /// CSV encoding (default: a BOM's, else UTF-8 when valid, else cp1251 or cp1250).
    #[arg(long, value_enum)]
    pub encoding: Option<crate::eval::sniff::Encoding>,
    /// Cache query vectors here across runs (default: `vector-cache` under the set-up home):
    /// replaying the same history again costs no model call.
    #[arg(long, value_name = "DIR", env = "KBCTL_VECTOR_CACHE")]
    pub vector_cache: Option<PathBuf>,
    /// Embed every ticket anew, reading and writing no vector cache.
    #[arg(long, conflicts_with = "vector_cache")]
    pub no_vector_cache: bool,
}

/// `kbctl tune`
#[derive(Debug, Args)]
#[command(
    after_help = "Writes policy.auto_threshold, policy.draft_threshold, the per-category\n\
thresholds and policy.calibration into the config file (--config, else ./kbctl.yaml), keeping the\n\
rest of the file as it is.\n\n\
Examples:\n  kbctl tune eval_sets/northwind-replay.jsonl --target-precision 0.95 --dry-run\n  \
kbctl tune history.csv --max-wrong-rate 0.01 --per-category"
)]
pub struct TuneArgs {
    #[command(flatten)]
    pub replay: ReplayArgs,
    /// Accuracy the automatic answers must reach.
    #[arg(long, value_name = "P", conflicts_with = "max_wrong_rate")]
    pub target_precision: Option<f64>,
    /// Largest share of wrong automatic answers among all tickets.
    #[arg(long, value_name = "R")]
    pub max_wrong_rate: Option<f64>,
    /// Also choose a threshold per category (categories with enough labelled tickets).
    #[arg(long)]
    pub per_category: bool,
    /// Folds of the cross-validated estimate of the chosen point.
    #[arg(long, default_value_t = 5, value_name = "K")]
    pub folds: usize,
    /// Keep the calibration as configured instead of refitting it.
    #[arg(long)]
    pub keep_calibration: bool,
    /// Print the choice without writing the config file.
    #[arg(long)]
    pub dry_run: bool,
    /// The curve and the choice on stdout.
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
}

/// `kbctl report`
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  kbctl report results.json -o report.html\n  \
kbctl report results.json --baseline main.json --format md > comment.md"
)]
pub struct ReportArgs {
    /// A results file written by `kbctl eval -o`.
    #[arg(value_name = "RESULTS.json")]
    pub results: PathBuf,
    /// Results to compare with: every figure shows its change.
    #[arg(long, value_name = "RESULTS.json")]
    pub baseline: Option<PathBuf>,
    /// Where to write (default: stdout).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// html (one self-contained file) or md (for a pull request or a chat).
    #[arg(long, value_enum, default_value_t = ReportFormat::Html)]
    pub format: ReportFormat,
    /// A template folder overriding the built-in `report.html.j2` / `report.md.j2`.
    #[arg(long, value_name = "DIR")]
    pub template: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Html,
    Md,
}

/// `kbctl answer` and `kbctl classify`
#[derive(Debug, Args)]
#[command(
    after_help = "Input: files or stdin. JSONL (id; text, or subject and body; customer; channel;\n\
created_at; messages), CSV with a header (--map id=\"Ticket ID\",text=Body), or text, one ticket per line.\n\
On stdin a line starting with `{` is JSON, any other line a plain-text ticket.\n\n\
Examples:\n  echo \"Где мой заказ?\" | kbctl answer\n  kbctl answer tickets.jsonl > decisions.jsonl\n  \
kbctl classify export.csv --map id=\"Ticket ID\",subject=Subject,body=Description --format csv\n  \
tail -f tickets.jsonl | kbctl answer"
)]
pub struct TicketArgs {
    /// Ticket files (default: stdin).
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Input format (default: from the file extension; `auto` on stdin).
    #[arg(long, value_enum)]
    pub input_format: Option<crate::tickets::InputFormat>,
    /// CSV columns for ticket fields: id, text, subject, body, name, email, plan, channel, created_at.
    #[arg(long, value_name = "FIELD=COLUMN,...")]
    pub map: Option<String>,
    /// Stop at the first malformed record instead of reporting it and going on.
    #[arg(long)]
    pub fail_fast: bool,
    /// Output format (default: jsonl when stdout is not a terminal, a table when it is).
    #[arg(long, value_enum)]
    pub format: Option<TableFormat>,
}

/// `kbctl init`
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to write (default: ./kbctl.yaml).
    #[arg(default_value = "kbctl.yaml")]
    pub path: PathBuf,
    /// Overwrite an existing file.
    #[arg(long)]
    pub force: bool,
}

/// `kbctl ingest`
#[derive(Debug, Args)]
#[command(
    after_help = "Formats: Markdown with YAML front matter (.md), plain text (.txt), HTML (.html, .htm),\n\
FAQ tables (.csv, .jsonl, .yaml/.yml with id, questions, answer, category, language).\n\
The paths given are the whole knowledge base: documents no longer under them are removed.\n\n\
Examples:\n  kbctl ingest fixtures/kb\n  kbctl ingest docs/ faq.csv --rebuild"
)]
pub struct IngestArgs {
    /// Files or directories to read (directories are walked recursively).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Re-read and re-embed everything, even unchanged documents or a different embedder.
    #[arg(long)]
    pub rebuild: bool,
    /// Labelled historical tickets (JSONL or CSV: text, intent, category) for the intent
    /// classifier; repeatable. Without it the previous classifier is kept.
    #[arg(long, value_name = "FILE")]
    pub examples: Vec<PathBuf>,
    /// Resolved tickets (a replay file, or agents' corrections: text with `gold_docs`, the
    /// document the agent answered from) to add as views of those documents; repeatable.
    /// Replaces the history the index holds; without it that history is kept (`--rebuild`
    /// starts without).
    #[arg(long, value_name = "FILE")]
    pub history: Vec<PathBuf>,
    /// Summary format on stdout.
    #[arg(long, value_enum, default_value_t = SummaryFormat::Table)]
    pub format: SummaryFormat,
}

/// `kbctl search`
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  kbctl search \"how do I reset my password\"\n  \
    kbctl search --mode bm25 --format json \"faktura za luty\"\n  \
    cat questions.txt | kbctl search --format jsonl\n  \
    kbctl search --eval fixtures/queries.jsonl"
)]
pub struct SearchArgs {
    /// The query; without it, queries are read from stdin, one per line.
    #[arg(value_name = "QUERY")]
    pub query: Option<String>,
    /// Number of documents to return.
    #[arg(short = 'k', long, default_value_t = 5)]
    pub top: usize,
    /// Which retriever(s) to use.
    #[arg(long, value_enum)]
    pub mode: Option<SearchMode>,
    /// How BM25 and vector rankings are fused in hybrid mode.
    #[arg(long, value_enum)]
    pub fusion: Option<FusionArg>,
    /// Show the BM25, vector and fused score of each hit.
    #[arg(long)]
    pub explain: bool,
    /// Output format (default: table on a terminal, jsonl otherwise).
    #[arg(long, value_enum)]
    pub format: Option<TableFormat>,
    /// Evaluate retrieval on a labelled query file (JSONL: query, doc, language, cross_lingual)
    /// and print recall@1, recall@5 and MRR per mode and language.
    #[arg(long, value_name = "FILE", conflicts_with = "query")]
    pub eval: Option<PathBuf>,
}

/// `kbctl doctor`
#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = SummaryFormat::Table)]
    pub format: SummaryFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SearchMode {
    Hybrid,
    Bm25,
    Vector,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FusionArg {
    /// Reciprocal-rank fusion.
    Rrf,
    /// Linear combination of the cosine and the BM25 fraction of an ideal match.
    Linear,
    /// Every encoder's z-scores averaged, plus the weighted BM25 fraction (the default).
    Zscore,
}

/// Formats for tabular output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    Table,
    Json,
    Jsonl,
    Csv,
}

/// Formats for one summary record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SummaryFormat {
    Table,
    Json,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn search_eval_conflicts_with_a_query() {
        let parsed = Cli::try_parse_from(["kbctl", "search", "hello", "--eval", "q.jsonl"]);
        assert!(parsed.is_err());
    }
}
