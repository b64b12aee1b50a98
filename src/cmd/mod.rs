//! One module per subcommand: argument glue between the CLI and the domain modules.

pub mod answer;
pub mod doctor;
pub mod eval;
pub mod ingest;
pub mod init;
pub mod report;
pub mod search;
pub mod shell;
pub mod tune;

use std::sync::{Arc, Mutex};

use crate::config::Settings;
use crate::embed;
use crate::error::UserError;
use crate::index::store::{self, EmbedderInfo};
use crate::index::{Retriever, SharedIndex, Store};
use crate::pipeline::{Pipeline, Renderer, Task};

/// Open the live index with the model it was built with (or the one named, if it matches).
/// The model is checked against the manifest before it is loaded, so a mismatch fails fast.
pub fn open_retriever(settings: &Settings) -> anyhow::Result<Retriever> {
    let store = Store::new(&settings.index);
    // Leased before anything is read: an ingest publishing meanwhile leaves this generation be.
    let lease = store
        .lease()?
        .ok_or_else(|| UserError::NoIndex(settings.index.clone()))?;
    let manifest = store::read_manifest(lease.dir())?;
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
    let embedder = load_model(settings, &spec, settings.threads)?;
    let extra = view_specs(settings, &manifest.views)
        .iter()
        .map(|spec| load_model(settings, spec, settings.threads))
        .collect::<anyhow::Result<Vec<_>>>()?;
    Retriever::open_leased(&store, lease, embedder, extra)
}

/// Load a model to embed queries with, behind the vector cache when the run has one.
fn load_model(
    settings: &Settings,
    spec: &embed::ModelSpec,
    threads: usize,
) -> anyhow::Result<Box<dyn embed::Embedder + Send>> {
    let model = embed::load(
        spec,
        settings.config.onnxruntime.as_deref(),
        &settings.home,
        threads,
    )?;
    Ok(match &settings.vector_cache {
        Some(dir) => Box::new(embed::cache::CachedEmbedder::new(model, dir)?),
        None => model,
    })
}

/// The further encoders this run uses: those of the profile that the index holds, in the
/// index's order. A view the index holds whose model is not installed is left out with a
/// warning (ranking degrades to the views there are; `kbctl doctor` says what is missing).
pub fn view_specs(settings: &Settings, indexed: &[EmbedderInfo]) -> Vec<embed::ModelSpec> {
    let wanted = settings.view_names();
    let mut specs = Vec::new();
    for info in indexed {
        if !wanted.contains(&info.id) {
            continue;
        }
        match embed::resolve(&info.id, &settings.home) {
            Ok(spec) if spec.id() == info.id && spec.dim() == info.dim => specs.push(spec),
            Ok(spec) => warn(
                settings,
                &format!(
                    "the index holds {} ({}-d) vectors but {} is installed; ranking without that view",
                    info.id,
                    info.dim,
                    spec.describe()
                ),
            ),
            Err(err) => warn(
                settings,
                &format!("ranking without the {} view: {err}", info.id),
            ),
        }
    }
    specs
}

/// The further encoders an ingest writes: the profile's views that are installed. One that is
/// not is left out with a warning; the index records what it holds.
pub fn ingest_view_specs(settings: &Settings, primary: &str) -> Vec<embed::ModelSpec> {
    let mut specs: Vec<embed::ModelSpec> = Vec::new();
    for name in settings.view_names() {
        match embed::resolve(&name, &settings.home) {
            Ok(spec) if spec.id() != primary && specs.iter().all(|s| s.id() != spec.id()) => {
                specs.push(spec)
            }
            Ok(_) => {}
            Err(err) => warn(
                settings,
                &format!("indexing without the {name} view: {err}"),
            ),
        }
    }
    specs
}

fn warn(settings: &Settings, message: &str) {
    if !settings.quiet {
        eprintln!("kbctl: warning: {}", message.replace('\n', "\n  "));
    }
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
    intent: Option<Arc<crate::model::intent::IntentModel>>,
    spec: embed::ModelSpec,
    /// The further encoders' models, in the retriever's order.
    views: Vec<embed::ModelSpec>,
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
        let intent = crate::model::intent::load(&retriever.generation().dir)?.map(Arc::new);
        // The model as the user named it (a folder path resolves; its card id may not).
        let model = settings
            .embedder
            .as_deref()
            .unwrap_or(retriever.embedder_id());
        let spec = embed::resolve(model, &settings.home)?;
        let extra_ids = retriever.share().extra_ids();
        let views = extra_ids
            .iter()
            .map(|id| embed::resolve(id, &settings.home))
            .collect::<Result<Vec<_>, _>>()?;
        let workers = Self {
            settings,
            intent,
            spec,
            views,
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
        let load = |spec: &embed::ModelSpec| load_model(self.settings, spec, 1);
        let embedder = load(&self.spec)?;
        let extra = self
            .views
            .iter()
            .map(load)
            .collect::<anyhow::Result<Vec<_>>>()?;
        self.build(shared.retriever(embedder, extra)?)
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
