//! A minimal reader of the protobuf wire format, for `sentencepiece_model.proto`.

use super::{PieceType, SpmError};

fn malformed(what: &str) -> SpmError {
    SpmError::Malformed(format!("protobuf: {what}"))
}

/// One field's value as it appears on the wire.
enum Value<'a> {
    Varint(u64),
    Fixed64,
    Bytes(&'a [u8]),
    Fixed32(u32),
    Group,
}

struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn new(buf: &'a [u8]) -> Self {
        Self { buf, pos: 0 }
    }

    fn varint(&mut self) -> Result<u64, SpmError> {
        let mut v = 0u64;
        for shift in (0..70).step_by(7) {
            let b = *self
                .buf
                .get(self.pos)
                .ok_or_else(|| malformed("truncated varint"))?;
            self.pos += 1;
            if shift == 63 && b > 1 {
                return Err(malformed("varint overflows 64 bits"));
            }
            v |= u64::from(b & 0x7F) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(malformed("varint longer than 10 bytes"))
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], SpmError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.buf.len())
            .ok_or_else(|| malformed("field runs past the end of its message"))?;
        let s = &self.buf[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    fn key(&mut self) -> Result<(u32, u8), SpmError> {
        let key = self.varint()?;
        let field = u32::try_from(key >> 3).map_err(|_| malformed("field number too large"))?;
        if field == 0 {
            return Err(malformed("field number 0"));
        }
        Ok((field, (key & 7) as u8))
    }

    /// The next field, or `None` at the end of the message.
    fn next(&mut self) -> Result<Option<(u32, Value<'a>)>, SpmError> {
        if self.pos >= self.buf.len() {
            return Ok(None);
        }
        let (field, wire) = self.key()?;
        let value = match wire {
            0 => Value::Varint(self.varint()?),
            1 => {
                self.take(8)?;
                Value::Fixed64
            }
            2 => {
                let len =
                    usize::try_from(self.varint()?).map_err(|_| malformed("length too large"))?;
                Value::Bytes(self.take(len)?)
            }
            3 => {
                self.skip_group(field)?;
                Value::Group
            }
            5 => {
                let b = self.take(4)?;
                Value::Fixed32(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            }
            4 => return Err(malformed("unexpected end-group")),
            _ => return Err(malformed("invalid wire type")),
        };
        Ok(Some((field, value)))
    }

    /// Skips a (deprecated) group up to its matching end-group, without recursion.
    fn skip_group(&mut self, field: u32) -> Result<(), SpmError> {
        let mut open = vec![field];
        while let Some(&top) = open.last() {
            if self.pos >= self.buf.len() {
                return Err(malformed("unterminated group"));
            }
            let (f, wire) = self.key()?;
            match wire {
                0 => {
                    self.varint()?;
                }
                1 => {
                    self.take(8)?;
                }
                2 => {
                    let len = usize::try_from(self.varint()?)
                        .map_err(|_| malformed("length too large"))?;
                    self.take(len)?;
                }
                3 => open.push(f),
                4 if f == top => {
                    open.pop();
                }
                5 => {
                    self.take(4)?;
                }
                _ => return Err(malformed("mismatched group")),
            }
        }
        Ok(())
    }
}

/// `ModelProto.SentencePiece`.
pub(super) struct Piece<'a> {
    pub piece: &'a [u8],
    pub score: f32,
    pub kind: PieceType,
}

/// The fields of `TrainerSpec` that change encoding.
pub(super) struct Trainer<'a> {
    pub model_type: u64,
    pub treat_whitespace_as_suffix: bool,
    pub byte_fallback: bool,
    /// `None` when absent or empty (SentencePiece then uses the default).
    pub bos_piece: Option<&'a [u8]>,
    pub eos_piece: Option<&'a [u8]>,
}

/// The fields of `NormalizerSpec` that change encoding.
pub(super) struct Normalizer<'a> {
    pub precompiled_charsmap: &'a [u8],
    pub add_dummy_prefix: bool,
    pub remove_extra_whitespaces: bool,
    pub escape_whitespaces: bool,
}

pub(super) struct Model<'a> {
    pub pieces: Vec<Piece<'a>>,
    pub trainer: Trainer<'a>,
    pub normalizer: Normalizer<'a>,
}

/// Parses a `ModelProto`. Singular embedded messages that occur more than once are
/// merged and the last value of a singular scalar wins, as protobuf does.
pub(super) fn parse_model(buf: &[u8]) -> Result<Model<'_>, SpmError> {
    let mut model = Model {
        pieces: Vec::new(),
        trainer: Trainer {
            model_type: 1,
            treat_whitespace_as_suffix: false,
            byte_fallback: false,
            bos_piece: None,
            eos_piece: None,
        },
        normalizer: Normalizer {
            precompiled_charsmap: &[],
            add_dummy_prefix: true,
            remove_extra_whitespaces: true,
            escape_whitespaces: true,
        },
    };
    let mut r = Reader::new(buf);
    while let Some((field, value)) = r.next()? {
        match (field, value) {
            (1, Value::Bytes(b)) => model.pieces.push(parse_piece(b)?),
            (2, Value::Bytes(b)) => parse_trainer(b, &mut model.trainer)?,
            (3, Value::Bytes(b)) => parse_normalizer(b, &mut model.normalizer)?,
            _ => {}
        }
    }
    Ok(model)
}

fn parse_piece(buf: &[u8]) -> Result<Piece<'_>, SpmError> {
    let mut p = Piece {
        piece: &[],
        score: 0.0,
        kind: PieceType::Normal,
    };
    let mut r = Reader::new(buf);
    while let Some((field, value)) = r.next()? {
        match (field, value) {
            (1, Value::Bytes(b)) => p.piece = b,
            (2, Value::Fixed32(bits)) => p.score = f32::from_bits(bits),
            (3, Value::Varint(v)) => {
                if let Some(kind) = PieceType::from_wire(v) {
                    p.kind = kind;
                }
            }
            _ => {}
        }
    }
    Ok(p)
}

fn parse_trainer<'a>(buf: &'a [u8], t: &mut Trainer<'a>) -> Result<(), SpmError> {
    let mut r = Reader::new(buf);
    while let Some((field, value)) = r.next()? {
        match (field, value) {
            // An undefined enum value is an unknown field in proto2.
            (3, Value::Varint(v)) if (1..=4).contains(&v) => t.model_type = v,
            (24, Value::Varint(v)) => t.treat_whitespace_as_suffix = v != 0,
            (35, Value::Varint(v)) => t.byte_fallback = v != 0,
            (46, Value::Bytes(b)) => t.bos_piece = (!b.is_empty()).then_some(b),
            (47, Value::Bytes(b)) => t.eos_piece = (!b.is_empty()).then_some(b),
            _ => {}
        }
    }
    Ok(())
}

fn parse_normalizer<'a>(buf: &'a [u8], n: &mut Normalizer<'a>) -> Result<(), SpmError> {
    let mut r = Reader::new(buf);
    while let Some((field, value)) = r.next()? {
        match (field, value) {
            (2, Value::Bytes(b)) => n.precompiled_charsmap = b,
            (3, Value::Varint(v)) => n.add_dummy_prefix = v != 0,
            (4, Value::Varint(v)) => n.remove_extra_whitespaces = v != 0,
            (5, Value::Varint(v)) => n.escape_whitespaces = v != 0,
            _ => {}
        }
    }
    Ok(())
}
