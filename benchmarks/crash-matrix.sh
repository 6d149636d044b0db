#!/usr/bin/env bash
# Crash and disk-fault matrix: SIGKILL at random points during admin writes, streaming imports,
# snapshot writes and log rotation; the same with a full disk, failing fsyncs or failing writes
# injected through the FileIo seam; a real file size limit (ulimit -f); snapshot and log bytes
# flipped or truncated. Prints per row: trials, acknowledged entries, entries lost (must be 0),
# failed restarts (must be 0), corruptions detected (must be 100%).
#
#   benchmarks/crash-matrix.sh [TRIALS] [ROW-FILTER]     (default 10 trials per row; goal 200)
#   PARALLEL=4 benchmarks/crash-matrix.sh 200               (kill trials side by side; default 4)
#
# A fault row arms its fault at a random point of the bytes, writes or fsyncs an operation really
# does and kills the child a random moment after the fault fired; "fault fired" counts the trials
# where it did before the kill.
set -euo pipefail
cd "$(dirname "$0")/.."
TRIALS="${1:-10}"
FILTER="${2:-}"
PARALLEL="${PARALLEL:-4}"
# one Maven run; the class path goes to a file (on stdout it came with a terminal colour code)
mvn -B -ntp -q -o -pl hashdb-core test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/crash-matrix-classpath.txt
CP="hashdb-core/target/test-classes:hashdb-core/target/classes:$(cat hashdb-core/target/crash-matrix-classpath.txt)"
java -version 2>&1 | head -1
echo "trials per row: $TRIALS, $PARALLEL at a time; load average $(cut -d' ' -f1-3 /proc/loadavg)"
exec java -Xmx1g -Dhashdb.crashMatrixParallel="$PARALLEL" -cp "$CP" org.hashdb.core.db.CrashMatrix "$TRIALS" "$FILTER"
