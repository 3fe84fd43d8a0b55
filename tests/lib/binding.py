#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The Python binding on the host, without the device: it checks what the CLI
checks, with Python's exceptions.

Out of range, of another layer 4 kind, or two kinds at once: ValueError.
The wrong type (a str for a number, a str or int payload): TypeError. An
unknown keyword: TypeError; an unknown attribute: AttributeError. Never an
OSError: that is for what the kernel says. And what it accepts ends up in
the struct as the CLI would put it (`pktcraft --show-request`). Prints
PASS:/FAIL: lines.
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(TOP, "python"))
import pktcraft  # noqa: E402

failed = 0


def check(ok, name, detail=""):
    global failed
    print("%s: python: %s%s" % ("PASS" if ok else "FAIL", name, "" if ok or not detail else ": %s" % detail),
          flush=True)
    failed |= not ok


def raises(exc, fn, name):
    try:
        fn()
    except exc as e:
        check(not isinstance(e, OSError), "%s: %s" % (name, exc.__name__), "%s is an OSError" % e)
        return
    except Exception as e:  # noqa: BLE001
        check(False, "%s: %s" % (name, exc.__name__), "%s: %s" % (type(e).__name__, e))
        return
    check(False, "%s: %s" % (name, exc.__name__), "accepted")


def main():
    R = pktcraft.Request
    # The list, one by one.
    for kw, what in ((dict(ttl=300), "ttl=300"), (dict(sport=70000), "sport=70000"),
                     (dict(seq=-1), "seq=-1"), (dict(frag_off=9000), "frag_off=9000"),
                     (dict(flags=0x1000), "flags=0x1000"), (dict(udp=True, icmp=True), "udp and icmp"),
                     (dict(seq=5, udp=True), "seq on UDP"), (dict(dst="10.3.0"), "dst=10.3.0"),
                     (dict(tcp_opt="mss=70000"), "tcp_opt mss=70000"), (dict(count=0), "count=0"),
                     (dict(count=pktcraft.MAX_COUNT + 1), "count above MAX_COUNT"),
                     (dict(rate=100), "rate without count"), (dict(dport="5-1"), "dport=5-1"),
                     (dict(vary={"sport": ("inc", 1, 70000)}), "vary sport to 70000"),
                     (dict(vary={"id": ("inc", 0, 65536)}), "vary id to 65536"),
                     (dict(vary={"nosuch": ("inc", 1, 2)}), "vary an unknown field"),
                     (dict(vary={"sport": ("sideways", 1, 2)}), "vary mode sideways"),
                     (dict(ip_ttl=256), "struct field ip_ttl=256"),
                     (dict(icmp_type=3, udp=True), "icmp_type on UDP"),
                     (dict(l4="sctp"), "l4=sctp"), (dict(dev="nosuch0"), "dev=nosuch0"),
                     (dict(data="a\0b"), "data with a NUL")):
        raises(ValueError, lambda kw=kw: R(**kw), "Request(%s)" % what)
    for kw, what in ((dict(payload=12), "payload=12"), (dict(payload="abc"), "payload=str"),
                     (dict(ttl="5"), "ttl='5'"), (dict(df="yes"), "df='yes'"),
                     (dict(nosuch=1), "an unknown keyword"), (dict(data=b"x"), "data=bytes"),
                     (dict(ip_ttl="5"), "ip_ttl='5'")):
        raises(TypeError, lambda kw=kw: R(**kw), "Request(%s)" % what)
    r = R()
    raises(AttributeError, lambda: setattr(r, "nosuch", 5), "r.nosuch = 5")
    raises(AttributeError, lambda: r.nosuch, "reading r.nosuch")
    raises(ValueError, lambda: setattr(r, "ttl", 256), "r.ttl = 256")
    raises(ValueError, lambda: setattr(r, "sport", 1 << 16), "r.sport = 65536 (struct field)")
    raises(ValueError, lambda: setattr(r, "frag_off", 8192), "r.frag_off = 8192")
    r.ttl = 5
    check(r.ip_ttl == 5 and r.ttl == 5, "r.ttl = 5 sets ip_ttl (and reads back)", repr(r))
    r.win = 100
    check(r.tcp_win == 100, "r.win = 100 sets tcp_win", repr(r))

    # What it accepts is what the CLI makes of the same options.
    same = [
        (dict(dst="10.3.0.2", flags="syn,ack", sport=1, dport=2, seq=3, ack=4, win=5, ttl=6, id=7,
              tos=8, df=True, tcp_opt="mss=1460,nop", ip_opt="rr=2", data="hello"),
         ["--dst", "10.3.0.2", "--flags", "syn,ack", "--sport", "1", "--dport", "2", "--seq", "3",
          "--ack", "4", "--win", "5", "--ttl", "6", "--id", "7", "--tos", "8", "--df",
          "--tcp-opt", "mss=1460,nop", "--ip-opt", "rr=2", "--data", "hello"]),
        (dict(dst="10.3.0.2", udp=True, dport="1-1024"), ["--dst", "10.3.0.2", "-2", "--dport", "1-1024"]),
        (dict(dst="10.3.0.2", icmp_type=3, icmp_code=1, data_length=6),
         ["--dst", "10.3.0.2", "-C", "3", "-K", "1", "-d", "6"]),
        (dict(dst="10.3.0.2", src="10.1.0.2", count=3, vary={"sport": ("inc", 6000, 6002, 1)}, sport=6000),
         ["--dst", "10.3.0.2", "--src", "10.1.0.2", "-c", "3", "--vary", "sport=inc:6000-6002/1",
          "--sport", "6000"]),
        (dict(dst="10.3.0.2", l4="raw", proto=47, frag_off=185, mf=True),
         ["--dst", "10.3.0.2", "--proto", "47", "--frag-off", "185", "--mf"]),
        # IPv6
        (dict(dst="2001:db8::2", src="2001:db8::1", tclass=0xb8, hop_limit=3, flow_label=0x12345,
              plen=99, next_header=59, sport=1, dport=2),
         ["--dst", "2001:db8::2", "--src", "2001:db8::1", "--tclass", "0xb8", "--hop-limit", "3",
          "--flow-label", "0x12345", "--plen", "99", "--next-header", "59", "-s", "1", "-p", "2"]),
        (dict(dst="2001:db8::2", icmp=True, ext=["hbh=ra=0,pad1", "rt=0:2001:db8::9,2001:db8::a:left=1",
                                                   "frag=7:3:m:nh=6", "dst=raw=0102:nopad:len=0",
                                                   "ext=135:010203040506"]),
         ["--dst", "2001:db8::2", "-1", "--ext", "hbh=ra=0,pad1", "--ext", "rt=0:2001:db8::9,2001:db8::a:left=1",
          "--ext", "frag=7:3:m:nh=6", "--ext", "dst=raw=0102:nopad:len=0", "--ext", "ext=135:010203040506"]),
        (dict(dst="2001:db8::2", udp=True, src="2001:db8::10-2001:db8::1f", flow_label="rand:5-9"),
         ["--dst", "2001:db8::2", "-2", "--src", "2001:db8::10-2001:db8::1f", "--flow-label", "rand:5-9"]),
        (dict(dst="2001:db8::2", count=4, vary={"flow_label": ("inc", 1, 9, 2)}),
         ["--dst", "2001:db8::2", "-c", "4", "--vary", "flow-label=inc:1-9/2"]),
        # Injection points and fates (request version 4)
        (dict(dst="10.3.0.2", inject="rx", fate=True), ["--dst", "10.3.0.2", "--inject", "rx", "--fate"]),
        (dict(dst="2001:db8::2", inject="ip", fate_wait=50),
         ["--dst", "2001:db8::2", "--inject", "ip", "--fate-wait", "50"]),
    ]
    cli = os.path.join(TOP, "userspace", "pktcraft")
    for kw, args in same:
        req = R(**kw)
        p = subprocess.run([cli, "send"] + args + ["--show-request"], capture_output=True, text=True)
        want = json.loads(p.stdout) if p.returncode == 0 else {}
        got = {k: getattr(req, k) for k in want if k in dict(pktcraft.Request._fields_) and
               k not in ("payload", "ip_saddr", "ip_daddr", "dst_mac", "src_mac", "ip_opts", "tcp_opts",
                         "vary", "count", "ip6_saddr", "ip6_daddr", "ext", "vary_flowlabel")}
        bad = ["%s = %r, the CLI's %r" % (k, v, want[k]) for k, v in got.items() if v != want[k]]
        if want:
            bad += ["payload %s, the CLI's %s" % (req.data.hex(), want["payload"])] \
                if req.data.hex() != want["payload"] else []
            bad += ["dst %s" % req.dst] if req.dst != want["ip6_daddr" if req.ipv6 else "ip_daddr"] else []
            bad += ["src %s" % req.src] if req.ipv6 and req.src != want["ip6_saddr"] else []
            v = req.vary_flowlabel
            bad += ["vary_flowlabel"] if (v.mode, v.min, v.max, v.step) != tuple(
                want["vary_flowlabel"][k] for k in ("mode", "min", "max", "step")) else []
            exts = [dict({f: getattr(e, f) for f, _ in pktcraft.Ext._fields_ if f not in
                          ("reserved", "reserved2", "data", "rt_data")}, data=b.hex(), rt_data=bytes(e.rt_data).hex())
                    for e, b in req.exts]
            cli_exts = [{k: v for k, v in e.items()} for e in want["ext"]]
            bad += ["ext %s, the CLI's %s" % (exts, cli_exts)] if exts != cli_exts else []
            bad += ["ip_opts"] if bytes(req.ip_opts)[:req.ip_optlen].hex() != want["ip_opts"] else []
            bad += ["tcp_opts"] if bytes(req.tcp_opts)[:req.tcp_optlen].hex() != want["tcp_opts"] else []
            bad += ["vary %s" % f for f in range(5) if
                    (req.vary[f].mode, req.vary[f].min, req.vary[f].max, req.vary[f].step) !=
                    tuple(want["vary"][f][k] for k in ("mode", "min", "max", "step"))]
        check(p.returncode == 0 and not bad, "Request(%s) is the CLI's request for %s"
              % (", ".join("%s=%r" % kv for kv in kw.items()), " ".join(args)), "; ".join(bad) or p.stderr)

    # IPv6: what the CLI refuses, Python refuses too.
    for kw, what in ((dict(dst="2001:db8::2", id=5), "id on IPv6"),
                     (dict(dst="2001:db8::2", src="10.0.0.1"), "mixed families"),
                     (dict(dst="10.0.0.1", flow_label=5), "flow_label on IPv4"),
                     (dict(dst="2001:db8::2", ext="frag=1"), "ext frag without offset"),
                     (dict(dst="2001:db8::2", ext=["hbh"] * 33), "33 extension headers"),
                     (dict(dst="2001:db8::2", flow_label=1 << 20), "flow_label over 20 bits")):
        raises(ValueError, lambda kw=kw: R(**kw), "Request(%s)" % what)
    for kw, what in ((dict(dst="10.3.0.2", inject="nic"), "inject='nic'"),
                     (dict(dst="10.3.0.2", inject="ip", dst_mac="02:00:00:00:00:01"), "inject='ip' with dst_mac"),
                     (dict(dst="10.3.0.2", fate_wait=10001), "fate_wait=10001")):
        raises(ValueError, lambda kw=kw: R(**kw), "Request(%s)" % what)
    r4 = R(dst="10.3.0.2", inject="driver", fate=True)
    check(r4.inject == pktcraft.INJECT_DRIVER and r4.fate_ms == 1000 and r4.size == pktcraft.REQ_SIZE_VER4,
          "Request(inject='driver', fate=True): inject 1, fate_ms 1000, a 376-byte request", repr(r4))
    r6 = R(dst="2001:db8::2", ext=["hbh=ra=0", "frag=1:0:m"])
    check(r6.ipv6 and r6.dst == "2001:db8::2" and r6.ext_nr == 2 and [e.type for e, _ in r6.exts] ==
          [pktcraft.EXT_HBH, pktcraft.EXT_FRAG] and r6.exts[0][1] == bytes.fromhex("05020000"),
          "Request(ext=[...]) keeps its extension headers and their bytes", repr(r6))
    r6.ttl = 9
    check(r6.ip_ttl == 9 and r6.ext_nr == 2 and r6.exts[0][1] == bytes.fromhex("05020000"),
          "setting another option keeps them", repr(r6))
    r6.dst = "10.3.0.2"
    check(not r6.ipv6 and r6.dst == "10.3.0.2" and r6.ext_nr == 0 and r6.ext == 0,
          "an IPv4 dst switches the request to IPv4 (extension headers dropped)", repr(r6))
    r6 = R(dst="2001:db8::2", icmp=True)
    check(r6.icmp_type == 128 and r6.l4 == pktcraft.L4_ICMP, "icmp on IPv6: an ICMPv6 echo request (128)",
          repr(r6))

    # payload= with data_length: cut or padded with zeros, as data= is
    # (the CLI's -d: "the payload cut or padded with zeros to N").
    r = R(dst="10.3.0.2", payload=b"abc", data_length=10)
    check(r.data == b"abc" + bytes(7), "Request(payload=b'abc', data_length=10): padded with zeros",
          repr(r.data))
    r = R(dst="10.3.0.2", payload=b"abc")
    r.set(data_length=6)
    check(r.data == b"abc" + bytes(3), "set(data_length=6) on a request holding b'abc': kept, padded",
          repr(r.data))
    r.set(data_length=2)
    check(r.data == b"ab", "set(data_length=2): cut", repr(r.data))
    check(R(dst="10.3.0.2", data_length=4).data == b"XXXX", "data_length alone: hping3's 'X's")
    raises(TypeError, lambda: R(dst="10.3.0.2", payload=b"abc", data="x"), "Request(payload=..., data=...)")
    check(R(dst="10.3.0.2", udp=True, payload=b"", data_length=4).data == bytes(4),
          "Request(payload=b'', data_length=4): zeros, not 'X's (the payload given, empty)")
    r = R(dst="10.3.0.2", payload=b"abc", ttl=7)
    for kw, exc in ((dict(payload=b"zzzz", ttl=999), ValueError), (dict(payload=b"zzzz", count=0), ValueError),
                    (dict(payload=b"zzzz", ttl=9, force=-1), ValueError),
                    (dict(payload=b"zzzz", ttl=9, ip_ttl="x"), TypeError)):
        raises(exc, lambda kw=kw: r.set(**kw), "set(%s)" % ", ".join("%s=%r" % i for i in kw.items()))
        check(r.data == b"abc" and r.ttl == 7, "a refused set(%s) leaves the request as it was" % ", ".join(kw),
              "%r ttl %d" % (r.data, r.ttl))

    # Reading, the table, the version.
    req = R(dst="10.3.0.2", ihl=7, l4_csum=0x1234)
    fields = sorted(m["field"] for m in req.malformations())
    check(fields == ["ip.ihl", "tcp.checksum"], "malformations() is the library's judgment", fields)
    names = {o["name"] for o in pktcraft.options()}
    check({"ttl", "dport", "flags", "vary", "badcksum"} <= names and len(names) > 50,
          "options(): the library's table (%d options)" % len(names))
    check(pktcraft.__version__ == pktcraft.version(), "__version__ is the library's version",
          "%s vs %s" % (pktcraft.__version__, pktcraft.version()))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
