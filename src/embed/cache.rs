//! An on-disk vector cache keyed by (model, role, text hash): replaying the same history again costs no model call.
//!
//! One append-only file per model, `DIR/<model id>-<dim>d.vec`, of fixed-size records: a
//! 16-byte key (SHA-256 of the role and the text) and the vector as little-endian f32. A
//! process reads the keys once at start and fetches vectors by offset when it needs them, so
//! the cache costs memory per entry (a key and an offset), not per float. Records are appended
//! whole, each in one write; a record cut short (a process killed mid-write) is ignored when
//! the file is read again. Vectors are embedded one text at a time (batch of one) everywhere a
//! cached embedder is used, so a cached vector equals the one the model would give.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use anyhow::Context;
use sha2::{Digest, Sha256};

use super::{Embedder, Role};

const KEY: usize = 16;

/// A model's cache file, opened for lookups and appends.
pub struct VectorCache {
    path: PathBuf,
    file: File,
    dim: usize,
    offsets: HashMap<[u8; KEY], u64>,
    /// Bytes of whole records in the file (appends go after them).
    len: u64,
    pub hits: u64,
    pub misses: u64,
}

impl VectorCache {
    /// Open (or create) the cache of model `id` with `dim`-d vectors in `dir`.
    pub fn open(dir: &Path, id: &str, dim: usize) -> anyhow::Result<Self> {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("creating the vector cache {}", dir.display()))?;
        let path = dir.join(format!("{}-{dim}d.vec", crate::text::file_name_safe(id)));
        let file = File::options()
            .create(true)
            .read(true)
            .append(true)
            .open(&path)
            .with_context(|| format!("opening the vector cache {}", path.display()))?;
        let record = (KEY + dim * 4) as u64;
        let mut offsets = HashMap::new();
        let mut reader = BufReader::with_capacity(1 << 20, &file);
        let mut buf = vec![0u8; record as usize];
        let mut at = 0u64;
        loop {
            match reader.read_exact(&mut buf) {
                Ok(()) => {}
                Err(err) if err.kind() == std::io::ErrorKind::UnexpectedEof => break,
                Err(err) => {
                    return Err(err)
                        .with_context(|| format!("reading the vector cache {}", path.display()));
                }
            }
            let mut key = [0u8; KEY];
            key.copy_from_slice(&buf[..KEY]);
            offsets.entry(key).or_insert(at + KEY as u64);
            at += record;
        }
        drop(reader);
        // A record cut short by a killed writer: drop it so appends stay aligned.
        let on_disk = file
            .metadata()
            .with_context(|| format!("reading the vector cache {}", path.display()))?
            .len();
        if on_disk != at {
            file.set_len(at)
                .with_context(|| format!("repairing the vector cache {}", path.display()))?;
        }
        Ok(Self {
            path,
            file,
            dim,
            offsets,
            len: at,
            hits: 0,
            misses: 0,
        })
    }

    pub fn len(&self) -> usize {
        self.offsets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.offsets.is_empty()
    }

    fn key(role: Role, text: &str) -> [u8; KEY] {
        let mut h = Sha256::new();
        h.update(match role {
            Role::Query => b"q\0",
            Role::Passage => b"p\0",
        });
        h.update(text.as_bytes());
        let mut key = [0u8; KEY];
        key.copy_from_slice(&h.finalize()[..KEY]);
        key
    }

    fn get(&self, key: &[u8; KEY]) -> anyhow::Result<Option<Vec<f32>>> {
        let Some(&offset) = self.offsets.get(key) else {
            return Ok(None);
        };
        let mut bytes = vec![0u8; self.dim * 4];
        self.file
            .read_exact_at(&mut bytes, offset)
            .with_context(|| format!("reading the vector cache {}", self.path.display()))?;
        Ok(Some(
            bytes
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect(),
        ))
    }

    fn put(&mut self, key: [u8; KEY], vector: &[f32]) -> anyhow::Result<()> {
        anyhow::ensure!(
            vector.len() == self.dim,
            "internal: caching a {}-d vector",
            vector.len()
        );
        if self.offsets.contains_key(&key) {
            return Ok(());
        }
        let mut record = Vec::with_capacity(KEY + self.dim * 4);
        record.extend_from_slice(&key);
        for x in vector {
            record.extend_from_slice(&x.to_le_bytes());
        }
        // One write per record: with O_APPEND, records of concurrent writers do not interleave.
        self.file
            .write_all(&record)
            .with_context(|| format!("writing the vector cache {}", self.path.display()))?;
        self.offsets.insert(key, self.len + KEY as u64);
        self.len += record.len() as u64;
        Ok(())
    }
}

/// An embedder that asks the cache first and stores what it had to embed.
pub struct CachedEmbedder {
    inner: Box<dyn Embedder + Send>,
    cache: VectorCache,
}

impl CachedEmbedder {
    pub fn new(inner: Box<dyn Embedder + Send>, dir: &Path) -> anyhow::Result<Self> {
        let cache = VectorCache::open(dir, inner.id(), inner.dim())?;
        Ok(Self { inner, cache })
    }
}

impl Embedder for CachedEmbedder {
    fn id(&self) -> &str {
        self.inner.id()
    }

    fn dim(&self) -> usize {
        self.inner.dim()
    }

    fn embed(
        &mut self,
        texts: &[String],
        batch_size: usize,
        role: Role,
    ) -> anyhow::Result<Vec<Vec<f32>>> {
        let keys: Vec<[u8; KEY]> = texts
            .iter()
            .map(|t| VectorCache::key(role, super::clip(t)))
            .collect();
        let mut out: Vec<Option<Vec<f32>>> = Vec::with_capacity(texts.len());
        let mut missing = Vec::new();
        for (i, key) in keys.iter().enumerate() {
            let found = self.cache.get(key)?;
            if found.is_none() {
                missing.push(i);
            }
            out.push(found);
        }
        self.cache.hits += (texts.len() - missing.len()) as u64;
        self.cache.misses += missing.len() as u64;
        if !missing.is_empty() {
            let wanted: Vec<String> = missing.iter().map(|&i| texts[i].clone()).collect();
            let fresh = self.inner.embed(&wanted, batch_size, role)?;
            for (&i, v) in missing.iter().zip(fresh) {
                self.cache.put(keys[i], &v)?;
                out[i] = Some(v);
            }
        }
        Ok(out.into_iter().map(Option::unwrap_or_default).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A model that counts its calls and returns a vector derived from the text.
    struct Counting {
        calls: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    }

    impl Embedder for Counting {
        fn id(&self) -> &str {
            "counting"
        }
        fn dim(&self) -> usize {
            3
        }
        fn embed(
            &mut self,
            texts: &[String],
            _: usize,
            role: Role,
        ) -> anyhow::Result<Vec<Vec<f32>>> {
            self.calls
                .fetch_add(texts.len(), std::sync::atomic::Ordering::SeqCst);
            let r = if role == Role::Query { 1.0 } else { -1.0 };
            Ok(texts
                .iter()
                .map(|t| vec![t.len() as f32, r, t.chars().count() as f32 / 2.0])
                .collect())
        }
    }

    #[test]
    fn second_run_reads_every_vector_from_disk() {
        let dir = tempfile::tempdir().unwrap();
        let calls = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let texts: Vec<String> = ["где мой заказ", "faktura", "refund"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let first = {
            let mut e = CachedEmbedder::new(
                Box::new(Counting {
                    calls: calls.clone(),
                }),
                dir.path(),
            )
            .unwrap();
            e.embed(&texts, 1, Role::Query).unwrap()
        };
        assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 3);
        let mut e = CachedEmbedder::new(
            Box::new(Counting {
                calls: calls.clone(),
            }),
            dir.path(),
        )
        .unwrap();
        assert_eq!(e.cache.len(), 3);
        assert_eq!(e.embed(&texts, 1, Role::Query).unwrap(), first);
        assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 3);
        // The role is part of the key: a passage with the same text is embedded anew.
        let passage = e.embed(&texts[..1], 1, Role::Passage).unwrap();
        assert_eq!(passage[0][1], -1.0);
        assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 4);
    }

    #[test]
    fn a_record_cut_short_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let calls = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        {
            let mut e = CachedEmbedder::new(
                Box::new(Counting {
                    calls: calls.clone(),
                }),
                dir.path(),
            )
            .unwrap();
            e.embed(&["a".to_string(), "b".to_string()], 1, Role::Query)
                .unwrap();
        }
        let path = dir.path().join("counting-3d.vec");
        let len = std::fs::metadata(&path).unwrap().len();
        let f = File::options().write(true).open(&path).unwrap();
        f.set_len(len - 5).unwrap();
        let cache = VectorCache::open(dir.path(), "counting", 3).unwrap();
        assert_eq!(cache.len(), 1);
    }
}
