# SPDX-License-Identifier: GPL-2.0
"""How cost grows: bench.py --curves.

Guest side: on dummy0 with MTU 9000, the frame size sweep (SIZES x
SIZE_METHODS) and the burst length sweep (BURSTS x BURST_MODES, 64-byte
frames), the methods interleaved within each repetition; then `perf record
-e cpu-clock -a -g` around a pktcraft distinct burst and a single-packet
loop (PROFILES). Host side: the "curves" key of build/bench.json, and from
it build/bench/curves.md, cost-vs-size.svg, cost-vs-burst.svg,
profile-*.txt (hand-written SVG, no plotting library).
"""
import json
import math
import os
import re
import statistics
import subprocess

SIZES = [64, 128, 256, 512, 1024, 1500, 4000, 9000]
MTU = 9000
# (row name, pcbench method)
SIZE_METHODS = [
    ("pktcraft_single", "pc1"),
    ("pktcraft_burst1024_distinct", "pcb1024d"),
    ("pktcraft_burst1024_identical_qdisc", "pcb1024q"),
    ("pktcraft_burst1024_identical", "pcb1024i"),
    ("raw_sendto", "raw"),
    ("packet_sendto", "psendto"),
    ("pktgen_clone0", "pktgen0"),
]
BURSTS = [1, 4, 16, 64, 256, 1024, 16384, 262144, 1048576]
BURST_SIZE = 64
# (row name, pcbench burst mode letter)
BURST_MODES = [
    ("pktcraft_burst_distinct", "d"),
    ("pktcraft_burst_identical_qdisc", "q"),
    ("pktcraft_burst_identical", "i"),
]
PROFILES = [
    ("pktcraft_burst1024_distinct", "pcb1024d"),
    ("pktcraft_single", "pc1"),
    ("pktcraft_batch64", "pcbatch64"),
]
# What --smoke runs: one point of each curve, one short profile.
SMOKE_SIZES = [9000]
SMOKE_SIZE_METHODS = ["pktcraft_burst1024_distinct", "packet_sendto"]
SMOKE_BURSTS = [1, 16384]
SMOKE_BURST_MODES = ["pktcraft_burst_distinct"]
SMOKE_PROFILES = ["pktcraft_single"]
TOP15 = 15


def method(name, m):
    return {"name": name, "kind": "pc", "m": m}


def plan(smoke):
    """[(curve, x, name, method dict, frame size)] of one repetition."""
    out = []
    for size in SMOKE_SIZES if smoke else SIZES:
        for name, m in SIZE_METHODS:
            if not smoke or name in SMOKE_SIZE_METHODS:
                out.append(("size", size, name, method(name, m), size))
    for n in SMOKE_BURSTS if smoke else BURSTS:
        for name, mode in BURST_MODES:
            if not smoke or name in SMOKE_BURST_MODES:
                out.append(("burst", n, name, method(name, "pcb%d%s" % (n, mode)), BURST_SIZE))
    return out


# ---------------------------------------------------------------- guest side
def set_mtu(sh, dev="dummy0"):
    r = sh("ip", "link", "set", dev, "mtu", str(MTU))
    if r.returncode:
        print("SETUP-FAIL ip link set %s mtu %d: %s" % (dev, MTU, r.stderr.strip()), flush=True)


def run_guest(args, sh, run_pc, repro, child_sched, top):
    """Prints a CURVE line a run and a PROFILE line a profile."""
    set_mtu(sh)
    reps = 1 if args.smoke else args.curve_reps
    import time
    for rep in range(reps):
        for curve, x, name, m, size in plan(args.smoke):
            w0 = time.monotonic()
            res = run_pc(m, "dummy0", size, args.seconds)
            res.update(curve=curve, x=x, name=name, dev="dummy0", size=size, rep=rep,
                       count_dev="dummy0", cmd=repro(m, "dummy0", size, args.seconds),
                       guest_secs=round(time.monotonic() - w0, 2))
            print("CURVE " + json.dumps(res), flush=True)
    for name, m in PROFILES:
        if args.smoke and name not in SMOKE_PROFILES:
            continue
        secs = args.seconds if args.smoke else 1.0
        res = profile(name, method(name, m), secs, repro, child_sched, top)
        print("PROFILE " + json.dumps(res), flush=True)


PERF_LINE = re.compile(r"^\s*([\d.]+)%\s+(\S+)\s+\[(\S)\]\s+(.+?)\s*$")
PERF_CHILD = re.compile(r"^\s*([\d.]+)%\s+([\d.]+)%\s+\[(\S)\]\s+(.+?)\s*$")


# pcbench --jitter: a random spin after each ioctl, so that the sampler
# cannot lock onto one point of a loop as periodic as the -icount clock
# (one symbol read 9 % at -F 10000 and 28 % at -F 9973 before); its own
# samples are then left out of the percentages.
JITTER = 600
SPIN = "pcbench_spin"


def profile(name, m, seconds, repro, child_sched, top):
    """perf record -e cpu-clock -a -g around one pcbench run (dummy0, 64)."""
    pc = repro(m, "dummy0", 64, seconds) + " --jitter %d" % JITTER
    data = "/tmp/perf-%s.data" % name
    rec = ["perf", "record", "-e", "cpu-clock", "-F", "10000", "-a", "-g", "-o", data, "--"]
    res = {"name": name, "cmd": "cd %s && %s %s" % (top, " ".join(rec), pc),
           "pcbench": pc}
    r = subprocess.run(rec + pc.split(), cwd=top, capture_output=True, text=True,
                       preexec_fn=child_sched)
    res["record_rc"] = r.returncode
    res["record_stderr"] = r.stderr.strip()[-600:]
    try:
        res["run"] = json.loads(r.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        pass
    if r.returncode:
        return res
    flat = ["perf", "report", "-i", data, "--stdio", "--no-children", "--sort", "dso,sym",
            "-g", "none", "--percent-limit", "0.1"]
    tree = ["perf", "report", "-i", data, "--stdio", "--children", "--sort", "sym",
            "-g", "none", "--percent-limit", "2"]
    res["report_cmd"] = " ".join(flat)
    res["children_cmd"] = " ".join(tree)
    f = subprocess.run(flat, capture_output=True, text=True)
    c = subprocess.run(tree, capture_output=True, text=True)
    res["report_rc"] = f.returncode
    res["report_stderr"] = f.stderr.strip()[-600:]
    res["report"] = f.stdout[-20000:]
    res["children"] = c.stdout[-12000:]
    res["top"] = []
    for line in f.stdout.splitlines():
        mm = PERF_LINE.match(line)
        if mm:
            res["top"].append([float(mm.group(1)), mm.group(2), mm.group(4)])
        elif line.startswith("# Samples:") or line.startswith("# Total Lost"):
            res.setdefault("header", []).append(line[2:])
    res["inclusive"] = []
    for line in c.stdout.splitlines():
        mm = PERF_CHILD.match(line)
        if mm and mm.group(3) == "k":     # the user-space callers hold the spin too
            res["inclusive"].append([float(mm.group(1)), float(mm.group(2)), mm.group(4)])
    # Percentages of the samples outside the spin (raw ones: "report").
    spin = sum(t[0] for t in res["top"] if t[2] == SPIN)
    k = 100.0 / (100.0 - spin) if spin < 100 else 0.0
    res["spin_pct"] = round(spin, 2)
    res["top"] = [[round(t[0] * k, 2), t[1], t[2]] for t in res["top"] if t[2] != SPIN]
    res["inclusive"] = [[round(a * k, 2), round(b * k, 2), sym] for a, b, sym in res["inclusive"]]
    return res


# ----------------------------------------------------------------- host side
def summarize(results, profiles, metric, meta):
    """The "curves" key of bench.json."""
    ok = [r for r in results if r["rc"] == 0 and r.get("packets", 0) > 0 and r.get("pps", 0) > 0]
    out = {"_meta": meta}
    for curve, xs in (("size", SIZES), ("burst", BURSTS)):
        rows = {}
        for r in ok:
            if r["curve"] != curve:
                continue
            rows.setdefault(r["name"], {}).setdefault(r["x"], []).append(r)
        cur = {"x": [x for x in xs if any(x in v for v in rows.values())], "methods": {}}
        for name, byx in rows.items():
            pts = {}
            for x, runs in sorted(byx.items()):
                pps = [r["pps"] for r in runs]
                med = statistics.median(pps)
                pts[str(x)] = {
                    "pps": round(med, 1),
                    "instr_per_pkt": round(1e9 / med, 1) if metric == "icount" else None,
                    "cpu_ns_per_pkt": round(statistics.median(r["cpu_ns_per_pkt"] for r in runs), 1),
                    "cpu_busy": round(statistics.median(r.get("cpu_busy", 0) for r in runs), 3),
                    "spread_pct": round(100.0 * (max(pps) - min(pps)) / med, 1),
                    "runs": len(runs),
                    "bytes_per_pkt": runs[0].get("bytes_per_pkt"),
                    "cmd": runs[0]["cmd"],
                }
            cur["methods"][name] = pts
        out[curve] = cur
    out["failed"] = [{k: r.get(k) for k in ("curve", "x", "name", "rc", "stderr")}
                     for r in results if r not in ok]
    out["profiles"] = {p["name"]: p for p in profiles}
    return out


def value(pt, metric):
    return pt["instr_per_pkt"] if metric == "icount" else pt["cpu_ns_per_pkt"]


def kfmt(x):
    if x >= 1048576 and x % 1048576 == 0:
        return "%dM" % (x // 1048576)
    if x >= 16384 and x % 1024 == 0:
        return "%dk" % (x // 1024)
    return str(x)


def tables(cur, metric, out):
    unit = "instructions/packet" if metric == "icount" else "CPU ns/packet"
    for curve, what in (("size", "frame size (bytes, Ethernet header included)"),
                        ("burst", "burst length (packets per ioctl, %d-byte frames)" % BURST_SIZE)):
        c = cur.get(curve)
        if not c or not c["methods"]:
            continue
        xs = c["x"]
        for key, title, f in (("v", unit, "{:,.0f}"), ("pps", "packets/s", "{:,.0f}"),
                              ("cpu_ns_per_pkt", "CPU ns/packet (/proc/stat busy time)",
                               "{:,.0f}")):
            out.write("\n#### %s against %s\n\n" % (title, what))
            out.write("| method | " + " | ".join(kfmt(x) for x in xs) + " |\n")
            out.write("|---|" + "---:|" * len(xs) + "\n")
            for name, pts in c["methods"].items():
                cells = []
                for x in xs:
                    pt = pts.get(str(x))
                    v = None if not pt else (value(pt, metric) if key == "v" else pt[key])
                    cells.append("-" if v is None else f.format(v))
                out.write("| %s | %s |\n" % (name, " | ".join(cells)))


def profile_text(p):
    lines = ["# %s" % p["name"], "# %s" % p["cmd"]]
    if p.get("record_rc"):
        lines.append("perf record failed (exit %s): %s" % (p["record_rc"], p["record_stderr"]))
        return "\n".join(lines) + "\n"
    lines.append("# %s" % p.get("report_cmd", ""))
    lines.append(p.get("report", ""))
    lines.append("# inclusive (children) view: %s" % p.get("children_cmd", ""))
    lines.append(p.get("children", ""))
    return "\n".join(lines) + "\n"


def profile_tables(cur, out):
    for name, p in cur.get("profiles", {}).items():
        out.write("\n#### Profile: %s\n\n`%s`, then `%s`%s%s\n\n" % (
            name, p["cmd"], p.get("report_cmd", "-"),
            ("; " + ", ".join(p["header"])) if p.get("header") else "",
            "; percentages of the samples outside `%s` (--jitter's spin, %.1f %% of them)"
            % (SPIN, p["spin_pct"]) if "spin_pct" in p else ""))
        if not p.get("top"):
            out.write("(no samples: perf record exit %s: %s)\n" % (p.get("record_rc"),
                                                                   p.get("record_stderr")))
            continue
        out.write("| self | object | symbol |\n|---:|---|---|\n")
        for pct, dso, sym in p["top"][:TOP15]:
            out.write("| %.2f%% | %s | `%s` |\n" % (pct, dso, sym))


# ------------------------------------------------------------------ the SVGs
COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2",
          "#17becf"]


def nice_max(v):
    e = 10 ** math.floor(math.log10(v))
    for m in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if v <= m * e:
            return m * e
    return 10 * e


def svg(path, title, subtitle, xlabel, ylabel, xs, series):
    """A log-x, linear-y line plot: series = [(label, [(x, y), ...])]."""
    W, H, L, R, T, B = 860, 480, 80, 270, 58, 56
    pw, ph = W - L - R, H - T - B
    lo, hi = math.log10(min(xs)), math.log10(max(xs))
    ymax = nice_max(max(y for _, pts in series for _, y in pts) * 1.05)

    def px(x):
        return L + (math.log10(x) - lo) / ((hi - lo) or 1) * pw

    def py(y):
        return T + ph - y / ymax * ph

    e = []
    e.append('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
             'viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">' % (W, H, W, H))
    e.append('<rect width="%d" height="%d" fill="white"/>' % (W, H))
    e.append('<text x="%d" y="22" font-size="15" font-weight="bold">%s</text>' % (L, esc(title)))
    e.append('<text x="%d" y="40" fill="#555">%s</text>' % (L, esc(subtitle)))
    for i in range(6):
        y = ymax * i / 5
        e.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#ddd"/>' % (L, L + pw, py(y), py(y)))
        e.append('<text x="%d" y="%.1f" text-anchor="end">%s</text>' % (L - 6, py(y) + 4,
                                                                      "{:,.0f}".format(y)))
    for x in xs:
        e.append('<line x1="%.1f" x2="%.1f" y1="%d" y2="%d" stroke="#eee"/>' % (px(x), px(x), T, T + ph))
        e.append('<text x="%.1f" y="%d" text-anchor="middle">%s</text>' % (px(x), T + ph + 16, kfmt(x)))
    e.append('<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#333"/>' % (L, T, pw, ph))
    e.append('<text x="%.1f" y="%d" text-anchor="middle">%s</text>' % (L + pw / 2, H - 12, esc(xlabel)))
    e.append('<text transform="translate(18,%.1f) rotate(-90)" text-anchor="middle">%s</text>'
             % (T + ph / 2, esc(ylabel)))
    for i, (label, pts) in enumerate(series):
        col = COLORS[i % len(COLORS)]
        e.append('<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>'
                 % (col, " ".join("%.1f,%.1f" % (px(x), py(y)) for x, y in pts)))
        for x, y in pts:
            e.append('<circle cx="%.1f" cy="%.1f" r="3" fill="%s"><title>%s: %s, %s</title></circle>'
                     % (px(x), py(y), col, esc(label), kfmt(x), "{:,.0f}".format(y)))
        ly = T + 10 + 20 * i
        e.append('<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="%s" stroke-width="2"/>'
                 % (L + pw + 14, L + pw + 34, ly, ly, col))
        e.append('<text x="%d" y="%d">%s</text>' % (L + pw + 40, ly + 4, esc(label)))
    e.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(e) + "\n")


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def plots(cur, metric, outdir, tag=""):
    """Writes cost-vs-size.svg and cost-vs-burst.svg; returns their paths."""
    meta = cur.get("_meta", {})
    unit = ("instructions per packet (= guest ns; pps = 1e9 / this)" if metric == "icount"
            else "CPU ns per packet")
    sub = "%s, %s, guest %s, %s" % (meta.get("date", "?"), meta.get("host", "?"),
                                    meta.get("guest_kernel", "?"), meta.get("metric", metric))
    paths = []
    for curve, title, xlabel in (
            ("size", "pktcraft: cost per packet against frame size (dummy0, MTU %d)" % MTU,
             "frame size, bytes (log scale)"),
            ("burst", "pktcraft: cost per packet against burst length (dummy0, %d-byte frames)"
             % BURST_SIZE, "packets per burst ioctl (log scale)")):
        c = cur.get(curve)
        if not c or not c["methods"]:
            continue
        series = []
        for name, pts in c["methods"].items():
            xy = [(int(x), value(pt, metric)) for x, pt in pts.items() if value(pt, metric)]
            if xy:
                series.append((name, sorted(xy)))
        if not series:
            continue
        path = os.path.join(outdir, "cost-vs-%s%s.svg" % (curve, tag))
        svg(path, title, sub, xlabel, unit, c["x"], series)
        paths.append(path)
    return paths


def write_outputs(cur, metric, outdir, tag=""):
    """curves.md, the SVGs and profile-*.txt from the "curves" key."""
    os.makedirs(outdir, exist_ok=True)
    meta = cur.get("_meta", {})
    md = os.path.join(outdir, "curves%s.md" % tag)
    with open(md, "w") as out:
        out.write("### How cost grows (%s, %s; %s)\n" % (meta.get("date"), meta.get("host"),
                                                       meta.get("emulation")))
        out.write("\nRepetitions: %s; %s s of guest time a run; dummy0 MTU %d. "
                  "Command lines: bench.json, curves.*.methods.*.*.cmd.\n"
                  % (meta.get("reps"), meta.get("seconds_per_run"), MTU))
        tables(cur, metric, out)
        profile_tables(cur, out)
    paths = [md] + plots(cur, metric, outdir, tag)
    for name, p in cur.get("profiles", {}).items():
        path = os.path.join(outdir, "profile-%s%s.txt" % (name, tag))
        with open(path, "w") as f:
            f.write(profile_text(p))
        paths.append(path)
    return paths


# ------------------------------------------------------- the README paragraph
def readme_paragraph(data):
    """The README's "How fast" paragraph from bench.json's main run: the
    ratios of its tables (median of the per-repetition ratios)."""
    meta = data.get("_meta", {})
    known = {(t["num"], t["den"]): t.get("ratio")
             for t in data.get("_targets", []) + data.get("_ratios", [])}
    keys = {"raw_sendto": "ratio_raw", "pktgen_clone0": "ratio_pktgen0",
            "pktgen_clone1000_burst32": "ratio_pktgen1000b32"}

    def r(num, den):
        v = (known.get((num, den)) or data.get(num, {}).get(keys.get(den, "")) or
             data.get("_peer_matrix", {}).get(num, {}).get(den, {}).get("ratio"))
        return v if v else float("nan")

    return ("Latest `make bench` (%s, `%s`, %d-core %s; `-icount` guest, %s; instructions "
            "per packet), dummy0, 64-byte frames: distinct bursts of 1024 on dummy or e1000 (a "
            "ring of reused skbs, straight to the driver) %.2f× pktgen `clone_skb 0` as root, "
            "%.2f× as a container's root (bursts of 64: %.2f×); with a copy per packet, as on "
            "other devices, %.2f×. Identical bursts: %.2f× pktgen `clone_skb 1000 burst 32` "
            "through the ring, %.2f× as copies through a qdisc, %.2f× as root's shared skb. A "
            "single ioctl: %.2f× a raw `sendto`, %.3f× AF_PACKET `sendto` with the same frame "
            "(%.2f× with the IP ID left to the kernel, which AF_PACKET does not pick), %.2f× "
            "trafgen (its TX ring, the fastest of the tools); `SEND_BATCH` of 64 %.2f× the "
            "single ioctl. "
            "Where the time goes, and how it grows with frame size and burst length: "
            "[docs/performance.md](docs/performance.md); the peers' tables and command lines: "
            "[docs/benchmarks.md](docs/benchmarks.md)."
            % (meta.get("date", "?"), meta.get("host", "?"), meta.get("host_cores", 0),
               meta.get("host_cpu", "?"), meta.get("guest_kernel", "?"),
               r("pktcraft_burst1024_distinct", "pktgen_clone0"),
               r("pktcraft_burst1024_distinct_container", "pktgen_clone0"),
               r("pktcraft_burst64_distinct_container", "pktgen_clone0"),
               r("pktcraft_burst1024_distinct_copy", "pktgen_clone0"),
               r("pktcraft_burst1024_identical_container", "pktgen_clone1000_burst32"),
               r("pktcraft_burst1024_identical_qdisc", "pktgen_clone1000_burst32"),
               r("pktcraft_burst1024_identical", "pktgen_clone1000_burst32"),
               r("pktcraft_single", "raw_sendto"), r("pktcraft_single_frame", "packet_sendto"),
               r("pktcraft_single", "packet_sendto"),
               r("pktcraft_single", "trafgen_tx_ring"),
               r("pktcraft_batch64", "pktcraft_single")))
