#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The Python binding's ctypes structs and constants mirror the C ones exactly.

Reads the struct definitions from linux/pktcraft.h (the installed copy when
--include DIR is given), generates a C program printing sizeof and every
member's offsetof and size, compiles and runs it, and compares with
pktcraft.Request, Vary, Counters and Stats: same member names in the same
order, same offsets, sizes, and the header's PKTCRAFT_*_SIZE_* constants.
Then every constant of the header (each #define PKTCRAFT_X, the ioctl
numbers included) against pktcraft.X, libpktcraft.h's own against theirs,
the option table's structs and type numbers against the binding's private
mirrors, and the counter names of the header, the library
(pktcraft_counter_name) and the binding. Prints PASS:/FAIL: lines."""
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
    ap.add_argument("--lib-include", default=os.path.join(TOP, "userspace"),
                    help="directory holding libpktcraft.h (default: the source tree's)")
    args = ap.parse_args()
    sys.path.insert(0, args.python)
    import pktcraft

    with open(os.path.join(args.include, "linux", "pktcraft.h")) as f:
        header = f.read()
    mirrors = {"pktcraft_req": pktcraft.Request, "pktcraft_vary": pktcraft.Vary,
               "pktcraft_counters": pktcraft.Counters, "pktcraft_stats": pktcraft.Stats,
               "pktcraft_sndbuf": pktcraft.Sndbuf}
    structs = re.findall(r"^struct (\w+) \{", header, re.M)
    missing = [s for s in structs if s not in mirrors and s != "pktcraft_build"]
    check(not missing, "python layout: every struct of linux/pktcraft.h a binding needs is mirrored",
          "not mirrored: %s" % missing)

    members = {s: c_members(header, s) for s in mirrors}
    prog = ["#include <stdio.h>", "#include <stddef.h>", "#include <linux/pktcraft.h>",
            "#include <libpktcraft.h>", "int main(void) {"]
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
    # Every constant of the header, and libpktcraft.h's own numbers.
    with open(os.path.join(args.lib_include, "libpktcraft.h")) as f:
        libheader = f.read()
    defines = []
    for text, origin in ((header, "uapi"), (libheader, "lib")):
        for name, value in re.findall(r"^#define (PKTCRAFT_\w+)[ \t]+(.+)$", text, re.M):
            if name.startswith(("PKTCRAFT_OPT", "PKTCRAFT_OPTF_", "PKTCRAFT_OPTSET_")) and origin == "lib":
                defines.append((name, "opt"))
            elif name in ("PKTCRAFT_LIB_VERSION",) or value.strip().startswith('"'):
                defines.append((name, "str"))
            else:
                defines.append((name, origin))
    for name, kind in defines:
        if kind == "str":
            prog.append('printf("define %s %%s\\n", %s);' % (name, name))
        else:
            prog.append('printf("define %s %%llu\\n", (unsigned long long)(%s));' % (name, name))
    for s_name, names in (("pktcraft_opt", [n for n, _ in pktcraft._Opt._fields_]),
                          ("pktcraft_malformation", [n for n, _ in pktcraft._Malformation._fields_])):
        prog.append('printf("%s sizeof %%zu\\n", sizeof(struct %s));' % (s_name, s_name))
        for n in names:
            prog.append('printf("%s %s %%zu %%zu\\n", offsetof(struct %s, %s), sizeof(((struct %s *)0)->%s));'
                        % (s_name, n, s_name, n, s_name, n))
    prog.append("return 0; }")
    with tempfile.TemporaryDirectory() as tmp:
        src, exe = os.path.join(tmp, "layout.c"), os.path.join(tmp, "layout")
        with open(src, "w") as f:
            f.write("\n".join(prog) + "\n")
        cc = subprocess.run(["gcc", "-Wall", "-Werror", "-I", args.include, "-I", args.lib_include, "-o", exe, src],
                            capture_output=True, text=True)
        if cc.returncode:
            check(False, "python layout: the C layout program compiles", cc.stderr[-2000:])
            return 1
        out = subprocess.run([exe], capture_output=True, text=True, check=True).stdout
    c, defs = {}, {}
    for line in out.splitlines():
        parts = line.split()
        if parts[0] == "define":
            defs[parts[1]] = parts[2] if len(parts) > 2 else ""
        elif parts[0] == "const":
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
    # Every constant, by its name without PKTCRAFT_ (the option table's
    # type and flag numbers are private to the binding: _T_*, _OPTF_*).
    bad, n = [], 0
    opt_types = {"PKTCRAFT_OPT_T_" + k[3:]: v for k, v in vars(pktcraft).items() if k.startswith("_T_")}
    opt_flags = {"PKTCRAFT_OPTF_" + k[6:]: v for k, v in vars(pktcraft).items() if k.startswith("_OPTF_")}
    for name, kind in defines:
        if name == "_UAPI_LINUX_PKTCRAFT_H":
            continue
        got = defs.get(name)
        if kind == "opt":
            if name in opt_types or name in opt_flags:
                n += 1
                want = opt_types.get(name, opt_flags.get(name))
                if str(want) != got:
                    bad.append("%s = %s, the binding has %r" % (name, got, want))
            elif name.startswith("PKTCRAFT_OPT_T_"):
                bad.append("%s = %s: no _T_%s in the binding" % (name, got, name[15:]))
            continue
        n += 1
        py = name[len("PKTCRAFT_"):]
        if name == "PKTCRAFT_LIB_VERSION":
            py, want = "__version__", pktcraft.__version__
        else:
            want = getattr(pktcraft, py, None)
        if want is None or str(want) != got:
            bad.append("%s = %s, pktcraft.%s = %r" % (name, got, py, want))
    check(not bad and n > 40, "python constants: all %d #defines of linux/pktcraft.h and libpktcraft.h "
          "(flags, kinds, limits, sizes, ioctl numbers, version) equal the binding's" % n, "; ".join(bad))
    for s_name, cls in (("pktcraft_opt", pktcraft._Opt), ("pktcraft_malformation", pktcraft._Malformation)):
        bad = ["%s at %d size %d, C: at %d size %d" % ((f, getattr(cls, f).offset, getattr(cls, f).size)
                                                       + c[(s_name, f)])
               for f, _ in cls._fields_ if (getattr(cls, f).offset, getattr(cls, f).size) != c[(s_name, f)]]
        if ctypes.sizeof(cls) != c[(s_name, "sizeof")]:
            bad.append("sizeof %d, C: %d" % (ctypes.sizeof(cls), c[(s_name, "sizeof")]))
        check(not bad, "python layout: pktcraft.%s mirrors struct %s of libpktcraft.h" % (cls.__name__, s_name),
              "; ".join(bad))
    lib_names = []
    while pktcraft._lib().pktcraft_counter_name(len(lib_names)):
        lib_names.append(pktcraft._lib().pktcraft_counter_name(len(lib_names)).decode())
    header_names = [m for m in members["pktcraft_counters"] if m != "reserved"]
    check(lib_names == header_names == list(pktcraft._COUNTERS),
          "counter names: the header's, the library's (pktcraft_counter_name) and the binding's agree (%d)"
          % len(header_names), "header %s library %s python %s" % (header_names, lib_names, pktcraft._COUNTERS))

    for key, s in (("REQ", "pktcraft_req"), ("STATS", "pktcraft_stats"), ("SNDBUF", "pktcraft_sndbuf")):
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
