#!/usr/bin/env bash
# Soak: single, batch, bulk and PDQ lookups at about 80% of the rate measured first, with admin
# writes and imports alongside and a snapshot download half-way, for MINUTES (default 30; the
# issue's run is 30). Per minute: requests, errors (must be 0), p50/p99/p999 latency, server heap
# after a full GC, open file descriptors and threads (all should stay flat).
#
#   benchmarks/soak.sh [MINUTES]
#   ENTRIES=1000000 FRACTION=0.8 THREADS=4 benchmarks/soak.sh 30
#   GROW=1 benchmarks/soak.sh 30     # keep every write (the data set grows) instead of a steady size
set -euo pipefail
source "$(dirname "$0")/common.sh"

MINUTES="${1:-30}"
ENTRIES=${ENTRIES:-1000000}
FRACTION=${FRACTION:-0.8}
THREADS=${THREADS:-4}
HEAP=${HEAP:-2g}

build_jar
work="$(mktemp -d /tmp/hashdb-soak.XXXXXX)"
cleanup() {
  [[ -n "${HASHDB_PID:-}" ]] && kill "$HASHDB_PID" 2>/dev/null && wait "$HASHDB_PID" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

machine_info
echo "entries=$ENTRIES minutes=$MINUTES fraction=$FRACTION lookup threads=$THREADS (fsync on)"
mkdir -p "$work/data"
query="$(new_key "$work/data" query soak-query)"
admin="$(new_key "$work/data" admin soak-admin)"
start_hashdb "$work/data" "$work/hashdb.log" --synthetic "$ENTRIES" --seed 42 --no-access-log
"$JAVA" -cp "$jar" org.hashdb.bench.load.Soak "http://127.0.0.1:$HASHDB_PORT" "http://127.0.0.1:$HASHDB_ADMIN_PORT" "$query" "$admin" \
  "$HASHDB_PID" "$MINUTES" "$FRACTION" "$THREADS"
