#!/usr/bin/env bash
# The MySQL checks against Debian's prometheus-mysqld-exporter 0.14 on the same MariaDB under the same load, in one
# run (issue 14): opsdoc serve answering /probe for mysql-connections, mysql-slow-queries, mysql-durability and
# mysql-replication-config through its pooled connection, against mysqld_exporter's /metrics (its default collectors),
# scraped in turn on keep-alive connections while mariadb-slap keeps the server busy (bench/host/scrape.py: latency
# per scrape and the server's CPU per scrape round). Both log in as an account with no grant beyond USAGE plus what
# `opsdoc grants` / the exporter's README ask for (PROCESS, REPLICATION CLIENT, SELECT on performance_schema).
# The windowed checks sample over `window` (default 2 s); here window=0s, one sample like the exporter's, since
# Prometheus computes rates from successive scrapes anyway.
#
# Needs: apt-get install mariadb-server prometheus-mysqld-exporter python3; a JDK 17 and a built distribution (built
# if missing: ./mvnw -pl modules/cli -am package -DskipTests, no install).
#
#   bench/mysql.sh                 # 200 scrape rounds
#   ROUNDS=50 bench/mysql.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-200}

need() { command -v "$1" >/dev/null 2>&1 || [ -x "$1" ] || { echo "bench: $1 is missing (apt-get install $2)"; exit 1; }; }
need /usr/sbin/mariadbd mariadb-server
need mariadb-slap mariadb-client
need prometheus-mysqld-exporter prometheus-mysqld-exporter
need python3 python3
OPSDOC=$PWD/modules/cli/target/opsdoc/bin/opsdoc
[ -x "$OPSDOC" ] || ./mvnw -B -q -pl modules/cli -am package -DskipTests

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

DB=$(free_port); OD=$(free_port); ME=$(free_port)
as_root=(); [ "$(id -u)" = 0 ] && as_root=(--user=root)   # mariadbd refuses root without it
mariadb-install-db --no-defaults --datadir="$work/data" "${as_root[@]}" --auth-root-authentication-method=normal \
  --skip-test-db >"$work/install.log" 2>&1
/usr/sbin/mariadbd --no-defaults --datadir="$work/data" "${as_root[@]}" --port="$DB" --bind-address=127.0.0.1 \
  --socket="$work/mysqld.sock" --pid-file="$work/mysqld.pid" --skip-name-resolve --max-connections=200 \
  --log-error="$work/mysqld.err" &
pids+=($!)
for i in $(seq 1 100); do mariadb -uroot --socket="$work/mysqld.sock" -e 'select 1' >/dev/null 2>&1 && break; sleep 0.2; done

PW=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
mariadb -uroot --socket="$work/mysqld.sock" <<SQL
CREATE USER 'monitor'@'127.0.0.1' IDENTIFIED BY '$PW';
CREATE USER 'exporter'@'127.0.0.1' IDENTIFIED BY '$PW' WITH MAX_USER_CONNECTIONS 3;
GRANT PROCESS, REPLICATION CLIENT, SELECT ON *.* TO 'exporter'@'127.0.0.1';
CREATE DATABASE slap;
SQL
printf '%s\n' "$PW" > "$work/pw"; chmod 600 "$work/pw"
printf '[client]\nuser=exporter\npassword=%s\nhost=127.0.0.1\nport=%s\n' "$PW" "$DB" > "$work/my.cnf"

TOKEN=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
printf '%s\n' "$TOKEN" > "$work/token"
CHECKS="mysql-connections mysql-slow-queries mysql-durability mysql-replication-config"
cat > "$work/mysql.yaml" <<YAML
version: 1
defaults: {timeout: 10s, per-target: 4}
targets:
  db:
    uri: mysql://monitor@127.0.0.1:$DB
    password: {file: $work/pw}
    checks:
      mysql-connections: {window: 0s}
      mysql-slow-queries: {window: 0s}
      mysql-durability: {}
      mysql-replication-config: {}
YAML
OPSDOC_CDS=off "$OPSDOC" serve -c "$work/mysql.yaml" --listen "127.0.0.1:$OD" --token-file "$work/token" >"$work/serve.log" 2>&1 &
pids+=($!)
prometheus-mysqld-exporter --config.my-cnf="$work/my.cnf" --web.listen-address="127.0.0.1:$ME" >"$work/me.log" 2>&1 &
pids+=($!)
for i in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$OD/healthz" >/dev/null 2>&1 && curl -fsS "http://127.0.0.1:$ME/metrics" >/dev/null 2>&1 && break
  sleep 0.2
done
grep -q '^mysql_up 1' <(curl -fsS "http://127.0.0.1:$ME/metrics") || { echo "bench: mysqld_exporter cannot log in"; cat "$work/me.log"; exit 1; }

# the same load for both: 8 clients of mixed auto-generated SQL for as long as the scrapes run
( while :; do mariadb-slap -uroot --socket="$work/mysqld.sock" --create-schema=slap --concurrency=8 --iterations=1 \
    --number-of-queries=2000 --auto-generate-sql --auto-generate-sql-load-type=mixed >/dev/null 2>&1 || true; done ) &
pids+=($!)

OD_PID=$(ss -ltnpH "sport = :$OD" | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -1)
ME_PID=$(ss -ltnpH "sport = :$ME" | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -1)
echo "## opsdoc serve /probe against mysqld_exporter /metrics ($ROUNDS rounds, mariadb-slap running)"
TARGET=db PEER=mysqld_exporter python3 bench/host/scrape.py "$ROUNDS" "$OD" "$OD_PID" "$ME" "$ME_PID" "$TOKEN" $CHECKS
echo
echo "MariaDB $(/usr/sbin/mariadbd --version | awk '{print $3}'), mysqld_exporter $(prometheus-mysqld-exporter --version 2>&1 | head -1 | awk '{print $3}'), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
