//! The intent model: a linear classifier over sentence embeddings, its optimiser and the
//! labelled examples it is trained on. A leaf that `index` (which trains it at ingest) and
//! `pipeline` (which asks it at answer time) both import; it imports neither.

pub mod classifier;
pub mod intent;
pub mod optim;
