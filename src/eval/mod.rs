//! Evaluation: measuring kbctl on labelled data (retrieval quality now; ticket replays build on it).

pub mod retrieval;
