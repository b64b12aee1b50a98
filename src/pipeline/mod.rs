//! The decision engine: ticket -> retrieve -> signals -> confidence -> reasons -> decision -> rendered answer and handover.

pub mod confidence;
pub mod entities;
pub mod lexicon;
pub mod pii;
mod render;
pub mod sentiment;
pub mod stream;
mod triggers;

use serde::Serialize;

use crate::config::{Policy, RetrievalConfig};
use crate::decision::{Decision, ReasonCode};
use crate::index::{Hit, Mode, Retriever, SearchOptions};
use crate::lang::{self, Lang};
use crate::model::intent;
use crate::text::clip_chars;
use crate::tickets::{Role, Ticket};
use entities::Entity;
use pii::PiiFinding;
pub use render::Renderer;
use sentiment::{Sentiment, SentimentLabel};
use triggers::{PhraseMatch, PhraseMatcher};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    Low,
    Normal,
    High,
    Urgent,
}

/// The numbers behind the confidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Signals {
    /// Fused retrieval score of the best document (with z-score fusion: the encoders' standard
    /// deviations above the query's average chunk, plus the weighted BM25 fraction).
    pub top_score: f32,
    /// Its lead over the runner-up document.
    pub margin: f32,
    /// The independent views agree on the first document: with two or more encoders, every
    /// encoder's best document is the same; with one, BM25 and the encoder agree.
    pub agreement: bool,
    /// The share of the views (each encoder, and BM25 when it found anything) whose own best
    /// document is the one answered with.
    pub views_agree: f32,
    /// The answer-span check: the share of the ticket's words (weighted by rarity) that the
    /// chosen section contains; null when the ticket and the section are in different
    /// languages or the ticket has no word to check.
    pub coverage: Option<f32>,
    /// Each view's own best document and score (cosine for encoders, fraction of an ideal
    /// match for BM25).
    pub views: Vec<ViewSignal>,
    /// With labelled examples: the intent classifier's probability. Without: the share of the
    /// top documents' score mass in the best document's category (reported, not weighted).
    pub intent_share: f32,
    /// The best document's cosine similarity and BM25 fraction of an ideal match.
    pub vector: Option<f32>,
    pub bm25_fraction: Option<f32>,
}

/// What one view (an encoder, or BM25) thinks on its own.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ViewSignal {
    pub view: String,
    pub doc_id: Option<String>,
    pub score: f32,
}

/// One reason a ticket is not answered automatically, with the number and threshold behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reason {
    pub code: ReasonCode,
    /// The least cautious decision this reason allows.
    pub decision: Decision,
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<f32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Source {
    pub doc_id: String,
    pub title: String,
    pub section: String,
    pub score: f32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub category: Option<String>,
    pub never_automate: bool,
}

/// Everything an agent needs to take over without asking the customer to repeat.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Handover {
    pub summary: String,
    pub intent: Option<String>,
    pub sentiment: SentimentLabel,
    pub priority: Priority,
    pub reasons: Vec<ReasonCode>,
    pub entities: Vec<Entity>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggested_reply: Option<String>,
    pub sources: Vec<String>,
    pub conversation: Vec<Turn>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Turn {
    pub role: Role,
    pub text: String,
}

/// The result for one ticket: one JSON line of `kbctl answer` / `kbctl classify`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    pub id: String,
    pub decision: Decision,
    pub confidence: f32,
    pub signals: Signals,
    pub language: Lang,
    pub intent: Option<String>,
    pub category: Option<String>,
    pub sentiment: Sentiment,
    pub priority: Priority,
    pub entities: Vec<Entity>,
    pub pii: Vec<PiiFinding>,
    pub escalation_reasons: Vec<Reason>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
    pub sources: Vec<Source>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handover: Option<Handover>,
    /// Documents in rank order, for retrieval metrics in a replay; not part of the output line.
    #[serde(skip)]
    pub ranking: Vec<String>,
    /// Time spent deciding this ticket, in milliseconds; not part of the output line.
    #[serde(skip)]
    pub elapsed_ms: f64,
    /// The embedding of the ticket's (redacted) text, for grouping unanswered tickets; not output.
    #[serde(skip)]
    pub query_vector: Vec<f32>,
}

/// Whether to compose replies (`answer`) or only route (`classify`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Task {
    Answer,
    Classify,
}

/// Trigger kinds that make a ticket urgent rather than high priority.
const URGENT_TRIGGERS: &[&str] = &["legal", "chargeback", "security_incident", "threat"];
/// Characters of a ticket that are analysed (retrieval, sentiment, triggers, PII, entities).
const MAX_ANALYSED_CHARS: usize = 20_000;

/// Documents considered when measuring intent agreement.
const INTENT_DEPTH: usize = 5;
/// Documents ranked for retrieval metrics (nDCG@10).
const RANKING_DEPTH: usize = 10;

/// One worker's pipeline: its own retriever (model session) and matchers; policy shared by value.
pub struct Pipeline {
    retriever: Retriever,
    intent: Option<std::sync::Arc<intent::IntentModel>>,
    policy: Policy,
    retrieval: RetrievalConfig,
    triggers: PhraseMatcher,
    human: PhraseMatcher,
    renderer: Renderer,
    task: Task,
}

impl Pipeline {
    pub fn new(
        retriever: Retriever,
        intent: Option<std::sync::Arc<intent::IntentModel>>,
        policy: Policy,
        retrieval: RetrievalConfig,
        renderer: Renderer,
        task: Task,
    ) -> Self {
        let triggers = match &policy.triggers {
            Some(custom) => PhraseMatcher::new(custom.iter().flat_map(|(kind, by_lang)| {
                by_lang.iter().flat_map(move |(code, terms)| {
                    let lang = Lang::parse(code).unwrap_or(Lang::En);
                    terms.iter().map(move |t| (kind.as_str(), lang, t.as_str()))
                })
            })),
            None => PhraseMatcher::new(lexicon::DEFAULT_TRIGGERS.iter().flat_map(
                |(kind, code, terms)| {
                    let lang = Lang::parse(code).unwrap_or(Lang::En);
                    terms.iter().map(move |t| (*kind, lang, *t))
                },
            )),
        };
        let human = match &policy.human_requests {
            Some(custom) => PhraseMatcher::new(custom.iter().flat_map(|(code, phrases)| {
                let lang = Lang::parse(code).unwrap_or(Lang::En);
                phrases
                    .iter()
                    .map(move |p| ("human_request", lang, p.as_str()))
            })),
            None => PhraseMatcher::new(lexicon::DEFAULT_HUMAN_REQUESTS.iter().flat_map(
                |(code, phrases)| {
                    let lang = Lang::parse(code).unwrap_or(Lang::En);
                    phrases.iter().map(move |p| ("human_request", lang, *p))
                },
            )),
        };
        Self {
            retriever,
            intent,
            policy,
            retrieval,
            triggers,
            human,
            renderer,
            task,
        }
    }

    /// Decide one ticket.
    pub fn process(&mut self, ticket: &Ticket) -> anyhow::Result<Outcome> {
        let started = std::time::Instant::now();
        // A pasted log or a forwarded thread can be megabytes long; the first part carries the question.
        let query = clip_chars(&ticket.query_text(), MAX_ANALYSED_CHARS).to_string();
        let everything = clip_chars(&ticket.customer_text(), MAX_ANALYSED_CHARS).to_string();
        let language = lang::detect(&query);
        let pii = pii::find_pii(&query);
        // Emails and phones are PII too: the entity says one was given, not what it is; so
        // does an order or tracking number that is really a card, an IBAN or an identity number.
        let everything_pii = pii::find_pii(&everything);
        let entities: Vec<Entity> = entities::extract(&everything)
            .into_iter()
            .map(|e| redact_entity(e, &everything_pii))
            .collect();
        let sentiment = sentiment::analyze(&query, language);
        let trigger_hits = self.triggers.find(&everything);
        let human_hits = self.human.find(&query);

        // Retrieval on the redacted text: card numbers and the like are not search terms.
        let search_text = pii::redact(&query, &pii);
        let query_vectors = self.retriever.embed_query(&search_text)?;
        let query_vector = query_vectors.primary().to_vec();
        let candidates = self.retriever.candidates_with(
            &search_text,
            &query_vectors,
            self.retrieval.candidates,
        )?;
        let options = SearchOptions {
            mode: Mode::Hybrid,
            retrieval: self.retrieval.clone(),
            top: RANKING_DEPTH,
        };
        let ranked = self.retriever.rank(&candidates, &options);
        let mut hits: Vec<Hit> = ranked[..ranked.len().min(INTENT_DEPTH)].to_vec();
        // A classifier trained on labelled history whose label is an article picks the article
        // to answer with: it is more often right than the nearest document (CLINC150: 94.8%
        // against 76.1% first-ranked). Its best-ranked chunk leads the sources.
        let predicted = self
            .intent
            .as_ref()
            .map(|m| m.classifier.predict(&query_vector));
        if let (Some(model), Some(p)) = (&self.intent, &predicted) {
            let name = &model.classifier.classes[p.class];
            if hits.first().is_none_or(|h| &h.doc_id != name) {
                let hit = ranked
                    .iter()
                    .find(|h| &h.doc_id == name)
                    .cloned()
                    .or_else(|| {
                        // Not retrieved at all: its first chunk, with no retrieval score.
                        self.retriever.first_chunk_of(name).map(|row| Hit {
                            doc_id: name.clone(),
                            chunk_row: row,
                            score: 0.0,
                            bm25: None,
                            bm25_rank: None,
                            vector: None,
                            vector_rank: None,
                        })
                    });
                if let Some(hit) = hit {
                    hits.retain(|h| &h.doc_id != name);
                    hits.insert(0, hit);
                    hits.truncate(INTENT_DEPTH);
                }
            }
        }
        let views = self.view_signals(&candidates);
        let top = hits.first();
        let agreement = views_agreement(&views);
        let views_agree = match top {
            Some(h) if !views.is_empty() => {
                views
                    .iter()
                    .filter(|v| v.doc_id.as_deref() == Some(h.doc_id.as_str()))
                    .count() as f32
                    / views.len() as f32
            }
            _ => 0.0,
        };
        let coverage = match top {
            Some(h)
                if self.retriever.chunk(h.chunk_row).language.analysis() == language.analysis() =>
            {
                self.retriever.coverage(&search_text, h.chunk_row)?
            }
            _ => None,
        };
        let top_chunk = top.map(|h| self.retriever.chunk(h.chunk_row).clone());
        let doc_category = top_chunk.as_ref().and_then(|c| c.category.clone());
        // Intent: the classifier trained on labelled history when there is one; otherwise the
        // best document, with the agreement of the top documents' categories as its strength.
        let (intent, category, intent_share) = match (&self.intent, &predicted) {
            (Some(model), Some(p)) => {
                let name = model.classifier.classes[p.class].clone();
                let category = model
                    .categories
                    .get(&name)
                    .cloned()
                    .or(doc_category.clone());
                (Some(name), category, p.probability)
            }
            _ => {
                let mass: f32 = hits.iter().map(|h| h.score.max(0.0)).sum();
                let same: f32 = hits
                    .iter()
                    .filter(|h| self.retriever.chunk(h.chunk_row).category == doc_category)
                    .map(|h| h.score.max(0.0))
                    .sum();
                let share = if mass > 0.0 { same / mass } else { 0.0 };
                (
                    top_chunk.as_ref().map(|c| c.doc_id.clone()),
                    doc_category.clone(),
                    share,
                )
            }
        };
        let signals = Signals {
            top_score: top.map_or(0.0, |h| h.score),
            margin: match (hits.first(), hits.get(1)) {
                (Some(a), Some(b)) => a.score - b.score,
                (Some(a), None) => a.score,
                _ => 0.0,
            },
            agreement,
            views_agree,
            coverage,
            views,
            intent_share,
            vector: top.and_then(|h| h.vector),
            bm25_fraction: top
                .and_then(|h| h.bm25)
                .map(|s| candidates.bm25_fraction(s)),
        };
        // With a classifier, the answer is right only if both the document and the intent are.
        let confidence = self.policy.calibration.confidence(
            &signals.features(),
            self.intent.as_ref().map(|_| signals.intent_share),
        );

        let vocabulary = self.retriever.vocabulary(&search_text)?;
        let subject = match &ticket.subject {
            Some(subject) => self
                .retriever
                .vocabulary(&pii::redact(subject, &pii::find_pii(subject)))?,
            None => Default::default(),
        };
        let best_score = self.absolute_best(&candidates);
        let reasons = self.reasons(&Evidence {
            confidence,
            sentiment: &sentiment,
            triggers: &trigger_hits,
            human: &human_hits,
            top: top_chunk.as_ref(),
            category: category.as_deref(),
            best_score,
            vocabulary: &vocabulary,
            subject: &subject,
        });
        let decision = reasons
            .iter()
            .map(|r| r.decision)
            .max()
            .unwrap_or(Decision::Auto);
        let priority = priority(
            ticket,
            &sentiment,
            &trigger_hits,
            !human_hits.is_empty(),
            decision,
            &self.policy,
        );
        let sources: Vec<Source> = hits
            .iter()
            .take(3)
            .map(|h| {
                let chunk = self.retriever.chunk(h.chunk_row);
                Source {
                    doc_id: chunk.doc_id.clone(),
                    title: chunk.title.clone(),
                    section: chunk.heading_path(),
                    score: h.score,
                    url: chunk.url.clone(),
                    category: chunk.category.clone(),
                    never_automate: chunk.never_automate,
                }
            })
            .collect();
        let has_answer =
            top_chunk.is_some() && !reasons.iter().any(|r| r.code == ReasonCode::NoKbMatch);
        let answer = match (self.task, &top_chunk) {
            (Task::Answer, Some(chunk)) if has_answer => {
                Some(self.renderer.answer(ticket, language, chunk, &sources)?)
            }
            _ => None,
        };
        let handover = (decision != Decision::Auto).then(|| Handover {
            summary: render::summary(ticket, &pii),
            intent: intent.clone(),
            sentiment: sentiment.label,
            priority,
            reasons: reasons.iter().map(|r| r.code).collect(),
            entities: entities.clone(),
            suggested_reply: answer.clone(),
            sources: sources.iter().map(|s| s.doc_id.clone()).collect(),
            conversation: render::conversation(ticket),
        });
        Ok(Outcome {
            id: ticket.id.clone(),
            decision,
            confidence,
            signals,
            language,
            intent,
            category,
            sentiment,
            priority,
            entities,
            pii,
            escalation_reasons: reasons,
            answer,
            sources,
            handover,
            ranking: ranked.iter().map(|h| h.doc_id.clone()).collect(),
            elapsed_ms: started.elapsed().as_secs_f64() * 1000.0,
            query_vector,
        })
    }

    /// The best document's score on absolute scales (the linear fusion of the primary
    /// encoder's cosine and the BM25 fraction of an ideal match), whatever the ranking fusion:
    /// whether the knowledge base has anything at all. A z-score cannot say that: it is
    /// relative to the other chunks, and bounded by their number in a small knowledge base.
    fn absolute_best(&self, candidates: &crate::index::Candidates) -> f32 {
        let options = SearchOptions {
            mode: Mode::Hybrid,
            retrieval: RetrievalConfig {
                fusion: crate::config::Fusion::Linear,
                ..self.retrieval.clone()
            },
            top: 1,
        };
        self.retriever
            .rank(candidates, &options)
            .first()
            .map_or(0.0, |h| h.score)
    }

    /// Each view's own first document: every encoder, then BM25 when it found anything.
    fn view_signals(&self, c: &crate::index::Candidates) -> Vec<ViewSignal> {
        let doc_of = |row: usize| self.retriever.chunk(row).doc_id.clone();
        let mut out: Vec<ViewSignal> = c
            .dense
            .iter()
            .map(|d| {
                let best = d.best();
                ViewSignal {
                    view: d.id.clone(),
                    doc_id: best.map(|(row, _)| doc_of(row)),
                    score: best.map_or(0.0, |(_, s)| s),
                }
            })
            .collect();
        if let Some(&(row, s)) = c.bm25.first() {
            out.push(ViewSignal {
                view: "bm25".into(),
                doc_id: Some(doc_of(row)),
                score: c.bm25_fraction(s),
            });
        }
        out
    }

    fn reasons(&self, e: &Evidence<'_>) -> Vec<Reason> {
        let Evidence {
            confidence,
            sentiment,
            triggers,
            human,
            top,
            category,
            best_score,
            vocabulary,
            subject,
        } = *e;
        let p = &self.policy;
        let mut out = Vec::new();
        let reason = |code, decision, detail: String| Reason {
            code,
            decision,
            detail,
            value: None,
            threshold: None,
            kind: None,
            matched: None,
        };
        if best_score < p.no_match_score {
            out.push(Reason {
                value: Some(best_score),
                threshold: Some(p.no_match_score),
                ..reason(
                    ReasonCode::NoKbMatch,
                    Decision::Escalate,
                    "no knowledge-base document matches well enough".into(),
                )
            });
        }
        let known = vocabulary.known_share();
        if known < p.min_known_share {
            out.push(Reason {
                value: Some(known),
                threshold: Some(p.min_known_share),
                ..reason(
                    ReasonCode::UnrecognisedText,
                    Decision::Escalate,
                    format!(
                        "{} of {} words are unknown to the knowledge base in every language",
                        vocabulary.unknown.len(),
                        vocabulary.words
                    ),
                )
            });
        }
        let unknown_topic = 1.0 - subject.known_share();
        if subject.words > 0 && unknown_topic >= p.unknown_topic_share {
            out.push(Reason {
                value: Some(unknown_topic),
                threshold: Some(p.unknown_topic_share),
                ..reason(
                    ReasonCode::UnknownTopic,
                    Decision::Draft,
                    format!(
                        "the subject names what no document mentions: {}",
                        subject.unknown.join(", ")
                    ),
                )
            });
        }
        // One reason per trigger kind, naming every term of that kind that matched.
        let mut kinds: Vec<&str> = triggers.iter().map(|t| t.kind.as_str()).collect();
        kinds.dedup();
        kinds.sort_unstable();
        kinds.dedup();
        for kind in kinds {
            let hits: Vec<&PhraseMatch> = triggers.iter().filter(|t| t.kind == kind).collect();
            let terms: Vec<String> = hits.iter().map(|h| format!("\"{}\"", h.phrase)).collect();
            let matched: Vec<&str> = hits.iter().map(|h| h.matched.as_str()).collect();
            out.push(Reason {
                kind: Some(kind.to_string()),
                matched: Some(matched.join(", ")),
                ..reason(
                    ReasonCode::TriggerTerm,
                    Decision::Escalate,
                    format!("{kind} terms {}", terms.join(", ")),
                )
            });
        }
        if let Some(hit) = human.first() {
            out.push(Reason {
                matched: Some(hit.matched.clone()),
                ..reason(
                    ReasonCode::HumanRequest,
                    Decision::Escalate,
                    format!("asks for a person (\"{}\")", hit.phrase),
                )
            });
        }
        if sentiment.score <= p.escalate_sentiment || sentiment.score <= p.draft_sentiment {
            let (decision, threshold) = if sentiment.score <= p.escalate_sentiment {
                (Decision::Escalate, p.escalate_sentiment)
            } else {
                (Decision::Draft, p.draft_sentiment)
            };
            out.push(Reason {
                value: Some(sentiment.score),
                threshold: Some(threshold),
                ..reason(
                    ReasonCode::NegativeSentiment,
                    decision,
                    sentiment.cues.join("; "),
                )
            });
        }
        if let Some(chunk) = top {
            let category = category.unwrap_or_default().to_string();
            if chunk.never_automate || p.never_automate_categories.contains(&category) {
                out.push(Reason {
                    kind: Some(category.clone()),
                    ..reason(
                        ReasonCode::SensitiveTopic,
                        Decision::Escalate,
                        format!(
                            "the best source `{}` must never be sent automatically",
                            chunk.doc_id
                        ),
                    )
                });
            } else if !p.automate_categories.is_empty()
                && !p.automate_categories.contains(&category)
            {
                out.push(Reason {
                    kind: Some(category.clone()),
                    ..reason(
                        ReasonCode::CategoryNotEnabled,
                        Decision::Draft,
                        if category.is_empty() {
                            "the best source has no category, and automation is limited to some"
                                .to_string()
                        } else {
                            format!("category `{category}` is not enabled for automatic answers")
                        },
                    )
                });
            }
        }
        let overrides = category.and_then(|c| p.categories.get(c));
        let auto = overrides
            .and_then(|o| o.auto_threshold)
            .unwrap_or(p.auto_threshold);
        let draft = overrides
            .and_then(|o| o.draft_threshold)
            .unwrap_or(p.draft_threshold);
        if confidence < auto {
            let (decision, threshold) = if confidence < draft {
                (Decision::Escalate, draft)
            } else {
                (Decision::Draft, auto)
            };
            out.push(Reason {
                value: Some(confidence),
                threshold: Some(threshold),
                ..reason(
                    ReasonCode::LowConfidence,
                    decision,
                    "confidence below the threshold".into(),
                )
            });
        }
        out
    }
}

impl Signals {
    /// The inputs of the confidence model, in `Calibration`'s order.
    pub fn features(&self) -> confidence::Features {
        confidence::Features {
            top_score: self.top_score,
            margin: self.margin,
            agreement: f32::from(u8::from(self.agreement)),
            views_agree: self.views_agree,
            coverage: self.coverage.unwrap_or(confidence::NEUTRAL_COVERAGE),
        }
    }
}

/// Whether the views agree on the first document: every encoder's, when there are two or
/// more; else BM25's and the one encoder's.
fn views_agreement(views: &[ViewSignal]) -> bool {
    let encoders: Vec<&ViewSignal> = views.iter().filter(|v| v.view != "bm25").collect();
    let compared: Vec<&ViewSignal> = if encoders.len() >= 2 {
        encoders
    } else {
        views.iter().collect()
    };
    compared.len() >= 2
        && compared[0].doc_id.is_some()
        && compared.iter().all(|v| v.doc_id == compared[0].doc_id)
}

/// Everything the reasons are drawn from.
#[derive(Clone, Copy)]
struct Evidence<'a> {
    confidence: f32,
    sentiment: &'a Sentiment,
    triggers: &'a [PhraseMatch],
    human: &'a [PhraseMatch],
    top: Option<&'a crate::corpus::Chunk>,
    category: Option<&'a str>,
    /// The best absolute retrieval score of any document: whether the knowledge base has anything.
    best_score: f32,
    /// Which of the ticket's words the knowledge base knows.
    vocabulary: &'a crate::index::bm25::Vocabulary,
    /// The same for its subject (empty without one).
    subject: &'a crate::index::bm25::Vocabulary,
}

fn redact_entity(mut entity: Entity, pii: &[PiiFinding]) -> Entity {
    match entity.kind {
        entities::EntityKind::Email => entity.value = pii::PiiKind::Email.tag().to_string(),
        entities::EntityKind::Phone => entity.value = pii::PiiKind::Phone.tag().to_string(),
        _ => {
            if let Some(f) = pii
                .iter()
                .find(|f| f.start < entity.end && entity.start < f.end)
            {
                entity.value = f.kind.tag().to_string();
            }
        }
    }
    entity
}

fn priority(
    ticket: &Ticket,
    sentiment: &Sentiment,
    triggers: &[PhraseMatch],
    human: bool,
    decision: Decision,
    policy: &Policy,
) -> Priority {
    let enterprise = ticket
        .customer
        .as_ref()
        .and_then(|c| c.plan.as_deref())
        .is_some_and(|p| p.eq_ignore_ascii_case("enterprise"));
    if triggers
        .iter()
        .any(|t| URGENT_TRIGGERS.contains(&t.kind.as_str()))
    {
        Priority::Urgent
    } else if !triggers.is_empty()
        || human
        || sentiment.score <= policy.escalate_sentiment
        || enterprise
    {
        Priority::High
    } else if decision == Decision::Auto && sentiment.label != SentimentLabel::Negative {
        Priority::Low
    } else {
        Priority::Normal
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(name: &str, doc: &str) -> ViewSignal {
        ViewSignal {
            view: name.into(),
            doc_id: Some(doc.into()),
            score: 0.5,
        }
    }

    #[test]
    fn encoders_agreeing_is_agreement_whatever_bm25_says() {
        let views = [view("use", "a"), view("e5", "a"), view("bm25", "b")];
        assert!(views_agreement(&views));
        let views = [view("use", "a"), view("e5", "c"), view("bm25", "a")];
        assert!(!views_agreement(&views));
    }

    #[test]
    fn one_encoder_agrees_with_bm25_or_not() {
        assert!(views_agreement(&[view("use", "a"), view("bm25", "a")]));
        assert!(!views_agreement(&[view("use", "a"), view("bm25", "b")]));
        assert!(!views_agreement(&[view("use", "a")]));
    }

    #[test]
    fn confidence_rises_when_the_views_agree_and_the_section_covers_the_ticket() {
        let cal = crate::config::Calibration::default();
        let base = Signals {
            top_score: 6.0,
            margin: 1.0,
            agreement: false,
            views_agree: 1.0 / 3.0,
            coverage: Some(0.2),
            views: Vec::new(),
            intent_share: 0.0,
            vector: None,
            bm25_fraction: None,
        };
        let agreeing = Signals {
            agreement: true,
            views_agree: 1.0,
            ..base.clone()
        };
        let covered = Signals {
            coverage: Some(0.9),
            ..base.clone()
        };
        let c = |s: &Signals| cal.confidence(&s.features(), None);
        assert!(c(&agreeing) > c(&base), "{} {}", c(&agreeing), c(&base));
        assert!(c(&covered) > c(&base), "{} {}", c(&covered), c(&base));
    }
}
