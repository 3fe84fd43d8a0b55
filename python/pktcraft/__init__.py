# SPDX-License-Identifier: LGPL-2.1-or-later
"""pktcraft: have the kernel build and send IPv4 and IPv6 packets, from Python.

A ctypes binding of libpktcraft (the library of the ``pktcraft`` CLI) for
test harnesses::

    import pktcraft
    pktcraft.send(dst="10.3.0.2", dport=7777, flags="S", seq=454,
                  tcp_opt="mss=1460,sackok", payload=b"hello")   # -> 1
    frame = pktcraft.build(dst="10.3.0.2", udp=True, dport=53)   # -> bytes
    frame6 = pktcraft.build(dst="2001:db8::2", icmp=True, flow_label=7,
                            ext=["hbh=ra=0", "frag=1:0:m"])      # IPv6
    from scapy.all import Ether
    Ether(frame).show()
    replies, fates = pktcraft.sr(dst="10.3.0.2", dport=22, flags="S")
    print(replies[0] if replies else "no reply")    # hping3's line, rtt

Keywords are the CLI's long options with ``_`` for ``-`` (``--tcp-opt`` is
``tcp_opt``, ``--frag-off`` is ``frag_off``), taken from libpktcraft's option
table (:func:`options` lists it), with the CLI's defaults and the CLI's
checks: a value out of range, of the wrong kind or for another layer 4 kind
raises ``ValueError``, a value of the wrong type ``TypeError``, an unknown
keyword ``TypeError`` and an unknown attribute ``AttributeError``.
``payload`` takes the payload as bytes. Only what the kernel refuses raises
``PktcraftError``, an ``OSError`` whose ``errno`` is the kernel's and whose
``strerror`` is the library's explanation. Sending needs ``/dev/pktcraft``
(the module loaded) and CAP_NET_RAW; building a Request needs neither.

The shared library is found through, in order: the ``PKTCRAFT_LIB``
environment variable (a path), ``build/user/libpktcraft.so`` of the source
tree this file sits in, ``ctypes.util.find_library("pktcraft")``, and the
dynamic loader's own search for ``libpktcraft.so.0``.

The constants below mirror ``<linux/pktcraft.h>`` (``PKTCRAFT_`` dropped);
``tests/lib/layout.py`` checks every one of them, and the structs, against
the header.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import re
import socket
import struct
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple, Union

__all__ = [
    "PktcraftError", "Request", "Vary", "Ext", "Fate", "Reply", "Counters", "Stats", "Sndbuf", "Device", "send",
    "send_batch", "build", "sr", "sr1", "stats",
    "options", "version", "module_version", "library_path", "__version__",
]


def _tree_version() -> str:
    """module/version.h of the source tree this file sits in."""
    here = os.path.dirname(os.path.abspath(__file__))
    try:
        with open(os.path.join(here, "..", "..", "module", "version.h")) as f:
            m = re.search(r'#define PKTCRAFT_VERSION "([^"]+)"', f.read())
        return m.group(1) if m else "unknown"
    except OSError:
        return "unknown"


# make install writes the number here; in the source tree it is read from
# module/version.h, where the version is written once.
__version__ = "@VERSION@"
if __version__.startswith("@"):
    __version__ = _tree_version()

# ---------------------------------------------------------------- the ABI
# <linux/pktcraft.h>, checked constant by constant by tests/lib/layout.py.
DEVICE = "/dev/pktcraft"
IOC_MAGIC = 0xBE

F_IP_ID = 1 << 0
F_IP_SADDR = 1 << 1
F_IP_TOT_LEN = 1 << 2
F_IP_CSUM = 1 << 3
F_IP_IHL = 1 << 4
F_L4_CSUM = 1 << 5
F_L4_LEN = 1 << 6
F_IP6_NEXTHDR = 1 << 7
F_ALL = (1 << 8) - 1

L4_TCP, L4_UDP, L4_ICMP, L4_RAW = 0, 1, 2, 3

MAX_EXT = 32
MAX_EXT_LEN = 2048
EXT_HBH, EXT_DST, EXT_RT, EXT_FRAG, EXT_RAW = 0, 1, 2, 3, 4
EXT_F_NEXTHDR = 1 << 0
EXT_F_HDRLEN = 1 << 1
EXT_F_NOPAD = 1 << 2
EXT_F_MORE = 1 << 3
EXT_F_ALL = (1 << 4) - 1
EXT_SIZE = 32

TCP_FIN, TCP_SYN, TCP_RST, TCP_PSH = 0x001, 0x002, 0x004, 0x008
TCP_ACK, TCP_URG, TCP_ECE, TCP_CWR, TCP_NS = 0x010, 0x020, 0x040, 0x080, 0x100
TCP_FLAGS_ALL = 0x1FF

IP_RF, IP_DF, IP_MF, IP_OFFMASK = 0x8000, 0x4000, 0x2000, 0x1FFF

MAX_OPTLEN = 40
MAX_COUNT = 1 << 20
MAX_GAP_NS = 10000000000
BURST_F_COPY = 1 << 0
BURST_F_ALL = (1 << 1) - 1
VARY_SPORT, VARY_DPORT, VARY_TCP_SEQ, VARY_IP_ID, VARY_IP_SADDR, VARY_NR = 0, 1, 2, 3, 4, 5
VARY_NONE, VARY_INC, VARY_RANDOM = 0, 1, 2
VARY_FLOWLABEL = 16     # libpktcraft.h: the flow label (vary_flowlabel)

REQ_SIZE_VER0 = 80
REQ_SIZE_VER1 = 176
REQ_SIZE_VER2 = 296
REQ_SIZE_VER3 = 360
REQ_SIZE_VER4 = 376
INJECT_QUEUE, INJECT_DRIVER, INJECT_IP, INJECT_RX = 0, 1, 2, 3
INJECT_MAX = INJECT_RX
MAX_FATE_MS = 10000
MAX_FATES = 65536
FATE_UNTRACKED, FATE_PENDING, FATE_SENT, FATE_DELIVERED, FATE_DROPPED = 0, 1, 2, 3, 4
FATE_F_RX = 1 << 0
FATE_F_OTHER_NS = 1 << 1
FATE_SIZE = 112
BUILD_F_SEND = 1 << 0
BUILD_F_ALL = (1 << 1) - 1
BUILD_SIZE_VER0 = 32
STATS_SIZE_VER0 = 520
STATS_SIZE_VER1 = 536
STATS_F_DROPS = 1 << 0
STATS_F_ALL = (1 << 1) - 1
DROP_OTHER_NS = 0
DROP_OTHER = 0xffffffff
DROP_COUNT_SIZE_VER0 = 56
SNDBUF_F_SET = 1 << 0
SNDBUF_F_FORCE = 1 << 1
SNDBUF_F_ALL = (1 << 2) - 1
SNDBUF_SIZE_VER0 = 16
BATCH_F_STOP = 1 << 0
BATCH_F_ALL = (1 << 1) - 1
MAX_BATCH = 1024
MAX_STRIDE = 4096
BATCH_SIZE_VER0 = 32


def _ioc(direction: int, nr: int, size: int) -> int:
    """_IOC() of <asm-generic/ioctl.h>: direction 3 is _IOC_READ | _IOC_WRITE."""
    return direction << 30 | size << 16 | IOC_MAGIC << 8 | nr


IOC_SEND = _ioc(3, 1, REQ_SIZE_VER0)
IOC_BUILD = _ioc(3, 2, BUILD_SIZE_VER0)
IOC_GET_STATS = _ioc(3, 3, STATS_SIZE_VER0)
IOC_SNDBUF = _ioc(3, 4, SNDBUF_SIZE_VER0)
IOC_SEND_BATCH = _ioc(3, 5, BATCH_SIZE_VER0)

# <libpktcraft.h>
MAX_FRAME = 65600
DEFAULT_SPORT = 54321
DEFAULT_DPORT = 80
REPLY_TCP, REPLY_UDP, REPLY_ECHO, REPLY_ICMP_ERROR = 0, 1, 2, 3

_u8, _u16, _u32, _u64 = ctypes.c_uint8, ctypes.c_uint16, ctypes.c_uint32, ctypes.c_uint64
_s32 = ctypes.c_int32


class PktcraftError(OSError):
    """What the kernel (or the device) refused.

    ``errno`` is the (positive) errno, ``strerror`` the library's
    explanation of it for a pktcraft request (``pktcraft_strerror``).
    """


class Vary(ctypes.Structure):
    """``struct pktcraft_vary``: how one field varies across a burst."""
    _fields_ = [
        ("mode", _u8),
        ("reserved", _u8 * 3),
        ("step", _u32),
        ("min", _u32),
        ("max", _u32),
    ]


_REQ_FIELDS = [
    ("size", _u32),
    ("flags", _u32),
    ("ifindex", _u32),
    ("dst_mac", _u8 * 6),
    ("src_mac", _u8 * 6),
    ("ip_version", _u8),
    ("ip_ihl", _u8),
    ("ip_tos", _u8),
    ("ip_ttl", _u8),
    ("ip_protocol", _u8),
    ("tcp_doff", _u8),
    ("tcp_res", _u8),
    ("reserved0", _u8),
    ("ip_tot_len", _u16),
    ("ip_id", _u16),
    ("ip_frag", _u16),
    ("ip_csum", _u16),
    ("ip_saddr", _u32),
    ("ip_daddr", _u32),
    ("sport", _u16),
    ("dport", _u16),
    ("tcp_seq", _u32),
    ("tcp_ack", _u32),
    ("tcp_flags", _u16),
    ("tcp_win", _u16),
    ("l4_csum", _u16),
    ("tcp_urg", _u16),
    ("payload_len", _u32),
    ("payload", _u64),
    # --- end of version 0 (80 bytes) ---
    ("l4", _u8),
    ("ip_optlen", _u8),
    ("tcp_optlen", _u8),
    ("icmp_type", _u8),
    ("icmp_code", _u8),
    ("reserved1", _u8),
    ("udp_len", _u16),
    ("icmp_id", _u16),
    ("icmp_seq", _u16),
    ("reserved2", _u32),
    ("ip_opts", _u8 * MAX_OPTLEN),
    ("tcp_opts", _u8 * MAX_OPTLEN),
    # --- end of version 1 (176 bytes) ---
    ("count", _u32),
    ("burst_flags", _u32),
    ("gap_ns", _u64),
    ("start_ns", _u64),
    ("vary", Vary * VARY_NR),
    ("sent", _u32),
    ("result_err", _s32),
    ("dropped", _u32),
    ("reserved3", _u32),
    # --- end of version 2 (296 bytes) ---
]
_REQ_FIELDS += [
    ("family", _u8),
    ("ip6_nexthdr", _u8),
    ("ext_nr", _u16),
    ("ip6_flowlabel", _u32),
    ("ip6_saddr", _u8 * 16),
    ("ip6_daddr", _u8 * 16),
    ("ext", _u64),
    ("vary_flowlabel", Vary),
    # --- end of version 3 (360 bytes) ---
    ("inject", _u8),
    ("reserved4", _u8 * 3),
    ("fate_ms", _u32),
    ("fates", _u64),
    # --- end of version 4 (376 bytes) ---
]
_STRUCT_FIELDS = {name: ctype for name, ctype in _REQ_FIELDS}


class Ext(ctypes.Structure):
    """``struct pktcraft_ext``: one IPv6 extension header (EXT_HBH ...).
    Request(ext=[...]) fills them from specs, as the CLI's --ext."""
    _fields_ = [
        ("type", _u8),
        ("flags", _u8),
        ("nexthdr", _u8),
        ("hdrlen", _u8),
        ("proto", _u8),
        ("rt_type", _u8),
        ("segleft", _u8),
        ("reserved", _u8),
        ("frag_off", _u16),
        ("reserved2", _u16),
        ("frag_id", _u32),
        ("rt_data", _u8 * 4),
        ("len", _u32),
        ("data", _u64),
    ]


assert ctypes.sizeof(Ext) == EXT_SIZE, "Ext does not mirror struct pktcraft_ext"


def _cstr(b: Any) -> str:
    return bytes(b).split(b"\0", 1)[0].decode(errors="replace")


class Fate(ctypes.Structure):
    """``struct pktcraft_fate``: where one packet ended in the kernel
    (FATE_SENT, _DELIVERED, _DROPPED with the drop reason ...), and when it
    was handed over (``xmit_ns``, CLOCK_REALTIME)."""
    _fields_ = [
        ("fate", _u8),
        ("flags", _u8),
        ("reserved", _u16),
        ("reason", _u32),
        ("ifindex", _u32),
        ("reserved2", _u32),
        ("xmit_ns", _u64),
        ("end_ns", _u64),
        ("reason_name", _u8 * 32),
        ("where", _u8 * 32),
        ("dev", _u8 * 16),
    ]

    def to_dict(self) -> Dict[str, Any]:
        return {"fate": _lib().pktcraft_fate_name(self.fate).decode() if self.fate <= FATE_DROPPED else
                str(self.fate), "flags": self.flags, "reason": self.reason,
                "reason_name": _cstr(self.reason_name), "where": _cstr(self.where), "dev": _cstr(self.dev),
                "ifindex": self.ifindex, "xmit_ns": self.xmit_ns, "end_ns": self.end_ns,
                "other_ns": bool(self.flags & FATE_F_OTHER_NS), "rx": bool(self.flags & FATE_F_RX)}


assert ctypes.sizeof(Fate) == FATE_SIZE, "Fate does not mirror struct pktcraft_fate"


class Reply(ctypes.Structure):
    """``struct pktcraft_reply`` (libpktcraft.h): a packet that answers one
    we sent (``index``), parsed, with its round-trip time from kernel
    timestamps (``rtt_ns``, -1 when unknown). ``str(reply)`` is the CLI's
    line, ``reply.to_dict()`` its fields."""
    _fields_ = [
        ("index", _u32),
        ("kind", _u8),
        ("family", _u8),
        ("proto", _u8),
        ("ttl", _u8),
        ("tos", _u8),
        ("dup", _u8),
        ("pkt_type", _u8),
        ("icmp_type", _u8),
        ("icmp_code", _u8),
        ("reserved", _u8),
        ("ip_frag", _u16),
        ("ip_id", _u16),
        ("icmp_id", _u16),
        ("icmp_seq", _u16),
        ("sport", _u16),
        ("dport", _u16),
        ("tcp_flags", _u16),
        ("tcp_win", _u16),
        ("reserved2", _u16),
        ("len", _u32),
        ("ifindex", _u32),
        ("tcp_seq", _u32),
        ("tcp_ack", _u32),
        ("flowlabel", _u32),
        ("icmp_info", _u32),
        ("src", _u8 * 16),
        ("dst", _u8 * 16),
        ("rtt_ns", ctypes.c_int64),
        ("rx_ns", _u64),
        ("xmit_ns", _u64),
    ]

    def __str__(self) -> str:
        buf = ctypes.create_string_buffer(256)
        _lib().pktcraft_reply_describe(ctypes.byref(self), buf, len(buf))
        return buf.value.decode()

    def to_dict(self) -> Dict[str, Any]:
        fam = socket.AF_INET6 if self.family == socket.AF_INET6 else socket.AF_INET
        n = 16 if fam == socket.AF_INET6 else 4
        d = {name: getattr(self, name) for name, _ in self._fields_
             if name not in ("src", "dst", "reserved", "reserved2")}
        d["kind"] = ("tcp", "udp", "echo", "icmp-error")[self.kind] if self.kind <= 3 else self.kind
        d["src"] = socket.inet_ntop(fam, bytes(self.src)[:n])
        d["dst"] = socket.inet_ntop(fam, bytes(self.dst)[:n])
        d["rtt_ms"] = self.rtt_ns / 1e6 if self.rtt_ns >= 0 else None
        d["line"] = str(self)
        return d

# The option table's argument types (PKTCRAFT_OPT_T_*) and flags.
_T_NONE, _T_UINT, _T_HEX, _T_ADDR, _T_MAC, _T_IFNAME, _T_TCPFLAGS = range(7)
_T_IPOPTS, _T_TCPOPTS, _T_STRING, _T_HEXBYTES, _T_FILE, _T_RATE, _T_DURATION, _T_VARY, _T_EXT = range(7, 16)
_T_CHOICE = 16
_OPTF_RANGE = 1 << 4
_OPTF_DEVICE = 1 << 9


class _Opt(ctypes.Structure):
    """``struct pktcraft_opt``: one row of the option table."""
    _fields_ = [
        ("name", ctypes.c_char_p),
        ("aliases", ctypes.c_char_p),
        ("letters", ctypes.c_char_p),
        ("arg", ctypes.c_char_p),
        ("field", ctypes.c_char_p),
        ("min", _u64),
        ("max", _u64),
        ("units", ctypes.c_char_p),
        ("type", ctypes.c_uint),
        ("l4", ctypes.c_uint),
        ("flags", ctypes.c_uint),
        ("vary", ctypes.c_int),
        ("section", ctypes.c_char_p),
        ("help", ctypes.c_char_p),
        ("family", ctypes.c_int),
    ]


def _kw_error(msg: bytes) -> str:
    return msg.decode(errors="replace")


class Request(ctypes.Structure):
    """``struct pktcraft_req``, field for field (version 4, 376 bytes).

    ``Request(**options)`` starts from ``pktcraft_req_init()`` (TTL 64, a
    TCP SYN, window 65535, port 54321 to 80) and applies the options at
    once, in any order, as the CLI does (see :meth:`set`). Attributes that
    are struct fields (``r.ip_ttl``, ``r.flags``: the ``PKTCRAFT_F_*``
    bits) read and write the struct, checked against the field's width;
    option names that are not struct fields (``r.ttl = 5``,
    ``r.frag_off = 185``) go through the option table like keywords, and
    read back the field they set. Any other attribute is an
    ``AttributeError``.

    IPv6: an IPv6 ``dst`` or ``src`` (or ``ipv6=True`` with a host name)
    makes the request IPv6 (``family`` AF_INET6); ``tclass``,
    ``hop_limit``, ``flow_label`` (an int, "MIN-MAX" or "rand[:MIN-MAX]"),
    ``plen``, ``next_header`` and ``ext`` (a spec str, or a list of them
    in order, as the CLI's --ext: ``["hbh=ra=0", "rt=0:2001:db8::1",
    "frag=7:0:m"]``) set its fields; ``icmp`` is ICMPv6 there. The
    extension headers and their bytes are kept by the Request.
    """

    __slots__ = ("_payload_buf", "_badsum", "_ext_buf", "_fates_buf")
    _fields_ = _REQ_FIELDS

    def __init__(self, **options: Any) -> None:
        super().__init__()
        object.__setattr__(self, "_payload_buf", None)
        object.__setattr__(self, "_badsum", False)
        object.__setattr__(self, "_ext_buf", None)
        object.__setattr__(self, "_fates_buf", None)
        _lib().pktcraft_req_init(ctypes.byref(self))
        self.set(**options)

    # ------------------------------------------------------------ keywords
    def set(self, **options: Any) -> "Request":
        """Apply options (keywords) at once; returns self.

        Every option of the CLI, named as its long option with ``_`` for
        ``-`` (or an alias: ``interface``, ``dest_port``...): ``dst``,
        ``src`` (addresses or host names), ``ttl``, ``id``, ``df``, ``mf``,
        ``frag_off``, ``ip_opt`` ("rr=2,nop", or raw bytes), ``udp``,
        ``icmp``, ``proto``, ``sport``, ``dport`` (an int, or a str
        "1-1024" for a burst through the range), ``flags`` ("SA",
        "syn,ack" or an int), ``seq``, ``win``, ``tcp_opt``,
        ``icmp_type``, ``data`` (a str), ``data_hex``, ``data_file``,
        ``data_length``, ``count``, ``rate``, ``interval``, ``badcksum``...
        (:func:`options` lists them with their ranges). Flags take bools,
        numbers ints, addresses and specs strs.

        Besides: ``payload`` (bytes, which ``data_length`` cuts or pads
        with zeros; not with ``data``, ``data_hex`` or ``data_file``), ``l4`` ("tcp", "udp", "icmp", "raw" or
        ``L4_*``), ``vary={"sport": ("inc", MIN, MAX[, STEP]), "src":
        ("random", "10.1.0.10", "10.1.0.99"), "dport": ("none",)}``,
        ``force`` (``PKTCRAFT_F_*`` bits OR-ed into the struct's flags), and
        any struct field by name (``ip_ttl=...``, ``gap_ns=...``), stored as
        given within its width.
        """
        # Atomic: a refused set() leaves the request as it was.
        snap = (ctypes.string_at(ctypes.addressof(self), ctypes.sizeof(self)),
                self._payload_buf, self._ext_buf, self._badsum, self._fates_buf)
        try:
            return self._set(options)
        except BaseException:
            ctypes.memmove(ctypes.addressof(self), snap[0], len(snap[0]))
            for name, value in zip(("_payload_buf", "_ext_buf", "_badsum", "_fates_buf"), snap[1:]):
                object.__setattr__(self, name, value)
            raise

    def _set(self, options: Dict[str, Any]) -> "Request":
        lib = _lib()
        table = _table()
        later: List[Callable[[], None]] = []
        err = ctypes.create_string_buffer(256)
        badsum = None
        # payload= first, so that data_length cuts or pads it as it does
        # data='s (an empty one too: data_hex="", not hping3's 'X's); both
        # payload= and data= would say the bytes twice.
        if "payload" in options:
            content = [k for k in options if table.get(k, {}).get("field") == "payload"]
            if content:
                raise TypeError("payload= and %s= both give the payload's bytes" % content[0])
            self._set_payload(options["payload"])
            if not self.payload_len and any(table.get(k, {}).get("field") == "payload_len"
                                            for k in options):
                options = dict(options, data_hex="")
        optset = lib.pktcraft_optset_new(1)     # PKTCRAFT_OPTSET_KEYWORDS
        if not optset:
            raise MemoryError("pktcraft_optset_new")
        try:
            for key, value in options.items():
                opt = table.get(key)
                if key == "payload":
                    continue
                elif key == "force":
                    later.append(lambda v=value: setattr(self, "flags", self.flags | _uint(v, "force", 32)))
                elif key == "l4":
                    self._add(optset, table[_l4_option(value)], True, err)
                elif key == "vary" and isinstance(value, dict):
                    for spec in _vary_specs(value, later, self):
                        self._add(optset, table["vary"], spec, err)
                elif key == "vary" and isinstance(value, (list, tuple)):
                    for spec in value:      # "sport=inc:1000-1099/7" as the CLI
                        self._add(optset, table["vary"], spec, err)
                elif opt is not None and opt["type"] == _T_EXT and isinstance(value, (list, tuple)):
                    for spec in value:      # in order, as repeated --ext
                        self._add(optset, opt, spec, err)
                elif opt is not None:
                    if opt["flags"] & _OPTF_DEVICE:
                        badsum = _flag(value, key)
                        if not badsum:
                            continue
                    self._add(optset, opt, value, err)
                elif key in _STRUCT_FIELDS:
                    later.append(lambda k=key, v=value: setattr(self, k, v))
                else:
                    raise TypeError("pktcraft.Request: unknown option %r (see pktcraft.options())" % key)
            payload_before, ext_before = self.payload, self.ext
            if lib.pktcraft_optset_apply(optset, ctypes.byref(self), err, len(err)):
                raise ValueError(_kw_error(err.value))
            if self.ext != ext_before:
                self._keep_exts()
            count = lib.pktcraft_optset_count(optset)
            if count == 0 or count > MAX_COUNT:
                raise ValueError("count: one Request sends 1..%d packets%s" % (
                    MAX_COUNT, " (pacing asks for a count)" if count == 0 else ""))
            if self.payload != payload_before and self.payload_len:
                # The option set owns those bytes: keep a copy of our own.
                self._set_payload(ctypes.string_at(self.payload, self.payload_len))
        finally:
            lib.pktcraft_optset_free(optset)
        for fn in later:
            fn()
        if badsum is not None:
            object.__setattr__(self, "_badsum", badsum)
        return self

    def _add(self, optset: int, opt: Dict[str, Any], value: Any, err: Any) -> None:
        arg = _argument(opt, value)
        rc = _lib().pktcraft_optset_add(optset, opt["name"].encode(), arg, err, len(err))
        if rc < 0:
            raise ValueError(_kw_error(err.value))

    def _keep_exts(self) -> None:
        """The option set owns the extension headers it made: copy them
        (and their bytes) into memory of this Request's own."""
        n = self.ext_nr
        if not n or not self.ext:
            object.__setattr__(self, "_ext_buf", None)
            ctypes.Structure.__setattr__(self, "ext", 0)
            return
        src = ctypes.cast(self.ext, ctypes.POINTER(Ext))
        arr = (Ext * n)()
        bufs = []
        for i in range(n):
            ctypes.memmove(ctypes.byref(arr[i]), ctypes.byref(src[i]), ctypes.sizeof(Ext))
            if arr[i].len and arr[i].data:
                b = ctypes.create_string_buffer(ctypes.string_at(arr[i].data, arr[i].len), arr[i].len)
                bufs.append(b)
                arr[i].data = ctypes.addressof(b)
        object.__setattr__(self, "_ext_buf", (arr, bufs))
        ctypes.Structure.__setattr__(self, "ext", ctypes.addressof(arr))

    def _set_payload(self, data: Union[bytes, bytearray, memoryview]) -> None:
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError("payload: bytes, not %s (a str goes to data=)" % type(data).__name__)
        data = bytes(data)
        if len(data) > 0xFFFF:
            raise ValueError("payload: %d bytes, at most 65535" % len(data))
        buf = ctypes.create_string_buffer(data, len(data) or 1)
        object.__setattr__(self, "_payload_buf", buf)
        _lib().pktcraft_req_set_payload(ctypes.byref(self), buf if data else None, len(data))

    # ------------------------------------------------------------ attributes
    def __setattr__(self, name: str, value: Any) -> None:
        if name in _STRUCT_FIELDS:
            if name == "payload":
                self._set_payload(value)
                return
            if name == "ext" and not isinstance(value, int):
                self.set(ext=value)     # specs, as the keyword
                return
            ctype = _STRUCT_FIELDS[name]
            if hasattr(ctype, "_length_") and ctype._type_ is _u8:     # byte arrays
                if not isinstance(value, (bytes, bytearray)) or len(value) > ctype._length_:
                    raise TypeError("%s: bytes, at most %d" % (name, ctype._length_))
                arr = getattr(self, name)
                ctypes.memset(arr, 0, ctype._length_)
                ctypes.memmove(arr, bytes(value), len(value))
                return
            if ctype in (_u8, _u16, _u32, _u64, _s32):
                bits = ctypes.sizeof(ctype) * 8
                if ctype is _s32:
                    if not isinstance(value, int) or isinstance(value, bool):
                        raise TypeError("%s: an int, not %s" % (name, type(value).__name__))
                    if not -(1 << 31) <= value < 1 << 31:
                        raise ValueError("%s: %d does not fit 32 signed bits" % (name, value))
                else:
                    value = _uint(value, name, bits)
            super().__setattr__(name, value)
            return
        if name in _SLOTS:
            object.__setattr__(self, name, value)
            return
        if name in _table():
            self.set(**{name: value})
            return
        raise AttributeError("pktcraft.Request has no attribute or option %r" % name)

    def __getattr__(self, name: str) -> Any:
        # Only called when nothing else matched: an option's field.
        opt = _table().get(name) if not name.startswith("_") else None
        if opt is not None and opt["field"] in _STRUCT_FIELDS and opt["field"] not in ("ip_frag", "tcp_flags"):
            return getattr(self, opt["field"])
        raise AttributeError("pktcraft.Request has no attribute %r" % name)

    # ------------------------------------------------------------ reading
    @property
    def ipv6(self) -> bool:
        """Whether the request is IPv6 (family AF_INET6)."""
        return self.family == socket.AF_INET6

    @property
    def dst(self) -> str:
        """The destination address, as text (dotted, or IPv6's)."""
        if self.ipv6:
            return socket.inet_ntop(socket.AF_INET6, bytes(self.ip6_daddr))
        return socket.inet_ntoa(struct.pack("=I", self.ip_daddr))

    @property
    def src(self) -> str:
        """The source address, as text (0.0.0.0 or ::: the kernel's choice unless literal)."""
        if self.ipv6:
            return socket.inet_ntop(socket.AF_INET6, bytes(self.ip6_saddr))
        return socket.inet_ntoa(struct.pack("=I", self.ip_saddr))

    @property
    def exts(self) -> List[Tuple[Ext, bytes]]:
        """The extension headers, in order: (a copy of each Ext, its bytes)."""
        out = []
        if self.ext and self.ext_nr:
            src = ctypes.cast(self.ext, ctypes.POINTER(Ext))
            for i in range(self.ext_nr):
                e = Ext()
                ctypes.memmove(ctypes.byref(e), ctypes.byref(src[i]), ctypes.sizeof(Ext))
                out.append((e, ctypes.string_at(e.data, e.len) if e.data and e.len else b""))
        return out

    @property
    def data(self) -> bytes:
        """The payload bytes this request points at."""
        if not self.payload_len:
            return b""
        return ctypes.string_at(self.payload, self.payload_len)

    def malformations(self) -> List[Dict[str, Any]]:
        """What makes this request's packet malformed, as the CLI warns:
        [{"field": "ip.ihl", "why": "...", "on_wire": True}, ...]."""
        out = (_Malformation * 16)()
        n = _lib().pktcraft_req_malformations(ctypes.byref(self), out, 16)
        return [{"field": m.field.decode(), "why": m.why.decode(), "on_wire": bool(m.on_wire)}
                for m in out[:min(n, 16)]]

    def describe(self) -> str:
        """The ioctl this request crosses into the kernel with, as the CLI's
        --show-ioctl prints it: the command number taken apart, then every
        field of struct pktcraft_req (offset, size, name, value, bytes)."""
        lib = _lib()
        n = lib.pktcraft_req_describe(ctypes.byref(self), None, 0)
        buf = ctypes.create_string_buffer(n + 1)
        lib.pktcraft_req_describe(ctypes.byref(self), buf, n + 1)
        return buf.value.decode()

    def __bytes__(self) -> bytes:
        return ctypes.string_at(ctypes.addressof(self), ctypes.sizeof(self))

    def __repr__(self) -> str:
        parts = []
        for name, _ in self._fields_:
            v = getattr(self, name)
            if name in ("ip_saddr", "ip_daddr", "ip6_saddr", "ip6_daddr"):
                if any(bytes(v)) if name.startswith("ip6") else v:
                    parts.append("%s=%s" % (name, self.src if "saddr" in name else self.dst))
                continue
            if name == "ext":
                if v:
                    parts.append("ext=[%s]" % ", ".join("%d:%s" % (e.type, b.hex()) for e, b in self.exts))
                continue
            if name in ("ip_opts", "tcp_opts", "dst_mac", "src_mac", "vary", "vary_flowlabel", "reserved4"):
                b = bytes(v)
                if any(b):
                    parts.append("%s=%s" % (name, b.rstrip(b"\0").hex()))
                continue
            if v:
                parts.append("%s=%#x" % (name, v) if name in ("flags", "tcp_flags", "ip_frag", "payload") else
                             "%s=%d" % (name, v))
        return "pktcraft.Request(%s)" % ", ".join(parts)

    # ------------------------------------------------------------ actions
    def send(self, device: Optional["Device"] = None) -> int:
        """Send it; returns the number of packets sent (1, or the burst's)."""
        return _with_device(device, lambda d: d.send(self))

    def build(self, device: Optional["Device"] = None, send: bool = False) -> bytes:
        """The frame the kernel builds for it (link header included)."""
        return _with_device(device, lambda d: d.build(self, send=send))

    def _own_fates(self) -> None:
        """Point ``fates`` at an array of this Request's own (one per
        packet), unless it points somewhere already."""
        n = max(1, self.count)
        buf = self._fates_buf
        if self.fates and (buf is None or self.fates != ctypes.addressof(buf)):
            return
        if buf is None or len(buf) != n:
            if n > MAX_FATES:
                raise ValueError("fates: at most %d packets a request, not %d" % (MAX_FATES, n))
            buf = (Fate * n)()
            object.__setattr__(self, "_fates_buf", buf)
        ctypes.Structure.__setattr__(self, "fates", ctypes.addressof(buf))

    def fate_list(self) -> List[Fate]:
        """The fates the kernel wrote at the last send (``fate=True``, or
        after sr()): one Fate per packet, [] when none were asked for."""
        if self._fates_buf is None or self.fates != ctypes.addressof(self._fates_buf):
            return []
        return [Fate.from_buffer_copy(f) for f in self._fates_buf]


_SLOTS = frozenset(Request.__slots__)


class _Malformation(ctypes.Structure):
    _fields_ = [("field", ctypes.c_char * 24), ("why", ctypes.c_char * 104), ("on_wire", ctypes.c_int)]


def _uint(value: Any, name: str, bits: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError("%s: an int, not %s" % (name, type(value).__name__))
    if not 0 <= value < 1 << bits:
        raise ValueError("%s: %d is not in 0..%d" % (name, value, (1 << bits) - 1))
    return value


def _flag(value: Any, name: str) -> bool:
    if isinstance(value, bool) or value in (0, 1):
        return bool(value)
    raise TypeError("%s: a bool, not %r" % (name, value))


def _l4_option(value: Any) -> str:
    names = {"tcp": "tcp", "udp": "udp", "icmp": "icmp", "raw": "rawip",
             L4_TCP: "tcp", L4_UDP: "udp", L4_ICMP: "icmp", L4_RAW: "rawip"}
    key = value.lower() if isinstance(value, str) else value
    if isinstance(value, bool) or key not in names:
        raise ValueError("l4: %r is not tcp, udp, icmp, raw or an L4_* constant" % (value,))
    return names[key]


def _argument(opt: Dict[str, Any], value: Any) -> Optional[bytes]:
    """A keyword's value as the option's argument (its text on a command line)."""
    name, t = opt["keyword"], opt["type"]
    if t == _T_NONE:
        return b"1" if _flag(value, name) else b"0"
    if t in (_T_UINT, _T_HEX):
        if isinstance(value, str) and opt["flags"] & _OPTF_RANGE:
            return value.encode()           # "1-1024", "++1000"
        if isinstance(value, int) and not isinstance(value, bool) and value < 0:
            raise ValueError("%s: %d is not in %d..%d" % (name, value, opt["min"], opt["max"]))
        value = _uint(value, name, 64)
        return (("%x" % value) if t == _T_HEX else str(value)).encode()
    if t == _T_TCPFLAGS:
        if isinstance(value, int) and not isinstance(value, bool):
            return str(_uint(value, name, 16)).encode()
        if isinstance(value, str):
            return value.encode()
        raise TypeError("%s: a str or an int, not %s" % (name, type(value).__name__))
    if t in (_T_IPOPTS, _T_TCPOPTS):
        if isinstance(value, (bytes, bytearray)):
            return b"raw=" + bytes(value).hex().encode()
    if t == _T_MAC and isinstance(value, (bytes, bytearray)) and len(value) == 6:
        return ":".join("%02x" % b for b in value).encode()
    if t == _T_FILE and isinstance(value, os.PathLike):
        value = os.fspath(value)
    if t in (_T_RATE, _T_DURATION) and isinstance(value, (int, float)) and not isinstance(value, bool):
        return repr(value).encode()
    if not isinstance(value, str):
        raise TypeError("%s: a str, not %s" % (name, type(value).__name__))
    if "\0" in value:
        raise ValueError("%s: a NUL character (bytes go to payload=)" % name)
    return value.encode()


def _vary_specs(value: Dict[str, Any], later: List[Callable[[], None]], req: Request) -> Iterable[str]:
    """{"sport": ("inc", 1000, 1099, 7)} -> "sport=inc:1000-1099/7" for the
    option table's --vary; ("none",) clears a field's variation."""
    fields = {o["name"]: o["vary"] for o in _table().values() if o["vary"] >= 0}
    for name, spec in value.items():
        if isinstance(name, str):
            name = name.replace("_", "-")       # flow_label is flow-label
        if name not in fields:
            raise ValueError("vary: %r is not one of %s" % (name, ", ".join(sorted(fields))))
        spec = (spec,) if isinstance(spec, (str, int)) else tuple(spec)
        mode = {"rand": "rand", "random": "rand", "inc": "inc", "none": "none",
                VARY_INC: "inc", VARY_RANDOM: "rand", VARY_NONE: "none"}.get(spec[0])
        if mode is None:
            raise ValueError("vary: %s: mode %r is not none, inc or random" % (name, spec[0]))
        if mode == "none":
            later.append(lambda f=fields[name]: _lib().pktcraft_req_set_vary(
                ctypes.byref(req), f, VARY_NONE, 0, 0, 0))
            continue
        if len(spec) not in (3, 4) or (mode == "rand" and len(spec) != 3):
            raise ValueError("vary: %s: (%r, MIN, MAX%s)" % (name, mode, ", STEP" if mode == "inc" else ""))
        for x in spec[1:]:
            if not isinstance(x, (int, str)) or isinstance(x, bool):
                raise TypeError("vary: %s: %r is not an int or an address" % (name, x))
        text = "%s=%s:%s-%s" % (name, mode, spec[1], spec[2])
        if len(spec) == 4:
            text += "/%s" % spec[3]
        yield text


assert ctypes.sizeof(Request) == REQ_SIZE_VER4, "Request does not mirror struct pktcraft_req"
assert Request.l4.offset == REQ_SIZE_VER0, "Request does not mirror struct pktcraft_req"
assert Request.count.offset == REQ_SIZE_VER1, "Request does not mirror struct pktcraft_req"
assert Request.family.offset == REQ_SIZE_VER2, "Request does not mirror struct pktcraft_req"
assert Request.inject.offset == REQ_SIZE_VER3, "Request does not mirror struct pktcraft_req"

_COUNTER_NAMES: Optional[Tuple[str, ...]] = None


def _counter_names() -> Tuple[str, ...]:
    """The counters of struct pktcraft_counters in order, as the library
    names them (``pktcraft_counter_name()``, which the build makes from the
    header): a new counter needs no edit here."""
    global _COUNTER_NAMES
    if _COUNTER_NAMES is None:
        lib, names = _lib(), []
        while lib.pktcraft_counter_name(len(names)):
            names.append(lib.pktcraft_counter_name(len(names)).decode())
        _COUNTER_NAMES = tuple(names)
    return _COUNTER_NAMES


class Counters(ctypes.Structure):
    """``struct pktcraft_counters``: its 64-bit slots, the first ones the
    counters, read by name (``c.packets``, ``c.err_inval``; the names are
    the library's), the rest reserved."""
    _fields_ = [("slots", _u64 * ((STATS_SIZE_VER0 - 8) // 2 // 8))]
    __slots__ = ()

    def __getattr__(self, name: str) -> int:
        names = _counter_names()
        if name in names:
            return self.slots[names.index(name)]
        raise AttributeError("pktcraft.Counters has no counter %r" % name)

    def to_dict(self) -> Dict[str, int]:
        return dict(zip(_counter_names(), self.slots))


class Stats(ctypes.Structure):
    """``struct pktcraft_stats``."""
    _fields_ = [
        ("size", _u32),
        ("flags", _u32),
        ("file", Counters),
        ("module", Counters),
        ("drops", _u64),
        ("nr_drops", _u32),
        ("drop_size", _u32),
    ]


assert ctypes.sizeof(Stats) == STATS_SIZE_VER1, "Stats does not mirror struct pktcraft_stats"


class DropCount(ctypes.Structure):
    """``struct pktcraft_drop_count``: tracked packets dropped for one of
    the kernel's drop reasons, by this open file and by the module."""
    _fields_ = [
        ("reason", _u32),
        ("reserved", _u32),
        ("file", _u64),
        ("module", _u64),
        ("name", _u8 * 32),
    ]


assert ctypes.sizeof(DropCount) == DROP_COUNT_SIZE_VER0, "DropCount does not mirror struct pktcraft_drop_count"


class Sndbuf(ctypes.Structure):
    """``struct pktcraft_sndbuf``: an open file's send buffer (PKTCRAFT_IOC_SNDBUF)."""
    _fields_ = [
        ("size", _u32),
        ("flags", _u32),
        ("bytes", _u32),
        ("in_flight", _u32),
    ]


assert ctypes.sizeof(Sndbuf) == SNDBUF_SIZE_VER0, "Sndbuf does not mirror struct pktcraft_sndbuf"


# ---------------------------------------------------------------- library
_LIB = None
_LIB_PATH = None
_TABLE: Optional[Dict[str, Dict[str, Any]]] = None


def _candidates() -> List[str]:
    env = os.environ.get("PKTCRAFT_LIB")
    if env:
        return [env]    # asked for: no fallback that would hide a mistake
    here = os.path.dirname(os.path.abspath(__file__))
    paths = [os.path.join(os.path.dirname(os.path.dirname(here)), "build", "user", "libpktcraft.so")]
    found = ctypes.util.find_library("pktcraft")
    if found:
        paths.append(found)
    paths.append("libpktcraft.so.0")
    return paths


def _lib() -> ctypes.CDLL:
    global _LIB, _LIB_PATH
    if _LIB is not None:
        return _LIB
    errors = []
    for path in _candidates():
        if os.sep in path and not os.path.exists(path):
            errors.append("%s: no such file" % path)
            continue
        try:
            lib = ctypes.CDLL(path)
        except OSError as e:
            errors.append(str(e))
            continue
        _declare(lib)
        _LIB, _LIB_PATH = lib, path
        return lib
    raise ImportError("libpktcraft.so not found (set PKTCRAFT_LIB): " + "; ".join(errors))


def _declare(lib: ctypes.CDLL) -> None:
    P, c_int, c_char_p, c_size_t = ctypes.c_void_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_size_t
    R = ctypes.POINTER(Request)
    O = ctypes.POINTER(_Opt)
    protos = {
        "pktcraft_open": (c_int, []),
        "pktcraft_close": (None, [c_int]),
        "pktcraft_version": (c_char_p, []),
        "pktcraft_module_version": (c_int, [c_char_p, c_size_t]),
        "pktcraft_strerror": (c_char_p, [c_int]),
        "pktcraft_req_init": (None, [R]),
        "pktcraft_req_set_payload": (c_int, [R, P, c_size_t]),
        "pktcraft_req_set_vary": (c_int, [R, ctypes.c_uint, ctypes.c_uint, _u32, _u32, _u32]),
        "pktcraft_req_set_bad_csum": (c_int, [c_int, R]),
        "pktcraft_req_malformations": (c_int, [R, ctypes.POINTER(_Malformation), c_int]),
        "pktcraft_send": (c_int, [c_int, R]),
        "pktcraft_send_burst": (c_int, [c_int, R]),
        "pktcraft_send_batch": (c_int, [c_int, R, c_size_t, ctypes.c_uint, ctypes.POINTER(ctypes.c_int32),
                                        ctypes.c_uint]),
        "pktcraft_get_stats": (c_int, [c_int, ctypes.POINTER(Stats)]),
        "pktcraft_get_drops": (c_int, [c_int, ctypes.POINTER(DropCount), ctypes.c_uint]),
        "pktcraft_counter_name": (c_char_p, [ctypes.c_uint]),
        "pktcraft_req_describe": (c_size_t, [R, c_char_p, c_size_t]),
        "pktcraft_build": (c_int, [c_int, R, P, c_size_t, ctypes.POINTER(c_size_t), c_int]),
        "pktcraft_opt_next": (O, [O]),
        "pktcraft_optset_new": (P, [ctypes.c_uint]),
        "pktcraft_optset_free": (None, [P]),
        "pktcraft_optset_add": (c_int, [P, c_char_p, c_char_p, c_char_p, c_size_t]),
        "pktcraft_optset_apply": (c_int, [P, R, c_char_p, c_size_t]),
        "pktcraft_optset_count": (_u64, [P]),
        "pktcraft_fate_name": (c_char_p, [ctypes.c_uint]),
        "pktcraft_inject_name": (c_char_p, [ctypes.c_uint]),
        "pktcraft_reply_describe": (c_size_t, [ctypes.POINTER(Reply), c_char_p, c_size_t]),
        "pktcraft_reply_match": (c_int, [R, ctypes.c_uint, c_char_p, c_size_t, ctypes.POINTER(Reply)]),
        "pktcraft_sr": (c_int, [c_int, R, ctypes.POINTER(Fate), ctypes.c_uint, ctypes.POINTER(Reply),
                                ctypes.c_uint, ctypes.POINTER(ctypes.c_uint)]),
    }
    for name, (restype, argtypes) in protos.items():
        # An older library may lack the newer functions: only their callers fail.
        fn = getattr(lib, name, None)
        if fn is None:
            continue
        fn.restype = restype
        fn.argtypes = argtypes


def _table() -> Dict[str, Dict[str, Any]]:
    """The option table, by keyword (long names and aliases, '_' for '-')."""
    global _TABLE
    if _TABLE is not None:
        return _TABLE
    lib = _lib()
    table: Dict[str, Dict[str, Any]] = {}
    p = lib.pktcraft_opt_next(None)
    while p:
        o = p.contents
        row = {k: (v.decode() if isinstance(v, bytes) else v)
               for k, v in ((f, getattr(o, f)) for f, _ in _Opt._fields_)}
        row["keyword"] = row["name"].replace("-", "_")
        for name in [row["name"]] + (row["aliases"] or "").split():
            table[name.replace("-", "_")] = row
        p = lib.pktcraft_opt_next(p)
    _TABLE = table
    return table


def options() -> List[Dict[str, Any]]:
    """libpktcraft's option table: one dict per option, with its keyword,
    long name, aliases, hping3 letters, argument, the request field it sets,
    min/max, units, layer 4 kinds (bits of 1 << L4_*), help."""
    seen, out = set(), []
    for row in _table().values():
        if row["name"] not in seen:
            seen.add(row["name"])
            out.append(dict(row))
    return out


def _strerror(rc: int) -> str:
    return _lib().pktcraft_strerror(rc).decode()


def _check(rc: int) -> int:
    if rc < 0:
        raise PktcraftError(-rc, _strerror(rc))
    return rc


def library_path() -> str:
    """The path or name libpktcraft was loaded from."""
    _lib()
    return _LIB_PATH


def version() -> str:
    """libpktcraft's version, e.g. "0.1.0" (``__version__`` is this package's)."""
    return _lib().pktcraft_version().decode()


def module_version() -> Optional[str]:
    """The loaded module's version, or None when it is not loaded."""
    buf = ctypes.create_string_buffer(64)
    rc = _lib().pktcraft_module_version(buf, len(buf))
    return buf.value.decode() if rc == 0 else None


# ---------------------------------------------------------------- device
class Device:
    """An open /dev/pktcraft; usable as a context manager.

    Lookups (interface, route, neighbour) happen in the network namespace
    of the process that opened it.
    """

    def __init__(self) -> None:
        self.fd = _check(_lib().pktcraft_open())

    def close(self) -> None:
        if self.fd >= 0:
            _lib().pktcraft_close(self.fd)
            self.fd = -1

    def __enter__(self) -> "Device":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:   # interpreter shutdown
            pass

    def _prepare(self, req: Request) -> None:
        if req._badsum:
            _check(_lib().pktcraft_req_set_bad_csum(self.fd, ctypes.byref(req)))

    def send(self, req: Optional[Request] = None, **options: Any) -> int:
        """Send a Request (or one made of the keywords); returns the number
        of packets the device accepted (1, or up to ``count`` for a burst,
        whose ``sent``, ``result_err`` and ``dropped`` the kernel writes
        back into the Request)."""
        req = _request(req, options)
        self._prepare(req)
        if req.fate_ms:
            req._own_fates()
        if req.count > 1:
            return _check(_lib().pktcraft_send_burst(self.fd, ctypes.byref(req)))
        return _check(_lib().pktcraft_send(self.fd, ctypes.byref(req)))

    def sr(self, req: Optional[Request] = None, timeout: float = 1.0,
           **options: Any) -> Tuple[List[Reply], List[Fate]]:
        """Send a Request (a burst too) and collect what answers it
        (pktcraft_sr(): TCP/UDP by the reversed 4-tuple and the ack, ICMP
        echo by identifier and sequence, ICMP errors by the header they
        quote) until ``timeout`` seconds after the send, or until every
        packet is answered. Returns (replies, fates): Reply objects in the
        order they came (``index`` the packet answered, ``rtt_ns`` from
        kernel timestamps, ``dup`` for a second answer) and one Fate per
        packet (``xmit_ns``; the fate itself with ``fate=True``). Needs
        CAP_NET_RAW for the packet socket, as the device does."""
        req = _request(req, options)
        self._prepare(req)
        if not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or not 0 <= timeout <= 3600:
            raise ValueError("timeout: seconds, 0..3600, not %r" % (timeout,))
        req._own_fates()
        lib = _lib()
        if not hasattr(lib, "pktcraft_sr"):
            raise PktcraftError(errno.ENOSYS, "this libpktcraft has no pktcraft_sr (older than the binding)")
        cap = min(16 + 4 * max(1, req.count), 1 << 18)     # replies kept; more are counted
        replies = (Reply * cap)()
        n = ctypes.c_uint(0)
        _check(lib.pktcraft_sr(self.fd, ctypes.byref(req), None, int(timeout * 1000), replies, cap,
                               ctypes.byref(n)))
        return [Reply.from_buffer_copy(r) for r in replies[:min(n.value, cap)]], req.fate_list()

    def send_batch(self, reqs: Sequence[Request], stop: bool = False) -> List[int]:
        """Send many independent Requests in as few ioctls as possible
        (PKTCRAFT_IOC_SEND_BATCH). Returns one result per Request: packets
        sent, or -errno for one that failed (0: not tried, after stop=True
        stopped at a failure, or a signal; a failure is -errno, or a burst
        an error cut short after it sent some: its ``result_err`` set).
        Bursts among them get their
        ``sent``, ``result_err`` and ``dropped`` written back. Raises
        PktcraftError when the batch itself is refused."""
        reqs = list(reqs)
        if not reqs:
            return []
        for r in reqs:
            if not isinstance(r, Request):
                raise TypeError("expected pktcraft.Request items, got %r" % type(r).__name__)
            self._prepare(r)
        arr = (Request * len(reqs))()
        for i, r in enumerate(reqs):
            ctypes.memmove(ctypes.byref(arr[i]), ctypes.byref(r), ctypes.sizeof(Request))
        results = (ctypes.c_int32 * len(reqs))()
        lib = _lib()
        if not hasattr(lib, "pktcraft_send_batch"):
            raise PktcraftError(errno.ENOSYS, "this libpktcraft has no pktcraft_send_batch (older than the binding)")
        _check(lib.pktcraft_send_batch(self.fd, arr, ctypes.sizeof(Request), len(reqs), results,
                                       BATCH_F_STOP if stop else 0))
        for i, r in enumerate(reqs):
            if r.count > 1:
                for f in ("sent", "result_err", "dropped"):
                    ctypes.Structure.__setattr__(r, f, getattr(arr[i], f))
        return list(results)

    def build(self, req: Optional[Request] = None, send: bool = False, **options: Any) -> bytes:
        """The frame for a Request, as bytes; with send=True also sent."""
        req = _request(req, options)
        self._prepare(req)
        buf = ctypes.create_string_buffer(MAX_FRAME)
        n = ctypes.c_size_t(0)
        _check(_lib().pktcraft_build(self.fd, ctypes.byref(req), buf, len(buf),
                                     ctypes.byref(n), 1 if send else 0))
        return buf.raw[:n.value]

    def stats(self) -> Dict[str, Dict[str, int]]:
        """Counters of this open file and of the module since it loaded:
        {"file": {"packets": N, "bytes": N, "drop_queue": N, ...},
         "module": {...}}."""
        st = Stats()
        _check(_lib().pktcraft_get_stats(self.fd, ctypes.byref(st)))
        return {"file": st.file.to_dict(), "module": st.module.to_dict()}

    def drop_reasons(self) -> Dict[str, Dict[str, int]]:
        """Tracked packets dropped (fate_dropped), by the kernel's drop
        reason: {"NO_SOCKET": {"file": N, "module": N}, ...}. "module" is 0
        unless the caller has CAP_NET_ADMIN in the initial namespace;
        "OTHER_NS" counts drops in another namespace whose reason this
        file may not see."""
        lib = _lib()
        if not hasattr(lib, "pktcraft_get_drops"):
            raise PktcraftError(errno.ENOSYS, "this libpktcraft has no pktcraft_get_drops (older than the binding)")
        cap = 256
        while True:
            arr = (DropCount * cap)()
            n = lib.pktcraft_get_drops(self.fd, arr, cap)
            _check(n)
            if n <= cap:
                return {_cstr(d.name): {"file": d.file, "module": d.module} for d in arr[:n]}
            cap = n


def _request(req: Optional[Request], options: Dict[str, Any]) -> Request:
    if req is None:
        return Request(**options)
    if options:
        raise TypeError("pass either a Request or keywords, not both")
    if not isinstance(req, Request):
        raise TypeError("expected a pktcraft.Request, got %r" % type(req).__name__)
    return req


def _with_device(device: Optional[Device], fn: Callable[[Device], Any]) -> Any:
    if device is not None:
        return fn(device)
    with Device() as d:
        return fn(d)


def send(req: Optional[Request] = None, **options: Any) -> int:
    """Send one packet or burst (a Request, or keywords as for Request);
    returns the number of packets sent."""
    if req is None:
        req = Request(**options)    # bad keywords fail before the device is opened
        options = {}
    return _with_device(None, lambda d: d.send(req, **options))


def send_batch(reqs: Sequence[Request], stop: bool = False) -> List[int]:
    """Send many Requests in as few ioctls as possible; one result each
    (see Device.send_batch)."""
    return _with_device(None, lambda d: d.send_batch(reqs, stop=stop))


def build(req: Optional[Request] = None, send: bool = False, **options: Any) -> bytes:
    """Build the frame of one packet, link header included; send nothing
    (unless send=True, which transmits the very same frame). Returns bytes."""
    if req is None:
        req = Request(**options)
        options = {}
    return _with_device(None, lambda d: d.build(req, send=send, **options))


def sr(req: Optional[Request] = None, timeout: float = 1.0,
       **options: Any) -> Tuple[List[Reply], List[Fate]]:
    """Send one packet or burst and collect its replies (see Device.sr):
    ``replies, fates = pktcraft.sr(dst="10.77.0.2", dport=7777, flags="S")``."""
    if req is None:
        req = Request(**options)
        options = {}
    return _with_device(None, lambda d: d.sr(req, timeout=timeout, **options))


def sr1(req: Optional[Request] = None, timeout: float = 1.0, **options: Any) -> Optional[Reply]:
    """The first reply to one packet, or None (see sr())."""
    replies, _ = sr(req, timeout=timeout, **options)
    return next((r for r in replies if not r.dup), None)


def stats() -> Dict[str, int]:
    """The module-wide counters (since it loaded), as a dict: packets,
    bytes, drop_* by reason, err_* by errno; without CAP_NET_ADMIN in the
    initial user namespace, your network namespace's. Device.stats() also
    has the counters of one open file."""
    return _with_device(None, lambda d: d.stats()["module"])
