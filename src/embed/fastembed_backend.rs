//! fastembed models: a local folder (model.onnx + Hugging Face tokenizer files), or fastembed's own names via the hub.

use std::path::Path;

use anyhow::Context;
use fastembed::{
    InitOptionsUserDefined, Pooling, TextEmbedding, TokenizerFiles, UserDefinedEmbeddingModel,
};
use ort::environment::Environment;

use super::{Embedder, ModelCard, Role, clip, length_batches};

/// The tokenizer files fastembed needs beside the ONNX graph.
pub const TOKENIZER_FILES: [&str; 4] = [
    "tokenizer.json",
    "config.json",
    "special_tokens_map.json",
    "tokenizer_config.json",
];

pub struct FastEmbedder {
    id: String,
    dim: usize,
    inner: TextEmbedding,
    query_prefix: String,
    passage_prefix: String,
}

impl FastEmbedder {
    pub fn load_local(
        dir: &Path,
        card: &ModelCard,
        env: Environment,
        threads: usize,
    ) -> anyhow::Result<Self> {
        let read = |name: &str| -> anyhow::Result<Vec<u8>> {
            let path = dir.join(name);
            std::fs::read(&path).with_context(|| format!("reading {}", path.display()))
        };
        let tokenizer_files = TokenizerFiles {
            tokenizer_file: read(TOKENIZER_FILES[0])?,
            config_file: read(TOKENIZER_FILES[1])?,
            special_tokens_map_file: read(TOKENIZER_FILES[2])?,
            tokenizer_config_file: read(TOKENIZER_FILES[3])?,
        };
        let pooling = match card.pooling.as_deref() {
            Some("cls") => Pooling::Cls,
            _ => Pooling::Mean,
        };
        let model = UserDefinedEmbeddingModel::new(read(&card.model)?, tokenizer_files)
            .with_pooling(pooling);
        let options = InitOptionsUserDefined::new()
            .with_environment(env)
            .with_intra_threads(threads.max(1))
            .with_max_length(card.max_length.unwrap_or(256));
        let inner = TextEmbedding::try_new_from_user_defined(model, options)
            .map_err(|err| anyhow::anyhow!("{err}"))
            .with_context(|| format!("loading the fastembed model in {}", dir.display()))?;
        Ok(Self {
            id: card.id.clone(),
            dim: card.dim,
            inner,
            query_prefix: card.query_prefix.clone(),
            passage_prefix: card.passage_prefix.clone(),
        })
    }

    #[cfg(feature = "hub")]
    pub fn load_hub(
        name: &str,
        home: &Path,
        env: Environment,
        threads: usize,
    ) -> anyhow::Result<Self> {
        let model: fastembed::EmbeddingModel =
            name.parse().map_err(|e: String| anyhow::anyhow!(e))?;
        let info = TextEmbedding::get_model_info(&model).map_err(|e| anyhow::anyhow!("{e}"))?;
        let (id, dim) = (format!("fastembed:{}", info.model_code), info.dim);
        let options = fastembed::TextInitOptions::new(model)
            .with_environment(env)
            .with_intra_threads(threads.max(1))
            .with_cache_dir(home.join("fastembed"))
            .with_show_download_progress(false);
        let inner = TextEmbedding::try_new(options)
            .map_err(|err| anyhow::anyhow!("{err}"))
            .with_context(|| format!("loading fastembed model {name} from the Hugging Face Hub"))?;
        Ok(Self {
            id,
            dim,
            inner,
            query_prefix: String::new(),
            passage_prefix: String::new(),
        })
    }

    #[cfg(not(feature = "hub"))]
    pub fn load_hub(
        name: &str,
        _home: &Path,
        _env: Environment,
        _threads: usize,
    ) -> anyhow::Result<Self> {
        anyhow::bail!("fastembed model {name} needs hub support: build kbctl with `--features hub`")
    }
}

impl Embedder for FastEmbedder {
    fn id(&self) -> &str {
        &self.id
    }

    fn dim(&self) -> usize {
        self.dim
    }

    fn embed(
        &mut self,
        texts: &[String],
        batch_size: usize,
        role: Role,
    ) -> anyhow::Result<Vec<Vec<f32>>> {
        let prefix = match role {
            Role::Query => &self.query_prefix,
            Role::Passage => &self.passage_prefix,
        };
        let mut out = vec![Vec::new(); texts.len()];
        for batch in length_batches(texts, batch_size) {
            let prefixed: Vec<String> = batch
                .iter()
                .map(|&i| format!("{prefix}{}", clip(&texts[i])))
                .collect();
            let refs: Vec<&str> = prefixed.iter().map(String::as_str).collect();
            let vectors = self
                .inner
                .embed(&refs, Some(refs.len()))
                .map_err(|err| anyhow::anyhow!("fastembed: {err}"))?;
            for (i, v) in batch.into_iter().zip(vectors) {
                anyhow::ensure!(
                    v.len() == self.dim,
                    "model returned {}-d vectors, its card says {}",
                    v.len(),
                    self.dim
                );
                out[i] = v;
            }
        }
        Ok(out)
    }
}

/// `hidden_size` from a Hugging Face `config.json`, the embedding dimension of most encoders.
pub fn hidden_size(dir: &Path) -> Option<usize> {
    let text = std::fs::read_to_string(dir.join("config.json")).ok()?;
    let value: serde_json::Value = serde_json::from_str(&text).ok()?;
    value.get("hidden_size")?.as_u64().map(|n| n as usize)
}

/// fastembed's model names, for error messages.
pub fn known_models() -> Vec<String> {
    TextEmbedding::list_supported_models()
        .into_iter()
        .map(|m| format!("{:?}", m.model))
        .collect()
}
