#!/usr/bin/env python3
"""xalloc.py - the mechanical part of the out-of-memory conversion (h-habits).

Run from the top of the tree:
    python3 xalloc.py $(git ls-files 'lib/*.c' 'pricing/*.c' 'ingest/*.c' 'report/*.c' 'cmd/*.c')
Idempotent.  In every file given (lib/xalloc.c excepted):
 1. malloc( calloc( realloc( strdup( strndup(  ->  xmalloc( xcalloc( ...
    (not sqlite3_malloc, cJSON_malloc, ...: only the bare names)
 2. drops the NULL checks they made dead:
    a. `if (!(V = xALLOC(...)))` + one statement or a { block }  ->  `V = xALLOC(...);`
    b. after a run of statements `V = xALLOC(...);` / `T *V = xALLOC(...);`
       (blank lines and statements without a call allowed between them), an `if (!V1 || !V2 ...)` naming only those V's,
       + one statement or a { block } with no else  ->  removed
    c. a label (`oom:`) that only those branches jumped to, with its
       "out of memory" line
    d. the same test inside a larger condition is left alone: the script
       prints each remaining "out of memory" line for review by hand.
"""
import re, sys

ALLOC = r"x(?:malloc|calloc|realloc|strdup|strndup)"


def block_end(lines, i):
    """lines[i] is an `if (...)` line; index after its statement, or None"""
    line = lines[i]
    if line.rstrip().endswith("{"):
        ind = re.match(r"[ \t]*", line).group(0)
        for j in range(i + 1, len(lines)):
            if lines[j].startswith(ind + "}"):
                if lines[j].strip() != "}":  # "} else ..." : keep
                    return None
                return j + 1
        return None
    # one statement on the next line(s), ending with ';' at the first depth
    j = i + 1
    while j < len(lines):
        if lines[j].rstrip().endswith(";"):
            if j + 1 < len(lines) and re.match(r"[ \t]*else\b", lines[j + 1]):
                return None
            return j + 1
        j += 1
    return None


def convert(s):
    s = re.sub(r"(?<![\w.>])(malloc|calloc|realloc|strdup|strndup)\(", r"x\1(", s)
    lines = s.split("\n")
    out = []
    i = 0
    assigned = []  # variables x-allocated by the statements just before
    while i < len(lines):
        line = lines[i]
        # a. if (!(V = xalloc(...))) STATEMENT
        m = re.match(r"([ \t]*)if \(!\((\S+) = (" + ALLOC + r"\(.*\))\)\)( \{)?$", line)
        if m:
            end = block_end(lines, i)
            if end is not None:
                out.append("%s%s = %s;" % (m.group(1), m.group(2), m.group(3)))
                assigned = [m.group(2)]
                i = end
                continue
        m = re.match(r"[ \t]*(?:[\w\s\*]+?[\s\*])?(\**[\w>.\-\[\]]+) = " + ALLOC + r"\(.*;$", line)
        if not m:
            m = re.match(r"[ \t]*[\w\s]+\(\*(\w+)\)\[[^\]]*\] = " + ALLOC + r"\(.*;$", line)
        if m:
            assigned.append(m.group(1).lstrip("*"))
            out.append(line)
            i += 1
            continue
        # blank lines and plain statements without a call keep the run going
        if assigned and (line.strip() == "" or
                         ("(" not in line and re.match(r"[ \t]*[^{}]*;[ \t]*(/\*.*\*/)?$", line))):
            out.append(line)
            i += 1
            continue
        # b. if (!V || !W) STATEMENT right after those allocations
        m = re.match(r"[ \t]*if \((.*)\)( \{)?$", line)
        if m and assigned:
            names = [t.strip() for t in m.group(1).split("||")]
            if all(n.startswith("!") and n[1:] in assigned for n in names):
                end = block_end(lines, i)
                if end is not None:
                    # drop the blank line left between the allocation and the if
                    if out and out[-1].strip() == "" and (end >= len(lines) or lines[end].strip() == "" or lines[end].strip() == "}"):
                        out.pop()
                    i = end
                    assigned = []
                    continue
        assigned = []
        out.append(line)
        i += 1
    s = "\n".join(out)
    # a label only out-of-memory branches jumped to, with its message line
    for lab in set(re.findall(r"(?m)^(\w+):\n\t+[^\n]*out of memory[^\n]*;\n", s)):
        if not re.search(r"goto %s;" % lab, s):
            s = re.sub(r"(?m)^%s:\n\t+[^\n]*out of memory[^\n]*;\n" % lab, "", s)
    return s


for path in sys.argv[1:]:
    if path in ("lib/xalloc.c",):
        continue
    s = open(path).read()
    # lib/table.c had its own exiting strdup: the shared one replaces it
    s = re.sub(r"\nstatic char \*xstrdup\(const char \*s\)\n\{\n\tchar \*d = strdup\(s\);\n\n"
               r"\tif \(!d\) \{\n[^}]*\}\n\treturn d;\n\}\n", "\n", s)
    t = convert(s)
    if t != s:
        open(path, "w").write(t)
        print("converted", path)
for path in sys.argv[1:]:
    for n, line in enumerate(open(path), 1):
        if "out of memory" in line:
            print("review: %s:%d: %s" % (path, n, line.strip()))
