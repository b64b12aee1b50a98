//! `kbctl search`: hybrid retrieval for one query or a stream of them, or a retrieval evaluation with `--eval`.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use serde::Serialize;

use crate::cli::{FusionArg, SearchArgs, SearchMode, TableFormat};
use crate::config::{Fusion, Settings};
use crate::error::UserError;
use crate::eval::retrieval;
use crate::index::{Hit, Mode, Retriever, SearchOptions};
use crate::output::{Table, ellipsize};

pub fn run(settings: &Settings, args: &SearchArgs) -> anyhow::Result<ExitCode> {
    let mut retriever = super::open_retriever(settings)?;
    let mut retrieval_config = settings.config.retrieval.clone();
    if let Some(fusion) = args.fusion {
        retrieval_config.fusion = match fusion {
            FusionArg::Rrf => Fusion::Rrf,
            FusionArg::Linear => Fusion::Linear,
            FusionArg::Zscore => Fusion::Zscore,
        };
    }
    let format = args.format.unwrap_or(if std::io::stdout().is_terminal() {
        TableFormat::Table
    } else {
        TableFormat::Jsonl
    });
    let mut out = std::io::stdout().lock();

    if let Some(path) = &args.eval {
        let report = retrieval::evaluate(&mut retriever, path, &retrieval_config)?;
        for issue in &report.issues {
            eprintln!("kbctl: skipped: {issue}");
        }
        retrieval::write_report(&report, format, &mut out)?;
        out.flush()?;
        return Ok(crate::exit::outcome(false, !report.issues.is_empty()));
    }

    let options = SearchOptions {
        mode: match args.mode.unwrap_or(SearchMode::Hybrid) {
            SearchMode::Hybrid => Mode::Hybrid,
            SearchMode::Bm25 => Mode::Bm25,
            SearchMode::Vector => Mode::Vector,
        },
        retrieval: retrieval_config,
        top: args.top.max(1),
    };
    let queries: Box<dyn Iterator<Item = std::io::Result<String>>> = match &args.query {
        Some(q) => Box::new(std::iter::once(Ok(q.clone()))),
        None => {
            if std::io::stdin().is_terminal() {
                return Err(UserError::Invalid(
                    "give a QUERY, or pipe queries on stdin (one per line)".into(),
                )
                .into());
            }
            Box::new(std::io::stdin().lock().lines())
        }
    };
    let mut results = Vec::new();
    for line in queries {
        let query = line?;
        if query.trim().is_empty() {
            continue;
        }
        let hits = retriever.search(&query, &options)?;
        let result = QueryResult {
            query: query.clone(),
            hits: hits
                .iter()
                .enumerate()
                .map(|(i, h)| record(&retriever, i + 1, h, args.explain))
                .collect(),
        };
        // JSON Lines stream: one line per query as soon as it is answered.
        if format == TableFormat::Jsonl {
            serde_json::to_writer(&mut out, &result)?;
            writeln!(out)?;
            out.flush()?;
        } else {
            results.push(result);
        }
    }
    match format {
        TableFormat::Jsonl => {}
        TableFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &results)?;
            writeln!(out)?;
        }
        TableFormat::Table | TableFormat::Csv => {
            write_table(&results, format, args.explain, &mut out)?
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, Serialize)]
struct QueryResult {
    query: String,
    hits: Vec<HitRecord>,
}

#[derive(Debug, Serialize)]
struct HitRecord {
    rank: usize,
    doc_id: String,
    title: String,
    section: String,
    language: String,
    category: Option<String>,
    never_automate: bool,
    source: String,
    score: f32,
    #[serde(skip_serializing_if = "Option::is_none")]
    explain: Option<Explain>,
    snippet: String,
}

#[derive(Debug, Serialize)]
struct Explain {
    bm25: Option<f32>,
    bm25_rank: Option<usize>,
    vector: Option<f32>,
    vector_rank: Option<usize>,
    fused: f32,
}

fn record(retriever: &Retriever, rank: usize, hit: &Hit, explain: bool) -> HitRecord {
    let chunk = retriever.chunk(hit.chunk_row);
    HitRecord {
        rank,
        doc_id: hit.doc_id.clone(),
        title: chunk.title.clone(),
        section: chunk.heading_path(),
        language: chunk.language.to_string(),
        category: chunk.category.clone(),
        never_automate: chunk.never_automate,
        source: chunk.source.clone(),
        score: hit.score,
        explain: explain.then_some(Explain {
            bm25: hit.bm25,
            bm25_rank: hit.bm25_rank,
            vector: hit.vector,
            vector_rank: hit.vector_rank,
            fused: hit.score,
        }),
        snippet: ellipsize(&chunk.plain_text(), 160),
    }
}

fn opt(v: Option<f32>) -> String {
    v.map_or_else(|| "-".into(), |s| format!("{s:.4}"))
}

fn write_table(
    results: &[QueryResult],
    format: TableFormat,
    explain: bool,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let mut header = vec!["query", "rank", "doc", "section", "lang", "score"];
    if explain {
        header.extend(["bm25", "bm25_rank", "vector", "vector_rank"]);
    }
    let mut rows = Vec::new();
    for r in results {
        for h in &r.hits {
            let mut row = vec![
                ellipsize(&r.query, 40),
                h.rank.to_string(),
                h.doc_id.clone(),
                ellipsize(&h.section, 50),
                h.language.clone(),
                format!("{:.4}", h.score),
            ];
            if let Some(e) = &h.explain {
                row.extend([
                    opt(e.bm25),
                    e.bm25_rank.map_or("-".into(), |r| r.to_string()),
                    opt(e.vector),
                    e.vector_rank.map_or("-".into(), |r| r.to_string()),
                ]);
            }
            rows.push(row);
        }
    }
    Table {
        header,
        rows,
        records: results,
    }
    .write(format, out)
}
