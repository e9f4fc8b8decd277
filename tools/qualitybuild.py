#!/usr/bin/env python3
"""qualitybuild: rebuild data/quality.csv from dated Chatbot Arena (LMArena)
leaderboard snapshots kept in public git histories (maintainer tool; never run
by llmcost itself).

    python3 tools/qualitybuild.py --csv-repo GITDIR --catalog-repo GITDIR \
        [--snapshots data/build/quality_snapshots.csv] \
        [--map data/build/quality_map.csv] [--orgs data/build/quality_orgs.csv] \
        [--mmlu data/build/quality_mmlu.csv] [--models data/models.csv] \
        [--out data/quality.csv] [--review FILE]

Every GITDIR is a local clone or bare mirror; the tool reads it with
`git log` / `git show` only and never touches the network.

Inputs
  --csv-repo      fboulnois/llm-leaderboard-csv: one commit per leaderboard
                  version, message "... update csv outputs to version
                  YYYY.MM.DD"; csv/lmsys.csv (2024-07 to 2025-07) or
                  csv/lmarena_text.csv (2025-07 on), columns model,
                  arena_score, organization (arena_score is the score with
                  style control off, the only one the old versions have).
  --catalog-repo  lmarena/arena-catalog: data/leaderboard-text.json (style
                  control off), category "full", {name: {"rating": x}};
                  organisations from data/scatterplot-data.json where it
                  names the model.
  --snapshots     the snapshots taken, one a row: source,date.  For
                  llm-leaderboard-csv, date is a version (the commit whose
                  message names it); for arena-catalog, the last commit
                  touching leaderboard-text.json on or before date (UTC), and
                  the snapshot is dated by that commit.
  --map           name,model: a leaderboard name (compared case-insensitively)
                  and the llmcost model id it is.  Reviewed by hand; names not
                  in it are kept with no model id.
  --orgs          kind,pattern,organization: kind "alias" renames a
                  leaderboard's spelling of an organisation; kind "prefix"
                  gives the organisation of a model name starting with pattern
                  (case-insensitive) when the source names none.
  --mmlu          name,organization,model,score,source_url: vendor-reported
                  MMLU, one undated set (snapshot ""), copied through.
  --models        data/models.csv: a mapped id that is not a model there is
                  left out of the row's model column and listed for review.

Output: benchmark,snapshot,name,organization,model,score,source_url, sorted by
benchmark, snapshot, score (highest first) and name; arena scores rounded
half-even to whole Elo points; each arena row cites the repository, path and
commit it came from.  Rerunning on the same inputs gives the same bytes.
Exit 0, or 1 with a message naming the file and line of a bad input.
"""
import argparse
import csv
import io
import json
import os
import re
import subprocess
import sys
from decimal import Decimal, ROUND_HALF_EVEN

CSV_URL = "https://github.com/fboulnois/llm-leaderboard-csv/blob/%s/%s"
CAT_URL = "https://github.com/lmarena/arena-catalog/blob/%s/%s"
CAT_FILE = "data/leaderboard-text.json"
CAT_ORGS = "data/scatterplot-data.json"
OUT_COLS = ["benchmark", "snapshot", "name", "organization", "model", "score", "source_url"]


class BuildError(Exception):
    pass


def git(repo, *args):
    env = dict(os.environ, TZ="UTC")  # commit dates as UTC days
    r = subprocess.run(["git", "--git-dir", repo, *args], capture_output=True, env=env)
    if r.returncode:
        raise BuildError("git %s in '%s' failed: %s" % (" ".join(args), repo,
                                                      r.stderr.decode(errors="replace").strip()))
    return r.stdout.decode("utf-8")


def gitdir(path):
    """A bare mirror is its own git dir; a clone has one under .git."""
    r = subprocess.run(["git", "-C", path, "rev-parse", "--absolute-git-dir"], capture_output=True)
    if r.returncode:
        raise BuildError("'%s' is not a git repository" % path)
    return r.stdout.decode().strip()


def read_csv(path, cols):
    """Rows of a hand-kept CSV as dicts, with its line numbers; the header must be cols."""
    try:
        with open(path, newline="", encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise BuildError("cannot read '%s': %s" % (path, e.strerror))
    rd = csv.reader(io.StringIO(text))
    head = next(rd, None)
    if head != cols:
        raise BuildError("'%s' line 1: want the header %s" % (path, ",".join(cols)))
    rows = []
    for row in rd:
        if not row:
            continue
        if len(row) != len(cols):
            raise BuildError("'%s' line %d: want %d fields, not %d" % (path, rd.line_num, len(cols), len(row)))
        rows.append((rd.line_num, dict(zip(cols, row))))
    return rows


def whole(text, where):
    """A score as a whole number, half-even; the decimal text, not a float."""
    try:
        d = Decimal(text)
    except Exception:
        raise BuildError("%s: score '%s' is not a number" % (where, text))
    if not d.is_finite():
        raise BuildError("%s: score '%s' is not a number" % (where, text))
    return str(d.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def csv_versions(repo):
    """version date -> (commit, path) for llm-leaderboard-csv."""
    out = {}
    log = git(repo, "log", "--format=%H %s", "--", "csv/lmsys.csv", "csv/lmarena_text.csv")
    for line in log.splitlines():
        sha, _, msg = line.partition(" ")
        m = re.search(r"update csv outputs to version (\d{4})\.(\d{2})\.(\d{2})$", msg)
        if not m:
            continue
        date = "-".join(m.groups())
        names = git(repo, "ls-tree", "--name-only", sha, "csv/").split()
        path = "csv/lmarena_text.csv" if "csv/lmarena_text.csv" in names else "csv/lmsys.csv"
        out.setdefault(date, (sha, path))  # newest commit of a version first
    return out


def csv_snapshot(repo, version, versions):
    if version not in versions:
        raise BuildError("llm-leaderboard-csv has no version %s" % version)
    sha, path = versions[version]
    rows = []
    rd = csv.DictReader(io.StringIO(git(repo, "show", "%s:%s" % (sha, path))))
    for need in ("model", "arena_score", "organization"):
        if need not in (rd.fieldnames or []):
            raise BuildError("llm-leaderboard-csv %s:%s lacks the column %s" % (sha, path, need))
    for r in rd:
        where = "llm-leaderboard-csv %s:%s line %d" % (sha[:12], path, rd.line_num)
        rows.append((r["model"].strip(), r["organization"].strip(), whole(r["arena_score"], where)))
    return version, CSV_URL % (sha, path), rows


def catalog_snapshot(repo, date):
    log = git(repo, "log", "--format=%H %cd", "--date=format-local:%Y-%m-%d",
              "--until=%sT23:59:59Z" % date, "-1", "--", CAT_FILE)
    if not log.strip():
        raise BuildError("arena-catalog has no %s on or before %s" % (CAT_FILE, date))
    sha, day = log.split()
    try:
        full = json.loads(git(repo, "show", "%s:%s" % (sha, CAT_FILE)))["full"]
    except (ValueError, KeyError, TypeError):
        raise BuildError("arena-catalog %s:%s: no category \"full\"" % (sha[:12], CAT_FILE))
    orgs = {}
    try:
        for m in json.loads(git(repo, "show", "%s:%s" % (sha, CAT_ORGS))):
            if m.get("model_api_name") and m.get("organization"):
                orgs.setdefault(m["model_api_name"].lower(), m["organization"])
    except (BuildError, ValueError, AttributeError):
        pass  # organisations are optional; prefixes and other snapshots fill in
    rows = []
    for name, v in full.items():
        where = "arena-catalog %s:%s model %s" % (sha[:12], CAT_FILE, name)
        if not isinstance(v, dict) or "rating" not in v:
            raise BuildError("%s: no rating" % where)
        rows.append((name.strip(), orgs.get(name.lower(), ""), whole(repr(v["rating"]), where)))
    return day, CAT_URL % (sha, CAT_FILE), rows


def main():
    ap = argparse.ArgumentParser(description="rebuild data/quality.csv from leaderboard snapshots")
    ap.add_argument("--csv-repo", required=True)
    ap.add_argument("--catalog-repo", required=True)
    ap.add_argument("--snapshots", default="data/build/quality_snapshots.csv")
    ap.add_argument("--map", default="data/build/quality_map.csv")
    ap.add_argument("--orgs", default="data/build/quality_orgs.csv")
    ap.add_argument("--mmlu", default="data/build/quality_mmlu.csv")
    ap.add_argument("--models", default="data/models.csv")
    ap.add_argument("--out", default="data/quality.csv")
    ap.add_argument("--review")
    a = ap.parse_args()

    models = {r["id"] for _, r in read_csv_loose(a.models)}
    mapping = {}
    for line, r in read_csv(a.map, ["name", "model"]):
        k = r["name"].strip().lower()
        if not k or not r["model"]:
            raise BuildError("'%s' line %d: a name and a model id" % (a.map, line))
        if k in mapping and mapping[k] != r["model"]:
            raise BuildError("'%s' line %d: '%s' is mapped twice" % (a.map, line, r["name"]))
        mapping[k] = r["model"]
    alias, prefix = {}, []
    for line, r in read_csv(a.orgs, ["kind", "pattern", "organization"]):
        if r["kind"] == "alias":
            alias[r["pattern"]] = r["organization"]
        elif r["kind"] == "prefix":
            prefix.append((r["pattern"].lower(), r["organization"]))
        else:
            raise BuildError("'%s' line %d: kind is alias or prefix, not '%s'" % (a.orgs, line, r["kind"]))
    prefix.sort(key=lambda p: (-len(p[0]), p[0]))  # the longest prefix wins

    csv_repo, cat_repo = gitdir(a.csv_repo), gitdir(a.catalog_repo)
    versions = None
    snaps = []
    for line, r in read_csv(a.snapshots, ["source", "date"]):
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["date"]):
            raise BuildError("'%s' line %d: date '%s' is not YYYY-MM-DD" % (a.snapshots, line, r["date"]))
        if r["source"] == "llm-leaderboard-csv":
            if versions is None:
                versions = csv_versions(csv_repo)
            snaps.append(csv_snapshot(csv_repo, r["date"], versions))
        elif r["source"] == "arena-catalog":
            snaps.append(catalog_snapshot(cat_repo, r["date"]))
        else:
            raise BuildError("'%s' line %d: unknown source '%s'" % (a.snapshots, line, r["source"]))

    # an organisation the leaderboard named for a name in any snapshot
    known = {}
    for _, _, rows in sorted(snaps, key=lambda s: s[0]):
        for name, org, _ in rows:
            if org:
                known[name.lower()] = alias.get(org, org)

    out, review, used = [], [], set()
    seen_snap = set()
    for day, url, rows in snaps:
        if day in seen_snap:
            raise BuildError("two snapshots dated %s" % day)
        seen_snap.add(day)
        names, ids = set(), {}
        for name, org, score in rows:
            k = name.lower()
            if k in names:
                review.append("%s: '%s' listed twice; the first kept" % (day, name))
                continue
            names.add(k)
            org = alias.get(org, org) or known.get(k, "")
            if not org:
                org = next((o for p, o in prefix if k.startswith(p)), "")
            if not org:
                review.append("%s: no organisation for '%s'" % (day, name))
            mid = mapping.get(k, "")
            if mid:
                used.add(k)
                if mid not in models:
                    review.append("%s: '%s' maps to '%s', not a model of %s" % (day, name, mid, a.models))
                    mid = ""
                elif mid in ids:
                    raise BuildError("%s: '%s' and '%s' both map to '%s' in one snapshot"
                                     % (day, ids[mid], name, mid))
                else:
                    ids[mid] = name
            out.append(["arena_elo", day, name, org, mid, score, url])
    for k in sorted(set(mapping) - used):
        review.append("mapped name '%s' is in no snapshot" % k)
    for line, r in read_csv(a.mmlu, ["name", "organization", "model", "score", "source_url"]):
        if r["model"] not in models:
            raise BuildError("'%s' line %d: '%s' is not a model of %s" % (a.mmlu, line, r["model"], a.models))
        try:
            Decimal(r["score"])
        except Exception:
            raise BuildError("'%s' line %d: score '%s' is not a number" % (a.mmlu, line, r["score"]))
        out.append(["mmlu", "", r["name"], r["organization"], r["model"], r["score"], r["source_url"]])
    out.sort(key=lambda r: (r[0], r[1], -Decimal(r[5]), r[2]))

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(OUT_COLS)
    w.writerows(out)
    with open(a.out, "w", encoding="utf-8", newline="") as f:
        f.write(buf.getvalue())
    text = "".join(x + "\n" for x in review)
    if a.review:
        with open(a.review, "w", encoding="utf-8") as f:
            f.write(text)
    print("qualitybuild: %d rows, %d snapshots, %d mapped names, %d review lines"
          % (len(out), len(snaps), len(used), len(review)), file=sys.stderr)
    return 0


def read_csv_loose(path):
    """A CSV whose first column is id (data/models.csv); other columns ignored."""
    try:
        with open(path, newline="", encoding="utf-8") as f:
            rd = csv.DictReader(f)
            if not rd.fieldnames or rd.fieldnames[0] != "id":
                raise BuildError("'%s' line 1: want a first column 'id'" % path)
            return [(rd.line_num, r) for r in rd]
    except OSError as e:
        raise BuildError("cannot read '%s': %s" % (path, e.strerror))


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BuildError as e:
        print("qualitybuild: error: %s" % e, file=sys.stderr)
        sys.exit(1)
