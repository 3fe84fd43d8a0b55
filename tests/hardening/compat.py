#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""32-bit CLI through compat_ioctl: guest and host halves.

Guest (--guest CLI32): the i386 CLI (tests/static/cli32) sends a TCP packet
with IP and TCP options, a UDP datagram, an ICMP echo and a varied burst on
eth0, dry-runs each one, and reads the stats; the 64-bit CLI dry-runs the
same arguments. PASS/FAIL lines for what the guest sees itself (exit codes,
32-bit dry-run bytes == 64-bit dry-run bytes, burst summary, stats), and
"COMPAT {json}" lines for the host.

Host (judge(), used by tests/hardening/run and tests/static/run): tshark
reads the capture and every frame the 32-bit CLI sent must be there (TCP/UDP
source port 4346, ICMP id 4346) with every requested field.
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
PORT = 4346
COMMON = ["--dev", "eth0", "--dst-mac", "52:54:00:00:00:01", "--src", "10.1.0.2",
          "--dst", "10.3.0.2", "--ttl", "77", "--tos", "0x10"]

CASES = [
    {"name": "TCP with IP and TCP options",
     "args": COMMON + ["--sport", str(PORT), "--dport", "8080", "--flags", "SA",
                       "--seq", "123456789", "--ack", "987654321", "--win", "4321",
                       "--id", "4346", "--df", "--ip-opt", "rr=2",
                       "--tcp-opt", "mss=1460,sackok,wscale=7", "--data", "compat32 tcp"],
     "key": ("tcp.srcport", PORT), "count": 1,
     "expect": {"ip.ttl": 77, "ip.dsfield": 0x10, "ip.id": 4346, "ip.flags.df": 1,
                "ip.hdr_len": 32, "ip.checksum.status": 1, "tcp.dstport": 8080,
                "tcp.seq": 123456789, "tcp.ack": 987654321, "tcp.window_size_value": 4321,
                "tcp.flags": 0x12, "tcp.options.mss_val": 1460, "tcp.options.wscale.shift": 7,
                "tcp.checksum.status": 1, "tcp.len": 12}},
    {"name": "UDP",
     "args": COMMON + ["--udp", "--sport", str(PORT), "--dport", "53", "--id", "4347",
                       "--data", "compat32 udp"],
     "key": ("udp.srcport", PORT), "count": 1,
     "expect": {"ip.id": 4347, "udp.dstport": 53, "udp.length": 20,
                "udp.checksum.status": 1, "ip.checksum.status": 1}},
    {"name": "ICMP echo",
     "args": COMMON + ["--icmp", "--icmp-id", str(PORT), "--icmp-seq", "7", "--id", "4348",
                       "--data", "compat32 icmp"],
     "key": ("icmp.ident", PORT), "count": 1,
     "expect": {"ip.id": 4348, "icmp.type": 8, "icmp.seq": 7, "icmp.checksum.status": 1}},
    {"name": "burst of 5 with a varied ID (request version 2, written back)",
     "args": COMMON + ["--sport", str(PORT + 1), "--dport", "9", "--id", "100",
                       "--count", "5", "--vary", "id=inc:100-199", "--json",
                       "--data", "compat32 burst"],
     "key": ("tcp.srcport", PORT + 1), "count": 5, "burst": True,
     "expect": {"ip.checksum.status": 1, "tcp.checksum.status": 1, "tcp.dstport": 9}},
]


def line(ok, name, detail=""):
    print("%s: hardening: compat: %s%s" % ("PASS" if ok else "FAIL", name,
                                          "" if ok or not detail else ": " + detail), flush=True)
    return ok


def dry(cli, args):
    args = [a for a in args if a != "--json"]
    i = args.index("--count") if "--count" in args else -1
    if i >= 0:   # dry runs are single packets
        args = args[:i] + args[i + 2:]
        j = args.index("--vary")
        args = args[:j] + args[j + 2:]
    p = subprocess.run([cli, "send", "--dry-run", "--json"] + args, capture_output=True, text=True)
    try:
        return json.loads(p.stdout)["frame"], p.stderr
    except (ValueError, KeyError):
        return None, p.stderr + p.stdout


def guest(cli32):
    cli64 = os.path.join(TOP, "userspace", "pktcraft")
    ok = True
    with open(cli32, "rb") as fh:
        head = fh.read(20)
    # ELF magic, EI_CLASS 1 (32-bit), e_machine 3 (i386)
    ok &= line(head[:4] == b"\x7fELF" and head[4] == 1 and head[18:20] == b"\x03\x00",
               "the CLI under test is a 32-bit i386 ELF binary", head.hex())
    for c in CASES:
        d32, e32 = dry(cli32, c["args"])
        d64, e64 = dry(cli64, c["args"])
        ok &= line(d32 is not None and d32 == d64,
                   "%s: 32-bit dry run (BUILD via compat_ioctl) equals the 64-bit one" % c["name"],
                   "32: %s / 64: %s" % (d32 or e32.strip(), d64 or e64.strip()))
        p = subprocess.run([cli32, "send", "--no-replies"] + c["args"], capture_output=True, text=True)
        res = {"name": c["name"], "rc": p.returncode, "stderr": p.stderr, "stdout": p.stdout}
        ok &= line(p.returncode == 0, "%s: the 32-bit CLI sends it (SEND via compat_ioctl)" % c["name"],
                   "exit %d: %s" % (p.returncode, p.stderr.strip()))
        if c.get("burst"):
            try:
                summary = json.loads(p.stdout.strip().splitlines()[-1])
            except (ValueError, IndexError):
                summary = {}
            ok &= line(summary.get("sent") == c["count"] and summary.get("error") == 0,
                       "%s: the burst summary (sent written back through compat) says %d sent"
                       % (c["name"], c["count"]), repr(summary or p.stdout))
        print("COMPAT " + json.dumps(res), flush=True)
    s32 = subprocess.run([cli32, "stats", "--json"], capture_output=True, text=True)
    s64 = subprocess.run([cli64, "stats", "--json"], capture_output=True, text=True)
    try:
        m32, m64 = json.loads(s32.stdout)["module"], json.loads(s64.stdout)["module"]
        same = m32 == m64 and m32["packets"] >= sum(c["count"] for c in CASES)
    except (ValueError, KeyError):
        same, m32, m64 = False, s32.stdout + s32.stderr, s64.stdout
    ok &= line(same, "GET_STATS via compat_ioctl reads the same module counters as the 64-bit CLI",
               "32: %s / 64: %s" % (m32, m64))
    return 0 if ok else 1


def judge(results, pcap, label="compat"):
    """Host side: [(ok, name, detail)] for the frames of the 32-bit CLI."""
    sys.path.insert(0, os.path.join(TOP, "tests", "e2e"))
    from e2e import tshark_fields, same  # noqa: E402
    out = []
    fields = tshark_fields(pcap) if os.path.exists(pcap) and os.path.getsize(pcap) > 24 else []
    by_name = {r["name"]: r for r in results}
    for c in CASES:
        r = by_name.get(c["name"])
        name = "%s: %s: on the wire with every requested field (tshark)" % (label, c["name"])
        if r is None or r["rc"] != 0:
            out.append((False, name, "not sent"))
            continue
        key, val = c["key"]
        frames = [f for f in fields
                  if any(same(val, v) for v in f.get(key, [])) and
                  any(same("10.1.0.2", v) for v in f.get("ip.src", []))]
        bad = []
        if len(frames) != c["count"]:
            bad.append("%d frames with %s=%s, want %d" % (len(frames), key, val, c["count"]))
        for fr in frames:
            for fld, want in c["expect"].items():
                got = fr.get(fld)
                if not got or not any(same(want, g) for g in got):
                    bad.append("%s = %s, want %s" % (fld, got, want))
        if c.get("burst") and frames:
            ids = sorted(int(fr["ip.id"][0], 0) for fr in frames)
            if ids != list(range(100, 100 + c["count"])):
                bad.append("burst IP IDs %s, want 100..%d" % (ids, 99 + c["count"]))
        out.append((not bad, name, "; ".join(sorted(set(bad)))[:600]))
    return out


def parse(stdout):
    return [json.loads(l.strip()[7:]) for l in stdout.splitlines() if l.strip().startswith("COMPAT ")]


def judge_main(outfile, pcap, label):
    """compat.py --judge GUEST_OUTPUT PCAP LABEL: PASS/FAIL lines, exit 1 on FAIL."""
    with open(outfile, errors="replace") as f:
        results = parse(f.read())
    bad = 0
    for ok, name, detail in judge(results, pcap, label):
        print("%s: %s%s" % ("PASS" if ok else "FAIL", name, "" if ok else ": " + detail), flush=True)
        bad += not ok
    return 1 if bad else 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--guest":
        sys.exit(guest(sys.argv[2]))
    if len(sys.argv) == 5 and sys.argv[1] == "--judge":
        sys.exit(judge_main(*sys.argv[2:]))
    print(__doc__)
    sys.exit(2)
