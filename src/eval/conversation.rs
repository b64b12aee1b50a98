//! Replay's conversation rule: a historical conversation is replayed as the bot would have met it, at the customer's first message.
//!
//! A chat in history runs to its end: "My 2FA phone is lost" - "Your order number?" - "Yes,
//! HW-2026-99491.". Judged on its last customer line, the replay asks the knowledge base about an
//! order number and reports a gap no article could fill. The bot would have been asked the first
//! message (with the subject), so that is the ticket's text; the later turns stay in `messages`
//! as the context a handover shows, and the agent's first reply is the reply to compare with.
//!
//! Live `kbctl answer` keeps its own rule (the latest customer message, see
//! [`crate::tickets::Ticket::body`]): a live ticket with history is waiting for an answer to
//! what the customer said last. Only replay knows the conversation's future, so only replay
//! goes back to its start.

use crate::tickets::{Role, Ticket};

/// Make `ticket` (whose text came from its messages) the customer's first message, and take the
/// agent's first reply after it as `agent_reply` when none was given. A conversation without a
/// customer message is left as it is.
pub fn first_turn(ticket: &mut Ticket, agent_reply: &mut Option<String>) {
    let Some(first) = ticket
        .messages
        .iter()
        .position(|m| m.role == Role::Customer && !m.text.trim().is_empty())
    else {
        return;
    };
    ticket.body = ticket.messages[first].text.trim().to_string();
    if agent_reply.is_none() {
        *agent_reply = ticket.messages[first + 1..]
            .iter()
            .find(|m| m.role == Role::Agent && !m.text.trim().is_empty())
            .map(|m| m.text.trim().to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tickets::Message;

    fn chat(turns: &[(Role, &str)]) -> Ticket {
        Ticket {
            id: "c".into(),
            subject: Some("2FA".into()),
            body: turns
                .iter()
                .rev()
                .find(|t| t.0 == Role::Customer)
                .map_or("", |t| t.1)
                .into(),
            customer: None,
            channel: Some("chat".into()),
            created_at: None,
            messages: turns
                .iter()
                .map(|(role, text)| Message {
                    role: *role,
                    text: (*text).into(),
                    at: None,
                })
                .collect(),
        }
    }

    #[test]
    fn the_first_customer_message_is_the_text_and_the_first_reply_the_agent_reply() {
        let mut t = chat(&[
            (Role::Agent, "Hi! How can I help?"),
            (Role::Customer, "  "),
            (Role::Customer, "Zgubiłem telefon z aplikacją do kodów"),
            (Role::Agent, "Czy może Pan podać numer zamówienia?"),
            (Role::Customer, "Jasne, HW-2026-25592."),
            (Role::Agent, "Proszę użyć kodu zapasowego."),
        ]);
        let mut reply = None;
        first_turn(&mut t, &mut reply);
        assert_eq!(t.body, "Zgubiłem telefon z aplikacją do kodów");
        assert_eq!(t.query_text(), "2FA\nZgubiłem telefon z aplikacją do kodów");
        // The greeting before the question is not the reply to it.
        assert_eq!(
            reply.as_deref(),
            Some("Czy może Pan podać numer zamówienia?")
        );
        assert_eq!(t.messages.len(), 6, "later turns stay for the handover");
    }

    #[test]
    fn a_given_reply_is_kept_and_a_chat_without_a_customer_is_left_alone() {
        let mut t = chat(&[
            (Role::Customer, "Где мой заказ?"),
            (Role::Agent, "Номер заказа?"),
            (Role::Customer, "Да, HW-2026-99491."),
        ]);
        let mut reply = Some("Заказ в пути.".to_string());
        first_turn(&mut t, &mut reply);
        assert_eq!(t.body, "Где мой заказ?");
        assert_eq!(reply.as_deref(), Some("Заказ в пути."));

        let mut only_agent = chat(&[(Role::Agent, "Are you still there?")]);
        only_agent.body = "subject only".into();
        let mut reply = None;
        first_turn(&mut only_agent, &mut reply);
        assert_eq!((only_agent.body.as_str(), reply), ("subject only", None));
    }
}
