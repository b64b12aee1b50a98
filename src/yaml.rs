//! The one place that talks to serde_yaml: parse YAML into typed values with located errors.

use serde::de::DeserializeOwned;

/// A YAML parse or shape error, with the 1-based line where the parser stopped when it knows it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct YamlError {
    pub line: Option<usize>,
    pub message: String,
}

/// Parse `text` as YAML into `T`. Unknown keys are refused where `T` says `deny_unknown_fields`.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    serde_yaml::from_str(text).map_err(|err| YamlError {
        line: err.location().map(|loc| loc.line()),
        message: err.to_string(),
    })
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
