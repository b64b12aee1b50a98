//! Hybrid retrieval: BM25 and each encoder's vector candidates per chunk, fused (z-scores, linear or reciprocal-rank), collapsed to documents.

use std::collections::HashMap;

use serde::Serialize;

use super::bm25::Bm25;
use super::store::{self, Generation, ReadLease, Store, TANTIVY_DIR};
use crate::config::{Fusion, RetrievalConfig};
use crate::corpus::Chunk;
use crate::embed::{Embedder, Role, dot};
use crate::error::UserError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Hybrid,
    Bm25,
    /// The primary encoder's vectors alone.
    Vector,
    /// One encoder's vectors alone, by its position among the index's encoders (0 = primary).
    Dense(usize),
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

/// One encoder's view of a query: the best cosine of every chunk (over the chunk's embedded
/// texts), and where that distribution sits, to put views on one scale.
///
/// The distribution is taken per language of the chunks: multilingual encoders (E5 above all)
/// score every passage in the query's own language higher, so a z-score against all chunks
/// would reward the language rather than the content. Against the chunks of its own language,
/// the right document in another language stands out as much as in the query's.
#[derive(Debug, Clone, Default)]
pub struct DenseView {
    /// The encoder's id.
    pub id: String,
    /// Per chunk row; `NEG_INFINITY` for a chunk with no embedded text.
    pub scores: Vec<f32>,
    /// Per chunk row, the (mean, standard deviation) it is measured against.
    scale: Vec<(f32, f32)>,
}

/// A language with fewer chunks than this is measured against all chunks.
const MIN_LANGUAGE_CHUNKS: usize = 20;

fn mean_std(values: impl Iterator<Item = f32>) -> (f32, f32, usize) {
    let values: Vec<f32> = values.filter(|s| s.is_finite()).collect();
    let n = values.len().max(1) as f32;
    let mean = values.iter().sum::<f32>() / n;
    let var = values.iter().map(|s| (s - mean).powi(2)).sum::<f32>() / n;
    (mean, var.sqrt().max(1e-4), values.len())
}

impl DenseView {
    fn new(id: String, scores: Vec<f32>, languages: &[crate::lang::Lang]) -> Self {
        let (mean, std, _) = mean_std(scores.iter().copied());
        let mut by_language: HashMap<crate::lang::Lang, (f32, f32)> = HashMap::new();
        for lang in languages {
            if by_language.contains_key(lang) {
                continue;
            }
            let (m, s, n) = mean_std(
                scores
                    .iter()
                    .zip(languages)
                    .filter(|(_, l)| *l == lang)
                    .map(|(s, _)| *s),
            );
            let stats = if n >= MIN_LANGUAGE_CHUNKS {
                (m, s)
            } else {
                (mean, std)
            };
            by_language.insert(*lang, stats);
        }
        let scale = languages.iter().map(|l| by_language[l]).collect();
        Self { id, scores, scale }
    }

    /// How many standard deviations chunk `row` stands above this query's average chunk of its
    /// language.
    pub fn z(&self, row: usize) -> f32 {
        let s = self.scores[row];
        let (mean, std) = self.scale[row];
        if s.is_finite() { (s - mean) / std } else { 0.0 }
    }

    /// The best chunk row and its cosine.
    pub fn best(&self) -> Option<(usize, f32)> {
        self.scores
            .iter()
            .copied()
            .enumerate()
            .filter(|(_, s)| s.is_finite())
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
    }
}

/// Every retriever's candidates for one query.
#[derive(Debug, Clone, Default)]
pub struct Candidates {
    pub bm25: Vec<(usize, f32)>,
    /// What a chunk holding every query word would score in BM25 (see `Bm25::search`).
    pub bm25_ideal: f32,
    /// The primary encoder's best chunk rows, best first.
    pub vector: Vec<(usize, f32)>,
    /// Each encoder's scores over all chunks, the primary first.
    pub dense: Vec<DenseView>,
}

impl Candidates {
    /// A BM25 score as a fraction of an ideal match (0 to 1).
    pub fn bm25_fraction(&self, score: f32) -> f32 {
        (score / self.bm25_ideal.max(f32::EPSILON)).min(1.0)
    }
}

/// The query embedded by every encoder the retriever runs, the primary first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QueryVectors {
    pub vectors: Vec<Vec<f32>>,
}

impl QueryVectors {
    /// The primary encoder's vector (the intent classifier and gap grouping read it).
    pub fn primary(&self) -> &[f32] {
        self.vectors.first().map_or(&[], Vec::as_slice)
    }
}

type Model = Box<dyn Embedder + Send>;

/// An open index's data, shared (not copied) between retrievers on different threads.
#[derive(Clone)]
pub struct SharedIndex {
    generation: std::sync::Arc<Generation>,
    bm25: Bm25,
    embedder_id: String,
    /// The further encoders in use, by position in the manifest's `views`.
    extra: Vec<(usize, String)>,
}

impl SharedIndex {
    /// A retriever over this data with its own model sessions: the primary model, and one for
    /// each further encoder in use, in the order `extra_ids` lists them.
    pub fn retriever(&self, embedder: Model, extra: Vec<Model>) -> anyhow::Result<Retriever> {
        anyhow::ensure!(
            embedder.id() == self.embedder_id,
            "internal: a retriever with model {} for an index searched with {}",
            embedder.id(),
            self.embedder_id
        );
        anyhow::ensure!(
            extra.len() == self.extra.len()
                && extra
                    .iter()
                    .zip(&self.extra)
                    .all(|(m, (_, id))| m.id() == id),
            "internal: further models do not match the index's views in use"
        );
        Ok(Retriever {
            generation: std::sync::Arc::clone(&self.generation),
            bm25: self.bm25.clone(),
            embedder,
            extra: self.extra.iter().map(|(i, _)| *i).zip(extra).collect(),
        })
    }

    /// The ids of the further encoders in use, in order.
    pub fn extra_ids(&self) -> Vec<String> {
        self.extra.iter().map(|(_, id)| id.clone()).collect()
    }
}

/// An open index and the models that embed queries for it.
pub struct Retriever {
    generation: std::sync::Arc<Generation>,
    bm25: Bm25,
    embedder: Model,
    /// Further encoders in use: position in the manifest's `views`, and the model.
    extra: Vec<(usize, Model)>,
}

impl Retriever {
    /// Open the live generation of `store`; `embedder` must be the model the index was built
    /// with, and each of `extra` one of the further encoders the index holds vectors of.
    pub fn open(store: &Store, embedder: Model, extra: Vec<Model>) -> anyhow::Result<Self> {
        let lease = store
            .lease()?
            .ok_or_else(|| UserError::NoIndex(store.root().to_path_buf()))?;
        Self::open_leased(store, lease, embedder, extra)
    }

    /// Open the generation `lease` holds (it stays leased while the retriever, or any
    /// retriever sharing its data, lives).
    pub fn open_leased(
        store: &Store,
        lease: ReadLease,
        embedder: Model,
        extra: Vec<Model>,
    ) -> anyhow::Result<Self> {
        let dir = lease.dir().to_path_buf();
        let generation = store::read_leased(lease)?;
        let info = store::EmbedderInfo {
            id: embedder.id().to_string(),
            dim: embedder.dim(),
        };
        store::check_compatible(store.root(), &generation.manifest, &info)?;
        let mut placed = Vec::with_capacity(extra.len());
        for model in extra {
            let want = store::EmbedderInfo {
                id: model.id().to_string(),
                dim: model.dim(),
            };
            let at = generation
                .manifest
                .views
                .iter()
                .position(|v| *v == want)
                .ok_or_else(|| {
                    anyhow::anyhow!(
                        "internal: the index holds no vectors of {} ({}-d)",
                        want.id,
                        want.dim
                    )
                })?;
            placed.push((at, model));
        }
        let bm25 = Bm25::open(&dir.join(TANTIVY_DIR))?;
        Ok(Self {
            generation: std::sync::Arc::new(generation),
            bm25,
            embedder,
            extra: placed,
        })
    }

    /// The index data this retriever reads, to open more retrievers on other threads.
    pub fn share(&self) -> SharedIndex {
        SharedIndex {
            generation: std::sync::Arc::clone(&self.generation),
            bm25: self.bm25.clone(),
            embedder_id: self.embedder.id().to_string(),
            extra: self
                .extra
                .iter()
                .map(|(i, m)| (*i, m.id().to_string()))
                .collect(),
        }
    }

    /// The id of the model this retriever embeds queries with.
    pub fn embedder_id(&self) -> &str {
        self.embedder.id()
    }

    /// The ids of every encoder in use, the primary first.
    pub fn encoder_ids(&self) -> Vec<String> {
        std::iter::once(self.embedder.id().to_string())
            .chain(self.extra.iter().map(|(_, m)| m.id().to_string()))
            .collect()
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

    /// Which of the text's words the knowledge base knows (see `Bm25::vocabulary`).
    pub fn vocabulary(&mut self, text: &str) -> anyhow::Result<crate::index::bm25::Vocabulary> {
        self.bm25.vocabulary(text)
    }

    /// The share of the query's words (weighted by rarity) that chunk `row` contains.
    pub fn coverage(&mut self, query: &str, row: usize) -> anyhow::Result<Option<f32>> {
        let chunk = &self.generation.chunks[row];
        let text = format!(
            "{}\n{}\n{}",
            chunk.heading_path(),
            chunk.questions.join("\n"),
            chunk.plain_text()
        );
        self.bm25.coverage(query, &text, chunk.language)
    }

    /// Candidates from every retriever (each encoder embeds the query alone, batch of one).
    pub fn candidates(&mut self, query: &str, limit: usize) -> anyhow::Result<Candidates> {
        let q = self.embed_query(query)?;
        self.candidates_with(query, &q, limit)
    }

    /// The query's vector from every encoder (embedded alone, so it does not depend on other
    /// queries).
    pub fn embed_query(&mut self, query: &str) -> anyhow::Result<QueryVectors> {
        let text = [query.to_string()];
        let mut vectors = Vec::with_capacity(1 + self.extra.len());
        vectors.push(
            self.embedder
                .embed(&text, 1, Role::Query)?
                .pop()
                .unwrap_or_default(),
        );
        for (_, model) in &mut self.extra {
            vectors.push(
                model
                    .embed(&text, 1, Role::Query)?
                    .pop()
                    .unwrap_or_default(),
            );
        }
        Ok(QueryVectors { vectors })
    }

    /// Candidates for a query whose vectors are already known.
    pub fn candidates_with(
        &mut self,
        query: &str,
        q: &QueryVectors,
        limit: usize,
    ) -> anyhow::Result<Candidates> {
        let lexical = self.bm25.search(query, limit)?;
        let (bm25, bm25_ideal) = (lexical.rows, lexical.ideal);
        let g = &self.generation;
        let mut dense = Vec::with_capacity(q.vectors.len());
        let languages: Vec<crate::lang::Lang> = g.chunks.iter().map(|c| c.language).collect();
        let spaces = std::iter::once((g.manifest.embedder.clone(), g.vectors.as_slice())).chain(
            self.extra
                .iter()
                .map(|(i, _)| (g.manifest.views[*i].clone(), g.extra[*i].as_slice())),
        );
        for ((info, vectors), qv) in spaces.zip(&q.vectors) {
            anyhow::ensure!(
                qv.len() == info.dim,
                "internal: a {}-d query vector for {} ({}-d)",
                qv.len(),
                info.id,
                info.dim
            );
            dense.push(DenseView::new(
                info.id.clone(),
                chunk_scores(&g.views, vectors, info.dim, g.chunks.len(), qv),
                &languages,
            ));
        }
        let vector = dense
            .first()
            .map_or_else(Vec::new, |d| top_of(&d.scores, limit));
        Ok(Candidates {
            bm25,
            bm25_ideal,
            vector,
            dense,
        })
    }

    /// Embed many labelled tickets at once with the primary encoder, `batch_size` per call.
    pub fn embed_many(
        &mut self,
        texts: &[String],
        batch_size: usize,
    ) -> anyhow::Result<Vec<Vec<f32>>> {
        self.embedder.embed(texts, batch_size, Role::Query)
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

/// Exact best cosine per chunk: every embedded text scored, a chunk takes its best one.
fn chunk_scores(
    views: &[store::View],
    vectors: &[f32],
    dim: usize,
    chunks: usize,
    q: &[f32],
) -> Vec<f32> {
    let mut best = vec![f32::NEG_INFINITY; chunks];
    for (view, row) in views.iter().zip(vectors.chunks_exact(dim)) {
        let s = dot(q, row);
        let slot = &mut best[view.chunk as usize];
        if s > *slot {
            *slot = s;
        }
    }
    best
}

/// The `limit` best finite scores as (row, score), best first.
fn top_of(scores: &[f32], limit: usize) -> Vec<(usize, f32)> {
    let mut scored: Vec<(usize, f32)> = scores
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, s)| s.is_finite())
        .collect();
    top_by_score(&mut scored, limit);
    scored
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
        Mode::Dense(i) => {
            return c
                .dense
                .get(i)
                .map_or_else(Vec::new, |d| top_of(&d.scores, r.candidates));
        }
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
                for &(row, s) in &c.bm25 {
                    *scores.entry(row).or_default() += (1.0 - r.vector_weight) * c.bm25_fraction(s);
                }
                for &(row, s) in &c.vector {
                    *scores.entry(row).or_default() += r.vector_weight * s.max(0.0);
                }
            }
            Fusion::Zscore => return zscore_fusion(c, r),
        },
    }
    let mut fused: Vec<(usize, f32)> = scores.into_iter().collect();
    top_by_score(&mut fused, usize::MAX);
    fused
}

/// Each encoder's cosine as standard deviations above this query's average chunk (so encoders
/// whose cosines sit at different heights, such as E5's, count alike), averaged over the
/// encoders, plus BM25 as a fraction of an ideal match times `bm25_weight` (absolute, so a
/// weak best match stays weak). Scored over the union of every retriever's candidates.
fn zscore_fusion(c: &Candidates, r: &RetrievalConfig) -> Vec<(usize, f32)> {
    let mut rows: std::collections::BTreeSet<usize> = c.bm25.iter().map(|&(row, _)| row).collect();
    for d in &c.dense {
        rows.extend(
            top_of(&d.scores, r.candidates)
                .into_iter()
                .map(|(row, _)| row),
        );
    }
    let bm25: HashMap<usize, f32> = c.bm25.iter().copied().collect();
    let views = c.dense.len().max(1) as f32;
    let mut fused: Vec<(usize, f32)> = rows
        .into_iter()
        .map(|row| {
            let dense: f32 = c.dense.iter().map(|d| d.z(row)).sum::<f32>() / views;
            let lexical = bm25.get(&row).map_or(0.0, |&s| c.bm25_fraction(s));
            (row, dense + r.bm25_weight * lexical)
        })
        .collect();
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
            dense: Vec::new(),
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
            dense: Vec::new(),
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
            dense: Vec::new(),
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
            dense: Vec::new(),
        };
        assert_eq!(fuse(&c, &opts(Mode::Bm25, Fusion::Rrf)), vec![(5, 2.0)]);
        assert_eq!(fuse(&c, &opts(Mode::Vector, Fusion::Rrf)), vec![(6, 0.5)]);
    }

    fn dense(id: &str, scores: &[f32], languages: &[crate::lang::Lang]) -> DenseView {
        DenseView::new(id.into(), scores.to_vec(), languages)
    }

    #[test]
    fn zscore_fusion_counts_encoders_on_one_scale() {
        use crate::lang::Lang::En;
        // Encoder a's cosines sit low and spread, b's high and tight (as E5's do); both put row 1
        // far above their own average, row 0 only in a. Row 1 must win, and each encoder's
        // standard deviation, not its raw cosine, must decide by how much.
        let langs = [En; 4];
        let a = dense("a", &[0.60, 0.55, 0.10, 0.15], &langs);
        let b = dense("b", &[0.80, 0.90, 0.80, 0.80], &langs);
        let c = Candidates {
            bm25_ideal: 1.0,
            dense: vec![a, b],
            ..Candidates::default()
        };
        let mut o = opts(Mode::Hybrid, Fusion::Zscore);
        o.retrieval.bm25_weight = 0.0;
        let fused = fuse(&c, &o);
        assert_eq!(fused[0].0, 1, "{fused:?}");
        // z is scale-free: the same cosines shifted and stretched fuse the same.
        let b2 = dense("b", &[0.4, 0.6, 0.4, 0.4], &langs);
        let c2 = Candidates {
            dense: vec![c.dense[0].clone(), b2],
            ..c.clone()
        };
        let fused2 = fuse(&c2, &o);
        for (x, y) in fused.iter().zip(&fused2) {
            assert_eq!(x.0, y.0);
            assert!((x.1 - y.1).abs() < 1e-4, "{fused:?} {fused2:?}");
        }
    }

    #[test]
    fn zscore_is_measured_within_each_language() {
        use crate::lang::Lang::{En, Ru};
        // An encoder that scores every Russian chunk 0.3 higher (the query is Russian): the best
        // English chunk stands as far above the English ones as the best Russian one above the
        // Russian ones, so neither language wins by its shift.
        let mut scores = Vec::new();
        let mut langs = Vec::new();
        for i in 0..25 {
            scores.push(0.20 + 0.001 * i as f32);
            langs.push(En);
            scores.push(0.50 + 0.001 * i as f32);
            langs.push(Ru);
        }
        scores[0] = 0.6; // the best English chunk
        scores[1] = 0.9; // the best Russian chunk: the same lead over its language
        let d = dense("e5", &scores, &langs);
        assert!((d.z(0) - d.z(1)).abs() < 1e-3, "{} {}", d.z(0), d.z(1));
        // Against all chunks at once the Russian one would lead by far.
        let all = dense("e5", &scores, &vec![En; scores.len()]);
        assert!(all.z(1) > all.z(0) + 1.0);
    }

    #[test]
    fn bm25_weight_adds_a_full_match_in_standard_deviations() {
        use crate::lang::Lang::En;
        let d = dense("a", &[0.5, 0.5, 0.1, 0.1], &[En; 4]);
        let c = Candidates {
            bm25_ideal: 10.0,
            bm25: vec![(1, 10.0)],
            dense: vec![d.clone()],
            ..Candidates::default()
        };
        let mut o = opts(Mode::Hybrid, Fusion::Zscore);
        o.retrieval.bm25_weight = 2.0;
        let fused = fuse(&c, &o);
        assert_eq!(fused[0].0, 1);
        assert!((fused[0].1 - (d.z(1) + 2.0)).abs() < 1e-5, "{fused:?}");
    }
}
