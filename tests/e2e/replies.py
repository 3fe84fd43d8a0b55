#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Replies, with the real stack as judge (issue 16).

In a guest, a veth pair joins the initial namespace (pcra, 10.77.0.1,
2001:db8:77::1) to a peer namespace (pcrb, 10.77.0.2, 2001:db8:77::2)
where a Python listener holds TCP port 7777 (IPv4 and IPv6) and a UDP
socket on 9997 that never answers; TCP 7778 and UDP 9998 are closed.
`pktcraft send` (default: replies read) from the initial namespace:

  a SYN gets its SYN-ACK matched (flags SA, ack = seq + 1, seq 0) with an
  RTT from kernel timestamps, printed beside ping's on the same path and
  plausible (0 < rtt < 1 s); a closed TCP port's RST and a closed UDP
  port's ICMP port unreachable are matched to the packet that caused them;
  an echo request gets its reply; a burst of 5 SYNs gets 5 SYN-ACKs, one
  per packet; IPv6 the same (ICMPv6 port unreachable, echo); --json gives
  one object per reply and a summary object; foreign traffic a peer
  process sends during the wait (the right peer and protocol, another
  port, another ICMP id, a wrong ack) is never reported; --no-replies
  reads nothing; each injection point (driver, ip: the SYN-ACK with its
  rtt beside ping's, the RST, the port unreachable; rx: the local stack's
  SYN-ACK, RST and port unreachable, outgoing frames, are the replies) and
  --fate; pktcraft.sr() from Python.

Checks run in the guest and print "PASS: ..." / "FAIL: ..."; the host
counts them.
"""
import argparse
import json
import os
import re
import select
import signal
import socket
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

NS = "pcrpeer"
A, B = "10.77.0.1", "10.77.0.2"
A6, B6 = "2001:db8:77::1", "2001:db8:77::2"
OPEN, CLOSED, SILENT, CLOSED_UDP, LOCAL = 7777, 7778, 9997, 9998, 7790
READY = "/tmp/replies-ready"
CLI = os.path.join(TOP, "userspace", "pktcraft")

failed = 0
passed = 0


def check(ok, name, detail=""):
    global failed, passed
    print("%s: replies: %s%s" % ("PASS" if ok else "FAIL", name, "" if ok or not detail else ": %s" % detail),
          flush=True)
    if ok:
        passed += 1
    else:
        failed += 1


# ------------------------------------------------------------ the peer
def listener():
    """In the peer namespace: TCP 7777 listening, UDP 9997 bound (silent)."""
    t = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    t.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    t.bind(("::", OPEN))
    t.listen(64)
    u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    u.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    u.bind(("::", SILENT))
    with open(READY, "w") as f:
        f.write("ready\n")
    while True:
        r, _, _ = select.select([u, t], [], [], 1.0)
        if u in r:
            u.recvfrom(65535)
        if t in r:
            c, _ = t.accept()
            c.close()


def foreign(delay, mac):
    """In the peer namespace, during our wait: frames that look like replies
    but answer nothing we sent (scapy, to pcra's MAC). Says "ready" once
    scapy is loaded, then waits delay seconds."""
    from scapy.all import Ether, IP, IPv6, TCP, UDP, ICMP, ICMPv6EchoReply, sendp
    print("ready", flush=True)
    time.sleep(delay)
    pkts = [
        IP(src=B, dst=A) / UDP(sport=SILENT, dport=40099) / b"other port",       # another of our ports
        IP(src=B, dst=A) / UDP(sport=SILENT + 1, dport=40060) / b"other sport",  # another of theirs
        IP(src=B, dst=A) / TCP(sport=OPEN, dport=40060, flags="SA", ack=999),    # TCP, not UDP
        IP(src=B, dst=A) / ICMP(type=0, id=4242, seq=0) / b"other id",
        IP(src=B, dst=A) / ICMP(type=3, code=3) / IP(src=A, dst=B, proto=17) / UDP(sport=40061, dport=SILENT),
        IPv6(src=B6, dst=A6) / UDP(sport=SILENT, dport=40098),
        IPv6(src=B6, dst=A6) / ICMPv6EchoReply(id=4243, seq=0),
    ]
    sendp([Ether(dst=mac) / p for p in pkts], iface="pcrb", verbose=False)
    print("sent %d" % len(pkts), flush=True)


def sh(*cmd, ns=False, check_rc=True):
    c = (["ip", "netns", "exec", NS] if ns else []) + list(cmd)
    r = subprocess.run(c, capture_output=True, text=True)
    if check_rc and r.returncode:
        print("FAIL: replies: set-up: %s: %s" % (" ".join(c), r.stderr.strip()), flush=True)
        raise SystemExit(1)
    return r


def set_up():
    sh("ip", "netns", "add", NS)
    sh("ip", "link", "add", "pcra", "type", "veth", "peer", "name", "pcrb")
    sh("ip", "link", "set", "pcrb", "netns", NS)
    for dev, ns in (("pcra", False), ("pcrb", True)):
        for k, v in (("addr_gen_mode", 1), ("accept_dad", 0), ("router_solicitations", 0),
                     ("accept_ra", 0), ("disable_ipv6", 0)):
            sh("sysctl", "-qw", "net.ipv6.conf.%s.%s=%s" % (dev, k, v), ns=ns)
    sh("ip", "addr", "add", A + "/24", "dev", "pcra")
    sh("ip", "addr", "add", A6 + "/64", "dev", "pcra", "nodad")
    sh("ip", "link", "set", "lo", "up", ns=True)
    sh("ip", "addr", "add", B + "/24", "dev", "pcrb", ns=True)
    sh("ip", "addr", "add", B6 + "/64", "dev", "pcrb", "nodad", ns=True)
    # ICMP errors unthrottled: each closed-port step gets its answer.
    sh("sysctl", "-qw", "net.ipv4.icmp_ratelimit=0", ns=True)
    sh("sysctl", "-qw", "net.ipv6.icmp.ratelimit=0", ns=True)
    sh("ip", "link", "set", "pcrb", "up", ns=True)
    sh("ip", "link", "set", "pcra", "up")


def cli(*args, json_out=True, timeout=None):
    """pktcraft send ARGS [--json]: (exit status, the JSON objects or the text, stderr);
    past @timeout seconds it is killed: exit status -9, stderr says so."""
    try:
        r = subprocess.run([CLI, "send"] + list(args) + (["--json"] if json_out else []),
                           capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        r = subprocess.CompletedProcess(args, -9, "", "killed after %s s" % timeout)
    out = r.stdout if len(r.stdout) < 20000 else r.stdout[:2000] + "...\n" + r.stdout[-2000:]
    print("STEP %s -> %d\n%s%s" % (" ".join(args), r.returncode, out, r.stderr), flush=True)
    if not json_out:
        return r.returncode, r.stdout, r.stderr
    objs = []
    for line in r.stdout.splitlines():
        try:
            objs.append(json.loads(line))
        except ValueError:
            objs.append({"unparsed": line})
    return r.returncode, objs, r.stderr


def replies_of(objs):
    return [o["reply"] for o in objs if "reply" in o]


def summary_of(objs):
    return next((o["replies"] for o in objs if "replies" in o), {})


def neigh_report(err):
    """After an EHOSTDOWN: the neighbour table, and whether the stack's own ping gets through."""
    if "neighbour resolution" not in err:
        return
    for cmd in (["ip", "-4", "neigh", "show", "dev", "pcra"], ["ip", "-6", "neigh", "show", "dev", "pcra"],
                ["ping", "-c", "1", "-W", "3", B], ["ping", "-6", "-c", "1", "-W", "3", B6]):
        r = subprocess.run(cmd, capture_output=True, text=True)
        print("INFO: replies: after EHOSTDOWN: %s -> %d: %s" % (" ".join(cmd), r.returncode,
                                                                 " | ".join(r.stdout.strip().splitlines()[-2:])),
              flush=True)


def one_reply(name, args, want, n_sent=1):
    """A send whose every packet gets one reply with the fields of want."""
    rc, objs, err = cli(*args)
    neigh_report(err)
    rs = replies_of(objs)
    s = summary_of(objs)
    bad = [k for k, v in want.items() if not rs or rs[0].get(k) != v]
    check(rc == 0 and len(rs) == n_sent and not bad and s.get("received") == n_sent and
          s.get("transmitted") == n_sent,
          "%s: %d repl%s matched (%s)" % (name, n_sent, "y" if n_sent == 1 else "ies",
                                          ", ".join("%s=%s" % kv for kv in want.items())),
          "exit %d, replies %r, summary %r, stderr %r" % (rc, rs, s, err))
    return rs


def rtt_ok(name, rs):
    rtts = [r.get("rtt_ms") for r in rs]
    check(rs and all(isinstance(x, float) and 0 < x < 1000 for x in rtts),
          "%s: rtt from kernel timestamps, 0 < rtt < 1 s (%s ms)" % (name, ", ".join("%.3f" % x for x in rtts
                                                                               if isinstance(x, float))),
          repr(rtts))


def run_guest():
    set_up()
    lst = subprocess.Popen(["ip", "netns", "exec", NS, "/usr/bin/python3", os.path.abspath(__file__),
                            "--listener"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while not os.path.exists(READY) and time.time() < deadline and lst.poll() is None:
        time.sleep(0.2)
    check(os.path.exists(READY), "set-up: the peer's listener is bound",
          "" if lst.poll() is None else lst.stderr.read().decode())
    dev = ["--dev", "pcra"]
    wait = ["--wait", "3"]      # a ceiling: the run ends when every packet is answered

    # Warm the neighbour caches (the first send resolves the MAC), and the
    # peer's TCP and UDP paths (TCG translates code the first time it runs:
    # a first SYN-ACK takes 5-20 ms), so that rtt and ping compare alike.
    subprocess.run(["ping", "-c", "1", "-W", "2", B], capture_output=True)
    subprocess.run(["ping", "-6", "-c", "1", "-W", "2", B6], capture_output=True)
    for warm in (["-S", "-p", str(OPEN), "-s", "40000"], ["-2", "-p", str(CLOSED_UDP), "-s", "40000"]):
        subprocess.run([CLI, "send", "--no-replies", "--dev", "pcra", "--src", A] + warm + [B], capture_output=True)
    time.sleep(0.5)

    # --- SYN -> SYN-ACK, the text line and the summary, then ping beside it.
    rc, out, err = cli(*(dev + wait + ["--src", A, "-S", "-p", str(OPEN), "-s", "40001", "--seq", "1000", B]),
                       json_out=False)
    line = re.search(r"^len=44 ip=10\.77\.0\.2 ttl=64 DF id=\d+ sport=7777 flags=SA seq=0 win=\d+ rtt=([\d.]+) ms$",
                     out, re.M)
    summ = re.search(r"^1 packet transmitted, 1 received, 0% loss, rtt min/avg/max = ([\d.]+)/([\d.]+)/([\d.]+) ms$",
                     out, re.M)
    check(rc == 0 and line and summ and out.startswith("sent 1 packet\n"),
          "syn: text output: 'sent 1 packet', hping3's line (len=44 ... flags=SA seq=0 ... rtt=), the summary",
          repr(out) + repr(err))
    p = subprocess.run(["ping", "-c", "3", "-i", "0.2", B], capture_output=True, text=True)
    pr = re.search(r"= ([\d.]+)/([\d.]+)/([\d.]+)", p.stdout)
    print("SIDE BY SIDE: pktcraft SYN -> SYN-ACK rtt %s ms; ping %s: rtt min/avg/max %s ms" % (
        line.group(1) if line else "?", B, "/".join(pr.groups()) if pr else "?"), flush=True)
    check(line and 0 < float(line.group(1)) < 1000 and pr is not None,
          "syn: the rtt is plausible beside ping's on the same path (%s ms; ping avg %s ms)" % (
              line.group(1) if line else "?", pr.group(2) if pr else "?"), p.stdout[-300:])

    rs = one_reply("syn --json", dev + wait + ["--src", A, "-S", "-p", str(OPEN), "-s", "40002", "--seq", "1000", B],
                   {"kind": "tcp", "seq": 0, "src": B, "dst": A, "sport": OPEN, "dport": 40002, "flags": 0x12,
                    "tcp_ack": 1001, "dup": False})
    rtt_ok("syn --json", rs)
    one_reply("closed TCP port", dev + wait + ["--src", A, "-S", "-p", str(CLOSED), "-s", "40003", "--seq", "5000", B],
              {"kind": "tcp", "flags": 0x14, "tcp_ack": 5001, "sport": CLOSED})
    rs = one_reply("closed UDP port", dev + wait + ["--src", A, "-2", "-p", str(CLOSED_UDP), "-s", "40004",
                                                      "--data", "x", B],
                   {"kind": "icmp-error", "icmp_type": 3, "icmp_code": 3, "quoted_sport": 40004,
                    "quoted_dport": CLOSED_UDP, "src": B})
    check(rs and "ICMP Port Unreachable from ip=10.77.0.2" in rs[0].get("line", ""),
          "closed UDP port: the line names the error (ICMP Port Unreachable from ip=10.77.0.2)", repr(rs))
    rtt_ok("closed UDP port", rs)
    rs = one_reply("echo", dev + wait + ["--src", A, "-1", "--icmp-id", "77", "--icmp-seq", "1", "--data", "ping", B],
                   {"kind": "echo", "icmp_type": 0, "icmp_id": 77, "icmp_seq": 1})
    rtt_ok("echo", rs)
    # By route, source left to the kernel.
    one_reply("syn by route (no --dev, no --src)", wait + ["-S", "-p", str(OPEN), "-s", "40005", B],
              {"kind": "tcp", "flags": 0x12, "dst": A})

    # --- Loopback, as the README's quick start (--inject ip: a SYN queued
    # on lo is dropped in ip_rcv_finish_core, its fate says): the RST of a
    # closed local port, seen once (lo's tap sees it leave and arrive).
    rc, objs, err = cli(*(wait + ["--inject", "ip", "-S", "-p", "7791", "-s", "40006", "127.0.0.1"]))
    rs = replies_of(objs)
    check(rc == 0 and len(rs) == 1 and rs[0]["flags"] == 0x14 and rs[0]["dev"] == "lo" and not rs[0]["dup"] and
          summary_of(objs).get("received") == 1,
          "loopback (--inject ip): a SYN to a closed port of 127.0.0.1 gets its RST-ACK, reported once", repr(objs))

    # --- A burst: 5 SYNs, 5 SYN-ACKs, one per packet.
    rc, objs, err = cli(*(dev + wait + ["--src", A, "-S", "-p", str(OPEN), "-s", "40010-40014", "--seq", "7", B]))
    rs = replies_of(objs)
    s = summary_of(objs)
    check(rc == 0 and sorted(r["seq"] for r in rs) == [0, 1, 2, 3, 4] and
          all(r["dport"] == 40010 + r["seq"] and r["tcp_ack"] == 8 for r in rs) and s.get("received") == 5,
          "burst of 5 SYNs (source ports 40010-40014): 5 SYN-ACKs, each matched to its packet by port",
          "replies %r, summary %r" % ([(r["seq"], r["dport"]) for r in rs], s))
    rtt_ok("burst", rs)

    # --- A scan of 1024 ports: 7777 answers SYN-ACK, the other 1023 RST.
    rc, objs, err = cli(*(dev + ["--wait", "5", "--src", A, "-S", "-p", "7000-8023", "-s", "40500", B]))
    rs = replies_of(objs)
    s = summary_of(objs)
    sa = [r for r in rs if r["flags"] == 0x12]
    check(rc == 0 and s.get("received") == 1024 and len(rs) == 1024 and
          sorted(r["seq"] for r in rs) == list(range(1024)) and all(r["sport"] == 7000 + r["seq"] for r in rs) and
          len(sa) == 1 and sa[0]["sport"] == OPEN and s.get("socket_drops") == 0,
          "a scan of ports 7000-8023: 1024 replies, each to its packet, one SYN-ACK (from 7777), "
          "no frame lost by the socket", "received %r, %d replies, SYN-ACKs %r, drops %r" % (
              s.get("received"), len(rs), [r["sport"] for r in sa], s.get("socket_drops")))

    # --- Foreign traffic during the wait: nothing of it is reported.
    my_mac = open("/sys/class/net/pcra/address").read().strip()
    f = subprocess.Popen(["ip", "netns", "exec", NS, "/usr/bin/python3", os.path.abspath(__file__),
                          "--foreign", "0.5", "--mac", my_mac], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
    ready = f.stdout.readline()
    rx0 = int(open("/sys/class/net/pcra/statistics/rx_packets").read())
    rc, objs, err = cli(*(dev + ["--wait", "4", "--src", A, "-2", "-p", str(SILENT), "-s", "40060",
                                 "--data", "silent", B]))
    fo, fe = f.communicate(timeout=120)
    rx = int(open("/sys/class/net/pcra/statistics/rx_packets").read()) - rx0
    s = summary_of(objs)
    check(ready == "ready\n" and f.returncode == 0 and "sent 7" in fo and rx >= 7,
          "foreign: the peer sent its 7 look-alikes during the wait (pcra rx +%d)" % rx, fo + fe[-500:])
    check(rc == 0 and not replies_of(objs) and s.get("received") == 0 and s.get("transmitted") == 1,
          "foreign: none reported (UDP from/to other ports, TCP on our ports, echo reply id 4242, "
          "a port unreachable quoting port 40061, IPv6 ones): 1 transmitted, 0 received",
          "replies %r, summary %r" % (replies_of(objs), s))
    rc, objs, err = cli(*(dev + ["--wait", "2", "--src", A, "-1", "--icmp-id", "4242", "--icmp-seq", "9", B]))
    check(rc == 0 and summary_of(objs).get("received") == 1 and replies_of(objs)[0]["icmp_seq"] == 9,
          "foreign: an echo with id 4242 seq 9 gets its own reply only", repr(objs))

    # --- --no-replies: no socket, no summary, no wait (even with --wait 600);
    # --wait 2 with nobody answering waits the 2 s. Lower bounds only where
    # a loaded host can only make things later.
    t0 = time.time()
    # (--wait 600, killed after 300 s: one that waited could not have
    # ended sooner, whatever the load, and the guest goes on)
    rc, out, err = cli(*(dev + ["--no-replies", "--wait", "600", "--src", A, "-2", "-p", str(SILENT), "-s",
                                "40070", B]), json_out=False, timeout=300)
    el = time.time() - t0
    check(rc == 0 and out == "sent 1 packet\n",
          "--no-replies --wait 600: 'sent 1 packet' only, no wait (%.2f s)" % el, "%r %r" % (out, err))
    t0 = time.time()
    rc, out, err = cli(*(dev + ["--wait", "2", "--src", A, "-2", "-p", str(SILENT), "-s", "40071", B]),
                       json_out=False)
    el = time.time() - t0
    check(rc == 0 and "1 packet transmitted, 0 received, 100% loss" in out and 2.0 <= el < 30,
          "--wait 2 with no answer: waits the 2 s (%.2f s), 100%% loss" % el, repr(out))
    # Stopped and continued (Ctrl-Z, fg) while it waits: it waits on.
    t0 = time.time()
    p = subprocess.Popen([CLI, "send"] + dev + ["-c", "2", "--wait", "3", "--src", A, "-2", "-p", str(SILENT),
                                                "-s", "40072", B], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    time.sleep(1.0)
    p.send_signal(signal.SIGSTOP)
    time.sleep(0.3)
    p.send_signal(signal.SIGCONT)
    try:
        out, err = p.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
    el = time.time() - t0
    check(p.returncode == 0 and "2 packets transmitted, 0 received, 100% loss" in out and 3.0 <= el < 30,
          "--wait 3, stopped and continued while it waits: waits the 3 s (%.2f s), 100%% loss" % el,
          repr(out + err))

    # --- IPv6.
    rs = one_reply("IPv6 syn", dev + wait + ["--src", A6, "-S", "-p", str(OPEN), "-s", "40101", "--seq", "9", B6],
                   {"kind": "tcp", "flags": 0x12, "tcp_ack": 10, "src": B6})
    rtt_ok("IPv6 syn", rs)
    one_reply("IPv6 closed TCP port", dev + wait + ["--src", A6, "-S", "-p", str(CLOSED), "-s", "40102", B6],
              {"kind": "tcp", "flags": 0x14})
    one_reply("IPv6 closed UDP port", dev + wait + ["--src", A6, "-2", "-p", str(CLOSED_UDP), "-s", "40103", B6],
              {"kind": "icmp-error", "icmp_type": 1, "icmp_code": 4, "quoted_sport": 40103})
    one_reply("IPv6 echo", dev + wait + ["--src", A6, "-1", "--icmp-id", "78", "--icmp-seq", "2", B6],
              {"kind": "echo", "icmp_type": 129, "icmp_id": 78, "icmp_seq": 2})
    rc, out, err = cli(*(dev + wait + ["--src", A6, "-S", "-p", str(OPEN), "-s", "40104", B6]), json_out=False)
    check(re.search(r"^len=\d+ ip=2001:db8:77::2 ttl=64 sport=7777 flags=SA seq=0 win=\d+ rtt=[\d.]+ ms$", out, re.M),
          "IPv6 syn: text line (no DF or id on IPv6)", repr(out))

    # --- Injection points.
    peer_mac = sh("ip", "-br", "link", "show", "pcrb", ns=True).stdout.split()[2]
    # Each point as the queue above: a SYN's SYN-ACK with its rtt, a closed
    # port's RST, a closed UDP port's port unreachable.
    sport = 40210
    for name, pre in (("driver", dev + ["--inject", "driver", "--dst-mac", peer_mac]),
                      ("ip", ["--inject", "ip"])):
        rs = one_reply("--inject %s: SYN" % name, pre + wait + ["--src", A, "-S", "-p", str(OPEN), "-s", str(sport), B],
                       {"kind": "tcp", "flags": 0x12, "src": B, "dport": sport})
        rtt_ok("--inject %s: SYN" % name, rs)
        print("SIDE BY SIDE: --inject %s SYN -> SYN-ACK rtt %s ms; ping avg %s ms" % (
            name, "%.3f" % rs[0]["rtt_ms"] if rs and isinstance(rs[0].get("rtt_ms"), float) else "?",
            pr.group(2) if pr else "?"), flush=True)
        one_reply("--inject %s: closed TCP port" % name,
                  pre + wait + ["--src", A, "-S", "-p", str(CLOSED), "-s", str(sport + 1), "--seq", "5000", B],
                  {"kind": "tcp", "flags": 0x14, "tcp_ack": 5001, "dport": sport + 1})
        one_reply("--inject %s: closed UDP port" % name,
                  pre + wait + ["--src", A, "-2", "-p", str(CLOSED_UDP), "-s", str(sport + 2), "--data", "x", B],
                  {"kind": "icmp-error", "icmp_type": 3, "icmp_code": 3, "quoted_sport": sport + 2, "src": B})
        sport += 10
    loc = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    loc.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    loc.bind((A, LOCAL))
    loc.listen(8)
    # As if B's SYN arrived on pcra: our own stack answers, out of pcra.
    rs = one_reply("--inject rx: the local stack's SYN-ACK (an outgoing frame) answers the injected SYN",
                   dev + wait + ["--inject", "rx", "--src", B, "-S", "-p", str(LOCAL), "-s", "40203", "--seq", "99",
                                 A],
                   {"kind": "tcp", "flags": 0x12, "src": A, "dst": B, "tcp_ack": 100, "outgoing": True})
    rtt_ok("--inject rx: SYN", rs)
    loc.close()
    # Our own stack's answers to what it believes it received; its ICMP
    # errors unthrottled too.
    with open("/proc/sys/net/ipv4/icmp_ratelimit", "w") as f:
        f.write("0")
    one_reply("--inject rx: a closed local TCP port: our RST",
              dev + wait + ["--inject", "rx", "--src", B, "-S", "-p", str(CLOSED), "-s", "40204", "--seq", "500", A],
              {"kind": "tcp", "flags": 0x14, "src": A, "tcp_ack": 501, "outgoing": True})
    one_reply("--inject rx: a closed local UDP port: our port unreachable",
              dev + wait + ["--inject", "rx", "--src", B, "-2", "-p", str(CLOSED_UDP), "-s", "40205", "--data", "x",
                            A],
              {"kind": "icmp-error", "icmp_type": 3, "icmp_code": 3, "quoted_sport": 40205, "src": A,
               "outgoing": True})

    # --- Fates.
    rc, objs, err = cli(*(dev + wait + ["--fate", "--src", A, "-2", "-p", str(CLOSED_UDP), "-s", "40301", B]))
    fates = [o["fate"] for o in objs if "fate" in o]
    check(rc == 0 and len(fates) == 1 and fates[0]["fate"] != "untracked" and
          fates[0]["xmit_ns"] > 0 and any("fates" in o for o in objs) and summary_of(objs).get("received") == 1,
          "--fate: the UDP to a closed port has a fate (%s %s %s) and its port unreachable is matched" % (
              fates[0].get("fate") if fates else "?", fates[0].get("reason") if fates else "",
              fates[0].get("dev") if fates else ""), repr(objs))
    rc, out, err = cli(*(dev + ["--fate", "--no-replies", "--src", A, "-S", "-p", str(OPEN), "-s", "40302", B]),
                       json_out=False)
    check(rc == 0 and re.search(r"^fate seq=0: (sent|delivered|dropped)\b", out, re.M) and
          re.search(r"^fates: \d+ sent, \d+ delivered, \d+ dropped", out, re.M),
          "--fate text: 'fate seq=0: ...' and the fates' summary", repr(out))

    # --- Python: pktcraft.sr().
    sys.path.insert(0, os.path.join(TOP, "python"))
    import pktcraft
    try:
        replies, fts = pktcraft.sr(dst=B, src=A, dev="pcra", dport=OPEN, sport=40401, flags="S", seq=41,
                                   timeout=3)
        d = replies[0].to_dict() if replies else {}
        check(len(replies) == 1 and d["kind"] == "tcp" and d["tcp_flags"] == 0x12 and d["tcp_ack"] == 42 and
              d["rtt_ms"] and 0 < d["rtt_ms"] < 1000 and len(fts) == 1 and fts[0].xmit_ns > 0,
              "python: pktcraft.sr() returns the SYN-ACK (rtt %s ms) and the packet's fate" % d.get("rtt_ms"),
              repr([r.to_dict() for r in replies]))
        r1 = pktcraft.sr1(dst=B6, src=A6, dev="pcra", icmp=True, icmp_id=90, icmp_seq=3, timeout=3)
        check(r1 is not None and r1.kind == pktcraft.REPLY_ECHO and r1.icmp_id == 90 and str(r1).startswith("len="),
              "python: pktcraft.sr1() returns the ICMPv6 echo reply", repr(r1 and r1.to_dict()))
        replies, _ = pktcraft.sr(dst=B, src=A, dev="pcra", udp=True, dport=SILENT, sport=40402, timeout=0.3)
        check(replies == [], "python: sr() of a packet nobody answers returns no reply", repr(replies))
    except (pktcraft.PktcraftError, ValueError, TypeError) as e:
        check(False, "python: pktcraft.sr()", repr(e))
        neigh_report(str(e))
    lst.kill()


def host(args):
    import e2e
    label = "replies[%s]" % args.kernel
    t = e2e.Tally(label)
    outdir = os.path.join(TOP, "build", "replies-" + args.kernel)
    p = e2e.boot_script(label, args.kernel, __file__, outdir)
    n = 0
    for line in p.stdout.splitlines():
        line = line.strip()
        if re.match(r"^(PASS|FAIL): replies: ", line):
            t.check(line.startswith("PASS"), line.split(": ", 2)[2], "")
            n += 1
        elif line.startswith("SIDE BY SIDE"):
            print("INFO: %s: %s" % (label, line), flush=True)
        elif line.startswith("INFO: replies: "):
            print(line.replace("replies: ", label + ": ", 1), flush=True)
    e2e.guest_clean(t, p, outdir)
    t.check(n >= 30, "the guest ran every check (%d of at least 30 reported)" % n, "log: %s" % outdir)
    print("%s: %d passed, %d failed" % (label, t.passed, t.failed))
    return 1 if t.failed else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--guest", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--listener", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--foreign", type=float, help=argparse.SUPPRESS)
    ap.add_argument("--mac", help=argparse.SUPPRESS)
    ap.add_argument("--kernel", default="stock", help="stock (default) or debug (tests/vm/run --kernel)")
    args = ap.parse_args()
    if args.listener:
        listener()
        return 0
    if args.foreign is not None:
        foreign(args.foreign, args.mac)
        return 0
    if args.guest:
        import e2e
        e2e.guest_watchdog()
        run_guest()     # its verdicts are its PASS/FAIL lines
        return 0
    if not re.match(r"^(stock|debug|stock:[0-9][0-9a-z.+~-]*-amd64)$", args.kernel):
        ap.error("--kernel: stock, debug or stock:ABI")
    return host(args)


if __name__ == "__main__":
    sys.exit(main())
