//! The `kbctl` binary: parse the command line, run it, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = kbctl::cli::Cli::parse();
    match kbctl::run(cli) {
        Ok(code) => code,
        Err(err) => kbctl::report_error(&err),
    }
}
