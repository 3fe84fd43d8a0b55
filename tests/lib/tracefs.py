# SPDX-License-Identifier: GPL-2.0
"""tracefs for the guest-side tests: mounted once, written to, and a
tracefs instance of a test's own around an action (burst.py, trace.py,
docs/tour.py)."""

import os
import subprocess
import time

TRACEFS = "/sys/kernel/tracing"


def mount():
    """TRACEFS, mounted if it is not."""
    if not os.path.isdir(TRACEFS + "/events"):
        subprocess.run(["mount", "-t", "tracefs", "nodev", TRACEFS], capture_output=True)
    return TRACEFS


def put(path, text):
    """All of @text to an existing file (tracefs, /proc, /sys)."""
    with open(path, "w") as f:
        f.write(text)


def traced(inst, events, fn, until=None, wait=0):
    """(fn()'s result, the trace lines) of @events ({"group/event": filter
    or None}) in a tracefs instance @inst of our own while fn() runs. After
    fn() the buffer is read again every 0.1 s until until(lines) is true or
    @wait seconds have passed."""
    path = mount() + "/instances/" + inst

    def read():
        with open(path + "/trace") as f:
            return f.readlines()
    os.mkdir(path)
    try:
        for e, flt in events.items():
            if flt:
                put(path + "/events/" + e + "/filter", flt)
            put(path + "/events/" + e + "/enable", "1")
        put(path + "/trace", "")
        res = fn()
        deadline = time.monotonic() + wait
        while not (until and until(read())) and time.monotonic() < deadline:
            time.sleep(0.1)
        for e in events:
            put(path + "/events/" + e + "/enable", "0")
        lines = read()
    finally:
        os.rmdir(path)      # also turns off what is still on in it
    return res, lines
