#!/usr/bin/env bash
# k8s-node-notready and k8s-workloads at scale (issue 17): an API server stand-in holding NODES nodes (1 % NotReady)
# and PODS pods, and, on the same API server in the same run, the floor a shell script would have: curl fetching the
# same two lists and jq counting the NotReady nodes and crash-looping containers (kubectl needs API discovery
# documents the stand-ins do not serve). Reports wall-clock means, the ratio, and each side's peak RSS (GNU time's %M);
# opsdoc runs with the heap HEAP (a stated -Xmx), so a run that needs more fails instead of growing.
# STAND_IN=lists (default): the lab's KubeListServer serves the objects as fixed lists with limit/continue paging and
# the spec.nodeName field selector, as a real API server does; STAND_IN=crud: the Fabric8 mock in CRUD mode, which
# takes hours to take 55,000 objects and is only usable up to a few thousand.
#
# Needs: apt-get install curl jq hyperfine time; a JDK 17 and a built distribution (built if missing:
# ./mvnw -pl modules/cli -am package -DskipTests, no install).
#
#   bench/k8s-scale.sh                       # 5,000 nodes, 50,000 pods, 10 runs each, -Xmx512m
#   NODES=500 PODS=5000 RUNS=5 HEAP=256m bench/k8s-scale.sh
set -euo pipefail
cd "$(dirname "$0")/.."
NODES=${NODES:-5000}
PODS=${PODS:-50000}
RUNS=${RUNS:-10}
HEAP=${HEAP:-512m}

need() { command -v "$1" >/dev/null 2>&1 || [ -x "$1" ] || { echo "bench: $1 is missing (apt-get install $2)"; exit 1; }; }
need curl curl
need jq jq
need hyperfine hyperfine
need /usr/bin/time time
DIST=$PWD/modules/cli/target/opsdoc
OPSDOC=$DIST/bin/opsdoc
[ -x "$OPSDOC" ] || ./mvnw -B -q -pl modules/cli -am package -DskipTests

work=$(mktemp -d)
mkfifo "$work/keepalive"
java -Xmx4g -cp "$DIST/lib/*:$DIST/lab/*" io.opsdoc.lab.kubernetes.KubeBenchCluster --nodes "$NODES" --pods "$PODS" \
  --ready-file "$work/ready" --stand-in "${STAND_IN:-lists}" < "$work/keepalive" 2> "$work/cluster.log" &
CLUSTER=$!
exec 9> "$work/keepalive"
trap 'exec 9>&-; wait $CLUSTER 2>/dev/null || true; rm -rf "$work"' EXIT
while [ ! -s "$work/ready" ]; do
  kill -0 $CLUSTER 2>/dev/null || { echo "bench: the mock API server died"; tail -20 "$work/cluster.log"; exit 1; }
  sleep 1
done
grep 'bench cluster up' "$work/cluster.log" || true
TARGET=$(sed -n 1p "$work/ready")
URL=$(sed -n 3p "$work/ready")
cat > "$work/peer.sh" <<PEER
#!/bin/sh
set -e
curl -fsS $URL/api/v1/nodes | jq '[.items[] | select(any(.status.conditions[]; .type == "Ready" and .status != "True"))] | length'
curl -fsS $URL/api/v1/pods | jq '[.items[] | select(any(.status.containerStatuses[]?; .state.waiting.reason == "CrashLoopBackOff"))] | length'
PEER
chmod +x "$work/peer.sh"

O="env OPSDOC_JAVA_OPTS=-Xmx$HEAP $OPSDOC check k8s-node-notready k8s-workloads $TARGET --timeout 300s"
K="$work/peer.sh"
# what each side found, once, so the table compares runs that saw the same cluster
$O --format nagios | head -2 || true
echo "curl + jq: $("$K" | tr '\n' ' ')(NotReady nodes, crash-looping pods)"
echo
hyperfine -N -i --warmup 1 --runs "$RUNS" --export-markdown "$work/t.md" \
  -n "opsdoc check k8s-node-notready k8s-workloads (-Xmx$HEAP)" "$O" \
  -n "curl + jq over /api/v1/nodes and /api/v1/pods" "$K" >/dev/null
cat "$work/t.md"
echo
rss() { /usr/bin/time -f '%M' -o "$work/rss" "$@" >/dev/null 2>&1 || true; tail -1 "$work/rss"; }
echo "peak RSS: opsdoc $(rss sh -c "$O") KiB, jq over the pods $(rss sh -c "curl -fsS $URL/api/v1/pods | jq length") KiB"
echo "$(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $(jq --version), curl $(curl --version | head -1 | cut -d' ' -f2)"
