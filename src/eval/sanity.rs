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
        if let (Some(c), Some(f)) = (ticket.created, ticket.first_response) {
            if f < c {
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
