# SPDX-License-Identifier: LGPL-2.1-or-later
"""pktcraft: have the kernel build and send IPv4 packets, from Python.

A ctypes binding of libpktcraft (the library of the ``pktcraft`` CLI) for
test harnesses::

    import pktcraft
    pktcraft.send(dst="10.3.0.2", dport=7777, flags="S", seq=454,
                  tcp_opts="mss=1460,sackok", payload=b"hello")   # -> 1
    frame = pktcraft.build(dst="10.3.0.2", udp=True, dport=53)   # -> bytes
    from scapy.all import Ether
    Ether(frame).show()

Keywords are named after the CLI options (``--tcp-opt`` is ``tcp_opts``,
``--ip-opt`` is ``ip_opts``, ``--data`` is ``payload``) and have the CLI's
defaults. A kernel refusal raises ``PktcraftError``, an ``OSError`` whose
``errno`` is the kernel's and whose ``strerror`` is the library's
explanation. Sending needs ``/dev/pktcraft`` (the module loaded) and
CAP_NET_RAW.

The shared library is found through, in order: the ``PKTCRAFT_LIB``
environment variable (a path), ``build/user/libpktcraft.so`` of the source
tree this file sits in, ``ctypes.util.find_library("pktcraft")``, and the
dynamic loader's own search for ``libpktcraft.so.0``.
"""
import ctypes
import ctypes.util
import errno as _errno
import os
import socket
import struct

__all__ = [
    "PktcraftError", "Request", "Vary", "Counters", "Stats", "Device", "send", "build", "stats",
    "version", "module_version", "library_path",
]

# ---------------------------------------------------------------- the ABI
# From <linux/pktcraft.h>.
F_IP_ID = 1 << 0
F_IP_SADDR = 1 << 1
F_IP_TOT_LEN = 1 << 2
F_IP_CSUM = 1 << 3
F_IP_IHL = 1 << 4
F_L4_CSUM = 1 << 5
F_L4_LEN = 1 << 6
F_ALL = (1 << 7) - 1

L4_TCP, L4_UDP, L4_ICMP, L4_RAW = 0, 1, 2, 3

TCP_FIN, TCP_SYN, TCP_RST, TCP_PSH = 0x001, 0x002, 0x004, 0x008
TCP_ACK, TCP_URG, TCP_ECE, TCP_CWR, TCP_NS = 0x010, 0x020, 0x040, 0x080, 0x100

IP_RF, IP_DF, IP_MF, IP_OFFMASK = 0x8000, 0x4000, 0x2000, 0x1FFF

MAX_OPTLEN = 40
REQ_SIZE_VER0 = 80
REQ_SIZE_VER1 = 176
REQ_SIZE_VER2 = 296
STATS_SIZE_VER0 = 520

MAX_COUNT = 1 << 20
MAX_GAP_NS = 10000000000
BURST_F_COPY = 1 << 0
VARY_SPORT, VARY_DPORT, VARY_TCP_SEQ, VARY_IP_ID, VARY_IP_SADDR, VARY_NR = 0, 1, 2, 3, 4, 5
VARY_NONE, VARY_INC, VARY_RANDOM = 0, 1, 2
MAX_FRAME = 65600       # PKTCRAFT_MAX_FRAME of libpktcraft.h

_u8, _u16, _u32, _u64 = ctypes.c_uint8, ctypes.c_uint16, ctypes.c_uint32, ctypes.c_uint64
_s32 = ctypes.c_int32


class PktcraftError(OSError):
    """A refused request or a bad argument.

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


class Request(ctypes.Structure):
    """``struct pktcraft_req``, field for field (version 2, 296 bytes).

    ``Request(**fields)`` starts from ``pktcraft_req_init()`` (TTL 64, TCP
    SYN, window 65535) plus the CLI's ports (54321 -> 80), then applies the
    keywords (see ``set``). The struct's own field names are accepted too
    (``ip_ttl=...``): they are stored as given, and the ``PKTCRAFT_F_*``
    flags are then yours (keyword ``force``).
    """

    _fields_ = [
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

    def __init__(self, **fields):
        super().__init__()
        self._payload_buf = None
        _lib().pktcraft_req_init(ctypes.byref(self))
        l4 = _pop_l4(fields)
        if l4 is not None:
            self._set_l4(l4)
        if self.l4 in (L4_TCP, L4_UDP):
            self.sport, self.dport = 54321, 80
        self.set(**fields)

    # ------------------------------------------------------------ keywords
    def set(self, **fields):
        """Change fields by keyword; returns self.

        Layer 4: ``l4`` ("tcp", "udp", "icmp", "raw" or L4_*), ``udp=True``,
        ``icmp=True``, ``proto=N`` (opaque payload with IP protocol N).
        Egress: ``dev`` (name), ``ifindex``, ``dst_mac``, ``src_mac``.
        IPv4: ``dst``, ``src`` (dotted strings; src is literal), ``tos``,
        ``ttl``, ``id`` (literal, even 0), ``df``/``mf``/``rf`` (bools),
        ``frag_off``, ``ip_opts`` (spec "rr=2,nop" or raw bytes), and the
        forced ones: ``ip_len``, ``ihl``, ``ip_version``, ``ip_csum``.
        TCP/UDP: ``sport``, ``dport``, ``seq``, ``ack``, ``flags`` ("SA" or a
        number), ``win``, ``urg``, ``tcp_res``, ``tcp_opts`` (spec
        "mss=1460,sackok,ts=1:0,nop,wscale=7" or raw bytes), forced:
        ``doff``, ``udp_len``, ``l4_csum`` (alias ``tcp_csum``).
        ICMP: ``icmp_type``, ``icmp_code``, ``icmp_id``, ``icmp_seq``.
        Payload: ``payload`` (alias ``data``): bytes, or str (UTF-8).
        Bursts: ``count``, ``gap_ns``, ``start_ns``, ``burst_flags`` and
        ``vary={"sport": ("inc", MIN, MAX[, STEP]), "src": ("random",
        "10.1.0.10", "10.1.0.99"), ...}`` (fields sport, dport, seq, id, src;
        modes none, inc, random).
        ``force``: PKTCRAFT_F_* bits OR-ed into the struct's flags field.
        """
        lib = _lib()
        l4 = _pop_l4(fields)
        if l4 is not None:
            self._set_l4(l4)
        for key, value in fields.items():
            setter = _SETTERS.get(key)
            if setter is not None:
                setter(self, lib, value)
            elif key in _STRUCT_FIELDS and key not in ("flags", "payload"):
                setattr(self, key, value)
            else:
                raise TypeError("pktcraft.Request: unknown field %r" % key)
        return self

    def _set_l4(self, l4):
        _check(_lib().pktcraft_req_set_l4(ctypes.byref(self), l4), "l4")

    def _set_payload(self, data):
        if isinstance(data, str):
            data = data.encode()
        data = bytes(data)
        if len(data) > 0xFFFF:
            raise PktcraftError(_errno.EMSGSIZE, "payload: larger than 65535 bytes")
        self._payload_buf = ctypes.create_string_buffer(data, len(data) or 1)
        _check(_lib().pktcraft_req_set_payload(
            ctypes.byref(self), self._payload_buf if data else None, len(data)), "payload")

    def _set_opts(self, tcp, value):
        lib = _lib()
        name = "tcp_opts" if tcp else "ip_opts"
        if isinstance(value, (bytes, bytearray)):
            if len(value) > MAX_OPTLEN:
                raise PktcraftError(_errno.EINVAL, "%s: more than %d bytes" % (name, MAX_OPTLEN))
            opts = getattr(self, name)
            ctypes.memset(opts, 0, MAX_OPTLEN)
            ctypes.memmove(opts, bytes(value), len(value))
            setattr(self, "tcp_optlen" if tcp else "ip_optlen", len(value))
            return
        err = ctypes.create_string_buffer(256)
        fn = lib.pktcraft_req_set_tcp_opts if tcp else lib.pktcraft_req_set_ip_opts
        rc = fn(ctypes.byref(self), _c_str(value), err, len(err))
        if rc < 0:
            raise PktcraftError(-rc, "%s: %s" % (name, err.value.decode() or _strerror(rc)))

    # ------------------------------------------------------------ reading
    @property
    def dst(self):
        return socket.inet_ntoa(struct.pack("=I", self.ip_daddr))

    @property
    def src(self):
        return socket.inet_ntoa(struct.pack("=I", self.ip_saddr))

    @property
    def data(self):
        """The payload bytes this request points at."""
        if not self.payload_len:
            return b""
        return ctypes.string_at(self.payload, self.payload_len)

    def __bytes__(self):
        return ctypes.string_at(ctypes.addressof(self), ctypes.sizeof(self))

    def __repr__(self):
        parts = []
        for name, _ in self._fields_:
            v = getattr(self, name)
            if name in ("ip_saddr", "ip_daddr"):
                if v:
                    parts.append("%s=%s" % (name, self.src if name == "ip_saddr" else self.dst))
                continue
            if name in ("ip_opts", "tcp_opts", "dst_mac", "src_mac", "vary"):
                b = bytes(v)
                if any(b):
                    parts.append("%s=%s" % (name, b.rstrip(b"\0").hex()))
                continue
            if v:
                parts.append("%s=%#x" % (name, v) if name in ("flags", "tcp_flags", "ip_frag", "payload") else
                             "%s=%d" % (name, v))
        return "pktcraft.Request(%s)" % ", ".join(parts)

    # ------------------------------------------------------------ actions
    def send(self, device=None):
        """Send it; returns the number of packets sent (1)."""
        return _with_device(device, lambda d: d.send(self))

    def build(self, device=None, send=False):
        """The frame the kernel builds for it (link header included)."""
        return _with_device(device, lambda d: d.build(self, send=send))


_STRUCT_FIELDS = {name for name, _ in Request._fields_}


def _pop_l4(fields):
    l4 = None
    if "l4" in fields:
        v = fields.pop("l4")
        if isinstance(v, str):
            try:
                v = {"tcp": L4_TCP, "udp": L4_UDP, "icmp": L4_ICMP, "raw": L4_RAW}[v.lower()]
            except KeyError:
                raise PktcraftError(_errno.EINVAL, "l4: %r is not tcp, udp, icmp or raw" % v) from None
        l4 = int(v)
    if fields.pop("udp", False):
        l4 = L4_UDP
    if fields.pop("icmp", False):
        l4 = L4_ICMP
    if "proto" in fields:
        fields["ip_protocol"] = fields.pop("proto")
        l4 = L4_RAW
    return l4


def _c_str(v):
    return str(v).encode()


def _parse_into(fn, what, expected):
    def setter(req, lib, value):
        rc = getattr(lib, fn)(ctypes.byref(req), _c_str(value))
        if rc < 0:
            raise PktcraftError(-rc, "%s: %r is not %s" % (what, value, expected))
    return setter


def _plain(field, force=0):
    def setter(req, lib, value):
        setattr(req, field, int(value))
        req.flags |= force
    return setter


def _bit(mask):
    def setter(req, lib, value):
        if value:
            req.ip_frag |= mask
        else:
            req.ip_frag &= ~mask & 0xFFFF
    return setter


def _set_flags(req, lib, value):
    if isinstance(value, int):
        req.tcp_flags = value
        return
    rc = lib.pktcraft_req_set_tcp_flags(ctypes.byref(req), _c_str(value))
    if rc < 0:
        raise PktcraftError(-rc, "flags: %r is not S,A,F,R,P,U,E,C letters (+N) or a number" % value)


def _set_frag_off(req, lib, value):
    req.ip_frag = (req.ip_frag & ~IP_OFFMASK & 0xFFFF) | (int(value) & IP_OFFMASK)


def _set_mac(field):
    def setter(req, lib, value):
        if isinstance(value, (bytes, bytearray)) and len(value) == 6:
            getattr(req, field)[:] = list(value)
            return
        fn = "pktcraft_req_set_dst_mac" if field == "dst_mac" else "pktcraft_req_set_src_mac"
        _parse_into(fn, field, "a MAC address (aa:bb:cc:dd:ee:ff)")(req, lib, value)
    return setter


def _set_dev(req, lib, value):
    rc = lib.pktcraft_req_set_dev(ctypes.byref(req), _c_str(value))
    if rc < 0:
        raise PktcraftError(-rc, "dev: %r: no such interface in this network namespace" % value)


_SETTERS = {
    "dst": _parse_into("pktcraft_req_set_dst", "dst", "an IPv4 address"),
    "src": _parse_into("pktcraft_req_set_src", "src", "an IPv4 address"),
    "dst_mac": _set_mac("dst_mac"),
    "src_mac": _set_mac("src_mac"),
    "dev": _set_dev,
    "ifindex": _plain("ifindex"),
    "tos": _plain("ip_tos"),
    "ttl": _plain("ip_ttl"),
    "id": _plain("ip_id", F_IP_ID),
    "df": _bit(IP_DF),
    "mf": _bit(IP_MF),
    "rf": _bit(IP_RF),
    "frag_off": _set_frag_off,
    "ip_len": _plain("ip_tot_len", F_IP_TOT_LEN),
    "ihl": _plain("ip_ihl", F_IP_IHL),
    "ip_version": _plain("ip_version"),
    "ip_csum": _plain("ip_csum", F_IP_CSUM),
    "ip_opts": lambda req, lib, v: req._set_opts(False, v),
    "sport": _plain("sport"),
    "dport": _plain("dport"),
    "seq": _plain("tcp_seq"),
    "ack": _plain("tcp_ack"),
    "flags": _set_flags,
    "win": _plain("tcp_win"),
    "urg": _plain("tcp_urg"),
    "tcp_res": _plain("tcp_res"),
    "doff": _plain("tcp_doff", F_L4_LEN),
    "tcp_opts": lambda req, lib, v: req._set_opts(True, v),
    "l4_csum": _plain("l4_csum", F_L4_CSUM),
    "tcp_csum": _plain("l4_csum", F_L4_CSUM),
    "udp_len": _plain("udp_len", F_L4_LEN),
    "payload": lambda req, lib, v: req._set_payload(v),
    "data": lambda req, lib, v: req._set_payload(v),
    "force": lambda req, lib, v: setattr(req, "flags", req.flags | int(v)),
}


def _set_vary(req, lib, value):
    fields = {"sport": VARY_SPORT, "dport": VARY_DPORT, "seq": VARY_TCP_SEQ,
              "id": VARY_IP_ID, "src": VARY_IP_SADDR}
    modes = {"none": VARY_NONE, "inc": VARY_INC, "random": VARY_RANDOM}

    def num(x):
        if isinstance(x, str) and "." in x:
            return struct.unpack("!I", socket.inet_aton(x))[0]
        return int(x)
    for name, spec in dict(value).items():
        if name not in fields:
            raise PktcraftError(_errno.EINVAL, "vary: %r is not one of %s" % (name, ", ".join(fields)))
        spec = (spec,) if isinstance(spec, (str, int)) else tuple(spec)
        mode = modes.get(spec[0], spec[0]) if isinstance(spec[0], str) else int(spec[0])
        if not isinstance(mode, int):
            raise PktcraftError(_errno.EINVAL, "vary: %s: mode %r is not none, inc or random" % (name, spec[0]))
        lo, hi, step = (list(spec[1:]) + [0, 0, 0])[:3]
        rc = lib.pktcraft_req_set_vary(ctypes.byref(req), fields[name], mode, num(lo), num(hi), int(step))
        if rc < 0:
            raise PktcraftError(-rc, "vary: %s: %r: unknown mode or min > max" % (name, spec))


_SETTERS["vary"] = _set_vary
for _f in ("icmp_type", "icmp_code", "icmp_id", "icmp_seq"):
    _SETTERS[_f] = _plain(_f)
del _f

assert ctypes.sizeof(Request) == REQ_SIZE_VER2, "Request does not mirror struct pktcraft_req"
assert Request.l4.offset == REQ_SIZE_VER0, "Request does not mirror struct pktcraft_req"
assert Request.count.offset == REQ_SIZE_VER1, "Request does not mirror struct pktcraft_req"

_COUNTERS = ("packets", "bytes", "drop_queue", "drop_down", "drop_nomem", "drop_xmit",
             "err_inval", "err_fault", "err_nodev", "err_msgsize", "err_netdown",
             "err_unreach", "err_nomem", "err_intr", "err_other")


class Counters(ctypes.Structure):
    """``struct pktcraft_counters``."""
    _fields_ = [(n, _u64) for n in _COUNTERS] + [("reserved", _u64 * 17)]

    def to_dict(self):
        return {n: getattr(self, n) for n in _COUNTERS}


class Stats(ctypes.Structure):
    """``struct pktcraft_stats``."""
    _fields_ = [
        ("size", _u32),
        ("flags", _u32),
        ("file", Counters),
        ("module", Counters),
    ]


assert ctypes.sizeof(Stats) == STATS_SIZE_VER0, "Stats does not mirror struct pktcraft_stats"


# ---------------------------------------------------------------- library
_LIB = None
_LIB_PATH = None


def _candidates():
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


def _lib():
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
    raise PktcraftError(_errno.ENOENT, "libpktcraft.so not found (set PKTCRAFT_LIB): " + "; ".join(errors))


def _declare(lib):
    P, c_int, c_char_p, c_size_t = ctypes.c_void_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_size_t
    R = ctypes.POINTER(Request)
    protos = {
        "pktcraft_open": (c_int, []),
        "pktcraft_close": (None, [c_int]),
        "pktcraft_version": (c_char_p, []),
        "pktcraft_module_version": (c_int, [c_char_p, c_size_t]),
        "pktcraft_strerror": (c_char_p, [c_int]),
        "pktcraft_req_init": (None, [R]),
        "pktcraft_req_set_payload": (c_int, [R, P, c_size_t]),
        "pktcraft_req_set_dst": (c_int, [R, c_char_p]),
        "pktcraft_req_set_src": (c_int, [R, c_char_p]),
        "pktcraft_req_set_dst_mac": (c_int, [R, c_char_p]),
        "pktcraft_req_set_src_mac": (c_int, [R, c_char_p]),
        "pktcraft_req_set_dev": (c_int, [R, c_char_p]),
        "pktcraft_req_set_l4": (c_int, [R, c_int]),
        "pktcraft_req_set_tcp_flags": (c_int, [R, c_char_p]),
        "pktcraft_req_set_tcp_opts": (c_int, [R, c_char_p, c_char_p, c_size_t]),
        "pktcraft_req_set_ip_opts": (c_int, [R, c_char_p, c_char_p, c_size_t]),
        "pktcraft_send": (c_int, [c_int, R]),
        "pktcraft_send_burst": (c_int, [c_int, R]),
        "pktcraft_req_set_vary": (c_int, [R, ctypes.c_uint, ctypes.c_uint, _u32, _u32, _u32]),
        "pktcraft_get_stats": (c_int, [c_int, ctypes.POINTER(Stats)]),
        "pktcraft_build": (c_int, [c_int, R, P, c_size_t, ctypes.POINTER(c_size_t), c_int]),
    }
    for name, (restype, argtypes) in protos.items():
        fn = getattr(lib, name)
        fn.restype = restype
        fn.argtypes = argtypes


def _strerror(rc):
    return _lib().pktcraft_strerror(rc).decode()


def _check(rc, what=None):
    if rc < 0:
        raise PktcraftError(-rc, _strerror(rc))
    return rc


def library_path():
    """The path or name libpktcraft was loaded from."""
    _lib()
    return _LIB_PATH


def version():
    """libpktcraft's version, e.g. "0.1.0"."""
    return _lib().pktcraft_version().decode()


def module_version():
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

    def __init__(self):
        self.fd = _check(_lib().pktcraft_open())

    def close(self):
        if self.fd >= 0:
            _lib().pktcraft_close(self.fd)
            self.fd = -1

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:   # interpreter shutdown
            pass

    def send(self, req=None, **fields):
        """Send a Request (or one made of the keywords); returns the number
        of packets the device accepted (1, or up to ``count`` for a burst,
        whose ``sent``, ``result_err`` and ``dropped`` the kernel writes
        back into the Request)."""
        req = _request(req, fields)
        if req.count > 1:
            return _check(_lib().pktcraft_send_burst(self.fd, ctypes.byref(req)))
        return _check(_lib().pktcraft_send(self.fd, ctypes.byref(req)))

    def build(self, req=None, send=False, **fields):
        """The frame for a Request, as bytes; with send=True also sent."""
        req = _request(req, fields)
        buf = ctypes.create_string_buffer(MAX_FRAME)
        n = ctypes.c_size_t(0)
        _check(_lib().pktcraft_build(self.fd, ctypes.byref(req), buf, len(buf),
                                     ctypes.byref(n), 1 if send else 0))
        return buf.raw[:n.value]

    def stats(self):
        """Counters of this open file and of the module since it loaded:
        {"file": {"packets": N, "bytes": N, "drop_queue": N, ...},
         "module": {...}}."""
        st = Stats()
        _check(_lib().pktcraft_get_stats(self.fd, ctypes.byref(st)))
        return {"file": st.file.to_dict(), "module": st.module.to_dict()}


def _request(req, fields):
    if req is None:
        return Request(**fields)
    if fields:
        raise TypeError("pass either a Request or keywords, not both")
    if not isinstance(req, Request):
        raise TypeError("expected a pktcraft.Request, got %r" % type(req).__name__)
    return req


def _with_device(device, fn):
    if device is not None:
        return fn(device)
    with Device() as d:
        return fn(d)


def send(req=None, **fields):
    """Send one packet (a Request, or keywords as for Request); returns 1."""
    return _with_device(None, lambda d: d.send(req, **fields))


def build(req=None, send=False, **fields):
    """Build the frame of one packet, link header included; send nothing
    (unless send=True, which transmits the very same frame). Returns bytes."""
    return _with_device(None, lambda d: d.build(req, send=send, **fields))


def stats():
    """The module-wide counters (since it loaded), as a dict: packets,
    bytes, drop_* by reason, err_* by errno. Device.stats() also has the
    counters of one open file."""
    return _with_device(None, lambda d: d.stats()["module"])
