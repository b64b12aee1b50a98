//! `kbctl answer` and `kbctl classify`: stream tickets through the decision engine, one output line per input record.

use std::io::{BufRead, BufReader, IsTerminal, Write};
use std::process::ExitCode;

use serde::Serialize;

use crate::cli::{TableFormat, TicketArgs};
use crate::config::Settings;
use crate::error::{InputIssue, UserError};
use crate::output::ellipsize;
use crate::pipeline::{self, Outcome, Task};
use crate::tickets::{self, ColumnMap, InputFormat};

pub fn run(settings: &Settings, args: &TicketArgs, task: Task) -> anyhow::Result<ExitCode> {
    let map = match &args.map {
        Some(spec) => ColumnMap::parse(spec)?,
        None => ColumnMap::default(),
    };
    let format = args.format.unwrap_or(if std::io::stdout().is_terminal() {
        TableFormat::Table
    } else {
        TableFormat::Jsonl
    });
    let workers = settings.threads.max(1);
    // One worker starts now; the others start (and load their model session) only when the
    // input has a second ticket, sharing this worker's index data.
    let (first, pool) = super::Workers::start(settings, task)?;
    let make = || pool.make();

    let inputs: Vec<(String, InputFormat, Box<dyn BufRead + Send>)> = if args.files.is_empty() {
        if std::io::stdin().is_terminal() {
            return Err(
                UserError::Invalid("give ticket FILEs, or pipe tickets on stdin".into()).into(),
            );
        }
        vec![(
            "-".to_string(),
            args.input_format.unwrap_or(InputFormat::Auto),
            Box::new(BufReader::new(std::io::stdin())),
        )]
    } else {
        let mut v: Vec<(String, InputFormat, Box<dyn BufRead + Send>)> = Vec::new();
        for path in &args.files {
            let file = std::fs::File::open(path)
                .map_err(|err| UserError::Invalid(format!("{}: {err}", path.display())))?;
            v.push((
                path.display().to_string(),
                args.input_format
                    .unwrap_or_else(|| InputFormat::from_extension(path)),
                Box::new(BufReader::new(file)),
            ));
        }
        v
    };
    let cap = settings.config.input.max_record_bytes;
    let origins: Vec<String> = inputs.iter().map(|(o, ..)| o.clone()).collect();
    let records = inputs
        .into_iter()
        .zip(origins.iter())
        .flat_map(|((_, fmt, reader), origin)| {
            tickets::read(reader, fmt, origin.as_str(), &map, cap)
        });

    let mut out = std::io::stdout().lock();
    let mut written = 0usize;
    match format {
        TableFormat::Csv => writeln!(out, "{}", CSV_HEADER.join(","))?,
        TableFormat::Table => writeln!(out, "{}", table_line(&CSV_HEADER.map(String::from)))?,
        _ => {}
    }
    let (total, bad) = pipeline::stream::run(
        Box::new(records),
        first,
        workers - 1,
        &make,
        args.fail_fast,
        |item| {
            if let Err(issue) = &item {
                eprintln!("kbctl: bad ticket: {issue}");
            }
            match format {
                TableFormat::Jsonl => {
                    write_record(&mut out, &item)?;
                    writeln!(out)?;
                    out.flush()?;
                }
                // One JSON array: elements are written as they come, the brackets frame them.
                TableFormat::Json => {
                    out.write_all(if written == 0 { b"[\n" } else { b",\n" })?;
                    write_record(&mut out, &item)?;
                    written += 1;
                }
                TableFormat::Csv => {
                    let mut w = csv::Writer::from_writer(&mut out);
                    w.write_record(row(&item))?;
                    w.flush()?;
                }
                // Row by row, so `tail -f tickets.jsonl | kbctl answer` shows each ticket as it is decided.
                TableFormat::Table => {
                    writeln!(out, "{}", table_line(&row(&item)))?;
                    out.flush()?;
                }
            }
            Ok(())
        },
    )?;
    if format == TableFormat::Json {
        out.write_all(if written == 0 { b"[]\n" } else { b"\n]\n" })?;
    }
    out.flush()?;
    if !settings.quiet && bad > 0 {
        eprintln!("kbctl: {bad} of {total} input records could not be read (reported in place)");
    }
    if args.fail_fast && bad > 0 {
        // The rest of the input was not read: the run cannot be judged (exit 2, not 3).
        return Err(crate::error::UserError::Invalid(
            "stopped at the first bad record (--fail-fast)".into(),
        )
        .into());
    }
    Ok(crate::exit::outcome(false, bad > 0))
}

fn write_record(out: &mut impl Write, item: &Result<Outcome, InputIssue>) -> anyhow::Result<()> {
    match item {
        Ok(outcome) => serde_json::to_writer(&mut *out, outcome)?,
        Err(issue) => serde_json::to_writer(&mut *out, &ErrorRecord::from(issue))?,
    }
    Ok(())
}

/// The output line for a record that could not be read.
#[derive(Debug, Serialize)]
struct ErrorRecord<'a> {
    error: &'a str,
    source: String,
    line: Option<usize>,
}

impl<'a> From<&'a InputIssue> for ErrorRecord<'a> {
    fn from(issue: &'a InputIssue) -> Self {
        Self {
            error: &issue.message,
            source: issue.path.display().to_string(),
            line: issue.line,
        }
    }
}

const CSV_HEADER: [&str; 9] = [
    "id",
    "decision",
    "confidence",
    "intent",
    "category",
    "language",
    "sentiment",
    "priority",
    "reasons",
];

/// Column widths of the streamed table (the last column takes the rest of the line).
const TABLE_WIDTHS: [usize; 9] = [14, 9, 10, 30, 12, 8, 15, 8, 0];

/// One table line with fixed column widths: rows are printed as they come, so the columns
/// cannot be sized on the whole output.
fn table_line(cells: &[String]) -> String {
    let mut line = String::new();
    for (cell, width) in cells.iter().zip(TABLE_WIDTHS) {
        if width == 0 {
            line.push_str(cell);
        } else {
            let cell = ellipsize(cell, width);
            line.push_str(&cell);
            line.push_str(&" ".repeat(width.saturating_sub(cell.chars().count()) + 2));
        }
    }
    line.trim_end().to_string()
}

fn row(item: &Result<Outcome, InputIssue>) -> Vec<String> {
    match item {
        Ok(o) => vec![
            o.id.clone(),
            format!("{:?}", o.decision).to_lowercase(),
            format!("{:.3}", o.confidence),
            o.intent.clone().unwrap_or_default(),
            o.category.clone().unwrap_or_default(),
            o.language.to_string(),
            format!("{:?} {:+.2}", o.sentiment.label, o.sentiment.score).to_lowercase(),
            format!("{:?}", o.priority).to_lowercase(),
            ellipsize(
                &o.escalation_reasons
                    .iter()
                    .map(|r| r.code.id())
                    .collect::<Vec<_>>()
                    .join(" "),
                60,
            ),
        ],
        Err(issue) => vec![
            format!("{}:{}", issue.path.display(), issue.line.unwrap_or(0)),
            "error".into(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            ellipsize(&issue.message, 60),
        ],
    }
}
