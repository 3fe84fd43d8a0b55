#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""tests/unit/links.py [FILE...]: every relative link in the Markdown files
(default: README.md and docs/*.md) must name a file or directory of the tree,
and a #fragment on a Markdown file must name one of its headings (GitHub's
anchors). Links inside code blocks and code spans are not links. Prints each
broken link as FILE:LINE: TARGET: why; exits 1 if there is one."""
import glob
import os
import re
import sys

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


def prose(path):
    """(line number, text) of the lines outside fenced blocks, code spans blanked."""
    fence = None
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            m = re.match(r"\s*(```|~~~)", line)
            if m:
                fence = None if fence == m.group(1) else (fence or m.group(1))
                continue
            if fence is None:
                yield n, re.sub(r"`[^`]*`", "``", line)


def anchors(path):
    """GitHub's anchors of a Markdown file's headings."""
    seen, out = {}, set()
    for _, line in prose(path):
        m = re.match(r"#{1,6}\s+(.*?)\s*#*\s*$", line)
        if not m:
            continue
        slug = re.sub(r"[^\w\- ]", "", m.group(1).replace("``", "").lower()).replace(" ", "-")
        k = seen.get(slug, 0)
        seen[slug] = k + 1
        out.add(slug if k == 0 else "%s-%d" % (slug, k))
    return out


def check(path):
    bad = []
    for n, line in prose(path):
        for target in LINK.findall(line):
            if re.match(r"[a-z][a-z0-9+.-]*:", target, re.I):   # http:, mailto: ...
                continue
            file, _, frag = target.partition("#")
            dest = os.path.normpath(os.path.join(os.path.dirname(path), file)) if file else path
            if not os.path.exists(dest):
                bad.append((n, target, "no such file"))
            elif not os.path.abspath(dest).startswith(TOP + os.sep):
                bad.append((n, target, "outside the tree"))
            elif frag and dest.endswith(".md") and frag not in anchors(dest):
                bad.append((n, target, "no heading #%s in %s" % (frag, os.path.relpath(dest, TOP))))
    return bad


def main():
    os.chdir(TOP)
    files = sys.argv[1:] or ["README.md"] + sorted(glob.glob("docs/*.md"))
    broken = 0
    for path in files:
        for n, target, why in check(path):
            print("%s:%d: %s: %s" % (path, n, target, why))
            broken += 1
    print("%d files, %d broken links" % (len(files), broken))
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
