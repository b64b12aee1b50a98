//! The index directory: immutable generations, a `CURRENT` pointer flipped atomically, a writer lock, and the manifest.
//!
//! ```text
//! INDEX/
//!   CURRENT          name of the live generation ("gen-000007"), replaced by rename
//!   LOCK             held by the one writer (ingest)
//!   gen-000007/
//!     LEASE          shared-locked by every reader of the generation while it reads
//!     manifest.json  schema version, embedder id and dimension, one entry per document
//!     chunks.jsonl   one chunk per line, in row order
//!     views.jsonl    one embedded text per line: owning chunk row, text hash
//!     vectors.f32    little-endian f32, one row of `dim` per view (the primary encoder)
//!     vectors.ID.f32 the same rows from each further encoder (`views` in the manifest)
//!     tantivy/       BM25 index over the chunks
//! ```
//! A new generation is written beside the live one and becomes live only when `CURRENT` is
//! renamed over; a crash, `kill -9` or Ctrl-C before that leaves the previous generation whole.
//!
//! Readers hold a shared lock on their generation's `LEASE` for as long as they read it. After a
//! publish, an old generation is retired (renamed to `retired-gen-...`, then deleted) only when
//! its lease can be locked exclusively without waiting; one still in use is left and retried by
//! later ingests. A reader that cannot lock (a read-only volume without the file, a file system
//! without locks) still reads, unprotected.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::{Deserialize, Serialize};

use crate::corpus::Chunk;
use crate::error::UserError;
use crate::lang::Lang;

/// Bumped whenever the on-disk layout or the analysis changes: an older index needs `--rebuild`.
pub const SCHEMA_VERSION: u32 = 1;
const CURRENT: &str = "CURRENT";
const LOCK: &str = "LOCK";
const LEASE: &str = "LEASE";
/// Prefix of a generation being deleted: never read, removed by the next publish if left over.
const RETIRED: &str = "retired-";
/// How often a reader re-reads `CURRENT` when the generation it named is retired under it.
const LEASE_ATTEMPTS: usize = 200;
const MANIFEST: &str = "manifest.json";
const CHUNKS: &str = "chunks.jsonl";
const VIEWS: &str = "views.jsonl";
const VECTORS: &str = "vectors.f32";
pub const TANTIVY_DIR: &str = "tantivy";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct EmbedderInfo {
    pub id: String,
    pub dim: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DocEntry {
    pub hash: String,
    pub source: PathBuf,
    pub title: String,
    pub language: Lang,
    pub category: Option<String>,
    pub never_automate: bool,
    pub chunks: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    pub schema_version: u32,
    pub kbctl_version: String,
    pub generation: u64,
    /// Seconds since the Unix epoch.
    pub created_at: u64,
    pub embedder: EmbedderInfo,
    /// Further encoders whose vectors the generation holds beside the primary one (an index
    /// written before they existed has none).
    #[serde(default)]
    pub views: Vec<EmbedderInfo>,
    pub documents: BTreeMap<String, DocEntry>,
    pub chunks: usize,
    pub vectors: usize,
}

/// One embedded text: which chunk row it belongs to and a hash of the text (to reuse its vector).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct View {
    pub chunk: u32,
    pub hash: String,
}

/// An index directory on disk.
#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
}

/// The exclusive writer lock; released on drop (or by the OS when the process dies).
#[derive(Debug)]
pub struct WriteLock {
    _file: File,
}

/// A reader's hold on one generation: while it lives, no ingest deletes the generation.
#[derive(Debug)]
pub struct ReadLease {
    dir: PathBuf,
    /// The open `LEASE` file with a shared lock on it; `None` when no lock could be taken
    /// (reading goes on without protection).
    file: Option<File>,
}

impl ReadLease {
    /// The leased generation's directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether the lock is held (false: the volume or file system allowed none).
    pub fn is_held(&self) -> bool {
        self.file.is_some()
    }
}

/// What trying to lease one generation gave.
enum Leased {
    Held(File),
    /// No lock can be taken here: read without one.
    Unprotected,
    /// The generation is being retired or is gone: read `CURRENT` again.
    Retired,
}

impl Store {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The live generation's directory, if there is one.
    pub fn current(&self) -> anyhow::Result<Option<PathBuf>> {
        let pointer = self.root.join(CURRENT);
        match fs::read_to_string(&pointer) {
            Ok(name) => {
                let name = name.trim();
                anyhow::ensure!(
                    name.starts_with("gen-") && !name.contains(['/', '\\']),
                    "{} is corrupt (holds {name:?})",
                    pointer.display()
                );
                Ok(Some(self.root.join(name)))
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(err) => Err(err).with_context(|| format!("reading {}", pointer.display())),
        }
    }

    /// Lease the live generation for reading (`None`: there is no index). A generation retired
    /// between reading `CURRENT` and taking the lock is noticed and `CURRENT` read again.
    pub fn lease(&self) -> anyhow::Result<Option<ReadLease>> {
        for _ in 0..LEASE_ATTEMPTS {
            let Some(dir) = self.current()? else {
                return Ok(None);
            };
            match lease_generation(&dir) {
                Leased::Held(file) => {
                    return Ok(Some(ReadLease {
                        dir,
                        file: Some(file),
                    }));
                }
                Leased::Unprotected => return Ok(Some(ReadLease { dir, file: None })),
                Leased::Retired => std::thread::sleep(std::time::Duration::from_millis(5)),
            }
        }
        anyhow::bail!(
            "the index at {} kept changing: {LEASE_ATTEMPTS} generations were retired while opening it",
            self.root.display()
        )
    }

    /// Take the writer lock, failing at once if another process holds it.
    pub fn lock(&self) -> anyhow::Result<WriteLock> {
        fs::create_dir_all(&self.root)
            .with_context(|| format!("creating {}", self.root.display()))?;
        let path = self.root.join(LOCK);
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .with_context(|| format!("opening {}", path.display()))?;
        match file.try_lock() {
            Ok(()) => Ok(WriteLock { _file: file }),
            Err(fs::TryLockError::WouldBlock) => Err(UserError::Invalid(format!(
                "another kbctl is writing the index at {} (lock held on {})",
                self.root.display(),
                path.display()
            ))
            .into()),
            Err(fs::TryLockError::Error(err)) => {
                Err(err).with_context(|| format!("locking {}", path.display()))
            }
        }
    }

    /// A fresh directory for the next generation (not yet live).
    pub fn begin(&self, _lock: &WriteLock, generation: u64) -> anyhow::Result<PathBuf> {
        let dir = self.root.join(format!("gen-{generation:06}"));
        if dir.exists() {
            // Left over from a write that never became live.
            fs::remove_dir_all(&dir)
                .with_context(|| format!("removing stale {}", dir.display()))?;
        }
        fs::create_dir_all(dir.join(TANTIVY_DIR))
            .with_context(|| format!("creating {}", dir.display()))?;
        let lease = dir.join(LEASE);
        File::create(&lease).with_context(|| format!("creating {}", lease.display()))?;
        Ok(dir)
    }

    /// Make `dir` the live generation (atomic rename of `CURRENT`), then delete the others that
    /// no reader holds.
    pub fn publish(&self, lock: &WriteLock, dir: &Path) -> anyhow::Result<()> {
        sync_dir(dir)?;
        let name = dir
            .file_name()
            .and_then(|n| n.to_str())
            .context("generation directory has no name")?;
        let tmp = self.root.join(format!("{CURRENT}.tmp"));
        {
            let mut f = File::create(&tmp).with_context(|| format!("writing {}", tmp.display()))?;
            f.write_all(name.as_bytes())?;
            f.sync_all()?;
        }
        fs::rename(&tmp, self.root.join(CURRENT))
            .context("switching CURRENT to the new generation")?;
        sync_dir(&self.root)?;
        self.retire_unused(lock, dir);
        Ok(())
    }

    /// Delete every generation but `keep` that no reader holds, and whatever a failed deletion
    /// left; a generation in use stays (a later publish tries again). Returns those kept in use.
    pub fn retire_unused(&self, _lock: &WriteLock, keep: &Path) -> Vec<PathBuf> {
        let Ok(entries) = fs::read_dir(&self.root) else {
            return Vec::new();
        };
        let mut names: Vec<String> = entries
            .flatten()
            .filter_map(|e| e.file_name().into_string().ok())
            .collect();
        names.sort();
        // Left over from a deletion that failed: no reader can hold these (see `lease_generation`).
        for name in names.iter().filter(|n| n.starts_with(RETIRED)) {
            let _ = fs::remove_dir_all(self.root.join(name));
        }
        let mut in_use = Vec::new();
        for name in names.iter().filter(|n| n.starts_with("gen-")) {
            let path = self.root.join(name);
            if path == keep || !path.is_dir() {
                continue;
            }
            if !self.retire(&path, name) {
                in_use.push(path);
            }
        }
        in_use
    }

    /// Delete one generation if no reader holds its lease; false when one does.
    fn retire(&self, path: &Path, name: &str) -> bool {
        let lease_path = path.join(LEASE);
        // Generations written before leases have no file: make one (readers of this version do too).
        let Ok(lease) = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lease_path)
        else {
            return false;
        };
        if lease.try_lock().is_err() {
            return false;
        }
        // Renamed away under the exclusive lock, so a reader that opened the lease just before
        // sees that its path is gone once it gets the lock, and reads `CURRENT` again.
        let retired = self.root.join(format!("{RETIRED}{name}"));
        match fs::rename(path, &retired) {
            Ok(()) => {
                let _ = fs::remove_dir_all(&retired);
            }
            // Best effort: a platform that cannot rename an open directory deletes it in place.
            Err(_) => {
                let _ = fs::remove_dir_all(path);
            }
        }
        drop(lease);
        true
    }
}

/// Take a shared lock on a generation's lease, then check that the generation was not retired
/// in between (the lease path still names the file locked).
fn lease_generation(dir: &Path) -> Leased {
    let path = dir.join(LEASE);
    let file = match File::open(&path) {
        Ok(file) => file,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            if !dir.join(MANIFEST).exists() {
                return Leased::Retired;
            }
            // A generation written before leases: make the file where the volume allows it.
            match File::options()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)
            {
                Ok(file) => file,
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Leased::Retired,
                Err(_) => return Leased::Unprotected,
            }
        }
        Err(_) => return Leased::Unprotected,
    };
    match file.try_lock_shared() {
        Ok(()) if same_file(&file, &path) => Leased::Held(file),
        Ok(()) => Leased::Retired,
        Err(fs::TryLockError::WouldBlock) => Leased::Retired,
        Err(fs::TryLockError::Error(_)) => Leased::Unprotected,
    }
}

/// Whether `path` still names the open `file`.
#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Whether `path` still names the open `file` (generation names are never reused once live).
#[cfg(not(unix))]
fn same_file(_file: &File, path: &Path) -> bool {
    path.exists()
}

fn sync_dir(dir: &Path) -> anyhow::Result<()> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .with_context(|| format!("syncing {}", dir.display()))
}

/// Read the manifest of a generation directory.
pub fn read_manifest(dir: &Path) -> anyhow::Result<Manifest> {
    let path = dir.join(MANIFEST);
    let text = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
}

/// Check that an index was built the way this run would build it.
pub fn check_compatible(
    root: &Path,
    manifest: &Manifest,
    embedder: &EmbedderInfo,
) -> Result<(), UserError> {
    if manifest.schema_version != SCHEMA_VERSION {
        return Err(UserError::IndexMismatch {
            path: root.to_path_buf(),
            found: format!("with index schema {}", manifest.schema_version),
            wanted: format!(
                "schema {SCHEMA_VERSION} (kbctl {})",
                env!("CARGO_PKG_VERSION")
            ),
        });
    }
    if manifest.embedder != *embedder {
        return Err(UserError::IndexMismatch {
            path: root.to_path_buf(),
            found: format!(
                "with embedder {} ({}-d)",
                manifest.embedder.id, manifest.embedder.dim
            ),
            wanted: format!("{} ({}-d)", embedder.id, embedder.dim),
        });
    }
    Ok(())
}

fn write_synced(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<&File>) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    let file = File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut w = BufWriter::new(&file);
    write(&mut w).with_context(|| format!("writing {}", path.display()))?;
    w.flush()?;
    drop(w);
    file.sync_all()
        .with_context(|| format!("syncing {}", path.display()))
}

fn write_jsonl<T: Serialize>(path: &Path, rows: &[T]) -> anyhow::Result<()> {
    write_synced(path, |w| {
        for row in rows {
            serde_json::to_writer(&mut *w, row)?;
            w.write_all(b"\n")?;
        }
        Ok(())
    })
}

fn read_jsonl<T: for<'de> Deserialize<'de>>(path: &Path) -> anyhow::Result<Vec<T>> {
    let file = File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut out = Vec::new();
    for (i, line) in BufReader::new(file).lines().enumerate() {
        let line = line.with_context(|| format!("reading {}", path.display()))?;
        out.push(
            serde_json::from_str(&line)
                .with_context(|| format!("{}:{}: corrupt record", path.display(), i + 1))?,
        );
    }
    Ok(out)
}

/// Everything of a generation except the tantivy index (written by `bm25`).
pub struct GenerationData<'a> {
    pub manifest: &'a Manifest,
    pub chunks: &'a [Chunk],
    pub views: &'a [View],
    /// `views.len() * dim` floats, row-major.
    pub vectors: &'a [f32],
    /// The same rows from each encoder of `manifest.views`, in that order.
    pub extra: &'a [Vec<f32>],
}

/// The file holding a further encoder's vectors.
fn extra_vectors_file(id: &str) -> String {
    format!("vectors.{}.f32", crate::text::file_name_safe(id))
}

fn write_f32(path: &Path, values: &[f32]) -> anyhow::Result<()> {
    write_synced(path, |w| {
        for x in values {
            w.write_all(&x.to_le_bytes())?;
        }
        Ok(())
    })
}

fn read_f32(path: &Path) -> anyhow::Result<Vec<f32>> {
    let mut bytes = Vec::new();
    File::open(path)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .with_context(|| format!("reading {}", path.display()))?;
    Ok(bytes
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect())
}

pub fn write_generation(dir: &Path, data: &GenerationData<'_>) -> anyhow::Result<()> {
    anyhow::ensure!(
        data.vectors.len() == data.views.len() * data.manifest.embedder.dim,
        "internal: {} floats for {} views of dimension {}",
        data.vectors.len(),
        data.views.len(),
        data.manifest.embedder.dim
    );
    anyhow::ensure!(
        data.extra.len() == data.manifest.views.len()
            && data
                .extra
                .iter()
                .zip(&data.manifest.views)
                .all(|(v, info)| v.len() == data.views.len() * info.dim),
        "internal: further encoders' vectors do not match the manifest"
    );
    write_jsonl(&dir.join(CHUNKS), data.chunks)?;
    write_jsonl(&dir.join(VIEWS), data.views)?;
    write_f32(&dir.join(VECTORS), data.vectors)?;
    for (info, vectors) in data.manifest.views.iter().zip(data.extra) {
        write_f32(&dir.join(extra_vectors_file(&info.id)), vectors)?;
    }
    // The manifest last: a generation without one is incomplete by construction.
    write_synced(&dir.join(MANIFEST), |w| {
        serde_json::to_writer_pretty(&mut *w, data.manifest)?;
        w.write_all(b"\n")
    })
}

/// A generation read back into memory (the tantivy part is opened separately).
pub struct Generation {
    pub dir: PathBuf,
    pub manifest: Manifest,
    pub chunks: Vec<Chunk>,
    pub views: Vec<View>,
    pub vectors: Vec<f32>,
    /// The vectors of each encoder of `manifest.views`, in that order.
    pub extra: Vec<Vec<f32>>,
    /// Held for as long as the generation is in use, so no ingest deletes it meanwhile.
    lease: Option<ReadLease>,
}

impl Generation {
    /// Whether the generation is protected by a held lease.
    pub fn is_leased(&self) -> bool {
        self.lease.as_ref().is_some_and(ReadLease::is_held)
    }
}

/// Read a leased generation; the lease lives as long as the result.
pub fn read_leased(lease: ReadLease) -> anyhow::Result<Generation> {
    let mut generation = read_generation(lease.dir())?;
    generation.lease = Some(lease);
    Ok(generation)
}

/// Read a generation without a lease (the writer reads the previous one under its lock).
pub fn read_generation(dir: &Path) -> anyhow::Result<Generation> {
    let manifest = read_manifest(dir)?;
    let chunks: Vec<Chunk> = read_jsonl(&dir.join(CHUNKS))?;
    let views: Vec<View> = read_jsonl(&dir.join(VIEWS))?;
    let vectors = read_f32(&dir.join(VECTORS))?;
    let extra = manifest
        .views
        .iter()
        .map(|info| read_f32(&dir.join(extra_vectors_file(&info.id))))
        .collect::<anyhow::Result<Vec<_>>>()?;
    anyhow::ensure!(
        chunks.len() == manifest.chunks
            && views.len() == manifest.vectors
            && vectors.len() == views.len() * manifest.embedder.dim
            && extra
                .iter()
                .zip(&manifest.views)
                .all(|(v, info)| v.len() == views.len() * info.dim)
            && views.iter().all(|v| (v.chunk as usize) < chunks.len()),
        "index generation {} is inconsistent (chunks, views and vectors disagree): re-ingest with --rebuild",
        dir.display()
    );
    Ok(Generation {
        dir: dir.to_path_buf(),
        manifest,
        chunks,
        views,
        vectors,
        extra,
        lease: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_writer_is_refused_while_the_first_holds_the_lock() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path().join("idx"));
        let first = store.lock().unwrap();
        let err = store.lock().unwrap_err().to_string();
        assert!(err.contains("another kbctl"), "{err}");
        drop(first);
        store.lock().unwrap();
    }

    #[test]
    fn publish_flips_current_and_removes_old_generations() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        let lock = store.lock().unwrap();
        let g1 = store.begin(&lock, 1).unwrap();
        store.publish(&lock, &g1).unwrap();
        assert_eq!(store.current().unwrap(), Some(g1.clone()));
        let g2 = store.begin(&lock, 2).unwrap();
        // Until published, the old generation stays live.
        assert_eq!(store.current().unwrap(), Some(g1.clone()));
        store.publish(&lock, &g2).unwrap();
        assert_eq!(store.current().unwrap(), Some(g2));
        assert!(!g1.exists());
    }

    /// A published generation with a manifest (what a reader checks for).
    fn generation(store: &Store, lock: &WriteLock, n: u64) -> PathBuf {
        let dir = store.begin(lock, n).unwrap();
        fs::write(dir.join(MANIFEST), "{}").unwrap();
        store.publish(lock, &dir).unwrap();
        dir
    }

    #[test]
    fn a_held_lease_keeps_its_generation_until_a_later_publish_after_release() {
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::new(tmp.path());
        let lock = store.lock().unwrap();
        let g1 = generation(&store, &lock, 1);
        let lease = store.lease().unwrap().unwrap();
        assert_eq!(lease.dir(), g1);
        assert!(lease.is_held());

        // Published over while leased: g1 stays, whole.
        let g2 = generation(&store, &lock, 2);
        assert_eq!(store.current().unwrap(), Some(g2.clone()));
        assert!(g1.join(MANIFEST).exists() && g1.join(LEASE).exists());
        // A new reader gets the new generation.
        let second = store.lease().unwrap().unwrap();
        assert_eq!(second.dir(), g2);
        drop(second);

        // Still held at the next publish: still kept (and g2, unleased, goes).
        let g3 = generation(&store, &lock, 3);
        assert!(g1.exists());
        assert!(!g2.exists());

        // Released: the next publish retires it, leaving nothing behind.
        drop(lease);
        let g4 = generation(&store, &lock, 4);
        assert!(!g1.exists() && !g3.exists());
        let mut left: Vec<String> = fs::read_dir(tmp.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, ["CURRENT", "LOCK", "gen-000004"]);
        assert_eq!(store.current().unwrap(), Some(g4));
    }

    #[test]
    fn a_lease_opened_on_a_generation_being_retired_moves_to_the_live_one() {
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::new(tmp.path());
        let lock = store.lock().unwrap();
        let g1 = generation(&store, &lock, 1);
        // A reader that opened g1's lease file just before g1 was retired...
        let stale = File::open(g1.join(LEASE)).unwrap();
        let g2 = generation(&store, &lock, 2);
        assert!(!g1.exists());
        // ...can lock it, but the lease no longer names a live generation.
        stale.try_lock_shared().unwrap();
        assert!(!same_file(&stale, &g1.join(LEASE)));
        // While an ingest holds the exclusive lock to retire, readers go to CURRENT again.
        let retiring = File::open(g2.join(LEASE)).unwrap();
        retiring.try_lock().unwrap();
        assert!(matches!(lease_generation(&g2), Leased::Retired));
        drop(retiring);
        assert!(matches!(lease_generation(&g2), Leased::Held(_)));
    }

    #[test]
    fn a_generation_written_before_leases_gets_one_and_old_ones_are_retired() {
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::new(tmp.path());
        let lock = store.lock().unwrap();
        let g1 = generation(&store, &lock, 1);
        fs::remove_file(g1.join(LEASE)).unwrap();
        let lease = store.lease().unwrap().unwrap();
        assert!(lease.is_held() && g1.join(LEASE).exists());
        drop(lease);
        let g2 = store.begin(&lock, 2).unwrap();
        fs::remove_file(g2.join(LEASE)).unwrap();
        fs::write(g2.join(MANIFEST), "{}").unwrap();
        store.publish(&lock, &g2).unwrap();
        assert!(!g1.exists());
        // A deletion interrupted earlier is finished.
        fs::create_dir_all(tmp.path().join("retired-gen-000001/tantivy")).unwrap();
        generation(&store, &lock, 3);
        assert!(!tmp.path().join("retired-gen-000001").exists() && !g2.exists());
    }

    #[test]
    fn no_index_means_no_lease() {
        let tmp = tempfile::tempdir().unwrap();
        assert!(Store::new(tmp.path()).lease().unwrap().is_none());
    }

    #[test]
    fn mismatched_embedder_is_explained() {
        let manifest = Manifest {
            schema_version: SCHEMA_VERSION,
            kbctl_version: "x".into(),
            generation: 1,
            created_at: 0,
            embedder: EmbedderInfo {
                id: "a".into(),
                dim: 512,
            },
            views: Vec::new(),
            documents: BTreeMap::new(),
            chunks: 0,
            vectors: 0,
        };
        let other = EmbedderInfo {
            id: "b".into(),
            dim: 384,
        };
        let msg = check_compatible(Path::new("idx"), &manifest, &other)
            .unwrap_err()
            .to_string();
        assert!(
            msg.contains("a (512-d)") && msg.contains("b (384-d)") && msg.contains("--rebuild"),
            "{msg}"
        );
    }
}
