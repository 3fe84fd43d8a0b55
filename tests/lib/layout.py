#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The Python binding's ctypes structs mirror the C ones exactly.

Reads the struct definitions from linux/pktcraft.h (the installed copy when
--include DIR is given), generates a C program printing sizeof and every
member's offsetof and size, compiles and runs it, and compares with
pktcraft.Request, Vary, Counters and Stats: same member names in the same
order, same offsets, sizes, and the header's PKTCRAFT_*_SIZE_* constants.
Prints PASS:/FAIL: lines."""
import argparse
import ctypes
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))

failed = 0


def check(ok, name, detail=""):
    global failed
    print("%s: %s%s" % ("PASS" if ok else "FAIL", name, "" if ok or not detail else ": " + detail), flush=True)
    failed |= not ok


def c_members(header, struct):
    """Member names of `struct NAME { ... };`, in order."""
    m = re.search(r"struct %s \{(.*?)\n\};" % struct, header, re.S)
    if not m:
        return None
    body = re.sub(r"/\*.*?\*/", "", m.group(1), flags=re.S)
    names = []
    for decl in body.split(";"):
        decl = decl.strip()
        if not decl:
            continue
        names.append(re.match(r".*?(\w+)\s*(\[[^\]]*\])?$", decl, re.S).group(1))
    return names


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--include", default=os.path.join(TOP, "module", "uapi"),
                    help="directory holding linux/pktcraft.h")
    ap.add_argument("--python", default=os.path.join(TOP, "python"),
                    help="directory holding the pktcraft package")
    args = ap.parse_args()
    sys.path.insert(0, args.python)
    import pktcraft

    with open(os.path.join(args.include, "linux", "pktcraft.h")) as f:
        header = f.read()
    mirrors = {"pktcraft_req": pktcraft.Request, "pktcraft_vary": pktcraft.Vary,
               "pktcraft_counters": pktcraft.Counters, "pktcraft_stats": pktcraft.Stats}
    structs = re.findall(r"^struct (\w+) \{", header, re.M)
    missing = [s for s in structs if s not in mirrors and s != "pktcraft_build"]
    check(not missing, "python layout: every struct of linux/pktcraft.h a binding needs is mirrored",
          "not mirrored: %s" % missing)

    members = {s: c_members(header, s) for s in mirrors}
    prog = ["#include <stdio.h>", "#include <stddef.h>", "#include <linux/pktcraft.h>", "int main(void) {"]
    for s, names in members.items():
        if names is None:
            continue
        prog.append('printf("%s sizeof %%zu\\n", sizeof(struct %s));' % (s, s))
        for n in names:
            prog.append('printf("%s %s %%zu %%zu\\n", offsetof(struct %s, %s), sizeof(((struct %s *)0)->%s));'
                        % (s, n, s, n, s, n))
    consts = re.findall(r"^#define (PKTCRAFT_\w+_SIZE_\w+)\s", header, re.M)
    for c in consts:
        prog.append('printf("const %s %%zu\\n", (size_t)%s);' % (c, c))
    prog.append("return 0; }")
    with tempfile.TemporaryDirectory() as tmp:
        src, exe = os.path.join(tmp, "layout.c"), os.path.join(tmp, "layout")
        with open(src, "w") as f:
            f.write("\n".join(prog) + "\n")
        cc = subprocess.run(["gcc", "-Wall", "-Werror", "-I", args.include, "-o", exe, src],
                            capture_output=True, text=True)
        if cc.returncode:
            check(False, "python layout: the C layout program compiles", cc.stderr[-2000:])
            return 1
        out = subprocess.run([exe], capture_output=True, text=True, check=True).stdout
    c = {}
    for line in out.splitlines():
        parts = line.split()
        if parts[0] == "const":
            c[("const", parts[1])] = int(parts[2])
        elif parts[1] == "sizeof":
            c[(parts[0], "sizeof")] = int(parts[2])
        else:
            c[(parts[0], parts[1])] = (int(parts[2]), int(parts[3]))

    for s, cls in mirrors.items():
        names = members[s]
        if names is None:
            check(False, "python layout: struct %s is in linux/pktcraft.h" % s)
            continue
        py_names = [n for n, _ in cls._fields_]
        bad = []
        if py_names != names:
            bad.append("members %s, C has %s" % (py_names, names))
        for n, _ in cls._fields_:
            if (s, n) not in c:
                continue
            field = getattr(cls, n)
            if (field.offset, field.size) != c[(s, n)]:
                bad.append("%s at %d size %d, C: at %d size %d" % ((n, field.offset, field.size) + c[(s, n)]))
        if ctypes.sizeof(cls) != c[(s, "sizeof")]:
            bad.append("sizeof %d, C: %d" % (ctypes.sizeof(cls), c[(s, "sizeof")]))
        check(not bad, "python layout: pktcraft.%s mirrors struct %s (%d members, %d bytes)"
              % (cls.__name__, s, len(names), c[(s, "sizeof")]), "; ".join(bad))

    # The header's size constants, newest version of each struct.
    newest = {}
    for (kind, name), v in c.items():
        if kind == "const":
            m = re.match(r"PKTCRAFT_(\w+)_SIZE_VER(\d+)$", name)
            if m and int(m.group(2)) >= newest.get(m.group(1), (-1, 0))[0]:
                newest[m.group(1)] = (int(m.group(2)), v)
    for key, s in (("REQ", "pktcraft_req"), ("STATS", "pktcraft_stats")):
        if key in newest:
            ver, size = newest[key]
            cls = mirrors[s]
            check(ctypes.sizeof(cls) == size and getattr(pktcraft, "%s_SIZE_VER%d" % (key, ver), None) == size,
                  "python layout: sizeof(pktcraft.%s) == PKTCRAFT_%s_SIZE_VER%d (%d)" % (cls.__name__, key, ver, size),
                  "ctypes %d, pktcraft.%s_SIZE_VER%d = %r" % (ctypes.sizeof(cls), key, ver,
                                                          getattr(pktcraft, "%s_SIZE_VER%d" % (key, ver), None)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
