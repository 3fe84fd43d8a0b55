#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Burst, pacing and statistics suite: the guest sends, tshark judges the wire.

Host mode (default) boots a guest through tests/vm/run with a capture, runs
this same file there in --guest mode, then judges from the host-side pcap:
  - every burst puts on the wire exactly the number of packets SEND reported,
    with good checksums (tshark) unless forced;
  - varied fields follow the requested increment and wrap exactly, random
    ones stay within range, identical bursts give byte-identical frames;
  - a signal mid-burst returns a partial count equal to what is on the wire;
  - a 5-second --rate run holds the rate within 1% (capture timestamps), in
    a guest of its own under QEMU -icount (guest time = instructions, and
    the capture's clock is the same virtual clock): deterministic, whatever
    else the host runs;
  - GET_STATS / sysfs counters agree with the device tx counter and the
    capture; the stats struct is zeroed beyond the known fields;
  - malformed burst requests are refused with EINVAL and send nothing.
Verdict lines: "PASS: ..." / "FAIL: ...". Each case sends to its own
destination address, which is how the host tells the cases apart.
"""
import argparse
import json
import os
import re
import struct
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TOP, "tests", "lib"))
from pcaplib import read_pcap_ts  # noqa: E402
import uapi  # noqa: E402
from tracefs import mount as tracefs_mount, put, traced  # noqa: E402

# Offsets, sizes, constants and ioctl numbers of <linux/pktcraft.h> as gcc
# sees them (tests/lib/uapi.py; the guest reads what the host computed).
ABI = uapi.load()
GUEST_MAC = "52:54:00:12:34:56"
PEER_MAC = "02:00:00:00:00:02"
GUEST_IP = "10.1.0.2"
RATE_PPS, RATE_SECS = 1000, 5
RATE_DST = "10.3.10.1"


def direct(dst, *extra):
    return ["--dev", "eth0", "--dst-mac", PEER_MAC, "--dst", dst] + list(extra)


def ip2int(a):
    return struct.unpack("!I", bytes(int(x) for x in a.split(".")))[0]


def int2ip(v):
    return ".".join(str(b) for b in struct.pack("!I", v))


def udp_sum(src, dst, sport, dport, payload):
    """The folded ones-complement sum the UDP checksum is the complement of."""
    ulen = 8 + len(payload)
    data = struct.pack("!4s4sBBH", bytes(int(x) for x in src.split(".")),
                       bytes(int(x) for x in dst.split(".")), 0, 17, ulen)
    data += struct.pack("!HHHH", sport, dport, ulen, 0) + payload
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return s


def udp_csum(src, dst, sport, dport, payload):
    """The UDP checksum as sent (a computed 0 goes out as 0xffff)."""
    return (~udp_sum(src, dst, sport, dport, payload) & 0xffff) or 0xffff


def zero_csum_case():
    """A UDP packet whose checksum computes to 0 for one source port X."""
    src, dst, dport = GUEST_IP, "10.3.5.1", 7
    for n in range(256):
        payload = b"zz" + bytes([n])
        s0 = udp_sum(src, dst, 0, dport, payload)
        x = 0xffff - s0          # fold(s0 + x) == 0xffff: checksum 0
        if 100 <= x <= 65000 and udp_sum(src, dst, x, dport, payload) == 0xffff:
            return {"src": src, "dst": dst, "dport": dport, "payload": payload, "x": x}
    raise RuntimeError("no zero-checksum port found")


INC = {  # the increment case: start values and ranges
    "sport": (1090, 1000, 1099, 7),   # (start, min, max, step)
    "dport": (10, 10, 20, 1),
    "seq": (4294967000, 4294967000, 4294967295, 50),
    "id": (65530, 65530, 65535, 1),
    "src": (ip2int("10.1.0.100"), ip2int("10.1.0.100"), ip2int("10.1.0.109"), 3),
}
INC6 = {  # the IPv6 increment case; "src": the source's low 32 bits
    "sport": (1090, 1000, 1099, 7),
    "seq": (4294967000, 4294967000, 4294967295, 50),
    "flow": (1048572, 1048570, 1048575, 1),
    "src": (0x100, 0x100, 0x109, 3),
}
SRC6 = "2001:db8:77::"   # the IPv6 sources' high 96 bits


def inc_expect(field, i, table=INC):
    start, lo, hi, step = table[field]
    return lo + (start - lo + i * step) % (hi - lo + 1)


def src6(low):
    """The IPv6 source with these low 32 bits, as tshark prints it."""
    import ipaddress
    return str(ipaddress.IPv6Address(int(ipaddress.IPv6Address(SRC6)) | low))


def inc_case(name, dst, count, *extra, **more):
    """A burst whose fields follow INC, judged packet by packet."""
    return dict({"name": name, "dst": dst, "count": count, "inc": True, "l4": "tcp",
                 "args": direct(dst, "--sport", "1090", "--data", "inc", "--count", str(count),
                                "--vary", "sport=inc:1000-1099/7", "--vary", "dport=inc:10-20",
                                "--vary", "seq=inc:4294967000-4294967295/50",
                                "--vary", "id=inc:65530-65535",
                                "--vary", "src=inc:10.1.0.100-10.1.0.109/3", *extra)}, **more)


def inc6_case(name, dst, count, *extra):
    """IPv6's: fields following INC6 (eth0 has IPv6 disabled in the guest:
    the source is given)."""
    return {"name": name, "dst": dst, "count": count, "v6": True, "inc6": True, "l4": "tcp",
            "args": direct(dst, "--src", src6(0x100), "--sport", "1090", "--data", "inc6",
                           "--count", str(count), "--flow-label", "1048572",
                           "--vary", "sport=inc:1000-1099/7",
                           "--vary", "seq=inc:4294967000-4294967295/50",
                           "--vary", "flow-label=inc:1048570-1048575",
                           "--vary", "src=inc:%s-%s/3" % (src6(0x100), src6(0x109)), *extra)}


def cases():
    z = zero_csum_case()
    return [
        {"name": "identical burst (one shared skb)", "dst": "10.3.1.1", "count": 500,
         "args": direct("10.3.1.1", "--udp", "--sport", "5000", "--dport", "6000",
                        "--data", "identical", "--count", "500"),
         "identical": True, "l4": "udp"},
        {"name": "identical burst, --copy (dev_queue_xmit per packet)", "dst": "10.3.2.1",
         "count": 300,
         "args": direct("10.3.2.1", "--udp", "--sport", "5001", "--dport", "6001",
                        "--data", "copied", "--count", "300", "--copy"),
         "identical": True, "l4": "udp"},
        inc_case("increment with wrap (sport, dport, seq, id, src)", "10.3.3.1", 500),
        # The same run from two threads on two CPUs (--cpus 2): 250 packets
        # each, packet i still carrying the values of i.
        inc_case("increment with wrap, from 2 CPUs (--cpus 2)", "10.3.12.1", 500,
                 "--cpus", "2", cpus=2),
        # Root on e1000 asking for the driver: varied packets through the
        # ring of skbs straight to the driver, each slot rewritten only once
        # e1000 has completed it (asynchronously, at TX completion).
        inc_case("increment with wrap, straight to the driver (--inject driver: the ring)",
                 "10.3.18.1", 2000, "--inject", "driver"),
        {"name": "random within range (sport, id, src)", "dst": "10.3.4.1", "count": 500,
         "args": direct("10.3.4.1", "--udp", "--data", "rnd", "--count", "500",
                        "--vary", "sport=rand:2000-2010", "--vary", "id=rand:100-200",
                        "--vary", "src=rand:192.0.2.1-192.0.2.50"),
         "random": {"udp.srcport": (2000, 2010), "ip.id": (100, 200),
                    "ip.src": (ip2int("192.0.2.1"), ip2int("192.0.2.50"))},
         "l4": "udp"},
        {"name": "UDP checksum through 0 (sent as 0xffff) and back", "dst": z["dst"],
         "count": 10,
         "args": ["--dev", "eth0", "--dst-mac", PEER_MAC, "--dst", z["dst"], "--src", z["src"],
                  "--udp", "--dport", str(z["dport"]), "--data-hex", z["payload"].hex(),
                  "--sport", str(z["x"] - 2),
                  "--count", "10", "--vary", "sport=inc:%d-%d" % (z["x"] - 2, z["x"] + 2)],
         "zero": z, "l4": "udp"},
        {"name": "forced checksums stay literal while fields vary", "dst": "10.3.6.1",
         "count": 50,
         "args": direct("10.3.6.1", "--count", "50", "--l4-csum", "0x1234",
                        "--ip-csum", "0x4321", "--vary", "sport=inc:100-199",
                        "--vary", "id=inc:1-50"),
         "forced": True, "l4": "tcp"},
        inc6_case("IPv6: increment with wrap (sport, seq, flow label, source low bits)",
                  "2001:db8:3:1::1", 300),
        inc6_case("IPv6: increment with wrap, straight to the driver (--inject driver: the ring)",
                  "2001:db8:3:5::1", 600, "--inject", "driver"),
        {"name": "IPv6: random within range (sport, flow label, source low bits), "
                 "through a Hop-by-Hop header", "dst": "2001:db8:3:2::1", "count": 300, "v6": True,
         "args": direct("2001:db8:3:2::1", "--src", src6(1), "--udp", "--data", "rnd6",
                        "--count", "300", "--ext", "hbh=ra=0",
                        "--vary", "sport=rand:2000-2010", "--flow-label", "rand:5-900",
                        "--vary", "src=rand:%s-%s" % (src6(1), src6(50))),
         "random": {"udp.srcport": (2000, 2010), "ipv6.flow": (5, 900),
                    "ipv6.src": (1, 50)},
         "l4": "udp"},
        {"name": "IPv6: ICMPv6 echo with varied source behind a Routing header",
         "dst": "2001:db8:3:3::1", "count": 20, "v6": True,
         "args": direct("2001:db8:3:3::1", "--src", src6(0x50), "--icmp", "--count", "20",
                        "--ext", "rt=0:2001:db8:3:3::a,2001:db8:3:3::b",
                        "--vary", "src=inc:%s-%s" % (src6(0x50), src6(0x52))),
         "icmp6": True, "l4": "icmpv6"},
        # A Home Address option stands in for the source in the checksum: the
        # varied header source must then leave the checksum alone.
        {"name": "IPv6: UDP with a Home Address option, varied header source",
         "dst": "2001:db8:3:4::1", "count": 12, "v6": True,
         "args": direct("2001:db8:3:4::1", "--src", src6(0x60), "--udp", "--data", "hao",
                        "--count", "12", "--ext", "dst=raw=c910" + "20010db8007700000000000000000bad",
                        "--vary", "src=inc:%s-%s" % (src6(0x60), src6(0x63))),
         "l4": "udp"},
        {"name": "ICMP with varied ID and source", "dst": "10.3.7.1", "count": 20,
         "args": direct("10.3.7.1", "--icmp", "--count", "20", "--vary", "id=inc:1-5",
                        "--vary", "src=inc:10.1.0.50-10.1.0.52"),
         "icmp": True, "l4": "icmp"},
    ]


# ---------------------------------------------------------------- guest side
IOC_SEND = ABI.IOC_SEND
IOC_BUILD = ABI.IOC_BUILD
IOC_STATS = ABI.IOC_GET_STATS
EINVAL, EFAULT, E2BIG, EINTR = 22, 14, 7, 4


def read_int(path):
    with open(path) as f:
        return int(f.read().strip())


def settled_tx(want=None):
    """eth0's tx_packets once the driver has cleaned its ring: e1000 counts a
    packet when it reclaims the descriptor, which on a busy host can lag the
    send by far more than a fixed wait. First until it reaches @want (what
    the module says it sent; at most 20 s: only a run that lost packets
    waits that long), then until three reads 50 ms apart agree."""
    import time
    deadline = time.monotonic() + 20
    v = read_int("/sys/class/net/eth0/statistics/tx_packets")
    while want is not None and v < want and time.monotonic() < deadline:
        time.sleep(0.02)
        v = read_int("/sys/class/net/eth0/statistics/tx_packets")
    last, stable = -1, 0
    for _ in range(100):
        v = read_int("/sys/class/net/eth0/statistics/tx_packets")
        stable = stable + 1 if v == last else 0
        if stable >= 3:
            break
        last = v
        time.sleep(0.05)
    return v


def snapshot(prev=None):
    """The module's counters and eth0's tx; after @prev, eth0's tx once it
    has caught up with the packets the module counted since (every burst
    here goes out on eth0)."""
    d = {}
    for name in sorted(os.listdir(uapi.STATS_DIR)):
        if name == "drop_reasons":      # text: one "REASON count" a line
            continue
        d[name] = uapi.stat(name)
    d["tx"] = settled_tx(prev["tx"] + d["packets"] - prev["packets"] if prev else None)
    # Where packets could go instead, for a failing check's detail: the
    # device's drops and its root qdisc's counters.
    d["eth0_tx_dropped"] = read_int("/sys/class/net/eth0/statistics/tx_dropped")
    try:
        q = json.loads(subprocess.run(["tc", "-s", "-j", "qdisc", "show", "dev", "eth0"],
                                      capture_output=True, text=True).stdout)[0]
        for k in ("packets", "drops", "requeues", "overlimits", "qlen"):
            d["qdisc_" + k] = int(q.get(k, 0))
    except (ValueError, IndexError, OSError):
        pass
    return d


def delta(a, b):
    return {k: b[k] - a[k] for k in a if k in b}


class Raw:
    """struct pktcraft_req by hand, sent with ioctl() (for refusals): every
    field by its name, at the header's offset and width (uapi.py)."""
    SIZE = ABI.req.size

    def __init__(self, dst="10.3.11.1", size=SIZE):
        import socket
        R = ABI.req
        self.b = bytearray(self.SIZE)
        self.set(size=size, ifindex=socket.if_nametoindex("eth0"), ip_ttl=64, sport=1111, dport=2222,
                 l4=ABI.L4_UDP)
        self.b[R.offset("dst_mac"):R.offset("dst_mac") + R["dst_mac"].size] = \
            bytes(int(x, 16) for x in PEER_MAC.split(":"))
        self.b[R.offset("ip_daddr"):R.offset("ip_daddr") + 4] = bytes(int(x) for x in dst.split("."))

    def set(self, **fields):
        for name, v in fields.items():
            ABI.req.pack_into(self.b, name, v)
        return self

    def vary(self, f, mode, step=0, lo=0, hi=0, res=None):
        base, V = ABI.req.offset("vary", f), ABI.vary
        V.pack_into(self.b, "mode", mode, base)
        for i, x in enumerate(res or [0] * V["reserved"].count):
            V.pack_into(self.b, "reserved", x, base, i)
        for name, v in (("step", step), ("min", lo), ("max", hi)):
            V.pack_into(self.b, name, v, base)
        return self


_libc = None


def ioctl_ptr(fd, cmd, addr):
    """ioctl(fd, cmd, (void *)addr) through libc; (return value, errno)."""
    import ctypes
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(None, use_errno=True)
        _libc.ioctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p]
        _libc.ioctl.restype = ctypes.c_int
    rc = _libc.ioctl(fd, cmd, addr)
    return rc, (ctypes.get_errno() if rc < 0 else 0)


def ioctl_addr(fd, cmd, buf):
    """ioctl with a pointer to a ctypes buffer."""
    import ctypes
    return ioctl_ptr(fd, cmd, ctypes.addressof(buf))


def check(ok, name, detail=""):
    print("CHECK " + json.dumps({"ok": bool(ok), "name": name, "detail": detail}), flush=True)


def guest_refusals(fd):
    """Malformed burst requests: EINVAL (or EFAULT), nothing sent."""
    import ctypes
    import mmap
    import time
    SPORT, DPORT, SEQ, IPID = ABI.VARY_SPORT, ABI.VARY_DPORT, ABI.VARY_TCP_SEQ, ABI.VARY_IP_ID
    INCm, RANDm = ABI.VARY_INC, ABI.VARY_RANDOM
    no_vary = ABI.VARY_RANDOM + 1
    now_ns = time.clock_gettime_ns(time.CLOCK_MONOTONIC)
    bad = [
        ("count above PKTCRAFT_MAX_COUNT", Raw().set(count=ABI.MAX_COUNT + 1)),
        ("unknown burst flag", Raw().set(burst_flags=ABI.BURST_F_ALL + 1)),
        ("reserved3 not zero", Raw().set(reserved3=1)),
        ("gap_ns above 10 s", Raw().set(count=2, gap_ns=ABI.MAX_GAP_NS + 1)),
        ("start_ns more than 10 s ahead", Raw().set(count=2, start_ns=now_ns + ABI.MAX_GAP_NS + 50 * 10**9)),
        ("unknown vary mode", Raw().vary(SPORT, no_vary, 0, 0, 65535)),
        ("vary reserved byte", Raw().vary(SPORT, INCm, 1, 0, 65535, [0, 1, 0])),
        ("mode none with a range", Raw().vary(DPORT, 0, 0, 1, 2)),
        ("min > max", Raw().vary(SPORT, INCm, 1, 2000, 1000)),
        ("port range above 0xffff", Raw().vary(SPORT, INCm, 1, 0, 65536)),
        ("ID range above 0xffff", Raw().vary(IPID, RANDm, 0, 0, 70000)),
        ("start value outside the range", Raw().vary(SPORT, INCm, 1, 2000, 3000)),
        ("increment with step 0", Raw().vary(SPORT, INCm, 0, 1000, 2000).set(sport=1500)),
        ("random with a step", Raw().vary(SPORT, RANDm, 5, 1000, 2000).set(sport=1500)),
        ("sequence number varied on UDP", Raw().vary(SEQ, INCm, 1, 0, 100)),
        ("ports varied on ICMP",
         Raw().set(l4=ABI.L4_ICMP, sport=0, dport=0, icmp_type=8).vary(SPORT, INCm, 1, 0, 100)),
    ]
    before = snapshot()
    for name, r in bad:
        buf = ctypes.create_string_buffer(bytes(r.b), Raw.SIZE)
        rc, err = ioctl_addr(fd, IOC_SEND, buf)
        check(rc == -1 and err == EINVAL, "burst refusal: %s: EINVAL" % name,
              "returned %d errno %d" % (rc, err))
    # BUILD takes single packets only.
    req = ctypes.create_string_buffer(bytes(Raw().set(count=2).b), Raw.SIZE)
    frame = ctypes.create_string_buffer(2048)
    b = ctypes.create_string_buffer(ABI.build.size)
    for name, v in (("size", ABI.build.size), ("req", ctypes.addressof(req)),
                    ("buf", ctypes.addressof(frame)), ("buf_len", 2048)):
        ABI.build.pack_into(b, name, v)
    rc, err = ioctl_addr(fd, IOC_BUILD, b)
    check(rc == -1 and err == EINVAL, "burst refusal: BUILD of a burst (count 2): EINVAL",
          "returned %d errno %d" % (rc, err))
    # The results of a burst cannot be written back: EFAULT before sending.
    libc = ctypes.CDLL(None, use_errno=True)
    mm = mmap.mmap(-1, 4096)
    mm[:Raw.SIZE] = bytes(Raw().set(count=2).b)
    cbuf = ctypes.c_char.from_buffer(mm)
    addr = ctypes.addressof(cbuf)
    libc.mprotect(ctypes.c_void_p(addr), 4096, 1)  # PROT_READ
    rc, err = ioctl_ptr(fd, IOC_SEND, addr)
    check(rc == -1 and err == EFAULT,
          "burst refusal: read-only request with count 2: EFAULT before sending",
          "returned %d errno %d" % (rc, err))
    libc.mprotect(ctypes.c_void_p(addr), 4096, 3)
    del cbuf
    mm.close()
    d = delta(before, snapshot(before))
    check(d["tx"] == 0 and d["packets"] == 0, "burst refusals sent nothing (eth0 tx and module packets unchanged)",
          json.dumps(d))
    check(d["err_inval"] == len(bad) + 1 and d["err_fault"] == 1,
          "GET_STATS counters: %d refusals counted as err_inval, 1 as err_fault" % (len(bad) + 1),
          json.dumps(d))
    # Older request sizes are still accepted (one packet each, to 10.3.11.1).
    for size, label in ((ABI.REQ_SIZE_VER0, "version 0 (%d bytes)" % ABI.REQ_SIZE_VER0),
                        (ABI.REQ_SIZE_VER1, "version 1 (%d bytes)" % ABI.REQ_SIZE_VER1)):
        r = Raw(size=size)
        if size == ABI.REQ_SIZE_VER0:
            r.set(l4=ABI.L4_TCP, tcp_win=1000)      # version 0 has no l4: TCP, with a window
        buf = ctypes.create_string_buffer(bytes(r.b), Raw.SIZE)
        rc, err = ioctl_addr(fd, IOC_SEND, buf)
        check(rc == 1, "old request size %s still accepted: one packet" % label,
              "returned %d errno %d" % (rc, err))


def guest_stats_struct(fd):
    import ctypes
    S, C = ABI.stats, ABI.counters
    ver0 = ABI.STATS_SIZE_VER0
    full = S.size           # the header's newest version, which the module fills
    buf = ctypes.create_string_buffer(b"\xaa" * 1024, 1024)
    S.pack_into(buf, "size", 1024)
    S.pack_into(buf, "flags", 0)
    for n in ("drops", "nr_drops", "drop_size"):    # version 1: no array
        S.pack_into(buf, n, 0)
    rc, err = ioctl_addr(fd, IOC_STATS, buf)
    raw = buf.raw
    size = S.unpack_from(raw, "size")
    names = C.names
    file_c = [C.unpack_from(raw, n, S.offset("file")) for n in names]
    mod_c = [C.unpack_from(raw, n, S.offset("module")) for n in names]
    file_r = C.unpack_all(raw, "reserved", S.offset("file"))
    mod_r = C.unpack_all(raw, "reserved", S.offset("module"))
    sysfs = snapshot()
    check(rc == 0 and size == full, "GET_STATS: returns 0 and size %d for a 1024-byte struct" % full,
          "rc %d errno %d size %d" % (rc, err, size))
    check(not any(file_r) and not any(mod_r), "GET_STATS: reserved counters zeroed (file and module)",
          "file %s module %s" % (file_r, mod_r))
    check(raw[full:1024] == b"\0" * (1024 - full),
          "GET_STATS: the caller's struct beyond %d bytes zeroed" % full, raw[full:1024].hex()[:80])
    # Version 0's size: that much is written, nothing after it.
    b0 = ctypes.create_string_buffer(b"\xaa" * 1024, 1024)
    S.pack_into(b0, "size", ver0)
    S.pack_into(b0, "flags", 0)
    rc, err = ioctl_addr(fd, IOC_STATS, b0)
    check(rc == 0 and S.unpack_from(b0.raw, "size") == ver0 and b0.raw[ver0:] == b"\xaa" * (1024 - ver0),
          "GET_STATS: a version 0 caller (%d bytes) gets %d bytes, nothing beyond" % (ver0, ver0),
          "rc %d errno %d size %d" % (rc, err, S.unpack_from(b0.raw, "size")))
    # Between two versions: the older one filled, the rest of size zeroed.
    mid = (ver0 + full) // 2
    b1 = ctypes.create_string_buffer(b"\xaa" * 1024, 1024)
    S.pack_into(b1, "size", mid)
    S.pack_into(b1, "flags", 0)
    rc, err = ioctl_addr(fd, IOC_STATS, b1)
    check(rc == 0 and S.unpack_from(b1.raw, "size") == ver0 and b1.raw[ver0:mid] == b"\0" * (mid - ver0) and
          b1.raw[mid:] == b"\xaa" * (1024 - mid),
          "GET_STATS: a %d-byte struct (between versions) gets version 0's %d, the rest zeroed, nothing beyond"
          % (mid, ver0), "rc %d errno %d size %d" % (rc, err, S.unpack_from(b1.raw, "size")))
    check(all(v == 0 for v in file_c), "GET_STATS: a fresh file's counters are 0", str(file_c))
    check(set(names) <= set(sysfs) and all(mod_c[i] == sysfs[n] for i, n in enumerate(names)),
          "GET_STATS: module counters (%d, the header's) equal /sys/class/misc/pktcraft/stats/*" % len(names),
          "ioctl %s sysfs %s" % (dict(zip(names, mod_c)), sysfs))
    for label, size_in, flags, want in (("size below version 0", ver0 - 1, 0, EINVAL),
                                        ("flags not 0", ver0, 1, EINVAL),
                                        ("size above a page", 8192, 0, E2BIG)):
        b = ctypes.create_string_buffer(8192)
        S.pack_into(b, "size", size_in)
        S.pack_into(b, "flags", flags)
        rc, err = ioctl_addr(fd, IOC_STATS, b)
        check(rc == -1 and err == want, "GET_STATS refusal: %s" % label,
              "rc %d errno %d" % (rc, err))


def guest_kernel_interrupt(fd):
    """One SEND of 100000 paced packets, a signal after 1 s: partial count."""
    import ctypes
    import signal
    signal.signal(signal.SIGALRM, lambda *a: None)
    r = Raw(dst="10.3.9.1").set(count=100000, gap_ns=500000)  # 2000 pps
    buf = ctypes.create_string_buffer(bytes(r.b), Raw.SIZE)
    before = snapshot()
    signal.setitimer(signal.ITIMER_REAL, 1.0)
    rc, err = ioctl_addr(fd, IOC_SEND, buf)
    signal.setitimer(signal.ITIMER_REAL, 0)
    sent, res, dropped = (ABI.req.unpack_from(buf.raw, n) for n in ("sent", "result_err", "dropped"))
    d = delta(before, snapshot(before))
    print("BURST " + json.dumps({"name": "kernel-interrupt", "rc": rc, "errno": err,
                                 "sent": sent, "result_err": res, "dropped": dropped,
                                 "delta": d}), flush=True)


def cli_burst(cli, name, args, **extra):
    """Runs `pktcraft send --json ARGS`; prints its BURST line (summary, counters)."""
    before = snapshot()
    p = subprocess.run([cli, "send", "--no-replies", "--json"] + args, capture_output=True, text=True)
    res = dict(extra, name=name, rc=p.returncode, stderr=p.stderr[-1000:],
               delta=delta(before, snapshot(before)))
    try:
        res["summary"] = json.loads(p.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        res["summary"] = None
    print("BURST " + json.dumps(res), flush=True)


def run_guest_rate():
    """The paced run alone (the -icount guest)."""
    cli = os.path.join(TOP, "userspace", "pktcraft")
    cli_burst(cli, "rate", ["--udp", "--rate", str(RATE_PPS), "--count",
                            str(RATE_PPS * RATE_SECS)] + direct(RATE_DST), dst=RATE_DST)


def guest_cpus_queues(cli):
    """--cpus 2 on a dummy with two transmit queues under mq, XPS mapping
    CPU 0 to queue 0 and CPU 1 to queue 1: each queue's own qdisc counts
    the half its CPU's thread sent (the kernel's judgment of which CPU each
    SEND ran on)."""
    import re
    if os.cpu_count() < 2:
        check(False, "--cpus 2: the guest has two CPUs", "os.cpu_count() = %s" % os.cpu_count())
        return
    for c in (["ip", "link", "add", "pc-mq0", "numtxqueues", "2", "type", "dummy"],
              ["ip", "link", "set", "pc-mq0", "txqueuelen", "1000", "up"],
              ["tc", "qdisc", "replace", "dev", "pc-mq0", "root", "handle", "1:", "mq"]):
        subprocess.run(c, check=True, capture_output=True)
    for q, mask in ((0, "1"), (1, "2")):
        put("/sys/class/net/pc-mq0/queues/tx-%d/xps_cpus" % q, mask)

    def per_queue():
        out = subprocess.run(["tc", "-s", "qdisc", "show", "dev", "pc-mq0"],
                             capture_output=True, text=True).stdout
        # children of mq: "qdisc pfifo_fast 0: parent 1:1 ... Sent B bytes N pkt"
        got = {}
        for m in re.finditer(r"parent 1:(\d+)[^\n]*\n\s*Sent \d+ bytes (\d+) pkt", out):
            got[int(m.group(1))] = int(m.group(2))
        return got, out

    def run(*args):
        """The CLI's result and what each queue's qdisc counted meanwhile."""
        before, _ = per_queue()
        p = subprocess.run(list(args), capture_output=True, text=True)
        after, out = per_queue()
        return p, {k: after.get(k, 0) - before.get(k, 0) for k in after}, out

    p, d, out = run(cli, "send", "--json", "--udp", "--dev", "pc-mq0", "--dst", "10.3.13.1",
                    "--dst-mac", PEER_MAC, "--src", "10.3.13.2", "--count", "2000",
                    "--vary", "sport=inc:1-2000", "--cpus", "2")
    try:
        s = json.loads(p.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        s = {}
    check(p.returncode == 0 and s.get("sent") == 2000 and s.get("cpus") == 2,
          "--cpus 2 on a 2-queue dummy: 2000 sent, exit 0, summary says 2 CPUs",
          "exit %d %s %s" % (p.returncode, s, p.stderr[-500:]))
    check(d == {1: 1000, 2: 1000},
          "--cpus 2: XPS put each thread's 1000 packets on its CPU's queue (mq children 1:1 and 1:2 "
          "each counted 1000)", "per queue %s; tc: %s" % (d, out[-800:]))
    # One CPU: all on the queue of the CPU the thread is pinned to.
    p, d, out = run("taskset", "-c", "1", cli, "send", "--json", "--udp", "--dev", "pc-mq0",
                    "--dst", "10.3.13.1", "--dst-mac", PEER_MAC, "--src", "10.3.13.2",
                    "--count", "300", "--cpus", "1")
    check(p.returncode == 0 and d == {1: 0, 2: 300},
          "--cpus 1 under taskset -c 1: all 300 on CPU 1's queue (the judge tells the queues apart)",
          "exit %d per queue %s %s" % (p.returncode, d, p.stderr[-300:]))
    # Three SENDs' worth from two threads: four blocks of 12288, two each
    # (not two blocks of 16384 for one thread and one for the other). Varied,
    # with a qdisc on each queue, so through the qdiscs (not straight to the
    # driver, as on a dummy without one).
    p, d, out = run(cli, "send", "--json", "--udp", "--dev", "pc-mq0", "--dst", "10.3.13.1",
                    "--dst-mac", PEER_MAC, "--src", "10.3.13.2", "--count", "49152",
                    "--vary", "sport=inc:1-49152", "--cpus", "2")
    check(p.returncode == 0 and d == {1: 24576, 2: 24576},
          "--cpus 2, 49152 packets (three SENDs of 16384): each thread sends half (24576 on "
          "each CPU's queue)", "exit %d per queue %s %s" % (p.returncode, d, p.stderr[-300:]))
    p = subprocess.run(["taskset", "-c", "1", cli, "send", "--udp", "--dev", "pc-mq0", "--dst",
                        "10.3.13.1", "--count", "10", "--cpus", "2"], capture_output=True, text=True)
    check(p.returncode == 2 and "--cpus 2" in p.stderr and p.stderr.count("\n") == 1,
          "--cpus 2 under taskset -c 1: one line saying the process may run on 1 CPU, exit 2",
          "exit %d stderr %r" % (p.returncode, p.stderr))
    subprocess.run(["ip", "link", "del", "pc-mq0"], capture_output=True)


def udp4_frame(frame):
    """(source port, IP checksum good, UDP checksum good, dst) of an
    Ethernet/IPv4/UDP frame, checked here, or None."""
    if len(frame) < 42 or frame[12:14] != b"\x08\x00" or frame[23] != 17:
        return None
    ihl = (frame[14] & 15) * 4
    ip = frame[14:14 + ihl]
    s = sum(struct.unpack("!%dH" % (ihl // 2), ip))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    tot = struct.unpack("!H", frame[16:18])[0]
    src, dst = (".".join(str(b) for b in ip[o:o + 4]) for o in (12, 16))
    udp = frame[14 + ihl:14 + tot]
    sport, dport, _, csum = struct.unpack("!HHHH", udp[:8])
    return (sport, s == 0xffff, csum == udp_csum(src, dst, sport, dport, udp[8:]), dst)


def tap_on(dev, rcvbuf=0):
    """An AF_PACKET socket that sees every frame on @dev (ETH_P_ALL), with a
    receive buffer of @rcvbuf bytes if given (SO_RCVBUFFORCE)."""
    import socket
    tap = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
    if rcvbuf:
        tap.setsockopt(socket.SOL_SOCKET, 33, rcvbuf)
    tap.bind((dev, 0))
    return tap


def tap_drain(tap, pick):
    """Closes @tap, after reading every frame it holds: pick(frame) of each,
    those that are not None."""
    tap.setblocking(False)
    out = []
    while True:
        try:
            v = pick(tap.recv(65536))
        except BlockingIOError:
            break
        if v is not None:
            out.append(v)
    tap.close()
    return out


def udp4_to(dst):
    """A tap_drain() pick: udp4_frame() of a frame to @dst, else None."""
    def pick(frame):
        u = udp4_frame(frame)
        return u if u and u[3] == dst else None
    return pick


def guest_ring_tap(cli):
    """Root's varied burst on a dummy without a qdisc goes straight to the
    driver through the ring of skbs (tests/trace shows path=driver); an
    AF_PACKET socket on the dummy still sees every packet, each once, with
    good checksums, although its clones keep slots busy (a busy slot gets a
    new copy). Then the same without the tap: the dummy counts them all."""
    for c in (["ip", "link", "add", "pc-rg0", "type", "dummy"],
              ["ip", "link", "set", "pc-rg0", "up"]):
        subprocess.run(c, check=True, capture_output=True)
    n, dst = 1000, "10.3.19.1"
    args = [cli, "send", "--no-replies", "--json", "--udp", "--dev", "pc-rg0", "--dst", dst, "--dst-mac",
            PEER_MAC, "--src", "10.3.19.2", "--dport", "7", "--data", "ring", "--count",
            str(n), "--vary", "sport=inc:1-%d" % n]
    tap = tap_on("pc-rg0", 64 << 20)
    p = subprocess.run(args, capture_output=True, text=True)
    seen = tap_drain(tap, udp4_to(dst))
    try:
        s = json.loads(p.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        s = {}
    ports = sorted(u[0] for u in seen)
    check(p.returncode == 0 and s.get("sent") == n,
          "root's varied burst of %d on a dummy without a qdisc, a tap open: %d sent, exit 0"
          % (n, n), "exit %d %s %s" % (p.returncode, s, p.stderr[-300:]))
    check(ports == list(range(1, n + 1)),
          "... the tap (AF_PACKET on the dummy) saw source ports 1..%d, each once" % n,
          "%d frames, first %s, missing %s" % (len(ports), ports[:5],
                                               sorted(set(range(1, n + 1)) - set(ports))[:5]))
    bad = [u for u in seen if not (u[1] and u[2])]
    check(seen and not bad, "... IP and UDP checksums good in every frame the tap saw "
          "(checked here, not by the module)", "bad: %s" % bad[:5])

    def tx():
        return read_int("/sys/class/net/pc-rg0/statistics/tx_packets")
    t0 = tx()
    p = subprocess.run(args, capture_output=True, text=True)
    check(p.returncode == 0 and tx() - t0 == n,
          "the same burst without a tap: the dummy's tx_packets +%d, exit 0" % n,
          "exit %d tx +%d %s" % (p.returncode, tx() - t0, p.stderr[-300:]))
    subprocess.run(["ip", "link", "del", "pc-rg0"], capture_output=True)


def guest_ring_kept():
    """One open file keeps its ring of skbs from one burst to the next.
    Through one pktcraft.Device: a burst on dummy A, after which the kept
    skbs are not in flight (their send-buffer charge given back); A
    deleted while the ring waits (its skbs must forget A); bursts on dummy B
    (MTU 9000), the second of another size, the third of frames larger
    than a page (not kept: alloc_skb()). A tap on B judges each: the
    source ports, each once, and good checksums."""
    import ctypes
    import fcntl
    sys.path.insert(0, os.path.join(TOP, "python"))
    import pktcraft
    for dev in ("pc-ra0", "pc-rb0"):
        for c in (["ip", "link", "add", dev, "type", "dummy"], ["ip", "link", "set", dev, "mtu",
                                                                "9000", "up"]):
            subprocess.run(c, check=True, capture_output=True)
    dst = "10.3.20.1"

    def burst(d, dev, n, size):
        req = pktcraft.Request(dev=dev, dst=dst, src="10.3.20.2", dst_mac=PEER_MAC, udp=True,
                               dport=7, sport=1, data="k" * size, count=n,
                               vary={"sport": ("inc", 1, n)})
        return d.send(req)

    with pktcraft.Device() as d:
        first = burst(d, "pc-ra0", 500, 40)
        sb = pktcraft.Sndbuf(size=ctypes.sizeof(pktcraft.Sndbuf))
        fcntl.ioctl(d.fd, pktcraft.IOC_SNDBUF, sb)
        check(first == 500 and sb.in_flight == 0,
              "root's varied burst of 500 on a dummy: sent 500, and nothing is left charged to "
              "the send buffer (SNDBUF in_flight 0: the ring's skbs are never charged)",
              "sent %s, in_flight %d bytes" % (first, sb.in_flight))
        subprocess.run(["ip", "link", "del", "pc-ra0"], check=True, capture_output=True)
        for n, size in ((700, 40), (300, 100), (100, 3000)):
            tap = tap_on("pc-rb0", 16 << 20)
            rc = burst(d, "pc-rb0", n, size)
            seen = tap_drain(tap, udp4_to(dst))
            ports = sorted(u[0] for u in seen)
            check(rc == n and ports == list(range(1, n + 1)) and all(u[1] and u[2] for u in seen),
                  "one file's kept ring, dummy A deleted: %d packets of %d data bytes on dummy B: "
                  "sent %d, the tap on B saw source ports 1..%d each once with good IP and UDP "
                  "checksums" % (n, size, n, n),
                  "returned %s, %d frames, ports %s..., bad checksums %d"
                  % (rc, len(seen), ports[:5], sum(not (u[1] and u[2]) for u in seen)))
    subprocess.run(["ip", "link", "del", "pc-rb0"], capture_output=True)


def guest_single_kept():
    """A single packet on a dummy without a qdisc goes straight to the
    driver, and its skb is kept for the file's next single (apart from the
    ring of the file's bursts) once nobody else holds it: a tap's clone does, so each
    judged packet is sent with a tap on the dummy right after a 1400-byte
    datagram sent without one, and is built in that datagram's skb. scapy
    judges each frame (its own dissection and checksums, not the module's):
    different sizes and layouts; the smallest padded to 60 bytes with zeros,
    not with the datagram's bytes. The same after a varied burst (the ring),
    with the dummy deleted while the skb is kept (a single on a second
    dummy), and with a pfifo added there (the kept skb through the qdisc:
    tc counts it). That the skb is kept at all: the kernel's consume_skb
    tracepoint, which fires when an skb is freed, fires for nearly none of
    200 singles on the dummy, and for each of 200 through the pfifo."""
    sys.path.insert(0, os.path.join(TOP, "python"))
    import pktcraft
    from scapy.layers.inet import IP, TCP, UDP, ICMP
    from scapy.layers.inet6 import IPv6
    from scapy.layers.l2 import Ether
    from scapy.packet import Raw as Load
    # IPv6 on for pc-sa0, whose IPv6 case runs on a device with IPv6 on, as
    # a user's would; off for pc-sb0, said here rather than left to
    # guest-init's default, since its pfifo counts every frame: an IPv6
    # dummy sends router solicitations of its own (70 bytes; IFF_NOARP: no
    # DAD, no solicited-node group, so no MLD report).
    for dev, off in (("pc-sa0", 0), ("pc-sb0", 1)):
        for c in (["ip", "link", "add", dev, "type", "dummy"],
                  ["sysctl", "-qw", "net.ipv6.conf.%s.disable_ipv6=%d" % (dev, off)],
                  ["ip", "link", "set", dev, "up"]):
            subprocess.run(c, check=True, capture_output=True)
    dst, dst6, src, src6 = "10.3.21.1", "2001:db8:21::1", "10.3.21.2", "2001:db8:21::2"
    big = bytes(range(256)) * 5 + b"\xaa" * 120        # 1400 bytes, none of them 0 at the end

    def good(p, l4):
        """scapy's checksums of @p's headers, recomputed, equal the frame's."""
        q = p.copy()
        for layer in (IP, l4):
            if layer in q and hasattr(q[layer], "chksum"):
                del q[layer].chksum
        q = Ether(bytes(q))
        return all(q[x].chksum == p[x].chksum for x in (IP, l4) if x in p and
                   hasattr(p[x], "chksum"))

    def prime(d, dev):
        """A 1400-byte datagram, no tap: its skb is kept."""
        return d.send(pktcraft.Request(dev=dev, dst_mac=PEER_MAC, dst=dst, src=src, udp=True,
                                       sport=99, dport=7, payload=big))

    def tapped(d, dev, **kw):
        """One request with a tap on @dev: (returned, frames to PEER_MAC)."""
        tap = tap_on(dev)
        rc = d.send(pktcraft.Request(dev=dev, dst_mac=PEER_MAC, **kw))
        peer = bytes.fromhex(PEER_MAC.replace(":", ""))
        return rc, tap_drain(tap, lambda f: f if f[:6] == peer else None)

    def judged(what, d, dev, judge, **kw):
        pr = prime(d, dev)
        rc, seen = tapped(d, dev, **kw)
        p = Ether(seen[0]) if seen else None
        check(pr == 1 and rc == 1 and len(seen) == 1 and judge(seen[0], p),
              "a single on a dummy, built in the skb a 1400-byte datagram left: %s: sent, the "
              "tap saw it once, scapy finds its fields and checksums right" % what,
              "primed %s, returned %s, %d frames, %s" % (pr, rc, len(seen),
                                                         p.summary() if p else None))

    def udp_judge(sport, payload):
        return lambda f, p: (UDP in p and p[UDP].sport == sport and
                             bytes(p[UDP].payload)[:len(payload)] == payload and good(p, UDP))

    def consumed(fn):
        """(fn()'s result, skb:consume_skb events while it ran)."""
        res, lines = traced("pc-kept", {"skb/consume_skb": None}, fn)
        return res, sum("consume_skb:" in line for line in lines)

    with pktcraft.Device() as d:
        judged("a UDP datagram of 300 bytes", d, "pc-sa0", udp_judge(1, big[:300]),
               dst=dst, src=src, udp=True, sport=1, dport=7, payload=big[:300])
        judged("an empty UDP datagram (padded to 60 bytes with zeros)", d, "pc-sa0",
               lambda f, p: (len(f) == 60 and f[42:] == bytes(18) and UDP in p and
                             p[UDP].sport == 2 and p[UDP].len == 8 and good(p, UDP)),
               dst=dst, src=src, udp=True, sport=2, dport=7)
        judged("a TCP SYN with options", d, "pc-sa0",
               lambda f, p: (TCP in p and p[TCP].sport == 3 and p[TCP].flags == "S" and
                             dict((o[0], o[1]) for o in p[TCP].options).get("MSS") == 1460 and
                             good(p, TCP)),
               dst=dst, src=src, sport=3, dport=80, flags="S",
               tcp_opt="mss=1460,sackok,ts=1:0,nop,wscale=7")
        judged("an ICMP echo with IP options", d, "pc-sa0",
               lambda f, p: (ICMP in p and p[IP].ihl > 5 and Load in p and
                             p[Load].load == b"ping" and good(p, ICMP)),
               dst=dst, src=src, icmp=True, ip_opt="rr=2", data="ping")
        judged("an IPv6 UDP datagram", d, "pc-sa0",
               lambda f, p: (IPv6 in p and UDP in p and p[UDP].sport == 5 and
                             bytes(p[UDP].payload) == b"six" and good(p, UDP)),
               dst=dst6, src=src6, udp=True, sport=5, dport=7, data="six")
        n = d.send(pktcraft.Request(dev="pc-sa0", dst_mac=PEER_MAC, dst=dst, src=src, udp=True,
                                    dport=7, sport=1, data="ring", count=50,
                                    vary={"sport": ("inc", 1, 50)}))
        rc, seen = tapped(d, "pc-sa0", dst=dst, src=src, udp=True, sport=9, dport=7,
                          payload=big[:200])
        p = Ether(seen[0]) if seen else None
        check(n == 50 and rc == 1 and len(seen) == 1 and udp_judge(9, big[:200])(seen[0], p),
              "a varied burst of 50 (the ring), then a single: right",
              "burst %s, returned %s, %s" % (n, rc, p.summary() if p else None))
        pr = prime(d, "pc-sa0")
        subprocess.run(["ip", "link", "del", "pc-sa0"], check=True, capture_output=True)
        rc, seen = tapped(d, "pc-sb0", dst=dst, src=src, udp=True, sport=10, dport=7)
        p = Ether(seen[0]) if seen else None
        check(pr == 1 and rc == 1 and len(seen) == 1 and udp_judge(10, b"")(seen[0], p),
              "a dummy deleted while the file keeps the skb it sent: a single on a second dummy, "
              "built in it, is sent and right", "returned %s, %s" % (rc, p.summary() if p else None))

        def singles(dev, k):
            r = pktcraft.Request(dev=dev, dst_mac=PEER_MAC, dst=dst, src=src, udp=True, sport=11,
                                 dport=7)
            return sum(d.send(r) for _ in range(k))
        sent, n = consumed(lambda: singles("pc-sb0", 200))
        check(sent == 200 and n <= 20, "200 singles on the dummy without a qdisc: the kernel's "
              "consume_skb tracepoint fires for at most 20 (the skb is kept and used again)",
              "sent %d, consume_skb %d" % (sent, n))
        pr = prime(d, "pc-sb0")
        subprocess.run(["tc", "qdisc", "add", "dev", "pc-sb0", "root", "pfifo"], check=True,
                       capture_output=True)
        rc, seen = tapped(d, "pc-sb0", dst=dst, src=src, udp=True, sport=12, dport=7)
        p = Ether(seen[0]) if seen else None
        out = subprocess.run(["tc", "-s", "qdisc", "show", "dev", "pc-sb0", "root"],
                             capture_output=True, text=True).stdout
        m = re.search(r"Sent \d+ bytes (\d+) pkt", out)
        check(pr == 1 and rc == 1 and len(seen) == 1 and udp_judge(12, b"")(seen[0], p) and
              m and m.group(1) == "1", "a pfifo added there: the next single, built in the kept "
              "skb, goes through it (tc counts 1) and is right",
              "returned %s, %s, %r" % (rc, p.summary() if p else None, out))
        sent, n = consumed(lambda: singles("pc-sb0", 200))
        check(sent == 200 and n >= 200, "... and 200 singles through the pfifo: consume_skb "
              "fires for each (the control: an skb per packet)", "sent %d, consume_skb %d"
              % (sent, n))
    subprocess.run(["ip", "link", "del", "pc-sb0"], capture_output=True)


def guest_single_charged():
    """e1000 holds a transmitted skb until TX completion, so a single sent
    straight to its driver (--inject driver) is charged to the file's send
    buffer, as a PACKET_QDISC_BYPASS packet is; a dummy's, let go of at
    once and kept for the next single, is not. The judge is the kernel's:
    a kprobe on sock_wfree(), the destructor every charged skb runs when
    freed, counting only skbs of this test's length (skb->len's offset from
    the kernel's BTF, by pahole). Control: the same singles through eth0's
    pfifo, which the kernel's own path charges. The module's pktcraft_xmit
    tracepoint says which path each took. The frames carry another source
    MAC, so that the host's tally of eth0's frames leaves them out."""
    sys.path.insert(0, os.path.join(TOP, "python"))
    import pktcraft
    tr = tracefs_mount()
    if not os.path.exists("/sys/kernel/btf/vmlinux"):     # the debug kernel's config
        print("INFO: single charge: not judged on this kernel (no BTF for skb->len's offset)",
              flush=True)
        return
    try:        # pahole: dwarves, in scripts/deps' test set
        pa = subprocess.run(["pahole", "-C", "sk_buff"], capture_output=True, text=True)
        pa = pa.stdout + pa.stderr
    except OSError as e:
        pa = str(e)
    m = re.search(r"\n\tunsigned int\s+len;\s*/\*\s*(\d+)\s", pa)   # a member of its own
    check(m and os.path.exists(tr + "/kprobe_events"), "single charge: skb->len's offset in "
          "the kernel's BTF (pahole), kprobe events", pa[-300:])
    if not m or not os.path.exists(tr + "/kprobe_events"):
        return

    def kprobe(line):
        """One line to kprobe_events (not open(.., "a"): tracefs refuses its seek)."""
        fd = os.open(tr + "/kprobe_events", os.O_WRONLY | os.O_APPEND)
        try:
            os.write(fd, line.encode())
        finally:
            os.close(fd)

    data = b"c" * 77                            # 14 + 20 + 8 + 77 = 119 bytes

    def wfreed(dev, inject, k, want):
        """(sent, sock_wfree() calls on 119-byte skbs, pktcraft_xmit's
        paths) while @k singles go to @dev; waited for up to 20 s until
        @want (e1000 frees at TX completion), 1 s when @want is 0."""
        def send():
            with pktcraft.Device() as d:
                r = pktcraft.Request(dev=dev, dst_mac=PEER_MAC, src_mac="02:00:00:00:0c:01",
                                     dst="10.3.22.1", src="10.3.22.2", udp=True, sport=5,
                                     dport=7, payload=data, inject=inject)
                return sum(d.send(r) for _ in range(k))

        def freed(lines):
            return sum("sock_wfree:" in line for line in lines)
        sent, lines = traced("pc-charge", {"pcwfree/sock_wfree": "len == 119",
                                           "pktcraft/pktcraft_xmit": "len == 119"}, send,
                             until=lambda lines: want and freed(lines) >= want,
                             wait=20 if want else 1)
        paths = {}
        for line in lines:
            pm = re.search(r"pktcraft_xmit:.* path=(\w+)", line)
            if pm:
                paths[pm.group(1)] = paths.get(pm.group(1), 0) + 1
        return sent, freed(lines), paths

    kprobe("p:pcwfree/sock_wfree sock_wfree len=+%s(%%di):u32\n" % m.group(1))
    subprocess.run(["ip", "link", "add", "pc-sc0", "type", "dummy"], check=True)
    try:
        subprocess.run(["ip", "link", "set", "pc-sc0", "up"], check=True)
        k = 50
        for what, dev, inject, path, want in (
                ("through eth0's pfifo (the control: the kernel's path charges each)", "eth0",
                 "queue", "qdisc", k),
                ("straight to e1000's driver (--inject driver): charged, each", "eth0", "driver",
                 "driver", k),
                ("straight to a dummy's driver: not charged (the skb is kept)", "pc-sc0",
                 "queue", "driver", 0)):
            sent, n, paths = wfreed(dev, inject, k, want)
            check(sent == k and n == want and paths == {path: k},
                  "%d singles of 119 bytes %s: pktcraft_xmit path=%s for each, sock_wfree() "
                  "ran for %d" % (k, what, path, want),
                  "sent %d, sock_wfree on 119-byte skbs %d, paths %s" % (sent, n, paths))
    finally:
        subprocess.run(["ip", "link", "del", "pc-sc0"], capture_output=True)
        kprobe("-:pcwfree/sock_wfree\n")


def cli_signalled(cli, name, dst, args, act):
    """A CLI run to @dst, its output's last line a JSON summary; once it is
    seen sending, act(p) signals it and returns what to report with it."""
    import time
    before = snapshot()
    p = subprocess.Popen([cli, "send", "--no-replies", "--json", "--udp"] + args + direct(dst),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and p.poll() is None and \
            uapi.stat("packets") == before["packets"]:
        time.sleep(0.05)
    res = {"name": name}
    try:
        res.update(act(p, before))
    finally:
        try:
            out, err = p.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            p.kill()
            out, err = p.communicate()
    res.update({"rc": p.returncode, "stderr": err[-1000:], "delta": delta(before, snapshot(before))})
    try:
        res["summary"] = json.loads(out.strip().splitlines()[-1])
    except (ValueError, IndexError):
        res["summary"] = None
    print("BURST " + json.dumps(res), flush=True)


def cli_interrupt(cli, name, dst, *extra):
    """SIGINT to a paced CLI run of 100000 once it is seen sending."""
    import signal
    import time

    def act(p, before):
        time.sleep(1.0)
        p.send_signal(signal.SIGINT)
        return {}
    cli_signalled(cli, name, dst, ["--count", "100000", "--rate", "2000"] + list(extra), act)


# A paced run of 4 s, stopped 0.3 s after it is seen sending: 3.7 s for the
# stop to land before it ends, even in a loaded debug guest (a 1 s run was
# not enough; a helper's audit rated a 2 s run high risk at load 6).
STOP_COUNT, STOP_RATE = 800, 200


def cli_stop_continue(cli, name, dst, *extra):
    """SIGSTOP, then SIGCONT (Ctrl-Z, fg) to a paced CLI run (STOP_COUNT
    packets) once it is seen sending: the stop ends the SENDs under way with
    EINTR, and the run goes on from the first packet not handed over, at
    its rate (later by the time stopped, not what it missed at once)."""
    import signal
    import time

    def act(p, before):
        time.sleep(0.3)
        p.send_signal(signal.SIGSTOP)
        t_stop = time.monotonic()
        try:
            time.sleep(0.5)
            stopped_at = uapi.stat("packets") - before["packets"]
        finally:
            p.send_signal(signal.SIGCONT)
        return {"stopped_at": stopped_at, "stopped_s": time.monotonic() - t_stop}
    cli_signalled(cli, name, dst, stop_args() + list(extra), act)


def stop_args():
    return ["--count", str(STOP_COUNT), "--rate", str(STOP_RATE), "--vary",
            "sport=inc:1-%d" % STOP_COUNT]


def cli_freeze(cli, name, dst):
    """The same paced run frozen for 0.5 s by the cgroup v2 freezer (docker
    pause), which ends its SEND with EINTR and thaws without a SIGCONT."""
    import time
    cg = "/sys/fs/cgroup"
    if not os.path.exists(cg + "/cgroup.procs"):
        subprocess.run(["mount", "-t", "cgroup2", "none", cg], capture_output=True)
    os.makedirs(cg + "/pcfrz", exist_ok=True)

    def act(p, before):
        time.sleep(0.3)
        put(cg + "/pcfrz/cgroup.procs", str(p.pid))
        put(cg + "/pcfrz/cgroup.freeze", "1")
        t_stop = time.monotonic()
        try:
            time.sleep(0.5)
            stopped_at = uapi.stat("packets") - before["packets"]
        finally:
            put(cg + "/pcfrz/cgroup.freeze", "0")
        return {"stopped_at": stopped_at, "stopped_s": time.monotonic() - t_stop}
    cli_signalled(cli, name, dst, stop_args(), act)


def run_guest():
    import e2e
    e2e.guest_watchdog()
    cli = os.path.join(TOP, "userspace", "pktcraft")
    try:
        with open("/sys/devices/system/clocksource/clocksource0/current_clocksource") as f:
            print("CLOCKSOURCE " + f.read().strip(), flush=True)
    except OSError:
        pass
    # sent, eth0's tx and the wire agree only because eth0's qdisc never
    # drops what it accepted: guest-init gives it a pfifo (tests/vm/README.md)
    start = snapshot()
    fd = os.open("/dev/pktcraft", os.O_RDWR)
    guest_stats_struct(fd)
    guest_refusals(fd)
    for c in cases():
        cli_burst(cli, c["name"], c["args"])
    # Ctrl-C in the CLI during a paced run (once it is seen sending), from
    # one thread and from two (--cpus 2); then a signal inside one SEND.
    cli_interrupt(cli, "cli-interrupt", "10.3.8.1")
    cli_interrupt(cli, "cli-interrupt-cpus", "10.3.14.1", "--cpus", "2")
    # Stopped and continued (Ctrl-Z, fg): the run goes on to its end.
    cli_stop_continue(cli, "cli-stop-continue", "10.3.15.1")
    cli_stop_continue(cli, "cli-stop-continue-cpus", "10.3.16.1", "--cpus", "2")
    cli_freeze(cli, "cli-freeze", "10.3.17.1")
    guest_kernel_interrupt(fd)
    os.close(fd)
    print("TOTAL " + json.dumps(delta(start, snapshot(start))), flush=True)
    # After the whole run's eth0 tally: these packets go to a dummy.
    guest_cpus_queues(cli)
    guest_ring_tap(cli)
    guest_ring_kept()
    guest_single_kept()
    guest_single_charged()


# ----------------------------------------------------------------- host side
FIELDS = ["eth.src", "ip.src", "ip.dst", "ip.id", "ip.checksum", "ip.checksum.status",
          "udp.srcport", "udp.dstport", "udp.checksum", "udp.checksum.status",
          "tcp.srcport", "tcp.dstport", "tcp.seq_raw", "tcp.checksum", "tcp.checksum.status",
          "icmp.checksum.status", "ipv6.src", "ipv6.dst", "ipv6.flow", "icmpv6.checksum.status"]


def tshark_rows(path):
    cmd = ["tshark", "-r", path, "-T", "fields", "-E", "separator=\t",
           "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
           "-o", "udp.check_checksum:TRUE", "-o", "tcp.relative_sequence_numbers:FALSE",
           "-o", "tcp.analyze_sequence_numbers:FALSE"]
    for f in FIELDS:
        cmd += ["-e", f]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines():
        vals = line.split("\t")
        vals += [""] * (len(FIELDS) - len(vals))
        rows.append(dict(zip(FIELDS, vals)))
    return rows


def num(v):
    return int(v, 0) if v else None


class Tally:
    def __init__(self, label):
        self.label, self.passed, self.failed = label, 0, 0

    def check(self, ok, name, detail=""):
        if ok:
            self.passed += 1
            print("PASS: %s: %s" % (self.label, name))
        else:
            self.failed += 1
            print("FAIL: %s: %s: %s" % (self.label, name, detail))
        sys.stdout.flush()


def judge_case(t, c, r, pkts):
    """pkts: [(ts, frame, row)] to this case's destination, in wire order."""
    name = c["name"]
    s = r.get("summary") or {}
    t.check(r["rc"] == 0 and s.get("sent") == c["count"] and s.get("dropped") == 0,
            "%s: CLI sent %d, none dropped" % (name, c["count"]),
            "exit %d summary %s stderr %s" % (r["rc"], s, r["stderr"].strip()))
    t.check(len(pkts) == s.get("sent", -1),
            "%s: frames on the wire == reported sent (%s)" % (name, s.get("sent")),
            "wire %d" % len(pkts))
    d = r["delta"]
    t.check(d["packets"] == s.get("sent") == d["tx"] and d["bytes"] == s.get("bytes"),
            "%s: module counters (packets, bytes) == eth0 tx delta == reported" % name,
            "delta %s summary %s" % (d, s))
    rows = [p[2] for p in pkts]
    if not rows:
        return
    l4 = c["l4"]
    if c.get("forced"):
        ok = all(x["tcp.checksum"] == "0x1234" and x["ip.checksum"] == "0x4321" for x in rows)
        t.check(ok, "%s: every frame carries the forced 0x1234 / 0x4321" % name,
                str([(x["ip.checksum"], x["tcp.checksum"]) for x in rows[:5]]))
    elif c.get("v6"):   # no IP checksum; layer 4's over the IPv6 pseudo-header
        bad = [i for i, x in enumerate(rows) if x[l4 + ".checksum.status"] != "1"]
        t.check(not bad, "%s: tshark: %s checksums (IPv6 pseudo-header) good in all %d frames"
                % (name, l4.upper(), len(rows)),
                "bad at %s: %s" % (bad[:5], [rows[i] for i in bad[:2]]))
    else:
        bad = [i for i, x in enumerate(rows) if x["ip.checksum.status"] != "1" or
               x[l4 + ".checksum.status"] != "1"]
        t.check(not bad, "%s: tshark: IP and %s checksums good in all %d frames"
                % (name, l4.upper(), len(rows)),
                "bad at %s: %s" % (bad[:5], [rows[i] for i in bad[:2]]))
    if c.get("cpus"):
        t.check(s.get("cpus") == c["cpus"], "%s: the summary says %d CPUs" % (name, c["cpus"]),
                str(s))
    if c.get("identical"):
        first = pkts[0][1]
        diff = [i for i, p in enumerate(pkts) if p[1] != first]
        t.check(not diff, "%s: all frames byte-identical" % name, "differ at %s" % diff[:5])
    if c.get("inc"):
        want = lambda i: (inc_expect("sport", i), inc_expect("dport", i),  # noqa: E731
                          inc_expect("seq", i), inc_expect("id", i), int2ip(inc_expect("src", i)))
        got = [(num(x["tcp.srcport"]), num(x["tcp.dstport"]), num(x["tcp.seq_raw"]),
                 num(x["ip.id"]), x["ip.src"]) for x in rows]
        exp = [want(i) for i in range(len(rows))]
        # dev_queue_xmit() through eth0's qdisc may reorder a packet when
        # the sender moves to the other CPU mid-burst: judge the
        # values as a set (each tuple is unique here) and report the order.
        missing = sorted(set(exp) - set(got), key=exp.index)
        extra = [g for g in got if g not in set(exp)]
        t.check(not missing and not extra and len(set(got)) == len(got),
                "%s: the frames carry exactly the values start + i*step (wrapping in range), "
                "i = 0..%d" % (name, len(rows) - 1),
                "missing %s, unexpected %s" % (missing[:3], extra[:3]))
        if not missing and not extra:
            # Frames out of send order: those outside a longest increasing
            # run of send indexes.
            import bisect
            pos = {v: i for i, v in enumerate(exp)}
            tails = []
            for g in got:
                k = bisect.bisect_left(tails, pos[g])
                tails[k:k + 1] = [pos[g]]
            if len(tails) < len(got):
                print("%s: %s: %d of %d frames reached the wire out of send order"
                      % (t.label, name, len(got) - len(tails), len(got)))
        wraps = sum(1 for i in range(1, len(rows)) if num(rows[i]["tcp.srcport"]) < num(rows[i - 1]["tcp.srcport"]))
        t.check(wraps >= 30, "%s: the source port wrapped (%d times)" % (name, wraps), str(wraps))
    if c.get("inc6"):
        want = lambda i: (inc_expect("sport", i, INC6), inc_expect("seq", i, INC6),  # noqa: E731
                          inc_expect("flow", i, INC6), src6(inc_expect("src", i, INC6)))
        got = [(num(x["tcp.srcport"]), num(x["tcp.seq_raw"]), num(x["ipv6.flow"]), x["ipv6.src"])
               for x in rows]
        exp = [want(i) for i in range(len(rows))]
        t.check(sorted(got) == sorted(exp),
                "%s: the frames carry exactly start + i*step (wrapping in range), i = 0..%d"
                % (name, len(rows) - 1),
                "missing %s, unexpected %s" % (sorted(set(exp) - set(got))[:3],
                                               sorted(set(got) - set(exp))[:3]))
    if c.get("icmp6"):
        exp = sorted(src6(0x50 + i % 3) for i in range(len(rows)))
        got = sorted(x["ipv6.src"] for x in rows)
        t.check(got == exp, "%s: the source follows the increment" % name,
                "got %s, want %s" % (got[:6], exp[:6]))
    if c.get("random"):
        for field, (lo, hi) in c["random"].items():
            if field == "ipv6.src":
                import ipaddress
                vals = [int(ipaddress.IPv6Address(x[field])) & 0xffffffff for x in rows]
            else:
                vals = [ip2int(x[field]) if field == "ip.src" else num(x[field]) for x in rows]
            out = [v for v in vals if v is None or not lo <= v <= hi]
            t.check(not out and len(set(vals)) > 1,
                    "%s: %s within [%s, %s] in every frame, and varies (%d distinct)"
                    % (name, field, lo, hi, len(set(vals))), "outside: %s" % out[:5])
    if c.get("zero"):
        z = c["zero"]
        exp = sorted(z["x"] - 2 + (i % 5) for i in range(len(rows)))
        got = sorted(num(x["udp.srcport"]) for x in rows)
        at_zero = [x["udp.checksum"] for x in rows if num(x["udp.srcport"]) == z["x"]]
        t.check(got == exp and at_zero and all(v == "0xffff" for v in at_zero),
                "%s: port %d goes out with checksum 0xffff (computed 0), others good" % (name, z["x"]),
                "ports %s, checksum at %d: %s" % (got, z["x"], at_zero))
    if c.get("icmp"):
        exp = sorted((1 + i % 5, int2ip(ip2int("10.1.0.50") + i % 3)) for i in range(len(rows)))
        got = sorted((num(x["ip.id"]), x["ip.src"]) for x in rows)
        t.check(got == exp, "%s: ID and source follow the increment" % name,
                "got %s, want %s" % (got[:6], exp[:6]))


def host_tsc_khz():
    """The host TSC frequency, which a TCG guest's TSC runs at (or None)."""
    import re
    r = subprocess.run(["dmesg"], capture_output=True, text=True)
    khz = None
    for line in r.stdout.splitlines():
        m = re.search(r"tsc: (Detected|Refined TSC clocksource calibration:) ([0-9.]+) MHz", line)
        if m:
            khz = int(float(m.group(2)) * 1000)
    return khz


def rate_guest(t, args, outdir):
    """Boots the -icount guest for the paced run: (its result, [(ts, frame, row)])."""
    pcap = os.path.join(outdir, "rate.pcap")
    env = dict(os.environ)
    # One vCPU: -icount runs every vCPU in one thread (tests/bench/bench.py).
    env["VM_QEMU_EXTRA"] = (env.get("VM_QEMU_EXTRA", "") + " -icount shift=0").strip()
    cmd = [os.path.join(TOP, "tests", "vm", "run"), "--kernel", args.kernel, "--smp", "1",
           "--pcap", pcap, "--", "/usr/bin/python3", os.path.abspath(__file__), "--guest",
           "--part", "rate"]
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    with open(os.path.join(outdir, "rate-guest.log"), "w") as f:
        f.write(p.stdout + p.stderr)
    t.check(p.returncode == 0, "the -icount guest for --rate ran cleanly",
            "tests/vm/run exit %d; output:\n%s" % (p.returncode, (p.stdout + p.stderr)[-3000:]))
    r = None
    for line in p.stdout.splitlines():
        if line.strip().startswith("BURST "):
            r = json.loads(line.strip()[6:])
    frames = read_pcap_ts(pcap) if os.path.exists(pcap) else []
    rows = tshark_rows(pcap) if frames else []
    pk = [(ts, fr, row) for (ts, fr), row in zip(frames, rows)
          if row["eth.src"] == GUEST_MAC and row["ip.dst"] == RATE_DST]
    if r is None:
        t.check(False, "--rate: ran in the -icount guest", "no result")
    return r, pk


def host(args):
    label = "burst[%s]" % args.kernel
    t = Tally(label)
    outdir = os.path.join(TOP, "build", "burst-" + args.kernel)
    os.makedirs(outdir, exist_ok=True)
    pcap = os.path.join(outdir, "wire.pcap")
    # 1200 s, as e2e's guests: about 5 min under KASAN on a quiet host, more
    # than 10 on a loaded one.
    cmd = [os.path.join(TOP, "tests", "vm", "run"), "--kernel", args.kernel, "--pcap", pcap,
           "--timeout", "1200"]
    # The pacing check compares the guest's clock with QEMU's capture clock.
    # Under a loaded host the guest's TSC calibration against the PIT can
    # fail, and the debug kernel (no HPET, no ACPI PM timer) then falls back
    # to jiffies, a clock that drifts by percents under TCG. A TCG guest's
    # TSC runs at the host TSC's rate: tell the guest that rate.
    khz = host_tsc_khz()
    if khz:
        cmd += ["--append", "tsc_early_khz=%d" % khz]
    cmd += ["--", "/usr/bin/python3", os.path.abspath(__file__), "--guest"]
    print("%s: booting the %s guest: bursts, pacing, signals, statistics" % (label, args.kernel),
          flush=True)
    p = subprocess.run(cmd, capture_output=True, text=True)
    with open(os.path.join(outdir, "guest.log"), "w") as f:
        f.write(p.stdout + p.stderr)
    results, total = {}, None
    for line in p.stdout.splitlines():
        line = line.strip()
        if line.startswith("CHECK "):
            c = json.loads(line[6:])
            t.check(c["ok"], c["name"], c["detail"])
        elif line.startswith("BURST "):
            r = json.loads(line[6:])
            results[r["name"]] = r
        elif line.startswith("TOTAL "):
            total = json.loads(line[6:])
        elif line.startswith("CLOCKSOURCE "):
            print("%s: guest clocksource %s%s" % (label, line.split()[1],
                                                  " (tsc_early_khz=%d)" % khz if khz else ""))
    t.check(p.returncode == 0, "guest ran cleanly (no kernel report, module unloaded)",
            "tests/vm/run exit %d; output:\n%s" % (p.returncode, (p.stdout + p.stderr)[-3000:]))
    frames = read_pcap_ts(pcap) if os.path.exists(pcap) else []
    rows = tshark_rows(pcap) if frames else []
    if len(rows) != len(frames):
        t.check(False, "tshark dissected every captured frame", "%d rows, %d frames" % (len(rows), len(frames)))
        return 1
    ours = [(ts, fr, row) for (ts, fr), row in zip(frames, rows)
            if row["eth.src"] == GUEST_MAC and (row["ip.dst"] or row["ipv6.dst"])]
    by_dst = {}
    for pk in ours:
        by_dst.setdefault(pk[2]["ip.dst"] or pk[2]["ipv6.dst"], []).append(pk)

    for c in cases():
        r = results.get(c["name"])
        if r is None:
            t.check(False, "%s: ran in the guest" % c["name"], "no result")
            continue
        judge_case(t, c, r, by_dst.get(c["dst"], []))

    t.check(len(by_dst.get("10.3.11.1", [])) == 2,
            "old request sizes: exactly their 2 frames on the wire",
            "%d frames" % len(by_dst.get("10.3.11.1", [])))

    # Signals.
    def signalled(what, runs):
        for name, dst, how in runs:
            r = results.get(name)
            if r:
                yield r, r.get("summary") or {}, dst, how
            else:
                t.check(False, "%s during %s: ran in the guest" % (what, how), "no result")

    for r, s, dst, how in signalled("SIGINT", (
            ("cli-interrupt", "10.3.8.1", "a paced CLI run"),
            ("cli-interrupt-cpus", "10.3.14.1", "a paced CLI run on 2 CPUs (--cpus 2)"))):
        wire = len(by_dst.get(dst, []))
        t.check(s.get("interrupted") is True and 0 < s.get("sent", 0) < 100000 and r["rc"] == 130,
                "Ctrl-C (SIGINT) during %s stops it with a summary of the partial count (%s), "
                "exit 130" % (how, s.get("sent")), "exit %s summary %s stderr %s" % (r["rc"], s, r["stderr"]))
        t.check(wire == s.get("sent") == r["delta"]["packets"] == r["delta"]["tx"],
                "SIGINT during %s: partial count == frames on the wire == module and eth0 counters (%d)"
                % (how, wire), "wire %d summary %s delta %s" % (wire, s, r["delta"]))
    for r, s, dst, how in signalled("SIGSTOP, SIGCONT", (
            ("cli-stop-continue", "10.3.15.1", "a paced CLI run of %d (SIGSTOP, SIGCONT: Ctrl-Z, fg)"
             % STOP_COUNT),
            ("cli-stop-continue-cpus", "10.3.16.1", "a paced CLI run of %d on 2 CPUs (SIGSTOP, SIGCONT)"
             % STOP_COUNT),
            ("cli-freeze", "10.3.17.1", "a paced CLI run of %d frozen (cgroup freezer, no SIGCONT)"
             % STOP_COUNT))):
        n = STOP_COUNT
        ports = sorted(int(pk[2]["udp.srcport"]) for pk in by_dst.get(dst, []))
        t.check(r["rc"] == 0 and s.get("sent") == n and s.get("interrupted") is False and
                0 < r["stopped_at"] < n,
                "stopped, then resumed during %s, after %s packets: it goes on, %d sent, "
                "exit 0" % (how, r["stopped_at"], n),
                "exit %s summary %s stderr %s" % (r["rc"], s, r["stderr"]))
        t.check(ports == list(range(1, n + 1)),
                "stopped, then resumed during %s: on the wire, source ports 1..%d each once" % (how, n),
                "%d frames, ports %s" % (len(ports), ports[:20]))
        # The schedule ((n - 1) / rate) plus the stop (sending what the stop
        # missed at once would end it on the schedule alone); on 2 CPUs the
        # threads agree on the new schedule within a 20 ms settle, which a
        # loaded TCG host can outlast: then a block may start early (at most
        # 0.25 s).
        pk = by_dst.get(dst, [])
        span = pk[-1][0] - pk[0][0] if len(pk) > 1 else 0
        want = (n - 1) / STOP_RATE - 0.01 + \
            (0.3 if "cpus" in r["name"] else 0.8) * r.get("stopped_s", 0)
        t.check(span >= want,
                "stopped, then resumed during %s: the rest goes at the rate, later by the %.2f s stopped "
                "(wire span %.2f s >= %.2f s)" % (how, r.get("stopped_s", 0), span, want),
                "wire span %.3f s" % span)
    r = results.get("kernel-interrupt")
    if r:
        wire = len(by_dst.get("10.3.9.1", []))
        t.check(0 < r["rc"] < 100000 and r["sent"] == r["rc"] and r["result_err"] == -EINTR,
                "signal inside one SEND of 100000 paced packets: returns the partial count, result_err -EINTR",
                json.dumps(r))
        t.check(wire == r["rc"] == r["delta"]["packets"] == r["delta"]["tx"] and
                r["delta"]["err_intr"] == 1,
                "signal inside SEND: partial count (%s) == frames on the wire; err_intr counted" % r["rc"],
                "wire %d %s" % (wire, json.dumps(r)))

    # Pacing, in a guest of its own under -icount.
    r, pk = rate_guest(t, args, outdir)
    if r:
        s = r.get("summary") or {}
        n = RATE_PPS * RATE_SECS
        t.check(r["rc"] == 0 and s.get("sent") == n == len(pk),
                "--rate %d for %d s: exactly %d packets sent and on the wire" % (RATE_PPS, RATE_SECS, n),
                "summary %s wire %d" % (s, len(pk)))
        if len(pk) > 1:
            span = pk[-1][0] - pk[0][0]
            wire_pps = (len(pk) - 1) / span if span > 0 else 0
            err = abs(wire_pps - RATE_PPS) / RATE_PPS
            print("%s: --rate %d: achieved %.2f pps on the wire ((N-1)/(last-first) = %d/%.4f s), "
                  "CLI says %.2f pps over %.4f s" % (label, RATE_PPS, wire_pps, len(pk) - 1, span,
                                                     s.get("pps", 0), s.get("seconds", 0)))
            t.check(err <= 0.01, "--rate %d: achieved %.1f pps on the wire, within 1%% (%.3f%%)"
                    % (RATE_PPS, wire_pps, err * 100), "off by %.3f%%" % (err * 100))
            gaps = sorted(pk[i + 1][0] - pk[i][0] for i in range(len(pk) - 1))
            print("%s: --rate %d: inter-frame gap median %.1f us, 99th percentile %.1f us"
                  % (label, RATE_PPS, gaps[len(gaps) // 2] * 1e6, gaps[int(len(gaps) * 0.99)] * 1e6))

    # Totals: everything the module counted went out, and is in the capture.
    if total:
        t.check(total["packets"] == total["tx"] == len(ours),
                "whole run: module packets (%d) == eth0 tx delta (%d) == frames captured (%d)"
                % (total["packets"], total["tx"], len(ours)), json.dumps(total))
        drops = sum(v for k, v in total.items() if k.startswith("drop_"))
        t.check(drops == 0, "whole run: no drops counted", json.dumps(total))
    else:
        t.check(False, "whole run: counters reported", "no TOTAL line")
    print("%s: %d passed, %d failed" % (label, t.passed, t.failed))
    return 1 if t.failed else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--guest", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--part", default="main", choices=["main", "rate"], help=argparse.SUPPRESS)
    ap.add_argument("--kernel", default="stock", choices=["stock", "debug"])
    args = ap.parse_args()
    if args.guest:
        (run_guest_rate if args.part == "rate" else run_guest)()
        return 0
    return host(args)


if __name__ == "__main__":
    sys.exit(main())
