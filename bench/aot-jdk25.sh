#!/usr/bin/env bash
# What JDK 25's AOT cache (JEP 483 ahead-of-time class loading and linking, JEP 514 one-step training, JEP 515
# method profiles) gives a one-shot `opsdoc check`, next to what the launcher does today (JDK 17 + dynamic AppCDS).
#
#   JDK25=/usr/lib/jvm/temurin-25-jdk-amd64 bench/aot-jdk25.sh     # after ./mvnw -q package -DskipTests
#
# All runs use the launcher's flags (C1 only, serial GC) and the same class path; the target is a refused local port,
# so the whole check path runs (picocli, runner, JDBC driver, notes, text writer) without a server. Medians of RUNS.
set -euo pipefail
set -f   # the class path below is a literal lib/* for the JVM, never a shell glob
cd "$(dirname "$0")/.."
dist=modules/cli/target/opsdoc
jdk25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
jdk17=${JDK17:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
runs=${RUNS:-15}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
flags="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
cp="$PWD/$dist/lib/*"
check=(io.opsdoc.cli.Opsdoc check mysql-replication mysql://opsdoc@127.0.0.1:9 --format nagios)

# training runs: a dynamic AppCDS archive per JDK (what bin/opsdoc records), and JDK 25's AOT cache
"$jdk17/bin/java" $flags -XX:ArchiveClassesAtExit="$work/17.jsa" -Xlog:cds=off -cp "$cp" "${check[@]}" >/dev/null 2>&1 || true
"$jdk25/bin/java" $flags -XX:ArchiveClassesAtExit="$work/25.jsa" -Xlog:cds=off -cp "$cp" "${check[@]}" >/dev/null 2>&1 || true
# JDK 25.0.3 crashes creating the cache with AOT class linking on (guarantee in archiveHeapWriter.cpp:757, with the
# launcher's flags and with none), so linking is off: the cache then holds loaded and verified classes plus profiles.
aot="-XX:-AOTClassLinking"
"$jdk25/bin/java" $flags $aot -XX:AOTMode=record -XX:AOTConfiguration="$work/25.aotconf" -cp "$cp" "${check[@]}" >/dev/null 2>&1 || true
(cd "$work" && "$jdk25/bin/java" $flags $aot -XX:AOTMode=create -XX:AOTConfiguration="$work/25.aotconf" -XX:AOTCache="$work/25.aot" \
  -cp "$cp" >/dev/null 2>&1) || echo "AOT cache creation failed (hs_err in $work)" >&2
ls -la "$work" >&2

names=("JDK 17 java -version" "JDK 17 check, default CDS" "JDK 17 check, AppCDS (today)"
       "JDK 25 java -version" "JDK 25 check, default CDS" "JDK 25 check, AppCDS" "JDK 25 check, AOT cache")
cmds=("$jdk17/bin/java -version"
      "$jdk17/bin/java $flags -cp $cp ${check[*]}"
      "$jdk17/bin/java $flags -XX:SharedArchiveFile=$work/17.jsa -cp $cp ${check[*]}"
      "$jdk25/bin/java -version"
      "$jdk25/bin/java $flags -cp $cp ${check[*]}"
      "$jdk25/bin/java $flags -XX:SharedArchiveFile=$work/25.jsa -cp $cp ${check[*]}"
      "$jdk25/bin/java $flags $aot -XX:AOTCache=$work/25.aot -cp $cp ${check[*]}")
# Round-robin over the commands, so that a machine whose load drifts (a shared CI box) weighs on all of them alike;
# CPU time (user + sys) is reported next to wall time because it is what load distorts least.
declare -A wall cpu
for c in "${cmds[@]}"; do for _ in 1 2; do $c >/dev/null 2>&1 || true; done; done
for _ in $(seq "$runs"); do
  for i in "${!cmds[@]}"; do
    s=$(date +%s%N)
    /usr/bin/time -o "$work/t" -f '%U %S' ${cmds[$i]} >/dev/null 2>&1 || true
    t=$(cat "$work/t" | tail -1)
    e=$(date +%s%N)
    wall[$i]+="$(( (e - s) / 1000 )) "
    cpu[$i]+="$(echo "$t" | awk '{printf "%d", ($1 + $2) * 1000000}') "
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {printf "%.0f", a[int((NR+1)/2)]/1000}'; }
printf '| command | median wall ms | median CPU ms | wall x JDK 17 AppCDS | CPU x JDK 17 AppCDS |\n|---|---|---|---|---|\n'
w2=$(echo "${wall[2]}" | median); c2=$(echo "${cpu[2]}" | median)
for i in "${!cmds[@]}"; do
  w=$(echo "${wall[$i]}" | median); c=$(echo "${cpu[$i]}" | median)
  printf '| %s | %s | %s | %.2f | %.2f |\n' "${names[$i]}" "$w" "$c" "$(echo "$w / $w2" | bc -l)" "$(echo "$c / $c2" | bc -l)"
done
echo "($runs rounds after 2 warm-ups each; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg))"
