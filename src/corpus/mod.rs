//! Knowledge-base documents: find files, read each format into `Document`s, report bad input by file and line.

mod chunk;
mod faq;
mod html;
mod markdown;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use chunk::{Chunk, chunk_document};

use crate::error::InputIssue;
use crate::lang::Lang;

/// The text of an HTML fragment, as the HTML page reader extracts it (help-desk message bodies).
pub fn html_to_text(html: &str) -> String {
    html::text(html)
}

/// The format a document came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DocKind {
    Markdown,
    Text,
    Html,
    Faq,
}

/// One knowledge-base document, whatever file it came from. `body` is Markdown-like text:
/// headings as `#` lines, paragraphs separated by blank lines.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub id: String,
    pub title: String,
    pub category: Option<String>,
    pub language: Lang,
    pub tags: Vec<String>,
    /// A document the bot must never send on its own (legal terms, complaints, ...).
    pub never_automate: bool,
    pub kind: DocKind,
    /// Question variants (FAQ entries).
    pub questions: Vec<String>,
    pub body: String,
    /// The file it came from, as given on the command line (or found under a given directory).
    pub source: PathBuf,
    /// 1-based line in `source` where the document starts.
    pub line: usize,
    /// Where the article is published, for links in replies.
    #[serde(default)]
    pub url: Option<String>,
}

impl Document {
    /// Hash of everything that goes into the index: a changed hash means "updated".
    pub fn content_hash(&self) -> String {
        let mut hasher = Sha256::new();
        // serde_json of a struct is deterministic (field order is declaration order).
        let canonical = serde_json::to_vec(&(
            &self.id,
            &self.title,
            &self.category,
            self.language,
            &self.tags,
            self.never_automate,
            self.kind,
            &self.questions,
            &self.body,
            &self.source,
            &self.url,
        ))
        .unwrap_or_default();
        hasher.update(&canonical);
        hex(&hasher.finalize())
    }
}

/// Lower-case hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What reading a set of paths produced.
#[derive(Debug, Default)]
pub struct LoadOutcome {
    pub documents: Vec<Document>,
    /// Every problem found, each naming its file (and line where there is one).
    pub issues: Vec<InputIssue>,
    /// Files that could not be read as a whole: documents previously indexed from them are kept.
    pub failed_sources: Vec<PathBuf>,
    /// Files read.
    pub files: usize,
}

const EXTENSIONS: &[&str] = &[
    "md", "markdown", "txt", "html", "htm", "csv", "jsonl", "yaml", "yml",
];

/// Read every supported file under `paths` (directories recursively, hidden entries skipped),
/// in a stable order. Duplicate ids keep the first occurrence and report the later one.
///
/// The walk follows symlinks, but reads each directory and each file once, however many links
/// lead to it (a link loop is reported, not walked). Entries that are not regular files
/// (FIFOs, devices, sockets) are reported and never opened, and no file is read past
/// `max_doc_bytes`.
pub fn load_paths(paths: &[PathBuf], max_doc_bytes: u64) -> LoadOutcome {
    let mut out = LoadOutcome::default();
    let mut walk = Walk::default();
    for path in paths {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk.dir(path),
            Ok(meta) if meta.is_file() => {
                if supported(path) {
                    walk.files.push(path.clone());
                } else {
                    walk.issues.push(InputIssue::new(
                        path,
                        None,
                        format!(
                            "unsupported file type (expected one of: {})",
                            EXTENSIONS.join(", ")
                        ),
                    ));
                }
            }
            Ok(meta) => walk.issues.push(not_regular(path, &meta)),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => walk
                .issues
                .push(InputIssue::new(path, None, "no such file or directory")),
            Err(err) => {
                walk.issues
                    .push(InputIssue::new(path, None, format!("cannot read: {err}")))
            }
        }
    }
    // A path given and also found under a given directory is reported once.
    let mut reported = std::collections::HashSet::new();
    out.issues = walk
        .issues
        .into_iter()
        .filter(|i| reported.insert(i.to_string()))
        .collect();
    let mut files = walk.files;
    files.sort();
    files.dedup();
    let files = once_each(files, &mut out.issues);

    let mut seen: HashMap<String, (PathBuf, usize)> = HashMap::new();
    for file in files {
        out.files += 1;
        let text = match read_text(&file, max_doc_bytes) {
            Ok(text) => text,
            Err(issue) => {
                out.issues.push(issue);
                out.failed_sources.push(file);
                continue;
            }
        };
        let parsed = parse_file(&file, &text);
        if parsed.fatal {
            out.failed_sources.push(file.clone());
        }
        out.issues.extend(parsed.issues);
        for doc in parsed.documents {
            if let Some((first, line)) = seen.get(&doc.id) {
                out.issues.push(InputIssue::new(
                    &doc.source,
                    Some(doc.line),
                    format!(
                        "duplicate document id `{}` (first defined at {}:{}); this one is skipped",
                        doc.id,
                        first.display(),
                        line
                    ),
                ));
                continue;
            }
            seen.insert(doc.id.clone(), (doc.source.clone(), doc.line));
            out.documents.push(doc);
        }
    }
    out
}

fn supported(path: &Path) -> bool {
    extension(path).is_some_and(|ext| EXTENSIONS.contains(&ext.as_str()))
}

fn extension(path: &Path) -> Option<String> {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
}

/// The files found under the given directories, and the problems met on the way.
#[derive(Default)]
struct Walk {
    files: Vec<PathBuf>,
    issues: Vec<InputIssue>,
    /// Every directory walked, by its canonical path, with the path it was first walked as.
    dirs: HashMap<PathBuf, PathBuf>,
}

impl Walk {
    fn unreadable(&mut self, dir: &Path, err: &std::io::Error) {
        self.issues.push(InputIssue::new(
            dir,
            None,
            format!("cannot read directory: {err}"),
        ));
    }

    fn dir(&mut self, dir: &Path) {
        let canonical = match std::fs::canonicalize(dir) {
            Ok(canonical) => canonical,
            Err(err) => return self.unreadable(dir, &err),
        };
        if let Some(first) = self.dirs.get(&canonical) {
            self.issues.push(InputIssue::new(
                dir,
                None,
                format!(
                    "the directory {} again (a symlink loop or a second link to it); not read twice",
                    first.display()
                ),
            ));
            return;
        }
        self.dirs.insert(canonical, dir.to_path_buf());
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(err) => return self.unreadable(dir, &err),
        };
        // In name order, so which of two links to one directory is walked does not vary.
        let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for path in paths {
            let hidden = path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'));
            if hidden {
                continue;
            }
            // Follows symlinks: a link is taken for what it points to.
            match std::fs::metadata(&path) {
                Ok(meta) if meta.is_dir() => self.dir(&path),
                Ok(meta) if supported(&path) && !is_readme(&path) => {
                    if meta.is_file() {
                        self.files.push(path);
                    } else {
                        self.issues.push(not_regular(&path, &meta));
                    }
                }
                Ok(_) => {}
                // A dangling link: reading it names the problem.
                Err(_) if supported(&path) && !is_readme(&path) => self.files.push(path),
                Err(_) => {}
            }
        }
    }
}

/// `files` (sorted) with each file kept once, under its own path rather than a link's when
/// both lead to it; every other path to it is reported.
fn once_each(files: Vec<PathBuf>, issues: &mut Vec<InputIssue>) -> Vec<PathBuf> {
    let is_link = |p: &Path| {
        p.symlink_metadata()
            .is_ok_and(|m| m.file_type().is_symlink())
    };
    let mut keep: HashMap<PathBuf, &PathBuf> = HashMap::new();
    let canonical: Vec<Option<PathBuf>> = files
        .iter()
        .map(|f| std::fs::canonicalize(f).ok())
        .collect();
    for (file, canonical) in files.iter().zip(&canonical) {
        if let Some(c) = canonical {
            let slot = keep.entry(c.clone()).or_insert(file);
            if is_link(slot) && !is_link(file) {
                *slot = file;
            }
        }
    }
    let mut out = Vec::with_capacity(files.len());
    for (file, canonical) in files.iter().zip(&canonical) {
        match canonical.as_ref().map(|c| keep[c]) {
            Some(kept) if kept != file => issues.push(InputIssue::new(
                file,
                None,
                format!(
                    "the same file as {} (through a symlink); read once",
                    kept.display()
                ),
            )),
            _ => out.push(file.clone()),
        }
    }
    out
}

/// The problem with an entry that is not a regular file or directory.
fn not_regular(path: &Path, meta: &std::fs::Metadata) -> InputIssue {
    InputIssue::new(
        path,
        None,
        format!("not a regular file: {}", file_kind(&meta.file_type())),
    )
}

fn file_kind(kind: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "FIFO";
        }
        if kind.is_char_device() {
            return "character device";
        }
        if kind.is_block_device() {
            return "block device";
        }
        if kind.is_socket() {
            return "socket";
        }
    }
    let _ = kind;
    "special file"
}

/// A README in a knowledge-base folder describes the folder; it is not an article.
fn is_readme(path: &Path) -> bool {
    path.file_stem()
        .and_then(|s| s.to_str())
        .is_some_and(|s| s.eq_ignore_ascii_case("readme"))
}

/// A byte count for messages: "20 MB", "512 kB" or "900 bytes".
fn bytes_label(n: u64) -> String {
    if n >= 1_000_000 && n.is_multiple_of(100_000) {
        format!("{} MB", n as f64 / 1e6)
    } else if n >= 1_000 && n.is_multiple_of(1_000) {
        format!("{} kB", n / 1_000)
    } else {
        format!("{n} bytes")
    }
}

/// Read a regular file of at most `max_bytes` as UTF-8, naming the line of the first invalid byte.
fn read_text(path: &Path, max_bytes: u64) -> Result<String, InputIssue> {
    use std::io::Read;
    let cannot = |err: std::io::Error| InputIssue::new(path, None, format!("cannot read: {err}"));
    let too_large = || {
        InputIssue::new(
            path,
            None,
            format!(
                "larger than the {} document size cap; raise `ingest.max_doc_bytes` in kbctl.yaml (now {max_bytes}) to ingest it",
                bytes_label(max_bytes)
            ),
        )
    };
    // Checked before opening: opening a FIFO blocks until something writes to it.
    let meta = std::fs::metadata(path).map_err(cannot)?;
    if !meta.is_file() {
        return Err(not_regular(path, &meta));
    }
    if meta.len() > max_bytes {
        return Err(too_large());
    }
    let file = std::fs::File::open(path).map_err(cannot)?;
    let mut bytes = Vec::new();
    // Bounded whatever the file turns out to be (it may grow, or be replaced, after the check).
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > max_bytes {
        return Err(too_large());
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text
            .strip_prefix('\u{feff}')
            .map(str::to_owned)
            .unwrap_or(text)),
        Err(err) => {
            let valid = err.utf8_error().valid_up_to();
            let bytes = err.as_bytes();
            let line = bytes[..valid].iter().filter(|&&b| b == b'\n').count() + 1;
            let column = valid
                - bytes[..valid]
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |p| p + 1)
                + 1;
            Err(InputIssue::new(
                path,
                Some(line),
                format!("invalid UTF-8 at byte {valid} (column {column}); save the file as UTF-8"),
            ))
        }
    }
}

/// Documents and problems from one file's text.
#[derive(Debug, Default)]
struct Parsed {
    documents: Vec<Document>,
    issues: Vec<InputIssue>,
    /// The file as a whole could not be used.
    fatal: bool,
}

impl Parsed {
    fn fail(path: &Path, line: Option<usize>, message: impl Into<String>) -> Self {
        Self {
            documents: Vec::new(),
            issues: vec![InputIssue::new(path, line, message)],
            fatal: true,
        }
    }

    fn one(doc: Document) -> Self {
        Self {
            documents: vec![doc],
            ..Self::default()
        }
    }
}

fn parse_file(path: &Path, text: &str) -> Parsed {
    let parsed = match extension(path).as_deref() {
        Some("md" | "markdown") => markdown::parse(path, text),
        Some("html" | "htm") => html::parse(path, text),
        Some("txt") => parse_text(path, text),
        Some("csv") => faq::parse_csv(path, text),
        Some("jsonl") => faq::parse_jsonl(path, text),
        Some("yaml" | "yml") => faq::parse_yaml(path, text),
        _ => Parsed::fail(path, None, "unsupported file type"),
    };
    // A document with nothing to index is an error of its own.
    let mut out = Parsed {
        fatal: parsed.fatal,
        issues: parsed.issues,
        documents: Vec::new(),
    };
    for doc in parsed.documents {
        if doc.body.trim().is_empty() && doc.questions.is_empty() {
            out.issues.push(InputIssue::new(
                &doc.source,
                Some(doc.line),
                format!("document `{}` is empty: nothing to index", doc.id),
            ));
        } else {
            out.documents.push(doc);
        }
    }
    out
}

/// Plain text: the first non-empty line is the title, the rest is the body.
fn parse_text(path: &Path, text: &str) -> Parsed {
    let mut lines = text
        .lines()
        .enumerate()
        .skip_while(|(_, l)| l.trim().is_empty());
    let Some((title_line, title)) = lines.next() else {
        return Parsed::fail(path, None, "document is empty: nothing to index");
    };
    let body: String = lines.map(|(_, l)| l).collect::<Vec<_>>().join("\n");
    let title = title.trim().trim_start_matches('#').trim().to_string();
    let language = crate::lang::detect(&format!("{title}\n{body}"));
    Parsed::one(Document {
        id: id_from_path(path),
        title,
        category: None,
        language,
        tags: Vec::new(),
        never_automate: false,
        kind: DocKind::Text,
        questions: Vec::new(),
        body,
        source: path.to_path_buf(),
        line: title_line + 1,
        url: None,
    })
}

/// A document id from a file name: lower-case, runs of other characters as `-`.
pub fn id_from_path(path: &Path) -> String {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("doc");
    slug(stem)
}

/// Lower-case letters and digits, everything else collapsed into single dashes.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Validate a document id given by a user: non-empty, no whitespace or `#` (used in chunk ids).
fn check_id(id: &str) -> Result<(), String> {
    if id.trim().is_empty() {
        return Err("empty `id`".into());
    }
    if id.chars().any(|c| c.is_whitespace() || c == '#') {
        return Err(format!("`id` {id:?} must not contain spaces or `#`"));
    }
    Ok(())
}

/// A language from metadata, or detected from the text when absent; unknown codes are an error.
fn language_or_detect(given: Option<&str>, text: &str) -> Result<Lang, String> {
    match given {
        None => Ok(crate::lang::detect(text)),
        Some(code) => Lang::parse(code).ok_or_else(|| {
            let close = crate::suggest::closest(code, Lang::NAMES.iter().map(|(n, _)| *n))
                .map(|c| format!(", did you mean `{c}`?"))
                .unwrap_or_else(|| ":".into());
            format!(
                "unknown language `{code}`{close} kbctl supports en, ru and pl (or their names: \
                 english, русский, polski); leave `language` out to detect it"
            )
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_stable() {
        assert_eq!(slug("SLA Uptime — Credits (RU)"), "sla-uptime-credits-ru");
        assert_eq!(slug("Доставка"), "доставка");
    }

    #[test]
    fn invalid_utf8_names_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.txt");
        std::fs::write(&path, b"Title\nfine line\nbad \xff byte\n").unwrap();
        let issue = read_text(&path, 1000).unwrap_err();
        assert_eq!(issue.line, Some(3));
        assert!(issue.message.contains("UTF-8"));
    }

    #[test]
    fn text_documents_take_title_and_language() {
        let parsed = parse_text(
            Path::new("kb/sla-ru.txt"),
            "\nГарантия доступности\n\nМы гарантируем 99,9% времени работы.",
        );
        let doc = &parsed.documents[0];
        assert_eq!(doc.id, "sla-ru");
        assert_eq!(doc.title, "Гарантия доступности");
        assert_eq!(doc.language, Lang::Ru);
        assert_eq!(doc.line, 2);
    }
}
