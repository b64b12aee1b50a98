//! Helpers shared by the benchmarks.
// Each benchmark compiles this module on its own and uses part of it.
#![allow(dead_code)]

/// Peak resident memory of this process (VmHWM), in MB.
pub fn peak_rss_mb() -> f64 {
    vm_hwm_mb("/proc/self/status")
}

use std::path::Path;

use kbctl::embed::ModelSpec;
use kbctl::index::store::EmbedderInfo;

/// A set of encoders to measure: the primary one and the further views.
pub struct Profile {
    pub name: &'static str,
    pub views: Vec<ModelSpec>,
}

/// The profiles to measure: `fast` (the primary encoder with BM25) and, when the second view
/// is installed, `accurate` (the default: the primary encoder, multilingual-e5-small and BM25).
pub fn profiles(home: &Path) -> Vec<Profile> {
    let mut out = vec![Profile {
        name: "fast",
        views: Vec::new(),
    }];
    match kbctl::embed::resolve(kbctl::embed::SECOND_VIEW, home) {
        Ok(spec) => out.push(Profile {
            name: "accurate",
            views: vec![spec],
        }),
        Err(e) => eprintln!("measuring the fast profile only: {e:#}"),
    }
    out
}

/// What an index records of an encoder.
pub fn info(spec: &ModelSpec) -> EmbedderInfo {
    EmbedderInfo {
        id: spec.id(),
        dim: spec.dim(),
    }
}

/// Load each of `specs` with `threads` threads, in order.
pub fn load_all<'a>(
    specs: impl IntoIterator<Item = &'a ModelSpec>,
    home: &Path,
    threads: usize,
) -> anyhow::Result<Vec<Box<dyn kbctl::embed::Embedder + Send>>> {
    specs
        .into_iter()
        .map(|s| kbctl::embed::load(s, None, home, threads))
        .collect()
}

/// Peak resident memory (VmHWM) of a running process, in MB, read from /proc; 0 once it is gone.
pub fn process_peak_rss_mb(pid: u32) -> f64 {
    vm_hwm_mb(&format!("/proc/{pid}/status"))
}

fn vm_hwm_mb(status: &str) -> f64 {
    std::fs::read_to_string(status)
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}
