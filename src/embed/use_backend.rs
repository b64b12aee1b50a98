//! The multilingual encoder (USE multilingual v3, quantized) run through `ort`, fed by kbctl's own SentencePiece tokenizer.

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use ort::environment::Environment;
use ort::session::Session;
use ort::session::builder::GraphOptimizationLevel;
use ort::value::Tensor;

use super::spm::SentencePiece;
use super::{Embedder, ModelCard, Role, clip, length_batches, normalize};

/// Below this many texts a second session is not worth its load time.
const PARALLEL_MIN_TEXTS: usize = 16;

pub struct UseEmbedder {
    id: String,
    dim: usize,
    spm: Arc<SentencePiece>,
    model_path: std::path::PathBuf,
    env: Environment,
    /// One session per worker thread, created on demand (each runs single-threaded).
    sessions: Vec<Session>,
    threads: usize,
}

impl UseEmbedder {
    pub fn load(
        dir: &Path,
        card: &ModelCard,
        env: Environment,
        threads: usize,
    ) -> anyhow::Result<Self> {
        let spm_path = dir.join(card.tokenizer.as_deref().unwrap_or("spm.model"));
        let spm = SentencePiece::from_file(&spm_path)
            .with_context(|| format!("loading the SentencePiece model {}", spm_path.display()))?;
        let model_path = dir.join(&card.model);
        let mut embedder = Self {
            id: card.id.clone(),
            dim: card.dim,
            spm: Arc::new(spm),
            model_path,
            env,
            sessions: Vec::new(),
            threads: threads.max(1),
        };
        embedder.add_session()?;
        Ok(embedder)
    }

    fn add_session(&mut self) -> anyhow::Result<()> {
        let context = || format!("loading the ONNX model {}", self.model_path.display());
        let ort_err = |err: &dyn std::fmt::Display| anyhow::anyhow!("{err}");
        let mut builder = Session::builder(&self.env)
            .map_err(|e| ort_err(&e))
            .with_context(context)?
            .with_optimization_level(GraphOptimizationLevel::Level3)
            .map_err(|e| ort_err(&e))
            .with_context(context)?
            .with_intra_threads(1)
            .map_err(|e| ort_err(&e))
            .with_context(context)?;
        let session = builder
            .commit_from_file(&self.model_path)
            .map_err(|e| ort_err(&e))
            .with_context(context)?;
        self.sessions.push(session);
        Ok(())
    }
}

/// Run one model call over `texts` (one batch).
fn run_batch(
    session: &mut Session,
    spm: &SentencePiece,
    texts: &[&str],
    dim: usize,
) -> anyhow::Result<Vec<Vec<f32>>> {
    let mut ids: Vec<i32> = Vec::new();
    let mut splits: Vec<i64> = Vec::with_capacity(texts.len() + 1);
    splits.push(0);
    for text in texts {
        ids.extend(spm.encode_with_bos_eos(clip(text)));
        splits.push(ids.len() as i64);
    }
    let n_ids = ids.len();
    let ids = Tensor::from_array(([n_ids], ids)).map_err(|e| anyhow::anyhow!("{e}"))?;
    let splits =
        Tensor::from_array(([texts.len() + 1], splits)).map_err(|e| anyhow::anyhow!("{e}"))?;
    let outputs = session
        .run(ort::inputs!["token_ids" => ids, "row_splits" => splits])
        .map_err(|e| anyhow::anyhow!("running the encoder: {e}"))?;
    let (shape, data) = outputs["outputs"]
        .try_extract_tensor::<f32>()
        .map_err(|e| anyhow::anyhow!("reading the encoder output: {e}"))?;
    anyhow::ensure!(
        shape.len() == 2 && shape[0] as usize == texts.len() && shape[1] as usize == dim,
        "encoder output has shape {shape:?}, expected [{}, {dim}]",
        texts.len()
    );
    Ok(data
        .chunks(dim)
        .map(|row| {
            let mut v = row.to_vec();
            normalize(&mut v);
            v
        })
        .collect())
}

fn embed_on(
    session: &mut Session,
    spm: &SentencePiece,
    texts: &[String],
    batch_size: usize,
    dim: usize,
) -> anyhow::Result<Vec<Vec<f32>>> {
    let mut out = vec![Vec::new(); texts.len()];
    for batch in length_batches(texts, batch_size) {
        let refs: Vec<&str> = batch.iter().map(|&i| texts[i].as_str()).collect();
        for (i, v) in batch.into_iter().zip(run_batch(session, spm, &refs, dim)?) {
            out[i] = v;
        }
    }
    Ok(out)
}

impl Embedder for UseEmbedder {
    fn id(&self) -> &str {
        &self.id
    }

    fn dim(&self) -> usize {
        self.dim
    }

    /// USE is symmetric: queries and passages are embedded alike.
    fn embed(
        &mut self,
        texts: &[String],
        batch_size: usize,
        _role: Role,
    ) -> anyhow::Result<Vec<Vec<f32>>> {
        let workers = if texts.len() >= PARALLEL_MIN_TEXTS {
            self.threads
        } else {
            1
        };
        while self.sessions.len() < workers {
            self.add_session()?;
        }
        if workers == 1 {
            return embed_on(
                &mut self.sessions[0],
                &self.spm,
                texts,
                batch_size,
                self.dim,
            );
        }
        let per = texts.len().div_ceil(workers);
        let spm = &self.spm;
        let dim = self.dim;
        let parts: Vec<anyhow::Result<Vec<Vec<f32>>>> = std::thread::scope(|scope| {
            let handles: Vec<_> = self
                .sessions
                .iter_mut()
                .zip(texts.chunks(per))
                .map(|(session, part)| {
                    scope.spawn(move || embed_on(session, spm, part, batch_size, dim))
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err(anyhow::anyhow!("an embedding thread panicked")))
                })
                .collect()
        });
        let mut out = Vec::with_capacity(texts.len());
        for part in parts {
            out.extend(part?);
        }
        Ok(out)
    }
}
