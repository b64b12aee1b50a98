//! Entities in ticket text an agent needs: order and invoice numbers, emails, phones, money amounts.
//!
//! Order, invoice and tracking numbers are taken after a keyword in Russian, Polish or English
//! (inflected forms included: заказ/заказа/заказу/заказом, zamówienie/zamówienia/zamówieniu,
//! счёт/счета, faktura/faktury) with an optional "#", "№", "no.", "nr", "номер" marker, or
//! standalone when the code itself says what it is (`ORD-2026-00123`, `INV-2026-0042`,
//! `FV/2026/03/15`, UPU `RA123456785RU`, UPS `1Z...`). Emails and phones come from
//! [`super::pii::find_pii`]. Amounts need a currency (symbol, ISO code or word) next to the
//! number and are normalised to a dot-decimal value with two decimals plus the ISO code.

use std::collections::{BTreeMap, HashSet};
use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::pii::{self, PiiKind};

/// What an extracted entity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    OrderNumber,
    InvoiceNumber,
    Email,
    Phone,
    Amount,
    TrackingNumber,
}

/// One entity. `value` is normalised ("12345", "INV-2026-0042", "1250.00 RUB", "+79123456789",
/// "ivan@mail.ru"); `start..end` are byte offsets of the identifier, address, phone or whole
/// amount (number and currency) in the text, always on char boundaries.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Entity {
    pub kind: EntityKind,
    pub value: String,
    pub start: usize,
    pub end: usize,
}

/// Extract entities: sorted by `start`, non-overlapping, and deduplicated by `(kind, value)`
/// (the first occurrence is kept).
pub fn extract(text: &str) -> Vec<Entity> {
    let mut cands: Vec<(u8, Entity)> = Vec::new();
    for f in pii::find_pii(text) {
        match f.kind {
            PiiKind::Email => cands.push((
                PRIO_EMAIL,
                Entity {
                    kind: EntityKind::Email,
                    value: f.text.to_lowercase(),
                    start: f.start,
                    end: f.end,
                },
            )),
            PiiKind::Phone => cands.push((
                PRIO_PHONE,
                Entity {
                    kind: EntityKind::Phone,
                    value: normalize_phone(&f.text),
                    start: f.start,
                    end: f.end,
                },
            )),
            _ => {}
        }
    }
    let mut ids = Vec::new();
    keyed_ids(text, &mut ids);
    standalone_codes(text, &mut ids);
    cands.extend(ids.iter().cloned().map(|e| (PRIO_ID, e)));
    amounts(text, &ids, &mut cands);

    // Greedy by priority, then position: an email beats an order number inside it, a keyed
    // order number beats a phone-looking digit string.
    cands.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.start.cmp(&b.1.start)));
    let mut kept: BTreeMap<usize, Entity> = BTreeMap::new();
    for (_, e) in cands {
        let clash_before = kept
            .range(..e.end)
            .next_back()
            .is_some_and(|(_, k)| k.end > e.start);
        if !clash_before {
            kept.insert(e.start, e);
        }
    }
    let mut seen = HashSet::new();
    kept.into_values()
        .filter(|e| seen.insert((e.kind, e.value.clone())))
        .collect()
}

const PRIO_EMAIL: u8 = 0;
const PRIO_ID: u8 = 1;
const PRIO_AMOUNT: u8 = 2;
const PRIO_PHONE: u8 = 3;

// ---------------------------------------------------------------------------------------------
// Order, invoice and tracking numbers

/// Optional markers between keyword and identifier: "#", "№", "no.", "nr", "number", "номер",
/// "N", "ID", ":" and dashes, up to three of them ("order no.: #12345").
const MARKER: &str =
    r"(?P<marker>(?:\s*(?:(?:numbers?|num|no|nr|id|ref|is|номер|n|nº)\b\.?|[#№:—–-])){0,3})\s*";

/// An identifier: optional short letter prefix, then a digit, then letters/digits in segments
/// joined by "-", "/" or "_" ("12345", "A-1234", "ZAM/2026/123", "INV-2026-0042").
const ID: &str = r"(?P<id>(?:\p{L}{1,6}[-/_]?)?\d[\p{L}\d]*(?:[-/_][\p{L}\d]+)*)";

fn keyed_regex(keywords: &str) -> Regex {
    Regex::new(&format!(r"(?i)(?P<kw>{keywords}){MARKER}{ID}")).expect("valid regex")
}

static ORDER_RE: LazyLock<Regex> = LazyLock::new(|| {
    keyed_regex(
        r"\b(?:orders?|заказ(?:а|у|ом|е|ы|ов|ам|ами|ах)?|zam[óo]wieni(?:e|a|u|em|ach|om|ami)|zam[óo]wie[ńn])\b",
    )
});

static INVOICE_RE: LazyLock<Regex> = LazyLock::new(|| {
    keyed_regex(
        r"\b(?:invoices?|сч[её]т(?:а|у|ом|е|ов|ам|ами|ах)?(?:[-\s]?фактур(?:а|ы|у|е|ой))?(?:\s+на\s+оплату)?|сч\.?[-\s]?ф\.?|с/ф|фактур(?:а|ы|у|е|ой)|faktur(?:a|y|ę|ą|ze|ach|om|ami)|fv)\b(?:\s+(?:vat|pro[-\s]?forma|korygując\w*|korekt\w*))?",
    )
});

static TRACKING_RE: LazyLock<Regex> = LazyLock::new(|| {
    keyed_regex(
        r"\b(?:tracking(?:\s+(?:numbers?|no|code|id))?|track(?:[-\s]?(?:numbers?|no|code|id))?|трек(?:инг)?(?:[-\s]?(?:номер\w*|код\w*))?|(?:номер\w*|код\w*)\s+отслеживани\w*|(?:numer\w*|nr\.?)\s+(?:przesy[łl]ki|nadania|[śs]ledzenia|paczki|listu\s+przewozowego)|przesy[łl]k(?:a|i|ę|ą|ce)|посылк(?:а|и|у|ой|е)|отправлени(?:е|я|ю|ем)|list\w*\s+przewozow\w*|waybill|awb|шпи|dpd|dhl(?:\s+express)?|ups|fedex|usps|gls|inpost|royal\s+mail|poczt[aąy]\s+polsk\w*|сдэк|cdek|boxberry|pickpoint|пэк|почт(?:а|ы|ой|у)\s+росси\w*)\b",
    )
});

/// "…, 12346 и 12347": further identifiers listed after the first one.
static LIST_CONT_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)^(?:\s*(?:,|;|&|\band\b|\bor\b|\bи\b|\bили\b|\bi\b|\boraz\b|\blub\b)\s*(?:[#№]\s*)?){ID}"
    ))
    .expect("valid regex")
});

/// Words after a number that make it a quantity or a time span, not an identifier.
static QUANTITY_AFTER_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*(?:items?|units?|pcs|pieces?|times|days?|hours?|minutes?|mins?|weeks?|шт\w*|раз\w*|дн\w*|дей\w*|час\w*|мин\w*|недел\w*|г\.|год\w*|лет|szt\w*|razy|dni|dzie[ńn]\w*|godz\w*|tygod\w*|rok\w*|lat|r\.|x|%)(?:\P{L}|$)",
    )
    .expect("valid regex")
});

/// Bank-account words before "счёт": "лицевой счёт 123" is an account, not an invoice.
static ACCOUNT_BEFORE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:\b(?:лицев\w*|расч[её]тн\w*|банковск\w*|корр?\.?|корреспондентск\w*|текущ\w*|на|мой|ваш|свой)|\b[рлк]/)\s*$")
        .expect("valid regex")
});

static DATE_LIKE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\d{1,2}[-./]\d{1,2}[-./]\d{2,4}|\d{4}[-./]\d{1,2}[-./]\d{1,2})$")
        .expect("valid regex")
});

#[derive(Clone, Copy, PartialEq, Eq)]
enum Family {
    Order,
    Invoice,
    Tracking,
}

impl Family {
    fn kind(self) -> EntityKind {
        match self {
            Family::Order => EntityKind::OrderNumber,
            Family::Invoice => EntityKind::InvoiceNumber,
            Family::Tracking => EntityKind::TrackingNumber,
        }
    }
}

fn keyed_ids(text: &str, out: &mut Vec<Entity>) {
    for (family, re) in [
        (Family::Order, &*ORDER_RE),
        (Family::Invoice, &*INVOICE_RE),
        (Family::Tracking, &*TRACKING_RE),
    ] {
        for caps in re.captures_iter(text) {
            keyed_match(text, family, &caps, out);
        }
    }
}

fn keyed_match(text: &str, family: Family, caps: &Captures<'_>, out: &mut Vec<Entity>) {
    let (Some(kw), Some(id)) = (caps.name("kw"), caps.name("id")) else {
        return;
    };
    // An explicit number marker ("#", "№", "nr", "no.", "номер"...) before or after the keyword
    // lets short or date-shaped identifiers through ("счёт № 5", "faktury nr 15/03/2026").
    let marker = caps
        .name("marker")
        .is_some_and(|m| is_explicit_marker(m.as_str()))
        || PRE_MARKER_RE.is_match(tail(&text[..kw.start()], 16));
    if family == Family::Invoice
        && is_account_not_invoice(text, kw.start(), kw.as_str(), id.as_str())
    {
        return;
    }
    let Some(first) = accept_id(text, family, id.start(), id.end(), marker) else {
        return;
    };
    let mut end = first.end;
    out.push(first);
    // Lists: "заказы 12345, 12346 и 12347".
    while let Some(c) = LIST_CONT_RE.captures(&text[end..]) {
        let Some(m) = c.name("id") else { break };
        let (s, e) = (end + m.start(), end + m.end());
        match accept_id(text, family, s, e, marker) {
            Some(ent) => {
                end = ent.end;
                out.push(ent);
            }
            None => break,
        }
    }
}

/// The last `n` chars of `s`.
fn tail(s: &str, n: usize) -> &str {
    let from = s
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    &s[from..]
}

/// A marker that names a number: not just "is", ":" or a dash.
fn is_explicit_marker(marker: &str) -> bool {
    marker
        .split(|c: char| c.is_whitespace() || matches!(c, ':' | '—' | '–' | '-' | '.'))
        .any(|w| !w.is_empty() && !w.eq_ignore_ascii_case("is"))
}

/// "nr zamówienia", "номер заказа", "order number" put the marker before the keyword.
static PRE_MARKER_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:\bnr\.?|\bnumer\w*|\bномер\w*|\bnumber|\bno\.?|№|#)\s*$")
        .expect("valid regex")
});

fn is_account_not_invoice(text: &str, kw_start: usize, kw: &str, id: &str) -> bool {
    let lower = kw.to_lowercase();
    if !(lower.starts_with("счет") || lower.starts_with("счёт")) || lower.contains("фактур")
    {
        return false;
    }
    // Russian bank accounts have 20 digits.
    if id.len() == 20 && id.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    ACCOUNT_BEFORE_RE.is_match(tail(&text[..kw_start], 24))
}

/// Validate an identifier found at `start..end` and build its entity.
fn accept_id(
    text: &str,
    family: Family,
    start: usize,
    mut end: usize,
    marker: bool,
) -> Option<Entity> {
    // "order 12345/confirmation": a long all-letter segment after a joiner is a word, not part
    // of the identifier ("ZAM/2026/123", "12345-RU" keep theirs).
    for (i, c) in text.get(start..end)?.char_indices() {
        if matches!(c, '-' | '/' | '_') {
            let seg_from = start + i + 1;
            let seg_end = text[seg_from..end]
                .find(['-', '/', '_'])
                .map_or(end, |j| seg_from + j);
            let seg = &text[seg_from..seg_end];
            if seg.chars().count() > 4 && seg.chars().all(char::is_alphabetic) {
                end = start + i;
                break;
            }
        }
    }
    // "заказ 601 234 567": a short digit group followed by groups of three is one number.
    let short_digits =
        end - start <= 3 && text.get(start..end)?.bytes().all(|b| b.is_ascii_digit());
    if short_digits
        && let Some(m) = SPACED_GROUPS_RE.find(&text[end..])
        && !text[end + m.end()..].starts_with(|c: char| c.is_ascii_digit())
    {
        end += m.end();
    }
    let id = text.get(start..end)?;
    let rest = &text[end..];
    let mut after = rest.chars();
    match after.next() {
        // Part of a decimal or a dotted date ("15.03.2026"), or of an address.
        Some('.' | ',' | ':') if after.next().is_some_and(|c| c.is_ascii_digit()) => return None,
        Some('@') => return None,
        _ => {}
    }
    if starts_with_money(rest) || QUANTITY_AFTER_RE.is_match(rest) {
        return None;
    }
    let chars = id.chars().count();
    let digits = id.chars().filter(char::is_ascii_digit).count();
    // "счёт № 5" is fine with an explicit marker; a bare "order 12" is too likely a quantity.
    let min_len = if marker { 1 } else { 3 };
    if !(min_len..=40).contains(&chars) {
        return None;
    }
    if !marker && DATE_LIKE_RE.is_match(id) {
        return None;
    }
    if family == Family::Tracking && (chars < 8 || digits < 5) {
        return None;
    }
    Some(Entity {
        kind: family.kind(),
        value: id
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase(),
        start,
        end,
    })
}

static SPACED_GROUPS_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:[\x20\u{a0}\u{202f}]\d{3})+").expect("valid regex"));

static ORDER_CODE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:ORD|ZAM)[-/_]?\d[A-Z0-9]*(?:[-/_][A-Z0-9]+)*\b").expect("valid regex")
});
static INVOICE_CODE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:INV|FV|FVAT)[-/_]?\d[A-Z0-9]*(?:[-/_][A-Z0-9]+)*\b").expect("valid regex")
});
/// UPU S10 ("RA123456785RU", check digit verified) and UPS ("1Z" + 16).
static TRACKING_CODE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:[A-Z]{2}\d{9}[A-Z]{2}|1Z[0-9A-Z]{16})\b").expect("valid regex")
});

fn standalone_codes(text: &str, out: &mut Vec<Entity>) {
    for (family, re) in [
        (Family::Order, &*ORDER_CODE_RE),
        (Family::Invoice, &*INVOICE_CODE_RE),
        (Family::Tracking, &*TRACKING_CODE_RE),
    ] {
        for m in re.find_iter(text) {
            if family == Family::Tracking && !m.as_str().starts_with("1Z") && !s10_ok(m.as_str()) {
                continue;
            }
            if let Some(e) = accept_id(text, family, m.start(), m.end(), true) {
                out.push(e);
            }
        }
    }
}

/// UPU S10 check digit over the eight serial digits, weights 8 6 4 2 3 5 9 7.
fn s10_ok(code: &str) -> bool {
    let b = code.as_bytes();
    if b.len() != 13 || !b[2..11].iter().all(u8::is_ascii_digit) {
        return false;
    }
    const W: [u32; 8] = [8, 6, 4, 2, 3, 5, 9, 7];
    let sum: u32 = b[2..10]
        .iter()
        .zip(W)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    let check = match 11 - sum % 11 {
        10 => 0,
        11 => 5,
        c => c,
    };
    u32::from(b[10] - b'0') == check
}

// ---------------------------------------------------------------------------------------------
// Amounts

/// A number as written in any of the three locales: "1 250,00", "1,250.00", "1.250,00", "19,99",
/// "1250.5", "49". One separator followed by exactly three digits is a thousands separator.
const NUM: &str = r"(?:\d{1,3}(?:[\x20\u{a0}\u{202f}]\d{3})+(?:[.,]\d{1,2})?|\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?|\d+(?:[.,]\d{1,2})?)";

const CUR_USD: &str =
    r"usd|us\$|\$|dollars?|долл(?:ар(?:ов|а|ы)?)?\.?|dolar(?:ów|y|a)?|бакс(?:ов|а)?";
const CUR_EUR: &str = r"euros?|eur|€|евро";
const CUR_PLN: &str = r"pln|z[łl]ot(?:ych|e|y)|z[łl]";
const CUR_RUB: &str = r"ro?ubles?|rub|rur|₽|рубл(?:ей|я|ь|ях|ям|ями)|руб\.?|р\.?";
const CUR_GBP: &str = r"gbp|£|pounds?|фунт(?:ов|а)?(?:\s+стерлингов)?|funt(?:ów|y|a)?";

static AMOUNT_RE: LazyLock<Regex> = LazyLock::new(|| {
    let post = format!(
        r"(?:(?P<usd>{CUR_USD})|(?P<eur>{CUR_EUR})|(?P<pln>{CUR_PLN})|(?P<rub>{CUR_RUB})|(?P<gbp>{CUR_GBP}))"
    );
    let pattern = format!(
        r"(?i)(?:(?P<pre>[$€£₽]|\bus\$|\b(?:usd|eur|pln|rub|gbp))\s?(?P<n1>{NUM})|\b(?P<n2>{NUM})(?P<mult>\s?(?:тыс(?:яч[аи]?|\.)?|tys\.?|млн\.?|mln\.?))?\s?{post}(?:\s?(?P<minor>\d{{1,2}})\s?(?:коп(?:еек|ейки|ейка|\.)?|gr\.?|groszy|grosze|cents?)(?:\P{{L}}|$))?)"
    );
    Regex::new(&pattern).expect("valid regex")
});

static MONEY_START_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)^\s?(?:тыс\w*\.?|tys\.?|млн\.?|mln\.?)?\s?(?:{CUR_USD}|{CUR_EUR}|{CUR_PLN}|{CUR_RUB}|{CUR_GBP})(?:\P{{L}}|$)"
    ))
    .expect("valid regex")
});

/// Does a currency follow right away ("… 1250 руб.")? Then the number before it is money.
fn starts_with_money(rest: &str) -> bool {
    MONEY_START_RE.is_match(rest)
}

fn amounts(text: &str, claimed: &[Entity], out: &mut Vec<(u8, Entity)>) {
    let mut pos = 0;
    while pos < text.len() {
        let Some(caps) = AMOUNT_RE.captures_at(text, pos) else {
            break;
        };
        let Some(whole) = caps.get(0) else { break };
        match amount_entity(text, &caps) {
            Some(e) if !claimed.iter().any(|c| e.start < c.end && c.start < e.end) => {
                pos = e.end;
                out.push((PRIO_AMOUNT, e));
            }
            _ => {
                // Retry after the rejected number (never inside it: "A1 250 руб" must not
                // yield "250 руб"); the currency word after it may start the next amount.
                let num_end = caps.name("n1").or(caps.name("n2")).map_or(0, |n| n.end());
                let next_char = whole.start()
                    + text[whole.start()..]
                        .chars()
                        .next()
                        .map_or(1, char::len_utf8);
                pos = num_end.max(next_char);
            }
        }
    }
}

fn amount_entity(text: &str, caps: &Captures<'_>) -> Option<Entity> {
    let whole = caps.get(0)?;
    let (num, code) = if let Some(n) = caps.name("n1") {
        let pre = caps.name("pre")?.as_str().to_lowercase();
        (n, currency_code(&pre)?)
    } else {
        let n = caps.name("n2")?;
        let code = ["usd", "eur", "pln", "rub", "gbp"]
            .into_iter()
            .find(|g| caps.name(g).is_some())
            .map(str::to_uppercase)?;
        (n, code)
    };
    // Left edge: not glued to a word ("A$49" is not USD, "x500") or to a preceding number
    // ("2026-03-15", "v1.5 €").
    let mut before = text[..whole.start()].chars().rev();
    if let Some(c) = before.next() {
        let glued = c.is_alphanumeric()
            || (matches!(c, '.' | ',' | '-' | '/' | ':')
                && before.next().is_some_and(|b| b.is_ascii_digit()));
        if glued {
            return None;
        }
    }
    // Right edge: the number or currency word must end here ("руб" in "рубашка" is not money,
    // "€19.99" is not followed by more digits).
    let mut after = text[whole.end()..].chars();
    match after.next() {
        Some(c) if c.is_alphanumeric() => return None,
        Some('.' | ',') if after.next().is_some_and(|c| c.is_ascii_digit()) => return None,
        _ => {}
    }
    let (int, frac, has_frac) = parse_number(num.as_str())?;
    let mut cents = int.checked_mul(100)?.checked_add(u128::from(frac))?;
    if let Some(m) = caps.name("mult") {
        let m = m.as_str().trim().to_lowercase();
        let factor: u128 = if m.starts_with("млн") || m.starts_with("mln") {
            1_000_000
        } else {
            1_000
        };
        cents = cents.checked_mul(factor)?;
    }
    if let Some(minor) = caps.name("minor")
        && !has_frac
    {
        cents += minor.as_str().parse::<u128>().ok()?;
    }
    Some(Entity {
        kind: EntityKind::Amount,
        value: format!("{}.{:02} {code}", cents / 100, cents % 100),
        start: whole.start(),
        end: whole.end(),
    })
}

fn currency_code(symbol_or_code: &str) -> Option<String> {
    let code = match symbol_or_code {
        "$" | "us$" | "usd" => "USD",
        "€" | "eur" => "EUR",
        "£" | "gbp" => "GBP",
        "₽" | "rub" => "RUB",
        "pln" => "PLN",
        _ => return None,
    };
    Some(code.to_string())
}

/// Parse "1 250,00" / "1,250.00" / "1.250,00" / "19,99" into (integer part, cents, had
/// decimals). The last separator is decimal when one or two digits follow it.
fn parse_number(s: &str) -> Option<(u128, u32, bool)> {
    let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let (int_part, frac_part) = match compact.rfind(['.', ',']) {
        Some(i) if compact.len() - i - 1 <= 2 => (&compact[..i], Some(&compact[i + 1..])),
        _ => (compact.as_str(), None),
    };
    let int_digits: String = int_part.chars().filter(char::is_ascii_digit).collect();
    if int_digits.is_empty() || int_digits.len() > 18 {
        return None;
    }
    let int = int_digits.parse::<u128>().ok()?;
    let frac = match frac_part {
        None => 0,
        Some(f) if f.len() == 1 => f.parse::<u32>().ok()? * 10,
        Some(f) => f.parse::<u32>().ok()?,
    };
    Some((int, frac, frac_part.is_some()))
}

// ---------------------------------------------------------------------------------------------
// Phones

/// E.164-style value: "+79123456789", "+48601234567", "+12125551234". A domestic number whose
/// country cannot be told from its layout keeps its bare digits.
fn normalize_phone(raw: &str) -> String {
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    if raw.trim_start_matches('(').starts_with('+') {
        return format!("+{digits}");
    }
    if let Some(rest) = digits.strip_prefix("00") {
        return format!("+{rest}");
    }
    let groups: Vec<usize> = raw
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .map(str::len)
        .collect();
    let first = digits.as_bytes().first().copied().unwrap_or(b'0');
    match digits.len() {
        11 if first == b'8' || first == b'7' => format!("+7{}", &digits[1..]),
        11 if first == b'1' => format!("+{digits}"),
        9 => format!("+48{digits}"),
        10 if groups.ends_with(&[2, 2]) || (groups == [10] && first == b'9') => {
            format!("+7{digits}")
        }
        10 if groups == [3, 3, 4] => format!("+1{digits}"),
        _ => digits,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<(EntityKind, String)> {
        extract(text)
            .into_iter()
            .map(|e| (e.kind, e.value))
            .collect()
    }

    fn of_kind(text: &str, kind: EntityKind) -> Vec<String> {
        extract(text)
            .into_iter()
            .filter(|e| e.kind == kind)
            .map(|e| e.value)
            .collect()
    }

    fn orders(text: &str) -> Vec<String> {
        of_kind(text, EntityKind::OrderNumber)
    }

    fn invoices(text: &str) -> Vec<String> {
        of_kind(text, EntityKind::InvoiceNumber)
    }

    fn amounts_of(text: &str) -> Vec<String> {
        of_kind(text, EntityKind::Amount)
    }

    // ---- order numbers

    #[test]
    fn english_orders() {
        assert_eq!(orders("Where is my order #12345?"), ["12345"]);
        assert_eq!(orders("order no. 12345 arrived broken"), ["12345"]);
        assert_eq!(orders("Order number: 12345"), ["12345"]);
        assert_eq!(orders("Order ID A-98765 missing"), ["A-98765"]);
        assert_eq!(orders("see ORD-2026-00123 please"), ["ORD-2026-00123"]);
        assert_eq!(orders("order ORD-2026-00123"), ["ORD-2026-00123"]);
    }

    #[test]
    fn russian_orders_with_inflections() {
        assert_eq!(orders("заказ № 12345 не пришёл"), ["12345"]);
        assert_eq!(orders("Статус заказа 12345?"), ["12345"]);
        assert_eq!(orders("номер заказа: 12345"), ["12345"]);
        assert_eq!(orders("по заказу №12345 вернули деньги"), ["12345"]);
        assert_eq!(orders("Что с заказом 12345"), ["12345"]);
        assert_eq!(orders("В заказе N 12345 не хватает"), ["12345"]);
        assert_eq!(orders("ЗАКАЗ #12345"), ["12345"]);
    }

    #[test]
    fn polish_orders_with_inflections() {
        assert_eq!(orders("zamówienie nr 12345 nie dotarło"), ["12345"]);
        assert_eq!(orders("Status zamówienia 12345"), ["12345"]);
        assert_eq!(orders("w zamówieniu nr: 12345 brakuje"), ["12345"]);
        assert_eq!(orders("nr zamówienia ZAM/2026/123"), ["ZAM/2026/123"]);
        assert_eq!(orders("zamowienie 12345 (bez ogonków)"), ["12345"]);
        assert_eq!(orders("kod ZAM/2026/124"), ["ZAM/2026/124"]);
    }

    #[test]
    fn order_lists() {
        assert_eq!(
            orders("заказы 12345, 12346 и 12347"),
            ["12345", "12346", "12347"]
        );
        assert_eq!(orders("orders #111, #222 and #333"), ["111", "222", "333"]);
        assert_eq!(orders("zamówienia 5551 oraz 5552"), ["5551", "5552"]);
    }

    #[test]
    fn order_number_written_in_groups() {
        assert_eq!(orders("Заказ 601 234 567 оплачен"), ["601234567"]);
        assert!(orders("заказ 601 234 567 руб.").is_empty());
        assert_eq!(
            values("заказ 12345 1 250 руб."),
            [
                (EntityKind::OrderNumber, "12345".to_string()),
                (EntityKind::Amount, "1250.00 RUB".to_string())
            ]
        );
    }

    #[test]
    fn order_identifier_stops_before_words() {
        assert_eq!(orders("order 12345/confirmation"), ["12345"]);
        assert_eq!(orders("заказ 12345-RU"), ["12345-RU"]);
        assert_eq!(orders("Order is 5"), Vec::<String>::new());
        assert_eq!(orders("Order # 5"), ["5"]);
    }

    #[test]
    fn order_span_is_the_identifier() {
        let text = "Ваш заказ № 12345 отправлен";
        let e = &extract(text)[0];
        assert_eq!(&text[e.start..e.end], "12345");
    }

    #[test]
    fn not_orders() {
        assert!(orders("I want to order 3 more").is_empty());
        assert!(orders("order 100 units").is_empty());
        assert!(orders("заказ на 1250 руб.").is_empty());
        assert!(orders("заказ 1250 руб.").is_empty());
        assert!(orders("zamówienie 300 zł").is_empty());
        assert!(orders("заказ от 15.03.2026").is_empty());
        assert!(orders("заказ 15.03.2026").is_empty());
        assert!(orders("order 2026-03-15").is_empty());
        assert!(orders("заказ 2 шт.").is_empty());
        assert!(orders("заказал 12345 раз").is_empty());
        assert!(orders("заказчик 12345").is_empty());
        assert!(orders("ordered 12345").is_empty());
        assert!(orders("в 2026 году").is_empty());
    }

    // ---- invoices

    #[test]
    fn invoices_in_three_languages() {
        assert_eq!(
            invoices("invoice INV-2026-0042 attached"),
            ["INV-2026-0042"]
        );
        assert_eq!(invoices("Invoice #987 unpaid"), ["987"]);
        assert_eq!(invoices("INV-2026-0043 is overdue"), ["INV-2026-0043"]);
        assert_eq!(invoices("счёт № 123 оплачен"), ["123"]);
        assert_eq!(invoices("Пришлите счета №2026-15"), ["2026-15"]);
        assert_eq!(invoices("счет на оплату № 456"), ["456"]);
        assert_eq!(invoices("счёт-фактура № 45 от 15.03.2026"), ["45"]);
        assert_eq!(invoices("Счет-фактура 178"), ["178"]);
        assert_eq!(invoices("faktura FV/2026/03/15"), ["FV/2026/03/15"]);
        assert_eq!(invoices("korekta faktury nr 15/03/2026"), ["15/03/2026"]);
        assert_eq!(invoices("faktura VAT nr FV/2026/03/16"), ["FV/2026/03/16"]);
        assert_eq!(invoices("w fakturze 321/2026"), ["321/2026"]);
    }

    #[test]
    fn bank_accounts_are_not_invoices() {
        assert!(invoices("переведите на счёт 40817810099910004312").is_empty());
        assert!(invoices("лицевой счёт 123456").is_empty());
        assert!(invoices("расчетный счет 40702810900000000001").is_empty());
    }

    #[test]
    fn invoice_date_without_marker_is_not_an_invoice_number() {
        assert!(invoices("faktura 15/03/2026").is_empty());
        assert!(invoices("faktura 15.03.2026").is_empty());
    }

    // ---- tracking

    #[test]
    fn tracking_numbers() {
        assert_eq!(
            of_kind(
                "tracking number: 1Z999AA10123456784",
                EntityKind::TrackingNumber
            ),
            ["1Z999AA10123456784"]
        );
        assert_eq!(
            of_kind("трек-номер RA123456789RU", EntityKind::TrackingNumber),
            ["RA123456789RU"]
        );
        assert_eq!(
            of_kind("Трек: 80089512345678", EntityKind::TrackingNumber),
            ["80089512345678"]
        );
        assert_eq!(
            of_kind(
                "numer przesyłki 00359007738000000000",
                EntityKind::TrackingNumber
            ),
            ["00359007738000000000"]
        );
        assert_eq!(
            of_kind(
                "номер отслеживания: LP00123456789012",
                EntityKind::TrackingNumber
            ),
            ["LP00123456789012"]
        );
    }

    #[test]
    fn standalone_s10_needs_check_digit() {
        assert_eq!(
            of_kind("пришло RA123456785RU вчера", EntityKind::TrackingNumber),
            ["RA123456785RU"]
        );
        assert!(of_kind("код RA123456789RU", EntityKind::TrackingNumber).is_empty());
        assert!(s10_ok("EE472918646PL"));
        assert!(!s10_ok("EE472918647PL"));
    }

    #[test]
    fn tracking_after_carrier_name() {
        assert_eq!(
            of_kind(
                "(order #55218, DPD 13800012345678)",
                EntityKind::TrackingNumber
            ),
            ["13800012345678"]
        );
        assert_eq!(
            of_kind(
                "по накладной СДЭК 10234567890 пишет",
                EntityKind::TrackingNumber
            ),
            ["10234567890"]
        );
        assert_eq!(
            of_kind(
                "Paczka InPost 520000012345678901234567",
                EntityKind::TrackingNumber
            ),
            ["520000012345678901234567"]
        );
        assert!(of_kind("ups and downs 2026", EntityKind::TrackingNumber).is_empty());
    }

    #[test]
    fn short_tracking_rejected() {
        assert!(of_kind("tracking 12345", EntityKind::TrackingNumber).is_empty());
    }

    // ---- amounts

    #[test]
    fn amounts_spec_examples() {
        assert_eq!(amounts_of("$49"), ["49.00 USD"]);
        assert_eq!(amounts_of("49 USD"), ["49.00 USD"]);
        assert_eq!(amounts_of("Razem 1 250,00 zł"), ["1250.00 PLN"]);
        assert_eq!(amounts_of("1250 руб."), ["1250.00 RUB"]);
        assert_eq!(amounts_of("1 250 рублей"), ["1250.00 RUB"]);
        assert_eq!(amounts_of("€19.99"), ["19.99 EUR"]);
        assert_eq!(amounts_of("19,99 EUR"), ["19.99 EUR"]);
        assert_eq!(amounts_of("PLN 300"), ["300.00 PLN"]);
    }

    #[test]
    fn amounts_more_formats() {
        assert_eq!(amounts_of("charged $1,250.50 twice"), ["1250.50 USD"]);
        assert_eq!(amounts_of("kosztowało 1.250,00 PLN"), ["1250.00 PLN"]);
        assert_eq!(amounts_of("£10"), ["10.00 GBP"]);
        assert_eq!(amounts_of("100 ₽"), ["100.00 RUB"]);
        assert_eq!(amounts_of("19.99€"), ["19.99 EUR"]);
        assert_eq!(amounts_of("50 долларов"), ["50.00 USD"]);
        assert_eq!(amounts_of("20 евро"), ["20.00 EUR"]);
        assert_eq!(amounts_of("300 złotych"), ["300.00 PLN"]);
        assert_eq!(amounts_of("10 funtów"), ["10.00 GBP"]);
        assert_eq!(amounts_of("5 dollars"), ["5.00 USD"]);
        assert_eq!(amounts_of("1\u{a0}250,5\u{a0}zł"), ["1250.50 PLN"]);
        assert_eq!(amounts_of("USD 49.5"), ["49.50 USD"]);
        assert_eq!(amounts_of("15 р."), ["15.00 RUB"]);
        assert_eq!(amounts_of("999 zl"), ["999.00 PLN"]);
        assert_eq!(amounts_of("20 euro"), ["20.00 EUR"]);
        assert_eq!(amounts_of("2 rubles"), ["2.00 RUB"]);
        assert_eq!(
            amounts_of("Стоимость 500р, доставка 300р."),
            ["500.00 RUB", "300.00 RUB"]
        );
        assert_eq!(amounts_of("EUR19.99"), ["19.99 EUR"]);
        assert_eq!(amounts_of("refund -500 руб"), ["500.00 RUB"]);
    }

    #[test]
    fn amounts_with_multipliers_and_minor_units() {
        assert_eq!(amounts_of("5 тыс. руб."), ["5000.00 RUB"]);
        assert_eq!(amounts_of("1,5 млн рублей"), ["1500000.00 RUB"]);
        assert_eq!(amounts_of("2 tys. zł"), ["2000.00 PLN"]);
        assert_eq!(amounts_of("1250 руб. 50 коп."), ["1250.50 RUB"]);
        assert_eq!(amounts_of("10 zł 5 gr"), ["10.05 PLN"]);
    }

    #[test]
    fn amount_span_covers_number_and_currency() {
        let text = "Итого: 1 250 рублей.";
        let e = &extract(text)[0];
        assert_eq!(&text[e.start..e.end], "1 250 рублей");
    }

    #[test]
    fn not_amounts() {
        assert!(amounts_of("Доставка 15.03.2026").is_empty());
        assert!(amounts_of("Delivered 2026-03-15 at 10:30").is_empty());
        assert!(amounts_of("version 2.4.1").is_empty());
        assert!(amounts_of("order 12345").is_empty());
        assert!(amounts_of("5 рубашек").is_empty());
        assert!(amounts_of("50%").is_empty());
        assert!(amounts_of("2026-03-15 EUR").is_empty());
        assert!(amounts_of("EURO 2024").is_empty());
        assert!(amounts_of("A$49 and C$10").is_empty());
        assert!(amounts_of("в 5 раз больше").is_empty());
        assert!(amounts_of("Цена счёт").is_empty());
    }

    #[test]
    fn amount_after_order_number() {
        let v = values("заказ 12345 на 1 250,00 zł");
        assert_eq!(
            v,
            [
                (EntityKind::OrderNumber, "12345".to_string()),
                (EntityKind::Amount, "1250.00 PLN".to_string())
            ]
        );
    }

    #[test]
    fn order_number_glued_to_amount_words_is_resolved() {
        // Keyed order number first, then the amount after it.
        assert_eq!(
            values("zamówienie nr 12345 300 zł"),
            [
                (EntityKind::OrderNumber, "12345".to_string()),
                (EntityKind::Amount, "300.00 PLN".to_string())
            ]
        );
    }

    // ---- emails and phones via pii

    #[test]
    fn emails_and_phones_normalised() {
        let text = "Contact Ivan.Petrov@Mail.RU or +7 (912) 345-67-89, 8 912 345 67 89 and 601-234-567, (212) 555-1234";
        assert_eq!(
            values(text),
            [
                (EntityKind::Email, "ivan.petrov@mail.ru".to_string()),
                (EntityKind::Phone, "+79123456789".to_string()),
                (EntityKind::Phone, "+48601234567".to_string()),
                (EntityKind::Phone, "+12125551234".to_string()),
            ]
        );
    }

    #[test]
    fn phone_normalisation_cases() {
        assert_eq!(normalize_phone("+48 601 234 567"), "+48601234567");
        assert_eq!(normalize_phone("0048 601 234 567"), "+48601234567");
        assert_eq!(normalize_phone("89123456789"), "+79123456789");
        assert_eq!(normalize_phone("(912) 345-67-89"), "+79123456789");
        assert_eq!(normalize_phone("9123456789"), "+79123456789");
        assert_eq!(normalize_phone("1-800-555-1234"), "+18005551234");
        assert_eq!(normalize_phone("212.555.1234"), "+12125551234");
        assert_eq!(normalize_phone("4951234567"), "4951234567");
    }

    #[test]
    fn order_that_looks_like_a_phone_stays_an_order() {
        assert_eq!(
            values("order 601-234-567"),
            [(EntityKind::OrderNumber, "601-234-567".to_string())]
        );
        assert_eq!(
            values("заказ № 89123456789"),
            [(EntityKind::OrderNumber, "89123456789".to_string())]
        );
    }

    // ---- whole tickets, ordering, dedup, Unicode

    #[test]
    fn full_russian_ticket() {
        let text = "Здравствуйте! По заказу № 12345 списали 1 250 рублей дважды, счёт № 77 прилагаю. \
                    Трек-номер RA123456785RU. Мой телефон +7 912 345-67-89, почта ivan@mail.ru.";
        assert_eq!(
            values(text),
            [
                (EntityKind::OrderNumber, "12345".to_string()),
                (EntityKind::Amount, "1250.00 RUB".to_string()),
                (EntityKind::InvoiceNumber, "77".to_string()),
                (EntityKind::TrackingNumber, "RA123456785RU".to_string()),
                (EntityKind::Phone, "+79123456789".to_string()),
                (EntityKind::Email, "ivan@mail.ru".to_string()),
            ]
        );
    }

    #[test]
    fn full_polish_ticket() {
        let text = "Dzień dobry, zamówienie nr ZAM/2026/123 z dnia 15.03.2026 — zapłaciłem 1 250,00 zł, \
                    faktura FV/2026/03/15. Numer przesyłki 00359007738000000000. Tel. 601 234 567.";
        assert_eq!(
            values(text),
            [
                (EntityKind::OrderNumber, "ZAM/2026/123".to_string()),
                (EntityKind::Amount, "1250.00 PLN".to_string()),
                (EntityKind::InvoiceNumber, "FV/2026/03/15".to_string()),
                (
                    EntityKind::TrackingNumber,
                    "00359007738000000000".to_string()
                ),
                (EntityKind::Phone, "+48601234567".to_string()),
            ]
        );
    }

    #[test]
    fn full_english_ticket() {
        let text = "Hi, order #12345 (invoice INV-2026-0042) was charged $49 and then €19.99 again. \
                    Updated app to 2.4.1 on 2026-03-15 at 10:30. Call (212) 555-1234 or mail bob@example.com.";
        assert_eq!(
            values(text),
            [
                (EntityKind::OrderNumber, "12345".to_string()),
                (EntityKind::InvoiceNumber, "INV-2026-0042".to_string()),
                (EntityKind::Amount, "49.00 USD".to_string()),
                (EntityKind::Amount, "19.99 EUR".to_string()),
                (EntityKind::Phone, "+12125551234".to_string()),
                (EntityKind::Email, "bob@example.com".to_string()),
            ]
        );
    }

    #[test]
    fn deduplicated_by_kind_and_value() {
        let text = "order #12345 ... again order 12345, $49 and 49 USD";
        assert_eq!(
            values(text),
            [
                (EntityKind::OrderNumber, "12345".to_string()),
                (EntityKind::Amount, "49.00 USD".to_string()),
            ]
        );
        let e = extract(text);
        assert_eq!(&text[e[0].start..e[0].end], "12345");
        assert_eq!(e[0].start, 7);
    }

    #[test]
    fn sorted_and_on_char_boundaries() {
        let text = "Ёжик: счёт №5 — да, счёт 55 — нет; zł 0; żółw 300 zł; заказа 778899 ёё";
        let found = extract(text);
        assert!(
            found
                .windows(2)
                .all(|w| w[0].start <= w[1].start && w[0].end <= w[1].start)
        );
        for e in &found {
            assert!(text.is_char_boundary(e.start) && text.is_char_boundary(e.end));
        }
        assert_eq!(
            values(text),
            [
                (EntityKind::InvoiceNumber, "5".to_string()),
                (EntityKind::Amount, "300.00 PLN".to_string()),
                (EntityKind::OrderNumber, "778899".to_string()),
            ]
        );
    }

    #[test]
    fn serde_shape() {
        let e = Entity {
            kind: EntityKind::InvoiceNumber,
            value: "INV-1".into(),
            start: 0,
            end: 5,
        };
        assert_eq!(
            serde_json::to_string(&e).expect("serialises"),
            r#"{"kind":"invoice_number","value":"INV-1","start":0,"end":5}"#
        );
    }

    #[test]
    fn empty_and_junk_input() {
        assert!(extract("").is_empty());
        let junk = "№№## заказ № , счёт: ; $ € 1.2.3.4 ,,, zł zł 00 ".repeat(40);
        let _ = extract(&junk);
    }

    /// Deterministic pseudo-random tickets built from the characters that matter: invariants
    /// must hold and nothing may panic.
    #[test]
    fn random_tickets_keep_invariants() {
        const ALPHABET: &[&str] = &[
            "0",
            "1",
            "2",
            "4",
            "7",
            "8",
            "9",
            " ",
            " ",
            "-",
            ".",
            ",",
            "(",
            ")",
            "+",
            "/",
            "#",
            "№",
            "@",
            "a",
            "Z",
            "ё",
            "ż",
            "\u{a0}",
            "zł",
            "руб.",
            "$",
            "€",
            "заказ ",
            "nr ",
            "INV-",
            "ИНН ",
            "тел. ",
            "\n",
        ];
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..400 {
            let mut ticket = String::new();
            for _ in 0..60 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                ticket.push_str(ALPHABET[(state % ALPHABET.len() as u64) as usize]);
            }
            let found = extract(&ticket);
            for w in found.windows(2) {
                assert!(w[0].start <= w[1].start, "{ticket:?}");
            }
            for e in &found {
                assert!(
                    e.start < e.end && ticket.get(e.start..e.end).is_some(),
                    "{ticket:?}"
                );
            }
            let pii_found = pii::find_pii(&ticket);
            for w in pii_found.windows(2) {
                assert!(w[0].end <= w[1].start, "{ticket:?}");
            }
            // Redaction keeps every byte outside the findings.
            let red = pii::redact(&ticket, &pii_found);
            let mut rebuilt = String::new();
            let mut pos = 0;
            for f in &pii_found {
                rebuilt.push_str(&ticket[pos..f.start]);
                rebuilt.push_str(f.kind.tag());
                pos = f.end;
            }
            rebuilt.push_str(&ticket[pos..]);
            assert_eq!(red, rebuilt);
        }
    }
}
