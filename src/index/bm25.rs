//! The BM25 side of the index: a tantivy schema with per-language title and body fields, writing and querying it.
//!
//! Each chunk goes into the fields of its own language (analysed with that language's
//! stemmer); a query is analysed by all three analysers and run against all fields, so a
//! query needs no language detection to find documents in its own language. Queries are
//! built from terms, never parsed: ticket text is data, not query syntax.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use anyhow::Context;
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

/// What BM25 found for a query.
#[derive(Debug, Clone, Default)]
pub struct Lexical {
    /// Chunk rows with their BM25 scores, best first.
    pub rows: Vec<(usize, f32)>,
    /// The score of an ideal match (see `Bm25::search`).
    pub ideal: f32,
    /// The share of that ideal carried by words no document contains (digits aside).
    pub unknown_share: f32,
}

/// An open BM25 index (cheap to clone: readers and analyzers are shared or small).
#[derive(Clone)]
pub struct Bm25 {
    reader: IndexReader,
    fields: Fields,
    analyzers: Vec<(Lang, TextAnalyzer)>,
}

impl Bm25 {
    pub fn open(dir: &Path) -> anyhow::Result<Self> {
        let mut index = Index::open_in_dir(dir)
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
        // Unknown words without digits: names of things the knowledge base never mentions
        // (order numbers and codes are unknown too, and say nothing about coverage).
        let mut unknown_names: HashSet<usize> = HashSet::new();
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
                    if !token.text.chars().any(|c| c.is_ascii_digit()) {
                        unknown_names.insert(token.offset_from);
                    }
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
        let names = unknown_names
            .iter()
            .filter(|w| !word_ideal.contains_key(w))
            .count();
        let unknown_share = if ideal > 0.0 {
            names as f32 * (TITLE_BOOST + 1.0) * idf(0) / ideal
        } else {
            0.0
        };
        if clauses.is_empty() {
            return Ok(Lexical {
                rows: Vec::new(),
                ideal,
                unknown_share,
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
        Ok(Lexical {
            rows,
            ideal,
            unknown_share,
        })
    }
}
