//! Retrieval quality on labelled queries: recall@1, recall@5 and MRR per retriever and per language, aggregated with polars.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;

use anyhow::Context;
use polars::prelude::*;
use serde::{Deserialize, Serialize};

use crate::cli::TableFormat;
use crate::config::{Fusion, RetrievalConfig};
use crate::error::{InputIssue, UserError};
use crate::index::{Mode, Retriever, SearchOptions};
use crate::lang::{self, Lang};
use crate::output::Table;

/// Ranks beyond this count as "not found" (MRR contribution 0).
const DEPTH: usize = 10;

/// One labelled query.
#[derive(Debug, Clone, Deserialize)]
pub struct LabelledQuery {
    pub query: String,
    /// The document that answers it (or several, with `docs`).
    #[serde(default)]
    pub doc: Option<String>,
    #[serde(default)]
    pub docs: Vec<String>,
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub cross_lingual: bool,
}

/// The retrievers compared: each single one (`vector` is the primary encoder, `vector:ID`
/// each further one), and hybrid under each fusion (reciprocal-rank and linear fuse BM25 with
/// the primary encoder; z-score fusion takes every encoder).
pub fn systems(encoders: &[String]) -> Vec<(String, Mode, Option<Fusion>)> {
    let mut out = vec![
        ("bm25".to_string(), Mode::Bm25, None),
        ("vector".to_string(), Mode::Vector, None),
    ];
    for (i, id) in encoders.iter().enumerate().skip(1) {
        out.push((format!("vector:{id}"), Mode::Dense(i), None));
    }
    out.extend([
        ("hybrid-rrf".to_string(), Mode::Hybrid, Some(Fusion::Rrf)),
        (
            "hybrid-linear".to_string(),
            Mode::Hybrid,
            Some(Fusion::Linear),
        ),
        (
            "hybrid-zscore".to_string(),
            Mode::Hybrid,
            Some(Fusion::Zscore),
        ),
    ]);
    out
}

/// One aggregated row: a group of queries under one system.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MetricRow {
    pub group: String,
    pub system: String,
    pub queries: u32,
    pub recall_at_1: f64,
    pub recall_at_5: f64,
    pub mrr: f64,
}

#[derive(Debug, Serialize)]
pub struct RetrievalReport {
    pub queries: usize,
    pub rows: Vec<MetricRow>,
    /// The fusion the configuration uses for `kbctl search`.
    pub configured_fusion: Fusion,
    #[serde(skip)]
    pub issues: Vec<InputIssue>,
}

/// Read labelled queries; bad lines are reported by line number and skipped.
pub fn read_queries(path: &Path) -> anyhow::Result<(Vec<LabelledQuery>, Vec<InputIssue>)> {
    let file = std::fs::File::open(path)
        .map_err(|err| UserError::Invalid(format!("{}: {err}", path.display())))?;
    let mut queries = Vec::new();
    let mut issues = Vec::new();
    for (i, line) in BufReader::new(file).lines().enumerate() {
        let line = line.with_context(|| format!("reading {}", path.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<LabelledQuery>(&line) {
            Ok(q) if q.doc.is_some() || !q.docs.is_empty() => queries.push(q),
            Ok(_) => issues.push(InputIssue::new(
                path,
                Some(i + 1),
                "no `doc` (or `docs`) to judge against",
            )),
            Err(err) => issues.push(InputIssue::new(
                path,
                Some(i + 1),
                format!("invalid JSON: {err}"),
            )),
        }
    }
    Ok((queries, issues))
}

/// Run every labelled query through every system and aggregate.
pub fn evaluate(
    retriever: &mut Retriever,
    path: &Path,
    config: &RetrievalConfig,
) -> anyhow::Result<RetrievalReport> {
    let (queries, issues) = read_queries(path)?;
    if queries.is_empty() {
        return Err(UserError::Invalid(format!("{}: no labelled queries", path.display())).into());
    }
    let systems = systems(&retriever.encoder_ids());
    let mut system_col: Vec<String> = Vec::new();
    let mut lang_col = Vec::new();
    let mut cross_col = Vec::new();
    let mut rr_col = Vec::new();
    let mut hit1_col = Vec::new();
    let mut hit5_col = Vec::new();
    for q in &queries {
        let gold: Vec<&str> = q.doc.iter().chain(&q.docs).map(String::as_str).collect();
        let language = q
            .language
            .as_deref()
            .and_then(Lang::parse)
            .unwrap_or_else(|| lang::detect(&q.query));
        let candidates = retriever.candidates(&q.query, config.candidates)?;
        for (name, mode, fusion) in &systems {
            let (mode, fusion) = (*mode, *fusion);
            let options = SearchOptions {
                mode,
                retrieval: RetrievalConfig {
                    fusion: fusion.unwrap_or(config.fusion),
                    ..config.clone()
                },
                top: DEPTH,
            };
            let hits = retriever.rank(&candidates, &options);
            let rank = hits
                .iter()
                .position(|h| gold.contains(&h.doc_id.as_str()))
                .map(|p| p + 1);
            system_col.push(name.clone());
            lang_col.push(language.code());
            cross_col.push(q.cross_lingual);
            rr_col.push(rank.map_or(0.0, |r| 1.0 / r as f64));
            hit1_col.push(if rank == Some(1) { 1.0 } else { 0.0 });
            hit5_col.push(if rank.is_some_and(|r| r <= 5) {
                1.0
            } else {
                0.0
            });
        }
    }
    let frame = df!(
        "system" => system_col,
        "language" => lang_col,
        "cross_lingual" => cross_col,
        "rr" => rr_col,
        "hit1" => hit1_col,
        "hit5" => hit5_col,
    )?;
    let rows = aggregate(frame, &systems)?;
    Ok(RetrievalReport {
        queries: queries.len(),
        rows,
        configured_fusion: config.fusion,
        issues,
    })
}

/// Per-query results -> one row per (group, system), groups: all, each language, cross-lingual.
fn aggregate(
    frame: DataFrame,
    systems: &[(String, Mode, Option<Fusion>)],
) -> anyhow::Result<Vec<MetricRow>> {
    let metrics = || {
        [
            len().cast(DataType::UInt32).alias("queries"),
            col("hit1").mean().alias("recall_at_1"),
            col("hit5").mean().alias("recall_at_5"),
            col("rr").mean().alias("mrr"),
        ]
    };
    let all = frame
        .clone()
        .lazy()
        .group_by([col("system")])
        .agg(metrics())
        .with_column(lit("all").alias("group"));
    let by_language = frame
        .clone()
        .lazy()
        .group_by([col("system"), col("language")])
        .agg(metrics())
        .with_column(col("language").alias("group"))
        .drop(Selector::ByName {
            names: Arc::new(["language".into()]),
            strict: true,
        });
    let cross = frame
        .lazy()
        .filter(col("cross_lingual"))
        .group_by([col("system")])
        .agg(metrics())
        .with_column(lit("cross-lingual").alias("group"));
    let order = [
        "group",
        "system",
        "queries",
        "recall_at_1",
        "recall_at_5",
        "mrr",
    ]
    .map(col);
    let combined = concat(
        [
            all.select(order.clone()),
            by_language.select(order.clone()),
            cross.select(order),
        ],
        UnionArgs::default(),
    )?
    .collect()?;

    let group = combined.column("group")?.str()?;
    let system = combined.column("system")?.str()?;
    let queries = combined.column("queries")?.u32()?;
    let r1 = combined.column("recall_at_1")?.f64()?;
    let r5 = combined.column("recall_at_5")?.f64()?;
    let mrr = combined.column("mrr")?.f64()?;
    let mut rows: Vec<MetricRow> = (0..combined.height())
        .map(|i| MetricRow {
            group: group.get(i).unwrap_or_default().to_string(),
            system: system.get(i).unwrap_or_default().to_string(),
            queries: queries.get(i).unwrap_or(0),
            recall_at_1: r1.get(i).unwrap_or(0.0),
            recall_at_5: r5.get(i).unwrap_or(0.0),
            mrr: mrr.get(i).unwrap_or(0.0),
        })
        .collect();
    let group_order = |g: &str| {
        ["all", "en", "ru", "pl", "und", "cross-lingual"]
            .iter()
            .position(|x| *x == g)
            .unwrap_or(9)
    };
    let system_order = |s: &str| systems.iter().position(|(n, ..)| n == s).unwrap_or(99);
    rows.sort_by_key(|r| (group_order(&r.group), system_order(&r.system)));
    Ok(rows)
}

pub fn write_report(
    report: &RetrievalReport,
    format: TableFormat,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    if format == TableFormat::Json {
        serde_json::to_writer_pretty(&mut *out, report)?;
        writeln!(out)?;
        return Ok(());
    }
    let rows = report
        .rows
        .iter()
        .map(|r| {
            vec![
                r.group.clone(),
                r.system.clone(),
                r.queries.to_string(),
                format!("{:.3}", r.recall_at_1),
                format!("{:.3}", r.recall_at_5),
                format!("{:.3}", r.mrr),
            ]
        })
        .collect();
    Table {
        header: vec!["group", "system", "queries", "recall@1", "recall@5", "mrr"],
        rows,
        records: &report.rows,
    }
    .write(format, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aggregates_by_group_and_system() {
        let frame = df!(
            "system" => ["bm25", "bm25", "bm25", "vector", "vector", "vector"],
            "language" => ["en", "ru", "ru", "en", "ru", "ru"],
            "cross_lingual" => [false, true, false, false, true, false],
            "rr" => [1.0, 0.5, 0.0, 1.0, 1.0, 0.25],
            "hit1" => [1.0, 0.0, 0.0, 1.0, 1.0, 0.0],
            "hit5" => [1.0, 1.0, 0.0, 1.0, 1.0, 1.0],
        )
        .unwrap();
        let rows = aggregate(frame, &systems(&["use".to_string()])).unwrap();
        let find = |g: &str, s: &str| {
            rows.iter()
                .find(|r| r.group == g && r.system == s)
                .unwrap()
                .clone()
        };
        let all_bm25 = find("all", "bm25");
        assert_eq!(all_bm25.queries, 3);
        assert!((all_bm25.recall_at_1 - 1.0 / 3.0).abs() < 1e-9);
        assert!((all_bm25.mrr - 0.5).abs() < 1e-9);
        let ru_vec = find("ru", "vector");
        assert_eq!(ru_vec.queries, 2);
        assert!((ru_vec.mrr - 0.625).abs() < 1e-9);
        let cross = find("cross-lingual", "vector");
        assert_eq!((cross.queries, cross.recall_at_1), (1, 1.0));
        assert_eq!(rows[0].group, "all");
    }
}
