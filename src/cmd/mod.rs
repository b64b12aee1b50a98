//! One module per subcommand: argument glue between the CLI and the domain modules.

pub mod answer;
pub mod doctor;
pub mod eval;
pub mod ingest;
pub mod init;
pub mod report;
pub mod search;
pub mod tune;

use std::sync::{Arc, Mutex};

use crate::config::Settings;
use crate::embed;
use crate::error::UserError;
use crate::index::store::{self, EmbedderInfo};
use crate::index::{Retriever, SharedIndex, Store};
use crate::pipeline::{self, Pipeline, Renderer, Task};

/// Open the live index with the model it was built with (or the one named, if it matches).
/// The model is checked against the manifest before it is loaded, so a mismatch fails fast.
pub fn open_retriever(settings: &Settings) -> anyhow::Result<Retriever> {
    let store = Store::new(&settings.index);
    let dir = store
        .current()?
        .ok_or_else(|| UserError::NoIndex(settings.index.clone()))?;
    let manifest = store::read_manifest(&dir)?;
    let name = settings
        .embedder
        .clone()
        .unwrap_or_else(|| manifest.embedder.id.clone());
    let spec = embed::resolve(&name, &settings.home)?;
    let info = EmbedderInfo {
        id: spec.id(),
        dim: spec.dim(),
    };
    store::check_compatible(store.root(), &manifest, &info)?;
    let embedder = embed::load(
        &spec,
        settings.config.onnxruntime.as_deref(),
        &settings.home,
        settings.threads,
    )?;
    Retriever::open(&store, embedder)
}

/// Write a whole output file, naming the file when it cannot be written.
pub(crate) fn write_file(path: &std::path::Path, contents: impl AsRef<[u8]>) -> anyhow::Result<()> {
    std::fs::write(path, contents).map_err(|err| {
        UserError::Invalid(format!("{}: cannot write: {err}", path.display())).into()
    })
}

/// Starts pipeline workers over the live index: the first at once, the others on demand,
/// sharing its index data and each with its own model session.
pub struct Workers<'a> {
    settings: &'a Settings,
    intent: Option<Arc<pipeline::intent::IntentModel>>,
    spec: embed::ModelSpec,
    shared: Mutex<SharedIndex>,
    task: Task,
}

impl<'a> Workers<'a> {
    /// Open the index and build the first worker.
    pub fn start(settings: &'a Settings, task: Task) -> anyhow::Result<(Pipeline, Self)> {
        let single = Settings {
            threads: 1,
            ..settings.clone()
        };
        let retriever = open_retriever(&single)?;
        let intent = pipeline::intent::load(&retriever.generation().dir)?.map(Arc::new);
        // The model as the user named it (a folder path resolves; its card id may not).
        let model = settings
            .embedder
            .as_deref()
            .unwrap_or(retriever.embedder_id());
        let spec = embed::resolve(model, &settings.home)?;
        let workers = Self {
            settings,
            intent,
            spec,
            shared: Mutex::new(retriever.share()),
            task,
        };
        let first = workers.build(retriever)?;
        Ok((first, workers))
    }

    /// Whether the index has an intent classifier (built with labelled examples).
    pub fn has_classifier(&self) -> bool {
        self.intent.is_some()
    }

    /// Another worker with its own model session.
    pub fn make(&self) -> anyhow::Result<Pipeline> {
        let shared = self
            .shared
            .lock()
            .map_err(|_| anyhow::anyhow!("a worker panicked"))?
            .clone();
        let embedder = embed::load(
            &self.spec,
            self.settings.config.onnxruntime.as_deref(),
            &self.settings.home,
            1,
        )?;
        self.build(shared.retriever(embedder)?)
    }

    fn build(&self, retriever: Retriever) -> anyhow::Result<Pipeline> {
        let config = &self.settings.config;
        Ok(Pipeline::new(
            retriever,
            self.intent.clone(),
            config.policy.clone(),
            config.retrieval.clone(),
            Renderer::new(config.templates.answer.as_deref())?,
            self.task,
        ))
    }
}
