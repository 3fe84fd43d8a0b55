#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The module's tracepoints (module/trace.h), watched through tracefs in a guest.

Each case runs the CLI, or an ioctl packed by hand from the header's offsets
(tests/lib/uapi.py), with the pktcraft events on in a tracefs instance of
its own, and checks which events fired, in which order, with which fields.
What a field must say comes from the case's own arguments and from the
guest's kernel (sysfs ifindex, `ip addr`, `ip neigh`), never from pktcraft.

    tests/trace/trace.py [--kernel stock|debug|stock:ABI]

Prints PASS:/FAIL: lines and "trace[KERNEL]: N passed, N failed".
"""
import argparse
import ctypes
import errno
import fcntl
import json
import os
import re
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(TOP, "tests", "lib"))
import uapi  # noqa: E402
import tracefs  # noqa: E402

CLI = os.path.join(TOP, "userspace", "pktcraft")
INST = tracefs.TRACEFS + "/instances/pktcraft-test"
PEER_MAC = "02:00:00:00:00:02"
EVENT = re.compile(r"^\s*\S.*?\s+\[\d+\]\s+\S+\s+[\d.]+: (pktcraft_\w+): (.*)$")
# The kernel's own: dev_queue_xmit() fires it for every skb it is given.
QUEUED = re.compile(r": net_dev_queue: dev=(\S+) skbaddr=\S+ len=(\d+)")


def sh(*cmd):
    return subprocess.run(cmd, capture_output=True, text=True)


# ------------------------------------------------------------------ guest
class Guest:
    def __init__(self):
        self.passed = self.failed = 0
        self.abi = uapi.load()

    def check(self, ok, name, detail=""):
        print("%s: trace: %s%s" % ("PASS" if ok else "FAIL", name,
                                   "" if ok else " (%s)" % detail), flush=True)
        if ok:
            self.passed += 1
        else:
            self.failed += 1

    def setup(self):
        tracefs.mount()
        if not os.path.isdir(INST):
            os.mkdir(INST)
        names = sorted(os.listdir(INST + "/events/pktcraft"))
        want = ["enable", "filter", "pktcraft_burst_end", "pktcraft_egress", "pktcraft_egress6",
                "pktcraft_refused", "pktcraft_request", "pktcraft_xmit"]
        self.check(names == want, "tracefs lists the six pktcraft events", " ".join(names))
        tracefs.put(INST + "/events/pktcraft/enable", "1")
        tracefs.put(INST + "/events/net/net_dev_queue/enable", "1")
        self.queued = []

    def events(self, action):
        """Runs action() with a clean buffer; returns (its result, [(event, fields)])."""
        tracefs.put(INST + "/trace", "")
        res = action()
        out = []
        self.queued = []    # (device, length) of the net_dev_queue events
        with open(INST + "/trace") as f:
            for line in f:
                q = QUEUED.search(line)
                if q:
                    self.queued.append((q.group(1), int(q.group(2))))
                m = EVENT.match(line)
                if not m:
                    continue
                fields, last = {}, None
                for tok in m.group(2).split():
                    if "=" in tok:
                        last, v = tok.split("=", 1)
                        fields[last] = v
                    elif last and tok.startswith("("):
                        fields[last + "_name"] = tok.strip("()")
                out.append((m.group(1), fields))
        return res, out

    def expect(self, name, evs, want):
        """want: [(event, {field: value})]: exactly these events in order."""
        got = [e for e, _ in evs]
        names = [e for e, _ in want]
        if got != names:
            self.check(False, name, "events %s, want %s" % (got, names))
            return
        bad = []
        for (e, fields), (_, w) in zip(evs, want):
            for k, v in w.items():
                if fields.get(k) != str(v):
                    bad.append("%s.%s=%s, want %s" % (e, k, fields.get(k), v))
        self.check(not bad, name, "; ".join(bad[:6]))


def ifindex(dev):
    with open("/sys/class/net/%s/ifindex" % dev) as f:
        return int(f.read())


def addr4(dev):
    out = sh("ip", "-4", "-o", "addr", "show", "dev", dev).stdout
    m = re.search(r"inet (\d+\.\d+\.\d+\.\d+)", out)
    return m.group(1) if m else None


def neigh(dst, dev):
    """(lladdr, STATE) of dst on dev, as `ip neigh` says."""
    out = sh("ip", "neigh", "show", dst, "dev", dev).stdout.split()
    mac = out[out.index("lladdr") + 1] if "lladdr" in out else None
    return mac, out[-1] if out else None


def run_guest():
    g = Guest()
    A = g.abi
    g.setup()
    eth0 = ifindex("eth0")
    src = addr4("eth0")

    def cli(*args):
        return sh(CLI, "send", "--no-replies", *args)

    # One TCP packet, egress given.
    r, ev = g.events(lambda: cli("-s", "1234", "-p", "80", "-t", "33", "--dev", "eth0",
                                 "--dst-mac", PEER_MAC, "10.3.0.2"))
    g.expect("one TCP packet on eth0 (--dev, --dst-mac): request, egress, xmit", ev, [
        ("pktcraft_request", {"ioctl": "SEND", "size": A.req.size, "l4": "TCP",
                              "ip_saddr": "0.0.0.0", "ip_daddr": "10.3.0.2", "sport": 1234,
                              "dport": 80, "ip_ttl": 33, "ifindex": eth0, "payload_len": 0}),
        ("pktcraft_egress", {"dev": "eth0", "ifindex": eth0, "via": "ifindex", "link": "ether",
                             "saddr": src, "nexthop": "0.0.0.0", "nud": "none",
                             "dst_mac": PEER_MAC}),
        ("pktcraft_xmit", {"dev": "eth0", "index": 0, "len": 60, "path": "qdisc", "rc": 0}),
    ])

    # Root's varied burst on e1000 asking for the driver: the ring.
    r, ev = g.events(lambda: cli("--count", "100", "--vary", "sport=inc:1-100", "--inject",
                                 "driver", "--dev", "eth0", "--dst-mac", PEER_MAC, "10.9.7.1"))
    xm = [f for e, f in ev if e == "pktcraft_xmit"]
    g.check(len(xm) >= 100 and all(f["path"] == "driver" for f in xm) and
            sorted({int(f["index"]) for f in xm}) == list(range(100)) and
            ev[-1:] and ev[-1][1].get("sent") == "100",
            "root's varied burst of 100 on eth0 (e1000), --inject driver: path=driver for every "
            "packet (an index again only after rc=16, NETDEV_TX_BUSY), burst_end sent=100",
            "%d xmit, paths %s, last %s" % (len(xm), sorted({f.get("path") for f in xm}),
                                            ev[-1] if ev else None))

    # A UDP burst through the route and the neighbour table (tests/vm/guest-init
    # gives 10.1.0.1 a permanent entry: nothing answers ARP on the test hub).
    gw = "10.1.0.1"
    mac, state = neigh(gw, "eth0")
    r, ev = g.events(lambda: cli("-2", "-s", "2000", "-p", "53", "--count", "5", "--copy",
                                 "-d", "20", gw))
    g.expect("a UDP burst of 5 (--copy) by route: request, egress (neighbour %s), 5 xmit, "
             "burst_end" % state, ev, [
                 ("pktcraft_request", {"ioctl": "SEND", "l4": "UDP", "ip_daddr": gw, "sport": 2000,
                                       "dport": 53, "ifindex": 0, "payload_len": 20, "count": 5}),
                 ("pktcraft_egress", {"dev": "eth0", "via": "route", "saddr": src, "nexthop": gw,
                                      "nud": state, "dst_mac": mac}),
             ] + [("pktcraft_xmit", {"dev": "eth0", "index": i, "len": 14 + 20 + 8 + 20,
                                     "path": "qdisc", "rc": 0}) for i in range(5)] + [
                 ("pktcraft_burst_end", {"dev": "eth0", "count": 5, "sent": 5, "dropped": 0,
                                         "result_err": 0, "result_err_name": "OK"}),
             ])

    # Root's identical burst on dummy: pktgen's shared skb, straight to the driver.
    for c in (["ip", "link", "add", "pc-tr0", "type", "dummy"],
              ["ip", "addr", "add", "10.97.0.1/24", "dev", "pc-tr0"],
              ["ip", "link", "set", "pc-tr0", "up"]):
        sh(*c)
    to = ["--dev", "pc-tr0", "--dst-mac", PEER_MAC, "10.97.0.2"]
    r, ev = g.events(lambda: cli("--count", "40", *to))
    xm = [f for e, f in ev if e == "pktcraft_xmit"]
    g.check([int(f["index"]) for f in xm] == list(range(40)) and
            all(f["path"] == "driver" and f["rc"] == "0" for f in xm) and
            [e for e, _ in ev][-1:] == ["pktcraft_burst_end"] and ev[-1][1].get("sent") == "40",
            "root's identical burst of 40 on dummy: one xmit per packet, index 0..39, path=driver "
            "(the shared skb), burst_end sent=40",
            "%d xmit, indexes %s, last %s" % (len(xm), [f.get("index") for f in xm][:50],
                                              ev[-1] if ev else None))

    # Root's varied burst on the dummy (no qdisc): the ring of skbs, straight
    # to the driver too (200 packets: each of its 64 slots used more than
    # once); with --copy, or with a tc egress hook (clsact and a matchall
    # filter, which dev_queue_xmit() would run), through the qdisc path.
    def varied(what, path, *extra, n=200, dest=to, who="root's", run=cli, kind="varied"):
        vary = ["--vary", "sport=inc:1-%d" % n] if kind == "varied" else []
        r, ev = g.events(lambda: run("--count", str(n), *vary, *extra, *dest))
        xm = [f for e, f in ev if e == "pktcraft_xmit"]
        g.check([int(f["index"]) for f in xm] == list(range(n)) and
                all(f["path"] == path and f["rc"] == "0" for f in xm) and
                ev[-1:] and ev[-1][1].get("sent") == str(n),
                "%s %s burst of %d %s: one xmit per packet, index 0..%d, path=%s, "
                "burst_end sent=%d" % (who, kind, n, what, n - 1, path, n),
                "%d xmit, paths %s, last %s" % (len(xm), sorted({f.get("path") for f in xm}),
                                                ev[-1] if ev else None))

    varied("on dummy", "driver")
    varied("on dummy with --copy", "qdisc", "--copy")

    # Without CAP_NET_ADMIN (a container's root has it in its own user
    # namespace only): never the shared skb, but the ring for varied and
    # identical packets alike, where no qdisc would hold them.
    noadmin = ["setpriv", "--bounding-set", "-net_admin", "--inh-caps", "-net_admin", "--"]
    eff = sh(*noadmin, "grep", "^CapEff", "/proc/self/status").stdout.split()
    g.check(len(eff) == 2 and not int(eff[1], 16) & (1 << 12) and int(eff[1], 16) & (1 << 13),
            "setpriv drops CAP_NET_ADMIN (bit 12) and keeps CAP_NET_RAW (bit 13)",
            "CapEff %s" % eff)

    def cli_noadmin(*args):
        return sh(*noadmin, CLI, "send", "--no-replies", *args)

    for kind in ("varied", "identical"):
        varied("on dummy", "driver", who="an opener without CAP_NET_ADMIN:", run=cli_noadmin,
               kind=kind)

    # A single packet goes where a burst's ring would: straight to the
    # driver on the dummy without a qdisc, for any opener. The kernel's
    # net_dev_queue tracepoint judges too: dev_queue_xmit() saw the packet
    # on the qdisc path only. It fires for the kernel's own packets on the
    # dummy as well (IPv6's MLD reports and router solicitations, once it
    # has IPv6; one fell into a debug run's window): ours is told apart by
    # its length, 87 (TCP, 33 bytes of data), which none of those has.
    def single(what, path, rc, *extra, run=cli, code=0):
        r, ev = g.events(lambda: run("-d", "33", *extra, *to))
        g.expect("%s: request, egress, one xmit path=%s rc=%d" % (what, path, rc), ev, [
            ("pktcraft_request", {"ioctl": "SEND"}),
            ("pktcraft_egress", {"dev": "pc-tr0"}),
            ("pktcraft_xmit", {"dev": "pc-tr0", "index": 0, "len": 87, "path": path,
                               "rc": rc})])
        n = 1 if path == "qdisc" else 0
        ours = g.queued.count(("pc-tr0", 87))
        g.check(r.returncode == code and ours == n,
                "... the kernel's net_dev_queue fired %d time(s) for it (87 bytes on the dummy), "
                "and the CLI exits %d" % (n, code), "net_dev_queue (device, length): %s, exit %d %s"
                % (g.queued, r.returncode, r.stderr[-200:]))

    single("root's single packet on the dummy (no qdisc)", "driver", 0)
    single("a single packet without CAP_NET_ADMIN there", "driver", 0, run=cli_noadmin)

    # A qdisc or an egress filter that appears during one long ioctl applies
    # from the next packet handed over: the burst leaves the driver path.
    # One SEND of N packets at 20/s (the binding: no CLI chunks), the
    # change made once the dummy counted 5 of them: 400 leave the change
    # almost 20 s (100 left under 5 s, which tc took on a debug guest
    # beside four others).
    N = 400

    def switch(what, pre, change, undo, identical=False):
        """Returns the packets sent through the qdisc path after the change.
        Grafting a root qdisc on a running device parks its queue on
        noop_qdisc for a moment (dev_deactivate()), which frees a packet
        with NET_XMIT_CN (rc=2) for a sender that hands it over then: the
        burst waits that moment out, so every rc is 0."""
        vary = "" if identical else ", vary='sport=inc:1-%d'" % N
        code = ("import sys; sys.path.insert(0, %r); import pktcraft; "
                "r = pktcraft.Request(dst='10.97.0.2', dev='pc-tr0', dst_mac=%r, udp=True, "
                "count=%d, rate=20%s); print(pktcraft.Device().send(r))"
                % (os.path.join(TOP, "python"), PEER_MAC, N, vary))
        stats = "/sys/class/net/pc-tr0/statistics/tx_packets"

        def act():
            with open(stats) as f:
                t0 = int(f.read())
            p = subprocess.Popen(pre + ["/usr/bin/python3", "-c", code], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
            seen = 0
            for _ in range(600):            # at most 60 s for 5 packets
                with open(stats) as f:
                    seen = int(f.read()) - t0
                if seen >= 5 or p.poll() is not None:
                    break
                time.sleep(0.1)
            rc = [sh(*c).returncode for c in change]
            out, err = p.communicate(timeout=120)
            return seen, rc, out.strip(), err.strip()

        (seen, rc, out, err), ev = g.events(act)
        xm = [f for e, f in ev if e == "pktcraft_xmit"]
        paths = [f["path"] for f in xm]
        k = paths.index("qdisc") if "qdisc" in paths else len(paths)
        g.check(seen >= 5 and rc == [0] * len(rc) and out == str(N) and
                sorted(int(f["index"]) for f in xm) == list(range(N)) and
                k >= 5 and k < N and paths == ["driver"] * k + ["qdisc"] * (N - k) and
                all(f["rc"] == "0" for f in xm),
                "%s: the first packets path=driver, every one after the change path=qdisc, "
                "each index 0..%d once, all sent" % (what, N - 1),
                "seen %d before the change, change rc %s, send %r %r; %d xmit, driver for the "
                "first %d, paths %s" % (seen, rc, out, err[-300:], len(xm), k,
                                        "".join(x[0] for x in paths)))
        for c in undo:
            sh(*c)
        return N - k

    n = switch("a varied burst without CAP_NET_ADMIN on the dummy (the ring), a pfifo added "
               "during it", noadmin, [["tc", "qdisc", "add", "dev", "pc-tr0", "root", "pfifo"]],
               [])
    out = sh("tc", "-s", "qdisc", "show", "dev", "pc-tr0", "root").stdout
    m = re.search(r"Sent \d+ bytes (\d+) pkt", out)
    g.check(m and int(m.group(1)) == n, "... and the pfifo counted exactly the %d packets after "
            "the change" % n, repr(out))
    sh("tc", "qdisc", "del", "dev", "pc-tr0", "root")
    # The filter appears in one step, with the kernel's egress static key
    # already on: the kernel publishes a device's egress hooks before it
    # turns that key on (__nf_register_net_hook()), and a packet sent in
    # between passes no filter, whoever sends it. nft (the stock kernel):
    # the chain and its counter in one transaction, a chain on a second
    # dummy first for the key. Else tc (the debug kernel has no nf_tables):
    # clsact first (it turns the key on; on 6.1 a device counts as hooked
    # only once a filter is attached), then a matchall filter, its "rule
    # hit" the counter.
    if sh("nft", "list", "tables").returncode == 0:
        hook = "an nft egress chain"
        setup = [["ip", "link", "add", "pc-tr1", "type", "dummy"],
                 ["nft", "add table netdev pckey; add chain netdev pckey c { type filter hook "
                  "egress device pc-tr1 priority 0; }"]]
        change = [["nft", "add table netdev pctr; add chain netdev pctr c { type filter hook "
                   "egress device pc-tr0 priority 0; }; add rule netdev pctr c counter"]]
        count = (["nft", "list", "chain", "netdev", "pctr", "c"], r"counter packets (\d+)")
        undo = [["nft", "delete", "table", "netdev", "pctr"]]
        teardown = [["nft", "delete", "table", "netdev", "pckey"],
                    ["ip", "link", "del", "pc-tr1"]]
    else:
        hook = "a tc egress filter"
        setup = [["tc", "qdisc", "add", "dev", "pc-tr0", "clsact"]]
        change = [["tc", "filter", "add", "dev", "pc-tr0", "egress", "matchall", "classid",
                   "1:1"]]
        count = (["tc", "-s", "filter", "show", "dev", "pc-tr0", "egress"], r"rule hit (\d+)")
        undo = [["tc", "filter", "del", "dev", "pc-tr0", "egress"]]
        teardown = [["tc", "qdisc", "del", "dev", "pc-tr0", "clsact"]]
    rs = [sh(*c) for c in setup]
    g.check(all(r.returncode == 0 for r in rs), "%s: set up (the egress static key on)" % hook,
            " / ".join(r.stderr.strip() for r in rs))
    for what, pre, identical in (
            ("a varied burst without CAP_NET_ADMIN on the dummy (the ring)", noadmin, False),
            ("root's identical burst on the dummy (the shared skb)", [], True)):
        n = switch("%s, %s added during it" % (what, hook), pre, change, [],
                   identical=identical)
        out = sh(*count[0]).stdout
        m = re.search(count[1], out)
        # nft registers a new chain's hook before the transaction's commit
        # makes its rule visible (nf_tables_addchain()), and tc links a new
        # filter before it sets its head (mall_classify() then passes): one
        # packet (20/s) may pass the hook uncounted, for any sender.
        g.check(m and n - 1 <= int(m.group(1)) <= n, "... and its counter counted the %d packets "
                "after the change (or all but one, in the kernel's own window while the filter "
                "is installed)" % n, repr(out))
        for c in undo:
            sh(*c)
    for c in teardown:
        sh(*c)
    hook = [sh("tc", "qdisc", "add", "dev", "pc-tr0", "clsact"),
            sh("tc", "filter", "add", "dev", "pc-tr0", "egress", "matchall", "classid", "1:1")]
    g.check(all(h.returncode == 0 for h in hook), "tc: clsact and an egress matchall filter on "
            "the dummy", " / ".join(h.stderr.strip() for h in hook))
    varied("on dummy with a tc egress filter", "qdisc")
    single("root's single packet with that filter", "qdisc", 0)
    r, ev = g.events(lambda: cli("--count", "40", *to))
    xm = [f for e, f in ev if e == "pktcraft_xmit"]
    g.check(len(xm) == 40 and all(f["path"] == "qdisc" and f["rc"] == "0" for f in xm),
            "... and root's identical burst of 40 there: path=qdisc too (no shared skb past "
            "the filter)", "%d xmit, paths %s" % (len(xm), sorted({f.get("path") for f in xm})))
    sh("tc", "qdisc", "del", "dev", "pc-tr0", "clsact")

    # IPv6 by route on the dummy: neighbour discovery maps a NOARP device's
    # neighbours to its own address (ndisc_constructor()); the source is the
    # one `ip -6 addr` lists.
    sh("sysctl", "-qw", "net.ipv6.conf.pc-tr0.disable_ipv6=0")
    sh("ip", "-6", "addr", "add", "2001:db8:97::1/64", "dev", "pc-tr0", "nodad")
    out = sh("ip", "-6", "-o", "addr", "show", "dev", "pc-tr0", "scope", "global").stdout
    m = re.search(r"inet6 ([0-9a-f:]+)/", out)
    with open("/sys/class/net/pc-tr0/address") as f:
        own = f.read().strip()
    r, ev = g.events(lambda: cli("-1", "2001:db8:97::2"))
    g.expect("an ICMPv6 echo by route (IPv6 on pc-tr0): request family=10, egress6 (source "
             "%s, neighbour NOARP: the dummy's own MAC), xmit" % (m.group(1) if m else None), ev, [
                 ("pktcraft_request", {"ioctl": "SEND", "l4": "ICMP", "family": 10,
                                       "ip6_daddr": "2001:db8:97::2", "ifindex": 0}),
                 ("pktcraft_egress6", {"dev": "pc-tr0", "via": "route", "link": "ether",
                                       "saddr": m.group(1) if m else None,
                                       "nexthop": "2001:db8:97::2", "nud": "NOARP",
                                       "dst_mac": own}),
                 ("pktcraft_xmit", {"dev": "pc-tr0", "index": 0, "len": 14 + 40 + 8,
                                    "path": "driver", "rc": 0}),
             ])
    r, ev = g.events(lambda: cli("-1", "fe80::2"))
    g.expect("an IPv6 link-local destination without --dev: refused stage=egress EINVAL", ev, [
        ("pktcraft_request", {"family": 10, "ip6_daddr": "fe80::2"}),
        ("pktcraft_refused", {"ioctl": "SEND", "stage": "egress", "err": -errno.EINVAL,
                              "err_name": "EINVAL"})])
    g.check(r.returncode == 1 and "link-local destination needs the interface: give --dev" in r.stderr,
            "... and the CLI exits 1 saying the link-local destination needs --dev",
            "exit %d, stderr %r" % (r.returncode, r.stderr))

    # Every packet dropped by the queue (pfifo limit 0).
    sh("tc", "qdisc", "replace", "dev", "pc-tr0", "root", "pfifo", "limit", "0")
    r, ev = g.events(lambda: cli("--count", "3", "--copy", *to))
    g.expect("a burst the queue drops whole: xmit rc=1 (NET_XMIT_DROP) x3, burst_end sent=0 "
             "dropped=3 (the CLI exits 1)", ev,
             [("pktcraft_request", {"count": 3}), ("pktcraft_egress", {"dev": "pc-tr0"})] +
             [("pktcraft_xmit", {"index": i, "rc": 1, "path": "qdisc"}) for i in range(3)] +
             [("pktcraft_burst_end", {"sent": 0, "dropped": 3, "result_err": 0})])
    g.check(r.returncode == 1, "... and the CLI exits 1", "exit %d" % r.returncode)
    single("a single packet with that qdisc: through it, dropped (NET_XMIT_DROP)", "qdisc", 1,
           code=1)
    single("... and with --inject driver: past the qdisc", "driver", 0, "--inject", "driver")
    # A qdisc someone configured keeps root's varied packets too (not
    # straight to the driver), unless the request asks for the driver.
    r, ev = g.events(lambda: cli("--count", "3", "--vary", "sport=inc:1-3", *to))
    g.expect("root's varied burst of 3 with that qdisc: through it, xmit rc=1 x3, burst_end "
             "dropped=3", ev,
             [("pktcraft_request", {"count": 3}), ("pktcraft_egress", {"dev": "pc-tr0"})] +
             [("pktcraft_xmit", {"index": i, "rc": 1, "path": "qdisc"}) for i in range(3)] +
             [("pktcraft_burst_end", {"sent": 0, "dropped": 3, "result_err": 0})])
    r, ev = g.events(lambda: cli("--count", "3", "--vary", "sport=inc:1-3", "--inject", "driver",
                                 *to))
    g.expect("... the same with --inject driver: past the qdisc, xmit path=driver rc=0 x3, "
             "burst_end sent=3", ev,
             [("pktcraft_request", {"count": 3}), ("pktcraft_egress", {"dev": "pc-tr0"})] +
             [("pktcraft_xmit", {"index": i, "rc": 0, "path": "driver"}) for i in range(3)] +
             [("pktcraft_burst_end", {"sent": 3, "dropped": 0, "result_err": 0})])
    r, ev = g.events(lambda: cli_noadmin("--count", "3", *to))
    g.expect("an identical burst of 3 without CAP_NET_ADMIN with that qdisc: copies through it "
             "(no shared skb past a qdisc), xmit rc=1 x3, burst_end dropped=3", ev,
             [("pktcraft_request", {"count": 3}), ("pktcraft_egress", {"dev": "pc-tr0"})] +
             [("pktcraft_xmit", {"index": i, "rc": 1, "path": "qdisc"}) for i in range(3)] +
             [("pktcraft_burst_end", {"sent": 0, "dropped": 3, "result_err": 0})])
    r, ev = g.events(lambda: cli_noadmin("--count", "3", "--inject", "driver", *to))
    g.expect("... and with --inject driver: the ring, past the qdisc, xmit path=driver rc=0 x3",
             ev, [("pktcraft_request", {"count": 3}), ("pktcraft_egress", {"dev": "pc-tr0"})] +
             [("pktcraft_xmit", {"index": i, "rc": 0, "path": "driver"}) for i in range(3)] +
             [("pktcraft_burst_end", {"sent": 3, "dropped": 0, "result_err": 0})])
    sh("tc", "qdisc", "del", "dev", "pc-tr0", "root")

    # Refused in the kernel: where, and with which errno.
    sh("ip", "link", "set", "pc-tr0", "mtu", "100")
    r, ev = g.events(lambda: cli("-d", "200", *to))
    g.expect("larger than the MTU (100): request, egress, then refused stage=mtu EMSGSIZE", ev, [
        ("pktcraft_request", {"payload_len": 200}),
        ("pktcraft_egress", {"dev": "pc-tr0"}),
        ("pktcraft_refused", {"ioctl": "SEND", "stage": "mtu", "err": -errno.EMSGSIZE,
                              "err_name": "EMSGSIZE"})])
    sh("ip", "link", "set", "pc-tr0", "mtu", "1500")
    r, ev = g.events(lambda: cli("--dry-run", "--ifindex", "999", "--dst-mac", PEER_MAC,
                                 "10.97.0.2"))
    g.expect("a dry run on ifindex 999: BUILD request, refused stage=egress ENODEV", ev, [
        ("pktcraft_request", {"ioctl": "BUILD", "ifindex": 999}),
        ("pktcraft_refused", {"ioctl": "BUILD", "stage": "egress", "err": -errno.ENODEV,
                              "err_name": "ENODEV"})])

    # Hand-packed requests: versions and refusals the CLI never makes.
    def req(size, **fields):
        buf = ctypes.create_string_buffer(max(size, A.req.size) + 8)
        A.req.pack_into(buf, "size", size)
        A.req.pack_into(buf, "ifindex", ifindex("pc-tr0"))
        buf[A.req.offset("dst_mac"):A.req.offset("dst_mac") + 6] = bytes.fromhex("020000000002")
        o = A.req.offset("ip_daddr")
        buf[o:o + 4] = socket.inet_aton("10.97.0.2")
        A.req.pack_into(buf, "ip_ttl", 64)
        for k, v in fields.items():
            A.req.pack_into(buf, k, v)
        return buf

    def ioctl(buf, mode=os.O_RDWR):
        fd = os.open("/dev/pktcraft", mode)
        try:
            return fcntl.ioctl(fd, A.IOC_SEND, buf)
        except OSError as e:
            return -e.errno
        finally:
            os.close(fd)

    v0 = A.REQ_SIZE_VER0
    r, ev = g.events(lambda: ioctl(req(v0)))
    g.expect("a version-0 request (%d bytes): request size=%d, egress, xmit" % (v0, v0), ev, [
        ("pktcraft_request", {"ioctl": "SEND", "size": v0, "l4": "TCP", "count": 0}),
        ("pktcraft_egress", {"dev": "pc-tr0", "via": "ifindex"}),
        ("pktcraft_xmit", {"index": 0, "rc": 0})])
    big = A.req.size + 8
    r, ev = g.events(lambda: ioctl(req(big)))
    g.expect("a newer request (%d bytes, zero tail): request size=%d (declared, not capped)"
             % (big, big), ev, [
                 ("pktcraft_request", {"size": big}), ("pktcraft_egress", {}), ("pktcraft_xmit", {})])
    cases = [
        ("size 8 (below version 0)", req(8), os.O_RDWR, "copy", errno.EINVAL),
        ("an unknown flag (bit 31)", req(A.req.size, flags=1 << 31), os.O_RDWR, "check", errno.EINVAL),
        ("ip_ihl 3", req(A.req.size, ip_ihl=3), os.O_RDWR, "check", errno.EINVAL),
        ("an fd opened read-only", req(A.req.size), os.O_RDONLY, "mode", errno.EBADF),
    ]
    for what, buf, mode, stage, err in cases:
        r, ev = g.events(lambda: ioctl(buf, mode))
        g.expect("%s: refused stage=%s %s, nothing else" % (what, stage, errno.errorcode[err]), ev, [
            ("pktcraft_refused", {"ioctl": "SEND", "stage": stage, "err": -err,
                                  "err_name": errno.errorcode[err]})])
        g.check(r == -err, "%s: the ioctl returns %s" % (what, errno.errorcode[err]), "returned %s" % r)

    # A burst whose results cannot be written back: the request in a read-only page.
    import mmap
    libc = ctypes.CDLL(None, use_errno=True)
    page = mmap.mmap(-1, mmap.PAGESIZE)
    page.write(req(A.req.size, count=3).raw[:A.req.size])
    addr = ctypes.addressof(ctypes.c_char.from_buffer(page))
    libc.mprotect(ctypes.c_void_p(addr), ctypes.c_size_t(mmap.PAGESIZE), 1)     # PROT_READ

    def ro_send():
        fd = os.open("/dev/pktcraft", os.O_RDWR)
        try:
            rc = libc.ioctl(fd, ctypes.c_ulong(A.IOC_SEND), ctypes.c_void_p(addr))
            return rc if rc >= 0 else -ctypes.get_errno()
        finally:
            os.close(fd)
    r, ev = g.events(ro_send)
    # Proved writable before the device is taken (docs/abi.md, "User memory
    # and the device"): refused with no egress event.
    g.expect("a burst of 3 whose request is read-only (results not writable): request, "
             "refused stage=result EFAULT, no egress", ev, [
                 ("pktcraft_request", {"count": 3}),
                 ("pktcraft_refused", {"ioctl": "SEND", "stage": "result", "err": -errno.EFAULT,
                                       "err_name": "EFAULT"})])
    g.check(r == -errno.EFAULT, "... and the ioctl returns EFAULT", "returned %s" % r)

    # --show-ioctl: what the kernel wrote back is what burst_end says.
    r, ev = g.events(lambda: cli("--show-ioctl", "--count", "3", "--copy", "--vary", "sport=inc:1-9", *to))
    back = r.stderr[r.stderr.find("written back by the kernel"):]
    wb = dict(re.findall(r"^\s+\d+\s+\d+ (\w+)\s+(\S+)", back, re.M))
    end = [f for e, f in ev if e == "pktcraft_burst_end"]
    g.check(r.returncode == 0 and end and wb.get("sent") == end[0]["sent"] == "3" and
            wb.get("dropped") is None and wb.get("result_err") is None and "returned 3" in r.stderr,
            "--show-ioctl on a burst: returned 3; written back: sent 3 (burst_end: sent=3), "
            "dropped and result_err unchanged (0)", "%s / %s / %s" % (wb, end, r.stderr[-400:]))
    r, ev = g.events(lambda: cli("--show-ioctl", "--dry-run", *to))
    wb = dict(re.findall(r"^\s+\d+\s+\d+ (\w+)\s+(\S+)",
                         r.stderr[r.stderr.find("written back by the kernel"):], re.M))
    g.check(r.returncode == 0 and "ioctl PKTCRAFT_IOC_BUILD" in r.stderr and
            "struct pktcraft_build" in r.stderr and wb == {"frame_len": "60"},
            "--show-ioctl --dry-run: PKTCRAFT_IOC_BUILD, struct pktcraft_build and the request it "
            "points at; written back: frame_len 60 only", "%s / %s" % (wb, r.stderr[-600:]))

    # Off: nothing is recorded.
    tracefs.put(INST + "/events/pktcraft/enable", "0")
    r, ev = g.events(lambda: cli("--count", "3", *to))
    g.check(r.returncode == 0 and ev == [], "events off: a burst records nothing", "%s" % ev[:3])
    sh("ip", "link", "del", "pc-tr0")
    os.rmdir(INST)
    print("GUEST %s" % json.dumps({"passed": g.passed, "failed": g.failed}), flush=True)


# ------------------------------------------------------------------- host
def host(kernel):
    uapi.load()     # the guest reads the cached result: it has no compiler
    label = "trace[%s]" % kernel
    p = subprocess.run([os.path.join(TOP, "tests", "vm", "run"), "--kernel", kernel, "--timeout", "900",
                        "--", "/usr/bin/python3", os.path.abspath(__file__), "--guest"],
                       capture_output=True, text=True)
    passed = failed = 0
    done = False
    for line in p.stdout.splitlines():
        if line.startswith(("PASS: trace: ", "FAIL: trace: ")):
            ok = line.startswith("PASS")
            print("%s: %s: %s" % ("PASS" if ok else "FAIL", label, line.split(": ", 2)[2]))
            passed += ok
            failed += not ok
        elif line.startswith("GUEST "):
            done = True
    ok = p.returncode in (0, 1) and done
    print("%s: %s: the guest ran every case cleanly (no kernel report, module unloaded)"
          % ("PASS" if ok else "FAIL", label))
    if not ok:
        print("    tests/vm/run exit %d:\n%s" % (p.returncode, (p.stdout + p.stderr)[-3000:]))
    passed += ok
    failed += not ok
    print("%s: %d passed, %d failed" % (label, passed, failed))
    return 1 if failed else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--guest", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--kernel", default="stock")
    args = ap.parse_args()
    if args.guest:
        run_guest()
        return 0
    return host(args.kernel)


if __name__ == "__main__":
    sys.exit(main())
