#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Host side of the library tests: boots a guest (tests/vm/run) that runs the
C harness built against the installed library and the Python binding
(tests/lib/guest.py), relays their PASS:/FAIL: lines, then judges the capture
QEMU wrote with tshark: the packets they sent are on the wire with every
requested field, and the dry runs sent nothing.

Usage: tests/lib/wire.py --harness PATH [--kernel stock|debug]
(PATH must be visible in the guest: under the source tree, not /tmp.)"""
import argparse
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(TOP, "tests", "e2e"))
import spec  # noqa: E402
from e2e import tshark_fields, same  # noqa: E402

failed = 0


def check(ok, name, detail=""):
    global failed
    print("%s: %s%s" % ("PASS" if ok else "FAIL", name, "" if ok or not detail else ": " + detail),
          flush=True)
    failed |= not ok


def wire_check(label, pkt, expect):
    if pkt is None:
        check(False, label + ": on the wire", "no frame with that destination in the capture")
        return
    bad = []
    for field, want in expect.items():
        got = pkt.get(field)
        if not got or not any(same(want, g) for g in got):
            bad.append("%s = %s, want %s" % (field, got, want))
    check(not bad, label + ": on the wire with every requested field (tshark)", "; ".join(bad))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--harness", required=True)
    ap.add_argument("--kernel", default="stock", choices=["stock", "debug"])
    args = ap.parse_args()
    outdir = os.path.join(TOP, "build", "check", "lib")
    os.makedirs(outdir, exist_ok=True)
    pcap = os.path.join(outdir, "wire.pcap")
    cmd = [os.path.join(TOP, "tests", "vm", "run"), "--kernel", args.kernel, "--pcap", pcap, "--",
           "/usr/bin/python3", os.path.join(HERE, "guest.py"), "--harness", os.path.abspath(args.harness)]
    p = subprocess.run(cmd, capture_output=True, text=True)
    with open(os.path.join(outdir, "guest.log"), "w") as f:
        f.write(p.stdout + p.stderr)
    harness = {}
    for line in p.stdout.splitlines():
        line = line.strip()
        if line.startswith(("PASS: ", "FAIL: ")):
            print(line, flush=True)
            failed_here = line.startswith("FAIL: ")
            if failed_here:
                globals()["failed"] = 1
        elif line.startswith("HARNESS "):
            for kv in line.split()[1:]:
                k, _, v = kv.partition("=")
                harness[k] = v
    check(p.returncode in (0, 1), "lib: guest ran cleanly (no kernel report, module unloaded)",
          "tests/vm/run exit %d; output:\n%s" % (p.returncode, (p.stdout + p.stderr)[-3000:]))
    check("sent" in harness, "lib: the harness ran in the guest",
          "log: " + os.path.join(outdir, "guest.log"))

    pkts = tshark_fields(pcap) if os.path.exists(pcap) and os.path.getsize(pcap) > 24 else []
    ipv4 = [x for x in pkts if x.get("ip.dst")]

    def by_dst(dst):
        hits = [x for x in ipv4 if dst in x.get("ip.dst", [])]
        return hits[0] if len(hits) == 1 else None

    wire_check("lib harness: the C harness's packet", by_dst("10.3.0.2"), spec.HARNESS_EXPECT)
    wire_check("lib python: send()'s packet", by_dst("10.3.0.4"), spec.PY_SEND_EXPECT)
    burst = [x for x in ipv4 if "10.3.0.8" in x.get("ip.dst", [])]
    for i, x in enumerate(burst):
        wire_check("lib python: burst packet %d" % i, x, dict(spec.PY_BURST_EXPECT, **{"tcp.srcport": 6000 + i}))
    check(len(burst) == 3, "lib python: the burst put 3 packets on the wire", "%d captured" % len(burst))
    dsts = sorted(d for x in ipv4 for d in x.get("ip.dst", []))
    want = sorted(["10.3.0.2", "10.3.0.4"] + ["10.3.0.8"] * 3)
    check(dsts == want,
          "lib: the capture holds exactly the 5 packets sent (dry runs and refusals sent nothing)",
          "IPv4 destinations captured: %s" % dsts)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
