//! Rendering records for stdout: aligned tables, JSON, JSON Lines and CSV, all written to `impl Write`.

use std::io::Write;

use serde::Serialize;

use crate::cli::TableFormat;

/// A table: header and rows of cells, plus the records behind them for the structured formats.
pub struct Table<'a, T: Serialize> {
    pub header: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
    pub records: &'a [T],
}

impl<T: Serialize> Table<'_, T> {
    pub fn write(&self, format: TableFormat, out: &mut impl Write) -> anyhow::Result<()> {
        match format {
            TableFormat::Table => write_aligned(&self.header, &self.rows, out)?,
            TableFormat::Json => {
                serde_json::to_writer_pretty(&mut *out, self.records)?;
                writeln!(out)?;
            }
            TableFormat::Jsonl => {
                for record in self.records {
                    serde_json::to_writer(&mut *out, record)?;
                    writeln!(out)?;
                }
            }
            TableFormat::Csv => {
                let mut w = csv::Writer::from_writer(&mut *out);
                w.write_record(&self.header)?;
                for row in &self.rows {
                    w.write_record(row)?;
                }
                w.flush()?;
            }
        }
        Ok(())
    }
}

/// Columns padded to their widest cell (by characters); numbers right-aligned.
pub fn write_aligned(
    header: &[&str],
    rows: &[Vec<String>],
    out: &mut impl Write,
) -> std::io::Result<()> {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(cell.chars().count());
            }
        }
    }
    let numeric: Vec<bool> = (0..header.len())
        .map(|i| {
            !rows.is_empty()
                && rows.iter().all(|r| {
                    r.get(i).is_some_and(|c| {
                        c.is_empty() || c == "-" || c.trim_end_matches('%').parse::<f64>().is_ok()
                    })
                })
        })
        .collect();
    let line = |cells: Vec<&str>, out: &mut dyn Write| -> std::io::Result<()> {
        let mut text = String::new();
        for (i, cell) in cells.iter().enumerate() {
            let pad = widths[i].saturating_sub(cell.chars().count());
            if i > 0 {
                text.push_str("  ");
            }
            if numeric[i] {
                text.push_str(&" ".repeat(pad));
                text.push_str(cell);
            } else {
                text.push_str(cell);
                if i + 1 < cells.len() {
                    text.push_str(&" ".repeat(pad));
                }
            }
        }
        writeln!(out, "{}", text.trim_end())
    };
    line(header.to_vec(), out)?;
    for row in rows {
        line(row.iter().map(String::as_str).collect(), out)?;
    }
    Ok(())
}

/// Seconds as a short human duration: 2.1 ms, 45 s, 3.2 h.
pub fn duration(s: f64) -> String {
    if s < 1.0 {
        format!("{:.1} ms", s * 1000.0)
    } else if s < 120.0 {
        format!("{s:.0} s")
    } else if s < 7200.0 {
        format!("{:.0} min", s / 60.0)
    } else {
        format!("{:.2} h", s / 3600.0)
    }
}

/// Cut a cell to `max` characters with an ellipsis.
pub fn ellipsize(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        let cut: String = flat.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_text_left_and_numbers_right() {
        let mut out = Vec::new();
        let rows = vec![
            vec!["ру".to_string(), "1.5".to_string()],
            vec!["english".to_string(), "10.25".to_string()],
        ];
        write_aligned(&["lang", "score"], &rows, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        insta::assert_snapshot!(text, @r"
        lang     score
        ру         1.5
        english  10.25
        ");
    }

    #[test]
    fn ellipsize_counts_characters() {
        assert_eq!(ellipsize("Где   мой заказ", 8), "Где мой…");
        assert_eq!(ellipsize("short", 8), "short");
    }
}
