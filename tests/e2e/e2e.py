#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""End-to-end suite: the CLI sends packets in a guest, tshark judges the wire.

Host mode (default) boots a guest through tests/vm/run, runs this same file
there in --guest mode, then reads the host-side capture:
  (a) the dry-run bytes of every case equal the bytes captured on the wire,
  (b) tshark's dissection shows every requested field, with checksum status
      "good" when computed and the forced value when forced,
  (c) the capture holds exactly the frames the guest reports as sent, so
      refusals provably sent nothing.
Verdict lines: "PASS: ..." / "FAIL: ...".
"""
import argparse
import json
import os
import re
import shlex
import struct
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cases import CASES, GUEST_IP, GW_MAC, GUEST_MAC  # noqa: E402


# ---------------------------------------------------------------- guest side
def run_guest(case_filter):
    cli = os.path.join(TOP, "userspace", "pktcraft")
    ref = "/mnt/add/refusals"
    subprocess.run(["ip", "link", "add", "pc-down0", "type", "dummy"], check=True)
    r = subprocess.run([ref, "eth0", "pc-down0"], capture_output=True, text=True)
    sys.stdout.write(r.stdout)
    sys.stdout.flush()
    if r.returncode not in (0, 1):
        print("FAIL: refusal: the refusal program could not run: " + r.stderr.strip())
    for case in CASES:
        if case_filter and not re.search(case_filter, case["name"]):
            continue
        args = case["args"]
        res = {"name": case["name"]}
        if case.get("setup"):
            path, content = case["setup"]
            with open(path, "wb") as f:
                f.write(content)
        if case.get("refused") is None:
            d = subprocess.run([cli, "send", "--dry-run", "--json"] + args,
                               capture_output=True, text=True)
            res["dry_rc"] = d.returncode
            res["dry_err"] = d.stderr
            try:
                res["dry_frame"] = json.loads(d.stdout)["frame"]
            except (ValueError, KeyError):
                res["dry_frame"] = None
        s = subprocess.run([cli, "send"] + args, capture_output=True, text=True)
        res["rc"] = s.returncode
        res["stderr"] = s.stderr
        print("E2E " + json.dumps(res), flush=True)


# ----------------------------------------------------------------- host side
def read_pcap(path):
    """Frames of a classic pcap file, as bytes (stdlib only)."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        return []
    magic = struct.unpack("<I", data[:4])[0]
    endian = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    off, frames = 24, []
    while off + 16 <= len(data):
        _, _, incl, _ = struct.unpack(endian + "IIII", data[off:off + 16])
        frames.append(data[off + 16:off + 16 + incl])
        off += 16 + incl
    return frames


def tshark_fields(path):
    """One flat {field: [values]} dict per frame, from tshark's JSON."""
    cmd = ["tshark", "-r", path, "-T", "json",
           "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
           "-o", "udp.check_checksum:TRUE",
           "-o", "tcp.relative_sequence_numbers:FALSE",
           "-o", "tcp.analyze_sequence_numbers:FALSE",
           "-o", "ip.defragment:FALSE"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    packets = []
    for p in json.loads(out or "[]"):
        flat = {}

        def walk(o):
            for k, v in o.items():
                if isinstance(v, dict):
                    walk(v)
                elif isinstance(v, list):
                    flat.setdefault(k, []).extend(v)
                else:
                    flat.setdefault(k, []).append(v)
        walk(p["_source"]["layers"])
        packets.append(flat)
    return packets


def same(want, got):
    if isinstance(want, int):
        try:
            return int(got, 0) == want
        except ValueError:
            return False
    return str(want).lower() == str(got).lower()


class Tally:
    def __init__(self):
        self.failed = 0
        self.passed = 0

    def check(self, ok, name, detail=""):
        if ok:
            self.passed += 1
            print("PASS: " + name)
        else:
            self.failed += 1
            print("FAIL: %s: %s" % (name, detail))
        sys.stdout.flush()


REFUSAL_SPORT = b"\x10\x92"  # 4242: every frame of the refusal program


def judge(results, frames, dissections, guest_sent, t, label):
    ipv4 = [i for i, f in enumerate(frames) if len(f) >= 14 and f[12:14] == b"\x08\x00"]
    from_refusals = [i for i in ipv4 if frames[i][34:36] == REFUSAL_SPORT]
    t.check(len(from_refusals) == guest_sent,
            "%s: refusal program: the capture holds exactly the %d frames it sent" % (label, guest_sent),
            "captured %d" % len(from_refusals))
    ipv4 = [i for i in ipv4 if i not in from_refusals]
    by_case = {r["name"]: r for r in results}
    expected_frames = 0
    for case in CASES:
        r = by_case.get(case["name"])
        if r is None:
            continue
        if case.get("refused") is not None:
            t.check(r["rc"] == case["refused"] and "pktcraft:" in r["stderr"],
                    "%s: %s: refused with exit %d and a message" % (label, case["name"], case["refused"]),
                    "exit %d, stderr %r" % (r["rc"], r["stderr"]))
            continue
        expected_frames += 1
    t.check(len(ipv4) == expected_frames,
            "%s: capture holds exactly the frames reported sent (%d)" % (label, expected_frames),
            "captured %d IPv4 frames" % len(ipv4))

    idx = 0
    for case in CASES:
        r = by_case.get(case["name"])
        if r is None or case.get("refused") is not None:
            continue
        name = "%s: %s" % (label, case["name"])
        if r["rc"] != 0:
            t.check(False, name + ": sent", "exit %d: %s" % (r["rc"], r["stderr"].strip()))
            continue
        if idx >= len(ipv4):
            t.check(False, name + ": on the wire", "no frame captured")
            continue
        wire = frames[ipv4[idx]]
        fields = dissections[ipv4[idx]]
        idx += 1
        dry = bytes.fromhex(r["dry_frame"]) if r.get("dry_frame") else None
        if dry is not None and case.get("kernel_id"):
            # The kernel picks a new ID per build: compare all but ID and
            # the checksums that cover it.
            dry, wire_cmp = mask_id(dry, case), mask_id(wire, case)
        else:
            wire_cmp = wire
        t.check(dry is not None and dry == wire_cmp, name + ": dry-run bytes equal wire bytes",
                "dry %s\nwire %s" % (dry.hex() if dry else r.get("dry_err"), wire_cmp.hex()))
        bad = []
        for field, want in expectations(case).items():
            got = fields.get(field)
            if want is None:
                if got:
                    bad.append("%s present (%s), want absent" % (field, got))
                continue
            if not got or not any(same(want, g) for g in got):
                bad.append("%s = %s, want %s" % (field, got, want))
        t.check(not bad, name + ": tshark shows every requested field", "; ".join(bad))
        if case.get("check"):
            ok, why = case["check"](wire, fields)
            t.check(ok, name + ": " + case.get("check_name", "extra check"), why)


def mask_id(frame, case):
    f = bytearray(frame)
    ip = 14
    f[ip + 4:ip + 6] = b"\0\0"
    f[ip + 10:ip + 12] = b"\0\0"
    return bytes(f)


def expectations(case):
    exp = dict(case.get("expect", {}))
    l4 = case.get("l4", "tcp")
    exp.setdefault("ip.checksum.status", 1)
    if l4 in ("tcp", "udp", "icmp"):
        exp.setdefault(l4 + ".checksum.status", 1)
    return exp


def host(args):
    t = Tally()
    label = "e2e[%s]" % args.kernel
    outdir = os.path.join(TOP, "build", "e2e-" + args.kernel)
    os.makedirs(outdir, exist_ok=True)
    pcap = os.path.join(outdir, "wire.pcap")
    ref = os.path.join(TOP, "build", "tests", "refusals")
    cmd = [os.path.join(TOP, "tests", "vm", "run"), "--kernel", args.kernel,
           "--pcap", pcap, "--add", ref, "--",
           "/usr/bin/python3", os.path.abspath(__file__), "--guest"]
    if args.filter:
        cmd += ["--filter", args.filter]
    print("%s: booting the %s guest and sending %d cases" % (label, args.kernel, len(CASES)), flush=True)
    p = subprocess.run(cmd, capture_output=True, text=True)
    with open(os.path.join(outdir, "guest.log"), "w") as f:
        f.write(p.stdout + p.stderr)
    results, guest_sent = [], 0
    for line in p.stdout.splitlines():
        line = line.strip()
        if line.startswith("E2E "):
            results.append(json.loads(line[4:]))
        elif line.startswith(("PASS: refusal", "FAIL: refusal")):
            ok = line.startswith("PASS")
            t.check(ok, "%s: %s" % (label, line.split(": ", 1)[1]), "")
        elif line.startswith("SENT "):
            guest_sent = int(line.split()[1])
    t.check(p.returncode in (0, 1), "%s: guest ran cleanly (no kernel report, module unloaded)" % label,
            "tests/vm/run exit %d; output:\n%s" % (p.returncode, (p.stdout + p.stderr)[-3000:]))
    wanted = [c for c in CASES if not args.filter or re.search(args.filter, c["name"])]
    t.check(len(results) == len(wanted), "%s: every case ran in the guest" % label,
            "%d of %d results (log: %s)" % (len(results), len(wanted), os.path.join(outdir, "guest.log")))
    frames = read_pcap(pcap) if os.path.exists(pcap) else []
    dissections = tshark_fields(pcap) if frames else []
    judge(results, frames, dissections, guest_sent, t, label)
    print("%s: %d passed, %d failed" % (label, t.passed, t.failed))
    return 1 if t.failed else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--guest", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--kernel", default="stock", choices=["stock", "debug"])
    ap.add_argument("--filter", help="only cases whose name matches this regex")
    args = ap.parse_args()
    if args.guest:
        run_guest(args.filter)
        return 0
    return host(args)


if __name__ == "__main__":
    sys.exit(main())
