//! CSV delimiter and encoding sniffing for replay files: `,` `;` or tab, UTF-8 with or without a BOM, UTF-16 LE/BE with a BOM, cp1251 or cp1250.
//!
//! Excel in a Russian or Polish locale saves "CSV" with `;` in the Windows code page
//! (cp1251, cp1250), "CSV UTF-8" with a BOM, and "Unicode text" as tab-separated UTF-16 LE with
//! a BOM. The file is decoded to UTF-8 first; the delimiter is then the one of `,` `;` tab that
//! the header line (outside quotes) has most of. `--encoding` and `--delimiter` override.

use std::fmt;

/// A text encoding a CSV export comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Encoding {
    /// With or without a byte-order mark.
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    #[value(name = "utf-16le")]
    Utf16Le,
    #[value(name = "utf-16be")]
    Utf16Be,
    /// Windows Cyrillic (Excel in a Russian locale).
    #[value(name = "cp1251", alias = "windows-1251")]
    Cp1251,
    /// Windows Central European (Excel in a Polish locale).
    #[value(name = "cp1250", alias = "windows-1250")]
    Cp1250,
}

impl Encoding {
    fn codec(self) -> &'static encoding_rs::Encoding {
        match self {
            Encoding::Utf8 => encoding_rs::UTF_8,
            Encoding::Utf16Le => encoding_rs::UTF_16LE,
            Encoding::Utf16Be => encoding_rs::UTF_16BE,
            Encoding::Cp1251 => encoding_rs::WINDOWS_1251,
            Encoding::Cp1250 => encoding_rs::WINDOWS_1250,
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
            Encoding::Cp1251 => "cp1251",
            Encoding::Cp1250 => "cp1250",
        })
    }
}

/// A delimiter as `--delimiter` takes it: `,` `;` `|`, `tab` (or `\t`).
pub fn parse_delimiter(text: &str) -> Result<u8, String> {
    match text {
        "tab" | "\\t" | "\t" | "TAB" => Ok(b'\t'),
        "," | ";" | "|" => Ok(text.as_bytes()[0]),
        other => Err(format!(
            "`{other}` is not a delimiter: use `,`, `;`, `|` or `tab`"
        )),
    }
}

/// A delimiter as a person reads it.
pub fn delimiter_name(d: u8) -> String {
    match d {
        b'\t' => "tab".into(),
        other => format!("`{}`", char::from(other)),
    }
}

/// Why a file cannot be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SniffError {
    /// Bytes that are not valid in the encoding given.
    #[error("not valid {encoding} at byte {offset}: name the file's encoding with --encoding")]
    Malformed { encoding: Encoding, offset: usize },
    /// The file could not be read.
    #[error("{0}")]
    Io(String),
}

/// A decoded CSV file: its UTF-8 text (no BOM), and what it was read as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sniffed {
    /// The decoded text: the whole file when [`Sniffed::rewritten`], else (from [`file`]) at
    /// least its first lines.
    pub text: String,
    pub encoding: Encoding,
    pub bom: bool,
    pub delimiter: u8,
}

impl Sniffed {
    /// Whether the text is not the file's bytes as they are (and the CSV reader needs a copy).
    pub fn rewritten(&self) -> bool {
        self.bom || self.encoding != Encoding::Utf8
    }

    /// "delimiter `;`, encoding cp1251": for messages.
    pub fn describe(&self) -> String {
        format!(
            "delimiter {}, encoding {}{}",
            delimiter_name(self.delimiter),
            self.encoding,
            if self.bom { " with BOM" } else { "" }
        )
    }
}

/// How much of a file is read to sniff it when it turns out to be UTF-8 without a BOM (read as
/// it is, so never held whole here).
pub const SNIFF_BYTES: u64 = 1 << 20;

/// Sniff a CSV file from its first [`SNIFF_BYTES`] (up to their last line break); the whole
/// file is read and decoded only when it must be rewritten (a BOM, UTF-16, a code page).
pub fn file(
    path: &std::path::Path,
    encoding: Option<Encoding>,
    delimiter: Option<u8>,
) -> Result<Sniffed, SniffError> {
    use std::io::Read;
    let io = |err: std::io::Error| SniffError::Io(err.to_string());
    let mut head = Vec::new();
    std::fs::File::open(path)
        .map_err(io)?
        .take(SNIFF_BYTES)
        .read_to_end(&mut head)
        .map_err(io)?;
    let whole = (head.len() as u64) < SNIFF_BYTES;
    let utf16 = head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]);
    if whole || utf16 || matches!(encoding, Some(Encoding::Utf16Le | Encoding::Utf16Be)) {
        let bytes = if whole {
            head
        } else {
            std::fs::read(path).map_err(io)?
        };
        return csv(&bytes, encoding, delimiter);
    }
    // A line break byte is never inside a UTF-8 or code-page character.
    let cut = head
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(head.len(), |i| i + 1);
    let probe = csv(&head[..cut], encoding, delimiter)?;
    if !probe.rewritten() {
        return Ok(probe);
    }
    let bytes = std::fs::read(path).map_err(io)?;
    csv(&bytes, Some(probe.encoding), Some(probe.delimiter))
}

/// Decode `bytes` (in `encoding`, else sniffed) and find the delimiter (`delimiter`, else from
/// the header line).
pub fn csv(
    bytes: &[u8],
    encoding: Option<Encoding>,
    delimiter: Option<u8>,
) -> Result<Sniffed, SniffError> {
    let (text, encoding, bom) = decode(bytes, encoding)?;
    let delimiter = delimiter.unwrap_or_else(|| sniff_delimiter(header_line(&text)));
    Ok(Sniffed {
        text,
        encoding,
        bom,
        delimiter,
    })
}

/// Text from bytes: a BOM decides; else UTF-8 when the bytes are valid UTF-8, else the Windows
/// code page (Cyrillic or Central European) whose reading looks like words.
pub fn decode(
    bytes: &[u8],
    encoding: Option<Encoding>,
) -> Result<(String, Encoding, bool), SniffError> {
    let by_bom = match bytes {
        [0xEF, 0xBB, 0xBF, ..] => Some((Encoding::Utf8, 3)),
        [0xFF, 0xFE, ..] => Some((Encoding::Utf16Le, 2)),
        [0xFE, 0xFF, ..] => Some((Encoding::Utf16Be, 2)),
        _ => None,
    };
    let given = encoding;
    let (encoding, bom) = match (encoding, by_bom) {
        (Some(given), Some((found, len))) if given == found => (given, len),
        (Some(given), _) => (given, 0),
        (None, Some((found, len))) => (found, len),
        (None, None) if std::str::from_utf8(bytes).is_ok() => (Encoding::Utf8, 0),
        (None, None) if !code_page_like(bytes) => (Encoding::Utf8, 0),
        (None, None) => (code_page(bytes), 0),
    };
    let body = &bytes[bom..];
    let text = match encoding {
        // A UTF-8 file with a few bad bytes (sniffed, not named): the file itself is read row
        // by row and those rows are reported; this text only finds the header and delimiter.
        Encoding::Utf8 if given.is_none() && bom == 0 => String::from_utf8_lossy(body).into_owned(),
        // Strict for UTF-8 and UTF-16: a wrong guess is better said than read as U+FFFD.
        Encoding::Utf8 => std::str::from_utf8(body)
            .map_err(|err| SniffError::Malformed {
                encoding,
                offset: bom + err.valid_up_to(),
            })?
            .to_string(),
        Encoding::Utf16Le | Encoding::Utf16Be => {
            let (text, malformed) = encoding.codec().decode_without_bom_handling(body);
            if malformed {
                let offset = first_malformed(body, encoding == Encoding::Utf16Le);
                return Err(SniffError::Malformed {
                    encoding,
                    offset: bom + offset,
                });
            }
            text.into_owned()
        }
        // Every byte is a character in a Windows code page.
        Encoding::Cp1251 | Encoding::Cp1250 => encoding
            .codec()
            .decode_without_bom_handling(body)
            .0
            .into_owned(),
    };
    Ok((text, encoding, bom > 0))
}

/// Where UTF-16 stops being valid: an odd trailing byte or an unpaired surrogate.
fn first_malformed(body: &[u8], little: bool) -> usize {
    let units: Vec<u16> = body
        .chunks(2)
        .map(|c| match c {
            [a, b] if little => u16::from_le_bytes([*a, *b]),
            [a, b] => u16::from_be_bytes([*a, *b]),
            _ => 0xDC00,
        })
        .collect();
    let mut i = 0;
    while i < units.len() {
        match units[i] {
            0xD800..=0xDBFF if matches!(units.get(i + 1), Some(0xDC00..=0xDFFF)) => i += 2,
            0xD800..=0xDFFF => return i * 2,
            _ => i += 1,
        }
    }
    body.len()
}

/// Whether bytes that are not UTF-8 read as a Windows code page: no valid multi-byte UTF-8
/// character anywhere, and at least three bytes above ASCII (a code-page file has words of
/// them). Otherwise the file is UTF-8 with a few damaged bytes, whose rows are reported.
fn code_page_like(bytes: &[u8]) -> bool {
    let utf8_seen = bytes.utf8_chunks().any(|chunk| !chunk.valid().is_ascii());
    !utf8_seen && bytes.iter().filter(|&&b| b >= 0x80).count() >= 3
}

/// cp1251 or cp1250 for bytes that are not UTF-8: Russian read as cp1251 gives Cyrillic words,
/// Polish read as cp1251 gives Latin words with Cyrillic letters inside them ("Proszк").
fn code_page(bytes: &[u8]) -> Encoding {
    let (text, _) = encoding_rs::WINDOWS_1251.decode_without_bom_handling(bytes);
    let (mut cyrillic, mut mixed) = (0usize, 0usize);
    for word in text.split(|c: char| !c.is_alphabetic()) {
        let has_cyrillic = word.chars().any(|c| ('\u{400}'..='\u{4FF}').contains(&c));
        let has_latin = word.chars().any(|c| c.is_ascii_alphabetic());
        match (has_cyrillic, has_latin) {
            (true, true) => mixed += 1,
            (true, false) => cyrillic += 1,
            _ => {}
        }
    }
    if mixed > cyrillic {
        Encoding::Cp1250
    } else {
        Encoding::Cp1251
    }
}

/// The header: the text up to the first line break outside quotes.
fn header_line(text: &str) -> &str {
    let mut quoted = false;
    for (i, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '\n' | '\r' if !quoted => return &text[..i],
            _ => {}
        }
    }
    text
}

/// The delimiter the header has most of outside quotes (`,` when it has none: one column).
fn sniff_delimiter(header: &str) -> u8 {
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for b in header.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(slot) = counts.iter_mut().find(|(d, _)| *d == b) {
            slot.1 += 1;
        }
    }
    // Ties go to the first: `,`, then `;`.
    counts
        .iter()
        .fold(
            (b',', 0),
            |best, &(d, n)| if n > best.1 { (d, n) } else { best },
        )
        .0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, little: bool) -> Vec<u8> {
        let mut out = if little {
            vec![0xFF, 0xFE]
        } else {
            vec![0xFE, 0xFF]
        };
        for unit in text.encode_utf16() {
            out.extend(if little {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            });
        }
        out
    }

    #[test]
    fn a_plain_comma_file_is_utf8_and_left_as_it_is() {
        let s = csv(b"Id,Subject,Description\n1,a,\"b; c\"\n", None, None).unwrap();
        assert_eq!(
            (s.delimiter, s.encoding, s.bom),
            (b',', Encoding::Utf8, false)
        );
        assert!(!s.rewritten());
    }

    #[test]
    fn semicolons_from_excel_in_a_russian_or_polish_locale() {
        let s = csv(
            "ID тикета;Тема;Текст\n1;Счёт;\"где, счёт\"\n".as_bytes(),
            None,
            None,
        )
        .unwrap();
        assert_eq!(s.delimiter, b';');
        // A quoted header name with commas in it does not count.
        let s = csv(b"\"a,b,c\";d;e\n", None, None).unwrap();
        assert_eq!(s.delimiter, b';');
        assert_eq!(s.describe(), "delimiter `;`, encoding UTF-8");
    }

    #[test]
    fn tabs_are_found_and_a_header_of_one_column_is_comma() {
        assert_eq!(
            csv(b"Id\tSubject\tText\n", None, None).unwrap().delimiter,
            b'\t'
        );
        assert_eq!(csv(b"text\nhello\n", None, None).unwrap().delimiter, b',');
        // --delimiter wins over what the header says.
        assert_eq!(csv(b"a;b;c\n", None, Some(b',')).unwrap().delimiter, b',');
    }

    #[test]
    fn a_utf8_bom_is_dropped() {
        let s = csv("\u{feff}Id,Тема\n1,x\n".as_bytes(), None, None).unwrap();
        assert!(s.text.starts_with("Id,"), "{:?}", s.text);
        assert!(s.bom && s.rewritten());
        assert_eq!(s.describe(), "delimiter `,`, encoding UTF-8 with BOM");
    }

    #[test]
    fn utf16_le_and_be_with_a_bom_excel_unicode_text() {
        let text = "Id\tSubject\tDescription\n1\tFaktura\tGdzie jest faktura? Где счёт?\n";
        let s = csv(&utf16(text, true), None, None).unwrap();
        assert_eq!((s.encoding, s.delimiter), (Encoding::Utf16Le, b'\t'));
        assert_eq!(s.text, text);
        let s = csv(&utf16(text, false), None, None).unwrap();
        assert_eq!(s.encoding, Encoding::Utf16Be);
        assert_eq!(s.text, text);
        // A lone surrogate is reported with its place.
        let mut bad = utf16("ab", true);
        bad.extend([0x00, 0xD8, b'c', 0x00]);
        let err = csv(&bad, None, None).unwrap_err();
        assert_eq!(
            err,
            SniffError::Malformed {
                encoding: Encoding::Utf16Le,
                offset: 6
            }
        );
    }

    #[test]
    fn cp1251_is_read_as_cyrillic_and_cp1250_as_polish() {
        let russian = "ID тикета;Тема;Текст\n1;Возврат;Верните деньги за заказ\n";
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(russian);
        assert!(std::str::from_utf8(&bytes).is_err());
        let s = csv(&bytes, None, None).unwrap();
        assert_eq!((s.encoding, s.delimiter), (Encoding::Cp1251, b';'));
        assert_eq!(s.text, russian);
        let polish = "Id;Temat;Opis\n1;Faktura;Proszę o fakturę, płatność zaksięgowana\n";
        let (bytes, _, _) = encoding_rs::WINDOWS_1250.encode(polish);
        let s = csv(&bytes, None, None).unwrap();
        assert_eq!(s.encoding, Encoding::Cp1250);
        assert_eq!(s.text, polish);
        // --encoding is taken as given.
        let s = csv(&bytes, Some(Encoding::Cp1251), None).unwrap();
        assert_eq!(s.encoding, Encoding::Cp1251);
        assert_ne!(s.text, polish);
    }

    #[test]
    fn utf8_named_for_a_file_that_is_not_says_where() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode("id;текст\n");
        let err = csv(&bytes, Some(Encoding::Utf8), None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "not valid UTF-8 at byte 3: name the file's encoding with --encoding"
        );
    }

    #[test]
    fn delimiters_parse_from_the_flag() {
        assert_eq!(parse_delimiter("tab"), Ok(b'\t'));
        assert_eq!(parse_delimiter(";"), Ok(b';'));
        assert!(parse_delimiter("::").is_err());
    }

    #[test]
    fn a_large_file_is_sniffed_from_its_head_and_decoded_whole_only_when_needed() {
        let dir = tempfile::tempdir().unwrap();
        let row = "1;Где мой заказ?;Заказ не пришёл\n";
        let rows = (SNIFF_BYTES as usize) / row.len() + 10;
        let text = format!("id;subject;text\n{}", row.repeat(rows));
        let utf8 = dir.path().join("big.csv");
        std::fs::write(&utf8, &text).unwrap();
        let s = file(&utf8, None, None).unwrap();
        assert_eq!(
            (s.encoding, s.delimiter, s.rewritten()),
            (Encoding::Utf8, b';', false)
        );
        assert!(s.text.len() as u64 <= SNIFF_BYTES && s.text.ends_with('\n'));
        let cp1251 = dir.path().join("big-1251.csv");
        std::fs::write(&cp1251, encoding_rs::WINDOWS_1251.encode(&text).0).unwrap();
        let s = file(&cp1251, None, None).unwrap();
        assert_eq!(s.encoding, Encoding::Cp1251);
        assert_eq!(s.text, text, "decoded whole");
        let missing = file(&dir.path().join("nope.csv"), None, None).unwrap_err();
        assert!(matches!(missing, SniffError::Io(_)), "{missing}");
    }

    #[test]
    fn a_utf8_file_with_a_damaged_byte_stays_utf8_and_a_code_page_file_does_not() {
        // One bad byte among ASCII, or among real UTF-8 text: UTF-8, read leniently (the rows
        // with the bad bytes are reported by the row reader).
        let damaged = b"id,text\n1,bad \xff byte\n2,fine\n";
        assert_eq!(decode(damaged, None).unwrap().1, Encoding::Utf8);
        let mixed = "id,text\n1,zażółć\n2,\u{fffd}\n".as_bytes().to_vec();
        let mut mixed = mixed;
        mixed.extend_from_slice(b"3,\xff\xfe\xfd\n");
        assert_eq!(decode(&mixed, None).unwrap().1, Encoding::Utf8);
        // Named UTF-8 stays strict.
        assert!(decode(damaged, Some(Encoding::Utf8)).is_err());
        // A real cp1251 file is still a code page.
        let ru = encoding_rs::WINDOWS_1251
            .encode("id,text\n1,Здравствуйте, где заказ?\n")
            .0;
        assert_eq!(decode(&ru, None).unwrap().1, Encoding::Cp1251);
    }
}
