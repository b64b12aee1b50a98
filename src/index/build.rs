//! Ingest: documents -> chunks -> vectors + BM25 -> a new generation, reusing every vector whose text did not change.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::time::Instant;

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::history::{Exemplar, HistoryTicket};
use super::store::{
    self, DocEntry, EmbedderInfo, GenerationData, Manifest, SCHEMA_VERSION, Store, TANTIVY_DIR,
    View,
};
use crate::corpus::{self, Chunk, Document};
use crate::embed::{Embedder, Role};
use crate::error::{InputIssue, UserError};
use crate::progress::Progress;

#[derive(Debug, Clone)]
pub struct IngestOptions {
    pub rebuild: bool,
    /// Labelled historical tickets to train the intent classifier on (kept from the previous
    /// generation when empty).
    pub examples: Vec<PathBuf>,
    pub chunk_chars: usize,
    pub batch_size: usize,
    /// Resolved tickets to add as views of the documents agents answered from; `None` keeps
    /// the previous generation's (a rebuild starts without).
    pub history: Option<Vec<HistoryTicket>>,
    /// The least cosine between an agent's reply and a knowledge-base view for a history
    /// ticket without `gold_docs` to count as answered from it.
    pub reply_similarity: f32,
    /// Files larger than this are reported and not read (`ingest.max_doc_bytes`).
    pub max_doc_bytes: u64,
}

/// What an ingest did, for the summary line and `--format json`.
#[derive(Debug, Clone, Serialize)]
pub struct IngestSummary {
    pub index: PathBuf,
    pub generation: u64,
    pub files: usize,
    pub documents: usize,
    pub added: usize,
    pub updated: usize,
    pub removed: usize,
    /// Unchanged documents: nothing re-embedded.
    pub skipped: usize,
    /// Documents kept from the previous index because their file could not be read this time.
    pub kept: usize,
    pub chunks: usize,
    pub vectors_embedded: usize,
    pub vectors_reused: usize,
    /// Labelled examples behind the intent classifier, and its number of intents (0: none).
    pub examples: usize,
    pub intents: usize,
    /// Resolved tickets held as views of their documents, and those left out because their
    /// document is not in the knowledge base.
    pub exemplars: usize,
    pub exemplars_dropped: usize,
    /// History tickets without `gold_docs` whose agent reply matched a knowledge-base view
    /// (`ingest.reply_similarity`), and those whose reply matched none.
    pub replies_matched: usize,
    pub replies_unmatched: usize,
    pub embedder: String,
    /// Further encoders the index holds vectors of.
    pub views: Vec<String>,
    pub seconds: f64,
    pub issues: Vec<InputIssue>,
}

/// Build the next generation of the index from `paths` and publish it atomically.
pub fn ingest(
    store: &Store,
    paths: &[PathBuf],
    embedder_info: &EmbedderInfo,
    extra_infos: &[EmbedderInfo],
    load_encoders: impl FnOnce() -> anyhow::Result<Vec<Box<dyn Embedder + Send>>>,
    options: &IngestOptions,
    progress: &Progress,
) -> anyhow::Result<IngestSummary> {
    let started = Instant::now();
    let lock = store.lock()?;
    let previous = match store.current()? {
        Some(dir) => Some(store::read_generation(&dir)?),
        None => None,
    };
    if let (Some(prev), false) = (&previous, options.rebuild) {
        store::check_compatible(store.root(), &prev.manifest, embedder_info)?;
    }
    let reuse = previous.as_ref().filter(|_| !options.rebuild);

    let loaded = corpus::load_paths(paths, options.max_doc_bytes);
    let mut issues = loaded.issues;
    if loaded.documents.is_empty() {
        let detail: Vec<String> = issues.iter().map(ToString::to_string).collect();
        return Err(UserError::Invalid(format!(
            "no documents found in {}; the index is unchanged{}",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
            if detail.is_empty() {
                String::new()
            } else {
                format!("\n  {}", detail.join("\n  "))
            }
        ))
        .into());
    }

    // Documents whose file failed to read this time keep their previous version.
    let failed: HashSet<&PathBuf> = loaded.failed_sources.iter().collect();
    let mut kept_chunks: Vec<Chunk> = Vec::new();
    let mut kept_docs: BTreeMap<String, DocEntry> = BTreeMap::new();
    let new_ids: HashSet<&str> = loaded.documents.iter().map(|d| d.id.as_str()).collect();
    if let Some(prev) = reuse {
        for (id, entry) in &prev.manifest.documents {
            if failed.contains(&entry.source) && !new_ids.contains(id.as_str()) {
                kept_docs.insert(id.clone(), entry.clone());
            }
        }
        kept_chunks.extend(
            prev.chunks
                .iter()
                .filter(|c| kept_docs.contains_key(&c.doc_id))
                .cloned(),
        );
    }

    // Classify against the previous manifest.
    let prev_docs = reuse.map(|p| &p.manifest.documents);
    let mut documents: BTreeMap<String, DocEntry> = kept_docs.clone();
    let (mut added, mut updated, mut skipped) = (0, 0, 0);
    let mut chunks: Vec<Chunk> = Vec::new();
    for doc in &loaded.documents {
        let hash = doc.content_hash();
        match prev_docs.and_then(|d| d.get(&doc.id)) {
            Some(entry) if entry.hash == hash => skipped += 1,
            Some(_) => updated += 1,
            None => added += 1,
        }
        let doc_chunks = corpus::chunk_document(doc, options.chunk_chars);
        documents.insert(doc.id.clone(), entry_for(doc, hash, doc_chunks.len()));
        chunks.extend(doc_chunks);
    }
    chunks.extend(kept_chunks);
    let removed = prev_docs.map_or(0, |prev| {
        prev.keys()
            .filter(|id| !documents.contains_key(*id))
            .count()
    });

    // Views (the texts embedded per chunk) and, per encoder, their vectors: reuse what the
    // previous generation embedded with the same encoder.
    let mut views = Vec::new();
    let mut texts: Vec<String> = Vec::new();
    let mut text_of: HashMap<String, usize> = HashMap::new();
    for (row, chunk) in chunks.iter().enumerate() {
        for text in chunk.embedding_views(crate::embed::MAX_EMBED_CHARS) {
            let hash = view_hash(&text);
            if !text_of.contains_key(&hash) {
                text_of.insert(hash.clone(), texts.len());
                texts.push(text);
            }
            views.push(View {
                chunk: row as u32,
                hash,
            });
        }
    }
    let infos: Vec<&EmbedderInfo> = std::iter::once(embedder_info).chain(extra_infos).collect();
    let plans: Vec<EncoderPlan> = infos
        .iter()
        .map(|info| EncoderPlan::new(info, reuse, &views, &text_of))
        .collect();

    // History: each resolved ticket is one more view of its document, embedded as a query (it
    // is one) and placed on the document's chunk it is closest to once the vectors are known.
    // Tickets known only by the agent's reply are matched to the knowledge base first.
    let given: Vec<HistoryTicket> = match (&options.history, reuse) {
        (Some(given), _) => given.clone(),
        (None, Some(prev)) => super::history::read(&prev.dir)?
            .into_iter()
            .map(|x| HistoryTicket {
                text: x.text,
                docs: vec![x.doc_id],
                reply: None,
            })
            .collect(),
        (None, None) => Vec::new(),
    };
    let (mut history, mut exemplars_dropped) = (Vec::new(), 0);
    let mut by_reply: Vec<(String, String)> = Vec::new();
    for t in given {
        if t.docs.is_empty() {
            by_reply.extend(t.reply.map(|r| (t.text, r)));
            continue;
        }
        for doc_id in t.docs {
            if documents.contains_key(&doc_id) {
                history.push(Exemplar {
                    text: t.text.clone(),
                    doc_id,
                });
            } else {
                exemplars_dropped += 1;
            }
        }
    }
    let planned = HistoryViews::plan(&history, &infos, reuse);
    let generation = previous.as_ref().map_or(1, |p| p.manifest.generation + 1);
    let dir = store.begin(&lock, generation)?;
    let mut examples = Vec::new();
    for path in &options.examples {
        let (read, bad) = crate::model::intent::read_examples(path)?;
        examples.extend(read);
        issues.extend(bad);
    }
    let needs_model = plans
        .iter()
        .chain(&planned.plans)
        .any(|p| !p.missing.is_empty())
        || !examples.is_empty()
        || !by_reply.is_empty();
    let mut encoders = if needs_model {
        let encoders = load_encoders()?;
        anyhow::ensure!(
            encoders.len() == infos.len()
                && encoders
                    .iter()
                    .zip(&infos)
                    .all(|(e, info)| e.id() == info.id && e.dim() == info.dim),
            "internal: the loaded models do not match the encoders planned"
        );
        encoders
    } else {
        Vec::new()
    };
    let mut vectors_embedded = 0;
    let mut vectors_reused = 0;
    let mut all_vectors: Vec<Vec<f32>> = Vec::with_capacity(plans.len());
    for (i, plan) in plans.iter().enumerate() {
        let wanted: Vec<String> = plan.missing.iter().map(|&t| texts[t].clone()).collect();
        let fresh = match encoders.get_mut(i) {
            Some(e) if !wanted.is_empty() => embed_with_progress(
                e.as_mut(),
                &wanted,
                options.batch_size,
                progress,
                &format!("embedding ({})", plan.info.id),
            )?,
            _ => Vec::new(),
        };
        vectors_embedded += fresh.len();
        let (vectors, reused) = plan.assemble(&views, &text_of, &fresh);
        vectors_reused += reused;
        all_vectors.push(vectors);
    }
    let (mut replies_matched, mut replies_unmatched) = (0, 0);
    if let (false, Some(encoder)) = (by_reply.is_empty(), encoders.first_mut()) {
        let replies: Vec<String> = by_reply.iter().map(|(_, r)| r.clone()).collect();
        let reply_vectors = embed_slices(
            encoder.as_mut(),
            &replies,
            options.batch_size,
            progress,
            "matching history replies",
            Role::Passage,
        )?;
        let dim = embedder_info.dim;
        for ((text, _), rv) in by_reply.into_iter().zip(&reply_vectors) {
            let all = views
                .iter()
                .enumerate()
                .map(|(k, v)| (v.chunk as usize, &all_vectors[0][k * dim..(k + 1) * dim]));
            match super::history::nearest_row(rv, all) {
                Some((row, cos)) if cos >= options.reply_similarity => {
                    replies_matched += 1;
                    history.push(Exemplar {
                        text,
                        doc_id: chunks[row].doc_id.clone(),
                    });
                }
                _ => replies_unmatched += 1,
            }
        }
    }
    drop(planned);
    let mut planned = HistoryViews::plan(&history, &infos, reuse);
    for (i, plan) in planned.plans.iter().enumerate() {
        let wanted: Vec<String> = plan
            .missing
            .iter()
            .map(|&t| planned.texts[t].clone())
            .collect();
        let fresh = match encoders.get_mut(i) {
            Some(e) if !wanted.is_empty() => embed_slices(
                e.as_mut(),
                &wanted,
                options.batch_size,
                progress,
                &format!("embedding history ({})", plan.info.id),
                Role::Query,
            )?,
            _ => Vec::new(),
        };
        vectors_embedded += fresh.len();
        let (vectors, reused) = plan.assemble(&planned.views, &planned.text_of, &fresh);
        vectors_reused += reused;
        if i == 0 {
            place_history(
                &mut planned.placed,
                &history,
                &vectors,
                &views,
                &all_vectors[0],
                &chunks,
                embedder_info.dim,
            );
        }
        all_vectors[i].extend(vectors);
    }
    views.extend(planned.placed);
    let vectors = all_vectors.remove(0);
    let extra = all_vectors;
    let intent_model = match encoders.first_mut() {
        Some(e) if !examples.is_empty() => {
            let texts: Vec<String> = examples.iter().map(|x| x.text.clone()).collect();
            let vectors =
                embed_queries_with_progress(e.as_mut(), &texts, options.batch_size, progress)?;
            progress.message("training the intent classifier");
            Some(crate::model::intent::train(
                &examples,
                &vectors,
                &embedder_info.id,
            )?)
        }
        // No new examples: keep the previous classifier while the model is the same.
        _ => match previous
            .as_ref()
            .filter(|p| p.manifest.embedder == *embedder_info)
        {
            Some(prev) => crate::model::intent::load(&prev.dir)?,
            None => None,
        },
    };

    let manifest = Manifest {
        schema_version: SCHEMA_VERSION,
        kbctl_version: env!("CARGO_PKG_VERSION").to_string(),
        generation,
        created_at: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
        embedder: embedder_info.clone(),
        views: extra_infos.to_vec(),
        documents,
        chunks: chunks.len(),
        vectors: views.len(),
    };
    progress.message("writing the index");
    store::write_generation(
        &dir,
        &GenerationData {
            manifest: &manifest,
            chunks: &chunks,
            views: &views,
            vectors: &vectors,
            extra: &extra,
        },
    )?;
    super::bm25::write(&dir.join(TANTIVY_DIR), &chunks)?;
    if let Some(model) = &intent_model {
        crate::model::intent::save(model, &dir)?;
    }
    if !history.is_empty() {
        super::history::write(&dir, &history)?;
    }
    if std::env::var("KBCTL_FAILPOINT").is_ok_and(|f| f == "ingest-before-publish") {
        // Fault injection for the crash-safety tests: die the hard way, generation written but not live.
        std::process::abort();
    }
    store.publish(&lock, &dir)?;
    issues.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    Ok(IngestSummary {
        index: store.root().to_path_buf(),
        generation,
        files: loaded.files,
        documents: manifest.documents.len(),
        added,
        updated,
        removed,
        skipped,
        kept: kept_docs.len(),
        chunks: chunks.len(),
        vectors_embedded,
        vectors_reused,
        examples: intent_model.as_ref().map_or(0, |m| m.examples),
        intents: intent_model
            .as_ref()
            .map_or(0, |m| m.classifier.classes.len()),
        exemplars: history.len(),
        exemplars_dropped,
        replies_matched,
        replies_unmatched,
        embedder: embedder_info.id.clone(),
        views: extra_infos.iter().map(|i| i.id.clone()).collect(),
        seconds: started.elapsed().as_secs_f64(),
        issues,
    })
}

/// The history's views (one per exemplar, placed later) and each encoder's plan for them.
struct HistoryViews<'a> {
    /// Views in exemplar order, their chunk set by `place_history`.
    placed: Vec<View>,
    views: Vec<View>,
    texts: Vec<String>,
    text_of: HashMap<String, usize>,
    plans: Vec<EncoderPlan<'a>>,
}

impl<'a> HistoryViews<'a> {
    fn plan(
        history: &[Exemplar],
        infos: &[&'a EmbedderInfo],
        reuse: Option<&'a store::Generation>,
    ) -> Self {
        let mut views = Vec::with_capacity(history.len());
        let mut texts: Vec<String> = Vec::new();
        let mut text_of: HashMap<String, usize> = HashMap::new();
        for x in history {
            // Hashed apart from knowledge-base views: the same words embed differently as a query.
            let hash = view_hash(&format!("query\0{}", x.text));
            if !text_of.contains_key(&hash) {
                text_of.insert(hash.clone(), texts.len());
                texts.push(
                    crate::text::clip_chars(&x.text, crate::embed::MAX_EMBED_CHARS).to_string(),
                );
            }
            views.push(View { chunk: 0, hash });
        }
        let plans = infos
            .iter()
            .map(|info| EncoderPlan::new(info, reuse, &views, &text_of))
            .collect();
        Self {
            placed: views.clone(),
            views,
            texts,
            text_of,
            plans,
        }
    }
}

/// Put each history view on the chunk of its document whose best view is closest to it (by
/// the primary encoder), so a reply drawn from it quotes the section the ticket was about.
fn place_history(
    history_views: &mut [View],
    history: &[Exemplar],
    history_vectors: &[f32],
    views: &[View],
    vectors: &[f32],
    chunks: &[Chunk],
    dim: usize,
) {
    let mut views_of: HashMap<&str, Vec<usize>> = HashMap::new();
    for (k, view) in views.iter().enumerate() {
        views_of
            .entry(chunks[view.chunk as usize].doc_id.as_str())
            .or_default()
            .push(k);
    }
    for (i, (view, x)) in history_views.iter_mut().zip(history).enumerate() {
        let own = &history_vectors[i * dim..(i + 1) * dim];
        let candidates = views_of
            .get(x.doc_id.as_str())
            .into_iter()
            .flatten()
            .map(|&k| (views[k].chunk as usize, &vectors[k * dim..(k + 1) * dim]));
        if let Some((row, _)) = super::history::nearest_row(own, candidates) {
            view.chunk = row as u32;
        }
    }
}

fn entry_for(doc: &Document, hash: String, chunks: usize) -> DocEntry {
    DocEntry {
        hash,
        source: doc.source.clone(),
        title: doc.title.clone(),
        language: doc.language,
        category: doc.category.clone(),
        never_automate: doc.never_automate,
        chunks,
    }
}

fn view_hash(text: &str) -> String {
    corpus::hex(&Sha256::digest(text.as_bytes())[..16])
}

/// One encoder's part of an ingest: which distinct texts it must embed, and where the vectors
/// it already has come from.
struct EncoderPlan<'a> {
    info: &'a EmbedderInfo,
    /// The previous generation's vectors of this encoder by view hash.
    reusable: HashMap<&'a str, &'a [f32]>,
    /// Indices into the distinct texts that have no vector yet, in order.
    missing: Vec<usize>,
}

impl<'a> EncoderPlan<'a> {
    fn new(
        info: &'a EmbedderInfo,
        previous: Option<&'a store::Generation>,
        views: &[View],
        text_of: &HashMap<String, usize>,
    ) -> Self {
        let mut reusable: HashMap<&str, &[f32]> = HashMap::new();
        if let Some(prev) = previous {
            let old = if prev.manifest.embedder == *info {
                Some(prev.vectors.as_slice())
            } else {
                prev.manifest
                    .views
                    .iter()
                    .position(|v| v == info)
                    .map(|i| prev.extra[i].as_slice())
            };
            if let Some(old) = old {
                for (i, view) in prev.views.iter().enumerate() {
                    reusable.insert(view.hash.as_str(), &old[i * info.dim..(i + 1) * info.dim]);
                }
            }
        }
        let mut missing: Vec<usize> = views
            .iter()
            .filter(|v| !reusable.contains_key(v.hash.as_str()))
            .map(|v| text_of[&v.hash])
            .collect();
        missing.sort_unstable();
        missing.dedup();
        Self {
            info,
            reusable,
            missing,
        }
    }

    /// The vectors of every view in row order, from `fresh` (the `missing` texts embedded, in
    /// order) or reused; and how many were reused.
    fn assemble(
        &self,
        views: &[View],
        text_of: &HashMap<String, usize>,
        fresh: &[Vec<f32>],
    ) -> (Vec<f32>, usize) {
        let fresh_at: HashMap<usize, usize> = self
            .missing
            .iter()
            .enumerate()
            .map(|(i, &t)| (t, i))
            .collect();
        let mut out = Vec::with_capacity(views.len() * self.info.dim);
        let mut reused = 0;
        for view in views {
            match self.reusable.get(view.hash.as_str()) {
                Some(v) => {
                    out.extend_from_slice(v);
                    reused += 1;
                }
                None => out.extend_from_slice(&fresh[fresh_at[&text_of[&view.hash]]]),
            }
        }
        (out, reused)
    }
}

/// Embed knowledge-base texts (passages, titles and FAQ questions alike: embedding titles as
/// E5 queries measured no better on the fixtures) in slices so the progress bar moves; results
/// in input order.
fn embed_with_progress(
    embedder: &mut (dyn Embedder + Send),
    texts: &[String],
    batch_size: usize,
    progress: &Progress,
    label: &str,
) -> anyhow::Result<Vec<Vec<f32>>> {
    embed_slices(embedder, texts, batch_size, progress, label, Role::Passage)
}

/// Embed labelled tickets (queries) with a progress bar.
fn embed_queries_with_progress(
    embedder: &mut (dyn Embedder + Send),
    texts: &[String],
    batch_size: usize,
    progress: &Progress,
) -> anyhow::Result<Vec<Vec<f32>>> {
    embed_slices(
        embedder,
        texts,
        batch_size,
        progress,
        "embedding examples",
        Role::Query,
    )
}

fn embed_slices(
    embedder: &mut (dyn Embedder + Send),
    texts: &[String],
    batch_size: usize,
    progress: &Progress,
    label: &str,
    role: Role,
) -> anyhow::Result<Vec<Vec<f32>>> {
    const SLICE: usize = 256;
    let bar = progress.bar(texts.len() as u64, label);
    let mut out = Vec::with_capacity(texts.len());
    for slice in texts.chunks(SLICE) {
        out.extend(embedder.embed(slice, batch_size, role)?);
        bar.inc(slice.len() as u64);
    }
    bar.finish_and_clear();
    Ok(out)
}
