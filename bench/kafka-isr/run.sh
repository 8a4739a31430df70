#!/usr/bin/env bash
# kafka-isr against Kafka's own under-replicated-partitions listing, on the same cluster in the same run.
#
# Starts the lab's KRaft cluster (1 controller + 3 brokers, in one JVM) with TOPICS x PER_TOPIC partitions at RF 3,
# stops one broker, then alternates REPS times:
#   opsdoc check kafka-isr kafka://...                  (the distribution's bin/opsdoc, text output, a fresh JVM each time)
#   TopicCommand --describe --under-replicated-partitions (what kafka-topics.sh runs, a fresh JVM each time)
# and reports wall-clock medians, the ratio and peak RSS (GNU time's %M). Both print the same set of partitions.
#
# Usage: bench/kafka-isr/run.sh [TOPICS] [PER_TOPIC] [REPS]      (defaults 100 40 7: 4,000 partitions)
# Needs: JDK 17+, GNU time (/usr/bin/time), and enough file descriptors: every replica keeps its segment file
# open, so a single-JVM cluster needs about 3 x partitions descriptors (`ulimit -n`).
set -euo pipefail
cd "$(dirname "$0")/../.."
TOPICS=${1:-100}
PER_TOPIC=${2:-40}
REPS=${3:-7}
OUT=bench/kafka-isr/target
mkdir -p "$OUT"

need=$(( TOPICS * PER_TOPIC * 3 + 2000 ))
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$need" ]; then
  ulimit -n "$need" 2>/dev/null || { echo "bench: needs ~$need open files, ulimit -n is $(ulimit -n) (hard $(ulimit -Hn))"; exit 1; }
fi

echo "bench: building the opsdoc distribution (tests skipped; nothing is installed into ~/.m2)..."
./mvnw -q -B package -DskipTests
./mvnw -q -B -f bench/kafka-isr/pom.xml dependency:build-classpath -Dmdep.outputFile=target/cp.txt
CP=$(cat "$OUT/cp.txt")              # kafka-tools: TopicCommand, i.e. kafka-topics.sh
DIST=modules/cli/target/opsdoc
OPSDOC=$DIST/bin/opsdoc

rm -f "$OUT/bootstrap.txt"
mkfifo "$OUT/keepalive" 2>/dev/null || true
# the cluster runs until its stdin (the fifo) closes
java -Xmx3g -cp "$DIST/lib/*" io.opsdoc.lab.kafka.KafkaBenchCluster --topics "$TOPICS" --partitions-per-topic "$PER_TOPIC" \
  --ready-file "$OUT/bootstrap.txt" < "$OUT/keepalive" 2> "$OUT/cluster.log" &
CLUSTER=$!
exec 9> "$OUT/keepalive"
trap 'exec 9>&-; wait $CLUSTER 2>/dev/null || true; rm -f "$OUT/keepalive"' EXIT
while [ ! -s "$OUT/bootstrap.txt" ]; do
  kill -0 $CLUSTER 2>/dev/null || { echo "bench: the cluster died; see $OUT/cluster.log"; tail -20 "$OUT/cluster.log"; exit 1; }
  sleep 1
done
BOOT=$(cat "$OUT/bootstrap.txt")
grep -E 'cluster up' "$OUT/cluster.log" || true

run() { # name, command...: appends "seconds peakKiB" to $OUT/name.times
  local name=$1; shift
  /usr/bin/time -f '%e %M' -o "$OUT/one.time" "$@" > "$OUT/$name.out" 2> "$OUT/$name.err" || true
  tail -1 "$OUT/one.time" >> "$OUT/$name.times"   # GNU time adds a line for a non-zero exit (opsdoc exits 2)
}
rm -f "$OUT"/*.times
# one untimed run each: page cache and the cluster's own warm-up should not favour whoever goes second; the JSON
# run also records how many under-replicated partitions opsdoc found, to compare with kafka-topics' list
"$OPSDOC" check kafka-isr "kafka://$BOOT" --timeout 120s --format json > "$OUT/opsdoc.json" 2>/dev/null || true
java -cp "$CP" org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOT" --describe --under-replicated-partitions > /dev/null 2>&1 || true
for i in $(seq "$REPS"); do
  run opsdoc "$OPSDOC" check kafka-isr "kafka://$BOOT" --timeout 120s
  run topics java -cp "$CP" org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOT" --describe --under-replicated-partitions
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
o=$(cut -d' ' -f1 "$OUT/opsdoc.times" | median); t=$(cut -d' ' -f1 "$OUT/topics.times" | median)
om=$(cut -d' ' -f2 "$OUT/opsdoc.times" | median); tm=$(cut -d' ' -f2 "$OUT/topics.times" | median)
urp_topics=$(grep -c 'Partition:' "$OUT/topics.out" || true)
urp_opsdoc=$(python3 -c "
import json; d=json.load(open('$OUT/opsdoc.json'))
print(next(f['evidence']['partitions'] for f in d['reports'][0]['findings'] if f['code']=='UNDER_REPLICATED'))" 2>/dev/null || echo '?')
echo
echo "partitions: $((TOPICS * PER_TOPIC)) (RF 3, one of 3 brokers stopped); repetitions: $REPS; JDK: $(java -version 2>&1 | head -1)"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "under-replicated partitions reported: opsdoc $urp_opsdoc, kafka-topics $urp_topics"
printf '%-36s %10s %14s\n' "" "median s" "median peak RSS"
printf '%-36s %10s %11s MiB\n' "opsdoc check kafka-isr" "$o" "$((om / 1024))"
printf '%-36s %10s %11s MiB\n' "kafka-topics --under-replicated" "$t" "$((tm / 1024))"
awk -v o="$o" -v t="$t" 'BEGIN { printf "ratio (kafka-topics / opsdoc): %.2fx\n", t / o }'
