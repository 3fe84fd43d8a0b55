#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Injection points and fates with the real stack as judge (issue 16).

In a guest, a veth pair joins the initial namespace (pfa, 10.77.0.1,
2001:db8:77::1) to a peer namespace (pfb, 10.77.0.2, 2001:db8:77::2) where
a listener holds TCP port 8080 and a UDP socket on 9999 that it never reads.
tests/fate/fatesend (the UAPI, no library) sends one request per step and
prints the ioctl's result and each packet's fate; the verdicts compare them
with what the peer's own counters (/proc/net/snmp, snmp6) and the qdisc's
say happened:

  every injection point (queue, driver, ip) to the peer: a SYN to the
  listener is delivered on pfb (another namespace), one to a closed port
  dropped NO_SOCKET in tcp_v4_rcv (the peer counts an OutRst), one with a
  wrong checksum dropped TCP_CSUM (the peer counts InCsumErrors), a UDP
  datagram to a closed port NO_SOCKET (the peer counts NoPorts), an echo
  request delivered (the peer counts InEchos);
  rx on pfa as if received: a closed port NO_SOCKET, a wrong checksum
  TCP_CSUM (our own InCsumErrors move), another host's MAC OTHERHOST, an
  echo request delivered and answered (the peer counts InEchoReps), IPv6
  too; refused without CAP_NET_ADMIN (EPERM);
  a datagram the peer never reads stays pending for the whole wait;
  dummy0: sent by dummy0; netem loss 100%: accepted ("sent") but dropped
  QDISC_DROP; driver injection skips the qdisc (its counter does not move);
  an nft rule in OUTPUT drops --inject ip (NETFILTER_DROP) but not the
  queue path (stock kernel: the debug kernel has no netfilter); an nft
  netdev egress rule on pfd0 that forwards to pfd2 (NF_STOLEN) leaves the
  packet sent by pfd2's driver for the queue and the driver path alike,
  as does a tc mirred egress redirect for the queue path (the driver path
  passes tc's egress hook by, as AF_PACKET's); a packet the peer receives,
  routes out of pfx0 and pfx0's egress chain forwards to pfx1 is delivered
  on pfb (a receive path saw it);
  a user namespace's packet dropped by its macvlan's lower in another
  namespace (netem loss) is dropped there, its reason hidden: OTHER_NS;
  a burst of 20: 20 fates, the counters and sysfs drop_reasons move by 20,
  GET_STATS' drops by reason (version 1) agree, an unmapped array is EFAULT;
  the module cannot be unloaded while a fate is awaited; a signal ends the
  wait early; the module unloads after all of it, with packets it tracked
  still queued in the peer's socket (the harness checks the kernel log:
  KASAN, lockdep, kmemleak).

Verdict lines: "PASS: ..." / "FAIL: ...".
"""
import json
import os
import re
import signal
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(TOP, "tests", "e2e"))
sys.path.insert(0, os.path.join(TOP, "tests", "lib"))
import uapi  # noqa: E402

NS = "pfpeer"
A, B = "10.77.0.1", "10.77.0.2"
A6, B6 = "2001:db8:77::1", "2001:db8:77::2"
OPEN, CLOSED, UDP_PORT, NFT_PORT = 8080, 8081, 9999, 8082
READY = "/tmp/fate-ready"
FATESEND = "/mnt/add/fatesend"
failures = 0


def verdict(ok, what, detail=""):
    global failures
    if not ok:
        failures += 1
    print("%s: fate: %s%s" % ("PASS" if ok else "FAIL", what, "" if ok else ": " + detail),
          flush=True)
    return ok


def sh(*cmd, ns=False, check=True):
    c = (["ip", "netns", "exec", NS] if ns else []) + list(cmd)
    r = subprocess.run(c, capture_output=True, text=True)
    if check and r.returncode:
        verdict(False, "set-up: " + " ".join(c), r.stderr.strip())
        raise SystemExit(1)
    return r


def listener():
    """In the peer namespace: TCP 8080 listening, UDP 9999 never read."""
    import socket
    socks = []
    for fam, addr in ((socket.AF_INET, B), (socket.AF_INET6, B6)):
        t = socket.socket(fam, socket.SOCK_STREAM)
        t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        t.bind((addr, OPEN))
        t.listen(64)
        u = socket.socket(fam, socket.SOCK_DGRAM)
        u.bind((addr, UDP_PORT))
        socks += [t, u]
    with open(READY, "w") as f:
        f.write("ready\n")
    time.sleep(3600)


def snmp(ns=True):
    """Counters by "Proto.Name", from /proc/net/snmp and snmp6."""
    out = {}
    lines = sh("cat", "/proc/net/snmp", ns=ns).stdout.splitlines()
    for h, v in zip(lines[0::2], lines[1::2]):
        p = h.split(":")[0]
        out.update({p + "." + k: int(x) for k, x in zip(h.split()[1:], v.split()[1:])})
    for line in sh("cat", "/proc/net/snmp6", ns=ns).stdout.splitlines():
        k, v = line.split()
        out[k] = int(v)
    return out


def fatesend(*args, timeout=30):
    """Runs fatesend; returns (rc, errno name, [fate dicts], raw output)."""
    r = subprocess.run([FATESEND] + [str(a) for a in args], capture_output=True, text=True,
                       timeout=timeout)
    rc, err, fates = None, None, []
    for line in r.stdout.splitlines():
        m = re.match(r"rc=(-?\d+) errno=(\S+)", line)
        if m:
            rc, err = int(m.group(1)), m.group(2)
        elif line.startswith("fate "):
            # key=value pairs; a value may have a space ("func [module]").
            fates.append(dict(re.findall(r"(\w+)=(.*?)(?= \w+=|$)", line[5:])))
    return rc, err, fates, r.stdout + r.stderr


# 6.1's icmpv6_rcv() frees an echo request it answered with kfree_skb()
# (NOT_SPECIFIED), later kernels consume it: the fate is the kernel's word.
ICMP6_ANSWERED = ("dropped", "NOT_SPECIFIED", "icmpv6_rcv")


def one(what, args, fate, reason=None, where=None, dev=None, flags=None, counter=None, ns=True,
        rc_want=(1, "0"), alt=None):
    """One packet: its fate (and reason, function, device, flags; or the
    (fate, reason, where) of @alt) and, when given, the counter
    ("Proto.Name", +1) that an independent part of the kernel keeps for the
    same event."""
    before = snmp(ns) if counter else None
    rc, err, fates, out = fatesend("-w", 2000, *args)
    f = fates[0] if fates else {}
    want = {"fate": fate}
    if reason:
        want["reason"] = reason
    if where:
        want["where"] = where
    if alt and (f.get("fate"), f.get("reason"), f.get("where")) == alt:
        want = dict(zip(("fate", "reason", "where"), alt))
    if isinstance(want.get("where"), tuple):   # any of these functions
        want["where"] = f.get("where") if f.get("where") in want["where"] else want["where"][0]
    if dev:
        want["dev"] = dev
    if flags is not None:
        want["flags"] = str(flags)
    bad = {k: (f.get(k), v) for k, v in want.items() if f.get(k) != v}
    ok = (rc, err) == rc_want and not bad and f.get("xmit") == "1"
    detail = "rc %s %s, mismatches (got, want) %r; output: %s" % (rc, err, bad, out.strip())
    if err == "EHOSTDOWN":
        detail += "; neighbours: " + sh("ip", "neigh", "show", "dev", "pfa").stdout.strip()
    if counter:
        moved = snmp(ns).get(counter, 0) - before.get(counter, 0)
        ok = ok and moved >= 1
        detail += "; %s +%d" % (counter, moved)
    desc = "%s: %s%s%s" % (what, fate, " " + reason if reason else "",
                           " in " + (" or ".join(where) if isinstance(where, tuple) else where)
                           if where else "")
    if alt:
        desc += " (or %s %s in %s, as 6.1 frees it once answered)" % alt
    if dev:
        desc += " on " + dev
    if counter:
        desc += " (%s moved)" % counter
    return verdict(ok, desc, detail)


def set_up():
    sh("ip", "netns", "add", NS)
    sh("ip", "link", "add", "pfa", "type", "veth", "peer", "name", "pfb")
    sh("ip", "link", "set", "pfb", "netns", NS)
    for dev, ns in (("pfa", False), ("pfb", True)):
        for k, v in (("addr_gen_mode", 1), ("accept_dad", 0), ("disable_ipv6", 0)):
            sh("sysctl", "-qw", "net.ipv6.conf.%s.%s=%s" % (dev, k, v), ns=ns)
    sh("ip", "addr", "add", A + "/24", "dev", "pfa")
    sh("ip", "addr", "add", A6 + "/64", "dev", "pfa", "nodad")
    sh("ip", "link", "set", "pfa", "up")
    sh("ip", "link", "set", "lo", "up", ns=True)
    sh("ip", "addr", "add", B + "/24", "dev", "pfb", ns=True)
    sh("ip", "addr", "add", B6 + "/64", "dev", "pfb", "nodad", ns=True)
    sh("ip", "link", "set", "pfb", "up", ns=True)
    for dev in ("pfd0", "pfd1", "pfd2"):
        sh("ip", "link", "add", dev, "type", "dummy")
        # No ND/MLD of the kernel's own in their counters (83296ed).
        sh("sysctl", "-qw", "net.ipv6.conf.%s.disable_ipv6=1" % dev)
        sh("ip", "link", "set", dev, "up")
    sh("ip", "addr", "add", "10.78.0.1/24", "dev", "pfd0")
    sh("ip", "addr", "add", "10.79.0.1/24", "dev", "pfd1")
    subprocess.Popen(["ip", "netns", "exec", NS, "/usr/bin/python3", os.path.abspath(__file__),
                      "--listener"])
    for _ in range(600):
        if os.path.exists(READY):
            break
        time.sleep(0.1)
    if not os.path.exists(READY):
        verdict(False, "set-up: the peer's listener", "not ready after 60 s")
        raise SystemExit(1)
    # Neighbours first, so that no step waits for ARP or ND.
    sh("ping", "-c1", "-W5", B)
    sh("ping", "-c1", "-W5", B6)


def tx_packets(dev, ns=False):
    """@dev's driver's tx_packets, in the peer namespace if @ns."""
    return int(sh("cat", "/sys/class/net/%s/statistics/tx_packets" % dev, ns=ns).stdout)


def qdisc_packets(dev):
    out = sh("tc", "-s", "qdisc", "show", "dev", dev).stdout
    m = re.search(r"Sent \d+ bytes (\d+) pkt", out)
    return int(m.group(1)) if m else -1


def userns_send(dev, *args, setup=None):
    """fatesend -U @dev -w 1000 ARGS: as root of a new user and network
    namespace, into which @dev is moved once it is ready; then setup(pid),
    if given, as root of the initial namespaces. Returns its "ready" line,
    the move's result (None: never ready; else setup's, if any, when the
    move worked), its output, its errors and its fates."""
    os.chmod("/dev/pktcraft", 0o666)
    p = subprocess.Popen([FATESEND, "-U", dev, "-w", "1000"] + [str(a) for a in args],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ready = p.stdout.readline()
    m = re.match(r"ready (\d+)$", ready.strip())
    mv = sh("ip", "link", "set", dev, "netns", m.group(1), check=False) if m else None
    if mv is not None and mv.returncode == 0 and setup:
        mv = setup(m.group(1))
    try:
        out, err = p.communicate(input="go\n", timeout=60)
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
    fl = [dict(re.findall(r"(\w+)=(.*?)(?= \w+=|$)", ln[5:])) for ln in out.splitlines()
          if ln.startswith("fate ")]
    return ready, mv, out, err, fl


def in_ns(pid, *cmds):
    """Runs the commands (lists) in @pid's network namespace, as root of the
    initial one; the last result, or the first that failed."""
    r = None
    for c in cmds:
        r = sh("nsenter", "-t", pid, "-n", *c, check=False)
        if r.returncode:
            break
    return r


def hidden(fl):
    """One fate: dropped in another namespace, nothing of it shown."""
    return (len(fl) == 1 and fl[0].get("fate") == "dropped" and fl[0].get("reason") == "-" and
            fl[0].get("where") == "-" and int(fl[0].get("flags", 0)) & 2)


# A packet received in the container (--inject rx on its own dummy) that
# it forwards (ip_forward in its namespace) out of a device that leads into
# the host: the received device is the container's, so the verdict must
# still be hidden by where the packet went afterwards.
RX_DEV, RX_MAC = "pfr0", "02:00:00:00:00:82"


def rx_forward(pid, out_dev, *more):
    return in_ns(pid, ["ip", "link", "set", out_dev, "up"],
                 ["ip", "addr", "add", "10.82.0.1/24", "dev", RX_DEV],
                 ["sysctl", "-qw", "net.ipv4.ip_forward=1"], *more)


def tunnel_other_ns():
    """A container's packet into an ipip tunnel made in the initial namespace
    and moved into the container's (the usual way to give one a tunnel, as
    with WireGuard): the tunnel's outer packet goes out through the initial
    namespace's OUTPUT, whose nft rule drops it. skb->dev is still the
    container's tunnel there, but the drop is the host's: OTHER_NS, its
    reason, function and device hidden from the container. The same for a
    packet received in the container and forwarded into the tunnel."""
    if not os.path.exists("/proc/sys/net/netfilter"):
        return      # the stock kernel's run has it (fate-stock)
    nft = subprocess.run(["nft", "-f", "-"], input="table ip pct {\n chain out {\n"
                         "  type filter hook output priority 0;\n"
                         "  ip daddr 10.80.0.0/24 ip protocol 4 counter drop\n }\n}\n",
                         capture_output=True, text=True)
    verdict(nft.returncode == 0, "nft: a drop rule for ipip to 10.80.0.0/24 in OUTPUT", nft.stderr)
    sh("ip", "link", "add", "pfu0", "type", "dummy")
    sh("ip", "addr", "add", "10.80.0.1/24", "dev", "pfu0")
    sh("ip", "link", "set", "pfu0", "up")
    for rx in (False, True):
        # Each its own remote: the first one's namespace, and the tunnel
        # in it, go away asynchronously, its endpoints still taken.
        tun = "pft1" if rx else "pft0"
        sh("ip", "link", "add", tun, "type", "ipip", "local", "10.80.0.1", "remote",
           "10.80.0.3" if rx else "10.80.0.2")
        before = sh("nft", "list", "table", "ip", "pct", check=False).stdout
        if rx:
            sh("ip", "link", "add", RX_DEV, "address", RX_MAC, "type", "dummy")
            ready, mv, out, err, fl = userns_send(
                RX_DEV, "-i", "rx", "-m", RX_MAC, "-s", "10.82.0.2", "-p", CLOSED, "10.81.0.2",
                setup=lambda pid: sh("ip", "link", "set", tun, "netns", pid, check=False).returncode
                or rx_forward(pid, tun, ["ip", "route", "add", "10.81.0.0/24", "dev", tun]))
        else:
            ready, mv, out, err, fl = userns_send(tun, "-s", "10.81.0.1", "-p", CLOSED, "10.81.0.2")
        rules = sh("nft", "list", "table", "ip", "pct", check=False).stdout
        counted = [int(x) for x in re.findall(r"packets (\d+)", before + rules)]
        ok = mv is not None and not getattr(mv, "returncode", mv)
        verdict(ok and hidden(fl) and fl[0].get("dev") == (RX_DEV if rx else "-") and
                len(counted) == 2 and
                counted[1] == counted[0] + 1,
                "a user namespace's packet %s its ipip tunnel, whose outer packet the initial "
                "namespace's nft OUTPUT drops: dropped, OTHER_NS, no reason or function, %s "
                "(the rule counted it)" % ("received on its dummy and forwarded into" if rx else
                                           "into", "the device that received it, its own" if rx
                                           else "no device"),
                "%s%s%s; %s" % (ready, out, err, rules))
    subprocess.run(["nft", "delete", "table", "ip", "pct"])
    sh("ip", "link", "del", "pfu0", check=False)


def macvlan_rx_other_ns():
    """A packet received in the container and forwarded out of its macvlan,
    whose lower (the host's) drops it: with a netem that loses all (its
    qdisc, after dev_queue_xmit() took it), and with a tc egress filter
    (before: nothing but the lower's address says where it ended). Hidden
    both times, although the packet was received on the container's own
    device."""
    for n, how in ((1, "netem"), (2, "tc")):
        low, mv_dev = "pfl%d" % n, "pfm%d" % n
        sh("ip", "link", "add", low, "type", "dummy")
        sh("ip", "link", "set", low, "up")
        if how == "netem":
            sh("tc", "qdisc", "add", "dev", low, "root", "netem", "loss", "100%")
        else:
            # A redirect to a device that is down drops (TC_EGRESS): the
            # debug kernel has mirred, not gact's plain drop.
            sh("ip", "link", "add", "pfk0", "type", "dummy")
            sh("tc", "qdisc", "add", "dev", low, "clsact")
            sh("tc", "filter", "add", "dev", low, "egress", "matchall", "action", "mirred",
               "egress", "redirect", "dev", "pfk0")
        sh("ip", "link", "add", mv_dev, "link", low, "type", "macvlan", "mode", "bridge")
        sh("ip", "link", "add", RX_DEV, "address", RX_MAC, "type", "dummy")
        ready, mv, out, err, fl = userns_send(
            RX_DEV, "-i", "rx", "-m", RX_MAC, "-s", "10.82.0.2", "-p", CLOSED, "10.83.0.2",
            setup=lambda pid: sh("ip", "link", "set", mv_dev, "netns", pid, check=False).returncode
            or rx_forward(pid, mv_dev, ["ip", "addr", "add", "10.83.0.1/24", "dev", mv_dev],
                          ["ip", "neigh", "replace", "10.83.0.2", "lladdr", "02:00:00:00:00:83",
                           "dev", mv_dev]))
        stats = sh("tc", "-s", "qdisc" if how == "netem" else "filter", "show", "dev", low,
                   *([] if how == "netem" else ["egress"])).stdout
        ok = mv is not None and not getattr(mv, "returncode", mv)
        verdict(ok and hidden(fl) and fl[0].get("dev") == RX_DEV and
                re.search(r"dropped [1-9]" if how == "netem" else r"overlimits [1-9]", stats),
                "a user namespace's packet received on its dummy and forwarded out of its macvlan, "
                "whose lower in the initial namespace drops it (%s): dropped, OTHER_NS, no reason "
                "or function, the device that received it, its own"
                % ("a netem qdisc" if how == "netem" else "a tc egress filter, before the queue"),
                "%s%s%s; %s" % (ready, out, err, stats))
        sh("ip", "link", "del", low, check=False)
    sh("ip", "link", "del", "pfk0", check=False)


def run_guest():
    set_up()
    # pfa has no link-local address (addr_gen_mode 1): the neighbour timer
    # cannot solicit from one, so pktcraft solicits from the source.
    sh("ip", "-6", "neigh", "flush", "dev", "pfa")
    rc, err, fates, out = fatesend("-6", "-p", CLOSED, B6)
    verdict(rc == 1, "IPv6 neighbour discovery from a device without a link-local address",
            out + sh("ip", "-6", "neigh", "show", "dev", "pfa").stdout)
    # Every injection point that leaves through pfa reaches the peer's stack.
    for inj in ("queue", "driver", "ip"):
        i = ["-i", inj]
        one(inj + ": SYN to the listener", i + ["-p", OPEN, B], "delivered", dev="pfb", flags=3)
        one(inj + ": SYN to a closed port", i + ["-p", CLOSED, B], "dropped", "NO_SOCKET",
            "tcp_v4_rcv", "pfb", 3, counter="Tcp.OutRsts")
        one(inj + ": SYN with a wrong checksum", i + ["-p", OPEN, "-b", B], "dropped",
            "TCP_CSUM", "tcp_v4_rcv", "pfb", 3, counter="Tcp.InCsumErrors")
        one(inj + ": UDP to a closed port", i + ["-u", "-p", CLOSED, B], "dropped", "NO_SOCKET",
            "__udp4_lib_rcv", "pfb", 3, counter="Udp.NoPorts")
        one(inj + ": echo request", i + ["-e", B], "delivered", dev="pfb", flags=3,
            counter="Icmp.InEchos")
        one(inj + ": IPv6 SYN to a closed port", i + ["-6", "-p", CLOSED, B6], "dropped",
            "NO_SOCKET", "tcp_v6_rcv", "pfb", 3, counter="Tcp.OutRsts")
        one(inj + ": IPv6 echo request", i + ["-6", "-e", B6], "delivered", dev="pfb", flags=3,
            counter="Icmp6InEchos", alt=ICMP6_ANSWERED)

    # As if received on pfa: our own stack judges.
    rx = ["-i", "rx", "-d", "pfa"]
    one("rx: SYN to a closed local port", rx + ["-s", B, "-p", CLOSED, A], "dropped",
        "NO_SOCKET", "tcp_v4_rcv", "pfa", 1, counter="Tcp.OutRsts", ns=False)
    one("rx: wrong TCP checksum", rx + ["-s", B, "-p", CLOSED, "-b", A], "dropped", "TCP_CSUM",
        "tcp_v4_rcv", "pfa", 1, counter="Tcp.InCsumErrors", ns=False)
    # The receive path refuses it at once (NET_RX_DROP): not sent, ENOBUFS.
    one("rx: another host's MAC", rx + ["-s", B, "-p", CLOSED, "-m", "02:00:00:00:00:99", A],
        "dropped", "OTHERHOST", "ip_rcv_core", dev="pfa", flags=1, rc_want=(-1, "ENOBUFS"))
    # The reply leaves pfa for real: the peer counts it.
    one("rx: echo request to us, answered to the peer", rx + ["-s", B, "-e", A], "delivered",
        dev="pfa", flags=1, counter="Icmp.InEchoReps")
    one("rx: IPv6 echo request to us, answered to the peer", rx + ["-6", "-s", B6, "-e", A6],
        "delivered", dev="pfa", flags=1, counter="Icmp6InEchoReplies", alt=ICMP6_ANSWERED)
    r = subprocess.run(["setpriv", "--bounding-set", "-net_admin", "--inh-caps", "-net_admin",
                        FATESEND, "-w", "100", "-i", "rx", "-d", "pfa", "-s", B, A],
                       capture_output=True, text=True)
    verdict("errno=EPERM" in r.stdout, "rx: refused without CAP_NET_ADMIN (EPERM)",
            r.stdout + r.stderr)
    rc, err, fates, out = fatesend("-i", "ip", "-m", "02:00:00:00:00:01", B)
    verdict(rc == -1 and err == "EINVAL", "ip: a link address given is refused (EINVAL)", out)

    # Still in the peer's socket after the wait: pending, for the whole wait.
    t0 = time.monotonic()
    one("UDP the peer never reads", ["-w", 700, "-u", "-p", UDP_PORT, B], "pending")
    took = time.monotonic() - t0
    verdict(took >= 0.6, "a pending packet is waited for (%.2f s for 0.7 s)" % took,
            "took %.2f s" % took)

    # A driver takes it; a qdisc accepts it and drops it; driver skips it.
    one("dummy: sent by the driver", ["-d", "pfd0", "10.78.0.2"], "sent", dev="pfd0", flags=0)
    sh("tc", "qdisc", "add", "dev", "pfd1", "root", "netem", "loss", "100%")
    q0 = qdisc_packets("pfd1")
    one("netem loss 100%: accepted, then dropped", ["-d", "pfd1", "10.79.0.2"], "dropped",
        "QDISC_DROP", dev="pfd1")
    q1 = qdisc_packets("pfd1")
    one("driver: the qdisc is skipped", ["-i", "driver", "-d", "pfd1", "10.79.0.2"], "sent",
        dev="pfd1")
    q2 = qdisc_packets("pfd1")
    verdict(q1 - q0 == 0 and q2 == q1,
            "netem's counters: the queue path's packet was dropped, driver's never seen",
            "qdisc sent %d -> %d -> %d" % (q0, q1, q2))

    # Netfilter OUTPUT sees --inject ip, not the queue path.
    nft = subprocess.run(["nft", "-f", "-"], input="table inet pcf {\n chain out {\n"
                         "  type filter hook output priority 0;\n  tcp dport %d drop\n }\n}\n"
                         % NFT_PORT, capture_output=True, text=True)
    if not os.path.exists("/proc/sys/net/netfilter"):
        print("INFO: fate: this kernel has no netfilter (the debug kernel): its steps run "
              "on the stock kernel", flush=True)
    elif verdict(nft.returncode == 0, "nft: a drop rule for TCP port %d in OUTPUT" % NFT_PORT,
                 nft.stderr):
        # Dropped, so not sent: ENOBUFS for one packet. nf_tables frees it
        # itself on 6.1 (nft_do_chain), the hook's caller later.
        one("ip: an nft drop rule in OUTPUT", ["-i", "ip", "-p", NFT_PORT, B], "dropped",
            "NETFILTER_DROP", ("nft_do_chain [nf_tables]", "nf_hook_slow"), flags=0,
            rc_want=(-1, "ENOBUFS"))
        one("queue: the same rule does not see it", ["-p", NFT_PORT, B], "dropped",
            "NO_SOCKET", "tcp_v4_rcv", "pfb", 3)
        subprocess.run(["nft", "delete", "table", "inet", "pcf"])
        # A route-type OUTPUT chain that re-marks reroutes the packet with
        # the socket it carries (ip6_route_me_harder()): an IPv6 packet
        # with the file's IPv4 socket oopsed there (inet6_sk() is NULL).
        nft = subprocess.run(["nft", "-f", "-"], input="table ip6 pcm {\n chain out {\n"
                             "  type route hook output priority mangle;\n  meta mark set 7\n"
                             " }\n}\n", capture_output=True, text=True)
        verdict(nft.returncode == 0, "nft: a route chain in IPv6 OUTPUT that sets a mark",
                nft.stderr)
        rc, err, fates, out = fatesend("-w", 1000, "-6", "-i", "ip", "-z", "-p", CLOSED, B6)
        verdict(rc == 1 and fates and fates[0].get("fate") in ("dropped", "delivered", "pending"),
                "ip: IPv6 from :: rerouted by a route chain (no oops)", out)
        subprocess.run(["nft", "delete", "table", "ip6", "pcm"])
        # An nft netdev egress rule that forwards every frame of pfd0 to
        # pfd2 takes it (NF_STOLEN): not a drop. __dev_queue_xmit() returns
        # NET_XMIT_SUCCESS for it; the driver path must say the same.
        nft = subprocess.run(["nft", "-f", "-"], input="table netdev pcs {\n chain eg {\n"
                             "  type filter hook egress device pfd0 priority 0;\n"
                             "  fwd to pfd2\n }\n}\n", capture_output=True, text=True)
        try:
            if verdict(nft.returncode == 0,
                       "nft: a netdev egress chain on pfd0 that forwards to pfd2", nft.stderr):
                for inj in ("queue", "driver"):
                    t0 = (tx_packets("pfd0"), tx_packets("pfd2"))
                    one(inj + ": forwarded by nft netdev egress (NF_STOLEN), not received",
                        ["-i", inj, "-d", "pfd0", "10.78.0.2"], "sent", dev="pfd2", flags=0)
                    t1 = (tx_packets("pfd0"), tx_packets("pfd2"))
                    verdict(t1[0] == t0[0] and t1[1] == t0[1] + 1,
                            inj + ": pfd2's driver sent it, pfd0's did not (tx_packets)",
                            "pfd0 +%d, pfd2 +%d" % (t1[0] - t0[0], t1[1] - t0[1]))
        finally:
            subprocess.run(["nft", "delete", "table", "netdev", "pcs"], capture_output=True)
        # Received by the peer, routed out of its pfx0, whose egress chain
        # forwards it to pfx1: a receive path saw it, so DELIVERED on pfb,
        # though fwd sets skb_iif and redirected again at egress.
        for dev in ("pfx0", "pfx1"):
            sh("ip", "link", "add", dev, "type", "dummy", ns=True)
            sh("sysctl", "-qw", "net.ipv6.conf.%s.disable_ipv6=1" % dev, ns=True)
            sh("ip", "link", "set", dev, "up", ns=True)
        sh("sysctl", "-qw", "net.ipv4.ip_forward=1", ns=True)
        sh("ip", "route", "add", "10.80.0.0/24", "dev", "pfx0", ns=True)
        sh("ip", "neigh", "add", "10.80.0.2", "lladdr", "02:00:00:00:00:80", "nud", "permanent",
           "dev", "pfx0", ns=True)
        sh("ip", "route", "add", "10.80.0.0/24", "via", B)
        nft = sh("nft", "add table netdev pcx; add chain netdev pcx eg { type filter hook egress "
                 "device pfx0 priority 0; }; add rule netdev pcx eg fwd to pfx1",
                 ns=True, check=False)
        try:
            if verdict(nft.returncode == 0, "nft: in the peer, pfx0's egress chain forwards to "
                       "pfx1", nft.stderr):
                t0 = tx_packets("pfx1", ns=True)
                one("received by the peer, routed out of pfx0, forwarded at its egress to pfx1",
                    ["-u", "-p", CLOSED, "10.80.0.2"], "delivered", dev="pfb", flags=3)
                t1 = tx_packets("pfx1", ns=True)
                verdict(t1 == t0 + 1, "the peer's pfx1 sent it (tx_packets +1)",
                        "pfx1 +%d" % (t1 - t0))
        finally:
            sh("nft", "delete", "table", "netdev", "pcx", ns=True, check=False)

    # A tc egress redirect (clsact, mirred) does the same for the queue path;
    # the driver path, as AF_PACKET's, passes tc's egress hook by.
    try:
        rs = [sh("tc", "qdisc", "add", "dev", "pfd0", "clsact", check=False),
              sh("tc", "filter", "add", "dev", "pfd0", "egress", "matchall", "action", "mirred",
                 "egress", "redirect", "dev", "pfd2", check=False)]
        if verdict(all(r.returncode == 0 for r in rs),
                   "tc: a matchall egress filter on pfd0 that redirects to pfd2 (mirred)",
                   " ".join(r.stderr for r in rs)):
            # mirred at egress sends a clone and consumes the skb it was given
            # at the hook, on pfd0: so the fate is pfd0's (abi.md), and only
            # the ioctl's result and the drivers' counters are checked here.
            for inj, want in (("queue", "pfd2"), ("driver", "pfd0")):
                t0 = (tx_packets("pfd0"), tx_packets("pfd2"))
                rc, err, fates, out = fatesend("-i", inj, "-d", "pfd0", "10.78.0.2")
                t1 = (tx_packets("pfd0"), tx_packets("pfd2"))
                moved = {"pfd0": t1[0] - t0[0], "pfd2": t1[1] - t0[1]}
                verdict(rc == 1 and moved == {d: int(d == want) for d in moved},
                        "%s: %s: sent (rc 1), by %s's driver and no other (tx_packets)"
                        % (inj, "redirected by tc mirred at egress" if want == "pfd2" else
                           "tc's egress hook passed by", want),
                        "rc %s %s, %r; %s" % (rc, err, moved, out.strip()))
    finally:
        sh("tc", "qdisc", "del", "dev", "pfd0", "clsact", check=False)

    # A container's packet dropped on a device of another namespace before
    # any receive: its macvlan's lower (in the initial namespace here) has a
    # netem that loses all. The fate is dropped in another namespace, with
    # neither reason nor function, and counts as OTHER_NS, not QDISC_DROP.
    sh("ip", "link", "add", "pfl0", "type", "dummy")
    sh("ip", "link", "set", "pfl0", "up")
    sh("tc", "qdisc", "add", "dev", "pfl0", "root", "netem", "loss", "100%")
    sh("ip", "link", "add", "pfm0", "link", "pfl0", "type", "macvlan", "mode", "bridge")
    ready, mv, out, err, fl = userns_send("pfm0", "-s", "10.79.0.1", "-m", "02:00:00:00:00:79",
                                          "-p", CLOSED, "10.79.0.2")
    drops = {m2.group(1): (int(m2.group(2)), int(m2.group(3)))
             for m2 in re.finditer(r"^drop name=(\S+) reason=\d+ file=(\d+) module=(\d+)$", out, re.M)}
    qd = sh("tc", "-s", "qdisc", "show", "dev", "pfl0").stdout
    verdict(mv is not None and mv.returncode == 0 and len(fl) == 1 and fl[0].get("fate") == "dropped" and
            fl[0].get("reason") == "-" and fl[0].get("where") == "-" and fl[0].get("dev") == "-" and
            int(fl[0].get("flags", 0)) & 2 and drops == {"OTHER_NS": (1, 0)} and
            re.search(r"dropped [1-9]", qd),
            "a user namespace's packet dropped by its macvlan lower's qdisc in another namespace: "
            "dropped, OTHER_NS, no reason, function or device; counted OTHER_NS (netem dropped it, and "
            "the macvlan's own IPv6 chatter)",
            "%s%s%s; %s" % (ready, out, err, qd))
    sh("ip", "link", "del", "pfl0", check=False)
    tunnel_other_ns()
    macvlan_rx_other_ns()

    # A burst: one fate each, counted in GET_STATS' fate_* and sysfs.
    stats = uapi.STATS_DIR + "/"

    def sysfs():
        with open(stats + "drop_reasons") as f:
            reasons = dict(ln.split() for ln in f if ln.strip())
        return uapi.stat("fate_dropped"), int(reasons.get("NO_SOCKET", 0))

    d0, n0 = sysfs()
    rc, err, fates, out = fatesend("-w", 3000, "-c", 20, "-F", "-p", CLOSED, B)
    d1, n1 = sysfs()
    kinds = {(f["fate"], f["reason"]) for f in fates}
    verdict(rc == 20 and len(fates) == 20 and kinds == {("dropped", "NO_SOCKET")},
            "a burst of 20: 20 fates, each dropped NO_SOCKET", out[-800:])
    verdict(d1 - d0 == 20 and n1 - n0 == 20,
            "sysfs: fate_dropped +20, drop_reasons NO_SOCKET +20",
            "fate_dropped +%d, NO_SOCKET +%d" % (d1 - d0, n1 - n0))
    # GET_STATS version 1: the same by reason, the file's and the module's.
    drops = {m.group(1): (int(m.group(2)), int(m.group(3)))
             for m in re.finditer(r"^drop name=(\S+) reason=\d+ file=(\d+) module=(\d+)$", out, re.M)}
    m = re.search(r"^stats size=(\d+) nr=(\d+) fate_dropped=(\d+) module_fate_dropped=(\d+)$", out, re.M)
    verdict(m and int(m.group(1)) == 536 and int(m.group(3)) == 20 and
            {k: v[0] for k, v in drops.items() if v[0]} == {"NO_SOCKET": 20},
            "GET_STATS by reason: this file's drops are NO_SOCKET 20 (its fate_dropped)", out[-600:])
    verdict(m and drops.get("NO_SOCKET", (0, 0))[1] == n1 and
            sum(v[1] for v in drops.values()) == int(m.group(4)) == d1 and int(m.group(2)) == len(drops),
            "GET_STATS by reason: the module's column is sysfs drop_reasons (NO_SOCKET %d), summing to "
            "fate_dropped (%d)" % (n1, d1), out[-600:])
    verdict("unmapped rc=-1 errno=EFAULT" in out,
            "GET_STATS by reason into an unmapped array: EFAULT", out[-300:])
    with open(stats + "drop_reasons") as f:
        reasons = {k: int(v) for k, v in (ln.split() for ln in f if ln.strip())}
    st = subprocess.run(["pktcraft", "stats", "--json"], capture_output=True, text=True)
    txt = subprocess.run(["pktcraft", "stats"], capture_output=True, text=True).stdout
    try:
        shown = json.loads(st.stdout).get("drop_reasons")
    except ValueError:
        shown = None
    verdict(shown == reasons and "  NO_SOCKET" in txt,
            "pktcraft stats (--json): drops by reason as sysfs has them, under fate_dropped",
            "%r vs sysfs %r; %s" % (shown, reasons, txt[-400:]))
    rc, err, fates, out = fatesend("-w", 3000, "-c", 8, "-d", "pfd0", "10.78.0.2")
    verdict(rc == 8 and [f["fate"] for f in fates] == ["sent"] * 8,
            "an identical burst with fates: 8 skbs, 8 fates (never pktgen's shared skb)", out)
    rc, err, fates, out = fatesend("-c", 3, "-p", CLOSED, B)
    verdict(rc == 3 and all(f["fate"] == "untracked" and f["xmit"] == "1" for f in fates),
            "fates without fate_ms: hand-over times only", out)
    rc, err, fates, out = fatesend("-w", 100, "-c", 65537, "-p", CLOSED, B)
    verdict(rc == -1 and err == "EINVAL", "more than 65536 fates: EINVAL", out[:300])

    # A signal ends the wait; the packet stays pending.
    def asleep(pid):
        try:
            with open("/proc/%d/stat" % pid) as f:
                return f.read().rsplit(")", 1)[1].split()[0] == "S"
        except OSError:
            return False
    pk0 = uapi.stat("packets")
    p = subprocess.Popen([FATESEND, "-w", "10000", "-u", "-p", str(UDP_PORT), B],
                         stdout=subprocess.PIPE, text=True)
    # Until its packet is sent and it sleeps, awaiting the fate (not a
    # fixed time: exec and the first SEND take seconds on a busy host).
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and p.poll() is None and \
            not (uapi.stat("packets") > pk0 and asleep(p.pid)):
        time.sleep(0.02)
    rm = subprocess.run(["rmmod", "pktcraft"], capture_output=True, text=True)
    verdict(rm.returncode != 0 and os.path.exists("/dev/pktcraft"),
            "the module cannot be unloaded while a fate is awaited (rmmod: %s)"
            % rm.stderr.strip()[-60:], "rmmod returned %d" % rm.returncode)
    t0 = time.monotonic()
    p.send_signal(signal.SIGINT)
    out = p.communicate(timeout=20)[0]
    took = time.monotonic() - t0
    verdict(took < 5 and "rc=1 " in out and "fate=pending" in out,
            "SIGINT ends the wait at once (%.2f s), the packet reported pending" % took, out)
    print("fate: guest done", flush=True)


def host(args):
    import e2e
    label = "fate[%s]" % args.kernel
    t = e2e.Tally(label)
    outdir = os.path.join(TOP, "build", "fate-" + args.kernel)
    fs = os.path.join(TOP, "build", "tests", "fatesend")
    r = subprocess.run(["make", "-s", "-C", TOP, "build/tests/fatesend"], capture_output=True,
                       text=True)
    t.check(r.returncode == 0, "fate: build: fatesend", r.stderr[-2000:])
    if r.returncode:
        print("%s: %d passed, %d failed" % (label, t.passed, t.failed))
        return 1
    p = e2e.boot_script(label, args.kernel, __file__, outdir, adds=(fs,))
    for line in p.stdout.splitlines():
        line = line.strip()
        if re.match(r"^(PASS|FAIL): ", line):
            t.check(line.startswith("PASS"), line.split(": ", 1)[1], "")
        elif line.startswith("INFO: "):
            print(line, flush=True)
    t.check("fate: guest done" in p.stdout, "the guest ran every step", "log: %s" % outdir)
    e2e.guest_clean(t, p, outdir)
    print("%s: %d passed, %d failed" % (label, t.passed, t.failed))
    return 1 if t.failed else 0


def main():
    import e2e
    return e2e.script_main(__doc__, lambda: 1 if run_guest() or failures else 0, host, listener)


if __name__ == "__main__":
    sys.exit(main())
