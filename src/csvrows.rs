//! CSV rows read record by record over capped physical lines: a bad row (extra field, invalid UTF-8, unterminated quote, over-long record) is one issue at its physical line, never the end of the file.
//!
//! Used by every CSV reader (ticket streams, replay files, FAQ tables); the line-based formats
//! use [`crate::lines`], whose record size cap (`input.max_record_bytes`) applies here too.
//! Records are assembled from physical lines here, so a line
//! number is always the physical line a record starts on (a quoted field may span lines), and
//! a record can be given up and its later lines read again as rows.
//!
//! An unterminated quote swallows the lines after it. It is detected when
//! - a line inside an open quote is, on its own, a complete row with the header's number of
//!   fields, while no row of the file so far spanned lines (the usual export: one row a line);
//! - a record that spans lines ends with a different number of fields than the header;
//! - the input ends inside the quote.
//!
//! The record is then reported at its first line and every line after that one is read again
//! as rows: each physical line is either (part of) a row that was read or named in an issue.

use std::collections::VecDeque;
use std::io::BufRead;

/// One physical line as bytes (UTF-8 is checked per field), without its `\n` or `\r\n`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    Text(Vec<u8>),
    /// Longer than the cap: only its length was kept.
    TooLong(u64),
}

/// Physical lines of a reader, numbered from 1, never holding more than `max` bytes of one.
pub struct Lines<R> {
    reader: R,
    max: u64,
    number: usize,
    done: bool,
}

impl<R: BufRead> Lines<R> {
    pub fn new(reader: R, max: u64) -> Self {
        Self {
            reader,
            max,
            number: 0,
            done: false,
        }
    }
}

impl<R: BufRead> Iterator for Lines<R> {
    type Item = (usize, std::io::Result<Line>);

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let mut buf = Vec::new();
        let mut total = 0u64;
        let mut any = false;
        let mut last = None;
        loop {
            let chunk = match self.reader.fill_buf() {
                Ok(chunk) => chunk,
                Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(err) => {
                    self.done = true;
                    self.number += 1;
                    return Some((self.number, Err(err)));
                }
            };
            if chunk.is_empty() {
                self.done = true;
                if !any {
                    return None;
                }
                break;
            }
            any = true;
            let newline = chunk.iter().position(|&b| b == b'\n');
            let take = newline.map_or(chunk.len(), |i| i + 1);
            let content = &chunk[..newline.unwrap_or(take)];
            total += content.len() as u64;
            if let Some(&b) = content.last() {
                last = Some(b);
            }
            // One byte of slack for the `\r` of a `\r\n` line.
            if total <= self.max.saturating_add(1) {
                buf.extend_from_slice(content);
            } else if !buf.is_empty() {
                buf = Vec::new();
            }
            self.reader.consume(take);
            if newline.is_some() {
                break;
            }
        }
        self.number += 1;
        if last == Some(b'\r') {
            total -= 1;
            if buf.last() == Some(&b'\r') {
                buf.pop();
            }
        }
        let line = if total > self.max {
            Line::TooLong(total)
        } else {
            Line::Text(buf)
        };
        Some((self.number, Ok(line)))
    }
}

/// A CSV row: the physical line it starts on and its fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub line: usize,
    pub fields: Vec<String>,
}

/// A row that could not be read, at the physical line it starts on. The message says what is
/// wrong (field counts, byte positions), never what the row says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowIssue {
    pub line: usize,
    pub message: String,
}

pub type RowItem = Result<Row, RowIssue>;

/// Where the quote state is at the end of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    StartField,
    Unquoted,
    Quoted,
    QuoteInQuoted,
}

/// Run the CSV quoting rules (RFC 4180, as the csv crate reads them) over one line.
fn scan(bytes: &[u8], mut state: State, d: u8) -> State {
    for &b in bytes {
        state = match (state, b) {
            (State::StartField, b'"') => State::Quoted,
            (State::StartField | State::Unquoted | State::QuoteInQuoted, b) if b == d => {
                State::StartField
            }
            (State::StartField | State::Unquoted, _) => State::Unquoted,
            (State::Quoted, b'"') => State::QuoteInQuoted,
            (State::Quoted, _) => State::Quoted,
            (State::QuoteInQuoted, b'"') => State::Quoted,
            (State::QuoteInQuoted, _) => State::Unquoted,
        };
    }
    // A line ends a field unless a quote is open.
    match state {
        State::Quoted => State::Quoted,
        _ => State::StartField,
    }
}

/// Whether one line is a well-formed row on its own: every quote opens a field, closes it before
/// a comma or the end, or is doubled inside it. A line of a quoted field's continuation
/// usually is not (`lines, quoted",billing`: its quote closes a field it never opened).
fn well_formed(bytes: &[u8], d: u8) -> bool {
    let mut state = State::StartField;
    for &b in bytes {
        state = match (state, b) {
            (State::StartField, b'"') => State::Quoted,
            (State::StartField | State::Unquoted | State::QuoteInQuoted, b) if b == d => {
                State::StartField
            }
            (State::Unquoted, b'"') => return false,
            (State::StartField | State::Unquoted, _) => State::Unquoted,
            (State::Quoted, b'"') => State::QuoteInQuoted,
            (State::Quoted, _) => State::Quoted,
            (State::QuoteInQuoted, b'"') => State::Quoted,
            (State::QuoteInQuoted, _) => return false,
        };
    }
    state != State::Quoted
}

/// Split one complete record into its fields (bytes).
fn split(record: &[u8], d: u8) -> Vec<Vec<u8>> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(d)
        .has_headers(false)
        .flexible(true)
        .from_reader(record);
    let mut out = csv::ByteRecord::new();
    match reader.read_byte_record(&mut out) {
        Ok(true) => out.iter().map(<[u8]>::to_vec).collect(),
        _ => vec![Vec::new()],
    }
}

/// A complete record: the line it starts on and its fields as bytes.
type Record = (usize, Vec<Vec<u8>>);

/// A CSV input read row by row after its header.
pub struct CsvRows<R> {
    lines: Lines<R>,
    /// Lines given back to be read again (after a record was found to have swallowed them).
    pending: VecDeque<(usize, std::io::Result<Line>)>,
    header: Vec<String>,
    max: u64,
    /// A row of this file spanned lines: a line inside a quote that looks like a row is then
    /// no longer taken as proof of an unterminated quote.
    multiline_seen: bool,
    /// The field delimiter: `,`, or what the file was sniffed to use (`;`, tab).
    delimiter: u8,
}

/// The header's problem, at its line.
pub type HeaderIssue = RowIssue;

impl<R: BufRead> CsvRows<R> {
    /// Read the header (the first record; a UTF-8 byte-order mark is dropped).
    pub fn open(reader: R, max: u64) -> Result<Self, HeaderIssue> {
        Self::open_delimited(reader, max, b',')
    }

    /// [`Self::open`] for a file whose fields are separated by `delimiter`.
    pub fn open_delimited(reader: R, max: u64, delimiter: u8) -> Result<Self, HeaderIssue> {
        let mut rows = Self {
            lines: Lines::new(reader, max),
            pending: VecDeque::new(),
            header: Vec::new(),
            max,
            multiline_seen: true,
            delimiter,
        };
        let header = match rows.next_record() {
            None => {
                return Err(RowIssue {
                    line: 1,
                    message: "empty file: no CSV header".into(),
                });
            }
            Some(Err(issue)) => return Err(issue),
            Some(Ok((line, fields))) => {
                let mut names = Vec::with_capacity(fields.len());
                for (i, field) in fields.into_iter().enumerate() {
                    let mut name = String::from_utf8(field).map_err(|err| RowIssue {
                        line,
                        message: format!(
                            "invalid UTF-8 in header column {} at byte {}",
                            i + 1,
                            err.utf8_error().valid_up_to()
                        ),
                    })?;
                    if i == 0 && name.starts_with('\u{feff}') {
                        name.remove(0);
                    }
                    names.push(name);
                }
                names
            }
        };
        rows.header = header;
        rows.multiline_seen = false;
        Ok(rows)
    }

    pub fn header(&self) -> &[String] {
        &self.header
    }

    fn next_line(&mut self) -> Option<(usize, std::io::Result<Line>)> {
        self.pending.pop_front().or_else(|| self.lines.next())
    }

    /// Give back the lines after a record's first one, to be read again as rows.
    fn give_back(&mut self, lines: Vec<(usize, Vec<u8>)>) {
        for (n, bytes) in lines.into_iter().rev() {
            self.pending.push_front((n, Ok(Line::Text(bytes))));
        }
    }

    /// Whether one line is, on its own, a complete row of the header's width.
    fn looks_like_a_row(&self, bytes: &[u8]) -> bool {
        !self.header.is_empty()
            && well_formed(bytes, self.delimiter)
            && split(bytes, self.delimiter).len() == self.header.len()
    }

    /// The next complete record as (first line, fields), or an issue.
    fn next_record(&mut self) -> Option<Result<Record, RowIssue>> {
        // The lines of the record being assembled, and its size.
        let mut lines: Vec<(usize, Vec<u8>)> = Vec::new();
        let mut size = 0u64;
        let unterminated = |first: usize| {
            RowIssue {
            line: first,
            message: "unterminated quote: a quoted field opened on this line is not closed; row skipped, the lines after it read as rows".into(),
        }
        };
        loop {
            let Some((n, line)) = self.next_line() else {
                // The input ends inside a quote.
                if let Some(&(first, _)) = lines.first() {
                    self.give_back(lines.split_off(1));
                    return Some(Err(unterminated(first)));
                }
                return None;
            };
            let bytes = match line {
                Err(err) => {
                    return Some(Err(RowIssue {
                        line: n,
                        message: format!("cannot read: {err}"),
                    }));
                }
                Ok(Line::TooLong(len)) => {
                    if let Some(&(first, _)) = lines.first() {
                        // A record in progress cannot take it: report that record, read the
                        // lines after it again, and this one after them.
                        self.pending.push_front((n, Ok(Line::TooLong(len))));
                        self.give_back(lines.split_off(1));
                        return Some(Err(unterminated(first)));
                    }
                    return Some(Err(too_long(n, len, self.max)));
                }
                Ok(Line::Text(bytes)) => bytes,
            };
            if lines.is_empty() {
                if bytes.is_empty() {
                    continue;
                }
                if scan(&bytes, State::StartField, self.delimiter) != State::Quoted {
                    return Some(Ok((n, split(&bytes, self.delimiter))));
                }
                size = bytes.len() as u64;
                lines.push((n, bytes));
                continue;
            }
            // Inside an open quote.
            let first = lines[0].0;
            if !self.multiline_seen && self.looks_like_a_row(&bytes) {
                let mut rest = lines.split_off(1);
                rest.push((n, bytes));
                self.give_back(rest);
                return Some(Err(unterminated(first)));
            }
            size += bytes.len() as u64 + 1;
            if size > self.max {
                let mut rest = lines.split_off(1);
                rest.push((n, bytes));
                self.give_back(rest);
                return Some(Err(RowIssue {
                    line: first,
                    message: format!(
                        "{}; or a quote is not closed",
                        too_long(first, size, self.max).message
                    ),
                }));
            }
            // The lines so far end inside the quote: go on from there.
            let state = scan(&bytes, State::Quoted, self.delimiter);
            lines.push((n, bytes));
            if state == State::Quoted {
                continue;
            }
            let record = lines
                .iter()
                .map(|(_, l)| l.as_slice())
                .collect::<Vec<_>>()
                .join(&b'\n');
            let fields = split(&record, self.delimiter);
            if !self.header.is_empty() && fields.len() != self.header.len() {
                // A quote opened on the first line was closed by one far below: the lines in
                // between are rows of their own.
                self.give_back(lines.split_off(1));
                return Some(Err(unterminated(first)));
            }
            self.multiline_seen = true;
            return Some(Ok((first, fields)));
        }
    }
}

/// A record over the cap, in the words of [`crate::lines::too_long`].
pub fn too_long(line: usize, len: u64, max: u64) -> RowIssue {
    RowIssue {
        line,
        message: crate::lines::too_long(len, max),
    }
}

impl<R: BufRead> Iterator for CsvRows<R> {
    type Item = RowItem;

    fn next(&mut self) -> Option<RowItem> {
        let (line, fields) = match self.next_record()? {
            Ok(record) => record,
            Err(issue) => return Some(Err(issue)),
        };
        if fields.len() != self.header.len() {
            return Some(Err(RowIssue {
                line,
                message: format!(
                    "row has {} fields, the header has {}",
                    fields.len(),
                    self.header.len()
                ),
            }));
        }
        let mut out = Vec::with_capacity(fields.len());
        for (i, field) in fields.into_iter().enumerate() {
            match String::from_utf8(field) {
                Ok(s) => out.push(s),
                Err(err) => {
                    return Some(Err(RowIssue {
                        line,
                        message: format!(
                            "invalid UTF-8 in column `{}` at byte {} of the field; row skipped",
                            self.header[i],
                            err.utf8_error().valid_up_to()
                        ),
                    }));
                }
            }
        }
        Some(Ok(Row { line, fields: out }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &[u8]) -> (Vec<String>, Vec<RowItem>) {
        let rows = CsvRows::open(std::io::Cursor::new(text.to_vec()), 1 << 20).unwrap();
        let header = rows.header().to_vec();
        (header, rows.collect())
    }

    fn lines_of(items: &[RowItem]) -> Vec<Result<usize, usize>> {
        items
            .iter()
            .map(|r| r.as_ref().map(|r| r.line).map_err(|i| i.line))
            .collect()
    }

    #[test]
    fn rows_carry_their_physical_line_even_after_multiline_fields() {
        let (header, items) =
            rows(b"\xef\xbb\xbfid,text\n1,\"two\nlines\"\n\n2,plain\r\n3,\"a \"\"quote\"\"\"\n");
        assert_eq!(header, ["id", "text"]);
        assert_eq!(lines_of(&items), [Ok(2), Ok(5), Ok(6)]);
        assert_eq!(items[0].as_ref().unwrap().fields[1], "two\nlines");
        assert_eq!(items[1].as_ref().unwrap().fields[1], "plain");
        assert_eq!(items[2].as_ref().unwrap().fields[1], "a \"quote\"");
    }

    #[test]
    fn an_extra_field_and_invalid_utf8_are_one_issue_each() {
        let (_, items) = rows(b"id,text\n1,ok\n2,too,many\n3,bad \xff byte\n4,fine\n");
        assert_eq!(lines_of(&items), [Ok(2), Err(3), Err(4), Ok(5)]);
        let extra = items[1].as_ref().unwrap_err();
        assert_eq!(extra.message, "row has 3 fields, the header has 2");
        let utf8 = items[2].as_ref().unwrap_err();
        assert!(
            utf8.message
                .contains("invalid UTF-8 in column `text` at byte 4"),
            "{utf8:?}"
        );
    }

    #[test]
    fn an_unterminated_quote_is_reported_and_the_next_rows_read() {
        let (_, items) = rows(b"id,text\n1,ok\n2,\"broken\n3,next\n4,\"fine\"\n");
        assert_eq!(lines_of(&items), [Ok(2), Err(3), Ok(4), Ok(5)]);
        assert!(
            items[1]
                .as_ref()
                .unwrap_err()
                .message
                .contains("unterminated quote")
        );
        assert_eq!(items[2].as_ref().unwrap().fields, ["3", "next"]);
    }

    #[test]
    fn a_continuation_line_with_the_header_width_is_not_taken_for_a_row() {
        // "lines, quoted\",x" has three fields, but its quote closes a field it never opened.
        let (_, items) =
            rows(b"id,text,more\n1,\"two\nlines, quoted\",x\n2,next,y\n3,\"open,z\n4,after,w\n");
        assert_eq!(lines_of(&items), [Ok(2), Ok(4), Err(5), Ok(6)]);
        assert_eq!(items[0].as_ref().unwrap().fields[1], "two\nlines, quoted");
        assert!(well_formed(b"a,\"b \"\"c\"\"\",d", b','));
        assert!(!well_formed(b"a,b\"c", b','));
        assert!(!well_formed(b"a,\"b\"c", b','));
        assert!(!well_formed(b"a,\"open", b','));
    }

    #[test]
    fn an_unterminated_quote_after_a_multiline_row_is_found_at_the_end() {
        let (_, items) = rows(b"id,text\n1,\"two\nlines\"\n2,\"broken\n3,next\n4,last\n");
        assert_eq!(lines_of(&items), [Ok(2), Err(4), Ok(5), Ok(6)]);
    }

    #[test]
    fn a_quote_closed_far_below_gives_the_rows_in_between_back() {
        // With a multi-line row before it, the broken quote on line 4 is closed by the quote
        // opened on line 6: the record has the wrong width, so lines 5 and 6 are rows again.
        let (_, items) =
            rows(b"id,text\n1,\"two\nlines\"\n2,\"broken\n3,next\n4,\"quoted, fine\"\n");
        assert_eq!(lines_of(&items), [Ok(2), Err(4), Ok(5), Ok(6)]);
        assert_eq!(items[3].as_ref().unwrap().fields[1], "quoted, fine");
    }

    #[test]
    fn over_long_lines_are_one_issue_and_memory_stays_bounded() {
        let mut text = b"id,text\n1,short\n2,".to_vec();
        text.extend(std::iter::repeat_n(b'x', 5000));
        text.extend_from_slice(b"\n3,after\n");
        let rows = CsvRows::open(std::io::Cursor::new(text), 1000).unwrap();
        let items: Vec<RowItem> = rows.collect();
        assert_eq!(lines_of(&items), [Ok(2), Err(3), Ok(4)]);
        let issue = items[1].as_ref().unwrap_err();
        assert!(issue.message.contains("1000-byte"), "{issue:?}");
        assert!(issue.message.contains(crate::lines::CAP_KEY), "{issue:?}");
    }

    #[test]
    fn lines_are_numbered_and_capped() {
        let text = b"a\r\n\nbbbbbbbbbb\nc";
        let got: Vec<(usize, Line)> = Lines::new(std::io::Cursor::new(text.to_vec()), 5)
            .map(|(n, l)| (n, l.unwrap()))
            .collect();
        assert_eq!(
            got,
            [
                (1, Line::Text(b"a".to_vec())),
                (2, Line::Text(Vec::new())),
                (3, Line::TooLong(10)),
                (4, Line::Text(b"c".to_vec())),
            ]
        );
    }
}
