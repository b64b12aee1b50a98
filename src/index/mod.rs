//! The knowledge-base index: analysis, BM25 and vectors on disk in atomic generations, and hybrid retrieval over them.

pub mod analysis;
pub mod bm25;
mod build;
pub mod history;
mod retrieve;
pub mod store;

pub use build::{IngestOptions, IngestSummary, ingest};
pub use history::{Exemplar, HistoryTicket};
pub use retrieve::{Candidates, Hit, Mode, Retriever, SearchOptions, SharedIndex};
pub use store::Store;
