#!/usr/bin/env bash
# The edge checks against the Prometheus exporters that answer the same questions, on one real Debian nginx (issue 15):
#  1. nginx-status: opsdoc serve's /probe?check=nginx-status (window 0s: one stub_status reading per scrape, as the
#     exporter does) against prometheus-nginx-exporter's /metrics scraping the same stub_status location;
#  2. http-status: /probe?check=http-status on a URL nginx serves against prometheus-blackbox-exporter's
#     /probe?module=http_2xx on the same URL.
# Both pairs are scraped in turn on keep-alive connections (bench/host/scrape.py): latency per scrape and the server's
# CPU per scrape round, and the ratios. Measured, not asserted: run it on a quiet machine.
# Needs: apt-get install nginx prometheus-nginx-exporter prometheus-blackbox-exporter hyperfine python3 curl; a JDK 17
# and a built distribution (built if missing: ./mvnw -pl modules/cli -am package -DskipTests, no install). Without
# prometheus-nginx-exporter part 1 is skipped and says so (it is not in every Debian mirror snapshot).
#
#   bench/edge.sh                  # 200 scrape rounds each
#   ROUNDS=20 bench/edge.sh        # a smoke run
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-200}

need() { command -v "$1" >/dev/null 2>&1 || [ -x "$1" ] || { echo "bench: $1 is missing (apt-get install $2)"; exit 1; }; }
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
need "$NGINX" nginx
need prometheus-blackbox-exporter prometheus-blackbox-exporter
need python3 python3
need curl curl
OPSDOC=$PWD/modules/cli/target/opsdoc/bin/opsdoc
[ -x "$OPSDOC" ] || ./mvnw -B -q -pl modules/cli -am package -DskipTests

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
listener_pid() { ss -ltnpH "sport = :$1" | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -1; }
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

NG=$(free_port); OD=$(free_port); NE=$(free_port); BB=$(free_port)
mkdir -p "$work/ngx/logs"
cat > "$work/ngx/nginx.conf" <<NGINX
worker_processes 1;
pid $work/ngx/logs/nginx.pid;
error_log $work/ngx/logs/error.log;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path $work/ngx/tmp_body; proxy_temp_path $work/ngx/tmp_proxy; fastcgi_temp_path $work/ngx/tmp_fcgi;
  uwsgi_temp_path $work/ngx/tmp_uwsgi; scgi_temp_path $work/ngx/tmp_scgi;
  server {
    listen 127.0.0.1:$NG;
    location = /nginx_status { stub_status; }
    location / { return 200 "ok\n"; }
  }
}
NGINX
"$NGINX" -c "$work/ngx/nginx.conf" -p "$work/ngx" -g 'daemon off;' >"$work/nginx.log" 2>&1 &
pids+=($!)

TOKEN=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
printf '%s\n' "$TOKEN" > "$work/token"
cat > "$work/edge.yaml" <<YAML
version: 1
defaults: {timeout: 10s, per-target: 4}
targets:
  web:
    uri: nginx://127.0.0.1:$NG/nginx_status
    checks:
      nginx-status: {window: 0s}
  site:
    uri: http://127.0.0.1:$NG/
    checks:
      http-status: {}
YAML
OPSDOC_CDS=off "$OPSDOC" serve -c "$work/edge.yaml" --listen "127.0.0.1:$OD" --token-file "$work/token" >"$work/serve.log" 2>&1 &
pids+=($!)
cat > "$work/blackbox.yml" <<YAML
modules:
  http_2xx:
    prober: http
    timeout: 10s
    http: {preferred_ip_protocol: ip4}
YAML
prometheus-blackbox-exporter --config.file="$work/blackbox.yml" --web.listen-address="127.0.0.1:$BB" >"$work/bb.log" 2>&1 &
pids+=($!)
HAVE_NE=0
if command -v prometheus-nginx-exporter >/dev/null 2>&1; then
  HAVE_NE=1
  # 0.11 (bookworm) takes -nginx.scrape-uri, later versions --nginx.scrape-uri: the single-dash form works in both
  prometheus-nginx-exporter -nginx.scrape-uri "http://127.0.0.1:$NG/nginx_status" -web.listen-address "127.0.0.1:$NE" \
    >"$work/ne.log" 2>&1 &
  pids+=($!)
fi
for i in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$NG/nginx_status" >/dev/null 2>&1 && curl -fsS "http://127.0.0.1:$OD/healthz" >/dev/null 2>&1 \
    && curl -fsS "http://127.0.0.1:$BB/metrics" >/dev/null 2>&1 \
    && { [ $HAVE_NE = 0 ] || curl -fsS "http://127.0.0.1:$NE/metrics" >/dev/null 2>&1; } && break
  sleep 0.2
done
OD_PID=$(listener_pid "$OD")

echo "## 1. nginx-status: opsdoc /probe against prometheus-nginx-exporter /metrics ($ROUNDS rounds, same stub_status)"
if [ $HAVE_NE = 1 ]; then
  grep -q '^nginx_up 1' <(curl -fsS "http://127.0.0.1:$NE/metrics") || { echo "bench: nginx exporter cannot read stub_status"; cat "$work/ne.log"; exit 1; }
  TARGET=web PEER=nginx_exporter python3 bench/host/scrape.py "$ROUNDS" "$OD" "$OD_PID" "$NE" "$(listener_pid "$NE")" "$TOKEN" nginx-status
else
  echo "skipped: prometheus-nginx-exporter is not installed here (apt-get install prometheus-nginx-exporter)"
fi
echo

echo "## 2. http-status: opsdoc /probe against blackbox_exporter http_2xx ($ROUNDS rounds, same nginx URL)"
grep -q '^probe_success 1' <(curl -fsS "http://127.0.0.1:$BB/probe?module=http_2xx&target=http://127.0.0.1:$NG/") \
  || { echo "bench: blackbox_exporter's http_2xx probe fails"; cat "$work/bb.log"; exit 1; }
TARGET=site PEER=blackbox_exporter PEER_PATH="/probe?module=http_2xx&target=http://127.0.0.1:$NG/" \
  python3 bench/host/scrape.py "$ROUNDS" "$OD" "$OD_PID" "$BB" "$(listener_pid "$BB")" "$TOKEN" http-status
echo
echo "nginx $("$NGINX" -v 2>&1 | sed "s/.*\///"), nginx_exporter $(prometheus-nginx-exporter --version 2>&1 | sed -n "s/.*version=\([^ ]*\).*/\1/p" | head -1), blackbox_exporter $(prometheus-blackbox-exporter --version 2>&1 | head -1 | awk '{print $3}'), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
