//! Replay input: historical tickets with their outcomes (JSONL line by line, CSV row by row through `csvrows`, Parquet through polars), mapped to one schema.
//!
//! The schema (every field but the text is optional):
//!
//! | field | meaning |
//! |---|---|
//! | `id` | ticket id |
//! | `text`, or `subject` + `body`, or `messages` | what the customer wrote |
//! | `channel`, `language`, `agent` | segments for the metrics |
//! | `created_at`, `first_response_at`, `resolved_at` | a time (see [`super::times`]; naive ones in `--timezone`) |
//! | `first_response_minutes`, `first_response_seconds`, `first_response_time` (`HH:MM:SS`) | first-response duration, used when `first_response_at` is absent |
//! | `category`, `intent` | the gold category and intent |
//! | `gold_docs` | knowledge-base documents that answer it (a list, or `;`-separated in CSV) |
//! | `should_escalate` | whether a person had to handle it |
//! | `agent_reply` | what the agent actually answered (for a conversation: else its first agent reply) |
//! | `tags` | labels: `kb-<id>` names a gold document, else the first is the category |
//!
//! Columns are found by these names or common helpdesk-export names (`Ticket ID`, `Created time`,
//! `Assignee`, ...), case-insensitively; `--map field=Column` overrides. A conversation is judged
//! on its first customer message (see [`super::conversation`]). CSV files are decoded and split
//! as they come ([`super::sniff`]), and vendor exports are read by the vendor's names
//! ([`super::exports`]).

use std::collections::HashMap;
use std::path::Path;

use polars::prelude::*;
use serde_json::{Map, Value};

use super::exports::Source;
use super::sanity;
use super::sniff::{self, Encoding};
use super::times::{self, DurationUnit, EpochUnit, TimeError, Zone};
use crate::error::{InputIssue, UserError};
use crate::lines::Line;
use crate::tickets::{self, Ticket};

/// One historical ticket: what the pipeline reads, and what it is judged against.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplayTicket {
    pub ticket: Ticket,
    pub language: Option<String>,
    pub agent: Option<String>,
    /// Seconds since the epoch.
    pub created: Option<f64>,
    pub first_response: Option<f64>,
    pub resolved: Option<f64>,
    pub category: Option<String>,
    pub intent: Option<String>,
    pub gold_docs: Vec<String>,
    pub should_escalate: Option<bool>,
    pub agent_reply: Option<String>,
    /// First-response time given as a duration, in seconds.
    pub first_response_after: Option<f64>,
    /// Where the row is: file and line.
    pub origin: String,
    pub line: usize,
    /// Epoch numbers among its times: how many read as seconds, how many as milliseconds.
    pub epoch_values: [usize; 2],
}

impl ReplayTicket {
    /// Historical first-response time in seconds: from the two timestamps when both are there
    /// (none when they are out of order), else from a first-response duration.
    pub fn human_frt_s(&self) -> Option<f64> {
        match (self.created, self.first_response) {
            (Some(c), Some(f)) => (f >= c).then_some(f - c),
            _ => self.first_response_after,
        }
    }
}

pub type ReplayRecord = Result<ReplayTicket, InputIssue>;

/// Schema fields, and for those a ticket export does not share, the column names they are
/// found by when not mapped (the shared ones use the ticket readers' names).
const FIELDS: &[(&str, &[&str])] = &[
    ("id", &[]),
    ("text", &[]),
    ("subject", &[]),
    ("body", &[]),
    ("messages", &["messages", "conversation"]),
    ("customer", &["customer"]),
    ("channel", &[]),
    ("language", &["language", "lang", "locale"]),
    ("agent", &["agent", "assignee", "owner", "responder"]),
    ("created_at", &["created time"]),
    (
        "first_response_at",
        &[
            "first_response_at",
            "first response at",
            "first responded time",
            "first_reply_at",
            "first reply at",
        ],
    ),
    (
        "first_response_minutes",
        &[
            "first_response_minutes",
            "first reply time in minutes",
            "first response time in minutes",
            "first_reply_time_in_minutes",
            "first reply time (minutes)",
        ],
    ),
    (
        "first_response_seconds",
        &[
            "first_response_seconds",
            "first reply time in seconds",
            "first response time in seconds",
            "first_reply_time_in_seconds",
        ],
    ),
    (
        "first_response_hours",
        &[
            "first_response_hours",
            "first response time (in hrs)",
            "first response time in hours",
        ],
    ),
    (
        "first_response_time",
        &[
            "first_response_time",
            "initial response time",
            "first response time",
            "first reply time",
        ],
    ),
    (
        "resolved_at",
        &[
            "resolved_at",
            "resolved at",
            "resolved time",
            "solved at",
            "closed at",
        ],
    ),
    ("category", &["category", "type", "topic", "group"]),
    ("intent", &["intent", "reason", "label"]),
    (
        "gold_docs",
        &["gold_docs", "gold_doc", "article", "articles", "kb article"],
    ),
    (
        "should_escalate",
        &["should_escalate", "escalate", "escalated", "needs_human"],
    ),
    (
        "agent_reply",
        &["agent_reply", "reply", "response", "agent response"],
    ),
    // Labels: `kb-<id>` tags are gold documents, else the first is the category (see exports).
    ("tags", &["tags"]),
];

/// `--map field=Column,...` for replay files, and how to read them (`--timezone`, `--source`,
/// `--delimiter`, `--encoding`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReplayMap {
    fields: HashMap<String, String>,
    /// The zone naive times are read in.
    zone: Zone,
    /// Whose export it is (auto: sniffed per file).
    source: Source,
    /// CSV delimiter and encoding when given (else sniffed).
    delimiter: Option<u8>,
    encoding: Option<Encoding>,
}

impl ReplayMap {
    pub fn parse(spec: &str) -> Result<Self, UserError> {
        let known: Vec<&str> = FIELDS.iter().map(|f| f.0).collect();
        Ok(Self {
            fields: tickets::parse_field_map(spec, &known)?,
            ..Self::default()
        })
    }

    /// Read files as `source`'s exports (auto: sniffed), CSV with this delimiter and encoding
    /// (none: sniffed).
    pub fn with_reading(
        self,
        source: Source,
        delimiter: Option<u8>,
        encoding: Option<Encoding>,
    ) -> Self {
        Self {
            source,
            delimiter,
            encoding,
            ..self
        }
    }

    pub fn source(&self) -> Source {
        self.source
    }

    /// The fields `--map` names, with their columns (or JSON keys).
    pub fn mapped(&self) -> impl Iterator<Item = (&str, &str)> {
        self.fields.iter().map(|(f, c)| (f.as_str(), c.as_str()))
    }

    /// Read naive times in `zone`.
    pub fn with_zone(self, zone: Zone) -> Self {
        Self { zone, ..self }
    }

    pub fn zone(&self) -> Zone {
        self.zone
    }

    /// Schema field -> column name, for the columns a file has.
    fn resolve(
        &self,
        columns: &[String],
        origin: &str,
    ) -> Result<Vec<(String, String)>, UserError> {
        let find = |name: &str| {
            columns
                .iter()
                .find(|c| c.trim().eq_ignore_ascii_case(name.trim()))
                .cloned()
        };
        let mut out = Vec::new();
        for &(field, names) in FIELDS {
            if let Some(column) = self.fields.get(field) {
                let found = find(column).ok_or_else(|| {
                    UserError::Invalid(format!(
                        "{origin}: --map {field}={column}: no such column (columns: {})",
                        columns.join(", ")
                    ))
                })?;
                out.push((field.to_string(), found));
            } else if let Some(found) = self
                .source
                .columns(field)
                .iter()
                .chain(tickets::header_aliases(field))
                .chain(names.iter())
                .find_map(|n| find(n))
            {
                out.push((field.to_string(), found));
            }
        }
        if !out
            .iter()
            .any(|(f, _)| matches!(f.as_str(), "text" | "body" | "subject" | "messages"))
        {
            return Err(UserError::Invalid(format!(
                "{origin}: no ticket text: name a column with --map text=COLUMN (columns: {})",
                columns.join(", ")
            )));
        }
        Ok(out)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Jsonl,
    Csv,
    Parquet,
}

impl Kind {
    fn of(path: &Path) -> Result<Self, UserError> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("jsonl" | "ndjson" | "json") => Ok(Kind::Jsonl),
            Some("csv") => Ok(Kind::Csv),
            Some("parquet" | "pq") => Ok(Kind::Parquet),
            _ => Err(UserError::Invalid(format!(
                "{}: unknown replay format: use .jsonl, .csv or .parquet",
                path.display()
            ))),
        }
    }
}

/// Read a replay file. File-level problems (missing, no text column) are errors; a bad row is a
/// located issue in its place, and the other rows are read. A record over `cap` bytes is one
/// such issue, never held in memory. JSONL and CSV are read record by record, so each line's
/// values keep their JSON types (a number where the text should be is refused, as `answer`
/// refuses it, not turned into text by a whole-file schema); Parquet through polars.
pub fn read(path: &Path, map: &ReplayMap, cap: u64) -> anyhow::Result<Vec<ReplayRecord>> {
    read_described(path, map, cap).map(|(rows, _)| rows)
}

/// [`read`], and how the file was read: "Zendesk CSV (delimiter `;`, encoding cp1251)",
/// "Intercom JSON", "JSON lines", "Parquet".
pub fn read_described(
    path: &Path,
    map: &ReplayMap,
    cap: u64,
) -> anyhow::Result<(Vec<ReplayRecord>, String)> {
    let origin = path.display().to_string();
    if !path.is_file() {
        return Err(UserError::Invalid(format!("{origin}: no such file")).into());
    }
    let kind = Kind::of(path)?;
    if kind == Kind::Csv {
        return read_csv_export(path, map, cap);
    }
    if kind == Kind::Jsonl
        && let Some((rows, source)) = super::exports::read_json(path, map, cap)?
    {
        return Ok((rows, source.label().to_string()));
    }
    if kind == Kind::Jsonl {
        return Ok((read_jsonl_lines(path, map, cap)?, "JSON lines".to_string()));
    }
    Ok((read_parquet(path, map)?, "Parquet".to_string()))
}

/// A CSV replay, row by row (see [`crate::csvrows`]): a row with too many or too few fields,
/// invalid UTF-8, an unterminated quote or over `cap` bytes is one issue at its physical line,
/// and the rows after it are read. Empty cells are missing values.
/// `origin` names the file in messages (`path` may be a decoded copy).
fn read_csv(
    path: &Path,
    origin: &str,
    map: &ReplayMap,
    cap: u64,
    delimiter: u8,
) -> anyhow::Result<Vec<ReplayRecord>> {
    let file =
        std::fs::File::open(path).map_err(|err| UserError::Invalid(format!("{origin}: {err}")))?;
    let reader = std::io::BufReader::new(file);
    let rows =
        crate::csvrows::CsvRows::open_delimited(reader, cap, delimiter).map_err(|issue| {
            UserError::Invalid(format!(
                "{origin}:{}: cannot read the CSV header: {}",
                issue.line, issue.message
            ))
        })?;
    let header = rows.header().to_vec();
    let mapping = map.resolve(&header, origin)?;
    let index: Vec<(String, usize)> = mapping
        .into_iter()
        .filter_map(|(field, column)| header.iter().position(|h| *h == column).map(|i| (field, i)))
        .collect();
    Ok(rows
        .map(|row| {
            let mut row =
                row.map_err(|issue| InputIssue::new(origin, Some(issue.line), issue.message))?;
            let mut object = Map::new();
            for (field, i) in &index {
                let value = std::mem::take(&mut row.fields[*i]);
                if !value.is_empty() {
                    object.insert(field.clone(), Value::String(value));
                }
            }
            from_object(object, origin, row.line, &map.zone)
        })
        .collect())
}

/// Read every replay file and check the rows together (see [`sanity`]): duplicate ids across
/// files are found too.
pub fn read_all(
    paths: &[std::path::PathBuf],
    map: &ReplayMap,
    cap: u64,
) -> anyhow::Result<sanity::Checked> {
    let mut records = Vec::new();
    let mut read_as = std::collections::BTreeMap::new();
    for path in paths {
        let (rows, how) = read_described(path, map, cap)?;
        records.extend(rows);
        read_as.insert(path.display().to_string(), how);
    }
    Ok(sanity::Checked {
        read_as,
        ..sanity::check(records)
    })
}

/// A CSV file as it comes (see [`sniff`], [`super::exports`]): decoded to UTF-8 (a copy when it is
/// not UTF-8 without a BOM), its delimiter found, its vendor sniffed from the header row, then
/// read like any CSV replay. An error names the delimiter and encoding it was read with.
fn read_csv_export(
    path: &Path,
    map: &ReplayMap,
    cap: u64,
) -> anyhow::Result<(Vec<ReplayRecord>, String)> {
    let origin = path.display().to_string();
    let tried = || match map.encoding {
        Some(e) => format!("encoding {e}"),
        None => "encodings UTF-8 (BOM), UTF-16 (BOM), cp1251, cp1250".into(),
    };
    let sniffed = sniff::file(path, map.encoding, map.delimiter)
        .map_err(|err| UserError::Invalid(format!("{origin}: cannot read ({}): {err}", tried())))?;
    let headers: Vec<String> = csv::ReaderBuilder::new()
        .delimiter(sniffed.delimiter)
        .from_reader(sniffed.text.as_bytes())
        .headers()
        .map(|h| h.iter().map(String::from).collect())
        .unwrap_or_default();
    let source = super::exports::csv_source(map.source, &headers, &origin)?;
    let map = &map
        .clone()
        .with_reading(source, map.delimiter, map.encoding);
    let copy;
    let file = if sniffed.rewritten() {
        copy = tempfile::NamedTempFile::new()
            .and_then(|mut f| std::io::Write::write_all(&mut f, sniffed.text.as_bytes()).map(|_| f))
            .map_err(|err| {
                UserError::Invalid(format!(
                    "{origin}: cannot decode to a temporary file: {err}"
                ))
            })?;
        copy.path()
    } else {
        path
    };
    let how = format!("{} ({})", source.label(), sniffed.describe());
    match read_csv(file, &origin, map, cap, sniffed.delimiter) {
        Ok(rows) => Ok((rows, how)),
        Err(err) => Err(UserError::Invalid(format!(
            "{err:#} (read as {how}; set --source, --delimiter or --encoding if that is wrong)"
        ))
        .into()),
    }
}

/// Read the mapped columns of a Parquet file with polars, and turn each row into a replay ticket.
fn read_parquet(path: &Path, map: &ReplayMap) -> anyhow::Result<Vec<ReplayRecord>> {
    let origin = path.display().to_string();
    let cannot = |err: PolarsError| UserError::Invalid(format!("{origin}: cannot read: {err}"));
    let file = std::fs::File::open(path).map_err(|err| cannot(err.into()))?;
    let mut reader = ParquetReader::new(file);
    let columns: Vec<String> = reader
        .schema()
        .map_err(cannot)?
        .iter_names()
        .map(|n| n.to_string())
        .collect();
    let mapping = map.resolve(&columns, &origin)?;
    let mut selected: Vec<String> = mapping.iter().map(|(_, c)| c.clone()).collect();
    selected.sort();
    selected.dedup();
    let df = reader
        .with_columns(Some(selected))
        .finish()
        .map_err(cannot)?;
    let mut values: Vec<Vec<Value>> = Vec::with_capacity(mapping.len());
    for (_, column) in &mapping {
        let series = df.column(column)?.as_materialized_series();
        values.push(series.iter().map(|v| to_json(&v)).collect());
    }
    Ok((0..df.height())
        .map(|row| {
            let mut object = Map::new();
            for (k, (field, _)) in mapping.iter().enumerate() {
                let value = std::mem::take(&mut values[k][row]);
                if !value.is_null() {
                    object.insert(field.clone(), value);
                }
            }
            let line = row + 1;
            from_object(object, &origin, line, &map.zone)
        })
        .collect())
}

fn read_jsonl_lines(path: &Path, map: &ReplayMap, cap: u64) -> anyhow::Result<Vec<ReplayRecord>> {
    let origin = path.display().to_string();
    let file =
        std::fs::File::open(path).map_err(|err| UserError::Invalid(format!("{origin}: {err}")))?;
    let mut out = Vec::new();
    for (i, line) in crate::lines::bounded(std::io::BufReader::new(file), cap).enumerate() {
        let n = i + 1;
        let line = match line.map_err(|err| UserError::Invalid(format!("{origin}:{n}: {err}")))? {
            Line::Text(text) => text,
            Line::TooLong { bytes } => {
                let message = crate::lines::too_long(bytes, cap);
                out.push(Err(InputIssue::new(&origin, Some(n), message)));
                continue;
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        let object = match serde_json::from_str::<Value>(&line) {
            Ok(Value::Object(o)) => o,
            Ok(other) => {
                out.push(Err(InputIssue::new(
                    &origin,
                    Some(n),
                    format!(
                        "expected a JSON object, found {}",
                        tickets::describe(&other)
                    ),
                )));
                continue;
            }
            Err(err) => {
                out.push(Err(InputIssue::new(
                    &origin,
                    Some(n),
                    format!("invalid JSON: {}", tickets::json_error(&err)),
                )));
                continue;
            }
        };
        // Lines may differ in their keys: each is mapped on its own.
        let keys: Vec<String> = object.keys().cloned().collect();
        let mapping = match map.resolve(&keys, &origin) {
            Ok(m) => m,
            Err(err) => {
                out.push(Err(InputIssue::new(&origin, Some(n), err.to_string())));
                continue;
            }
        };
        let mut mapped = Map::new();
        for (field, column) in mapping.iter() {
            if let Some(value) = object.get(column).filter(|v| !v.is_null()) {
                mapped.insert(field.clone(), value.clone());
            }
        }
        out.push(from_object(mapped, &origin, n, &map.zone));
    }
    Ok(out)
}

/// One row, keyed by schema field, into a replay ticket.
pub(super) fn from_object(
    mut object: Map<String, Value>,
    origin: &str,
    line: usize,
    zone: &Zone,
) -> ReplayRecord {
    super::exports::adapt(&mut object);
    let issue = |message: String| InputIssue::new(origin, Some(line), message);
    let refused =
        |field: &str, err: TimeError| issue(format!("{field}: {err}")).with_kind(err.kind());
    let mut epoch_values = [0usize; 2];
    let text = |object: &mut Map<String, Value>, field: &str| -> Option<String> {
        match object.remove(field)? {
            Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
            Value::Null => None,
            other => Some(other.to_string()),
        }
    };
    let mut time = |object: &mut Map<String, Value>,
                    field: &str|
     -> Result<Option<f64>, InputIssue> {
        let (seconds, unit) = match object.remove(field) {
            None | Some(Value::Null) => return Ok(None),
            Some(Value::Number(n)) => times::epoch(n.as_f64().unwrap_or(f64::NAN))
                .map(|(s, u)| (s, Some(u)))
                .map_err(|err| refused(field, err))?,
            Some(Value::String(s)) if s.trim().is_empty() => return Ok(None),
            Some(Value::String(s)) => times::parse(&s, zone).map_err(|err| refused(field, err))?,
            Some(other) => {
                return Err(issue(format!(
                    "{field}: expected a time, found {}",
                    tickets::describe(&other)
                ))
                .with_kind(TimeError::Unreadable(0).kind()));
            }
        };
        match unit {
            Some(EpochUnit::Seconds) => epoch_values[0] += 1,
            Some(EpochUnit::Milliseconds) => epoch_values[1] += 1,
            None => {}
        }
        Ok(Some(seconds))
    };
    let created = time(&mut object, "created_at")?;
    let first_response = time(&mut object, "first_response_at")?;
    let resolved = time(&mut object, "resolved_at")?;
    let mut first_response_after = None;
    for (field, unit) in [
        ("first_response_minutes", DurationUnit::Minutes),
        ("first_response_seconds", DurationUnit::Seconds),
        ("first_response_time", DurationUnit::Clock),
    ] {
        match object.remove(field) {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) if s.trim().is_empty() => {}
            Some(value) => {
                let s = times::duration(&value, unit).map_err(|err| refused(field, err))?;
                first_response_after.get_or_insert(s);
            }
        }
    }
    let gold_docs = match object.remove("gold_docs") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .into_iter()
            .filter_map(|v| match v {
                Value::String(s) => Some(s.trim().to_string()),
                Value::Null => None,
                other => Some(other.to_string()),
            })
            .filter(|s| !s.is_empty())
            .collect(),
        Some(Value::String(s)) => s
            .split([';', '|', ','])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect(),
        Some(other) => {
            return Err(issue(format!(
                "gold_docs: expected a list, found {}",
                tickets::describe(&other)
            )));
        }
    };
    let should_escalate = match object.remove("should_escalate") {
        None | Some(Value::Null) => None,
        Some(Value::Bool(b)) => Some(b),
        Some(Value::Number(n)) => Some(n.as_f64() != Some(0.0)),
        Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
            "" => None,
            "true" | "yes" | "y" | "1" | "t" => Some(true),
            "false" | "no" | "n" | "0" | "f" => Some(false),
            _ => {
                return Err(issue(format!(
                    "should_escalate: expected true or false, found {}",
                    tickets::describe(&Value::String(s))
                )));
            }
        },
        Some(other) => {
            return Err(issue(format!(
                "should_escalate: expected a boolean, found {}",
                tickets::describe(&other)
            )));
        }
    };
    let language = text(&mut object, "language");
    let agent = text(&mut object, "agent");
    let category = text(&mut object, "category");
    let intent = text(&mut object, "intent");
    let agent_reply = text(&mut object, "agent_reply");
    // What is left is the ticket itself: id, text or subject/body or messages, customer, channel.
    let from_messages = ["text", "body"].iter().all(|f| {
        object
            .get(*f)
            .is_none_or(|v| v.as_str().is_some_and(|s| s.trim().is_empty()))
    });
    if let Some(Value::String(messages)) = object.get("messages") {
        // CSV and flat exports carry the conversation as a JSON string.
        let parsed: Value = serde_json::from_str(messages).map_err(|err| {
            issue(format!(
                "messages: not a JSON list: {}",
                tickets::json_error(&err)
            ))
        })?;
        object.insert("messages".into(), parsed);
    }
    let mut ticket = tickets::ticket_from_json(Value::Object(object), format!("{origin}:{line}"))
        .map_err(issue)?;
    let mut agent_reply = agent_reply;
    if from_messages {
        super::conversation::first_turn(&mut ticket, &mut agent_reply);
    }
    Ok(ReplayTicket {
        ticket,
        language,
        agent,
        created,
        first_response,
        resolved,
        category,
        intent,
        gold_docs,
        should_escalate,
        agent_reply,
        first_response_after,
        origin: origin.to_string(),
        line,
        epoch_values,
    })
}

/// A polars cell as JSON (lists and structs recursively; times as epoch seconds).
fn to_json(value: &AnyValue<'_>) -> Value {
    match value {
        AnyValue::Null => Value::Null,
        AnyValue::Boolean(b) => Value::Bool(*b),
        AnyValue::String(s) => Value::String((*s).to_string()),
        AnyValue::StringOwned(s) => Value::String(s.to_string()),
        // Times as text, so a naive datetime is read in the replay's zone like any other.
        AnyValue::Datetime(v, unit, tz) => datetime_text(*v, *unit, tz.is_some()),
        AnyValue::DatetimeOwned(v, unit, tz) => datetime_text(*v, *unit, tz.is_some()),
        AnyValue::Date(days) => chrono::DateTime::from_timestamp(i64::from(*days) * 86_400, 0)
            .map_or(Value::Null, |d| {
                Value::String(d.naive_utc().format("%Y-%m-%d %H:%M").to_string())
            }),
        AnyValue::List(series) => Value::Array(series.iter().map(|v| to_json(&v)).collect()),
        AnyValue::Struct(..) | AnyValue::StructOwned(..) => {
            let fields: Vec<String> = match value.dtype() {
                DataType::Struct(fields) => fields.iter().map(|f| f.name().to_string()).collect(),
                _ => Vec::new(),
            };
            Value::Object(
                fields
                    .into_iter()
                    .zip(value._iter_struct_av())
                    .map(|(name, v)| (name, to_json(&v)))
                    .collect(),
            )
        }
        other => {
            if let Some(n) = other.extract::<f64>() {
                if other.is_integer() {
                    return other.extract::<i64>().map_or(Value::Null, Value::from);
                }
                return serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number);
            }
            Value::String(other.str_value().into_owned())
        }
    }
}

/// A polars datetime as text: RFC 3339 in UTC when it has a zone, naive when it has none.
fn datetime_text(v: i64, unit: TimeUnit, zoned: bool) -> Value {
    let nanos = match unit {
        TimeUnit::Nanoseconds => i128::from(v),
        TimeUnit::Microseconds => i128::from(v) * 1_000,
        TimeUnit::Milliseconds => i128::from(v) * 1_000_000,
    };
    let secs = nanos.div_euclid(1_000_000_000) as i64;
    let sub = nanos.rem_euclid(1_000_000_000) as u32;
    match chrono::DateTime::from_timestamp(secs, sub) {
        Some(d) if zoned => Value::String(d.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)),
        Some(d) => Value::String(d.naive_utc().format("%Y-%m-%dT%H:%M:%S%.f").to_string()),
        None => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> std::path::PathBuf {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn reads_jsonl_with_lists_and_conversations() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            &dir,
            "r.jsonl",
            concat!(
                r#"{"id":"a","text":"Where is my order?","created_at":"2026-09-01T10:00:00Z","first_response_at":"2026-09-01T11:30:00Z","gold_docs":["delivery"],"should_escalate":false,"agent":"ann","intent":"track"}"#,
                "\n",
                r#"{"id":"b","messages":[{"role":"customer","text":"Hi"},{"role":"agent","text":"Hello"},{"role":"customer","text":"Refund please"}],"should_escalate":true}"#,
                "\n"
            ),
        );
        let rows = read(&path, &ReplayMap::default(), 1_000_000).unwrap();
        let a = rows[0].as_ref().unwrap();
        assert_eq!(a.ticket.id, "a");
        assert_eq!(a.human_frt_s(), Some(5400.0));
        assert_eq!(a.gold_docs, ["delivery"]);
        assert_eq!(a.should_escalate, Some(false));
        assert_eq!(a.agent.as_deref(), Some("ann"));
        let b = rows[1].as_ref().unwrap();
        // Replayed at the customer's first message; the agent's first reply is the reply.
        assert_eq!(b.ticket.body, "Hi");
        assert_eq!(b.agent_reply.as_deref(), Some("Hello"));
        assert_eq!(b.ticket.messages.len(), 3);
        assert_eq!(b.should_escalate, Some(true));
        assert!(b.gold_docs.is_empty());
    }

    #[test]
    fn a_jsonl_line_over_the_record_cap_is_one_located_issue() {
        let dir = tempfile::tempdir().unwrap();
        let huge = format!("{{\"id\": \"big\", \"text\": \"{}\"}}", "a".repeat(3_000));
        let text = format!(
            "{{\"id\": \"A\", \"text\": \"one\"}}\n{huge}\n{{\"id\": \"C\", \"text\": \"three\"}}\n"
        );
        let path = write(&dir, "big.jsonl", &text);
        let rows = read(&path, &ReplayMap::default(), 1_000).unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].as_ref().unwrap().ticket.id, "A");
        let err = rows[1].as_ref().unwrap_err().to_string();
        assert!(
            err.contains("big.jsonl:2") && err.contains(crate::lines::CAP_KEY),
            "{err}"
        );
        assert_eq!(rows[2].as_ref().unwrap().ticket.id, "C");
        // Under a cap it fits, it is read as usual.
        assert!(
            read(&path, &ReplayMap::default(), 10_000)
                .unwrap()
                .iter()
                .all(|r| r.is_ok())
        );
    }

    #[test]
    fn a_malformed_jsonl_line_is_reported_and_the_rest_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            &dir,
            "r.jsonl",
            "{\"id\":\"a\",\"text\":\"one\"}\n{oops\n{\"id\":\"c\",\"text\":\"three\",\"created_at\":\"tuesday\"}\n{\"id\":\"d\",\"text\":\"four\"}\n",
        );
        let rows = read(&path, &ReplayMap::default(), 1_000_000).unwrap();
        assert_eq!(rows.len(), 4);
        assert!(rows[0].is_ok() && rows[3].is_ok());
        let bad = rows[1].as_ref().unwrap_err();
        assert_eq!(bad.line, Some(2));
        assert!(bad.message.contains("invalid JSON"), "{bad}");
        let time = rows[2].as_ref().unwrap_err();
        assert_eq!(time.line, Some(3));
        assert!(time.message.contains("created_at"), "{time}");
    }

    #[test]
    fn reads_a_helpdesk_csv_export_by_its_own_column_names() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            &dir,
            "export.csv",
            "Ticket ID,Subject,Description,Created time,First responded time,Assignee,Type,Escalated,Articles\n\
             17,Refund,I want my money back,2026-09-01T10:00:00Z,2026-09-01T10:10:00Z,bob,refunds,yes,refund-policy;refund-howto\n\
             18,Hi,,2026-09-01T10:00:00Z,,,,,\n\
             19,,,,,,,,\n",
        );
        let rows = read(&path, &ReplayMap::default(), 1_000_000).unwrap();
        let a = rows[0].as_ref().unwrap();
        assert_eq!(a.ticket.id, "17");
        assert_eq!(a.ticket.query_text(), "Refund\nI want my money back");
        assert_eq!(a.human_frt_s(), Some(600.0));
        assert_eq!(a.agent.as_deref(), Some("bob"));
        assert_eq!(a.category.as_deref(), Some("refunds"));
        assert_eq!(a.should_escalate, Some(true));
        assert_eq!(a.gold_docs, ["refund-policy", "refund-howto"]);
        assert_eq!(rows[1].as_ref().unwrap().ticket.body, "Hi");
        let empty = rows[2].as_ref().unwrap_err();
        assert_eq!(empty.line, Some(4), "the header is line 1");
    }

    #[test]
    fn a_mapping_names_columns_and_a_missing_text_column_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(&dir, "x.csv", "Key,Frage\nk1,Wo ist mein Paket?\n");
        let err = read(&path, &ReplayMap::default(), 1_000_000)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("x.csv") && err.contains("--map text="),
            "{err}"
        );
        let map = ReplayMap::parse("text=Frage").unwrap();
        let rows = read(&path, &map, 1_000_000).unwrap();
        assert_eq!(rows[0].as_ref().unwrap().ticket.id, "k1");
        assert!(ReplayMap::parse("nonsense=X").is_err());
        assert!(ReplayMap::parse("text=Nope").is_ok());
        let err = read(&path, &ReplayMap::parse("text=Nope").unwrap(), 1_000_000)
            .unwrap_err()
            .to_string();
        assert!(err.contains("no such column"), "{err}");
    }

    #[test]
    fn reads_parquet_written_by_polars() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.parquet");
        let mut df = df!(
            "id" => ["p1", "p2"],
            "text" => ["Jak zmienić hasło?", "Где мой заказ?"],
            "should_escalate" => [false, true],
        )
        .unwrap();
        let file = std::fs::File::create(&path).unwrap();
        ParquetWriter::new(file).finish(&mut df).unwrap();
        let rows = read(&path, &ReplayMap::default(), 1_000_000).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].as_ref().unwrap().should_escalate, Some(true));
        assert_eq!(rows[0].as_ref().unwrap().ticket.body, "Jak zmienić hasło?");
    }

    #[test]
    fn helpdesk_times_and_durations_in_csv() {
        let dir = tempfile::tempdir().unwrap();
        // Zendesk-style: offsets written +0000, a first reply in minutes.
        let zendesk = write(
            &dir,
            "zendesk.csv",
            "Id,Subject,Description,Created at,Solved at,First reply time in minutes\n\
             1,Refund,money back,2026-09-01 07:22:14 +0000,2026-09-01 09:00:00 +0000,12\n\
             2,Hasło,zmiana,2026-02-30 10:00:00 +0000,,5\n",
        );
        let rows = read(&zendesk, &ReplayMap::default(), 1_000_000).unwrap();
        let a = rows[0].as_ref().unwrap();
        assert_eq!(a.created, Some(1_788_247_334.0));
        assert_eq!(a.human_frt_s(), Some(720.0));
        let bad = rows[1].as_ref().unwrap_err();
        assert_eq!((bad.line, bad.kind), (Some(3), Some("impossible_time")));
        assert!(!bad.message.contains("2026-02-30"), "{bad}");
        // Freshdesk-style: naive times, an initial response time as HH:MM:SS, read in Warsaw.
        let freshdesk = write(
            &dir,
            "freshdesk.csv",
            "Ticket ID,Subject,Description,Created time,Initial response time\n\
             7,Gdzie paczka,nie doszła,2026-09-01 09:22:14,01:30:00\n\
             8,Где заказ,не пришёл,01.09.2026 09:22,\n",
        );
        let warsaw = ReplayMap::default().with_zone(Zone::parse("Europe/Warsaw").unwrap());
        let rows = read(&freshdesk, &warsaw, 1_000_000).unwrap();
        let a = rows[0].as_ref().unwrap();
        assert_eq!(a.created, Some(1_788_247_334.0));
        assert_eq!(a.human_frt_s(), Some(5400.0));
        let b = rows[1].as_ref().unwrap();
        assert_eq!(b.created, Some(1_788_247_334.0 - 14.0));
        assert_eq!(b.human_frt_s(), None);
    }

    #[test]
    fn epoch_numbers_in_jsonl_and_csv_are_read_by_magnitude() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            &dir,
            "r.jsonl",
            concat!(
                r#"{"id":"s","text":"a","created_at":1788247334,"first_response_at":"1788248234"}"#,
                "\n",
                r#"{"id":"ms","text":"b","created_at":1788247334000,"first_response_at":1788248234000}"#,
                "\n",
                r#"{"id":"us","text":"c","created_at":1788247334000000}"#,
                "\n",
                r#"{"id":"min","text":"d","created_at":1788247334,"first_response_minutes":15}"#,
                "\n",
            ),
        );
        let rows = read(&path, &ReplayMap::default(), 1_000_000).unwrap();
        let s = rows[0].as_ref().unwrap();
        assert_eq!((s.human_frt_s(), s.epoch_values), (Some(900.0), [2, 0]));
        let ms = rows[1].as_ref().unwrap();
        assert_eq!((ms.human_frt_s(), ms.epoch_values), (Some(900.0), [0, 2]));
        let us = rows[2].as_ref().unwrap_err();
        assert_eq!(us.kind, Some("epoch_unit"));
        assert_eq!(rows[3].as_ref().unwrap().human_frt_s(), Some(900.0));
        let csv = write(
            &dir,
            "r.csv",
            "id,text,created_at,first_response_at\nx,hi,1788247334000,1788248234000\n",
        );
        let rows = read(&csv, &ReplayMap::default(), 1_000_000).unwrap();
        assert_eq!(rows[0].as_ref().unwrap().human_frt_s(), Some(900.0));
    }

    #[test]
    fn parquet_datetimes_naive_ones_in_the_zone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.parquet");
        let created = Series::new("created_at".into(), [1_788_247_334_000i64])
            .cast(&DataType::Datetime(TimeUnit::Milliseconds, None))
            .unwrap();
        let first = Series::new("first_response_at".into(), [1_788_248_234_000i64])
            .cast(&DataType::Datetime(TimeUnit::Milliseconds, None))
            .unwrap();
        let epoch_ms = Series::new("resolved_at".into(), [1_788_249_134_000i64]);
        let mut df = DataFrame::new_infer_height(vec![
            Series::new("id".into(), ["p"]).into(),
            Series::new("text".into(), ["Gdzie jest paczka?"]).into(),
            created.into(),
            first.into(),
            epoch_ms.into(),
        ])
        .unwrap();
        ParquetWriter::new(std::fs::File::create(&path).unwrap())
            .finish(&mut df)
            .unwrap();
        let utc = read(&path, &ReplayMap::default(), 1_000_000).unwrap();
        let t = utc[0].as_ref().unwrap();
        assert_eq!(t.created, Some(1_788_247_334.0));
        assert_eq!(t.resolved, Some(1_788_249_134.0));
        assert_eq!(t.epoch_values, [0, 1]);
        let plus3 = ReplayMap::default().with_zone(Zone::parse("+03:00").unwrap());
        let t = read(&path, &plus3, 1_000_000).unwrap().remove(0).unwrap();
        assert_eq!(t.created, Some(1_788_247_334.0 - 3.0 * 3600.0));
        assert_eq!(t.human_frt_s(), Some(900.0));
    }

    /// Each kind of bad CSV row is one issue at its physical line; the rows after it are read.
    #[test]
    fn bad_csv_rows_are_located_at_their_physical_line_and_the_rest_read() {
        let dir = tempfile::tempdir().unwrap();
        let mut text = b"id,text,category\n\
            a,\"two\nlines\",billing\n\
            b,extra,billing,4111 1111 1111 1111\n\
            c,bad \xff byte,billing\n\
            d,fine,delivery\n\
            e,\"broken quote,billing\n\
            f,after the quote,account\n\
            g,too few\n\
            h,last,account\n"
            .to_vec();
        let path = dir.path().join("r.csv");
        std::fs::write(&path, &text).unwrap();
        let rows = read(&path, &ReplayMap::default(), 1_000_000).unwrap();
        let got: Vec<Result<(String, usize), usize>> = rows
            .iter()
            .map(|r| match r {
                Ok(t) => Ok((t.ticket.id.clone(), t.line)),
                Err(issue) => Err(issue.line.unwrap()),
            })
            .collect();
        assert_eq!(
            got,
            [
                Ok(("a".into(), 2)),
                Err(4),
                Err(5),
                Ok(("d".into(), 6)),
                Err(7),
                Ok(("f".into(), 8)),
                Err(9),
                Ok(("h".into(), 10)),
            ]
        );
        let messages: Vec<String> = rows
            .iter()
            .filter_map(|r| r.as_ref().err().map(|i| i.to_string()))
            .collect();
        assert!(
            messages[0].contains("r.csv:4: row has 4 fields, the header has 3"),
            "{messages:?}"
        );
        assert!(
            messages[1].contains("invalid UTF-8 in column `text`"),
            "{messages:?}"
        );
        assert!(messages[2].contains("unterminated quote"), "{messages:?}");
        assert!(messages[3].contains("row has 2 fields"), "{messages:?}");
        // The rejected values are never quoted.
        assert!(!messages.iter().any(|m| m.contains("4111")), "{messages:?}");
        assert_eq!(rows[0].as_ref().unwrap().ticket.body, "two\nlines");
        assert_eq!(
            rows[5].as_ref().unwrap().category.as_deref(),
            Some("account")
        );
        // A row over the record cap is one issue too.
        text.extend_from_slice(b"i,");
        text.extend(std::iter::repeat_n(b'x', 2000));
        text.extend_from_slice(b",account\nj,after the long one,account\n");
        std::fs::write(&path, &text).unwrap();
        let rows = read(&path, &ReplayMap::default(), 1000).unwrap();
        let long = rows[8].as_ref().unwrap_err();
        assert_eq!(long.line, Some(11));
        assert!(long.message.contains(crate::lines::CAP_KEY), "{long}");
        assert_eq!(rows[9].as_ref().unwrap().ticket.id, "j");
    }
}
