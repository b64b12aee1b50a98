//! Manager reports from eval results: figures with definitions and baseline changes, charts as inline SVG, rendered through minijinja templates (HTML or Markdown).

pub mod svg;

use std::collections::BTreeMap;
use std::path::Path;

use minijinja::{AutoEscape, Environment, Value, context};
use polars::prelude::*;
use serde::Serialize;

use crate::config::GatesConfig;
use crate::error::UserError;
use crate::eval::Results;
use crate::eval::gates;
use crate::eval::metrics::Segment;
use crate::metric::{Better, Metric, Unit};
use crate::output::duration;
use svg::{Marker, Series, StackRow, palette};

pub const HTML_TEMPLATE: &str = "report.html.j2";
pub const MD_TEMPLATE: &str = "report.md.j2";
const BUILTIN_HTML: &str = include_str!("../../reports/templates/report.html.j2");
const BUILTIN_MD: &str = include_str!("../../reports/templates/report.md.j2");

/// One headline figure.
#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    pub key: String,
    pub label: String,
    /// Shown value, e.g. "20.8%".
    pub value: String,
    /// The exact value behind it (what tests and scripts compare with the results file).
    pub raw: Option<f64>,
    pub definition: String,
    /// For a proportion, the counts and the 95% interval behind it, e.g. "69 of 69 right,
    /// 95% CI 0.95-1.00"; empty for other figures.
    pub evidence: String,
    /// Change against the baseline, shown, e.g. "+2.1 pp"; empty without a baseline.
    pub change: String,
    pub regressed: bool,
    pub improved: bool,
}

/// A before/after row of the case-study table.
#[derive(Debug, Clone, Serialize)]
pub struct CaseRow {
    pub label: String,
    pub before: String,
    pub after: String,
}

/// A table row of a segment (category, language, channel, agent).
#[derive(Debug, Clone, Serialize)]
pub struct SegmentRow {
    pub value: String,
    pub tickets: usize,
    pub containment: String,
    pub draft: String,
    pub escalate: String,
    pub accuracy: String,
    pub frt_before: String,
    pub frt_after: String,
}

/// A row of the per-intent or per-category table: scores to two decimals, `n/a` where a class
/// was never predicted or never the gold label.
#[derive(Debug, Clone, Serialize)]
pub struct ClassRow {
    pub label: String,
    pub precision: String,
    pub recall: String,
    pub f1: String,
    pub support: usize,
    pub predicted: usize,
}

impl ClassRow {
    fn of(score: &crate::eval::classes::ClassScore) -> Self {
        let two = |v: Option<f64>| v.map_or("n/a".into(), |v| format!("{v:.2}"));
        Self {
            label: score.label.clone(),
            precision: two(score.precision),
            recall: two(score.recall),
            f1: two(score.f1),
            support: score.support,
            predicted: score.predicted,
        }
    }
}

/// Everything a template sees.
#[derive(Debug, Clone, Serialize)]
pub struct View {
    pub title: String,
    pub source: String,
    pub kbctl_version: String,
    pub tickets: usize,
    pub skipped: usize,
    pub labelled: usize,
    pub files: Vec<String>,
    pub auto_threshold: String,
    pub draft_threshold: String,
    pub has_baseline: bool,
    pub regressions: usize,
    /// The metrics that got worse than the baseline.
    pub regressed_metrics: Vec<String>,
    pub headline: Vec<Figure>,
    pub case_study: Vec<CaseRow>,
    pub segments: BTreeMap<String, Vec<SegmentRow>>,
    pub confusions: Vec<crate::eval::metrics::Confusion>,
    /// Precision, recall, F1 and support per intent and per category (`rasa test` style).
    pub intents: Vec<ClassRow>,
    pub categories: Vec<ClassRow>,
    pub gaps: Vec<crate::eval::gaps::Gap>,
    pub gates: Vec<gates::GateResult>,
    pub roi: Option<RoiView>,
    pub latency: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RoiView {
    pub currency: String,
    pub monthly_savings_gross: String,
    pub monthly_savings_net: String,
    pub payback_gross: String,
    pub payback_net: String,
    pub roi_gross: String,
    pub roi_net: String,
    pub horizon_months: u32,
    pub implementation_cost: String,
    pub monthly_running_cost: String,
}

/// Report format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Markdown,
}

pub fn percent(v: Option<f64>) -> String {
    v.map_or("n/a".into(), |v| format!("{:.1}%", v * 100.0))
}

fn money(v: f64, currency: &str) -> String {
    format!("{} {currency}", svg::format_number(v.round()))
}

fn months(v: Option<u32>) -> String {
    v.map_or("never".into(), |m| format!("{m} months"))
}

/// The figures shown at the top, in order: (metric, label).
const HEADLINE: &[(Metric, &str)] = &[
    (Metric::Containment, "Answered automatically"),
    (Metric::Accuracy, "Automatic answers that are right"),
    (
        Metric::EscalationRecall,
        "Tickets needing a person that reached one",
    ),
    (Metric::WrongRate, "Wrong automatic answers"),
    (Metric::FrtMedianBeforeS, "Median first response, before"),
    (
        Metric::FrtMedianAfterS,
        "Median first response, with the bot",
    ),
    (Metric::MonthlySavingsNet, "Net savings per month"),
    (Metric::PaybackMonthsNet, "Payback (net)"),
    (Metric::RoiNet, "ROI over the horizon (net)"),
];

/// What the successes of a headline proportion are, in the sentence under its value.
fn counted(metric: Metric) -> &'static str {
    match metric {
        Metric::Containment => "answered automatically",
        Metric::Accuracy => "right",
        Metric::EscalationRecall => "reached a person",
        Metric::WrongRate => "wrong",
        _ => "",
    }
}

/// "69 of 69 right, 95% CI 0.95-1.00".
fn evidence(metric: Metric, p: &crate::eval::metrics::Proportion) -> String {
    let what = counted(metric);
    let space = if what.is_empty() { "" } else { " " };
    format!(
        "{} of {}{space}{what}, 95% CI {:.2}-{:.2}",
        p.successes, p.trials, p.low, p.high
    )
}

fn show(metric: Metric, v: Option<f64>, currency: &str) -> String {
    let Some(v) = v else {
        return "n/a".into();
    };
    match metric.unit() {
        Unit::Seconds => duration(v),
        Unit::Money => money(v, currency),
        Unit::Months => format!("{v:.0} months"),
        Unit::Tickets => format!("{v:.0}"),
        Unit::Share | Unit::Ratio => percent(Some(v)),
    }
}

fn change(metric: Metric, delta: f64, currency: &str) -> String {
    let sign = if delta < 0.0 { "−" } else { "+" };
    match metric.unit() {
        Unit::Seconds => format!("{sign}{}", duration(delta.abs())),
        Unit::Money => format!("{sign}{}", money(delta.abs(), currency)),
        Unit::Months => format!("{delta:+.0} months"),
        Unit::Tickets => format!("{delta:+.0}"),
        Unit::Share | Unit::Ratio => format!("{:+.1} pp", delta * 100.0),
    }
}

/// Build the view (figures, tables) from results and an optional baseline.
pub fn view(results: &Results, baseline: Option<&Results>, source: &str) -> anyhow::Result<View> {
    let currency = results
        .roi
        .as_ref()
        .map_or("", |r| r.costs.currency.as_str());
    // Any worsening beyond noise counts in a report.
    let comparisons = baseline
        .map(|b| gates::compare(&results.metrics, &b.metrics, &GatesConfig::default()))
        .unwrap_or_default();
    let headline = HEADLINE
        .iter()
        .map(|&(metric, label)| {
            let key = metric.id();
            let raw = results.metrics.value(metric);
            let c = comparisons.iter().find(|c| c.metric == key);
            let delta = c.and_then(|c| c.delta);
            let better = |d: f64| match metric.better() {
                Some(Better::Higher) => d > 0.0,
                Some(Better::Lower) => d < 0.0,
                None => false,
            };
            Figure {
                key: key.into(),
                label: label.into(),
                value: show(metric, raw, currency),
                raw,
                // This build's wording: its captions carry no units (the card shows them),
                // while an older results file may say "seconds" beside hours.
                definition: metric.definition().to_string(),
                evidence: results
                    .proportions
                    .get(key)
                    .map(|p| evidence(metric, p))
                    .unwrap_or_default(),
                change: match delta {
                    None => String::new(),
                    Some(0.0) => "no change".into(),
                    Some(d) => change(metric, d, currency),
                },
                regressed: c.is_some_and(|c| c.regressed && c.delta.is_some_and(|d| d != 0.0)),
                improved: delta.is_some_and(better),
            }
        })
        .collect::<Vec<_>>();
    let regressed_metrics: Vec<String> = comparisons
        .iter()
        .filter(|c| c.regressed)
        .map(|c| c.metric.clone())
        .collect();
    let regressions = regressed_metrics.len();

    let mut segments = BTreeMap::new();
    for (field, rows) in &results.segments {
        segments.insert(field.clone(), segment_rows(rows)?);
    }
    let m = &results.metrics;
    let mut case_study = vec![
        CaseRow {
            label: "Time to first answer (median)".into(),
            before: show(Metric::FrtMedianBeforeS, m.frt_median_before_s, currency),
            after: show(Metric::FrtMedianAfterS, m.frt_median_after_s, currency),
        },
        CaseRow {
            label: "Time to first answer (90th percentile)".into(),
            before: show(Metric::FrtP90BeforeS, m.frt_p90_before_s, currency),
            after: show(Metric::FrtP90AfterS, m.frt_p90_after_s, currency),
        },
        CaseRow {
            label: "Share of tickets answered automatically".into(),
            before: "0.0%".into(),
            after: percent(m.containment),
        },
    ];
    if let Some(frt) = &results.frt {
        let p = &frt.projection;
        if let Some(human) = &p.human {
            case_study.push(CaseRow {
                // The same tickets, unchanged: the bot does not speed people up.
                label: "Median first response on the tickets people still answer".into(),
                before: duration(human.median_s),
                after: duration(human.median_s),
            });
        }
        if let Some(bot) = &p.bot {
            case_study.push(CaseRow {
                label: "First response on the bot's tickets".into(),
                before: "n/a".into(),
                after: duration(bot.median_s),
            });
        }
        let total: usize = frt.histogram_before.iter().sum();
        let first = |h: &[usize]| {
            percent((total > 0).then(|| h.first().copied().unwrap_or(0) as f64 / total as f64))
        };
        case_study.push(CaseRow {
            label: "Tickets answered within a minute".into(),
            before: first(&frt.histogram_before),
            after: first(&frt.histogram_after),
        });
    }
    match &results.roi {
        Some(r) => case_study.push(CaseRow {
            label: "Tickets handled by people per month".into(),
            before: svg::format_number(r.human_tickets_before.round()),
            after: svg::format_number(r.human_tickets_after.round()),
        }),
        None => {
            let auto = (m.containment.unwrap_or(0.0) * m.tickets as f64).round();
            case_study.push(CaseRow {
                label: "Replayed tickets handled by people".into(),
                before: m.tickets.to_string(),
                after: format!("{}", m.tickets as f64 - auto),
            });
        }
    }
    let roi = results.roi.as_ref().map(|r| RoiView {
        currency: r.costs.currency.clone(),
        monthly_savings_gross: money(r.roi.monthly_savings_gross, &r.costs.currency),
        monthly_savings_net: money(r.roi.monthly_savings_net, &r.costs.currency),
        payback_gross: months(r.roi.payback_months_gross),
        payback_net: months(r.roi.payback_months_net),
        roi_gross: percent(r.roi.roi_gross),
        roi_net: percent(r.roi.roi_net),
        horizon_months: r.roi.horizon_months,
        implementation_cost: money(r.costs.implementation_cost, &r.costs.currency),
        monthly_running_cost: money(r.costs.monthly_running_cost, &r.costs.currency),
    });
    Ok(View {
        title: "kbctl: what the bot would do on your history".into(),
        source: file_name(source),
        kbctl_version: results.kbctl_version.clone(),
        tickets: results.replay.tickets,
        skipped: results.replay.skipped,
        labelled: results.replay.labelled,
        files: results.replay.files.iter().map(|f| file_name(f)).collect(),
        auto_threshold: format!("{:.2}", results.policy.auto_threshold),
        draft_threshold: format!("{:.2}", results.policy.draft_threshold),
        has_baseline: baseline.is_some(),
        regressions,
        regressed_metrics,
        headline,
        case_study,
        segments,
        confusions: results.confusions.iter().take(10).cloned().collect(),
        intents: results.classes.intent.iter().map(ClassRow::of).collect(),
        categories: results.classes.category.iter().map(ClassRow::of).collect(),
        gaps: results.gaps.clone(),
        gates: results.gates.clone(),
        roi,
        latency: format!(
            "{} median, {} p99 per ticket; {:.0} tickets/s",
            duration(results.latency.p50_ms / 1000.0),
            duration(results.latency.p99_ms / 1000.0),
            results.latency.tickets_per_s
        ),
    })
}

/// A file's name without the folders it sat in: a report is shared beyond the machine that
/// ran it, and paths there (home folders, CI workspaces) are no one else's business.
fn file_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned())
}

/// Segment rows through polars: shares computed, largest segments first, the long tail folded
/// into "other" past twelve rows.
fn segment_rows(rows: &[Segment]) -> PolarsResult<Vec<SegmentRow>> {
    const SHOWN: usize = 12;
    let df = df!(
        "value" => rows.iter().map(|s| s.value.clone()).collect::<Vec<_>>(),
        "tickets" => rows.iter().map(|s| s.tickets as u64).collect::<Vec<_>>(),
        "auto" => rows.iter().map(|s| s.auto as u64).collect::<Vec<_>>(),
        "draft" => rows.iter().map(|s| s.draft as u64).collect::<Vec<_>>(),
        "escalate" => rows.iter().map(|s| s.escalate as u64).collect::<Vec<_>>(),
        "accuracy" => rows.iter().map(|s| s.accuracy).collect::<Vec<_>>(),
        "frt_before" => rows.iter().map(|s| s.frt_median_before_s).collect::<Vec<_>>(),
        "frt_after" => rows.iter().map(|s| s.frt_median_after_s).collect::<Vec<_>>(),
    )?;
    let ranked = df
        .lazy()
        .sort(
            ["tickets", "value"],
            SortMultipleOptions::default().with_order_descending_multi([true, false]),
        )
        .with_row_index("rank", None)
        .with_column(
            when(col("rank").lt(lit(SHOWN as u32)))
                .then(col("value"))
                .otherwise(lit("other"))
                .alias("value"),
        )
        .group_by_stable([col("value")])
        .agg([
            col("tickets").sum(),
            col("auto").sum(),
            col("draft").sum(),
            col("escalate").sum(),
            // Medians and accuracy of a folded tail are not recomputable from the segments.
            col("accuracy").first(),
            col("frt_before").first(),
            col("frt_after").first(),
            len().alias("members"),
        ])
        .collect()?;
    let s = |c: &str| -> PolarsResult<Vec<Option<String>>> {
        Ok(ranked
            .column(c)?
            .str()?
            .iter()
            .map(|v| v.map(String::from))
            .collect())
    };
    let u = |c: &str| -> PolarsResult<Vec<u64>> {
        let col = ranked.column(c)?.cast(&DataType::UInt64)?;
        Ok(col.u64()?.iter().map(|v| v.unwrap_or(0)).collect())
    };
    let f = |c: &str| -> PolarsResult<Vec<Option<f64>>> {
        Ok(ranked.column(c)?.f64()?.iter().collect())
    };
    let (values, tickets, auto, draft, escalate, members) = (
        s("value")?,
        u("tickets")?,
        u("auto")?,
        u("draft")?,
        u("escalate")?,
        u("members")?,
    );
    let (accuracy, before, after) = (f("accuracy")?, f("frt_before")?, f("frt_after")?);
    let share = |n: u64, of: u64| percent((of > 0).then(|| n as f64 / of as f64));
    let folded = |i: usize, v: String| if members[i] > 1 { "n/a".into() } else { v };
    Ok((0..ranked.height())
        .map(|i| SegmentRow {
            value: values[i].clone().unwrap_or_default(),
            tickets: tickets[i] as usize,
            containment: share(auto[i], tickets[i]),
            draft: share(draft[i], tickets[i]),
            escalate: share(escalate[i], tickets[i]),
            accuracy: folded(i, percent(accuracy[i])),
            frt_before: folded(i, before[i].map_or("n/a".into(), duration)),
            frt_after: folded(i, after[i].map_or("n/a".into(), duration)),
        })
        .collect())
}

/// The charts, as SVG strings, by name.
pub fn charts(results: &Results) -> BTreeMap<&'static str, String> {
    let mut out = BTreeMap::new();
    let curve = &results.curve;
    let series =
        |name: &str, color: &str, f: &dyn Fn(&crate::eval::curve::Point) -> Option<f64>| Series {
            name: name.into(),
            color: color.into(),
            points: curve
                .iter()
                .filter_map(|p| Some((f64::from(p.threshold), f(p)?)))
                .collect(),
        };
    let t = results.policy.auto_threshold;
    let at = curve.iter().find(|p| (p.threshold - t).abs() < 0.005);
    out.insert(
        "curve",
        svg::line_chart(
            "Containment and accuracy by auto-answer threshold",
            "auto-answer threshold",
            "share",
            &[
                series("containment", palette::GREEN, &|p| Some(p.containment)),
                series("accuracy of automatic answers", palette::BLUE, &|p| {
                    p.accuracy
                }),
                series("wrong answers (share of tickets)", palette::RED, &|p| {
                    Some(p.wrong_rate)
                }),
            ],
            at.map(|p| Marker {
                x: f64::from(p.threshold),
                y: p.containment,
                label: format!(
                    "operating point {:.2}: {} answered",
                    p.threshold,
                    percent(Some(p.containment))
                ),
            })
            .as_ref(),
            true,
        ),
    );
    let parts = [
        ("automatic", palette::GREEN),
        ("draft", palette::AMBER),
        ("escalated", palette::RED),
    ];
    for (field, name, title) in [
        ("category", "mix_category", "Decisions per category"),
        ("language", "mix_language", "Decisions per language"),
    ] {
        let rows: Vec<StackRow> = results
            .segments
            .get(field)
            .map(|s| {
                s.iter()
                    .take(14)
                    .map(|s| StackRow {
                        label: s.value.clone(),
                        values: vec![s.auto as f64, s.draft as f64, s.escalate as f64],
                    })
                    .collect()
            })
            .unwrap_or_default();
        out.insert(name, svg::stacked_bars(title, &parts, &rows));
    }
    if let Some(frt) = &results.frt {
        let counts = |h: &[usize]| h.iter().map(|&c| c as f64).collect::<Vec<_>>();
        // The last bin is open-ended.
        let mut edges = frt.histogram_edges_h.clone();
        edges.push(f64::INFINITY);
        out.insert(
            "frt",
            svg::histogram(
                "First-response time, before and with the bot",
                "time to first response (log scale)",
                "tickets",
                &edges,
                &[
                    (
                        "before".into(),
                        palette::GREY.into(),
                        counts(&frt.histogram_before),
                    ),
                    (
                        "with the bot".into(),
                        palette::GREEN.into(),
                        counts(&frt.histogram_after),
                    ),
                ],
                &svg::hours_edge,
            ),
        );
    }
    if let Some(roi) = &results.roi {
        out.insert(
            "cash_flow",
            svg::cash_flow(
                "Cumulative net cash flow",
                &roi.roi.cash_flow_net,
                roi.roi.payback_months_net.map(f64::from),
                &roi.costs.currency,
            ),
        );
    }
    let confusions: Vec<(String, f64)> = results
        .confusions
        .iter()
        .take(10)
        .map(|c| (format!("{} → {}", c.gold, c.predicted), c.count as f64))
        .collect();
    out.insert(
        "confusions",
        svg::bar_list(
            "Most frequent confusions (gold → predicted)",
            &confusions,
            palette::PURPLE,
        ),
    );
    let gaps: Vec<(String, f64)> = results
        .gaps
        .iter()
        .map(|g| {
            // The whole question: the chart wraps long labels instead of cutting them.
            let example = g.examples.first().map_or("", String::as_str);
            (example.to_string(), g.tickets as f64)
        })
        .collect();
    out.insert(
        "gaps",
        svg::bar_list(
            "Unanswered questions, grouped (tickets)",
            &gaps,
            palette::BLUE,
        ),
    );
    out
}

/// The auto-escape mode of Markdown templates.
const MARKDOWN: &str = "markdown";

/// A value made inert in Markdown: `&`, `<`, `>` as HTML entities (no tags, no `<img onerror>`),
/// the characters of links, images, code, emphasis and tables backslash-escaped (no
/// `![pixel](https://...)`), and line breaks flattened so a value stays in its table cell or
/// list item.
pub fn markdown_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '!' | '|' | '~' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\r' | '\n' | '\u{2028}' | '\u{2029}' => out.push(' '),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Render a report. `template_dir` may hold `report.html.j2` / `report.md.j2` overriding the built-in ones.
pub fn render(
    results: &Results,
    baseline: Option<&Results>,
    source: &str,
    format: Format,
    template_dir: Option<&Path>,
) -> anyhow::Result<String> {
    let (name, builtin) = match format {
        Format::Html => (HTML_TEMPLATE, BUILTIN_HTML),
        Format::Markdown => (MD_TEMPLATE, BUILTIN_MD),
    };
    let source_text = match template_dir {
        Some(dir) => {
            let path = dir.join(name);
            if path.is_file() {
                std::fs::read_to_string(&path)
                    .map_err(|err| UserError::Invalid(format!("{}: {err}", path.display())))?
            } else {
                builtin.to_string()
            }
        }
        None => builtin.to_string(),
    };
    let mut env = Environment::new();
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .keep_trailing_newline(true)
            .build()?,
    );
    // Cut a text to n characters, whitespace flattened: `{{ text|clip(120) }}`.
    env.add_filter("clip", |text: String, n: usize| {
        crate::output::ellipsize(&text, n)
    });
    if format == Format::Markdown {
        // Every value printed into Markdown is escaped (see [`markdown_escape`]) unless marked
        // safe: ticket texts, categories, agents and gap examples come from data, and the
        // report may end up in $GITHUB_STEP_SUMMARY, which renders HTML and images.
        env.set_auto_escape_callback(|_| AutoEscape::Custom(std::borrow::Cow::Borrowed(MARKDOWN)));
    }
    env.set_formatter(|out, state, value| {
        if matches!(state.auto_escape(), AutoEscape::Custom(name) if name == MARKDOWN) {
            let text = value.to_string();
            let text = if value.is_safe() {
                text
            } else {
                markdown_escape(&text)
            };
            return out.write_str(&text).map_err(minijinja::Error::from);
        }
        minijinja::escape_formatter(out, state, value)
    });
    env.add_template_owned(name, source_text)
        .map_err(|err| UserError::Invalid(format!("template {name}: {err}")))?;
    let view = view(results, baseline, source)?;
    // Charts are trusted SVG built here: marked safe so HTML escaping leaves them intact.
    let charts: BTreeMap<&str, Value> = charts(results)
        .into_iter()
        .map(|(k, v)| (k, Value::from_safe_string(v)))
        .collect();
    let template = env.get_template(name)?;
    let text = template
        .render(context! { r => minijinja::value::Serde(&view), charts => charts })
        .map_err(|err| UserError::Invalid(format!("template {name}: {err:#}")))?;
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &[&str] = &[
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "![pixel](https://evil.example/p.png)",
        "[click](javascript:alert(1)) `code` *bold* _it_ a|b",
    ];

    fn fixture() -> Results {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/eval/results.json");
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    #[test]
    fn markdown_escape_leaves_no_tag_link_image_code_or_cell_break() {
        assert_eq!(
            markdown_escape("<img src=x onerror=alert(1)> & ![p](https://e.x/p.png)"),
            "&lt;img src=x onerror=alert\\(1\\)&gt; &amp; \\!\\[p\\]\\(https://e.x/p.png\\)"
        );
        assert_eq!(
            markdown_escape("`a` *b* _c_ x|y \\ ~d~ #1"),
            "\\`a\\` \\*b\\* \\_c\\_ x\\|y \\\\ \\~d\\~ \\#1"
        );
        assert_eq!(
            markdown_escape("two\nlines\r\n| row |"),
            "two lines  \\| row \\|"
        );
        assert_eq!(markdown_escape("Faktura 12,5% — ok"), "Faktura 12,5% — ok");
    }

    #[test]
    fn data_in_the_markdown_report_is_escaped_everywhere_it_is_printed() {
        let mut r = fixture();
        r.gaps[0].examples[0] = HOSTILE[0].into();
        r.gaps[1].examples[0] = HOSTILE[2].into();
        r.gaps[0].languages[0] = HOSTILE[1].into();
        let categories = r.segments.get_mut("category").unwrap();
        categories[0].value = HOSTILE[1].into();
        categories[1].value = HOSTILE[3].into();
        r.segments.get_mut("language").unwrap()[0].value = HOSTILE[2].into();
        r.confusions[0].gold = HOSTILE[0].into();
        r.confusions[0].predicted = HOSTILE[2].into();
        let md = render(&r, None, "results.json", Format::Markdown, None).unwrap();
        for bad in [
            "<script", "<img", "![", "](", "`code`", "*bold*", "_it_", "a|b",
        ] {
            assert!(!md.contains(bad), "`{bad}` reached the Markdown:\n{md}");
        }
        assert!(
            md.contains("&lt;script&gt;alert\\(1\\)&lt;/script&gt;"),
            "{md}"
        );
        assert!(
            md.contains("\\!\\[pixel\\]\\(https://evil.example/p.png\\)"),
            "{md}"
        );
        assert!(
            md.contains("| &lt;img src=x onerror=alert\\(1\\)&gt; |"),
            "{md}"
        );
        // The template's own Markdown is left alone.
        assert!(
            md.contains("| tickets | automatic |") && md.contains("**Decisions per category**")
        );
        // HTML keeps its own escaping.
        let html = render(&r, None, "results.json", Format::Html, None).unwrap();
        assert!(!html.contains("<script") && !html.contains("<img"));
        assert!(html.contains("&lt;script&gt;"));
    }
}
