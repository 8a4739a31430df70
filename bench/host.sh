#!/usr/bin/env bash
# The host checks against their Debian peers, side by side in one run (issue 12):
#  1. the terminal: `opsdoc check linux-disk linux-load linux-swap local:` against monitoring-plugins' check_disk,
#     check_load and check_swap run one after the other (hyperfine, alternating), and each single check against its
#     plugin;
#  2. the node agent: opsdoc serve answering /probe for the host checks on local: against prometheus-node-exporter's
#     /metrics, scraped in turn on keep-alive connections (bench/host/scrape.py): latency per scrape and the server's
#     CPU per scrape round.
# Needs: apt-get install monitoring-plugins-basic prometheus-node-exporter hyperfine python3; a JDK 17 and a built
# distribution (built if missing: ./mvnw -pl modules/cli -am package -DskipTests, no install).
#
#   bench/host.sh                  # 30 CLI runs each, 200 scrape rounds
#   RUNS=10 ROUNDS=50 bench/host.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-30}
ROUNDS=${ROUNDS:-200}
PLUGINS=${PLUGINS:-/usr/lib/nagios/plugins}

need() { command -v "$1" >/dev/null 2>&1 || [ -x "$1" ] || { echo "bench: $1 is missing (apt-get install $2)"; exit 1; }; }
need "$PLUGINS/check_disk" monitoring-plugins-basic
need prometheus-node-exporter prometheus-node-exporter
need hyperfine hyperfine
need python3 python3
OPSDOC=$PWD/modules/cli/target/opsdoc/bin/opsdoc
[ -x "$OPSDOC" ] || ./mvnw -B -q -pl modules/cli -am package -DskipTests

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

echo "## 1. One run at the terminal (hyperfine, $RUNS runs each, alternating)"
# The same thresholds on both sides: disk 80/90 % used (check_disk takes free space), load 2/4 per CPU on the 5-minute
# average (check_load -r: per CPU), swap 20/10 % free. Exit codes differ by machine (a full disk is a finding): -i.
D="$PLUGINS/check_disk -w 20% -c 10% -A -X tmpfs -X devtmpfs -X overlay -X squashfs"
L="$PLUGINS/check_load -r -w 9,2,9 -c 9,4,9"
S="$PLUGINS/check_swap -w 20% -c 10%"
hyperfine -N -i --warmup 3 --runs "$RUNS" --export-markdown "$work/cli.md" \
  -n "opsdoc check linux-disk linux-load linux-swap local:" "$OPSDOC check linux-disk linux-load linux-swap local:" \
  -n "check_disk; check_load; check_swap" "sh -c '$D; $L; $S'" \
  -n "opsdoc check linux-disk local:" "$OPSDOC check linux-disk local:" \
  -n "check_disk" "$D" >/dev/null
cat "$work/cli.md"
echo

echo "## 2. The node agent: opsdoc serve /probe against node_exporter /metrics ($ROUNDS rounds)"
OD=$(free_port); NE=$(free_port)
TOKEN=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
printf '%s\n' "$TOKEN" > "$work/token"
CHECKS="linux-disk linux-inodes linux-zombies linux-load linux-memory linux-swap linux-fd-usage"
cat > "$work/node.yaml" <<YAML
version: 1
defaults: {timeout: 10s, per-target: 4}
targets:
  node:
    uri: "local:"
    checks: [$(echo $CHECKS | sed 's/ /, /g')]
YAML
OPSDOC_CDS=off "$OPSDOC" serve -c "$work/node.yaml" --listen "127.0.0.1:$OD" --token-file "$work/token" >"$work/serve.log" 2>&1 &
pids+=($!)
prometheus-node-exporter --web.listen-address="127.0.0.1:$NE" >"$work/ne.log" 2>&1 &
pids+=($!)
for i in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$OD/healthz" >/dev/null 2>&1 && curl -fsS "http://127.0.0.1:$NE/metrics" >/dev/null 2>&1 && break
  sleep 0.2
done
# the JVM's own process, not a launcher shell
OD_PID=$(ss -ltnpH "sport = :$OD" | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -1)
NE_PID=$(ss -ltnpH "sport = :$NE" | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -1)
python3 bench/host/scrape.py "$ROUNDS" "$OD" "$OD_PID" "$NE" "$NE_PID" "$TOKEN" $CHECKS
echo
echo "node_exporter $(prometheus-node-exporter --version 2>&1 | head -1 | awk '{print $3}'), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
