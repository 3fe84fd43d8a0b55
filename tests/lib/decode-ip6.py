#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The frame decoder on IPv6, judged by scapy (host only, no module).

Every frame here is built by scapy, not by pktcraft; every expected value is
what scapy reads back from those bytes (dissecting them again) or computes
(its in6_chksum: the checksums, with a Routing header's final destination
and a Home Address option's address in the pseudo-header): nothing is
copied from the decoder's own output. Each frame goes through
pktcraft_dump_json() (and the text printer, which must flag the same), then
the IPv6 header, every extension header (kind, next header, Hdr Ext Len,
options, routing type, segments, fragment fields) and the layer 4 header are
compared with scapy's dissection, the checksum's verdict with scapy's
recomputed checksum, and the "malformed" list with what the case breaks;
tshark, a second judge, validates the same checksums (its checksum.status)
and must agree with every verdict.
With the request known (pktcraft_dump_json_req(), a struct pktcraft_req and
its struct pktcraft_ext array packed at gcc's offsets by tests/lib/uapi.py),
the padding pktcraft adds is labelled and forced values are flagged.

    tests/lib/decode-ip6.py          (PKTCRAFT_LIB=path: another library)

Prints PASS:/FAIL: lines; exits 1 when one failed.
"""
import ctypes
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(TOP, "tests", "e2e"))
import uapi  # noqa: E402
from pcaplib import write_pcap  # noqa: E402

import logging  # noqa: E402
logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
from scapy.all import (Ether, IPv6, TCP, UDP, Raw, IPv6ExtHdrHopByHop,  # noqa: E402
                       IPv6ExtHdrDestOpt, IPv6ExtHdrRouting, IPv6ExtHdrFragment,
                       IPv6ExtHdrSegmentRouting, PadN, Pad1, RouterAlert, HAO, Jumbo,
                       HBHOptUnknown, ICMPv6EchoRequest, ICMPv6EchoReply, ICMPv6DestUnreach,
                       ICMPv6PacketTooBig, ICMPv6TimeExceeded, ICMPv6ParamProblem,
                       ICMPv6ND_NS, ICMPv6ND_NA, ICMPv6ND_RS, ICMPv6ND_RA, in6_chksum)

failed = 0
ABI = uapi.load()
LIB = ctypes.CDLL(os.environ.get("PKTCRAFT_LIB", os.path.join(TOP, "build", "user", "libpktcraft.so")))
LIBC = ctypes.CDLL(None)
LIBC.open_memstream.restype = ctypes.c_void_p
LIBC.open_memstream.argtypes = [ctypes.POINTER(ctypes.c_char_p), ctypes.POINTER(ctypes.c_size_t)]
LIBC.fclose.argtypes = [ctypes.c_void_p]
LIBC.free.argtypes = [ctypes.c_void_p]
for name in ("pktcraft_dump_json_req", "pktcraft_dump_text_req"):
    getattr(LIB, name).restype = None
LIB.pktcraft_dump_json_req.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int,
                                       ctypes.c_void_p]
LIB.pktcraft_dump_text_req.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_void_p]
LIB.pktcraft_req_init.argtypes = [ctypes.c_void_p]
LIB.pktcraft_req_set_l4.argtypes = [ctypes.c_void_p, ctypes.c_int]

SRC, DST = "2001:db8:1::1", "2001:db8:2::2"
ETH = Ether(dst="02:00:00:00:00:02", src="02:00:00:00:00:01")
EXT_CLASSES = {IPv6ExtHdrHopByHop: "hbh", IPv6ExtHdrDestOpt: "dst", IPv6ExtHdrRouting: "rt",
               IPv6ExtHdrSegmentRouting: "rt", IPv6ExtHdrFragment: "frag"}


def check(ok, name, detail=""):
    global failed
    print("%s: decode-ip6: %s%s" % ("PASS" if ok else "FAIL", name, "" if ok or not detail else " (%s)" % detail),
          flush=True)
    failed |= not ok


def printed(fn, *args):
    buf, n = ctypes.c_char_p(), ctypes.c_size_t()
    f = LIBC.open_memstream(ctypes.byref(buf), ctypes.byref(n))
    fn(f, *args)
    LIBC.fclose(f)
    text = ctypes.string_at(buf, n.value).decode()
    LIBC.free(buf)
    return text


def decode(raw, req=None):
    """(JSON object, text) of the frame, with the request when given."""
    js = printed(LIB.pktcraft_dump_json_req, raw, len(raw), 0, req)
    text = printed(LIB.pktcraft_dump_text_req, raw, len(raw), req)
    return json.loads(js), text


def l4_of(pkt):
    """The layer 4 layer of a scapy packet (after its extension headers), its
    key in our JSON, its checksum field."""
    p = pkt.getlayer(IPv6).payload
    while type(p) in EXT_CLASSES:
        p = p.payload
    if isinstance(p, TCP):
        return p, "tcp", "chksum"
    if isinstance(p, UDP):
        return p, "udp", "chksum"
    if type(p).__name__.startswith("ICMPv6"):
        return p, "icmpv6", "cksum"
    return None, None, None


def correct_csum(raw, link, key):
    """scapy's own checksum for the layer 4 header of these bytes."""
    p = (Ether if link else IPv6)(raw)
    layer, _, fld = l4_of(p)
    setattr(layer, fld, None)
    return getattr(l4_of((Ether if link else IPv6)(bytes(p)))[0], fld)


def compare(name, raw, js, link=True, l4_check=True, as_built=False, ext_check=True):
    """Our JSON against scapy's dissection of the same bytes; a list of differences."""
    bad = []

    def eq(what, ours, theirs):
        if ours != theirs:
            bad.append("%s: ours %r, scapy %r" % (what, ours, theirs))

    s = (Ether if link else IPv6)(raw)
    ip = s[IPv6]
    j = js.get("ipv6", {})
    eq("link layer", "eth" in js, link)
    for ours, theirs in (("version", "version"), ("traffic_class", "tc"), ("flow_label", "fl"),
                         ("payload_length", "plen"), ("next_header", "nh"), ("hop_limit", "hlim"),
                         ("src", "src"), ("dst", "dst")):
        eq("ipv6." + ours, j.get(ours), getattr(ip, theirs))
    exts, p = js.get("ext", []), ip.payload
    i = 0
    while ext_check and type(p) in EXT_CLASSES:
        e = exts[i] if i < len(exts) else {}
        w = "ext[%d]." % i
        eq(w + "kind", e.get("kind"), EXT_CLASSES[type(p)])
        eq(w + "next_header", e.get("next_header"), p.nh)
        if isinstance(p, IPv6ExtHdrFragment):
            eq(w + "reserved", e.get("reserved"), p.res1)
            eq(w + "frag_offset", e.get("frag_offset"), p.offset)
            eq(w + "m", e.get("m"), p.m)
            eq(w + "res", e.get("res"), p.res2)
            eq(w + "id", e.get("id"), p.id)
        else:
            eq(w + "hdr_ext_len", e.get("hdr_ext_len"), p.len)
        if isinstance(p, (IPv6ExtHdrHopByHop, IPv6ExtHdrDestOpt)):
            # with the request, the padding pktcraft added is apart
            if "padding" not in e:
                eq(w + "option types", [o.get("type") for o in e.get("options", [])],
                   [o.otype for o in p.options])
            eq(w + "option bytes", "".join(o.get("hex", "") for o in e.get("options", [])) +
               e.get("padding", ""), b"".join(bytes(o) for o in p.options).hex())
        if isinstance(p, IPv6ExtHdrSegmentRouting):
            eq(w + "routing_type", e.get("routing_type"), 4)
            eq(w + "segments_left", e.get("segments_left"), p.segleft)
            eq(w + "last_entry", e.get("last_entry"), p.lastentry)
            eq(w + "flags", e.get("flags"), p.unused1 << 7 | p.protected << 6 | p.oam << 5 |
               p.alert << 4 | p.hmac << 3 | p.unused2)
            eq(w + "tag", e.get("tag"), p.tag)
            eq(w + "addresses", e.get("addresses"), list(p.addresses))
        elif isinstance(p, IPv6ExtHdrRouting):
            eq(w + "routing_type", e.get("routing_type"), p.type)
            eq(w + "segments_left", e.get("segments_left"), p.segleft)
            eq(w + "addresses", e.get("addresses"), list(p.addresses))
        p = p.payload
        i += 1
    if ext_check:
        eq("number of extension headers", len(exts), i)
    if not l4_check:
        return bad
    layer, key, fld = l4_of(s)
    if layer is None:
        return bad
    k = js.get(key, {})
    if key in ("tcp", "udp"):
        eq(key + ".sport", k.get("sport"), layer.sport)
        eq(key + ".dport", k.get("dport"), layer.dport)
    if key == "udp":
        eq("udp.length", k.get("length"), layer.len)
    if key == "tcp":
        eq("tcp.seq", k.get("seq"), layer.seq)
        eq("tcp.flags", k.get("flags"), int(layer.flags))
    if key == "icmpv6":
        eq("icmpv6.type", k.get("type"), layer.type)
        eq("icmpv6.code", k.get("code"), layer.code)
    eq(key + ".checksum", k.get("checksum"), getattr(layer, fld))
    # as_built: the checksum scapy computed when it built the bytes is the
    # right one (its dissection loses what it built it from)
    want = getattr(layer, fld) if as_built else correct_csum(raw, link, key)
    eq(key + ".checksum_ok", k.get("checksum_ok"), getattr(layer, fld) == want and want != 0)
    return bad


class Lib:
    """An expected malformation the library words (pktcraft_req_malformations,
    when the request is known): its key, and numbers the reason must give."""
    def __init__(self, key, *numbers):
        self.key, self.numbers = key, numbers

    def matches(self, got):
        import re
        k, _, why = got.partition(": ")
        return k == self.key and all(re.search(r"\b%d\b" % n, why) for n in self.numbers)

    def __repr__(self):
        return "%s: ...%s..." % (self.key, self.numbers)


def same(ours, expected):
    """Each of ours matches one expected item (a string exactly, or a Lib)."""
    left = list(expected)
    for m in ours:
        hit = next((e for e in left if (e.matches(m) if isinstance(e, Lib) else e == m)), None)
        if hit is None:
            return False
        left.remove(hit)
    return not left


def case(name, pkt, malformed=(), link=True, extra=None, raw=None, req=None, l4_check=True,
         as_built=False, ext_check=True):
    """Decodes the bytes of pkt (or raw), compares with scapy, checks the
    malformed list is exactly `malformed` (and the text flags the same)."""
    raw = raw if raw is not None else bytes(pkt)
    js, text = decode(raw, req)
    bad = compare(name, raw, js, link, l4_check, as_built, ext_check)
    if not same(js["malformed"], malformed):
        bad.append("malformed: ours %r, expected %r" % (js["malformed"], list(malformed)))
    summary = text.split("\nMalformed:\n")[1].split("\n\n")[0] if "\nMalformed:\n" in text else ""
    if not same([line.strip() for line in summary.splitlines()], malformed):
        bad.append("text's Malformed summary: %r" % summary)
    if extra:
        bad += extra(js, text)
    check(not bad, name, "; ".join(bad))
    if link and l4_check and req is None:
        judged_by_tshark.append((name, raw, js))
    return js


judged_by_tshark = []      # (name, frame, our JSON): tshark validates their checksums at the end


def tshark_agrees():
    """tshark's checksum verdict (1 good, 0 bad) against ours, frame by frame."""
    if not shutil.which("tshark"):
        check(False, "tshark agrees with every checksum verdict", "tshark is not installed")
        return
    keys = ("tcp", "udp", "icmpv6")
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "ip6.pcap")
        write_pcap(path, [raw for _, raw, _ in judged_by_tshark])
        out = subprocess.run(["tshark", "-r", path, "-o", "udp.check_checksum:TRUE",
                              "-o", "tcp.check_checksum:TRUE", "-T", "fields"] +
                             sum((["-e", "%s.checksum.status" % k] for k in keys), []),
                             capture_output=True, text=True)
    lines = out.stdout.splitlines()
    bad, skipped, judged = [], [], 0
    for (name, _, js), line in zip(judged_by_tshark, lines):
        cols = dict(zip(keys, (line.split("\t") + ["", "", ""])[:3]))
        key = next((k for k in keys if k in js), None)
        status = cols.get(key, "").split(",")[0] if key else ""
        if status not in ("0", "1"):
            skipped.append(name)
            continue        # tshark did not check it (a UDP checksum of 0 ...)
        judged += 1
        if (status == "1") != js[key]["checksum_ok"]:
            bad.append("%s: tshark %s, ours %s" % (name, status, js[key]["checksum_ok"]))
    check(out.returncode == 0 and len(lines) == len(judged_by_tshark) and judged >= 20 and not bad,
          "tshark agrees with every checksum verdict (%d frames it validated; not: %s)" %
          (judged, ", ".join(skipped) or "none"),
          "; ".join(bad) or out.stderr[-300:] or "%d lines" % len(lines))


def csum(pkt, layer):
    """scapy's checksum of the layer in pkt, as built."""
    built = pkt.__class__(bytes(pkt))
    return getattr(built.getlayer(layer), "cksum" if layer not in (TCP, UDP) else "chksum")


def base(*layers, link=True):
    p = IPv6(src=SRC, dst=DST)
    for x in layers:
        p = p / x
    return ETH / p if link else p


# ------------------------------------------------------------ plain
case("TCP SYN with options and data, traffic class and flow label",
     ETH / IPv6(src=SRC, dst=DST, tc=0xb9, fl=0xabcde, hlim=7) /
     TCP(sport=4000, dport=443, seq=12345, flags="S", options=[("MSS", 1440), ("SAckOK", b""),
                                                               ("Timestamp", (1, 0)), ("NOP", None),
                                                               ("WScale", 7)]) / b"hello")
case("UDP", base(UDP(sport=5353, dport=53) / b"query"))
case("bare IPv6 (no link layer): UDP", base(UDP(sport=1, dport=2) / (b"x" * 11), link=False), link=False)
case("ICMPv6 echo request", base(ICMPv6EchoRequest(id=0x1234, seq=7, data=b"ping")),
     extra=lambda js, t: [] if js["icmpv6"]["id"] == 0x1234 and js["icmpv6"]["seq"] == 7 and
     "128 (echo request)" in t else ["id/seq/name: %r" % js["icmpv6"]])
case("ICMPv6 echo reply", base(ICMPv6EchoReply(id=1, seq=2)),
     extra=lambda js, t: [] if "129 (echo reply)" in t else ["not named"])
case("ICMPv6 destination unreachable", base(ICMPv6DestUnreach(code=4) / IPv6(src=DST, dst=SRC) / UDP()),
     extra=lambda js, t: [] if "1 (destination unreachable)" in t else ["not named"])
case("ICMPv6 packet too big, its MTU", base(ICMPv6PacketTooBig(mtu=1280) / (b"\0" * 8)),
     extra=lambda js, t: [] if js["icmpv6"].get("mtu") == 1280 and "2 (packet too big)" in t
     else ["mtu %r" % js["icmpv6"].get("mtu")])
case("ICMPv6 time exceeded", base(ICMPv6TimeExceeded(code=0)),
     extra=lambda js, t: [] if "3 (time exceeded)" in t else ["not named"])
case("ICMPv6 parameter problem, its pointer", base(ICMPv6ParamProblem(code=1, ptr=40)),
     extra=lambda js, t: [] if js["icmpv6"].get("pointer") == 40 and "4 (parameter problem)" in t
     else ["pointer %r" % js["icmpv6"].get("pointer")])
case("ICMPv6 neighbor solicitation, its target", base(ICMPv6ND_NS(tgt="2001:db8:2::99")),
     extra=lambda js, t: [] if js["icmpv6"].get("target") == "2001:db8:2::99" and
     "135 (neighbor solicitation)" in t else ["target %r" % js["icmpv6"].get("target")])
case("ICMPv6 neighbor advertisement, R/S/O flags and target",
     base(ICMPv6ND_NA(R=1, S=1, O=0, tgt="2001:db8:2::98")),
     extra=lambda js, t: [] if js["icmpv6"].get("target") == "2001:db8:2::98" and
     js["icmpv6"].get("na_flags") == 0xc0 and "136 (neighbor advertisement)" in t
     else ["flags %r target %r" % (js["icmpv6"].get("na_flags"), js["icmpv6"].get("target"))])
case("ICMPv6 router solicitation", base(ICMPv6ND_RS()),
     extra=lambda js, t: [] if "133 (router solicitation)" in t else ["not named"])
case("ICMPv6 router advertisement", base(ICMPv6ND_RA()),
     extra=lambda js, t: [] if "134 (router advertisement)" in t else ["not named"])

# ------------------------------------------------------------ extension headers
case("Hop-by-Hop Options: Router Alert (MLD) and scapy's PadN",
     base(IPv6ExtHdrHopByHop(options=[RouterAlert(value=0)]) / UDP()),
     extra=lambda js, t: [] if "Router Alert, value 0 (MLD)" in t and
     js["ext"][0]["options"][0].get("value") == 0 else ["Router Alert not named"])
case("Hop-by-Hop Options: Pad1, Jumbo Payload and an unknown TLV (type 0x3e)",
     base(IPv6ExtHdrHopByHop(autopad=0, options=[Pad1(), HBHOptUnknown(otype=0x3e, optdata=b"\x01\x02\x03"),
                                                 Jumbo(jumboplen=70000), Pad1(), Pad1()]) /
          UDP()),
     extra=lambda js, t: [] if "unknown (type 62), length 5" in t and "Jumbo Payload, length 70000" in t
     else ["TLVs not named"])
case("Destination Options: Home Address (the pseudo-header's source, as scapy computes it)",
     base(IPv6ExtHdrDestOpt(options=[HAO(hoa="2001:db8:9::9")]) / UDP(sport=7, dport=8) / b"mip6"),
     as_built=True)
case("Routing type 0, 2 addresses, segments left 2 (pseudo-header: the last address)",
     base(IPv6ExtHdrRouting(type=0, segleft=2, addresses=["2001:db8:3::3", "2001:db8:4::4"]) /
          TCP(sport=1, dport=2, flags="S")))
case("Routing type 2 (Mobile IPv6), segments left 1",
     base(IPv6ExtHdrRouting(type=2, segleft=1, addresses=["2001:db8:5::5"]) / UDP()))
case("Routing type 0, segments left 0: the pseudo-header keeps the IPv6 destination",
     base(IPv6ExtHdrRouting(type=0, segleft=0, addresses=["2001:db8:3::3"]) / UDP() / b"z"))
case("Segment Routing header (type 4): last entry, flags, tag, segment list (pseudo-header: Segment List[0])",
     base(IPv6ExtHdrSegmentRouting(segleft=1, lastentry=2, tag=0x4242, oam=1,
                                   addresses=["2001:db8:a::1", "2001:db8:a::2", "2001:db8:a::3"]) /
          ICMPv6EchoRequest(id=9, seq=9)))
case("Fragment, first of several (M set, offset 0)",
     base(IPv6ExtHdrFragment(id=0xdeadbeef, m=1, offset=0) / UDP(sport=9, dport=9) / b"first"))
case("Fragment, not the first (offset 185): the rest is fragment data",
     base(IPv6ExtHdrFragment(id=77, m=0, offset=185, nh=17) / Raw(b"middle of a datagram")), l4_check=False,
     extra=lambda js, t: [] if js.get("fragment", {}).get("data") == b"middle of a datagram".hex() and
     "udp" not in js else ["fragment data %r" % js.get("fragment")])
case("opaque extension header 253 (experimental) before UDP",
     ETH / IPv6(src=SRC, dst=DST, nh=253) / Raw(b"\x11\x00" + b"\xaa" * 6) /
     UDP(sport=3, dport=4, chksum=in6_chksum(17, IPv6(src=SRC, dst=DST), bytes(UDP(sport=3, dport=4, chksum=0)))),
     l4_check=False, ext_check=False,
     extra=lambda js, t: [] if js["ext"][0]["kind"] == "ext" and js["ext"][0]["number"] == 253 and
     js["ext"][0]["data"] == "aa" * 6 and js["udp"]["checksum_ok"] else ["%r %r" % (js.get("ext"), js.get("udp"))])

# the chain of every kind
chain = base(IPv6ExtHdrHopByHop(options=[RouterAlert(value=2)]) /
             IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\0" * 4)]) /
             IPv6ExtHdrRouting(type=0, segleft=1, addresses=["2001:db8:6::6"]) /
             IPv6ExtHdrFragment(id=5, m=1) /
             IPv6ExtHdrDestOpt(options=[HBHOptUnknown(otype=0x1e, optdata=b"\x07")]) /
             TCP(sport=10, dport=20, flags="PA") / b"payload")
case("a chain: Hop-by-Hop, Destination, Routing, Fragment, Destination, TCP", chain)

# ------------------------------------------------------------ malformed
for name, layer in (("UDP", UDP(sport=1, dport=2, chksum=0x1234) / b"abc"),
                    ("TCP", TCP(sport=1, dport=2, chksum=0x1234)),
                    ("ICMPv6", ICMPv6EchoRequest(cksum=0x1234))):
    p = base(layer)
    key = {"UDP": "udp", "TCP": "tcp", "ICMPv6": "icmpv6"}[name]
    good = correct_csum(bytes(p), True, key)
    case("wrong %s checksum flagged, with scapy's correct one" % name, p,
         malformed=["%s.checksum: incorrect, should be 0x%04x" % (key, good)])
p = base(IPv6ExtHdrRouting(type=0, segleft=1, addresses=["2001:db8:7::7"]) / UDP(sport=1, dport=2, chksum=0x1234))
case("wrong UDP checksum after a Routing header: scapy's (final destination) is the one asked for", p,
     malformed=["udp.checksum: incorrect, should be 0x%04x" % correct_csum(bytes(p), True, "udp")])
p = base(UDP(sport=1, dport=2, chksum=0) / b"abc")
case("UDP checksum 0: forbidden over IPv6", p,
     malformed=["udp.checksum: 0, no checksum: forbidden over IPv6 (RFC 8200 8.1), should be 0x%04x" %
                correct_csum(bytes(p), True, "udp")])

good = bytes(base(UDP(sport=1, dport=2) / b"twelve bytes"))
lie = bytearray(good)
lie[18:20] = (4).to_bytes(2, "big")
case("payload length lies (4, shorter): flagged, the real bytes decoded", None, raw=bytes(lie),
     malformed=["ipv6.payload_length: %d bytes follow the 4 it declares" % (len(good) - 54 - 4)],
     extra=lambda js, t: [] if js["udp"]["checksum_ok"] and js["payload"]["data"] == b"twelve bytes".hex()
     else ["udp %r" % js.get("udp")], l4_check=False)
lie[18:20] = (400).to_bytes(2, "big")
case("payload length lies (400, longer than the frame): flagged", None, raw=bytes(lie),
     malformed=["ipv6.payload_length: the frame carries only %d bytes after the header" % (len(good) - 54)],
     l4_check=False)
short = bytes(ETH / IPv6(src=SRC, dst=DST, nh=59))
case("No Next Header, padded to 60 bytes: Ethernet padding, not a lie", None,
     raw=short + bytes(60 - len(short)),
     extra=lambda js, t: [] if js.get("eth_padding", {}).get("length") == 60 - len(short) else
     ["eth_padding %r" % js.get("eth_padding")])

case("PadN with non-zero padding bytes",
     base(IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\x00\x05\x00\x00")]) / UDP()),
     malformed=["ext[0].options: PadN at byte 2 of the header: padding bytes not zero"])
case("padding of more than 7 bytes in a row (RFC 4942)",
     base(IPv6ExtHdrHopByHop(options=[PadN(optdata=b"\0" * 12)]) / UDP()),
     malformed=["ext[0].options: 14 bytes of padding in a row from byte 2 of the header (more than 7: RFC 4942)"])
case("an option running past its header",
     base(IPv6ExtHdrHopByHop(autopad=0, len=0, options=[HBHOptUnknown(otype=0x3e, optlen=10,
                                                                        optdata=b"\0\0\0\0")]) / UDP()),
     malformed=["ext[0].options: option type 62 claims 12 bytes, 6 left"], l4_check=False)
p = base(IPv6ExtHdrDestOpt(len=5, options=[PadN(optdata=b"\0" * 4)]) / UDP(sport=1, dport=2))
case("Hdr Ext Len running past the frame", p,
     malformed=["ext[0].hdr_ext_len: 5 (48 bytes): runs past the packet, %d bytes left" % (len(p) - 54)],
     l4_check=False, ext_check=False,
     extra=lambda js, t: [] if "udp" not in js and js["ext"][0]["hdr_ext_len"] == 5 else ["went on to UDP"])
case("Segment Routing: segments left beyond the last entry",
     base(IPv6ExtHdrSegmentRouting(segleft=3, lastentry=1, addresses=["2001:db8:a::1", "2001:db8:a::2"]) /
          UDP()),
     malformed=["ext[0].segments_left: 3, beyond the last entry (1)"])


# ------------------------------------------------------------ with the request
AF_INET6 = 10
keep = []       # buffers the requests point at


def request(l4, exts=(), payload=b"", **fields):
    """A struct pktcraft_req (and its struct pktcraft_ext array), as bytes
    in memory the decoder may read: exts are (type, flags, data, {field: v})."""
    req = ctypes.create_string_buffer(ABI.req.size)
    LIB.pktcraft_req_init(req)
    LIB.pktcraft_req_set_l4(req, l4)
    arr = ctypes.create_string_buffer(ABI.ext.size * max(len(exts), 1))
    keep.append(arr)
    for i, (etype, eflags, data, more) in enumerate(exts):
        b = ctypes.create_string_buffer(data, len(data) or 1)
        keep.append(b)
        at = i * ABI.ext.size
        ABI.ext.pack_into(arr, "type", etype, at)
        ABI.ext.pack_into(arr, "flags", eflags, at)
        ABI.ext.pack_into(arr, "len", len(data), at)
        ABI.ext.pack_into(arr, "data", ctypes.addressof(b) if data else 0, at)
        for k, v in more.items():
            for idx, x in enumerate(v if isinstance(v, bytes) else [v]):
                ABI.ext.pack_into(arr, k, x, at, idx)
    ABI.req.pack_into(req, "family", AF_INET6)
    ABI.req.pack_into(req, "ext_nr", len(exts))
    ABI.req.pack_into(req, "ext", ctypes.addressof(arr) if exts else 0)
    ABI.req.pack_into(req, "payload_len", len(payload))
    for k, v in fields.items():
        ABI.req.pack_into(req, k, v)
    keep.append(req)
    return req


L4_TCP, L4_UDP, L4_ICMP = ABI.L4_TCP, ABI.L4_UDP, ABI.L4_ICMP
HBH, DSTO, RT, FRAG = ABI.EXT_HBH, ABI.EXT_DST, ABI.EXT_RT, ABI.EXT_FRAG

ra = bytes(RouterAlert(value=0))
p = base(IPv6ExtHdrHopByHop(options=[RouterAlert(value=0)]) / UDP(sport=54321, dport=80) / b"data")
raw = bytes(p)
case("request known: the Hop-by-Hop padding pktcraft adds is labelled, not an option of the request", p,
     req=request(L4_UDP, [(HBH, 0, ra, {})], b"data"),
     extra=lambda js, t: [] if [o["type"] for o in js["ext"][0]["options"]] == [5] and
     js["ext"][0].get("padding") == raw[54 + 6:54 + 8].hex() and "(PadN) to a multiple of 8 octets" in t
     else ["ext[0] %r" % js["ext"][0]], l4_check=False)
p = base(IPv6ExtHdrHopByHop(options=[RouterAlert(value=0)]) / UDP(sport=54321, dport=80))
p[IPv6].nh = 17
case("request known: a forced next header that lies is flagged, the real chain followed", p,
     req=request(L4_UDP, [(HBH, 0, ra, {})], flags=ABI.F_IP6_NEXTHDR, ip6_nexthdr=17),
     malformed=[Lib("ipv6.next_header", 17, 0)], l4_check=False,
     ext_check=False,
     extra=lambda js, t: [] if js.get("udp", {}).get("checksum_ok") and js["ext"][0]["kind"] == "hbh"
     else ["chain not followed: %r" % js.get("udp")])
pad = bytes(PadN(optdata=b"\0" * 4))
p = base(IPv6ExtHdrDestOpt(len=3, options=[PadN(optdata=b"\0" * 4)]) / UDP(sport=54321, dport=80))
case("request known: a forced Hdr Ext Len that lies is flagged, the real size followed", p,
     req=request(L4_UDP, [(DSTO, ABI.EXT_F_HDRLEN, pad, {"hdrlen": 3})]),
     malformed=[Lib("ext[0].hdr_ext_len", 3, 8)], l4_check=False,
     ext_check=False,
     extra=lambda js, t: [] if js.get("udp", {}).get("checksum_ok") else ["UDP not found: %r" % js.get("udp")])
p = base(UDP(sport=54321, dport=80) / b"abcdef")
udp_len = len(p[UDP])
p[IPv6].plen = 5
case("request known: a forced payload length that lies is flagged", p,
     req=request(L4_UDP, (), b"abcdef", flags=ABI.F_IP_TOT_LEN, ip_tot_len=5),
     malformed=[Lib("ipv6.payload_length", 5, udp_len)], l4_check=False,
     extra=lambda js, t: [] if js.get("payload", {}).get("data") == b"abcdef".hex() else ["payload"])
p = base(IPv6ExtHdrFragment(id=9, offset=100, m=1) / UDP(sport=54321, dport=80) / b"frag")
case("request known: a non-first fragment still shows the layer 4 header it built", p,
     req=request(L4_UDP, [(FRAG, ABI.EXT_F_MORE, b"", {"frag_off": 100, "frag_id": 9})], b"frag"),
     l4_check=False,
     extra=lambda js, t: [] if js.get("udp", {}).get("checksum_ok") and "in a non-first fragment" in t
     else ["udp %r" % js.get("udp")])
seg = [DST, "2001:db8:b::1"]
p = base(IPv6ExtHdrSegmentRouting(segleft=1, lastentry=1, addresses=seg) / TCP(sport=54321, dport=80))
srh = b"".join(bytes(IPv6(dst=a))[24:40] for a in seg)
case("request known: a Segment Routing header as a request gives it", p,
     req=request(L4_TCP, [(RT, 0, srh, {"rt_type": 4, "segleft": 1, "rt_data": b"\x01\0\0\0"})]),
     extra=lambda js, t: [] if js["ext"][0]["addresses"] == seg else ["%r" % js["ext"][0]])

tshark_agrees()
sys.exit(1 if failed else 0)
