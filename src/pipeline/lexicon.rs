//! Default escalation lexicons: trigger terms by kind and explicit requests for a human, in Russian, Polish and English.
//!
//! Terms are lowercase and in dictionary form; the matcher lowercases, folds and stems both
//! the terms and the ticket, so "юрист" also matches "юриста" and "юристом", and "sąd"
//! matches "sądu" and "sadem". Multi-word terms match word by word, in order. Terms are kept
//! specific where a bare word would fire on ordinary tickets: "social media" and not
//! "media", "your manager" and not "manager" ("password manager"), "negatywna opinia" and
//! not "opinia".

/// Kinds of trigger a team may configure; the default terms per kind and language follow.
pub const TRIGGER_KINDS: &[&str] = &[
    "legal",
    "cancellation",
    "chargeback",
    "complaint",
    "data_protection",
    "security_incident",
    "threat",
];

/// (kind, language code "ru"|"pl"|"en", terms). Terms are dictionary forms; the matcher
/// stems them, so "юрист" also matches "юриста", "юристом".
pub const DEFAULT_TRIGGERS: &[(&str, &str, &[&str])] = &[
    (
        "legal",
        "ru",
        &[
            "юрист",
            "адвокат",
            "юридический отдел",
            "мой представитель",
            "суд",
            "в суд",
            "подать в суд",
            "судебный иск",
            "судиться",
            "судебное разбирательство",
            "арбитражный суд",
            "иск",
            "исковое заявление",
            "претензия",
            "досудебная претензия",
            "прокуратура",
            "роспотребнадзор",
            "защита прав потребителей",
            "закон о защите прав потребителей",
            "зозпп",
            "права потребителя",
            "нарушение закона",
            "незаконно",
            "противозаконно",
            "центробанк",
            "жалоба в цб",
            "фас",
            "полиция",
            "заявление в полицию",
            "уголовное дело",
            "гражданский кодекс",
            "неустойка",
            "нотариус",
        ],
    ),
    (
        "legal",
        "pl",
        &[
            "prawnik",
            "adwokat",
            "radca prawny",
            "kancelaria",
            "sąd",
            "do sądu",
            "sprawa sądowa",
            "droga sądowa",
            "postępowanie sądowe",
            "pozew",
            "pozwać",
            "kroki prawne",
            "konsekwencje prawne",
            "uokik",
            "rzecznik konsumentów",
            "miejski rzecznik konsumentów",
            "powiatowy rzecznik konsumentów",
            "rzecznik finansowy",
            "europejskie centrum konsumenckie",
            "inspekcja handlowa",
            "prokuratura",
            "policja",
            "zawiadomienie o przestępstwie",
            "wezwanie do zapłaty",
            "przedsądowe wezwanie",
            "nakaz zapłaty",
            "naruszenie prawa",
            "niezgodne z prawem",
            "prawa konsumenta",
            "ustawa o prawach konsumenta",
            "kodeks cywilny",
            "sąd polubowny",
        ],
    ),
    (
        "legal",
        "en",
        &[
            "lawyer",
            "attorney",
            "solicitor",
            "legal counsel",
            "legal department",
            "court",
            "small claims court",
            "sue",
            "lawsuit",
            "legal action",
            "take legal action",
            "legal proceedings",
            "class action",
            "litigation",
            "cease and desist",
            "consumer protection",
            "consumer rights",
            "trading standards",
            "ombudsman",
            "better business bureau",
            "attorney general",
            "ftc",
            "cfpb",
            "regulator",
            "breach of contract",
            "violation of the law",
            "illegal",
            "unlawful",
            "police",
            "report you to the authorities",
            "demand letter",
            "letter before action",
        ],
    ),
    (
        "cancellation",
        "ru",
        &[
            "отменить",
            "отмена",
            "отменить подписку",
            "отменить заказ",
            "отписаться",
            "отказаться от подписки",
            "отказаться от услуги",
            "отказ от услуг",
            "отключить подписку",
            "отключить услугу",
            "отключить автопродление",
            "автопродление",
            "не продлевать",
            "расторгнуть",
            "расторгнуть договор",
            "расторжение договора",
            "закрыть счёт",
            "закрыть аккаунт",
            "удалить аккаунт",
            "удалить учётную запись",
            "прекратить обслуживание",
            "больше не пользоваться",
            "перейти к конкурентам",
            "уйти к другому провайдеру",
            "вернуть деньги за подписку",
        ],
    ),
    (
        "cancellation",
        "pl",
        &[
            "anulować",
            "anulowanie",
            "anulować subskrypcję",
            "anulować zamówienie",
            "rezygnuję",
            "rezygnacja",
            "rezygnacja z subskrypcji",
            "rezygnacja z usługi",
            "zrezygnować",
            "wypowiedzieć umowę",
            "wypowiedzenie umowy",
            "rozwiązać umowę",
            "rozwiązanie umowy",
            "odstąpić od umowy",
            "odstąpienie od umowy",
            "zamknąć konto",
            "zamknięcie konta",
            "usunąć konto",
            "usunięcie konta",
            "wyłączyć subskrypcję",
            "wyłączyć automatyczne odnawianie",
            "nie przedłużać umowy",
            "przejść do konkurencji",
            "zmieniam dostawcę",
        ],
    ),
    (
        "cancellation",
        "en",
        &[
            "cancel",
            "cancellation",
            "cancel my subscription",
            "cancel my account",
            "cancel my order",
            "unsubscribe",
            "terminate",
            "terminate my contract",
            "termination",
            "close my account",
            "delete my account",
            "end my subscription",
            "stop my subscription",
            "stop billing me",
            "turn off auto-renewal",
            "auto-renewal",
            "do not renew",
            "not renewing",
            "opt out",
            "withdraw from the contract",
            "switch to a competitor",
            "switching providers",
            "leave your service",
            "no longer want your service",
        ],
    ),
    (
        "chargeback",
        "ru",
        &[
            "chargeback",
            "чарджбэк",
            "чарджбек",
            "отозвать платёж",
            "оспорить платёж",
            "оспорить списание",
            "оспорить транзакцию",
            "опротестовать платёж",
            "опротестовать транзакцию",
            "открыть диспут",
            "диспут",
            "возвратный платёж",
            "отмена транзакции через банк",
            "вернуть деньги через банк",
            "обращусь в банк",
            "заявление в банк",
            "несанкционированное списание",
            "списание без согласия",
            "не подтверждал платёж",
        ],
    ),
    (
        "chargeback",
        "pl",
        &[
            "chargeback",
            "obciążenie zwrotne",
            "procedura chargeback",
            "reklamacja w banku",
            "reklamacja transakcji",
            "reklamacja płatności kartą",
            "zgłoszę do banku",
            "zgłoszenie w banku",
            "bank zwróci pieniądze",
            "zwrot przez bank",
            "zakwestionować transakcję",
            "kwestionuję transakcję",
            "sporna transakcja",
            "cofnięcie płatności",
            "nieautoryzowana transakcja",
            "transakcja bez mojej zgody",
            "nie autoryzowałem płatności",
        ],
    ),
    (
        "chargeback",
        "en",
        &[
            "chargeback",
            "charge back",
            "dispute the charge",
            "dispute this charge",
            "dispute the transaction",
            "dispute the payment",
            "file a dispute",
            "open a dispute",
            "dispute with my bank",
            "contact my bank",
            "call my bank",
            "reverse the charge",
            "reverse the payment",
            "payment reversal",
            "unauthorized charge",
            "unauthorised charge",
            "charge i did not authorize",
            "credit card company",
            "card issuer",
            "stop payment",
            "paypal dispute",
            "paypal claim",
        ],
    ),
    (
        "complaint",
        "ru",
        &[
            "жалоба",
            "пожаловаться",
            "жаловаться",
            "официальная жалоба",
            "письменная жалоба",
            "книга жалоб",
            "претензия",
            "рекламация",
            "официальное обращение",
            "руководитель",
            "ваше руководство",
            "позовите руководство",
            "начальник",
            "старший менеджер",
            "вышестоящее руководство",
            "генеральный директор",
            "директор",
            "недоволен обслуживанием",
            "требую объяснений",
            "требую компенсацию",
            "компенсация",
            "возмещение ущерба",
            "разобраться с сотрудником",
        ],
    ),
    (
        "complaint",
        "pl",
        &[
            "skarga",
            "złożyć skargę",
            "oficjalna skarga",
            "pisemna skarga",
            "zażalenie",
            "reklamacja",
            "składam reklamację",
            "reklamować",
            "pretensja",
            "kierownik",
            "kierownictwo",
            "przełożony",
            "dyrektor",
            "prezes",
            "zarząd",
            "książka skarg",
            "niezadowolenie z obsługi",
            "żądam wyjaśnień",
            "żądam rekompensaty",
            "rekompensata",
            "zadośćuczynienie",
            "odszkodowanie",
        ],
    ),
    (
        "complaint",
        "en",
        &[
            "complaint",
            "complain",
            "formal complaint",
            "file a complaint",
            "lodge a complaint",
            "written complaint",
            "grievance",
            "escalate",
            "escalation",
            "supervisor",
            "your manager",
            "speak to a manager",
            "talk to a manager",
            "senior management",
            "head of customer service",
            "ceo",
            "dissatisfied",
            "compensation",
            "demand compensation",
            "demand an explanation",
            "unacceptable service",
        ],
    ),
    (
        "data_protection",
        "ru",
        &[
            "152-фз",
            "закон о персональных данных",
            "персональные данные",
            "обработка персональных данных",
            "согласие на обработку",
            "отозвать согласие",
            "отзыв согласия",
            "удалить мои данные",
            "удаление данных",
            "удалите мои данные",
            "право на удаление",
            "какие данные вы храните",
            "доступ к моим данным",
            "передача данных третьим лицам",
            "третьим лицам",
            "роскомнадзор",
            "ркн",
            "gdpr",
            "конфиденциальность",
            "политика конфиденциальности",
            "рассылка без согласия",
        ],
    ),
    (
        "data_protection",
        "pl",
        &[
            "rodo",
            "gdpr",
            "dane osobowe",
            "ochrona danych osobowych",
            "przetwarzanie danych",
            "zgoda na przetwarzanie",
            "wycofanie zgody",
            "cofam zgodę",
            "usunięcie danych",
            "usuńcie moje dane",
            "usunąć moje dane",
            "prawo do bycia zapomnianym",
            "prawo do usunięcia danych",
            "dostęp do danych",
            "kopia moich danych",
            "przekazanie danych osobom trzecim",
            "uodo",
            "prezes uodo",
            "inspektor ochrony danych",
            "polityka prywatności",
            "prywatność",
        ],
    ),
    (
        "data_protection",
        "en",
        &[
            "gdpr",
            "ccpa",
            "hipaa",
            "delete my data",
            "delete my personal data",
            "erase my data",
            "right to erasure",
            "right to be forgotten",
            "subject access request",
            "data subject access request",
            "dsar",
            "personal data",
            "personal information",
            "data protection",
            "data protection officer",
            "dpo",
            "privacy",
            "privacy policy",
            "withdraw consent",
            "without my consent",
            "sell my data",
            "shared my data",
            "third parties",
            "data retention",
        ],
    ),
    (
        "security_incident",
        "ru",
        &[
            "взлом",
            "взломать",
            "взломанный аккаунт",
            "утечка",
            "утечка данных",
            "несанкционированный доступ",
            "фишинг",
            "фишинговое письмо",
            "угнали аккаунт",
            "украли аккаунт",
            "чужой вход",
            "неизвестный вход",
            "кто-то зашёл в мой аккаунт",
            "сменили пароль без моего ведома",
            "без моего ведома",
            "украли деньги",
            "пропали деньги со счёта",
            "скомпрометирован",
            "подозрительная активность",
            "вирус",
            "вредоносная программа",
            "мошенники звонили",
        ],
    ),
    (
        "security_incident",
        "pl",
        &[
            "włamanie",
            "włamać się",
            "zhakować",
            "zhakowane konto",
            "haker",
            "wyciek",
            "wyciek danych",
            "nieautoryzowany dostęp",
            "phishing",
            "fałszywy sms",
            "podejrzana wiadomość",
            "przejęcie konta",
            "przejęte konto",
            "ktoś zalogował się na moje konto",
            "nieznane logowanie",
            "podejrzane logowanie",
            "zmieniono hasło bez mojej wiedzy",
            "bez mojej wiedzy",
            "skradzione dane",
            "kradzież tożsamości",
            "złośliwe oprogramowanie",
            "wirus",
            "podejrzana aktywność",
        ],
    ),
    (
        "security_incident",
        "en",
        &[
            "hacked",
            "hacker",
            "breach",
            "data breach",
            "security breach",
            "data leak",
            "leaked",
            "unauthorized access",
            "unauthorised access",
            "compromised",
            "account takeover",
            "someone logged into my account",
            "someone accessed my account",
            "unknown login",
            "suspicious login",
            "suspicious activity",
            "phishing",
            "scam email",
            "without my knowledge",
            "stolen",
            "identity theft",
            "fraudulent transaction",
            "malware",
            "virus",
            "vulnerability",
            "ransomware",
        ],
    ),
    (
        "threat",
        "ru",
        &[
            "отзыв на всех площадках",
            "напишу отзыв",
            "оставлю отзыв",
            "негативный отзыв",
            "плохой отзыв",
            "отзовик",
            "соцсети",
            "социальные сети",
            "напишу в соцсетях",
            "сми",
            "журналист",
            "телевидение",
            "расскажу всем",
            "опубликую",
            "выложу в интернет",
            "выложу на ютуб",
            "телеграм-канал",
            "публично",
            "огласка",
            "предать огласке",
            "обращусь к депутату",
            "приёмная президента",
            "предупрежу всех",
        ],
    ),
    (
        "threat",
        "pl",
        &[
            "negatywna opinia",
            "wystawię opinię",
            "zła opinia",
            "opinie w google",
            "opiszę to wszędzie",
            "media społecznościowe",
            "social media",
            "napiszę na facebooku",
            "zgłoszę sprawę do mediów",
            "dziennikarz",
            "telewizja",
            "sprawa dla reportera",
            "interwencja",
            "nagłośnię sprawę",
            "nagłośnić",
            "publicznie",
            "opublikuję",
            "ceneo",
            "trustpilot",
            "ostrzegę innych",
            "wszyscy się dowiedzą",
            "poseł",
        ],
    ),
    (
        "threat",
        "en",
        &[
            "i will post this everywhere",
            "post this everywhere",
            "social media",
            "post on twitter",
            "post on facebook",
            "reddit",
            "trustpilot",
            "yelp",
            "google reviews",
            "bad review",
            "negative review",
            "one-star review",
            "1-star review",
            "leave a review",
            "the press",
            "go to the media",
            "contact the media",
            "journalist",
            "go public",
            "make this public",
            "tell everyone",
            "warn others",
            "go viral",
            "name and shame",
            "watchdog",
        ],
    ),
];

/// (language code, phrases) asking for a human: "позовите оператора", "хочу поговорить с
/// человеком", "chcę rozmawiać z konsultantem", "połącz mnie z człowiekiem", "talk to a real
/// person", "speak to a human", "agent please"...
pub const DEFAULT_HUMAN_REQUESTS: &[(&str, &[&str])] = &[
    (
        "ru",
        &[
            "перезвоните мне",
            "позвоните мне",
            "оператор",
            "живой оператор",
            "позовите оператора",
            "соедините с оператором",
            "переключите на оператора",
            "хочу поговорить с оператором",
            "живой человек",
            "хочу поговорить с человеком",
            "позовите человека",
            "дайте человека",
            "нужен человек",
            "с живым человеком",
            "специалист",
            "соедините со специалистом",
            "поговорить со специалистом",
            "менеджер",
            "позовите менеджера",
            "свяжите меня с менеджером",
            "сотрудник",
            "живой сотрудник",
            "консультант",
            "не бот",
            "хватит бота",
            "не хочу общаться с ботом",
            "вы робот",
            "перестаньте отвечать шаблонами",
        ],
    ),
    (
        "pl",
        &[
            "proszę oddzwonić",
            "zadzwońcie do mnie",
            "kontakt telefoniczny",
            "konsultant",
            "konsultantka",
            "żywy konsultant",
            "chcę rozmawiać z konsultantem",
            "połącz mnie z konsultantem",
            "przełącz na konsultanta",
            "proszę o kontakt z konsultantem",
            "żywy człowiek",
            "prawdziwy człowiek",
            "chcę rozmawiać z człowiekiem",
            "połącz mnie z człowiekiem",
            "czy mogę porozmawiać z człowiekiem",
            "rozmowa z człowiekiem",
            "kontakt z człowiekiem",
            "prawdziwa osoba",
            "pracownik",
            "chcę rozmawiać z pracownikiem",
            "doradca",
            "połącz mnie z doradcą",
            "chcę z kimś porozmawiać",
            "nie z botem",
            "nie chcę rozmawiać z botem",
            "dość bota",
        ],
    ),
    (
        "en",
        &[
            "call me back",
            "request a callback",
            "someone from sales",
            "human",
            "a human please",
            "real person",
            "a real person",
            "live person",
            "live agent",
            "agent",
            "agent please",
            "representative",
            "customer service representative",
            "talk to a human",
            "speak to a human",
            "talk to a real person",
            "speak to a real person",
            "talk to someone",
            "speak to someone",
            "speak with an agent",
            "connect me to an agent",
            "transfer me to an agent",
            "i want a human",
            "get me a human",
            "operator",
            "not a bot",
            "stop the bot",
            "are you a bot",
            "i don't want to talk to a bot",
            "support agent",
        ],
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    const LANGS: [&str; 3] = ["ru", "pl", "en"];

    fn term_ok(term: &str) {
        assert!(!term.trim().is_empty(), "empty term");
        assert_eq!(term, term.trim(), "{term:?} has outer whitespace");
        assert!(!term.contains("  "), "{term:?} has a double space");
        assert_eq!(term, term.to_lowercase(), "{term:?} is not lowercase");
    }

    #[test]
    fn every_kind_has_terms_in_every_language() {
        for kind in TRIGGER_KINDS {
            for lang in LANGS {
                let rows: Vec<_> = DEFAULT_TRIGGERS
                    .iter()
                    .filter(|(k, l, _)| k == kind && *l == lang)
                    .collect();
                assert_eq!(rows.len(), 1, "{kind}/{lang}: {} rows", rows.len());
                let n = rows[0].2.len();
                assert!((15..=40).contains(&n), "{kind}/{lang}: {n} terms");
            }
        }
        for (kind, lang, _) in DEFAULT_TRIGGERS {
            assert!(TRIGGER_KINDS.contains(kind), "unknown kind {kind}");
            assert!(LANGS.contains(lang), "unknown language {lang}");
        }
        assert_eq!(DEFAULT_TRIGGERS.len(), TRIGGER_KINDS.len() * LANGS.len());
    }

    #[test]
    fn trigger_terms_are_lowercase_nonempty_and_unique() {
        for (kind, lang, terms) in DEFAULT_TRIGGERS {
            let mut seen = HashSet::new();
            for term in *terms {
                term_ok(term);
                assert!(seen.insert(*term), "{kind}/{lang}: duplicate {term:?}");
            }
        }
    }

    #[test]
    fn kinds_are_unique_snake_case() {
        let mut seen = HashSet::new();
        for kind in TRIGGER_KINDS {
            assert!(seen.insert(kind), "duplicate kind {kind}");
            assert!(
                kind.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{kind}"
            );
        }
    }

    #[test]
    fn human_requests_cover_every_language() {
        for lang in LANGS {
            let rows: Vec<_> = DEFAULT_HUMAN_REQUESTS
                .iter()
                .filter(|(l, _)| *l == lang)
                .collect();
            assert_eq!(rows.len(), 1, "{lang}");
            let phrases = rows[0].1;
            assert!(
                (15..=30).contains(&phrases.len()),
                "{lang}: {}",
                phrases.len()
            );
            let mut seen = HashSet::new();
            for phrase in phrases {
                term_ok(phrase);
                assert!(seen.insert(*phrase), "{lang}: duplicate {phrase:?}");
            }
        }
        assert_eq!(DEFAULT_HUMAN_REQUESTS.len(), LANGS.len());
    }

    #[test]
    fn named_examples_are_present() {
        let has = |kind: &str, lang: &str, term: &str| {
            DEFAULT_TRIGGERS
                .iter()
                .any(|(k, l, t)| *k == kind && *l == lang && t.contains(&term))
        };
        assert!(has("legal", "ru", "юрист"));
        assert!(has("legal", "ru", "роспотребнадзор"));
        assert!(has("legal", "pl", "uokik"));
        assert!(has("legal", "en", "lawsuit"));
        assert!(has("cancellation", "pl", "wypowiedzieć umowę"));
        assert!(has("chargeback", "ru", "оспорить списание"));
        assert!(has("chargeback", "pl", "obciążenie zwrotne"));
        assert!(has("complaint", "ru", "претензия") && has("legal", "ru", "претензия"));
        assert!(has("data_protection", "ru", "152-фз"));
        assert!(has("data_protection", "pl", "rodo"));
        assert!(has("security_incident", "pl", "wyciek"));
        assert!(has("threat", "en", "social media"));
        let asks = |lang: &str, phrase: &str| {
            DEFAULT_HUMAN_REQUESTS
                .iter()
                .any(|(l, p)| *l == lang && p.contains(&phrase))
        };
        assert!(asks("ru", "позовите оператора"));
        assert!(asks("pl", "połącz mnie z człowiekiem"));
        assert!(asks("en", "agent please"));
    }
}
