//! `kbctl ingest`: read documents into the index and print what changed.

use std::io::Write;
use std::process::ExitCode;

use crate::cli::{IngestArgs, SummaryFormat};
use crate::config::Settings;
use crate::embed;
use crate::index::store::EmbedderInfo;
use crate::index::{self, IngestOptions, Store};
use crate::progress::Progress;

pub fn run(settings: &Settings, args: &IngestArgs) -> anyhow::Result<ExitCode> {
    let spec = embed::resolve(settings.embedder_name(), &settings.home)?;
    let info = EmbedderInfo {
        id: spec.id(),
        dim: spec.dim(),
    };
    let views = super::ingest_view_specs(settings, &info.id);
    let view_infos: Vec<EmbedderInfo> = views
        .iter()
        .map(|v| EmbedderInfo {
            id: v.id(),
            dim: v.dim(),
        })
        .collect();
    let store = Store::new(&settings.index);
    let (history, mut history_issues) =
        read_history(&args.history, settings.config.input.max_record_bytes)?;
    let options = IngestOptions {
        rebuild: args.rebuild,
        examples: args.examples.clone(),
        chunk_chars: settings.config.ingest.chunk_chars,
        batch_size: settings.config.ingest.batch_size,
        history,
        reply_similarity: settings.config.ingest.reply_similarity,
        max_doc_bytes: settings.config.ingest.max_doc_bytes,
    };
    let load = || {
        std::iter::once(&spec)
            .chain(&views)
            .map(|s| {
                embed::load(
                    s,
                    settings.config.onnxruntime.as_deref(),
                    &settings.home,
                    settings.threads,
                )
            })
            .collect::<anyhow::Result<Vec<_>>>()
    };
    let mut summary = index::ingest(
        &store,
        &args.paths,
        &info,
        &view_infos,
        load,
        &options,
        &Progress::new(settings.quiet),
    )?;
    summary.issues.append(&mut history_issues);

    for issue in &summary.issues {
        eprintln!("kbctl: skipped: {issue}");
    }
    let mut out = std::io::stdout().lock();
    match args.format {
        SummaryFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &summary)?;
            writeln!(out)?;
        }
        SummaryFormat::Table => {
            writeln!(
                out,
                "ingested {} documents into {} (generation {}): {} added, {} updated, {} removed, {} unchanged{}; {} chunks, {} vectors embedded, {} reused; {:.2}s",
                summary.documents,
                summary.index.display(),
                summary.generation,
                summary.added,
                summary.updated,
                summary.removed,
                summary.skipped,
                if summary.kept > 0 {
                    format!(", {} kept from unreadable files", summary.kept)
                } else {
                    String::new()
                },
                summary.chunks,
                summary.vectors_embedded,
                summary.vectors_reused,
                summary.seconds
            )?;
            if summary.exemplars + summary.exemplars_dropped + summary.replies_unmatched > 0 {
                let mut notes = Vec::new();
                if summary.replies_matched > 0 {
                    notes.push(format!(
                        "{} matched by the agent's reply",
                        summary.replies_matched
                    ));
                }
                if summary.exemplars_dropped > 0 {
                    notes.push(format!(
                        "{} left out: their document is not in the knowledge base",
                        summary.exemplars_dropped
                    ));
                }
                if summary.replies_unmatched > 0 {
                    notes.push(format!(
                        "{} left out: no gold_docs and a reply close to no document",
                        summary.replies_unmatched
                    ));
                }
                writeln!(
                    out,
                    "history: {} resolved tickets as views of their documents{}",
                    summary.exemplars,
                    if notes.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", notes.join("; "))
                    }
                )?;
            }
            if summary.intents > 0 {
                writeln!(
                    out,
                    "intent classifier: {} intents from {} examples",
                    summary.intents, summary.examples
                )?;
            }
            if !summary.issues.is_empty() {
                writeln!(
                    out,
                    "{} input problems (listed on stderr)",
                    summary.issues.len()
                )?;
            }
        }
    }
    out.flush()?;
    Ok(crate::exit::outcome(false, !summary.issues.is_empty()))
}

/// Resolved tickets from replay files: each ticket's customer text (redacted) with every
/// document an agent answered it from, or else the agent's reply. `None` when no file is given
/// (the index keeps its own).
fn read_history(
    paths: &[std::path::PathBuf],
    cap: u64,
) -> anyhow::Result<(
    Option<Vec<index::HistoryTicket>>,
    Vec<crate::error::InputIssue>,
)> {
    if paths.is_empty() {
        return Ok((None, Vec::new()));
    }
    let map = crate::eval::replay::ReplayMap::default();
    let (mut exemplars, mut issues) = (Vec::new(), Vec::new());
    for path in paths {
        for record in crate::eval::replay::read(path, &map, cap)? {
            match record {
                Ok(r) => exemplars.push(index::HistoryTicket {
                    text: crate::pipeline::pii::redact_all(&r.ticket.query_text()),
                    docs: r.gold_docs,
                    reply: r.agent_reply,
                }),
                Err(issue) => issues.push(issue),
            }
        }
    }
    Ok((Some(exemplars), issues))
}
