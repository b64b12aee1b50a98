//! The one place that talks to serde_yaml: parse YAML into typed values with located errors.

use serde::de::DeserializeOwned;

/// A YAML parse or shape error, with the 1-based line where the parser stopped when it knows it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct YamlError {
    pub line: Option<usize>,
    pub message: String,
}

/// The deepest nesting of mappings, sequences and flow collections any YAML input may have:
/// kbctl's own files need under ten levels. The parser takes minutes on 200,000 levels; the
/// scan that enforces this takes milliseconds.
pub const MAX_DEPTH: usize = 64;

/// Parse `text` as YAML into `T`. Unknown keys are refused where `T` says `deny_unknown_fields`,
/// with the closest valid name when one is near; text nested deeper than [`MAX_DEPTH`] is
/// refused before it is parsed.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    check_depth(text, MAX_DEPTH)?;
    serde_yaml::from_str(text).map_err(|err| YamlError {
        line: err.location().map(|loc| loc.line()),
        message: with_suggestion(err.to_string()),
    })
}

/// serde's "unknown field `x`, expected one of `a`, `b`" (and "unknown variant") with
/// "did you mean `a`?" when one of the expected names is close to `x`.
fn with_suggestion(message: String) -> String {
    for what in ["unknown field `", "unknown variant `"] {
        let Some(start) = message.find(what) else {
            continue;
        };
        let name_at = start + what.len();
        let Some(name_len) = message[name_at..].find('`') else {
            continue;
        };
        let name = &message[name_at..name_at + name_len];
        let rest_at = name_at + name_len + 1;
        let Some(expected) = message[rest_at..].strip_prefix(", expected ") else {
            continue;
        };
        let expected_end = expected.find(" at line ").unwrap_or(expected.len());
        let known: Vec<&str> = expected[..expected_end]
            .split('`')
            .skip(1)
            .step_by(2)
            .collect();
        let Some(close) = crate::suggest::closest(name, known.iter().copied()) else {
            continue;
        };
        return format!(
            "{}, did you mean `{close}`? Expected {expected}",
            &message[..rest_at]
        );
    }
    message
}

/// Refuse `text` when it nests deeper than `max`, without parsing it: block nesting is counted
/// by indentation and by `- ` sequence entries opened on one line, flow nesting by `[` and `{`
/// where a collection can start (not inside quoted scalars, comments or block scalars).
/// The count is an estimate (within a level or two of the parser's) that never misses a
/// deeply nested document, which is all it is for.
pub fn check_depth(text: &str, max: usize) -> Result<(), YamlError> {
    let too_deep = |line: usize| YamlError {
        line: Some(line),
        message: format!("nested more than {max} levels deep: refused without parsing"),
    };
    // Indentations of the open block levels; flow depth; the quote a scalar is open in; the
    // indentation of a line that opened a block scalar (`|`, `>`).
    let mut indents: Vec<usize> = Vec::new();
    let mut flow = 0usize;
    let mut quote: Option<char> = None;
    let mut block_scalar: Option<usize> = None;
    for (i, line) in text.lines().enumerate() {
        let indent = indent_of(line);
        let body = &line[indent..];
        let mut entries = 0;
        if quote.is_none() && flow == 0 {
            if let Some(open) = block_scalar {
                if body.is_empty() || indent > open {
                    continue;
                }
                block_scalar = None;
            }
            if body.is_empty() || body.starts_with('#') {
                continue;
            }
            while indents.last().is_some_and(|&top| top > indent) {
                indents.pop();
            }
            if indents.last() != Some(&indent) {
                indents.push(indent);
            }
        }
        let mut at_start = true; // where a scalar or collection may start
        let mut prev = ' ';
        let mut chars = body.chars().peekable();
        while let Some(c) = chars.next() {
            let next_blank = chars.peek().is_none_or(|n| n.is_whitespace());
            match quote {
                Some('"') if c == '\\' => {
                    chars.next();
                }
                Some(q) if c == q => {
                    if q == '\'' && chars.peek() == Some(&'\'') {
                        chars.next();
                    } else {
                        quote = None;
                        at_start = false;
                    }
                }
                Some(_) => {}
                None => match c {
                    '#' if prev.is_whitespace() => break,
                    '"' | '\'' if at_start => quote = Some(c),
                    '[' | '{' if at_start || flow > 0 => {
                        flow += 1;
                        at_start = true;
                    }
                    ']' | '}' if flow > 0 => {
                        flow -= 1;
                        at_start = false;
                    }
                    ',' if flow > 0 => at_start = true,
                    // A sequence entry or a complex key opens a level where a node may start.
                    '-' | '?' if next_blank && at_start => {
                        if c == '-' && flow == 0 {
                            entries += 1;
                        }
                    }
                    ':' if next_blank => at_start = true,
                    '|' | '>' if at_start && flow == 0 => {
                        block_scalar = Some(indent);
                        break;
                    }
                    c if c.is_whitespace() => {}
                    _ => at_start = false,
                },
            }
            if indents.len() + entries + flow > max {
                return Err(too_deep(i + 1));
            }
            prev = c;
        }
        if indents.len() + entries + flow > max {
            return Err(too_deep(i + 1));
        }
    }
    Ok(())
}

/// The keys of a block mapping at the top of `text`, each with its 1-based line, in order
/// (for text that already parsed: the keys written at column 0, quotes removed).
pub fn top_level_keys(text: &str) -> Vec<(String, usize)> {
    // Lines inside block scalars and nested blocks are indented, so only keys sit at column 0.
    let mut keys = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if indent_of(line) > 0 || line.trim().is_empty() {
            continue;
        }
        if line.starts_with(['#', '-', '[', '{']) || line == "..." {
            continue;
        }
        let key_end = match line.chars().next() {
            Some(q @ ('"' | '\'')) => line[1..].find(q).map(|e| e + 2),
            _ => line
                .find(": ")
                .or_else(|| line.strip_suffix(':').map(str::len)),
        };
        let Some(end) = key_end else { continue };
        if line[end..].starts_with(':') {
            keys.push((line[..end].trim_matches(['"', '\'']).to_string(), i + 1));
        }
    }
    keys
}

/// Every number in `value` serialised as YAML, with the path of keys that leads to it
/// (a sequence entry adds `[]`), in serialisation order. Non-finite floats are kept.
pub fn numbers<T: serde::Serialize>(value: &T) -> Result<Vec<(Vec<String>, f64)>, YamlError> {
    fn walk(value: &serde_yaml::Value, path: &mut Vec<String>, out: &mut Vec<(Vec<String>, f64)>) {
        match value {
            serde_yaml::Value::Number(n) => {
                if let Some(v) = n.as_f64() {
                    out.push((path.clone(), v));
                }
            }
            serde_yaml::Value::Mapping(map) => {
                for (key, value) in map {
                    let key = match key {
                        serde_yaml::Value::String(s) => s.clone(),
                        other => to_string(other).unwrap_or_default().trim().to_string(),
                    };
                    path.push(key);
                    walk(value, path, out);
                    path.pop();
                }
            }
            serde_yaml::Value::Sequence(items) => {
                for item in items {
                    path.push("[]".into());
                    walk(item, path, out);
                    path.pop();
                }
            }
            serde_yaml::Value::Tagged(tagged) => walk(&tagged.value, path, out),
            _ => {}
        }
    }
    let value = serde_yaml::to_value(value).map_err(|err| YamlError {
        line: None,
        message: err.to_string(),
    })?;
    let mut out = Vec::new();
    walk(&value, &mut Vec::new(), &mut out);
    Ok(out)
}

/// Serialise `value` as YAML.
pub fn to_string<T: serde::Serialize>(value: &T) -> Result<String, YamlError> {
    serde_yaml::to_string(value).map_err(|err| YamlError {
        line: None,
        message: err.to_string(),
    })
}

/// Set scalar values in block-style YAML text, keeping everything else (comments, order, other
/// keys) as it is. Each path names nested mapping keys (`["policy", "auto_threshold"]`); missing
/// keys are added at the end of their parent block. Flow-style mappings other than `{}` are refused.
pub fn set_values(text: &str, values: &[(Vec<String>, String)]) -> Result<String, YamlError> {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for (path, value) in values {
        set_value(&mut lines, path, value)?;
    }
    let mut out = lines.join("\n");
    out.push('\n');
    Ok(out)
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// A line that carries YAML content (not blank, not a comment, not a document marker).
fn is_content(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && !t.starts_with('#') && t != "---"
}

/// The text after `key:` on a line, when the line is that key.
fn key_value<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let rest = line.trim_start().strip_prefix(key)?;
    let rest = rest.strip_prefix(':')?;
    (rest.is_empty() || rest.starts_with(' ')).then_some(rest)
}

fn set_value(lines: &mut Vec<String>, path: &[String], value: &str) -> Result<(), YamlError> {
    let err = |line: Option<usize>, message: String| YamlError { line, message };
    // The block being searched: lines [start, end), whose keys sit at `indent`.
    let (mut start, mut end) = (0, lines.len());
    let mut parent_indent: Option<usize> = None;
    for (depth, key) in path.iter().enumerate() {
        let child_indent = lines[start..end]
            .iter()
            .find(|l| is_content(l))
            .map(|l| indent_of(l))
            .unwrap_or(parent_indent.map_or(0, |i| i + 2));
        let found = (start..end).find(|&i| {
            is_content(&lines[i])
                && indent_of(&lines[i]) == child_indent
                && key_value(&lines[i], key).is_some()
        });
        let last = depth + 1 == path.len();
        match found {
            Some(i) if last => {
                let rest = key_value(&lines[i], key).unwrap_or_default();
                let comment = rest.find(" #").map(|p| &rest[p..]).unwrap_or("");
                lines[i] = format!("{}{key}: {value}{comment}", " ".repeat(child_indent));
                return Ok(());
            }
            Some(i) => {
                let rest = key_value(&lines[i], key).unwrap_or_default();
                let inline = rest.split(" #").next().unwrap_or("").trim();
                if inline == "{}" {
                    lines[i] = format!("{}{key}:", " ".repeat(child_indent));
                } else if !inline.is_empty() {
                    return Err(err(
                        Some(i + 1),
                        format!(
                            "`{key}` is written inline; write it as a block to let kbctl edit it"
                        ),
                    ));
                }
                let block_end = (i + 1..end)
                    .find(|&j| is_content(&lines[j]) && indent_of(&lines[j]) <= child_indent)
                    .unwrap_or(end);
                start = i + 1;
                end = block_end;
                parent_indent = Some(child_indent);
            }
            None => {
                // Add the rest of the path after the block's last content line.
                let at = (start..end)
                    .rev()
                    .find(|&j| is_content(&lines[j]))
                    .map_or(end, |j| j + 1);
                let mut new = Vec::new();
                for (k, key) in path[depth..].iter().enumerate() {
                    let pad = " ".repeat(child_indent + 2 * k);
                    if depth + k + 1 == path.len() {
                        new.push(format!("{pad}{key}: {value}"));
                    } else {
                        new.push(format!("{pad}{key}:"));
                    }
                }
                lines.splice(at..at, new);
                return Ok(());
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Small {
        a: u32,
    }

    #[test]
    fn reports_the_line_of_a_syntax_error() {
        let err = from_str::<serde_yaml_value::Any>("a: 1\nb: [1, 2\nc: 3\n").unwrap_err();
        assert!(err.line.is_some(), "{err:?}");
    }

    #[test]
    fn refuses_unknown_keys_by_name() {
        let err = from_str::<Small>("a: 1\nbogus: 2\n").unwrap_err();
        assert!(err.message.contains("bogus"), "{}", err.message);
        assert!(!err.message.contains("did you mean"), "{}", err.message);
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Named {
        fusion: Option<u32>,
        candidates: Option<u32>,
    }

    #[test]
    fn an_unknown_key_close_to_a_known_one_is_suggested() {
        let err = from_str::<Named>("fuson: 1\n").unwrap_err();
        assert!(
            err.message
                .contains("unknown field `fuson`, did you mean `fusion`? Expected"),
            "{}",
            err.message
        );
        assert_eq!(err.line, Some(1));
    }

    fn nested_block(levels: usize) -> String {
        "- ".repeat(levels) + "x\n"
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        for text in [
            nested_block(100_000),
            "[".repeat(100_000),
            "a: ".to_string() + &"{a: ".repeat(100_000),
            (0..200).map(|i| format!("{}k:\n", " ".repeat(i))).collect(),
        ] {
            let err = from_str::<serde_yaml_value::Any>(&text).unwrap_err();
            assert!(
                err.message.contains("nested more than 64"),
                "{}",
                err.message
            );
            assert!(err.line.is_some());
        }
        // The limit itself, and brackets that open nothing, pass the scan.
        assert!(check_depth(&nested_block(MAX_DEPTH - 1), MAX_DEPTH).is_ok());
        assert!(check_depth(&nested_block(MAX_DEPTH + 1), MAX_DEPTH).is_err());
        let shallow = format!(
            "title: \"{0}\"\nbody: '{0}'\nplain: a {0}\n# {0}\ntext: |\n  {0}\nlist: [a, [b, {{c: d}}]]\n",
            "[".repeat(100)
        );
        assert!(check_depth(&shallow, MAX_DEPTH).is_ok(), "{shallow}");
        assert!(check_depth("it: 'don''t [[[['\n", 2).is_ok());
    }

    #[test]
    fn top_level_keys_come_with_their_lines() {
        let text = "id: a\n# note\ntitle: \"x: y\"\ntags:\n  - a\nbody: |\n  inner: no\n\"quoted key\": 1\nempty:\n";
        assert_eq!(
            top_level_keys(text),
            [
                ("id".to_string(), 1),
                ("title".to_string(), 3),
                ("tags".to_string(), 4),
                ("body".to_string(), 6),
                ("quoted key".to_string(), 8),
                ("empty".to_string(), 9),
            ]
        );
    }

    #[test]
    fn numbers_are_listed_with_their_paths() {
        #[derive(serde::Serialize)]
        struct Inner {
            x: f32,
        }
        #[derive(serde::Serialize)]
        struct Outer {
            n: usize,
            inner: Inner,
            name: &'static str,
            missing: Option<u32>,
        }
        let found = numbers(&Outer {
            n: 3,
            inner: Inner { x: f32::NAN },
            name: "a",
            missing: None,
        })
        .unwrap();
        assert_eq!(found.len(), 2);
        assert_eq!(found[0], (vec!["n".to_string()], 3.0));
        assert_eq!(found[1].0, ["inner", "x"]);
        assert!(found[1].1.is_nan());
    }

    mod serde_yaml_value {
        pub type Any = std::collections::BTreeMap<String, serde_json::Value>;
    }

    fn path(p: &str) -> Vec<String> {
        p.split('.').map(String::from).collect()
    }

    #[test]
    fn sets_values_keeping_comments_and_other_keys() {
        let text = "# team settings\nindex: .kbctl/index\npolicy:\n  # when to answer\n  auto_threshold: 0.8 # tuned later\n  draft_threshold: 0.5\n  never_automate_categories: [legal]\nretrieval:\n  candidates: 50\n";
        let out = set_values(
            text,
            &[
                (path("policy.auto_threshold"), "0.73".into()),
                (path("policy.calibration.margin"), "5.5".into()),
                (
                    path("policy.categories.billing.auto_threshold"),
                    "0.6".into(),
                ),
                (path("costs.tickets_per_month"), "1000".into()),
            ],
        )
        .unwrap();
        assert_eq!(
            out,
            "# team settings\nindex: .kbctl/index\npolicy:\n  # when to answer\n  auto_threshold: 0.73 # tuned later\n  draft_threshold: 0.5\n  never_automate_categories: [legal]\n  calibration:\n    margin: 5.5\n  categories:\n    billing:\n      auto_threshold: 0.6\nretrieval:\n  candidates: 50\ncosts:\n  tickets_per_month: 1000\n"
        );
        // Setting it again edits in place.
        let again = set_values(
            &out,
            &[(
                path("policy.categories.billing.auto_threshold"),
                "0.65".into(),
            )],
        )
        .unwrap();
        assert!(
            again.contains("      auto_threshold: 0.65\n") && !again.contains("0.6\n"),
            "{again}"
        );
    }

    #[test]
    fn an_empty_file_and_an_empty_flow_mapping_are_filled_and_inline_maps_refused() {
        let out = set_values("", &[(path("policy.auto_threshold"), "0.7".into())]).unwrap();
        assert_eq!(out, "policy:\n  auto_threshold: 0.7\n");
        let out = set_values(
            "policy: {}\n",
            &[(path("policy.auto_threshold"), "0.7".into())],
        )
        .unwrap();
        assert_eq!(out, "policy:\n  auto_threshold: 0.7\n");
        let err = set_values(
            "policy: {auto_threshold: 0.8}\n",
            &[(path("policy.auto_threshold"), "0.7".into())],
        )
        .unwrap_err();
        assert_eq!(err.line, Some(1));
    }
}
