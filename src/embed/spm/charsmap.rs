//! The precompiled charsmap of `nmt_nfkc`: a darts-clone double array of normalisation rules.

use super::SpmError;

/// The precompiled normalisation rules: `<u32 LE trie size><darts-clone double array>
/// <NUL-terminated replacement strings>` (`Normalizer::DecodePrecompiledCharsMap`).
#[derive(Debug)]
pub(super) struct CharsMap {
    /// darts-clone `DoubleArrayUnit`s.
    units: Vec<u32>,
    /// Replacement strings; a rule's value is the offset of its NUL-terminated string.
    normalized: Vec<u8>,
}

impl CharsMap {
    pub(super) fn parse(blob: &[u8]) -> Result<Self, SpmError> {
        let broken = || SpmError::Malformed("blob for normalization rule is broken".into());
        let header: [u8; 4] = blob
            .get(..4)
            .ok_or_else(broken)?
            .try_into()
            .map_err(|_| broken())?;
        if blob.len() <= 4 {
            return Err(broken());
        }
        let trie_size = u32::from_le_bytes(header) as usize;
        let rest = &blob[4..];
        if trie_size >= blob.len() || trie_size > rest.len() {
            return Err(SpmError::Malformed(
                "trie data size exceeds the input blob size".into(),
            ));
        }
        // set_array() is given trie_size / unit_size units.
        let units = rest[..trie_size]
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect::<Vec<_>>();
        if units.is_empty() {
            return Err(SpmError::Malformed("normalization trie is empty".into()));
        }
        Ok(Self {
            units,
            normalized: rest[trie_size..].to_vec(),
        })
    }

    /// darts-clone `commonPrefixSearch` keeping the longest hit, as `NormalizePrefix` does:
    /// the matched length and the replacement bytes (up to their NUL).
    ///
    /// A unit index outside the array (only in a corrupt model) ends the search, and a rule
    /// pointing outside the replacement blob is ignored.
    pub(super) fn longest_match<'s>(&'s self, key: &[u8]) -> Option<(usize, &'s [u8])> {
        #[inline]
        fn has_leaf(u: u32) -> bool {
            (u >> 8) & 1 == 1
        }
        #[inline]
        fn value(u: u32) -> u32 {
            u & ((1 << 31) - 1)
        }
        #[inline]
        fn label(u: u32) -> u32 {
            u & ((1 << 31) | 0xFF)
        }
        #[inline]
        fn offset(u: u32) -> u32 {
            (u >> 10) << ((u & (1 << 9)) >> 6)
        }
        let mut id = offset(*self.units.first()?);
        let mut best: Option<(usize, u32)> = None;
        for (i, &b) in key.iter().enumerate() {
            id ^= u32::from(b);
            let Some(&unit) = self.units.get(id as usize) else {
                break;
            };
            if label(unit) != u32::from(b) {
                break;
            }
            id ^= offset(unit);
            if has_leaf(unit) {
                let Some(&leaf) = self.units.get(id as usize) else {
                    break;
                };
                best = Some((i + 1, value(leaf)));
            }
        }
        let (len, at) = best?;
        let tail = self.normalized.get(at as usize..)?;
        let end = tail.iter().position(|&b| b == 0).unwrap_or(tail.len());
        Some((len, &tail[..end]))
    }
}
