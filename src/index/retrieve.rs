//! Hybrid retrieval: BM25 and vector candidates per chunk, fused (reciprocal-rank or linear), collapsed to documents.

use std::collections::HashMap;

use serde::Serialize;

use super::bm25::Bm25;
use super::store::{self, Generation, Store, TANTIVY_DIR};
use crate::config::{Fusion, RetrievalConfig};
use crate::corpus::Chunk;
use crate::embed::{Embedder, dot};
use crate::error::UserError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Hybrid,
    Bm25,
    Vector,
}

/// How to rank: which retrievers, how to fuse, how many results.
#[derive(Debug, Clone)]
pub struct SearchOptions {
    pub mode: Mode,
    pub retrieval: RetrievalConfig,
    pub top: usize,
}

/// One document found, represented by its best chunk.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub doc_id: String,
    /// Row of the best chunk in the generation.
    pub chunk_row: usize,
    pub score: f32,
    /// The chunk's BM25 score and 1-based rank among BM25 candidates, if it was one.
    pub bm25: Option<f32>,
    pub bm25_rank: Option<usize>,
    /// The chunk's best cosine similarity and 1-based rank among vector candidates.
    pub vector: Option<f32>,
    pub vector_rank: Option<usize>,
}

/// Both retrievers' candidate chunk rows for one query, best first.
#[derive(Debug, Clone, Default)]
pub struct Candidates {
    pub bm25: Vec<(usize, f32)>,
    /// What a chunk holding every query word would score in BM25 (see `Bm25::search`).
    pub bm25_ideal: f32,
    pub vector: Vec<(usize, f32)>,
}

/// An open index's data, shared (not copied) between retrievers on different threads.
#[derive(Clone)]
pub struct SharedIndex {
    generation: std::sync::Arc<Generation>,
    bm25: Bm25,
    embedder_id: String,
}

impl SharedIndex {
    /// A retriever over this data with its own model session; `embedder` must be the index's model.
    pub fn retriever(&self, embedder: Box<dyn Embedder + Send>) -> anyhow::Result<Retriever> {
        anyhow::ensure!(
            embedder.id() == self.embedder_id,
            "internal: a retriever with model {} for an index searched with {}",
            embedder.id(),
            self.embedder_id
        );
        Ok(Retriever {
            generation: std::sync::Arc::clone(&self.generation),
            bm25: self.bm25.clone(),
            embedder,
        })
    }
}

/// An open index and the model that embeds queries for it.
pub struct Retriever {
    generation: std::sync::Arc<Generation>,
    bm25: Bm25,
    embedder: Box<dyn Embedder + Send>,
}

impl Retriever {
    /// Open the live generation of `store`; `embedder` must be the model the index was built with.
    pub fn open(store: &Store, embedder: Box<dyn Embedder + Send>) -> anyhow::Result<Self> {
        let dir = store
            .current()?
            .ok_or_else(|| UserError::NoIndex(store.root().to_path_buf()))?;
        let generation = store::read_generation(&dir)?;
        let info = store::EmbedderInfo {
            id: embedder.id().to_string(),
            dim: embedder.dim(),
        };
        store::check_compatible(store.root(), &generation.manifest, &info)?;
        let bm25 = Bm25::open(&dir.join(TANTIVY_DIR))?;
        Ok(Self {
            generation: std::sync::Arc::new(generation),
            bm25,
            embedder,
        })
    }

    /// The index data this retriever reads, to open more retrievers on other threads.
    pub fn share(&self) -> SharedIndex {
        SharedIndex {
            generation: std::sync::Arc::clone(&self.generation),
            bm25: self.bm25.clone(),
            embedder_id: self.embedder.id().to_string(),
        }
    }

    /// The id of the model this retriever embeds queries with.
    pub fn embedder_id(&self) -> &str {
        self.embedder.id()
    }

    pub fn generation(&self) -> &Generation {
        &self.generation
    }

    pub fn chunk(&self, row: usize) -> &Chunk {
        &self.generation.chunks[row]
    }

    /// Row of the first chunk of document `doc_id`, if the index has it.
    pub fn first_chunk_of(&self, doc_id: &str) -> Option<usize> {
        self.generation
            .chunks
            .iter()
            .position(|c| c.doc_id == doc_id)
    }

    /// Candidates from both retrievers (the vector side embeds the query alone, batch of one).
    pub fn candidates(&mut self, query: &str, limit: usize) -> anyhow::Result<Candidates> {
        let q = self.embed_query(query)?;
        self.candidates_with(query, &q, limit)
    }

    /// The query's vector (embedded alone, so it does not depend on other queries).
    pub fn embed_query(&mut self, query: &str) -> anyhow::Result<Vec<f32>> {
        Ok(self
            .embedder
            .embed(&[query.to_string()], 1)?
            .pop()
            .unwrap_or_default())
    }

    /// Candidates for a query whose vector is already known.
    pub fn candidates_with(
        &mut self,
        query: &str,
        vector: &[f32],
        limit: usize,
    ) -> anyhow::Result<Candidates> {
        let (bm25, bm25_ideal) = self.bm25.search(query, limit)?;
        let vector = self.vector_candidates(vector, limit);
        Ok(Candidates {
            bm25,
            bm25_ideal,
            vector,
        })
    }

    /// Embed many texts at once (for labelled examples), `batch_size` per model call.
    pub fn embed_many(
        &mut self,
        texts: &[String],
        batch_size: usize,
    ) -> anyhow::Result<Vec<Vec<f32>>> {
        self.embedder.embed(texts, batch_size)
    }

    /// Exact nearest chunks by cosine: every view scored, a chunk takes its best view.
    fn vector_candidates(&self, q: &[f32], limit: usize) -> Vec<(usize, f32)> {
        let g = &self.generation;
        let dim = g.manifest.embedder.dim;
        let mut best = vec![f32::NEG_INFINITY; g.chunks.len()];
        for (view, row) in g.views.iter().zip(g.vectors.chunks_exact(dim)) {
            let s = dot(q, row);
            let slot = &mut best[view.chunk as usize];
            if s > *slot {
                *slot = s;
            }
        }
        let mut scored: Vec<(usize, f32)> = best
            .into_iter()
            .enumerate()
            .filter(|(_, s)| s.is_finite())
            .collect();
        top_by_score(&mut scored, limit);
        scored
    }

    /// Search: candidates, then ranking.
    pub fn search(&mut self, query: &str, options: &SearchOptions) -> anyhow::Result<Vec<Hit>> {
        let candidates = self.candidates(query, options.retrieval.candidates)?;
        Ok(self.rank(&candidates, options))
    }

    /// Rank candidates into document hits for a mode and fusion.
    pub fn rank(&self, c: &Candidates, options: &SearchOptions) -> Vec<Hit> {
        let fused = fuse(c, options);
        let mut seen = HashMap::new();
        let mut hits = Vec::new();
        let bm25_at = rank_map(&c.bm25);
        let vector_at = rank_map(&c.vector);
        for (row, score) in fused {
            let doc_id = &self.generation.chunks[row].doc_id;
            if seen.insert(doc_id.clone(), ()).is_some() {
                continue;
            }
            hits.push(Hit {
                doc_id: doc_id.clone(),
                chunk_row: row,
                score,
                bm25: bm25_at.get(&row).map(|&(_, s)| s),
                bm25_rank: bm25_at.get(&row).map(|&(r, _)| r),
                vector: vector_at.get(&row).map(|&(_, s)| s),
                vector_rank: vector_at.get(&row).map(|&(r, _)| r),
            });
            if hits.len() == options.top {
                break;
            }
        }
        hits
    }
}

fn rank_map(list: &[(usize, f32)]) -> HashMap<usize, (usize, f32)> {
    list.iter()
        .enumerate()
        .map(|(i, &(row, s))| (row, (i + 1, s)))
        .collect()
}

/// Chunk rows with their fused score, best first.
fn fuse(c: &Candidates, options: &SearchOptions) -> Vec<(usize, f32)> {
    let r = &options.retrieval;
    let mut scores: HashMap<usize, f32> = HashMap::new();
    match options.mode {
        Mode::Bm25 => return c.bm25.clone(),
        Mode::Vector => return c.vector.clone(),
        Mode::Hybrid => match r.fusion {
            Fusion::Rrf => {
                for list in [&c.bm25, &c.vector] {
                    for (i, &(row, _)) in list.iter().enumerate() {
                        *scores.entry(row).or_default() += 1.0 / (r.rrf_k + (i + 1) as f32);
                    }
                }
            }
            Fusion::Linear => {
                // Both on absolute scales, so a weak best match stays weak: cosine as it is, and
                // BM25 as a fraction of what a chunk holding every query word would score.
                let scale = c.bm25_ideal.max(f32::EPSILON);
                for &(row, s) in &c.bm25 {
                    *scores.entry(row).or_default() +=
                        (1.0 - r.vector_weight) * (s / scale).min(1.0);
                }
                for &(row, s) in &c.vector {
                    *scores.entry(row).or_default() += r.vector_weight * s.max(0.0);
                }
            }
        },
    }
    let mut fused: Vec<(usize, f32)> = scores.into_iter().collect();
    top_by_score(&mut fused, usize::MAX);
    fused
}

/// Sort by score descending (ties by row, for determinism) and keep `limit`.
fn top_by_score(list: &mut Vec<(usize, f32)>, limit: usize) {
    list.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    list.truncate(limit);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(mode: Mode, fusion: Fusion) -> SearchOptions {
        SearchOptions {
            mode,
            retrieval: RetrievalConfig {
                fusion,
                ..RetrievalConfig::default()
            },
            top: 10,
        }
    }

    #[test]
    fn rrf_rewards_agreement() {
        let c = Candidates {
            bm25_ideal: 1.0,
            bm25: vec![(1, 9.0), (2, 5.0), (3, 1.0)],
            vector: vec![(2, 0.8), (4, 0.7), (1, 0.1)],
        };
        let fused = fuse(&c, &opts(Mode::Hybrid, Fusion::Rrf));
        // Row 2 is 2nd and 1st; row 1 is 1st and 3rd: 1/62 + 1/61 > 1/61 + 1/63.
        assert_eq!(fused[0].0, 2);
        assert_eq!(fused[1].0, 1);
        assert_eq!(fused.len(), 4);
    }

    #[test]
    fn linear_fusion_uses_absolute_scales() {
        let c = Candidates {
            bm25_ideal: 20.0,
            bm25: vec![(1, 10.0), (2, 30.0)],
            vector: vec![(2, 0.9), (1, 0.5)],
        };
        let mut o = opts(Mode::Hybrid, Fusion::Linear);
        o.retrieval.vector_weight = 0.6;
        let fused = fuse(&c, &o);
        // row 2: 0.4 * min(30/20, 1) + 0.6 * 0.9 = 0.94; row 1: 0.4 * 0.5 + 0.6 * 0.5 = 0.5
        assert_eq!(fused[0].0, 2);
        assert!(
            (fused[0].1 - 0.94).abs() < 1e-6 && (fused[1].1 - 0.5).abs() < 1e-6,
            "{fused:?}"
        );
    }

    #[test]
    fn a_weak_best_bm25_match_stays_weak() {
        // The only BM25 hit matches a tenth of the ideal: it must not outrank a strong vector match.
        let c = Candidates {
            bm25_ideal: 10.0,
            bm25: vec![(1, 1.0)],
            vector: vec![(2, 0.7), (1, 0.2)],
        };
        let fused = fuse(&c, &opts(Mode::Hybrid, Fusion::Linear));
        assert_eq!(fused[0].0, 2);
    }

    #[test]
    fn single_modes_pass_through() {
        let c = Candidates {
            bm25_ideal: 1.0,
            bm25: vec![(5, 2.0)],
            vector: vec![(6, 0.5)],
        };
        assert_eq!(fuse(&c, &opts(Mode::Bm25, Fusion::Rrf)), vec![(5, 2.0)]);
        assert_eq!(fuse(&c, &opts(Mode::Vector, Fusion::Rrf)), vec![(6, 0.5)]);
    }
}
