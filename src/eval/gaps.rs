//! Knowledge-base gaps: tickets the KB could not answer, grouped by meaning, so the team knows which articles to write next.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::judge::Judged;

/// A group of similar tickets the knowledge base did not answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gap {
    pub tickets: usize,
    /// Share of all replayed tickets.
    pub share: f64,
    /// Languages of the group, most frequent first.
    pub languages: Vec<String>,
    /// The document most of them were closest to (the article to extend, or the wrong neighbour).
    pub nearest_doc: Option<String>,
    /// Up to three texts nearest the group's centre, personal data masked.
    pub examples: Vec<String>,
    pub ids: Vec<String>,
}

/// Cosine similarity at which a ticket joins a group (the multilingual encoder puts paraphrases
/// and translations of one question well above it).
pub const JOIN_SIMILARITY: f32 = 0.55;

/// Most groups kept open while grouping.
pub const MAX_GROUPS: usize = 400;

/// Group `tickets` (each with its embedding, unit length) by leader clustering: a ticket joins the
/// most similar group whose centre is at least `join` away, or starts its own. Groups of one are
/// dropped; the largest `limit` groups are returned.
pub fn group(tickets: &[(&Judged, Vec<f32>)], total: usize, join: f32, limit: usize) -> Vec<Gap> {
    let mut centres: Vec<Vec<f32>> = Vec::new();
    let mut members: Vec<Vec<usize>> = Vec::new();
    for (i, (_, v)) in tickets.iter().enumerate() {
        let best = centres
            .iter()
            .enumerate()
            .map(|(c, centre)| (c, cosine(centre, v)))
            .max_by(|a, b| a.1.total_cmp(&b.1));
        match best {
            Some((c, sim)) if sim >= join => {
                for (x, y) in centres[c].iter_mut().zip(v) {
                    *x += y;
                }
                members[c].push(i);
            }
            // Past the cap a loner stays out: the largest groups have formed by then, and the
            // cost stays linear in the tickets.
            _ if centres.len() >= MAX_GROUPS => {}
            _ => {
                centres.push(v.clone());
                members.push(vec![i]);
            }
        }
    }
    let mut gaps: Vec<(usize, Gap)> = members
        .into_iter()
        .zip(centres)
        .filter(|(m, _)| m.len() > 1)
        .map(|(m, centre)| {
            let mut by_closeness: Vec<(usize, f32)> = m
                .iter()
                .map(|&i| (i, cosine(&centre, &tickets[i].1)))
                .collect();
            by_closeness.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            let first = m[0];
            let judged: Vec<&Judged> = m.iter().map(|&i| tickets[i].0).collect();
            let gap = Gap {
                tickets: m.len(),
                share: if total > 0 {
                    m.len() as f64 / total as f64
                } else {
                    0.0
                },
                languages: most_frequent(judged.iter().map(|t| Some(t.language.clone()))),
                nearest_doc: most_frequent(judged.iter().map(|t| t.top_doc.clone()))
                    .into_iter()
                    .next(),
                examples: examples(
                    by_closeness
                        .iter()
                        .map(|&(i, _)| tickets[i].0.text.as_str()),
                ),
                ids: judged.iter().take(10).map(|t| t.id.clone()).collect(),
            };
            (first, gap)
        })
        .collect();
    // Largest first; among equals, the group seen first.
    gaps.sort_by(|a, b| b.1.tickets.cmp(&a.1.tickets).then(a.0.cmp(&b.0)));
    gaps.into_iter().take(limit).map(|(_, g)| g).collect()
}

/// Up to three examples of a group, closest to its centre first: each trimmed to the customer's
/// question (no greeting, no signature), the same question shown once.
fn examples<'a>(texts: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for question in texts.map(crate::text::customer_question) {
        if out.len() == 3 {
            break;
        }
        if !out.iter().any(|q| q.eq_ignore_ascii_case(&question)) {
            out.push(question);
        }
    }
    out
}

fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let na: f32 = a.iter().map(|x| x * x).sum::<f32>().sqrt();
    let nb: f32 = b.iter().map(|x| x * x).sum::<f32>().sqrt();
    if na == 0.0 || nb == 0.0 {
        0.0
    } else {
        dot / (na * nb)
    }
}

/// Distinct values, most frequent first (ties alphabetically).
fn most_frequent(values: impl Iterator<Item = Option<String>>) -> Vec<String> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for v in values.flatten() {
        *counts.entry(v).or_default() += 1;
    }
    let mut v: Vec<(String, usize)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v.into_iter().map(|(k, _)| k).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decision::Decision;
    use crate::eval::metrics::tests::judged;

    #[test]
    fn groups_similar_tickets_and_drops_loners() {
        let mk = |id: &str, lang: &str, text: &str| {
            let mut j = judged(id, Decision::Escalate, None, None);
            j.language = lang.into();
            j.text = text.into();
            j.top_doc = Some("delivery".into());
            j
        };
        let t = [
            mk("1", "ru", "Как подключить Ozon?"),
            mk("2", "en", "How do I connect Ozon?"),
            mk("3", "pl", "Jak podłączyć Ozon?"),
            mk("4", "en", "Webhook retries?"),
            mk("5", "en", "Webhook retry policy"),
            mk("6", "en", "Something unrelated"),
        ];
        let v = |x: f32, y: f32, z: f32| vec![x, y, z];
        let input: Vec<(&Judged, Vec<f32>)> = vec![
            (&t[0], v(1.0, 0.1, 0.0)),
            (&t[1], v(0.9, 0.2, 0.0)),
            (&t[2], v(1.0, 0.0, 0.1)),
            (&t[3], v(0.0, 1.0, 0.0)),
            (&t[4], v(0.1, 1.0, 0.0)),
            (&t[5], v(0.0, 0.0, 1.0)),
        ];
        let gaps = group(&input, 100, JOIN_SIMILARITY, 10);
        assert_eq!(gaps.len(), 2);
        assert_eq!(gaps[0].tickets, 3);
        assert_eq!(gaps[0].share, 0.03);
        assert_eq!(gaps[0].languages, ["en", "pl", "ru"]);
        assert_eq!(gaps[0].nearest_doc.as_deref(), Some("delivery"));
        assert_eq!(gaps[0].examples.len(), 3);
        assert_eq!(gaps[1].ids, ["4", "5"]);
        assert!(group(&input, 100, JOIN_SIMILARITY, 1).len() == 1);
        assert!(group(&[], 0, JOIN_SIMILARITY, 5).is_empty());
    }
}
