//! `kbctl init`: write a commented default kbctl.yaml (every value equals the built-in default).

use std::io::Write;
use std::process::ExitCode;

use crate::cli::InitArgs;
use crate::error::UserError;

/// The file `kbctl init` writes. A unit test checks that it parses to the built-in defaults.
pub const DEFAULT_CONFIG: &str = include_str!("../../templates/kbctl.yaml");

pub fn run(args: &InitArgs) -> anyhow::Result<ExitCode> {
    if args.path.exists() && !args.force {
        return Err(UserError::Invalid(format!(
            "{} exists: use --force to overwrite it",
            args.path.display()
        ))
        .into());
    }
    std::fs::write(&args.path, DEFAULT_CONFIG)
        .map_err(|err| UserError::Invalid(format!("{}: {err}", args.path.display())))?;
    let mut err = std::io::stderr();
    writeln!(err, "wrote {}", args.path.display())?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn the_written_file_is_the_default_configuration() {
        let parsed = Config::parse(DEFAULT_CONFIG, std::path::Path::new("kbctl.yaml")).unwrap();
        assert_eq!(parsed, Config::default());
    }
}
