//! FAQ tables (CSV, JSONL, YAML): one document per row, with question variants, answer, category and language.

use std::path::Path;

use serde::Deserialize;

use super::{DocKind, Document, Parsed, check_id, language_or_detect};
use crate::error::InputIssue;

/// One FAQ row as written in any of the three formats.
#[derive(Debug, Deserialize)]
struct Row {
    id: Option<String>,
    #[serde(alias = "question")]
    questions: Option<Questions>,
    answer: Option<String>,
    category: Option<String>,
    language: Option<String>,
    #[serde(default)]
    tags: Option<String>,
    #[serde(default)]
    never_automate: Option<Flag>,
    #[serde(default)]
    url: Option<String>,
}

/// Question variants as a list, or one string with variants separated by `|`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Questions {
    List(Vec<String>),
    One(String),
}

/// A boolean written as a YAML/JSON bool or as text in a CSV cell.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Flag {
    Bool(bool),
    Text(String),
}

impl Flag {
    fn value(&self) -> bool {
        match self {
            Flag::Bool(b) => *b,
            Flag::Text(t) => matches!(
                t.trim().to_ascii_lowercase().as_str(),
                "true" | "yes" | "1" | "y"
            ),
        }
    }
}

impl Row {
    /// Turn a row into a document, or say what is wrong with it.
    fn into_document(self, path: &Path, line: usize) -> Result<Document, String> {
        let id = self.id.map(|s| s.trim().to_string()).unwrap_or_default();
        check_id(&id)?;
        let questions: Vec<String> = match self.questions {
            Some(Questions::List(list)) => list,
            Some(Questions::One(s)) => s.split('|').map(str::to_string).collect(),
            None => Vec::new(),
        }
        .into_iter()
        .map(|q| q.trim().to_string())
        .filter(|q| !q.is_empty())
        .collect();
        if questions.is_empty() {
            return Err(format!("FAQ entry `{id}` has no question"));
        }
        let answer = self.answer.unwrap_or_default().trim().to_string();
        if answer.is_empty() {
            return Err(format!("FAQ entry `{id}` has an empty answer"));
        }
        let language = language_or_detect(
            self.language.as_deref().filter(|l| !l.trim().is_empty()),
            &format!("{}\n{answer}", questions.join("\n")),
        )?;
        let tags = self
            .tags
            .map(|t| {
                t.split([',', '|'])
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        Ok(Document {
            id,
            title: questions[0].clone(),
            category: self
                .category
                .map(|c| c.trim().to_lowercase())
                .filter(|c| !c.is_empty()),
            language,
            tags,
            never_automate: self.never_automate.is_some_and(|f| f.value()),
            kind: DocKind::Faq,
            questions,
            body: answer,
            source: path.to_path_buf(),
            line,
            url: self.url.filter(|u| !u.trim().is_empty()),
        })
    }
}

fn push_row(out: &mut Parsed, path: &Path, line: usize, row: Row) {
    match row.into_document(path, line) {
        Ok(doc) => out.documents.push(doc),
        Err(message) => out.issues.push(InputIssue::new(path, Some(line), message)),
    }
}

/// A FAQ CSV, row by row (see [`crate::csvrows`]): a row with the wrong number of fields, invalid
/// UTF-8 or an unterminated quote is one issue at its physical line, and the rows after it are
/// read (a broken quote never swallows the next good row).
pub(super) fn parse_csv(path: &Path, text: &str) -> Parsed {
    let mut out = Parsed::default();
    let rows = match crate::csvrows::CsvRows::open(text.as_bytes(), u64::MAX) {
        Ok(rows) => rows,
        Err(issue) => {
            return Parsed::fail(
                path,
                Some(issue.line),
                format!("cannot read the CSV header: {}", issue.message),
            );
        }
    };
    let has = |name: &str| {
        rows.header()
            .iter()
            .any(|h| h.trim().eq_ignore_ascii_case(name))
    };
    if !has("id") || !(has("questions") || has("question")) || !has("answer") {
        return Parsed::fail(
            path,
            Some(1),
            format!(
                "a FAQ CSV needs the columns id, questions, answer (category, language, tags, never_automate optional); found: {}",
                rows.header().join(", ")
            ),
        );
    }
    let headers = csv::StringRecord::from(
        rows.header()
            .iter()
            .map(|h| h.trim().to_ascii_lowercase())
            .collect::<Vec<_>>(),
    );
    for row in rows {
        match row {
            Ok(row) => {
                let record = csv::StringRecord::from(row.fields);
                match record.deserialize::<Row>(Some(&headers)) {
                    Ok(entry) => push_row(&mut out, path, row.line, entry),
                    Err(err) => {
                        out.issues
                            .push(InputIssue::new(path, Some(row.line), err.to_string()))
                    }
                }
            }
            Err(issue) => out
                .issues
                .push(InputIssue::new(path, Some(issue.line), issue.message)),
        }
    }
    out
}

pub(super) fn parse_jsonl(path: &Path, text: &str) -> Parsed {
    let mut out = Parsed::default();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Row>(line) {
            Ok(row) => push_row(&mut out, path, i + 1, row),
            Err(err) => out.issues.push(InputIssue::new(
                path,
                Some(i + 1),
                format!("invalid JSON: {err}"),
            )),
        }
    }
    out
}

/// A YAML FAQ file: a list of entries, or a mapping with an `entries` (or `faq`) list.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum YamlFaq {
    List(Vec<serde_json::Value>),
    Wrapped {
        #[serde(alias = "faq")]
        entries: Vec<serde_json::Value>,
    },
}

pub(super) fn parse_yaml(path: &Path, text: &str) -> Parsed {
    let entries = match crate::yaml::from_str::<YamlFaq>(text) {
        Ok(YamlFaq::List(v) | YamlFaq::Wrapped { entries: v }) => v,
        Err(err) => {
            return Parsed::fail(
                path,
                err.line,
                format!(
                    "invalid FAQ YAML (expected a list of entries): {}",
                    err.message
                ),
            );
        }
    };
    let lines = entry_lines(text);
    let mut out = Parsed::default();
    for (i, value) in entries.into_iter().enumerate() {
        let line = lines.get(i).copied().unwrap_or(1);
        match serde_json::from_value::<Row>(value) {
            Ok(row) => push_row(&mut out, path, line, row),
            Err(err) => out.issues.push(InputIssue::new(
                path,
                Some(line),
                format!("entry {}: {err}", i + 1),
            )),
        }
    }
    out
}

/// Lines where top-level list items start (`- ` at the smallest indentation), to locate entries.
fn entry_lines(text: &str) -> Vec<usize> {
    let indent_of = |l: &str| l.len() - l.trim_start().len();
    let min_indent = text
        .lines()
        .filter(|l| l.trim_start().starts_with("- "))
        .map(indent_of)
        .min()
        .unwrap_or(0);
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.trim_start().starts_with("- ") && indent_of(l) == min_indent)
        .map(|(i, _)| i + 1)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;

    #[test]
    fn csv_rows_become_documents_and_bad_rows_are_located() {
        let text = "id,questions,answer,category,language\n\
            pay-1,How do I pay? | Payment methods,By card or transfer.,billing,en\n\
            pay-2,\"Jak zapłacić, kartą?\",\"Kartą, przelewem.\",Billing,pl\n\
            pay-3,Missing answer,,billing,en\n\
            pay-4,too,few\n\
            pay-5,Где счёт?,В личном кабинете.,billing,\n";
        let parsed = parse_csv(Path::new("faq.csv"), text);
        let ids: Vec<_> = parsed.documents.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["pay-1", "pay-2", "pay-5"]);
        assert_eq!(
            parsed.documents[0].questions,
            ["How do I pay?", "Payment methods"]
        );
        assert_eq!(parsed.documents[1].category.as_deref(), Some("billing"));
        assert_eq!(parsed.documents[2].language, Lang::Ru);
        let lines: Vec<_> = parsed.issues.iter().map(|i| i.line).collect();
        assert_eq!(lines, [Some(4), Some(5)], "{:?}", parsed.issues);
        assert!(parsed.issues[0].message.contains("empty answer"));
        assert!(parsed.issues[1].message.contains("fields"));
    }

    /// A broken quote, an extra field and invalid UTF-8 are one issue each at their physical
    /// line; the good row after each is read, even after a quoted answer spanning lines.
    #[test]
    fn bad_csv_rows_never_swallow_the_next_good_row() {
        let text = "id,questions,answer,category,language\n\
            a-1,Where?,\"Two\nlines.\",delivery,en\n\
            a-2,\"Broken quote?,Never closed.,delivery,en\n\
            a-3,Next good row?,Read.,delivery,en\n\
            a-4,Extra?,Field.,delivery,en,surplus\n\
            a-5,After the extra?,Read.,delivery,en\n";
        let parsed = parse_csv(Path::new("faq.csv"), text);
        let ids: Vec<_> = parsed.documents.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["a-1", "a-3", "a-5"], "{:?}", parsed.issues);
        let lines: Vec<_> = parsed.documents.iter().map(|d| d.line).collect();
        assert_eq!(lines, [2, 5, 7]);
        let issues: Vec<_> = parsed
            .issues
            .iter()
            .map(|i| (i.line, i.message.as_str()))
            .collect();
        assert_eq!(issues.len(), 2, "{issues:?}");
        assert_eq!(issues[0].0, Some(4));
        assert!(issues[0].1.contains("unterminated quote"), "{issues:?}");
        assert_eq!(issues[1], (Some(6), "row has 6 fields, the header has 5"));
        // Without a multi-line row before it, the broken quote is found at the next line.
        let text = "id,questions,answer,language\nb-1,\"Broken?,No.,en\nb-2,Good?,Yes.,en\n";
        let parsed = parse_csv(Path::new("faq.csv"), text);
        assert_eq!(parsed.documents.len(), 1, "{:?}", parsed.issues);
        assert_eq!(parsed.documents[0].id, "b-2");
        assert_eq!(parsed.issues[0].line, Some(2));
    }

    #[test]
    fn csv_without_required_columns_fails_whole() {
        let parsed = parse_csv(Path::new("faq.csv"), "name,text\na,b\n");
        assert!(parsed.fatal);
        assert!(parsed.issues[0].message.contains("id, questions, answer"));
    }

    #[test]
    fn jsonl_reports_bad_lines_and_keeps_good_ones() {
        let text = "{\"id\":\"a\",\"questions\":[\"Q1\",\"Q2\"],\"answer\":\"A\",\"category\":\"account\",\"language\":\"en\"}\n\
            {not json}\n\
            \n\
            {\"id\":\"b\",\"question\":\"Q\",\"answer\":\"B\"}\n";
        let parsed = parse_jsonl(Path::new("faq.jsonl"), text);
        assert_eq!(parsed.documents.len(), 2);
        assert_eq!(parsed.documents[1].line, 4);
        assert_eq!(parsed.issues.len(), 1);
        assert_eq!(parsed.issues[0].line, Some(2));
    }

    #[test]
    fn yaml_entries_carry_their_line() {
        let text = "# delivery FAQ\n- id: d1\n  questions: [Where is my scanner?]\n  answer: Tracking link in email.\n  category: delivery\n  never_automate: true\n- id: d2\n  questions:\n    - Gdzie jest przesyłka?\n  answer: Link w mailu.\n";
        let parsed = parse_yaml(Path::new("faq.yaml"), text);
        assert!(parsed.issues.is_empty(), "{:?}", parsed.issues);
        assert_eq!(parsed.documents[0].line, 2);
        assert!(parsed.documents[0].never_automate);
        assert_eq!(parsed.documents[1].line, 7);
        assert_eq!(parsed.documents[1].language, Lang::Pl);
    }
}
