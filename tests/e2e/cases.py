# SPDX-License-Identifier: GPL-2.0
"""The end-to-end case table.

Each case: "name", "args" (CLI arguments after `pktcraft send`), and either
"expect" ({tshark field: value}; ints compare numerically, None = absent) or
"refused" (the CLI's expected exit status). Expectations are written from the
request's meaning, never copied from pktcraft's output. Checksum status
"good" is expected unless a case overrides it. "kernel_id": the kernel picks
the IP ID, so dry-run and wire differ there.
"""

GUEST_IP = "10.1.0.2"        # tests/vm/guest-init gives eth0 this address
GUEST_MAC = "52:54:00:12:34:56"
GW_MAC = "52:54:00:00:00:01"  # static neighbour 10.1.0.1 (default route)
PEER_MAC = "02:00:00:00:00:02"

SEED_DATA = "This is a message, is this hidden??"


def hexcolon(b):
    return ":".join("%02x" % x for x in b)


def direct(*extra):
    """Egress given explicitly: eth0 and a made-up peer MAC."""
    return ["--dev", "eth0", "--dst-mac", PEER_MAC] + list(extra)


CASES = [
    {
        "name": "seed packet, route mode",
        "args": ["--src", "10.1.0.2", "--dst", "10.3.0.2", "--sport", "54321",
                 "--dport", "7777", "--flags", "S", "--seq", "454", "--win", "56535",
                 "--ttl", "64", "--id", "12345", "--data", SEED_DATA],
        "expect": {
            "eth.dst": GW_MAC, "eth.src": GUEST_MAC, "eth.type": 0x0800,
            "ip.version": 4, "ip.hdr_len": 20, "ip.len": 20 + 20 + len(SEED_DATA),
            "ip.id": 12345, "ip.ttl": 64, "ip.proto": 6, "ip.flags": 0,
            "ip.src": "10.1.0.2", "ip.dst": "10.3.0.2",
            "tcp.srcport": 54321, "tcp.dstport": 7777, "tcp.seq_raw": 454,
            "tcp.ack_raw": 0, "tcp.flags": 0x002, "tcp.hdr_len": 20,
            "tcp.window_size_value": 56535, "tcp.urgent_pointer": 0,
            "tcp.payload": hexcolon(SEED_DATA.encode()),
        },
    },
    {
        "name": "explicit device and destination MAC",
        "args": direct("--dst", "10.9.8.7", "--id", "1", "--sport", "1", "--dport", "2"),
        "expect": {"eth.dst": PEER_MAC, "eth.src": GUEST_MAC, "ip.dst": "10.9.8.7",
                   "ip.src": GUEST_IP, "tcp.srcport": 1, "tcp.dstport": 2},
    },
    {
        "name": "spoofed source MAC and address",
        "args": direct("--dst", "10.3.0.2", "--src", "192.0.2.77",
                       "--src-mac", "02:11:22:33:44:55", "--id", "2"),
        "expect": {"eth.src": "02:11:22:33:44:55", "ip.src": "192.0.2.77"},
    },
    {
        "name": "kernel fills source, length and ID",
        "args": ["--dst", "10.3.0.2", "--data", "abc"],
        "kernel_id": True,
        "expect": {"ip.src": GUEST_IP, "ip.len": 43, "eth.dst": GW_MAC},
        "check_name": "IP ID was filled (non-zero)",
        "check": lambda wire, f: (wire[18:20] != b"\0\0", "ID is 0"),
    },
    {
        "name": "literal IP ID 0",
        "args": direct("--dst", "10.3.0.2", "--id", "0"),
        "expect": {"ip.id": 0},
    },
    {
        "name": "all TCP flags including NS/AE",
        "args": direct("--dst", "10.3.0.2", "--id", "3", "--flags", "FSRPAUEC+N"),
        "expect": {"tcp.flags": 0x1FF, "tcp.flags.ae": 1, "tcp.flags.cwr": 1,
                   "tcp.flags.ece": 1, "tcp.flags.urg": 1, "tcp.flags.ack": 1,
                   "tcp.flags.push": 1, "tcp.flags.reset": 1, "tcp.flags.syn": 1,
                   "tcp.flags.fin": 1},
    },
    {
        "name": "no TCP flags",
        "args": direct("--dst", "10.3.0.2", "--id", "4", "--flags", "."),
        "expect": {"tcp.flags": 0},
    },
    {
        "name": "numeric TCP flags 0x12 (SYN+ACK)",
        "args": direct("--dst", "10.3.0.2", "--id", "5", "--flags", "0x12", "--ack", "0xffffffff",
                       "--seq", "4294967295"),
        "expect": {"tcp.flags.syn": 1, "tcp.flags.ack": 1, "tcp.flags.fin": 0,
                   "tcp.ack_raw": 4294967295, "tcp.seq_raw": 4294967295},
    },
    {
        "name": "TOS, TTL, window, urgent pointer",
        "args": direct("--dst", "10.3.0.2", "--id", "6", "--tos", "0xb8", "--ttl", "1",
                       "--win", "0", "--urg", "0xbeef", "--flags", "AU"),
        "expect": {"ip.dsfield": 0xB8, "ip.dsfield.dscp": 46, "ip.ttl": 1,
                   "tcp.window_size_value": 0, "tcp.urgent_pointer": 0xBEEF,
                   "tcp.flags.urg": 1},
    },
    {
        "name": "DF flag",
        "args": direct("--dst", "10.3.0.2", "--id", "7", "--df"),
        "expect": {"ip.flags.df": 1, "ip.flags.mf": 0, "ip.frag_offset": 0},
    },
    {
        "name": "first fragment (MF)",
        "args": direct("--dst", "10.3.0.2", "--id", "8", "--mf", "--data", "fragment-one"),
        # tshark leaves a fragment's TCP checksum unverified (status 2).
        "expect": {"ip.flags.mf": 1, "ip.flags.df": 0, "ip.frag_offset": 0,
                   "tcp.checksum.status": 2},
    },
    {
        "name": "forced bad TCP checksum",
        "args": direct("--dst", "10.3.0.2", "--id", "9", "--tcp-csum", "0xdead"),
        "expect": {"tcp.checksum": 0xDEAD, "tcp.checksum.status": 0, "ip.checksum.status": 1},
    },
    {
        "name": "forced bad IP checksum",
        "args": direct("--dst", "10.3.0.2", "--id", "10", "--ip-csum", "0xbeef"),
        "expect": {"ip.checksum": 0xBEEF, "ip.checksum.status": 0, "tcp.checksum.status": 1},
    },
    {
        "name": "hex payload",
        "args": direct("--dst", "10.3.0.2", "--id", "11", "--data-hex", "00 01 02 ff:fe"),
        "expect": {"tcp.payload": "00:01:02:ff:fe", "ip.len": 45},
    },
    {
        "name": "odd-length payload (checksum padding)",
        "args": direct("--dst", "10.3.0.2", "--id", "12", "--data", "x"),
        "expect": {"tcp.payload": "78", "ip.len": 41},
    },
    {
        "name": "empty payload",
        "args": direct("--dst", "10.3.0.2", "--id", "13"),
        "expect": {"ip.len": 40, "tcp.payload": None},
    },
    {
        "name": "MTU-sized payload from a file",
        "args": direct("--dst", "10.3.0.2", "--id", "14", "--data-file", "/tmp/e2e-1460"),
        "setup": ("/tmp/e2e-1460", bytes(range(256)) * 5 + bytes(range(180))),
        "expect": {"ip.len": 1500, "tcp.len": 1460},
    },
    # Refusals at the CLI: argument errors exit 2, kernel refusals exit 1.
    {"name": "CLI: TTL out of range", "args": ["--dst", "10.3.0.2", "--ttl", "256"], "refused": 2},
    {"name": "CLI: bad address", "args": ["--dst", "10.3.0.256"], "refused": 2},
    {"name": "CLI: bad flag letter", "args": ["--dst", "10.3.0.2", "--flags", "SX"], "refused": 2},
    {"name": "CLI: missing --dst", "args": ["--sport", "1"], "refused": 2},
    {"name": "CLI: unknown device", "args": ["--dst", "10.3.0.2", "--dev", "nosuch0"], "refused": 2},
    {"name": "kernel: payload over the MTU", "args": direct("--dst", "10.3.0.2", "--data-file", "/tmp/e2e-1461"),
     "setup": ("/tmp/e2e-1461", b"y" * 1461), "refused": 1},
    {"name": "kernel: unknown ifindex", "args": ["--dst", "10.3.0.2", "--ifindex", "4242"], "refused": 1},
]
