//! Inline SVG charts for the HTML report: the geometry is computed here, templates only embed the strings.
//!
//! Every chart is a complete `<svg>` element (no ids, no external resources, no scripts) with
//! `xmlns`, a `viewBox`, `width="100%"` and a capped `max-width`, `role="img"`, an `aria-label`
//! and a `<title>`, so several charts can be embedded in one HTML page without clashes.
//! All caller-supplied text is XML-escaped; long labels are ellipsized by characters.
//! Empty input, NaN/infinite values or nothing to draw give a framed "no data" chart, never a panic.

use std::fmt::Write as _;

/// Report palette (decision colours and neutral series colours).
pub mod palette {
    /// auto / bot
    pub const GREEN: &str = "#2e7d32";
    /// draft
    pub const AMBER: &str = "#f9a825";
    /// escalate / human
    pub const RED: &str = "#c62828";
    pub const BLUE: &str = "#1565c0";
    pub const PURPLE: &str = "#6a1b9a";
    pub const GREY: &str = "#757575";
}

pub struct Series {
    pub name: String,
    pub color: String,
    pub points: Vec<(f64, f64)>,
}

pub struct Marker {
    pub x: f64,
    pub y: f64,
    pub label: String,
}

/// One row of a 100%-stacked bar chart: one value per part (e.g. counts auto/draft/escalate).
pub struct StackRow {
    pub label: String,
    pub values: Vec<f64>,
}

// Fixed strings drawn into charts (kept in one place so they are easy to localize).
const NO_DATA: &str = "no data";
const BREAK_EVEN: &str = "break-even";
const MONTH: &str = "month";

// Geometry (viewBox units; the SVG scales to the container width).
const W: f64 = 760.0;
const PAD: f64 = 16.0;
const CHART_H: f64 = 360.0;
const LABEL_MAX_CHARS: usize = 32;
// Legends wrap onto more rows; only a name wider than the chart itself is cut.
const LEGEND_MAX_CHARS: usize = 110;
const FONT_FAMILY: &str = "system-ui,-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif";
const C_TEXT: &str = "#212121";
const C_MUTED: &str = "#616161";
const C_GRID: &str = "#e8e8e8";
const C_AXIS: &str = "#9e9e9e";
const C_ZERO: &str = "#424242";

macro_rules! w {
    ($o:expr, $($t:tt)*) => {{
        let _ = write!($o, $($t)*);
    }};
}

// ---------------------------------------------------------------------------------------------
// Public number helpers
// ---------------------------------------------------------------------------------------------

/// Round ticks with a 1-2-5 step covering `[min, max]` (first tick <= min, last tick >= max),
/// increasing, at most `max(max_ticks, 2)` of them. A zero-width range is widened around the
/// value (0 becomes 0..1). Returns an empty vector if a bound is NaN or infinite.
pub fn nice_ticks(min: f64, max: f64, max_ticks: usize) -> Vec<f64> {
    if !min.is_finite() || !max.is_finite() {
        return Vec::new();
    }
    let (mut lo, mut hi) = if min <= max { (min, max) } else { (max, min) };
    if hi == lo {
        if lo == 0.0 {
            hi = 1.0;
        } else {
            let d = lo.abs() * 0.1;
            lo -= d;
            hi += d;
        }
    }
    let span = hi - lo;
    if !span.is_finite() || span <= 0.0 {
        return vec![lo, hi];
    }
    let max_ticks = max_ticks.max(2);
    let raw = span / (max_ticks - 1) as f64;
    const MULTS: [f64; 3] = [1.0, 2.0, 5.0];
    let mut k = raw.log10().floor() as i32;
    let mut mi = 0usize;
    for _ in 0..200 {
        let m = MULTS[mi];
        let step = pow10_mul(m, k);
        if step.is_finite() && step > 0.0 && step >= raw * (1.0 - 1e-9) {
            let i0 = (lo / step + 1e-9).floor();
            let i1 = (hi / step - 1e-9).ceil();
            let count = i1 - i0 + 1.0;
            if count <= max_ticks as f64 {
                let n = count.max(1.0) as usize;
                let ticks: Vec<f64> = (0..n).map(|j| pow10_mul((i0 + j as f64) * m, k)).collect();
                if ticks.len() >= 2 {
                    return ticks;
                }
                return vec![lo, hi];
            }
        }
        mi += 1;
        if mi == MULTS.len() {
            mi = 0;
            k += 1;
        }
    }
    vec![lo, hi]
}

/// `v * 10^k` computed so that decimal steps stay exact-looking (0.1 * 3 == 0.3).
fn pow10_mul(v: f64, k: i32) -> f64 {
    if k >= 0 {
        v * 10f64.powi(k)
    } else {
        v / 10f64.powi(-k)
    }
}

/// Full number with at most 2 decimals and thin-space (U+2009) thousands separators:
/// `1600000.0` -> `"1 600 000"`, `-1234.5` -> `"-1 234.5"`. NaN/infinite -> `"—"`.
pub fn format_number(v: f64) -> String {
    if !v.is_finite() {
        return "—".to_string();
    }
    let s = fixed(v, 2);
    let (sign, rest) = match s.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", s.as_str()),
    };
    let (int, frac) = match rest.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (rest, None),
    };
    let mut out = String::with_capacity(s.len() + int.len() / 3 * 3);
    out.push_str(sign);
    let len = int.len();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (len - i) % 3 == 0 {
            out.push('\u{2009}');
        }
        out.push(ch);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// Compact axis form: `1600000.0` -> `"1.6M"`, `2500.0` -> `"2.5k"`, `-3800000.0` -> `"-3.8M"`,
/// `0.25` -> `"0.25"` (at most 2 decimals; units k, M, B, T). NaN/infinite -> `"—"`.
pub fn format_compact(v: f64) -> String {
    if !v.is_finite() {
        return "—".to_string();
    }
    const UNITS: [(f64, &str); 4] = [(1e3, "k"), (1e6, "M"), (1e9, "B"), (1e12, "T")];
    let a = v.abs();
    let body = if (a * 100.0).round() / 100.0 < 1000.0 {
        fixed(a, 2)
    } else {
        let mut body = String::new();
        for (i, (u, suffix)) in UNITS.iter().enumerate() {
            let m = a / u;
            if (m * 100.0).round() / 100.0 < 1000.0 || i == UNITS.len() - 1 {
                body = format!("{}{}", fixed(m, 2), suffix);
                break;
            }
        }
        body
    };
    if v < 0.0 && body != "0" {
        format!("-{body}")
    } else {
        body
    }
}

// ---------------------------------------------------------------------------------------------
// Private helpers
// ---------------------------------------------------------------------------------------------

/// Fixed-point with trailing zeros trimmed; never "-0"; non-finite -> "0".
fn fixed(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return "0".to_string();
    }
    let mut s = format!("{v:.decimals$}");
    if s.contains('.') {
        let t = s.trim_end_matches('0').trim_end_matches('.').len();
        s.truncate(t);
    }
    if s == "-0" {
        s = "0".to_string();
    }
    s
}

/// Coordinate formatting (1 decimal keeps the SVG compact).
fn n(v: f64) -> String {
    fixed(v, 1)
}

/// XML-escape text and attribute values; control characters (invalid in XML 1.0) become spaces.
fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 8);
    for ch in s.chars() {
        match ch {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            '\t' | '\n' | '\r' => o.push(' '),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => o.push(' '),
            c => o.push(c),
        }
    }
    o
}

/// Shorten to at most `max_chars` characters (not bytes), ending with "…" when cut.
fn ellipsize(s: &str, max_chars: usize) -> String {
    let s = s.trim();
    if s.chars().count() <= max_chars {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max_chars.saturating_sub(1)).collect();
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

/// Rough rendered width of a string in a sans-serif font of `size` px.
fn text_w(s: &str, size: f64) -> f64 {
    s.chars().count() as f64 * size * 0.6
}

/// Text colour with enough contrast on a `#rrggbb` background.
fn contrast_text(bg: &str) -> &'static str {
    let hex = bg.trim().trim_start_matches('#');
    if hex.len() == 6 && hex.is_ascii() {
        let p = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        if let (Some(r), Some(g), Some(b)) = (p(0), p(2), p(4)) {
            let l = 0.299 * f64::from(r) + 0.587 * f64::from(g) + 0.114 * f64::from(b);
            return if l > 150.0 { C_TEXT } else { "#fff" };
        }
    }
    "#fff"
}

fn finite_minmax(vals: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    vals.filter(|v| v.is_finite())
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((a, b)) => Some((a.min(v), b.max(v))),
        })
}

#[derive(Clone, Copy, Debug)]
struct Scale {
    d0: f64,
    d1: f64,
    r0: f64,
    r1: f64,
}

impl Scale {
    fn new(d0: f64, d1: f64, r0: f64, r1: f64) -> Self {
        Scale { d0, d1, r0, r1 }
    }
    fn map(&self, v: f64) -> f64 {
        if self.d1 == self.d0 || !v.is_finite() {
            return (self.r0 + self.r1) / 2.0;
        }
        self.r0 + (v - self.d0) / (self.d1 - self.d0) * (self.r1 - self.r0)
    }
    /// Like `map`, but clamped to the output range.
    fn map_clamped(&self, v: f64) -> f64 {
        let (a, b) = if self.r0 <= self.r1 {
            (self.r0, self.r1)
        } else {
            (self.r1, self.r0)
        };
        self.map(v).clamp(a, b)
    }
}

/// Plot area in viewBox coordinates.
#[derive(Clone, Copy, Debug)]
struct Plot {
    l: f64,
    t: f64,
    r: f64,
    b: f64,
}

fn svg_open(title: &str, h: f64) -> String {
    let t = esc(title);
    let vis = esc(&ellipsize(title, ((W - 2.0 * PAD) / (15.0 * 0.6)) as usize));
    let mut o = String::with_capacity(8192);
    w!(
        o,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" role="img" aria-label="{t}" style="max-width:{}px;height:auto;display:block" font-family="{FONT_FAMILY}" font-size="12" fill="{C_TEXT}">"##,
        n(W),
        n(h),
        n(W * 1.25)
    );
    w!(o, "<title>{t}</title>");
    w!(
        o,
        r##"<text x="{PAD}" y="22" font-size="15" font-weight="600">{vis}</text>"##
    );
    o
}

fn no_data(title: &str, h: f64) -> String {
    let mut o = svg_open(title, h);
    let (x0, y0, x1, y1) = (PAD, 36.0, W - PAD, h - PAD);
    w!(
        o,
        r##"<path d="M{} {}H{}V{}H{}Z" fill="#fafafa" stroke="{C_GRID}" stroke-dasharray="4 4"/>"##,
        n(x0),
        n(y0),
        n(x1),
        n(y1),
        n(x0)
    );
    w!(
        o,
        r##"<text x="{}" y="{}" text-anchor="middle" dy=".35em" font-size="13" fill="{C_MUTED}">{NO_DATA}</text>"##,
        n(W / 2.0),
        n((y0 + y1) / 2.0)
    );
    o.push_str("</svg>");
    o
}

#[derive(Clone, Copy, PartialEq)]
enum Swatch {
    Line,
    Block,
}

/// Legend rows under the title, left-aligned, wrapping. Returns (svg, number of rows).
fn legend(items: &[(&str, &str)], swatch: Swatch) -> (String, usize) {
    let mut o = String::new();
    if items.is_empty() {
        return (o, 0);
    }
    let mut x = PAD;
    let mut row = 0usize;
    for (name, color) in items {
        let name = ellipsize(name, LEGEND_MAX_CHARS);
        let iw = 18.0 + text_w(&name, 12.0) + 16.0;
        if x > PAD && x + iw > W - PAD {
            row += 1;
            x = PAD;
        }
        let y = legend_baseline(row);
        let color = esc(color);
        match swatch {
            Swatch::Line => w!(
                o,
                r##"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{color}" stroke-width="3" stroke-linecap="round"/>"##,
                n(x + 1.0),
                n(y - 4.0),
                n(x + 13.0),
                n(y - 4.0)
            ),
            Swatch::Block => w!(
                o,
                r##"<path d="M{} {}h11v11h-11z" fill="{color}"/>"##,
                n(x + 1.0),
                n(y - 10.0)
            ),
        }
        w!(
            o,
            r##"<text x="{}" y="{}" fill="{C_MUTED}">{}</text>"##,
            n(x + 18.0),
            n(y),
            esc(&name)
        );
        x += iw;
    }
    (o, row + 1)
}

fn legend_baseline(row: usize) -> f64 {
    47.0 + 18.0 * row as f64
}

/// y coordinate below the title (and legend rows, if any).
fn header_bottom(legend_rows: usize) -> f64 {
    34.0 + 18.0 * legend_rows as f64
}

/// Horizontal gridlines with right-aligned tick labels left of the plot.
fn y_grid(o: &mut String, p: &Plot, ys: &Scale, ticks: &[f64], labels: &[String]) {
    for (t, lab) in ticks.iter().zip(labels) {
        let y = ys.map(*t);
        w!(
            o,
            r##"<line x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="{C_GRID}"/>"##,
            n(p.l),
            n(p.r),
            y = n(y)
        );
        w!(
            o,
            r##"<text x="{}" y="{}" dy=".35em" text-anchor="end" font-size="11" fill="{C_MUTED}">{}</text>"##,
            n(p.l - 8.0),
            n(y),
            esc(lab)
        );
    }
}

/// Tick marks + labels under the plot at the given x positions, optional vertical gridlines.
fn x_ticks(o: &mut String, p: &Plot, at: &[(f64, String)], grid: bool) {
    for (x, lab) in at {
        if grid {
            w!(
                o,
                r##"<line x1="{x}" y1="{}" x2="{x}" y2="{}" stroke="{C_GRID}"/>"##,
                n(p.t),
                n(p.b),
                x = n(*x)
            );
        }
        w!(
            o,
            r##"<line x1="{x}" y1="{}" x2="{x}" y2="{}" stroke="{C_AXIS}"/>"##,
            n(p.b),
            n(p.b + 4.0),
            x = n(*x)
        );
        w!(
            o,
            r##"<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="{C_MUTED}">{}</text>"##,
            n(*x),
            n(p.b + 17.0),
            esc(lab)
        );
    }
}

fn axis_line(o: &mut String, p: &Plot) {
    w!(
        o,
        r##"<line x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="{C_AXIS}"/>"##,
        n(p.l),
        n(p.r),
        y = n(p.b)
    );
}

fn axis_titles(o: &mut String, p: &Plot, x_label: &str, y_label: &str) {
    if !x_label.trim().is_empty() {
        w!(
            o,
            r##"<text x="{}" y="{}" text-anchor="middle" fill="{C_MUTED}">{}</text>"##,
            n((p.l + p.r) / 2.0),
            n(p.b + 36.0),
            esc(&ellipsize(x_label, 80))
        );
    }
    if !y_label.trim().is_empty() {
        w!(
            o,
            r##"<text transform="translate({},{}) rotate(-90)" text-anchor="middle" fill="{C_MUTED}">{}</text>"##,
            n(PAD + 9.0),
            n((p.t + p.b) / 2.0),
            esc(&ellipsize(y_label, 40))
        );
    }
}

/// Left edge of the plot area given the y tick labels and whether there is a y axis title.
fn plot_left(y_labels: &[String], has_y_title: bool) -> f64 {
    let lw = y_labels.iter().map(|s| text_w(s, 11.0)).fold(0.0, f64::max);
    PAD + if has_y_title { 18.0 } else { 0.0 } + lw + 10.0
}

/// Text with a white halo so it stays readable over lines and bars.
fn halo_text(o: &mut String, x: f64, y: f64, anchor: &str, attrs: &str, text: &str) {
    w!(
        o,
        r##"<text x="{}" y="{}" text-anchor="{anchor}" stroke="#fff" stroke-width="3" stroke-linejoin="round" paint-order="stroke" {attrs}>{}</text>"##,
        n(x),
        n(y),
        esc(text)
    );
}

// ---------------------------------------------------------------------------------------------
// Charts
// ---------------------------------------------------------------------------------------------

/// Line chart: several series over a numeric x axis, an optional marked point (e.g. the chosen
/// operating point on a threshold curve), y optionally fixed to [0,1] shown as percent.
///
/// Points are drawn in the given order (not sorted); a NaN/infinite point breaks the line.
/// Without `y_percent` the y axis always includes 0. A series with a single finite point is
/// drawn as a dot. One `<path>` per series with >= 2 finite points.
pub fn line_chart(
    title: &str,
    x_label: &str,
    y_label: &str,
    series: &[Series],
    marker: Option<&Marker>,
    y_percent: bool,
) -> String {
    let ok = |p: &&(f64, f64)| p.0.is_finite() && p.1.is_finite();
    let marker = marker.filter(|m| m.x.is_finite() && m.y.is_finite());
    let pts = || {
        series
            .iter()
            .flat_map(|s| s.points.iter().filter(ok).copied())
            .chain(marker.map(|m| (m.x, m.y)))
    };
    let (Some((xmin, xmax)), Some((ymin, ymax))) = (
        finite_minmax(pts().map(|p| p.0)),
        finite_minmax(pts().map(|p| p.1)),
    ) else {
        return no_data(title, CHART_H);
    };
    if series.iter().all(|s| !s.points.iter().any(|p| ok(&p))) {
        return no_data(title, CHART_H);
    }
    let yt = if y_percent {
        nice_ticks(0.0, 1.0, 6)
    } else {
        nice_ticks(ymin.min(0.0), ymax.max(0.0), 6)
    };
    if yt.len() < 2 {
        return no_data(title, CHART_H);
    }
    let y_labels: Vec<String> = yt
        .iter()
        .map(|&v| {
            if y_percent {
                format!("{}%", fixed(v * 100.0, 1))
            } else {
                format_compact(v)
            }
        })
        .collect();

    let items: Vec<(&str, &str)> = series
        .iter()
        .map(|s| (s.name.as_str(), s.color.as_str()))
        .collect();
    let (leg, rows) = if series.len() > 1 {
        legend(&items, Swatch::Line)
    } else {
        (String::new(), 0)
    };
    let p = Plot {
        l: plot_left(&y_labels, !y_label.trim().is_empty()),
        t: header_bottom(rows) + 14.0,
        r: W - PAD - 8.0,
        b: CHART_H - 48.0,
    };
    let max_x_ticks = (((p.r - p.l) / 70.0) as usize).clamp(2, 10);
    let xt = nice_ticks(xmin, xmax, max_x_ticks);
    if xt.len() < 2 {
        return no_data(title, CHART_H);
    }
    let xs = Scale::new(xt[0], xt[xt.len() - 1], p.l, p.r);
    let ys = Scale::new(yt[0], yt[yt.len() - 1], p.b, p.t);

    let mut o = svg_open(title, CHART_H);
    o.push_str(&leg);
    y_grid(&mut o, &p, &ys, &yt, &y_labels);
    let xtl: Vec<(f64, String)> = xt.iter().map(|&v| (xs.map(v), format_compact(v))).collect();
    x_ticks(&mut o, &p, &xtl, true);
    axis_line(&mut o, &p);
    axis_titles(&mut o, &p, x_label, y_label);

    for s in series {
        let color = esc(&s.color);
        let finite: Vec<(f64, f64)> = s.points.iter().filter(ok).copied().collect();
        let name = esc(&s.name);
        if finite.len() >= 2 {
            let mut d = String::new();
            let mut pen_down = false;
            for &(x, y) in &s.points {
                if !(x.is_finite() && y.is_finite()) {
                    pen_down = false;
                    continue;
                }
                let (px, py) = (n(xs.map_clamped(x)), n(ys.map_clamped(y)));
                let cmd = if pen_down { 'L' } else { 'M' };
                w!(d, "{cmd}{px} {py}");
                pen_down = true;
            }
            w!(
                o,
                r##"<path d="{d}" fill="none" stroke="{color}" stroke-width="2" stroke-linejoin="round" stroke-linecap="round"><title>{name}</title></path>"##
            );
        }
        if finite.len() <= 24 {
            for &(x, y) in &finite {
                w!(
                    o,
                    r##"<circle cx="{}" cy="{}" r="{}" fill="{color}"/>"##,
                    n(xs.map_clamped(x)),
                    n(ys.map_clamped(y)),
                    if finite.len() == 1 { "4" } else { "2.5" }
                );
            }
        }
    }

    if let Some(m) = marker {
        let (mx, my) = (xs.map_clamped(m.x), ys.map_clamped(m.y));
        w!(
            o,
            r##"<path d="M{x} {y}V{b}M{x} {y}H{l}" stroke="{C_MUTED}" stroke-dasharray="3 3" fill="none"/>"##,
            x = n(mx),
            y = n(my),
            b = n(p.b),
            l = n(p.l)
        );
        w!(
            o,
            r##"<circle cx="{}" cy="{}" r="5" fill="{C_TEXT}" stroke="#fff" stroke-width="2"/>"##,
            n(mx),
            n(my)
        );
        let label = ellipsize(&m.label, 60);
        let lw = text_w(&label, 12.0);
        let (tx, anchor) = if mx + 10.0 + lw > p.r {
            (mx - 10.0, "end")
        } else {
            (mx + 10.0, "start")
        };
        let ty = if my - 10.0 < p.t + 12.0 {
            my + 20.0
        } else {
            my - 10.0
        };
        halo_text(&mut o, tx, ty, anchor, r#"font-weight="600""#, &label);
    }
    o.push_str("</svg>");
    o
}

/// Horizontal 100%-stacked bars, one row per label (e.g. decision mix per category), with the
/// share printed inside a segment when it is wide enough, and n (the row total) at the right end.
///
/// `values[j]` belongs to `parts[j]`; extra values are ignored, missing ones count as 0, and
/// negative/NaN values count as 0. One `<rect>` per non-zero segment. A row with total 0 shows
/// "no data" in place of the bar.
/// Horizontal layout of a bar chart with labels on the left and values on the right: the
/// bars start after the widest label and end before the widest value.
fn bar_span(labels: &[String], values: &[String], max_label: f64) -> (f64, f64) {
    let lw = labels
        .iter()
        .map(|s| text_w(s, 12.0))
        .fold(0.0, f64::max)
        .clamp(30.0, max_label);
    let vw = values.iter().map(|s| text_w(s, 11.0)).fold(0.0, f64::max);
    (PAD + lw + 10.0, W - PAD - vw - 10.0)
}

pub fn stacked_bars(title: &str, parts: &[(&str, &str)], rows: &[StackRow]) -> String {
    let clean = |v: f64| if v.is_finite() && v > 0.0 { v } else { 0.0 };
    let totals: Vec<f64> = rows
        .iter()
        .map(|r| r.values.iter().take(parts.len()).map(|&v| clean(v)).sum())
        .collect();
    if parts.is_empty() || rows.is_empty() || totals.iter().all(|&t| t <= 0.0) {
        return no_data(title, 160.0);
    }
    let (leg, lrows) = if parts.len() > 1 {
        legend(parts, Swatch::Block)
    } else {
        (String::new(), 0)
    };
    // A label longer than the label column wraps onto more lines and its row grows: never cut.
    let labels: Vec<Vec<String>> = rows
        .iter()
        .map(|r| wrap(&r.label, LABEL_MAX_CHARS))
        .collect();
    let widest: Vec<String> = labels.iter().flatten().cloned().collect();
    let n_labels: Vec<String> = totals
        .iter()
        .map(|&t| format!("n = {}", format_number(t)))
        .collect();
    let (bar_l, bar_r) = bar_span(&widest, &n_labels, 240.0);
    let bw = bar_r - bar_l;
    const BAR_H: f64 = 24.0;
    const GAP: f64 = 10.0;
    const LINE: f64 = 14.0;
    let row_h = |i: usize| (labels[i].len() as f64 * LINE).max(BAR_H);
    let top = header_bottom(lrows) + 10.0;
    let bars_bottom = top + (0..rows.len()).map(|i| row_h(i) + GAP).sum::<f64>() - GAP;
    let h = bars_bottom + 30.0;

    let mut o = svg_open(title, h);
    o.push_str(&leg);
    let mut row_top = top;
    for (i, row) in rows.iter().enumerate() {
        let cy = row_top + row_h(i) / 2.0;
        let y = cy - BAR_H / 2.0;
        row_top += row_h(i) + GAP;
        let first = cy - (labels[i].len() as f64 - 1.0) * LINE / 2.0;
        for (k, line) in labels[i].iter().enumerate() {
            w!(
                o,
                r##"<text x="{}" y="{}" dy=".35em" text-anchor="end">{}</text>"##,
                n(bar_l - 8.0),
                n(first + k as f64 * LINE),
                esc(line)
            );
        }
        let total = totals[i];
        if total > 0.0 {
            let mut x = bar_l;
            for (j, (pname, pcolor)) in parts.iter().enumerate() {
                let v = clean(row.values.get(j).copied().unwrap_or(0.0));
                if v <= 0.0 {
                    continue;
                }
                let share = v / total;
                let sw = share * bw;
                let pct = format!("{}%", fixed(share * 100.0, 0));
                w!(
                    o,
                    r##"<rect x="{}" y="{}" width="{}" height="{BAR_H}" fill="{}" stroke="#fff" stroke-width="1"><title>{} — {}: {} ({})</title></rect>"##,
                    n(x),
                    n(y),
                    n(sw),
                    esc(pcolor),
                    esc(&row.label),
                    esc(pname),
                    esc(&format_number(v)),
                    esc(&pct)
                );
                if sw >= text_w(&pct, 11.0) + 8.0 {
                    w!(
                        o,
                        r##"<text x="{}" y="{}" dy=".35em" text-anchor="middle" font-size="11" fill="{}">{}</text>"##,
                        n(x + sw / 2.0),
                        n(cy),
                        contrast_text(pcolor),
                        esc(&pct)
                    );
                }
                x += sw;
            }
        } else {
            w!(
                o,
                r##"<text x="{}" y="{}" dy=".35em" font-size="11" font-style="italic" fill="{C_MUTED}">{NO_DATA}</text>"##,
                n(bar_l + 6.0),
                n(cy)
            );
        }
        w!(
            o,
            r##"<text x="{}" y="{}" dy=".35em" font-size="11" fill="{C_MUTED}">{}</text>"##,
            n(bar_r + 8.0),
            n(cy),
            esc(&n_labels[i])
        );
    }
    let p = Plot {
        l: bar_l,
        t: top,
        r: bar_r,
        b: bars_bottom + 4.0,
    };
    let at: Vec<(f64, String)> = [0.0, 25.0, 50.0, 75.0, 100.0]
        .iter()
        .map(|&pc| (bar_l + pc / 100.0 * bw, format!("{pc}%")))
        .collect();
    x_ticks(&mut o, &p, &at, false);
    o.push_str("</svg>");
    o
}

/// Bin-edge tick label: compact number, "∞" for an open last bin.
fn fmt_edge(v: f64) -> String {
    if v.is_infinite() && v > 0.0 {
        "∞".to_string()
    } else {
        format_compact(v)
    }
}

/// A bin edge given in hours, in the unit a reader expects: "0", "1 min", "15 min", "2 h", "2 d", "∞".
pub fn hours_edge(h: f64) -> String {
    match h {
        h if h.is_infinite() => fmt_edge(h),
        h if h <= 0.0 => "0".into(),
        h if h < 1.0 => format!("{} min", format_compact((h * 60.0 * 10.0).round() / 10.0)),
        h if h < 24.0 => format!("{} h", format_compact(h)),
        h => format!("{} d", format_compact((h / 24.0 * 10.0).round() / 10.0)),
    }
}

/// Two distributions side by side as grouped histogram bars over shared bins (e.g. first-response
/// time in hours before and with the bot). `bins` are the bin edges (len = counts.len()+1); each
/// series gives counts per bin; `y_label` names what is counted; `edge` formats a bin edge for the
/// x axis.
///
/// Bins are drawn to scale: on a linear axis, or on a logarithmic one when the edges span more than
/// a decade (a first edge of 0 then sits one average bin left of the second). The last edge may be
/// `f64::INFINITY` ("∞"): that open bin is drawn as wide as the average bin. Edges must be finite
/// otherwise and strictly increasing, else "no data". Counts beyond the bins are ignored, missing
/// ones are 0. One `<rect>` per non-zero count.
pub fn histogram(
    title: &str,
    x_label: &str,
    y_label: &str,
    bins: &[f64],
    series: &[(String, String, Vec<f64>)],
    edge: &dyn Fn(f64) -> String,
) -> String {
    let nb = bins.len().saturating_sub(1);
    let edges_ok = nb >= 1
        && bins[..nb].iter().all(|v| v.is_finite())
        && (bins[nb].is_finite() || bins[nb] == f64::INFINITY)
        && bins.windows(2).all(|w| w[0] < w[1]);
    let clean = |v: f64| if v.is_finite() && v > 0.0 { v } else { 0.0 };
    let count =
        |s: &(String, String, Vec<f64>), i: usize| clean(s.2.get(i).copied().unwrap_or(0.0));
    let maxc = series
        .iter()
        .flat_map(|s| (0..nb).map(move |i| count(s, i)))
        .fold(0.0, f64::max);
    if !edges_ok || series.is_empty() || maxc <= 0.0 {
        return no_data(title, CHART_H);
    }
    let yt = nice_ticks(0.0, maxc, 6);
    if yt.len() < 2 {
        return no_data(title, CHART_H);
    }
    let y_labels: Vec<String> = yt.iter().map(|&v| format_compact(v)).collect();
    let items: Vec<(&str, &str)> = series
        .iter()
        .map(|s| (s.0.as_str(), s.1.as_str()))
        .collect();
    let (leg, rows) = if series.len() > 1 {
        legend(&items, Swatch::Block)
    } else {
        (String::new(), 0)
    };
    let p = Plot {
        l: plot_left(&y_labels, !y_label.trim().is_empty()),
        t: header_bottom(rows) + 14.0,
        r: W - PAD - 8.0,
        b: CHART_H - 48.0,
    };
    let ys = Scale::new(0.0, yt[yt.len() - 1], p.b, p.t);
    let at = edge_positions(bins);
    let xs = Scale::new(at[0], at[nb], p.l, p.r);

    let mut o = svg_open(title, CHART_H);
    o.push_str(&leg);
    y_grid(&mut o, &p, &ys, &yt, &y_labels);

    let k = series.len() as f64;
    for i in 0..nb {
        let (left, right) = (xs.map(at[i]), xs.map(at[i + 1]));
        let group = (right - left) * 0.9;
        let x0 = left + (right - left - group) / 2.0;
        let bw = group / k;
        let gap = if bw > 4.0 { 1.0 } else { 0.0 };
        let range = format!("{}–{}", edge(bins[i]), edge(bins[i + 1]));
        for (j, s) in series.iter().enumerate() {
            let c = count(s, i);
            if c <= 0.0 {
                continue;
            }
            let y = ys.map_clamped(c);
            w!(
                o,
                r##"<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {} ({})</title></rect>"##,
                n(x0 + j as f64 * bw + gap / 2.0),
                n(y),
                n((bw - gap).max(0.5)),
                n(p.b - y),
                esc(&s.1),
                esc(&s.0),
                esc(&format_number(c)),
                esc(&range)
            );
        }
    }
    // Edge labels left to right, each kept only when it clears the one before.
    let mut ticks: Vec<(f64, String)> = Vec::new();
    let mut clear_from = f64::NEG_INFINITY;
    for (i, &e) in bins.iter().enumerate() {
        let label = edge(e);
        let x = xs.map(at[i]);
        let half = text_w(&label, 11.0) / 2.0;
        if x - half >= clear_from {
            clear_from = x + half + 6.0;
            ticks.push((x, label));
        }
    }
    x_ticks(&mut o, &p, &ticks, false);
    axis_line(&mut o, &p);
    axis_titles(&mut o, &p, x_label, y_label);
    o.push_str("</svg>");
    o
}

/// Where each bin edge sits on the x axis, in axis units: the edge itself on a linear axis, its
/// log10 on a logarithmic one (chosen when the positive edges span more than a decade). A first
/// edge of 0 on a log axis and an infinite last edge each get the average width of the other bins.
fn edge_positions(bins: &[f64]) -> Vec<f64> {
    let finite: Vec<f64> = bins.iter().copied().filter(|v| v.is_finite()).collect();
    let positive: Vec<f64> = finite.iter().copied().filter(|&v| v > 0.0).collect();
    let log = positive.len() >= 2
        && finite.iter().all(|&v| v >= 0.0)
        && positive[positive.len() - 1] / positive[0] > 10.0;
    let mut at: Vec<Option<f64>> = bins
        .iter()
        .map(|&v| match v {
            v if !v.is_finite() => None,
            v if log && v <= 0.0 => None,
            v if log => Some(v.log10()),
            v => Some(v),
        })
        .collect();
    let known: Vec<f64> = at.iter().flatten().copied().collect();
    let average = match known.as_slice() {
        [first, .., last] => (last - first) / (known.len() - 1) as f64,
        _ => 1.0,
    };
    if at[0].is_none() {
        at[0] = Some(known.first().map_or(0.0, |v| v - average));
    }
    let last = at.len() - 1;
    if at[last].is_none() {
        at[last] = Some(at[last - 1].unwrap_or(0.0) + average);
    }
    at.into_iter().map(|v| v.unwrap_or(0.0)).collect()
}

/// Geometry of the cash-flow chart (shared with the tests).
struct CashLayout {
    p: Plot,
    slot: f64,
    ys: Scale,
    yt: Vec<f64>,
    y_labels: Vec<String>,
}

impl CashLayout {
    fn new(months: &[f64], currency: &str) -> Option<Self> {
        let (lo, hi) = finite_minmax(months.iter().copied())?;
        if lo == 0.0 && hi == 0.0 {
            return None;
        }
        let yt = nice_ticks(lo.min(0.0), hi.max(0.0), 7);
        if yt.len() < 2 {
            return None;
        }
        let y_labels: Vec<String> = yt.iter().map(|&v| format_compact(v)).collect();
        let p = Plot {
            l: plot_left(&y_labels, !currency.trim().is_empty()),
            t: header_bottom(0) + 14.0,
            r: W - PAD - 8.0,
            b: CHART_H - 48.0,
        };
        let ys = Scale::new(yt[0], yt[yt.len() - 1], p.b, p.t);
        Some(CashLayout {
            p,
            slot: (p.r - p.l) / months.len() as f64,
            ys,
            yt,
            y_labels,
        })
    }

    /// x of month `m` (the centre of bar `m`; fractional months interpolate linearly).
    fn month_x(&self, m: f64) -> f64 {
        self.p.l + (m + 0.5) * self.slot
    }
}

/// Cash flow: bars of cumulative net position per month (red below zero, green above), a line
/// through them, a zero line, and a vertical dashed marker + label at the break-even month
/// (if any within the horizon). `currency` is a suffix such as "RUB".
///
/// `months[i]` is the cumulative net position at the end of month `i`, i.e. the index is the
/// month number and the x axis is labelled 0, 1, 2, ...; element 0 is normally month 0 =
/// `-implementation_cost`. `break_even` is on the same axis (fractional months allowed, e.g.
/// 3.4 = 40% into the step from month 3 to month 4) and is drawn only if it lies within
/// `0..=months.len()-1`. NaN entries are skipped (gap in the line). All-zero / empty -> "no data".
pub fn cash_flow(title: &str, months: &[f64], break_even: Option<f64>, currency: &str) -> String {
    let Some(lay) = CashLayout::new(months, currency) else {
        return no_data(title, CHART_H);
    };
    let p = lay.p;
    let cur = currency.trim();
    let with_cur = |s: String| {
        if cur.is_empty() {
            s
        } else {
            format!("{s} {cur}")
        }
    };

    let mut o = svg_open(title, CHART_H);
    y_grid(&mut o, &p, &lay.ys, &lay.yt, &lay.y_labels);
    axis_titles(&mut o, &p, MONTH, cur);

    let bw = (lay.slot * 0.7).min(48.0);
    let y0 = lay.ys.map(0.0);
    for (i, &v) in months.iter().enumerate() {
        if !v.is_finite() {
            continue;
        }
        let cx = lay.month_x(i as f64);
        let y = lay.ys.map(v);
        let (top, hgt) = if v >= 0.0 { (y, y0 - y) } else { (y0, y - y0) };
        let color = if v < 0.0 {
            palette::RED
        } else {
            palette::GREEN
        };
        w!(
            o,
            r##"<rect x="{}" y="{}" width="{}" height="{}" fill="{color}" fill-opacity="0.75"><title>{MONTH} {i}: {}</title></rect>"##,
            n(cx - bw / 2.0),
            n(top),
            n(bw),
            n(hgt),
            esc(&with_cur(format_number(v)))
        );
    }
    // zero line
    w!(
        o,
        r##"<line class="zero" x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="{C_ZERO}" stroke-width="1.2"/>"##,
        n(p.l),
        n(p.r),
        y = n(y0)
    );
    // line through the bar tops
    let finite_count = months.iter().filter(|v| v.is_finite()).count();
    if finite_count >= 2 {
        let mut d = String::new();
        let mut pen = false;
        for (i, &v) in months.iter().enumerate() {
            if !v.is_finite() {
                pen = false;
                continue;
            }
            let cmd = if pen { 'L' } else { 'M' };
            w!(d, "{cmd}{} {}", n(lay.month_x(i as f64)), n(lay.ys.map(v)));
            pen = true;
        }
        w!(
            o,
            r##"<path d="{d}" fill="none" stroke="{C_ZERO}" stroke-width="2" stroke-linejoin="round"/>"##
        );
    }
    if months.len() <= 36 {
        for (i, &v) in months.iter().enumerate() {
            if v.is_finite() {
                w!(
                    o,
                    r##"<circle cx="{}" cy="{}" r="2.5" fill="{C_ZERO}"/>"##,
                    n(lay.month_x(i as f64)),
                    n(lay.ys.map(v))
                );
            }
        }
    }
    // x ticks: every k-th month so labels do not collide
    let maxw = text_w(&months.len().to_string(), 11.0) + 10.0;
    let every = [1usize, 2, 3, 6, 12, 24, 60, 120]
        .into_iter()
        .find(|&k| k as f64 * lay.slot >= maxw)
        .unwrap_or_else(|| (maxw / lay.slot).ceil() as usize);
    let at: Vec<(f64, String)> = (0..months.len())
        .filter(|i| i % every == 0)
        .map(|i| (lay.month_x(i as f64), i.to_string()))
        .collect();
    x_ticks(&mut o, &p, &at, false);

    // final position label
    if let Some((i, &v)) = months.iter().enumerate().rev().find(|(_, v)| v.is_finite()) {
        let x = lay.month_x(i as f64);
        let y = lay.ys.map(v);
        let ty = if v >= 0.0 { y - 8.0 } else { y + 16.0 };
        let ty = ty.clamp(p.t + 10.0, p.b - 4.0);
        halo_text(
            &mut o,
            x.min(p.r),
            ty,
            "end",
            r#"font-size="11" font-weight="600""#,
            &with_cur(format_compact(v)),
        );
    }

    // break-even marker
    let last = (months.len() - 1) as f64;
    if let Some(b) = break_even.filter(|b| b.is_finite() && *b >= 0.0 && *b <= last) {
        let x = lay.month_x(b);
        w!(
            o,
            r##"<line class="break-even" x1="{x}" y1="{}" x2="{x}" y2="{}" stroke="{C_TEXT}" stroke-width="1.5" stroke-dasharray="5 4"/>"##,
            n(p.t),
            n(p.b),
            x = n(x)
        );
        let label = format!("{BREAK_EVEN}: {MONTH} {}", fixed(b, 1));
        let lw = text_w(&label, 12.0);
        let (tx, anchor) = if x + 6.0 + lw > p.r {
            (x - 6.0, "end")
        } else {
            (x + 6.0, "start")
        };
        halo_text(
            &mut o,
            tx,
            p.t + 12.0,
            anchor,
            r#"font-weight="600""#,
            &label,
        );
    }
    o.push_str("</svg>");
    o
}

/// Words of `s` in lines of at most `max_chars` characters (a longer word is split), so a label
/// is shown whole instead of cut with "…".
fn wrap(s: &str, max_chars: usize) -> Vec<String> {
    let max_chars = max_chars.max(1);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in s.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        while word.len() > max_chars {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            lines.push(word.drain(..max_chars).collect());
        }
        let word: String = word.into_iter().collect();
        let len = line.chars().count();
        if len > 0 && len + 1 + word.chars().count() > max_chars {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Simple horizontal bar list (e.g. the most frequent confusions, KB-gap clusters): each label
/// whole on the lines above its bar (wrapped, never cut), the value at the bar's end.
///
/// Items are drawn in the given order (sort before calling). Bars scale from 0 to the largest
/// value; negative/NaN values get no bar (value still printed, NaN as "—"). One `<rect>` per
/// item with a positive value. All values <= 0 or empty -> "no data".
pub fn bar_list(title: &str, items: &[(String, f64)], color: &str) -> String {
    let maxv = items
        .iter()
        .map(|i| i.1)
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    if items.is_empty() || maxv <= 0.0 {
        return no_data(title, 160.0);
    }
    const FONT: f64 = 13.0;
    const LINE: f64 = 17.0;
    const BAR_H: f64 = 14.0;
    const GAP: f64 = 12.0;
    let per_line = ((W - 2.0 * PAD) / (FONT * 0.6)).floor() as usize;
    let labels: Vec<Vec<String>> = items.iter().map(|i| wrap(&i.0, per_line)).collect();
    let values: Vec<String> = items.iter().map(|i| format_number(i.1)).collect();
    let widest_value = values.iter().map(|v| text_w(v, 11.0)).fold(0.0, f64::max);
    let (bar_l, bar_r) = (PAD, W - PAD - widest_value - 8.0);
    let xs = Scale::new(0.0, maxv, bar_l, bar_r);
    let top = header_bottom(0) + 6.0;
    let rows: f64 = labels
        .iter()
        .map(|l| l.len() as f64 * LINE + BAR_H + GAP)
        .sum();
    let h = top + rows - GAP + PAD;
    let color_e = esc(color);

    let mut o = svg_open(title, h);
    let mut y = top;
    for (i, (label, v)) in items.iter().enumerate() {
        for line in &labels[i] {
            y += LINE;
            w!(
                o,
                r##"<text x="{}" y="{}" font-size="{FONT}">{}</text>"##,
                n(bar_l),
                n(y - 4.0),
                esc(line)
            );
        }
        let mut end = bar_l;
        if v.is_finite() && *v > 0.0 {
            end = xs.map(*v);
            w!(
                o,
                r##"<rect x="{}" y="{}" width="{}" height="{BAR_H}" fill="{color_e}"><title>{}: {}</title></rect>"##,
                n(bar_l),
                n(y),
                n((end - bar_l).max(0.5)),
                esc(label),
                esc(&values[i])
            );
        }
        w!(
            o,
            r##"<text x="{}" y="{}" dy=".35em" font-size="11" fill="{C_MUTED}">{}</text>"##,
            n(end + 6.0),
            n(y + BAR_H / 2.0),
            esc(&values[i])
        );
        y += BAR_H + GAP;
    }
    o.push_str("</svg>");
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Minimal well-formedness check: balanced tags, quoted attributes, valid entities,
    /// no raw `<`/`>` in text. Returns the sequence of element names opened.
    fn check_xml(s: &str) -> Vec<String> {
        fn check_entities(t: &str) {
            let mut rest = t;
            while let Some(i) = rest.find('&') {
                rest = &rest[i + 1..];
                let end = rest.find(';').expect("unterminated entity");
                let ent = &rest[..end];
                let ok = matches!(ent, "amp" | "lt" | "gt" | "quot" | "apos")
                    || (ent.starts_with('#') && ent[1..].chars().all(|c| c.is_ascii_digit()));
                assert!(ok, "bad entity &{ent};");
            }
        }
        let mut stack: Vec<String> = Vec::new();
        let mut opened = Vec::new();
        let mut i = 0;
        while let Some(off) = s[i..].find('<') {
            let text = &s[i..i + off];
            assert!(!text.contains('>'), "raw > in text: {text}");
            check_entities(text);
            let start = i + off + 1;
            let end = start + s[start..].find('>').expect("unterminated tag");
            let tag = &s[start..end];
            assert!(!tag.contains('<'), "< inside tag: {tag}");
            if let Some(name) = tag.strip_prefix('/') {
                let top = stack.pop().expect("close without open");
                assert_eq!(top, name.trim(), "mismatched close");
            } else {
                let self_closing = tag.ends_with('/');
                let body = tag.trim_end_matches('/');
                let name_end = body.find(char::is_whitespace).unwrap_or(body.len());
                let name = &body[..name_end];
                assert!(
                    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric()),
                    "bad tag name {name:?}"
                );
                // attributes: name="value" pairs
                let mut attrs = body[name_end..].trim_start();
                while !attrs.is_empty() {
                    let eq = attrs.find("=\"").expect("attribute without =\"");
                    let an = &attrs[..eq];
                    assert!(
                        an.chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ':'),
                        "bad attribute name {an:?}"
                    );
                    let vstart = eq + 2;
                    let vend = vstart + attrs[vstart..].find('"').expect("unterminated value");
                    check_entities(&attrs[vstart..vend]);
                    attrs = attrs[vend + 1..].trim_start();
                }
                opened.push(name.to_string());
                if !self_closing {
                    stack.push(name.to_string());
                }
            }
            i = end + 1;
        }
        assert!(s[i..].trim().is_empty(), "trailing text");
        assert!(stack.is_empty(), "unclosed tags: {stack:?}");
        assert_eq!(opened.first().map(String::as_str), Some("svg"));
        opened
    }

    fn check_svg(s: &str, title: &str) {
        check_xml(s);
        assert!(s.starts_with(r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 "#));
        assert!(s.contains(r#"width="100%""#));
        assert!(s.contains(r#"role="img""#));
        assert!(s.contains(&format!("<title>{}</title>", esc(title))));
        assert!(
            !s.contains("NaN") && !s.contains("inf"),
            "non-finite number in output"
        );
    }

    fn count(s: &str, needle: &str) -> usize {
        s.matches(needle).count()
    }

    fn assert_no_data(s: &str, title: &str) {
        check_svg(s, title);
        assert!(s.contains(NO_DATA), "expected no-data chart: {s}");
        assert_eq!(count(s, "<rect"), 0);
    }

    const NASTY: &str = r#"A <b> & "q" 'x'"#;
    const NASTY_ESC: &str = "A &lt;b&gt; &amp; &quot;q&quot; &apos;x&apos;";
    const LONG_RU: &str =
        "Возврат денежных средств за неиспользованную подписку и перерасчёт тарифа";

    fn assert_nice(ticks: &[f64], lo: f64, hi: f64, max_ticks: usize) {
        assert!(
            ticks.len() >= 2 && ticks.len() <= max_ticks.max(2),
            "{ticks:?}"
        );
        assert!(
            ticks[0] <= lo + 1e-9 * lo.abs().max(1.0),
            "{ticks:?} !<= {lo}"
        );
        assert!(
            *ticks.last().unwrap() >= hi - 1e-9 * hi.abs().max(1.0),
            "{ticks:?} !>= {hi}"
        );
        let step = (ticks[ticks.len() - 1] - ticks[0]) / (ticks.len() - 1) as f64;
        assert!(step > 0.0);
        for w in ticks.windows(2) {
            assert!(
                (w[1] - w[0] - step).abs() <= step * 1e-6,
                "uneven {ticks:?}"
            );
        }
        // step is 1, 2 or 5 times a power of ten
        let e = step.log10().floor();
        let m = step / 10f64.powf(e);
        assert!(
            [1.0, 2.0, 5.0, 10.0].iter().any(|c| (m - c).abs() < 1e-6),
            "step {step} not 1-2-5"
        );
        for t in ticks {
            let k = t / step;
            assert!(
                (k - k.round()).abs() < 1e-6 * k.abs().max(1.0),
                "tick {t} not a multiple of {step}"
            );
        }
    }

    #[test]
    fn nice_ticks_ranges() {
        let t = nice_ticks(0.0, 1.0, 6);
        assert_eq!(t, vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
        assert_nice(&nice_ticks(0.0, 17.0, 6), 0.0, 17.0, 6);
        assert_eq!(nice_ticks(0.0, 17.0, 6), vec![0.0, 5.0, 10.0, 15.0, 20.0]);
        let t = nice_ticks(-1_600_000.0, 3_800_000.0, 7);
        assert_nice(&t, -1_600_000.0, 3_800_000.0, 7);
        assert_eq!(t[0], -2_000_000.0);
        for (lo, hi, k) in [
            (5.0, 5.0, 6),
            (0.0, 0.0, 6),
            (-3.0, -3.0, 5),
            (0.3, 0.7, 5),
            (0.001, 0.0013, 6),
            (17.0, 0.0, 6),
            (-1e9, 1e12, 8),
            (123_456.0, 123_457.0, 10),
            (0.0, 1.0, 0),
            (0.0, 1.0, 1),
        ] {
            let t = nice_ticks(lo, hi, k);
            assert_nice(&t, lo.min(hi), hi.max(lo), k);
        }
        assert!(nice_ticks(f64::NAN, 1.0, 5).is_empty());
        assert!(nice_ticks(0.0, f64::INFINITY, 5).is_empty());
        // no float noise in tick labels
        let labels: Vec<String> = nice_ticks(0.0, 0.7, 8)
            .iter()
            .map(|&v| format_compact(v))
            .collect();
        assert_eq!(
            labels,
            ["0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7"]
        );
    }

    #[test]
    fn number_formats() {
        assert_eq!(format_number(1_600_000.0), "1\u{2009}600\u{2009}000");
        assert_eq!(format_number(-1234.5), "-1\u{2009}234.5");
        assert_eq!(format_number(999.0), "999");
        assert_eq!(format_number(0.126), "0.13");
        assert_eq!(format_number(-0.001), "0");
        assert_eq!(format_number(f64::NAN), "—");
        assert_eq!(format_compact(1_600_000.0), "1.6M");
        assert_eq!(format_compact(-3_800_000.0), "-3.8M");
        assert_eq!(format_compact(2500.0), "2.5k");
        assert_eq!(format_compact(999_999.0), "1M");
        assert_eq!(format_compact(999.999), "1k");
        assert_eq!(format_compact(12.0), "12");
        assert_eq!(format_compact(0.25), "0.25");
        assert_eq!(format_compact(-0.0), "0");
        assert_eq!(format_compact(2e9), "2B");
        assert_eq!(format_compact(f64::INFINITY), "—");
        assert_eq!(ellipsize("абвгд", 3), "аб…");
        assert_eq!(ellipsize("абв", 3), "абв");
        assert_eq!(ellipsize("ab cd", 4), "ab…");
        assert_eq!(esc(NASTY), NASTY_ESC);
    }

    fn series(name: &str, color: &str, pts: &[(f64, f64)]) -> Series {
        Series {
            name: name.into(),
            color: color.into(),
            points: pts.to_vec(),
        }
    }

    #[test]
    fn line_chart_basic() {
        let curve: Vec<(f64, f64)> = (0..=20)
            .map(|i| {
                let t = i as f64 / 20.0;
                (t, 1.0 - t * t)
            })
            .collect();
        let curve2: Vec<(f64, f64)> = curve.iter().map(|&(x, y)| (x, y * 0.8)).collect();
        let s = [
            series("Точность", palette::BLUE, &curve),
            series("Coverage", palette::PURPLE, &curve2),
        ];
        let m = Marker {
            x: 0.6,
            y: 0.64,
            label: "порог 0.6".into(),
        };
        let out = line_chart(
            "Threshold <curve>",
            "threshold",
            "share",
            &s,
            Some(&m),
            true,
        );
        check_svg(&out, "Threshold <curve>");
        assert!(out.contains("Threshold &lt;curve&gt;"));
        assert_eq!(count(&out, "<path"), 3); // 2 series + marker guides
        assert!(out.contains("порог 0.6"));
        assert!(out.contains(">100%<") && out.contains(">0%<"));
        assert!(out.contains("Точность")); // legend
        // single series: no legend, one path
        let out = line_chart("one", "x", "y", &s[..1], None, false);
        check_svg(&out, "one");
        assert_eq!(count(&out, "<path"), 1);
        assert_eq!(count(&out, "stroke-linecap=\"round\"/>"), 0); // no legend swatch
    }

    #[test]
    fn line_chart_edge_cases() {
        assert_no_data(&line_chart("t", "x", "y", &[], None, false), "t");
        let nan = [series(
            "a",
            palette::BLUE,
            &[(f64::NAN, 1.0), (2.0, f64::INFINITY)],
        )];
        assert_no_data(&line_chart("t", "x", "y", &nan, None, false), "t");
        let empty = [series("a", palette::BLUE, &[])];
        assert_no_data(&line_chart("t", "x", "y", &empty, None, true), "t");
        // single point: a dot, no panic
        let one = [series("a", palette::BLUE, &[(3.0, 5.0)])];
        let out = line_chart("t", "x", "y", &one, None, false);
        check_svg(&out, "t");
        assert_eq!(count(&out, "<circle"), 1);
        // all zero: flat line at zero is still a valid chart
        let zeros = [series("a", palette::BLUE, &[(0.0, 0.0), (1.0, 0.0)])];
        check_svg(&line_chart("t", "x", "y", &zeros, None, false), "t");
        // NaN in the middle breaks the line
        let gap = [series(
            "a",
            palette::BLUE,
            &[(0.0, 1.0), (1.0, f64::NAN), (2.0, 2.0), (3.0, 1.0)],
        )];
        let out = line_chart("t", "x", "y", &gap, None, false);
        check_svg(&out, "t");
        assert_eq!(count(&out, "<path"), 1);
        // escaping + Cyrillic ellipsis in legend and marker
        let s = [
            series(NASTY, "#000", &[(0.0, 1.0), (1.0, 2.0)]),
            series(LONG_RU, "#111", &[(0.0, 2.0), (1.0, 1.0)]),
        ];
        let m = Marker {
            x: 0.5,
            y: 1.5,
            label: NASTY.into(),
        };
        let out = line_chart(NASTY, NASTY, LONG_RU, &s, Some(&m), false);
        check_svg(&out, NASTY);
        assert!(out.contains(NASTY_ESC));
        assert!(out.contains('…'));
    }

    fn row(label: &str, v: &[f64]) -> StackRow {
        StackRow {
            label: label.into(),
            values: v.to_vec(),
        }
    }

    const PARTS: [(&str, &str); 3] = [
        ("auto", palette::GREEN),
        ("draft", palette::AMBER),
        ("escalate", palette::RED),
    ];

    #[test]
    fn stacked_bars_basic() {
        let rows = [
            row("Доставка", &[120.0, 30.0, 10.0]),
            row("Billing", &[5.0, 0.0, 45.0]),
            row(LONG_RU, &[1.0, 1.0, 1.0]),
            row(NASTY, &[0.0, 0.0, 0.0]),
        ];
        let out = stacked_bars("Decision mix", &PARTS, &rows);
        check_svg(&out, "Decision mix");
        assert_eq!(count(&out, "<rect"), 3 + 2 + 3);
        assert!(out.contains(">75%<")); // 120/160
        assert!(out.contains("n = 160"));
        assert!(out.contains(NASTY_ESC));
        assert!(out.contains(NO_DATA)); // zero row
        // The long label wraps whole onto lines of the label column.
        assert!(!out.contains('…'));
        assert!(out.contains(">Возврат денежных средств за<"));
        assert!(out.contains(">перерасчёт тарифа<"));
        assert!(out.contains(">escalate<")); // legend
        // amber gets dark text, red white text
        assert!(out.contains(&format!("fill=\"{C_TEXT}\">19%<")));
    }

    #[test]
    fn stacked_bars_edge_cases() {
        assert_no_data(&stacked_bars("t", &PARTS, &[]), "t");
        assert_no_data(&stacked_bars("t", &[], &[row("a", &[1.0])]), "t");
        assert_no_data(
            &stacked_bars("t", &PARTS, &[row("a", &[0.0, f64::NAN, -3.0])]),
            "t",
        );
        // short / long value vectors
        let out = stacked_bars(
            "t",
            &PARTS,
            &[row("a", &[1.0]), row("b", &[1.0, 2.0, 3.0, 4.0])],
        );
        check_svg(&out, "t");
        assert_eq!(count(&out, "<rect"), 4);
        assert!(out.contains("n = 6"));
    }

    #[test]
    fn histogram_basic() {
        let bins = [0.0, 1.0, 2.0, 4.0, 8.0, 24.0, f64::INFINITY];
        let s = vec![
            (
                "До бота".to_string(),
                palette::GREY.to_string(),
                vec![5.0, 10.0, 20.0, 30.0, 10.0, 4.0],
            ),
            (
                "С ботом".to_string(),
                palette::GREEN.to_string(),
                vec![40.0, 20.0, 10.0, 0.0, 3.0, 1.0],
            ),
        ];
        let out = histogram(
            "First response <h>",
            "hours",
            "tickets",
            &bins,
            &s,
            &fmt_edge,
        );
        check_svg(&out, "First response <h>");
        assert_eq!(count(&out, "<rect"), 11);
        assert!(out.contains(">∞<") && out.contains(">24<"));
        assert!(out.contains("До бота"));
        let one = &s[..1];
        let out = histogram("t", "hours", "tickets", &bins, one, &fmt_edge);
        assert_eq!(count(&out, "<rect"), 6);
    }

    /// x and width of each `<rect>`, in document order.
    fn rects(svg: &str) -> Vec<(f64, f64)> {
        svg.match_indices("<rect x=")
            .map(|(i, _)| {
                (
                    attr_after(&svg[i..], "<rect", "x"),
                    attr_after(&svg[i..], "<rect", "width"),
                )
            })
            .collect()
    }

    #[test]
    fn histogram_bins_are_drawn_to_scale() {
        // Linear: the 2-4 bin is twice as wide as the 1-2 bin.
        let one = vec![("a".to_string(), "#000".to_string(), vec![1.0, 1.0, 1.0])];
        let r = rects(&histogram(
            "t",
            "x",
            "n",
            &[0.0, 1.0, 2.0, 4.0],
            &one,
            &fmt_edge,
        ));
        let r: Vec<&(f64, f64)> = r.iter().filter(|(_, w)| *w > 1.0).collect();
        assert_eq!(r.len(), 3);
        assert!((r[2].1 / r[1].1 - 2.0).abs() < 0.05, "{r:?}");
        assert!((r[0].1 / r[1].1 - 1.0).abs() < 0.05, "{r:?}");
        // Log: 1-10 and 10-100 are as wide as each other, 100-1000 too.
        let four = vec![("a".to_string(), "#000".to_string(), vec![1.0; 4])];
        let bins = [0.0, 1.0, 10.0, 100.0, 1000.0];
        let r = rects(&histogram("t", "x", "n", &bins, &four, &fmt_edge));
        let r: Vec<&(f64, f64)> = r.iter().filter(|(_, w)| *w > 1.0).collect();
        assert!(
            (r[2].1 / r[1].1 - 1.0).abs() < 0.05 && (r[3].1 / r[1].1 - 1.0).abs() < 0.05,
            "{r:?}"
        );
        // Bars never overlap and go left to right.
        assert!(
            r.windows(2).all(|w| w[0].0 + w[0].1 <= w[1].0 + 0.01),
            "{r:?}"
        );
        // The y axis says what is counted.
        assert!(histogram("t", "x", "tickets", &bins, &four, &fmt_edge).contains(">tickets<"));
    }

    #[test]
    fn hour_edges_read_in_minutes_hours_and_days() {
        let labels: Vec<String> = [0.0, 1.0 / 60.0, 0.25, 2.0, 48.0, f64::INFINITY]
            .iter()
            .map(|&h| hours_edge(h))
            .collect();
        assert_eq!(labels, ["0", "1 min", "15 min", "2 h", "2 d", "∞"]);
    }

    #[test]
    fn histogram_edge_cases() {
        let s = vec![(NASTY.to_string(), "#000".to_string(), vec![1.0, 2.0])];
        assert_no_data(&histogram("t", "x", "", &[], &s, &fmt_edge), "t");
        assert_no_data(&histogram("t", "x", "", &[1.0], &s, &fmt_edge), "t");
        assert_no_data(
            &histogram("t", "x", "", &[0.0, 1.0, 2.0], &[], &fmt_edge),
            "t",
        );
        assert_no_data(
            &histogram("t", "x", "", &[2.0, 1.0, 0.0], &s, &fmt_edge),
            "t",
        );
        assert_no_data(
            &histogram("t", "x", "", &[0.0, f64::NAN, 2.0], &s, &fmt_edge),
            "t",
        );
        let z = vec![("a".to_string(), "#000".to_string(), vec![0.0, 0.0])];
        assert_no_data(
            &histogram("t", "x", "", &[0.0, 1.0, 2.0], &z, &fmt_edge),
            "t",
        );
        // count vector longer / shorter than bins
        let out = histogram("t", NASTY, "", &[0.0, 1.0, 2.0, 3.0], &s, &fmt_edge);
        check_svg(&out, "t");
        assert_eq!(count(&out, "<rect"), 2);
        assert!(out.contains(NASTY_ESC));
        let long = vec![("a".to_string(), "#000".to_string(), vec![1.0; 10])];
        let out = histogram("t", "x", "", &[0.0, 1.0, 2.0], &long, &fmt_edge);
        assert_eq!(count(&out, "<rect"), 2);
        // many bins: labels thinned, still valid
        let edges: Vec<f64> = (0..=200).map(|i| i as f64 * 1000.0).collect();
        let many = vec![("a".to_string(), "#000".to_string(), vec![3.0; 200])];
        check_svg(&histogram("t", "x", "", &edges, &many, &fmt_edge), "t");
    }

    fn attr_after(s: &str, marker: &str, attr: &str) -> f64 {
        let at = s.find(marker).expect("marker not found");
        let rest = &s[at..];
        let k = rest.find(&format!("{attr}=\"")).unwrap() + attr.len() + 2;
        let end = k + rest[k..].find('"').unwrap();
        rest[k..end].parse().unwrap()
    }

    #[test]
    fn cash_flow_basic() {
        let months = [
            -1_600_000.0,
            -1_300_000.0,
            -1_000_000.0,
            -700_000.0,
            -400_000.0,
            -100_000.0,
            200_000.0,
            500_000.0,
            800_000.0,
            1_100_000.0,
            1_400_000.0,
            1_700_000.0,
            2_000_000.0,
        ];
        let be = 5.0 + 1.0 / 3.0;
        let out = cash_flow("Cash <flow>", &months, Some(be), "RUB");
        check_svg(&out, "Cash <flow>");
        assert_eq!(count(&out, "<rect"), months.len());
        assert_eq!(count(&out, "fill=\"#c62828\""), 6);
        assert_eq!(count(&out, "fill=\"#2e7d32\""), 7);
        assert!(out.contains("break-even: month 5.3"));
        assert!(out.contains(">-1.6M<") || out.contains(">-2M<"));
        assert!(out.contains("RUB"));
        let lay = CashLayout::new(&months, "RUB").unwrap();
        let x = attr_after(&out, "class=\"break-even\"", "x1");
        assert!(
            (x - lay.month_x(be)).abs() <= 0.051,
            "{x} vs {}",
            lay.month_x(be)
        );
        // between the centres of bars 5 and 6
        assert!(x > lay.month_x(5.0) && x < lay.month_x(6.0));
        let bar5 = lay.month_x(5.0);
        assert!((bar5 - (lay.p.l + 5.5 * lay.slot)).abs() < 1e-9);
        // the zero line sits at ys.map(0)
        let y0 = attr_after(&out, "class=\"zero\"", "y1");
        assert!((y0 - lay.ys.map(0.0)).abs() <= 0.051);
    }

    #[test]
    fn cash_flow_edge_cases() {
        assert_no_data(&cash_flow("t", &[], Some(1.0), "RUB"), "t");
        assert_no_data(&cash_flow("t", &[0.0, 0.0], None, "RUB"), "t");
        assert_no_data(&cash_flow("t", &[f64::NAN], None, ""), "t");
        // break-even outside the horizon / NaN: no marker
        let m = [-100.0, -50.0, -10.0];
        for be in [None, Some(7.0), Some(-1.0), Some(f64::NAN)] {
            let out = cash_flow("t", &m, be, "RUB");
            check_svg(&out, "t");
            assert!(!out.contains("break-even"));
        }
        // single month
        let out = cash_flow("t", &[-5.0], Some(0.0), NASTY);
        check_svg(&out, "t");
        assert_eq!(count(&out, "<rect"), 1);
        assert!(out.contains("class=\"break-even\""));
        assert!(out.contains(NASTY_ESC));
        // NaN month skipped, long horizon
        let long: Vec<f64> = (0..60)
            .map(|i| {
                if i == 7 {
                    f64::NAN
                } else {
                    i as f64 * 10.0 - 100.0
                }
            })
            .collect();
        let out = cash_flow("t", &long, Some(10.0), "");
        check_svg(&out, "t");
        assert_eq!(count(&out, "<rect"), 59);
    }

    #[test]
    fn wrap_keeps_every_word_and_the_line_width() {
        let lines = wrap("one two three four five", 9);
        assert_eq!(lines, ["one two", "three", "four five"]);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 4), [""]);
        let ru = wrap(LONG_RU, 20);
        assert!(ru.iter().all(|l| l.chars().count() <= 20));
        assert_eq!(
            ru.join(" "),
            LONG_RU.split_whitespace().collect::<Vec<_>>().join(" ")
        );
    }

    #[test]
    fn bar_list_basic_and_edges() {
        let items = vec![
            ("доставка → возврат".to_string(), 42.0),
            (NASTY.to_string(), 17.0),
            (LONG_RU.to_string(), 3.5),
            ("zero".to_string(), 0.0),
            ("nan".to_string(), f64::NAN),
        ];
        let out = bar_list("Top <confusions>", &items, palette::BLUE);
        check_svg(&out, "Top <confusions>");
        assert_eq!(count(&out, "<rect"), 3);
        assert!(out.contains(NASTY_ESC));
        // Long labels wrap whole: every word of the long one is drawn, nothing is cut.
        assert!(!out.contains('…'));
        for word in LONG_RU.split_whitespace() {
            assert!(out.contains(&esc(word)), "{word}");
        }
        assert!(out.contains(">42<") && out.contains(">3.5<") && out.contains(">—<"));
        assert_no_data(&bar_list("t", &[], palette::BLUE), "t");
        assert_no_data(
            &bar_list("t", &[("a".into(), 0.0), ("b".into(), -1.0)], "#000"),
            "t",
        );
        let out = bar_list("t", &[("a".into(), 1e15)], "#000");
        check_svg(&out, "t");
        assert_eq!(count(&out, "<rect"), 1);
    }
}
