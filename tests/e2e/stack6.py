#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""IPv6 with the real stack as judge (issue 15).

In a guest, a veth pair joins the initial namespace (pc6a, 2001:db8:6::1,
fe80::1) to a peer namespace (pc6b, 2001:db8:6::2, fe80::2) where a Python
listener holds a TCP socket on port 8080 and a UDP socket on 9999. pktcraft
sends from the initial namespace; tshark captures pc6a (both directions);
the peer's counters (/proc/net/snmp6; TCP's InCsumErrors in /proc/net/snmp,
shared by both families) are read before and after each step. The host
judges the capture with tshark:

  a SYN with MSS/SACK/timestamp options gets a SYN-ACK echoing the
  timestamp; a closed port gets RST; UDP arrives byte-exact at the socket;
  an echo request gets its reply; wrong TCP/UDP/ICMPv6 checksums (and a
  UDP checksum of 0) are dropped and counted; egress by route (no --dev)
  resolves the neighbour (NS/NA on the wire); ff02::1 goes to
  33:33:00:00:00:01 and is answered; a link-local destination works with
  --dev and is refused (EINVAL, one line, nothing sent) without; bursts
  vary the flow label (random, counted) and the source's low bits, every
  checksum valid. Each step waits until the peer's IPv6 layer has taken
  what pktcraft sent, less the kernel's own ND, RS and MLD messages; the
  last step checks that count with an MLD report pc6a's kernel sends.

Verdict lines: "PASS: ..." / "FAIL: ...".
"""
import base64
import json
import os
import re
import select
import signal
import socket
import struct
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TOP, "tests", "lib"))
import uapi  # noqa: E402

NS = "pc6peer"
A, B = "2001:db8:6::1", "2001:db8:6::2"
LLA, LLB = "fe80::1", "fe80::2"
TCP_PORT, CLOSED_PORT, UDP_PORT = 8080, 8081, 9999
UDP_DATA = bytes(range(256))
TSVAL = 123456
BURST_SRC = ("2001:db8:6::100", "2001:db8:6::10f")   # 16 sources
BURST_N = 16
FL_RANGE = (1, 8)
# Added to pc6a by the last step: its MLD report must not count as ours.
MLD_ADDR = "2001:db8:6::55"
# What the peer joins on pc6b so that ICMPv6's counters see the kernel's
# MLD reports (to ff02::16) and router solicitations (to ff02::2): a host
# that has not joined them drops them in ip6_mc_input() after
# Ip6InReceives has counted them, with no ICMPv6 counter moving.
PEER_GROUPS = ("ff02::16", "ff02::2")
# (step, UDP source port, --ext specs, delivered to the socket?)
EXT_STEPS = [
    ("ext-hbh-dst", 40009, ["hbh=ra=0", "dst=padn=6"], True),
    ("ext-atomic-frag", 40010, ["frag=99:0"], True),
    ("ext-pad-run", 40011, ["dst=padn=7"], False),        # 7 + the kernel's 7
    ("ext-padn-nonzero", 40012, ["dst=raw=0104aabbccdd"], False),
]
EXT_STEPS, EXT_DELIVERED = [x[:3] for x in EXT_STEPS], {x[0]: x[3] for x in EXT_STEPS}
PCAP = "/tmp/stack6.pcap"
UDP_LOG = "/tmp/stack6-udp.jsonl"
READY = "/tmp/stack6-ready"


# ------------------------------------------------------------ the listener
def listener():
    """In the peer namespace: a listening TCP socket (the kernel answers
    SYNs) and a UDP socket whose every datagram is logged with its sender."""
    t = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    t.bind(("::", TCP_PORT))
    t.listen(16)
    u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    u.bind(("::", UDP_PORT))
    for group in PEER_GROUPS:
        u.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP,
                     socket.inet_pton(socket.AF_INET6, group) + struct.pack("@I", socket.if_nametoindex("pc6b")))
    with open(READY, "w") as f:
        f.write("ready\n")
    with open(UDP_LOG, "a") as log:
        while True:
            r, _, _ = select.select([u], [], [], 1.0)
            if u in r:
                data, addr = u.recvfrom(65535)
                log.write(json.dumps({"src": addr[0], "sport": addr[1], "data": data.hex()}) + "\n")
                log.flush()


# ------------------------------------------------------------- guest side
def sh(*cmd, ns=False, check=True):
    c = (["ip", "netns", "exec", NS] if ns else []) + list(cmd)
    r = subprocess.run(c, capture_output=True, text=True)
    if check and r.returncode:
        print("FAIL: stack6: set-up: %s: %s" % (" ".join(c), r.stderr.strip()), flush=True)
        raise SystemExit(1)
    return r


def sysctl(dev, ns=False, **kv):
    for k, v in kv.items():
        sh("sysctl", "-qw", "net.ipv6.conf.%s.%s=%s" % (dev, k, v), ns=ns)


def counters():
    """The peer's counters: snmp6 by name, and Tcp InCsumErrors."""
    out = {}
    for line in sh("cat", "/proc/net/snmp6", ns=True).stdout.splitlines():
        k, v = line.split()
        out[k] = int(v)
    snmp = sh("cat", "/proc/net/snmp", ns=True).stdout.splitlines()
    tcp = [ln.split()[1:] for ln in snmp if ln.startswith("Tcp:")]
    if len(tcp) == 2:
        out.update({"Tcp" + k: int(v) for k, v in zip(tcp[0], tcp[1])})
    return out


def udp_log():
    try:
        with open(UDP_LOG) as f:
            return [json.loads(ln) for ln in f if ln.strip()]
    except FileNotFoundError:
        return []


def set_up():
    sh("ip", "netns", "add", NS)
    sh("ip", "link", "add", "pc6a", "type", "veth", "peer", "name", "pc6b")
    sh("ip", "link", "set", "pc6b", "netns", NS)
    # tests/vm/guest-init disables IPv6 in the initial namespace (default
    # too, so pc6a was born without it): on for pc6a only, no DAD, no
    # address of its own making, no router solicitation.
    sysctl("pc6a", addr_gen_mode=1, accept_dad=0, router_solicitations=0, accept_ra=0)
    sysctl("pc6a", disable_ipv6=0)
    sh("ip", "addr", "add", A + "/64", "dev", "pc6a", "nodad")
    sh("ip", "addr", "add", LLA + "/64", "dev", "pc6a", "nodad")
    sysctl("pc6b", ns=True, addr_gen_mode=1, accept_dad=0, router_solicitations=0, accept_ra=0)
    sysctl("pc6b", ns=True, disable_ipv6=0)
    sh("ip", "link", "set", "lo", "up", ns=True)
    sh("ip", "addr", "add", B + "/64", "dev", "pc6b", "nodad", ns=True)
    sh("ip", "addr", "add", LLB + "/64", "dev", "pc6b", "nodad", ns=True)
    sh("ip", "link", "set", "pc6b", "up", ns=True)
    sh("ip", "link", "set", "pc6a", "up")


def run_guest():
    cli = os.path.join(TOP, "userspace", "pktcraft")
    set_up()
    lst = subprocess.Popen(["ip", "netns", "exec", NS, "/usr/bin/python3", os.path.abspath(__file__),
                            "--listener"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    # dumpcap itself, not tshark: tshark first loads every dissector, which
    # took more than 120 s in a debug guest on a loaded host (dumpcap took
    # 17 s in a stock one there). It says "Capturing on 'pc6a'" once it has
    # the interface; nothing can go on before, so the wait is long.
    t0 = time.time()
    cap = subprocess.Popen(["dumpcap", "-q", "-i", "pc6a", "-w", PCAP], stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 300
    line, said = "", []
    while time.time() < deadline and "Capturing on" not in line:
        r, _, _ = select.select([cap.stderr], [], [], 1.0)
        if r:
            line = cap.stderr.readline()
            if not line:
                break
            said.append(line.strip())
    took = time.time() - t0
    while not os.path.exists(READY) and time.time() < deadline and lst.poll() is None:
        time.sleep(0.2)
    print("STACK6 " + json.dumps({"step": "setup", "capturing": "Capturing on" in line,
                                  "capture_s": round(took, 1), "dumpcap_said": said[-3:],
                                  "listener": os.path.exists(READY),
                                  "listener_err": "" if lst.poll() is None else lst.stderr.read().decode()}),
          flush=True)

    # The peer answers in softirq right after the send; KASAN under TCG
    # is slower.
    slow = 3 if os.environ.get("PKTCRAFT_KERNEL") == "debug" else 1

    def ours(now, before):
        """IPv6 packets the peer took since @before, less ND, RS and MLD
        (counted by ICMPv6 too: the peer joined PEER_GROUPS)."""
        return sum((1 if k == "Ip6InReceives" else -1) * (now.get(k, 0) - before.get(k, 0))
                   for k in ("Ip6InReceives", "Icmp6InNeighborSolicits", "Icmp6InNeighborAdvertisements",
                             "Icmp6InRouterSolicits", "Icmp6InMLDv2Reports", "Icmp6InGroupMembReports"))

    def step(name, args, wait=0.5, run=None, taken=None):
        """Runs @run (default: `pktcraft send @args`), waits until the
        peer has taken what was sent (@taken(now, before), default: as
        many of pktcraft's packets as GET_STATS counted; at most 10 s),
        then @wait more (times 3 on the debug kernel), and prints the
        step's record."""
        before = counters()
        n_udp = len(udp_log())
        pk0 = uapi.stat("packets")
        r = run() if run else subprocess.run([cli, "send", "--no-replies"] + args,
                                             capture_output=True, text=True)
        # Until the peer's IPv6 layer has taken what was sent (a busy host
        # can delay its softirq past any fixed wait), then the settle for
        # what follows it: a reply, the listener's log. The kernel's own
        # ND, RS and MLD messages are taken out of the count.
        sent, deadline = uapi.stat("packets") - pk0, time.monotonic() + 10 * slow
        if taken is None:
            def taken(now, before):
                return sent <= 0 or ours(now, before) >= sent
        while time.monotonic() < deadline and not taken(counters(), before):
            time.sleep(0.05)
        time.sleep(wait * slow)
        after = counters()
        delta = {k: after[k] - before.get(k, 0) for k in after if after[k] != before.get(k, 0)}
        print("STACK6 " + json.dumps({"step": name, "args": args, "rc": r.returncode, "stdout": r.stdout,
                                      "stderr": r.stderr, "delta": delta, "udp": udp_log()[n_udp:],
                                      "ours": ours(after, before)}),
              flush=True)

    dev = ["--dev", "pc6a"]
    # First: egress by route, the neighbour unknown (nothing sent to the
    # peer yet): NS, NA, then the echo request.
    sh("ip", "-6", "neigh", "flush", "dev", "pc6a", check=False)
    step("route", ["-1", "--icmp-id", "79", "--icmp-seq", "1", "--dst", B], wait=1.0)
    step("syn", dev + ["--src", A, "--dst", B, "-S", "-p", str(TCP_PORT), "-s", "40001", "--seq", "1000",
                       "--tcp-opt", "mss=1400,sackok,ts=%d:0,nop,wscale=7" % TSVAL])
    step("rst", dev + ["--src", A, "--dst", B, "-S", "-p", str(CLOSED_PORT), "-s", "40002", "--seq", "5000"])
    step("udp", dev + ["--src", A, "--dst", B, "-2", "-p", str(UDP_PORT), "-s", "40003",
                       "--data-hex", UDP_DATA.hex()])
    step("echo", dev + ["--src", A, "--dst", B, "-1", "--icmp-id", "77", "--icmp-seq", "1", "--data", "ping6"])
    step("bad-tcp", dev + ["--src", A, "--dst", B, "-S", "-p", str(TCP_PORT), "-s", "40004", "-b"])
    step("bad-udp", dev + ["--src", A, "--dst", B, "-2", "-p", str(UDP_PORT), "-s", "40005", "-b",
                           "--data", "bad"])
    step("zero-udp", dev + ["--src", A, "--dst", B, "-2", "-p", str(UDP_PORT), "-s", "40006",
                            "--l4-csum", "0", "--data", "zero"])
    step("bad-icmp", dev + ["--src", A, "--dst", B, "-1", "--icmp-id", "78", "-b"])
    # Extension headers as the receiver takes them: padding (Linux's
    # ip6_parse_tlv() drops over 7 bytes in a row and a PadN not zero).
    for name, sport, ext in EXT_STEPS:
        step(name, dev + ["--src", A, "--dst", B, "-2", "-p", str(UDP_PORT), "-s", str(sport),
                          "--data", name] + sum((["--ext", e] for e in ext), []))
    step("multicast", dev + ["--dst", "ff02::1", "-1", "--icmp-id", "80"])
    step("linklocal", dev + ["--dst", LLB, "-1", "--icmp-id", "81"])
    step("linklocal-nodev", ["--dst", LLB, "-1", "--icmp-id", "82"])
    step("burst-rand", dev + ["--dst", B, "-a", "%s-%s" % BURST_SRC, "-2", "-p", str(UDP_PORT), "-s", "40007",
                              "-c", str(BURST_N), "--flow-label", "rand", "--data", "burst6"], wait=1.0)
    step("burst-inc", dev + ["--src", A, "--dst", B, "-2", "-p", str(UDP_PORT), "-s", "40008",
                             "--flow-label", "%d-%d" % FL_RANGE, "--data", "fl"], wait=1.0)
    # Last, the count's own check: an address added to pc6a makes its
    # kernel send an MLD report (at once, and again within a second), which
    # ours() must take out. Until the peer has taken a multicast packet (at
    # most 10 s), then the settle for the report's repeat.
    step("mld", [], wait=2.0,
         run=lambda: sh("ip", "addr", "add", MLD_ADDR + "/64", "dev", "pc6a", "nodad", check=False),
         taken=lambda now, before: now.get("Ip6InMcastPkts", 0) != before.get("Ip6InMcastPkts", 0))
    time.sleep(1)
    cap.send_signal(signal.SIGINT)
    try:
        cap.wait(timeout=60)
    except subprocess.TimeoutExpired:
        cap.kill()
    lst.kill()
    if os.path.exists(PCAP):
        with open(PCAP, "rb") as f:
            print("PCAP6 " + base64.b64encode(f.read()).decode(), flush=True)


# -------------------------------------------------------------- host side
def fint(f, k):
    v = f.get(k)
    try:
        return int(v[0], 0) if v else None
    except ValueError:
        return None


def fstr(f, k):
    v = f.get(k)
    return v[0].lower() if v else None


def judge(steps, pkts, t):
    """steps: name -> the guest's record; pkts: tshark's fields per frame."""
    def frames(**want):
        out = []
        for f in pkts:
            if all((fint(f, k) == v if isinstance(v, int) else fstr(f, k) == v) for k, v in want.items()):
                out.append(f)
        return out

    def ran(name, rc=0, what="pktcraft"):
        s = steps.get(name)
        ok = s is not None and s["rc"] == rc
        t.check(ok, "%s: %s exits %d" % (name, what, rc),
                "no record" if s is None else "exit %d: %s" % (s["rc"], s["stderr"].strip()))
        return s or {"delta": {}, "udp": [], "stderr": "", "rc": -1}

    def good(fs, proto):
        return fs and all(fint(f, proto + ".checksum.status") == 1 for f in fs)

    setup = steps.get("setup", {})
    t.check(setup.get("capturing") and setup.get("listener"),
            "set-up: dumpcap captures pc6a (after %s s), the listener is bound in the peer namespace"
            % setup.get("capture_s"), repr(setup))

    # Egress by route, neighbour discovery first.
    s = ran("route")
    ns = frames(**{"icmpv6.type": 135, "icmpv6.nd.ns.target_address": B})
    na = frames(**{"icmpv6.type": 136, "ipv6.src": B})
    req = frames(**{"icmpv6.type": 128, "icmpv6.echo.identifier": 79})
    rep = frames(**{"icmpv6.type": 129, "icmpv6.echo.identifier": 79})
    t.check(ns and na and len(req) == 1 and pkts.index(ns[0]) < pkts.index(req[0]),
            "route: no --dev: neighbour solicitation for %s, its advertisement, then the echo request" % B,
            "NS %d, NA %d, requests %d" % (len(ns), len(na), len(req)))
    t.check(len(req) == 1 and fstr(req[0], "ipv6.src") == A and fstr(req[0], "eth.dst") == fstr(na[0], "eth.src")
            if req and na else False,
            "route: the kernel chose the source %s and the resolved MAC" % A,
            "request %r" % ({k: req[0].get(k) for k in ("ipv6.src", "eth.dst")} if req else None))
    t.check(len(rep) == 1 and good(req, "icmpv6") and s["delta"].get("Icmp6InEchos") == 1,
            "route: the peer answered the echo request (Icmp6InEchos +1, checksum good)",
            "replies %d, delta %r" % (len(rep), s["delta"]))

    # SYN with options to a listening socket.
    s = ran("syn")
    syn = frames(**{"tcp.srcport": 40001, "tcp.dstport": TCP_PORT})
    sa = frames(**{"tcp.srcport": TCP_PORT, "tcp.dstport": 40001, "tcp.flags": 0x012})
    t.check(len(syn) >= 1 and good(syn[:1], "tcp") and fint(syn[0], "tcp.options.mss_val") == 1400,
            "syn: the SYN is on the wire with MSS 1400, checksum good", "%d frames" % len(syn))
    t.check(len(sa) >= 1 and fint(sa[0], "tcp.ack_raw") == 1001,
            "syn: the listening socket answers SYN-ACK, ack 1001", "%d SYN-ACKs" % len(sa))
    t.check(len(sa) >= 1 and fint(sa[0], "tcp.options.timestamp.tsecr") == TSVAL,
            "syn: the SYN-ACK echoes the timestamp (TSecr %d)" % TSVAL,
            "TSecr %r" % (sa[0].get("tcp.options.timestamp.tsecr") if sa else None))
    t.check(len(sa) >= 1 and sa[0].get("tcp.options.sack_perm") and sa[0].get("tcp.options.wscale.shift"),
            "syn: the SYN-ACK grants SACK and window scaling", repr(sa[0].get("tcp.options") if sa else None))
    t.check(s["delta"].get("TcpPassiveOpens", 0) + s["delta"].get("TcpInSegs", 0) >= 1 and
            not s["delta"].get("TcpInCsumErrors"),
            "syn: the peer counted the segment, no checksum error", repr(s["delta"]))

    s = ran("rst")
    rst = frames(**{"tcp.srcport": CLOSED_PORT, "tcp.dstport": 40002})
    t.check(len(rst) == 1 and fint(rst[0], "tcp.flags.reset") == 1 and fint(rst[0], "tcp.ack_raw") == 5001,
            "rst: a closed port answers RST (ack 5001)",
            "%d frames %r" % (len(rst), rst[0].get("tcp.flags") if rst else None))

    s = ran("udp")
    got = [u for u in s["udp"] if u["sport"] == 40003]
    t.check(len(got) == 1 and bytes.fromhex(got[0]["data"]) == UDP_DATA and got[0]["src"] == A,
            "udp: the datagram arrives at the socket byte for byte (256 bytes, from %s)" % A,
            repr(s["udp"])[:500])
    t.check(good(frames(**{"udp.srcport": 40003}), "udp") and s["delta"].get("Udp6InDatagrams") == 1,
            "udp: checksum good on the wire, Udp6InDatagrams +1", repr(s["delta"]))

    s = ran("echo")
    rep = frames(**{"icmpv6.type": 129, "icmpv6.echo.identifier": 77})
    t.check(len(rep) == 1 and fint(rep[0], "icmpv6.echo.sequence_number") == 1 and
            fstr(rep[0], "data.data") == "70:69:6e:67:36",
            "echo: the echo request gets its reply (id 77, seq 1, the data back)",
            "%d replies" % len(rep))

    # Wrong checksums: dropped and counted.
    s = ran("bad-tcp")
    t.check(not frames(**{"tcp.srcport": TCP_PORT, "tcp.dstport": 40004}) and
            s["delta"].get("TcpInCsumErrors") == 1,
            "bad-tcp: a SYN with a wrong checksum is dropped (no SYN-ACK), Tcp InCsumErrors +1",
            repr(s["delta"]))
    s = ran("bad-udp")
    t.check(not [u for u in s["udp"] if u["sport"] == 40005] and s["delta"].get("Udp6InCsumErrors") == 1,
            "bad-udp: a datagram with a wrong checksum is not delivered, Udp6InCsumErrors +1",
            "delivered %r, delta %r" % (s["udp"], s["delta"]))
    s = ran("zero-udp")
    t.check(not [u for u in s["udp"] if u["sport"] == 40006] and s["delta"].get("Udp6InCsumErrors") == 1,
            "zero-udp: a UDP checksum of 0 (forbidden on IPv6) is not delivered, Udp6InCsumErrors +1",
            "delivered %r, delta %r" % (s["udp"], s["delta"]))
    s = ran("bad-icmp")
    t.check(not frames(**{"icmpv6.type": 129, "icmpv6.echo.identifier": 78}) and
            s["delta"].get("Icmp6InCsumErrors") == 1,
            "bad-icmp: an echo request with a wrong checksum gets no reply, Icmp6InCsumErrors +1",
            repr(s["delta"]))

    for name, sport, ext in EXT_STEPS:
        s = ran(name)
        got = [u for u in s["udp"] if u["sport"] == sport]
        if EXT_DELIVERED[name]:
            t.check(len(got) == 1 and bytes.fromhex(got[0]["data"]) == name.encode() and
                    good(frames(**{"udp.srcport": sport}), "udp"),
                    "%s: UDP after --ext %s is delivered, checksum good" % (name, " --ext ".join(ext)),
                    "delivered %r, delta %r" % (s["udp"], s["delta"]))
        else:
            t.check(not got and s["delta"].get("Ip6InHdrErrors") == 1,
                    "%s: UDP after --ext %s is dropped by the peer (Ip6InHdrErrors +1)" % (name, " --ext ".join(ext)),
                    "delivered %r, delta %r" % (s["udp"], s["delta"]))

    s = ran("multicast")
    req = frames(**{"icmpv6.type": 128, "icmpv6.echo.identifier": 80})
    rep = frames(**{"icmpv6.type": 129, "icmpv6.echo.identifier": 80})
    t.check(len(req) == 1 and fstr(req[0], "eth.dst") == "33:33:00:00:00:01" and
            fstr(req[0], "ipv6.dst") == "ff02::1" and good(req, "icmpv6"),
            "multicast: ff02::1 goes to 33:33:00:00:00:01, checksum good",
            repr({k: req[0].get(k) for k in ("eth.dst", "ipv6.dst", "ipv6.src")}) if req else "no request")
    t.check(len(rep) == 1, "multicast: the peer answers the echo to ff02::1", "%d replies" % len(rep))

    s = ran("linklocal")
    req = frames(**{"icmpv6.type": 128, "icmpv6.echo.identifier": 81})
    rep = frames(**{"icmpv6.type": 129, "icmpv6.echo.identifier": 81})
    t.check(len(req) == 1 and fstr(req[0], "ipv6.src") == LLA and len(rep) == 1 and
            fstr(rep[0], "ipv6.src") == LLB,
            "linklocal: %s with --dev: source %s chosen, answered" % (LLB, LLA),
            "requests %r, replies %d" % ([r.get("ipv6.src") for r in req], len(rep)))

    s = ran("linklocal-nodev", rc=1)
    err = s["stderr"]
    t.check(re.match(r"^pktcraft: .*\(Invalid argument\)\n(pktcraft: .*--dev.*\n)?$", err) and
            not frames(**{"icmpv6.echo.identifier": 82}),
            "linklocal-nodev: refused without --dev: EINVAL's line (and a hint naming --dev), nothing sent",
            repr(err))

    # Bursts.
    s = ran("burst-rand")
    b = frames(**{"udp.srcport": 40007})
    lo = int.from_bytes(socket.inet_pton(socket.AF_INET6, BURST_SRC[0])[12:], "big")
    srcs = sorted(int.from_bytes(socket.inet_pton(socket.AF_INET6, f["ipv6.src"][0])[12:], "big") for f in b)
    fls = [fint(f, "ipv6.flow") for f in b]
    t.check(len(b) == BURST_N and srcs == list(range(lo, lo + BURST_N)),
            "burst-rand: %d frames, sources counting through %s-%s, each once" % ((BURST_N,) + BURST_SRC),
            "%d frames, sources low bits %r" % (len(b), [hex(x) for x in srcs]))
    t.check(len(b) == BURST_N and all(x is not None and 0 <= x <= 0xFFFFF for x in fls) and len(set(fls)) >= 2,
            "burst-rand: random flow labels within 20 bits (%d distinct)" % len(set(fls)), repr(fls))
    t.check(good(b, "udp") and len(b) == BURST_N, "burst-rand: every UDP checksum good (tshark)",
            repr([f.get("udp.checksum.status") for f in b]))
    got = [u for u in s["udp"] if u["sport"] == 40007]
    t.check(len(got) == BURST_N and all(bytes.fromhex(u["data"]) == b"burst6" for u in got) and
            not s["delta"].get("Udp6InCsumErrors"),
            "burst-rand: the socket received all %d, no checksum error at the peer" % BURST_N,
            "received %d, delta %r" % (len(got), s["delta"]))
    s = ran("burst-inc")
    b = frames(**{"udp.srcport": 40008})
    fls = sorted(fint(f, "ipv6.flow") for f in b)
    t.check(fls == list(range(FL_RANGE[0], FL_RANGE[1] + 1)) and good(b, "udp"),
            "burst-inc: --flow-label %d-%d sends %d frames, one per label, checksums good" % (
                FL_RANGE + (FL_RANGE[1] - FL_RANGE[0] + 1,)),
            "flow labels %r" % fls)
    got = [u for u in s["udp"] if u["sport"] == 40008]
    t.check(len(got) == len(fls) and len(got) == FL_RANGE[1] - FL_RANGE[0] + 1,
            "burst-inc: the socket received each", "received %d" % len(got))
    # The harness's own count: what each step waits for.
    s = ran("mld", what="ip addr add")
    rep = [f for f in pkts if fint(f, "icmpv6.type") == 143 and fstr(f, "ipv6.src") == LLA and
           "ff02::1:ff00:55" in [x.lower() for x in f.get("icmpv6.mldr.mar.multicast_address", [])]]
    t.check(rep and s["delta"].get("Ip6InMcastPkts", 0) >= 1 and s.get("ours") == 0,
            "harness: pc6a's MLD report for %s's group reaches the peer and is not counted as a packet of "
            "pktcraft's (a step's wait)" % MLD_ADDR,
            "%d reports in the capture, ours %r, delta %r" % (len(rep), s.get("ours"), s["delta"]))
    # Every TCP/UDP/ICMPv6 checksum pktcraft computed (all but the -b and
    # forced ones) is valid. Its frames: the source ports 40001..40099 and
    # the echo requests; the kernels' own TCP on a veth leaves the checksum
    # to an offload that never happens (CHECKSUM_PARTIAL): not judged.
    # pktcraft sends no RST here.
    # The initial namespace's RST to the SYN-ACK (port 40001) is its own.
    mine = [(i, p) for i, f in enumerate(pkts) for p in ("tcp", "udp", "icmpv6")
            if (40001 <= (fint(f, p + ".srcport") or 0) <= 40099 and fint(f, "tcp.flags.reset") != 1) or
            (p == "icmpv6" and fint(f, "icmpv6.type") == 128)]
    wrong = {("tcp", 40004), ("udp", 40005), ("udp", 40006), ("icmpv6", 78)}
    bad = [i for i, p in mine
           if fint(pkts[i], p + ".checksum.status") != 1 and
           (p, fint(pkts[i], p + ".srcport") if p != "icmpv6" else
            fint(pkts[i], "icmpv6.echo.identifier")) not in wrong]
    t.check(len(mine) > 20 and not bad,
            "every checksum pktcraft computed (%d frames) is good (tshark)" % len(mine),
            "frames %r of %d" % (bad, len(mine)))


def host(args):
    import e2e
    label = "stack6[%s]" % args.kernel
    t = e2e.Tally(label)
    outdir = os.path.join(TOP, "build", "stack6-" + args.kernel)
    p = e2e.boot_script(label, args.kernel, __file__, outdir)
    steps, pkts = {}, []
    for line in p.stdout.splitlines():
        line = line.strip()
        if line.startswith("STACK6 "):
            s = json.loads(line[7:])
            steps[s["step"]] = s
        elif line.startswith("PCAP6 "):
            path = os.path.join(outdir, "pc6a.pcap")
            with open(path, "wb") as f:
                f.write(base64.b64decode(line[6:]))
            pkts = e2e.tshark_fields(path)
        elif re.match(r"^(PASS|FAIL): ", line):
            t.check(line.startswith("PASS"), line.split(": ", 1)[1], "")
    e2e.guest_clean(t, p, outdir)
    t.check(bool(pkts), "the capture of pc6a came back", "no PCAP6 line (log: %s)" % outdir)
    judge(steps, pkts, t)
    print("%s: %d passed, %d failed" % (label, t.passed, t.failed))
    return 1 if t.failed else 0


def main():
    import e2e
    return e2e.script_main(__doc__, run_guest, host, listener)


if __name__ == "__main__":
    sys.exit(main())
