//! Chunking: split a document at its headings and paragraphs, keeping each chunk's heading path.

use serde::{Deserialize, Serialize};

use super::{DocKind, Document};
use crate::lang::Lang;

/// A retrievable piece of a document: one section, or part of a long one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Chunk {
    /// `{doc_id}#{ordinal}`
    pub id: String,
    pub doc_id: String,
    pub ordinal: usize,
    pub title: String,
    /// Headings above this chunk inside the document, outermost first (the title excluded).
    pub headings: Vec<String>,
    /// The section's Markdown text, as written.
    pub text: String,
    pub language: Lang,
    pub category: Option<String>,
    pub tags: Vec<String>,
    pub never_automate: bool,
    /// Question variants (FAQ entries).
    pub questions: Vec<String>,
    pub source: String,
    #[serde(default)]
    pub url: Option<String>,
}

impl Chunk {
    /// "Title › Section › Subsection"
    pub fn heading_path(&self) -> String {
        std::iter::once(self.title.as_str())
            .chain(self.headings.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" › ")
    }

    /// Text for the BM25 body fields: the section without Markdown syntax.
    pub fn plain_text(&self) -> String {
        plain(&self.text)
    }

    /// The texts embedded for this chunk; its vector score is the best of them. Short views
    /// (title and heading path, each FAQ question) match short questions, the body view
    /// matches questions phrased like the content.
    pub fn embedding_views(&self, max_chars: usize) -> Vec<String> {
        let mut views = vec![self.heading_path()];
        views.extend(self.questions.iter().cloned());
        let body = plain(&self.text);
        if !body.trim().is_empty() {
            let view = format!("{}: {body}", self.heading_path());
            views.push(crate::text::clip_chars(&view, max_chars).to_string());
        }
        let mut seen = std::collections::HashSet::new();
        views.retain(|v| !v.trim().is_empty() && seen.insert(v.clone()));
        views
    }
}

/// Split a document into chunks of at most about `max_chars` characters.
pub fn chunk_document(doc: &Document, max_chars: usize) -> Vec<Chunk> {
    let sections = match doc.kind {
        DocKind::Faq => vec![Section {
            headings: Vec::new(),
            text: doc.body.trim().to_string(),
        }],
        _ => sections(&doc.body, &doc.title),
    };
    let make = |ordinal: usize, headings: Vec<String>, text: String| Chunk {
        id: format!("{}#{ordinal}", doc.id),
        doc_id: doc.id.clone(),
        ordinal,
        title: doc.title.clone(),
        headings,
        text,
        language: doc.language,
        category: doc.category.clone(),
        tags: doc.tags.clone(),
        never_automate: doc.never_automate,
        questions: doc.questions.clone(),
        source: doc.source.display().to_string(),
        url: doc.url.clone(),
    };
    let mut chunks = Vec::new();
    for section in sections {
        for text in pack_paragraphs(&section.text, max_chars) {
            chunks.push(make(chunks.len(), section.headings.clone(), text));
        }
    }
    if chunks.is_empty() {
        // A document with a title and no body text still deserves to be found by its title.
        chunks.push(make(0, Vec::new(), String::new()));
    }
    chunks
}

struct Section {
    headings: Vec<String>,
    text: String,
}

/// Split Markdown at ATX headings (outside fenced code), tracking the heading path.
/// A leading `# Title` equal to the document title is not repeated in the path.
fn sections(body: &str, title: &str) -> Vec<Section> {
    let mut out = Vec::new();
    let mut stack: Vec<(usize, String)> = Vec::new();
    let mut current = String::new();
    let mut fence: Option<&str> = None;
    let flush = |stack: &[(usize, String)], current: &mut String, out: &mut Vec<Section>| {
        if !current.trim().is_empty() {
            out.push(Section {
                headings: stack
                    .iter()
                    .map(|(_, h)| h.clone())
                    .filter(|h| h != title)
                    .collect(),
                text: current.trim().to_string(),
            });
        }
        current.clear();
    };
    for line in body.lines() {
        let trimmed = line.trim_start();
        if let Some(open) = fence {
            if trimmed.starts_with(open) {
                fence = None;
            }
            current.push_str(line);
            current.push('\n');
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
            current.push_str(line);
            current.push('\n');
            continue;
        }
        if let Some((level, heading)) = atx_heading(trimmed) {
            flush(&stack, &mut current, &mut out);
            stack.retain(|(l, _)| *l < level);
            stack.push((level, heading));
            continue;
        }
        current.push_str(line);
        current.push('\n');
    }
    flush(&stack, &mut current, &mut out);
    out
}

fn atx_heading(line: &str) -> Option<(usize, String)> {
    let level = line.chars().take_while(|&c| c == '#').count();
    if !(1..=6).contains(&level) {
        return None;
    }
    let rest = &line[level..];
    if !rest.is_empty() && !rest.starts_with([' ', '\t']) {
        return None;
    }
    let text = rest.trim().trim_end_matches('#').trim();
    (!text.is_empty()).then(|| (level, plain(text)))
}

/// Greedily pack paragraphs into pieces of at most `max_chars`; a longer paragraph is cut
/// at sentence ends, and a longer sentence at spaces.
fn pack_paragraphs(text: &str, max_chars: usize) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut current = String::new();
    for paragraph in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        for part in split_long(paragraph, max_chars) {
            if !current.is_empty() && char_len(&current) + 2 + char_len(&part) > max_chars {
                pieces.push(std::mem::take(&mut current));
            }
            if !current.is_empty() {
                current.push_str("\n\n");
            }
            current.push_str(&part);
        }
    }
    if !current.is_empty() {
        pieces.push(current);
    }
    pieces
}

fn split_long(paragraph: &str, max_chars: usize) -> Vec<String> {
    if char_len(paragraph) <= max_chars {
        return vec![paragraph.to_string()];
    }
    let mut out = Vec::new();
    let mut current = String::new();
    for word in paragraph.split_inclusive(char::is_whitespace) {
        let sentence_end = current.trim_end().ends_with(['.', '!', '?', '…']);
        if !current.is_empty()
            && (char_len(&current) + char_len(word) > max_chars
                || (sentence_end && char_len(&current) > max_chars * 3 / 4))
        {
            out.push(current.trim().to_string());
            current.clear();
        }
        current.push_str(word);
    }
    if !current.trim().is_empty() {
        out.push(current.trim().to_string());
    }
    out
}

fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// Markdown to plain text: links keep their text, images and emphasis markers go.
pub fn plain(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    let chars: Vec<char> = md.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '!' if chars.get(i + 1) == Some(&'[') => {
                // Image: drop it entirely.
                if let Some(end) = link_end(&chars, i + 1) {
                    i = end;
                    continue;
                }
                out.push(c);
            }
            '[' => {
                if let (Some(close), Some(end)) = (find(&chars, i + 1, ']'), link_end(&chars, i)) {
                    out.extend(&chars[i + 1..close]);
                    i = end;
                    continue;
                }
                out.push(c);
            }
            '*' | '_' | '`' => {
                // Emphasis and code markers; a lone `_` inside a word (snake_case) is kept.
                let inside_word = c == '_'
                    && i > 0
                    && chars[i - 1].is_alphanumeric()
                    && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
                if inside_word {
                    out.push(c);
                }
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

fn find(chars: &[char], from: usize, target: char) -> Option<usize> {
    chars[from..]
        .iter()
        .position(|&c| c == target)
        .map(|p| p + from)
}

/// For `[text](url)` starting at `open` (the `[`), the index just past `)`.
fn link_end(chars: &[char], open: usize) -> Option<usize> {
    let close = find(chars, open + 1, ']')?;
    if chars.get(close + 1) != Some(&'(') {
        return None;
    }
    find(chars, close + 2, ')').map(|p| p + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn doc(body: &str) -> Document {
        Document {
            id: "d".into(),
            title: "Invoices".into(),
            category: Some("billing".into()),
            language: Lang::En,
            tags: vec![],
            never_automate: false,
            kind: DocKind::Markdown,
            questions: vec![],
            body: body.into(),
            source: PathBuf::from("kb/d.md"),
            line: 1,
            url: None,
        }
    }

    #[test]
    fn splits_at_headings_and_keeps_the_path() {
        let d = doc(
            "# Invoices\n\nIntro.\n\n## Download\n\nStep one.\n\n### By email\n\nAsk us.\n\n```\n# not a heading\n```\n\n## Fix\n\nContact.\n",
        );
        let chunks = chunk_document(&d, 1000);
        let paths: Vec<_> = chunks.iter().map(Chunk::heading_path).collect();
        assert_eq!(
            paths,
            [
                "Invoices",
                "Invoices › Download",
                "Invoices › Download › By email",
                "Invoices › Fix"
            ]
        );
        assert!(chunks[2].text.contains("# not a heading"));
        assert_eq!(chunks[3].id, "d#3");
    }

    #[test]
    fn long_sections_are_split_at_paragraphs_and_sentences() {
        let para = "This sentence is about invoices and payments. ".repeat(10);
        let body = format!("## Long\n\n{para}\n\n{para}\n\n{para}");
        let chunks = chunk_document(&doc(&body), 600);
        assert!(chunks.len() >= 3, "{}", chunks.len());
        assert!(chunks.iter().all(|c| c.text.chars().count() <= 600));
        assert!(chunks.iter().all(|c| c.headings == ["Long"]));
    }

    #[test]
    fn plain_strips_markdown() {
        assert_eq!(
            plain(
                "**Bold** and `code` with [a link](https://x.example/a) ![img](i.png) snake_case"
            ),
            "Bold and code with a link  snake_case"
        );
    }

    #[test]
    fn views_include_questions_and_dedupe() {
        let mut d = doc("Pay by card.");
        d.kind = DocKind::Faq;
        d.title = "How do I pay?".into();
        d.questions = vec!["How do I pay?".into(), "Payment methods".into()];
        let chunks = chunk_document(&d, 1000);
        let views = chunks[0].embedding_views(500);
        assert_eq!(
            views,
            [
                "How do I pay?",
                "Payment methods",
                "How do I pay?: Pay by card."
            ]
        );
    }
}
