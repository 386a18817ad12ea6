#!/usr/bin/python3
"""Tokenizes a multilingual text set with Python's SentencePiece, as the expected values for the Java tokenizer.

The models come from the Java writer (TokenizerFiles); this script shares no code with it. Besides texts, it
decodes id sequences only generation produces (cut byte runs, unknown and control ids), because the Java side
decodes in Java: DJL's JNI decode garbles characters outside the Basic Multilingual Plane. It reads the model's
protobuf with its own small wire-format reader, loads it with the real SentencePiece library, and re-implements the
added-token splitting, BOS insertion and decoding rules independently, so the Java side is checked on three levels:
the model file, SentencePiece through DJL, and the Tokenizer built on top.

Regenerate (from services/mono-internvl, JAVA_HOME on a JDK 25+; needs `apt-get install python3-sentencepiece`,
written against 0.1.97):
    ../../mvnw -q test-compile exec:java -Dexec.classpathScope=test \
        -Dexec.mainClass=io.pagestream.internvl.tokenizer.TokenizerFixtures -Dexec.args=target/tokenizer-fixture
    /usr/bin/python3 src/test/python/make_tokenizer_fixtures.py target/tokenizer-fixture \
        src/test/resources/tokenizer-fixture
    rm -rf src/test/resources/tokenizer-fixture/small
    cp -r target/tokenizer-fixture/small src/test/resources/tokenizer-fixture/small

Writes OUTPUT_DIR/expected-<name>.json for every tokenizer directory <name> under MODELS_DIR.
"""
import hashlib
import json
import os
import sys

import sentencepiece

TEXTS = [
    "Hello, world!",
    "The quick brown fox jumps over the lazy dog.",
    "Grüße aus der Straße: Mädchen müssen schön sein. ÄÖÜ äöü ß",
    "Français : déjà été, où ça ? À bientôt ! Œuvre, garçon.",
    "Привет, мир! Это документ на русском языке.",
    "Καλημέρα κόσμε! Ελληνικά γράμματα: αβγδε ΑΒΓΔΕ",
    "你好，世界！这是一个人工智能实验室的文档。",
    "こんにちは、世界。東京の画像です。カタカナ",
    "안녕하세요, 세계! 한국어 문서입니다.",
    "مرحبا بالعالم، هذا نص عربي ١٢٣",
    "नमस्ते दुनिया, यह हिंदी पाठ है।",
    "Emoji: 😀🎉👍🏽 and ❤️ mixed",
    "Digits 0123456789, 3.14159, -42, 1e10, 2024-05-01",
    "def f(x):\n    return x * 2  # comment\n\nclass A { public static void main(String[] args) {} }",
    "tabs\tand\ttabs\n\nnew lines\r\nand   three spaces    four",
    "",
    " ",
    "   leading and trailing spaces   ",
    "\n",
    "a" * 64,
    "e\u0301 versus \u00e9, ＡＢＣ１２３ fullwidth",
    "Rare CJK 𠀀 and 㐀 fall back to bytes",
    "Mixed 中文 English Русский 한국어 😀 ½ € ™",
    "<s>literal bos</s> and <unk>",
    "<|im_start|>user\nHi there<|im_end|><|im_start|>assistant\n",
    "<img><IMG_CONTEXT><IMG_CONTEXT></img>\nWhat is in the image?",
    "<quad>1,2</quad><ref>cat</ref><box>[[1, 2, 3, 4]]</box>",
    "[UNUSED_TOKEN_145] placeholder text and a cut <|im_end",
    "<<img>> nested <|im_end|>tail after the end",
    "<|plugin|><|interpreter|><|action_start|><|action_end|>",
]




def decode_cases(sp):
    """Id sequences that text encoding never yields but generation can: broken byte runs, specials, unk."""
    def byte_ids(*values):
        return [sp.piece_to_id("<0x%02X>" % v) for v in values]
    pieces = sp.get_piece_size()
    sequences = [
        byte_ids(0xF0, 0x9F),
        byte_ids(0x80),
        byte_ids(0xC0, 0x80),
        byte_ids(0xED, 0xA0, 0x80),
        byte_ids(0xF4, 0x90, 0x80, 0x80),
        byte_ids(0xEF, 0xBF, 0xBD),
        byte_ids(0xF0, 0x9F, 0x98, 0x80, 0xF0, 0x9F),
        byte_ids(0xC3, 0xA9) + sp.encode(" x"),
        sp.encode("a") + byte_ids(0xF0, 0x9F, 0x98, 0x80) + sp.encode("b"),
        byte_ids(0x41) + sp.encode("hi"),
        sp.encode("  two"),
        [sp.unk_id()] + sp.encode("word"),
        [sp.bos_id(), sp.eos_id()] + sp.encode("after controls"),
        [pieces - 2, pieces - 1],
        [],
    ]
    return [{"ids": ids, "text": sp.decode(ids)} for ids in sequences]


def varint(data, pos):
    value, shift = 0, 0
    while True:
        b = data[pos]
        pos += 1
        value |= (b & 0x7F) << shift
        if not b & 0x80:
            return value, pos
        shift += 7


def fields(data):
    """Yields (field number, wire type, value) of one message; value is an int or the raw bytes."""
    pos = 0
    while pos < len(data):
        key, pos = varint(data, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = varint(data, pos)
        elif wire == 2:
            length, pos = varint(data, pos)
            value, pos = data[pos:pos + length], pos + length
        elif wire == 5:
            value, pos = data[pos:pos + 4], pos + 4
        elif wire == 1:
            value, pos = data[pos:pos + 8], pos + 8
        else:
            raise ValueError("wire type %d" % wire)
        yield number, wire, value


def signed(value):
    return value - (1 << 64) if value >= 1 << 63 else value


def model_facts(data):
    """Trainer and normalizer fields (by field number of sentencepiece_model.proto) and piece type counts."""
    facts = {"pieces": 0, "piece_types": {}}
    for number, _, value in fields(data):
        if number == 1:
            facts["pieces"] += 1
            kind = dict((n, v) for n, _, v in fields(value)).get(3, 1)
            facts["piece_types"][str(kind)] = facts["piece_types"].get(str(kind), 0) + 1
        elif number == 2:
            trainer = dict((n, v) for n, _, v in fields(value))
            facts["trainer"] = {"model_type": trainer.get(3), "vocab_size": trainer.get(4),
                                "byte_fallback": trainer.get(35), "unk_id": signed(trainer.get(40)),
                                "bos_id": signed(trainer.get(41)), "eos_id": signed(trainer.get(42)),
                                "pad_id": signed(trainer.get(43))}
        elif number == 3:
            normalizer = dict((n, v) for n, _, v in fields(value))
            facts["normalizer"] = {"name": normalizer.get(1).decode(), "add_dummy_prefix": normalizer.get(3),
                                   "remove_extra_whitespaces": normalizer.get(4),
                                   "escape_whitespaces": normalizer.get(5)}
    return facts


def added_tokens(directory):
    """Token text -> (id, special) from tokenizer_config.json's added_tokens_decoder and added_tokens.json."""
    with open(os.path.join(directory, "tokenizer_config.json"), encoding="utf-8") as f:
        config = json.load(f)
    tokens = {entry["content"]: (int(key), entry.get("special", False))
              for key, entry in config["added_tokens_decoder"].items()}
    with open(os.path.join(directory, "added_tokens.json"), encoding="utf-8") as f:
        for text, token_id in json.load(f).items():
            if text in tokens and tokens[text][0] != token_id:
                raise ValueError("conflicting ids for " + text)
            tokens.setdefault(text, (token_id, True))
    return config, tokens


def split(text, tokens):
    """Leftmost match first; the longest token among matches at one position."""
    ordered = sorted(tokens, key=lambda t: (-len(t), t))
    segments, plain, i = [], 0, 0
    while i < len(text):
        match = next((t for t in ordered if text.startswith(t, i)), None)
        if match is None:
            i += 1
            continue
        if plain < i:
            segments.append(text[plain:i])
        segments.append(tokens[match][0])
        i += len(match)
        plain = i
    if plain < len(text):
        segments.append(text[plain:])
    return segments


def tokenizer_encode(sp, text, config, tokens):
    ids = [tokens[config["bos_token"]][0]] if config.get("add_bos_token", True) else []
    for segment in split(text, tokens):
        ids.extend([segment] if isinstance(segment, int) else sp.encode(segment))
    return ids


GROUNDING = ["<quad>", "</quad>", "<ref>", "</ref>", "<box>", "</box>"]


def tokenizer_decode(sp, ids, tokens):
    """Special tokens dropped, except the grounding markup: written as its text, each run between decoded alone."""
    special = {token_id for token_id, is_special in tokens.values() if is_special}
    markup = {tokens[text][0]: text for text in GROUNDING if text in tokens}
    text, run = "", []
    for token_id in ids:
        if token_id == tokens["<|im_end|>"][0]:
            break
        if token_id in markup:
            text += sp.decode(run) + markup[token_id]
            run = []
        elif token_id not in special:
            run.append(token_id)
    return text + sp.decode(run)


def fixture(directory):
    path = os.path.join(directory, "tokenizer.model")
    with open(path, "rb") as f:
        data = f.read()
    sp = sentencepiece.SentencePieceProcessor(model_file=path)
    config, tokens = added_tokens(directory)
    pieces = sp.get_piece_size()
    facts = model_facts(data)
    facts.update({
        "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data), "piece_size": pieces,
        "bos_id": sp.bos_id(), "eos_id": sp.eos_id(), "unk_id": sp.unk_id(), "pad_id": sp.pad_id(),
        "byte_ids": [i for i in range(pieces) if sp.is_byte(i)][:1] + [sum(sp.is_byte(i) for i in range(pieces))],
        "control_ids": [i for i in range(pieces) if sp.is_control(i)],
        "last_pieces": [sp.id_to_piece(i) for i in range(pieces - 6, pieces)],
        "scores_decrease": all(sp.get_score(i) > sp.get_score(i + 1)
                               for i in range(259, pieces - 7)),
    })
    cases = []
    for text in TEXTS:
        sp_ids = sp.encode(text)
        ids = tokenizer_encode(sp, text, config, tokens)
        cases.append({"text": text, "sp_ids": sp_ids, "sp_pieces": sp.encode(text, out_type=str),
                      "sp_decoded": sp.decode(sp_ids), "ids": ids,
                      "decoded": tokenizer_decode(sp, ids, tokens)})
    return {"sentencepiece_version": sentencepiece.__version__, "model": facts, "cases": cases,
            "decode_cases": decode_cases(sp)}


def write(result, out):
    """One case per line keeps the file small and its diffs readable."""
    with open(out, "w", encoding="utf-8") as f:
        f.write('{"sentencepiece_version": %s,\n' % json.dumps(result["sentencepiece_version"]))
        f.write(' "model": %s,\n' % json.dumps(result["model"], ensure_ascii=False, sort_keys=True))
        f.write(' "cases": [\n')
        lines = [json.dumps(case, ensure_ascii=False) for case in result["cases"]]
        f.write(",\n".join("  " + line for line in lines))
        f.write("\n ],\n")
        f.write(' "decode_cases": [\n')
        lines = [json.dumps(case, ensure_ascii=False) for case in result["decode_cases"]]
        f.write(",\n".join("  " + line for line in lines))
        f.write("\n ]}\n")


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: make_tokenizer_fixtures.py MODELS_DIR OUTPUT_DIR")
    models, output = sys.argv[1], sys.argv[2]
    for name in sorted(os.listdir(models)):
        directory = os.path.join(models, name)
        if os.path.isfile(os.path.join(directory, "tokenizer.model")):
            write(fixture(directory), os.path.join(output, "expected-%s.json" % name))
            print("wrote expected-%s.json" % name)


if __name__ == "__main__":
    main()
