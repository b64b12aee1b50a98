//! Small text helpers shared by the domain modules: cutting text at a character boundary, names safe in file names, a ticket trimmed to the customer's question.

/// The first `max` characters of `text` (all of it when shorter), never splitting a character.
pub fn clip_chars(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((i, _)) => &text[..i],
        None => text,
    }
}

/// `s` as a file-name part: ASCII letters, digits and `-` kept, anything else `_`
/// (model ids such as `fastembed:BGESmallENV15` or a folder path).
pub fn file_name_safe(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Openings of a letter, lower case, in English, Polish and Russian: a first line that is one of
/// these (with its punctuation and perhaps a name) is a greeting, not the question.
const GREETINGS: &[&str] = &[
    "hi",
    "hello",
    "hey",
    "dear",
    "good morning",
    "good afternoon",
    "good evening",
    "greetings",
    "hi team",
    "hello team",
    "hi there",
    "witam",
    "dzień dobry",
    "cześć",
    "hej",
    "szanowni państwo",
    "szanowny panie",
    "szanowna pani",
    "здравствуйте",
    "добрый день",
    "добрый вечер",
    "доброе утро",
    "привет",
    "уважаемые коллеги",
    "коллеги",
];

/// Closings of a letter: the line that starts with one of these starts the signature.
const CLOSINGS: &[&str] = &[
    "thanks",
    "thank you",
    "many thanks",
    "cheers",
    "best",
    "best regards",
    "kind regards",
    "regards",
    "sincerely",
    "br",
    "dzięki",
    "dziękuję",
    "pozdrawiam",
    "z poważaniem",
    "serdecznie",
    "pozdrowienia",
    "спасибо",
    "с уважением",
    "благодарю",
    "заранее спасибо",
    "всего доброго",
    "хорошего дня",
];

/// Whether a short line is one of `phrases`, alone or followed by punctuation and perhaps a name
/// ("Thanks,", "Dzięki, Tomasz", "Hello Anna!"), but not a sentence that begins with it
/// ("Thank you for the invoice", "Best plan for 5 users?").
fn starts_with_phrase(line: &str, phrases: &[&str]) -> bool {
    let lower = line.trim().to_lowercase();
    if lower.chars().count() > 40 {
        return false;
    }
    phrases.iter().any(|p| {
        let Some(rest) = lower.strip_prefix(p) else {
            return false;
        };
        let rest = rest.trim_start();
        let named = rest.split_whitespace().count() <= 2 && rest.ends_with([',', '!', '.']);
        rest.is_empty() || rest.starts_with([',', '!', '.', '-', '—']) || named
    })
}

/// A ticket as a one-line question for a reader: the greeting line dropped, everything from the
/// sign-off on dropped (name, phone placeholder), masked-data placeholders alone on a line
/// dropped, and whitespace folded. Text with no such structure comes back folded, not emptied.
pub fn customer_question(text: &str) -> String {
    let mut kept: Vec<&str> = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if starts_with_phrase(line, CLOSINGS) && !kept.is_empty() {
            break;
        }
        let placeholder = line.starts_with('[') && line.ends_with(']');
        if placeholder || starts_with_phrase(line, GREETINGS) {
            continue;
        }
        kept.push(line);
    }
    let question = kept.join(" ");
    let folded = question.split_whitespace().collect::<Vec<_>>().join(" ");
    if folded.is_empty() {
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    } else {
        folded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clips_on_character_boundaries() {
        assert_eq!(clip_chars("жёлтый", 3), "жёл");
        assert_eq!(clip_chars("abc", 10), "abc");
        assert_eq!(clip_chars("", 0), "");
    }

    #[test]
    fn file_names_keep_only_safe_characters() {
        assert_eq!(
            file_name_safe("fastembed:BGESmallENV15"),
            "fastembed_BGESmallENV15"
        );
        assert_eq!(file_name_safe("models/me5-small"), "models_me5-small");
    }

    #[test]
    fn a_ticket_is_trimmed_to_the_customers_question_in_three_languages() {
        let en = "Delivery time to Germany\nGood morning,\n\nIf I order two scanners today, when do they arrive?\n\nBest regards,\nDaniel\n[PHONE]";
        assert_eq!(
            customer_question(en),
            "Delivery time to Germany If I order two scanners today, when do they arrive?"
        );
        let pl = "Zwrot po upgrade\nWitam,\n\nCzy dopłata wraca?\n\nDzięki, Tomasz";
        assert_eq!(customer_question(pl), "Zwrot po upgrade Czy dopłata wraca?");
        let ru = "Доставка в Казань\nЗдравствуйте!\nСколько идёт доставка?\nС уважением,\nИван";
        assert_eq!(
            customer_question(ru),
            "Доставка в Казань Сколько идёт доставка?"
        );
        // A sign-off word inside the question is not a signature; a bare greeting line is kept
        // when it is all there is.
        assert_eq!(
            customer_question("Thanks for the refund, but where is the invoice?"),
            "Thanks for the refund, but where is the invoice?"
        );
        assert_eq!(customer_question("Hello"), "Hello");
        assert_eq!(
            customer_question("Hi,\nbest plan for 5 users?"),
            "best plan for 5 users?"
        );
        assert_eq!(
            customer_question(
                "Hello Anna!\nWhy was I billed twice?\nThank you for checking it\nCheers\nBob"
            ),
            "Why was I billed twice? Thank you for checking it"
        );
    }
}
