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
import base64
import errno
import json
import os
import re
import shlex
import socket
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cases as cases_mod  # noqa: E402
import cases6 as cases6_mod  # noqa: E402
from cases import CASES, ANY  # noqa: E402
from cases6 import CASES6  # noqa: E402
from pcaplib import read_pcap  # noqa: E402

DRY_PCAP = "/tmp/e2e-dry.pcap"
# --quick: TCP, UDP and ICMP single sends, two kernel refusals, the refusal
# program (which always runs) and one burst ("burst"): the subset that boots
# on several kernels (make e2e-kernels). A --filter over the same cases.
QUICK = (r"^(seed packet, route mode|UDP datagram|ICMP echo request with id, seq and payload"
         r"|kernel: payload over the MTU|kernel: unknown ifindex|burst"
         # IPv6 (cases6.py): route mode, UDP, ICMPv6, a chain with a
         # Routing header, a kernel refusal.
         r"|" + "|".join(re.escape(n) for n in (
             "IPv6: TCP SYN, route mode (default route, source chosen by the kernel)",
             "IPv6: UDP datagram", "IPv6: ICMPv6 echo request with id, seq and payload",
             "IPv6: hbh, Segment Routing, dst, UDP (final destination through a chain)",
             "IPv6: kernel: a link-local destination without --dev")) + r")$")
# The quick burst: UDP source ports 1000-1004 to BURST_DST, one frame each.
BURST_DST = "10.3.201.1"
BURST_PORTS = list(range(1000, 1005))
WARNING = "warning: the packet is deliberately malformed"


def guest_cases(case_filter=None):
    """The cases the guest runs: all but the IPv4 argument refusals (exit
    2), which need no device and run on the host (tests/unit/run); then the
    IPv6 cases (cases6.py), their argument refusals included."""
    return ([c for c in CASES if c.get("refused") != 2 and
             (not case_filter or re.search(case_filter, c["name"]))] +
            [c for c in CASES6 if not case_filter or re.search(case_filter, c["name"])])


def is_v6(case):
    return case["name"].startswith("IPv6: ")


def setup_ipv6():
    """eth0 gets IPv6 (tests/vm/guest-init disables it) for the IPv6
    cases: 2001:db8:1::2/64 without DAD, no link-local address, no router
    solicitation; a default route via 2001:db8:1::1 at the gateway's MAC.
    What the kernel still sends itself (MLD reports) goes to 33:33:...
    multicast, which the judge leaves out."""
    dev = "/proc/sys/net/ipv6/conf/eth0/"
    for k, v in (("addr_gen_mode", "1"), ("accept_dad", "0"), ("router_solicitations", "0"),
                 ("accept_ra", "0"), ("disable_ipv6", "0")):
        with open(dev + k, "w") as f:
            f.write(v)
    for c in (["ip", "-6", "addr", "add", cases6_mod.SRC6 + "/64", "dev", "eth0", "nodad"],
              ["ip", "-6", "route", "add", "default", "via", cases6_mod.GW6, "dev", "eth0"],
              ["ip", "-6", "neigh", "replace", cases6_mod.GW6, "lladdr", cases_mod.GW_MAC,
               "nud", "permanent", "dev", "eth0"]):
        r = subprocess.run(c, capture_output=True, text=True)
        if r.returncode:
            print("FAIL: IPv6 set-up: %s: %s" % (" ".join(c), r.stderr.strip()), flush=True)


# ---------------------------------------------------------------- guest side
def run_guest(case_filter):
    cli = os.path.join(TOP, "userspace", "pktcraft")
    # The cases send IHLs below 5 (an older module has no such parameter,
    # and sends them anyway).
    try:
        with open("/sys/module/pktcraft/parameters/ip4_ihl_lies", "w") as f:
            f.write("1")
    except FileNotFoundError:
        pass
    ref = "/mnt/add/refusals"
    subprocess.run(["ip", "link", "add", "pc-down0", "type", "dummy"], check=True)
    r = subprocess.run([ref, "eth0", "pc-down0"], capture_output=True, text=True)
    sys.stdout.write(r.stdout)
    sys.stdout.flush()
    if r.returncode not in (0, 1):
        print("FAIL: refusal: the refusal program could not run: " + r.stderr.strip())
    if not case_filter or re.search(case_filter, "exit status"):
        run_exit_status(cli)
    if any(is_v6(c) for c in guest_cases(case_filter)):
        setup_ipv6()
    nframes = 0
    for case in guest_cases(case_filter):
        args = case["args"]
        res = {"name": case["name"]}
        if case.get("setup"):
            path, content = case["setup"]
            with open(path, "wb") as f:
                f.write(content)
        if case.get("refused") is None:
            # One build gives the JSON and appends the frame to a pcap (-w).
            d = subprocess.run([cli, "send", "--dry-run", "--json", "--write", DRY_PCAP] + args,
                               capture_output=True, text=True)
            res["dry_rc"] = d.returncode
            res["dry_err"] = d.stderr
            res["dry_out"] = d.stdout
            try:
                res["dry_frame"] = json.loads(d.stdout)["frame"]
            except (ValueError, KeyError, TypeError):
                res["dry_frame"] = None
            n = len(read_pcap(DRY_PCAP)) if os.path.exists(DRY_PCAP) else 0
            res["pcap_index"] = nframes if n == nframes + 1 else None
            nframes = n
            t = subprocess.run([cli, "send", "--dry-run"] + args, capture_output=True, text=True)
            res["text_rc"] = t.returncode
            res["text"] = t.stdout
            res["text_err"] = t.stderr
        s = subprocess.run([cli, "send", "--no-replies"] + args, capture_output=True, text=True)
        res["rc"] = s.returncode
        res["stderr"] = s.stderr
        print("E2E " + json.dumps(res), flush=True)
    run_batch(cli, case_filter)
    run_batch(cli, case_filter, v6=True)
    if os.path.exists(DRY_PCAP):
        with open(DRY_PCAP, "rb") as f:
            print("DRYPCAP " + base64.b64encode(f.read()).decode(), flush=True)
    if not case_filter or re.search(case_filter, "hping3"):
        run_hping(cli)
    if case_filter and re.search(case_filter, "burst"):
        b = subprocess.run([cli, "send", "--no-replies", "--dev", "eth0", "--dst-mac", "02:00:00:00:00:02", "--dst", BURST_DST,
                            "--udp", "--sport", "%d-%d" % (BURST_PORTS[0], BURST_PORTS[-1]), "--dport", "9",
                            "--data", "burst"], capture_output=True, text=True)
        print("BURST " + json.dumps({"rc": b.returncode, "stdout": b.stdout[-500:],
                                     "stderr": b.stderr[-500:]}), flush=True)


def run_exit_status(cli):
    """Exit status and "sent" as the man page defines them, one packet and a
    burst alike: a packet is sent when the device's queue accepted it; one
    dropped packet, or a burst whose every packet was dropped (a pfifo of
    limit 0 drops all), exits 1; JSON "sent" is a number both ways."""
    def line(ok, name, detail):
        print("%s: exit status: %s%s" % ("PASS" if ok else "FAIL", name,
                                         "" if ok else " (" + detail + ")"), flush=True)

    def drops():
        out = subprocess.run(["tc", "-s", "qdisc", "show", "dev", "pc-drop0"],
                             capture_output=True, text=True).stdout
        m = re.search(r"dropped (\d+)", out)
        return int(m.group(1)) if m else -1

    for c in (["ip", "link", "add", "pc-drop0", "type", "dummy"],
              ["ip", "addr", "add", "10.98.0.1/24", "dev", "pc-drop0"],
              ["ip", "link", "set", "pc-drop0", "up"],
              ["tc", "qdisc", "replace", "dev", "pc-drop0", "root", "pfifo", "limit", "0"]):
        r = subprocess.run(c, capture_output=True, text=True)
        if r.returncode:
            line(False, "set-up", " ".join(c) + ": " + r.stderr.strip())
            return
    to = ["--dev", "pc-drop0", "--dst-mac", cases_mod.PEER_MAC, "10.98.0.2"]
    d0 = drops()
    r = subprocess.run([cli, "send", "--no-replies"] + to, capture_output=True, text=True)
    d1 = drops()
    line(r.returncode == 1 and "dropped" in r.stderr and r.stderr.count("\n") == 1 and d1 == d0 + 1,
         "one packet the queue dropped: exit 1, one line naming the drop (tc: +1 dropped)",
         "exit %d, stderr %r, tc dropped %d -> %d" % (r.returncode, r.stderr, d0, d1))
    # --copy: root's identical bursts on dummy otherwise take pktgen's path,
    # which bypasses the qdisc (pktcraft(8), BURSTS).
    r = subprocess.run([cli, "send", "--no-replies", "--count", "5", "--copy", "--json"] + to, capture_output=True, text=True)
    d2 = drops()
    try:
        s = json.loads(r.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        s = {}
    line(r.returncode == 1 and s.get("sent") == 0 and s.get("dropped") == 5 and
         s.get("error") == errno.ENOBUFS and d2 == d1 + 5,
         "a burst whose 5 packets the queue dropped: exit 1, summary sent 0 dropped 5 error ENOBUFS "
         "(tc: +5 dropped)",
         "exit %d, stdout %r, stderr %r, tc dropped %d -> %d" % (r.returncode, r.stdout, r.stderr, d1, d2))
    # Not on eth0: the wire's frames are the cases' (judge() pairs them).
    subprocess.run(["tc", "qdisc", "del", "dev", "pc-drop0", "root"])
    r = subprocess.run([cli, "send", "--no-replies", "--json"] + to, capture_output=True, text=True)
    try:
        j = json.loads(r.stdout)
    except ValueError:
        j = {}
    line(r.returncode == 0 and type(j.get("sent")) is int and j.get("sent") == 1,
         'one packet sent with --json: exit 0, "sent" is the number 1 (as in a burst\'s summary)',
         "exit %d, stdout %.200r" % (r.returncode, r.stdout))
    subprocess.run(["ip", "link", "del", "pc-drop0"])


def batchable(case):
    """A sent case `pktcraft batch` takes as a line: not --badcksum (which
    builds first), no file written for it (the last writer would win)."""
    return (case.get("refused") is None and not case.get("setup") and
            not any(a in ("-b", "--badcksum") for a in case["args"]))


def run_batch(cli, case_filter, v6=False):
    """Every batchable case once more, all of them one line each of ONE
    `pktcraft batch` (PKTCRAFT_IOC_SEND_BATCH): the frames must equal the
    ones the cases sent alone. The IPv6 cases make a batch of their own
    (BATCH6): their extension headers are pointers the batch must keep."""
    batch = [c for c in guest_cases(case_filter) if batchable(c) and is_v6(c) == v6]
    if not batch:
        return
    path = "/tmp/e2e-batch%s.txt" % ("6" if v6 else "")
    with open(path, "w") as f:
        f.write("# one line per case, as `pktcraft send` takes its arguments\n")
        for c in batch:
            f.write(" ".join(shlex.quote(a) for a in c["args"]) + "\n")
    b = subprocess.run([cli, "batch", path], capture_output=True, text=True)
    print(("BATCH6 " if v6 else "BATCH ") + json.dumps({"rc": b.returncode, "names": [c["name"] for c in batch],
                                 "stdout": b.stdout[-500:], "stderr": b.stderr[-2000:]}), flush=True)


def judge_batch(batch, by_case, frames, t, label, what="batch"):
    """The batch's frames, after the cases' own, against each case's."""
    label = "%s: %s" % (label, what)
    if batch is None:
        t.check(False, "%s: the guest ran `pktcraft batch`" % label, "no BATCH line")
        return
    n = len(batch["names"])
    t.check(batch["rc"] == 0 and ("%d of %d requests handled, %d packets sent, 0 refused" % (n, n, n))
            in batch["stdout"],
            "%s: `pktcraft batch` of the %d sent cases, one line each: exit 0, all %d sent" % (label, n, n),
            "exit %d, stdout %r, stderr %r" % (batch["rc"], batch["stdout"], batch["stderr"]))
    t.check(len(frames) == n, "%s: the capture holds its %d frames after the cases' own" % (label, n),
            "%d frames after the cases'" % len(frames))
    # Frames of one fast ioctl can leave eth0 out of send order
    # (docs/testing.md, burst): the frames are paired with the
    # cases by their bytes (an IPv4 ID the kernel chose, and so the header
    # checksum, masked on both sides), the reordering counted.
    bad, used, order = [], set(), []
    for name in batch["names"]:
        case = next((c for c in CASES if c["name"] == name), {})
        mask = (lambda f: mask_id(f, case)) if case.get("kernel_id") else (lambda f: f)
        alone = by_case.get(name)
        a = mask(bytes.fromhex(alone["wire"])) if alone and alone.get("wire") else None
        hit = next((i for i, f in enumerate(frames) if i not in used and mask(f) == a), None)
        if a is None or hit is None:
            bad.append("%s: %s" % (name, "not on the wire alone" if a is None else
                                   "its frame (%s) is not among the batch's" % a.hex()))
            continue
        order.append(hit)
        used.add(hit)
    moved = sum(1 for x, y in zip(order, order[1:]) if y < x)
    t.check(not bad and len(frames) == n,
            "%s: every request's frame is byte for byte the frame the same arguments sent alone "
            "(paired by bytes: %d out of send order)" % (label, moved),
            "; ".join(bad[:5]) + (" (%d more)" % (len(bad) - 5) if len(bad) > 5 else ""))


def run_hping(cli):
    """hping3 and pktcraft, the same arguments, one destination per case."""
    import shutil
    if not shutil.which("hping3"):
        print("HPING " + json.dumps({"missing": True}), flush=True)
        return
    for i, (name, args) in enumerate(cases_mod.HPING_CASES):
        dst = cases_mod.HPING_NET + str(i + 1)
        h = subprocess.run(["hping3", "-c", "1", "-q"] + args + [dst], capture_output=True, text=True,
                           timeout=60)
        p = subprocess.run([cli, "send", "--no-replies"] + args + [dst], capture_output=True, text=True)
        print("HPING " + json.dumps({"name": name, "dst": dst, "hping_rc": h.returncode,
                                     "hping_err": h.stderr[-500:], "rc": p.returncode,
                                     "stderr": p.stderr[-500:]}), flush=True)


# ----------------------------------------------------------------- host side
def tshark_fields(path):
    """One flat {field: [values]} dict per frame, from tshark's JSON."""
    cmd = ["tshark", "-r", path, "-T", "json",
           "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
           "-o", "udp.check_checksum:TRUE",
           "-o", "tcp.relative_sequence_numbers:FALSE",
           "-o", "tcp.analyze_sequence_numbers:FALSE",
           "-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    packets = []

    class Pairs(list):
        """A JSON object as its (key, value) pairs: tshark repeats a key
        in one object when a field occurs twice (two extension headers,
        two options), which a dict would keep only the last of."""

    for p in json.loads(out or "[]", object_pairs_hook=Pairs):
        flat = {}

        def walk(o):
            for k, v in o:
                if isinstance(v, Pairs):
                    walk(v)
                elif isinstance(v, list):
                    for x in v:
                        if isinstance(x, Pairs):
                            walk(x)
                        else:
                            flat.setdefault(k, []).append(x)
                else:
                    flat.setdefault(k, []).append(v)
        walk(dict(dict(p)["_source"])["layers"])
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
    def __init__(self, prefix=None):
        self.failed = 0
        self.passed = 0
        self.prefix = prefix   # a label put before every name

    def check(self, ok, name, detail=""):
        if self.prefix:
            name = "%s: %s" % (self.prefix, name)
        if ok:
            self.passed += 1
            print("PASS: " + name)
        else:
            self.failed += 1
            print("FAIL: %s: %s" % (name, detail))
        sys.stdout.flush()


REFUSAL_SPORT = b"\x10\x92"  # 4242: every frame of the refusal program


def check_fields(t, name, fields, expected):
    """tshark's fields of one frame against a case's expectations."""
    bad = []
    for field, want in expected.items():
        if want is ANY:
            continue
        got = fields.get(field)
        if want is None:
            if got:
                bad.append("%s present (%s), want absent" % (field, got))
            continue
        if not got or not any(same(want, g) for g in got):
            bad.append("%s = %s, want %s" % (field, got, want))
    t.check(not bad, name + ": tshark shows every requested field", "; ".join(bad))


def scapy_load(mod, t, label):
    try:
        mod.scapy_load()
        return True
    except Exception as e:  # noqa: BLE001
        t.check(False, "%s: scapy (python3-scapy) imports on the host" % label, repr(e))
        return False


def judge(results, frames, dissections, guest_sent, t, label, dry_pcap=None, batch=None):
    ipv4 = [i for i, f in enumerate(frames) if len(f) >= 14 and f[12:14] == b"\x08\x00"]
    from_refusals = [i for i in ipv4 if frames[i][34:36] == REFUSAL_SPORT]
    t.check(len(from_refusals) == guest_sent,
            "%s: refusal program: the capture holds exactly the %d frames it sent" % (label, guest_sent),
            "captured %d" % len(from_refusals))
    ipv4 = [i for i in ipv4 if i not in from_refusals and not from_hping(frames[i]) and
            frames[i][30:34] != bytes(int(x) for x in BURST_DST.split("."))]
    judge_table(CASES, cases_mod, results, ipv4, frames, dissections, t, label, dry_pcap, batch)


def judge_table(table, mod, results, idxs, frames, dissections, t, label, dry_pcap, batch, v6=False):
    """One family's cases: refusals refused; each sent case's frame (the
    frames at idxs, in order) equals its dry run and scapy's build (mod's
    scapy_load()), and tshark shows its fields; then the batch's frames,
    which follow the cases' own."""
    family = "IPv6" if v6 else "IPv4"
    by_case = {r["name"]: r for r in results}
    expected_frames = 0
    for case in table:
        r = by_case.get(case["name"])
        if r is None:
            continue
        if case.get("refused") is not None:
            err = r["stderr"]
            one = case.get("one_line")
            t.check(r["rc"] == case["refused"] and "pktcraft:" in err and (not one or err.count("\n") == 1) and
                    (not case.get("stderr") or re.search(case["stderr"], err)),
                    "%s: %s: refused with exit %d and a %smessage" % (label, case["name"], case["refused"],
                                                                     "one-line " if one else ""),
                    "exit %d, stderr %r" % (r["rc"], err))
            continue
        expected_frames += 1
    if batch is not None:
        batch_frames = [frames[i] for i in idxs[expected_frames:]]
        idxs = idxs[:expected_frames]
    t.check(len(idxs) == expected_frames,
            "%s: %scapture holds exactly the frames reported sent (%d)" % (
                label, "IPv6: " if v6 else "", expected_frames),
            "captured %d %s frames" % (len(idxs), family))

    scapy_ok = scapy_load(mod, t, label)

    idx = 0
    for case in table:
        r = by_case.get(case["name"])
        if r is None or case.get("refused") is not None:
            continue
        name = "%s: %s" % (label, case["name"])
        dry = bytes.fromhex(r["dry_frame"]) if r.get("dry_frame") else None
        judge_outputs(case, r, dry, dry_pcap, t, name, v6)
        if r["rc"] != 0:
            t.check(False, name + ": sent", "exit %d: %s" % (r["rc"], r["stderr"].strip()))
            continue
        if idx >= len(idxs):
            t.check(False, name + ": on the wire", "no frame captured")
            continue
        wire = frames[idxs[idx]]
        fields = dissections[idxs[idx]]
        idx += 1
        r["wire"] = wire.hex()
        if dry is not None and case.get("kernel_id"):
            # The kernel picks a new ID per build: compare all but ID and
            # the checksums that cover it.
            dry, wire_cmp = mask_id(dry, case), mask_id(wire, case)
        else:
            wire_cmp = wire
        t.check(dry is not None and dry == wire_cmp, name + ": dry-run bytes equal wire bytes",
                "dry %s\nwire %s" % (dry.hex() if dry else r.get("dry_err"), wire_cmp.hex()))
        check_fields(t, name, fields, (expectations6 if v6 else expectations)(case))
        if scapy_ok and case.get("scapy"):
            try:
                want = bytes(case["scapy"]())
                want += b"\0" * max(0, 60 - len(want))
                err = ""
            except Exception as e:  # noqa: BLE001
                want, err = None, "scapy failed: %r" % e
            if want is not None and case.get("kernel_id"):
                want = mask_id(want, case)
            t.check(want is not None and want == wire_cmp,
                    name + ": scapy builds the same bytes",
                    err or "scapy %s\nwire  %s\nfirst difference at byte %s" % (
                        want.hex(), wire_cmp.hex(), first_diff(want, wire_cmp)))
        elif not case.get("scapy"):
            t.check(False, name + ": scapy builds the same bytes", "no scapy description in the table")
        if case.get("check"):
            ok, why = case["check"](wire, fields)
            t.check(ok, name + ": " + case.get("check_name", "extra check"), why)
    if batch is not None:
        judge_batch(batch, by_case, batch_frames, t, label, "IPv6 batch" if v6 else "batch")


def is_chatter6(frame):
    """What the guest's kernel sends itself once eth0 has IPv6 (MLD
    reports): Ethernet multicast 33:33:..., which no case of cases6.py
    sends to."""
    return frame[0:2] == b"\x33\x33"


def ipv6_frames(frames):
    return [i for i, f in enumerate(frames)
            if len(f) >= 54 and f[12:14] == b"\x86\xdd" and not is_chatter6(f)]


def l4_kind6(case):
    if case.get("kind"):
        return case["kind"]
    args = case["args"]
    if any(a in ("-2", "--udp") for a in args):
        return "udp"
    if any(a in ("-1", "--icmp", "-C", "-K") for a in args):
        return "icmpv6"
    if any(a in ("-0", "--rawip", "-H", "--proto") for a in args):
        return "raw"
    return "tcp"


def expectations6(case):
    exp = dict(case.get("expect", {}))
    l4 = case.get("l4", "tcp")
    if l4 in ("tcp", "udp", "icmpv6"):
        exp.setdefault(l4 + ".checksum.status", 1)
    return exp


def judge6(results, frames, dissections, t, label, dry_pcap=None, batch=None):
    """The IPv6 cases (cases6.py), as judge() the IPv4 ones, among the
    IPv6 frames of the capture."""
    judge_table(CASES6, cases6_mod, results, ipv6_frames(frames), frames, dissections, t, label,
                dry_pcap, batch, v6=True)


def check_json6(case, out):
    """--json of an IPv6 frame: one object, the documented fields
    (docs/output.md, IPv6) agreeing with the frame's bytes."""
    j, bad = json_object(out)
    if bad:
        return bad
    for k in ("sent", "len", "frame", "eth", "ipv6", "malformed"):
        if k not in j:
            bad.append("no %s" % k)
    if bad:
        return bad
    try:
        f = bytes.fromhex(j["frame"])
    except (TypeError, ValueError):
        return ["frame is not hex"]
    ip = f[14:]
    v = j["ipv6"]
    want = {"version": ip[0] >> 4, "traffic_class": (int.from_bytes(ip[0:2], "big") >> 4) & 0xFF,
            "flow_label": int.from_bytes(ip[0:4], "big") & 0xFFFFF,
            "payload_length": int.from_bytes(ip[4:6], "big"), "next_header": ip[6], "hop_limit": ip[7],
            "src": socket.inet_ntop(socket.AF_INET6, ip[8:24]),
            "dst": socket.inet_ntop(socket.AF_INET6, ip[24:40])}
    for k, w in want.items():
        if v.get(k) != w:
            bad.append("ipv6.%s %r, the bytes say %r" % (k, v.get(k), w))
    if type(j["sent"]) is not int or j["sent"] != 0:
        bad.append("sent is not the number 0 in a dry run")
    if j["len"] != len(f):
        bad.append("len %r, frame has %d bytes" % (j["len"], len(f)))
    if j["eth"].get("type") != 0x86DD:
        bad.append("eth.type %r" % j["eth"].get("type"))
    n = case.get("ext", 0)
    ext = j.get("ext")
    if n and (not isinstance(ext, list) or len(ext) != n):
        bad.append("ext %r, want a list of %d" % (ext, n))
    elif not n and ext:
        bad.append("ext %r, want none" % ext)
    elif n:
        if any(not isinstance(e, dict) or "kind" not in e or "next_header" not in e for e in ext):
            bad.append("an ext entry lacks kind or next_header")
        elif ext[0]["next_header"] != ip[40]:
            bad.append("ext[0].next_header %r, byte 40 is %d" % (ext[0]["next_header"], ip[40]))
    kind = l4_kind6(case)
    if case.get("l4", "tcp") in ("tcp", "udp", "icmpv6"):
        o = j.get(kind)
        if not isinstance(o, dict):
            bad.append("no %s object" % kind)
        elif o.get("checksum_ok") is not True:
            bad.append("%s.checksum_ok is %r" % (kind, o.get("checksum_ok")))
    for fl in case.get("flagged", []):
        if fl.endswith(".checksum") and isinstance(j.get(fl.split(".")[0]), dict) and \
                j[fl.split(".")[0]].get("checksum_ok") is not False:
            bad.append("%s_ok is not false" % fl)
    return bad + malformed_problems(case, j)


def from_hping(frame):
    """A frame of the hping3 differential (to 10.3.200.0/24)."""
    return len(frame) >= 34 and frame[30:33] == bytes(int(x) for x in cases_mod.HPING_NET.split(".")[:3])


def judge_hping(results, frames, t, label, wanted):
    """hping3's frame and pktcraft's, for the same arguments, are the same bytes."""
    if any(r.get("missing") for r in results):
        t.check(False, "%s: hping3 differential: hping3 is installed in the guest" % label,
                "hping3 not found (the guest shares the host's root: apt-get install hping3)")
        return
    by_dst = {}
    for f in frames:
        if from_hping(f):
            by_dst.setdefault(".".join(str(b) for b in f[30:34]), []).append(f)
    names = {r["name"]: r for r in results}
    for i, (name, args) in enumerate(cases_mod.HPING_CASES):
        if not wanted:
            break
        r = names.get(name)
        dst = cases_mod.HPING_NET + str(i + 1)
        what = "%s: hping3 differential: %s (%s)" % (label, name, " ".join(args))
        if r is None:
            t.check(False, what + ": ran in the guest", "no result")
            continue
        got = by_dst.get(dst, [])
        ok = r["rc"] == 0 and len(got) == 2 and got[0] == got[1]
        detail = "pktcraft exit %d %s; hping3 exit %d %s; %d frames to %s" % (
            r["rc"], r["stderr"].strip(), r["hping_rc"], r["hping_err"].strip(), len(got), dst)
        if len(got) == 2 and got[0] != got[1]:
            detail += "\nhping3   %s\npktcraft %s\nfirst difference at byte %s" % (
                got[0].hex(), got[1].hex(), first_diff(got[0], got[1]))
        t.check(ok, what + ": the same frame, byte for byte", detail)


def judge_burst(result, frames, t, label):
    """The quick burst: exit 0, and on the wire one frame per source port,
    in order."""
    dst = bytes(int(x) for x in BURST_DST.split("."))
    got = [f for f in frames if len(f) >= 42 and f[12:14] == b"\x08\x00" and f[30:34] == dst]
    ports = [int.from_bytes(f[34:36], "big") for f in got]
    ok = result is not None and result["rc"] == 0 and ports == BURST_PORTS
    t.check(ok, "%s: burst: --sport %d-%d sends %d UDP frames, one per port, in order" % (
        label, BURST_PORTS[0], BURST_PORTS[-1], len(BURST_PORTS)),
        "result %r; source ports on the wire %r" % (result, ports))


GUEST_TIMEOUT = 1200   # s: boot_script()'s guests


def guest_watchdog():
    """In a guest script (tests/vm/run): if it still runs at 85% of the
    guest's time limit, prints where it is, as "HANG: " lines (tests/check
    shows them with the failed test): its threads' Python stacks, then
    every descendant process and this one's threads with state, wchan and
    kernel stack. A guest that tests/vm/run then kills has said what it was
    waiting for."""
    import threading
    import traceback
    try:
        with open("/proc/uptime") as f:
            up = float(f.read().split()[0])
        after = max(30, int(os.environ.get("PKTCRAFT_VM_TIMEOUT", "600")) * 0.85 - up)
    except (OSError, ValueError):
        return

    def dump():
        out = []
        for tid, frame in sys._current_frames().items():
            if tid != threading.get_ident():
                st = traceback.extract_stack(frame)
                st = [f for f in st[:-1] if f.filename.startswith(TOP)][-3:] + st[-1:]
                out += ["python: %s:%d %s" % (os.path.relpath(f.filename, TOP) if f.filename.startswith(TOP)
                                              else os.path.basename(f.filename), f.lineno, f.name)
                        for f in st]
        children = {}
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open("/proc/%s/stat" % pid) as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(pid))
        tasks = ["self/task/" + t for t in os.listdir("/proc/self/task")
                 if int(t) != threading.get_native_id()]
        todo = list(children.get(os.getpid(), []))
        while todo:
            pid = todo.pop(0)
            tasks.append(str(pid))
            todo += children.get(pid, [])

        def read(path):
            try:
                with open("/proc/%s" % path) as f:
                    return f.read().strip()
            except OSError:
                return "?"
        for t in tasks:
            stack = [ln.split()[-1] for ln in read(t + "/stack").splitlines()[:8]]
            out.append("%s %s: %s, wchan %s, kernel stack %s" % (
                t, read(t + "/comm"), read(t + "/status").split("State:")[-1].split("\n")[0].strip(),
                read(t + "/wchan"), " < ".join(stack) or "-"))
        # One write, on lines of its own (the main thread may be printing).
        sys.stdout.write("\n" + "".join("HANG: still running after %d s: %s\n" % (after, ln)
                                         for ln in out[:40]))
        sys.stdout.flush()

    t = threading.Timer(after, dump)
    t.daemon = True
    t.start()


def boot_script(label, kernel, script, outdir, adds=(), timeout=GUEST_TIMEOUT):
    """Boots a guest running script --guest (tests/vm/run, the module
    loaded); its whole output goes to outdir/guest.log. Returns the
    CompletedProcess."""
    os.makedirs(outdir, exist_ok=True)
    cmd = [os.path.join(TOP, "tests", "vm", "run"), "--kernel", kernel, "--timeout", str(timeout)]
    for a in adds:
        cmd += ["--add", a]
    cmd += ["--", "/usr/bin/python3", os.path.abspath(script), "--guest"]
    print("%s: booting the %s guest" % (label, kernel), flush=True)
    p = subprocess.run(cmd, capture_output=True, text=True)
    with open(os.path.join(outdir, "guest.log"), "w") as f:
        f.write(p.stdout + p.stderr)
    return p


def guest_clean(t, p, outdir):
    """The check that the guest of boot_script() ended cleanly; a failure
    shows what tests/vm/run said (a timeout: how far the guest got, where
    its CPUs were) and the end of the output."""
    said = "\n".join([ln for ln in p.stdout.splitlines() if ln.startswith("HANG: ")] +
                     [ln for ln in p.stderr.splitlines() if ln.startswith("vm: ")])
    t.check(p.returncode == 0, "guest ran cleanly (no kernel report, module unloaded)",
            "tests/vm/run exit %d (log: %s/guest.log)\n%s\n%s" % (
                p.returncode, outdir, said, (p.stdout + p.stderr)[-2000:]))


def script_main(doc, guest, host, listener=None):
    """main() of a guest script (stack6.py, tests/fate/fate.py): --kernel
    on the host boots a guest running the script again with --guest (and
    --listener in the peer namespace); returns the exit status."""
    import argparse
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("--guest", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--listener", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--kernel", default="stock", help="stock (default) or debug (tests/vm/run --kernel)")
    args = ap.parse_args()
    if args.listener and listener:
        listener()
        return 0
    if args.guest:
        guest_watchdog()
        return guest() or 0
    if not re.match(r"^(stock|debug|stock:[0-9][0-9a-z.+~-]*-amd64)$", args.kernel):
        ap.error("--kernel: stock, debug or stock:ABI")
    return host(args)


def first_diff(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return "0x%04x" % i
    return "0x%04x (length %d vs %d)" % (min(len(a), len(b)), len(a), len(b))


def l4_kind(case):
    if case.get("kind"):
        return case["kind"]
    args = case["args"]
    if "--udp" in args:
        return "udp"
    if "--icmp" in args:
        return "icmp"
    if "--proto" in args:
        return "raw"
    return "tcp"


# The documented --json fields (docs/output.md).
JSON_FIELDS = {
    "": ["sent", "len", "frame", "eth", "ip", "malformed"],
    "eth": ["dst", "src", "type"],
    "ip": ["version", "ihl", "tos", "total_length", "id", "frag", "flags", "frag_offset", "ttl",
           "protocol", "checksum", "checksum_ok", "src", "dst"],
    "tcp": ["sport", "dport", "seq", "ack", "doff", "reserved", "flags", "window", "checksum",
            "checksum_ok", "urgent"],
    "udp": ["sport", "dport", "length", "checksum", "checksum_ok"],
    "icmp": ["type", "code", "checksum", "checksum_ok", "id", "seq"],
    "payload": ["length", "data"],
}


def json_object(out):
    """--json's output: one line, one object without duplicate keys.
    Returns (the object, []) or (None, problems)."""
    lines = out.splitlines()
    if len(lines) != 1:
        return None, ["%d lines of output, want 1" % len(lines)]

    def no_duplicates(pairs):
        keys = [k for k, _ in pairs]
        dup = sorted({k for k in keys if keys.count(k) > 1})
        if dup:
            raise ValueError("duplicate keys %s" % ", ".join(dup))
        return dict(pairs)
    try:
        j = json.loads(lines[0], object_pairs_hook=no_duplicates)
    except ValueError as e:
        return None, ["not JSON: %s" % e]
    if not isinstance(j, dict):
        return None, ["not an object"]
    return j, []


def malformed_problems(case, j):
    """The "malformed" list names exactly the case's flagged fields."""
    if not isinstance(j.get("malformed"), list):
        return ["malformed is not a list"]
    got = sorted(m.split(":")[0] for m in j["malformed"])
    if got != sorted(case.get("flagged", [])):
        return ["malformed %r, want %r" % (j["malformed"], sorted(case.get("flagged", [])))]
    return []


def check_json(case, out):
    """--json: one line, one object, the documented fields, agreeing with
    the frame's own bytes. Returns a list of problems."""
    j, bad = json_object(out)
    if bad:
        return bad
    kind = l4_kind(case)
    layers = ["", "eth", "ip"] + ([kind] if kind != "raw" else [])
    for layer in layers:
        obj = j if not layer else j.get(layer)
        if not isinstance(obj, dict):
            bad.append("no %s object" % layer)
            continue
        miss = [k for k in JSON_FIELDS[layer] if k not in obj]
        if miss:
            bad.append("%s lacks %s" % (layer or "top level", ", ".join(miss)))
    if bad:
        return bad
    try:
        f = bytes.fromhex(j["frame"])
    except (TypeError, ValueError):
        return ["frame is not hex"]
    ip = f[14:]
    checks = [
        (type(j["sent"]) is int and j["sent"] == 0, "sent is not the number 0 in a dry run"),
        (j["len"] == len(f), "len %r, frame has %d bytes" % (j["len"], len(f))),
        (j["eth"]["dst"] == ":".join("%02x" % b for b in f[0:6]), "eth.dst"),
        (j["eth"]["type"] == 0x0800, "eth.type"),
        (j["ip"]["version"] == ip[0] >> 4 and j["ip"]["ihl"] == ip[0] & 15, "ip.version/ihl"),
        (j["ip"]["total_length"] == int.from_bytes(ip[2:4], "big"), "ip.total_length"),
        (j["ip"]["id"] == int.from_bytes(ip[4:6], "big"), "ip.id"),
        (j["ip"]["frag"] == int.from_bytes(ip[6:8], "big"), "ip.frag"),
        (j["ip"]["frag_offset"] == int.from_bytes(ip[6:8], "big") & 0x1FFF, "ip.frag_offset"),
        (j["ip"]["flags"] == {"rf": ip[6] >> 7, "df": ip[6] >> 6 & 1, "mf": ip[6] >> 5 & 1}, "ip.flags"),
        (j["ip"]["ttl"] == ip[8] and j["ip"]["protocol"] == ip[9], "ip.ttl/protocol"),
        (j["ip"]["checksum"] == int.from_bytes(ip[10:12], "big"), "ip.checksum"),
        (j["ip"]["src"] == ".".join(str(b) for b in ip[12:16]), "ip.src"),
        (j["ip"]["dst"] == ".".join(str(b) for b in ip[16:20]), "ip.dst"),
        (isinstance(j["malformed"], list) and all(isinstance(m, str) for m in j["malformed"]),
         "malformed is not a list of strings"),
    ]
    bad += [why for ok, why in checks if not ok]
    if ("--ip-opt" in case["args"]) != ("options" in j["ip"]):
        bad.append("ip.options present iff --ip-opt")
    if kind == "tcp" and ("--tcp-opt" in case["args"]) != ("options" in j["tcp"]):
        bad.append("tcp.options present iff --tcp-opt")
    if kind in ("tcp", "udp", "icmp"):
        ok = ("%s.checksum" % kind) not in case.get("flagged", [])
        if j[kind]["checksum_ok"] is not ok:
            bad.append("%s.checksum_ok is %r" % (kind, j[kind]["checksum_ok"]))
    if isinstance(j.get("malformed"), list):
        bad += malformed_problems(case, j)
    return bad


HEXLINE = re.compile(r"^[0-9a-f]{4}  ")


def text_frame(text):
    """The bytes of the hex dump that ends the text output."""
    out = bytearray()
    for line in text.splitlines():
        if HEXLINE.match(line):
            out += bytes.fromhex("".join(line[6:55].split()))
    return bytes(out)


def judge_outputs(case, r, dry, dry_pcap, t, name, v6=False):
    """What the CLI printed: warning, --json, the text dump, -w."""
    warned = WARNING in r.get("stderr", "") and WARNING in r.get("dry_err", "")
    t.check(warned == bool(case.get("warn")),
            name + (": CLI warns that the packet is malformed" if case.get("warn") else
                    ": CLI prints no malformation warning"),
            "send stderr %r, dry-run stderr %r" % (r.get("stderr"), r.get("dry_err")))
    bad = (check_json6 if v6 else check_json)(case, r.get("dry_out", "")) if r.get("dry_rc") == 0 else [
        "exit %s: %s" % (r.get("dry_rc"), r.get("dry_err"))]
    t.check(not bad, name + ": --json is one valid object with the documented fields",
            "; ".join(bad) + "\n" + r.get("dry_out", "")[:3000])
    text = r.get("text", "")
    got = text_frame(text)
    want = dry
    if want is not None and case.get("kernel_id"):
        got, want = mask_id(got, case), mask_id(want, case)
    flagged = bool(case.get("flagged"))
    if v6:
        # The layer 4 title where its checksum is judged good; one
        # "ext[N]: " title per extension header.
        titles = ["Ethernet II", "IPv6"] + ({"tcp": ["TCP"], "udp": ["UDP"], "icmpv6": ["ICMPv6"]}
                                            .get(case.get("l4", "tcp"), []))
    else:
        titles = ["Ethernet II", "IPv4"] + {"tcp": ["TCP"], "udp": ["UDP"], "icmp": ["ICMP"],
                                            "raw": []}[l4_kind(case)]
    problems = []
    if r.get("text_rc") != 0:
        problems.append("exit %s: %s" % (r.get("text_rc"), r.get("text_err")))
    if got != want:
        problems.append("hex dump %s, JSON frame %s" % (got.hex(), want.hex() if want else None))
    if ("MALFORMED" in text) != flagged or ("\nMalformed:" in text) != flagged:
        problems.append("MALFORMED shown: %s, want %s" % ("MALFORMED" in text, flagged))
    problems += ["no '%s' layer" % x for x in titles if not re.search(r"^%s, \d+ bytes? at" % x, text, re.M)]
    if v6:
        n = len(re.findall(r"^ext\[\d+\]: ", text, re.M))
        if n != case.get("ext", 0):
            problems.append("%d extension header titles, want %d" % (n, case.get("ext", 0)))
    t.check(not problems, name + ": text dump shows the frame, flags exactly the malformed fields",
            "; ".join(problems) + "\n" + text[-4000:])
    if dry_pcap is not None:
        i = r.get("pcap_index")
        ok = i is not None and i < len(dry_pcap) and dry is not None and dry_pcap[i] == dry
        t.check(ok, name + ": --write pcap read back by tshark holds the dry-run bytes",
                "pcap index %r of %d frames" % (i, len(dry_pcap)))


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


def tshark_raw(path):
    """Every frame of a pcap as tshark reads it (frame_raw)."""
    out = subprocess.run(["tshark", "-r", path, "-T", "json", "-x", "-j", "frame"],
                         capture_output=True, text=True, check=True).stdout
    return [bytes.fromhex(p["_source"]["layers"]["frame_raw"][0]) for p in json.loads(out or "[]")]


def host(args):
    t = Tally()
    label = "e2e[%s]" % args.kernel
    outdir = os.path.join(TOP, "build", "e2e-" + args.kernel.replace(":", "-") + ("-quick" if args.quick else ""))
    os.makedirs(outdir, exist_ok=True)
    pcap = os.path.join(outdir, "wire.pcap")
    ref = os.path.join(TOP, "build", "tests", "refusals")
    # ~90 cases, each built twice and sent: 10-20 minutes on the TCG debug
    # kernel when the host is busy.
    cmd = [os.path.join(TOP, "tests", "vm", "run"), "--kernel", args.kernel,
           "--timeout", "3600", "--pcap", pcap, "--add", ref, "--",
           "/usr/bin/python3", os.path.abspath(__file__), "--guest"]
    if args.filter:
        cmd += ["--filter", args.filter]
    print("%s: booting the %s guest and sending %d cases" % (label, args.kernel, len(guest_cases(args.filter))),
          flush=True)
    p = subprocess.run(cmd, capture_output=True, text=True)
    with open(os.path.join(outdir, "guest.log"), "w") as f:
        f.write(p.stdout + p.stderr)
    results, guest_sent, dry_pcap, hping, burst, batch, batch6 = [], 0, None, [], None, None, None
    for line in p.stdout.splitlines():
        line = line.strip()
        if line.startswith("E2E "):
            results.append(json.loads(line[4:]))
        elif line.startswith("DRYPCAP "):
            path = os.path.join(outdir, "dry.pcap")
            with open(path, "wb") as f:
                f.write(base64.b64decode(line[8:]))
            try:
                dry_pcap = tshark_raw(path)
            except (subprocess.CalledProcessError, ValueError, KeyError) as e:
                t.check(False, "%s: tshark reads the --write pcap" % label, repr(e))
        elif line.startswith(("PASS: refusal", "FAIL: refusal", "PASS: exit status", "FAIL: exit status")):
            ok = line.startswith("PASS")
            t.check(ok, "%s: %s" % (label, line.split(": ", 1)[1]), "")
        elif line.startswith("SENT "):
            guest_sent = int(line.split()[1])
        elif line.startswith("HPING "):
            hping.append(json.loads(line[6:]))
        elif line.startswith("BURST "):
            burst = json.loads(line[6:])
        elif line.startswith("BATCH "):
            batch = json.loads(line[6:])
        elif line.startswith("BATCH6 "):
            batch6 = json.loads(line[7:])
        elif line.startswith(("PASS: IPv6", "FAIL: IPv6")):
            t.check(line.startswith("PASS"), "%s: %s" % (label, line.split(": ", 1)[1]), "")
    t.check(p.returncode in (0, 1), "%s: guest ran cleanly (no kernel report, module unloaded)" % label,
            "tests/vm/run exit %d; output:\n%s" % (p.returncode, (p.stdout + p.stderr)[-3000:]))
    wanted = guest_cases(args.filter)
    t.check(len(results) == len(wanted), "%s: every case ran in the guest" % label,
            "%d of %d results (log: %s)" % (len(results), len(wanted), os.path.join(outdir, "guest.log")))
    frames = read_pcap(pcap) if os.path.exists(pcap) else []
    dissections = tshark_fields(pcap) if frames else []
    want_batch = any(batchable(c) and not is_v6(c) for c in wanted)
    judge(results, frames, dissections, guest_sent, t, label, dry_pcap,
          batch if want_batch else None)
    if want_batch and batch is None:
        t.check(False, "%s: batch: the guest ran `pktcraft batch`" % label, "no BATCH line")
    if any(is_v6(c) for c in wanted):
        want_batch6 = any(batchable(c) and is_v6(c) for c in wanted)
        judge6(results, frames, dissections, t, label, dry_pcap, batch6 if want_batch6 else None)
        if want_batch6 and batch6 is None:
            t.check(False, "%s: IPv6 batch: the guest ran `pktcraft batch`" % label, "no BATCH6 line")
    judge_hping(hping, frames, t, label, not args.filter or re.search(args.filter, "hping3"))
    if args.filter and re.search(args.filter, "burst"):
        judge_burst(burst, frames, t, label)
    print("%s: %d passed, %d failed" % (label, t.passed, t.failed))
    return 1 if t.failed else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--guest", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--kernel", default="stock",
                    help="stock (default), debug, or stock:ABI (a Debian kernel ABI, e.g. stock:6.1.0-47-amd64; "
                    "tests/vm/run --kernel)")
    ap.add_argument("--filter", help="only cases whose name matches this regex")
    ap.add_argument("--quick", action="store_true",
                    help="the quick subset: TCP, UDP, ICMP sends, refusals, a burst (--filter QUICK)")
    args = ap.parse_args()
    if not re.match(r"^(stock|debug|stock:[0-9][0-9a-z.+~-]*-amd64)$", args.kernel):
        ap.error("--kernel: stock, debug or stock:ABI")
    if args.quick:
        if args.filter:
            ap.error("--quick and --filter exclude each other")
        args.filter = QUICK
    if args.guest:
        run_guest(args.filter)
        return 0
    return host(args)


if __name__ == "__main__":
    sys.exit(main())
