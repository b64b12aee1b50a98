//! Reads JSON-lines texts (one JSON string per line) on stdin and prints, for each, the ids of
//! `[bos] + Encode(text) + [eos]` as space-separated integers, one line per text.
//!
//! Used by `scripts/verify-spm.py` to compare `kbctl::embed::spm` with the reference operator.
//!
//! Usage: `spm_ids [--model PATH]`; without `--model`, the model is
//! `$KBCTL_HOME/models/use-multilingual-v3/spm.model` (`KBCTL_HOME` defaults to
//! `$HOME/.cache/kbctl`).

use std::io::{BufRead, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use kbctl::embed::spm::SentencePiece;

fn default_model() -> Option<PathBuf> {
    let home = match std::env::var_os("KBCTL_HOME") {
        Some(h) if !h.is_empty() => PathBuf::from(h),
        _ => PathBuf::from(std::env::var_os("HOME")?).join(".cache/kbctl"),
    };
    Some(home.join("models/use-multilingual-v3/spm.model"))
}

/// Parses one JSON string literal (the whole line, surrounding whitespace allowed).
fn parse_json_string(line: &str) -> Result<String, String> {
    let s = line.trim();
    let inner = s
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .ok_or("not a JSON string")?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    let hex4 = |chars: &mut std::str::Chars<'_>| -> Result<u32, String> {
        let h: String = chars.by_ref().take(4).collect();
        if h.len() != 4 {
            return Err("short \\u escape".into());
        }
        u32::from_str_radix(&h, 16).map_err(|e| e.to_string())
    };
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next().ok_or("dangling backslash")? {
            '"' => out.push('"'),
            '\\' => out.push('\\'),
            '/' => out.push('/'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'u' => {
                let hi = hex4(&mut chars)?;
                let cp = if (0xD800..0xDC00).contains(&hi) {
                    if chars.next() != Some('\\') || chars.next() != Some('u') {
                        return Err("lone high surrogate".into());
                    }
                    let lo = hex4(&mut chars)?;
                    if !(0xDC00..0xE000).contains(&lo) {
                        return Err("bad low surrogate".into());
                    }
                    0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                } else {
                    hi
                };
                out.push(char::from_u32(cp).ok_or("lone surrogate")?);
            }
            other => return Err(format!("bad escape \\{other}")),
        }
    }
    Ok(out)
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut model = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--model" => model = args.next().map(PathBuf::from),
            _ => {
                eprintln!("usage: spm_ids [--model PATH] < texts.jsonl");
                return ExitCode::from(2);
            }
        }
    }
    let Some(model) = model.or_else(default_model) else {
        eprintln!("spm_ids: no --model given and neither KBCTL_HOME nor HOME is set");
        return ExitCode::from(2);
    };
    let spm = match SentencePiece::from_file(&model) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("spm_ids: {e}");
            return ExitCode::FAILURE;
        }
    };
    let stdin = std::io::stdin().lock();
    let mut out = BufWriter::new(std::io::stdout().lock());
    for (n, line) in stdin.lines().enumerate() {
        let line = match line {
            Ok(l) => l,
            Err(e) => {
                eprintln!("spm_ids: reading stdin: {e}");
                return ExitCode::FAILURE;
            }
        };
        let text = match parse_json_string(&line) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("spm_ids: line {}: {e}", n + 1);
                return ExitCode::FAILURE;
            }
        };
        let ids = spm.encode_with_bos_eos(&text);
        let mut first = true;
        for id in ids {
            let r = if first {
                write!(out, "{id}")
            } else {
                write!(out, " {id}")
            };
            first = false;
            if r.is_err() {
                return ExitCode::FAILURE;
            }
        }
        if writeln!(out).is_err() {
            return ExitCode::FAILURE;
        }
    }
    if out.flush().is_err() {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
