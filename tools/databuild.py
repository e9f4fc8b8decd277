#!/usr/bin/env python3
"""databuild: rebuild data/prices.csv from the curated rows plus rows mined
from dated public evidence (maintainer tool; never run by llmcost itself).

    python3 tools/databuild.py --prices data/prices.csv --models data/models.csv \
        --map data/build/map.csv --settled data/build/settled.csv \
        [--llm-prices GITDIR] [--genai-prices GITDIR] [--litellm GITDIR] \
        [--out data/prices.csv] [--review FILE]

Every GITDIR is a local clone or bare mirror (the tool never touches the
network).  It reads history with `git log` / `git show` only.

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
  R2 only mapped ids are mined: data/build/map.csv names each source key and
     the llmcost (model, host) it prices; the model must be in models.csv.
     Its optional min_input_tokens column maps a key that holds one context
     tier only (llm-prices' "-200k" ids).
  R3 revert = correction: in a snapshot series, a value that changes and
     comes back within REVERT_DAYS days is a sheet error, not a price; so is
     a first listing replaced within REVERT_DAYS days (the corrected value
     then holds from the first listing's date).
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
import io
import json
import os
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
    s = format(v.normalize(), "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def per_million(v):
    d = dec(v)
    return None if d is None else (d * 1000000)


def loads(raw):
    return json.loads(raw, parse_float=D, parse_int=D)


# ---------------------------------------------------------------- sources
# Each reader returns {source_key: [period]}, period = dict(from, to, prices,
# min_input_tokens, url, why); prices = {field: Decimal or None}.

def read_llm_prices(gitdir, repo, keys):
    res = {}
    h = head(gitdir)
    names = git(gitdir, "ls-tree", "--name-only", h, "data/").decode().split()
    files = sorted(n for n in names if n.endswith(".json"))
    hist = commits(gitdir, "data")
    for path in files:
        raw = show(gitdir, h, path)
        try:
            doc = loads(raw)
        except ValueError as e:
            raise BuildError("cannot parse %s '%s': %s" % (repo, path, e))
        vendor = doc.get("vendor", os.path.basename(path)[:-5])
        for m in doc.get("models", []):
            key = "%s/%s" % (vendor, m.get("id"))
            if key not in keys:
                continue
            seen = None
            needle = ('"id": "%s"' % m.get("id")).encode()
            for c, day in hist:
                blob = show(gitdir, c, path)
                if blob and needle in blob:
                    seen = (c, day)
                    break
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
    return res


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


def read_genai_prices(gitdir, repo, keys, review):
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
    hist = commits(gitdir, "prices/providers")
    for prov in doc:
        for m in prov.get("models", []):
            key = "%s/%s" % (prov.get("id"), m.get("id"))
            if key not in keys:
                continue
            ypath = "prices/providers/%s.yml" % prov.get("id")
            seen = None
            needle = ("id: %s\n" % m.get("id")).encode()
            for c, day in hist:
                blob = show(gitdir, c, ypath)
                if blob and needle in blob:
                    seen = (c, day)
                    break
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
    return res


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


def read_litellm(gitdir, repo, keys, review):
    series = {k: [] for k in keys}
    for c, day in commits(gitdir, LITELLM_PATH):
        raw = show(gitdir, c, LITELLM_PATH)
        if raw is None:
            continue
        try:
            doc = loads(raw)
        except ValueError:
            review.append("litellm %s (%s): snapshot does not parse; skipped" % (c[:12], day))
            continue
        for k in keys:
            e = doc.get(k)
            if not isinstance(e, dict):
                continue
            p = litellm_prices(e)
            t = tuple(p[f] for f in FIELDS)
            s = series[k]
            if s and s[-1][2] == t:
                continue
            if s and s[-1][0] == day:
                s[-1] = (day, c, t)       # same day: the day's last snapshot
                if len(s) > 1 and s[-2][2] == t:
                    s.pop()
                continue
            s.append((day, c, t))
    res = {}
    for k in sorted(keys):
        s = drop_reverts(series[k], k, review)
        if not s:
            continue
        periods = []
        for i, (day, c, t) in enumerate(s):
            periods.append({"from": day, "to": s[i + 1][0] if i + 1 < len(s) else "",
                            "prices": dict(zip(FIELDS, t)), "min_input_tokens": 0,
                            "url": url(repo, c, LITELLM_PATH), "why": "first snapshot"})
        res[k] = periods
    return res


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


def build(args):
    review = []
    models = {r["id"]: r for r in read_csv(args.models)}
    rows = [r for r in read_csv(args.prices) if not r["note"].startswith(MINED)]
    curated = {}
    for r in rows:
        curated.setdefault((r["model"], r["host"]), []).append(r)
    mapping = {}
    for r in read_csv(args.map):
        if r["model"] not in models:
            review.append("map: %s %s names model '%s' that is not in models.csv; skipped"
                          % (r["source"], r["key"], r["model"]))
            continue
        tier = int(r.get("min_input_tokens") or 0)
        mapping.setdefault(r["source"], {})[r["key"]] = (r["model"], r["host"], tier)
    settled = {}
    if args.settled:
        for r in read_csv(args.settled):
            settled[(r["model"], r["host"])] = r["source"]

    mined = {}   # (model, host) -> {source: periods}
    readers = [("genai-prices", args.genai_prices,
                lambda g, repo, keys: read_genai_prices(g, repo, keys, review)),
               ("llm-prices", args.llm_prices, read_llm_prices),
               ("litellm", args.litellm,
                lambda g, repo, keys: read_litellm(g, repo, keys, review))]
    for name, path, reader in readers:
        if not path:
            continue
        repo = getattr(args, name.replace("-", "_") + "_repo") or DEFAULT_REPO[name]
        keys = mapping.get(name, {})
        got = reader(git_dir(path), repo, set(keys))
        for k in sorted(keys):
            if k not in got:
                review.append("%s: mapped key '%s' not found" % (name, k))
                continue
            model, host, tier = keys[k]
            ps = got[k]
            if tier:   # a key that holds one context tier (llm-prices "-200k" ids)
                ps = [dict(p, min_input_tokens=tier) for p in ps if p["min_input_tokens"] == 0]
            mined.setdefault((model, host), {}).setdefault(name, []).extend(ps)

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
            out.append({"model": mh[0], "host": mh[1], "effective_from": start,
                        "effective_to": p["to"], "input": fmt(pr["input"]),
                        "output": fmt(pr["output"]), "cached_input": fmt(pr["cached_input"]),
                        "cache_write_5m": fmt(pr["cache_write_5m"]),
                        "cache_write_1h": fmt(pr["cache_write_1h"]), "reasoning": "",
                        "min_input_tokens": str(p["min_input_tokens"]),
                        "batch_discount_pct": "", "request_fee": "", "audio_input": "",
                        "audio_output": "", "source_url": p["url"],
                        "note": "%s %s; from = %s" % (MINED, choice, why)})
    out.sort(key=lambda r: (r["model"], r["host"], int(r["min_input_tokens"] or 0),
                            r["effective_from"]))
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=PRICE_COLS, lineterminator="\n")
    w.writeheader()
    for r in out:
        w.writerow({c: r.get(c, "") for c in PRICE_COLS})
    return buf.getvalue(), sorted(set(review)), sum(1 for r in out if r["note"].startswith(MINED))


def main(argv):
    ap = argparse.ArgumentParser(description="rebuild data/prices.csv from curated rows "
                                 "and dated public evidence")
    ap.add_argument("--prices", required=True, help="curated prices.csv (mined rows are rebuilt)")
    ap.add_argument("--models", required=True)
    ap.add_argument("--map", required=True)
    ap.add_argument("--settled")
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
        text, review, n = build(args)
    except (BuildError, OSError, KeyError) as e:
        sys.stderr.write("databuild: error: %s\n" % e)
        return 1
    if args.out:
        tmp = args.out + ".tmp"
        with open(tmp, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(tmp, args.out)
    else:
        sys.stdout.write(text)
    rtext = "".join("review: %s\n" % r for r in review)
    rtext += "databuild: %d mined rows, %d review items\n" % (n, len(review))
    if args.review:
        with open(args.review, "w", encoding="utf-8") as f:
            f.write(rtext)
    else:
        sys.stderr.write(rtext)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
