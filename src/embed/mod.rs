//! Text embeddings: one `Embedder` trait, real ONNX backends (the multilingual encoder through `ort`, fastembed models), and model discovery.

pub mod cache;
mod fastembed_backend;
pub mod runtime;
pub mod spm;
mod use_backend;

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::UserError;

/// The default model: Universal Sentence Encoder multilingual v3 (RU, PL, EN and cross-lingual).
pub const DEFAULT_MODEL: &str = "use-multilingual-v3";
/// Models `scripts/setup` installs under `$KBCTL_HOME/models`.
pub const INSTALLED_MODELS: [&str; 3] = [
    "use-multilingual-v3",
    "multilingual-e5-small",
    "all-minilm-l6-v2",
];
/// The second multilingual view of the default (`accurate`) profile.
pub const SECOND_VIEW: &str = "multilingual-e5-small";
/// Texts longer than this many characters are cut before embedding (cost grows with length).
pub const MAX_EMBED_CHARS: usize = 2000;

/// What a text is to the model: asymmetric encoders (E5) embed questions and passages with
/// different prefixes; symmetric ones ignore the role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A ticket or search query.
    Query,
    /// A knowledge-base text.
    Passage,
}

/// Turns texts into L2-normalised vectors. Implementations must give the same vector for the
/// same text whatever else is embedded with it when `batch_size` is 1.
pub trait Embedder {
    /// Stable identity stored in the index manifest: a changed id means re-ingest.
    fn id(&self) -> &str;
    fn dim(&self) -> usize;
    /// Embed `texts` in order, `batch_size` texts per model call (grouped by similar length).
    fn embed(
        &mut self,
        texts: &[String],
        batch_size: usize,
        role: Role,
    ) -> anyhow::Result<Vec<Vec<f32>>>;
}

/// How to run a model, as read from its folder's `kbctl-model.json` card.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct ModelCard {
    pub id: String,
    pub backend: Backend,
    pub dim: usize,
    #[serde(default)]
    pub description: String,
    #[serde(default = "default_model_file")]
    pub model: String,
    #[serde(default)]
    pub tokenizer: Option<String>,
    #[serde(default)]
    pub pooling: Option<String>,
    #[serde(default)]
    pub max_length: Option<usize>,
    /// Prepended to queries (E5: `query: `).
    #[serde(default)]
    pub query_prefix: String,
    /// Prepended to knowledge-base texts (E5: `passage: `).
    #[serde(default)]
    pub passage_prefix: String,
}

fn default_model_file() -> String {
    "model.onnx".into()
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Backend {
    /// A graph fed with SentencePiece ids and row splits (kbctl tokenises).
    UseSpm,
    /// A transformer with a Hugging Face `tokenizer.json`, run by fastembed.
    Fastembed,
}

/// A resolved model: where it is and how to run it, checked for presence but not loaded.
#[derive(Debug, Clone, PartialEq)]
pub enum ModelSpec {
    Local {
        dir: PathBuf,
        card: ModelCard,
    },
    /// One of fastembed's own model names, fetched from the Hugging Face Hub.
    FastembedHub {
        name: String,
        dim: usize,
        code: String,
    },
}

impl ModelSpec {
    pub fn id(&self) -> String {
        match self {
            ModelSpec::Local { card, .. } => card.id.clone(),
            ModelSpec::FastembedHub { code, .. } => format!("fastembed:{code}"),
        }
    }

    pub fn dim(&self) -> usize {
        match self {
            ModelSpec::Local { card, .. } => card.dim,
            ModelSpec::FastembedHub { dim, .. } => *dim,
        }
    }

    pub fn describe(&self) -> String {
        match self {
            ModelSpec::Local { dir, card } => {
                format!("{} ({}-d) at {}", card.id, card.dim, dir.display())
            }
            ModelSpec::FastembedHub { code, dim, .. } => {
                format!("fastembed {code} ({dim}-d, from the Hugging Face Hub)")
            }
        }
    }
}

/// Resolve a model name (an installed model, a folder, or `fastembed:NAME`) without loading it.
pub fn resolve(name: &str, home: &Path) -> Result<ModelSpec, UserError> {
    if let Some(hub_name) = name.strip_prefix("fastembed:") {
        return resolve_fastembed(hub_name, home);
    }
    let as_path = Path::new(name);
    let dir = if as_path.components().count() > 1 || as_path.is_dir() {
        as_path.to_path_buf()
    } else {
        home.join("models").join(name)
    };
    if !dir.is_dir() {
        let help = if INSTALLED_MODELS.contains(&name) {
            format!("run `scripts/setup` to install it into {}", home.display())
        } else {
            format!(
                "use one of {} (installed by `scripts/setup`), a folder with model.onnx and a tokenizer, or fastembed:NAME",
                INSTALLED_MODELS.join(", ")
            )
        };
        return Err(UserError::Missing {
            what: format!("embedding model `{name}` (looked in {})", dir.display()),
            help,
        });
    }
    let card = read_card(&dir)?;
    let mut required = vec![card.model.clone()];
    match card.backend {
        Backend::UseSpm => {
            required.push(card.tokenizer.clone().unwrap_or_else(|| "spm.model".into()))
        }
        Backend::Fastembed => required.extend(
            fastembed_backend::TOKENIZER_FILES
                .iter()
                .map(|f| (*f).to_string()),
        ),
    }
    let missing: Vec<_> = required
        .iter()
        .filter(|f| !dir.join(f).is_file())
        .cloned()
        .collect();
    if !missing.is_empty() {
        return Err(UserError::Missing {
            what: format!("model files in {}: {}", dir.display(), missing.join(", ")),
            help: "run `scripts/setup` (it checks and restores every file)".into(),
        });
    }
    Ok(ModelSpec::Local { dir, card })
}

/// The card of a model folder; a folder without one is taken as a fastembed model if it has
/// `tokenizer.json`, or a SentencePiece graph if it has `spm.model`.
fn read_card(dir: &Path) -> Result<ModelCard, UserError> {
    let card_path = dir.join("kbctl-model.json");
    if card_path.is_file() {
        let text = std::fs::read_to_string(&card_path)
            .map_err(|err| UserError::Invalid(format!("{}: {err}", card_path.display())))?;
        return serde_json::from_str(&text)
            .map_err(|err| UserError::Invalid(format!("{}: {err}", card_path.display())));
    }
    let id = dir
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("model")
        .to_string();
    let backend = if dir.join("spm.model").is_file() {
        Backend::UseSpm
    } else if dir.join("tokenizer.json").is_file() {
        Backend::Fastembed
    } else {
        return Err(UserError::Invalid(format!(
            "{} has no kbctl-model.json, tokenizer.json or spm.model: cannot tell how to run it",
            dir.display()
        )));
    };
    let dim = fastembed_backend::hidden_size(dir).unwrap_or(0);
    if dim == 0 {
        return Err(UserError::Invalid(format!(
            "{}: write a kbctl-model.json with the model's `dim` (not found in config.json)",
            dir.display()
        )));
    }
    Ok(ModelCard {
        id,
        backend,
        dim,
        description: String::new(),
        model: default_model_file(),
        tokenizer: None,
        pooling: Some("mean".into()),
        max_length: None,
        query_prefix: String::new(),
        passage_prefix: String::new(),
    })
}

fn resolve_fastembed(name: &str, home: &Path) -> Result<ModelSpec, UserError> {
    let model: fastembed::EmbeddingModel = name.parse().map_err(|_| {
        UserError::Invalid(format!(
            "unknown fastembed model `{name}`; fastembed knows: {}",
            fastembed_backend::known_models().join(", ")
        ))
    })?;
    let info = fastembed::TextEmbedding::get_model_info(&model)
        .map_err(|err| UserError::Invalid(err.to_string()))?;
    // A copy the user placed locally (model.onnx + tokenizer files) needs no hub.
    let local = home.join("models").join(name.to_ascii_lowercase());
    if local.is_dir() {
        return resolve(&local.display().to_string(), home);
    }
    if !cfg!(feature = "hub") {
        return Err(UserError::Missing {
            what: format!("fastembed model {} ({}-d)", info.model_code, info.dim),
            help: format!(
                "it is downloaded from the Hugging Face Hub, and this kbctl was built without hub support.\n\
                 Build with `cargo build --release --features hub` where the hub is reachable, or put its \
                 {} and tokenizer files ({}) in {}",
                info.model_file,
                fastembed_backend::TOKENIZER_FILES.join(", "),
                local.display()
            ),
        });
    }
    Ok(ModelSpec::FastembedHub {
        name: name.to_string(),
        dim: info.dim,
        code: info.model_code.clone(),
    })
}

/// Load a resolved model, ready to embed, on `threads` threads.
pub fn load(
    spec: &ModelSpec,
    onnxruntime: Option<&Path>,
    home: &Path,
    threads: usize,
) -> anyhow::Result<Box<dyn Embedder + Send>> {
    let env = runtime::environment(onnxruntime, home)?;
    match spec {
        ModelSpec::Local { dir, card } => match card.backend {
            Backend::UseSpm => Ok(Box::new(use_backend::UseEmbedder::load(
                dir, card, env, threads,
            )?)),
            Backend::Fastembed => Ok(Box::new(fastembed_backend::FastEmbedder::load_local(
                dir, card, env, threads,
            )?)),
        },
        ModelSpec::FastembedHub { name, .. } => Ok(Box::new(
            fastembed_backend::FastEmbedder::load_hub(name, home, env, threads)?,
        )),
    }
}

/// Indices of `texts` grouped into batches of similar length (less padding), longest first.
pub fn length_batches(texts: &[String], batch_size: usize) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..texts.len()).collect();
    if batch_size > 1 {
        order.sort_by_key(|&i| std::cmp::Reverse(texts[i].len()));
    }
    order
        .chunks(batch_size.max(1))
        .map(<[usize]>::to_vec)
        .collect()
}

/// Cut a text to at most `MAX_EMBED_CHARS` characters.
pub fn clip(text: &str) -> &str {
    crate::text::clip_chars(text, MAX_EMBED_CHARS)
}

/// Scale a vector to unit length (a zero vector stays zero).
pub fn normalize(v: &mut [f32]) {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|x| *x /= norm);
    }
}

/// Dot product of two equal-length vectors (cosine for unit vectors).
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_group_similar_lengths() {
        let texts: Vec<String> = ["a", "aaaa", "aa", "aaa", "aaaaa"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            length_batches(&texts, 2),
            vec![vec![4, 1], vec![3, 2], vec![0]]
        );
        assert_eq!(length_batches(&texts, 1)[0], vec![0]);
    }

    #[test]
    fn unknown_model_name_lists_the_installed_ones() {
        let dir = tempfile::tempdir().unwrap();
        let err = resolve("no-such-model", dir.path())
            .unwrap_err()
            .to_string();
        assert!(err.contains("use-multilingual-v3"), "{err}");
    }

    #[test]
    fn missing_default_model_points_to_setup() {
        let dir = tempfile::tempdir().unwrap();
        let err = resolve(DEFAULT_MODEL, dir.path()).unwrap_err().to_string();
        assert!(err.contains("scripts/setup"), "{err}");
    }

    #[test]
    fn fastembed_names_are_checked() {
        let dir = tempfile::tempdir().unwrap();
        let err = resolve("fastembed:NoSuchModel", dir.path())
            .unwrap_err()
            .to_string();
        assert!(err.contains("AllMiniLML6V2"), "{err}");
        let known = resolve("fastembed:BGESmallENV15", dir.path());
        if cfg!(feature = "hub") {
            assert_eq!(known.unwrap().dim(), 384);
        } else {
            let msg = known.unwrap_err().to_string();
            assert!(
                msg.contains("--features hub") && msg.contains("bge-small-en-v1.5"),
                "{msg}"
            );
        }
    }

    #[test]
    fn clip_respects_char_boundaries() {
        let long = "ж".repeat(MAX_EMBED_CHARS + 10);
        assert_eq!(clip(&long).chars().count(), MAX_EMBED_CHARS);
    }
}
