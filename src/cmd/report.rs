//! `kbctl report` (in progress).
use std::process::ExitCode;
pub fn run(_args: &crate::cli::ReportArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("in progress")
}
