//! `kbctl eval`: replay history through the pipeline, measure, gate, and write the results, the JUnit file and the audit rows.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use polars::prelude::*;
use serde::Serialize;

use crate::cli::{EvalArgs, ReplayArgs, TableFormat};
use crate::config::Settings;
use crate::error::UserError;
use crate::eval::judge::{self, Judged};
use crate::eval::replay::{self, ReplayMap};
use crate::eval::{self, Results, gates};
use crate::metric::{Metric, Unit};
use crate::pipeline::{Task, stream};
use crate::progress::Progress;

/// Where a replay caches query vectors: the folder named, else `vector-cache` under the
/// set-up home; none when asked.
fn vector_cache(
    settings: &Settings,
    named: Option<&std::path::PathBuf>,
    off: bool,
) -> Option<std::path::PathBuf> {
    if off {
        return None;
    }
    Some(
        named
            .cloned()
            .unwrap_or_else(|| settings.home.join("vector-cache")),
    )
}

/// A replay run through the pipeline.
pub struct Replayed {
    pub judged: Vec<Judged>,
    pub issues: Vec<String>,
    /// Rows left out, issues by kind, epoch numbers by unit, and the zone of naive times.
    pub skipped: usize,
    pub issue_counts: std::collections::BTreeMap<String, usize>,
    pub epoch_units: std::collections::BTreeMap<String, usize>,
    /// How each file was read (vendor, delimiter, encoding).
    pub read_as: std::collections::BTreeMap<String, String>,
    pub timezone: String,
    pub gap_vectors: Vec<(usize, Vec<f32>)>,
    pub wall_s: f64,
    pub files: Vec<String>,
}

/// Read the replay files and decide every ticket, in order, with the configured workers.
pub fn replay(settings: &Settings, args: &ReplayArgs) -> anyhow::Result<Replayed> {
    let settings = &Settings {
        vector_cache: vector_cache(settings, args.vector_cache.as_ref(), args.no_vector_cache),
        ..settings.clone()
    };
    let zone = crate::eval::times::Zone::parse(&args.timezone).map_err(UserError::Invalid)?;
    let map = match &args.map {
        Some(spec) => ReplayMap::parse(spec)?,
        None => ReplayMap::default(),
    }
    .with_zone(zone)
    .with_reading(args.source, args.delimiter, args.encoding);
    let checked = replay::read_all(&args.files, &map, settings.config.input.max_record_bytes)?;
    if !settings.quiet {
        for (file, how) in &checked.read_as {
            eprintln!("kbctl: {file}: read as {how}");
        }
    }
    let mut issues = Vec::with_capacity(checked.issues.len());
    for issue in &checked.issues {
        eprintln!("kbctl: bad replay row: {issue}");
        issues.push(issue.to_string());
    }
    let tickets = checked.tickets;
    if tickets.is_empty() {
        return Err(UserError::Invalid("the replay has no readable tickets".into()).into());
    }
    let (first, pool) = super::Workers::start(settings, Task::Classify)?;
    let make = || pool.make();
    let classifier = pool.has_classifier();
    let policy = &settings.config.policy;
    let bar = Progress::new(settings.quiet).bar(tickets.len() as u64, "replaying");
    let started = std::time::Instant::now();
    let records = tickets.iter().map(|t| Ok(t.ticket.clone()));
    let mut judged = Vec::with_capacity(tickets.len());
    let mut gap_vectors = Vec::new();
    stream::run(
        Box::new(records),
        first,
        settings.threads.max(1) - 1,
        &make,
        false,
        |item| {
            let outcome = item.map_err(|issue| anyhow::anyhow!("{issue}"))?;
            let j = judge::judge(&tickets[judged.len()], &outcome, policy, classifier);
            if j.kb_gap() {
                gap_vectors.push((judged.len(), outcome.query_vector));
            }
            judged.push(j);
            bar.inc(1);
            Ok(())
        },
    )?;
    bar.finish_and_clear();
    Ok(Replayed {
        judged,
        issues,
        skipped: checked.skipped,
        issue_counts: checked.counts,
        epoch_units: checked.epoch_units,
        read_as: checked.read_as,
        timezone: zone.to_string(),
        gap_vectors,
        wall_s: started.elapsed().as_secs_f64(),
        files: args.files.iter().map(|f| f.display().to_string()).collect(),
    })
}

pub fn run(settings: &Settings, args: &EvalArgs) -> anyhow::Result<ExitCode> {
    // Check what can be checked before the replay runs.
    let config = &settings.config.gates;
    let mut min: Vec<(String, f64)> = config.min.iter().map(|(k, v)| (k.clone(), *v)).collect();
    let mut max: Vec<(String, f64)> = config.max.iter().map(|(k, v)| (k.clone(), *v)).collect();
    if let Some(spec) = &args.fail_under {
        min.extend(gates::parse_bounds(spec, "--fail-under")?);
    }
    if let Some(spec) = &args.fail_over {
        max.extend(gates::parse_bounds(spec, "--fail-over")?);
    }
    let baseline = args
        .baseline
        .as_deref()
        .map(eval::read_results)
        .transpose()?;
    let audit = args
        .tickets_out
        .as_deref()
        .map(AuditFormat::of)
        .transpose()?;
    let mut tolerances = config.clone();
    if let Some(t) = args.tolerance {
        crate::config::check_flag("--tolerance", "gates.tolerance", t)?;
        tolerances.tolerance = t;
    }

    let replayed = replay(settings, &args.replay)?;
    let mut results = eval::measure(
        &replayed.judged,
        eval::Inputs {
            files: replayed.files,
            issues: replayed.issues,
            skipped: replayed.skipped,
            issue_counts: replayed.issue_counts,
            epoch_units: replayed.epoch_units,
            read_as: replayed.read_as,
            timezone: replayed.timezone,
            policy: &settings.config.policy,
            costs: settings.config.costs.as_ref(),
            wall_s: replayed.wall_s,
            gap_vectors: replayed.gap_vectors,
        },
    )?;
    results.gates = gates::check(&results.metrics, &min, &max)?;
    if let Some(base) = &baseline {
        results.baseline = gates::compare(&results.metrics, &base.metrics, &tolerances);
    }

    if let Some(path) = &args.output {
        super::write_file(path, serde_json::to_string_pretty(&results)? + "\n")?;
    }
    if let Some(path) = &args.junit {
        super::write_file(path, gates::junit(&results.gates, &results.baseline))?;
    }
    if let (Some(path), Some(format)) = (&args.tickets_out, audit) {
        write_tickets(path, format, &replayed.judged)?;
    }
    if let Some(path) = &args.errors {
        let mut lines = String::new();
        for row in eval::classes::errors(&replayed.judged) {
            lines.push_str(&serde_json::to_string(&row)?);
            lines.push('\n');
        }
        super::write_file(path, lines)?;
    }
    let mut out = std::io::stdout().lock();
    write_summary(&results, args.format, &mut out)?;
    out.flush()?;

    let failed_gates = results.gates.iter().filter(|g| !g.passed).count();
    let regressions = results.baseline.iter().filter(|c| c.regressed).count();
    if !settings.quiet {
        if results.replay.skipped > 0 {
            eprintln!(
                "kbctl: {} replay rows could not be read and were left out (listed above)",
                results.replay.skipped
            );
        }
        let kept =
            results.replay.issues.len() - results.replay.skipped.min(results.replay.issues.len());
        if kept > 0 {
            eprintln!(
                "kbctl: {kept} replay rows kept with a first-response time left out (listed above)"
            );
        }
        if failed_gates + regressions > 0 {
            eprintln!("kbctl: {failed_gates} gate(s) failed, {regressions} metric(s) regressed");
        }
    }
    Ok(crate::exit::outcome(
        failed_gates + regressions > 0,
        results.replay.skipped > 0,
    ))
}

/// One metric row of the stdout summary.
#[derive(Debug, Serialize)]
struct MetricRow {
    metric: String,
    value: Option<f64>,
    ci_low: Option<f64>,
    ci_high: Option<f64>,
    gate: Option<String>,
    baseline: Option<f64>,
    regressed: Option<bool>,
}

fn write_summary(
    results: &Results,
    format: TableFormat,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    if format == TableFormat::Json {
        serde_json::to_writer_pretty(&mut *out, results)?;
        writeln!(out)?;
        return Ok(());
    }
    let rows: Vec<MetricRow> = Metric::ALL
        .into_iter()
        .map(|metric| (metric.id().to_string(), results.metrics.value(metric)))
        .map(|(metric, value)| {
            let ci = results.intervals.get(&metric);
            let gate = results
                .gates
                .iter()
                .filter(|g| g.metric == metric)
                .map(|g| {
                    format!(
                        "{} {} {}",
                        if g.passed { "ok" } else { "FAIL" },
                        g.op,
                        g.threshold
                    )
                })
                .collect::<Vec<_>>();
            let base = results.baseline.iter().find(|c| c.metric == metric);
            MetricRow {
                value,
                ci_low: ci.map(|c| c[0]),
                ci_high: ci.map(|c| c[1]),
                gate: (!gate.is_empty()).then(|| gate.join("; ")),
                baseline: base.and_then(|c| c.baseline),
                regressed: base.map(|c| c.regressed),
                metric,
            }
        })
        .collect();
    let show = |metric: Metric, v: Option<f64>| match (metric.unit(), v) {
        (_, None) => "-".to_string(),
        (Unit::Seconds, Some(v)) => crate::output::duration(v),
        (Unit::Tickets | Unit::Money | Unit::Months, Some(v)) => format!("{v:.0}"),
        (Unit::Share | Unit::Ratio, Some(v)) => format!("{v:.3}"),
    };
    let cells: Vec<Vec<String>> = rows
        .iter()
        .zip(Metric::ALL)
        .map(|(r, metric)| {
            vec![
                r.metric.clone(),
                show(metric, r.value),
                match (r.ci_low, r.ci_high) {
                    (Some(lo), Some(hi)) => format!("{lo:.3}-{hi:.3}"),
                    _ => String::new(),
                },
                r.gate.clone().unwrap_or_default(),
                match r.regressed {
                    Some(true) => format!("REGRESSED from {}", show(metric, r.baseline)),
                    Some(false) => format!("was {}", show(metric, r.baseline)),
                    None => String::new(),
                },
            ]
        })
        .collect();
    // How the replay was read: the zone of naive times, epoch units, and issues by kind.
    let mut rows = rows;
    let mut cells = cells;
    let mut info = |metric: String, value: Option<f64>, text: String| {
        cells.push(vec![
            metric.clone(),
            text,
            String::new(),
            String::new(),
            String::new(),
        ]);
        rows.push(MetricRow {
            metric,
            value,
            ci_low: None,
            ci_high: None,
            gate: None,
            baseline: None,
            regressed: None,
        });
    };
    let replay = &results.replay;
    info("replay.timezone".into(), None, replay.timezone.clone());
    info(
        "replay.skipped".into(),
        Some(replay.skipped as f64),
        replay.skipped.to_string(),
    );
    for (unit, n) in &replay.epoch_units {
        info(
            format!("replay.epoch_{unit}"),
            Some(*n as f64),
            n.to_string(),
        );
    }
    for (kind, n) in &replay.issue_counts {
        info(
            format!("replay.issues.{kind}"),
            Some(*n as f64),
            n.to_string(),
        );
    }
    crate::output::Table {
        header: vec!["metric", "value", "95% CI", "gate", "baseline"],
        rows: cells,
        records: &rows,
    }
    .write(format, out)
}

/// Formats of the per-ticket audit file, by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AuditFormat {
    Csv,
    Parquet,
    Jsonl,
}

impl AuditFormat {
    fn of(path: &Path) -> Result<Self, UserError> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("csv") => Ok(Self::Csv),
            Some("parquet") => Ok(Self::Parquet),
            Some("jsonl" | "ndjson") => Ok(Self::Jsonl),
            _ => Err(UserError::Invalid(format!(
                "{}: --tickets-out must end in .csv, .parquet or .jsonl",
                path.display()
            ))),
        }
    }
}

/// The per-ticket audit file, through polars: lists stay lists in JSONL and Parquet and are
/// joined with `;` in CSV, which has no lists; `created_at` is a UTC datetime.
fn write_tickets(path: &Path, format: AuditFormat, judged: &[Judged]) -> anyhow::Result<()> {
    let text = |f: &dyn Fn(&Judged) -> Option<String>| -> Vec<Option<String>> {
        judged.iter().map(f).collect()
    };
    let list = |name: &str, f: &dyn Fn(&Judged) -> &[String]| -> PolarsResult<Column> {
        if format == AuditFormat::Csv {
            return Ok(Column::new(
                name.into(),
                judged.iter().map(|t| f(t).join(";")).collect::<Vec<_>>(),
            ));
        }
        let rows: Vec<Series> = judged
            .iter()
            .map(|t| Series::new("".into(), f(t)))
            .collect();
        Ok(Series::new(name.into(), rows).into_column())
    };
    let decision = |d: crate::decision::Decision| format!("{d:?}").to_lowercase();
    let created = Series::new(
        "created_at".into(),
        judged
            .iter()
            .map(|t| t.created.map(|s| (s * 1000.0).round() as i64))
            .collect::<Vec<_>>(),
    )
    .cast(&DataType::Datetime(
        TimeUnit::Milliseconds,
        Some(polars::prelude::TimeZone::UTC),
    ))?;
    let mut df = df!(
        "id" => text(&|t| Some(t.id.clone())),
        "decision" => text(&|t| Some(decision(t.decision))),
        "verdict" => text(&|t| t.verdict.map(|v| v.as_str().to_string())),
        "confidence" => judged.iter().map(|t| t.confidence).collect::<Vec<_>>(),
        "floor" => text(&|t| Some(decision(t.floor))),
        "correct" => judged.iter().map(|t| t.correct).collect::<Vec<_>>(),
        "should_escalate" => judged.iter().map(|t| t.should_escalate).collect::<Vec<_>>(),
        "category" => text(&|t| t.category.clone()),
        "language" => text(&|t| Some(t.language.clone())),
        "channel" => text(&|t| t.channel.clone()),
        "agent" => text(&|t| t.agent.clone()),
        "intent" => text(&|t| t.intent.clone()),
        "gold_intent" => text(&|t| t.gold_intent.clone()),
        "top_doc" => text(&|t| t.top_doc.clone()),
        "gold_rank" => judged.iter().map(|t| t.gold_rank().map(|r| r as u32)).collect::<Vec<_>>(),
        "top_score" => judged.iter().map(|t| t.features.top_score).collect::<Vec<_>>(),
        "margin" => judged.iter().map(|t| t.features.margin).collect::<Vec<_>>(),
        "agreement" => judged.iter().map(|t| t.features.agreement).collect::<Vec<_>>(),
        "views_agree" => judged.iter().map(|t| t.features.views_agree).collect::<Vec<_>>(),
        "coverage" => judged.iter().map(|t| t.features.coverage).collect::<Vec<_>>(),
        "human_frt_s" => judged.iter().map(|t| t.human_frt_s).collect::<Vec<_>>(),
        "elapsed_ms" => judged.iter().map(|t| t.elapsed_ms).collect::<Vec<_>>(),
        "text" => text(&|t| Some(t.text.clone())),
    )?;
    // Typed columns df! cannot take, each put after the column it belongs beside.
    df.insert_column(1, created.into_column())?;
    for (after, column) in [
        ("top_doc", list("gold_docs", &|t| &t.gold_docs)?),
        ("gold_rank", list("reasons", &|t| &t.reasons)?),
    ] {
        let at = df.get_column_index(after).map_or(df.width(), |i| i + 1);
        df.insert_column(at, column)?;
    }
    let origin = path.display();
    let file = std::fs::File::create(path)
        .map_err(|err| UserError::Invalid(format!("{origin}: cannot write: {err}")))?;
    match format {
        AuditFormat::Parquet => {
            ParquetWriter::new(file).finish(&mut df)?;
        }
        AuditFormat::Jsonl => {
            JsonWriter::new(file)
                .with_json_format(JsonFormat::JsonLines)
                .finish(&mut df)?;
        }
        AuditFormat::Csv => CsvWriter::new(file).include_header(true).finish(&mut df)?,
    }
    Ok(())
}
