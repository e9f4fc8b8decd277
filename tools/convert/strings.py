#!/usr/bin/env python3
"""strings.py - the mechanical part of the string-safety conversion (h-habits).

Run from the top of the tree:  python3 strings.py $(git ls-files '*.c' '*.h')
Idempotent.  It rewrites, in every file given (lib/str.h and lib/banned.h
excepted):
  snprintf(D, sizeof(D), "%s", S);   ->  LC_COPY(D, S);
  snprintf(D, sizeof(X), "%s", S);   ->  lc_strlcpy(D, S, sizeof(X));   (X != D)
  snprintf(D, N, "%s", S);           ->  lc_strlcpy(D, S, N);
      (statements whose value is not used: the same bytes as before)
  sizeof(A) / sizeof(A[0])  and  sizeof(A) / sizeof((A)[0])  ->  ARRAY_SIZE(A)
  strcpy(D, S);                       ->  LC_COPY(D, S);   (D an array)
and drops the file-local `#define N(a) ...sizeof...` macros, N(x) -> ARRAY_SIZE(x).
What it leaves (strcpy/strcat/sprintf calls, which lib/banned.h rejects) is
converted by hand; the compiler lists every one.
"""
import re, sys

SKIP = ("lib/str.h", "lib/banned.h", "lib/compat.h")


def split_args(s, start):
    """the arguments of the call whose '(' is at s[start]; returns (args, end)"""
    depth, i, args, cur, q = 0, start, [], "", None
    while i < len(s):
        c = s[i]
        if q:
            cur += c
            if c == "\\":
                cur += s[i + 1]
                i += 1
            elif c == q:
                q = None
        elif c in "\"'":
            q = c
            cur += c
        elif c in "([{":
            depth += 1
            if depth > 1:
                cur += c
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                args.append(cur.strip())
                return args, i
            cur += c
        elif c == "," and depth == 1:
            args.append(cur.strip())
            cur = ""
        else:
            cur += c
        i += 1
    raise ValueError("unbalanced")


def norm(x):
    return re.sub(r"\s+", "", x)


def convert(s):
    out, pos = [], 0
    for m in re.finditer(r"(?m)^([ \t]*)snprintf\(", s):
        if m.start() < pos:
            continue
        args, end = split_args(s, m.end() - 1)
        tail = s[end + 1:end + 2]
        if len(args) != 4 or args[2] != '"%s"' or tail != ";":
            continue
        d, n, _, src = args
        sz = re.fullmatch(r"sizeof\s*\((.*)\)", n, re.S) or re.fullmatch(r"sizeof\s+(\S+)", n)
        if sz and norm(sz.group(1)) == norm(d):
            new = "%sLC_COPY(%s, %s);" % (m.group(1), d, src)
        else:
            new = "%slc_strlcpy(%s, %s, %s);" % (m.group(1), d, src, n)
        out.append(s[pos:m.start()])
        out.append(new)
        pos = end + 2
    out.append(s[pos:])
    s = "".join(out)
    # strcpy(D, S); -> LC_COPY(D, S);  (D must be an array: LC_COPY does not
    # compile on a pointer, and those few are converted by hand)
    out, pos = [], 0
    for m in re.finditer(r"(?m)^([ \t]*)strcpy\(", s):
        args, end = split_args(s, m.end() - 1)
        if len(args) != 2 or s[end + 1:end + 2] != ";":
            continue
        out.append(s[pos:m.start()])
        out.append("%sLC_COPY(%s, %s);" % (m.group(1), args[0], args[1]))
        pos = end + 2
    out.append(s[pos:])
    s = "".join(out)
    # sizeof(A) / sizeof(A[0]) -> ARRAY_SIZE(A)
    s = re.sub(r"sizeof\s*\(\s*([A-Za-z_][\w.>-]*)\s*\)\s*/\s*sizeof\s*\(\s*\(?\s*\1\s*\)?\s*\[\s*0\s*\]\s*\)",
               r"ARRAY_SIZE(\1)", s)
    # file-local N(a) macros
    if re.search(r"(?m)^#define N\(a\) \(*(\(int\))?\(*sizeof\(a\) / sizeof\(\(a\)\[0\]\)\)*$", s) or \
       re.search(r"(?m)^#define N\(a\) .*ARRAY_SIZE\(a\).*$", s):
        cast = "(int)" in re.search(r"(?m)^#define N\(a\).*$", s).group(0)
        s = re.sub(r"(?m)^#define N\(a\).*\n", "", s)
        s = re.sub(r"(?<![\w.>])N\(", "(int)ARRAY_SIZE(" if cast else "ARRAY_SIZE(", s)
    return s


for path in sys.argv[1:]:
    if path in SKIP:
        continue
    s = open(path).read()
    t = convert(s)
    if t != s:
        open(path, "w").write(t)
        print("converted", path)
