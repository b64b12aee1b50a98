//! Helpdesk exports as they come: Zendesk (CSV and JSON), Freshdesk CSV, Intercom and Help Scout JSON, Usedesk CSV, sniffed from the header row or the JSON top-level keys and mapped to the replay schema.
//!
//! CSV exports go through replay's CSV reader with the vendor's column names tried before the
//! generic ones (`--map` still wins). JSON exports are whole documents, read here: each ticket or
//! conversation becomes a row keyed by replay field, with the conversation as `messages`, so
//! the replay's conversation rule applies (the first customer message is the ticket, the first
//! public agent reply is `agent_reply`), and the first-response time comes from that reply's
//! timestamp (or the vendor's own statistic). Internal notes are never part of the conversation.
//!
//! Tags are read by one rule for every vendor: a tag `kb-<id>` (or `kb:<id>`) names a
//! knowledge-base document that answers the ticket (a gold document); when the row has no
//! category, the first other tag is its category.
//!
//! The one-file JSON shapes (see README, "Helpdesk exports"):
//! - Zendesk: `{"tickets": [...], "users": [...], "groups": [...]}` as the incremental ticket
//!   export writes it with `users` and `groups` side-loaded, each ticket with its `comments`
//!   (the ticket comments API's objects: `author_id`, `public`, `body`, `created_at`) embedded.
//! - Intercom: `{"type": "conversation.list", "conversations": [...]}`, each conversation with its
//!   `source` (the first message) and `conversation_parts`.
//! - Help Scout: `{"_embedded": {"conversations": [...]}}` (the list conversations API with
//!   `embed=threads`), each with `_embedded.threads` of type `customer`, `reply`, `note`.

use std::collections::HashMap;
use std::path::Path;

use serde_json::{Map, Value};

use super::replay::{ReplayMap, ReplayRecord};
use crate::error::{InputIssue, UserError};

/// Where a replay file comes from: `--source`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Source {
    /// Sniffed from the CSV header row or the JSON top-level keys.
    #[default]
    Auto,
    /// Zendesk CSV export.
    Zendesk,
    /// Zendesk tickets JSON with embedded comments.
    #[value(name = "zendesk-json")]
    ZendeskJson,
    /// Freshdesk CSV export.
    Freshdesk,
    /// Intercom conversations JSON.
    Intercom,
    /// Help Scout conversations JSON with threads.
    #[value(name = "helpscout")]
    HelpScout,
    /// Usedesk CSV export (Russian headers).
    Usedesk,
    /// kbctl's own replay schema and common column names.
    Generic,
}

impl Source {
    /// The `--source` value.
    pub fn flag(self) -> String {
        clap::ValueEnum::to_possible_value(&self)
            .map_or_else(String::new, |v| v.get_name().to_string())
    }

    /// The name in messages and in the results file.
    pub fn label(self) -> &'static str {
        match self {
            Source::Auto => "auto",
            Source::Zendesk => "Zendesk CSV",
            Source::ZendeskJson => "Zendesk JSON",
            Source::Freshdesk => "Freshdesk CSV",
            Source::Intercom => "Intercom JSON",
            Source::HelpScout => "Help Scout JSON",
            Source::Usedesk => "Usedesk CSV",
            Source::Generic => "generic",
        }
    }

    fn is_json(self) -> bool {
        matches!(
            self,
            Source::ZendeskJson | Source::Intercom | Source::HelpScout
        )
    }

    fn is_csv(self) -> bool {
        matches!(self, Source::Zendesk | Source::Freshdesk | Source::Usedesk)
    }

    /// The vendor's CSV column names for a replay field, tried before the generic names.
    pub fn columns(self, field: &str) -> &'static [&'static str] {
        let table: &[(&str, &[&str])] = match self {
            Source::Zendesk => &[
                ("id", &["Id"]),
                ("subject", &["Subject"]),
                ("text", &["Description"]),
                ("channel", &["Via"]),
                ("agent", &["Assignee"]),
                ("created_at", &["Created at"]),
                ("resolved_at", &["Solved at"]),
                ("first_response_minutes", &["First reply time in minutes"]),
                // Zendesk's Type is question/incident/problem/task; the Group is the topic.
                ("category", &["Group"]),
                ("tags", &["Tags"]),
            ],
            Source::Freshdesk => &[
                ("id", &["Ticket ID"]),
                ("subject", &["Subject"]),
                ("text", &["Description"]),
                ("channel", &["Source"]),
                ("agent", &["Agent"]),
                ("created_at", &["Created time"]),
                ("resolved_at", &["Resolved time", "Closed time"]),
                ("first_response_time", &["Initial response time"]),
                ("first_response_hours", &["First response time (in hrs)"]),
                ("category", &["Type", "Group"]),
                ("tags", &["Tags"]),
            ],
            Source::Usedesk => &[
                ("id", &["ID тикета", "ID"]),
                ("subject", &["Тема"]),
                ("text", &["Текст", "Сообщение", "Первое сообщение"]),
                ("channel", &["Канал"]),
                ("agent", &["Сотрудник", "Агент", "Ответственный"]),
                ("created_at", &["Дата создания"]),
                ("first_response_at", &["Дата первого ответа"]),
                ("first_response_time", &["Время первого ответа"]),
                ("resolved_at", &["Дата закрытия", "Дата решения"]),
                ("category", &["Тип", "Категория", "Группа"]),
                ("tags", &["Теги"]),
                ("language", &["Язык"]),
            ],
            _ => &[],
        };
        table
            .iter()
            .find(|(f, _)| *f == field)
            .map_or(&[], |(_, names)| names)
    }
}

/// The source of a CSV file: `given`, or sniffed from its header row when `auto`. A JSON
/// vendor is refused for a CSV file.
pub fn csv_source(given: Source, headers: &[String], origin: &str) -> Result<Source, UserError> {
    if given.is_json() {
        return Err(UserError::Invalid(format!(
            "{origin}: --source {} reads a JSON export ({}), and this is a CSV file",
            given.flag(),
            given.label()
        )));
    }
    if given != Source::Auto {
        return Ok(given);
    }
    let has = |name: &str| {
        headers
            .iter()
            .any(|h| h.trim().to_lowercase() == name.to_lowercase())
    };
    Ok(
        if has("ID тикета") || (has("Тема") && has("Дата создания")) {
            Source::Usedesk
        } else if has("Via")
            && (has("Requester") || has("Solved at") || has("First reply time in minutes"))
        {
            Source::Zendesk
        } else if has("Ticket ID")
            && (has("Initial response time")
                || has("First response time (in hrs)")
                || (has("Agent") && has("Created time")))
        {
            Source::Freshdesk
        } else {
            Source::Generic
        },
    )
}

/// The vendor of a JSON document, from its top-level keys.
pub fn json_source(value: &Value) -> Option<Source> {
    let object = value.as_object()?;
    if object.get("tickets").is_some_and(Value::is_array) {
        return Some(Source::ZendeskJson);
    }
    let embedded = value.pointer("/_embedded/conversations");
    if embedded.is_some_and(Value::is_array) {
        return Some(Source::HelpScout);
    }
    let conversations = object.get("conversations").filter(|c| c.is_array())?;
    match conversations.as_array().and_then(|l| l.first()) {
        Some(c) if c.get("threads").is_some() || c.pointer("/_embedded/threads").is_some() => {
            Some(Source::HelpScout)
        }
        _ => Some(Source::Intercom),
    }
}

/// Read `path` as a JSON export when it is one: `Ok(None)` for JSON lines (or a JSON document
/// no vendor writes), which replay reads as its own schema. With `--source` naming a JSON vendor
/// the file must be that export.
pub(super) fn read_json(
    path: &Path,
    map: &ReplayMap,
    cap: u64,
) -> anyhow::Result<Option<(Vec<ReplayRecord>, Source)>> {
    let origin = path.display().to_string();
    let given = map.source();
    if given.is_csv() {
        return Err(UserError::Invalid(format!(
            "{origin}: --source {} reads a CSV export ({}), and this is a JSON file",
            given.flag(),
            given.label()
        ))
        .into());
    }
    if given == Source::Generic {
        return Ok(None);
    }
    if given == Source::Auto && !whole_document(path, cap)? {
        return Ok(None);
    }
    let bytes =
        std::fs::read(path).map_err(|err| UserError::Invalid(format!("{origin}: {err}")))?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let value: Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(_) if given == Source::Auto => return Ok(None),
        Err(err) => {
            return Err(UserError::Invalid(format!(
                "{origin}: not a {} export: invalid JSON: {err}",
                given.label()
            ))
            .into());
        }
    };
    let source = match (given, json_source(&value)) {
        (Source::Auto, None) => return Ok(None),
        (Source::Auto, Some(found)) => found,
        (given, _) => given,
    };
    let rows = match source {
        Source::ZendeskJson => zendesk(&value),
        Source::Intercom => intercom(&value),
        _ => helpscout(&value),
    }
    .map_err(|message| UserError::Invalid(format!("{origin}: {}: {message}", source.label())))?;
    Ok(Some((
        rows.into_iter()
            .enumerate()
            .map(|(i, row)| {
                let n = i + 1;
                let (raw, mut fields) = row.map_err(|m| InputIssue::new(&origin, Some(n), m))?;
                // `--map field=key` on top: a key (or a dotted path) of the ticket object.
                for (field, key) in map.mapped() {
                    if let Some(v) = lookup(raw, key).filter(|v| !v.is_null()) {
                        fields.insert(field.to_string(), v.clone());
                    }
                }
                super::replay::from_object(fields, &origin, n, &map.zone())
            })
            .collect(),
        source,
    )))
}

/// Whether a `.json` file is one document rather than JSON lines: its first line is not a
/// whole JSON object, or it is one that a vendor writes (a minified export).
fn whole_document(path: &Path, cap: u64) -> anyhow::Result<bool> {
    let origin = path.display();
    let file =
        std::fs::File::open(path).map_err(|err| UserError::Invalid(format!("{origin}: {err}")))?;
    for line in crate::lines::bounded(std::io::BufReader::new(file), cap) {
        let line = line.map_err(|err| UserError::Invalid(format!("{origin}: {err}")))?;
        let crate::lines::Line::Text(text) = line else {
            // Too long for a record: JSON lines would refuse it, so try it as one document.
            return Ok(true);
        };
        let text = text.trim().trim_start_matches('\u{feff}');
        if text.is_empty() {
            continue;
        }
        return Ok(match serde_json::from_str::<Value>(text) {
            Ok(value) => json_source(&value).is_some(),
            Err(_) => text.starts_with('{') || text.starts_with('['),
        });
    }
    Ok(false)
}

/// One ticket of an export: the vendor's object, and its replay fields.
type Row<'a> = Result<(&'a Value, Map<String, Value>), String>;

fn list<'a>(value: &'a Value, pointer: &str, what: &str) -> Result<&'a Vec<Value>, String> {
    value
        .pointer(pointer)
        .and_then(Value::as_array)
        .ok_or_else(|| format!("no `{}` list of {what}", pointer.trim_start_matches('/')))
}

/// `key` or `a.b.c` in `value`.
fn lookup<'a>(value: &'a Value, key: &str) -> Option<&'a Value> {
    value
        .get(key)
        .or_else(|| key.split('.').try_fold(value, |v, k| v.get(k)))
}

/// A text or number as text (ids are either).
fn text_of(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// An epoch number or a time text, as the text a message's `at` holds.
fn time_text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::Number(n) => {
            let (s, _) = super::times::epoch(n.as_f64()?).ok()?;
            chrono::DateTime::from_timestamp(s as i64, 0)
                .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        }
        other => text_of(Some(other)),
    }
}

/// Message text from an HTML body (Intercom, Help Scout).
fn html_text(value: Option<&Value>) -> Option<String> {
    let html = value?.as_str()?;
    let text = crate::corpus::html_to_text(html);
    Some(text.trim().to_string()).filter(|t| !t.is_empty())
}

fn message(role: &str, text: String, at: Option<String>) -> Value {
    let mut m = Map::new();
    m.insert("role".into(), role.into());
    m.insert("text".into(), text.into());
    if let Some(at) = at {
        m.insert("at".into(), at.into());
    }
    Value::Object(m)
}

/// Put `value` under `field` when there is one.
fn put(fields: &mut Map<String, Value>, field: &str, value: Option<impl Into<Value>>) {
    if let Some(v) = value {
        fields.insert(field.into(), v.into());
    }
}

/// The time of the first agent message, for `first_response_at`.
fn first_agent_at(messages: &[Value]) -> Option<String> {
    let first_customer = messages.iter().position(|m| m["role"] == "customer")?;
    messages[first_customer..]
        .iter()
        .find(|m| m["role"] == "agent")
        .and_then(|m| m["at"].as_str().map(String::from))
}

fn customer(name: Option<String>, email: Option<String>) -> Option<Value> {
    if name.is_none() && email.is_none() {
        return None;
    }
    let mut c = Map::new();
    put(&mut c, "name", name);
    put(&mut c, "email", email);
    Some(Value::Object(c))
}

/// Zendesk: tickets with embedded comments; side-loaded users name people and tell agents from
/// end users (without them, the requester is the customer and anyone else an agent).
fn zendesk(value: &Value) -> Result<Vec<Row<'_>>, String> {
    let tickets = list(value, "/tickets", "tickets")?;
    let index = |key: &str| -> HashMap<String, &Value> {
        value
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|u| Some((text_of(u.get("id"))?, u)))
            .collect()
    };
    let users = index("users");
    let groups = index("groups");
    let name_of = |id: Option<&Value>| {
        let id = text_of(id)?;
        users
            .get(&id)
            .and_then(|u| text_of(u.get("name")))
            .or(Some(id))
    };
    Ok(tickets
        .iter()
        .map(|t| {
            if !t.is_object() {
                return Err("a ticket is not a JSON object".to_string());
            }
            let mut f = Map::new();
            put(&mut f, "id", text_of(t.get("id")));
            put(&mut f, "subject", text_of(t.get("subject")));
            put(&mut f, "channel", text_of(t.pointer("/via/channel")));
            put(&mut f, "created_at", time_text(t.get("created_at")));
            put(&mut f, "agent", name_of(t.get("assignee_id")));
            let group = text_of(t.get("group_id"))
                .and_then(|g| groups.get(&g).and_then(|g| text_of(g.get("name"))));
            put(&mut f, "category", group);
            put(&mut f, "tags", t.get("tags").cloned());
            let solved = t.get("solved_at").or(t.pointer("/metric_set/solved_at"));
            put(&mut f, "resolved_at", time_text(solved));
            let minutes = t.pointer("/metric_set/reply_time_in_minutes/calendar");
            put(
                &mut f,
                "first_response_minutes",
                minutes.filter(|m| m.is_number()).cloned(),
            );
            let requester = text_of(t.get("requester_id"));
            if let Some(r) = &requester {
                let user = users.get(r);
                let c = customer(
                    user.and_then(|u| text_of(u.get("name"))),
                    user.and_then(|u| text_of(u.get("email"))),
                );
                put(&mut f, "customer", c);
            }
            let mut messages = Vec::new();
            for c in t
                .get("comments")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                // Private comments are internal notes: not part of the conversation.
                if c.get("public") == Some(&Value::Bool(false)) {
                    continue;
                }
                let Some(body) = text_of(c.get("plain_body").or(c.get("body"))) else {
                    continue;
                };
                let author = text_of(c.get("author_id"));
                let role = match author.as_ref().and_then(|a| users.get(a)) {
                    Some(u) if u.get("role").and_then(Value::as_str) == Some("end-user") => {
                        "customer"
                    }
                    Some(u) if u.get("role").is_some() => "agent",
                    _ if author.is_some() && author == requester => "customer",
                    _ => "agent",
                };
                messages.push(message(role, body, time_text(c.get("created_at"))));
            }
            if messages.iter().any(|m| m["role"] == "customer") {
                put(&mut f, "first_response_at", first_agent_at(&messages));
                f.insert("messages".into(), Value::Array(messages));
            } else {
                put(&mut f, "text", text_of(t.get("description")));
            }
            Ok((t, f))
        })
        .collect())
}

/// Intercom: the conversation's `source` is its first message; `conversation_parts` of type
/// `comment` follow (notes, assignments and bot parts are not the conversation).
fn intercom(value: &Value) -> Result<Vec<Row<'_>>, String> {
    let conversations = list(value, "/conversations", "conversations")?;
    let role_of =
        |author: Option<&Value>| match author.and_then(|a| a.get("type")).and_then(Value::as_str) {
            Some("user" | "lead" | "contact") => Some("customer"),
            Some("admin") => Some("agent"),
            _ => None,
        };
    Ok(conversations
        .iter()
        .map(|c| {
            if !c.is_object() {
                return Err("a conversation is not a JSON object".to_string());
            }
            let mut f = Map::new();
            put(&mut f, "id", text_of(c.get("id")));
            let subject =
                html_text(c.pointer("/source/subject")).or_else(|| text_of(c.get("title")));
            put(&mut f, "subject", subject);
            let channel = match c.pointer("/source/type").and_then(Value::as_str) {
                Some("conversation") => Some("chat".to_string()),
                other => other.map(String::from),
            };
            put(&mut f, "channel", channel);
            put(&mut f, "created_at", c.get("created_at").cloned());
            let mut messages = Vec::new();
            let mut admins: HashMap<String, String> = HashMap::new();
            let source = c.get("source");
            let parts = c
                .pointer("/conversation_parts/conversation_parts")
                .and_then(Value::as_array);
            let first = source.map(|s| (s, c.get("created_at")));
            let rest = parts
                .into_iter()
                .flatten()
                .filter(|p| p.get("part_type").and_then(Value::as_str) == Some("comment"))
                .map(|p| (p, p.get("created_at")));
            for (part, at) in first.into_iter().chain(rest) {
                let author = part.get("author");
                if let (Some("agent"), Some(id), Some(name)) = (
                    role_of(author),
                    text_of(author.and_then(|a| a.get("id"))),
                    text_of(author.and_then(|a| a.get("name"))),
                ) {
                    admins.entry(id).or_insert(name);
                }
                if let (Some(role), Some(text)) = (role_of(author), html_text(part.get("body"))) {
                    messages.push(message(role, text, time_text(at)));
                }
            }
            let stats = |key: &str| c.pointer(&format!("/statistics/{key}")).cloned();
            put(
                &mut f,
                "first_response_at",
                stats("first_admin_reply_at")
                    .or_else(|| first_agent_at(&messages).map(Value::from)),
            );
            put(
                &mut f,
                "first_response_seconds",
                stats("time_to_admin_reply"),
            );
            put(
                &mut f,
                "resolved_at",
                stats("first_close_at").or_else(|| stats("last_close_at")),
            );
            let assignee = text_of(c.get("admin_assignee_id"));
            let agent = assignee
                .as_ref()
                .and_then(|a| admins.get(a).cloned())
                .or_else(|| admins.values().next().cloned())
                .or(assignee);
            put(&mut f, "agent", agent);
            let tags: Vec<Value> = c
                .pointer("/tags/tags")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|t| text_of(t.get("name")).map(Value::from))
                .collect();
            put(
                &mut f,
                "tags",
                Some(Value::Array(tags)).filter(|t| t != &Value::Array(vec![])),
            );
            let attributes = c.get("custom_attributes");
            let attribute = |name: &str| {
                attributes
                    .and_then(Value::as_object)
                    .and_then(|a| a.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)))
                    .and_then(|(_, v)| text_of(Some(v)))
            };
            put(&mut f, "category", attribute("category"));
            put(&mut f, "language", attribute("language"));
            let author = source.and_then(|s| s.get("author"));
            put(
                &mut f,
                "customer",
                customer(
                    text_of(author.and_then(|a| a.get("name"))),
                    text_of(author.and_then(|a| a.get("email"))),
                ),
            );
            f.insert("messages".into(), Value::Array(messages));
            Ok((c, f))
        })
        .collect())
}

/// Help Scout: threads come newest first; `customer` threads are the customer's, `reply`
/// threads the agents' (drafts and notes are not sent).
fn helpscout(value: &Value) -> Result<Vec<Row<'_>>, String> {
    let conversations = list(value, "/_embedded/conversations", "conversations")
        .or_else(|_| list(value, "/conversations", "conversations"))?;
    let person = |p: Option<&Value>| {
        let p = p?;
        let name = [text_of(p.get("first")), text_of(p.get("last"))]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        Some(name)
            .filter(|n| !n.is_empty())
            .or_else(|| text_of(p.get("email")))
    };
    Ok(conversations
        .iter()
        .map(|c| {
            if !c.is_object() {
                return Err("a conversation is not a JSON object".to_string());
            }
            let mut f = Map::new();
            put(&mut f, "id", text_of(c.get("number").or(c.get("id"))));
            put(&mut f, "subject", text_of(c.get("subject")));
            put(&mut f, "channel", text_of(c.pointer("/source/type")));
            put(&mut f, "created_at", time_text(c.get("createdAt")));
            put(&mut f, "resolved_at", time_text(c.get("closedAt")));
            put(&mut f, "agent", person(c.get("assignee")));
            let primary = c.get("primaryCustomer");
            put(
                &mut f,
                "customer",
                customer(
                    person(primary),
                    text_of(primary.and_then(|p| p.get("email"))),
                ),
            );
            let tags: Vec<Value> = c
                .get("tags")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|t| text_of(t.get("tag").or(t.get("name"))).map(Value::from))
                .collect();
            put(
                &mut f,
                "tags",
                Some(Value::Array(tags)).filter(|t| t != &Value::Array(vec![])),
            );
            let category = c
                .get("customFields")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .find(|cf| {
                    cf.get("name")
                        .and_then(Value::as_str)
                        .is_some_and(|n| n.eq_ignore_ascii_case("category"))
                })
                .and_then(|cf| text_of(cf.get("text").or(cf.get("value"))));
            put(&mut f, "category", category);
            let threads = c
                .pointer("/_embedded/threads")
                .or(c.get("threads"))
                .and_then(Value::as_array);
            let mut sent: Vec<(Option<String>, Value)> = threads
                .into_iter()
                .flatten()
                .filter(|t| {
                    t.get("state")
                        .and_then(Value::as_str)
                        .is_none_or(|s| s == "published")
                })
                .filter_map(|t| {
                    let role = match t.get("type").and_then(Value::as_str)? {
                        "customer" => "customer",
                        "reply" => "agent",
                        _ => return None,
                    };
                    let at = time_text(t.get("createdAt"));
                    let text = html_text(t.get("body"))?;
                    Some((at.clone(), message(role, text, at)))
                })
                .collect();
            // RFC 3339 UTC times sort as text; stable, so equal times keep the file's order.
            sent.sort_by(|a, b| a.0.cmp(&b.0));
            let messages: Vec<Value> = sent.into_iter().map(|(_, m)| m).collect();
            put(&mut f, "first_response_at", first_agent_at(&messages));
            f.insert("messages".into(), Value::Array(messages));
            Ok((c, f))
        })
        .collect())
}

/// What every export's row needs before it becomes a ticket (keyed by replay field): the tags
/// rule ([`apply_tags`]); a first-response "time" column holding a timestamp (Freshdesk's
/// `Initial response time` in some exports) read as `first_response_at`; a duration in hours
/// (Freshdesk's `First response time (in hrs)`) as seconds.
pub(super) fn adapt(object: &mut Map<String, Value>) {
    apply_tags(object);
    if let Some(Value::String(s)) = object.get("first_response_time") {
        let clock =
            super::times::duration(&Value::from(s.as_str()), super::times::DurationUnit::Clock);
        let stamp = super::times::parse(s, &super::times::Zone::Utc);
        if clock.is_err() && stamp.is_ok() && !object.contains_key("first_response_at") {
            let value = object.remove("first_response_time");
            put(object, "first_response_at", value);
        }
    }
    if let Some(hours) = object.remove("first_response_hours") {
        let n = match &hours {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse::<f64>().ok(),
            _ => None,
        };
        match n.and_then(|h| serde_json::Number::from_f64(h * 3600.0)) {
            Some(seconds) if !object.contains_key("first_response_seconds") => {
                object.insert("first_response_seconds".into(), Value::Number(seconds));
            }
            Some(_) => {}
            // Left for the duration check to refuse with its message.
            None => {
                object.entry("first_response_seconds").or_insert(hours);
            }
        }
    }
}

/// The tags rule, on a row keyed by replay field: `kb-<id>` tags become gold documents (when the
/// row names none), and the first other tag the category (when it has none). Tags are a list or
/// text separated by spaces, commas, semicolons or bars.
pub(super) fn apply_tags(object: &mut Map<String, Value>) {
    let tags: Vec<String> = match object.remove("tags") {
        Some(Value::Array(items)) => items.iter().filter_map(|v| text_of(Some(v))).collect(),
        Some(Value::String(s)) => s
            .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '|'))
            .filter(|t| !t.is_empty())
            .map(String::from)
            .collect(),
        _ => return,
    };
    let (docs, others): (Vec<&String>, Vec<&String>) = tags.iter().partition(|t| gold(t).is_some());
    if !docs.is_empty() && object.get("gold_docs").is_none_or(Value::is_null) {
        let docs: Vec<Value> = docs
            .iter()
            .filter_map(|t| gold(t))
            .map(Value::from)
            .collect();
        object.insert("gold_docs".into(), Value::Array(docs));
    }
    if let Some(first) = others.first()
        && object.get("category").is_none_or(Value::is_null)
    {
        object.insert("category".into(), Value::from(first.as_str()));
    }
}

/// The document a `kb-<id>` or `kb:<id>` tag names.
fn gold(tag: &str) -> Option<&str> {
    let rest = tag
        .get(..3)
        .filter(|p| p.eq_ignore_ascii_case("kb-") || p.eq_ignore_ascii_case("kb:"))
        .map(|_| &tag[3..])?;
    Some(rest).filter(|r| !r.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(rows: Vec<Row<'_>>) -> Vec<Map<String, Value>> {
        rows.into_iter().map(|r| r.unwrap().1).collect()
    }

    #[test]
    fn csv_vendors_are_sniffed_from_their_headers() {
        let h = |s: &str| s.split(',').map(String::from).collect::<Vec<_>>();
        let zendesk = h(
            "Id,Requester,Assignee,Group,Via,Created at,Solved at,First reply time in minutes,Subject,Description,Tags",
        );
        assert_eq!(
            csv_source(Source::Auto, &zendesk, "f").unwrap(),
            Source::Zendesk
        );
        let freshdesk = h(
            "Ticket ID,Subject,Description,Status,Priority,Source,Type,Agent,Group,Created time,Initial response time",
        );
        assert_eq!(
            csv_source(Source::Auto, &freshdesk, "f").unwrap(),
            Source::Freshdesk
        );
        let usedesk = h("ID тикета,Тема,Текст,Канал,Дата создания,Время первого ответа");
        assert_eq!(
            csv_source(Source::Auto, &usedesk, "f").unwrap(),
            Source::Usedesk
        );
        // The older helpdesk fixture (no Agent, no Initial response time) stays generic.
        let generic =
            h("Ticket ID,Subject,Description,Created time,First responded time,Assignee,Type");
        assert_eq!(
            csv_source(Source::Auto, &generic, "f").unwrap(),
            Source::Generic
        );
        // --source wins; a JSON vendor for a CSV file is refused.
        assert_eq!(
            csv_source(Source::Usedesk, &generic, "f").unwrap(),
            Source::Usedesk
        );
        let err = csv_source(Source::Intercom, &generic, "f.csv").unwrap_err();
        assert!(
            err.to_string()
                .contains("f.csv: --source intercom reads a JSON export (Intercom JSON)"),
            "{err}"
        );
    }

    #[test]
    fn vendor_columns_come_before_generic_names() {
        assert_eq!(Source::Zendesk.columns("category"), ["Group"]);
        assert_eq!(
            Source::Freshdesk.columns("first_response_time"),
            ["Initial response time"]
        );
        assert_eq!(Source::Usedesk.columns("created_at"), ["Дата создания"]);
        assert!(Source::Generic.columns("id").is_empty());
    }

    #[test]
    fn json_vendors_are_sniffed_from_top_level_keys() {
        assert_eq!(
            json_source(&json!({"tickets": [], "users": []})),
            Some(Source::ZendeskJson)
        );
        assert_eq!(
            json_source(&json!({"type": "conversation.list", "conversations": [{"source": {}}]})),
            Some(Source::Intercom)
        );
        assert_eq!(
            json_source(&json!({"_embedded": {"conversations": []}, "page": {}})),
            Some(Source::HelpScout)
        );
        assert_eq!(
            json_source(&json!({"conversations": [{"threads": []}]})),
            Some(Source::HelpScout)
        );
        assert_eq!(json_source(&json!({"id": "a", "text": "hello"})), None);
    }

    #[test]
    fn zendesk_tickets_with_comments_public_only_and_users_for_roles() {
        let export = json!({
            "tickets": [{
                "id": 101, "subject": "Faktura VAT", "description": "Gdzie znajdę fakturę?",
                "via": {"channel": "email"}, "created_at": "2026-09-01T07:22:14Z",
                "requester_id": 1, "assignee_id": 2, "group_id": 7, "tags": ["kb-billing-faktura-vat-pl", "vat"],
                "comments": [
                    {"author_id": 1, "public": true, "body": "Gdzie znajdę fakturę?", "created_at": "2026-09-01T07:22:14Z"},
                    {"author_id": 2, "public": false, "body": "internal: check account", "created_at": "2026-09-01T07:30:00Z"},
                    {"author_id": 2, "public": true, "body": "W panelu, Rozliczenia.", "created_at": "2026-09-01T07:40:14Z"},
                    {"author_id": 1, "public": true, "body": "Dzięki!", "created_at": "2026-09-01T08:00:00Z"}
                ]
            }, {
                "id": 102, "subject": "No comments", "description": "Where is my order?",
                "metric_set": {"reply_time_in_minutes": {"calendar": 42, "business": 30}}
            }, "nonsense"],
            "users": [{"id": 1, "name": "Ola Nowak", "role": "end-user"}, {"id": 2, "name": "piotr.w", "role": "agent"}],
            "groups": [{"id": 7, "name": "billing"}]
        });
        let rows = zendesk(&export).unwrap();
        assert!(rows[2].is_err());
        let f = fields(rows.into_iter().take(2).collect());
        assert_eq!(f[0]["id"], "101");
        assert_eq!(f[0]["agent"], "piotr.w");
        assert_eq!(f[0]["category"], "billing");
        assert_eq!(f[0]["channel"], "email");
        assert_eq!(f[0]["first_response_at"], "2026-09-01T07:40:14Z");
        assert_eq!(f[0]["customer"]["name"], "Ola Nowak");
        let messages = f[0]["messages"].as_array().unwrap();
        assert_eq!(messages.len(), 3, "the private note is left out");
        assert_eq!(messages[1]["role"], "agent");
        assert_eq!(f[1]["text"], "Where is my order?");
        assert_eq!(f[1]["first_response_minutes"], 42);
    }

    #[test]
    fn zendesk_without_users_takes_the_requester_as_the_customer() {
        let export = json!({"tickets": [{"id": 5, "requester_id": 9, "created_at": "2026-09-01T07:00:00Z", "comments": [
            {"author_id": 9, "public": true, "body": "Где счёт?", "created_at": "2026-09-01T07:00:00Z"},
            {"author_id": 3, "public": true, "body": "В разделе Биллинг.", "created_at": "2026-09-01T07:05:00Z"}]}]});
        let f = fields(zendesk(&export).unwrap());
        assert_eq!(f[0]["messages"][0]["role"], "customer");
        assert_eq!(f[0]["messages"][1]["role"], "agent");
        assert_eq!(f[0]["first_response_at"], "2026-09-01T07:05:00Z");
        assert!(!f[0].contains_key("agent"), "no assignee");
    }

    #[test]
    fn intercom_source_parts_statistics_and_html() {
        let export = json!({"type": "conversation.list", "conversations": [{
            "id": "c1", "created_at": 1788247334,
            "source": {"type": "conversation", "subject": "", "body": "<p>How do I reset my <b>password</b>?</p>",
                       "author": {"type": "user", "name": "Megan", "email": "megan@shop.example"}},
            "admin_assignee_id": "77",
            "statistics": {"first_admin_reply_at": 1788247634, "time_to_admin_reply": 300, "first_close_at": 1788249000},
            "tags": {"type": "tag.list", "tags": [{"name": "kb-account-2fa-setup-en"}, {"name": "account"}]},
            "conversation_parts": {"conversation_parts": [
                {"part_type": "note", "body": "<p>VIP</p>", "created_at": 1788247400, "author": {"type": "admin", "id": "77", "name": "James"}},
                {"part_type": "comment", "body": "<p>Bot here</p>", "created_at": 1788247500, "author": {"type": "bot", "id": "1"}},
                {"part_type": "comment", "body": "<p>Open Settings &amp; Security.</p>", "created_at": 1788247634, "author": {"type": "admin", "id": "77", "name": "James"}}
            ]}
        }]});
        let f = fields(intercom(&export).unwrap());
        assert_eq!(f[0]["channel"], "chat");
        assert_eq!(f[0]["agent"], "James");
        assert_eq!(f[0]["first_response_at"], 1788247634);
        assert_eq!(f[0]["first_response_seconds"], 300);
        let messages = f[0]["messages"].as_array().unwrap();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert_eq!(messages[0]["text"], "How do I reset my password?");
        assert_eq!(messages[0]["at"], "2026-09-01T07:22:14Z");
        assert_eq!(messages[1]["text"], "Open Settings & Security.");
        assert_eq!(f[0]["customer"]["email"], "megan@shop.example");
    }

    #[test]
    fn helpscout_threads_sorted_replies_only_and_custom_category() {
        let export = json!({"_embedded": {"conversations": [{
            "id": 9001, "number": 311, "subject": "Zwrot", "createdAt": "2026-09-01T07:22:14Z",
            "closedAt": "2026-09-01T10:00:00Z", "source": {"type": "email", "via": "customer"},
            "assignee": {"first": "Piotr", "last": "W."}, "tags": [{"tag": "kb-refunds-wniosek-o-zwrot-pl"}],
            "customFields": [{"name": "Category", "value": "7", "text": "refunds"}],
            "_embedded": {"threads": [
                {"type": "reply", "state": "published", "body": "Proszę wypełnić wniosek.", "createdAt": "2026-09-01T08:00:00Z"},
                {"type": "note", "body": "sprawdzić", "createdAt": "2026-09-01T07:50:00Z"},
                {"type": "reply", "state": "draft", "body": "draft", "createdAt": "2026-09-01T07:40:00Z"},
                {"type": "customer", "body": "<p>Chcę zwrot</p>", "createdAt": "2026-09-01T07:22:14Z"}
            ]}
        }]}});
        let f = fields(helpscout(&export).unwrap());
        assert_eq!(f[0]["id"], "311");
        assert_eq!(f[0]["agent"], "Piotr W.");
        assert_eq!(f[0]["category"], "refunds");
        assert_eq!(f[0]["first_response_at"], "2026-09-01T08:00:00Z");
        let messages = f[0]["messages"].as_array().unwrap();
        assert_eq!(messages.len(), 2);
        assert_eq!(messages[0]["text"], "Chcę zwrot");
    }

    #[test]
    fn tags_name_gold_documents_and_else_the_category() {
        let mut row = Map::new();
        row.insert(
            "tags".into(),
            "vip kb-billing-faktura-vat-pl, KB:faq-billing-1".into(),
        );
        apply_tags(&mut row);
        assert_eq!(
            row["gold_docs"],
            json!(["billing-faktura-vat-pl", "faq-billing-1"])
        );
        assert_eq!(row["category"], "vip");
        assert!(!row.contains_key("tags"));
        // Given gold documents and a category are kept.
        let mut row = Map::new();
        row.insert("tags".into(), json!(["kb-x", "billing"]));
        row.insert("gold_docs".into(), json!(["y"]));
        row.insert("category".into(), "delivery".into());
        apply_tags(&mut row);
        assert_eq!(
            (row["gold_docs"].clone(), row["category"].clone()),
            (json!(["y"]), json!("delivery"))
        );
        assert_eq!(gold("kb-"), None);
        assert_eq!(gold("kbx"), None);
    }

    fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> std::path::PathBuf {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    fn read(path: &Path, map: &ReplayMap) -> Vec<ReplayRecord> {
        super::super::replay::read(path, map, 1_000_000).unwrap()
    }

    #[test]
    fn a_zendesk_csv_in_cp1251_with_semicolons_is_read_through_the_vendor_columns() {
        let dir = tempfile::tempdir().unwrap();
        let text = "Id;Requester;Assignee;Group;Via;Created at;Solved at;First reply time in minutes;Type;Subject;Description;Tags\n\
                    7;Ирина;olga.m;billing;Email;2026-09-01 07:22:14 +0000;2026-09-01 09:00:00 +0000;12;question;Счёт;Где закрывающие документы?;kb-billing-zakryvayushchie-dokumenty-ru vip\n";
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(text);
        let path = write(&dir, "zendesk.csv", &bytes);
        let rows = read(&path, &ReplayMap::default());
        let t = rows[0].as_ref().unwrap();
        assert_eq!(t.ticket.id, "7");
        assert_eq!(t.ticket.query_text(), "Счёт\nГде закрывающие документы?");
        assert_eq!(t.category.as_deref(), Some("billing"), "Group, not Type");
        assert_eq!(t.gold_docs, ["billing-zakryvayushchie-dokumenty-ru"]);
        assert_eq!(t.human_frt_s(), Some(720.0));
        assert_eq!(t.ticket.channel.as_deref(), Some("Email"));
        // --map still wins over the vendor's columns.
        let map = ReplayMap::parse("category=Type").unwrap();
        let rows = read(&path, &map);
        assert_eq!(
            rows[0].as_ref().unwrap().category.as_deref(),
            Some("question")
        );
    }

    #[test]
    fn a_usedesk_utf16_tab_export_and_a_freshdesk_csv() {
        let dir = tempfile::tempdir().unwrap();
        let text = "ID тикета\tТема\tТекст\tКанал\tСотрудник\tДата создания\tВремя первого ответа\tТеги\n\
                    U-1\tПароль\tНе приходит письмо для сброса пароля\tEmail\tolga.m\t01.09.2026 10:22\t00:45:00\tkb-account-vosstanovlenie-parolya-ru\n";
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let path = write(&dir, "usedesk.csv", &bytes);
        let zone = super::super::times::Zone::parse("+03:00").unwrap();
        let rows = read(&path, &ReplayMap::default().with_zone(zone));
        let t = rows[0].as_ref().unwrap();
        assert_eq!(t.ticket.id, "U-1");
        assert_eq!(t.agent.as_deref(), Some("olga.m"));
        assert_eq!(t.created, Some(1_788_247_320.0));
        assert_eq!(t.human_frt_s(), Some(2700.0));
        assert_eq!(t.gold_docs, ["account-vosstanovlenie-parolya-ru"]);

        let freshdesk = write(
            &dir,
            "freshdesk.csv",
            "\u{feff}Ticket ID,Subject,Description,Status,Priority,Source,Type,Agent,Group,Created time,Initial response time,Tags\n\
             12,Faktura,Gdzie faktura?,Closed,Low,Email,billing,piotr.w,Billing PL,2026-09-01 07:22:14,01:30:00,\"kb-billing-faktura-vat-pl,faktura\"\n"
                .as_bytes(),
        );
        let rows = read(&freshdesk, &ReplayMap::default());
        let t = rows[0].as_ref().unwrap();
        assert_eq!(t.ticket.id, "12", "the BOM is not part of the first header");
        assert_eq!(t.agent.as_deref(), Some("piotr.w"));
        assert_eq!(t.category.as_deref(), Some("billing"));
        assert_eq!(t.human_frt_s(), Some(5400.0));
        assert_eq!(t.gold_docs, ["billing-faktura-vat-pl"]);
    }

    #[test]
    fn a_csv_that_cannot_be_read_names_the_delimiter_and_encoding() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(&dir, "x.csv", b"Key;Frage\nk1;Wo ist mein Paket?\n");
        let forced = ReplayMap::default().with_reading(Source::Auto, Some(b','), None);
        let err = super::super::replay::read(&path, &forced, 1_000_000)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("x.csv")
                && err.contains("delimiter `,`, encoding UTF-8")
                && err.contains("--delimiter"),
            "{err}"
        );
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode("id;текст\n1;привет\n");
        let path = write(&dir, "y.csv", &bytes);
        let utf8 = ReplayMap::default().with_reading(
            Source::Auto,
            None,
            Some(super::super::sniff::Encoding::Utf8),
        );
        let err = super::super::replay::read(&path, &utf8, 1_000_000)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("y.csv: cannot read (encoding UTF-8): not valid UTF-8 at byte 3"),
            "{err}"
        );
    }

    #[test]
    fn json_exports_are_read_and_jsonl_is_left_to_replay() {
        let dir = tempfile::tempdir().unwrap();
        let export = json!({"tickets": [{"id": 1, "subject": "Hasło", "requester_id": 5,
            "created_at": "2026-09-01T07:00:00Z", "custom": {"lang": "pl"},
            "comments": [
                {"author_id": 5, "public": true, "body": "Nie mogę się zalogować", "created_at": "2026-09-01T07:00:00Z"},
                {"author_id": 6, "public": true, "body": "Proszę zresetować hasło.", "created_at": "2026-09-01T07:10:00Z"},
                {"author_id": 5, "public": true, "body": "Dzięki", "created_at": "2026-09-01T07:20:00Z"}]}]});
        let path = write(
            &dir,
            "z.json",
            serde_json::to_string_pretty(&export).unwrap().as_bytes(),
        );
        let map = ReplayMap::parse("language=custom.lang").unwrap();
        let rows = read(&path, &map);
        let t = rows[0].as_ref().unwrap();
        assert_eq!(t.ticket.body, "Nie mogę się zalogować");
        assert_eq!(t.agent_reply.as_deref(), Some("Proszę zresetować hasło."));
        assert_eq!(t.human_frt_s(), Some(600.0));
        assert_eq!(
            t.language.as_deref(),
            Some("pl"),
            "--map on top of the vendor"
        );
        // Minified on one line, it is still the export.
        let one_line = write(&dir, "one.json", export.to_string().as_bytes());
        assert_eq!(read(&one_line, &ReplayMap::default()).len(), 1);
        // JSON lines are replay's own.
        let jsonl = write(
            &dir,
            "r.json",
            b"{\"id\":\"a\",\"text\":\"one\"}\n{\"id\":\"b\",\"text\":\"two\"}\n",
        );
        assert_eq!(read(&jsonl, &ReplayMap::default()).len(), 2);
        // A CSV vendor named for a JSON file is refused.
        let csv_vendor = ReplayMap::default().with_reading(Source::Zendesk, None, None);
        let err = super::super::replay::read(&path, &csv_vendor, 1_000_000).unwrap_err();
        assert!(err.to_string().contains("reads a CSV export"), "{err}");
    }

    #[test]
    fn freshdesk_first_response_as_a_timestamp_or_in_hours() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            &dir,
            "fd.csv",
            b"Ticket ID,Subject,Description,Agent,Created time,Initial response time,First response time (in hrs)\n\
              1,Faktura,Gdzie faktura?,piotr.w,2026-09-01 07:00:00,2026-09-01 08:30:00,\n\
              2,Invoice,Where is it?,emma.l,2026-09-01 07:00:00,,0.25\n\
              3,Password,Broken,anna.k,2026-09-01 07:00:00,,soon\n",
        );
        let rows = read(&path, &ReplayMap::default());
        assert_eq!(rows[0].as_ref().unwrap().human_frt_s(), Some(5400.0));
        assert_eq!(rows[1].as_ref().unwrap().human_frt_s(), Some(900.0));
        let bad = rows[2].as_ref().unwrap_err();
        assert!(bad.message.contains("first_response_seconds"), "{bad}");
    }
}
