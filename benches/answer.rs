//! Decision-engine benchmark: tickets per second on 1 and 2 workers, p50 and p99 latency per
//! ticket, the cold start of `echo ... | kbctl answer` on an ingested index, and peak memory.
//!
//! Run: `cargo bench --bench answer` (after `scripts/setup`). Prints one table.
// A benchmark's table is its output.
#![allow(clippy::print_stdout)]

mod common;
use common::peak_rss_mb;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use kbctl::config::{Config, default_home};
use kbctl::index::store::EmbedderInfo;
use kbctl::index::{IngestOptions, Retriever, Store, ingest};
use kbctl::pipeline::{Pipeline, Renderer, Task, stream};
use kbctl::progress::Progress;
use kbctl::tickets::{ColumnMap, InputFormat, Record};

const TICKETS: usize = 2000;

fn main() -> anyhow::Result<()> {
    let home = std::env::var_os("KBCTL_HOME").map_or_else(default_home, PathBuf::from);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let work = tempfile::tempdir()?;
    let index = work.path().join("index");
    let spec = kbctl::embed::resolve(kbctl::embed::DEFAULT_MODEL, &home)?;
    let info = EmbedderInfo {
        id: spec.id(),
        dim: spec.dim(),
    };
    let store = Store::new(&index);
    let options = IngestOptions {
        rebuild: true,
        examples: Vec::new(),
        chunk_chars: 1200,
        batch_size: 1,
    };
    ingest(
        &store,
        &[root.join("fixtures/kb")],
        &info,
        || kbctl::embed::load(&spec, None, &home, 2),
        &options,
        &Progress::hidden(),
    )?;

    // Tickets: the fixture tickets and queries, repeated to TICKETS lines.
    let mut texts: Vec<String> = Vec::new();
    for file in ["fixtures/tickets/tickets.jsonl", "fixtures/queries.jsonl"] {
        if let Ok(text) = std::fs::read_to_string(root.join(file)) {
            for v in text
                .lines()
                .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            {
                if let Some(t) = v
                    .get("text")
                    .or(v.get("query"))
                    .or(v.get("body"))
                    .and_then(|t| t.as_str())
                {
                    texts.push(t.to_string());
                }
            }
        }
    }
    anyhow::ensure!(!texts.is_empty(), "no fixture tickets found");
    let input: String = (0..TICKETS)
        .map(|i| {
            serde_json::json!({"id": format!("B{i}"), "text": texts[i % texts.len()]}).to_string()
                + "\n"
        })
        .collect();

    let config = Config::default();
    let pipeline_for = |retriever: Retriever| -> anyhow::Result<Pipeline> {
        Ok(Pipeline::new(
            retriever,
            None,
            config.policy.clone(),
            config.retrieval.clone(),
            Renderer::new(None)?,
            Task::Answer,
        ))
    };
    let first = || -> anyhow::Result<Pipeline> {
        pipeline_for(Retriever::open(
            &store,
            kbctl::embed::load(&spec, None, &home, 1)?,
        )?)
    };
    let shared = std::sync::Mutex::new(
        Retriever::open(&store, kbctl::embed::load(&spec, None, &home, 1)?)?.share(),
    );
    let extra = || -> anyhow::Result<Pipeline> {
        let shared = shared
            .lock()
            .map_err(|_| anyhow::anyhow!("poisoned"))?
            .clone();
        pipeline_for(shared.retriever(kbctl::embed::load(&spec, None, &home, 1)?)?)
    };

    // Latency per ticket, one worker, in process.
    let mut pipeline = first()?;
    let map = ColumnMap::default();
    let records: Vec<Record> = kbctl::tickets::read(
        Box::new(std::io::Cursor::new(input.clone())),
        InputFormat::Jsonl,
        "bench",
        &map,
    )
    .collect();
    let mut latencies = Vec::new();
    for record in &records {
        let ticket = record.as_ref().map_err(|e| anyhow::anyhow!("{e}"))?;
        let t = Instant::now();
        pipeline.process(ticket)?;
        latencies.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    latencies.sort_by(f64::total_cmp);
    let pct = |p: f64| latencies[((latencies.len() as f64 - 1.0) * p).round() as usize];

    // Throughput through the streaming runner, 1 and 2 workers.
    let mut rates = Vec::new();
    for workers in [1, 2] {
        let first = first()?;
        let records = kbctl::tickets::read(
            Box::new(std::io::Cursor::new(input.clone())),
            InputFormat::Jsonl,
            "bench",
            &map,
        );
        let t = Instant::now();
        let (n, _) = stream::run(records, first, workers - 1, &extra, false, |_| Ok(()))?;
        rates.push((workers, n as f64 / t.elapsed().as_secs_f64()));
    }

    // Cold start of the real binary: process start, index and model load, one ticket.
    let bin = env!("CARGO_BIN_EXE_kbctl");
    let mut colds = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let mut child = Command::new(bin)
            .args(["--index", index.to_str().unwrap_or_default(), "answer"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        if let Some(mut stdin) = child.stdin.take() {
            use std::io::Write;
            stdin.write_all("Где мой заказ?\n".as_bytes())?;
        }
        anyhow::ensure!(child.wait()?.success(), "kbctl answer failed");
        colds.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    colds.sort_by(f64::total_cmp);

    println!("| metric | value |");
    println!("|---|---:|");
    println!("| tickets | {TICKETS} (fixture tickets and queries, ru/pl/en) |");
    for (w, rate) in &rates {
        println!("| tickets/s, {w} worker(s) | {rate:.0} |");
    }
    println!("| latency p50 per ticket, ms | {:.2} |", pct(0.5));
    println!("| latency p99 per ticket, ms | {:.2} |", pct(0.99));
    println!(
        "| cold start `echo … | kbctl answer`, median of 5, ms | {:.0} |",
        colds[colds.len() / 2]
    );
    println!(
        "| peak RSS of this benchmark (2 workers loaded), MB | {:.0} |",
        peak_rss_mb()
    );
    Ok(())
}
