//! Error kinds: user mistakes (input, configuration, environment) versus internal failures; both exit 2 (see `exit`), the message says which.

use std::path::PathBuf;

/// A failure caused by the user's input or environment (exit code 2, reported as `error`).
///
/// Everything else that bubbles up as an `anyhow::Error` is an internal error (exit code 2, reported as `internal error`).
#[derive(Debug, thiserror::Error)]
pub enum UserError {
    /// A file or option the user gave is wrong; the message says which and why.
    #[error("{0}")]
    Invalid(String),
    /// Something kbctl needs is not installed or not where it looked.
    #[error("{what} not found\n{help}")]
    Missing { what: String, help: String },
    /// The index on disk was built differently from what this run would build.
    #[error(
        "index at {path} was built {found}, but this run uses {wanted}: re-ingest with --rebuild"
    )]
    IndexMismatch {
        path: PathBuf,
        found: String,
        wanted: String,
    },
    /// No index where one was expected.
    #[error("no index at {0}: run `kbctl ingest PATH...` first (or pass --index)")]
    NoIndex(PathBuf),
}

/// A problem with one input record (a document, a FAQ row, later a ticket): located, never fatal.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct InputIssue {
    pub path: PathBuf,
    /// 1-based line number where the problem is, when there is one.
    pub line: Option<usize>,
    pub message: String,
    /// What kind of problem, for counting (`duplicate_id`, `impossible_time`, ...); `None` is a
    /// row that could not be read at all.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<&'static str>,
}

impl std::fmt::Display for InputIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.path.display(), line, self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl InputIssue {
    pub fn new(path: impl Into<PathBuf>, line: Option<usize>, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            line,
            message: message.into(),
            kind: None,
        }
    }

    /// The same issue, counted as `kind`.
    pub fn with_kind(mut self, kind: &'static str) -> Self {
        self.kind = Some(kind);
        self
    }
}

/// True when `err` (or anything in its chain) is a broken pipe: the reader went away, exit quietly.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    use std::io::ErrorKind::BrokenPipe;
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == BrokenPipe)
            || cause
                .downcast_ref::<serde_json::Error>()
                .is_some_and(|e| e.io_error_kind() == Some(BrokenPipe))
            || cause.downcast_ref::<csv::Error>().is_some_and(
                |e| matches!(e.kind(), csv::ErrorKind::Io(io) if io.kind() == BrokenPipe),
            )
    })
}

/// True when the failure is the user's to fix rather than an internal error.
/// Files that are missing, unreadable or unwritable, and a full or read-only disk, are the
/// environment's, not kbctl's: they count as the user's even without a [`UserError`].
pub fn is_user_error(err: &anyhow::Error) -> bool {
    use std::io::ErrorKind::*;
    err.chain().any(|cause| {
        cause.downcast_ref::<UserError>().is_some()
            || cause.downcast_ref::<std::io::Error>().is_some_and(|io| {
                matches!(
                    io.kind(),
                    NotFound | PermissionDenied | ReadOnlyFilesystem | StorageFull | AlreadyExists
                )
            })
    })
}
