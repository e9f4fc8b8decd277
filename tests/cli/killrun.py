#!/usr/bin/env python3
"""killrun.py - crash consistency by kill -9 at random moments.

usage: killrun.py --db DB --runs N [--setup SHELL] [--check SQL] [--invariant FILE]
                  -- COMMAND...

For each of N runs: run SETUP (a shell command that prepares the starting
state: $DB is exported), start COMMAND, SIGKILL it after a random delay
between 0 and the duration of an uninterrupted run (shrinking
when a run finishes before its kill), then check
PRAGMA integrity_check, then re-run COMMAND to completion and compare the
answer of CHECK (default: a digest of every row of every table) with the
answer after an uninterrupted run from the same starting state.  With
--invariant, the SQL query in FILE must return no rows both after the kill
(once its tables exist) and after the re-run.
Prints one summary line; exits 1 on any mismatch, on an integrity failure,
or when fewer than a third of the kills landed while COMMAND was running.
Seeded by $LLMCOST_TEST_SEED (tests/cli/lib.sh sets and exports it; printed
here too) so a failure can be replayed.
"""
import argparse, hashlib, os, random, signal, sqlite3, subprocess, sys, time

ap = argparse.ArgumentParser()
ap.add_argument("--db", required=True)
ap.add_argument("--runs", type=int, default=20)
ap.add_argument("--setup", default="")
ap.add_argument("--check", default="")
ap.add_argument("--invariant", default="")
ap.add_argument("cmd", nargs=argparse.REMAINDER)
a = ap.parse_args()
cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
os.environ["DB"] = a.db
seed = int(os.environ.get("LLMCOST_TEST_SEED", str(int(time.time() * 1000) % 1000000)))
rnd = random.Random(seed)


def setup():
    for suffix in ("", "-wal", "-shm", "-journal"):
        try:
            os.unlink(a.db + suffix)
        except FileNotFoundError:
            pass
    if a.setup:
        subprocess.run(a.setup, shell=True, check=True)


def answer():
    c = sqlite3.connect("file:%s?mode=ro" % a.db, uri=True)
    try:
        if a.check:
            return repr(c.execute(a.check).fetchall())
        h = hashlib.sha256()
        for (name,) in c.execute(
                "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"):
            for row in c.execute('SELECT * FROM "%s" ORDER BY 1, 2' % name.replace('"', '""')):
                h.update(repr(row).encode())
        return h.hexdigest()
    finally:
        c.close()


def integrity():
    if not os.path.exists(a.db):
        return "ok"  # killed before the file was made
    c = sqlite3.connect(a.db)
    try:
        return "\n".join(r[0] for r in c.execute("PRAGMA integrity_check"))
    finally:
        c.close()


def broken():
    """The rows of the --invariant query ([] when none or not yet created)."""
    if not a.invariant or not os.path.exists(a.db):
        return []
    c = sqlite3.connect("file:%s?mode=ro" % a.db, uri=True)
    try:
        return c.execute(open(a.invariant).read()).fetchall()
    except sqlite3.OperationalError as e:
        if "no such table" in str(e):
            return []  # killed before the schema was committed
        return [str(e)]
    finally:
        c.close()


def run_clean():
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if r.returncode != 0:
        print("killrun: uninterrupted run failed (exit %d): %s" %
              (r.returncode, r.stderr.decode(errors="replace")[:500]))
        sys.exit(1)


# the shortest of three uninterrupted runs sets the range of kill moments
durs = []
for _ in range(3):
    setup()
    t0 = time.monotonic()
    run_clean()
    durs.append(time.monotonic() - t0)
    want = answer()
dur = min(durs)

bad = 0
landed = 0
for i in range(a.runs):
    setup()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    delay = rnd.uniform(0, dur)
    time.sleep(delay)
    if p.poll() is None:
        p.send_signal(signal.SIGKILL)
        landed += 1
    else:
        dur *= 0.8  # finished first: machine faster now, aim earlier
    p.wait()
    ic = integrity()
    if ic != "ok":
        print("killrun: run %d (kill at %.1f ms): integrity_check: %s" % (i, delay * 1000, ic[:300]))
        bad += 1
        continue
    inv = broken()
    if inv:
        print("killrun: run %d (kill at %.1f ms): after the kill, invariant broken: %s" %
              (i, delay * 1000, repr(inv[:3])[:300]))
        bad += 1
        continue
    run_clean()
    got = answer()
    inv = broken()
    if inv:
        print("killrun: run %d (kill at %.1f ms): after a re-run, invariant broken: %s" %
              (i, delay * 1000, repr(inv[:3])[:300]))
        bad += 1
    if got != want:
        print("killrun: run %d (kill at %.1f ms): after a re-run got %s, want %s" %
              (i, delay * 1000, got[:200], want[:200]))
        bad += 1

print("killrun: seed %d, %d runs, %d killed mid-run, clean run %.0f ms, %d bad" %
      (seed, a.runs, landed, dur * 1000, bad))
if landed * 3 < a.runs:
    print("killrun: too few kills landed mid-run")
    bad += 1
sys.exit(1 if bad else 0)
