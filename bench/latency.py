#!/usr/bin/env python3
"""Change-to-reload latency of `polis serve` and `hugo server`.

Usage:
  latency.py polis-event --polis BIN --root SITE [--runs 30] [--json OUT]
      time from appending a line to SITE/content/privacy.nl.md to the arrival of the next
      `event: reload` on /__polis/events (what makes an open tab reload)
  latency.py polis-page --polis BIN --root SITE [--page /nl/privacyverklaring/] ...
      time from the same write to the first GET of the page that contains the new line
  latency.py hugo-page --hugo BIN --root HUGOSITE [--page /privacy/] ...
      the same for `hugo server` (rendering to memory, its default), polling the page

Each measured change follows two unmeasured warm-up changes; between changes it pauses a random
0.3-0.7 s (so that a server's own polling or batching period does not phase-lock with the writes).
Pages are polled every --poll seconds (default 0.005), which bounds the resolution of the
page modes. Standard library only. Prints one JSON object (samples in ms, median, p90).
"""
import argparse
import http.client
import json
import os
import queue
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time

EVENTS = "/__polis/events"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def p90(xs):
    xs = sorted(xs)
    k = max(0, min(len(xs) - 1, int(round(0.9 * (len(xs) - 1)))))
    return xs[k]


class Server:
    def __init__(self, argv, log, ready_re=None, port=None, wait_path="/"):
        self.log = open(log, "w")
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=self.log, text=True, start_new_session=True)
        self.port = port
        try:
            self._wait(log, ready_re, wait_path)
        except BaseException:
            self.stop()
            raise

    def _wait(self, log, ready_re, wait_path):
        deadline = time.time() + 60
        if ready_re:  # read stdout until the line that names the address
            while time.time() < deadline:
                line = self.proc.stdout.readline()
                if not line:
                    raise SystemExit(f"latency: server exited early (see {log})")
                self.log.write(line)
                m = re.search(ready_re, line)
                if m:
                    self.port = int(m.group(1))
                    break
        # drain stdout so the server never blocks on a full pipe
        threading.Thread(target=self._drain, daemon=True).start()
        while time.time() < deadline:
            try:
                status, _ = get(self.port, wait_path)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise SystemExit(f"latency: server not ready on port {self.port} (see {log})")

    def _drain(self):
        for line in self.proc.stdout:
            self.log.write(line)

    def stop(self):
        if self.log.closed:
            return
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


def get(port, path, conn=None):
    c = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    c.request("GET", path, headers={"Cache-Control": "no-cache"})
    r = c.getresponse()
    body = r.read()
    if conn is None:
        c.close()
    return r.status, body


def sse_reader(port, events, ready):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=None)
    c.request("GET", EVENTS, headers={"Accept": "text/event-stream"})
    r = c.getresponse()
    ready.set()
    while True:
        line = r.readline()
        if not line:
            return
        if line.strip() == b"event: reload":
            events.put(time.perf_counter())


def append(path, marker):
    t0 = time.perf_counter()
    with open(path, "a", encoding="utf-8") as f:
        f.write(f"\n{marker}\n")
    return t0


def poll_page(port, path, marker, t0, poll, timeout=10.0):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    needle = marker.encode()
    while True:
        status, body = get(port, path, conn)
        now = time.perf_counter()
        if status == 200 and needle in body:
            conn.close()
            return now - t0
        if now - t0 > timeout:
            conn.close()
            raise SystemExit(f"latency: {path} did not show the change within {timeout} s")
        time.sleep(poll)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["polis-event", "polis-page", "hugo-page"])
    ap.add_argument("--root", required=True)
    ap.add_argument("--polis", default="target/release/polis")
    ap.add_argument("--hugo", default="hugo")
    ap.add_argument("--page")
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--poll", type=float, default=0.005)
    ap.add_argument("--log", default=None)
    ap.add_argument("--json")
    ap.add_argument("--debounce", type=int, default=None, help="polis serve --debounce MS (default: polis' own)")
    a = ap.parse_args()
    rnd = random.Random(time.time_ns())
    target = os.path.join(a.root, "content", "privacy.nl.md")
    if not os.path.isfile(target):
        raise SystemExit(f"latency: {target} does not exist (the site needs a content/ folder)")
    log = a.log or os.path.join(a.root, f".latency-{a.mode}.log")

    if a.mode.startswith("polis"):
        page = a.page or "/nl/privacyverklaring/"
        extra = ["--debounce", str(a.debounce)] if a.debounce is not None else []
        server = Server([a.polis, "serve", "--root", a.root, "--port", "0", *extra], log, ready_re=r"http://127\.0\.0\.1:(\d+)/")
    else:
        page = a.page or "/privacy/"
        port = free_port()
        server = Server([a.hugo, "server", "-s", a.root, "--bind", "127.0.0.1", "--port", str(port),
                         "--baseURL", f"http://127.0.0.1:{port}/", "--disableFastRender", "--quiet"],
                        log, port=port, wait_path=page)
    samples = []
    try:
        events = queue.Queue()
        if a.mode == "polis-event":
            ready = threading.Event()
            threading.Thread(target=sse_reader, args=(server.port, events, ready), daemon=True).start()
            if not ready.wait(10):
                raise SystemExit("latency: no SSE connection")
        time.sleep(0.5)
        for i in range(a.warmup + a.runs):
            time.sleep(rnd.uniform(0.3, 0.7))
            while not events.empty():  # a stray event must not count for this change
                events.get_nowait()
            # unique across runs on the same site; letters only, as polis' gdpr-locales-differ lint
            # fails a build whose nl page states numbers the en page does not
            marker = "Benchmarkregel " + "".join(rnd.choice("bcdfghjkmnpqrstvwxz") for _ in range(16)) + "."
            t0 = append(target, marker)
            if a.mode == "polis-event":
                try:
                    t1 = events.get(timeout=10)
                except queue.Empty:
                    raise SystemExit(f"latency: no reload event within 10 s of change {i}")
                dt = t1 - t0
            else:
                dt = poll_page(server.port, page, marker, t0, a.poll)
            if i >= a.warmup:
                samples.append(dt * 1000)
    finally:
        server.stop()
    res = {"mode": a.mode, "runs": len(samples), "median_ms": statistics.median(samples), "p90_ms": p90(samples),
           "min_ms": min(samples), "max_ms": max(samples), "samples_ms": [round(s, 2) for s in samples]}
    if a.json:
        with open(a.json, "w") as f:
            json.dump(res, f, indent=1)
    print(json.dumps({k: (round(v, 1) if isinstance(v, float) else v) for k, v in res.items() if k != "samples_ms"}))


if __name__ == "__main__":
    sys.exit(main())
