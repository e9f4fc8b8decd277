#!/usr/bin/env python3
"""databuild: rebuild the mined rows of data/prices.csv, and the generated
rows of data/models.csv and data/aliases.csv, from the curated rows plus
dated public evidence (maintainer tool; never run by llmcost itself).

    make data     (the committed run; see the Makefile)
    python3 tools/databuild.py --prices data/prices.csv --models data/models.csv \
        --map data/build/map.csv --settled data/build/settled.csv \
        [--aliases data/aliases.csv --generated data/build/generated.csv] \
        [--meta data/meta.csv] \
        [--llm-prices GITDIR] [--genai-prices GITDIR] [--litellm GITDIR] \
        [--out data/prices.csv] [--review FILE]

Every GITDIR is a local clone or bare mirror (the tool never touches the
network).  It reads history with `git log` / `git cat-file` only.  Without
--aliases only map.csv's keys are mined; with it the mapping rules (R2) map
the others; with --generated too, models the rules name that models.csv
lacks get generated rows (models.csv and aliases.csv are rewritten in
place, and generated.csv / generated_aliases.csv list what was generated,
so a rerun drops and rebuilds exactly those).  --meta writes current_to.

Inputs and what is taken from them
  llm-prices   (simonw/llm-prices)   data/*.json at HEAD: price_history items
               with from_date / to_date.  A null from_date becomes the date of
               the first commit whose file names the model id.
  genai-prices (pydantic/genai-prices) prices/new_data/v2/data.json (else
               prices/data.json) at HEAD, the JSON the repository generates
               from prices/providers/*.yml: a model's `prices` is one price
               set or a list whose items carry `constraint.start_date`.  The
               first period starts at the first commit whose providers/*.yml
               names the model id.
  litellm      model_prices_and_context_window.json in every commit of the
               repository (BerriAI/litellm or a mirror of it): each commit is
               a dated snapshot; a change dates from the first snapshot that
               shows it.

Rules (documented in data/SOURCES.md, "The data build")
  R1 curated wins: a (model, host) with any curated row in --prices gets no
     mined row; a mined current price that differs from the curated open row
     is printed for review.
  R2 mapping: data/build/map.csv names a source key and the llmcost
     (model, host) it prices (model "-": never mine it); the model must be
     in models.csv.  Its optional min_input_tokens column maps a key that
     holds one context tier only (llm-prices' "-200k" ids).  Other keys are
     mapped by the rules of class Rules (host from the provider, chat modes
     only, maker from the name, model from the catalogue's ids and fixed
     aliases, else a generated id; see SOURCES.md).  One model, one id:
     generated ids that spell a curated or another generated model
     (version-and-date, size tags, -beta ...: spellings(); version-vs-date
     names: data/build/same.csv) merge into it and become aliases; a
     generated model takes its curated sibling's family (sibling_family).
     A models.csv row that differs from the one written (row_sha1 in
     generated.csv), or repeats a generated id, is curated and wins.
  R3 revert = correction: in a snapshot series, a value that changes and
     comes back within REVERT_DAYS days is a sheet error, not a price; so is
     a first listing replaced within REVERT_DAYS days (the corrected value
     then holds from the first listing's date); so is a value replaced within
     REVERT_DAYS days by one that differs only by a power of ten in some
     fields (a slipped decimal point: 33 then 3.3; the corrected value holds
     from the slipped one's date).
  R7 a period with input and output 0 is no price (free tier, experiment).
  R4 precedence when sources disagree: settled.csv's choice, else
     genai-prices > llm-prices > litellm; the disagreement is printed for
     review unless settled.csv settles it.  A source only disagrees about
     dates it has seen: its latest price is compared with the winner's price
     on the day that latest period began (a snapshot series that ends before
     a dated cut does not contradict the cut).  Adjacent mined periods with
     the same prices are merged.
  R5 a mined period starts at its source's dated start; the first period of
     a model at its maker's own API starts at models.csv's release_date.
  R6 a field the chosen source leaves empty (LiteLLM's 1-hour cache write,
     say) is filled from another source whose period overlaps and agrees on
     input and output; the note names the field, source and commit.

Mined rows carry `source_url` = https://github.com/REPO/blob/COMMIT/PATH and
a `note` starting "mined:"; rows read back with that prefix are dropped and
rebuilt, so rerunning on the same inputs gives byte-identical output.
"""

import argparse
import csv
import datetime
import decimal
import hashlib
import io
import json
import os
import re
import subprocess
import sys

D = decimal.Decimal
REVERT_DAYS = 7
MINED = "mined:"
PRICE_COLS = ["model", "host", "effective_from", "effective_to", "input", "output",
              "cached_input", "cache_write_5m", "cache_write_1h", "reasoning",
              "min_input_tokens", "batch_discount_pct", "request_fee", "audio_input",
              "audio_output", "source_url", "note"]
FIELDS = ["input", "output", "cached_input", "cache_write_5m", "cache_write_1h"]
PRECEDENCE = ["genai-prices", "llm-prices", "litellm"]
DEFAULT_REPO = {"llm-prices": "simonw/llm-prices",
                "genai-prices": "pydantic/genai-prices",
                "litellm": "RoCry/llm-api-price"}
LITELLM_PATH = "model_prices_and_context_window.json"


class BuildError(Exception):
    pass


# ---------------------------------------------------------------- git access

def git(gitdir, *args):
    """stdout of `git --git-dir=GITDIR args` as bytes; BuildError on failure."""
    try:
        p = subprocess.run(["git", "--git-dir=" + gitdir] + list(args),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    except OSError as e:
        raise BuildError("cannot run git: %s" % e)
    if p.returncode != 0:
        raise BuildError("git %s in '%s' failed: %s" %
                         (" ".join(args), gitdir, p.stderr.decode(errors="replace").strip()))
    return p.stdout


def git_dir(path):
    """A bare repository's path as is, a work tree's .git."""
    dotgit = os.path.join(path, ".git")
    return dotgit if os.path.exists(dotgit) else path


def commits(gitdir, *paths):
    """[(commit, 'YYYY-MM-DD' committer date in UTC)] oldest first, first parent."""
    out = git(gitdir, "log", "--first-parent", "--reverse", "--format=%H %ct", "HEAD",
              "--", *paths).decode()
    res = []
    for line in out.splitlines():
        h, t = line.split()
        day = datetime.datetime.fromtimestamp(int(t), datetime.timezone.utc).date()
        res.append((h, day.isoformat()))
    return res


def show(gitdir, commit, path):
    try:
        return git(gitdir, "show", "%s:%s" % (commit, path))
    except BuildError:
        return None


class Blobs:
    """`git cat-file --batch` on one process: blob text of COMMIT:PATH
    (None when absent), far faster than one `git show` per snapshot."""

    def __init__(self, gitdir):
        self.p = subprocess.Popen(["git", "--git-dir=" + gitdir, "cat-file", "--batch"],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def get(self, commit, path):
        self.p.stdin.write(("%s:%s\n" % (commit, path)).encode())
        self.p.stdin.flush()
        hdr = self.p.stdout.readline().split()
        if len(hdr) < 3 or hdr[1] != b"blob":
            return None
        n = int(hdr[2])
        data = self.p.stdout.read(n)
        self.p.stdout.read(1)
        return data

    def close(self):
        self.p.stdin.close()
        self.p.wait()


def first_seen(gitdir, path, pattern):
    """{id: (commit, day)}: the first commit (oldest first) whose PATH holds
    each id that the bytes regex PATTERN (one group) finds."""
    res = {}
    hist = commits(gitdir, path)
    b = Blobs(gitdir)
    try:
        for c, day in hist:
            blob = b.get(c, path)
            if not blob:
                continue
            for m in pattern.findall(blob):
                k = m.decode(errors="replace").strip().strip("'\"")
                if k not in res:
                    res[k] = (c, day)
    finally:
        b.close()
    return res


def head(gitdir):
    return git(gitdir, "rev-parse", "HEAD").decode().strip()


def url(repo, commit, path):
    return "https://github.com/%s/blob/%s/%s" % (repo, commit, path)


# ---------------------------------------------------------------- money

def dec(v):
    """An exact Decimal of a JSON number (parsed as Decimal) or None."""
    if v is None or isinstance(v, bool):
        return None
    if isinstance(v, (int, D)):
        return D(v)
    if isinstance(v, str):
        try:
            return D(v)
        except decimal.InvalidOperation:
            return None
    return None


def fmt(v):
    """Plain decimal text, no exponent, no trailing zeros; '' for None."""
    if v is None:
        return ""
    if v.as_tuple().exponent < -9:     # see per_million
        v = v.quantize(NANO, rounding=decimal.ROUND_HALF_EVEN)
    s = format(v.normalize(), "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


NANO = D("0.000000001")


def per_million(v):
    """USD per token -> USD per 1M tokens.  A per-token float that was a
    repeating decimal (1/12 of a cent: 8.333333333333334e-08) is rounded
    half-even to the store's unit, nano-USD per 1M tokens."""
    d = dec(v)
    if d is None:
        return None
    d = d * 1000000
    if d.as_tuple().exponent < -9:
        d = d.quantize(NANO, rounding=decimal.ROUND_HALF_EVEN)
    return d


def loads(raw):
    return json.loads(raw, parse_float=D, parse_int=D)


# ---------------------------------------------------------------- sources
# Each reader returns {source_key: [period]}, period = dict(from, to, prices,
# min_input_tokens, url, why); prices = {field: Decimal or None}.

def read_llm_prices(gitdir, repo, want, info):
    """llm-prices: {key: periods} of the keys want(key, vendor) accepts;
    info[key] gets the first day a commit names the id."""
    res = {}
    h = head(gitdir)
    names = git(gitdir, "ls-tree", "--name-only", h, "data/").decode().split()
    files = sorted(n for n in names if n.endswith(".json"))
    for path in files:
        raw = show(gitdir, h, path)
        try:
            doc = loads(raw)
        except ValueError as e:
            raise BuildError("cannot parse %s '%s': %s" % (repo, path, e))
        vendor = doc.get("vendor", os.path.basename(path)[:-5])
        seen_ids = None
        for m in doc.get("models", []):
            key = "%s/%s" % (vendor, m.get("id"))
            if not want(key, vendor):
                continue
            if seen_ids is None:
                seen_ids = first_seen(gitdir, path, ID_JSON)
            seen = seen_ids.get(m.get("id"))
            periods = []
            for item in m.get("price_history", []):
                prices = {"input": dec(item.get("input")), "output": dec(item.get("output")),
                          "cached_input": dec(item.get("input_cached")),
                          "cache_write_5m": None, "cache_write_1h": None}
                start, why = item.get("from_date"), "from_date"
                if not start:
                    start, why = (seen[1] if seen else None), "first seen %s" % (seen[0][:12] if seen else "?")
                periods.append({"from": start, "to": item.get("to_date") or "", "prices": prices,
                                "min_input_tokens": 0, "url": url(repo, h, path), "why": why})
            res[key] = periods
            starts = [q["from"] for q in periods if q["from"]]
            info[key] = {"seen": min(starts) if starts else (seen[1] if seen else ""),
                         "name": m.get("name") or ""}
    return res


ID_JSON = re.compile(rb'"id": "([^"]+)"')
ID_YAML = re.compile(rb'(?m)^\s*-?\s*id: ([^\n]+)$')


def genai_price(v):
    """(base, [(start, price)]) of a genai-prices price value."""
    if isinstance(v, dict):
        tiers = [(int(t["start"]), dec(t["price"])) for t in v.get("tiers", [])]
        return dec(v.get("base")), tiers
    return dec(v), []


GENAI_FIELDS = {"input_mtok": "input", "output_mtok": "output",
                "cache_read_mtok": "cached_input", "cache_write_mtok": "cache_write_5m"}


def genai_sets(prices):
    """{min_input_tokens: prices} of one genai-prices price set (tiers split out)."""
    base = {f: None for f in FIELDS}
    tiers = {}
    for gk, f in GENAI_FIELDS.items():
        if gk not in prices:
            continue
        b, ts = genai_price(prices[gk])
        base[f] = b
        for start, p in ts:
            tiers.setdefault(start, {})[f] = p
    out = {0: base}
    for start, over in tiers.items():
        row = dict(base)
        row.update(over)
        out[start] = row
    return out


def read_genai_prices(gitdir, repo, want, review, info):
    """genai-prices: {key: periods} of the keys want(key, provider)
    accepts; info[key] gets first day seen, context window and name."""
    res = {}
    h = head(gitdir)
    path = None
    for p in ("prices/new_data/v2/data.json", "prices/data.json"):
        raw = show(gitdir, h, p)
        if raw is not None:
            path = p
            break
    if path is None:
        raise BuildError("%s has neither prices/new_data/v2/data.json nor prices/data.json" % repo)
    try:
        doc = loads(raw)
    except ValueError as e:
        raise BuildError("cannot parse %s '%s': %s" % (repo, path, e))
    for prov in doc:
        ypath = "prices/providers/%s.yml" % prov.get("id")
        seen_ids = None
        for m in prov.get("models", []):
            key = "%s/%s" % (prov.get("id"), m.get("id"))
            if not want(key, (prov.get("id"), m)):
                continue
            if seen_ids is None:
                seen_ids = first_seen(gitdir, ypath, ID_YAML)
            seen = seen_ids.get(m.get("id"))
            items = m.get("prices")
            items = items if isinstance(items, list) else [{"prices": items}]
            periods = []
            for i, it in enumerate(items):
                con = it.get("constraint") or {}
                if set(con) - {"start_date"}:
                    review.append("%s %s: constraint %s not modelled; item skipped" %
                                  ("genai-prices", key, ",".join(sorted(con))))
                    continue
                start, why = con.get("start_date"), "start_date"
                if not start:
                    start, why = (seen[1] if seen else None), "first seen %s" % (seen[0][:12] if seen else "?")
                for mit, prices in sorted(genai_sets(it.get("prices") or {}).items()):
                    periods.append({"from": start, "to": "", "prices": prices,
                                    "min_input_tokens": mit, "url": url(repo, h, path), "why": why})
            close_periods(periods)
            res[key] = periods
            starts = [q["from"] for q in periods if q["from"]]
            ctx = m.get("context_window")
            info[key] = {"seen": min(starts) if starts else "", "name": m.get("name") or "",
                         "context_window": int(ctx) if ctx else None}
    return res


def genai_equals(match):
    """The `equals` names of a genai-prices match clause (any depth)."""
    out = []
    if isinstance(match, dict):
        if isinstance(match.get("equals"), str):
            out.append(match["equals"])
        for k in ("or", "and"):
            for sub in match.get(k) or []:
                out += genai_equals(sub)
    return out


def close_periods(periods):
    """Set each period's `to` to the next start of the same tier."""
    by = {}
    for p in periods:
        by.setdefault(p["min_input_tokens"], []).append(p)
    for ps in by.values():
        ps.sort(key=lambda p: p["from"] or "")
        for a, b in zip(ps, ps[1:]):
            if not a["to"]:
                a["to"] = b["from"]


def litellm_prices(entry):
    return {"input": per_million(entry.get("input_cost_per_token")),
            "output": per_million(entry.get("output_cost_per_token")),
            "cached_input": per_million(entry.get("cache_read_input_token_cost")),
            "cache_write_5m": per_million(entry.get("cache_creation_input_token_cost")),
            "cache_write_1h": per_million(entry.get("cache_creation_input_token_cost_above_1hr"))}


def decimal_slip(bad, good):
    """True when bad differs from good only in fields whose ratio is a
    power of ten (10, 100, ...): a decimal point in the wrong place."""
    slipped = False
    for x, y in zip(bad, good):
        if x == y:
            continue
        if x is None or y is None or x == 0 or y == 0:
            return False
        r = x / y if x > y else y / x
        while r > 1 and r % 10 == 0:
            r = r / 10
        if r != 1:
            return False
        slipped = True
    return slipped


def drop_reverts(series, key, review):
    """R3: remove runs that change and revert within REVERT_DAYS days."""
    changed = True
    while changed:
        changed = False
        for i in range(1, len(series) - 1):
            a, b, c = series[i - 1], series[i], series[i + 1]
            days = (datetime.date.fromisoformat(c[0]) - datetime.date.fromisoformat(b[0])).days
            if a[2] == c[2] and b[2] != a[2] and days <= REVERT_DAYS:
                review.append("settled by R3 (revert within %d days): litellm %s %s..%s %s ignored"
                              % (days, key, b[0], c[0], show_prices(b[2])))
                del series[i:i + 2]
                changed = True
                break
    # R3b: a value replaced within REVERT_DAYS days by the same prices with a
    # field off by a power of ten (33 then 3.3) was a slipped decimal point:
    # the corrected value holds from the slipped value's date
    i = 0
    while i < len(series) - 1:
        (d0, c0, t0), (d1, c1, t1) = series[i], series[i + 1]
        days = (datetime.date.fromisoformat(d1) - datetime.date.fromisoformat(d0)).days
        if days <= REVERT_DAYS and decimal_slip(t0, t1):
            review.append("settled by R3 (decimal slip corrected within %d days): litellm %s %s %s ignored"
                          % (days, key, d0, show_prices(t0)))
            series[i:i + 2] = [(d0, c1, t1)]
            if i > 0 and series[i - 1][2] == t1:
                del series[i]
            continue
        i += 1
    # a first listing corrected within REVERT_DAYS days was a placeholder:
    # the corrected value holds from the first listing's date
    while len(series) > 1:
        (d0, c0, t0), (d1, c1, t1) = series[0], series[1]
        days = (datetime.date.fromisoformat(d1) - datetime.date.fromisoformat(d0)).days
        if days > REVERT_DAYS:
            break
        review.append("settled by R3 (first listing corrected within %d days): litellm %s %s %s ignored"
                      % (days, key, d0, show_prices(t0)))
        series[0:2] = [(d0, c1, t1)]
    return series


def read_litellm(gitdir, repo, want, review, info):
    """LiteLLM: {key: periods} of the keys want(key, entry) accepts, from
    every snapshot; info[key] gets the first day seen and the latest
    snapshot's limits and modalities."""
    series = {}
    verdict = {}
    b = Blobs(gitdir)
    try:
        for c, day in commits(gitdir, LITELLM_PATH):
            raw = b.get(c, LITELLM_PATH)
            if raw is None:
                continue
            try:
                doc = loads(raw)
            except ValueError:
                review.append("litellm %s (%s): snapshot does not parse; skipped" % (c[:12], day))
                continue
            if not isinstance(doc, dict):
                continue
            for k, e in doc.items():
                if not isinstance(e, dict):
                    continue
                vk = (k, e.get("litellm_provider"), e.get("mode"))
                if vk not in verdict:
                    verdict[vk] = bool(want(k, e))
                if not verdict[vk]:
                    continue
                i = info.setdefault(k, {"seen": day})
                i["entry"] = e
                p = litellm_prices(e)
                t = tuple(p[f] for f in FIELDS)
                s = series.setdefault(k, [])
                if s and s[-1][2] == t:
                    continue
                if s and s[-1][0] == day:
                    s[-1] = (day, c, t)       # same day: the day's last snapshot
                    if len(s) > 1 and s[-2][2] == t:
                        s.pop()
                    continue
                s.append((day, c, t))
    finally:
        b.close()
    res = {}
    for k in sorted(series):
        s = drop_reverts(series[k], k, review)
        if not s:
            continue
        periods = []
        for i, (day, c, t) in enumerate(s):
            periods.append({"from": day, "to": s[i + 1][0] if i + 1 < len(s) else "",
                            "prices": dict(zip(FIELDS, t)), "min_input_tokens": 0,
                            "url": url(repo, c, LITELLM_PATH), "why": "first snapshot"})
        res[k] = periods
    for k, i in info.items():
        e = i.pop("entry", None) or {}
        i["context_window"] = int(e["max_input_tokens"]) if isinstance(
            e.get("max_input_tokens"), (int, D)) and e["max_input_tokens"] > 0 else None
        i["max_output"] = int(e["max_output_tokens"]) if isinstance(
            e.get("max_output_tokens"), (int, D)) and e["max_output_tokens"] > 0 else None
        mods = ["text"]
        if e.get("supports_vision"):
            mods.append("image")
        if e.get("supports_audio_input"):
            mods.append("audio")
        if e.get("supports_video_input"):
            mods.append("video")
        i["modalities"] = "+".join(mods)
    return res


# ---------------------------------------------------------------- rules (R2)
# A source key maps to (llmcost model, host) by these rules unless
# data/build/map.csv names it (explicit beats rule).  See SOURCES.md.

LITELLM_HOSTS = {"openai": "openai", "text-completion-openai": "openai",
                 "anthropic": "anthropic", "gemini": "google", "vertex_ai": "vertex",
                 "bedrock": "bedrock", "bedrock_converse": "bedrock", "azure": "azure",
                 "azure_ai": "azure", "openrouter": "openrouter", "groq": "groq",
                 "together_ai": "together", "fireworks_ai": "fireworks", "mistral": "mistral",
                 "deepseek": "deepseek", "xai": "xai", "cohere_chat": "cohere", "cohere": "cohere",
                 "dashscope": "alibaba", "moonshot": "moonshot", "minimax": "minimax", "zai": "zai"}
GENAI_HOSTS = {"anthropic": "anthropic", "aws": "bedrock", "azure": "azure", "cohere": "cohere",
               "deepseek": "deepseek", "fireworks": "fireworks", "google": "google",
               "groq": "groq", "minimax": "minimax", "mistral": "mistral",
               "moonshotai": "moonshot", "openai": "openai", "openrouter": "openrouter",
               "together": "together", "x-ai": "xai", "zai": "zai"}
LLMP_HOSTS = {"amazon": "bedrock", "anthropic": "anthropic", "deepseek": "deepseek",
              "google": "google", "minimax": "minimax", "mistral": "mistral",
              "moonshot-ai": "moonshot", "openai": "openai", "qwen": "alibaba", "xai": "xai"}
# the makers' own APIs among the hosts
MAKER_APIS = {"openai", "anthropic", "google", "mistral", "deepseek", "xai", "cohere",
              "alibaba", "moonshot", "minimax", "zai"}
# the 13 makers, by how a model name starts (after host and namespace prefixes)
MAKERS = [(re.compile(r), m) for r, m in [
    (r"^(gpt-|o[1-9]($|-)|chatgpt-|codex-|text-davinci|davinci|babbage)", "openai"),
    (r"^claude", "anthropic"), (r"^(gemini|gemma)", "google"),
    (r"^(code)?llama", "meta"),
    (r"^(mistral|mixtral|codestral|ministral|magistral|devstral|pixtral|open-mi[sx]tral"
     r"|open-codestral)", "mistral"),
    (r"^deepseek", "deepseek"), (r"^grok", "xai"), (r"^(nova|titan-text)", "amazon"),
    (r"^(command|c4ai|aya)", "cohere"), (r"^(qwen|qwq|qvq)", "alibaba"),
    (r"^(kimi|moonshot)", "moonshot"), (r"^(minimax|abab)", "minimax"),
    (r"^(glm|chatglm)", "zai")]]
CHAT_MODES = {"chat", "completion", "responses"}
# names that are no chat/completion model (for keys without a mode, and for
# new models whatever their mode says)
NOT_CHAT = re.compile(r"embed|tts|whisper|dall-e|image|realtime|transcri|moderation|rerank"
                      r"|guard|ocr|sonic|canvas|reel|veo|imagen|lyria|-live|audio|speech"
                      r"|search-api|deep-research|computer-use")
BEDROCK_REGIONAL = re.compile(r"^(us|eu|apac|jp|au|ca|us-gov)\.")
BEDROCK_VENDOR = re.compile(r"^(anthropic|meta|amazon|mistral|cohere|deepseek|qwen|openai|"
                            r"moonshot|moonshotai|minimax|zai|google|writer|ai21)\.")
# host endpoint suffixes: the same model, another serving variant
HOST_SUFFIX = {"together": ["-turbo", "-tput", "-fp8", "-lite"], "fireworks": ["-fp8"],
               "groq": ["-versatile", "-instant", "-8192", "-32768"]}
GROUP_SUFFIX = re.compile(r"-(\d{8}|\d{4}-\d{2}-\d{2}|\d{2}-\d{4}|\d{4}|\d{3}|latest|preview"
                          r"|exp|instruct|it|chat)$")
# Bedrock's regional (us., eu., ...) ids cost 10% more than global ones from
# the Claude 4.5 generation (Sonnet 4.5, 2025-09-29) on; before, the same
CLAUDE_45 = "2025-09-29"
HOST_ORDER = ["together", "fireworks", "groq", "bedrock", "vertex", "azure", "openrouter",
              "bedrock-regional"]


def squash(s):
    return re.sub(r"[^a-z0-9]", "", s.lower())


def maker_of(base):
    for r, m in MAKERS:
        if r.search(base):
            return m
    return None


def llama_canon(s):
    """llama3-1-70b-instruct-v1, llama-v3p1-70b-instruct, Meta-Llama-3.1-70B-
    Instruct-Turbo ... -> llama-3.1-70b-instruct (llama-2-* -> -chat)."""
    m = re.match(r"^llama-?v?(\d)(?:[.p-](\d)(?=-|$))?(.*)$", s)
    if not m:
        return s
    major, minor, rest = m.groups()
    words = [w for w in rest.split("-") if w and w not in
             ("instruct", "chat", "hf", "turbo", "fp8", "versatile", "instant", "tput", "lite",
              "preview", "specdec", "free", "basic", "maas")]
    fam = "llama-%s%s" % (major, "." + minor if minor else "")
    fam = "-".join([fam] + [w for w in words if w not in ("8192", "32768", "4096")])
    return fam + ("-chat" if major == "2" else "-instruct")


class Rules:
    """The mapping rules over one catalogue (models.csv + aliases.csv)."""

    def __init__(self, models, aliases):
        self.release = {k: v.get("release_date", "") for k, v in models.items()}
        self.ix = {}
        for mid in models:
            self.ix.setdefault(squash(mid), []).append((mid, "", False))
        rows = {}
        for a in aliases:
            rows.setdefault((a["alias"], a["host"]), []).append(a)
        for (name, host), rs in rows.items():
            moving = len({r["model"] for r in rs}) > 1 or any(r["valid_to"] for r in rs)
            for r in rs:
                if r["model"] in models:
                    self.ix.setdefault(squash(name), []).append((r["model"], host, moving))
                    if "/" in name:
                        self.ix.setdefault(squash(name.rsplit("/", 1)[1]), []).append(
                            (r["model"], host, moving))
        self.new_ix = {}
        self.moving = 0

    def lookup(self, name, host):
        """(model, moving) that name means at host, or None."""
        hits = self.ix.get(squash(name), [])
        own = [h for h in hits if h[1] == host] or [h for h in hits if h[1] == ""]
        if not own:
            return None
        ms = {h[0] for h in own}
        return (sorted(ms)[0], len(ms) > 1 or any(h[2] for h in own))

    def classify(self, key, host, also=()):
        """(model, host, new, maker) of a key at a host, or (None, reason)
        when the key is not mapped (reason None: not one of the 13 makers,
        not a chat model, or another offering's variant; else a review
        item).  also: other names the source gives the key (genai-prices'
        `match` equals)."""
        k = key.lower()
        if k.startswith("ft:") or "/ft:" in k or ".ft-" in k:
            return None, None
        if host == "bedrock" and (re.search(r"(^|/)[a-z]{2}(-gov)?-[a-z]+-\d/", k) or
                                  "commitment" in k or "/invoke/" in k):
            return None, None       # a region's own price, provisioned throughput
        if host == "azure" and re.search(r"(^|/)(eu|us)/", k):
            return None, None       # data-zone deployments (Global is the row kept)
        base = k.rsplit("/", 1)[-1].replace("@", "-")
        cands = [base]
        if host == "bedrock":
            r = BEDROCK_REGIONAL.match(base)
            if r:
                host, base = "bedrock-regional", base[r.end():]
            base = re.sub(r"^global\.", "", base)
            cands.append(base)
            base = BEDROCK_VENDOR.sub("", base)
            cands.append(base)
            base = re.sub(r"(-v?\d+)?(:\d+)$", "", base)
            base = re.sub(r"-v\d+$", "", base)
        base = re.sub(r"^(meta-|moonshotai-|mistralai-|deepseek-ai-|gemini-(?=gemma))", "", base)
        base = re.sub(r"-(maas|default)$", "", base)
        maker = maker_of(base)
        if maker is None:
            if host in MAKER_APIS and not NOT_CHAT.search(base):
                maker = host
            else:
                return None, None
        if FINETUNE.search(base):
            return None, None
        if ":" in base:
            return None, ("variant" if not base.endswith(":free") else None)
        if host == "fireworks":
            base = re.sub(r"(\d)p(\d)", r"\1.\2", base)
        base = re.sub(r"^gemini-(flash|pro)-(\d\.\d)", r"gemini-\2-\1", base)
        base = re.sub(r"^qwen-(\d)", r"qwen\1", base)
        if maker == "amazon":
            base = re.sub(r"-v\d+$", "", base)
        if maker == "anthropic":
            base = re.sub(r"^claude-([4-9])(?:[.-](\d))?-(opus|sonnet|haiku)",
                          lambda m: "claude-%s-%s%s" % (m.group(3), m.group(1),
                                                        "-" + m.group(2) if m.group(2) else ""),
                          base)
        cands.append(base)
        c = base
        if maker == "meta":
            c = llama_canon(base)
        for suf in HOST_SUFFIX.get(host, []):
            if c.endswith(suf):
                c = c[:-len(suf)]
        c = re.sub(r"-00\d$", "", c)
        cands.append(c)
        if maker == "openai":
            cands.append(re.sub(r"-\d{4}-\d{2}-\d{2}$", "", c))
        if maker == "google":
            cands.append(re.sub(r"-latest$", "", c))
        if maker == "meta":
            cands.append(re.sub(r"^(llama-4-(scout|maverick)).*", r"\1", c))
        if maker not in ("openai", "anthropic"):
            c = re.sub(r"-(instruct|it|chat|hf)(?=-|$)", "", c)
            cands += [c, c + "-instruct"]
        cands += [a.lower() for a in also]
        for cand in cands:
            hit = self.lookup(cand, host if host != "bedrock-regional" else "bedrock")
            if hit:
                if host == "bedrock-regional" and (maker != "anthropic" or
                                                   self.release.get(hit[0], "") < CLAUDE_45):
                    return None, None   # regional ids cost what global ones do
                if hit[1]:
                    self.moving += 1
                    return None, None   # a moving alias: its price is its snapshots'
                return (hit[0], host, False, maker), None
        if NOT_CHAT.search(base) or (host == "bedrock-regional" and maker != "anthropic"):
            return None, None
        new = c
        if maker == "openai":
            new = re.sub(r"-\d{4}-\d{2}-\d{2}$", "", new)
        if maker == "meta":
            new = llama_canon(base)
            for suf in HOST_SUFFIX.get(host, []):
                new = new[:-len(suf)] if new.endswith(suf) else new
        if re.search(r"-latest(-|$)", new) or (re.search(r"-\d+k(-rope)?$", new) and
                                                maker != "moonshot"):
            return None, None       # a moving name; a context tier's own id
        if not re.search(r"\d", new) and maker not in ("cohere", "amazon"):
            return None, None       # an undated name that moves with the versions
        if maker == "google" and re.search(r"-exp(-|$)|experimental|-preview-\d{4}$", new):
            return None, None       # Gemini experiments (free) and 2024 Vertex previews
                                    # (LiteLLM converted their per-character prices)
        if not re.match(r"^[a-z0-9][a-z0-9._-]*[a-z0-9]$", new) or len(new) > 60 or \
           not re.search(r"\d", new) and maker in ("anthropic", "openai", "google"):
            return None, "no id"
        # spellings of one new model (grok-4-1-fast, grok-4.1-fast) are one id
        new = self.new_ix.setdefault(squash(new), new)
        return (new, host, True, maker), None


FINETUNE = re.compile(r"nemotron|lumimaid|typhoon|sonar|-groq-|hermes|euryale|openorca|dolphin"
                      r"|tool-use|nous|magnum|stheno|-distill-llama|-base$|-base-|-draft")


def family_of(maker, mid):
    f = mid
    if maker == "meta":
        return re.sub(r"-(instruct|chat)$", "", f)
    while True:
        g = GROUP_SUFFIX.sub("", f)
        if g == f or not g:
            return f
        f = g


VARIANT_WORDS = re.compile(r"-(preview|fast|thinking|non-reasoning|reasoning|beta|turbo|highspeed"
                           r"|lightning|customtools|vision|text|chat|instruct|it|hf)$")


def spellings(maker, mid):
    """Other spellings of a generated id that may name the same model, nearest
    first (SOURCES.md, "One model, one id"); each must name a catalogue id,
    a generated id or a same.csv spelling to count."""
    def variants(s):
        v = []
        if maker == "mistral":
            # a version and a date: mistral-medium-3-1-2508, magistral-medium-1-2-2509,
            # ministral-3-3b-2512 (generation 3) -> the API's dated id
            m = re.match(r"^(.*?)-\d+(?:-\d+)?-((?:\d+b-)?\d{4})$", s)
            if m:
                v.append(m.group(1) + "-" + m.group(2))
            v.append(re.sub(r"-\d+b(?=-|$)", "", s))   # a size tag the API's id lacks
        if maker == "xai":
            v.append(s.replace("-beta", ""))
        if maker == "alibaba":
            v.append(re.sub(r"^qwen-(qwq|qvq)", r"\1", s))
            v.append(re.sub(r"^qwen-v?(\d)", r"qwen\1", s))
        if maker == "minimax" and not s.startswith("minimax-"):
            v.append("minimax-" + s)
        if maker == "deepseek":
            v.append(s.replace("-distill-", "-"))
        if maker == "meta":
            v.append(re.sub(r"-hf$", "", s))
            v.append(re.sub(r"^(llama-3\.2-\d+b)-(vision|text)-", r"\1-", s))
        if maker == "cohere":
            v.append(re.sub(r"-text$", "", s))
        return [x for x in v if x != s]
    out, todo = [], [mid]
    while todo:
        for t in variants(todo.pop(0)):
            if t != mid and t not in out:
                out.append(t)
                todo.append(t)
    return out


def merge_generated(gens, rules, same):
    """{generated id: the id it merges into} (a curated id or another generated
    one).  gens: {generated id: maker}; same: {squashed spelling: model} from
    data/build/same.csv.  Chains are followed; the result never names itself."""
    by_sq = {squash(g): g for g in gens}
    step = {}
    for g in sorted(gens):
        for cand in [g] + spellings(gens[g], g):
            hit = same.get(squash(cand))
            if hit and not (hit in gens or rules.lookup(hit, "")):
                hit = None      # a same.csv model this catalogue lacks
            if hit is None and cand != g:
                got = rules.lookup(cand, "")
                if got and not got[1]:
                    hit = got[0]
                elif squash(cand) in by_sq:
                    hit = by_sq[squash(cand)]
            if hit and hit != g:
                step[g] = hit
                break
    res = {}
    for g in step:
        seen, t = {g}, step[g]
        while t in step and t not in seen:
            seen.add(t)
            t = step[t]
        if t != g:
            res[g] = t
    return res


def sibling_family(maker, mid, models):
    """The family of the curated model a generated id is a variant of: its
    id without a date and variant words (-fast, -preview, -thinking ...)
    names a curated id (date removed) or family; else, for a family that
    already spans minor versions (gpt-5: 5, 5.1, 5.2), the id without its
    minor version.  None when there is none."""
    ids, fams, spans = {}, {}, set()
    for m in models.values():
        if m.get("maker") != maker or not m.get("family"):
            continue
        ids.setdefault(squash(re.sub(r"-(\d{8}|\d{4}-\d{2}-\d{2}|\d{2}-\d{4}|\d{4})$", "",
                                     m["id"])), m["family"])
        fams.setdefault(squash(m["family"]), m["family"])
        if re.match(re.escape(m["family"]) + r"\.\d", m["id"]):
            spans.add(m["family"])
    f = GROUP_SUFFIX.sub("", mid)
    cands = [f]
    while True:
        g = VARIANT_WORDS.sub("", GROUP_SUFFIX.sub("", f))
        if g == f or not g:
            break
        cands.append(g)
        f = g
    for c in cands:
        hit = ids.get(squash(c)) or fams.get(squash(c))
        if hit:
            return hit
    for c in cands:
        hit = fams.get(squash(re.sub(r"(\d)\.\d+", r"\1", c)))
        if hit in spans:
            return hit
    return None


def open_weights(maker, mid):
    if maker in ("meta", "deepseek", "moonshot", "minimax", "zai"):
        return "1"
    if maker == "google":
        return "1" if mid.startswith("gemma") else "0"
    if maker == "openai":
        return "1" if mid.startswith("gpt-oss") else "0"
    if maker == "alibaba":
        return "0" if mid.startswith("qwen-") else "1"
    if maker == "cohere":
        return "1" if re.match(r"command-(r|a)", mid) else "0"
    if maker == "mistral":
        return "1" if re.match(r"(open-|mistral-7b|mixtral|mistral-nemo|ministral-8b|mistral-small"
                               r"|devstral|magistral-small|codestral-mamba|pixtral-12b)", mid) else "0"
    return "0"


# ---------------------------------------------------------------- merge

def show_prices(t):
    if isinstance(t, dict):
        t = tuple(t[f] for f in FIELDS)
    return "/".join(fmt(v) or "-" for v in t)


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def current(periods):
    """The base-tier period with no end (or the latest)."""
    base = [p for p in periods if p["min_input_tokens"] == 0]
    return max(base, key=lambda p: p["from"] or "") if base else None


def price_at(periods, day):
    """The base-tier period in effect on day (the first one before it
    starts; the current one when day is None)."""
    base = sorted((p for p in periods if p["min_input_tokens"] == 0),
                  key=lambda p: p["from"] or "")
    if not base:
        return None
    if day is None:
        return base[-1]
    hit = base[0]
    for p in base:
        if (p["from"] or "") <= day:
            hit = p
    return hit


def merge_same(periods):
    """Adjacent periods of one tier with the same prices become one (the
    first keeps its provenance)."""
    out = []
    for p in sorted(periods, key=lambda p: (p["min_input_tokens"], p["from"] or "")):
        prev = out[-1] if out else None
        if prev and prev["min_input_tokens"] == p["min_input_tokens"] and \
           prev["prices"] == p["prices"] and prev["to"] == p["from"]:
            out[-1] = dict(prev, to=p["to"])
            continue
        out.append(p)
    return out


def differs(a, b):
    """Fields both sides give that are unequal."""
    return [f for f in FIELDS if a.get(f) is not None and b.get(f) is not None and a[f] != b[f]]


def fill(p, by_src, choice):
    """R6: a field the chosen source leaves empty is taken from the first
    other source (in precedence order) with a period of the same tier that
    overlaps p and agrees on input and output."""
    for f in FIELDS:
        if p["prices"][f] is not None:
            continue
        for src in PRECEDENCE:
            if src == choice or src not in by_src:
                continue
            hit = None
            for q in by_src[src]:
                if q["min_input_tokens"] != p["min_input_tokens"] or q["prices"][f] is None:
                    continue
                if q["prices"]["input"] != p["prices"]["input"] or \
                   q["prices"]["output"] != p["prices"]["output"]:
                    continue
                if (p["to"] and q["from"] and q["from"] >= p["to"]) or \
                   (q["to"] and p["from"] and q["to"] <= p["from"]):
                    continue
                hit = q
                break
            if hit:
                p["prices"] = dict(p["prices"], **{f: hit["prices"][f]})
                p["why"] += "; %s from %s %s" % (f, src, hit["url"].split("/blob/")[1][:12])
                break


def split_tiers(periods, release):
    """Tier rows repeat the periods of their base rows exactly: split each
    tier period at the base periods' boundaries (and start none before the
    base does)."""
    base = [p for p in periods if p["min_input_tokens"] == 0]
    cuts = sorted({p["from"] for p in base if p["from"]} | {p["to"] for p in base if p["to"]})
    if release and base:
        first = min(p["from"] or "9999" for p in base)
        cuts = sorted((set(cuts) - {first}) | {release}) if release < first else cuts
    out = list(base)
    for p in periods:
        if p["min_input_tokens"] == 0:
            continue
        start = p["from"] or ""
        inner = [c for c in cuts if c > start and (not p["to"] or c < p["to"])]
        for c in inner:
            out.append(dict(p, to=c))
            p = dict(p, **{"from": c})
        out.append(p)
    return sorted(out, key=lambda p: (p["min_input_tokens"], p["from"] or ""))


def source_date(gitdir):
    """The HEAD commit's committer day (UTC) of a repository."""
    t = git(gitdir, "log", "-1", "--format=%ct", "HEAD").decode().strip()
    return datetime.datetime.fromtimestamp(int(t), datetime.timezone.utc).date().isoformat()


def curated_rows(all_models, gen_ids, cols, review):
    """models.csv rows that are curated: every row whose id generated.csv does
    not list, and a listed id's row that differs from the row the build wrote
    (its row_sha1: someone edited it) or that repeats the id (someone added a
    curated row for it; the first such row wins).  A curated id leaves
    generated.csv on this run: the rules find it in the catalogue."""
    res, seen = [], set()
    for r in all_models:
        i = r["id"]
        if i in seen:
            continue
        if i in gen_ids:
            sha = gen_ids[i]
            if sha and row_sha1(r, cols) == sha:
                continue    # the row the build wrote
            if not sha and sum(1 for q in all_models if q["id"] == i) == 1:
                continue    # an old generated.csv without row_sha1
            review.append("curated: the models.csv row of %s replaces the generated one" % i)
        seen.add(i)
        res.append(r)
    return res


def row_sha1(r, cols):
    return hashlib.sha1(json.dumps([r.get(c, "") for c in cols]).encode()).hexdigest()[:12]


def earlier_spellings(got, keys, chosen):
    """Periods of a source's other keys for one (model, host) that begin
    before the chosen key's first period (an earlier spelling of the model,
    a -beta id say), clipped to end there; of overlapping ones the first key's
    in name order."""
    first = min((p["from"] for p in got[chosen] if p["from"]), default=None)
    if not first:
        return []
    res = []
    for k in sorted(keys):
        if k == chosen:
            continue
        for p in got[k]:
            if not p["from"] or p["from"] >= first:
                continue
            to = p["to"] if p["to"] and p["to"] < first else first
            if any(q["min_input_tokens"] == p["min_input_tokens"] and q["from"] < to and
                   p["from"] < q["to"] for q in res):
                continue
            res.append(dict(p, to=to))
    return res


def pick_keys(keys, model):
    """Of several keys of one source for one (model, host), the one mined:
    the key whose name is the model id, else a US regional id (Bedrock's
    list prices are the US ones), else the shortest, else the first."""
    def rank(k):
        base = k.lower().rsplit("/", 1)[-1]
        return (0 if base == model else 1, 0 if base.startswith("us.") else 1, len(k), k)
    return sorted(keys, key=rank)[0]


def build(args):
    review = []
    gen_ids = {}
    if args.generated and os.path.exists(args.generated):
        gen_ids = {r["id"]: r.get("row_sha1") or "" for r in read_csv(args.generated)}
    all_models = read_csv(args.models)
    model_cols = list(all_models[0].keys()) if all_models else []
    curated_models = curated_rows(all_models, gen_ids, model_cols, review)
    models = {r["id"]: r for r in curated_models}
    rows = [r for r in read_csv(args.prices) if not r["note"].startswith(MINED)]
    curated = {}
    for r in rows:
        curated.setdefault((r["model"], r["host"]), []).append(r)
    explicit = {}
    for r in read_csv(args.map):
        tier = int(r.get("min_input_tokens") or 0)
        if r["model"] != "-" and r["model"] not in models:
            review.append("map: %s %s names model '%s' that is not in models.csv; skipped"
                          % (r["source"], r["key"], r["model"]))
            continue
        explicit.setdefault(r["source"], {})[r["key"]] = (r["model"], r["host"], tier)
    settled = {}
    if args.settled:
        for r in read_csv(args.settled):
            settled[(r["model"], r["host"])] = r["source"]
    gen_alias_path = os.path.join(os.path.dirname(args.generated), "generated_aliases.csv") \
        if args.generated else None
    all_aliases = read_csv(args.aliases) if args.aliases else []
    alias_cols = list(all_aliases[0].keys()) if all_aliases else \
        ["alias", "model", "host", "valid_from", "valid_to"]
    gen_aliases = set()
    if gen_alias_path and os.path.exists(gen_alias_path):
        gen_aliases = {(r["alias"], r["model"], r["host"]) for r in read_csv(gen_alias_path)}
    curated_aliases = [a for a in all_aliases if (a["alias"], a["model"], a["host"])
                       not in gen_aliases]
    rules = Rules(models, curated_aliases) if args.aliases else None

    decided = {}          # source -> {key: (model, host, new, maker)}
    unmapped = []         # review items of the 13 makers

    def wanter(source, hosts_of):
        dec_ = decided.setdefault(source, {})
        ex = explicit.get(source, {})

        def want(key, extra):
            if key in ex:
                return ex[key][0] != "-"
            if rules is None:
                return False
            host = hosts_of(key, extra)
            also = ()
            if isinstance(host, tuple):
                host, also = host
            if not host:
                return False
            got, why = rules.classify(key.split("/", 1)[1] if source != "litellm" else key, host,
                                      also)
            if got is None:
                if why:
                    unmapped.append("%s %s: not mapped (%s)" % (source, key, why))
                return False
            if got[2] and not args.generated:
                return False
            dec_[key] = got
            return True
        return want

    def litellm_host(key, e):
        prov = e.get("litellm_provider") or ""
        host = LITELLM_HOSTS.get(prov) or ("vertex" if prov.startswith("vertex_ai") else None)
        mode = e.get("mode")
        if not host or (mode is not None and mode not in CHAT_MODES):
            return None
        if mode is None and NOT_CHAT.search(key.lower()):
            return None
        if e.get("input_cost_per_token") is None or e.get("output_cost_per_token") is None:
            return None
        return host

    def genai_host(key, extra):
        prov, m = extra
        host = GENAI_HOSTS.get(prov)
        if host == "google" and not re.match(r"^(gemini|gemma)", key.split("/", 1)[1].lower()):
            host = "vertex"
        return host, genai_equals(m.get("match"))

    info = {}             # source -> {key: info}
    got_by = {}           # source -> {key: periods}
    same = {}             # squashed spelling -> model (data/build/same.csv)
    same_path = os.path.join(os.path.dirname(args.generated), "same.csv") \
        if args.generated else None
    if same_path and os.path.exists(same_path):
        for r in read_csv(same_path):
            same[squash(r["spelling"])] = r["model"]
    mined = {}   # (model, host) -> {source: periods}
    dates = {}
    readers = [("genai-prices", args.genai_prices, lambda g, repo, w, i: read_genai_prices(
                    g, repo, w, review, i), genai_host),
               ("llm-prices", args.llm_prices, read_llm_prices,
                lambda key, vendor: LLMP_HOSTS.get(vendor)),
               ("litellm", args.litellm, lambda g, repo, w, i: read_litellm(g, repo, w, review, i),
                litellm_host)]
    for name, path, reader, hosts_of in readers:
        if not path:
            continue
        repo = getattr(args, name.replace("-", "_") + "_repo") or DEFAULT_REPO[name]
        gd = git_dir(path)
        dates[name] = source_date(gd)
        inf = info.setdefault(name, {})
        got_by[name] = reader(gd, repo, wanter(name, hosts_of), inf)

    # one model, one id: generated spellings of one model merge (SOURCES.md)
    gens = {}
    for name in decided:
        for k, (model, host, new, maker) in decided[name].items():
            if new and model not in models:
                gens.setdefault(model, maker)
    merged = merge_generated(gens, rules, same) if rules else {}
    for g in sorted(merged):
        review.append("merged: %s -> %s" % (g, merged[g]))
    for name in decided:
        for k, (model, host, new, maker) in list(decided[name].items()):
            if model in merged:
                t = merged[model]
                decided[name][k] = (t, host, t not in models, maker)

    for name, path, reader, hosts_of in readers:
        if name not in got_by:
            continue
        got = got_by[name]
        ex = explicit.get(name, {})
        for k in sorted(ex):
            if ex[k][0] != "-" and k not in got:
                review.append("%s: mapped key '%s' not found" % (name, k))
        # one key per (model, host) of a source: an explicit key, else pick_keys
        by_mh = {}
        for k in sorted(got):
            if k in ex:
                model, host, tier = ex[k]
                by_mh.setdefault((model, host), {"ex": [], "rule": []})["ex"].append(k)
            else:
                model, host = decided[name][k][:2]
                by_mh.setdefault((model, host), {"ex": [], "rule": []})["rule"].append(k)
        for mh in sorted(by_mh):
            ks = by_mh[mh]["ex"] or [pick_keys(by_mh[mh]["rule"], mh[0])]
            for k in ks:
                tier = ex[k][2] if k in ex else 0
                ps = got[k]
                if not by_mh[mh]["ex"]:
                    ps = ps + earlier_spellings(got, by_mh[mh]["rule"], k)
                if tier:   # a key that holds one context tier (llm-prices "-200k" ids)
                    ps = [dict(p, min_input_tokens=tier) for p in ps if p["min_input_tokens"] == 0]
                mined.setdefault(mh, {}).setdefault(name, []).extend(ps)

    # generated catalogue rows: models the rules named that models.csv lacks
    gen = {}
    for name in ("genai-prices", "llm-prices", "litellm"):
        for k, d in sorted(decided.get(name, {}).items()):
            model, host, new, maker = d
            if not new or model in models:
                continue
            g = gen.setdefault(model, {"maker": maker, "keys": [], "hosts": set()})
            g["keys"].append((name, k))
            g["hosts"].add(host)
    for mid, g in gen.items():
        seen = [info[s][k].get("seen") for s, k in g["keys"] if info[s].get(k, {}).get("seen")]
        g["release"] = min(seen) if seen else ""
        models[mid] = {"id": mid, "maker": g["maker"], "release_date": g["release"]}

    out = list(rows)
    for mh in sorted(mined):
        by_src = mined[mh]
        if mh in curated:
            open_rows = [r for r in curated[mh] if not r["effective_to"] and
                         (r["min_input_tokens"] or "0") == "0"]
            for src in sorted(by_src):
                cur = current(by_src[src])
                if not cur or not open_rows:
                    continue
                cp = {f: dec(open_rows[-1][f] or None) for f in FIELDS}
                bad = differs(cur["prices"], cp)
                if bad and settled.get(mh) != "curated":
                    review.append("conflict %s %s: curated %s, %s %s (%s) [%s]"
                                  % (mh[0], mh[1], show_prices(cp), src,
                                     show_prices(cur["prices"]), cur["url"], ",".join(bad)))
            continue
        choice = settled.get(mh)
        if choice not in by_src:
            choice = next(s for s in PRECEDENCE if s in by_src)
            for src in PRECEDENCE:
                if src == choice or src not in by_src:
                    continue
                other = current(by_src[src])
                # a source can only disagree about dates it has seen: compare
                # with the winner's price when the other's latest period began
                win = price_at(by_src[choice], other["from"] if other else None)
                if not win or not other:
                    continue
                bad = differs(win["prices"], other["prices"])
                if bad:
                    review.append("conflict %s %s: %s %s, %s %s [%s]; took %s by R4"
                                  % (mh[0], mh[1], choice, show_prices(win["prices"]), src,
                                     show_prices(other["prices"]), ",".join(bad), choice))
        release = models[mh[0]].get("release_date", "")
        own = models[mh[0]].get("maker", "") == mh[1]
        periods = sorted(by_src[choice], key=lambda p: (p["min_input_tokens"], p["from"] or ""))
        periods = split_tiers(merge_same(periods), release if own else "")
        for p in periods:
            fill(p, by_src, choice)
        firsts = {}
        for p in periods:
            firsts.setdefault(p["min_input_tokens"], p)
        for p in periods:
            start, why = p["from"], p["why"]
            if own and release and firsts[p["min_input_tokens"]] is p and \
               (not start or release < start):
                start, why = release, "release_date"
            if not start:
                review.append("%s %s %s: no start date; skipped" % (choice, mh[0], mh[1]))
                continue
            if p["to"] and p["to"] <= start:
                continue
            pr = p["prices"]
            if pr["input"] is None or pr["output"] is None:
                review.append("%s %s %s from %s: no input/output price; skipped"
                              % (choice, mh[0], mh[1], start))
                continue
            if pr["input"] == 0 and pr["output"] == 0:
                continue        # a free tier or experiment, not a list price
            out.append({"model": mh[0], "host": mh[1], "effective_from": start,
                        "effective_to": p["to"], "input": fmt(pr["input"]),
                        "output": fmt(pr["output"]), "cached_input": fmt(pr["cached_input"]),
                        "cache_write_5m": fmt(pr["cache_write_5m"]),
                        "cache_write_1h": fmt(pr["cache_write_1h"]), "reasoning": "",
                        "min_input_tokens": str(p["min_input_tokens"]),
                        "batch_discount_pct": "", "request_fee": "", "audio_input": "",
                        "audio_output": "", "source_url": p["url"],
                        "note": "%s %s; from = %s" % (MINED, choice, why)})
    out = drop_same_regional(out)
    out.sort(key=lambda r: (r["model"], r["host"], int(r["min_input_tokens"] or 0),
                            r["effective_from"]))
    res = {"prices": csv_text(PRICE_COLS, out),
           "mined": sum(1 for r in out if r["note"].startswith(MINED))}

    # models.csv: the curated rows as they are, then the generated ones sorted
    priced = {}
    for r in out:
        priced.setdefault(r["model"], set()).add(r["host"])
    models_curated = {r["id"]: r for r in curated_models}
    grows = []
    for mid in sorted(gen):
        if mid not in priced:
            continue
        grows.append(model_row(mid, gen[mid], priced[mid], info))
        grows[-1]["family"] = sibling_family(gen[mid]["maker"], mid, models_curated) or \
            grows[-1]["family"]
    if args.generated:
        res["models"] = csv_text(model_cols, curated_models + grows)
        res["generated"] = csv_text(
            ["id", "source", "key", "row_sha1"],
            [dict(zip(("source", "key"), sorted(gen[r["id"]]["keys"])[0]), id=r["id"],
                  row_sha1=row_sha1(r, model_cols)) for r in grows])
    if args.generated and args.aliases:
        arows = make_aliases(decided, rules, priced, set(models), merged)
        res["aliases"] = csv_text(alias_cols, curated_aliases + arows)
        res["generated_aliases"] = csv_text(["alias", "model", "host"], arows)
        res["gen_alias_path"] = gen_alias_path
    res["current_to"] = max(dates.values()) if dates else ""
    res["dates"] = dates
    res["review"] = sorted(set(review)) + sorted(set(unmapped))
    return res


def make_aliases(decided, rules, priced, model_ids, merged=None):
    """aliases.csv rows for the names the rules mapped: each key's last path
    segment, lowercased (`accounts/fireworks/models/qwen3-8b-instruct` ->
    `qwen3-8b-instruct`), when it is not already a name the catalogue
    knows, its squashed form is not the model id's and it is no moving
    name (`-latest`, no digit).  Bedrock ids are left to the resolver.  An alias every host
    means the same model by is host-free; else one row per host."""
    means = {}
    for source in sorted(decided):
        for k, (model, host, new, maker) in sorted(decided[source].items()):
            if host not in priced.get(model, ()):
                continue
            name = k.lower().rsplit("/", 1)[-1]
            if host in ("bedrock", "bedrock-regional"):
                continue        # the resolver reads Bedrock ids itself
            if ":" in name or "latest" in name or not re.search(r"\d", name) or \
               squash(name) == squash(model) or squash(name) in rules.ix or name in model_ids:
                continue
            means.setdefault(name, {}).setdefault(model, set()).add(host)
    for g, t in sorted((merged or {}).items()):
        # a merged spelling names its model everywhere
        if t in priced and g not in means and squash(g) not in rules.ix and \
           squash(g) != squash(t):
            means[g] = {t: set(priced[t])}
    rows = []
    for name in sorted(means):
        by_model = means[name]
        if len(by_model) == 1:
            (model, hosts), = by_model.items()
            rows.append({"alias": name, "model": model, "host": "", "valid_from": "",
                         "valid_to": ""})
            continue
        for model in sorted(by_model):
            for host in sorted(by_model[model]):
                rows.append({"alias": name, "model": model, "host": host, "valid_from": "",
                             "valid_to": ""})
    return rows


def model_row(mid, g, hosts, info):
    """A generated models.csv row (see SOURCES.md, The data build)."""
    maker = g["maker"]
    lim = {"context_window": None, "max_output": None, "modalities": None, "name": None}
    # limits from the maker's own key first, then the other keys in order
    keys = sorted(g["keys"], key=lambda sk: (0 if sk[0] == "litellm" and
                                             not "/" in sk[1] else 1, sk))
    for s_, k in keys:
        i = info.get(s_, {}).get(k, {})
        for f in lim:
            if lim[f] is None and i.get(f):
                lim[f] = i[f]
    if maker in hosts:
        default = maker
    else:
        default = next((h for h in HOST_ORDER if h in hosts), sorted(hosts)[0])
    return {"id": mid, "maker": maker, "family": family_of(maker, mid),
            "name": lim["name"] or mid, "release_date": g["release"],
            "context_window": str(lim["context_window"] or ""),
            "max_output": str(lim["max_output"] or ""),
            "modalities": lim["modalities"] or "text",
            "open_weights": open_weights(maker, mid), "default_host": default,
            "image_tokens": ""}


def drop_same_regional(out):
    """A bedrock-regional offering whose every period costs what the global
    Bedrock offering costs on the day it starts is the same offering: its
    rows are dropped (only the Claude 4.5 generation and later cost more)."""
    by = {}
    for r in out:
        by.setdefault((r["model"], r["host"]), []).append(r)
    drop = set()
    for (model, host), rs in by.items():
        if host != "bedrock-regional":
            continue
        glob = sorted(by.get((model, "bedrock"), []), key=lambda r: r["effective_from"])
        if not glob:
            continue
        same = True
        for r in rs:
            g = None
            for q in glob:
                if q["min_input_tokens"] == r["min_input_tokens"] and \
                   q["effective_from"] <= max(r["effective_from"], glob[0]["effective_from"]):
                    g = q
            if not g or dec(g["input"]) != dec(r["input"]) or dec(g["output"]) != dec(r["output"]):
                same = False
                break
        if same:
            drop.add((model, host))
    return [r for r in out if (r["model"], r["host"]) not in drop]


META_NOTE = ("the date the built-in prices are current to: the latest snapshot of the evidence "
             "they were built from (%s; written by tools/databuild.py, see SOURCES.md, The data "
             "build). Later starts in data/prices.csv are changes announced for a later date.")


def meta_text(path, current_to, dates):
    """meta.csv with current_to replaced (other rows kept as they are)."""
    rows = read_csv(path) if os.path.exists(path) else []
    names = {"genai-prices": "genai-prices", "llm-prices": "llm-prices",
             "litellm": "LiteLLM's daily mirror"}
    note = META_NOTE % ", ".join("%s %s" % (names[k], dates[k]) for k in
                                 ("genai-prices", "llm-prices", "litellm") if k in dates)
    rows = [r for r in rows if r["key"] != "current_to"]
    rows.insert(0, {"key": "current_to", "value": current_to, "note": note})
    return csv_text(["key", "value", "note"], rows)


def csv_text(cols, rows):
    """rows (dicts) as CSV text with the header cols, a missing field empty."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=cols, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({c: r.get(c, "") for c in cols})
    return buf.getvalue()


def write(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    os.replace(tmp, path)


def main(argv):
    ap = argparse.ArgumentParser(description="rebuild data/prices.csv from curated rows "
                                 "and dated public evidence")
    ap.add_argument("--prices", required=True, help="curated prices.csv (mined rows are rebuilt)")
    ap.add_argument("--models", required=True)
    ap.add_argument("--map", required=True)
    ap.add_argument("--settled")
    ap.add_argument("--aliases", help="aliases.csv: turns on the mapping rules")
    ap.add_argument("--generated", help="the list of generated models.csv rows; turns on "
                    "generating them (models.csv is rewritten in place)")
    ap.add_argument("--meta", help="meta.csv to write current_to into")
    ap.add_argument("--llm-prices")
    ap.add_argument("--genai-prices")
    ap.add_argument("--litellm")
    ap.add_argument("--llm-prices-repo")
    ap.add_argument("--genai-prices-repo")
    ap.add_argument("--litellm-repo")
    ap.add_argument("--out", help="where to write (default stdout)")
    ap.add_argument("--review", help="where to write the review list (default stderr)")
    args = ap.parse_args(argv)
    try:
        res = build(args)
        meta = meta_text(args.meta, res["current_to"], res["dates"]) if args.meta else None
    except (BuildError, OSError, KeyError) as e:
        sys.stderr.write("databuild: error: %s\n" % e)
        return 1
    if args.out:
        write(args.out, res["prices"])
    else:
        sys.stdout.write(res["prices"])
    if "models" in res:
        write(args.models, res["models"])
        write(args.generated, res["generated"])
    if "aliases" in res:
        write(args.aliases, res["aliases"])
        write(res["gen_alias_path"], res["generated_aliases"])
    if meta is not None:
        write(args.meta, meta)
    review = res["review"]
    rtext = "".join("review: %s\n" % r for r in review)
    rtext += "databuild: %d mined rows, %d generated models, %d review items\n" % (
        res["mined"], res["generated"].count("\n") - 1 if "generated" in res else 0, len(review))
    if args.review:
        write(args.review, rtext)
    else:
        sys.stderr.write(rtext)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
