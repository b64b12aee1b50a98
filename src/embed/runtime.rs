//! Finding and loading the ONNX Runtime shared library, once per process, with a clear message when it is missing.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use ort::environment::Environment;

use crate::error::UserError;

/// Environment variables that name the library, in the order they are consulted.
pub const LIB_ENV_VARS: [&str; 2] = ["KBCTL_ORT_LIB", "ORT_DYLIB_PATH"];

/// Where the library was found, and why there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuntimeLocation {
    pub path: PathBuf,
    /// "config", "KBCTL_ORT_LIB", "ORT_DYLIB_PATH" or "KBCTL_HOME".
    pub origin: String,
}

impl RuntimeLocation {
    /// The version in the file name (`libonnxruntime.so.1.24.1` -> `1.24.1`), if it has one.
    pub fn version(&self) -> Option<String> {
        let name = self.path.file_name()?.to_str()?;
        let version = name.split_once(".so.").map(|(_, v)| v)?;
        Some(version.to_string())
    }
}

/// Locate the library: the config's `onnxruntime`, then `KBCTL_ORT_LIB`, `ORT_DYLIB_PATH`,
/// then the newest `libonnxruntime.so*` under `home/onnxruntime`.
pub fn locate(configured: Option<&Path>, home: &Path) -> Result<RuntimeLocation, UserError> {
    locate_with(configured, home, |var| std::env::var_os(var))
}

fn locate_with(
    configured: Option<&Path>,
    home: &Path,
    env: impl Fn(&str) -> Option<std::ffi::OsString>,
) -> Result<RuntimeLocation, UserError> {
    let mut looked = Vec::new();
    let mut candidates: Vec<(PathBuf, String)> = Vec::new();
    if let Some(path) = configured {
        candidates.push((path.to_path_buf(), "config".into()));
    }
    for var in LIB_ENV_VARS {
        if let Some(value) = env(var).filter(|v| !v.is_empty()) {
            candidates.push((PathBuf::from(value), var.into()));
        }
    }
    for (path, origin) in candidates {
        if path.is_file() {
            return Ok(RuntimeLocation { path, origin });
        }
        looked.push(format!("{} (from {origin}): no such file", path.display()));
    }
    let dir = home.join("onnxruntime");
    let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.starts_with("libonnxruntime.so")
                    || n.starts_with("libonnxruntime.dylib")
                    || n == "onnxruntime.dll"
            })
        })
        .collect();
    found.sort_by_key(|p| version_key(p));
    if let Some(path) = found.pop() {
        return Ok(RuntimeLocation {
            path,
            origin: "KBCTL_HOME".into(),
        });
    }
    looked.push(format!("{}/libonnxruntime.so*: none", dir.display()));
    Err(UserError::Missing {
        what: "ONNX Runtime library (1.24 or newer)".into(),
        help: format!(
            "looked at:\n  {}\nrun `scripts/setup` to fetch it from PyPI into {}, or set KBCTL_ORT_LIB to the library's path",
            looked.join("\n  "),
            home.display()
        ),
    })
}

fn version_key(path: &Path) -> Vec<u32> {
    path.file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.split_once(".so."))
        .map(|(_, v)| v.split('.').filter_map(|p| p.parse().ok()).collect())
        .unwrap_or_default()
}

static ENVIRONMENT: OnceLock<Result<(Environment, RuntimeLocation), String>> = OnceLock::new();

/// Load the library (first call only) and return the process-wide ONNX Runtime environment.
pub fn environment(configured: Option<&Path>, home: &Path) -> anyhow::Result<Environment> {
    let location = locate(configured, home)?;
    let loaded = ENVIRONMENT.get_or_init(|| {
        let env = ort::init_from(&location.path)
            .map_err(|err| {
                format!(
                    "cannot load ONNX Runtime from {} ({}): {err}\nkbctl needs ONNX Runtime 1.24 or newer; `scripts/setup` installs 1.24.1",
                    location.path.display(),
                    location.origin
                )
            })?
            .with_name("kbctl")
            .with_telemetry(false)
            .build()
            .map_err(|err| format!("cannot start ONNX Runtime: {err}"))?;
        Ok((env, location.clone()))
    });
    match loaded {
        Ok((env, _)) => Ok(env.clone()),
        Err(message) => Err(UserError::Invalid(message.clone()).into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_comes_from_the_file_name() {
        let loc = RuntimeLocation {
            path: PathBuf::from("/x/libonnxruntime.so.1.24.1"),
            origin: "KBCTL_HOME".into(),
        };
        assert_eq!(loc.version().as_deref(), Some("1.24.1"));
    }

    #[test]
    fn missing_library_says_where_it_looked_and_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let err = locate_with(Some(&dir.path().join("nope.so")), dir.path(), |_| None).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("ONNX Runtime"), "{msg}");
        assert!(msg.contains("nope.so (from config)"), "{msg}");
        assert!(msg.contains("scripts/setup"), "{msg}");
    }

    #[test]
    fn newest_library_under_home_wins() {
        let dir = tempfile::tempdir().unwrap();
        let ort = dir.path().join("onnxruntime");
        std::fs::create_dir_all(&ort).unwrap();
        for v in ["1.9.0", "1.24.1", "1.24.0"] {
            std::fs::write(ort.join(format!("libonnxruntime.so.{v}")), b"").unwrap();
        }
        let loc = locate_with(None, dir.path(), |_| None).unwrap();
        assert_eq!(loc.version().as_deref(), Some("1.24.1"));
    }
}
