//! Retrieval benchmark: ingest rate, index size, search latency and throughput, peak memory,
//! on the fixtures and on a 4,514-document knowledge base made from the Bitext dataset.
//!
//! Run: `cargo bench --bench retrieval` (after `scripts/setup`). Prints one table.
// A benchmark's table is its output.
#![allow(clippy::print_stdout)]
// One row's worth of parameters.
#![allow(clippy::too_many_arguments)]

mod common;
use common::{Profile, info, load_all, peak_rss_mb, profiles};

use std::path::{Path, PathBuf};
use std::time::Instant;

use kbctl::config::{RetrievalConfig, default_home};
use kbctl::index::{IngestOptions, Mode, Retriever, SearchOptions, Store, ingest};
use kbctl::progress::Progress;

struct Row {
    kb: String,
    profile: &'static str,
    docs: usize,
    chunks: usize,
    ingest_s: f64,
    index_mb: f64,
    queries: usize,
    p50_ms: f64,
    p99_ms: f64,
    qps: f64,
}

fn main() -> anyhow::Result<()> {
    let home = std::env::var_os("KBCTL_HOME").map_or_else(default_home, PathBuf::from);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let spec = kbctl::embed::resolve(kbctl::embed::DEFAULT_MODEL, &home)?;
    let profiles = profiles(&home);
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let work = tempfile::tempdir()?;
    let mut rows = Vec::new();

    // 1. The fixtures, queried with the labelled questions.
    let queries: Vec<String> =
        std::fs::read_to_string(manifest_dir.join("fixtures/queries.jsonl"))?
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter_map(|v| v["query"].as_str().map(str::to_string))
            .collect();
    for profile in &profiles {
        rows.push(run(
            "fixtures/kb",
            &[manifest_dir.join("fixtures/kb")],
            &queries,
            &work.path().join(format!("fx-{}", profile.name)),
            &spec,
            profile,
            &home,
            threads,
        )?);
    }

    // 2. Bitext: every agent response as a document, 1,000 customer instructions as queries.
    let bitext = manifest_dir.join(
        "../shared/datasets/bitext_support/Bitext_Sample_Customer_Support_Training_Dataset.csv",
    );
    if bitext.is_file() {
        let kb_dir = work.path().join("bitext-kb");
        std::fs::create_dir_all(&kb_dir)?;
        let mut reader = csv::Reader::from_path(&bitext)?;
        let mut instructions = Vec::new();
        for (i, record) in reader
            .deserialize::<std::collections::HashMap<String, String>>()
            .enumerate()
        {
            let r = record?;
            let md = format!(
                "---\nid: bitext-{i}\ntitle: \"{}\"\ncategory: {}\nlanguage: en\n---\n{}\n",
                r["intent"].replace('"', "'"),
                r["category"].to_lowercase(),
                r["response"]
            );
            std::fs::write(kb_dir.join(format!("r{i:05}.md")), md)?;
            if i % 4 == 0 && instructions.len() < 1000 {
                instructions.push(r["instruction"].clone());
            }
        }
        for profile in &profiles {
            rows.push(run(
                "bitext responses",
                std::slice::from_ref(&kb_dir),
                &instructions,
                &work.path().join(format!("bt-{}", profile.name)),
                &spec,
                profile,
                &home,
                threads,
            )?);
        }
    } else {
        eprintln!(
            "skipping the Bitext knowledge base: {} not found",
            bitext.display()
        );
    }

    println!(
        "| knowledge base | profile | docs | chunks | ingest s | docs/s | chunks/s | index MB | queries | p50 ms | p99 ms | queries/s |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for r in &rows {
        println!(
            "| {} | {} | {} | {} | {:.2} | {:.0} | {:.0} | {:.1} | {} | {:.2} | {:.2} | {:.0} |",
            r.kb,
            r.profile,
            r.docs,
            r.chunks,
            r.ingest_s,
            r.docs as f64 / r.ingest_s,
            r.chunks as f64 / r.ingest_s,
            r.index_mb,
            r.queries,
            r.p50_ms,
            r.p99_ms,
            r.qps
        );
    }
    println!("\nthreads: {threads}; peak RSS: {:.0} MB", peak_rss_mb());
    Ok(())
}

fn run(
    name: &str,
    paths: &[PathBuf],
    queries: &[String],
    index_dir: &Path,
    spec: &kbctl::embed::ModelSpec,
    profile: &Profile,
    home: &Path,
    threads: usize,
) -> anyhow::Result<Row> {
    let store = Store::new(index_dir);
    let primary = info(spec);
    let extra: Vec<_> = profile.views.iter().map(info).collect();
    let options = IngestOptions {
        rebuild: true,
        examples: Vec::new(),
        chunk_chars: 1200,
        batch_size: 1,
        history: None,
        reply_similarity: 0.6,
        max_doc_bytes: 20_000_000,
    };
    let start = Instant::now();
    let summary = ingest(
        &store,
        paths,
        &primary,
        &extra,
        || load_all(std::iter::once(spec).chain(&profile.views), home, threads),
        &options,
        &Progress::hidden(),
    )?;
    let ingest_s = start.elapsed().as_secs_f64();

    let embedder = kbctl::embed::load(spec, None, home, 1)?;
    let mut retriever = Retriever::open(&store, embedder, load_all(&profile.views, home, 1)?)?;
    let search = SearchOptions {
        mode: Mode::Hybrid,
        retrieval: RetrievalConfig::default(),
        top: 5,
    };
    let mut latencies = Vec::with_capacity(queries.len());
    let all = Instant::now();
    for q in queries {
        let t = Instant::now();
        retriever.search(q, &search)?;
        latencies.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let total = all.elapsed().as_secs_f64();
    latencies.sort_by(f64::total_cmp);
    let pct = |p: f64| latencies[((latencies.len() as f64 - 1.0) * p).round() as usize];
    Ok(Row {
        kb: name.into(),
        profile: profile.name,
        docs: summary.documents,
        chunks: summary.chunks,
        ingest_s,
        index_mb: dir_size(index_dir) as f64 / 1e6,
        queries: queries.len(),
        p50_ms: pct(0.5),
        p99_ms: pct(0.99),
        qps: queries.len() as f64 / total,
    })
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| {
            let p = e.path();
            if p.is_dir() {
                dir_size(&p)
            } else {
                e.metadata().map_or(0, |m| m.len())
            }
        })
        .sum()
}
