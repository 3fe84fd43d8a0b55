#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""How a burst scales over CPUs: `pktcraft send --cpus K` for K = 1, 2, 4.

make bench-scale boots one guest of Debian's stock kernel with 4 vCPUs
(wall-clock TCG: QEMU's -icount runs every vCPU in one thread, so it cannot
show scaling) and sends the same varied burst (UDP, 64-byte frames, the
source port counting 1..65535) to a dummy device with 4 transmit queues
under mq, XPS mapping CPU k to queue k, from K = 1, 2 and 4 threads, the
three interleaved within each repetition, and beside them pktgen with K
threads (kpktgend_0 .. K-1, one device "pc-sc0@k" each on queue k,
clone_skb 0, the same 64-byte frame and source ports 1..65535). Packets/s
come from the device's tx_packets over the sender's own elapsed time (the
CLI's, pktgen's longest thread's); ratios are taken within each repetition,
reported as their median and spread ((max - min) / median). A first round
(--warmup) is run and not counted, a precaution: in 3 of 6 runs of an
earlier form the first repetition read 21-30 % low; whether it helps was
not shown (docs/benchmarks.md).

The host has as many CPUs as it has: a guest's 4 vCPUs are 4 host threads,
and above the host's CPU count (2 here) they share CPUs. Each vCPU's
thread is pinned to host CPU k mod their number (tests/vm/run's
VM_PIN_VCPUS; --no-pin leaves them to the host's scheduler, which may put
two busy vCPUs on one host CPU for a while), so that vCPUs 0 and 1, which
--cpus 2 and pktgen's 2 threads use, each have a host CPU. On 2 host CPUs,
4 CPUs can give no more than 2. Writes build/bench/scale.json and build/bench/scale.md.

  tests/bench/scale.py [--reps N] [--warmup N] [--packets N] [--no-pin]
"""
import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLI = os.path.join(TOP, "userspace", "pktcraft")
DEV, SRC, DST, DST_MAC = "pc-sc0", "10.9.1.1", "10.9.1.2", "02:00:00:00:00:02"
KS = (1, 2, 4)
VCPUS = 4


def sh(*cmd):
    return subprocess.run(cmd, capture_output=True, text=True)


def tx_packets():
    with open("/sys/class/net/%s/statistics/tx_packets" % DEV) as f:
        return int(f.read())


def pg_write(f, line):
    with open("/proc/net/pktgen/" + f, "w") as fh:
        fh.write(line + "\n")      # pgctrl drops the last character


def pktgen(k, count, ncpu):
    """pktgen with k threads, count packets each; (packets, seconds, cmds)."""
    cmds = []

    def w(f, line):
        cmds.append("echo '%s' > /proc/net/pktgen/%s" % (line, f))
        pg_write(f, line)
    for t in range(ncpu):
        w("kpktgend_%d" % t, "rem_device_all")
    for t in range(k):
        d = "%s@%d" % (DEV, t)
        w("kpktgend_%d" % t, "add_device " + d)
        for line in ("count %d" % count, "clone_skb 0", "burst 1", "pkt_size 64", "delay 0",
                     "dst " + DST, "dst_mac " + DST_MAC, "src_min " + SRC, "src_max " + SRC,
                     "udp_src_min 1", "udp_src_max 65535", "udp_dst_min 9", "udp_dst_max 9",
                     "queue_map_min %d" % t, "queue_map_max %d" % t):
            w(d, line)
    w("pgctrl", "start")
    secs = 0.0
    for t in range(k):
        with open("/proc/net/pktgen/%s@%d" % (DEV, t)) as f:
            for line in f:
                if "Result: OK: " in line:
                    secs = max(secs, int(line.split("Result: OK: ")[1].split("(")[0]) / 1e6)
    for t in range(k):
        w("kpktgend_%d" % t, "rem_device_all")
    return secs, cmds


def guest(args):
    ncpu = os.cpu_count()
    for cmd in (["modprobe", "pktgen"], ["modprobe", "dummy", "numdummies=0"],
                ["ip", "link", "add", DEV, "numtxqueues", str(VCPUS), "type", "dummy"],
                ["ip", "link", "set", DEV, "txqueuelen", "1000", "up"],
                ["ip", "addr", "add", SRC + "/24", "dev", DEV],
                ["tc", "qdisc", "replace", "dev", DEV, "root", "handle", "1:", "mq"]):
        r = sh(*cmd)
        if r.returncode and cmd[0] != "modprobe":
            print("SETUP-FAIL %s: %s" % (" ".join(cmd), r.stderr.strip()), flush=True)
    for q in range(VCPUS):
        with open("/sys/class/net/%s/queues/tx-%d/xps_cpus" % (DEV, q), "w") as f:
            f.write("%x" % (1 << q))
    print("INFO " + json.dumps({"kernel": platform.release(), "cpus": ncpu}), flush=True)
    for rep in range(-args.warmup, args.reps):     # rep < 0: warm-up, not counted
        for k in KS:
            if k > ncpu:
                continue
            cmd = [CLI, "send", "--json", "--no-replies", "--udp", "--dev", DEV, "--dst", DST,
                   "--dst-mac", DST_MAC, "--src", SRC, "--sport", "1", "--dport", "9",
                   "--data-length", "22", "--count", str(args.packets * k),
                   "--vary", "sport=inc:1-65535", "--cpus", str(k)]
            t0 = tx_packets()
            p = subprocess.run(cmd, capture_output=True, text=True)
            dev = tx_packets() - t0
            res = {"method": "pktcraft", "k": k, "rep": rep, "rc": p.returncode, "stderr": p.stderr.strip()[-300:],
                   "dev_packets": dev, "cmd": " ".join(cmd[:1] + ["send"] + cmd[2:])}
            try:
                s = json.loads(p.stdout.strip().splitlines()[-1])
                res.update(sent=s["sent"], seconds=s["seconds"],
                           pps=dev / s["seconds"] if s["seconds"] > 0 else 0)
            except (ValueError, IndexError, KeyError):
                pass
            print("SCALE " + json.dumps(res), flush=True)
            res = {"method": "pktgen", "k": k, "rep": rep}
            t0 = tx_packets()
            try:
                secs, cmds = pktgen(k, args.packets, ncpu)
                res.update(rc=0, stderr="", seconds=secs, sent=args.packets * k,
                           cmd="; ".join(cmds))
            except OSError as e:
                res.update(rc=1, stderr=str(e), seconds=0, cmd="")
            res["dev_packets"] = tx_packets() - t0
            res["pps"] = res["dev_packets"] / secs if res.get("seconds") else 0
            print("SCALE " + json.dumps(res), flush=True)


def progress(line, reps):
    """A line per repetition, from the guest's SCALE lines as they come."""
    if not line.startswith("SCALE "):
        return
    try:
        r = json.loads(line[6:])
    except ValueError:
        return
    if r.get("method") != "pktgen" or r.get("k") != KS[-1]:
        return
    print("bench-scale: %s done" % ("warm-up round" if r["rep"] < 0 else
                                    "repetition %d of %d" % (r["rep"] + 1, reps)), flush=True)


def spread(v):
    m = statistics.median(v)
    return (max(v) - min(v)) / m if m else 0.0


def host(args):
    outdir = os.path.join(TOP, "build", "bench")
    os.makedirs(outdir, exist_ok=True)
    cmd = [os.path.join(TOP, "tests", "vm", "run"), "--kernel", "stock", "--smp", str(VCPUS),
           "--timeout", "1800", "--", "/usr/bin/python3", os.path.abspath(__file__),
           "--guest", "--reps", str(args.reps), "--warmup", str(args.warmup),
           "--packets", str(args.packets)]
    print("bench-scale: a stock guest with %d vCPUs%s, --cpus %s, %d repetitions after %d "
          "not counted" % (VCPUS, "" if args.no_pin else " (pinned)", "/".join(map(str, KS)),
                           args.reps, args.warmup), flush=True)
    load0 = os.getloadavg()[0]
    t0 = time.monotonic()
    # One host thread per vCPU (tests/vm/run's default runs them all in one,
    # which would measure round-robin, not scaling), with its hazard: a
    # guest may hang if the kernel patches code one vCPU runs while
    # another translates it (tests/vm/README.md); --timeout ends it then.
    env = dict(os.environ, VM_TCG_THREAD="multi", VM_PIN_VCPUS="0" if args.no_pin else "1")
    out = []
    with tempfile.TemporaryFile(mode="w+", errors="replace") as err, \
            subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, text=True,
                             errors="replace", env=env) as p:
        try:
            for line in p.stdout:      # the guest's console, as it runs
                out.append(line)
                progress(line, args.reps)
        except BaseException:
            # Not left running with nobody reading: tests/vm/run stops
            # QEMU on SIGTERM (a SIGKILL would leave QEMU behind).
            p.terminate()
            try:
                p.wait(30)
            except subprocess.TimeoutExpired:
                p.kill()
            raise
        rc = p.wait()
        err.seek(0)
        stdout, stderr = "".join(out), err.read()
    wall = time.monotonic() - t0
    with open(os.path.join(outdir, "guest-scale.log"), "w") as f:
        f.write(stdout + stderr)
    runs, info, bad = [], {}, []
    pinned = [ln[4:] for ln in stderr.splitlines() if ln.startswith("vm: vCPU ")]
    for line in stdout.splitlines():
        if line.startswith("SCALE "):
            runs.append(json.loads(line[6:]))
        elif line.startswith("INFO "):
            info = json.loads(line[5:])
        elif line.startswith("SETUP-FAIL "):
            bad.append(line[11:])
    for r in runs:
        if r["rc"] != 0 or r.get("sent") != r["dev_packets"]:
            bad.append("%s, %d CPUs, %s: exit %d, sent %s, device counted %d: %s"
                       % (r["method"], r["k"], "warm-up" if r["rep"] < 0 else
                          "repetition %d" % (r["rep"] + 1), r["rc"], r.get("sent"),
                          r["dev_packets"], r["stderr"]))
    if rc or bad or not runs:
        print("bench-scale: failed (log: build/bench/guest-scale.log)", file=sys.stderr)
        for b in bad:
            print("  " + b, file=sys.stderr)
        if rc:
            print((stdout + stderr)[-2000:], file=sys.stderr)
        return 1
    if not args.no_pin and len(pinned) != VCPUS:
        print("bench-scale: the vCPUs were not pinned (log: build/bench/guest-scale.log)",
              file=sys.stderr)
        return 1
    by = {(r["method"], r["k"], r["rep"]): r for r in runs if r["rep"] >= 0}
    rows = []
    for method in ("pktcraft", "pktgen"):
        for k in KS:
            reps = [i for i in range(args.reps) if (method, k, i) in by]
            if not reps:
                continue
            pps = [by[(method, k, i)]["pps"] for i in reps]
            to1 = [by[(method, k, i)]["pps"] / by[(method, 1, i)]["pps"] for i in reps
                   if by.get((method, 1, i), {}).get("pps")]
            topg = [by[(method, k, i)]["pps"] / by[("pktgen", k, i)]["pps"] for i in reps
                    if by.get(("pktgen", k, i), {}).get("pps")]
            rows.append({"method": method, "k": k, "pps_median": statistics.median(pps),
                         "pps_spread": spread(pps), "ratio_median": statistics.median(to1),
                         "ratio_spread": spread(to1), "ratios": to1,
                         "vs_pktgen_median": statistics.median(topg),
                         "vs_pktgen_spread": spread(topg),
                         "cmd": by[(method, k, reps[0])]["cmd"]})
    meta = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "commit": sh("git", "-C", TOP, "describe", "--always", "--dirty").stdout.strip(),
            "host_cores": os.cpu_count(), "load_before": round(load0, 1),
            "load_after": round(os.getloadavg()[0], 1), "qemu_wall_seconds": round(wall, 1),
            "guest": info, "reps": args.reps, "warmup": args.warmup,
            "packets_per_thread": args.packets, "pinned": pinned}
    with open(os.path.join(outdir, "scale.json"), "w") as f:
        json.dump({"_meta": meta, "rows": rows, "runs": runs}, f, indent=1)
    lines = ["| sender | CPUs | packets/s (median) | spread | ratio to 1 CPU | spread "
             "| ratio to pktgen, same CPUs | spread |", "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append("| %s | %d | %.0f | %.0f %% | %.2f | %.0f %% | %.2f | %.0f %% |"
                     % ("pktcraft --cpus K" if r["method"] == "pktcraft" else "pktgen, K threads",
                        r["k"], r["pps_median"], 100 * r["pps_spread"], r["ratio_median"],
                        100 * r["ratio_spread"], r["vs_pktgen_median"], 100 * r["vs_pktgen_spread"]))
    lines.append("")
    lines.append("%s, commit %s, guest %s with %s vCPUs on a host with %d CPUs (load %.1f before, "
                 "%.1f after), %d repetitions of %d packets a thread after %d not counted; %s."
                 % (meta["date"], meta["commit"], info.get("kernel"), info.get("cpus"),
                    meta["host_cores"], meta["load_before"], meta["load_after"], args.reps,
                    args.packets, args.warmup,
                    "vCPU threads left to the host's scheduler" if args.no_pin else
                    "pinned: " + ", ".join(re.sub(r": host thread \d+", "", x) for x in pinned)))
    lines.append("")
    lines.append("Ratios to 1 CPU, each repetition: " + "; ".join(
        "%s %d CPUs %s" % (r["method"], r["k"], " ".join("%.2f" % x for x in r["ratios"]))
        for r in rows if r["k"] > 1) + ".")
    lines.append("")
    for r in rows:
        if r["k"] == 2:
            lines.append("- %s, K = 2: `%s`" % (r["method"], r["cmd"]))
    text = "\n".join(lines) + "\n"
    with open(os.path.join(outdir, "scale.md"), "w") as f:
        f.write(text)
    print(text, end="")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--guest", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--reps", type=int, default=9)
    ap.add_argument("--warmup", type=int, default=1, help="rounds run first, not counted")
    ap.add_argument("--no-pin", action="store_true",
                    help="leave the vCPU threads to the host's scheduler")
    ap.add_argument("--packets", type=int, default=300000, help="packets a thread, per run")
    args = ap.parse_args()
    if args.reps < 1 or args.warmup < 0 or args.packets < 1:
        ap.error("--reps and --packets must be 1 or more, --warmup 0 or more")
    return guest(args) if args.guest else host(args)


if __name__ == "__main__":
    sys.exit(main())
