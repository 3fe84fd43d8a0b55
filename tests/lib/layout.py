#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The Python binding's ctypes structs and constants mirror the C ones exactly.

Takes the C side from tests/lib/uapi.py (the tests' one ABI module: gcc's
sizeof and offsetof of every struct and the value of every #define of
linux/pktcraft.h and libpktcraft.h, the installed copies when --include and
--lib-include are given) and compares with
pktcraft.Request, Vary, Ext, Stats and Sndbuf: same member names in the same
order (Counters: its size; its names are the library's), same offsets, sizes, and the header's PKTCRAFT_*_SIZE_* constants.
Then every constant of the header (each #define PKTCRAFT_X, the ioctl
numbers included) against pktcraft.X, libpktcraft.h's own against theirs,
the option table's structs and type numbers against the binding's private
mirrors, and the counter names of the header, the library
(pktcraft_counter_name) and the binding. Prints PASS:/FAIL: lines."""
import argparse
import ctypes
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))

failed = 0


def check(ok, name, detail=""):
    global failed
    print("%s: %s%s" % ("PASS" if ok else "FAIL", name, "" if ok or not detail else ": " + detail), flush=True)
    failed |= not ok


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
    sys.path.insert(0, HERE)
    import pktcraft

    import uapi
    abi = uapi.load(args.include, args.lib_include)
    mirrors = {"pktcraft_req": pktcraft.Request, "pktcraft_vary": pktcraft.Vary, "pktcraft_ext": pktcraft.Ext,
               "pktcraft_fate": pktcraft.Fate, "pktcraft_drop_count": pktcraft.DropCount,
               "pktcraft_counters": pktcraft.Counters, "pktcraft_stats": pktcraft.Stats,
               "pktcraft_sndbuf": pktcraft.Sndbuf}
    with open(os.path.join(args.include, "linux", "pktcraft.h")) as f:
        uapi_structs = uapi.parse_structs(f.read())
    # BUILD and SEND_BATCH go through libpktcraft, which fills their structs.
    missing = [s for s in uapi_structs if s not in mirrors and s not in ("pktcraft_build", "pktcraft_batch")]
    check(not missing, "python layout: every struct of linux/pktcraft.h a binding needs is mirrored",
          "not mirrored: %s" % missing)
    # Every constant of both headers: the uapi's, libpktcraft.h's own numbers,
    # the option table's (private to the binding: _T_*, _OPTF_*) and strings.
    with open(os.path.join(args.lib_include, "libpktcraft.h")) as f:
        lib_defines = [n for n, _ in uapi.parse_defines(f.read())]
    defines = []
    for name, value in abi.consts.items():
        if name.startswith(("PKTCRAFT_OPT", "PKTCRAFT_OPTF_", "PKTCRAFT_OPTSET_")) and name in lib_defines:
            defines.append((name, "opt"))
        elif isinstance(value, str):
            defines.append((name, "str"))
        else:
            defines.append((name, "lib" if name in lib_defines else "uapi"))
    defs = {n: str(v) for n, v in abi.consts.items()}

    def compare(cls, s):
        """A ctypes struct against struct s as gcc lays it out: problems."""
        st = abi.structs.get(s)
        if st is None:
            return ["struct %s is not in the headers" % s]
        bad = []
        py_names = [n for n, _ in cls._fields_]
        if py_names != list(st.members):
            bad.append("members %s, C has %s" % (py_names, list(st.members)))
        for n in py_names:
            if n in st.members:
                f, m = getattr(cls, n), st[n]
                if (f.offset, f.size) != (m.offset, m.size):
                    bad.append("%s at %d size %d, C: at %d size %d" % (n, f.offset, f.size, m.offset, m.size))
        if ctypes.sizeof(cls) != st.size:
            bad.append("sizeof %d, C: %d" % (ctypes.sizeof(cls), st.size))
        return bad

    # Counters: one array of slots, named by the library (checked below).
    counters = abi.structs.get("pktcraft_counters")
    check(counters is not None and
          pktcraft.Counters.slots.offset == 0 and ctypes.sizeof(pktcraft.Counters) == counters.size,
          "python layout: pktcraft.Counters covers struct pktcraft_counters (%d bytes)"
          % (counters.size if counters else 0), "ctypes %d" % ctypes.sizeof(pktcraft.Counters))
    del mirrors["pktcraft_counters"]
    for s, cls in mirrors.items():
        check(not compare(cls, s), "python layout: pktcraft.%s mirrors struct %s (%d members, %d bytes)"
              % (cls.__name__, s, len(abi.structs[s].members) if s in abi.structs else 0,
                 abi.structs[s].size if s in abi.structs else 0), "; ".join(compare(cls, s)))

    # The header's size constants, newest version of each struct.
    newest = {}
    for name, v in abi.consts.items():
        m = re.match(r"PKTCRAFT_(\w+)_SIZE_VER(\d+)$", name)
        if m and int(m.group(2)) >= newest.get(m.group(1), (-1, 0))[0]:
            newest[m.group(1)] = (int(m.group(2)), v)
    # Every constant, by its name without PKTCRAFT_ (the option table's
    # type and flag numbers are private to the binding: _T_*, _OPTF_*).
    bad, n = [], 0
    opt_types = {"PKTCRAFT_OPT_T_" + k[3:]: v for k, v in vars(pktcraft).items() if k.startswith("_T_")}
    opt_flags = {"PKTCRAFT_OPTF_" + k[6:]: v for k, v in vars(pktcraft).items() if k.startswith("_OPTF_")}
    for name, kind in defines:
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
    for s_name, cls in (("pktcraft_opt", pktcraft._Opt), ("pktcraft_malformation", pktcraft._Malformation),
                       ("pktcraft_reply", pktcraft.Reply)):
        bad = compare(cls, s_name)
        check(not bad, "python layout: pktcraft.%s mirrors struct %s of libpktcraft.h" % (cls.__name__, s_name),
              "; ".join(bad))
    lib_names = []
    while pktcraft._lib().pktcraft_counter_name(len(lib_names)):
        lib_names.append(pktcraft._lib().pktcraft_counter_name(len(lib_names)).decode())
    header_names = abi.counters.names
    py_names = list(pktcraft.Counters().to_dict())
    check(lib_names == header_names == py_names,
          "counter names: the header's, the library's (pktcraft_counter_name) and the binding's agree (%d)"
          % len(header_names), "header %s library %s python %s" % (header_names, lib_names, py_names))

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
