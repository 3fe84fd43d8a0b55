#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Guest side of the library tests (started by tests/lib/wire.py through
tests/vm/run): runs the C harness, then the Python binding sends one packet
and builds three whose bytes scapy parses. Prints PASS:/FAIL: lines and
relays the harness's "HARNESS ..." lines."""
import argparse
import errno
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(TOP, "python"))
import spec  # noqa: E402

failed = 0


def check(ok, name, detail=""):
    global failed
    print("%s: lib python: %s%s" % ("PASS" if ok else "FAIL", name,
                                   "" if ok or not detail else ": %s" % detail), flush=True)
    failed |= not ok


def run_harness(path):
    r = subprocess.run([path], capture_output=True, text=True)
    sys.stdout.write(r.stdout)
    if r.returncode != 0 and "FAIL:" not in r.stdout:
        print("FAIL: lib harness: exited with %d: %s" % (r.returncode, r.stderr.strip()))
    sys.stdout.flush()


def diff(pairs):
    """[(name, got, want)] -> the mismatches as text."""
    return "; ".join("%s = %r, want %r" % (n, g, w) for n, g, w in pairs if g != w)


def python_side():
    import pktcraft
    from scapy.layers.l2 import Ether
    from scapy.layers.inet import IP, TCP, UDP, ICMP
    from scapy.packet import Raw

    lib = pktcraft.library_path()
    check(os.path.realpath(lib) == os.path.realpath(os.path.join(TOP, "build", "user", "libpktcraft.so")),
          "the binding found the source tree's build/user/libpktcraft.so", lib)
    check(pktcraft.module_version() is not None, "module_version() reads the loaded module's",
          repr(pktcraft.module_version()))

    # --- send: checked on the wire by the host.
    try:
        n = pktcraft.send(**spec.PY_SEND)
        check(n == 1, "send() returns 1", repr(n))
    except pktcraft.PktcraftError as e:
        check(False, "send() returns 1", str(e))

    # --- a burst of 3 with a varying source port, also judged on the wire.
    try:
        req = pktcraft.Request(**spec.PY_BURST)
        n = req.send()
        check(n == 3 and req.sent == 3 and req.result_err == 0,
              "a burst Request(count=3, vary=...).send() returns 3 and the kernel's write-back",
              "returned %r, sent %d, result_err %d" % (n, req.sent, req.result_err))
    except pktcraft.PktcraftError as e:
        check(False, "a burst Request(count=3, vary=...).send() returns 3", str(e))

    # --- build: dry runs, parsed by scapy.
    with pktcraft.Device() as dev:
        req = pktcraft.Request(**spec.PY_BUILD_TCP)
        frame = dev.build(req)
        p = Ether(frame)
        want = spec.PY_BUILD_TCP
        opts = [(k, v) for k, v in p[TCP].options]
        check(IP in p and TCP in p and not diff([
            ("ip.src", p[IP].src, want["src"]), ("ip.dst", p[IP].dst, want["dst"]),
            ("ip.ttl", p[IP].ttl, want["ttl"]), ("ip.id", p[IP].id, 0),
            ("ip.flags", str(p[IP].flags), "MF"), ("ip.proto", p[IP].proto, 6),
            ("ip.ihl", p[IP].ihl, 8), ("ip.len", p[IP].len, len(frame) - 14),
            ("ip.options", [o.option for o in p[IP].options], [7, 0]),
            ("tcp.sport", p[TCP].sport, want["sport"]), ("tcp.dport", p[TCP].dport, want["dport"]),
            ("tcp.seq", p[TCP].seq, want["seq"]), ("tcp.ack", p[TCP].ack, want["ack"]),
            ("tcp.flags", str(p[TCP].flags), "SA"), ("tcp.window", p[TCP].window, want["win"]),
            ("tcp.options", opts, [("MSS", 1460), ("SAckOK", b""), ("Timestamp", (7, 9)),
                                   ("NOP", None), ("WScale", 7)]),
            ("payload", bytes(p[TCP].payload), want["payload"]),
        ]), "build(): scapy parses the TCP frame with every requested field",
            diff([("tcp.options", opts, None)]) + " " + p.summary())
        q = p.copy()
        del q[IP].chksum
        del q[TCP].chksum
        q = Ether(bytes(q))
        check((p[IP].chksum, p[TCP].chksum) == (q[IP].chksum, q[TCP].chksum),
              "build(): IP and TCP checksums equal scapy's",
              "kernel %#x/%#x scapy %#x/%#x" % (p[IP].chksum, p[TCP].chksum, q[IP].chksum, q[TCP].chksum))

        want = spec.PY_BUILD_UDP
        p = Ether(dev.build(**want))
        check(UDP in p and not diff([
            ("ip.dst", p[IP].dst, want["dst"]), ("ip.src", p[IP].src, spec.GUEST_IP),
            ("ip.tos", p[IP].tos, want["tos"]), ("ip.proto", p[IP].proto, 17),
            ("udp.sport", p[UDP].sport, want["sport"]), ("udp.dport", p[UDP].dport, want["dport"]),
            ("udp.len", p[UDP].len, 8 + len(want["payload"])),
            ("payload", p[Raw].load if Raw in p else None, want["payload"]),
            ("eth.dst", p.dst, spec.GW_MAC), ("eth.src", p.src, spec.GUEST_MAC),
        ]), "build(): scapy parses the UDP frame with every requested field", p.summary())

        want = spec.PY_BUILD_ICMP
        p = Ether(dev.build(**want))
        check(ICMP in p and not diff([
            ("ip.dst", p[IP].dst, want["dst"]), ("ip.proto", p[IP].proto, 1),
            ("icmp.type", p[ICMP].type, 8), ("icmp.code", p[ICMP].code, 0),
            ("icmp.id", p[ICMP].id, want["icmp_id"]), ("icmp.seq", p[ICMP].seq, want["icmp_seq"]),
            ("payload", bytes(p[ICMP].payload), want["payload"]),
        ]), "build(): scapy parses the ICMP echo request with every requested field", p.summary())

    # --- errors
    try:
        pktcraft.send(dst="10.3.0.2", reserved0=1)
        check(False, "a refused request raises PktcraftError(EINVAL)", "no exception")
    except pktcraft.PktcraftError as e:
        check(isinstance(e, OSError) and e.errno == errno.EINVAL and "invalid request" in e.strerror,
              "a refused request raises PktcraftError(EINVAL), an OSError with the library's explanation",
              "%r %r" % (e.errno, e.strerror))
    try:
        pktcraft.build(dst="10.3.0.2", dev="nosuch0")
        check(False, "an unknown device is a bad argument: ValueError naming it", "no exception")
    except ValueError as e:
        check("nosuch0" in str(e), "an unknown device is a bad argument: ValueError naming it", str(e))
    try:
        pktcraft.build(dst="10.3.0.2", ifindex=4242)
        check(False, "an unknown ifindex is the kernel's refusal: PktcraftError(ENODEV)", "no exception")
    except pktcraft.PktcraftError as e:
        check(e.errno == errno.ENODEV, "an unknown ifindex is the kernel's refusal: PktcraftError(ENODEV)", str(e))
    # --- counters: the harness, send() and the burst put 5 packets on the wire.
    try:
        st = pktcraft.stats()
        def frame_len(ip_len):      # short frames are padded to 60 bytes
            return max(60, 14 + ip_len)
        want_bytes = (frame_len(spec.HARNESS_EXPECT["ip.len"]) + frame_len(spec.PY_SEND_EXPECT["ip.len"]) +
                      3 * frame_len(spec.PY_BURST_EXPECT["ip.len"]))
        check(st["packets"] == 5 and st["bytes"] == want_bytes and st["err_inval"] >= 2,
              "stats(): module counters show the 5 packets sent and the refusals",
              "%r (want packets 5, bytes %d, err_inval >= 2)" % (st, want_bytes))
        with pktcraft.Device() as dev:
            f = dev.stats()["file"]
        check(f["packets"] == 0 and f["err_inval"] == 0, "Device.stats(): a new file's counters are 0", repr(f))
    except (pktcraft.PktcraftError, NotImplementedError) as e:
        check(False, "stats(): module counters", repr(e))
    drops_side(pktcraft)
    batch_side(pktcraft)


def drops_side(pktcraft):
    """Drops by reason (GET_STATS version 1): a netem that loses every
    packet drops them as QDISC_DROP, which the fates and the counts say."""
    dev = "pcl0"
    subprocess.run("ip link add %s type dummy && ip link set %s up && "
                   "tc qdisc add dev %s root netem loss 100%%" % (dev, dev, dev), shell=True, check=True)
    try:
        with pktcraft.Device() as d:
            before = d.drop_reasons()
            r = pktcraft.Request(dst="10.3.0.9", src="10.3.0.1", dev=dev, dst_mac="02:00:00:00:00:09",
                                 count=3, fate_ms=500)
            n = d.send(r)
            reasons = [f.to_dict()["reason_name"] for f in r.fate_list()]
            after = d.drop_reasons()
        q = after.get("QDISC_DROP", {})
        check(before == {} and n == 3 and reasons == ["QDISC_DROP"] * 3 and list(after) == ["QDISC_DROP"] and
              q.get("file") == 3 and q.get("module", 0) >= 3,
              "Device.drop_reasons(): a new file has none; a burst of 3 into netem loss 100%%: "
              "QDISC_DROP 3 (the file's, as its fates say; the module's %s)" % q.get("module"),
              "before %r, sent %r, fates %r, after %r" % (before, n, reasons, after))
    except (pktcraft.PktcraftError, NotImplementedError) as e:
        check(False, "Device.drop_reasons()", repr(e))
    finally:
        subprocess.run(["ip", "link", "del", dev])


def tx_packets(dev):
    with open("/sys/class/net/%s/statistics/tx_packets" % dev) as f:
        return int(f.read())


def batch_side(pktcraft):
    """send_batch() on a dummy of its own (after the counters above)."""
    dev = "pybatch0"
    subprocess.run("ip link add %s type dummy && ip link set %s up" % (dev, dev), shell=True, check=True)
    try:
        common = dict(dst="10.77.0.2", dev=dev, dst_mac="02:00:00:00:00:02")
        burst = pktcraft.Request(udp=True, sport=1000, dport=9, count=3,
                                 vary={"sport": ("inc", 1000, 2000)}, **common)
        reqs = [pktcraft.Request(udp=True, dport=9, **common), pktcraft.Request(icmp=True, **common),
                burst, pktcraft.Request(reserved0=1, **common)]
        t0 = tx_packets(dev)
        with pktcraft.Device() as d:
            res = d.send_batch(reqs)
        check(res == [1, 1, 3, -errno.EINVAL] and tx_packets(dev) - t0 == 5 and burst.sent == 3,
              "Device.send_batch() of UDP, ICMP, a burst of 3 and a malformed request: "
              "results [1, 1, 3, -EINVAL], 5 frames on the device, the burst's sent written back",
              "results %r, tx +%d, burst sent %d" % (res, tx_packets(dev) - t0, burst.sent))
        t0 = tx_packets(dev)
        res = pktcraft.send_batch([reqs[0], reqs[3], reqs[1]], stop=True)
        check(res == [1, -errno.EINVAL, 0] and tx_packets(dev) - t0 == 1,
              "send_batch(stop=True) stops at the malformed 2nd: results [1, -EINVAL, 0], 1 frame",
              "results %r, tx +%d" % (res, tx_packets(dev) - t0))
        check(pktcraft.send_batch([]) == [], "send_batch([]) is [] (no ioctl)", "")
    except (pktcraft.PktcraftError, ValueError, TypeError) as e:
        check(False, "send_batch()", repr(e))
    finally:
        subprocess.run(["ip", "link", "del", dev])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--harness", required=True)
    args = ap.parse_args()
    run_harness(args.harness)
    python_side()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
