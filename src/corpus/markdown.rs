//! Markdown documents with optional YAML front matter (id, title, category, language, tags, never_automate).

use std::path::Path;

use serde::Deserialize;

use super::{DocKind, Document, Parsed, check_id, id_from_path, language_or_detect};

/// The front-matter keys kbctl reads; other keys (author, updated, ...) are allowed and ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct FrontMatter {
    id: Option<String>,
    title: Option<String>,
    category: Option<String>,
    language: Option<String>,
    tags: Tags,
    #[serde(alias = "never_auto", alias = "no_auto")]
    never_automate: bool,
    url: Option<String>,
}

/// Tags as a YAML list (of words or numbers, e.g. `[api, 429]`) or a comma-separated string.
#[derive(Debug, Default, Deserialize)]
#[serde(transparent)]
struct Tags(serde_json::Value);

impl Tags {
    fn into_vec(self) -> Vec<String> {
        let scalar = |v: &serde_json::Value| match v {
            serde_json::Value::String(s) => Some(s.trim().to_string()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            serde_json::Value::Bool(b) => Some(b.to_string()),
            _ => None,
        };
        match &self.0 {
            serde_json::Value::Array(items) => items.iter().filter_map(scalar).collect::<Vec<_>>(),
            serde_json::Value::String(s) => s.split(',').map(|t| t.trim().to_string()).collect(),
            other => scalar(other).into_iter().collect(),
        }
        .into_iter()
        .filter(|t| !t.is_empty())
        .collect()
    }
}

/// Split `---` front matter from the body; returns (yaml, body, line where the body starts).
/// `Err` carries a message when a front matter block is opened but never closed.
fn split_front_matter(text: &str) -> Result<(Option<&str>, &str, usize), String> {
    let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    else {
        return Ok((None, text, 1));
    };
    let mut offset = 0;
    for (i, line) in rest.split_inclusive('\n').enumerate() {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            let yaml = &rest[..offset];
            let body = &rest[offset + line.len()..];
            return Ok((Some(yaml), body, i + 3));
        }
        offset += line.len();
    }
    Err("front matter opened with `---` on line 1 is never closed".into())
}

pub(super) fn parse(path: &Path, text: &str) -> Parsed {
    let (yaml, body, body_line) = match split_front_matter(text) {
        Ok(parts) => parts,
        Err(message) => return Parsed::fail(path, Some(1), message),
    };
    let front: FrontMatter = match yaml {
        None => FrontMatter::default(),
        Some(y) if y.trim().is_empty() => FrontMatter::default(),
        Some(y) => match crate::yaml::from_str(y) {
            Ok(front) => front,
            Err(err) => {
                // Lines inside the front matter start after the opening `---`.
                let line = err.line.map(|l| l + 1);
                return Parsed::fail(path, line, format!("invalid front matter: {}", err.message));
            }
        },
    };
    let id = front.id.unwrap_or_else(|| id_from_path(path));
    if let Err(message) = check_id(&id) {
        return Parsed::fail(path, Some(2), message);
    }
    let first_h1 = body.lines().find_map(|l| {
        l.strip_prefix("# ")
            .map(|h| h.trim().to_string())
            .filter(|h| !h.is_empty())
    });
    let title = front
        .title
        .or(first_h1)
        .unwrap_or_else(|| id.replace('-', " "));
    let language = match language_or_detect(front.language.as_deref(), &format!("{title}\n{body}"))
    {
        Ok(lang) => lang,
        Err(message) => return Parsed::fail(path, Some(2), message),
    };
    Parsed::one(Document {
        id,
        title,
        category: front.category.map(|c| c.trim().to_lowercase()),
        language,
        tags: front.tags.into_vec(),
        never_automate: front.never_automate,
        kind: DocKind::Markdown,
        questions: Vec::new(),
        body: body.to_string(),
        source: path.to_path_buf(),
        line: body_line.saturating_sub(1).max(1),
        url: front.url,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;

    #[test]
    fn reads_front_matter() {
        let text = "---\nid: billing-1\ntitle: Invoices\ncategory: Billing\nlanguage: en\ntags: [a, 429]\nnever_automate: true\nauthor: x\n---\n# Invoices\n\nText.\n";
        let parsed = parse(Path::new("kb/x.md"), text);
        assert!(parsed.issues.is_empty(), "{:?}", parsed.issues);
        let doc = &parsed.documents[0];
        assert_eq!(doc.id, "billing-1");
        assert_eq!(doc.category.as_deref(), Some("billing"));
        assert_eq!(doc.language, Lang::En);
        assert_eq!(doc.tags, vec!["a", "429"]);
        assert!(doc.never_automate);
        assert!(doc.body.starts_with("# Invoices"));
    }

    #[test]
    fn without_front_matter_uses_file_name_and_h1() {
        let parsed = parse(
            Path::new("kb/Reset Password.md"),
            "# Сброс пароля\n\nНажмите «Забыли пароль».\n",
        );
        let doc = &parsed.documents[0];
        assert_eq!(doc.id, "reset-password");
        assert_eq!(doc.title, "Сброс пароля");
        assert_eq!(doc.language, Lang::Ru);
    }

    #[test]
    fn broken_front_matter_names_the_file_line() {
        let text = "---\nid: x\ntitle: ok\ntags: [a, b\ncategory: c\n---\nbody\n";
        let parsed = parse(Path::new("kb/broken.md"), text);
        assert!(parsed.fatal);
        let issue = &parsed.issues[0];
        assert!(issue.message.contains("front matter"), "{}", issue.message);
        let line = issue.line.unwrap();
        assert!((4..=6).contains(&line), "line {line}");
    }

    #[test]
    fn unclosed_front_matter_is_reported() {
        let parsed = parse(Path::new("kb/open.md"), "---\nid: x\nbody\n");
        assert!(parsed.fatal);
        assert_eq!(parsed.issues[0].line, Some(1));
    }

    #[test]
    fn unknown_language_code_is_reported() {
        let parsed = parse(Path::new("kb/de.md"), "---\nlanguage: de\n---\nText\n");
        assert!(parsed.issues[0].message.contains("unknown language"));
    }
}
