#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""pktcraft_pcap_append() (the CLI's --write) on the host: every failure comes
back with its errno, and what it writes reads back.

/dev/full: ENOSPC (the write or the flush, not silence); a missing
directory: ENOENT; a directory: EISDIR; a read-only file: EACCES (unless
run as root); a file that is not a capture of that format: EINVAL. A new .pcap
and a new .pcapng, each appended to twice, read back by tests/e2e/pcaplib.py
and by tshark (when installed) with the frames given. A bare IPv6 and a bare
IPv4 packet (no link layer: a tun or ip6gre device's frames) make a file of
LINKTYPE_RAW that tshark dissects as IP, and a file keeps its link type (the
other kind of frame: EINVAL, the file unchanged). Prints PASS:/FAIL:.
"""
import ctypes
import errno
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(TOP, "tests", "e2e"))
from pcaplib import read_pcap, read_pcap_ts  # noqa: E402

failed = 0
LIB = ctypes.CDLL(os.environ.get("PKTCRAFT_LIB", os.path.join(TOP, "build", "user", "libpktcraft.so")))
LIB.pktcraft_pcap_append.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t]
LIB.pktcraft_pcap_append.restype = ctypes.c_int
FRAMES = [bytes.fromhex("52540000000152540012345608004500001c00030000400166d70a0100020a0300020800f7f7"
                        "00070001") + bytes(18),
          bytes(range(256)) * 4 + b"odd"]
# Without a link layer (built by scapy: IPv6(src="2001:db8:1::2", dst="2001:db8:3::2")/TCP(...)/b"ABC",
# and an IPv4 UDP datagram to 10.3.0.2).
RAW_FRAMES = [bytes.fromhex("60000000001b064020010db800010000000000000000000220010db800030000000000000000"
                            "0002d4310050000000000000000060022000c3e50000020405b4414243"),
              bytes.fromhex("450000200001000040110000" "0a010002" "0a030002" "d4310035000c0000" "71756572")]


def check(ok, name, detail=""):
    global failed
    print("%s: pcap: %s%s" % ("PASS" if ok else "FAIL", name, "" if ok or not detail else ": %s" % detail),
          flush=True)
    failed |= not ok


def append(path, frame=FRAMES[0]):
    return LIB.pktcraft_pcap_append(path.encode(), frame, len(frame))


def main():
    with tempfile.TemporaryDirectory() as tmp:
        for path, want, what in (("/dev/full", errno.ENOSPC, "/dev/full: ENOSPC"),
                                 (os.path.join(tmp, "no/such/dir.pcap"), errno.ENOENT,
                                  "a missing directory: ENOENT"),
                                 (tmp, errno.EISDIR, "a directory: EISDIR")):
            rc = append(path)
            check(rc == -want, what, "returned %d (%s)" % (rc, os.strerror(-rc) if rc < 0 else "success"))
        ro = os.path.join(tmp, "ro.pcap")
        open(ro, "w").close()
        os.chmod(ro, 0o444)
        if os.getuid() != 0:
            rc = append(ro)
            check(rc == -errno.EACCES, "a read-only file: EACCES", "returned %d" % rc)
        for name, content in (("text.pcap", b"not a capture file, but long enough to read a header\n"),
                              ("text.pcapng", b"not a pcapng file either, long enough\n")):
            path = os.path.join(tmp, name)
            with open(path, "wb") as f:
                f.write(content)
            rc = append(path)
            with open(path, "rb") as f:
                after = f.read()
            check(rc == -errno.EINVAL and after == content,
                  "an existing %s that is not one: EINVAL, left as it was" % name,
                  "returned %d, %d bytes now" % (rc, len(after)))
        for name in ("new.pcap", "new.pcapng"):
            path = os.path.join(tmp, name)
            rcs = [append(path, f) for f in FRAMES]
            got = read_pcap(path)
            ts = [t for t, _ in read_pcap_ts(path)]
            check(rcs == [0, 0] and got == FRAMES and all(t > 1e9 for t in ts),
                  "%s: created, appended to, read back with both frames and their times" % name,
                  "returned %s, read %d frames" % (rcs, len(got)))
            if shutil.which("tshark"):
                out = subprocess.run(["tshark", "-r", path, "-T", "fields", "-e", "frame.len"],
                                     capture_output=True, text=True)
                lens = out.stdout.split()
                check(out.returncode == 0 and lens == [str(len(f)) for f in FRAMES],
                      "%s: tshark reads it (frame lengths %s)" % (name, ", ".join(lens)), out.stderr)
            else:
                check(False, "%s: tshark reads it" % name, "tshark is not installed")
        for name in ("raw.pcap", "raw.pcapng"):
            path = os.path.join(tmp, name)
            rcs = [append(path, f) for f in RAW_FRAMES]
            with open(path, "rb") as f:
                data = f.read()
            # classic: the link type at byte 20 of the file header; pcapng: the IDB's after the 28-byte SHB
            link = int.from_bytes(data[20:24] if name.endswith(".pcap") else data[36:38], "little")
            check(rcs == [0, 0] and read_pcap(path) == RAW_FRAMES and link == 101,
                  "%s: bare IPv6 and IPv4 packets (no link layer): LINKTYPE_RAW (101), read back" % name,
                  "returned %s, link type %d" % (rcs, link))
            rc, rc2 = append(path, FRAMES[0]), append(os.path.join(tmp, name.replace("raw", "new")), RAW_FRAMES[0])
            with open(path, "rb") as f:
                same = f.read() == data
            check(rc == -errno.EINVAL and rc2 == -errno.EINVAL and same,
                  "%s: an Ethernet frame not appended to a raw file, nor a bare packet to an Ethernet one: "
                  "EINVAL, the file unchanged" % name, "returned %d, %d" % (rc, rc2))
            if shutil.which("tshark"):
                out = subprocess.run(["tshark", "-r", path, "-T", "fields", "-e", "ipv6.dst", "-e", "ip.dst",
                                      "-e", "frame.protocols"], capture_output=True, text=True)
                lines = [line.split("\t") for line in out.stdout.splitlines()]
                check(out.returncode == 0 and len(lines) == 2 and lines[0][0] == "2001:db8:3::2" and
                      lines[1][1] == "10.3.0.2" and all(line[2].startswith("raw:ip") for line in lines),
                      "%s: tshark dissects them as raw IPv6 and IPv4" % name, out.stdout + out.stderr)
        wrong = os.path.join(tmp, "swapped.pcap")
        shutil.copy(os.path.join(tmp, "new.pcapng"), wrong)
        rc = append(wrong)
        check(rc == -errno.EINVAL, "a pcapng file named .pcap is not appended to as pcap: EINVAL",
              "returned %d" % rc)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
