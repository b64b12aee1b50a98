//! `kbctl tune`: replay history, choose the thresholds (and refit the calibration), print the curve, write them into kbctl.yaml.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::cli::{TableFormat, TuneArgs};
use crate::config::{Config, DEFAULT_CONFIG_FILE, Settings};
use crate::error::UserError;
use crate::eval::curve::{Point, Target};
use crate::eval::tune::{self, Options, TuneReport};
use crate::yaml;

pub fn run(settings: &Settings, args: &TuneArgs) -> anyhow::Result<ExitCode> {
    let target = match (args.target_precision, args.max_wrong_rate) {
        (Some(p), None) if (0.0..=1.0).contains(&p) => Target::Precision(p),
        (None, Some(r)) if (0.0..=1.0).contains(&r) => Target::MaxWrongRate(r),
        (None, None) => Target::Precision(0.95),
        _ => {
            return Err(UserError::Invalid(
                "--target-precision and --max-wrong-rate take a value between 0 and 1".into(),
            )
            .into());
        }
    };
    if args.folds < 2 {
        return Err(UserError::Invalid("--folds must be at least 2".into()).into());
    }
    let replayed = super::eval::replay(settings, &args.replay)?;
    if replayed.judged.iter().all(|t| t.correct.is_none()) {
        return Err(UserError::Invalid(
            "the replay has no labels to tune on: give gold_docs, intent or should_escalate".into(),
        )
        .into());
    }
    let report = tune::tune(
        &replayed.judged,
        &settings.config.policy.calibration,
        Options {
            target,
            folds: args.folds,
            per_category: args.per_category,
            refit_calibration: !args.keep_calibration,
        },
    );
    let mut out = std::io::stdout().lock();
    write_report(&report, args.format, &mut out)?;
    out.flush()?;
    if !settings.quiet {
        summarize(&report);
    }
    if !args.dry_run {
        let path = settings
            .config_path
            .clone()
            .unwrap_or_else(|| PathBuf::from(DEFAULT_CONFIG_FILE));
        write_config(&path, &report)?;
        if !settings.quiet {
            eprintln!("kbctl: wrote the thresholds into {}", path.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The chosen values as YAML paths, in the order they are written.
fn assignments(report: &TuneReport) -> Vec<(Vec<String>, String)> {
    let path = |p: &str| p.split('.').map(String::from).collect::<Vec<_>>();
    let mut v = vec![
        (
            path("policy.auto_threshold"),
            format!("{:.2}", report.choice.auto_threshold),
        ),
        (
            path("policy.draft_threshold"),
            format!("{:.2}", report.choice.draft_threshold),
        ),
    ];
    for (category, t) in &report.choice.categories {
        let mut p = path("policy.categories");
        p.extend([category.clone(), "auto_threshold".into()]);
        v.push((p, format!("{t:.2}")));
    }
    if let Some(c) = &report.calibration {
        for (key, value) in [
            ("intercept", c.intercept),
            ("top_score", c.top_score),
            ("margin", c.margin),
            ("agreement", c.agreement),
            ("views_agree", c.views_agree),
            ("coverage", c.coverage),
            ("intent", c.intent),
        ] {
            v.push((
                path(&format!("policy.calibration.{key}")),
                format!("{value:.3}"),
            ));
        }
    }
    v
}

/// Edit the file in place (creating it if missing), then check that it still loads and says
/// what was chosen before replacing the original.
fn write_config(path: &std::path::Path, report: &TuneReport) -> anyhow::Result<()> {
    let origin = path.display();
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(err) => return Err(UserError::Invalid(format!("{origin}: {err}")).into()),
    };
    let edited = yaml::set_values(&text, &assignments(report)).map_err(|err| {
        UserError::Invalid(format!(
            "{origin}:{}: {}",
            err.line.unwrap_or(0),
            err.message
        ))
    })?;
    let parsed = Config::parse(&edited, path)?;
    let written = (parsed.policy.auto_threshold - report.choice.auto_threshold).abs() < 0.006;
    if !written {
        anyhow::bail!(
            "{origin}: the edited file does not hold the chosen threshold; left unchanged"
        );
    }
    let tmp = path.with_extension("yaml.tmp");
    std::fs::write(&tmp, edited).map_err(|err| UserError::Invalid(format!("{origin}: {err}")))?;
    std::fs::rename(&tmp, path).map_err(|err| UserError::Invalid(format!("{origin}: {err}")))?;
    Ok(())
}

fn percent(v: Option<f64>) -> String {
    v.map_or("-".into(), |v| format!("{:.1}%", v * 100.0))
}

fn summarize(r: &TuneReport) {
    let target = match r.target {
        Target::Precision(p) => format!("accuracy of automatic answers >= {:.1}%", p * 100.0),
        Target::MaxWrongRate(w) => {
            format!("wrong automatic answers <= {:.2}% of tickets", w * 100.0)
        }
    };
    eprintln!(
        "kbctl: target {target}; chosen auto threshold {:.2}, draft {:.2}{}",
        r.choice.auto_threshold,
        r.choice.draft_threshold,
        if r.choice.categories.is_empty() {
            String::new()
        } else {
            format!(", {} categories with their own", r.choice.categories.len())
        }
    );
    eprintln!(
        "kbctl: on the {} tickets tuned on: containment {}, accuracy {}; estimated on held-out folds ({}-fold): containment {}, accuracy {}, wrong {}",
        r.tickets,
        percent(Some(r.in_sample.containment)),
        percent(r.in_sample.accuracy),
        r.folds,
        percent(Some(r.estimate.containment)),
        percent(r.estimate.accuracy),
        percent(Some(r.estimate.wrong_rate)),
    );
    if let (Some(before), Some(after)) = (r.ece_before, r.ece_after) {
        eprintln!(
            "kbctl: expected calibration error {:.1}% as configured, {:.1}% refit (out of fold)",
            before * 100.0,
            after * 100.0
        );
    }
}

fn write_report(r: &TuneReport, format: TableFormat, out: &mut impl Write) -> anyhow::Result<()> {
    if format == TableFormat::Json {
        serde_json::to_writer_pretty(&mut *out, r)?;
        writeln!(out)?;
        return Ok(());
    }
    // The curve every 0.05, and the chosen point wherever it falls.
    let chosen = r.choice.auto_threshold;
    let points: Vec<&Point> = r
        .curve
        .iter()
        .filter(|p| {
            ((p.threshold * 100.0).round() as i64) % 5 == 0 || (p.threshold - chosen).abs() < 1e-6
        })
        .collect();
    let rows: Vec<Vec<String>> = points
        .iter()
        .map(|p| {
            vec![
                format!("{:.2}", p.threshold),
                percent(Some(p.containment)),
                percent(p.accuracy),
                percent(Some(p.wrong_rate)),
                p.answered.to_string(),
                if (p.threshold - chosen).abs() < 1e-6 {
                    "chosen".into()
                } else {
                    String::new()
                },
            ]
        })
        .collect();
    let records: Vec<Point> = points.into_iter().copied().collect();
    crate::output::Table {
        header: vec![
            "threshold",
            "containment",
            "accuracy",
            "wrong_rate",
            "answered",
            "point",
        ],
        rows,
        records: &records,
    }
    .write(format, out)
}
