#!/usr/bin/env bash
# Start-up cost of one opsdoc check, against the JVM's own floor, measured side by side in one run.
#
#   bench/startup.sh            # after ./mvnw -q package -DskipTests
#
# Compares: `java -version` (the JVM floor), a bare picocli "hello" (JVM + CLI parsing, nothing else), and
# `opsdoc check mysql-replication` against a refused local port (the whole check path: JDBC driver, runner, notes,
# text writer; no server needed), with and without the AppCDS archive. Reports medians and ratios.
# Uses hyperfine when installed (apt-get install hyperfine), else a plain loop.
set -euo pipefail
cd "$(dirname "$0")/.."
dist=modules/cli/target/opsdoc
[ -x "$dist/bin/opsdoc" ] || { echo "build first: ./mvnw -q package -DskipTests" >&2; exit 2; }
java_cmd=${JAVA_HOME:+$JAVA_HOME/bin/}java
runs=${RUNS:-30}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# the peer: the smallest picocli program, compiled here so nothing of opsdoc is on its class path
picocli=$(ls "$dist"/lib/picocli-[0-9]*.jar)   # not picocli-codegen-*.jar (gen-manpage)
cat > "$work/Hello.java" <<'JAVA'
import picocli.CommandLine;
@CommandLine.Command(name = "hello")
public class Hello implements Runnable {
    @CommandLine.Parameters(arity = "0..*") java.util.List<String> args;
    public void run() { System.out.println("hello"); }
    public static void main(String[] a) { System.exit(new CommandLine(new Hello()).execute(a)); }
}
JAVA
"${JAVA_HOME:+$JAVA_HOME/bin/}javac" -q -cp "$picocli" -d "$work" "$work/Hello.java" 2>/dev/null || \
  "${JAVA_HOME:+$JAVA_HOME/bin/}javac" -cp "$picocli" -d "$work" "$work/Hello.java"
"$dist/bin/opsdoc" --version >/dev/null   # make sure the CDS archive matches this JDK and path

flags="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
target=mysql://opsdoc@127.0.0.1:9
names=("java -version" "picocli hello" "opsdoc --version" "opsdoc check (AppCDS)" "opsdoc check (no CDS)")
cmds=("$java_cmd -version"
      "$java_cmd $flags -cp $work:$picocli Hello check x"
      "$dist/bin/opsdoc --version"
      "$dist/bin/opsdoc check mysql-replication $target --format nagios"
      "env OPSDOC_CDS=off $dist/bin/opsdoc check mysql-replication $target --format nagios")

medians=()
if command -v hyperfine >/dev/null; then
  args=()
  for i in "${!cmds[@]}"; do args+=(-n "${names[$i]}" "${cmds[$i]}"); done
  hyperfine -N --warmup 3 --runs "$runs" -i --export-json "$work/h.json" "${args[@]}" >/dev/null
  mapfile -t medians < <(python3 -c 'import json,sys; [print(r["median"]*1000) for r in json.load(open(sys.argv[1]))["results"]]' "$work/h.json")
  tool="hyperfine $(hyperfine --version | cut -d' ' -f2), $runs runs, 3 warm-ups"
else
  for c in "${cmds[@]}"; do
    for _ in 1 2 3; do $c >/dev/null 2>&1 || true; done
    ts=()
    for _ in $(seq "$runs"); do
      s=$(date +%s%N); $c >/dev/null 2>&1 || true; e=$(date +%s%N); ts+=($(( (e - s) / 1000 )))
    done
    medians+=("$(printf '%s\n' "${ts[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]/1000}')")
  done
  tool="shell loop, $runs runs, 3 warm-ups (install hyperfine for better numbers)"
fi

echo "opsdoc start-up, $(date -u +%F), $(nproc) cores, $("$java_cmd" -version 2>&1 | head -1), $tool"
printf '%-24s %10s %14s %14s\n' command "median ms" "x java -version" "x picocli hello"
for i in "${!names[@]}"; do
  awk -v n="${names[$i]}" -v m="${medians[$i]}" -v j="${medians[0]}" -v h="${medians[1]}" \
    'BEGIN { printf "%-24s %10.1f %14.2f %14.2f\n", n, m, m / j, m / h }'
done
