//! Replies and handovers: the answer rendered through a minijinja template (ticket text only ever as data), the agent's summary, PII redacted.

use std::path::Path;

use anyhow::Context;
use minijinja::value::Serde;
use minijinja::{Environment, Value, context};
use serde::Serialize;

use super::pii::{self, PiiFinding};
use super::{Source, Turn};
use crate::corpus::Chunk;
use crate::error::UserError;
use crate::lang::Lang;
use crate::tickets::{Role, Ticket};

/// The built-in reply template; `templates.answer` in kbctl.yaml replaces it.
pub const DEFAULT_ANSWER_TEMPLATE: &str = include_str!("../../templates/answer.md.j2");
const SUMMARY_CHARS: usize = 280;

/// Phrases of the reply in the ticket's language.
#[derive(Debug, Serialize)]
struct Phrases {
    greeting: &'static str,
    more: &'static str,
    signoff: &'static str,
}

fn phrases(lang: Lang) -> Phrases {
    match lang {
        Lang::Ru => Phrases {
            greeting: "Здравствуйте",
            more: "Подробнее",
            signoff: "С уважением,\nслужба поддержки",
        },
        Lang::Pl => Phrases {
            greeting: "Dzień dobry",
            more: "Więcej informacji",
            signoff: "Pozdrawiamy,\nzespół wsparcia",
        },
        Lang::En | Lang::Und => Phrases {
            greeting: "Hello",
            more: "More information",
            signoff: "Best regards,\nSupport team",
        },
    }
}

/// Renders replies from one template, compiled once.
pub struct Renderer {
    env: Environment<'static>,
}

impl Renderer {
    /// The built-in template, or the file named in the configuration.
    pub fn new(template: Option<&Path>) -> anyhow::Result<Self> {
        let source = match template {
            Some(path) => std::fs::read_to_string(path)
                .map_err(|err| UserError::Invalid(format!("template {}: {err}", path.display())))?,
            None => DEFAULT_ANSWER_TEMPLATE.to_string(),
        };
        let mut env = Environment::new();
        let syntax = minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .build()
            .context("template syntax")?;
        env.set_syntax(syntax);
        let origin = template.map_or_else(
            || "built-in answer template".to_string(),
            |p| p.display().to_string(),
        );
        env.add_template_owned("answer", source)
            .map_err(|err| UserError::Invalid(format!("{origin}: {err}")))?;
        Ok(Self { env })
    }

    /// The reply to `ticket` from `chunk`. Customer-provided text is passed as values, never as template source.
    pub fn answer(
        &self,
        ticket: &Ticket,
        lang: Lang,
        chunk: &Chunk,
        sources: &[Source],
    ) -> anyhow::Result<String> {
        let template = self
            .env
            .get_template("answer")
            .context("the answer template")?;
        let name = ticket
            .customer
            .as_ref()
            .and_then(|c| c.name.as_deref())
            .map(first_name);
        let text = section_body(&chunk.text);
        let rendered = template
            .render(context! {
                lang => lang.code(),
                t => Value::from(Serde(phrases(lang))),
                customer_name => name,
                title => chunk.title.as_str(),
                section => chunk.heading_path(),
                text => text,
                url => chunk.url.as_deref(),
                sources => Value::from(Serde(sources)),
                ticket_id => ticket.id.as_str(),
            })
            .context("rendering the answer template")?;
        Ok(tidy(&rendered))
    }
}

/// The first word of a name ("Anna Kowalska" -> "Anna").
fn first_name(name: &str) -> String {
    name.split_whitespace().next().unwrap_or(name).to_string()
}

/// A section's text without its heading lines.
fn section_body(markdown: &str) -> String {
    markdown
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

/// At most one blank line in a row, no trailing spaces.
fn tidy(text: &str) -> String {
    let mut out = String::new();
    let mut blank = 0;
    for line in text.lines() {
        if line.trim().is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.trim().to_string()
}

/// The agent's one-paragraph summary: who, through which channel, and what they wrote (redacted).
pub fn summary(ticket: &Ticket, pii: &[PiiFinding]) -> String {
    let text = pii::redact(&ticket.query_text(), pii);
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let clipped = crate::text::clip_chars(&flat, SUMMARY_CHARS);
    let cut = if clipped.len() < flat.len() {
        format!("{clipped}…")
    } else {
        flat.clone()
    };
    let who = ticket
        .customer
        .as_ref()
        .map(|c| {
            let mut who = c.name.clone().unwrap_or_else(|| "Customer".into());
            if let Some(plan) = &c.plan {
                who.push_str(&format!(" ({plan})"));
            }
            who
        })
        .unwrap_or_else(|| "Customer".into());
    let via = ticket
        .channel
        .as_deref()
        .map(|c| format!(" via {c}"))
        .unwrap_or_default();
    let turns = if ticket.messages.len() > 1 {
        format!(", message {} of the conversation", ticket.messages.len())
    } else {
        String::new()
    };
    format!("{who}{via}{turns}: {cut}")
}

/// The conversation so far, PII redacted, oldest first (a single message when there is no history).
pub fn conversation(ticket: &Ticket) -> Vec<Turn> {
    if ticket.messages.is_empty() {
        return vec![Turn {
            role: Role::Customer,
            text: pii::redact_all(&ticket.query_text()),
        }];
    }
    ticket
        .messages
        .iter()
        .map(|m| Turn {
            role: m.role,
            text: pii::redact_all(&m.text),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk() -> Chunk {
        Chunk {
            id: "d#1".into(),
            doc_id: "d".into(),
            ordinal: 1,
            title: "Invoices".into(),
            headings: vec!["Download".into()],
            text: "## Download\n\nOpen **Billing** and click *Download*.".into(),
            language: Lang::En,
            category: Some("billing".into()),
            tags: vec![],
            never_automate: false,
            questions: vec![],
            source: "kb/d.md".into(),
            url: Some("https://help.example/invoices".into()),
        }
    }

    fn ticket(name: Option<&str>, body: &str) -> Ticket {
        Ticket {
            id: "T1".into(),
            subject: None,
            body: body.into(),
            customer: name.map(|n| crate::tickets::Customer {
                name: Some(n.into()),
                email: None,
                plan: Some("Business".into()),
            }),
            channel: Some("email".into()),
            created_at: None,
            messages: vec![],
        }
    }

    #[test]
    fn answer_greets_in_the_ticket_language_and_links_the_source() {
        let r = Renderer::new(None).unwrap();
        let text = r
            .answer(&ticket(Some("Anna Kowalska"), "x"), Lang::Pl, &chunk(), &[])
            .unwrap();
        assert!(text.starts_with("Dzień dobry, Anna!"), "{text}");
        assert!(
            text.contains("Open **Billing** and click *Download*."),
            "{text}"
        );
        assert!(!text.contains("## Download"), "{text}");
        assert!(text.contains("https://help.example/invoices"), "{text}");
        assert!(text.ends_with("zespół wsparcia"), "{text}");
    }

    #[test]
    fn ticket_text_is_never_evaluated_as_a_template() {
        let r = Renderer::new(None).unwrap();
        let t = ticket(
            Some("{{ 7 * 7 }} {% for x in range(3) %}boom{% endfor %}"),
            "{{ t.greeting }}",
        );
        let text = r.answer(&t, Lang::En, &chunk(), &[]).unwrap();
        assert!(text.starts_with("Hello, {{"), "{text}");
        assert!(!text.contains("49") && !text.contains("boom"), "{text}");
    }

    #[test]
    fn a_broken_custom_template_is_a_user_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.j2");
        std::fs::write(&path, "{% if %}").unwrap();
        let err = Renderer::new(Some(&path)).err().unwrap().to_string();
        assert!(err.contains("bad.j2"), "{err}");
    }

    #[test]
    fn summary_redacts_and_says_who() {
        let t = ticket(Some("Ivan"), "Моя карта 4111 1111 1111 1111 списана дважды");
        let found = pii::find_pii(&t.body);
        let s = summary(&t, &found);
        assert!(s.starts_with("Ivan (Business) via email: "), "{s}");
        assert!(s.contains("[CARD]") && !s.contains("4111"), "{s}");
    }
}
