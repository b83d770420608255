#!/usr/bin/env python3
"""Time `polis export register` on sites of 2,500 to 10,000 data categories (bench/gen_large.py:
each category with a purpose of its own), and say whether the time grows linearly with them.

Usage: bench/register.py [--polis target/release/polis] [--runs 3]
Prints, per size, the median wall time and the time per category; exits 1 when the time per
category of the largest site is more than three times that of the smallest (the quadratic register
of issue 25 grew twenty-fold there). The timing lives here, not in the test suite: a timed test
fails on a busy machine, and the suite's register test checks the rows instead. Standard library
only.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SIZES = [2_500, 5_000, 10_000]


def median_seconds(argv, runs):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--polis", default=os.path.join(REPO, "target/release/polis"))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    per_category = []
    with tempfile.TemporaryDirectory(prefix="polis-register-") as work:
        for n in SIZES:
            site = os.path.join(work, f"site{n}")
            subprocess.run(
                [sys.executable, os.path.join(HERE, "gen_large.py"), "--categories", str(n), site],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            out = os.path.join(work, f"register{n}")
            argv = [args.polis, "--root", site, "export", "register", "--output", out]
            took = median_seconds(argv, args.runs)
            per_category.append(took / n)
            print(f"{n:>6} categories: {took:7.3f} s, {took / n * 1e6:8.1f} µs per category")
    growth = per_category[-1] / per_category[0]
    print(f"time per category, largest over smallest: {growth:.2f}")
    if growth > 3:
        print("the register export is not linear in the categories", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
