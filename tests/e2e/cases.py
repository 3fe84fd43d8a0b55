# SPDX-License-Identifier: GPL-2.0
"""The end-to-end case table.

Each case: "name", "args" (CLI arguments after `pktcraft send`), and either
"refused" (the CLI's expected exit status) or, for a packet that is sent:

  "expect"   {tshark field: value}; ints compare numerically, None = absent,
             ANY = not checked (e.g. a checksum status tshark cannot judge
             once a length lies). Checksum status "good" is expected unless
             a case overrides it (see "l4").
  "scapy"    a function returning the same packet described independently
             with scapy (host side only: call scapy_load() first). Fields are
             set from the request's meaning; what scapy leaves None (lengths,
             IHL, data offset, checksums) scapy computes itself. Its bytes,
             padded to the 60-byte Ethernet minimum, must equal the wire.
  "l4"       tcp (default), udp, icmp: that checksum must be good; anything
             else ("raw", "frag", "none"): only the IP checksum is judged.
  "warn"     the CLI must warn that the packet is deliberately malformed
             (and must not when this is false).
  "flagged"  the dump's "malformed" list, as layer.field names (default: []).
  "kernel_id" the kernel picks the IP ID: compare with ID and IP checksum
             masked.
  "check"    (wire, tshark fields) -> (ok, why), named by "check_name".
  "kind"     the layer 4 kind when the arguments do not say it with
             --udp/--icmp/--proto (hping3's letters): tcp, udp, icmp, raw.

Expectations are written from the request's meaning, never copied from
pktcraft's output.
"""
import socket

GUEST_IP = "10.1.0.2"        # tests/vm/guest-init gives eth0 this address
GUEST_MAC = "52:54:00:12:34:56"
GW_MAC = "52:54:00:00:00:01"  # static neighbour 10.1.0.1 (default route)
PEER_MAC = "02:00:00:00:00:02"
DST = "10.3.0.2"

SEED_DATA = "This is a message, is this hidden??"
MTU_DATA = bytes(range(256)) * 5 + bytes(range(180))     # 1460 bytes
UDP_MTU_DATA = bytes(range(256)) * 5 + bytes(range(192))  # 1472 bytes
ANY = object()               # expectation: present or not, not checked


def hexcolon(b):
    return ":".join("%02x" % x for x in b)


def direct(*extra):
    """Egress given explicitly: eth0 and a made-up peer MAC."""
    return ["--dev", "eth0", "--dst-mac", PEER_MAC] + list(extra)


def d(ip_id, *extra):
    """Direct egress to DST with a literal IP ID."""
    return direct("--dst", DST, "--id", str(ip_id), *extra)


# --------------------------------------------------------------- checksums
def ones_sum(data):
    """RFC 1071 one's complement sum of 16-bit big-endian words."""
    if len(data) % 2:
        data += b"\0"
    s = 0
    for i in range(0, len(data), 2):
        s += data[i] << 8 | data[i + 1]
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def udp_zero_payload(src, dst, sport, dport):
    """Two payload bytes that make a UDP checksum compute to 0: the one's
    complement of the sum of everything else (pseudo-header, header with a
    zero checksum). RFC 768 then sends 0xffff."""
    ulen = 8 + 2
    pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + bytes([0, 17]) + ulen.to_bytes(2, "big")
    hdr = sport.to_bytes(2, "big") + dport.to_bytes(2, "big") + ulen.to_bytes(2, "big") + b"\0\0"
    x = 0xFFFF - ones_sum(pseudo + hdr)
    return x.to_bytes(2, "big")


UDP_ZERO = udp_zero_payload(GUEST_IP, DST, 1000, 2000)


# ------------------------------------------------------------ scapy oracle
SCAPY_NAMES = ("Ether", "IP", "TCP", "UDP", "ICMP", "Raw", "IPOption", "IPOption_RR",
               "IPOption_NOP", "IPOption_EOL", "IPOption_Timestamp",
               "IPOption_Router_Alert")


# Filled by scapy_load().
Ether = IP = TCP = UDP = ICMP = Raw = IPOption = IPOption_RR = None
IPOption_NOP = IPOption_EOL = IPOption_Timestamp = IPOption_Router_Alert = None


def scapy_load():
    """Import scapy into this module (slow; the guest never needs it)."""
    import scapy.all as s
    g = globals()
    for n in SCAPY_NAMES:
        g[n] = getattr(s, n)


def eth(route=False, src=GUEST_MAC):
    """Route mode: the gateway's MAC; direct mode: the peer MAC given."""
    return Ether(dst=GW_MAC if route else PEER_MAC, src=src, type=0x0800)


def ip4(ip_id, **kw):
    """IPv4 with the CLI's documented defaults (TOS 0, TTL 64, no flags),
    the guest's own source address, and the given ID."""
    f = dict(version=4, tos=0, ttl=64, flags=0, frag=0, src=GUEST_IP, dst=DST, id=ip_id)
    f.update(kw)
    return IP(**f)


def tcp(**kw):
    """TCP with the CLI's defaults: 54321 -> 80, SYN, window 65535."""
    f = dict(sport=54321, dport=80, seq=0, ack=0, reserved=0, flags="S", window=65535, urgptr=0)
    f.update(kw)
    return TCP(**f)


def udp(**kw):
    f = dict(sport=54321, dport=80)
    f.update(kw)
    return UDP(**f)


def icmp(**kw):
    """ICMP, an echo request (type 8) unless told otherwise."""
    f = dict(type=8, code=0)
    f.update(kw)
    return ICMP(**f)


def raw(b):
    return Raw(load=b)


def bad_l4_csum(pkt, layer):
    """hping3 -b: the right checksum of layer, XOR 0x5555 (its cksum())."""
    right = Ether(bytes(pkt))[layer].chksum
    wrong = pkt.copy()
    wrong[layer].chksum = right ^ 0x5555
    return wrong


def direct_to(dst, *extra):
    """Egress given explicitly, the destination as the last argument (hping3)."""
    return ["--dev", "eth0", "--dst-mac", PEER_MAC] + list(extra) + [dst]


def lie_ip_len(pkt, n):
    """pkt with a lying IP total length n: pktcraft computes the layer 4
    checksum over the real length first, then writes the forced field and
    the IP checksum over the header as sent. scapy would take the lie into
    its pseudo-header, so let it build the honest packet, then lie."""
    honest = Ether(bytes(pkt))
    honest[IP].len = n
    honest[IP].chksum = None
    return honest


def rr(slots):
    """Record Route with empty slots, pointer at the first (RFC 791)."""
    return IPOption_RR(pointer=4, routers=["0.0.0.0"] * slots)


def ts(slots):
    """Timestamp option, timestamps only (flag 0), pointer at the first."""
    return IPOption(copy_flag=0, optclass=2, option=4,
                    value=bytes([5, 0]) + b"\0" * (4 * slots))


FLAG_NAMES = [("F", "fin", 0x01), ("S", "syn", 0x02), ("R", "reset", 0x04),
              ("P", "push", 0x08), ("A", "ack", 0x10), ("U", "urg", 0x20),
              ("E", "ece", 0x40), ("C", "cwr", 0x80)]


def one_flag_cases():
    """Every TCP flag alone (and NS/AE, bit 8)."""
    out = []
    for i, (letter, field, bit) in enumerate(FLAG_NAMES):
        exp = {"tcp.flags": bit, "tcp.flags.ae": 0}
        for _, other, obit in FLAG_NAMES:
            exp["tcp.flags." + other] = int(obit == bit)
        out.append({
            "name": "TCP flag %s alone" % field.upper(),
            "args": d(100 + i, "--flags", letter),
            "expect": exp,
            "scapy": lambda i=i, letter=letter: eth() / ip4(100 + i) / tcp(flags=letter),
        })
    exp = {"tcp.flags": 0x100, "tcp.flags.ae": 1}
    for _, other, _b in FLAG_NAMES:
        exp["tcp.flags." + other] = 0
    out.append({
        "name": "TCP flag NS/AE alone",
        "args": d(108, "--flags", "+N"),
        "expect": exp,
        "scapy": lambda: eth() / ip4(108) / tcp(flags="N"),
    })
    return out


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
        "scapy": lambda: eth(route=True) / ip4(12345) / tcp(dport=7777, seq=454, window=56535)
        / raw(SEED_DATA.encode()),
    },
    {
        "name": "explicit device and destination MAC",
        "args": direct("--dst", "10.9.8.7", "--id", "1", "--sport", "1", "--dport", "2"),
        "expect": {"eth.dst": PEER_MAC, "eth.src": GUEST_MAC, "ip.dst": "10.9.8.7",
                   "ip.src": GUEST_IP, "tcp.srcport": 1, "tcp.dstport": 2},
        "scapy": lambda: eth() / ip4(1, dst="10.9.8.7") / tcp(sport=1, dport=2),
    },
    {
        "name": "spoofed source MAC and address",
        "args": direct("--dst", "10.3.0.2", "--src", "192.0.2.77",
                       "--src-mac", "02:11:22:33:44:55", "--id", "2"),
        "expect": {"eth.src": "02:11:22:33:44:55", "ip.src": "192.0.2.77"},
        "scapy": lambda: eth(src="02:11:22:33:44:55") / ip4(2, src="192.0.2.77") / tcp(),
    },
    {
        "name": "kernel fills source, length and ID",
        "args": ["--dst", "10.3.0.2", "--data", "abc"],
        "kernel_id": True,
        "expect": {"ip.src": GUEST_IP, "ip.len": 43, "eth.dst": GW_MAC},
        "check_name": "IP ID was filled (non-zero)",
        "check": lambda wire, f: (wire[18:20] != b"\0\0", "ID is 0"),
        "scapy": lambda: eth(route=True) / ip4(0) / tcp() / raw(b"abc"),
    },
    {
        "name": "literal IP ID 0",
        "args": direct("--dst", "10.3.0.2", "--id", "0"),
        "expect": {"ip.id": 0},
        "scapy": lambda: eth() / ip4(0) / tcp(),
    },
    {
        "name": "literal source 0.0.0.0",
        "args": d(15, "--src", "0.0.0.0"),
        "expect": {"ip.src": "0.0.0.0"},
        "scapy": lambda: eth() / ip4(15, src="0.0.0.0") / tcp(),
    },
    {
        "name": "--dport alone keeps the default source port",
        "args": d(16, "--dport", "7777"),
        "expect": {"tcp.srcport": 54321, "tcp.dstport": 7777},
        "scapy": lambda: eth() / ip4(16) / tcp(dport=7777),
    },
    {
        "name": "all TCP flags including NS/AE",
        "args": direct("--dst", "10.3.0.2", "--id", "3", "--flags", "FSRPAUEC+N"),
        "expect": {"tcp.flags": 0x1FF, "tcp.flags.ae": 1, "tcp.flags.cwr": 1,
                   "tcp.flags.ece": 1, "tcp.flags.urg": 1, "tcp.flags.ack": 1,
                   "tcp.flags.push": 1, "tcp.flags.reset": 1, "tcp.flags.syn": 1,
                   "tcp.flags.fin": 1},
        "scapy": lambda: eth() / ip4(3) / tcp(flags="FSRPAUECN"),
    },
    {
        "name": "no TCP flags",
        "args": direct("--dst", "10.3.0.2", "--id", "4", "--flags", "."),
        "expect": {"tcp.flags": 0},
        "scapy": lambda: eth() / ip4(4) / tcp(flags=0),
    },
] + one_flag_cases() + [
    {
        "name": "numeric TCP flags 0x12 (SYN+ACK)",
        "args": direct("--dst", "10.3.0.2", "--id", "5", "--flags", "0x12", "--ack", "0xffffffff",
                       "--seq", "4294967295"),
        "expect": {"tcp.flags.syn": 1, "tcp.flags.ack": 1, "tcp.flags.fin": 0,
                   "tcp.ack_raw": 4294967295, "tcp.seq_raw": 4294967295},
        "scapy": lambda: eth() / ip4(5) / tcp(flags="SA", seq=0xFFFFFFFF, ack=0xFFFFFFFF),
    },
    {
        "name": "TOS, TTL, window, urgent pointer",
        "args": direct("--dst", "10.3.0.2", "--id", "6", "--tos", "0xb8", "--ttl", "1",
                       "--win", "0", "--urg", "0xbeef", "--flags", "AU"),
        "expect": {"ip.dsfield": 0xB8, "ip.dsfield.dscp": 46, "ip.ttl": 1,
                   "tcp.window_size_value": 0, "tcp.urgent_pointer": 0xBEEF,
                   "tcp.flags.urg": 1},
        "scapy": lambda: eth() / ip4(6, tos=0xB8, ttl=1) / tcp(window=0, urgptr=0xBEEF, flags="AU"),
    },
    {
        "name": "ECN CE, TTL 255",
        "args": d(17, "--tos", "3", "--ttl", "255"),
        "expect": {"ip.dsfield.ecn": 3, "ip.dsfield.dscp": 0, "ip.ttl": 255},
        "scapy": lambda: eth() / ip4(17, tos=3, ttl=255) / tcp(),
    },
    # ------------------------------------------------------------ fragments
    {
        "name": "DF flag",
        "args": direct("--dst", "10.3.0.2", "--id", "7", "--df"),
        "expect": {"ip.flags.df": 1, "ip.flags.mf": 0, "ip.frag_offset": 0},
        "scapy": lambda: eth() / ip4(7, flags="DF") / tcp(),
    },
    {
        "name": "first fragment (MF)",
        "args": direct("--dst", "10.3.0.2", "--id", "8", "--mf", "--data", "fragment-one"),
        # tshark leaves a fragment's TCP checksum unverified (status 2).
        "expect": {"ip.flags.mf": 1, "ip.flags.df": 0, "ip.frag_offset": 0,
                   "tcp.checksum.status": 2},
        "scapy": lambda: eth() / ip4(8, flags="MF") / tcp() / raw(b"fragment-one"),
    },
    {
        "name": "middle fragment (MF, offset 185 = 1480 bytes)",
        "args": d(18, "--mf", "--frag-off", "185", "--data", "middle"),
        "l4": "frag",
        # A non-first fragment is data to a receiver: no TCP layer.
        "expect": {"ip.flags.mf": 1, "ip.frag_offset": 185, "tcp.srcport": None,
                   "ip.len": 20 + 20 + 6},
        "scapy": lambda: eth() / ip4(18, flags="MF", frag=185) / tcp() / raw(b"middle"),
    },
    {
        "name": "last fragment (offset 370, no MF)",
        "args": d(19, "--frag-off", "370", "--data", "last"),
        "l4": "frag",
        "expect": {"ip.flags.mf": 0, "ip.flags.df": 0, "ip.frag_offset": 370, "tcp.srcport": None},
        "scapy": lambda: eth() / ip4(19, frag=370) / tcp() / raw(b"last"),
    },
    {
        "name": "largest fragment offset 8191 with DF",
        "args": d(20, "--df", "--frag-off", "8191"),
        "l4": "frag",
        "expect": {"ip.flags.df": 1, "ip.flags.mf": 0, "ip.frag_offset": 8191},
        "scapy": lambda: eth() / ip4(20, flags="DF", frag=8191) / tcp(),
    },
    {
        "name": "UDP first fragment (MF)",
        "args": d(21, "--udp", "--mf", "--data", "frag"),
        "expect": {"ip.flags.mf": 1, "ip.proto": 17, "udp.checksum.status": ANY},
        "l4": "udp",
        "scapy": lambda: eth() / ip4(21, flags="MF") / udp() / raw(b"frag"),
    },
    # ---------------------------------------------------------- payloads
    {
        "name": "hex payload",
        "args": direct("--dst", "10.3.0.2", "--id", "11", "--data-hex", "00 01 02 ff:fe"),
        "expect": {"tcp.payload": "00:01:02:ff:fe", "ip.len": 45},
        "scapy": lambda: eth() / ip4(11) / tcp() / raw(bytes([0, 1, 2, 0xFF, 0xFE])),
    },
    {
        "name": "odd-length payload (checksum padding)",
        "args": direct("--dst", "10.3.0.2", "--id", "12", "--data", "x"),
        "expect": {"tcp.payload": "78", "ip.len": 41},
        "scapy": lambda: eth() / ip4(12) / tcp() / raw(b"x"),
    },
    {
        "name": "empty payload",
        "args": direct("--dst", "10.3.0.2", "--id", "13"),
        "expect": {"ip.len": 40, "tcp.payload": None},
        "scapy": lambda: eth() / ip4(13) / tcp(),
    },
    {
        "name": "MTU-sized payload from a file",
        "args": direct("--dst", "10.3.0.2", "--id", "14", "--data-file", "/tmp/e2e-1460"),
        "setup": ("/tmp/e2e-1460", MTU_DATA),
        "expect": {"ip.len": 1500, "tcp.len": 1460},
        "scapy": lambda: eth() / ip4(14) / tcp() / raw(MTU_DATA),
    },
    # ------------------------------------------------------- TCP options
    {
        "name": "TCP option MSS",
        "args": d(200, "--tcp-opt", "mss=1460"),
        "expect": {"tcp.hdr_len": 24, "tcp.option_kind": 2, "tcp.options.mss_val": 1460},
        "scapy": lambda: eth() / ip4(200) / tcp(options=[("MSS", 1460)]),
    },
    {
        "name": "TCP option window scale (1 byte of padding)",
        "args": d(201, "--tcp-opt", "wscale=14"),
        "expect": {"tcp.hdr_len": 24, "tcp.options.wscale.shift": 14, "tcp.options.eol": "00"},
        "scapy": lambda: eth() / ip4(201) / tcp(options=[("WScale", 14)]),
    },
    {
        "name": "TCP option SACK permitted (2 bytes of padding)",
        "args": d(202, "--tcp-opt", "sackok"),
        "expect": {"tcp.hdr_len": 24, "tcp.option_kind": 4, "tcp.options.sack_perm": "04:02"},
        "scapy": lambda: eth() / ip4(202) / tcp(options=[("SAckOK", b"")]),
    },
    {
        "name": "TCP option timestamps",
        "args": d(203, "--tcp-opt", "ts=123456789:4294967295", "--flags", "A"),
        "expect": {"tcp.hdr_len": 32, "tcp.options.timestamp.tsval": 123456789,
                   "tcp.options.timestamp.tsecr": 4294967295},
        "scapy": lambda: eth() / ip4(203) / tcp(flags="A", options=[("Timestamp", (123456789, 4294967295))]),
    },
    {
        "name": "TCP option SACK, one block",
        "args": d(204, "--tcp-opt", "sack=1000-2000", "--flags", "A"),
        "expect": {"tcp.hdr_len": 32, "tcp.options.sack_le": 1000, "tcp.options.sack_re": 2000,
                   "tcp.options.sack.count": 1},
        "scapy": lambda: eth() / ip4(204) / tcp(flags="A", options=[("SAck", (1000, 2000))]),
    },
    {
        "name": "TCP option SACK, four blocks",
        "args": d(205, "--tcp-opt", "sack=1-2:3-4:5-6:7-8", "--flags", "A"),
        "expect": {"tcp.hdr_len": 56, "tcp.options.sack.count": 4, "tcp.options.sack_re": 8},
        "scapy": lambda: eth() / ip4(205) / tcp(flags="A", options=[("SAck", (1, 2, 3, 4, 5, 6, 7, 8))]),
    },
    {
        "name": "TCP option NOP (3 bytes of EOL padding)",
        "args": d(206, "--tcp-opt", "nop"),
        "expect": {"tcp.hdr_len": 24, "tcp.options": "01:00:00:00"},
        "scapy": lambda: eth() / ip4(206) / tcp(options=[("NOP", None)]),
    },
    {
        "name": "TCP option EOL",
        "args": d(207, "--tcp-opt", "eol"),
        "expect": {"tcp.hdr_len": 24, "tcp.options": "00:00:00:00"},
        "scapy": lambda: eth() / ip4(207) / tcp(options=[("EOL", None)]),
    },
    {
        "name": "TCP option raw (experimental kind 254)",
        "args": d(208, "--tcp-opt", "raw=fe06abcd0102"),
        "expect": {"tcp.hdr_len": 28, "tcp.option_kind": 254, "tcp.option_len": 6},
        "scapy": lambda: eth() / ip4(208) / tcp(options=[(254, b"\xab\xcd\x01\x02")]),
    },
    {
        "name": "TCP options of a Linux SYN (20 bytes, no padding)",
        "args": d(209, "--tcp-opt", "mss=1460,sackok,ts=1:0,nop,wscale=7"),
        "expect": {"tcp.hdr_len": 40, "tcp.options.mss_val": 1460, "tcp.options.wscale.shift": 7,
                   "tcp.options.timestamp.tsval": 1, "tcp.options.sack_perm": "04:02"},
        "scapy": lambda: eth() / ip4(209) / tcp(options=[("MSS", 1460), ("SAckOK", b""),
                                                         ("Timestamp", (1, 0)), ("NOP", None),
                                                         ("WScale", 7)]),
    },
    {
        "name": "TCP options of exactly 40 bytes",
        "args": d(210, "--tcp-opt", "mss=536,nop,wscale=0,nop,nop,ts=5:6,nop,nop,sack=1-2:3-4",
                  "--flags", "A", "--data", "after40"),
        "expect": {"tcp.hdr_len": 60, "tcp.options.mss_val": 536, "tcp.options.sack.count": 2,
                   "tcp.payload": hexcolon(b"after40")},
        "scapy": lambda: eth() / ip4(210) / tcp(flags="A", options=[
            ("MSS", 536), ("NOP", None), ("WScale", 0), ("NOP", None), ("NOP", None),
            ("Timestamp", (5, 6)), ("NOP", None), ("NOP", None), ("SAck", (1, 2, 3, 4))])
        / raw(b"after40"),
    },
    {
        "name": "TCP options: 40 raw bytes",
        "args": d(211, "--tcp-opt", "raw=" + "01" * 36 + "02040200"),
        "expect": {"tcp.hdr_len": 60, "tcp.options.mss_val": 512},
        "scapy": lambda: eth() / ip4(211) / tcp(options=[("NOP", None)] * 36 + [("MSS", 512)]),
    },
    {
        "name": "TCP options after EOL, with payload",
        "args": d(212, "--tcp-opt", "mss=1400,eol,raw=0a0b", "--data", "p"),
        "expect": {"tcp.hdr_len": 28, "tcp.options.mss_val": 1400, "tcp.payload": "70"},
        # A 28-byte header: MSS, then EOL, 0a 0b after it, one byte of padding.
        "scapy": lambda: eth() / ip4(212) / tcp(dataofs=7, options=[("MSS", 1400)])
        / raw(b"\x00\x0a\x0b\x00" + b"p"),
    },
    # -------------------------------------------------------- IP options
    {
        "name": "IP option Record Route, 9 slots (39 bytes + 1 EOL)",
        "args": d(300, "--ip-opt", "rr"),
        "expect": {"ip.hdr_len": 60, "ip.opt.type": 7, "ip.opt.len": 39, "ip.opt.ptr": 4},
        "scapy": lambda: eth() / ip4(300, options=[rr(9)]) / tcp(),
    },
    {
        "name": "IP option Record Route, 1 slot",
        "args": d(301, "--ip-opt", "rr=1"),
        "expect": {"ip.hdr_len": 28, "ip.opt.type": 7, "ip.opt.len": 7},
        "scapy": lambda: eth() / ip4(301, options=[rr(1)]) / tcp(),
    },
    {
        "name": "IP option Timestamp, 1 slot",
        "args": d(302, "--ip-opt", "ts=1"),
        "expect": {"ip.hdr_len": 28, "ip.opt.type": 68, "ip.opt.len": 8, "ip.opt.ptr": 5,
                   "ip.opt.flag": 0},
        "scapy": lambda: eth() / ip4(302, options=[
            IPOption_Timestamp(length=8, pointer=5, oflw=0, flg=0, timestamp=0)]) / tcp(),
    },
    {
        "name": "IP option Timestamp, 9 slots (exactly 40 bytes)",
        "args": d(303, "--ip-opt", "ts"),
        "expect": {"ip.hdr_len": 60, "ip.opt.type": 68, "ip.opt.len": 40},
        "scapy": lambda: eth() / ip4(303, options=[ts(9)]) / tcp(),
    },
    {
        "name": "IP option NOP (3 bytes of EOL padding)",
        "args": d(304, "--ip-opt", "nop"),
        "expect": {"ip.hdr_len": 24, "ip.opt.type": 1},
        "scapy": lambda: eth() / ip4(304, options=[IPOption_NOP()]) / tcp(),
    },
    {
        "name": "IP option EOL",
        "args": d(305, "--ip-opt", "eol"),
        "expect": {"ip.hdr_len": 24, "ip.opt.type": 0},
        "scapy": lambda: eth() / ip4(305, options=[IPOption_EOL()]) / tcp(),
    },
    {
        "name": "IP option raw (Router Alert)",
        "args": d(306, "--ip-opt", "raw=94040000"),
        "expect": {"ip.hdr_len": 24, "ip.opt.type": 148, "ip.opt.ra": 0},
        "scapy": lambda: eth() / ip4(306, options=[IPOption_Router_Alert(alert=0)]) / tcp(),
    },
    {
        "name": "IP options combined with padding (rr, nop, ts, raw, eol)",
        "args": d(307, "--ip-opt", "rr=2,nop,ts=3,raw=94040000,eol"),
        "expect": {"ip.hdr_len": 56, "ip.opt.type": 148},
        "scapy": lambda: eth() / ip4(307, options=[rr(2), IPOption_NOP(), ts(3),
                                                    IPOption_Router_Alert(), IPOption_EOL()]) / tcp(),
    },
    {
        "name": "40 bytes of IP options and 40 of TCP options",
        "args": d(308, "--ip-opt", "rr=9", "--tcp-opt", "raw=" + "01" * 38 + ",eol,eol",
                  "--data", "max"),
        "expect": {"ip.hdr_len": 60, "tcp.hdr_len": 60, "ip.len": 123},
        "scapy": lambda: eth() / ip4(308, options=[rr(9)]) / tcp(options=[("NOP", None)] * 38 + [("EOL", None)] * 2)
        / raw(b"max"),
    },
    {
        "name": "IP options on UDP",
        "args": d(309, "--udp", "--ip-opt", "rr=1", "--data", "u"),
        "l4": "udp",
        "expect": {"ip.hdr_len": 28, "udp.length": 9},
        "scapy": lambda: eth() / ip4(309, options=[rr(1)]) / udp() / raw(b"u"),
    },
    {
        "name": "IP options on ICMP",
        "args": d(310, "--icmp", "--ip-opt", "ts=2", "--icmp-id", "3"),
        "l4": "icmp",
        "expect": {"ip.hdr_len": 32, "icmp.type": 8, "icmp.ident": 3},
        "scapy": lambda: eth() / ip4(310, options=[ts(2)]) / icmp(id=3, seq=0),
    },
    # ---------------------------------------------------------------- UDP
    {
        "name": "UDP datagram",
        "args": d(400, "--udp", "--sport", "5353", "--dport", "53", "--data", "query"),
        "l4": "udp",
        "expect": {"ip.proto": 17, "udp.srcport": 5353, "udp.dstport": 53, "udp.length": 13},
        "scapy": lambda: eth() / ip4(400) / udp(sport=5353, dport=53) / raw(b"query"),
    },
    {
        "name": "UDP checksum computing to 0 is sent as 0xffff",
        "args": d(401, "--udp", "--sport", "1000", "--dport", "2000", "--data-hex", UDP_ZERO.hex()),
        "l4": "udp",
        "expect": {"udp.checksum": 0xFFFF, "udp.length": 10},
        "scapy": lambda: eth() / ip4(401) / udp(sport=1000, dport=2000) / raw(UDP_ZERO),
    },
    {
        "name": "UDP empty payload, ports 0 and 65535",
        "args": d(402, "--udp", "--sport", "0", "--dport", "65535"),
        "l4": "udp",
        "expect": {"udp.length": 8, "udp.srcport": 0, "udp.dstport": 65535},
        "scapy": lambda: eth() / ip4(402) / udp(sport=0, dport=65535),
    },
    {
        "name": "UDP MTU-sized payload",
        "args": d(403, "--udp", "--data-file", "/tmp/e2e-1472"),
        "setup": ("/tmp/e2e-1472", UDP_MTU_DATA),
        "l4": "udp",
        "expect": {"ip.len": 1500, "udp.length": 1480},
        "scapy": lambda: eth() / ip4(403) / udp() / raw(UDP_MTU_DATA),
    },
    # --------------------------------------------------------------- ICMP
    {
        "name": "ICMP echo request by default",
        "args": d(500, "--icmp"),
        "l4": "icmp",
        "expect": {"ip.proto": 1, "icmp.type": 8, "icmp.code": 0, "icmp.ident": 0, "icmp.seq": 0},
        "scapy": lambda: eth() / ip4(500) / icmp(id=0, seq=0),
    },
    {
        "name": "ICMP echo request with id, seq and payload",
        "args": d(501, "--icmp", "--icmp-id", "0x1234", "--icmp-seq", "7", "--data", "ping"),
        "l4": "icmp",
        "expect": {"icmp.type": 8, "icmp.ident": 0x1234, "icmp.seq": 7, "data.data": hexcolon(b"ping")},
        "scapy": lambda: eth() / ip4(501) / icmp(id=0x1234, seq=7) / raw(b"ping"),
    },
    {
        "name": "ICMP echo reply",
        "args": d(502, "--icmp", "--icmp-type", "0", "--icmp-id", "9", "--icmp-seq", "65535"),
        "l4": "icmp",
        "expect": {"icmp.type": 0, "icmp.ident": 9, "icmp.seq": 65535},
        "scapy": lambda: eth() / ip4(502) / icmp(type=0, id=9, seq=65535),
    },
    {
        "name": "ICMP fragmentation needed, next-hop MTU 1400",
        # RFC 1191: bytes 6-7 of the header carry the MTU (--icmp-seq).
        "args": d(503, "--icmp", "--icmp-type", "3", "--icmp-code", "4", "--icmp-seq", "1400",
                  "--data-hex", "4500001c000100004011" + "0000" + "0a0300020a010002" + "0035003500080000"),
        "l4": "icmp",
        "expect": {"icmp.type": 3, "icmp.code": 4, "icmp.mtu": 1400},
        "scapy": lambda: eth() / ip4(503) / icmp(type=3, code=4, nexthopmtu=1400) / raw(bytes.fromhex(
            "4500001c000100004011" + "0000" + "0a0300020a010002" + "0035003500080000")),
    },
    {
        "name": "ICMP time exceeded",
        "args": d(504, "--icmp", "--icmp-type", "11", "--icmp-code", "1", "--data", "orig"),
        "l4": "icmp",
        "expect": {"icmp.type": 11, "icmp.code": 1},
        "scapy": lambda: eth() / ip4(504) / icmp(type=11, code=1) / raw(b"orig"),
    },
    {
        "name": "ICMP timestamp request",
        "args": d(505, "--icmp", "--icmp-type", "13", "--icmp-id", "1", "--icmp-seq", "2",
                  "--data-hex", "05265c00" + "00000000" + "00000000"),
        "l4": "icmp",
        "expect": {"icmp.type": 13, "icmp.ident": 1, "icmp.seq": 2},
        "scapy": lambda: eth() / ip4(505) / icmp(type=13, id=1, seq=2, ts_ori=86400000, ts_rx=0, ts_tx=0),
    },
    # ------------------------------------------------------ opaque payloads
    {
        "name": "opaque protocol 47 (GRE)",
        # GRE header, no flags, protocol 0x88b5 (local experimental), 2 bytes.
        "args": d(600, "--proto", "47", "--data-hex", "000088b5" + "abcd"),
        "l4": "raw",
        "expect": {"ip.proto": 47, "ip.len": 26, "gre.proto": 0x88B5},
        "scapy": lambda: eth() / ip4(600, proto=47) / raw(bytes.fromhex("000088b5abcd")),
    },
    {
        "name": "opaque protocol 132 (SCTP)",
        "args": d(601, "--proto", "132", "--data-hex", "0bb80bb9" + "00000000" + "00000000"),
        "l4": "raw",
        "expect": {"ip.proto": 132, "sctp.srcport": 3000, "sctp.dstport": 3001},
        "scapy": lambda: eth() / ip4(601, proto=132) / raw(bytes.fromhex("0bb80bb90000000000000000")),
    },
    {
        "name": "opaque protocol 253 (experimental), empty payload",
        "args": d(602, "--proto", "253"),
        "l4": "raw",
        "expect": {"ip.proto": 253, "ip.len": 20},
        "scapy": lambda: eth() / ip4(602, proto=253),
    },
    {
        "name": "opaque protocol 0",
        "args": d(603, "--proto", "0", "--data-hex", "3b00000000000000"),
        "l4": "raw",
        "warn": True,
        "expect": {"ip.proto": 0, "ip.len": 28},
        "scapy": lambda: eth() / ip4(603, proto=0) / raw(bytes.fromhex("3b00000000000000")),
    },
    {
        "name": "opaque protocol 255",
        "args": d(604, "--proto", "255", "--data", "reserved"),
        "l4": "raw",
        "warn": True,
        "expect": {"ip.proto": 255},
        "scapy": lambda: eth() / ip4(604, proto=255) / raw(b"reserved"),
    },
    {
        "name": "opaque payload as protocol 6 (hand-made TCP header)",
        # sport 1, dport 2, doff 5, SYN, checksum 0 (wrong): all in the bytes.
        "args": d(605, "--proto", "6", "--data-hex", "00010002" + "00" * 8 + "5002" + "0400" + "0000" + "0000"),
        "l4": "none",
        "warn": True,
        "expect": {"ip.proto": 6, "tcp.srcport": 1, "tcp.dstport": 2, "tcp.checksum": 0,
                   "tcp.checksum.status": 0},
        "scapy": lambda: eth() / ip4(605) / tcp(sport=1, dport=2, window=1024, chksum=0),
    },
    # ------------------------------------------------------ malformations
    {
        "name": "forced bad TCP checksum",
        "args": direct("--dst", "10.3.0.2", "--id", "9", "--tcp-csum", "0xdead"),
        "warn": True, "flagged": ["tcp.checksum"],
        "expect": {"tcp.checksum": 0xDEAD, "tcp.checksum.status": 0, "ip.checksum.status": 1},
        "scapy": lambda: eth() / ip4(9) / tcp(chksum=0xDEAD),
    },
    {
        "name": "forced bad IP checksum",
        "args": direct("--dst", "10.3.0.2", "--id", "10", "--ip-csum", "0xbeef"),
        "warn": True, "flagged": ["ip.checksum"],
        "expect": {"ip.checksum": 0xBEEF, "ip.checksum.status": 0, "tcp.checksum.status": 1},
        "scapy": lambda: eth() / ip4(10, chksum=0xBEEF) / tcp(),
    },
    {
        "name": "forced bad UDP checksum",
        "args": d(700, "--udp", "--l4-csum", "0x1234", "--data", "u"),
        "l4": "udp", "warn": True, "flagged": ["udp.checksum"],
        "expect": {"udp.checksum": 0x1234, "udp.checksum.status": 0},
        "scapy": lambda: eth() / ip4(700) / udp(chksum=0x1234) / raw(b"u"),
    },
    {
        "name": "forced UDP checksum 0 (none)",
        "args": d(701, "--udp", "--l4-csum", "0", "--data", "u"),
        "l4": "none", "warn": True,
        "expect": {"udp.checksum": 0, "udp.checksum.status": ANY},
        "scapy": lambda: eth() / ip4(701) / udp(chksum=0) / raw(b"u"),
    },
    {
        "name": "forced bad ICMP checksum",
        "args": d(702, "--icmp", "--l4-csum", "0xffff"),
        "l4": "icmp", "warn": True, "flagged": ["icmp.checksum"],
        "expect": {"icmp.checksum": 0xFFFF, "icmp.checksum.status": 0},
        "scapy": lambda: eth() / ip4(702) / icmp(id=0, seq=0, chksum=0xFFFF),
    },
    {
        "name": "forced IP total length larger than the packet",
        "args": d(703, "--ip-len", "99"),
        "l4": "none", "warn": True, "flagged": ["ip.total_length"],
        "expect": {"ip.len": 99, "ip.checksum.status": 1},
        "scapy": lambda: lie_ip_len(eth() / ip4(703) / tcp(), 99),
    },
    {
        "name": "forced IP total length smaller than the packet",
        "args": d(704, "--ip-len", "30", "--data", "0123456789"),
        "l4": "none", "warn": True, "flagged": ["ip.total_length"],
        "expect": {"ip.len": 30, "ip.checksum.status": 1},
        "scapy": lambda: lie_ip_len(eth() / ip4(704) / tcp() / raw(b"0123456789"), 30),
    },
    {
        "name": "forced IHL 7 on a 5-word header",
        "args": d(705, "--ihl", "7"),
        "l4": "none", "warn": True, "flagged": ["ip.ihl"],
        # The checksum covers the real 20 bytes; tshark sums 28: not judged.
        "expect": {"ip.hdr_len": 28, "ip.len": 40, "ip.checksum.status": ANY},
        "scapy": lambda: eth() / ip4(705, ihl=7) / tcp(),
    },
    {
        "name": "forced IHL 5 on a header with options",
        "args": d(706, "--ihl", "5", "--ip-opt", "rr=1"),
        "l4": "none", "warn": True, "flagged": ["ip.ihl"],
        "expect": {"ip.hdr_len": 20, "ip.len": 48, "ip.checksum.status": ANY},
        "scapy": lambda: eth() / ip4(706, ihl=5, options=[rr(1)]) / tcp(),
    },
    {
        "name": "forced IHL 3, below the minimum",
        "args": d(707, "--ihl", "3"),
        "l4": "none", "warn": True, "flagged": ["ip.ihl"],
        "expect": {"ip.checksum.status": ANY},
        "check_name": "the wire's first IP byte is 0x43",
        "check": lambda wire, f: (wire[14] == 0x43, "byte 0x%02x" % wire[14]),
        "scapy": lambda: eth() / ip4(707, ihl=3) / tcp(),
    },
    {
        "name": "forced data offset 3, below the minimum",
        "args": d(708, "--doff", "3"),
        "l4": "none", "warn": True, "flagged": ["tcp.doff"],
        "expect": {"tcp.hdr_len": 12},
        "scapy": lambda: eth() / ip4(708) / tcp(dataofs=3),
    },
    {
        "name": "forced data offset 8 over payload",
        "args": d(709, "--doff", "8", "--data", "0123456789abcdef"),
        "warn": True, "flagged": ["tcp.doff"],
        # The checksum covers the real segment, so it stays good.
        "expect": {"tcp.hdr_len": 32, "tcp.payload": hexcolon(b"cdef")},
        "scapy": lambda: eth() / ip4(709) / tcp(dataofs=8) / raw(b"0123456789abcdef"),
    },
    {
        "name": "TCP reserved bits set",
        "args": d(710, "--tcp-res", "7"),
        "warn": True, "flagged": ["tcp.reserved"],
        "expect": {"tcp.flags": 0xE02, "tcp.flags.res": 1},
        "scapy": lambda: eth() / ip4(710) / tcp(reserved=7),
    },
    {
        "name": "IP reserved flag (evil bit)",
        "args": d(711, "--rf"),
        "warn": True, "flagged": ["ip.frag"],
        "expect": {"ip.flags.rb": 1, "ip.flags.df": 0, "ip.flags.mf": 0},
        "scapy": lambda: eth() / ip4(711, flags="evil") / tcp(),
    },
    {
        "name": "IP version 6 in an IPv4 frame",
        "args": d(712, "--ip-version", "6"),
        "l4": "none", "warn": True, "flagged": ["ip.version"],
        "expect": {"ip.version": 6, "ip.checksum.status": ANY},
        "scapy": lambda: eth() / ip4(712, version=6) / tcp(),
    },
    {
        "name": "forced UDP length larger than the datagram",
        "args": d(713, "--udp", "--udp-len", "100", "--data", "x"),
        "l4": "none", "warn": True, "flagged": ["udp.length"],
        "expect": {"udp.length": 100},
        "scapy": lambda: eth() / ip4(713) / udp(len=100) / raw(b"x"),
    },
    {
        "name": "forced UDP length below the header",
        "args": d(714, "--udp", "--udp-len", "3", "--data", "x"),
        "l4": "none", "warn": True, "flagged": ["udp.length"],
        "expect": {"udp.length": 3},
        "scapy": lambda: eth() / ip4(714) / udp(len=3) / raw(b"x"),
    },
    {
        "name": "malformed raw TCP option (length overruns)",
        "args": d(715, "--tcp-opt", "raw=0705"),
        "warn": True, "flagged": ["tcp.options"],
        "expect": {"tcp.hdr_len": 24},
        # 24-byte header whose options are 07 05 00 00.
        "scapy": lambda: eth() / ip4(715) / tcp(dataofs=6) / raw(b"\x07\x05\x00\x00"),
    },
    {
        "name": "malformed raw IP option (length below 2)",
        "args": d(716, "--ip-opt", "raw=4401"),
        "l4": "none", "warn": True, "flagged": ["ip.options"],
        "expect": {"ip.hdr_len": 24, "ip.checksum.status": ANY},
        # Timestamp claiming a length of 1, then 2 bytes of padding.
        "scapy": lambda: eth() / ip4(716, options=[IPOption(copy_flag=0, optclass=2, option=4,
                                                             length=1, value=b"")]) / tcp(),
    },
    {
        "name": "every malformation at once",
        "args": d(717, "--ihl", "7", "--doff", "3", "--ip-len", "99", "--ip-csum", "0x1111",
                  "--tcp-csum", "0x2222", "--tcp-res", "5", "--rf"),
        "l4": "none", "warn": True,
        "flagged": ["ip.ihl", "ip.total_length", "ip.frag", "ip.checksum", "tcp.doff",
                    "tcp.reserved", "tcp.checksum"],
        "expect": {"ip.hdr_len": 28, "ip.len": 99, "ip.checksum": 0x1111, "ip.flags.rb": 1,
                   "ip.checksum.status": 0},
        "scapy": lambda: eth() / ip4(717, ihl=7, len=99, chksum=0x1111, flags="evil")
        / tcp(dataofs=3, reserved=5, chksum=0x2222),
    },
    # ----------------------------------------------- hping3 and nping dialect
    # Written from hping3(8) and nping(1): the same letters, the same fields.
    {
        "name": "hping3: -S -A -s -p -M -L -w -t -N -o -y, destination last",
        "args": direct_to(DST, "-S", "-A", "-s", "4000", "-p", "8080", "-M", "100", "-L", "200",
                          "-w", "512", "-t", "33", "-N", "800", "-o", "10", "-y"),
        "expect": {"tcp.flags": 0x012, "tcp.srcport": 4000, "tcp.dstport": 8080, "tcp.seq_raw": 100,
                   "tcp.ack_raw": 200, "tcp.window_size_value": 512, "ip.ttl": 33, "ip.id": 800,
                   "ip.dsfield": 0x10, "ip.flags.df": 1, "ip.dst": DST},
        "scapy": lambda: eth() / ip4(800, tos=0x10, ttl=33, flags="DF")
        / tcp(sport=4000, dport=8080, seq=100, ack=200, window=512, flags="SA"),
    },
    {
        "name": "hping3: -F -R -P -U -X -Y add up from no flags (X is 0x40, Y 0x80)",
        "args": direct_to(DST, "-FRPUXY", "-N", "801"),
        "expect": {"tcp.flags": 0x0ED, "tcp.flags.syn": 0, "tcp.flags.ack": 0},
        "scapy": lambda: eth() / ip4(801) / tcp(flags="FRPUEC"),
    },
    {
        "name": "hping3: -2 UDP, -d 10 fills 10 'X' bytes",
        "args": direct_to(DST, "-2", "-s", "5353", "-p", "53", "-d", "10", "-N", "802"),
        "kind": "udp", "l4": "udp",
        "expect": {"ip.proto": 17, "udp.srcport": 5353, "udp.dstport": 53, "udp.length": 18},
        "scapy": lambda: eth() / ip4(802) / udp(sport=5353, dport=53) / raw(b"X" * 10),
    },
    {
        "name": "hping3: -C 3 -K 4 imply ICMP; -E file padded with zeros to -d",
        "args": direct_to(DST, "-C", "3", "-K", "4", "-E", "/tmp/e2e-hping", "-d", "12", "-N", "803"),
        "setup": ("/tmp/e2e-hping", b"abc"),
        "kind": "icmp", "l4": "icmp",
        "expect": {"ip.proto": 1, "icmp.type": 3, "icmp.code": 4},
        "scapy": lambda: eth() / ip4(803) / icmp(type=3, code=4) / raw(b"abc" + b"\0" * 9),
    },
    {
        "name": "hping3: -0 -H 47 raw IP",
        "args": direct_to(DST, "-0", "-H", "47", "--data-hex", "000088b5abcd", "-N", "804"),
        "kind": "raw", "l4": "raw",
        "expect": {"ip.proto": 47, "ip.len": 26, "gre.proto": 0x88B5},
        "scapy": lambda: eth() / ip4(804, proto=47) / raw(bytes.fromhex("000088b5abcd")),
    },
    {
        "name": "hping3: -x -g 1480 (MF, offset in bytes: 185 units)",
        "args": direct_to(DST, "-x", "-g", "1480", "--data", "middle", "-N", "805"),
        "l4": "frag",
        "expect": {"ip.flags.mf": 1, "ip.frag_offset": 185, "tcp.srcport": None},
        "scapy": lambda: eth() / ip4(805, flags="MF", frag=185) / tcp() / raw(b"middle"),
    },
    {
        "name": "hping3: -b sends the right TCP checksum XOR 0x5555",
        "args": direct_to(DST, "-b", "-N", "806"),
        "warn": True, "flagged": ["tcp.checksum"],
        "expect": {"tcp.checksum.status": 0, "ip.checksum.status": 1},
        "scapy": lambda: bad_l4_csum(eth() / ip4(806) / tcp(), TCP),
    },
    {
        "name": "hping3: -2 -b sends the right UDP checksum XOR 0x5555",
        "args": direct_to(DST, "-2", "-b", "--data", "u", "-N", "807"),
        "kind": "udp", "l4": "none", "warn": True, "flagged": ["udp.checksum"],
        "expect": {"udp.checksum.status": 0},
        "scapy": lambda: bad_l4_csum(eth() / ip4(807) / udp() / raw(b"u"), UDP),
    },
    {
        "name": "hping3: -a with a host name (localhost) as the source",
        "args": direct_to(DST, "-a", "localhost", "-N", "808"),
        "expect": {"ip.src": "127.0.0.1"},
        "scapy": lambda: eth() / ip4(808, src="127.0.0.1") / tcp(),
    },
    {
        "name": "a host name as the destination (the last argument)",
        "args": direct_to("localhost", "--src", GUEST_IP, "-N", "809"),
        "expect": {"ip.dst": "127.0.0.1"},
        "scapy": lambda: eth() / ip4(809, dst="127.0.0.1") / tcp(),
    },
    {
        "name": "nping: --flags syn,ack,psh, --source-port, --dest-port, --dest-ip, --data-string",
        "args": ["--dev", "eth0", "--dest-mac", PEER_MAC, "--dest-ip", DST, "--flags", "syn,ack,psh",
                 "--source-port", "1111", "--dest-port", "2222", "--data-string", "nping", "--id", "810"],
        "expect": {"tcp.flags": 0x01A, "tcp.srcport": 1111, "tcp.dstport": 2222,
                   "tcp.payload": hexcolon(b"nping")},
        "scapy": lambda: eth() / ip4(810) / tcp(sport=1111, dport=2222, flags="SAP") / raw(b"nping"),
    },
    {
        "name": "--data-length cuts --data to its length",
        "args": d(811, "--data", "0123456789", "-d", "4"),
        "expect": {"tcp.payload": hexcolon(b"0123"), "ip.len": 44},
        "scapy": lambda: eth() / ip4(811) / tcp() / raw(b"0123"),
    },
    # Refusals at the CLI: argument errors exit 2, kernel refusals exit 1.
    {"name": "CLI: TTL out of range", "args": ["--dst", "10.3.0.2", "--ttl", "256"], "refused": 2},
    {"name": "CLI: bad address", "args": ["--dst", "10.3.0.256"], "refused": 2},
    {"name": "CLI: bad flag letter", "args": ["--dst", "10.3.0.2", "--flags", "SX"], "refused": 2},
    {"name": "CLI: missing --dst", "args": ["--sport", "1"], "refused": 2},
    {"name": "CLI: unknown device", "args": ["--dst", "10.3.0.2", "--dev", "nosuch0"], "refused": 2},
    {"name": "CLI: TCP options over 40 bytes", "args": ["--dst", "10.3.0.2", "--tcp-opt", "ts=1:1,ts=1:1,ts=1:1,ts=1:1,nop"],
     "refused": 2},
    {"name": "CLI: unknown IP option", "args": ["--dst", "10.3.0.2", "--ip-opt", "lsrr"], "refused": 2},
    {"name": "CLI: --udp-len without --udp", "args": ["--dst", "10.3.0.2", "--udp-len", "8"], "refused": 2},
    {"name": "CLI: -T (hping3's traceroute) is named and refused", "args": ["-T", DST], "refused": 2},
    {"name": "CLI: hping3's -p +N (per reply) is refused", "args": ["-p", "+80", DST], "refused": 2},
    {"name": "CLI: two layer 4 kinds (-1 -2)", "args": ["-1", "-2", DST], "refused": 2},
    {"name": "CLI: -g not a multiple of 8", "args": ["-g", "1481", DST], "refused": 2},
    {"name": "CLI: two destinations", "args": [DST, "10.3.0.3"], "refused": 2},
    {"name": "CLI: --seq on UDP", "args": ["-2", "--seq", "5", DST], "refused": 2},
    {"name": "--write /dev/full: the write error is reported (dry run, exit 1)",
     "args": direct("--dst", DST, "--dry-run", "--write", "/dev/full"), "refused": 1},
    {"name": "kernel: payload over the MTU", "args": direct("--dst", "10.3.0.2", "--data-file", "/tmp/e2e-1461"),
     "setup": ("/tmp/e2e-1461", b"y" * 1461), "refused": 1},
    {"name": "kernel: unknown ifindex", "args": ["--dst", "10.3.0.2", "--ifindex", "4242"], "refused": 1},
]


# hping3 against pktcraft in the guest: the same arguments to both (every
# field hping3 would randomize is given), each to its own destination in
# 10.3.200.0/24 by the default route; the two frames must be byte-identical
# (tests/e2e/e2e.py, "hping3 differential").
HPING_NET = "10.3.200."
HPING_CASES = [
    ("TCP SYN, every header field given",
     ["-S", "-s", "4000", "-p", "8080", "-M", "100", "-L", "200", "-w", "512", "-t", "33",
      "-N", "900", "-o", "10", "-y"]),
    ("TCP FIN+PSH+URG, zero window, no sequence",
     ["-F", "-P", "-U", "-s", "1", "-p", "2", "-M", "0", "-L", "0", "-w", "0", "-N", "901"]),
    ("TCP with 20 bytes of filler (-d)",
     ["-A", "-s", "4444", "-p", "5555", "-M", "7", "-L", "8", "-w", "64", "-N", "902", "-d", "20"]),
    ("TCP with a bad checksum (-b)",
     ["-S", "-b", "-s", "1000", "-p", "1001", "-M", "5", "-L", "6", "-w", "100", "-N", "903"]),
    ("TCP More Fragments at byte offset 1480 (-x -g)",
     ["-S", "-x", "-g", "1480", "-s", "1", "-p", "2", "-M", "3", "-L", "4", "-w", "5", "-N", "904"]),
    ("UDP with 10 bytes of filler (-2 -d)",
     ["-2", "-s", "5353", "-p", "53", "-d", "10", "-N", "905", "-t", "99"]),
    ("raw IP protocol 47 with 8 bytes of filler (-0 -H -d)",
     ["-0", "-H", "47", "-d", "8", "-N", "906"]),
]
