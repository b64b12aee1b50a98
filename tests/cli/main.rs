//! CLI integration tests: the real `kbctl` binary, the real model, on `fixtures/` and small knowledge bases built per test.

mod doctor;
mod ingest;
mod search;
mod util;
