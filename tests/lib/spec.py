# SPDX-License-Identifier: GPL-2.0
"""What the library tests ask for, shared by the guest side (tests/lib/guest.py)
and the host side (tests/lib/wire.py). Expectations are written from the
request's meaning: {tshark field: value}; ints compare numerically."""

GUEST_IP = "10.1.0.2"
GUEST_MAC = "52:54:00:12:34:56"
GW_MAC = "52:54:00:00:00:01"


def hexcolon(b):
    return ":".join("%02x" % x for x in b)


# tests/lib/harness.c sends this one (its values are in the C source).
HARNESS_MSG = b"sent by the C harness"
HARNESS_EXPECT = {
    "eth.dst": GW_MAC, "eth.src": GUEST_MAC,
    "ip.src": "10.1.0.2", "ip.dst": "10.3.0.2", "ip.ttl": 33, "ip.id": 4242,
    "ip.dsfield": 0x10, "ip.flags.df": 1, "ip.proto": 6,
    "ip.hdr_len": 32,                       # rr=2: 11 bytes, padded to 12
    "ip.len": 32 + 20 + 20 + len(HARNESS_MSG),
    "tcp.srcport": 40001, "tcp.dstport": 8080,
    "tcp.seq_raw": 1000001, "tcp.ack_raw": 2000002, "tcp.flags": 0x012,
    "tcp.window_size_value": 1234, "tcp.hdr_len": 40,
    "tcp.options.mss_val": 1460, "tcp.options.wscale.shift": 7,
    "tcp.options.timestamp.tsval": 7, "tcp.options.timestamp.tsecr": 9,
    "tcp.payload": hexcolon(HARNESS_MSG),
    "ip.checksum.status": 1, "tcp.checksum.status": 1,
}

# The Python binding sends this one.
PY_SEND = dict(dst="10.3.0.4", src="10.1.0.2", sport=40002, dport=9090, flags="PA",
               seq=3000003, ack=4000004, win=4321, ttl=77, id=31337, tos=0x20, df=True,
               tcp_opts="mss=1400,nop,nop,sackok", payload=b"sent by the Python binding")
PY_SEND_EXPECT = {
    "eth.dst": GW_MAC, "eth.src": GUEST_MAC,
    "ip.src": "10.1.0.2", "ip.dst": "10.3.0.4", "ip.ttl": 77, "ip.id": 31337,
    "ip.dsfield": 0x20, "ip.flags.df": 1, "ip.proto": 6, "ip.hdr_len": 20,
    "ip.len": 20 + 28 + len(PY_SEND["payload"]),
    "tcp.srcport": 40002, "tcp.dstport": 9090,
    "tcp.seq_raw": 3000003, "tcp.ack_raw": 4000004, "tcp.flags": 0x018,
    "tcp.window_size_value": 4321, "tcp.hdr_len": 28, "tcp.options.mss_val": 1400,
    "tcp.payload": hexcolon(PY_SEND["payload"]),
    "ip.checksum.status": 1, "tcp.checksum.status": 1,
}

# A burst of 3 from the Python binding, the source port counting up.
PY_BURST = dict(dst="10.3.0.8", sport=6000, dport=6001, flags="S", id=7, count=3,
                vary={"sport": ("inc", 6000, 6002, 1)}, payload=b"burst")
PY_BURST_EXPECT = {
    "ip.dst": "10.3.0.8", "ip.id": 7, "ip.len": 20 + 20 + 5, "tcp.dstport": 6001,
    "tcp.flags": 0x002, "tcp.payload": hexcolon(b"burst"),
    "ip.checksum.status": 1, "tcp.checksum.status": 1,
}

# Built (dry runs) by the Python binding and parsed by scapy in the guest.
PY_BUILD_TCP = dict(dst="10.3.0.5", src="192.0.2.9", sport=1111, dport=2222, flags="SA",
                    seq=123456789, ack=987654321, win=5000, ttl=99, id=0, mf=True,
                    frag_off=0, tcp_opts="mss=1460,sackok,ts=7:9,nop,wscale=7",
                    ip_opts="rr=2", payload=b"built, not sent")
PY_BUILD_UDP = dict(udp=True, dst="10.3.0.6", sport=5353, dport=53, tos=0xb8,
                    payload=b"\x00\x01\x02dns?")
PY_BUILD_ICMP = dict(icmp=True, dst="10.3.0.7", icmp_id=77, icmp_seq=3,
                     payload=b"ping from pktcraft")
