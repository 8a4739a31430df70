#!/usr/bin/env bash
# opsdoc serve under the load of hung targets (issue 21), against Debian's prometheus-blackbox-exporter on the same
# targets, in one run: HUNG loopback ports that accept TCP and never answer (bench/serve-load/blackholes.py) and one
# healthy nginx page. CONCURRENCY scrapers cycle over the hung targets' /probe URLs for DURATION seconds, each sending
# X-Prometheus-Scrape-Timeout-Seconds: SCRAPE and giving up at that timeout as Prometheus does, while /healthz
# (blackbox: /metrics) is polled every 100 ms and the healthy target's probe every second; the exporter's file
# descriptors and threads are sampled before, during and AFTER seconds after the load (bench/serve-load/LoadGen.java).
# Both exporters give a probe TIMEOUT seconds (opsdoc: the targets' timeout; blackbox: the module's).
#
# Needs: nginx, prometheus-blackbox-exporter (apt-get install nginx prometheus-blackbox-exporter), python3, a JDK 17
# and a built distribution (it builds one if missing: ./mvnw -pl modules/cli -am package -DskipTests, no install).
#
#   bench/serve-load.sh                                   # 500 scrapers, 20 hung targets, 30 s, 2 rounds
#   CONCURRENCY=500 DURATION=60 ROUNDS=1 bench/serve-load.sh
#   CHECKS="http-status mysql-replication redis-memory kafka-cluster" bench/serve-load.sh   # opsdoc's hung
#       targets spread over these checks' clients (blackbox keeps probing them with http_2xx)
set -euo pipefail
cd "$(dirname "$0")/.."

CONCURRENCY=${CONCURRENCY:-500}
DURATION=${DURATION:-30}
AFTER=${AFTER:-10}
HUNG=${HUNG:-20}
SCRAPE=${SCRAPE:-10}
TIMEOUT=${TIMEOUT:-4}
ROUNDS=${ROUNDS:-2}
CHECKS=${CHECKS:-http-status}
SERVE_ARGS=${SERVE_ARGS:-}

need() { command -v "$1" >/dev/null 2>&1 || [ -x "$1" ] || { echo "bench: $1 is missing (apt-get install $2)"; exit 1; }; }
need /usr/sbin/nginx nginx
need prometheus-blackbox-exporter prometheus-blackbox-exporter
need python3 python3
need java openjdk-17-jdk-headless
OPSDOC=${OPSDOC:-modules/cli/target/opsdoc/bin/opsdoc}   # or another build, e.g. to compare JVM options
[ -x "$OPSDOC" ] || ./mvnw -B -q -pl modules/cli -am package -DskipTests
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
WEB=$(free_port); BLACKBOX=$(free_port); SERVE=$(free_port)
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

mkdir -p "$work/www" "$work/nginx"
chmod 755 "$work" "$work/www"   # nginx workers run as nobody when started by root
printf 'ok\n' > "$work/www/index.html"
cat > "$work/nginx/nginx.conf" <<EOF
daemon off;
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body; proxy_temp_path $work/nginx/proxy; fastcgi_temp_path $work/nginx/fcgi;
  uwsgi_temp_path $work/nginx/uwsgi; scgi_temp_path $work/nginx/scgi;
  server { listen 127.0.0.1:$WEB; root $work/www; keepalive_requests 100000; }
}
EOF
/usr/sbin/nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" & pids+=($!)

python3 bench/serve-load/blackholes.py "$HUNG" > "$work/holes" & pids+=($!)
for _ in $(seq 1 50); do [ "$(wc -l < "$work/holes")" -ge "$HUNG" ] && break; sleep 0.1; done
mapfile -t HOLES < "$work/holes"
[ "${#HOLES[@]}" -ge "$HUNG" ] || { echo "bench: the black holes did not start"; exit 1; }

cat > "$work/blackbox.yml" <<EOF
modules:
  http_2xx:
    prober: http
    timeout: ${TIMEOUT}s
    http: {method: GET, valid_status_codes: [200]}
EOF
prometheus-blackbox-exporter --config.file="$work/blackbox.yml" --web.listen-address="127.0.0.1:$BLACKBOX" \
  > "$work/blackbox.log" 2>&1 & pids+=($!); BB_PID=$!

# opsdoc: the hung targets are config targets, as an operator names them; their checks cycle over $CHECKS.
read -r -a checks <<<"$CHECKS"
{
  echo "defaults: {timeout: ${TIMEOUT}s}"
  echo "targets:"
  echo "  web: {uri: \"http://127.0.0.1:$WEB/\", checks: [http-status]}"
  for i in "${!HOLES[@]}"; do
    c=${checks[$((i % ${#checks[@]}))]}
    case $c in
      http-status) uri="http://127.0.0.1:${HOLES[$i]}/" ;;
      mysql-*) uri="mysql://monitor@127.0.0.1:${HOLES[$i]}" ;;
      redis-*) uri="redis://127.0.0.1:${HOLES[$i]}" ;;
      kafka-*) uri="kafka://127.0.0.1:${HOLES[$i]}" ;;
      *) echo "bench: no URI shape for check $c"; exit 1 ;;
    esac
    params=""
    [ "$c" = redis-memory ] && params="{redis-memory: {window: 100ms}}" || params="[$c]"
    echo "  hung-$i: {uri: \"$uri\", checks: $params}"
  done
} > "$work/opsdoc.yaml"
# shellcheck disable=SC2086
"$OPSDOC" serve -c "$work/opsdoc.yaml" --listen "127.0.0.1:$SERVE" $SERVE_ARGS > "$work/serve.log" 2>&1 & pids+=($!)
OD_PID=$!

wait_up() { for _ in $(seq 1 150); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.1; done; echo "bench: $1 never answered"; exit 1; }
wait_up "http://127.0.0.1:$WEB/"
wait_up "http://127.0.0.1:$BLACKBOX/metrics"
wait_up "http://127.0.0.1:$SERVE/healthz"
# The launcher may exec java or run it as a child: sample the JVM itself.
JVM=$(pgrep -P "$OD_PID" java || echo "$OD_PID")

: > "$work/od.targets"; : > "$work/bb.targets"
for i in "${!HOLES[@]}"; do
  c=${checks[$((i % ${#checks[@]}))]}
  echo "http://127.0.0.1:$SERVE/probe?check=$c&target=hung-$i" >> "$work/od.targets"
  echo "http://127.0.0.1:$BLACKBOX/probe?module=http_2xx&target=http://127.0.0.1:${HOLES[$i]}/" >> "$work/bb.targets"
done
OD_HEALTHY="http://127.0.0.1:$SERVE/probe?check=http-status&target=web"
BB_HEALTHY="http://127.0.0.1:$BLACKBOX/probe?module=http_2xx&target=http://127.0.0.1:$WEB/"
curl -fsS "$BB_HEALTHY" | grep -q '^probe_success 1' || { echo "bench: blackbox_exporter's probe does not succeed"; exit 1; }
curl -fsS "$OD_HEALTHY" | grep -q '^opsdoc_check_status{check="http-status"} 0' || { echo "bench: opsdoc's probe is not OK"; exit 1; }
# Warm-up: every client class loaded and JIT-compiled paths, as after minutes of real scraping.
while read -r u; do (curl -sS -o /dev/null -H "X-Prometheus-Scrape-Timeout-Seconds: $SCRAPE" "$u" || true) & done < "$work/od.targets"
for _ in 1 2 3 4 5; do curl -sS -o /dev/null "$OD_HEALTHY"; curl -sS -o /dev/null "$BB_HEALTHY"; done
sleep $((TIMEOUT + 8))   # the warm-up's probes end and the threads they grew idle out

javac -d "$work/gen" bench/serve-load/LoadGen.java
gen() { # name pid targets health healthy healthyOk
  java -Xss256k -cp "$work/gen" LoadGen name="$1" pid="$2" targets="$3" health="$4" healthy="$5" healthyOk="$6" \
    concurrency="$CONCURRENCY" duration="$DURATION" after="$AFTER" scrape="$SCRAPE"
}
echo "bench: $ROUNDS rounds; $CONCURRENCY scrapers for ${DURATION}s over $HUNG hung targets (checks: $CHECKS), scrape timeout ${SCRAPE}s, probe timeout ${TIMEOUT}s; $(nproc) cores" >&2
for r in $(seq 1 "$ROUNDS"); do
  gen opsdoc "$JVM" "$work/od.targets" "http://127.0.0.1:$SERVE/healthz" "$OD_HEALTHY" '^opsdoc_check_status\{check="http-status"\} 0' \
    | sed "s/^/round$r./" | tee -a "$work/results"
  sleep 5
  gen blackbox "$BB_PID" "$work/bb.targets" "http://127.0.0.1:$BLACKBOX/metrics" "$BB_HEALTHY" '^probe_success 1' \
    | sed "s/^/round$r./" | tee -a "$work/results"
  sleep 5
done

# Ratios opsdoc / blackbox per round (answered fraction: higher is better; the rest: lower is better).
awk -F= '
  { split($1, p, "."); v[$1] = $2; rounds[p[1]] = 1; if (p[3] == "answer_kind") kinds[p[1] "." p[2]] = kinds[p[1] "." p[2]] " " p[4] "=" $2 }
  END {
    n = split("probes_sent answered_fraction health_p50_ms health_p99_ms health_max_ms health_failed healthy_p50_ms healthy_max_ms healthy_failed healthy_after_ms fds_idle fds_peak fds_after fds_back_ms threads_idle threads_peak threads_after threads_back_ms", k, " ")
    for (r in rounds) {
      printf "\n%-20s %10s %10s %16s\n", r, "opsdoc", "blackbox", "opsdoc/blackbox"
      for (i = 1; i <= n; i++) {
        o = v[r ".opsdoc." k[i]]; b = v[r ".blackbox." k[i]]
        printf "  %-18s %10s %10s %16s\n", k[i], o, b, (b + 0 != 0 ? sprintf("%.2f", o / b) : "-")
      }
      printf "  answers: opsdoc%s; blackbox%s\n", kinds[r ".opsdoc"], kinds[r ".blackbox"]
    }
  }' "$work/results"
grep -q . "$work/serve.log" && { echo; echo "opsdoc serve's output:"; tail -5 "$work/serve.log"; }
