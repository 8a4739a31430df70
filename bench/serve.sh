#!/usr/bin/env bash
# opsdoc serve's /probe (check http-status) against Debian's prometheus-blackbox-exporter (module http_2xx), both
# probing the same local nginx page, driven by the same load generator (hey) at the same concurrency, in one run.
# Prints requests/s and p99 latency of each and the ratios. Needs: nginx, prometheus-blackbox-exporter, hey
# (apt-get install nginx prometheus-blackbox-exporter hey) and a built distribution (it builds one if missing).
#
#   bench/serve.sh                       # 20 s per round, concurrency 8, two rounds each, alternating
#   DURATION=30s CONCURRENCY=16 ROUNDS=3 bench/serve.sh
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-20s}
CONCURRENCY=${CONCURRENCY:-8}
ROUNDS=${ROUNDS:-2}
WARMUP=${WARMUP:-3000}

need() { command -v "$1" >/dev/null 2>&1 || [ -x "$1" ] || { echo "bench: $1 is missing (apt-get install $2)"; exit 1; }; }
need /usr/sbin/nginx nginx
need prometheus-blackbox-exporter prometheus-blackbox-exporter
need hey hey
OPSDOC=modules/cli/target/opsdoc/bin/opsdoc
[ -x "$OPSDOC" ] || ./mvnw -B -q package -DskipTests

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
WEB=$(free_port); BLACKBOX=$(free_port); SERVE=$(free_port)
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

# The probed page: nginx, so the target is never the bottleneck of either prober.
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

cat > "$work/blackbox.yml" <<EOF
modules:
  http_2xx:
    prober: http
    timeout: 5s
    http: {method: GET, valid_status_codes: [200]}
EOF
prometheus-blackbox-exporter --config.file="$work/blackbox.yml" --web.listen-address="127.0.0.1:$BLACKBOX" \
  > "$work/blackbox.log" 2>&1 & pids+=($!)

cat > "$work/opsdoc.yaml" <<EOF
defaults: {timeout: 5s, per-target: $CONCURRENCY}
targets:
  web:
    uri: http://127.0.0.1:$WEB/
    checks: [http-status]
EOF
"$OPSDOC" serve -c "$work/opsdoc.yaml" --listen "127.0.0.1:$SERVE" --threads 64 > "$work/serve.log" 2>&1 & pids+=($!)

wait_up() { for _ in $(seq 1 100); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.1; done; echo "bench: $1 never answered"; exit 1; }
wait_up "http://127.0.0.1:$WEB/"
wait_up "http://127.0.0.1:$BLACKBOX/metrics"
wait_up "http://127.0.0.1:$SERVE/healthz"

BB_URL="http://127.0.0.1:$BLACKBOX/probe?module=http_2xx&target=http://127.0.0.1:$WEB/"
OD_URL="http://127.0.0.1:$SERVE/probe?check=http-status&target=web"
curl -fsS "$BB_URL" | grep -q '^probe_success 1' || { echo "bench: blackbox_exporter's probe does not succeed"; exit 1; }
curl -fsS "$OD_URL" | grep -q '^opsdoc_check_status{check="http-status"} 0' || { echo "bench: opsdoc's probe is not OK"; curl -sS "$OD_URL"; exit 1; }

# Warm-up: the JVM compiles its hot paths; blackbox_exporter gets the same number of requests for fairness.
hey -n "$WARMUP" -c "$CONCURRENCY" "$BB_URL" > /dev/null
hey -n "$WARMUP" -c "$CONCURRENCY" "$OD_URL" > /dev/null

run() { # name url -> "rps p99_seconds"
  local out; out=$(hey -z "$DURATION" -c "$CONCURRENCY" "$2")
  local rps p99 errors
  rps=$(awk '/Requests\/sec:/ {print $2}' <<<"$out")
  p99=$(awk '/99% in/ {print $3}' <<<"$out")
  errors=$(awk '/Status code distribution:/ {f=1; next} f && /\[[0-9]+\]/ && $1 != "[200]" {n+=$2} END {print n+0}' <<<"$out")
  printf '%-9s %10.1f req/s   p99 %7.2f ms   non-200: %s\n' "$1" "$rps" "$(awk -v s="$p99" 'BEGIN{print s*1000}')" "$errors" >&2
  echo "$rps $p99"
}

echo "bench: $ROUNDS rounds of $DURATION at concurrency $CONCURRENCY, $(nproc) cores, alternating" >&2
bb_rps=0; bb_p99=0; od_rps=0; od_p99=0
for r in $(seq 1 "$ROUNDS"); do
  read -r a b < <(run blackbox "$BB_URL"); bb_rps=$(awk -v x="$bb_rps" -v y="$a" 'BEGIN{print x+y}'); bb_p99=$(awk -v x="$bb_p99" -v y="$b" 'BEGIN{print x+y}')
  read -r a b < <(run opsdoc "$OD_URL");   od_rps=$(awk -v x="$od_rps" -v y="$a" 'BEGIN{print x+y}'); od_p99=$(awk -v x="$od_p99" -v y="$b" 'BEGIN{print x+y}')
done
awk -v br="$bb_rps" -v bp="$bb_p99" -v orr="$od_rps" -v op="$od_p99" -v n="$ROUNDS" 'BEGIN {
  printf "\nmean over %d rounds:\n", n
  printf "  blackbox_exporter  %10.1f req/s   p99 %7.2f ms\n", br/n, bp/n*1000
  printf "  opsdoc serve       %10.1f req/s   p99 %7.2f ms\n", orr/n, op/n*1000
  printf "  opsdoc / blackbox: throughput %.2fx, p99 latency %.2fx (lower is better)\n", orr/br, op/bp
}'
