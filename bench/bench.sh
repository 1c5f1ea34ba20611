#!/usr/bin/env bash
# Runs a conflictmon benchmark from a source checkout; builds bench (and what it needs) on first use or with
# CONFLICTMON_REBUILD=1. Usage:
#   bench/bench.sh ingest  [N=200000] [rounds=3]   # Importer / ReportPublisher vs ProducerPerformance
#   bench/bench.sh streams [N=200000] [rounds=3]   # ConflictTopology (EOS) vs ConsumerPerformance
#   bench/bench.sh query   [reports=20000] [seconds=10] [keyRate=1000] [rangeRate=200] [postsPerSecond=20] [reportsPerPost=100]
#                                                 # query API latency on two instances, ingest to wave event
#   bench/bench.sh jmh     [JMH options...]        # WaveMergerBenchmark (e.g. -p order=time -rf json)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
JAR="$BENCH/target/conflictmon-bench-0.1.0-SNAPSHOT.jar"
if [ ! -f "$JAR" ] || [ ! -d "$BENCH/target/lib" ] || [ -n "${CONFLICTMON_REBUILD:-}" ]; then
  echo "bench: building..." >&2
  (cd "$ROOT" && ./mvnw -B -q -ntp -pl bench -am -DskipTests package) >&2
fi
CP="$JAR:$BENCH/target/lib/*"
what="${1:-}"
shift || true
case "$what" in
  ingest)  exec java ${JAVA_OPTS:--Xmx2g} -cp "$CP" io.conflictmon.bench.IngestBench "$@" ;;
  streams) exec java ${JAVA_OPTS:--Xmx2g} -cp "$CP" io.conflictmon.bench.StreamsBench "$@" ;;
  # QueryBench runs the demo's stack (broker, registry, two instances) in one JVM, so it runs with the demo's JIT
  # setting (bin/conflictmon demo): on two cores, C2 compiling that much code took most of a core for minutes.
  query)   exec java ${JAVA_OPTS:--Xmx2g -XX:TieredStopAtLevel=1} -cp "$CP" io.conflictmon.bench.QueryBench "$@" ;;
  jmh)     exec java -cp "$CP" org.openjdk.jmh.Main WaveMergerBenchmark "$@" ;;
  *) echo "usage: bench/bench.sh ingest|streams [N] [rounds] | query [reports] [seconds] [keyRate] [rangeRate] [postsPerSecond] [reportsPerPost] | jmh [JMH options]" >&2; exit 2 ;;
esac
