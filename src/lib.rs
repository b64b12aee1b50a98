//! kbctl: an AI first line for support teams. Ingest a knowledge base, retrieve from it, decide and evaluate.
//!
//! Data flows one way: `corpus` (documents -> chunks) -> `index` (BM25 + vectors on disk,
//! hybrid retrieval); `tickets` -> `pipeline` (retrieve, score, decide, render); commands in
//! `cmd` are glue and print through `output`.

pub mod cli;
mod cmd;
pub mod config;
pub mod corpus;
pub mod csvrows;
pub mod embed;
pub mod error;
pub mod eval;
pub mod index;
pub mod lang;
pub mod output;
pub mod pipeline;
pub mod progress;
pub mod report;
pub mod text;
pub mod tickets;
pub mod yaml;

use std::process::ExitCode;

use cli::{Cli, Command};
use config::Settings;

/// Run a parsed command line; `Ok` carries the exit code for outcomes that are not errors
/// (0 success, 1 "done, but something needs the user's attention").
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let settings = Settings::resolve(&cli.global)?;
    match &cli.command {
        Command::Ingest(args) => cmd::ingest::run(&settings, args),
        Command::Search(args) => cmd::search::run(&settings, args),
        Command::Answer(args) => cmd::answer::run(&settings, args, pipeline::Task::Answer),
        Command::Classify(args) => cmd::answer::run(&settings, args, pipeline::Task::Classify),
        Command::Init(args) => cmd::init::run(args),
        Command::Doctor(args) => cmd::doctor::run(&settings, args),
        Command::Eval(args) => cmd::eval::run(&settings, args),
        Command::Tune(args) => cmd::tune::run(&settings, args),
        Command::Report(args) => cmd::report::run(args),
    }
}

/// Print an error on stderr and choose the exit code: a broken pipe exits quietly with 0,
/// a user error with 1, anything else with 2.
pub fn report_error(err: &anyhow::Error) -> ExitCode {
    if error::is_broken_pipe(err) {
        return ExitCode::SUCCESS;
    }
    eprintln!("kbctl: error: {err:#}");
    if error::is_user_error(err) {
        ExitCode::from(1)
    } else {
        ExitCode::from(2)
    }
}
