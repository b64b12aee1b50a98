//! `kbctl report`: eval results (and a baseline) into one self-contained HTML file or Markdown.

use std::io::Write;
use std::process::ExitCode;

use crate::cli::{ReportArgs, ReportFormat};
use crate::error::UserError;
use crate::eval;
use crate::report::{self, Format};

pub fn run(args: &ReportArgs) -> anyhow::Result<ExitCode> {
    let results = eval::read_results(&args.results)?;
    let baseline = args
        .baseline
        .as_deref()
        .map(eval::read_results)
        .transpose()?;
    if let Some(dir) = &args.template
        && !dir.is_dir()
    {
        return Err(
            UserError::Invalid(format!("{}: no such template folder", dir.display())).into(),
        );
    }
    let format = match args.format {
        ReportFormat::Html => Format::Html,
        ReportFormat::Md => Format::Markdown,
    };
    let source = args.results.display().to_string();
    let text = report::render(
        &results,
        baseline.as_ref(),
        &source,
        format,
        args.template.as_deref(),
    )?;
    match &args.output {
        Some(path) => super::write_file(path, text)?,
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
