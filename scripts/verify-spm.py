#!/usr/bin/env python3
"""Fuzz kbctl's pure-Rust SentencePiece tokenizer against the real operator.

The reference is onnxruntime-extensions' `SentencepieceTokenizer` custom operator (the one
inside the Universal Sentence Encoder multilingual graph), run in a one-node ONNX graph built
from `spm.model` with the original graph's options: nbest_size 0, alpha 1.0, add_bos true,
add_eos true, reverse false. The Rust side is a command that reads JSON-lines texts (one JSON
string per line) on stdin and prints one line of space-separated ids per text
(`examples/spm_ids.rs`); the script appends `--model PATH` to it.

Texts: realistic RU/PL/EN support sentences with typos, every Unicode scalar value alone and
inside `a_b`, random mixed-script strings (whitespace runs, emoji, control characters, NUL,
"<s>", "</s>", "<unk>", user-defined symbols, full-width and compatibility characters that
NFKC changes, long runs of characters the vocabulary does not know), tie-heavy repetitive
strings, and long texts (whole tickets). About 2.3 million texts by default (~1 minute).

Needs: pip install onnx onnxruntime==1.24.1 onnxruntime-extensions==0.15.2 numpy

Usage:
  scripts/verify-spm.py [--model PATH] [--rust-cmd CMD] [--sentences N] [--random N]
                        [--repetitive N] [--long N] [--no-scalars] [--seed S] [--show K]

Prints `N texts, M mismatches` and the first mismatches; exits 1 if any text differs.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shlex
import subprocess
import sys
import time
from pathlib import Path


def default_model() -> Path:
    home = os.environ.get("KBCTL_HOME") or os.path.join(os.path.expanduser("~"), ".cache", "kbctl")
    return Path(home) / "models" / "use-multilingual-v3" / "spm.model"


# --------------------------------------------------------------------------- reference


class Reference:
    """onnxruntime-extensions' SentencepieceTokenizer in a one-node graph."""

    def __init__(self, model_bytes: bytes):
        try:
            import numpy as np
            import onnxruntime as ort
            from onnx import TensorProto, helper
            from onnxruntime_extensions import get_library_path
        except ImportError as e:  # pragma: no cover - environment problem
            sys.exit(
                f"verify-spm: {e}\n"
                "install the reference: pip install onnx onnxruntime==1.24.1 "
                "onnxruntime-extensions==0.15.2 numpy"
            )
        self.np = np
        consts = [
            helper.make_tensor("nbest_size", TensorProto.INT64, [1], [0]),
            helper.make_tensor("alpha", TensorProto.FLOAT, [1], [1.0]),
            helper.make_tensor("add_bos", TensorProto.BOOL, [1], [True]),
            helper.make_tensor("add_eos", TensorProto.BOOL, [1], [True]),
            helper.make_tensor("reverse", TensorProto.BOOL, [1], [False]),
        ]
        node = helper.make_node(
            "SentencepieceTokenizer",
            ["inputs", "nbest_size", "alpha", "add_bos", "add_eos", "reverse"],
            ["ids", "splits"],
            domain="ai.onnx.contrib",
            model=model_bytes,
        )
        graph = helper.make_graph(
            [node],
            "spm_reference",
            [helper.make_tensor_value_info("inputs", TensorProto.STRING, ["n"])],
            [
                helper.make_tensor_value_info("ids", TensorProto.INT32, ["t"]),
                helper.make_tensor_value_info("splits", TensorProto.INT64, ["n1"]),
            ],
            initializer=consts,
        )
        model = helper.make_model(
            graph,
            opset_imports=[helper.make_opsetid("", 12), helper.make_opsetid("ai.onnx.contrib", 1)],
        )
        model.ir_version = 8
        so = ort.SessionOptions()
        so.register_custom_ops_library(get_library_path())
        self.sess = ort.InferenceSession(model.SerializeToString(), so, providers=["CPUExecutionProvider"])

    def encode(self, texts: list[str], batch: int = 20000) -> list[list[int]]:
        np = self.np
        out: list[list[int]] = []
        for i in range(0, len(texts), batch):
            chunk = texts[i : i + batch]
            ids, splits = self.sess.run(None, {"inputs": np.array(chunk, dtype=object)})
            ids = ids.tolist()
            splits = splits.tolist()
            out.extend(ids[splits[k] : splits[k + 1]] for k in range(len(chunk)))
        return out


# --------------------------------------------------------------------------- rust side


def run_rust(cmd: str, model: Path, texts: list[str]) -> list[list[int]]:
    argv = shlex.split(cmd) + ["--model", str(model)]
    data = "".join(json.dumps(t) + "\n" for t in texts).encode("ascii")
    proc = subprocess.run(argv, input=data, stdout=subprocess.PIPE)
    if proc.returncode != 0:
        sys.exit(f"verify-spm: {' '.join(argv)} exited with {proc.returncode}")
    lines = proc.stdout.decode("ascii").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if len(lines) != len(texts):
        sys.exit(f"verify-spm: the Rust command printed {len(lines)} lines for {len(texts)} texts")
    return [[int(x) for x in line.split()] for line in lines]


# --------------------------------------------------------------------------- texts

EN = [
    "Where is my order?", "I can't log in to my account", "How do I change my password?",
    "The app crashes when I open settings", "Please refund my last payment",
    "My invoice shows the wrong VAT number", "The delivery was late again",
    "I was charged twice for the same subscription", "Can you reset my 2FA?",
    "Export to CSV doesn't work since the update", "hi, the tracking link is broken",
    "Order #48213 arrived damaged, box was wet", "why is my account locked??",
]
RU = [
    "Где мой заказ?", "Не могу войти в аккаунт", "Как изменить пароль?",
    "Приложение вылетает при открытии настроек", "Верните, пожалуйста, деньги за последний платёж",
    "В счёте указан неверный ИНН", "Доставка опять задержалась",
    "С меня дважды списали за одну подписку", "Сбросьте, пожалуйста, двухфакторную аутентификацию",
    "Экспорт в CSV не работает после обновления", "здравствуйте, ссылка на отслеживание не открывается",
    "Заказ №48213 пришёл повреждённым, коробка мокрая", "почему мой аккаунт заблокирован??",
]
PL = [
    "Gdzie jest moje zamówienie?", "Nie mogę zalogować się na konto", "Jak zmienić hasło?",
    "Aplikacja się zawiesza po otwarciu ustawień", "Proszę o zwrot ostatniej płatności",
    "Na fakturze jest zły numer NIP", "Dostawa znowu się spóźniła",
    "Pobrano ode mnie dwa razy opłatę za tę samą subskrypcję", "Czy możecie zresetować 2FA?",
    "Eksport do CSV nie działa od aktualizacji", "dzień dobry, link do śledzenia przesyłki nie działa",
    "Zamówienie nr 48213 dotarło uszkodzone, pudełko było mokre", "dlaczego moje konto jest zablokowane??",
    "Zażółć gęślą jaźń", "ŹDŹBŁO ŻÓŁWIA",
]

WS = [" ", "  ", "   ", "\t", "\n", "\r\n", "\u00a0", "\u3000", "\u2002", "\u2003", "\u200b",
      "\u2028", "\u2029", "\u0085", "\u180e", "\ufeff", "\u2581", " \u2581 ", "\u202f", "\u205f"]
SPECIAL = ["<s>", "</s>", "<unk>", "<pad>", "extra_token_id_1", "extra_token_id_2",
           "extra_token_id_3", "extra_token_id_", "xextra_token_id_1x", "▁", "<0x41>"]
COMPAT = list("ﬁﬂﬀﬃ①②⑳⒜㎏㎞㏄½¼¾™℠℃℉ⅫⅣⅷ²³¹⁴ₐ₂ｶﾞﾊﾟｯｰﾟﾞ㈱㍻㌔Å℡ﬆſ") + [
    "\u0041\u030a", "e\u0301", "\u1100\u1161", "\uac00\u11a8", "ｶﾞ", "ﾊﾟ", "ǅ", "Ǆ", "ǆ"]
FULLWIDTH = [chr(c) for c in range(0xFF01, 0xFF5F)] + [chr(c) for c in range(0xFF61, 0xFFA0)]
CONTROL = [chr(c) for c in list(range(0x00, 0x20)) + list(range(0x7F, 0xA0))] + [
    "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\u206f", "\ufff9", "\ufffc", "\ufffd",
    "\ufffe", "\uffff", "\U000e0001", "\U000e0041", "\U000f0000", "\U0010fffd"]
EMOJI = ["😀", "👍", "👍🏽", "❤️", "🇵🇱", "🇷🇺", "🏳️‍🌈", "👨‍👩‍👧‍👦", "🤦‍♂️", "🔥", "✅", "❌", "📦",
         "🙏", "😡", "🥲", "🫠", "☺", "☺️", "♥", "©", "®", "#️⃣", "1️⃣"]
SCRIPTS = [
    (0x41, 0x5A), (0x61, 0x7A), (0x30, 0x39), (0x21, 0x2F), (0x3A, 0x40), (0xC0, 0x17F),
    (0x400, 0x4FF), (0x370, 0x3FF), (0x590, 0x5FF), (0x600, 0x6FF), (0x900, 0x97F),
    (0xE00, 0xE7F), (0x10A0, 0x10FF), (0x3040, 0x30FF), (0x4E00, 0x9FFF), (0xAC00, 0xD7A3),
    (0x300, 0x36F), (0x2000, 0x206F), (0x2100, 0x218F), (0x2460, 0x24FF), (0x1F300, 0x1FAFF),
    (0x1E00, 0x1EFF), (0x0530, 0x058F), (0x1200, 0x137F), (0x13A0, 0x13FF), (0xA000, 0xA48F),
    (0x10000, 0x1007F), (0x12000, 0x123FF), (0x1D400, 0x1D7FF), (0xE000, 0xF8FF), (0xFB00, 0xFDFF),
    (0xFE30, 0xFE4F), (0xFF00, 0xFFEF), (0x20000, 0x2A6DF), (0xF900, 0xFAFF),
]
UNKNOWN_SCRIPTS = [(0x10000, 0x1007F), (0x12000, 0x123FF), (0x13000, 0x1342F), (0x1D000, 0x1D0FF),
                   (0xA000, 0xA48F), (0x16A0, 0x16F0), (0xE000, 0xF8FF), (0x10900, 0x1091F)]


def rand_scalar(rng: random.Random) -> str:
    while True:
        c = rng.randrange(0x110000)
        if not 0xD800 <= c <= 0xDFFF:
            return chr(c)


def typo(rng: random.Random, s: str) -> str:
    if not s:
        return s
    i = rng.randrange(len(s))
    op = rng.randrange(5)
    if op == 0:
        return s[:i] + s[i + 1 :]
    if op == 1:
        return s[:i] + s[i] + s[i:]
    if op == 2 and i + 1 < len(s):
        return s[:i] + s[i + 1] + s[i] + s[i + 2 :]
    if op == 3:
        return s[:i] + rng.choice("абвгдеёжзийклмнопрстуфхцчшщъыьэюяąćęłńóśźżabcdefghijklmnopqrstuvwxyz") + s[i + 1 :]
    return s.upper() if rng.random() < 0.3 else s.lower()


def sentences(rng: random.Random, n: int) -> list[str]:
    pool = EN + RU + PL
    out = []
    for _ in range(n):
        parts = [rng.choice(pool) for _ in range(rng.randint(1, 3))]
        s = rng.choice([" ", "  ", ". ", "\n", " - ", ", "]).join(parts)
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
            s = typo(rng, s)
        r = rng.random()
        if r < 0.1:
            s = " " * rng.randint(1, 3) + s + " " * rng.randint(1, 3)
        elif r < 0.15:
            s += " " + rng.choice(EMOJI)
        elif r < 0.2:
            s = s.replace(" ", rng.choice(WS))
        elif r < 0.25:
            s += " " + rng.choice(SPECIAL)
        out.append(s)
    return out


def random_mixed(rng: random.Random, n: int) -> list[str]:
    out = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(1, 12)):
            k = rng.randrange(12)
            if k == 0:
                parts.append(rng.choice(WS) * rng.randint(1, 3))
            elif k == 1:
                parts.append(rng.choice(SPECIAL))
            elif k == 2:
                parts.append(rng.choice(COMPAT))
            elif k == 3:
                parts.append("".join(rng.choice(FULLWIDTH) for _ in range(rng.randint(1, 5))))
            elif k == 4:
                parts.append(rng.choice(CONTROL))
            elif k == 5:
                parts.append(rng.choice(EMOJI))
            elif k == 6:
                parts.append(rand_scalar(rng))
            elif k == 7:
                parts.append(rng.choice(EN + RU + PL))
            elif k == 8:
                lo, hi = rng.choice(UNKNOWN_SCRIPTS)
                parts.append("".join(chr(rng.randint(lo, hi)) for _ in range(rng.randint(1, 40))))
            else:
                lo, hi = rng.choice(SCRIPTS)
                parts.append("".join(chr(rng.randint(lo, hi)) for _ in range(rng.randint(1, 8))))
        sep = rng.choice(["", "", " ", "  "])
        out.append(sep.join(parts))
    return out


def repetitive(rng: random.Random, n: int) -> list[str]:
    """Small alphabets repeated: segmentations with equal or nearly equal scores (ties).

    These are what tell SentencePiece's mixed float/double path arithmetic apart from
    plain float or plain double arithmetic."""
    units = list("abgmnsxo01-.!?аоыхпłśżąeé的一") + ["ha", "ха", "la", "na", "ab", "ing", "▁", " ", "😀"]
    out = []
    for _ in range(n):
        alphabet = [rng.choice(units) for _ in range(rng.randint(1, 3))]
        s = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40)))
        if rng.random() < 0.3:
            # A user-defined symbol shifts every later path score: float rounding then
            # decides near-ties differently unless its score is exactly SentencePiece's.
            i = rng.randint(0, len(s))
            s = s[:i] + rng.choice(SPECIAL) + s[i:]
        out.append(s)
    return out


def long_texts(rng: random.Random, n: int) -> list[str]:
    """Whole tickets: tens of sentences and random strings run together."""
    out = []
    for _ in range(n):
        k = rng.randint(10, 80)
        parts = sentences(rng, k // 2) + random_mixed(rng, k - k // 2)
        rng.shuffle(parts)
        out.append(rng.choice([" ", "\n", "  ", ""]).join(parts))
    return out


def fixed_cases() -> list[str]:
    long_unknown = "".join(chr(0x12000 + i) for i in range(300))
    return [
        "", " ", "   ", "\t\n", "\u3000", "a", "<s>", "</s>", "<unk>", "<s>Hello</s>",
        "a\0b", "\0", "abc\0", "\0abc", "▁", "▁▁", " ▁ ", "a ▁", "extra_token_id_1",
        "extra_token_id_1extra_token_id_2", "ｅｘｔｒａ_token_id_1", long_unknown,
        "x" + long_unknown + "y", "Где мой заказ?", "Jak zmienić hasło?", "Where is my order?",
        "Hello     world", "  leading", "trailing   ", "ﬁ ① ㎏ ½ ™ Ⅻ ｶﾞ", "👍🏽 🇵🇱 👨‍👩‍👧‍👦",
        "a" * 5000, "привет " * 300,
    ]


# --------------------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", type=Path, default=default_model())
    ap.add_argument("--rust-cmd", default="cargo run --quiet --release --example spm_ids --")
    ap.add_argument("--sentences", type=int, default=20000, help="realistic support sentences")
    ap.add_argument("--random", type=int, default=50000, help="random mixed-script strings")
    ap.add_argument("--repetitive", type=int, default=30000, help="tie-heavy repetitive strings")
    ap.add_argument("--long", type=int, default=2000, help="long texts (whole tickets)")
    ap.add_argument("--no-scalars", action="store_true", help="skip every-scalar texts (2.2M)")
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--show", type=int, default=10, help="mismatches to print")
    args = ap.parse_args()

    if not args.model.is_file():
        sys.exit(f"verify-spm: no model at {args.model} (run scripts/setup, or pass --model)")
    rng = random.Random(args.seed)
    texts = fixed_cases() + sentences(rng, args.sentences) + random_mixed(rng, args.random)
    texts += repetitive(rng, args.repetitive)
    texts += long_texts(rng, args.long)
    if not args.no_scalars:
        scalars = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
        texts += scalars
        texts += ["a" + c + "b" for c in scalars]

    t0 = time.time()
    ref = Reference(args.model.read_bytes()).encode(texts)
    t1 = time.time()
    got = run_rust(args.rust_cmd, args.model, texts)
    t2 = time.time()
    bad = [i for i in range(len(texts)) if ref[i] != got[i]]
    print(f"reference {t1 - t0:.1f}s, rust {t2 - t1:.1f}s", file=sys.stderr)
    print(f"{len(texts)} texts, {len(bad)} mismatches")
    for i in bad[: args.show]:
        print(f"  text {json.dumps(texts[i])}\n    op:   {ref[i]}\n    rust: {got[i]}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
