//! HTML help-centre pages: markup stripped to Markdown-like text (headings kept), metadata from `<title>` and `<meta name="kb:*">`.

use std::collections::HashMap;
use std::path::Path;

use super::{DocKind, Document, Parsed, check_id, id_from_path, language_or_detect};

/// Elements whose content is never text of the article.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "nav", "footer", "iframe", "button", "form",
];
/// Elements that break the text into blocks.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "aside",
    "ul",
    "ol",
    "table",
    "tr",
    "blockquote",
    "pre",
    "dl",
    "dt",
    "dd",
    "figure",
    "figcaption",
    "hr",
    "body",
];

#[derive(Debug, Default)]
struct Extracted {
    title: Option<String>,
    meta: HashMap<String, String>,
    lang: Option<String>,
    body: String,
}

pub(super) fn parse(path: &Path, text: &str) -> Parsed {
    let ex = extract(text);
    let id = ex
        .meta
        .get("kb:id")
        .cloned()
        .unwrap_or_else(|| id_from_path(path));
    if let Err(message) = check_id(&id) {
        return Parsed::fail(path, None, message);
    }
    let first_h1 = ex
        .body
        .lines()
        .find_map(|l| l.strip_prefix("# ").map(|h| h.trim().to_string()));
    let title = ex
        .meta
        .get("kb:title")
        .cloned()
        .or(ex.title)
        .or(first_h1)
        .unwrap_or_else(|| id.replace('-', " "));
    let given_lang = ex.meta.get("kb:language").or(ex.lang.as_ref());
    let language = match language_or_detect(
        given_lang.map(|l| l.split('-').next().unwrap_or(l)),
        &format!("{title}\n{}", ex.body),
    ) {
        Ok(lang) => lang,
        Err(message) => return Parsed::fail(path, None, message),
    };
    let tags = ex
        .meta
        .get("kb:tags")
        .map(|t| {
            t.split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let never_automate = ex
        .meta
        .get("kb:never_automate")
        .is_some_and(|v| matches!(v.trim(), "true" | "yes" | "1"));
    Parsed::one(Document {
        id,
        title,
        category: ex.meta.get("kb:category").map(|c| c.trim().to_lowercase()),
        language,
        tags,
        never_automate,
        kind: DocKind::Html,
        questions: Vec::new(),
        body: ex.body,
        source: path.to_path_buf(),
        line: 1,
        url: ex.meta.get("kb:url").cloned(),
    })
}

/// The text of an HTML fragment (a help-desk message body), as the page reader sees it.
pub(super) fn text(html: &str) -> String {
    extract(html).body
}

fn extract(html: &str) -> Extracted {
    let mut ex = Extracted::default();
    let mut out = String::new();
    let mut skip_depth: Vec<String> = Vec::new();
    let mut in_head = false;
    let mut in_title = false;
    let mut in_pre = false;
    let mut title = String::new();
    let mut rest = html;

    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            rest = rest.find('>').map_or("", |end| &rest[end + 1..]);
            continue;
        }
        if rest.starts_with('<')
            && rest[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/')
        {
            let (tag, after) = read_tag(rest);
            rest = after;
            let name = tag.name.as_str();
            if !skip_depth.is_empty() {
                if tag.closing && skip_depth.last().is_some_and(|s| s == name) {
                    skip_depth.pop();
                } else if !tag.closing && !tag.self_closing && SKIPPED.contains(&name) {
                    skip_depth.push(name.to_string());
                }
                continue;
            }
            match (name, tag.closing) {
                ("html", false) => ex.lang = tag.attrs.get("lang").cloned(),
                ("head", false) => in_head = true,
                ("head", true) => in_head = false,
                ("title", false) => in_title = true,
                ("title", true) => in_title = false,
                ("meta", _) => {
                    if let (Some(n), Some(c)) = (tag.attrs.get("name"), tag.attrs.get("content")) {
                        ex.meta.insert(n.to_ascii_lowercase(), c.clone());
                    }
                }
                (n, false) if SKIPPED.contains(&n) && !tag.self_closing => {
                    skip_depth.push(n.to_string());
                }
                (h, false) if heading_level(h).is_some() => {
                    block_break(&mut out);
                    out.push_str(&"#".repeat(heading_level(h).unwrap_or(1)));
                    out.push(' ');
                }
                (h, true) if heading_level(h).is_some() => block_break(&mut out),
                ("br", _) => out.push('\n'),
                ("li", false) => {
                    line_break(&mut out);
                    out.push_str("- ");
                }
                ("td" | "th", false) => out.push_str(" | "),
                ("pre", closing) => {
                    in_pre = !closing;
                    block_break(&mut out);
                }
                (b, _) if BLOCKS.contains(&b) => block_break(&mut out),
                _ => {}
            }
            continue;
        }
        // Text up to the next tag.
        let first = rest.chars().next().map_or(1, char::len_utf8);
        let end = rest[first..].find('<').map_or(rest.len(), |i| i + first);
        let chunk = decode_entities(&rest[..end]);
        rest = &rest[end..];
        if !skip_depth.is_empty() {
            continue;
        }
        if in_title {
            title.push_str(&chunk);
        } else if !in_head {
            if in_pre {
                out.push_str(&chunk);
            } else {
                push_collapsed(&mut out, &chunk);
            }
        }
    }
    let title = collapse(&title);
    ex.title = (!title.is_empty()).then_some(title);
    ex.body = tidy(&out);
    ex
}

struct Tag {
    name: String,
    closing: bool,
    self_closing: bool,
    attrs: HashMap<String, String>,
}

/// Read one tag starting at `<`; returns it and the text after its `>`.
fn read_tag(s: &str) -> (Tag, &str) {
    let mut i = 1;
    let bytes = s.as_bytes();
    let closing = bytes.get(1) == Some(&b'/');
    if closing {
        i += 1;
    }
    let name_start = i;
    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'-') {
        i += 1;
    }
    let name = s[name_start..i].to_ascii_lowercase();
    let mut attrs = HashMap::new();
    let mut self_closing = false;
    loop {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= bytes.len() {
            break;
        }
        match bytes[i] {
            b'>' => {
                i += 1;
                break;
            }
            b'/' => {
                self_closing = true;
                i += 1;
            }
            _ => {
                let key_start = i;
                while i < bytes.len()
                    && !matches!(bytes[i], b'=' | b'>' | b'/')
                    && !bytes[i].is_ascii_whitespace()
                {
                    i += 1;
                }
                let key = s[key_start..i].to_ascii_lowercase();
                let mut value = String::new();
                if bytes.get(i) == Some(&b'=') {
                    i += 1;
                    if let Some(&q @ (b'"' | b'\'')) = bytes.get(i) {
                        let start = i + 1;
                        let end = s[start..].find(q as char).map_or(s.len(), |e| start + e);
                        value = decode_entities(&s[start..end]);
                        i = (end + 1).min(s.len());
                    } else {
                        let start = i;
                        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>'
                        {
                            i += 1;
                        }
                        value = decode_entities(&s[start..i]);
                    }
                }
                if !key.is_empty() {
                    attrs.insert(key, value);
                }
            }
        }
    }
    let tag = Tag {
        name,
        closing,
        self_closing,
        attrs,
    };
    (tag, &s[i.min(s.len())..])
}

fn heading_level(name: &str) -> Option<usize> {
    match name {
        "h1" => Some(1),
        "h2" => Some(2),
        "h3" => Some(3),
        "h4" => Some(4),
        "h5" => Some(5),
        "h6" => Some(6),
        _ => None,
    }
}

fn line_break(out: &mut String) {
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

fn block_break(out: &mut String) {
    line_break(out);
    if !out.is_empty() && !out.ends_with("\n\n") {
        out.push('\n');
    }
}

fn push_collapsed(out: &mut String, text: &str) {
    let mut prev_space = out.is_empty() || out.ends_with([' ', '\n']);
    for c in text.chars() {
        if c.is_whitespace() {
            if !prev_space {
                out.push(' ');
                prev_space = true;
            }
        } else {
            out.push(c);
            prev_space = false;
        }
    }
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Trim every line and keep at most one blank line between blocks.
fn tidy(text: &str) -> String {
    let mut out = String::new();
    let mut blank = true;
    for line in text.lines() {
        let line = line.trim();
        let line = line.strip_prefix("| ").unwrap_or(line);
        if line.is_empty() {
            if !blank {
                out.push('\n');
            }
            blank = true;
        } else {
            out.push_str(line);
            out.push('\n');
            blank = false;
        }
    }
    out.trim_end().to_string()
}

/// Decode the character references that help-centre pages use: numeric ones and common named ones.
pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find('&') {
        out.push_str(&rest[..pos]);
        rest = &rest[pos..];
        let end = rest[1..].find(';').map(|e| e + 1).filter(|&e| e <= 12);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = if let Some(num) = name.strip_prefix('#') {
                let code = match num.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => num.parse().ok(),
                };
                code.and_then(char::from_u32)
            } else {
                named_entity(name)
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn named_entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "laquo" => '«',
        "raquo" => '»',
        "mdash" => '—',
        "ndash" => '–',
        "hellip" => '…',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "euro" => '€',
        "deg" => '°',
        "times" => '×',
        "bull" => '•',
        "middot" => '·',
        "rsquo" => '\u{2019}',
        "lsquo" => '\u{2018}',
        "rdquo" => '\u{201d}',
        "ldquo" => '\u{201c}',
        "bdquo" => '\u{201e}',
        "sect" => '§',
        "para" => '¶',
        "shy" => '\u{ad}',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;

    const PAGE: &str = r#"<!DOCTYPE html>
<html lang="ru"><head><title>Возврат  средств</title>
<meta name="kb:id" content="refunds-html-ru"><meta name="kb:category" content="Refunds">
<style>p { color: red }</style><script>var x = "<h1>no</h1>";</script></head>
<body><nav><a href="/">Главная</a></nav>
<h1>Возврат средств</h1>
<p>Мы возвращаем деньги в течение&nbsp;14&nbsp;дней &mdash; без вопросов &laquo;почему&raquo;.</p>
<h2>Как подать заявку</h2><ul><li>Откройте раздел &amp; нажмите</li><li>Укажите номер счёта &#8470;</li></ul>
<!-- a comment <p>hidden</p> -->
<footer>© 2026</footer></body></html>"#;

    #[test]
    fn strips_markup_and_keeps_headings() {
        let parsed = parse(Path::new("kb/x.html"), PAGE);
        assert!(parsed.issues.is_empty(), "{:?}", parsed.issues);
        let doc = &parsed.documents[0];
        assert_eq!(doc.id, "refunds-html-ru");
        assert_eq!(doc.title, "Возврат средств");
        assert_eq!(doc.category.as_deref(), Some("refunds"));
        assert_eq!(doc.language, Lang::Ru);
        assert!(doc.body.contains("# Возврат средств"), "{}", doc.body);
        assert!(doc.body.contains("## Как подать заявку"), "{}", doc.body);
        assert!(
            doc.body.contains("- Откройте раздел & нажмите"),
            "{}",
            doc.body
        );
        assert!(
            doc.body.contains("14 дней — без вопросов «почему»."),
            "{}",
            doc.body
        );
        assert!(doc.body.contains('№'));
        for absent in ["color", "var x", "Главная", "hidden", "©", "<"] {
            assert!(!doc.body.contains(absent), "{absent:?} in {}", doc.body);
        }
    }

    #[test]
    fn decodes_entities_and_leaves_stray_ampersands() {
        assert_eq!(
            decode_entities("a &amp; b &#x41; &unknown; & c"),
            "a & b A &unknown; & c"
        );
    }
}
