#!/usr/bin/env python3
"""Scrape two exporters in turn over keep-alive connections and report latency and the server's CPU per scrape.

usage: scrape.py ROUNDS OPSDOC_PORT OPSDOC_PID PEER_PORT PEER_PID TOKEN CHECK...
One round = one /probe per CHECK on opsdoc (what Prometheus asks an opsdoc node agent per interval) and one /metrics
on the peer exporter (what it asks node_exporter), interleaved so both see the same machine at the same time.
TARGET (default node) is the config target the probes name; PEER (default node_exporter) the peer's name in the table;
PEER_PATH (default /metrics) what is asked of the peer, e.g. a blackbox_exporter /probe?module=...&target=... URL.
"""
import http.client
import os
import statistics
import sys
import time

rounds, od_port, od_pid, ne_port, ne_pid, token = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
checks = sys.argv[7:]
target = os.environ.get("TARGET", "node")
peer = os.environ.get("PEER", "node_exporter")
peer_path = os.environ.get("PEER_PATH", "/metrics")
tick = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / tick


def get(conn, path, headers):
    t0 = time.perf_counter()
    conn.request("GET", path, headers=headers)
    r = conn.getresponse()
    body = r.read()
    if r.status != 200:
        raise SystemExit(f"bench: {path} answered {r.status}: {body[:200]!r}")
    return time.perf_counter() - t0, body


od = http.client.HTTPConnection("127.0.0.1", od_port, timeout=30)
ne = http.client.HTTPConnection("127.0.0.1", ne_port, timeout=30)
auth = {"Authorization": "Bearer " + token}
per_check = {c: [] for c in checks}
od_round, ne_scrape = [], []
od_cpu = ne_cpu = 0.0
for i in range(rounds + 5):
    warm = i < 5
    c0 = cpu_seconds(od_pid)
    total = 0.0
    for c in checks:
        dt, body = get(od, f"/probe?check={c}&target={target}", auth)
        if b"opsdoc_probe_success" not in body:
            raise SystemExit(f"bench: /probe?check={c} did not answer an exposition: {body[:200]!r}")
        total += dt
        if not warm:
            per_check[c].append(dt)
    c1 = cpu_seconds(od_pid)
    n0 = cpu_seconds(ne_pid)
    dt, body = get(ne, peer_path, {})
    n1 = cpu_seconds(ne_pid)
    if not warm:
        od_round.append(total)
        ne_scrape.append(dt)
        od_cpu += c1 - c0
        ne_cpu += n1 - n0


def ms(xs, q):
    xs = sorted(xs)
    return 1000 * xs[min(len(xs) - 1, int(q * len(xs)))]


print(f"| scrape | p50 ms | p90 ms | p99 ms | server CPU ms per scrape |")
print(f"|---|---|---|---|---|")
for c in checks:
    print(f"| opsdoc /probe?check={c} | {ms(per_check[c], .5):.1f} | {ms(per_check[c], .9):.1f} | {ms(per_check[c], .99):.1f} | |")
print(f"| opsdoc, one round of {len(checks)} probes | {ms(od_round, .5):.1f} | {ms(od_round, .9):.1f} | {ms(od_round, .99):.1f} | {1000 * od_cpu / rounds:.1f} |")
print(f"| {peer} {peer_path} | {ms(ne_scrape, .5):.1f} | {ms(ne_scrape, .9):.1f} | {ms(ne_scrape, .99):.1f} | {1000 * ne_cpu / rounds:.1f} |")
print()
print(f"ratios (opsdoc / {peer}, {rounds} rounds): round p50 {statistics.median(od_round) / statistics.median(ne_scrape):.2f}x, "
      f"one probe p50 (median over checks) {statistics.median([statistics.median(v) for v in per_check.values()]) / statistics.median(ne_scrape):.2f}x, "
      f"server CPU per round {(od_cpu / max(ne_cpu, 1e-9)):.2f}x")
