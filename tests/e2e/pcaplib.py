# SPDX-License-Identifier: GPL-2.0
"""The tests' one capture reader and writer (stdlib only).

read_pcap(path) -> [frame bytes]; read_pcap_ts(path) -> [(seconds, frame)];
write_pcap(path, frames). Reads classic pcap (either byte order, micro- or
nanosecond timestamps) and pcapng (Section Header, Interface Description,
Enhanced and Simple Packet blocks, either byte order, if_tsresol), as
QEMU's -object filter-dump and pktcraft --write (.pcap, .pcapng) write them.
Used by tests/e2e/e2e.py, tests/e2e/burst.py, tests/hardening/run and the
unit layer.
"""
import struct

PCAP_MAGICS = {0xA1B2C3D4: 1e6, 0xA1B23C4D: 1e9}
PCAPNG_SHB = 0x0A0D0D0A
PCAPNG_BOM = 0x1A2B3C4D


def _classic(data):
    magic = struct.unpack("<I", data[:4])[0]
    if magic in PCAP_MAGICS:
        endian, scale = "<", PCAP_MAGICS[magic]
    else:
        endian, scale = ">", PCAP_MAGICS[struct.unpack(">I", data[:4])[0]]
    off, out = 24, []
    while off + 16 <= len(data):
        sec, frac, incl, _ = struct.unpack(endian + "IIII", data[off:off + 16])
        out.append((sec + frac / scale, data[off + 16:off + 16 + incl]))
        off += 16 + incl
    return out


def _tsresol(options, endian):
    """if_tsresol of an Interface Description block's options (default 10^-6)."""
    off = 0
    while off + 4 <= len(options):
        code, length = struct.unpack(endian + "HH", options[off:off + 4])
        if code == 0:
            break
        if code == 9 and length >= 1:
            v = options[off + 4]
            return 2.0 ** -(v & 0x7F) if v & 0x80 else 10.0 ** -v
        off += 4 + (length + 3) // 4 * 4
    return 1e-6


def _pcapng(data):
    out, resol, endian, off = [], [], "<", 0
    while off + 12 <= len(data):
        btype = struct.unpack("<I", data[off:off + 4])[0]
        if btype == PCAPNG_SHB:
            bom = data[off + 8:off + 12]
            endian = "<" if struct.unpack("<I", bom)[0] == PCAPNG_BOM else ">"
            resol = []
        btype, blen = struct.unpack(endian + "II", data[off:off + 8])
        if blen < 12 or off + blen > len(data):
            break
        body = data[off + 8:off + blen - 4]
        if btype == 1:                              # Interface Description
            resol.append(_tsresol(body[8:], endian))
        elif btype == 6:                            # Enhanced Packet
            iface, hi, lo, cap, _ = struct.unpack(endian + "IIIII", body[:20])
            scale = resol[iface] if iface < len(resol) else 1e-6
            out.append(((hi << 32 | lo) * scale, body[20:20 + cap]))
        elif btype == 3:                            # Simple Packet
            orig = struct.unpack(endian + "I", body[:4])[0]
            out.append((0.0, body[4:4 + orig]))
        off += blen
    return out


def read_pcap_ts(path):
    """[(timestamp in seconds, frame)] of a pcap or pcapng file."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        return []
    if struct.unpack("<I", data[:4])[0] == PCAPNG_SHB:
        return _pcapng(data)
    return _classic(data)


def read_pcap(path):
    """The frames of a pcap or pcapng file, as bytes."""
    return [frame for _, frame in read_pcap_ts(path)]


def write_pcap(path, frames):
    """A classic pcap of Ethernet frames (timestamps 0)."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for fr in frames:
            f.write(struct.pack("<IIII", 0, 0, len(fr), len(fr)) + fr)
