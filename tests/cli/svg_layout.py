#!/usr/bin/env python3
"""svg_layout.py - the layout rule of llmcost's charts, checked on an SVG
that gnuplot wrote: no text overlaps another text, none leaves the canvas.

usage: svg_layout.py [--list] FILE.svg...

Each <text> element is placed by its enclosing <g transform="translate(x,y)
[rotate(a)]">, with the font-size and text-anchor it inherits (gnuplot's
svg terminal writes them on that <g>).  Its box is estimated:

  width   the sum over its characters of WIDTH[ch] x font-size, where WIDTH
          is DejaVu Sans's advance width in em (the font gnuplot's svg and
          pngcairo terminals use here), grouped by character class; a
          character outside the table counts as 0.62 em
  height  from 0.74 em above the baseline (the cap height with a little
          room) to 0.20 em below it (descenders)

then rotated by the transform's angle.  Two boxes that overlap by more
than TOLERANCE pixels in both directions are a collision; a box that
reaches more than TOLERANCE pixels outside the canvas (the viewBox, else
width and height) is clipped.  gnuplot writes a boxed label twice at the
same place (the box, then the text): identical texts at the same place
count once.

Exit 0 when the layout is clean, 1 with one line per problem on stdout,
2 on a file that is not SVG.  --list prints every box (for diagnosis).
Python 3 standard library only.
"""
import math
import re
import sys
import xml.etree.ElementTree as ET

TOLERANCE = 1.0
ASCENT, DESCENT = 0.74, 0.20
DEFAULT_WIDTH = 0.62
# DejaVu Sans advance widths in em, by class (rounded up to the class's widest)
_CLASSES = [
    ("iljI.,:;'|!", 0.34),
    ("frt()[]{}-/\\` ", 0.42),
    ("\"*", 0.50),
    ("sczJ", 0.56),
    ("kvxy?^_~", 0.60),
    ("abdeghnopquL0123456789$#+<=>", 0.64),
    ("FETZ", 0.70),
    ("ABCKPRSVXY&", 0.72),
    ("DGHNOQU", 0.79),
    ("wm%", 0.98),
    ("MW@", 1.00),
]
WIDTH = {ch: w for chars, w in _CLASSES for ch in chars}

SVG = "{http://www.w3.org/2000/svg}"


def text_width(s, size):
    return sum(WIDTH.get(ch, DEFAULT_WIDTH) for ch in s) * size


def parse_transform(t):
    """(x, y, angle in degrees) of 'translate(x,y) rotate(a)'."""
    x = y = a = 0.0
    m = re.search(r"translate\(\s*([-\d.eE]+)[ ,]+([-\d.eE]+)\s*\)", t or "")
    if m:
        x, y = float(m.group(1)), float(m.group(2))
    m = re.search(r"rotate\(\s*([-\d.eE]+)", t or "")
    if m:
        a = float(m.group(1))
    return x, y, a


def font_size(v):
    m = re.match(r"\s*([\d.]+)", v or "")
    return float(m.group(1)) if m else None


def boxes(root):
    """Every non-empty text's (text, x0, y0, x1, y1), deduplicated."""
    out, seen = [], set()

    def walk(el, x, y, a, size, anchor):
        tr = el.get("transform")
        if tr:
            dx, dy, da = parse_transform(tr)
            x, y, a = x + dx, y + dy, a + da
        size = font_size(el.get("font-size")) or size
        m = re.search(r"font-size:\s*([\d.]+)", el.get("style") or "")
        if m:
            size = float(m.group(1))
        anchor = el.get("text-anchor") or anchor
        if el.tag == SVG + "text":
            s = "".join(el.itertext()).strip("\n")
            if s.strip():
                key = (s, round(x, 1), round(y, 1), size, anchor, a)
                if key not in seen:
                    seen.add(key)
                    out.append((s,) + box(s, x, y, a, size, anchor))
            return
        for child in el:
            walk(child, x, y, a, size, anchor)

    walk(root, 0.0, 0.0, 0.0, 12.0, "start")
    return out


def box(s, x, y, angle, size, anchor):
    w = text_width(s, size)
    left = {"start": 0.0, "middle": -w / 2, "end": -w}.get(anchor, 0.0)
    corners = [(left, -ASCENT * size), (left + w, -ASCENT * size),
               (left, DESCENT * size), (left + w, DESCENT * size)]
    r = math.radians(angle)
    pts = [(x + cx * math.cos(r) - cy * math.sin(r), y + cx * math.sin(r) + cy * math.cos(r))
           for cx, cy in corners]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return min(xs), min(ys), max(xs), max(ys)


def canvas(root):
    vb = root.get("viewBox")
    if vb:
        v = [float(t) for t in vb.replace(",", " ").split()]
        return v[0], v[1], v[0] + v[2], v[1] + v[3]
    return 0.0, 0.0, font_size(root.get("width")), font_size(root.get("height"))


def check(path, listing):
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as e:
        print("%s: not SVG: %s" % (path, e))
        sys.exit(2)
    if root.tag != SVG + "svg":
        print("%s: not SVG: the root is %s" % (path, root.tag))
        sys.exit(2)
    cx0, cy0, cx1, cy1 = canvas(root)
    bs = boxes(root)
    problems = []
    for b in bs:
        if listing:
            print("%s: box %.1f,%.1f %.1f,%.1f %r" % (path, b[1], b[2], b[3], b[4], b[0]))
        if (b[1] < cx0 - TOLERANCE or b[2] < cy0 - TOLERANCE or b[3] > cx1 + TOLERANCE
                or b[4] > cy1 + TOLERANCE):
            problems.append("%s: outside the canvas: %r at %.0f,%.0f..%.0f,%.0f"
                            % (path, b[0], b[1], b[2], b[3], b[4]))
    for i in range(len(bs)):
        for j in range(i + 1, len(bs)):
            a, b = bs[i], bs[j]
            ox = min(a[3], b[3]) - max(a[1], b[1])
            oy = min(a[4], b[4]) - max(a[2], b[2])
            if ox > TOLERANCE and oy > TOLERANCE:
                problems.append("%s: overlap: %r at %.0f,%.0f and %r at %.0f,%.0f"
                                % (path, a[0], a[1], a[2], b[0], b[1], b[2]))
    return problems


def main(argv):
    listing = "--list" in argv
    files = [a for a in argv if a != "--list"]
    if not files:
        print(__doc__.split("\n")[2])
        return 2
    problems = []
    for f in files:
        problems += check(f, listing)
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
