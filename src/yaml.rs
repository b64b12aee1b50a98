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
}
