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
pub mod decision;
pub mod embed;
pub mod error;
pub mod eval;
pub mod exit;
pub mod index;
pub mod lang;
pub mod lines;
pub mod metric;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod progress;
pub mod report;
pub mod suggest;
pub mod text;
pub mod tickets;
pub mod yaml;

use std::process::ExitCode;

use cli::{Cli, Command};
use config::Settings;

/// Run a parsed command line; `Ok` carries the exit code for outcomes that are not errors
/// (see [`exit`]: 0 success, 1 a failed verdict, 3 skipped records).
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    // Settings are resolved only by the commands that use them: `init`, `report`, `completions`
    // and `man` work before set-up and beside a broken kbctl.yaml.
    let settings = || Settings::resolve(&cli.global);
    match &cli.command {
        Command::Ingest(args) => cmd::ingest::run(&settings()?, args),
        Command::Search(args) => cmd::search::run(&settings()?, args),
        Command::Answer(args) => cmd::answer::run(&settings()?, args, pipeline::Task::Answer),
        Command::Classify(args) => cmd::answer::run(&settings()?, args, pipeline::Task::Classify),
        Command::Init(args) => cmd::init::run(args),
        Command::Doctor(args) => cmd::doctor::run(&settings()?, args),
        Command::Eval(args) => cmd::eval::run(&settings()?, args),
        Command::Tune(args) => cmd::tune::run(&settings()?, args),
        Command::Report(args) => cmd::report::run(args),
        Command::Completions(args) => cmd::shell::completions(args),
        Command::Man(args) => cmd::shell::man(args),
    }
}

/// Print an error on stderr and choose the exit code: a broken pipe exits quietly with 0,
/// anything else with [`exit::ERROR`] (the run could not be judged). Internal errors say so,
/// so a user can tell a bug from a mistake in their input.
pub fn report_error(err: &anyhow::Error) -> ExitCode {
    if error::is_broken_pipe(err) {
        return ExitCode::SUCCESS;
    }
    if error::is_user_error(err) {
        eprintln!("kbctl: error: {err:#}");
    } else {
        eprintln!("kbctl: internal error: {err:#}");
    }
    ExitCode::from(exit::ERROR)
}
