//! CLI integration tests: the real `kbctl` binary, the real model, on `fixtures/` and small knowledge bases built per test.

mod answer;
mod config;
mod contract;
mod doctor;
mod eval;
mod formats;
mod hostile;
mod ingest;
mod readers;
mod records;
mod report;
mod schemas;
mod search;
mod tickets;
mod util;
