#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The transcripts of docs/boundary.md, made by running the tour in a guest.

    tests/docs/tour.py --update    rewrite docs/boundary.md's transcripts (make docs)
    tests/docs/tour.py --check     fail when a committed transcript differs (make check)

Each transcript in docs/boundary.md follows a marker line `<!-- tour:NAME -->`
and is the fenced block after it. The guest (stock kernel) runs one send
under strace, the same with --show-ioctl, with the tracepoints on, then
requests of each ABI version packed by hand (tests/lib/uapi.py); the host
runs tshark on the frame the hub recorded. What differs between runs by
nature (user-space addresses, timestamps, pids, CPU numbers) is masked the
same way in both modes, so only a change in what pktcraft prints counts.
"""
import argparse
import ctypes
import fcntl
import json
import os
import re
import socket
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(TOP, "tests", "lib"))
import uapi  # noqa: E402
import tracefs  # noqa: E402

DOC = os.path.join(TOP, "docs", "boundary.md")
CLI = os.path.join(TOP, "userspace", "pktcraft")
INST = tracefs.TRACEFS + "/instances/pktcraft-tour"
PEER_MAC = "02:00:00:00:00:02"
# One SYN with everything the kernel would choose given: the same bytes every run.
SEND = ["--no-replies", "-S", "-p", "80", "-s", "40000", "-N", "7", "--dev", "eth0", "--dst-mac", PEER_MAC,
        "--data", "hi", "10.3.0.2"]


def mask(text):
    """What varies between runs by nature, masked."""
    out = []
    for line in text.splitlines():
        line = line.replace(CLI, "pktcraft")
        if "(user pointer)" in line or "bytes of user memory at" in line:
            line = re.sub(r"0x[0-9a-f]{6,}", "0x...", line)
            line = re.sub(r"(\(user pointer\)\s+)(?:[0-9a-f]{2} ?){8}$", r"\1(the address)", line)
        line = re.sub(r"^(ioctl\(\d+, _IOC\(.*\), )0x[0-9a-f]+(\) = )", r"\g<1>0x...\2", line)
        # tracefs: "  task-PID  [CPU] FLAGS  TIMESTAMP: event: fields" -> "event: fields"
        line = re.sub(r"^\s*\S.*?-\d+\s+\[\d+\]\s+\S+\s+[\d.]+: (pktcraft_\w+:)", r"\1", line)
        out.append(line.rstrip())
    return "\n".join(out).strip("\n")


# ------------------------------------------------------------------ guest
def section(name, text):
    print("TOUR %s" % json.dumps({"name": name, "text": text}), flush=True)


def run(*cmd):
    return subprocess.run(cmd, capture_output=True, text=True)


def trace_on():
    tracefs.mount()
    os.makedirs(INST, exist_ok=True)
    tracefs.put(INST + "/events/pktcraft/enable", "1")


def trace_take():
    with open(INST + "/trace") as f:
        lines = [ln for ln in f if not ln.startswith("#")]
    tracefs.put(INST + "/trace", "")
    return "".join(lines)


def guest():
    A = uapi.load()
    r = run("strace", "-e", "trace=ioctl", "-e", "signal=none", CLI, "send", *SEND)
    section("strace", "$ strace -e trace=ioctl pktcraft send %s\n%s%s" % (" ".join(SEND), r.stderr, r.stdout))
    r = run(CLI, "send", "--show-ioctl", *SEND)
    section("show-ioctl", "$ pktcraft send --show-ioctl %s\n%s%s" % (" ".join(SEND), r.stderr, r.stdout))
    trace_on()
    trace_take()
    r = run(CLI, "send", *SEND)
    section("events", "# echo 1 > /sys/kernel/tracing/events/pktcraft/enable\n"
            "$ pktcraft send %s\n%s# cat /sys/kernel/tracing/trace\n%s" % (" ".join(SEND), r.stdout, trace_take()))

    # copy_struct_from_user(): each version of the request, packed by hand.
    def req(size, tail=0):
        buf = ctypes.create_string_buffer(max(size, A.req.size) + 8)
        A.req.pack_into(buf, "size", size)
        with open("/sys/class/net/eth0/ifindex") as f:
            A.req.pack_into(buf, "ifindex", int(f.read()))
        o = A.req.offset("dst_mac")
        buf[o:o + 6] = bytes.fromhex(PEER_MAC.replace(":", ""))
        o = A.req.offset("ip_daddr")
        buf[o:o + 4] = socket.inet_aton("10.3.0.2")
        A.req.pack_into(buf, "ip_ttl", 64)
        A.req.pack_into(buf, "sport", 40000)
        A.req.pack_into(buf, "dport", 80)
        if tail:
            buf[size - 1] = tail
        return buf

    out = []
    fd = os.open("/dev/pktcraft", os.O_RDWR)
    for what, size, tail in (("version 0 (TCP only)", A.REQ_SIZE_VER0, 0),
                             ("version 1 (UDP, ICMP, options)", A.REQ_SIZE_VER1, 0),
                             ("version 2 (bursts)", A.REQ_SIZE_VER2, 0),
                             ("version 3 (IPv6)", A.REQ_SIZE_VER3, 0),
                             ("version 4, this header (injection points, fates)", A.req.size, 0),
                             ("a newer binary's request, its unknown tail zero", A.req.size + 8, 0),
                             ("a newer binary's request using its new field", A.req.size + 8, 1)):
        try:
            rc = fcntl.ioctl(fd, A.IOC_SEND, req(size, tail))
            res = "returns %d" % rc
        except OSError as e:
            res = "fails: %s" % os.strerror(e.errno) + " (%s)" % __import__("errno").errorcode[e.errno]
        out.append("size %d: %s: ioctl %s\n%s" % (size, what, res, trace_take()))
    os.close(fd)
    section("versions", "\n".join(out))
    tracefs.put(INST + "/events/pktcraft/enable", "0")
    os.rmdir(INST)
    print("TOUR-DONE", flush=True)


# ------------------------------------------------------------------- host
def transcripts():
    uapi.load()     # cached for the guest, which has no compiler
    pcap = os.path.join(TOP, "build", "docs", "tour.pcap")
    os.makedirs(os.path.dirname(pcap), exist_ok=True)
    p = subprocess.run([os.path.join(TOP, "tests", "vm", "run"), "--kernel", "stock", "--pcap", pcap, "--",
                        "/usr/bin/python3", os.path.abspath(__file__), "--guest"], capture_output=True, text=True)
    got = {}
    for line in p.stdout.splitlines():
        if line.startswith("TOUR "):
            d = json.loads(line[5:])
            got[d["name"]] = mask(d["text"])
    if "TOUR-DONE" not in p.stdout or p.returncode not in (0, 1):
        raise SystemExit("tour: the guest did not finish (tests/vm/run exit %d):\n%s"
                         % (p.returncode, (p.stdout + p.stderr)[-2000:]))
    checks = ["-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE"]
    t = subprocess.run(["tshark", "-r", pcap, "-c", "1", "-O", "ip,tcp"] + checks,
                       capture_output=True, text=True)
    got["wire"] = "$ tshark -r wire.pcap -c 1 -O ip,tcp %s\n" % " ".join(checks) + mask(
        re.sub(r"^(\s*Arrival Time|\s*Epoch Time|\s*\[Time|\s*UTC Arrival).*\n", "", t.stdout, flags=re.M))
    return got


def blocks(doc):
    """[(name, start, end)] of each transcript block's body in doc."""
    out = []
    for m in re.finditer(r"^<!-- tour:(\w[\w-]*) -->\n```[a-z]*\n", doc, re.M):
        end = doc.index("\n```", m.end() - 1)
        out.append((m.group(1), m.end(), end))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--guest", action="store_true", help=argparse.SUPPRESS)
    g.add_argument("--update", action="store_true")
    g.add_argument("--check", action="store_true")
    args = ap.parse_args()
    if args.guest:
        guest()
        return 0
    with open(DOC) as f:
        doc = f.read()
    got = transcripts()
    if args.update:
        for name, start, end in reversed(blocks(doc)):
            if name not in got:
                raise SystemExit("tour: docs/boundary.md has a block %r the tour does not make" % name)
            doc = doc[:start] + got[name] + doc[end:]
        with open(DOC, "w") as f:
            f.write(doc)
        print("tour: wrote %d transcripts into docs/boundary.md" % len(blocks(doc)))
        return 0
    bad = 0
    names = [n for n, _, _ in blocks(doc)]
    for name in sorted(set(got) | set(names)):
        have = next((mask(doc[s:e]) for n, s, e in blocks(doc) if n == name), None)
        ok = have == got.get(name)
        detail = ""
        if not ok:
            import difflib
            detail = "\n".join(difflib.unified_diff((have or "").splitlines(), (got.get(name) or "").splitlines(),
                                                   "docs/boundary.md", "now", lineterm="", n=1))
            detail = "\n" + "\n".join("    " + ln for ln in detail.splitlines()[:30])
        print("%s: docs: boundary.md's %s transcript is what the code prints now%s" %
              ("PASS" if ok else "FAIL", name, " (make docs updates it)" + detail if not ok else ""))
        bad += not ok
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
