# SPDX-License-Identifier: GPL-2.0
"""The ABI as the C compiler sees it: the tests' one source of offsets.

Reads the structs and #defines of <linux/pktcraft.h> (and of <libpktcraft.h>
when asked), writes a C program that prints every struct's sizeof and every
member's offsetof and sizeof and every constant's value (the ioctl numbers
as _IOC() computes them), compiles it with gcc and runs it. Nothing here
knows an offset: a test that packs a request by hand asks this module.

    import uapi
    ABI = uapi.load()
    ABI.IOC_SEND, ABI.MAX_COUNT            # PKTCRAFT_IOC_SEND, ...
    ABI.req.size                            # sizeof(struct pktcraft_req)
    ABI.req.offset("count")                 # offsetof(struct pktcraft_req, count)
    ABI.req.pack_into(buf, "sport", 1111)   # width and sign from the header
    ABI.counters.names                      # the counters, "reserved" left out
    uapi.stat("packets")                    # a counter of the loaded module (sysfs)

The result is cached in build/uapi/ under the header's hash, so a guest (which
sees the tree read-only and may have no compiler) reads what the host built.
"""
import hashlib
import json
import os
import re
import struct as _struct
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
UAPI_DIR = os.path.join(TOP, "module", "uapi")
LIB_DIR = os.path.join(TOP, "userspace")


STATS_DIR = "/sys/class/misc/pktcraft/stats"


def stat(name):
    """The loaded module's counter @name, as sysfs shows it (GET_STATS' twin)."""
    with open(os.path.join(STATS_DIR, name)) as f:
        return int(f.read())


def _strip_comments(text):
    return re.sub(r"/\*.*?\*/", " ", text, flags=re.S)


def parse_structs(text):
    """{struct name: [(member, declared type, is_array), ...]} in order, for
    every `struct NAME { ... };` of a header; `T a, b;` gives two members."""
    out = {}
    for name, body in re.findall(r"^struct (\w+) \{(.*?)\n\};", text, re.S | re.M):
        members = []
        for decl in _strip_comments(body).split(";"):
            decl = " ".join(decl.split())
            if not decl or decl.startswith("#"):
                continue
            m = re.match(r"(.*?)(\**\s*\w+\s*(\[[^\]]*\])?)((\s*,\s*\**\s*\w+\s*(\[[^\]]*\])?)*)$", decl)
            ctype = m.group(1).strip()
            for d in [m.group(2)] + [x for x in m.group(4).split(",") if x.strip()]:
                dm = re.match(r"\s*(\**)\s*(\w+)\s*(\[[^\]]*\])?", d)
                members.append((dm.group(2), ctype + (" " + dm.group(1) if dm.group(1) else ""),
                                bool(dm.group(3))))
        out[name] = members
    return out


def parse_defines(text):
    """[(name, value text)] of every #define PKTCRAFT_* with a value."""
    return [(n, v.strip()) for n, v in
            re.findall(r"^#define[ \t]+(PKTCRAFT_\w+)[ \t]+(.+?)\s*$", _strip_comments(text), re.M)
            if v.strip()]


class Member:
    def __init__(self, name, ctype, is_array, offset, size, elem):
        self.name, self.ctype, self.offset, self.size = name, ctype, offset, size
        self.is_array = is_array
        self.elem = elem            # size of one element (of the whole member if not an array)
        self.count = size // elem if is_array else 1
        self.signed = bool(re.match(r"(__s\d+|s\d+|int\d+_t|(signed )?(int|long|short)\b)", ctype))

    def fmt(self):
        """The struct module's format of one element (integers only)."""
        letters = {1: "b", 2: "h", 4: "i", 8: "q"}
        if self.ctype.startswith("struct ") or "*" in self.ctype or self.elem not in letters:
            raise TypeError("%s (%s) is not an integer" % (self.name, self.ctype))
        c = letters[self.elem]
        return "<" + (c if self.signed else c.upper())


class Struct:
    def __init__(self, name, size, members):
        self.name, self.size, self.members = name, size, members   # members: {name: Member}, in order

    def __getitem__(self, name):
        return self.members[name]

    def offset(self, name, index=0):
        m = self.members[name]
        if index and not m.is_array:
            raise IndexError("%s.%s is not an array" % (self.name, name))
        if not 0 <= index < m.count:
            raise IndexError("%s.%s[%d]: %d elements" % (self.name, name, index, m.count))
        return m.offset + index * m.elem

    @property
    def names(self):
        """Member names in order, "reserved*" left out."""
        return [n for n in self.members if not n.startswith("reserved")]

    def pack_into(self, buf, name, value, base=0, index=0):
        """Writes an integer member (element index of an array) at base."""
        _struct.pack_into(self.members[name].fmt(), buf, base + self.offset(name, index), value)

    def unpack_from(self, buf, name, base=0, index=0):
        return _struct.unpack_from(self.members[name].fmt(), buf, base + self.offset(name, index))[0]

    def unpack_all(self, buf, name, base=0):
        """Every element of an integer array member, as a list."""
        m = self.members[name]
        return list(_struct.unpack_from("<%d%s" % (m.count, m.fmt()[1]), buf, base + m.offset))


class Abi:
    def __init__(self, data):
        self.data = data
        self.consts = data["consts"]            # full name -> int or str
        self.structs = {}
        for s, d in data["structs"].items():
            self.structs[s] = Struct(s, d["sizeof"], {
                n: Member(n, t, a, off, size, elem) for n, t, a, off, size, elem in d["members"]})

    def __getattr__(self, name):
        """ABI.IOC_SEND: PKTCRAFT_IOC_SEND; ABI.req: struct pktcraft_req."""
        consts, structs = self.__dict__.get("consts", {}), self.__dict__.get("structs", {})
        if "PKTCRAFT_" + name in consts:
            return consts["PKTCRAFT_" + name]
        if "pktcraft_" + name in structs:
            return structs["pktcraft_" + name]
        raise AttributeError(name)

    def const(self, name):
        return self.consts[name]


def _program(headers):
    structs, defines = {}, []
    for path in headers:
        with open(path) as f:
            text = f.read()
        structs.update(parse_structs(text))
        defines += parse_defines(text)
    prog = ["#include <stdio.h>", "#include <stddef.h>", "#include <stdint.h>"]
    prog += ["#include <%s>" % ("linux/pktcraft.h" if p.endswith("linux/pktcraft.h") else os.path.basename(p))
             for p in headers]
    prog.append("int main(void) {")
    for s, members in structs.items():
        prog.append('printf("sizeof %s %%zu\\n", sizeof(struct %s));' % (s, s))
        for n, _, is_array in members:
            m = "((struct %s *)0)->%s" % (s, n)
            prog.append('printf("member %s %s %%zu %%zu %%zu\\n", offsetof(struct %s, %s), sizeof(%s), sizeof(%s));'
                        % (s, n, s, n, m, m + ("[0]" if is_array else "")))
    for name, value in defines:
        if value.startswith('"') or name == "PKTCRAFT_LIB_VERSION":
            prog.append('printf("str %s %%s\\n", %s);' % (name, name))
        else:
            prog.append('printf("int %s %%llu\\n", (unsigned long long)(%s));' % (name, name))
    prog.append("return 0; }")
    return "\n".join(prog) + "\n", structs


def load(include=UAPI_DIR, lib_include=None, cache=True):
    """The ABI of include/linux/pktcraft.h (and lib_include/libpktcraft.h)."""
    headers = [os.path.join(include, "linux", "pktcraft.h")]
    if lib_include:
        headers.append(os.path.join(lib_include, "libpktcraft.h"))
    h = hashlib.sha256()
    for p in headers:
        with open(p, "rb") as f:
            h.update(p.encode() + b"\0" + f.read())
    with open(os.path.abspath(__file__), "rb") as f:
        h.update(f.read())
    cached = os.path.join(TOP, "build", "uapi", "abi-%s.json" % h.hexdigest()[:20])
    if cache and os.path.exists(cached):
        with open(cached) as f:
            return Abi(json.load(f))
    src, structs = _program(headers)
    with tempfile.TemporaryDirectory() as tmp:
        c, exe = os.path.join(tmp, "abi.c"), os.path.join(tmp, "abi")
        with open(c, "w") as f:
            f.write(src)
        incs = ["-I", include] + (["-I", lib_include] if lib_include else [])
        cc = subprocess.run(["gcc", "-Wall", "-Werror"] + incs + ["-o", exe, c], capture_output=True, text=True)
        if cc.returncode:
            raise RuntimeError("uapi: the layout program does not compile:\n" + cc.stderr[-3000:])
        out = subprocess.run([exe], capture_output=True, text=True, check=True).stdout
    data = {"headers": headers, "consts": {}, "structs": {}}
    types = {s: {n: (t, a) for n, t, a in ms} for s, ms in structs.items()}
    for line in out.splitlines():
        kind, rest = line.split(" ", 1)
        if kind == "sizeof":
            s, v = rest.split()
            data["structs"].setdefault(s, {"members": []})["sizeof"] = int(v)
        elif kind == "member":
            s, n, off, size, elem = rest.split()
            t, a = types[s][n]
            data["structs"][s]["members"].append([n, t, a, int(off), int(size), int(elem)])
        elif kind == "int":
            n, v = rest.split()
            data["consts"][n] = int(v)
        else:
            n, _, v = rest.partition(" ")
            data["consts"][n] = v
    if cache:
        try:
            os.makedirs(os.path.dirname(cached), exist_ok=True)
            tmpf = cached + ".%d" % os.getpid()
            with open(tmpf, "w") as f:
                json.dump(data, f)
            os.replace(tmpf, cached)
        except OSError:
            pass        # a read-only tree (a guest): computed every time
    return Abi(data)
