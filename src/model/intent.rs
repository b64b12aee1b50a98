//! Intent from labelled history: examples (text, intent, category) read from JSONL or CSV, a classifier over their embeddings, stored with the index.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;

use anyhow::Context;
use serde::{Deserialize, Serialize};

use super::classifier::{LinearClassifier, TrainOptions};
use crate::error::{InputIssue, UserError};

/// The file in a generation directory that holds the trained model.
pub const FILE: &str = "intent.json";

/// One labelled historical ticket.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Example {
    #[serde(alias = "query", alias = "instruction", alias = "body")]
    pub text: String,
    #[serde(alias = "label", alias = "category_intent")]
    pub intent: String,
    #[serde(default)]
    pub category: Option<String>,
}

/// The classifier and what it was trained on.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IntentModel {
    pub classifier: LinearClassifier,
    /// The category of each intent, where the examples gave one.
    pub categories: BTreeMap<String, String>,
    pub examples: usize,
    /// The embedding model the classifier's inputs come from.
    pub embedder: String,
}

/// Read examples from JSONL (`text`, `intent`, optional `category`) or CSV with those columns.
pub fn read_examples(path: &Path) -> anyhow::Result<(Vec<Example>, Vec<InputIssue>)> {
    let file = std::fs::File::open(path)
        .map_err(|err| UserError::Invalid(format!("{}: {err}", path.display())))?;
    let mut examples = Vec::new();
    let mut issues = Vec::new();
    let is_csv = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if is_csv {
        let mut reader = csv::Reader::from_reader(file);
        for record in reader.deserialize::<Example>() {
            match record {
                Ok(e) if !e.text.trim().is_empty() && !e.intent.trim().is_empty() => {
                    examples.push(e)
                }
                Ok(_) => issues.push(InputIssue::new(
                    path,
                    None,
                    "an example with an empty text or intent",
                )),
                Err(err) => {
                    let line = err.position().map(|p| p.line() as usize);
                    issues.push(InputIssue::new(path, line, err.to_string()));
                }
            }
        }
    } else {
        for (i, line) in BufReader::new(file).lines().enumerate() {
            let line = line.with_context(|| format!("reading {}", path.display()))?;
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<Example>(&line) {
                Ok(e) if !e.text.trim().is_empty() && !e.intent.trim().is_empty() => {
                    examples.push(e)
                }
                Ok(_) => issues.push(InputIssue::new(
                    path,
                    Some(i + 1),
                    "empty `text` or `intent`",
                )),
                Err(err) => issues.push(InputIssue::new(
                    path,
                    Some(i + 1),
                    format!("invalid example: {err}"),
                )),
            }
        }
    }
    Ok((examples, issues))
}

/// With at least this many examples, every tenth is held out once to fit the temperature.
const CALIBRATION_MIN_EXAMPLES: usize = 200;

/// Train on examples and their vectors (same order). With enough examples the probabilities
/// are calibrated: a first model is trained on nine tenths and its temperature fitted on the
/// remaining tenth (a fixed, deterministic split); the final model is trained on everything
/// and keeps that temperature. Without it a near-separable history gives over-confident
/// probabilities.
pub fn train(
    examples: &[Example],
    vectors: &[Vec<f32>],
    embedder: &str,
) -> anyhow::Result<IntentModel> {
    let labels: Vec<String> = examples.iter().map(|e| e.intent.clone()).collect();
    let fail = |err: super::classifier::ClassifierError| {
        UserError::Invalid(format!("cannot train the intent classifier: {err}"))
    };
    let options = TrainOptions::default();
    let mut classifier = LinearClassifier::train(vectors, &labels, &options).map_err(fail)?;
    if examples.len() >= CALIBRATION_MIN_EXAMPLES {
        let (mut fit_x, mut fit_y, mut cal_x, mut cal_y) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (i, (x, y)) in vectors.iter().zip(&labels).enumerate() {
            if i % 10 == 9 {
                cal_x.push(x.clone());
                cal_y.push(y.clone());
            } else {
                fit_x.push(x.clone());
                fit_y.push(y.clone());
            }
        }
        // A class seen only in the held-out tenth makes the split unusable: keep T = 1.
        if let Ok(mut probe) = LinearClassifier::train(&fit_x, &fit_y, &options) {
            probe.calibrate(&cal_x, &cal_y);
            classifier.temperature = probe.temperature;
        }
    }
    let categories = examples
        .iter()
        .filter_map(|e| {
            e.category
                .as_ref()
                .map(|c| (e.intent.clone(), c.trim().to_lowercase()))
        })
        .collect();
    Ok(IntentModel {
        classifier,
        categories,
        examples: examples.len(),
        embedder: embedder.to_string(),
    })
}

pub fn save(model: &IntentModel, dir: &Path) -> anyhow::Result<()> {
    let path = dir.join(FILE);
    let file =
        std::fs::File::create(&path).with_context(|| format!("creating {}", path.display()))?;
    let mut w = std::io::BufWriter::new(&file);
    serde_json::to_writer(&mut w, model).with_context(|| format!("writing {}", path.display()))?;
    std::io::Write::flush(&mut w)?;
    drop(w);
    file.sync_all()
        .with_context(|| format!("syncing {}", path.display()))
}

/// The model of a generation, if it has one.
pub fn load(dir: &Path) -> anyhow::Result<Option<IntentModel>> {
    let path = dir.join(FILE);
    if !path.exists() {
        return Ok(None);
    }
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    Ok(Some(
        serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_jsonl_and_csv_examples_and_reports_bad_ones() {
        let dir = tempfile::tempdir().unwrap();
        let jsonl = dir.path().join("ex.jsonl");
        std::fs::write(&jsonl, "{\"text\": \"where is my card\", \"intent\": \"card_arrival\", \"category\": \"Cards\"}\n{bad\n{\"text\": \"\", \"intent\": \"x\"}\n").unwrap();
        let (ex, issues) = read_examples(&jsonl).unwrap();
        assert_eq!(ex.len(), 1);
        assert_eq!(
            issues.iter().map(|i| i.line).collect::<Vec<_>>(),
            [Some(2), Some(3)]
        );
        let csv = dir.path().join("ex.csv");
        std::fs::write(
            &csv,
            "text,category\nI am still waiting on my card?,card_arrival\n",
        )
        .unwrap();
        let (ex, issues) = read_examples(&csv).unwrap();
        assert!(
            ex.is_empty() && issues.len() == 1,
            "a CSV needs an intent column: {issues:?}"
        );
        std::fs::write(
            &csv,
            "text,intent\nI am still waiting on my card?,card_arrival\n",
        )
        .unwrap();
        assert_eq!(read_examples(&csv).unwrap().0.len(), 1);
    }
}
