//! `kbctl tune` (in progress).
use std::process::ExitCode;
pub fn run(
    _settings: &crate::config::Settings,
    _args: &crate::cli::TuneArgs,
) -> anyhow::Result<ExitCode> {
    anyhow::bail!("in progress")
}
