#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The reply matcher (libpktcraft's pktcraft_reply_match(), what
`pktcraft send` and pktcraft.sr() use) on packets scapy builds: replies
that answer our packets match the right one, and near misses (another port,
another ICMP identifier or sequence, a wrong ack, another peer, our own
packet, an ICMP error quoting someone else's) never do. IPv4 and IPv6,
extension headers in replies and in quoted packets, bursts whose ports
count. The expected values are written here from the protocols, not taken
from the code under test. Host only. Prints PASS:/FAIL: lines."""
import ctypes
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(TOP, "python"))
import pktcraft  # noqa: E402
from scapy.layers.inet import IP, TCP, UDP, ICMP, IPerror, TCPerror, UDPerror, ICMPerror  # noqa: E402
from scapy.layers.inet6 import (IPv6, ICMPv6DestUnreach, ICMPv6EchoReply, ICMPv6EchoRequest,  # noqa: E402
                                ICMPv6TimeExceeded, ICMPv6PacketTooBig, IPv6ExtHdrHopByHop,
                                IPv6ExtHdrDestOpt, IPv6ExtHdrFragment)

failed = 0
A, B, R = "10.77.0.1", "10.77.0.2", "10.77.0.254"
A6, B6, R6 = "2001:db8:77::1", "2001:db8:77::2", "2001:db8:77::fe"


def check(ok, name, detail=""):
    global failed
    print("%s: replies: %s%s" % ("PASS" if ok else "FAIL", name, "" if ok or not detail else ": " + detail),
          flush=True)
    failed |= not ok


def match(req, pkt, n=1):
    """(index, Reply) when the library says pkt answers packet index of req, else None."""
    raw = bytes(pkt)
    r = pktcraft.Reply()
    rc = pktcraft._lib().pktcraft_reply_match(ctypes.byref(req), n, raw, len(raw), ctypes.byref(r))
    if rc < 0:
        raise OSError(-rc, "pktcraft_reply_match")
    return (r.index, r) if rc == 1 else None


def yes(req, pkt, name, index=0, n=1, **fields):
    m = match(req, pkt, n)
    bad = []
    if m is None:
        check(False, "matches: " + name, "not matched: " + pkt.summary())
        return None
    if m[0] != index:
        bad.append("index %d, want %d" % (m[0], index))
    for k, v in fields.items():
        got = m[1].to_dict()[k]
        if got != v:
            bad.append("%s %r, want %r" % (k, got, v))
    check(not bad, "matches: " + name, "; ".join(bad))
    return m[1]


def no(req, pkt, name, n=1):
    m = match(req, pkt, n)
    check(m is None, "not a reply: " + name, "matched as packet %r: %s" % (m[0] if m else None, pkt.summary()))


def main():
    R4 = pktcraft.Request
    # --- TCP, IPv4: a SYN from A:40000 to B:7777, seq 1000.
    syn = R4(dst=B, src=A, sport=40000, dport=7777, flags="S", seq=1000)
    sa = IP(src=B, dst=A, ttl=64, flags="DF", id=0) / TCP(sport=7777, dport=40000, flags="SA", seq=5, ack=1001,
                                                          window=64240)
    r = yes(syn, sa, "SYN-ACK to our SYN (ports reversed, ack = seq + 1)", kind="tcp", sport=7777, dport=40000,
            tcp_flags=0x12, tcp_ack=1001, ttl=64, len=40, src=B, dst=A)
    if r is not None:
        line = str(r)
        check(line.startswith("len=40 ip=10.77.0.2 ttl=64 DF id=0 sport=7777 flags=SA seq=0 win=64240 rtt=? ms"),
              "the SYN-ACK's line is hping3's (len, ip, ttl, DF, id, sport, flags, seq, win, rtt)", line)
    yes(syn, IP(src=B, dst=A) / TCP(sport=7777, dport=40000, flags="RA", seq=0, ack=1001),
        "RST-ACK of a closed port (ack = seq + 1)", tcp_flags=0x14)
    no(syn, IP(src=B, dst=A) / TCP(sport=7777, dport=40000, flags="SA", ack=1000), "SYN-ACK with ack = seq")
    no(syn, IP(src=B, dst=A) / TCP(sport=7777, dport=40000, flags="SA", ack=1002), "SYN-ACK with ack = seq + 2")
    no(syn, IP(src=B, dst=A) / TCP(sport=7778, dport=40000, flags="SA", ack=1001), "SYN-ACK from another port")
    no(syn, IP(src=B, dst=A) / TCP(sport=7777, dport=40001, flags="SA", ack=1001), "SYN-ACK to another port")
    no(syn, IP(src="10.77.0.3", dst=A) / TCP(sport=7777, dport=40000, flags="SA", ack=1001),
       "SYN-ACK from another host")
    no(syn, IP(src=B, dst="10.77.0.9") / TCP(sport=7777, dport=40000, flags="SA", ack=1001),
       "SYN-ACK to another address of ours than the source given")
    no(syn, IP(src=A, dst=B) / TCP(sport=40000, dport=7777, flags="S", seq=1000), "our own SYN")
    no(syn, IP(src=B, dst=A) / UDP(sport=7777, dport=40000), "UDP on the SYN's ports")
    # Payload: ack = seq + 5 (+ FIN).
    psh = R4(dst=B, src=A, sport=40000, dport=7777, flags="PA", seq=1000, ack=77, payload=b"hello")
    yes(psh, IP(src=B, dst=A) / TCP(sport=7777, dport=40000, flags="A", seq=77, ack=1005),
        "ACK of a 5-byte segment (ack = seq + 5)")
    no(psh, IP(src=B, dst=A) / TCP(sport=7777, dport=40000, flags="A", seq=77, ack=1001),
       "ACK of a 5-byte segment acknowledging 1 byte")
    fin = R4(dst=B, src=A, sport=40000, dport=7777, flags="FA", seq=1000, ack=77, payload=b"hello")
    yes(fin, IP(src=B, dst=A) / TCP(sport=7777, dport=40000, flags="A", seq=77, ack=1006),
        "ACK of FIN with 5 bytes (ack = seq + 6)")
    # A RST without ACK answers a segment carrying an ACK: its seq is our ack.
    ack = R4(dst=B, src=A, sport=40000, dport=7777, flags="A", seq=1000, ack=5000)
    yes(ack, IP(src=B, dst=A) / TCP(sport=7777, dport=40000, flags="R", seq=5000), "RST (no ACK) to a bare ACK, seq = our ack")
    no(ack, IP(src=B, dst=A) / TCP(sport=7777, dport=40000, flags="R", seq=4999), "RST (no ACK) with seq != our ack")

    # --- A burst: source ports 40000..40009 (inc), seq 1000.
    burst = R4(dst=B, src=A, sport="40000-40009", dport=7777, flags="S", seq=1000)
    yes(burst, IP(src=B, dst=A) / TCP(sport=7777, dport=40005, flags="SA", ack=1001),
        "burst of 10: the SYN-ACK to port 40005 answers packet 5", index=5, n=10)
    no(burst, IP(src=B, dst=A) / TCP(sport=7777, dport=40010, flags="SA", ack=1001),
       "burst of 10: port 40010 was not sent", n=10)
    seqs = R4(dst=B, src=A, sport=40000, dport=7777, flags="S", seq=1000, count=4,
              vary={"seq": ("inc", 1000, 2000, 100)})
    yes(seqs, IP(src=B, dst=A) / TCP(sport=7777, dport=40000, flags="SA", ack=1301),
        "burst with seq counting by 100: ack 1301 answers packet 3", index=3, n=4)
    no(seqs, IP(src=B, dst=A) / TCP(sport=7777, dport=40000, flags="SA", ack=1401),
       "burst of 4 counting seq: ack 1401 (packet 4) was not sent", n=4)
    # Long bursts (the matcher hashes them by ports and seq).
    scan = R4(dst=B, src=A, sport=40000, dport="1-1000", flags="S", seq=1000)
    yes(scan, IP(src=B, dst=A) / TCP(sport=777, dport=40000, flags="RA", ack=1001),
        "a scan of ports 1-1000: the RST from port 777 answers packet 776", index=776, n=1000)
    no(scan, IP(src=B, dst=A) / TCP(sport=1001, dport=40000, flags="RA", ack=1001),
       "a scan of ports 1-1000: port 1001 was not probed", n=1000)
    no(scan, IP(src=B, dst=A) / TCP(sport=777, dport=40000, flags="RA", ack=1000),
       "a scan of ports 1-1000: port 777's RST with ack = seq", n=1000)
    seq100 = R4(dst=B, src=A, sport=40000, dport=7777, flags="S", seq=0, count=100,
                vary={"seq": ("inc", 0, 1000000, 1000)})
    yes(seq100, IP(src=B, dst=A) / TCP(sport=7777, dport=40000, flags="SA", ack=42001),
        "100 SYNs counting seq by 1000: ack 42001 answers packet 42", index=42, n=100)
    udp50 = R4(dst=B, src=A, udp=True, sport="40000-40049", dport=9999)
    yes(udp50, IP(src=B, dst=A) / ICMP(type=3, code=3) / IPerror(src=A, dst=B, proto=17) /
        UDPerror(sport=40030, dport=9999), "50 UDP source ports: the port unreachable quoting 40030 is packet 30",
        index=30, n=50)
    # A source the kernel chooses: not checked (any local address).
    anysrc = R4(dst=B, sport=40000, dport=7777, flags="S", seq=1000)
    yes(anysrc, IP(src=B, dst="10.77.0.9") / TCP(sport=7777, dport=40000, flags="SA", ack=1001),
        "source left to the kernel: the reply's destination is not checked")

    # --- UDP and ICMP errors quoting it.
    udp = R4(dst=B, src=A, udp=True, sport=40003, dport=9999, payload=b"q")
    yes(udp, IP(src=B, dst=A) / UDP(sport=9999, dport=40003) / b"answer", "UDP answer (ports reversed)", kind="udp")
    no(udp, IP(src=B, dst=A) / UDP(sport=9998, dport=40003), "UDP from another port")
    quoted = IPerror(src=A, dst=B, proto=17, id=7) / UDPerror(sport=40003, dport=9999, len=9)
    r = yes(udp, IP(src=B, dst=A) / ICMP(type=3, code=3) / quoted,
            "ICMP port unreachable quoting our UDP header", kind="icmp-error", icmp_type=3, icmp_code=3,
            sport=40003, dport=9999)
    if r is not None:
        check(str(r).startswith("ICMP Port Unreachable from ip=10.77.0.2 ttl=64 seq=0"),
              "the port unreachable's line names it", str(r))
    no(udp, IP(src=B, dst=A) / ICMP(type=3, code=3) /
       IPerror(src=A, dst=B, proto=17) / UDPerror(sport=40003, dport=9998), "port unreachable quoting another port")
    no(udp, IP(src=B, dst=A) / ICMP(type=3, code=3) /
       IPerror(src=A, dst="10.77.0.5", proto=17) / UDPerror(sport=40003, dport=9999),
       "port unreachable quoting another destination")
    no(udp, IP(src=B, dst=A) / ICMP(type=3, code=3) /
       IPerror(src=A, dst=B, proto=6) / TCPerror(sport=40003, dport=9999), "port unreachable quoting TCP")
    yes(syn, IP(src=R, dst=A) / ICMP(type=11, code=0) /
        IPerror(src=A, dst=B, proto=6, ttl=0) / TCPerror(sport=40000, dport=7777, seq=1000, flags="S"),
        "time exceeded from a router, quoting our SYN (seq too)", kind="icmp-error", icmp_type=11, src=R)
    no(syn, IP(src=R, dst=A) / ICMP(type=11, code=0) /
       IPerror(src=A, dst=B, proto=6) / TCPerror(sport=40000, dport=7777, seq=999, flags="S"),
       "time exceeded quoting a SYN with another seq")
    yes(syn, IP(src=R, dst=A) / ICMP(type=3, code=4, nexthopmtu=1400) /
        IPerror(src=A, dst=B, proto=6, flags="DF") / TCPerror(sport=40000, dport=7777, seq=1000),
        "fragmentation needed (mtu 1400) quoting our SYN", icmp_info=1400)

    # --- ICMP echo.
    echo = R4(dst=B, src=A, icmp=True, icmp_id=77, icmp_seq=1, payload=b"ping")
    yes(echo, IP(src=B, dst=A) / ICMP(type=0, id=77, seq=1) / b"ping", "echo reply, id 77 seq 1",
        kind="echo", icmp_id=77, icmp_seq=1)
    no(echo, IP(src=B, dst=A) / ICMP(type=0, id=78, seq=1), "echo reply with another id")
    no(echo, IP(src=B, dst=A) / ICMP(type=0, id=77, seq=2), "echo reply with another seq")
    no(echo, IP(src=B, dst=A) / ICMP(type=8, id=77, seq=1), "an echo request (id and seq ours)")
    no(echo, IP(src="10.77.0.3", dst=A) / ICMP(type=0, id=77, seq=1), "echo reply from another host")
    yes(echo, IP(src=R, dst=A) / ICMP(type=3, code=1) / IPerror(src=A, dst=B, proto=1) /
        ICMPerror(type=8, id=77, seq=1), "host unreachable quoting our echo request")
    no(echo, IP(src=R, dst=A) / ICMP(type=3, code=1) / IPerror(src=A, dst=B, proto=1) /
       ICMPerror(type=8, id=99, seq=1), "host unreachable quoting another echo request")
    bcast = R4(dst="10.77.0.255", src=A, icmp=True, icmp_id=5)
    no(bcast, IP(src=B, dst=A) / ICMP(type=0, id=5), "echo to 10.77.0.255: a subnet broadcast is not known as one")
    mcast = R4(dst="224.0.0.1", src=A, icmp=True, icmp_id=5)
    yes(mcast, IP(src=B, dst=A) / ICMP(type=0, id=5), "echo to 224.0.0.1: any host's reply")
    ts = R4(dst=B, src=A, icmp=True, icmp_type=13, icmp_id=9)
    yes(ts, IP(src=B, dst=A) / ICMP(type=14, id=9), "timestamp request (13) answered by a timestamp reply (14)")

    # --- IPv6.
    syn6 = R4(dst=B6, src=A6, sport=40000, dport=8080, flags="S", seq=1000)
    sa6 = IPv6(src=B6, dst=A6, hlim=64) / TCP(sport=8080, dport=40000, flags="SA", ack=1001, window=64800)
    r = yes(syn6, sa6, "IPv6 SYN-ACK", kind="tcp", family=10, src=B6, ttl=64)
    if r is not None:
        check(str(r).startswith("len=60 ip=2001:db8:77::2 ttl=64 sport=8080 flags=SA seq=0 win=64800"),
              "the IPv6 SYN-ACK's line (no DF or id)", str(r))
    yes(syn6, IPv6(src=B6, dst=A6) / IPv6ExtHdrHopByHop() / IPv6ExtHdrDestOpt() /
        TCP(sport=8080, dport=40000, flags="RA", ack=1001), "IPv6 RST behind Hop-by-Hop and Destination Options")
    no(syn6, IPv6(src=B6, dst=A6) / TCP(sport=8080, dport=40001, flags="SA", ack=1001), "IPv6 SYN-ACK to another port")
    no(syn6, IPv6(src=B6, dst=A6) / IPv6ExtHdrFragment(offset=8, m=0, nh=6) / (b"x" * 24),
       "IPv6 non-first fragment")
    udp6 = R4(dst=B6, src=A6, udp=True, sport=40003, dport=9999)
    yes(udp6, IPv6(src=B6, dst=A6) / ICMPv6DestUnreach(code=4) / IPv6(src=A6, dst=B6) / UDP(sport=40003, dport=9999),
        "ICMPv6 port unreachable quoting our UDP", kind="icmp-error", icmp_type=1, icmp_code=4)
    yes(udp6, IPv6(src=R6, dst=A6) / ICMPv6TimeExceeded() /
        IPv6(src=A6, dst=B6) / IPv6ExtHdrDestOpt() / IPv6ExtHdrFragment(offset=0, m=1) /
        UDP(sport=40003, dport=9999), "ICMPv6 time exceeded quoting our UDP behind Destination Options and Fragment")
    no(udp6, IPv6(src=B6, dst=A6) / ICMPv6DestUnreach(code=4) / IPv6(src=A6, dst=B6) / UDP(sport=40004, dport=9999),
       "ICMPv6 port unreachable quoting another source port")
    yes(udp6, IPv6(src=R6, dst=A6) / ICMPv6PacketTooBig(mtu=1280) / IPv6(src=A6, dst=B6) /
        UDP(sport=40003, dport=9999), "ICMPv6 packet too big (mtu 1280)", icmp_info=1280)
    echo6 = R4(dst=B6, src=A6, icmp=True, icmp_id=77, icmp_seq=1)
    yes(echo6, IPv6(src=B6, dst=A6) / ICMPv6EchoReply(id=77, seq=1), "ICMPv6 echo reply", kind="echo")
    no(echo6, IPv6(src=B6, dst=A6) / ICMPv6EchoReply(id=78, seq=1), "ICMPv6 echo reply with another id")
    no(echo6, IPv6(src=B6, dst=A6) / ICMPv6EchoRequest(id=77, seq=1), "an ICMPv6 echo request")
    no(echo6, IP(src=B, dst=A) / ICMP(type=0, id=77, seq=1), "an IPv4 echo reply to an IPv6 request")
    mc6 = R4(dst="ff02::1", src=A6, icmp=True, icmp_id=80, dev="lo")
    yes(mc6, IPv6(src="fe80::2", dst=A6) / ICMPv6EchoReply(id=80), "echo to ff02::1: any host's reply")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
