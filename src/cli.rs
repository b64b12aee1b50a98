//! Command-line surface: clap types only; validation and work happen in `cmd/` and the domain modules.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// kbctl: an AI first line for support teams, over your own knowledge base.
#[derive(Debug, Parser)]
#[command(name = "kbctl", version, about, propagate_version = true)]
#[command(after_help = "Examples:\n  \
    kbctl ingest fixtures/kb\n  \
    kbctl search \"Где мой заказ?\" --explain\n  \
    kbctl doctor")]
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
    /// Linear combination of max-normalised scores.
    Linear,
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
