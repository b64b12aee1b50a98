//! Markdown documents with optional YAML front matter (id, title, category, language, tags, never_automate, url), checked for typos.

use std::path::Path;

use serde::Deserialize;

use super::{DocKind, Document, Parsed, check_id, id_from_path, language_or_detect};

/// The front-matter keys kbctl reads. Other keys (author, updated, sidebar_position, ...) are
/// other tools' and are ignored, unless they are a typo of one of these (`catgory`): that
/// document is refused with the key it was meant to be.
const KEYS: &[&str] = &[
    "id",
    "title",
    "category",
    "language",
    "tags",
    "never_automate",
    "url",
];
/// Accepted spellings of `never_automate`.
const ALIASES: &[&str] = &["never_auto", "no_auto"];

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
    // Lines inside the front matter start after the opening `---`.
    let (front, keys): (FrontMatter, _) = match yaml {
        None => (FrontMatter::default(), Vec::new()),
        Some(y) if y.trim().is_empty() => (FrontMatter::default(), Vec::new()),
        Some(y) => match crate::yaml::from_str(y) {
            Ok(front) => (front, crate::yaml::top_level_keys(y)),
            Err(err) => {
                let line = err.line.map(|l| l + 1);
                return Parsed::fail(path, line, format!("invalid front matter: {}", err.message));
            }
        },
    };
    for (key, line) in &keys {
        if KEYS.contains(&key.as_str()) || ALIASES.contains(&key.as_str()) {
            continue;
        }
        if let Some(meant) = crate::suggest::closest(key, KEYS.iter().copied()) {
            return Parsed::fail(
                path,
                Some(line + 1),
                format!("unknown key `{key}` in the front matter, did you mean `{meant}`?"),
            );
        }
    }
    let line_of = |wanted: &str| {
        keys.iter()
            .find(|(key, _)| key == wanted)
            .map_or(2, |(_, line)| line + 1)
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
        Err(message) => return Parsed::fail(path, Some(line_of("language")), message),
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

    #[test]
    fn a_typo_in_a_key_is_refused_with_the_key_it_was_meant_to_be() {
        let text = "---\nid: x\ntitle: Invoices\ncatgory: billing\n---\n# Invoices\n\nText.\n";
        let parsed = parse(Path::new("kb/x.md"), text);
        assert!(parsed.fatal && parsed.documents.is_empty());
        let issue = &parsed.issues[0];
        assert_eq!(issue.line, Some(4));
        assert_eq!(
            issue.message,
            "unknown key `catgory` in the front matter, did you mean `category`?"
        );
        for (typo, meant) in [
            ("langauge: en", "language"),
            ("tag: [a]", "tags"),
            ("never_automte: true", "never_automate"),
            ("categories: [billing]", "category"),
        ] {
            let parsed = parse(Path::new("kb/x.md"), &format!("---\n{typo}\n---\nText\n"));
            assert!(
                parsed.issues[0]
                    .message
                    .contains(&format!("did you mean `{meant}`")),
                "{typo}: {:?}",
                parsed.issues
            );
        }
        // Other tools' keys are theirs.
        let parsed = parse(
            Path::new("kb/x.md"),
            "---\nauthor: a\ndate: 2024-01-01\nsidebar_position: 2\nno_auto: true\n---\nText\n",
        );
        assert!(parsed.issues.is_empty(), "{:?}", parsed.issues);
        assert!(parsed.documents[0].never_automate);
    }

    #[test]
    fn languages_are_codes_or_names_and_a_bad_one_is_located() {
        for (given, want) in [
            ("english", Lang::En),
            ("Русский", Lang::Ru),
            ("polski", Lang::Pl),
            ("Polish", Lang::Pl),
        ] {
            let parsed = parse(
                Path::new("kb/x.md"),
                &format!("---\nid: x\nlanguage: {given}\n---\nText\n"),
            );
            assert_eq!(parsed.documents[0].language, want, "{given}");
        }
        let parsed = parse(
            Path::new("kb/x.md"),
            "---\nid: x\ntitle: t\nlanguage: englsh\n---\nText\n",
        );
        let issue = &parsed.issues[0];
        assert_eq!(issue.line, Some(4));
        assert!(
            issue.message.starts_with(
                "unknown language `englsh`, did you mean `english`? kbctl supports en, ru and pl"
            ),
            "{}",
            issue.message
        );
        let parsed = parse(Path::new("kb/x.md"), "---\nlanguage: german\n---\nText\n");
        assert!(
            parsed.issues[0]
                .message
                .starts_with("unknown language `german`: kbctl supports en, ru and pl"),
            "{}",
            parsed.issues[0].message
        );
    }
}
