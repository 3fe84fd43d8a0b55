#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Transmit benchmark: pktcraft against the senders users would pick instead.

Host mode (default) boots ONE guest on Debian's stock kernel (never the
debug one) through tests/vm/run, without a capture of the hub, and runs this
same file there in --guest mode: first one frame each of SAME_FRAME's two
methods, captured on dummy0 with tshark and compared (bench.json's
_meta.same_frame), then every method on dummy0 with 64-byte frames (the
headline), --reps times, the methods interleaved within each repetition;
then the pcbench methods once more on dummy0 with 1500-byte frames and on
the e1000 eth0 with 64-byte frames (fewer repetitions). The host prints the
tables and writes build/bench.json and build/bench/table.md.

Methods: build/tests/pcbench (raw socket, AF_PACKET, pktcraft's modes,
pktgen, an XDP live-frames sender) and the Debian tools hping3, nping,
mausezahn and trafgen, each run by the exact command line stored with its
row. Tools that report no rate are counted by the device's tx_packets over
a fixed window once they are sending.

Metric (BENCH_METRIC or --metric):
  icount (default): QEMU -icount shift=0, one vCPU. Guest time is the
      guest's instruction count (1 instruction = 1 ns), so packets/s in the
      guest are 1e9 / instructions per packet and do not depend on how
      loaded the host is. (Under -icount the guest idles through its
      timers: the figure is instructions per packet when the CPU is busy
      for the whole window, which the cpu_busy column shows.)
  wall: plain TCG with 2 vCPUs, guest time = host time: packets/s of the
      emulation, which move with the host's load.

--curves (make bench, after the tables; tests/bench/curves.py): how cost
grows with the frame size (64 ... 9000 on dummy0 with MTU 9000) and the
burst length (1 ... 1 M), and perf profiles of a distinct burst and a
single-packet loop: the "curves" key of build/bench.json, and from it
build/bench/curves.md, cost-vs-size.svg, cost-vs-burst.svg and
profile-*.txt. --plot-only rewrites those (and prints the README's
performance paragraph) from an existing build/bench.json, without a guest.

--smoke (make check): one short run of each method (every peer once) on
dummy0/64 (and the pcbench methods on eth0), one point of each curve and
one short profile, "PASS:"/"FAIL:" lines saying each works and produced a
number, and one saying SAME_FRAME's two methods sent the same bytes. No
timing thresholds.
"""
import argparse
import datetime
import json
import os
import platform
import shlex
import signal
import statistics
import subprocess
import sys
import time
import xml.etree.ElementTree

import curves

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PCBENCH = os.path.join(TOP, "build", "tests", "pcbench")
TRACE_DIRS = ("/sys/kernel/tracing", "/sys/kernel/debug/tracing")

DEVICES = {
    # dummy0: made here; eth0: the guest's e1000, its static gateway neighbour
    "dummy0": {"src": "10.9.0.1", "dst": "10.9.0.2", "dst_mac": "02:00:00:00:00:02"},
    "eth0": {"src": "10.1.0.2", "dst": "10.1.0.1", "dst_mac": "52:54:00:00:00:01"},
}

# The trafgen packet: the same Ethernet/IPv4/UDP 9 -> 9 frame as pcbench's.
TRAFGEN_PKT = ("{ eth(da=%(dst_mac)s), ipv4(saddr=%(src)s, daddr=%(dst)s), "
               "udp(sp=9, dp=9), fill(0, %(payload)d) }")

# name -> how. kind "pc": a pcbench method (trace: with the module's
# tracepoints on); kind "tool": a command run for a fixed window, counted on
# the device. "peer": a sender other than pktcraft; "all_cfgs": run in every
# (device, size) configuration, else only in the headline one.
METHODS = [
    {"name": "raw_sendto", "kind": "pc", "m": "raw", "peer": True, "all_cfgs": True},
    {"name": "packet_sendto", "kind": "pc", "m": "psendto", "peer": True, "all_cfgs": True},
    {"name": "packet_sendmmsg", "kind": "pc", "m": "mmsg", "peer": True, "all_cfgs": True},
    {"name": "packet_tx_ring", "kind": "pc", "m": "txring", "peer": True, "all_cfgs": True},
    {"name": "pktcraft_single", "kind": "pc", "m": "pc1", "all_cfgs": True},
    # the sockets' frame byte for byte: its IP ID (0) given, not the kernel's
    {"name": "pktcraft_single_frame", "kind": "pc", "m": "pc1f"},
    {"name": "pktcraft_batch64", "kind": "pc", "m": "pcbatch64", "all_cfgs": True},
    {"name": "pktcraft_burst64_distinct", "kind": "pc", "m": "pcb64d", "all_cfgs": True},
    {"name": "pktcraft_burst64_distinct_container", "kind": "pc", "m": "pcb64v", "all_cfgs": True,
     "container": True},
    {"name": "pktcraft_burst64_identical", "kind": "pc", "m": "pcb64i", "all_cfgs": True},
    {"name": "pktcraft_burst64_identical_container", "kind": "pc", "m": "pcb64c", "all_cfgs": True,
     "container": True},
    {"name": "pktcraft_burst64_identical_qdisc", "kind": "pc", "m": "pcb64q", "all_cfgs": True,
     "container": True},
    {"name": "pktcraft_burst1024_distinct", "kind": "pc", "m": "pcb1024d", "all_cfgs": True},
    {"name": "pktcraft_burst1024_distinct_container", "kind": "pc", "m": "pcb1024v",
     "all_cfgs": True, "container": True},
    {"name": "pktcraft_burst1024_distinct_copy", "kind": "pc", "m": "pcb1024x", "all_cfgs": True},
    {"name": "pktcraft_burst1024_identical", "kind": "pc", "m": "pcb1024i", "all_cfgs": True},
    {"name": "pktcraft_burst1024_identical_container", "kind": "pc", "m": "pcb1024c",
     "all_cfgs": True, "container": True},
    {"name": "pktcraft_burst1024_identical_qdisc", "kind": "pc", "m": "pcb1024q", "all_cfgs": True,
     "container": True},
    {"name": "pktcraft_burst1024_identical_copy", "kind": "pc", "m": "pcb1024k", "all_cfgs": True},
    {"name": "pktcraft_burst1024_distinct_traced", "kind": "pc", "m": "pcb1024d", "trace": True},
    {"name": "pktcraft_burst1024_identical_qdisc_traced", "kind": "pc", "m": "pcb1024q",
     "trace": True, "container": True},
    {"name": "pktgen_clone0", "kind": "pc", "m": "pktgen0", "peer": True, "all_cfgs": True},
    {"name": "pktgen_clone1000", "kind": "pc", "m": "pktgen1000", "peer": True, "all_cfgs": True},
    {"name": "pktgen_clone1000_burst32", "kind": "pc", "m": "pktgen1000b32", "peer": True,
     "all_cfgs": True},
    {"name": "xdp_live_frames", "kind": "pc", "m": "xdp", "peer": True, "dev": "veth0"},
    {"name": "hping3_flood", "kind": "tool", "peer": True,
     "argv": ["hping3", "--flood", "--udp", "-s", "9", "-k", "-p", "9", "-d", "%(payload)d",
              "-I", "%(dev)s", "%(dst)s"]},
    {"name": "nping_max_rate", "kind": "tool", "peer": True,
     "argv": ["nping", "--privileged", "--send-eth", "-e", "%(dev)s", "--dest-mac",
              "%(dst_mac)s", "--udp", "-g", "9", "-p", "9", "--data-length", "%(payload)d",
              "--rate", "10000000", "-c", "0", "-H", "-N", "-q", "%(dst)s"]},
    {"name": "mausezahn", "kind": "tool", "peer": True,
     "argv": ["mausezahn", "%(dev)s", "-c", "0", "-A", "%(src)s", "-B", "%(dst)s",
              "-b", "%(dst_mac)s", "-t", "udp", "sp=9,dp=9", "-p", "%(payload)d", "-q"]},
    {"name": "trafgen_tx_ring", "kind": "tool", "peer": True,
     "argv": ["trafgen", "--dev", "%(dev)s", "--cpus", "1", TRAFGEN_PKT]},
    {"name": "trafgen_qdisc_path", "kind": "tool", "peer": True,
     "argv": ["trafgen", "--dev", "%(dev)s", "--cpus", "1", "--qdisc-path", TRAFGEN_PKT]},
]
BY_NAME = {m["name"]: m for m in METHODS}
PKTCRAFT = [m["name"] for m in METHODS if not m.get("peer")]
PEERS = [m["name"] for m in METHODS if m.get("peer")]
# The tools of issue 14's "every pktcraft mode ahead of" target.
TOOLS = ["hping3_flood", "nping_max_rate", "mausezahn", "trafgen_tx_ring", "trafgen_qdisc_path"]
HEADLINE = ("dummy0", 64)

# Issue 14's targets: (what, numerator, denominator, wanted ratio), dummy0/64.
TARGETS = [
    ("identical burst of 1024, a container's (the ring: dummy/e1000, any opener) vs pktgen "
     "clone_skb 1000 burst 32", "pktcraft_burst1024_identical_container",
     "pktgen_clone1000_burst32", 1.0),
    ("identical burst of 64, a container's (the ring) vs pktgen clone_skb 1000 burst 32",
     "pktcraft_burst64_identical_container", "pktgen_clone1000_burst32", 1.0),
    ("identical burst of 1024, copies through a qdisc (safe on every device) vs pktgen "
     "clone_skb 1000 burst 32", "pktcraft_burst1024_identical_qdisc",
     "pktgen_clone1000_burst32", 1.0),
    ("distinct burst of 1024, root's (the ring) vs pktgen clone_skb 0",
     "pktcraft_burst1024_distinct", "pktgen_clone0", 3.0),
    ("distinct burst of 64, root's (the ring) vs pktgen clone_skb 0",
     "pktcraft_burst64_distinct", "pktgen_clone0", 3.0),
    ("distinct burst of 1024, a container's (the ring: dummy/e1000, any opener) vs pktgen "
     "clone_skb 0", "pktcraft_burst1024_distinct_container", "pktgen_clone0", 3.0),
    ("distinct burst of 64, a container's (the ring) vs pktgen clone_skb 0",
     "pktcraft_burst64_distinct_container", "pktgen_clone0", 3.0),
    ("distinct burst of 1024, --copy (a copy per packet through dev_queue_xmit(): every other "
     "device) vs pktgen clone_skb 0", "pktcraft_burst1024_distinct_copy", "pktgen_clone0", 3.0),
    ("single-packet ioctl vs raw socket sendto",
     "pktcraft_single", "raw_sendto", 2.0),
    ("single-packet ioctl vs AF_PACKET sendto, the same frame (its IP ID given, as "
     "AF_PACKET's is)", "pktcraft_single_frame", "packet_sendto", 1.5),
    ("SEND_BATCH of 64 different requests vs the single-packet ioctl, per packet",
     "pktcraft_batch64", "pktcraft_single", 3.0),
]
# Reported, not targets: the shared-skb path, the kernel's IP ID and the
# tracepoints' cost.
EXTRA_RATIOS = [
    ("single-packet ioctl, its IP ID the kernel's (__ip_select_ident()) vs AF_PACKET sendto "
     "(whose frame carries ID 0)", "pktcraft_single", "packet_sendto"),
    ("identical burst of 1024, shared skb (privileged, dummy/e1000) vs pktgen clone_skb 1000 burst 32",
     "pktcraft_burst1024_identical", "pktgen_clone1000_burst32"),
    ("distinct burst of 1024: tracepoints on / off",
     "pktcraft_burst1024_distinct_traced", "pktcraft_burst1024_distinct"),
    ("identical burst of 1024 through a qdisc: tracepoints on / off",
     "pktcraft_burst1024_identical_qdisc_traced", "pktcraft_burst1024_identical_qdisc"),
]


def runs_on(m, dev, size):
    """Is method m run in this (device, size)? A container's own device is a dummy."""
    if m.get("container") and not dev.startswith("dummy"):
        return False
    return (dev, size) == HEADLINE or bool(m.get("all_cfgs"))


def params(dev, size):
    p = dict(DEVICES[dev])
    p.update(dev=dev, size=size, payload=size - 14 - 20 - 8)
    return p


def command(m, dev, size, seconds):
    """The argv a row runs (what the table shows, to rerun it by hand)."""
    p = params(dev, size)
    if m["kind"] == "tool":
        return [a % p for a in m["argv"]]
    return ["build/tests/pcbench", m["m"], "--dev", m.get("dev", dev), "--size", str(size),
            "--seconds", str(seconds), "--src", p["src"], "--dst", p["dst"],
            "--dst-mac", p["dst_mac"]]


def repro(m, dev, size, seconds):
    """The command line as a person would type it in the guest."""
    cmd = shlex.join(command(m, dev, size, seconds))
    if m["kind"] == "tool":
        return "cd /tmp && %s  # for %g s once sending; packets = %s tx_packets delta" % (
            cmd, seconds, dev)
    if m.get("trace"):
        return "echo 1 > /sys/kernel/tracing/events/pktcraft/enable; " + cmd
    if m["m"].startswith("pktgen"):
        return cmd + "  # /proc/net/pktgen: %s" % pktgen_desc(m["m"], dev, size)
    if m["m"] == "xdp":
        return ("ip link add veth0 type veth peer name veth1; ip link set veth0 up; "
                "ip link set veth1 up; " + cmd)
    return cmd


def pktgen_desc(method, dev, size):
    clone = int(method[6:].split("b")[0])
    burst = int(method.split("b")[1]) if "b" in method[6:] else 1
    p = params(dev, size)
    return ("kpktgend_0: add_device %s; %s: clone_skb %d, burst %d, pkt_size %d, delay 0, "
            "dst %s, dst_mac %s, src_min/max %s, udp_src/dst 9, count calibrated to the time"
            % (dev, dev, clone, burst, size, p["dst"], p["dst_mac"], p["src"]))


# ---------------------------------------------------------------- guest side
def sh(*cmd):
    return subprocess.run(list(cmd), capture_output=True, text=True)


def read_int(path):
    with open(path) as f:
        return int(f.read().split()[0])


def dev_counters(dev):
    d = "/sys/class/net/%s/statistics/" % dev
    return read_int(d + "tx_packets"), read_int(d + "tx_bytes")


def busy_ns():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:9]]
    return (v[0] + v[1] + v[2] + v[5] + v[6]) * 1e9 / os.sysconf("SC_CLK_TCK")


def trace_enable(on):
    for d in TRACE_DIRS:
        if not os.path.isdir(d + "/events") and d == "/sys/kernel/tracing":
            sh("mount", "-t", "tracefs", "tracefs", d)
        path = d + "/events/pktcraft/enable"
        if os.path.exists(path):
            with open(path, "w") as f:
                f.write("1" if on else "0")
            return None
    return "no events/pktcraft/enable under %s" % " or ".join(TRACE_DIRS)


def child_sched():
    """Children run SCHED_OTHER (this driver is SCHED_FIFO: see run_guest)."""
    os.sched_setscheduler(0, os.SCHED_OTHER, os.sched_param(0))


def run_pc(m, dev, size, seconds):
    cnt_dev = m.get("dev", dev)
    err = trace_enable(True) if m.get("trace") else None
    if err:
        return {"rc": 1, "stderr": err}
    c0 = dev_counters(cnt_dev)
    r = subprocess.run(command(m, dev, size, seconds), capture_output=True, text=True, cwd=TOP,
                       preexec_fn=child_sched)
    c1 = dev_counters(cnt_dev)
    if m.get("trace"):
        trace_enable(False)
    res = {"rc": r.returncode, "stderr": r.stderr.strip()[-500:]}
    try:
        res.update(json.loads(r.stdout.strip().splitlines()[-1]))
    except (ValueError, IndexError):
        pass
    if c1[0] > c0[0]:
        res["bytes_per_pkt"] = round((c1[1] - c0[1]) / (c1[0] - c0[0]), 1)
    return res


def run_tool(m, dev, size, seconds):
    """Starts the tool in its own session, waits until the device counts
    its packets, counts them over `seconds`, then stops it (SIGINT to the
    process group, as ^C)."""
    argv = command(m, dev, size, seconds)
    try:
        p = subprocess.Popen(argv, cwd="/tmp", stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                             preexec_fn=child_sched, start_new_session=True)
    except OSError as e:
        return {"rc": 127, "stderr": str(e)}
    tx0 = dev_counters(dev)[0]
    t = time.monotonic()
    # (a tool's start takes seconds in a busy guest; only a broken one waits 60 s)
    while dev_counters(dev)[0] == tx0 and p.poll() is None and time.monotonic() - t < 60:
        time.sleep(0.01)
    time.sleep(0.02)
    c0, b0, t0 = dev_counters(dev), busy_ns(), time.monotonic()
    time.sleep(seconds)
    c1, b1, t1 = dev_counters(dev), busy_ns(), time.monotonic()
    alive = p.poll() is None
    # ^C: SIGINT to the whole process group (trafgen's forked senders
    # ignore a SIGINT to their parent alone).
    try:
        os.killpg(p.pid, signal.SIGINT)
    except ProcessLookupError:
        pass
    try:
        out = p.communicate(timeout=10)[0]
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out = p.communicate()[0]
    pk = c1[0] - c0[0]
    res = {"rc": 0 if alive else (p.returncode or 1), "stderr": out.strip()[-500:],
           "packets": pk, "seconds": round(t1 - t0, 4), "pps": round(pk / (t1 - t0), 1),
           "cpu_ns_per_pkt": round((b1 - b0) / pk, 1) if pk else 0.0,
           "cpu_busy": round((b1 - b0) / 1e9 / (t1 - t0), 3)}
    if pk:
        res["bytes_per_pkt"] = round((c1[1] - c0[1]) / pk, 1)
    return res


def guest_setup():
    r = sh("modprobe", "pktgen")
    if r.returncode:
        print("SETUP-FAIL modprobe pktgen: " + r.stderr.strip(), flush=True)
    # dummy's module makes a dummy0 itself when it loads (numdummies=1, its
    # default), so `ip link add dummy0` can race its autoload (EEXIST, seen
    # on a fresh machine): load it first, then start from our own dummy0.
    sh("modprobe", "dummy")
    if os.path.exists("/sys/class/net/dummy0"):
        sh("ip", "link", "del", "dummy0")
    for cmd in (["ip", "link", "add", "dummy0", "type", "dummy"],
                ["ip", "link", "set", "dummy0", "up"],
                ["ip", "addr", "add", "10.9.0.1/24", "dev", "dummy0"],
                ["ip", "neigh", "replace", "10.9.0.2", "lladdr", "02:00:00:00:00:02",
                 "nud", "permanent", "dev", "dummy0"],
                # The XDP sender's device: a veth pair (pcbench puts XDP_DROP on veth1).
                ["ip", "link", "add", "veth0", "type", "veth", "peer", "name", "veth1"],
                ["ip", "link", "set", "veth0", "up"],
                ["ip", "link", "set", "veth1", "up"]):
        r = sh(*cmd)
        if r.returncode:
            print("SETUP-FAIL %s: %s" % (" ".join(cmd), r.stderr.strip()), flush=True)


# xdp-tools' sender, tried once per run: the row it cannot give is explained
# in bench.json (_meta.xdp_trafficgen) and docs/benchmarks.md.
XDP_TRAFFICGEN = ["xdp-trafficgen", "udp", "-m", "02:00:00:00:00:02", "-n", "100000", "veth0"]


def try_xdp_trafficgen():
    sh("mount", "-t", "bpf", "bpf", "/sys/fs/bpf")
    try:
        r = subprocess.run(XDP_TRAFFICGEN, capture_output=True, text=True, timeout=60,
                           stdin=subprocess.DEVNULL)
        out = {"rc": r.returncode, "output": (r.stdout + r.stderr).strip()[-300:]}
    except (OSError, subprocess.TimeoutExpired) as e:
        out = {"rc": None, "output": str(e)}
    out["cmd"] = shlex.join(XDP_TRAFFICGEN)
    print("XDPTG " + json.dumps(out), flush=True)


# The frame pktcraft_single_frame is compared by: the one AF_PACKET sends.
SAME_FRAME = ("packet_sendto", "pktcraft_single_frame")


def capture_frame(m, dev, size):
    """tshark's hex dump (-x) of the first UDP 9 frame method m puts on dev
    (a packet tap is open meanwhile: the first frame is built anew, not a
    reused one; "" if none came). Before the measured runs, with the tap
    closed again."""
    path = "/tmp/bench-frame-%s.pcap" % m["name"]
    cap = subprocess.Popen(["tshark", "-i", dev, "-f", "udp port 9", "-c", "1", "-w", path,
                            "-a", "duration:60"], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, preexec_fn=child_sched)
    try:
        # tshark says "Capturing on" before dumpcap captures: send until it has one
        while cap.poll() is None:
            subprocess.run(command(m, dev, size, 0.01), capture_output=True, cwd=TOP,
                           preexec_fn=child_sched, timeout=60)
            time.sleep(0.5)
    except subprocess.TimeoutExpired:
        return ""
    finally:
        cap.kill()
        cap.wait()
    return sh("tshark", "-r", path, "-c", "1", "-x").stdout.strip()


def run_guest(args):
    guest_setup()
    if args.configs:
        dev, size = HEADLINE
        print("FRAMES " + json.dumps({n: capture_frame(BY_NAME[n], dev, size)
                                       for n in SAME_FRAME}), flush=True)
    if not args.only and args.configs:
        try_xdp_trafficgen()
    # trafgen makes itself SCHED_FIFO and spins: with one vCPU this driver
    # would never run again to stop it. The driver is SCHED_FIFO 99 (it
    # sleeps while a method runs) and RT throttling is off, so that a
    # SCHED_FIFO sender is not idled 5% of every second either.
    try:
        with open("/proc/sys/kernel/sched_rt_runtime_us", "w") as f:
            f.write("-1")
        os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(99))
    except OSError as e:
        print("SETUP-FAIL SCHED_FIFO for the driver: %s" % e, flush=True)
    info = {"kernel": platform.release(), "cpus": os.cpu_count()}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    info["cpu_model"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    # eth0's rows depend on its root qdisc (tests/vm's guest-init: a pfifo)
    r = subprocess.run(["tc", "qdisc", "show", "dev", "eth0", "root"], capture_output=True, text=True)
    info["eth0_qdisc"] = r.stdout.strip() or r.stderr.strip()
    print("INFO " + json.dumps(info), flush=True)
    # (dev, size, reps, method names)
    plan = []
    for cfg in filter(None, args.configs.split(",")):
        dev, size, reps = cfg.split("/")
        size, reps = int(size), int(reps)
        names = [m["name"] for m in METHODS if runs_on(m, dev, size)]
        if args.only:
            names = [n for n in names if n in args.only.split(",")]
        plan.append((dev, size, reps, names))
    for dev, size, reps, names in plan:
        for rep in range(reps):
            for name in names:
                m = BY_NAME[name]
                w0 = time.monotonic()
                res = (run_tool if m["kind"] == "tool" else run_pc)(m, dev, size, args.seconds)
                res.update(name=name, dev=dev, size=size, rep=rep,
                           count_dev=m.get("dev", dev),
                           cmd=repro(m, dev, size, args.seconds),
                           guest_secs=round(time.monotonic() - w0, 2))
                print("BENCH " + json.dumps(res), flush=True)
    if args.curves:
        curves.run_guest(args, sh, run_pc, repro, child_sched, TOP)


# ----------------------------------------------------------------- host side
def boot(args, extra):
    cmd = [os.path.join(TOP, "tests", "vm", "run"), "--kernel", "stock",
           "--timeout", str(args.timeout)]
    env = dict(os.environ)
    if args.metric == "icount":
        # One vCPU: -icount runs every vCPU in one thread (and -smp 2 with
        # sleep=off did not boot); guest ns = instructions.
        cmd += ["--smp", "1"]
        env["VM_QEMU_EXTRA"] = (env.get("VM_QEMU_EXTRA", "") + " -icount shift=0").strip()
    cmd += ["--", "/usr/bin/python3", os.path.abspath(__file__), "--guest",
            "--seconds", str(args.seconds)] + extra
    t0 = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall = time.monotonic() - t0
    outdir = os.path.join(TOP, "build", "bench")
    os.makedirs(outdir, exist_ok=True)
    log = "guest-smoke.log" if args.smoke else "guest-curves.log" if args.curves else "guest.log"
    with open(os.path.join(outdir, log), "w") as f:
        f.write(p.stdout + p.stderr)
    results, info, setup_fail = [], {}, []
    for line in p.stdout.splitlines():
        line = line.strip()
        if line.startswith("BENCH "):
            results.append(json.loads(line[6:]))
        elif line.startswith("INFO "):
            info.update(json.loads(line[5:]))
        elif line.startswith("XDPTG "):
            info["xdp_trafficgen"] = json.loads(line[6:])
        elif line.startswith("FRAMES "):
            info["frames"] = json.loads(line[7:])
        elif line.startswith("CURVE "):
            info.setdefault("curves", []).append(json.loads(line[6:]))
        elif line.startswith("PROFILE "):
            info.setdefault("profiles", []).append(json.loads(line[8:]))
        elif line.startswith("SETUP-FAIL "):
            setup_fail.append(line[11:])
    info["qemu_wall_seconds"] = round(wall, 1)
    return p, results, info, setup_fail


def ok(r):
    return r["rc"] == 0 and r.get("packets", 0) > 0 and r.get("pps", 0) > 0


def smoke(args):
    failed = passed = 0

    def check(good, name, detail=""):
        nonlocal failed, passed
        if good:
            passed += 1
            print("PASS: " + name)
        else:
            failed += 1
            print("FAIL: %s: %s" % (name, detail))
        sys.stdout.flush()

    print("bench smoke: booting the stock guest (%s), %.2f s per method"
          % (args.metric, args.seconds), flush=True)
    p, results, info, setup_fail = boot(args, ["--configs", "dummy0/64/1,eth0/64/1",
                                               "--curves", "--smoke"])
    check(p.returncode == 0 and not setup_fail,
          "bench smoke: stock guest ran cleanly (pktgen, dummy0, veth set up; no kernel report)",
          "tests/vm/run exit %d; %s\n%s" % (p.returncode, setup_fail, (p.stdout + p.stderr)[-2000:]))
    equal, why = same_frame(info.get("frames", {}))
    check(equal, "bench smoke: on %s, %s's first frame is %s's byte for byte (tshark -x)"
          % ((HEADLINE[0],) + SAME_FRAME[::-1]), why)
    for dev in ("dummy0", "eth0"):
        for m in METHODS:
            if not runs_on(m, dev, HEADLINE[1]):
                continue
            r = [x for x in results if x["name"] == m["name"] and x["dev"] == dev]
            good = bool(r) and ok(r[0]) and r[0].get("cpu_ns_per_pkt", 0) >= 0
            check(good, "bench smoke: %s on %s works and measures a rate (%s pps, %s ns CPU/packet)"
                  % (m["name"], r[0]["count_dev"] if r else dev,
                     "%.0f" % r[0]["pps"] if good else "-",
                     "%.0f" % r[0]["cpu_ns_per_pkt"] if good else "-"),
                  json.dumps(r[0]) if r else "no result")
    # One point of each curve and one short profile (tests/bench/curves.py).
    runs = info.get("curves", [])
    for curve, x, name, _, size in curves.plan(True):
        r = [c for c in runs if (c["curve"], c["x"], c["name"]) == (curve, x, name)]
        good = bool(r) and ok(r[0]) and abs(r[0].get("bytes_per_pkt", 0) - size) < 1
        check(good, "bench smoke: curve %s=%s, %s works (%s pps, %s bytes a frame on dummy0)"
              % (curve, x, name, "%.0f" % r[0]["pps"] if good else "-",
                 r[0].get("bytes_per_pkt") if r else "-"),
              json.dumps(r[0]) if r else "no result")
    profs = info.get("profiles", [])
    for name in curves.SMOKE_PROFILES:
        pr = [q for q in profs if q["name"] == name]
        good = bool(pr) and bool(pr[0].get("top"))
        check(good, "bench smoke: perf record -e cpu-clock -a -g around %s names symbols (top: %s)"
              % (name, pr[0]["top"][0] if good else "-"),
              json.dumps(pr[0])[-1500:] if pr else "no PROFILE line")
    cur = curves.summarize(runs, profs, args.metric, {"date": "smoke", "host": platform.node()})
    outdir = os.path.join(TOP, "build", "bench", "smoke")
    paths = curves.write_outputs(cur, args.metric, outdir)
    svgs = [q for q in paths if q.endswith(".svg")]
    bad_svg = []
    for q in svgs:
        try:
            xml.etree.ElementTree.parse(q)
        except xml.etree.ElementTree.ParseError as e:
            bad_svg.append("%s: %s" % (q, e))
    check(len(svgs) == 2 and not bad_svg,
          "bench smoke: curves.md, cost-vs-size.svg and cost-vs-burst.svg written and well-formed "
          "(build/bench/smoke/)", "%s %s" % (paths, bad_svg))
    print("bench smoke: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


def spread(vals):
    """(max - min) / median, in percent."""
    med = statistics.median(vals)
    return round(100.0 * (max(vals) - min(vals)) / med, 1) if med else None


def paired(results, dev, size, num, den):
    """The ratio num/den within each repetition (the methods of one
    repetition run back to back in one guest)."""
    out = []
    reps = sorted({r["rep"] for r in results if r["dev"] == dev and r["size"] == size})
    for rep in reps:
        x = [r["pps"] for r in results if r["name"] == num and r["dev"] == dev
             and r["size"] == size and r["rep"] == rep and ok(r)]
        y = [r["pps"] for r in results if r["name"] == den and r["dev"] == dev
             and r["size"] == size and r["rep"] == rep and ok(r)]
        if x and y:
            out.append(x[0] / y[0])
    return out


def ratio_stats(results, dev, size, num, den):
    v = paired(results, dev, size, num, den)
    if not v:
        return None
    return {"ratio": round(statistics.median(v), 3), "spread_pct": spread(v),
            "min": round(min(v), 3), "max": round(max(v), 3), "reps": len(v),
            "per_rep": [round(x, 3) for x in v]}


def summarize(results, metric):
    """{(dev, size): {name: stats}}"""
    table = {}
    cfgs = []
    for r in results:
        if (r["dev"], r["size"]) not in cfgs:
            cfgs.append((r["dev"], r["size"]))
    for dev, size in cfgs:
        cfg = {}
        for m in METHODS:
            name = m["name"]
            runs = [r for r in results if r["name"] == name and r["dev"] == dev
                    and r["size"] == size and ok(r)]
            if not runs:
                continue
            pps = [r["pps"] for r in runs]
            med = statistics.median(pps)
            s = {
                "pps": round(med, 1),
                "pps_min": round(min(pps), 1),
                "pps_max": round(max(pps), 1),
                "spread_pct": spread(pps),
                "cpu_ns_per_pkt": round(statistics.median(r["cpu_ns_per_pkt"] for r in runs), 1),
                "cpu_busy": round(statistics.median(r.get("cpu_busy", 0) for r in runs), 3),
                "bytes_per_pkt": runs[0].get("bytes_per_pkt"),
                "runs": len(runs),
                "cmd": runs[0]["cmd"],
                "count_dev": runs[0]["count_dev"],
            }
            if metric == "icount":
                s["instr_per_pkt"] = round(1e9 / med, 1)
            for key, base in (("ratio_raw", "raw_sendto"), ("ratio_pktgen0", "pktgen_clone0"),
                              ("ratio_pktgen1000b32", "pktgen_clone1000_burst32")):
                rs = ratio_stats(results, dev, size, name, base)
                s[key] = rs["ratio"] if rs else None
                s[key + "_spread_pct"] = rs["spread_pct"] if rs else None
            cfg[name] = s
        table[(dev, size)] = cfg
    return table


def fmt(v, spec):
    return "-" if v is None else spec % v


def ratio_cell(s, key):
    if s.get(key) is None:
        return "-"
    return "%.2f ±%.0f%%" % (s[key], s[key + "_spread_pct"] or 0)


def print_table(table, metric, out=sys.stdout, only=None):
    """only: the --only list; the other methods are left out, not "failed"."""
    for (dev, size), cfg in table.items():
        reps = max((s["runs"] for s in cfg.values()), default=0)
        out.write("\n### %s, %d-byte frames (%d repetition%s; ratios: median of the per-repetition "
                  "ratios ± their spread, (max-min)/median)\n\n"
                  % (dev, size, reps, "" if reps == 1 else "s"))
        ipp = metric == "icount"
        out.write("| method | %spps (median) | spread | CPU busy | x raw sendto | x pktgen0 | "
                  "x pktgen1000 b32 |\n" % ("instr/pkt | " if ipp else ""))
        out.write("|---|%s---:|---:|---:|---:|---:|---:|\n" % ("---:|" if ipp else ""))
        for m in METHODS:
            s = cfg.get(m["name"])
            name = m["name"] if not m.get("peer") else m["name"] + " (peer)"
            if not runs_on(m, dev, size):
                continue
            if only and m["name"] not in only:
                continue
            if not s:
                out.write("| %s | failed |%s | | | | |\n" % (name, " |" if ipp else ""))
                continue
            out.write("| %s | %s%s | %s%% | %.0f%% | %s | %s | %s |\n" % (
                name, ("{:,.0f} | ".format(s["instr_per_pkt"]) if ipp else ""),
                "{:,.0f}".format(s["pps"]), fmt(s["spread_pct"], "%.1f"),
                100 * s["cpu_busy"],
                ratio_cell(s, "ratio_raw"), ratio_cell(s, "ratio_pktgen0"),
                ratio_cell(s, "ratio_pktgen1000b32")))


def peer_matrix(results, out=sys.stdout):
    """pktcraft's modes against every peer, dummy0/64: median per-repetition
    ratio and its spread."""
    dev, size = HEADLINE
    have = {r["name"] for r in results if r["dev"] == dev and r["size"] == size and ok(r)}
    peers = [p for p in PEERS if p in have]
    mat = {}
    out.write("\n### Ratio of each pktcraft mode to each peer (%s, %d-byte frames; median of the "
              "per-repetition ratios, ± spread)\n\n" % HEADLINE)
    out.write("| pktcraft \\ peer | " + " | ".join(peers) + " |\n")
    out.write("|---|" + "---:|" * len(peers) + "\n")
    for name in PKTCRAFT:
        if name not in have:
            continue
        row = {}
        cells = []
        for p in peers:
            rs = ratio_stats(results, dev, size, name, p)
            row[p] = rs
            cells.append("%.2f ±%.0f%%" % (rs["ratio"], rs["spread_pct"] or 0) if rs else "-")
        mat[name] = row
        out.write("| %s | %s |\n" % (name, " | ".join(cells)))
    return mat


def commands_table(table, out=sys.stdout):
    cfg = table.get(HEADLINE, {})
    out.write("\n### Command lines (%s, %d-byte frames; run in the guest as root)\n\n" % HEADLINE)
    out.write("| method | counted on | frame bytes | command |\n|---|---|---:|---|\n")
    for m in METHODS:
        s = cfg.get(m["name"])
        if s:
            out.write("| %s | %s | %s | `%s` |\n" % (m["name"], s["count_dev"],
                                                    fmt(s["bytes_per_pkt"], "%.0f"),
                                                    s["cmd"].replace("|", "\\|")))


def host_meta(args, info, load_before, load_after):
    host_cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            host_cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    git = sh("git", "-C", TOP, "describe", "--always", "--dirty").stdout.strip()
    dirty = sh("git", "-C", TOP, "status", "--porcelain", "--", "module").stdout.strip()
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "metric": args.metric,
        "guest_kernel": info.get("kernel"),
        "guest_cpus": info.get("cpus"),
        "guest_eth0_qdisc": info.get("eth0_qdisc"),
        "host": platform.node(),
        "host_cpu": host_cpu,
        "host_cores": os.cpu_count(),
        "emulation": "QEMU TCG (no KVM)%s, e1000 NIC on an isolated hub, no hub capture"
                     % (", -icount shift=0 (1 guest ns = 1 instruction), 1 vCPU"
                        if args.metric == "icount" else ", 2 vCPUs, guest time = host time"),
        "seconds_per_run": args.seconds,
        "host_loadavg_1min_before_after": [round(load_before[0], 2), round(load_after[0], 2)],
        "qemu_wall_seconds": info.get("qemu_wall_seconds"),
        "git": git,
        "module_tree": "uncommitted changes under module/" if dirty else "as committed",
    }


def same_frame(frames):
    """tshark -x of SAME_FRAME's first frames (run_guest()): (equal, what to say)."""
    dumps = [frames.get(n, "") for n in SAME_FRAME]
    if all(dumps) and dumps[0] == dumps[1]:
        return True, "%s sends %s's frame byte for byte" % SAME_FRAME[::-1]
    return False, "NOT the same frame: %s" % json.dumps(frames)


def read_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def curves_run(args):
    """--curves: boots a guest for the curves and profiles alone; adds them
    to build/bench.json (its "curves" key) and writes their tables and plots."""
    print("bench: curves: booting the stock guest (metric %s), %d repetition(s), %.2f s guest "
          "time per run" % (args.metric, args.curve_reps, args.seconds), flush=True)
    load_before = os.getloadavg()
    t0 = time.monotonic()
    p, _, info, setup_fail = boot(args, ["--configs", "", "--curves",
                                         "--curve-reps", str(args.curve_reps)])
    meta = host_meta(args, info, load_before, os.getloadavg())
    meta.update(reps=args.curve_reps, mtu=curves.MTU, total_wall_seconds=round(
        time.monotonic() - t0, 1), command="python3 tests/bench/bench.py --curves --curve-reps "
        "%d --seconds %g --metric %s" % (args.curve_reps, args.seconds, args.metric))
    runs = info.get("curves", [])
    cur = curves.summarize(runs, info.get("profiles", []), args.metric, meta)
    for f in cur["failed"]:
        print("bench: curves: %s=%s %s failed: rc %s %s" % (f["curve"], f["x"], f["name"],
                                                           f["rc"], f["stderr"]), file=sys.stderr)
    path = os.path.join(TOP, "build", "bench.json")
    data = read_json(path)
    data["curves"] = cur
    with open(path, "w") as f:
        json.dump(data, f, indent=2)
    plot_only(args)
    if p.returncode != 0 or setup_fail:
        print("bench: curves: the guest failed (exit %d) %s; log: build/bench/guest.log"
              % (p.returncode, setup_fail), file=sys.stderr)
        return 1
    return 1 if cur["failed"] or not runs else 0


def plot_only(args):
    """Tables, SVGs and profiles from build/bench.json's "curves" key, and
    the README's performance paragraph."""
    path = os.path.join(TOP, "build", "bench.json")
    data = read_json(path)
    cur = data.get("curves")
    if not cur:
        print("bench: %s has no \"curves\" key (python3 tests/bench/bench.py --curves)" % path,
              file=sys.stderr)
        return 1
    metric = cur.get("_meta", {}).get("metric", "icount")
    paths = curves.write_outputs(cur, metric, os.path.join(TOP, "build", "bench"))
    with open(paths[0]) as f:
        sys.stdout.write(f.read())
    para = curves.readme_paragraph(data)
    with open(os.path.join(TOP, "build", "bench", "readme.md"), "w") as f:
        f.write(para + "\n")
    print("\nREADME's performance paragraph (build/bench/readme.md):\n\n" + para)
    print("\nbench: wrote %s" % ", ".join(os.path.relpath(q, TOP) for q in paths))
    return 0


def full(args):
    print("bench: booting the stock guest (metric %s): %s, %.2f s guest time per run"
          % (args.metric, args.configs, args.seconds), flush=True)
    load_before = os.getloadavg()
    t0 = time.monotonic()
    extra = ["--configs", args.configs] + (["--only", args.only] if args.only else [])
    p, results, info, setup_fail = boot(args, extra)
    load_after = os.getloadavg()
    if p.returncode != 0 or setup_fail:
        print("bench: the guest failed (exit %d) %s; log: build/bench/guest.log"
              % (p.returncode, setup_fail), file=sys.stderr)
    bad = [r for r in results if not ok(r)]
    for r in bad:
        print("bench: %s on %s/%d failed: rc %s %s" % (r["name"], r["dev"], r["size"], r["rc"],
                                                       r["stderr"]), file=sys.stderr)
    table = summarize(results, args.metric)
    meta = host_meta(args, info, load_before, load_after)
    meta["same_frame"] = same_frame(info.get("frames", {}))[1]
    meta.update(configs=args.configs, xdp_trafficgen=info.get("xdp_trafficgen"))
    host_cpu = meta["host_cpu"]
    if info.get("xdp_trafficgen"):
        print("bench: %s: exit %s: %s" % (info["xdp_trafficgen"]["cmd"],
                                          info["xdp_trafficgen"]["rc"],
                                          info["xdp_trafficgen"]["output"].splitlines()[-1:]))
    print("\nbench: guest kernel %s, %s vCPU(s) under QEMU TCG%s on a %d-core host (%s), %s; "
          "host load average %.1f before, %.1f after; guest ran %.0f s wall; eth0: %s"
          % (meta["guest_kernel"], meta["guest_cpus"],
             " -icount shift=0" if args.metric == "icount" else "", meta["host_cores"],
             host_cpu, meta["date"], load_before[0], load_after[0],
             info.get("qemu_wall_seconds", 0), meta.get("guest_eth0_qdisc") or "?"))
    with open(os.path.join(TOP, "build", "bench", "table.md"), "w") as md:
        for out in (sys.stdout, md):
            print_table(table, args.metric, out, args.only and args.only.split(","))
        mats = [peer_matrix(results, out) for out in (sys.stdout, md)]
        for out in (sys.stdout, md):
            commands_table(table, out)
        targets = []
        dev, size = HEADLINE
        for out in (sys.stdout, md):
            out.write("\n### Issue 14's targets (%s, %d-byte frames, ratio within each repetition)\n\n"
                      % HEADLINE)
            out.write("| target | ratio (median) | spread | per repetition | wanted | |\n"
                      "|---|---:|---:|---|---:|---|\n")
        for what, num, den, want in TARGETS:
            rs = ratio_stats(results, dev, size, num, den)
            met = bool(rs) and rs["ratio"] >= want
            targets.append({"what": what, "num": num, "den": den, "target": want,
                            "met": met, **(rs or {})})
            for out in (sys.stdout, md):
                out.write("| %s | %s | %s | %s | ≥ %.1f | %s |\n" % (
                    what, fmt(rs and rs["ratio"], "%.2f"),
                    fmt(rs and rs["spread_pct"], "%.1f%%"),
                    ", ".join("%.2f" % v for v in rs["per_rep"]) if rs else "-", want,
                    "met" if met else "NOT met"))
        # Every pktcraft mode ahead of the tools: the smallest ratio per mode.
        ahead = {}
        for name, row in mats[0].items():
            tools = {t: row[t] for t in TOOLS if row.get(t)}
            if not tools:
                continue
            worst = min(tools, key=lambda t: tools[t]["ratio"])
            ahead[name] = {"worst_tool": worst, "ratio": tools[worst]["ratio"],
                           "spread_pct": tools[worst]["spread_pct"],
                           "met": tools[worst]["ratio"] > 1.0}
            for out in (sys.stdout, md):
                out.write("| %s ahead of hping3, nping, mausezahn, trafgen (closest: %s) | %.2f | "
                          "%s | | > 1.0 | %s |\n"
                          % (name, worst, tools[worst]["ratio"],
                             fmt(tools[worst]["spread_pct"], "%.1f%%"),
                             "met" if tools[worst]["ratio"] > 1.0 else "NOT met"))
        extra_ratios = []
        for out in (sys.stdout, md):
            out.write("\n### Other ratios (same run)\n\n| ratio | median | spread | per repetition |\n"
                      "|---|---:|---:|---|\n")
        for what, num, den in EXTRA_RATIOS:
            rs = ratio_stats(results, dev, size, num, den)
            extra_ratios.append({"what": what, "num": num, "den": den, **(rs or {})})
            for out in (sys.stdout, md):
                out.write("| %s | %s | %s | %s |\n" % (
                    what, fmt(rs and rs["ratio"], "%.3f"), fmt(rs and rs["spread_pct"], "%.1f%%"),
                    ", ".join("%.3f" % v for v in rs["per_rep"]) if rs else "-"))
    # The spread of every ratio between two methods of the headline config.
    # (The XDP sender is left out of the second figure: its CPU reads idle
    # in /proc/stat and its rate moves by 10-20 % under -icount.)
    names = [n for n in BY_NAME if n in table.get(HEADLINE, {})]
    for key, skip in (("ratio_spread_pct_all_pairs", ()),
                      ("ratio_spread_pct_pairs_without_xdp", ("xdp_live_frames",))):
        allr = []
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                rs = ratio_stats(results, dev, size, a, b)
                if rs and rs["reps"] > 1 and a not in skip and b not in skip:
                    allr.append(rs["spread_pct"])
        if not allr:
            continue
        meta[key] = {"median": statistics.median(allr), "max": max(allr),
                     "pairs": len(allr), "under_5pct": sum(1 for v in allr if v < 5.0)}
        print("%s ratio between two methods (%s/%d), across repetitions%s: "
              "median %.1f%%, max %.1f%%, %d of %d pairs under 5%%"
              % ("\nSpread of the" if not skip else "Spread of the", dev, size,
                 ", without %s" % ", ".join(skip) if skip else "",
                 statistics.median(allr), max(allr), meta[key]["under_5pct"], len(allr)))
    meta["total_wall_seconds"] = round(time.monotonic() - t0, 1)
    out = {"_meta": meta, "_targets": targets, "_ahead_of_tools": ahead,
           "_ratios": extra_ratios, "_peer_matrix": mats[0], "_runs": results}
    for m in METHODS:
        name = m["name"]
        entry = dict(table.get(HEADLINE, {}).get(name, {}))
        entry["configs"] = {"%s/%d" % k: cfg[name] for k, cfg in table.items() if name in cfg}
        out[name] = entry
    path = os.path.join(TOP, "build", "bench.json")
    # The curves (bench.py --curves) stay until the next curves run.
    if read_json(path).get("curves"):
        out["curves"] = read_json(path)["curves"]
    with open(path, "w") as f:
        json.dump(out, f, indent=2)
    print("\nbench: wrote %s (and build/bench/table.md)" % path)
    return 0 if p.returncode == 0 and not bad else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--guest", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--smoke", action="store_true", help="short functional run (make check)")
    ap.add_argument("--metric", choices=("icount", "wall"),
                    default=os.environ.get("BENCH_METRIC", "icount"))
    ap.add_argument("--reps", type=int, default=None,
                    help="repetitions of the headline config (dummy0/64)")
    ap.add_argument("--seconds", type=float, default=None, help="guest seconds per run")
    ap.add_argument("--configs", default=None,
                    help="DEV/SIZE/REPS,... (default: dummy0/64/REPS,dummy0/1500/2,eth0/64/2)")
    ap.add_argument("--only", default=None, help="comma-separated method names")
    ap.add_argument("--curves", action="store_true",
                    help="how cost grows with frame size and burst length, and perf profiles "
                         "(bench.json's \"curves\"; build/bench/curves.md, *.svg, profile-*.txt)")
    ap.add_argument("--curve-reps", type=int, default=2, help="repetitions of the curves")
    ap.add_argument("--plot-only", action="store_true",
                    help="rewrite the curves' tables and SVGs from build/bench.json, no guest")
    ap.add_argument("--timeout", type=int, default=2400, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.seconds is None:
        if args.smoke:
            args.seconds = 0.1
        else:
            args.seconds = 0.3 if args.metric == "icount" else 1.0
    if args.reps is None:
        args.reps = 5
    if args.configs is None:
        args.configs = "dummy0/64/%d,dummy0/1500/2,eth0/64/2" % args.reps
    if args.guest:
        run_guest(args)
        return 0
    if args.plot_only:
        return plot_only(args)
    if not os.access(PCBENCH, os.X_OK):
        print("bench: %s is missing (make build/tests/pcbench)" % PCBENCH, file=sys.stderr)
        return 1
    if args.smoke:
        return smoke(args)
    return curves_run(args) if args.curves else full(args)


if __name__ == "__main__":
    sys.exit(main())
