//! One module per subcommand: argument glue between the CLI and the domain modules.

pub mod answer;
pub mod doctor;
pub mod ingest;
pub mod init;
pub mod search;

use crate::config::Settings;
use crate::embed;
use crate::error::UserError;
use crate::index::store::{self, EmbedderInfo};
use crate::index::{Retriever, Store};

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
