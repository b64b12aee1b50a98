//! Resolved history as retrieval evidence: tickets an agent answered from a document become
//! further embedded views of that document's best-matching chunk (a nearest-neighbour view from
//! ticket to document), stored with each generation so later ingests keep them.

use std::io::{BufRead, Write};
use std::path::Path;

use anyhow::Context;
use serde::{Deserialize, Serialize};

/// The file of a generation that holds its exemplars (redacted ticket texts).
pub const HISTORY: &str = "history.jsonl";

/// A historical ticket as an ingest is given it: the documents an agent answered from, or
/// else the agent's reply, to be matched to the knowledge base.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryTicket {
    /// The customer's text (subject and first message), PII redacted.
    pub text: String,
    pub docs: Vec<String>,
    pub reply: Option<String>,
}

/// A resolved ticket and the document an agent answered it from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Exemplar {
    /// The customer's text (subject and first message), PII redacted.
    pub text: String,
    pub doc_id: String,
}

/// The exemplars of a generation (none when it has no history file).
pub fn read(dir: &Path) -> anyhow::Result<Vec<Exemplar>> {
    let path = dir.join(HISTORY);
    let file = match std::fs::File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).with_context(|| format!("opening {}", path.display())),
    };
    let mut out = Vec::new();
    for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.with_context(|| format!("reading {}", path.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        out.push(
            serde_json::from_str(&line)
                .with_context(|| format!("{}:{}: not an exemplar", path.display(), i + 1))?,
        );
    }
    Ok(out)
}

/// Write the exemplars of a generation being built.
pub fn write(dir: &Path, exemplars: &[Exemplar]) -> anyhow::Result<()> {
    let path = dir.join(HISTORY);
    let mut out = Vec::new();
    for x in exemplars {
        serde_json::to_writer(&mut out, x)?;
        out.push(b'\n');
    }
    let mut file =
        std::fs::File::create(&path).with_context(|| format!("creating {}", path.display()))?;
    file.write_all(&out)
        .and_then(|()| file.sync_all())
        .with_context(|| format!("writing {}", path.display()))
}

/// The row among `candidates` (rows with their view vectors) whose best view is closest to
/// `vector`, with that cosine.
pub fn nearest_row<'a>(
    vector: &[f32],
    candidates: impl IntoIterator<Item = (usize, &'a [f32])>,
) -> Option<(usize, f32)> {
    let norm = |v: &[f32]| {
        v.iter()
            .map(|x| x * x)
            .sum::<f32>()
            .sqrt()
            .max(f32::EPSILON)
    };
    let nq = norm(vector);
    candidates
        .into_iter()
        .map(|(row, v)| {
            let dot: f32 = v.iter().zip(vector).map(|(a, b)| a * b).sum();
            (row, dot / (norm(v) * nq))
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exemplars_round_trip_and_a_missing_file_is_none() {
        let dir = tempfile::tempdir().unwrap();
        assert!(read(dir.path()).unwrap().is_empty());
        let xs = vec![
            Exemplar {
                text: "Где мой заказ?".into(),
                doc_id: "tracking".into(),
            },
            Exemplar {
                text: "Nie dostałem faktury".into(),
                doc_id: "faktura".into(),
            },
        ];
        write(dir.path(), &xs).unwrap();
        assert_eq!(read(dir.path()).unwrap(), xs);
    }

    #[test]
    fn the_nearest_row_is_the_one_with_the_closest_view() {
        let a = [1.0, 0.0];
        let b = [0.6, 0.8];
        let c = [0.0, 1.0];
        let rows = [(3, &a[..]), (3, &c[..]), (5, &b[..])];
        assert_eq!(nearest_row(&[0.0, 2.0], rows).map(|r| r.0), Some(3));
        assert_eq!(nearest_row(&[0.0, 2.0], rows).map(|r| r.1), Some(1.0));
        assert_eq!(nearest_row(&[0.7, 0.7], rows).map(|r| r.0), Some(5));
        assert_eq!(nearest_row(&[1.0, 0.0], std::iter::empty()), None);
    }
}
