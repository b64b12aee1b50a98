//! Tickets in: JSONL, CSV (with a column mapping) and plain text, read as a stream; a bad record becomes a located error, never a stop.

use std::collections::HashMap;
use std::io::BufRead;

use serde::{Deserialize, Serialize};

use crate::error::{InputIssue, UserError};
use crate::lines::Line;

/// One ticket as kbctl sees it, whatever format it came in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ticket {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// The current customer message (for a conversation: its last customer message; a replayed
    /// conversation is judged on its first, see `eval::conversation`).
    pub body: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<Customer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// The whole conversation, oldest first (empty for a single message).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub messages: Vec<Message>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Customer {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    pub role: Role,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Customer,
    #[serde(alias = "assistant", alias = "bot")]
    Agent,
}

impl Ticket {
    /// Subject and current message: what retrieval and classification read.
    pub fn query_text(&self) -> String {
        match &self.subject {
            Some(s) if !s.trim().is_empty() && !self.body.contains(s.trim()) => {
                format!("{}\n{}", s.trim(), self.body)
            }
            _ => self.body.clone(),
        }
    }

    /// Everything the customer wrote in this conversation, oldest first (for triggers and handover).
    pub fn customer_text(&self) -> String {
        let earlier: Vec<&str> = self
            .messages
            .iter()
            .filter(|m| m.role == Role::Customer)
            .map(|m| m.text.as_str())
            .filter(|t| *t != self.body)
            .collect();
        let mut all = earlier.join("\n");
        if !all.is_empty() {
            all.push('\n');
        }
        all.push_str(&self.query_text());
        all
    }
}

/// The shape of a JSONL ticket: `text`, or `subject` + `body`, or `messages`.
#[derive(Debug, Default)]
struct RawTicket {
    id: Option<serde_json::Value>,
    text: Option<String>,
    subject: Option<String>,
    body: Option<String>,
    customer: Option<Customer>,
    channel: Option<String>,
    created_at: Option<String>,
    messages: Vec<Message>,
}

/// What a JSON value is, without what it says: "a number (16 digits)", "a string (12
/// characters)". Error messages use this, never the value (it may be a card number).
pub fn describe(value: &serde_json::Value) -> String {
    use serde_json::Value;
    match value {
        Value::Null => "null".into(),
        Value::Bool(_) => "a boolean".into(),
        Value::Number(n) => {
            let digits = n.to_string().chars().filter(char::is_ascii_digit).count();
            format!("a number ({digits} digit{})", plural(digits))
        }
        Value::String(s) => {
            let n = s.chars().count();
            format!("a string ({n} character{})", plural(n))
        }
        Value::Array(items) => format!("an array ({} item{})", items.len(), plural(items.len())),
        Value::Object(map) => format!("an object ({} key{})", map.len(), plural(map.len())),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// "field `text`: expected a string, found a number (16 digits)".
fn wrong(field: &str, expected: &str, found: &serde_json::Value) -> String {
    format!(
        "field `{field}`: expected {expected}, found {}",
        describe(found)
    )
}

/// A string field, absent or null as `None`.
fn string_field(
    object: &serde_json::Map<String, serde_json::Value>,
    field: &str,
    path: &str,
) -> Result<Option<String>, String> {
    match object.get(field) {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(wrong(path, "a string", other)),
    }
}

impl RawTicket {
    /// Validate a JSON object field by field; a message names the field and what was found
    /// there (its kind and size), never the value.
    fn from_object(object: &serde_json::Map<String, serde_json::Value>) -> Result<Self, String> {
        use serde_json::Value;
        let id = match object.get("id") {
            None | Some(Value::Null) => None,
            Some(v @ (Value::String(_) | Value::Number(_))) => Some(v.clone()),
            Some(other) => return Err(wrong("id", "a string or a number", other)),
        };
        let customer = match object.get("customer") {
            None | Some(Value::Null) => None,
            Some(Value::Object(c)) => Some(Customer {
                name: string_field(c, "name", "customer.name")?,
                email: string_field(c, "email", "customer.email")?,
                plan: string_field(c, "plan", "customer.plan")?,
            }),
            Some(other) => return Err(wrong("customer", "an object", other)),
        };
        let messages = match object.get("messages") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, item)| message_from(item, i))
                .collect::<Result<_, _>>()?,
            Some(other) => return Err(wrong("messages", "a list", other)),
        };
        Ok(Self {
            id,
            text: string_field(object, "text", "text")?,
            subject: string_field(object, "subject", "subject")?,
            body: string_field(object, "body", "body")?,
            customer,
            channel: string_field(object, "channel", "channel")?,
            created_at: string_field(object, "created_at", "created_at")?,
            messages,
        })
    }

    fn into_ticket(self, fallback_id: String) -> Result<Ticket, String> {
        let id = match self.id {
            Some(serde_json::Value::String(s)) if !s.trim().is_empty() => s,
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => fallback_id,
        };
        let last_customer = self
            .messages
            .iter()
            .rev()
            .find(|m| m.role == Role::Customer)
            .map(|m| m.text.clone());
        let body = self
            .text
            .or(self.body)
            .or(last_customer)
            .filter(|b| !b.trim().is_empty())
            .or_else(|| self.subject.clone().filter(|s| !s.trim().is_empty()))
            .ok_or(
                "no text: give `text`, `subject` and `body`, or `messages` with a customer message",
            )?;
        Ok(Ticket {
            id,
            subject: self.subject,
            body,
            customer: self.customer,
            channel: self.channel,
            created_at: self.created_at,
            messages: self.messages,
        })
    }
}

/// One element of `messages`, checked field by field.
fn message_from(item: &serde_json::Value, i: usize) -> Result<Message, String> {
    let at = |field: &str| format!("messages[{i}].{field}");
    let serde_json::Value::Object(m) = item else {
        return Err(wrong(&format!("messages[{i}]"), "an object", item));
    };
    let role = match m.get("role") {
        Some(serde_json::Value::String(r)) => match r.trim().to_ascii_lowercase().as_str() {
            "customer" => Role::Customer,
            "agent" | "assistant" | "bot" => Role::Agent,
            _ => {
                return Err(format!(
                    "field `{}`: expected customer or agent, found {}",
                    at("role"),
                    describe(&m["role"])
                ));
            }
        },
        None => return Err(format!("field `{}`: missing", at("role"))),
        Some(other) => return Err(wrong(&at("role"), "customer or agent", other)),
    };
    let text = match m.get("text") {
        Some(serde_json::Value::String(t)) => t.clone(),
        None => return Err(format!("field `{}`: missing", at("text"))),
        Some(other) => return Err(wrong(&at("text"), "a string", other)),
    };
    Ok(Message {
        role,
        text,
        at: string_field(m, "at", &at("at"))?,
    })
}

/// A ticket from a JSON object (`text`, or `subject` + `body`, or `messages`); other keys are
/// ignored. `fallback_id` names it when it has no `id`. Used by replay files read through polars.
/// Messages name the field and the kind of value found, never the value.
pub fn ticket_from_json(value: serde_json::Value, fallback_id: String) -> Result<Ticket, String> {
    let serde_json::Value::Object(object) = &value else {
        return Err(format!(
            "expected a JSON object, found {}",
            describe(&value)
        ));
    };
    RawTicket::from_object(object)?.into_ticket(fallback_id)
}

/// A JSON syntax error as its kind and column; a data error (never raised when parsing into
/// `serde_json::Value`, but kept safe) without the text serde would quote.
pub fn json_error(err: &serde_json::Error) -> String {
    match err.classify() {
        serde_json::error::Category::Data => format!("invalid value at column {}", err.column()),
        _ => err.to_string(),
    }
}

/// How the records of an input are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InputFormat {
    /// One JSON object per line; a line not starting with `{` is a plain-text ticket.
    Auto,
    Jsonl,
    Csv,
    /// One ticket per line.
    Text,
    /// The whole input is one ticket.
    Document,
}

impl InputFormat {
    /// The format a file's extension implies.
    pub fn from_extension(path: &std::path::Path) -> InputFormat {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("jsonl" | "ndjson" | "json") => InputFormat::Jsonl,
            Some("csv") => InputFormat::Csv,
            Some("txt") => InputFormat::Text,
            _ => InputFormat::Auto,
        }
    }
}

/// Which CSV column holds which ticket field (`--map id="Ticket ID",text=Body`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ColumnMap {
    fields: HashMap<String, String>,
}

const MAPPABLE: &[&str] = &[
    "id",
    "text",
    "subject",
    "body",
    "name",
    "email",
    "plan",
    "channel",
    "created_at",
];

/// Header names recognised without a mapping, per field (compared case-insensitively).
const DEFAULT_HEADERS: &[(&str, &[&str])] = &[
    (
        "id",
        &["id", "ticket id", "ticket_id", "ticket", "number", "key"],
    ),
    ("text", &["text", "message", "description", "content"]),
    ("subject", &["subject", "title", "summary"]),
    ("body", &["body", "comment", "question"]),
    (
        "name",
        &[
            "name",
            "requester",
            "customer",
            "customer name",
            "requester name",
        ],
    ),
    (
        "email",
        &["email", "requester email", "customer email", "e-mail"],
    ),
    ("plan", &["plan", "tier"]),
    ("channel", &["channel", "via", "source"]),
    (
        "created_at",
        &["created_at", "created", "created at", "date", "timestamp"],
    ),
];

/// `--map field=Column,...` into field -> column, refusing fields not in `known`.
pub(crate) fn parse_field_map(
    spec: &str,
    known: &[&str],
) -> Result<HashMap<String, String>, UserError> {
    let mut fields = HashMap::new();
    for pair in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (field, column) = pair
            .split_once('=')
            .ok_or_else(|| UserError::Invalid(format!("--map: `{pair}` is not field=Column")))?;
        let field = field.trim().to_ascii_lowercase();
        if !known.contains(&field.as_str()) {
            return Err(UserError::Invalid(format!(
                "--map: unknown field `{field}` (known: {})",
                known.join(", ")
            )));
        }
        fields.insert(field, column.trim().trim_matches('"').to_string());
    }
    Ok(fields)
}

/// The header names a ticket field is found by in an export (also used for replay files).
pub(crate) fn header_aliases(field: &str) -> &'static [&'static str] {
    DEFAULT_HEADERS
        .iter()
        .find(|(f, _)| *f == field)
        .map_or(&[], |(_, names)| names)
}

impl ColumnMap {
    /// Parse `field=Column,field=Column`; quotes around column names are allowed.
    pub fn parse(spec: &str) -> Result<Self, UserError> {
        Ok(Self {
            fields: parse_field_map(spec, MAPPABLE)?,
        })
    }

    /// Column index per field for this header: mapped names first, then the usual names.
    fn resolve(&self, headers: &csv::StringRecord) -> Result<HashMap<&'static str, usize>, String> {
        let find = |name: &str| {
            headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name.trim()))
        };
        let mut out = HashMap::new();
        for &(field, defaults) in DEFAULT_HEADERS {
            if let Some(column) = self.fields.get(field) {
                let index = find(column)
                    .ok_or_else(|| format!("--map {field}={column}: no such column"))?;
                out.insert(field, index);
            } else if let Some(index) = defaults.iter().find_map(|d| find(d)) {
                out.insert(field, index);
            }
        }
        if !out.contains_key("text") && !out.contains_key("body") && !out.contains_key("subject") {
            return Err(format!(
                "no text column: map one with --map text=COLUMN (columns: {})",
                headers.iter().collect::<Vec<_>>().join(", ")
            ));
        }
        Ok(out)
    }
}

/// A ticket or the problem with its record, numbered by its place in the input.
pub type Record = Result<Ticket, InputIssue>;

/// Stream tickets from `reader`; `origin` names the input in messages ("-" for stdin).
/// Records come out as they are read, so `tail -f` input is answered line by line. A record
/// (line or document) over `cap` bytes is an issue in its place, never held in memory.
pub fn read<'a>(
    reader: Box<dyn BufRead + Send + 'a>,
    format: InputFormat,
    origin: &'a str,
    map: &'a ColumnMap,
    cap: u64,
) -> Box<dyn Iterator<Item = Record> + Send + 'a> {
    let issue = move |line: usize, message: String| InputIssue::new(origin, Some(line), message);
    match format {
        InputFormat::Csv => read_csv(reader, origin, map, cap),
        InputFormat::Document => {
            let mut reader = std::io::Read::take(reader, cap.saturating_add(1));
            let mut text = String::new();
            let record = match std::io::Read::read_to_string(&mut reader, &mut text) {
                Ok(n) if n as u64 > cap => {
                    let rest = std::io::copy(&mut reader.into_inner(), &mut std::io::sink());
                    let bytes = n as u64 + rest.unwrap_or(0);
                    Err(issue(1, crate::lines::too_long(bytes, cap)))
                }
                Ok(_) if !text.trim().is_empty() => Ok(Ticket {
                    id: origin.to_string(),
                    subject: None,
                    body: text.trim().to_string(),
                    customer: None,
                    channel: None,
                    created_at: None,
                    messages: Vec::new(),
                }),
                Ok(_) => Err(issue(1, "empty ticket".into())),
                Err(err) => Err(issue(1, format!("cannot read: {err}"))),
            };
            Box::new(std::iter::once(record))
        }
        InputFormat::Auto | InputFormat::Jsonl | InputFormat::Text => Box::new(
            crate::lines::bounded(reader, cap)
                .enumerate()
                .filter(|(_, line)| {
                    line.as_ref()
                        .map_or(true, |l| !matches!(l, Line::Text(t) if t.trim().is_empty()))
                })
                .map(move |(i, line)| {
                    let n = i + 1;
                    let line = match line.map_err(|err| issue(n, format!("cannot read: {err}")))? {
                        Line::Text(text) => text,
                        Line::TooLong { bytes } => {
                            return Err(issue(n, crate::lines::too_long(bytes, cap)));
                        }
                    };
                    let fallback = format!("{origin}:{n}");
                    let as_json = format == InputFormat::Jsonl
                        || (format == InputFormat::Auto && looks_like_json(&line));
                    if as_json {
                        let value: serde_json::Value =
                            serde_json::from_str(&line).map_err(|err| {
                                issue(n, format!("invalid JSON: {}", json_error(&err)))
                            })?;
                        ticket_from_json(value, fallback).map_err(|m| issue(n, m))
                    } else {
                        Ok(Ticket {
                            id: fallback,
                            subject: None,
                            body: line.trim().to_string(),
                            customer: None,
                            channel: None,
                            created_at: None,
                            messages: Vec::new(),
                        })
                    }
                }),
        ),
    }
}

/// In `auto` mode: a line starting with `{` is JSON, and so is one starting with `[` that parses
/// as JSON (a ticket like "[URGENT] invoice missing" stays text).
fn looks_like_json(line: &str) -> bool {
    let trimmed = line.trim_start();
    trimmed.starts_with('{')
        || (trimmed.starts_with('[') && serde_json::from_str::<serde_json::Value>(trimmed).is_ok())
}

/// CSV tickets, row by row (see [`crate::csvrows`]): a bad row (field count, invalid UTF-8, an
/// unterminated quote, over `cap` bytes) is one issue at its physical line, and the rows after
/// it are read; rows come out as they are read.
fn read_csv<'a>(
    reader: Box<dyn BufRead + Send + 'a>,
    origin: &'a str,
    map: &'a ColumnMap,
    cap: u64,
) -> Box<dyn Iterator<Item = Record> + Send + 'a> {
    let fail = |line: usize, message: String| -> Box<dyn Iterator<Item = Record> + Send + 'a> {
        Box::new(std::iter::once(Err(InputIssue::new(
            origin,
            Some(line),
            message,
        ))))
    };
    let rows = match crate::csvrows::CsvRows::open(reader, cap) {
        Ok(rows) => rows,
        Err(issue) => {
            return fail(
                issue.line,
                format!("cannot read the CSV header: {}", issue.message),
            );
        }
    };
    let columns = match map.resolve(&csv::StringRecord::from(rows.header().to_vec())) {
        Ok(c) => c,
        Err(message) => return fail(1, message),
    };
    Box::new(rows.map(move |row| {
        let row = row.map_err(|issue| InputIssue::new(origin, Some(issue.line), issue.message))?;
        let line = row.line;
        let get = |field: &str| {
            columns
                .get(field)
                .and_then(|&i| row.fields.get(i))
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let customer = (get("name").is_some() || get("email").is_some() || get("plan").is_some())
            .then(|| Customer {
                name: get("name"),
                email: get("email"),
                plan: get("plan"),
            });
        let raw = RawTicket {
            id: get("id").map(serde_json::Value::String),
            text: get("text"),
            subject: get("subject"),
            body: get("body"),
            customer,
            channel: get("channel"),
            created_at: get("created_at"),
            messages: Vec::new(),
        };
        raw.into_ticket(format!("{origin}:{line}"))
            .map_err(|m| InputIssue::new(origin, Some(line), m))
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(text: &str, format: InputFormat, map: &ColumnMap) -> Vec<Record> {
        read(
            Box::new(std::io::Cursor::new(text.to_string())),
            format,
            "in",
            map,
            1_000,
        )
        .collect()
    }

    #[test]
    fn a_record_over_the_cap_is_one_located_issue_and_the_rest_is_read() {
        let map = ColumnMap::default();
        let huge = format!("{{\"id\": \"big\", \"text\": \"{}\"}}", "a".repeat(5_000));
        let text =
            format!("{{\"id\": \"A\", \"text\": \"first\"}}\n{huge}\n{{\"text\": \"last\"}}\n");
        for format in [InputFormat::Auto, InputFormat::Jsonl] {
            let got = collect(&text, format, &map);
            assert_eq!(got.len(), 3);
            assert_eq!(got[0].as_ref().unwrap().id, "A");
            let err = got[1].as_ref().unwrap_err().to_string();
            assert!(
                err.contains("in:2")
                    && err.contains(&format!("{} bytes", huge.len()))
                    && err.contains(crate::lines::CAP_KEY),
                "{err}"
            );
            assert_eq!(got[2].as_ref().unwrap().body, "last");
        }
        let doc = collect(&"word ".repeat(300), InputFormat::Document, &map);
        let err = doc[0].as_ref().unwrap_err().to_string();
        assert!(
            err.contains("1500 bytes") && err.contains("1000-byte"),
            "{err}"
        );
        assert!(collect("short", InputFormat::Document, &map)[0].is_ok());
    }

    #[test]
    fn auto_reads_json_and_plain_lines_and_locates_errors() {
        let input = "{\"id\": \"T1\", \"subject\": \"Invoice\", \"body\": \"Where is it?\"}\nplain question\n\n{broken\n{\"id\": 7, \"messages\": [{\"role\": \"customer\", \"text\": \"hi\"}, {\"role\": \"agent\", \"text\": \"hello\"}, {\"role\": \"customer\", \"text\": \"my order?\"}]}\n{\"id\": \"T9\"}\n";
        let records = collect(input, InputFormat::Auto, &ColumnMap::default());
        assert_eq!(records.len(), 5);
        let t1 = records[0].as_ref().unwrap();
        assert_eq!(
            (t1.id.as_str(), t1.query_text().as_str()),
            ("T1", "Invoice\nWhere is it?")
        );
        assert_eq!(records[1].as_ref().unwrap().id, "in:2");
        assert_eq!(records[2].as_ref().unwrap_err().line, Some(4));
        let convo = records[3].as_ref().unwrap();
        assert_eq!((convo.id.as_str(), convo.body.as_str()), ("7", "my order?"));
        assert_eq!(convo.customer_text(), "hi\nmy order?");
        assert!(records[4].as_ref().unwrap_err().message.contains("no text"));
    }

    #[test]
    fn errors_name_the_field_and_the_kind_of_value_never_the_value() {
        let input = concat!(
            "{\"text\":4111111111111111}\n",
            "{\"messages\":[{\"role\":\"4111111111111111\",\"text\":\"hi\"}]}\n",
            "{\"text\":\"ok\",\"customer\":{\"email\":[\"jan@firma.pl\"]}}\n",
            "{\"id\":{\"card\":\"4111111111111111\"},\"text\":\"x\"}\n",
            "{\"messages\":[{\"role\":\"customer\",\"text\":44051401359}]}\n",
            "\"4111111111111111\"\n",
        );
        let records = collect(input, InputFormat::Jsonl, &ColumnMap::default());
        let messages: Vec<String> = records
            .iter()
            .map(|r| r.as_ref().unwrap_err().message.clone())
            .collect();
        assert_eq!(
            messages,
            [
                "field `text`: expected a string, found a number (16 digits)",
                "field `messages[0].role`: expected customer or agent, found a string (16 characters)",
                "field `customer.email`: expected a string, found an array (1 item)",
                "field `id`: expected a string or a number, found an object (1 key)",
                "field `messages[0].text`: expected a string, found a number (11 digits)",
                "expected a JSON object, found a string (16 characters)",
            ]
        );
        for m in &messages {
            assert!(
                !m.contains("4111") && !m.contains("jan@") && !m.contains("4405"),
                "{m}"
            );
        }
    }

    #[test]
    fn bracketed_subjects_stay_text_but_json_arrays_are_errors() {
        let records = collect(
            "[URGENT] invoice missing\n[1, 2]\n",
            InputFormat::Auto,
            &ColumnMap::default(),
        );
        assert_eq!(
            records[0].as_ref().unwrap().body,
            "[URGENT] invoice missing"
        );
        assert!(
            records[1]
                .as_ref()
                .unwrap_err()
                .message
                .contains("found an array")
        );
    }

    #[test]
    fn csv_uses_usual_headers_and_explicit_maps() {
        let input = "Ticket ID,Subject,Description,Requester Email\n42,Faktura,\"Gdzie jest faktura, proszę?\",a@b.pl\n43,too,few\n";
        let records = collect(input, InputFormat::Csv, &ColumnMap::default());
        let t = records[0].as_ref().unwrap();
        assert_eq!(t.id, "42");
        assert_eq!(t.body, "Gdzie jest faktura, proszę?");
        assert_eq!(
            t.customer.as_ref().unwrap().email.as_deref(),
            Some("a@b.pl")
        );
        assert_eq!(records[1].as_ref().unwrap_err().line, Some(3));

        let map = ColumnMap::parse("id=\"Case\",text=Msg").unwrap();
        let records = collect("Case,Msg\nC-1,hello\n", InputFormat::Csv, &map);
        assert_eq!(records[0].as_ref().unwrap().id, "C-1");
        let err = ColumnMap::parse("txt=Body").unwrap_err().to_string();
        assert!(err.contains("unknown field `txt`"), "{err}");
    }

    /// Ticket CSV streams read row by row: a broken quote, an extra field, invalid UTF-8 and an
    /// over-long row are one issue each at their physical line, and the next rows are answered.
    #[test]
    fn bad_csv_ticket_rows_are_located_and_the_next_rows_read() {
        let mut input = b"id,text\n\
            1,\"broken quote\n\
            2,next\n\
            3,extra,4111 1111 1111 1111\n\
            4,bad \xfe\n\
            5,\"two\nlines\"\n\
            6,"
        .to_vec();
        input.extend(std::iter::repeat_n(b'x', 2_000));
        input.extend_from_slice(b"\n7,last\n");
        let records: Vec<Record> = read(
            Box::new(std::io::Cursor::new(input)),
            InputFormat::Csv,
            "in.csv",
            &ColumnMap::default(),
            1_000,
        )
        .collect();
        let got: Vec<Result<String, (usize, String)>> = records
            .iter()
            .map(|r| match r {
                Ok(t) => Ok(t.id.clone()),
                Err(i) => Err((i.line.unwrap(), i.message.clone())),
            })
            .collect();
        assert_eq!(got.len(), 7, "{got:?}");
        assert!(
            matches!(&got[0], Err((2, m)) if m.contains("unterminated quote")),
            "{got:?}"
        );
        assert_eq!(got[1], Ok("2".to_string()));
        assert_eq!(
            got[2],
            Err((4, "row has 3 fields, the header has 2".to_string()))
        );
        assert!(
            matches!(&got[3], Err((5, m)) if m.contains("invalid UTF-8")),
            "{got:?}"
        );
        assert_eq!(got[4], Ok("5".to_string()));
        assert!(
            matches!(&got[5], Err((8, m)) if m.contains(crate::lines::CAP_KEY)),
            "{got:?}"
        );
        assert_eq!(got[6], Ok("7".to_string()));
    }

    #[test]
    fn csv_without_a_text_column_says_how_to_map_one() {
        let records = collect("a,b\n1,2\n", InputFormat::Csv, &ColumnMap::default());
        let err = records[0].as_ref().unwrap_err();
        assert!(err.message.contains("--map text="), "{}", err.message);
    }
}
