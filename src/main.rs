//! The `kbctl` binary: parse the command line, run it, map the outcome to an exit code.

use std::panic::{self, AssertUnwindSafe};
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // A panic is a bug: say so plainly and keep the exit-code contract (2, never 101).
    panic::set_hook(Box::new(|info| {
        eprintln!(
            "kbctl: internal error: {info}\n\
             kbctl: this is a bug; please report it with the command line that caused it"
        );
    }));
    let cli = kbctl::cli::Cli::parse();
    match panic::catch_unwind(AssertUnwindSafe(|| kbctl::run(cli))) {
        Ok(Ok(code)) => code,
        Ok(Err(err)) => kbctl::report_error(&err),
        Err(_) => ExitCode::from(kbctl::exit::ERROR),
    }
}
