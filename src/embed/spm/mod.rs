//! Exact SentencePiece unigram tokenizer (nmt_nfkc precompiled charsmap, optimised Viterbi) for the multilingual encoder.
//!
//! The Universal Sentence Encoder multilingual graph tokenises inside ONNX Runtime with
//! onnxruntime-extensions' `SentencepieceTokenizer` operator, which links SentencePiece
//! v0.1.96. This module reproduces that operator id for id, in pure Rust, from the raw
//! `ModelProto` bytes that the operator carries in its `model` attribute (`spm.model`).
//!
//! What is reproduced, following the C++ sources:
//!
//! * **Model loading** (`model_interface.cc`, `unigram_model.cc`): NORMAL, USER_DEFINED and
//!   UNUSED pieces go into the matching trie; UNKNOWN, CONTROL and BYTE pieces never match
//!   text (so a literal `<s>` in a ticket is ordinary text). The unknown score is the lowest
//!   NORMAL score minus 10; a user-defined piece scores `bytes * max_score - 0.1`, where
//!   `max_score` starts at `FLT_MIN` (the smallest *positive* float) and so stays about `1e-38`
//!   when every NORMAL score is negative. Load-time checks (empty or duplicate pieces, a
//!   missing or doubled `<unk>`, byte pieces without `byte_fallback`) become [`SpmError`]s.
//! * **Normalisation** (`normalizer.cc`): user-defined symbols are matched first and copied
//!   as they are; otherwise the longest rule of the precompiled charsmap (a darts-clone
//!   double array plus a blob of NUL-terminated replacement strings) applies; otherwise one
//!   UTF-8 character is copied. Then `remove_extra_whitespaces` (leading, trailing and
//!   repeated spaces), `add_dummy_prefix` and `escape_whitespaces` (space -> U+2581), with
//!   the trainer's `treat_whitespace_as_suffix`.
//! * **Segmentation** (`Model::EncodeOptimized`): the optimised Viterbi over UTF-8 byte
//!   positions, with SentencePiece's exact arithmetic and tie-breaking. A piece candidate is
//!   a `double` sum (the `- 0.1` literal in the user-defined ternary promotes every piece
//!   score to `double`) compared against the stored `float` path score; the unknown candidate
//!   is `float` throughout; only a strictly better candidate replaces an earlier one.
//! * **Output** (`SentencePieceProcessor::PopulateSentencePieceText` and the operator):
//!   consecutive unknown pieces merge into one `<unk>` (or, with `byte_fallback`, an unknown
//!   piece becomes its `<0xXX>` byte pieces); the text is cut at its first NUL (the operator
//!   passes `std::string::c_str()`), and the operator wraps the ids in `bos`/`eos`.
//!
//! Only unigram models are supported; BPE, WORD and CHAR models give
//! [`SpmError::Unsupported`].

use std::path::{Path, PathBuf};

mod charsmap;
mod proto;
mod trie;

use charsmap::CharsMap;
use trie::ByteTrie;

/// Why a SentencePiece model could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum SpmError {
    /// The model file could not be read.
    #[error("cannot read SentencePiece model {}: {source}", path.display())]
    Io {
        /// The file that was being read.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The bytes are not a well-formed SentencePiece `ModelProto`, or SentencePiece itself
    /// would refuse to load them.
    #[error("malformed SentencePiece model: {0}")]
    Malformed(String),
    /// A well-formed model that this tokenizer does not implement (e.g. a BPE model).
    #[error("unsupported SentencePiece model: {0}")]
    Unsupported(String),
}

/// U+2581 LOWER ONE EIGHTH BLOCK, SentencePiece's visible whitespace.
const SPACE_SYMBOL: &[u8] = "\u{2581}".as_bytes();

/// `kUnkPenalty` in `unigram_model.cc`.
const UNK_PENALTY: f32 = 10.0;

/// `ModelProto.SentencePiece.Type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PieceType {
    Normal,
    Unknown,
    Control,
    UserDefined,
    Unused,
    Byte,
}

impl PieceType {
    /// Maps the wire value; `None` for values the enum does not define (proto2 then keeps
    /// the field's previous value, which we mirror).
    fn from_wire(v: u64) -> Option<Self> {
        Some(match v {
            1 => Self::Normal,
            2 => Self::Unknown,
            3 => Self::Control,
            4 => Self::UserDefined,
            5 => Self::Unused,
            6 => Self::Byte,
            _ => return None,
        })
    }

    /// Pieces that can be matched from text (`is_normal_piece` in `model_interface.cc`).
    fn in_trie(self) -> bool {
        matches!(self, Self::Normal | Self::UserDefined | Self::Unused)
    }
}

/// An exact SentencePiece unigram tokenizer, loaded once from a `ModelProto`.
///
/// It is immutable after loading, so one instance can be shared between threads.
#[derive(Debug)]
pub struct SentencePiece {
    /// Score of each piece, by id.
    scores: Vec<f32>,
    /// Type of each piece, by id.
    types: Vec<PieceType>,
    /// NORMAL, USER_DEFINED and UNUSED pieces, keyed by their bytes.
    pieces: ByteTrie,
    /// User-defined symbols, which the normaliser copies without normalising.
    user_defined: Option<ByteTrie>,
    /// The precompiled normalisation rules, if the model has any.
    charsmap: Option<CharsMap>,
    add_dummy_prefix: bool,
    remove_extra_whitespaces: bool,
    escape_whitespaces: bool,
    treat_whitespace_as_suffix: bool,
    /// With byte fallback, the id of `<0xXX>` for every byte.
    byte_ids: Option<Box<[i32; 256]>>,
    unk_id: i32,
    /// `bos_id()` of the processor: the id of the bos piece if it is a control piece, else -1.
    bos_id: i32,
    /// `eos_id()` of the processor, likewise.
    eos_id: i32,
    /// `min_score_ - kUnkPenalty`, computed in `float`.
    unk_score: f32,
    /// `max_score_`: the largest NORMAL score, starting from `FLT_MIN`.
    max_score: f32,
}

impl SentencePiece {
    /// Reads and loads a raw SentencePiece `ModelProto` file (`spm.model`).
    pub fn from_file(path: &Path) -> Result<Self, SpmError> {
        let bytes = std::fs::read(path).map_err(|source| SpmError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_bytes(&bytes)
    }

    /// Loads a SentencePiece model from the bytes of a serialised `ModelProto`.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, SpmError> {
        let model = proto::parse_model(bytes)?;
        Self::from_model(&model)
    }

    fn from_model(model: &proto::Model<'_>) -> Result<Self, SpmError> {
        if model.trainer.model_type != 1 {
            let kind = match model.trainer.model_type {
                2 => "BPE",
                3 => "WORD",
                4 => "CHAR",
                _ => "unknown",
            };
            return Err(SpmError::Unsupported(format!(
                "{kind} model (only unigram is implemented)"
            )));
        }
        if model.pieces.is_empty() {
            return Err(SpmError::Malformed("no pieces are loaded".into()));
        }
        let n = model.pieces.len();
        if n > i32::MAX as usize {
            return Err(SpmError::Malformed(format!("{n} pieces is too many")));
        }

        let mut scores = Vec::with_capacity(n);
        let mut types = Vec::with_capacity(n);
        let mut trie_entries: Vec<(&[u8], i32)> = Vec::with_capacity(n);
        let mut reserved: Vec<(&[u8], i32)> = Vec::new();
        let mut user_defined: Vec<(&[u8], i32)> = Vec::new();
        let mut unk_id: Option<i32> = None;
        let mut byte_ids = [-1i32; 256];
        let mut min_score = f32::MAX;
        let mut max_score = f32::MIN_POSITIVE; // FLT_MIN in C++
        for (i, p) in model.pieces.iter().enumerate() {
            let id = i as i32;
            if p.piece.is_empty() {
                return Err(SpmError::Malformed(format!("piece {id} is empty")));
            }
            scores.push(p.score);
            types.push(p.kind);
            if p.kind.in_trie() {
                trie_entries.push((p.piece, id));
            } else {
                reserved.push((p.piece, id));
            }
            match p.kind {
                PieceType::UserDefined => user_defined.push((p.piece, id)),
                PieceType::Unknown => {
                    if unk_id.is_some() {
                        return Err(SpmError::Malformed("unk is already defined".into()));
                    }
                    unk_id = Some(id);
                }
                PieceType::Byte => {
                    if !model.trainer.byte_fallback {
                        return Err(SpmError::Malformed(format!(
                            "byte piece {} is found although `byte_fallback` is false",
                            show(p.piece)
                        )));
                    }
                    match piece_to_byte(p.piece) {
                        Some(b) => byte_ids[usize::from(b)] = id,
                        None => {
                            return Err(SpmError::Malformed(format!(
                                "byte piece {} is invalid",
                                show(p.piece)
                            )));
                        }
                    }
                }
                PieceType::Normal => {
                    min_score = min_score.min(p.score);
                    max_score = max_score.max(p.score);
                }
                PieceType::Control | PieceType::Unused => {}
            }
        }
        // SentencePiece keeps the pieces in two maps and refuses duplicates within each.
        let reserved_trie = ByteTrie::build(reserved, false)?;
        let Some(unk_id) = unk_id else {
            return Err(SpmError::Malformed("unk is not defined".into()));
        };
        let byte_ids = if model.trainer.byte_fallback {
            if byte_ids.contains(&-1) {
                return Err(SpmError::Malformed(
                    "there are not 256 byte pieces although `byte_fallback` is true".into(),
                ));
            }
            Some(Box::new(byte_ids))
        } else {
            None
        };
        if trie_entries.is_empty() {
            return Err(SpmError::Malformed("no entry is found in the trie".into()));
        }
        // The C++ trie (darts-clone) takes its keys as C strings: a key ends at its first NUL.
        let pieces_trie = ByteTrie::build(trie_entries, true)?;
        let user_defined = if user_defined.is_empty() {
            None
        } else {
            Some(ByteTrie::build(user_defined, true)?)
        };

        // bos_id()/eos_id(): PieceToId(piece) (reserved pieces first, then the trie, else
        // unk), kept only if that id is a control piece.
        let special_id = |piece: &[u8]| -> i32 {
            let id = reserved_trie
                .exact(piece)
                .or_else(|| pieces_trie.exact(cut_at_nul(piece)))
                .unwrap_or(unk_id);
            match types.get(id as usize) {
                Some(PieceType::Control) => id,
                _ => -1,
            }
        };
        let bos_id = special_id(model.trainer.bos_piece.unwrap_or(b"<s>"));
        let eos_id = special_id(model.trainer.eos_piece.unwrap_or(b"</s>"));

        let charsmap = if model.normalizer.precompiled_charsmap.is_empty() {
            None
        } else {
            Some(CharsMap::parse(model.normalizer.precompiled_charsmap)?)
        };

        Ok(Self {
            scores,
            types,
            pieces: pieces_trie,
            user_defined,
            charsmap,
            add_dummy_prefix: model.normalizer.add_dummy_prefix,
            remove_extra_whitespaces: model.normalizer.remove_extra_whitespaces,
            escape_whitespaces: model.normalizer.escape_whitespaces,
            treat_whitespace_as_suffix: model.trainer.treat_whitespace_as_suffix,
            byte_ids,
            unk_id,
            bos_id,
            eos_id,
            unk_score: min_score - UNK_PENALTY,
            max_score,
        })
    }

    /// Number of pieces in the vocabulary (ids are `0..vocab_size()`).
    pub fn vocab_size(&self) -> usize {
        self.scores.len()
    }

    /// ids of `[bos] + Encode(text) + [eos]`, text cut at the first NUL, exactly as the op.
    ///
    /// If the model has no control piece for bos (or eos), the operator emits -1 in its
    /// place; so does this.
    pub fn encode_with_bos_eos(&self, text: &str) -> Vec<i32> {
        let mut out = Vec::with_capacity(text.len() / 2 + 4);
        out.push(self.bos_id);
        self.encode_into(text, &mut out);
        out.push(self.eos_id);
        out
    }

    /// ids of `Encode(text)`, without bos/eos; the text is cut at its first NUL, as the
    /// operator does.
    pub fn encode(&self, text: &str) -> Vec<i32> {
        let mut out = Vec::with_capacity(text.len() / 2 + 2);
        self.encode_into(text, &mut out);
        out
    }

    /// Appends the ids of `Encode(text)` to `out`.
    fn encode_into(&self, text: &str, out: &mut Vec<i32>) {
        let bytes = cut_at_nul(text.as_bytes());
        let mut normalized = Vec::with_capacity(bytes.len() * 3 + SPACE_SYMBOL.len());
        self.normalize(bytes, &mut normalized);
        self.viterbi(&normalized, out);
    }

    /// `Normalizer::Normalize` (without the offsets, which the ids do not need).
    fn normalize(&self, mut input: &[u8], out: &mut Vec<u8>) {
        out.clear();
        if input.is_empty() {
            return;
        }
        // Ignores heading space.
        if self.remove_extra_whitespaces {
            while !input.is_empty() {
                let (sp, consumed) = self.normalize_prefix(input);
                if sp != b" " {
                    break;
                }
                input = &input[consumed..];
            }
        }
        // All characters were whitespace.
        if input.is_empty() {
            return;
        }
        if !self.treat_whitespace_as_suffix && self.add_dummy_prefix {
            self.push_space(out);
        }
        let mut is_prev_space = self.remove_extra_whitespaces;
        while !input.is_empty() {
            let (mut sp, consumed) = self.normalize_prefix(input);
            // Removes heading spaces of this piece if the previous one ended with a space.
            if is_prev_space {
                while let [b' ', rest @ ..] = sp {
                    sp = rest;
                }
            }
            if !sp.is_empty() {
                for &b in sp {
                    if self.escape_whitespaces && b == b' ' {
                        out.extend_from_slice(SPACE_SYMBOL);
                    } else {
                        out.push(b);
                    }
                }
                is_prev_space = sp.last() == Some(&b' ');
            }
            input = &input[consumed..];
            if !self.remove_extra_whitespaces {
                is_prev_space = false;
            }
        }
        // Ignores trailing space.
        if self.remove_extra_whitespaces {
            let space: &[u8] = if self.escape_whitespaces {
                SPACE_SYMBOL
            } else {
                b" "
            };
            while out.ends_with(space) {
                out.truncate(out.len() - space.len());
            }
        }
        if self.treat_whitespace_as_suffix && self.add_dummy_prefix {
            self.push_space(out);
        }
    }

    fn push_space(&self, out: &mut Vec<u8>) {
        if self.escape_whitespaces {
            out.extend_from_slice(SPACE_SYMBOL);
        } else {
            out.push(b' ');
        }
    }

    /// `Normalizer::NormalizePrefix`: the normalised form of the longest rule matching the
    /// start of `input`, and how many input bytes it consumes (at least one).
    fn normalize_prefix<'s>(&'s self, input: &'s [u8]) -> (&'s [u8], usize) {
        if let Some(ud) = &self.user_defined
            && let Some((len, _)) = ud.longest_prefix(input)
        {
            return (&input[..len], len);
        }
        if let Some(map) = &self.charsmap
            && let Some((len, replacement)) = map.longest_match(input)
        {
            return (replacement, len);
        }
        match decode_utf8_len(input) {
            Some(len) => (&input[..len], len),
            // Malformed UTF-8 (impossible for a `&str`, kept for fidelity): U+FFFD, one byte.
            None => ("\u{FFFD}".as_bytes(), 1),
        }
    }

    /// `Model::EncodeOptimized` followed by the unknown-merging of
    /// `PopulateSentencePieceText`; appends the ids to `out`.
    fn viterbi(&self, normalized: &[u8], out: &mut Vec<i32>) {
        let size = normalized.len();
        if size == 0 {
            return;
        }
        /// The last node of the best path ending at a byte position.
        #[derive(Clone, Copy)]
        struct BestPathNode {
            id: i32,
            score: f32,
            starts_at: i32,
        }
        let mut best = vec![
            BestPathNode {
                id: -1,
                score: 0.0,
                starts_at: -1,
            };
            size + 1
        ];
        let mut starts_at = 0usize;
        while starts_at < size {
            let score_till_here = best[starts_at].score;
            let mut has_single_node = false;
            let mblen = one_char_len(normalized[starts_at]).min(size - starts_at);
            let mut node = 0u32;
            let mut key_pos = starts_at;
            while key_pos < size {
                let Some(next) = self.pieces.child(node, normalized[key_pos]) else {
                    break;
                };
                node = next;
                key_pos += 1;
                let Some(id) = self.pieces.value(node) else {
                    continue;
                };
                let kind = self.types[id as usize];
                if kind == PieceType::Unused {
                    continue;
                }
                let length = key_pos - starts_at;
                // `IsUserDefined ? (length * max_score_ - 0.1) : GetScore()` is a double.
                let score: f64 = if kind == PieceType::UserDefined {
                    f64::from(length as f32 * self.max_score) - 0.1
                } else {
                    f64::from(self.scores[id as usize])
                };
                let candidate = score + f64::from(score_till_here);
                let target = &mut best[key_pos];
                if target.starts_at == -1 || candidate > f64::from(target.score) {
                    target.score = candidate as f32;
                    target.starts_at = starts_at as i32;
                    target.id = id;
                }
                if length == mblen {
                    has_single_node = true;
                }
            }
            if !has_single_node {
                let target = &mut best[starts_at + mblen];
                let candidate = self.unk_score + score_till_here;
                if target.starts_at == -1 || candidate > target.score {
                    target.score = candidate;
                    target.starts_at = starts_at as i32;
                    target.id = self.unk_id;
                }
            }
            starts_at += mblen;
        }

        if let Some(byte_ids) = &self.byte_ids {
            // Byte fallback: an unknown piece becomes the byte pieces of its UTF-8 bytes
            // (and unknown pieces are not merged).
            let mut path: Vec<(usize, usize, i32)> = Vec::new();
            let mut ends_at = size;
            while ends_at > 0 {
                let node = best[ends_at];
                let Ok(start) = usize::try_from(node.starts_at) else {
                    break; // unreachable: every character start is reachable
                };
                path.push((start, ends_at, node.id));
                ends_at = start;
            }
            for &(start, end, id) in path.iter().rev() {
                if self.is_unknown(id) {
                    out.extend(
                        normalized[start..end]
                            .iter()
                            .map(|&b| byte_ids[usize::from(b)]),
                    );
                } else {
                    out.push(id);
                }
            }
            return;
        }

        // Backtrack, then put the ids in order, merging runs of unknown pieces into one.
        let first = out.len();
        let mut ends_at = size;
        while ends_at > 0 {
            let node = best[ends_at];
            let Ok(start) = usize::try_from(node.starts_at) else {
                break; // unreachable: every character start is reachable
            };
            out.push(node.id);
            ends_at = start;
        }
        out[first..].reverse();
        let mut write = first;
        let mut prev_unk = false;
        for read in first..out.len() {
            let id = out[read];
            let is_unk = self.is_unknown(id);
            if !(is_unk && prev_unk) {
                out[write] = id;
                write += 1;
            }
            prev_unk = is_unk;
        }
        out.truncate(write);
    }

    fn is_unknown(&self, id: i32) -> bool {
        usize::try_from(id)
            .ok()
            .and_then(|i| self.types.get(i))
            .is_some_and(|&t| t == PieceType::Unknown)
    }
}

/// The bytes before the first NUL (all of them if there is none).
fn cut_at_nul(bytes: &[u8]) -> &[u8] {
    match bytes.iter().position(|&b| b == 0) {
        Some(nul) => &bytes[..nul],
        None => bytes,
    }
}

/// `string_util::OneCharLen`: the UTF-8 sequence length announced by a lead byte.
fn one_char_len(lead: u8) -> usize {
    const TABLE: [u8; 16] = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4];
    usize::from(TABLE[usize::from(lead >> 4)])
}

/// `string_util::IsValidDecodeUTF8`: the length of the valid UTF-8 character at the start
/// of `input`, or `None` if it is malformed. `input` must not be empty.
fn decode_utf8_len(input: &[u8]) -> Option<usize> {
    let is_trail = |b: u8| b & 0xC0 == 0x80;
    let valid = |cp: u32| cp < 0xD800 || (0xE000..=0x10FFFF).contains(&cp);
    let b0 = u32::from(*input.first()?);
    if b0 < 0x80 {
        return Some(1);
    }
    let len = input.len();
    if len >= 2 && b0 & 0xE0 == 0xC0 {
        let cp = ((b0 & 0x1F) << 6) | (u32::from(input[1]) & 0x3F);
        if is_trail(input[1]) && cp >= 0x80 && valid(cp) {
            return Some(2);
        }
    } else if len >= 3 && b0 & 0xF0 == 0xE0 {
        let cp = ((b0 & 0x0F) << 12)
            | ((u32::from(input[1]) & 0x3F) << 6)
            | (u32::from(input[2]) & 0x3F);
        if is_trail(input[1]) && is_trail(input[2]) && cp >= 0x800 && valid(cp) {
            return Some(3);
        }
    } else if len >= 4 && b0 & 0xF8 == 0xF0 {
        let cp = ((b0 & 0x07) << 18)
            | ((u32::from(input[1]) & 0x3F) << 12)
            | ((u32::from(input[2]) & 0x3F) << 6)
            | (u32::from(input[3]) & 0x3F);
        if is_trail(input[1])
            && is_trail(input[2])
            && is_trail(input[3])
            && cp >= 0x10000
            && valid(cp)
        {
            return Some(4);
        }
    }
    // SentencePiece decodes malformed input as U+FFFD with length 1 and then accepts it
    // only when the length is 3, which never happens here.
    None
}

/// `PieceToByte`: `<0xXX>` (upper-case hex, as `ByteToPiece` writes it) to its byte.
fn piece_to_byte(piece: &[u8]) -> Option<u8> {
    let hex = piece.strip_prefix(b"<0x")?.strip_suffix(b">")?;
    if hex.len() != 2 {
        return None;
    }
    let digit = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    };
    Some(digit(hex[0])? << 4 | digit(hex[1])?)
}

/// A piece's bytes for an error message.
fn show(piece: &[u8]) -> String {
    format!("{:?}", String::from_utf8_lossy(piece))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::OnceLock;

    /// The real model, from `$KBCTL_HOME/models/use-multilingual-v3/spm.model`
    /// (`KBCTL_HOME` defaults to `$HOME/.cache/kbctl`); `scripts/setup` puts it there.
    fn model() -> &'static SentencePiece {
        static MODEL: OnceLock<SentencePiece> = OnceLock::new();
        MODEL.get_or_init(|| {
            let home = match std::env::var_os("KBCTL_HOME") {
                Some(h) if !h.is_empty() => PathBuf::from(h),
                _ => {
                    PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache/kbctl")
                }
            };
            let path = home.join("models/use-multilingual-v3/spm.model");
            assert!(
                path.is_file(),
                "the SentencePiece model is missing at {} (run scripts/setup, or set KBCTL_HOME)",
                path.display()
            );
            match SentencePiece::from_file(&path) {
                Ok(m) => m,
                Err(e) => panic!("cannot load {}: {e}", path.display()),
            }
        })
    }

    /// Expected ids taken from onnxruntime-extensions 0.15.2's `SentencepieceTokenizer`
    /// (add_bos, add_eos) on the same model.
    const KNOWN: &[(&str, &[i32])] = &[
        ("Где мой заказ?", &[1, 4536, 7244, 6, 14570, 54272, 21, 2]),
        (
            "Jak zmienić hasło?",
            &[1, 62843, 381, 45197, 17931, 180, 4215, 21, 2],
        ),
        ("Where is my order?", &[1, 6795, 32, 179, 2081, 21, 2]),
        (
            "Заказ #48213 nie dotarł, order is late",
            &[
                1, 3963, 37444, 1546, 74690, 2356, 1525, 88831, 7, 2081, 32, 3470, 2,
            ],
        ),
        (
            "Zażółć gęślą jaźń",
            &[
                1, 4780, 8819, 48282, 4704, 6, 93466, 103324, 398, 25690, 14205, 2,
            ],
        ),
        // Emoji are unknown here, and the run of them merges into one <unk>.
        ("Спасибо 👍🏽🔥", &[1, 42968, 15875, 6, 0, 2]),
        // Leading, trailing and repeated whitespace (tab, newline) collapse.
        ("  Hello \t\n  world   ", &[1, 17486, 1017, 2]),
        ("   ", &[1, 2]),
        ("", &[1, 2]),
        // Control pieces are never matched from text.
        ("<s>", &[1, 87, 9, 65, 2]),
        ("a </s> <unk>", &[1, 10, 6372, 9, 65, 87, 39089, 65, 2]),
        // The text is cut at its first NUL.
        ("abc\0def", &[1, 6, 32109, 2]),
        ("abc", &[1, 6, 32109, 2]),
        ("\0abc", &[1, 2]),
        // A long run of an unknown script is one <unk>.
        ("𒀀𒀁𒀂𒀃𒀄𒀅𒀆𒀇𒀈𒀉𒀊𒀋𒀌𒀍𒀎𒀏𒀐𒀑𒀒𒀓", &[1, 6, 0, 2]),
        ("x𒀀𒀁𒀂𒀃𒀄𒀅𒀆𒀇𒀈𒀉𒀊𒀋𒀌𒀍𒀎𒀏𒀐𒀑𒀒𒀓y", &[1, 257, 0, 52, 2]),
        // NFKC through the precompiled charsmap: ligature, circled digit, unit, half-width
        // katakana with voiced mark, full-width Latin.
        (
            "ﬁ ① ㎏ ｶﾞ Ｈｅｌｌｏ",
            &[1, 7950, 116, 3106, 6, 4388, 17486, 2],
        ),
        // A user-defined symbol is one piece.
        ("extra_token_id_1", &[1, 6, 3, 2]),
        // A literal U+2581 is text, except that trailing ones go with trailing whitespace.
        ("▁▁hello▁", &[1, 6, 27492, 2]),
    ];

    #[test]
    fn known_ids_match_the_operator() {
        let m = model();
        for (text, expected) in KNOWN {
            assert_eq!(&m.encode_with_bos_eos(text), expected, "text {text:?}");
        }
    }

    #[test]
    fn encode_is_encode_with_bos_eos_without_the_ends() {
        let m = model();
        for (text, expected) in KNOWN {
            assert_eq!(
                m.encode(text),
                expected[1..expected.len() - 1],
                "text {text:?}"
            );
        }
    }

    #[test]
    fn vocabulary_and_special_ids() {
        let m = model();
        assert_eq!(m.vocab_size(), 128_000);
        assert_eq!((m.unk_id, m.bos_id, m.eos_id), (0, 1, 2));
        assert!(m.charsmap.is_some());
        assert!(m.user_defined.is_some());
    }

    #[test]
    fn control_ids_never_come_from_text() {
        let m = model();
        for text in ["<s>", "</s>", "<s></s><s>", " <s> hello </s> "] {
            let ids = m.encode(text);
            assert!(
                !ids.contains(&1) && !ids.contains(&2),
                "{text:?} gave {ids:?}"
            );
        }
    }

    #[test]
    fn every_id_is_in_the_vocabulary() {
        let m = model();
        let text: String = (0x20u32..0x3000).filter_map(char::from_u32).collect();
        let ids = m.encode(&text);
        assert!(!ids.is_empty());
        assert!(ids.iter().all(|&id| (0..128_000).contains(&id)));
    }

    #[test]
    fn long_text_is_handled() {
        let m = model();
        let text = "Где мой заказ? Where is my order? ".repeat(2000);
        let ids = m.encode_with_bos_eos(&text);
        assert!(ids.len() > 10_000);
        assert_eq!((ids[0], ids[ids.len() - 1]), (1, 2));
    }

    #[test]
    fn the_tokenizer_can_be_shared_between_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<SentencePiece>();
        assert_send_sync::<SpmError>();
    }

    #[test]
    fn a_missing_file_is_an_io_error() {
        let err = SentencePiece::from_file(Path::new("/nonexistent/spm.model")).unwrap_err();
        assert!(matches!(err, SpmError::Io { .. }), "{err}");
    }

    #[test]
    fn truncated_real_model_is_an_error_not_a_panic() {
        let home = match std::env::var_os("KBCTL_HOME") {
            Some(h) if !h.is_empty() => PathBuf::from(h),
            _ => PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache/kbctl"),
        };
        let path = home.join("models/use-multilingual-v3/spm.model");
        let bytes = std::fs::read(&path).unwrap_or_else(|e| {
            panic!(
                "the SentencePiece model is missing at {}: {e}",
                path.display()
            )
        });
        for cut in [1, 2, 3, 100, bytes.len() / 2, bytes.len() - 1] {
            assert!(
                SentencePiece::from_bytes(&bytes[..cut]).is_err(),
                "cut at {cut}"
            );
        }
    }

    // ----- synthetic models: a tiny protobuf writer -----

    fn varint(mut v: u64, out: &mut Vec<u8>) {
        loop {
            let b = (v & 0x7F) as u8;
            v >>= 7;
            if v == 0 {
                out.push(b);
                return;
            }
            out.push(b | 0x80);
        }
    }

    fn field_varint(field: u32, v: u64, out: &mut Vec<u8>) {
        varint(u64::from(field) << 3, out);
        varint(v, out);
    }

    fn field_bytes(field: u32, b: &[u8], out: &mut Vec<u8>) {
        varint((u64::from(field) << 3) | 2, out);
        varint(b.len() as u64, out);
        out.extend_from_slice(b);
    }

    fn piece(text: &str, score: f32, kind: u64) -> Vec<u8> {
        let mut p = Vec::new();
        field_bytes(1, text.as_bytes(), &mut p);
        varint((2 << 3) | 5, &mut p);
        p.extend_from_slice(&score.to_le_bytes());
        field_varint(3, kind, &mut p);
        p
    }

    /// A model with `<unk>`, `<s>`, `</s>` and the given NORMAL pieces; `trainer` and
    /// `normalizer` are extra encoded fields for those messages.
    fn synthetic(
        normal: &[(&str, f32)],
        extra: &[Vec<u8>],
        trainer: &[u8],
        normalizer: &[u8],
    ) -> Vec<u8> {
        let mut m = Vec::new();
        field_bytes(1, &piece("<unk>", 0.0, 2), &mut m);
        field_bytes(1, &piece("<s>", 0.0, 3), &mut m);
        field_bytes(1, &piece("</s>", 0.0, 3), &mut m);
        for (t, s) in normal {
            field_bytes(1, &piece(t, *s, 1), &mut m);
        }
        for p in extra {
            field_bytes(1, p, &mut m);
        }
        let mut t = Vec::new();
        field_varint(3, 1, &mut t);
        t.extend_from_slice(trainer);
        field_bytes(2, &t, &mut m);
        field_bytes(3, normalizer, &mut m);
        m
    }

    const SMALL: &[(&str, f32)] = &[
        ("\u{2581}", -2.0),
        ("\u{2581}a", -1.0),
        ("a", -3.0),
        ("b", -3.0),
        ("ab", -2.5),
        ("\u{2581}ab", -1.5),
    ];

    #[test]
    fn synthetic_model_without_charsmap() {
        let m = SentencePiece::from_bytes(&synthetic(SMALL, &[], &[], &[])).unwrap();
        assert_eq!(m.vocab_size(), 3 + SMALL.len());
        // "▁ab" is one piece; "c" is unknown; "▁" + "a" + "b" vs "▁ab": -1.5 wins.
        assert_eq!(m.encode("ab"), vec![8]);
        assert_eq!(m.encode("  ab  a "), vec![8, 4]);
        assert_eq!(m.encode("abcc"), vec![8, 0]);
        assert_eq!(m.encode_with_bos_eos("cc c"), vec![1, 3, 0, 3, 0, 2]);
        assert_eq!(m.encode(""), Vec::<i32>::new());
    }

    #[test]
    fn synthetic_model_whitespace_flags() {
        // add_dummy_prefix = false, remove_extra_whitespaces = false.
        let mut n = Vec::new();
        field_varint(3, 0, &mut n);
        field_varint(4, 0, &mut n);
        let m = SentencePiece::from_bytes(&synthetic(SMALL, &[], &[], &n)).unwrap();
        assert_eq!(m.encode("ab"), vec![7]);
        assert_eq!(m.encode(" ab  "), vec![8, 3, 3]);
        // escape_whitespaces = false too: spaces stay spaces, which no piece matches.
        field_varint(5, 0, &mut n);
        let m = SentencePiece::from_bytes(&synthetic(SMALL, &[], &[], &n)).unwrap();
        assert_eq!(m.encode(" ab  "), vec![0, 7, 0]);
    }

    #[test]
    fn synthetic_model_user_defined_and_unused() {
        let extra = vec![piece("<tag>", 0.0, 4), piece("ab", 0.0, 5)];
        let small: Vec<_> = SMALL.iter().filter(|p| p.0 != "ab").copied().collect();
        let m = SentencePiece::from_bytes(&synthetic(&small, &extra, &[], &[])).unwrap();
        let tag = 3 + small.len() as i32;
        assert_eq!(m.encode("a<tag>b"), vec![4, tag, 6]);
        // The UNUSED "ab" is never produced.
        assert_eq!(m.encode("xab"), vec![3, 0, 5, 6]);
    }

    #[test]
    fn synthetic_model_byte_fallback() {
        let mut extra = Vec::new();
        for b in 0..=255u8 {
            extra.push(piece(&format!("<0x{b:02X}>"), 0.0, 6));
        }
        let mut t = Vec::new();
        field_varint(35, 1, &mut t);
        let m = SentencePiece::from_bytes(&synthetic(SMALL, &extra, &t, &[])).unwrap();
        let byte = |b: u8| 3 + SMALL.len() as i32 + i32::from(b);
        // "€" is E2 82 AC; unknown pieces become byte pieces and are not merged.
        assert_eq!(
            m.encode("a€€"),
            vec![
                4,
                byte(0xE2),
                byte(0x82),
                byte(0xAC),
                byte(0xE2),
                byte(0x82),
                byte(0xAC)
            ]
        );
        // Without byte_fallback, byte pieces are refused.
        let err = SentencePiece::from_bytes(&synthetic(SMALL, &extra, &[], &[])).unwrap_err();
        assert!(matches!(err, SpmError::Malformed(_)), "{err}");
    }

    #[test]
    fn malformed_and_unsupported_models() {
        let malformed = |bytes: &[u8]| match SentencePiece::from_bytes(bytes) {
            Err(SpmError::Malformed(_)) => {}
            other => panic!("expected Malformed, got {other:?}"),
        };
        malformed(&[]);
        malformed(&[0xFF]);
        malformed(&[0x0A, 0x80]);
        malformed(&[0x0A, 0x05, 0x0A]);
        // No <unk>.
        let mut m = Vec::new();
        field_bytes(1, &piece("a", -1.0, 1), &mut m);
        malformed(&m);
        // Duplicate piece.
        malformed(&synthetic(&[("a", -1.0), ("a", -2.0)], &[], &[], &[]));
        // Empty piece.
        malformed(&synthetic(&[("", -1.0)], &[], &[], &[]));
        // Broken charsmap.
        let mut n = Vec::new();
        field_bytes(2, &[0xFF, 0xFF, 0, 0, 1, 2], &mut n);
        malformed(&synthetic(SMALL, &[], &[], &n));
        // BPE.
        let mut t = Vec::new();
        field_varint(3, 2, &mut t);
        match SentencePiece::from_bytes(&synthetic(SMALL, &[], &t, &[])) {
            Err(SpmError::Unsupported(_)) => {}
            other => panic!("expected Unsupported, got {other:?}"),
        }
    }

    #[test]
    fn unknown_fields_and_groups_are_skipped() {
        let mut m = synthetic(SMALL, &[], &[], &[]);
        field_varint(99, 12345, &mut m);
        m.extend_from_slice(&[(100 << 3 | 1) as u8 | 0x80, 100 >> 4]);
        m.extend_from_slice(&[0; 8]);
        // A group (field 7) holding a varint, then its end.
        m.extend_from_slice(&[7 << 3 | 3, 1 << 3, 5, 7 << 3 | 4]);
        let s = SentencePiece::from_bytes(&m).unwrap();
        assert_eq!(s.encode("ab"), vec![8]);
    }

    #[test]
    fn helpers_follow_sentencepiece() {
        assert_eq!(one_char_len(b'a'), 1);
        assert_eq!(one_char_len(0x80), 1);
        assert_eq!(one_char_len(0xD0), 2);
        assert_eq!(one_char_len(0xE2), 3);
        assert_eq!(one_char_len(0xF0), 4);
        assert_eq!(decode_utf8_len("я".as_bytes()), Some(2));
        assert_eq!(decode_utf8_len("𒀀".as_bytes()), Some(4));
        assert_eq!(decode_utf8_len(&[0xED, 0xA0, 0x80]), None); // a surrogate
        assert_eq!(decode_utf8_len(&[0xC0, 0x80]), None); // overlong
        assert_eq!(piece_to_byte(b"<0x0A>"), Some(10));
        assert_eq!(piece_to_byte(b"<0x0a>"), None);
        assert_eq!(cut_at_nul(b"ab\0c"), b"ab");
    }
}
