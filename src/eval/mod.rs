//! Evaluation: measuring kbctl on labelled data (retrieval quality, and the money side of a rollout).

pub mod frt;
pub mod retrieval;
pub mod roi;
