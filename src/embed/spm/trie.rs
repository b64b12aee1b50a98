//! A byte-wise trie over piece bytes: exact and longest-prefix lookups for the tokenizer.

use std::collections::VecDeque;

use super::{SpmError, cut_at_nul, show};

/// A byte-wise trie with contiguous, sorted child edges, built once from sorted keys.
///
/// Nodes are numbered breadth first, so the edges of a node are contiguous and edge `e`
/// leads to node `e + 1`: a node needs only the index of its first edge and its value.
#[derive(Debug)]
pub(super) struct ByteTrie {
    /// Child of the root for each first byte (0: none; the root is never a child).
    root: Box<[u32; 256]>,
    /// One entry per node plus a sentinel: the edges of node `n` are
    /// `nodes[n].first_edge..nodes[n + 1].first_edge`.
    nodes: Vec<TrieNode>,
    /// Edge labels, sorted within each node.
    labels: Vec<u8>,
}

#[derive(Debug, Clone, Copy)]
struct TrieNode {
    first_edge: u32,
    /// Piece id stored at the node, or -1.
    value: i32,
}

impl ByteTrie {
    /// Builds the trie from `(key, value)` pairs. With `c_string_keys`, each key is cut at
    /// its first NUL first, as darts-clone does with keys given as C strings. Duplicate or
    /// empty keys are errors (SentencePiece refuses duplicate pieces and empty pieces).
    pub(super) fn build(
        mut entries: Vec<(&[u8], i32)>,
        c_string_keys: bool,
    ) -> Result<Self, SpmError> {
        if c_string_keys {
            for e in &mut entries {
                e.0 = cut_at_nul(e.0);
            }
        }
        entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
        for w in entries.windows(2) {
            if w[0].0 == w[1].0 {
                return Err(SpmError::Malformed(format!(
                    "piece {} is already defined",
                    show(w[1].0)
                )));
            }
        }
        if entries.first().is_some_and(|e| e.0.is_empty()) {
            return Err(SpmError::Malformed("a piece is empty".into()));
        }
        let total: usize = entries.iter().map(|e| e.0.len()).sum();
        if total >= (i32::MAX as usize) {
            return Err(SpmError::Malformed("pieces are too large".into()));
        }
        let mut nodes = Vec::with_capacity(total + 2);
        let mut labels = Vec::with_capacity(total);
        // Breadth first: nodes are numbered in the order they are queued, so each node's
        // edges are appended contiguously, in node order, and edge `e` creates node `e + 1`.
        let mut queue = VecDeque::new();
        queue.push_back((0usize, entries.len(), 0usize));
        while let Some((mut lo, hi, depth)) = queue.pop_front() {
            let mut value = -1;
            if lo < hi && entries[lo].0.len() == depth {
                value = entries[lo].1;
                lo += 1;
            }
            nodes.push(TrieNode {
                first_edge: labels.len() as u32,
                value,
            });
            let mut i = lo;
            while i < hi {
                let b = entries[i].0[depth];
                let mut j = i + 1;
                while j < hi && entries[j].0[depth] == b {
                    j += 1;
                }
                labels.push(b);
                queue.push_back((i, j, depth + 1));
                i = j;
            }
        }
        nodes.push(TrieNode {
            first_edge: labels.len() as u32,
            value: -1,
        });
        let mut root = Box::new([0u32; 256]);
        for e in 0..nodes[1].first_edge as usize {
            root[usize::from(labels[e])] = e as u32 + 1;
        }
        Ok(Self {
            root,
            nodes,
            labels,
        })
    }

    /// The child of `node` along `byte`.
    #[inline]
    pub(super) fn child(&self, node: u32, byte: u8) -> Option<u32> {
        if node == 0 {
            let c = self.root[usize::from(byte)];
            return (c != 0).then_some(c);
        }
        let n = node as usize;
        let lo = self.nodes[n].first_edge as usize;
        let hi = self.nodes[n + 1].first_edge as usize;
        let labels = &self.labels[lo..hi];
        let found = if labels.len() <= 8 {
            labels.iter().position(|&l| l == byte)
        } else {
            labels.binary_search(&byte).ok()
        };
        found.map(|k| (lo + k + 1) as u32)
    }

    /// The value stored at `node`, if any.
    #[inline]
    pub(super) fn value(&self, node: u32) -> Option<i32> {
        let v = self.nodes[node as usize].value;
        (v >= 0).then_some(v)
    }

    /// The value of the key equal to `key`.
    pub(super) fn exact(&self, key: &[u8]) -> Option<i32> {
        let mut node = 0;
        for &b in key {
            node = self.child(node, b)?;
        }
        self.value(node)
    }

    /// The longest key that is a prefix of `text`: its length and value.
    pub(super) fn longest_prefix(&self, text: &[u8]) -> Option<(usize, i32)> {
        let mut node = 0;
        let mut found = None;
        for (i, &b) in text.iter().enumerate() {
            let Some(next) = self.child(node, b) else {
                break;
            };
            node = next;
            if let Some(v) = self.value(node) {
                found = Some((i + 1, v));
            }
        }
        found
    }
}
