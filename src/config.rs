//! `kbctl.yaml`: the team's settings, validated on load, merged with flags and environment.

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::{Deserialize, Serialize};

use crate::cli::GlobalArgs;
use crate::error::UserError;

/// The file looked for in the working directory when `--config` is not given.
pub const DEFAULT_CONFIG_FILE: &str = "kbctl.yaml";
/// The index directory when neither a flag nor the config names one.
pub const DEFAULT_INDEX_DIR: &str = ".kbctl/index";

/// Everything `kbctl.yaml` may hold. Unknown keys are refused by name.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Index directory.
    pub index: Option<PathBuf>,
    /// Where set-up put ONNX Runtime and the models.
    pub home: Option<PathBuf>,
    /// Path of the ONNX Runtime shared library, overriding the one under `home`.
    pub onnxruntime: Option<PathBuf>,
    /// Embedding model (see `kbctl --help`).
    pub embedder: Option<String>,
    /// Threads for embedding and search.
    pub threads: Option<usize>,
    pub retrieval: RetrievalConfig,
    pub ingest: IngestConfig,
}

/// How candidates from BM25 and vectors are combined.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum Fusion {
    /// Reciprocal-rank fusion: sum of 1 / (k + rank).
    Rrf,
    /// Weighted sum of absolute scores: cosine, and BM25 as a fraction of an ideal match
    /// (the default: it beat reciprocal-rank fusion on every language group; docs/measurements.md).
    #[default]
    Linear,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RetrievalConfig {
    pub fusion: Fusion,
    /// The k of reciprocal-rank fusion.
    pub rrf_k: f32,
    /// Weight of the vector score in linear fusion (BM25 gets 1 - this).
    pub vector_weight: f32,
    /// Candidates taken from each retriever before fusion.
    pub candidates: usize,
}

impl Default for RetrievalConfig {
    fn default() -> Self {
        Self {
            fusion: Fusion::Linear,
            rrf_k: 60.0,
            vector_weight: 0.6,
            candidates: 50,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct IngestConfig {
    /// Soft upper bound on a chunk's length in characters; sections are split at paragraphs.
    pub chunk_chars: usize,
    /// Texts per embedding call. 1 keeps every vector independent of its neighbours
    /// (the quantized encoders scale activations per batch); larger is faster.
    pub batch_size: usize,
}

impl Default for IngestConfig {
    fn default() -> Self {
        Self {
            chunk_chars: 1200,
            batch_size: 1,
        }
    }
}

impl Config {
    /// Parse and validate a config file's text; `origin` names it in messages.
    pub fn parse(text: &str, origin: &Path) -> Result<Self, UserError> {
        let config: Config = crate::yaml::from_str(text).map_err(|err| {
            let at = err.line.map(|l| format!(":{l}")).unwrap_or_default();
            UserError::Invalid(format!("{}{at}: {}", origin.display(), err.message))
        })?;
        config.validate(origin)?;
        Ok(config)
    }

    fn validate(&self, origin: &Path) -> Result<(), UserError> {
        let bad = |key: &str, why: &str| {
            Err(UserError::Invalid(format!(
                "{}: `{key}` {why}",
                origin.display()
            )))
        };
        let r = &self.retrieval;
        if !(r.rrf_k > 0.0 && r.rrf_k.is_finite()) {
            return bad("retrieval.rrf_k", "must be a positive number");
        }
        if !(0.0..=1.0).contains(&r.vector_weight) {
            return bad("retrieval.vector_weight", "must be between 0 and 1");
        }
        if r.candidates == 0 {
            return bad("retrieval.candidates", "must be at least 1");
        }
        if self.ingest.chunk_chars < 200 {
            return bad("ingest.chunk_chars", "must be at least 200");
        }
        if self.ingest.batch_size == 0 {
            return bad("ingest.batch_size", "must be at least 1");
        }
        if self.threads == Some(0) {
            return bad("threads", "must be at least 1");
        }
        Ok(())
    }

    /// Load `--config FILE`, else ./kbctl.yaml when present, else defaults.
    pub fn load(explicit: Option<&Path>) -> anyhow::Result<(Self, Option<PathBuf>)> {
        let path = match explicit {
            Some(p) => p.to_path_buf(),
            None => {
                let default = PathBuf::from(DEFAULT_CONFIG_FILE);
                if !default.exists() {
                    return Ok((Self::default(), None));
                }
                default
            }
        };
        let text = std::fs::read_to_string(&path)
            .map_err(|err| UserError::Invalid(format!("{}: {err}", path.display())))
            .with_context(|| "reading the configuration")?;
        Ok((Self::parse(&text, &path)?, Some(path)))
    }
}

/// Settings resolved from flags, environment, config file and defaults, in that order.
#[derive(Debug, Clone)]
pub struct Settings {
    pub config: Config,
    pub config_path: Option<PathBuf>,
    pub home: PathBuf,
    pub index: PathBuf,
    /// The model named by flag, environment or config; `None` means "the default, or the index's own".
    pub embedder: Option<String>,
    pub threads: usize,
    pub quiet: bool,
}

impl Settings {
    pub fn resolve(global: &GlobalArgs) -> anyhow::Result<Self> {
        let (config, config_path) = Config::load(global.config.as_deref())?;
        let home = global
            .home
            .clone()
            .or_else(|| config.home.clone())
            .unwrap_or_else(default_home);
        let index = global
            .index
            .clone()
            .or_else(|| config.index.clone())
            .unwrap_or_else(|| PathBuf::from(DEFAULT_INDEX_DIR));
        let embedder = global.embedder.clone().or_else(|| config.embedder.clone());
        let threads = global
            .threads
            .or(config.threads)
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
        if threads == 0 {
            return Err(UserError::Invalid("--threads must be at least 1".into()).into());
        }
        Ok(Self {
            config,
            config_path,
            home,
            index,
            embedder,
            threads,
            quiet: global.quiet,
        })
    }
}

impl Settings {
    /// The model to build an index with: the one named, else the default.
    pub fn embedder_name(&self) -> &str {
        self.embedder
            .as_deref()
            .unwrap_or(crate::embed::DEFAULT_MODEL)
    }
}

/// `$XDG_CACHE_HOME/kbctl`, else `~/.cache/kbctl`: where `scripts/setup` puts things by default.
pub fn default_home() -> PathBuf {
    if let Some(xdg) = std::env::var_os("XDG_CACHE_HOME").filter(|v| !v.is_empty()) {
        return PathBuf::from(xdg).join("kbctl");
    }
    let home = std::env::var_os("HOME").map_or_else(|| PathBuf::from("."), PathBuf::from);
    home.join(".cache").join("kbctl")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_file_gives_defaults() {
        let c = Config::parse("{}", Path::new("k.yaml")).unwrap();
        assert_eq!(c, Config::default());
    }

    #[test]
    fn unknown_key_is_named() {
        let err = Config::parse("retrieval:\n  fuson: rrf\n", Path::new("k.yaml")).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("fuson") && msg.contains("k.yaml"), "{msg}");
    }

    #[test]
    fn out_of_range_value_is_named() {
        let err = Config::parse("retrieval:\n  vector_weight: 1.5\n", Path::new("k.yaml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("retrieval.vector_weight"), "{err}");
    }

    #[test]
    fn fusion_parses_lowercase() {
        let c = Config::parse("retrieval:\n  fusion: rrf\n", Path::new("k.yaml")).unwrap();
        assert_eq!(c.retrieval.fusion, Fusion::Rrf);
    }
}
