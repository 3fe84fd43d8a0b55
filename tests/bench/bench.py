#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Transmit benchmark: pktcraft against raw sockets, AF_PACKET and pktgen.

Host mode (default) boots ONE guest on Debian's stock kernel (never the
debug one) through tests/vm/run, without a capture, and runs this same file
there in --guest mode, which runs build/tests/pcbench for every method, on
dummy0 and on the e1000 eth0, with 64- and 1500-byte frames, --reps times
(interleaved). The host then prints a table (median packets/s, spread, CPU
per packet, ratios to the raw socket and to pktgen clone_skb 0 / 1000) and
writes build/bench.json.

--smoke (make check): one short run per method and device, 64-byte frames;
"PASS:"/"FAIL:" lines saying each method works and produced a number. No
timing thresholds.
"""
import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PCBENCH = os.path.join(TOP, "build", "tests", "pcbench")

# name in the table / bench.json -> pcbench method
METHODS = [
    ("raw_sendto", "raw"),
    ("packet_sendmmsg", "mmsg"),
    ("packet_tx_ring", "txring"),
    ("pktcraft_single", "pc1"),
    ("pktcraft_burst64_distinct", "pcb64d"),
    ("pktcraft_burst64_identical", "pcb64i"),
    ("pktcraft_burst64_identical_clone", "pcb64c"),
    ("pktcraft_burst1024_distinct", "pcb1024d"),
    ("pktcraft_burst1024_identical", "pcb1024i"),
    ("pktcraft_burst1024_identical_clone", "pcb1024c"),
    ("pktgen_clone0", "pktgen0"),
    ("pktgen_clone1000", "pktgen1000"),
]

DEVICES = {
    # dummy0: made here; eth0: the guest's e1000, its static gateway neighbour
    "dummy0": ["--src", "10.9.0.1", "--dst", "10.9.0.2", "--dst-mac", "02:00:00:00:00:02"],
    "eth0": ["--src", "10.1.0.2", "--dst", "10.1.0.1", "--dst-mac", "52:54:00:00:00:01"],
}

# (what, numerator, denominator, wanted ratio) on dummy0, 64-byte frames
TARGETS = [
    ("pktcraft single-packet ioctl vs raw-socket sendto",
     "pktcraft_single", "raw_sendto", 1.2),
    ("pktcraft burst of 64 distinct packets vs pktgen clone_skb 0",
     "pktcraft_burst64_distinct", "pktgen_clone0", 0.8),
    ("pktcraft burst of 1024 distinct packets vs pktgen clone_skb 0",
     "pktcraft_burst1024_distinct", "pktgen_clone0", 0.8),
    ("pktcraft burst of 64 identical packets vs pktgen clone_skb 1000",
     "pktcraft_burst64_identical", "pktgen_clone1000", 0.8),
    ("pktcraft burst of 1024 identical packets vs pktgen clone_skb 1000",
     "pktcraft_burst1024_identical", "pktgen_clone1000", 0.8),
    ("pktcraft burst of 1024 identical packets, clone path (any caller) vs pktgen clone_skb 1000",
     "pktcraft_burst1024_identical_clone", "pktgen_clone1000", 0.8),
]


# ---------------------------------------------------------------- guest side
def sh(*cmd):
    return subprocess.run(list(cmd), capture_output=True, text=True)


def run_guest(args):
    r = sh("modprobe", "pktgen")
    if r.returncode:
        print("SETUP-FAIL modprobe pktgen: " + r.stderr.strip(), flush=True)
    for cmd in (["ip", "link", "add", "dummy0", "type", "dummy"],
                ["ip", "link", "set", "dummy0", "up"],
                ["ip", "addr", "add", "10.9.0.1/24", "dev", "dummy0"],
                ["ip", "neigh", "replace", "10.9.0.2", "lladdr", "02:00:00:00:00:02",
                 "nud", "permanent", "dev", "dummy0"]):
        r = sh(*cmd)
        if r.returncode:
            print("SETUP-FAIL %s: %s" % (" ".join(cmd), r.stderr.strip()), flush=True)
    info = {"kernel": platform.release(), "cpus": os.cpu_count()}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    info["cpu_model"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    print("INFO " + json.dumps(info), flush=True)
    sizes = [int(s) for s in args.sizes.split(",")]
    devices = args.devices.split(",")
    for dev in devices:
        for size in sizes:
            for rep in range(args.reps):
                for name, m in METHODS:
                    cmd = [PCBENCH, m, "--dev", dev, "--size", str(size),
                           "--seconds", str(args.seconds)] + DEVICES[dev]
                    r = subprocess.run(cmd, capture_output=True, text=True)
                    res = {"name": name, "dev": dev, "size": size, "rep": rep,
                           "rc": r.returncode, "stderr": r.stderr.strip()[-500:]}
                    try:
                        res.update(json.loads(r.stdout.strip().splitlines()[-1]))
                    except (ValueError, IndexError):
                        pass
                    print("BENCH " + json.dumps(res), flush=True)


# ----------------------------------------------------------------- host side
def boot(args, extra):
    cmd = [os.path.join(TOP, "tests", "vm", "run"), "--kernel", "stock",
           "--timeout", str(args.timeout), "--",
           "/usr/bin/python3", os.path.abspath(__file__), "--guest"] + extra
    p = subprocess.run(cmd, capture_output=True, text=True)
    outdir = os.path.join(TOP, "build", "bench")
    os.makedirs(outdir, exist_ok=True)
    with open(os.path.join(outdir, "guest-smoke.log" if args.smoke else "guest.log"), "w") as f:
        f.write(p.stdout + p.stderr)
    results, info, setup_fail = [], {}, []
    for line in p.stdout.splitlines():
        line = line.strip()
        if line.startswith("BENCH "):
            results.append(json.loads(line[6:]))
        elif line.startswith("INFO "):
            info = json.loads(line[5:])
        elif line.startswith("SETUP-FAIL "):
            setup_fail.append(line[11:])
    return p, results, info, setup_fail


def smoke(args):
    failed = passed = 0

    def check(ok, name, detail=""):
        nonlocal failed, passed
        if ok:
            passed += 1
            print("PASS: " + name)
        else:
            failed += 1
            print("FAIL: %s: %s" % (name, detail))
        sys.stdout.flush()

    print("bench smoke: booting the stock guest, %.1f s per method" % args.seconds, flush=True)
    p, results, _, setup_fail = boot(args, ["--reps", "1", "--seconds", str(args.seconds),
                                            "--sizes", "64"])
    check(p.returncode == 0 and not setup_fail,
          "bench smoke: stock guest ran cleanly (pktgen, dummy0 set up; no kernel report)",
          "tests/vm/run exit %d; %s\n%s" % (p.returncode, setup_fail, (p.stdout + p.stderr)[-2000:]))
    for dev in DEVICES:
        for name, _ in METHODS:
            r = [x for x in results if x["name"] == name and x["dev"] == dev]
            ok = bool(r) and r[0]["rc"] == 0 and r[0].get("packets", 0) > 0 and \
                r[0].get("pps", 0) > 0 and r[0].get("cpu_ns_per_pkt", 0) >= 0
            check(ok, "bench smoke: %s on %s works and measures a rate (%s pps, %s ns CPU/packet)"
                  % (name, dev, "%.0f" % r[0]["pps"] if ok else "-",
                     "%.0f" % r[0]["cpu_ns_per_pkt"] if ok else "-"),
                  json.dumps(r[0]) if r else "no result")
    print("bench smoke: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


def summarize(results):
    """{(dev, size): {name: stats}}"""
    table = {}
    for dev in DEVICES:
        for size in sorted({r["size"] for r in results}):
            cfg = {}
            for name, _ in METHODS:
                runs = [r for r in results if r["name"] == name and r["dev"] == dev
                        and r["size"] == size and r["rc"] == 0 and r.get("packets", 0) > 0]
                if not runs:
                    continue
                pps = [r["pps"] for r in runs]
                cpu = [r["cpu_ns_per_pkt"] for r in runs]
                med = statistics.median(pps)
                cfg[name] = {
                    "pps": round(med, 1),
                    "pps_min": round(min(pps), 1),
                    "pps_max": round(max(pps), 1),
                    "spread_pct": round(100.0 * (max(pps) - min(pps)) / med, 1) if med else None,
                    "cpu_ns_per_pkt": round(statistics.median(cpu), 1),
                    "runs": len(runs),
                }
            for s in cfg.values():
                for key, base in (("ratio_raw", "raw_sendto"), ("ratio_pktgen0", "pktgen_clone0"),
                                  ("ratio_pktgen1000", "pktgen_clone1000")):
                    b = cfg.get(base)
                    s[key] = round(s["pps"] / b["pps"], 3) if b and b["pps"] else None
            if cfg:
                table[(dev, size)] = cfg
    return table


def fmt(v, spec):
    return "-" if v is None else spec % v


def print_table(table, out=sys.stdout):
    for (dev, size), cfg in table.items():
        out.write("\n%s, %d-byte frames\n" % (dev, size))
        out.write("| method | pps (median) | spread | CPU ns/pkt | x raw | x pktgen0 | x pktgen1000 |\n")
        out.write("|---|---:|---:|---:|---:|---:|---:|\n")
        for name, _ in METHODS:
            s = cfg.get(name)
            if not s:
                out.write("| %s | failed | | | | | |\n" % name)
                continue
            out.write("| %s | %s | %s%% | %s | %s | %s | %s |\n" % (
                name, "{:,.0f}".format(s["pps"]), fmt(s["spread_pct"], "%.0f"),
                "{:,.0f}".format(s["cpu_ns_per_pkt"]), fmt(s["ratio_raw"], "%.2f"),
                fmt(s["ratio_pktgen0"], "%.2f"), fmt(s["ratio_pktgen1000"], "%.2f")))


def full(args):
    print("bench: booting the stock guest: %d reps x %d methods x %d devices x %d sizes, %.1f s each"
          % (args.reps, len(METHODS), len(DEVICES), len(args.sizes.split(",")), args.seconds),
          flush=True)
    load_before = os.getloadavg()
    p, results, info, setup_fail = boot(args, ["--reps", str(args.reps), "--seconds",
                                               str(args.seconds), "--sizes", args.sizes])
    load_after = os.getloadavg()
    if p.returncode != 0 or setup_fail:
        print("bench: the guest failed (exit %d) %s; log: build/bench/guest.log"
              % (p.returncode, setup_fail), file=sys.stderr)
    bad = [r for r in results if r["rc"] != 0]
    for r in bad:
        print("bench: %s on %s/%d failed: %s" % (r["name"], r["dev"], r["size"], r["stderr"]),
              file=sys.stderr)
    table = summarize(results)
    host_cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            host_cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    meta = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "guest_kernel": info.get("kernel"),
        "guest_cpus": info.get("cpus"),
        "host_cpu": host_cpu,
        "host_cores": os.cpu_count(),
        "emulation": "QEMU TCG (no KVM), e1000 NIC on an isolated hub, no capture",
        "reps": args.reps, "seconds_per_run": args.seconds,
        # The guest's 2 vCPUs are host threads: other host load shows up as
        # spread (the guest itself adds about 2 to the load average).
        "host_loadavg_1min_before_after": [round(load_before[0], 2), round(load_after[0], 2)],
    }
    print("\nbench: guest kernel %s, %s vCPUs under QEMU TCG on a %d-core host (%s), %s; "
          "host load average %.1f before, %.1f after"
          % (meta["guest_kernel"], meta["guest_cpus"], meta["host_cores"], host_cpu, meta["date"],
             load_before[0], load_after[0]))
    print_table(table)
    head = table.get(("dummy0", 64), {})
    print("\nTargets (dummy0, 64-byte frames, same run):")
    targets = []
    for what, num, den, want in TARGETS:
        a, b = head.get(num), head.get(den)
        ratio = round(a["pps"] / b["pps"], 3) if a and b and b["pps"] else None
        met = ratio is not None and ratio >= want
        # The same ratio within each repetition (the methods of one repetition
        # run back to back, so they share the host's load at that moment).
        paired = []
        for rep in range(args.reps):
            x = [r["pps"] for r in results if r["name"] == num and r["dev"] == "dummy0"
                 and r["size"] == 64 and r["rep"] == rep and r["rc"] == 0]
            y = [r["pps"] for r in results if r["name"] == den and r["dev"] == "dummy0"
                 and r["size"] == 64 and r["rep"] == rep and r["rc"] == 0]
            if x and y and y[0]:
                paired.append(x[0] / y[0])
        targets.append({"what": what, "ratio": ratio, "target": want, "met": met,
                        "paired_ratios": [round(v, 3) for v in paired]})
        print("  %-66s %s (target >= %.1f: %s; per repetition %s)"
              % (what, fmt(ratio, "%.2f"), want, "met" if met else "NOT met",
                 ", ".join("%.2f" % v for v in paired)))
    out = {"_meta": meta, "_targets": targets}
    for name, _ in METHODS:
        entry = dict(head.get(name, {}))
        entry["configs"] = {"%s/%d" % k: cfg[name] for k, cfg in table.items() if name in cfg}
        out[name] = entry
    path = os.path.join(TOP, "build", "bench.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=2)
    with open(os.path.join(TOP, "build", "bench", "table.md"), "w") as f:
        print_table(table, f)
    print("\nbench: wrote %s (and build/bench/table.md)" % path)
    return 0 if p.returncode == 0 and not bad else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--guest", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--smoke", action="store_true", help="short functional run (make check)")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--seconds", type=float, default=None)
    ap.add_argument("--sizes", default="64,1500")
    ap.add_argument("--devices", default="dummy0,eth0", help=argparse.SUPPRESS)
    ap.add_argument("--timeout", type=int, default=900, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.seconds is None:
        args.seconds = 0.2 if args.smoke else 1.0
    if args.guest:
        run_guest(args)
        return 0
    if not os.access(PCBENCH, os.X_OK):
        print("bench: %s is missing (make build/tests/pcbench)" % PCBENCH, file=sys.stderr)
        return 1
    return smoke(args) if args.smoke else full(args)


if __name__ == "__main__":
    sys.exit(main())
