#!/usr/bin/env python3
"""gen_litellm.py N OUT [SEED] - a LiteLLM-format price sheet of N entries.

Realistic entries (input/output cost per token, litellm_provider, mode chat,
max_tokens, max_input_tokens, a cache price on some, a context tier on a
few), many distinct model names, one entry per line as the bench needs
~120 bytes an entry (560,000 entries ~ 64 MiB).  SEED changes every price
(a second snapshot of the same models).
"""
import sys

HOSTS = ["openai", "anthropic", "gemini", "bedrock", "azure", "mistral", "deepseek",
         "together_ai", "fireworks_ai", "groq", "deepinfra", "openrouter", "vertex_ai"]


def main():
    n = int(sys.argv[1])
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    with open(sys.argv[2], "w") as f:
        f.write('{\n    "sample_spec": {"litellm_provider": "x", "mode": "chat", "input_cost_per_token": 0},\n')
        for i in range(n):
            host = HOSTS[i % len(HOSTS)]
            inp = (i % 997 + 1 + seed) * 1e-8
            out = (i % 991 + 4 + seed) * 4e-8
            extra = ""
            if i % 20 == 0:
                extra += ',"max_tokens":%d' % (4096 + i % 8 * 1024)
            if i % 20 == 10:
                extra += ',"cache_read_input_token_cost":%.4g' % (inp / 10)
            if i % 50 == 0:
                extra += ',"input_cost_per_token_above_200k_tokens":%.4g' % (inp * 2)
            f.write('"m-%06d":{"input_cost_per_token":%.4g,"output_cost_per_token":%.4g,'
                    '"litellm_provider":"%s","mode":"chat"%s}%s\n'
                    % (i, inp, out, host, extra,
                       "," if i + 1 < n else ""))
        f.write("}\n")


main()
