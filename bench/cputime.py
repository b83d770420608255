#!/usr/bin/env python3
"""CPU time (user + sys) of commands, per run, from the kernel's own accounting of each child.

    bench/cputime.py --runs 30 --warmup 3 --json out.json -n NAME 'CMD ...' -n NAME 'CMD ...'

Runs the commands in turn (A B A B ...), so that a change in the machine's speed lands on all of
them alike, and writes each one's per-run CPU and wall times and their medians to the JSON file.
Medians, not means: one run that the system slows down (a page cache flush, another process)
moves a mean by more than the difference being measured.
"""
import argparse
import json
import os
import shlex
import statistics
import subprocess
import time


def once(argv):
    started = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"cputime.py: `{shlex.join(argv)}` exited with {child.returncode}")
    return (usage.ru_utime + usage.ru_stime) * 1000, wall * 1000


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--runs", type=int, default=30)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--json", required=True)
    p.add_argument("-n", "--name", action="append", required=True)
    p.add_argument("commands", nargs="+")
    a = p.parse_intermixed_args()
    if len(a.name) != len(a.commands):
        p.error("give one -n NAME per command")
    argvs = [shlex.split(c) for c in a.commands]
    for _ in range(a.warmup):
        for argv in argvs:
            once(argv)
    cpu = {n: [] for n in a.name}
    wall = {n: [] for n in a.name}
    for _ in range(a.runs):
        for name, argv in zip(a.name, argvs):
            c, w = once(argv)
            cpu[name].append(c)
            wall[name].append(w)
    results = [
        {"name": n, "command": c, "cpu_ms": cpu[n], "wall_ms": wall[n],
         "cpu_median_ms": statistics.median(cpu[n]), "wall_median_ms": statistics.median(wall[n])}
        for n, c in zip(a.name, a.commands)
    ]
    with open(a.json, "w") as f:
        json.dump({"runs": a.runs, "warmup": a.warmup, "results": results}, f, indent=1)
    for r in results:
        print(f"{r['name']}: CPU {r['cpu_median_ms']:.1f} ms, wall {r['wall_median_ms']:.1f} ms (medians of {a.runs})")


if __name__ == "__main__":
    main()
