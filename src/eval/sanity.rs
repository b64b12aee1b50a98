//! Replay sanity across all files: duplicate ids (the first kept, later ones skipped), and first-response times that precede creation or come more than a year after it (the ticket kept, its FRT left out and reported).
//!
//! Every problem is a located [`InputIssue`] with a kind, counted by kind for the results file
//! and the eval table; only skipped rows make the run exit 3.

use std::collections::{BTreeMap, HashMap};

use super::replay::{ReplayRecord, ReplayTicket};
use crate::error::InputIssue;

/// A first response later than this after creation is not believed.
pub const MAX_FRT_S: f64 = 365.0 * 86_400.0;

/// The kind of a row that could not be read at all.
pub const UNREADABLE: &str = "unreadable_row";

/// The tickets that go on to the pipeline, and every problem found on the way.
#[derive(Debug, Default)]
pub struct Checked {
    pub tickets: Vec<ReplayTicket>,
    /// In input order: skipped rows and kept rows with a refused value.
    pub issues: Vec<InputIssue>,
    /// Rows left out of the replay.
    pub skipped: usize,
    /// Issues by kind.
    pub counts: BTreeMap<String, usize>,
    /// Epoch numbers read, by the unit their magnitude gave ("seconds", "milliseconds").
    pub epoch_units: BTreeMap<String, usize>,
}

impl Checked {
    fn report(&mut self, issue: InputIssue, skipped: bool) {
        *self
            .counts
            .entry(issue.kind.unwrap_or(UNREADABLE).to_string())
            .or_default() += 1;
        self.skipped += usize::from(skipped);
        self.issues.push(issue);
    }
}

/// Check the records of every replay file, in order.
pub fn check(records: impl IntoIterator<Item = ReplayRecord>) -> Checked {
    let mut out = Checked::default();
    // id -> where it was first seen
    let mut seen: HashMap<String, String> = HashMap::new();
    for record in records {
        let mut ticket = match record {
            Ok(t) => t,
            Err(issue) => {
                out.report(issue, true);
                continue;
            }
        };
        let here = |message: String, kind: &'static str| {
            InputIssue::new(&ticket.origin, Some(ticket.line), message).with_kind(kind)
        };
        let location = format!("{}:{}", ticket.origin, ticket.line);
        if let Some(first) = seen.get(&ticket.ticket.id) {
            let issue = here(
                format!("duplicate id: the ticket at {first} has the same id; this row is skipped"),
                "duplicate_id",
            );
            out.report(issue, true);
            continue;
        }
        seen.insert(ticket.ticket.id.clone(), location);
        if let (Some(c), Some(f)) = (ticket.created, ticket.first_response)
            && f < c
        {
            let issue = here(
                format!(
                    "first_response_at is {} before created_at: the ticket is replayed, its first-response time left out",
                    crate::output::duration(c - f)
                ),
                "negative_frt",
            );
            out.report(issue, false);
            ticket.first_response = None;
            ticket.first_response_after = None;
        }
        if let Some(frt) = ticket.human_frt_s().filter(|&s| s > MAX_FRT_S) {
            let issue = here(
                format!(
                    "first response {} after creation, more than a year: the ticket is replayed, its first-response time left out",
                    crate::output::duration(frt)
                ),
                "frt_over_a_year",
            );
            out.report(issue, false);
            ticket.first_response = None;
            ticket.first_response_after = None;
        }
        for (unit, n) in [
            ("seconds", ticket.epoch_values[0]),
            ("milliseconds", ticket.epoch_values[1]),
        ] {
            if n > 0 {
                *out.epoch_units.entry(unit.to_string()).or_default() += n;
            }
        }
        out.tickets.push(ticket);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::replay::{ReplayMap, read};

    #[test]
    fn duplicates_negative_and_absurd_first_responses_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.jsonl");
        std::fs::write(
            &path,
            concat!(
                r#"{"id":"a","text":"one","created_at":"2026-09-01T10:00:00Z","first_response_at":"2026-09-01T10:30:00Z"}"#,
                "\n",
                r#"{"id":"b","text":"two","created_at":"2026-09-01T10:00:00Z","first_response_at":"2026-09-01T09:00:00Z"}"#,
                "\n",
                r#"{"id":"a","text":"again","created_at":"2026-09-02T10:00:00Z"}"#,
                "\n",
                r#"{"id":"c","text":"late","created_at":"2026-01-01T10:00:00Z","first_response_at":"2027-06-01T10:00:00Z"}"#,
                "\n",
                r#"{"id":"d","text":"bad","created_at":"2026-02-30T10:00:00Z"}"#,
                "\n",
            ),
        )
        .unwrap();
        let checked = check(read(&path, &ReplayMap::default(), 1_000_000).unwrap());
        let ids: Vec<&str> = checked
            .tickets
            .iter()
            .map(|t| t.ticket.id.as_str())
            .collect();
        assert_eq!(ids, ["a", "b", "c"]);
        assert_eq!(checked.tickets[0].ticket.body, "one", "the first is kept");
        assert_eq!(checked.tickets[0].human_frt_s(), Some(1800.0));
        assert_eq!(checked.tickets[1].human_frt_s(), None);
        assert_eq!(checked.tickets[2].human_frt_s(), None);
        assert_eq!(checked.skipped, 2);
        let lines: Vec<_> = checked.issues.iter().map(|i| (i.line, i.kind)).collect();
        assert_eq!(
            lines,
            [
                (Some(2), Some("negative_frt")),
                (Some(3), Some("duplicate_id")),
                (Some(4), Some("frt_over_a_year")),
                (Some(5), Some("impossible_time")),
            ]
        );
        assert!(
            checked.issues[1].message.contains(":1 "),
            "{}",
            checked.issues[1]
        );
        let counts: Vec<_> = checked
            .counts
            .iter()
            .map(|(k, v)| (k.as_str(), *v))
            .collect();
        assert_eq!(
            counts,
            [
                ("duplicate_id", 1),
                ("frt_over_a_year", 1),
                ("impossible_time", 1),
                ("negative_frt", 1)
            ]
        );
    }
}
