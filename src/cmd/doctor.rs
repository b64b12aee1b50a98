//! `kbctl doctor`: what kbctl found (runtime, models, index, config) and exactly what is missing and how to get it.

use std::io::Write;
use std::process::ExitCode;

use serde::Serialize;

use crate::cli::{DoctorArgs, SummaryFormat, TableFormat};
use crate::config::Settings;
use crate::embed::{self, runtime};
use crate::index::Store;
use crate::index::bm25::Bm25;
use crate::index::store::{self, EmbedderInfo};
use crate::output::Table;

#[derive(Debug, Serialize)]
struct Check {
    check: String,
    status: Status,
    detail: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
enum Status {
    Ok,
    /// Not needed yet (no index) or optional (a second model).
    Warn,
    Fail,
}

impl Status {
    fn label(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Warn => "warn",
            Status::Fail => "FAIL",
        }
    }
}

fn check(name: &str, status: Status, detail: impl Into<String>) -> Check {
    Check {
        check: name.into(),
        status,
        detail: detail.into(),
    }
}

pub fn run(settings: &Settings, args: &DoctorArgs) -> anyhow::Result<ExitCode> {
    let mut checks = vec![check(
        "config",
        Status::Ok,
        match &settings.config_path {
            Some(p) => format!("{} (valid)", p.display()),
            None => "no kbctl.yaml here: built-in defaults".into(),
        },
    )];
    checks.push(check(
        "home",
        Status::Ok,
        settings.home.display().to_string(),
    ));

    let runtime_ok = match runtime::locate(settings.config.onnxruntime.as_deref(), &settings.home) {
        Ok(loc) => match runtime::environment(Some(&loc.path), &settings.home) {
            Ok(_) => {
                let version = loc
                    .version()
                    .unwrap_or_else(|| "version not in file name".into());
                checks.push(check(
                    "onnxruntime",
                    Status::Ok,
                    format!(
                        "{version}, loaded from {} ({})",
                        loc.path.display(),
                        loc.origin
                    ),
                ));
                true
            }
            Err(err) => {
                checks.push(check("onnxruntime", Status::Fail, format!("{err:#}")));
                false
            }
        },
        Err(err) => {
            checks.push(check("onnxruntime", Status::Fail, err.to_string()));
            false
        }
    };

    let wanted = settings.embedder_name().to_string();
    let mut names: Vec<String> = vec![wanted.clone()];
    names.extend(
        embed::INSTALLED_MODELS
            .iter()
            .map(|s| s.to_string())
            .filter(|n| *n != wanted),
    );
    for name in &names {
        let required = *name == wanted;
        let label = format!("model {name}{}", if required { " (selected)" } else { "" });
        match embed::resolve(name, &settings.home) {
            Ok(spec) if runtime_ok => match embed::load(
                &spec,
                settings.config.onnxruntime.as_deref(),
                &settings.home,
                1,
            )
            .and_then(|mut e| e.embed(&["Где мой заказ?".to_string()], 1, embed::Role::Query))
            {
                Ok(v) => checks.push(check(
                    &label,
                    Status::Ok,
                    format!("{}: embeds ({}-d)", spec.describe(), v[0].len()),
                )),
                Err(err) => checks.push(check(
                    &label,
                    Status::Fail,
                    format!("{}: {err:#}", spec.describe()),
                )),
            },
            Ok(spec) => checks.push(check(
                &label,
                Status::Warn,
                format!("{}: not loaded (no runtime)", spec.describe()),
            )),
            Err(err) => checks.push(check(
                &label,
                if required { Status::Fail } else { Status::Warn },
                err.to_string(),
            )),
        }
    }

    let store = Store::new(&settings.index);
    match store.lease() {
        Ok(Some(lease)) => match store::read_manifest(lease.dir()) {
            Ok(m) => {
                let compat = embed::resolve(
                    &settings.embedder.clone().unwrap_or(m.embedder.id.clone()),
                    &settings.home,
                )
                .map_err(|e| e.to_string())
                .and_then(|spec| {
                    store::check_compatible(
                        store.root(),
                        &m,
                        &EmbedderInfo {
                            id: spec.id(),
                            dim: spec.dim(),
                        },
                    )
                    .map_err(|e| e.to_string())
                });
                let summary = format!(
                    "{}: generation {}, {} documents, {} chunks, {} vectors, embedder {} ({}-d), schema {}",
                    settings.index.display(),
                    m.generation,
                    m.documents.len(),
                    m.chunks,
                    m.vectors,
                    m.embedder.id,
                    m.embedder.dim,
                    m.schema_version
                );
                match compat.and_then(|()| readable(lease).map_err(|e| format!("{e:#}"))) {
                    Ok(()) => checks.push(check("index", Status::Ok, summary)),
                    Err(why) => {
                        checks.push(check("index", Status::Fail, format!("{summary}\n{why}")))
                    }
                }
                checks.extend(view_checks(settings, &m.views));
            }
            Err(err) => checks.push(check("index", Status::Fail, format!("{err:#}"))),
        },
        Ok(None) => checks.push(check(
            "index",
            Status::Warn,
            format!(
                "none at {}: run `kbctl ingest PATH...`",
                settings.index.display()
            ),
        )),
        Err(err) => checks.push(check("index", Status::Fail, format!("{err:#}"))),
    }

    let mut out = std::io::stdout().lock();
    let failed = checks.iter().any(|c| c.status == Status::Fail);
    let format = match args.format {
        SummaryFormat::Table => TableFormat::Table,
        SummaryFormat::Json => TableFormat::Json,
    };
    let rows = checks
        .iter()
        .map(|c| {
            vec![
                c.check.clone(),
                c.status.label().to_string(),
                c.detail.replace('\n', " | "),
            ]
        })
        .collect();
    Table {
        header: vec!["check", "status", "detail"],
        rows,
        records: &checks,
    }
    .write(format, &mut out)?;
    out.flush()?;
    Ok(crate::exit::outcome(failed, false))
}

/// Open the generation the way `search` does: every file read and checked against the
/// manifest, the BM25 index opened (without writing to it) and queried.
fn readable(lease: store::ReadLease) -> anyhow::Result<()> {
    let generation = store::read_leased(lease)?;
    let mut bm25 = Bm25::open(&generation.dir.join(store::TANTIVY_DIR))?;
    bm25.search("doctor", 1)?;
    Ok(())
}

/// One line per further view: the profile's views the index holds and whose model is
/// installed are used; the others degrade ranking, and the line says how to get them back.
fn view_checks(settings: &Settings, indexed: &[EmbedderInfo]) -> Vec<Check> {
    let wanted = settings.view_names();
    let mut out = Vec::new();
    for info in indexed {
        let label = format!("view {}", info.id);
        if !wanted.contains(&info.id) {
            out.push(check(
                &label,
                Status::Ok,
                format!(
                    "in the index, not used by the {} profile",
                    settings.profile.name()
                ),
            ));
            continue;
        }
        out.push(match embed::resolve(&info.id, &settings.home) {
            Ok(spec) if spec.dim() == info.dim => check(
                &label,
                Status::Ok,
                format!("in the index ({}-d) and installed: used", info.dim),
            ),
            Ok(spec) => check(
                &label,
                Status::Warn,
                format!(
                    "the index holds {}-d vectors but the installed model is {}-d: ranking without this view until `kbctl ingest --rebuild`",
                    info.dim,
                    spec.dim()
                ),
            ),
            Err(err) => check(
                &label,
                Status::Warn,
                format!("in the index but not installed, so ranking goes without it: {err}"),
            ),
        });
    }
    for name in wanted {
        if !indexed.iter().any(|i| i.id == name) {
            out.push(check(
                &format!("view {name}"),
                Status::Warn,
                "wanted by the profile but the index holds no vectors of it: run `kbctl ingest` again to add it",
            ));
        }
    }
    out
}
