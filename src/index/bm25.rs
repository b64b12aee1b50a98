//! The BM25 side of the index: a tantivy schema with per-language title and body fields, writing and querying it.
//!
//! Each chunk goes into the fields of its own language (analysed with that language's
//! stemmer); a query is analysed by all three analysers and run against all fields, so a
//! query needs no language detection to find documents in its own language. Queries are
//! built from terms, never parsed: ticket text is data, not query syntax.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle, WritePtr,
};
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::tokenizer::{TextAnalyzer, TokenizerManager};
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyDocument, Term, doc};

use super::analysis::{analyzer, analyzer_name};
use crate::corpus::Chunk;
use crate::lang::Lang;

/// Weight of a match in the title field (title, heading path, FAQ questions, tags) over the body.
const TITLE_BOOST: f32 = 1.5;
const WRITER_MEMORY: usize = 50_000_000;

#[derive(Clone)]
struct LangFields {
    lang: Lang,
    title: Field,
    body: Field,
}

#[derive(Clone)]
struct Fields {
    row: Field,
    langs: Vec<LangFields>,
}

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let row = builder.add_u64_field("row", NumericOptions::default().set_stored());
    let langs = Lang::ANALYSED
        .iter()
        .map(|&lang| {
            let options = TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(analyzer_name(lang))
                    .set_index_option(IndexRecordOption::WithFreqs),
            );
            LangFields {
                lang,
                title: builder.add_text_field(&format!("title_{}", lang.code()), options.clone()),
                body: builder.add_text_field(&format!("body_{}", lang.code()), options),
            }
        })
        .collect();
    (builder.build(), Fields { row, langs })
}

fn tokenizers() -> TokenizerManager {
    let manager = TokenizerManager::default();
    for lang in Lang::ANALYSED {
        manager.register(analyzer_name(lang), analyzer(lang));
    }
    manager
}

/// Write the BM25 index of `chunks` (row i = chunks[i]) into `dir`.
pub fn write(dir: &Path, chunks: &[Chunk]) -> anyhow::Result<()> {
    let (schema, fields) = schema();
    let index = Index::builder()
        .schema(schema)
        .tokenizers(tokenizers())
        .create_in_dir(dir)
        .with_context(|| format!("creating the BM25 index in {}", dir.display()))?;
    let mut writer = index
        .writer_with_num_threads::<TantivyDocument>(1, WRITER_MEMORY)
        .context("opening the BM25 index writer")?;
    for (row, chunk) in chunks.iter().enumerate() {
        let lang = chunk.language.analysis();
        let f = fields
            .langs
            .iter()
            .find(|f| f.lang == lang)
            .context("internal: no fields for the chunk's language")?;
        let mut title = chunk.heading_path();
        for extra in chunk.questions.iter().chain(&chunk.tags) {
            title.push('\n');
            title.push_str(extra);
        }
        writer.add_document(doc!(
            fields.row => row as u64,
            f.title => title,
            f.body => chunk.plain_text(),
        ))?;
    }
    writer.commit().context("committing the BM25 index")?;
    writer
        .wait_merging_threads()
        .context("finishing BM25 merges")?;
    Ok(())
}

/// A tantivy directory that reads and never writes. Opening a reader takes tantivy's meta
/// lock, a file it creates in the index directory, which fails on a read-only volume; the lock
/// only keeps a writer's garbage collection from deleting segments as they are opened, and no
/// writer ever opens a published generation again (the generation's lease keeps ingests from
/// deleting it). So locks are granted without a file, and every write is refused.
#[derive(Debug, Clone)]
struct ReadOnly(MmapDirectory);

fn read_only_error(path: &Path) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::PermissionDenied,
        format!(
            "internal: {} written through a read-only BM25 index",
            path.display()
        ),
    )
}

impl Directory for ReadOnly {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.0.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        Err(DeleteError::IoError {
            io_error: Arc::new(read_only_error(path)),
            filepath: path.to_path_buf(),
        })
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.0.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        Err(OpenWriteError::IoError {
            io_error: Arc::new(read_only_error(path)),
            filepath: path.to_path_buf(),
        })
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.0.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, _data: &[u8]) -> std::io::Result<()> {
        Err(read_only_error(path))
    }

    fn sync_directory(&self) -> std::io::Result<()> {
        Ok(())
    }

    fn acquire_lock(&self, _lock: &Lock) -> Result<DirectoryLock, LockError> {
        Ok(DirectoryLock::from(Box::new(())))
    }

    fn watch(&self, _callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        // Readers reload manually (never): nothing to watch.
        Ok(WatchHandle::empty())
    }
}

/// What BM25 found for a query.
#[derive(Debug, Clone, Default)]
pub struct Lexical {
    /// Chunk rows with their BM25 scores, best first.
    pub rows: Vec<(usize, f32)>,
    /// The score of an ideal match (see `Bm25::search`).
    pub ideal: f32,
}

/// Which of a text's words the knowledge base knows, in any of its languages.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Vocabulary {
    /// Words (as analysers cut them, stop words left out, one per position) without digits.
    pub words: usize,
    /// Those no document contains in any language, as written in the text.
    pub unknown: Vec<String>,
}

impl Vocabulary {
    /// The share of the words the knowledge base knows (1 for a text without words).
    pub fn known_share(&self) -> f32 {
        if self.words == 0 {
            1.0
        } else {
            1.0 - self.unknown.len() as f32 / self.words as f32
        }
    }
}

/// An open BM25 index (cheap to clone: readers and analyzers are shared or small).
#[derive(Clone)]
pub struct Bm25 {
    reader: IndexReader,
    fields: Fields,
    analyzers: Vec<(Lang, TextAnalyzer)>,
}

impl Bm25 {
    /// Open a written index for searching, without writing anything into `dir` (no lock file:
    /// it works on a read-only volume; see `ReadOnly`).
    pub fn open(dir: &Path) -> anyhow::Result<Self> {
        let mmap = MmapDirectory::open(dir)
            .with_context(|| format!("opening the BM25 index in {}", dir.display()))?;
        let mut index = Index::open(ReadOnly(mmap))
            .with_context(|| format!("opening the BM25 index in {}", dir.display()))?;
        index.set_tokenizers(tokenizers());
        let (_, fields) = schema();
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .context("opening a BM25 reader")?;
        let analyzers = Lang::ANALYSED.iter().map(|&l| (l, analyzer(l))).collect();
        Ok(Self {
            reader,
            fields,
            analyzers,
        })
    }

    /// The answer-span check: the share of the query's words, weighted by their IDF in the
    /// index and analysed in `lang` (the chunk's language), that `text` contains. `None` when
    /// the query has no word to check.
    pub fn coverage(&mut self, query: &str, text: &str, lang: Lang) -> anyhow::Result<Option<f32>> {
        let lang = lang.analysis();
        let Some(f) = self.fields.langs.iter().find(|f| f.lang == lang).cloned() else {
            return Ok(None);
        };
        let Some((_, analyzer)) = self.analyzers.iter_mut().find(|(l, _)| *l == lang) else {
            return Ok(None);
        };
        let mut present = HashSet::new();
        {
            let mut stream = analyzer.token_stream(text);
            while let Some(token) = stream.next() {
                present.insert(token.text.clone());
            }
        }
        let searcher = self.reader.searcher();
        let n_docs = searcher.num_docs();
        let mut seen = HashSet::new();
        let (mut covered, mut total) = (0f32, 0f32);
        let mut stream = analyzer.token_stream(query);
        while let Some(token) = stream.next() {
            if !seen.insert(token.text.clone()) {
                continue;
            }
            let df = searcher.doc_freq(&Term::from_field_text(f.body, &token.text))?;
            let x = (n_docs.saturating_sub(df) as f32 + 0.5) / (df as f32 + 0.5);
            let idf = (1.0 + x).ln();
            total += idf;
            if present.contains(&token.text) {
                covered += idf;
            }
        }
        Ok((total > 0.0).then(|| covered / total))
    }

    /// Which words of `text` the knowledge base knows: a word is known when some language's
    /// analyser cuts it to a term that a title or body holds. Left out: words with digits
    /// (order numbers and codes are unknown by nature and say nothing about the topic) and
    /// words some language drops as a stop word (a Russian "за" is no English evidence).
    pub fn vocabulary(&mut self, text: &str) -> anyhow::Result<Vocabulary> {
        let searcher = self.reader.searcher();
        // Per word position: its surface form, how many languages kept it, whether any knows it.
        let mut words: std::collections::BTreeMap<usize, (String, usize, bool)> =
            std::collections::BTreeMap::new();
        let mut languages = 0;
        for (lang, analyzer) in &mut self.analyzers {
            let Some(f) = self.fields.langs.iter().find(|f| f.lang == *lang) else {
                continue;
            };
            languages += 1;
            let mut stream = analyzer.token_stream(text);
            while let Some(token) = stream.next() {
                let entry = words.entry(token.offset_from).or_insert_with(|| {
                    let surface = text.get(token.offset_from..token.offset_to).unwrap_or("");
                    (surface.to_string(), 0, false)
                });
                entry.1 += 1;
                if !entry.2 {
                    entry.2 = searcher.doc_freq(&Term::from_field_text(f.body, &token.text))? > 0
                        || searcher.doc_freq(&Term::from_field_text(f.title, &token.text))? > 0;
                }
            }
        }
        let words: Vec<(String, bool)> = words
            .into_values()
            .filter(|(surface, kept, _)| {
                *kept == languages && !surface.chars().any(|c| c.is_numeric())
            })
            .map(|(surface, _, known)| (surface, known))
            .collect();
        Ok(Vocabulary {
            words: words.len(),
            unknown: words
                .into_iter()
                .filter(|(_, known)| !known)
                .map(|(surface, _)| surface)
                .collect(),
        })
    }

    /// The best `limit` chunk rows for `text` with their BM25 scores, best first, and the
    /// score an ideal chunk would get: one holding every query word once, in title and body, at
    /// average length. For one occurrence at average length BM25 scores a term exactly its IDF,
    /// so the ideal is the sum over query words of (title boost + 1) x IDF, taking for each word
    /// the language in which the index knows it best. Dividing by it puts BM25 on an absolute
    /// scale: a stray one-word match scores low however it ranks.
    pub fn search(&mut self, text: &str, limit: usize) -> anyhow::Result<Lexical> {
        let searcher = self.reader.searcher();
        let n_docs = searcher.num_docs();
        let idf = |df: u64| {
            let x = (n_docs.saturating_sub(df) as f32 + 0.5) / (df as f32 + 0.5);
            (1.0 + x).ln()
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        // Per word (by its offset in the query): the best ideal contribution among languages that know it.
        // Ordered, so the sum below is the same in every process (a HashMap would vary the f32 rounding).
        let mut word_ideal: std::collections::BTreeMap<usize, f32> =
            std::collections::BTreeMap::new();
        let mut unknown_words: HashSet<usize> = HashSet::new();
        for (lang, analyzer) in &mut self.analyzers {
            let Some(f) = self.fields.langs.iter().find(|f| f.lang == *lang) else {
                continue;
            };
            let mut seen = HashSet::new();
            let mut stream = analyzer.token_stream(text);
            while let Some(token) = stream.next() {
                let title_term = Term::from_field_text(f.title, &token.text);
                let body_term = Term::from_field_text(f.body, &token.text);
                let (df_title, df_body) = (
                    searcher.doc_freq(&title_term)?,
                    searcher.doc_freq(&body_term)?,
                );
                if df_title + df_body > 0 {
                    let ideal = TITLE_BOOST * idf(df_title) + idf(df_body);
                    let slot = word_ideal.entry(token.offset_from).or_insert(0.0);
                    *slot = slot.max(ideal);
                } else {
                    unknown_words.insert(token.offset_from);
                }
                if !seen.insert(token.text.clone()) {
                    continue;
                }
                let title = TermQuery::new(
                    Term::from_field_text(f.title, &token.text),
                    IndexRecordOption::WithFreqs,
                );
                let body = TermQuery::new(
                    Term::from_field_text(f.body, &token.text),
                    IndexRecordOption::WithFreqs,
                );
                clauses.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(title), TITLE_BOOST)),
                ));
                clauses.push((Occur::Should, Box::new(body)));
            }
        }
        // A word no language knows would have been a rare, telling term: count it at full IDF.
        let unknown = unknown_words
            .iter()
            .filter(|w| !word_ideal.contains_key(w))
            .count();
        let ideal =
            word_ideal.values().sum::<f32>() + unknown as f32 * (TITLE_BOOST + 1.0) * idf(0);
        if clauses.is_empty() {
            return Ok(Lexical {
                rows: Vec::new(),
                ideal,
            });
        }
        let query = BooleanQuery::new(clauses);
        let top = searcher
            .search(
                &query,
                &tantivy::collector::TopDocs::with_limit(limit).order_by_score(),
            )
            .context("BM25 search")?;
        let mut rows = Vec::with_capacity(top.len());
        let mut best: HashMap<usize, f32> = HashMap::new();
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address).context("reading a BM25 hit")?;
            let row = doc
                .get_first(self.fields.row)
                .and_then(|v| v.as_u64())
                .context("BM25 hit without a row")? as usize;
            if best.insert(row, score).is_none() {
                rows.push((row, score));
            }
        }
        Ok(Lexical { rows, ideal })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(id: &str, language: Lang, title: &str, text: &str) -> Chunk {
        Chunk {
            id: format!("{id}#0"),
            doc_id: id.into(),
            ordinal: 0,
            title: title.into(),
            headings: Vec::new(),
            text: text.into(),
            language,
            category: None,
            tags: Vec::new(),
            never_automate: false,
            questions: Vec::new(),
            source: format!("{id}.md"),
            url: None,
        }
    }

    fn index() -> (tempfile::TempDir, Bm25) {
        let dir = tempfile::tempdir().unwrap();
        let chunks = [
            chunk(
                "invoice",
                Lang::En,
                "Purchase order numbers",
                "Add a purchase order number to your invoices in the billing settings.",
            ),
            chunk(
                "parol",
                Lang::Ru,
                "Восстановление пароля",
                "Ссылка для сброса пароля действует 24 часа.",
            ),
        ];
        write(dir.path(), &chunks).unwrap();
        let bm25 = Bm25::open(dir.path()).unwrap();
        (dir, bm25)
    }

    fn listing(dir: &Path) -> Vec<(String, u64)> {
        let mut out: Vec<(String, u64)> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| {
                let meta = e.metadata().unwrap();
                (e.file_name().to_string_lossy().into_owned(), meta.len())
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn opening_and_searching_writes_nothing_in_the_index() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            &[chunk("a", Lang::En, "Invoices", "Download an invoice.")],
        )
        .unwrap();
        // The writer leaves its lock files behind; a reader must need none.
        for lock in [".tantivy-meta.lock", ".tantivy-writer.lock"] {
            let _ = std::fs::remove_file(dir.path().join(lock));
        }
        let before = listing(dir.path());
        let mut bm25 = Bm25::open(dir.path()).unwrap();
        let found = bm25.search("invoice", 5).unwrap();
        assert_eq!(found.rows.len(), 1);
        bm25.vocabulary("invoice please").unwrap();
        let clone = bm25.clone();
        drop(bm25);
        let after = listing(dir.path());
        assert_eq!(before, after, "a reader created or changed files");
        assert!(!after.iter().any(|(n, _)| n.contains("lock")), "{after:?}");
        drop(clone);
    }

    #[test]
    fn vocabulary_names_the_words_no_document_knows() {
        let (_dir, mut bm25) = index();
        let v = bm25
            .vocabulary("Do you integrate with Ariba for purchase orders?")
            .unwrap();
        // "with" and "for" are English stop words, "do" a Polish one; the rest is counted.
        assert_eq!(v.unknown, vec!["you", "integrate", "Ariba"], "{v:?}");
        assert_eq!(v.words, 5, "{v:?}");
        assert!((v.known_share() - 0.4).abs() < 1e-6);
    }

    #[test]
    fn vocabulary_knows_words_in_any_language_and_skips_codes() {
        let (_dir, mut bm25) = index();
        // Inflected Russian meets the stemmed index; an order number says nothing.
        let v = bm25.vocabulary("сброс паролей, заказ 2026-99491").unwrap();
        assert_eq!(v.unknown, vec!["заказ"], "{v:?}");
        assert_eq!(v.words, 3, "{v:?}");
        // Noise: nothing known.
        let noise = bm25.vocabulary("ꙮ ᚠᛇᚻ qzxv ʬʭ").unwrap();
        assert!(noise.known_share() < 0.01, "{noise:?}");
        // No words at all is not evidence of anything.
        assert_eq!(bm25.vocabulary("?? 123").unwrap().known_share(), 1.0);
    }
}
