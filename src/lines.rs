//! Lines read with a cap on their length: a longer line is skipped without ever being held in memory, and reported with its size.

use std::io::{self, BufRead};

/// The config key that raises the record size cap (named in every message about it).
pub const CAP_KEY: &str = "input.max_record_bytes";

/// One line of a [`Bounded`] reader.
#[derive(Debug, PartialEq)]
pub enum Line {
    /// The line, without its `\n` or `\r\n`.
    Text(String),
    /// Longer than the cap: read to its end and dropped; `bytes` is its length.
    TooLong { bytes: u64 },
}

/// The message for a record over the cap: its size, the cap, and the key that raises it.
pub fn too_long(bytes: u64, cap: u64) -> String {
    format!(
        "record of {bytes} bytes is larger than the {cap}-byte record size cap; raise `{CAP_KEY}` in kbctl.yaml to read it"
    )
}

/// Lines of `reader`, each at most `cap` bytes held; see [`Line`].
pub fn bounded<R: BufRead>(reader: R, cap: u64) -> Bounded<R> {
    Bounded {
        reader,
        cap,
        done: false,
    }
}

/// The iterator of [`bounded`]: like [`BufRead::lines`], with long lines reported, not read.
pub struct Bounded<R> {
    reader: R,
    cap: u64,
    done: bool,
}

impl<R: BufRead> Iterator for Bounded<R> {
    type Item = io::Result<Line>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let mut buf = Vec::new();
        let mut len: u64 = 0;
        let mut over = false;
        let mut any = false;
        let mut last = None;
        loop {
            let available = match self.reader.fill_buf() {
                Ok(b) => b,
                Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
                Err(err) => {
                    self.done = true;
                    return Some(Err(err));
                }
            };
            if available.is_empty() {
                self.done = true;
                if !any {
                    return None;
                }
                break;
            }
            any = true;
            let newline = available.iter().position(|&b| b == b'\n');
            let chunk = &available[..newline.unwrap_or(available.len())];
            len += chunk.len() as u64;
            if let Some(&b) = chunk.last() {
                last = Some(b);
            }
            if !over {
                // One byte of slack for the `\r` of a `\r\n` line.
                if len > self.cap.saturating_add(1) {
                    over = true;
                    buf = Vec::new();
                } else {
                    buf.extend_from_slice(chunk);
                }
            }
            let used = chunk.len() + usize::from(newline.is_some());
            self.reader.consume(used);
            if newline.is_some() {
                break;
            }
        }
        if last == Some(b'\r') {
            len -= 1;
            if !over {
                buf.pop();
            }
        }
        if over || len > self.cap {
            return Some(Ok(Line::TooLong { bytes: len }));
        }
        Some(
            String::from_utf8(buf)
                .map(Line::Text)
                .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "not valid UTF-8")),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &[u8], cap: u64, capacity: usize) -> Vec<Result<Line, String>> {
        let reader = io::BufReader::with_capacity(capacity, text);
        bounded(reader, cap)
            .map(|r| r.map_err(|e| e.to_string()))
            .collect()
    }

    fn text(s: &str) -> Result<Line, String> {
        Ok(Line::Text(s.to_string()))
    }

    #[test]
    fn lines_like_std_with_long_ones_reported_by_size() {
        for capacity in [1, 3, 8, 1024] {
            let got = read(b"ab\r\n\nabcdefghij\nxyz\r\n12345", 5, capacity);
            assert_eq!(
                got,
                [
                    text("ab"),
                    text(""),
                    Ok(Line::TooLong { bytes: 10 }),
                    text("xyz"),
                    text("12345"),
                ],
                "buffer of {capacity}"
            );
        }
        assert!(read(b"", 5, 8).is_empty());
        assert_eq!(read(b"a\n", 5, 8), [text("a")]);
        // Exactly at the cap, with and without `\r\n`.
        assert_eq!(read(b"abcde\r\nabcdef\r\n", 5, 4)[0], text("abcde"));
        assert_eq!(
            read(b"abcde\r\nabcdef\r\n", 5, 4)[1],
            Ok(Line::TooLong { bytes: 6 })
        );
    }

    #[test]
    fn invalid_utf8_is_an_error_for_that_line_only() {
        let got = read(b"ok\n\xff\xfe\nnext\n", 100, 2);
        assert_eq!(got[0], text("ok"));
        assert!(got[1].as_ref().is_err_and(|e| e.contains("UTF-8")));
        assert_eq!(got[2], text("next"));
    }

    /// A line far longer than the cap is never held: the memory used stays at the buffer's.
    #[test]
    fn a_huge_line_is_not_allocated() {
        struct Endless(u64);
        impl io::Read for Endless {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                if self.0 == 0 {
                    return Ok(0);
                }
                let n = (buf.len() as u64).min(self.0) as usize;
                buf[..n].fill(b'x');
                self.0 -= n as u64;
                if self.0 == 0 {
                    buf[n - 1] = b'\n';
                }
                Ok(n)
            }
        }
        // 256 MiB of one line, read through an 8 kB buffer with a 1 kB cap.
        let size = 256u64 << 20;
        let mut lines = bounded(io::BufReader::new(Endless(size)), 1000);
        assert_eq!(
            lines.next().unwrap().unwrap(),
            Line::TooLong { bytes: size - 1 }
        );
        assert!(lines.next().is_none());
    }

    #[test]
    fn the_message_names_the_cap_and_its_key() {
        let m = too_long(2_000, 1_000);
        assert!(m.contains("2000 bytes") && m.contains("1000-byte") && m.contains(CAP_KEY));
    }
}
