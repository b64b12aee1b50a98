//! Decision-engine benchmark: tickets per second on 1 and 2 workers, p50 and p99 latency per
//! ticket, the cold start of `echo ... | kbctl answer` on an ingested index, and peak memory.
//!
//! Run: `cargo bench --bench answer` (after `scripts/setup`). Prints one table.
// A benchmark's table is its output.
#![allow(clippy::print_stdout)]

mod common;
use common::{Profile, info, load_all, peak_rss_mb, profiles};

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use kbctl::config::{Config, default_home};
use kbctl::index::{IngestOptions, Retriever, Store, ingest};
use kbctl::pipeline::{Pipeline, Renderer, Task, stream};
use kbctl::progress::Progress;
use kbctl::tickets::{ColumnMap, InputFormat, Record};

const TICKETS: usize = 2000;

fn main() -> anyhow::Result<()> {
    let home = std::env::var_os("KBCTL_HOME").map_or_else(default_home, PathBuf::from);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let work = tempfile::tempdir()?;
    let spec = kbctl::embed::resolve(kbctl::embed::DEFAULT_MODEL, &home)?;

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

    let mut rows = Vec::new();
    for profile in profiles(&home) {
        rows.push(measure(&profile, &spec, &home, root, work.path(), &input)?);
    }

    println!(
        "| metric | {} |",
        rows.iter()
            .map(|r| r.profile)
            .collect::<Vec<_>>()
            .join(" | ")
    );
    println!("|---|{}", "---:|".repeat(rows.len()));
    let line = |name: &str, f: &dyn Fn(&Row) -> String| {
        println!(
            "| {name} | {} |",
            rows.iter().map(f).collect::<Vec<_>>().join(" | ")
        );
    };
    line("tickets (fixture tickets and queries, ru/pl/en)", &|_| {
        TICKETS.to_string()
    });
    line("tickets/s, 1 worker", &|r| format!("{:.0}", r.rates[0]));
    line("tickets/s, 2 workers", &|r| format!("{:.0}", r.rates[1]));
    line("latency p50 per ticket, ms", &|r| format!("{:.2}", r.p50));
    line("latency p99 per ticket, ms", &|r| format!("{:.2}", r.p99));
    line(
        "cold start `echo … | kbctl answer`, median of 5, ms",
        &|r| format!("{:.0}", r.cold_ms),
    );
    line("peak RSS of `echo … | kbctl answer`, MB", &|r| {
        format!("{:.0}", r.cold_rss_mb)
    });
    println!(
        "\npeak RSS of this benchmark (all profiles, 2 workers loaded): {:.0} MB",
        peak_rss_mb()
    );
    Ok(())
}

struct Row {
    profile: &'static str,
    rates: Vec<f64>,
    p50: f64,
    p99: f64,
    cold_ms: f64,
    cold_rss_mb: f64,
}

fn measure(
    profile: &Profile,
    spec: &kbctl::embed::ModelSpec,
    home: &Path,
    root: &Path,
    work: &Path,
    input: &str,
) -> anyhow::Result<Row> {
    let index = work.join(format!("index-{}", profile.name));
    let store = Store::new(&index);
    let options = IngestOptions {
        rebuild: true,
        examples: Vec::new(),
        chunk_chars: 1200,
        batch_size: 1,
        history: None,
        reply_similarity: 0.6,
        max_doc_bytes: 20_000_000,
    };
    let extra: Vec<_> = profile.views.iter().map(info).collect();
    ingest(
        &store,
        &[root.join("fixtures/kb")],
        &info(spec),
        &extra,
        || load_all(std::iter::once(spec).chain(&profile.views), home, 2),
        &options,
        &Progress::hidden(),
    )?;

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
    let open = || -> anyhow::Result<Retriever> {
        Retriever::open(
            &store,
            kbctl::embed::load(spec, None, home, 1)?,
            load_all(&profile.views, home, 1)?,
        )
    };
    let first = || -> anyhow::Result<Pipeline> { pipeline_for(open()?) };
    let shared = std::sync::Mutex::new(open()?.share());
    let extra = || -> anyhow::Result<Pipeline> {
        let shared = shared
            .lock()
            .map_err(|_| anyhow::anyhow!("poisoned"))?
            .clone();
        pipeline_for(shared.retriever(
            kbctl::embed::load(spec, None, home, 1)?,
            load_all(&profile.views, home, 1)?,
        )?)
    };

    // Latency per ticket, one worker, in process.
    let mut pipeline = first()?;
    let map = ColumnMap::default();
    let records: Vec<Record> = kbctl::tickets::read(
        Box::new(std::io::Cursor::new(input.to_string())),
        InputFormat::Jsonl,
        "bench",
        &map,
        kbctl::config::InputConfig::default().max_record_bytes,
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
            Box::new(std::io::Cursor::new(input.to_string())),
            InputFormat::Jsonl,
            "bench",
            &map,
            kbctl::config::InputConfig::default().max_record_bytes,
        );
        let t = Instant::now();
        let (n, _) = stream::run(records, first, workers - 1, &extra, false, |_| Ok(()))?;
        rates.push(n as f64 / t.elapsed().as_secs_f64());
    }

    // Cold start of the real binary: process start, index and model load, one ticket, and its
    // peak memory (VmHWM, polled until it exits: the peak is reached once the models are loaded).
    let bin = env!("CARGO_BIN_EXE_kbctl");
    let mut colds = Vec::new();
    let mut rss = 0.0f64;
    for _ in 0..5 {
        let t = Instant::now();
        let mut child = Command::new(bin)
            .args([
                "--index",
                index.to_str().unwrap_or_default(),
                "--profile",
                profile.name,
                "answer",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        if let Some(mut stdin) = child.stdin.take() {
            use std::io::Write;
            stdin.write_all("Где мой заказ?\n".as_bytes())?;
        }
        let status = loop {
            rss = rss.max(common::process_peak_rss_mb(child.id()));
            if let Some(status) = child.try_wait()? {
                break status;
            }
            std::thread::sleep(std::time::Duration::from_millis(2));
        };
        anyhow::ensure!(status.success(), "kbctl answer failed");
        colds.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    colds.sort_by(f64::total_cmp);
    Ok(Row {
        profile: profile.name,
        rates,
        p50: pct(0.5),
        p99: pct(0.99),
        cold_ms: colds[colds.len() / 2],
        cold_rss_mb: rss,
    })
}
