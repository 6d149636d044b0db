#!/usr/bin/env bash
# HashDB's binary bulk endpoint vs Redis SMISMEMBER, side by side in one run: the same ENTRIES
# seeded SHA-256 values loaded into both (HashDB through its streaming import, Redis through
# pipelined SADD), then the same query batches (BATCH hashes, HIT_RATIO of them present) over
# the same number of CONNECTIONS (one request in flight each), driven by the same Java load
# generator (org.hashdb.bench.load.BulkLoad). Prints hashes/s of both and their ratio (goal
# >= 2), and the RSS growth of both processes for the load (goal <= 0.75).
#
#   benchmarks/bulk-vs-redis.sh                # 10M entries, batch 1000, 4 connections
#   ENTRIES=1000000 SECONDS_=5 benchmarks/bulk-vs-redis.sh
#   SERVE_ARGS="--config FILE" benchmarks/bulk-vs-redis.sh   # extra serve options (e.g. psi.enabled=false)
set -euo pipefail
source "$(dirname "$0")/common.sh"

ENTRIES=${ENTRIES:-10000000}
BATCH=${BATCH:-1000}
CONNECTIONS=${CONNECTIONS:-4}
SECONDS_=${SECONDS_:-10}
WARMUP=${WARMUP:-5}
HIT_RATIO=${HIT_RATIO:-0.001}
REDIS_PORT=${REDIS_PORT:-6390}
HEAP=${HEAP:-3g}

command -v redis-server >/dev/null || apt-get install -y redis-server >/dev/null
build_jar
work="$(mktemp -d /tmp/hashdb-vs-redis.XXXXXX)"
cleanup() {
  [[ -n "${HASHDB_PID:-}" ]] && kill "$HASHDB_PID" 2>/dev/null && wait "$HASHDB_PID" 2>/dev/null || true
  [[ -n "${REDIS_PID:-}" ]] && kill "$REDIS_PID" 2>/dev/null && wait "$REDIS_PID" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

machine_info
echo "redis: $(redis-server --version | cut -d' ' -f1-3)"
echo "entries=$ENTRIES batch=$BATCH connections=$CONNECTIONS seconds=$SECONDS_ warmup=$WARMUP hit_ratio=$HIT_RATIO heap=$HEAP"

redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" \
  >"$work/redis.log" 2>&1 &
REDIS_PID=$!
mkdir -p "$work/data"
admin="$(new_key "$work/data" admin bench-admin)"
query="$(new_key "$work/data" query bench-query)"
start_hashdb "$work/data" "$work/hashdb.log" ${SERVE_ARGS:-}
for _ in $(seq 1 100); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done

"$JCMD" "$HASHDB_PID" GC.run >/dev/null
sleep 1
hashdb_rss0=$(rss_kb "$HASHDB_PID"); redis_rss0=$(rss_kb "$REDIS_PID")

run() { "$JAVA" -Xmx2g -cp "$jar" org.hashdb.bench.load.BulkLoad "$@"; }
run load-redis --port "$REDIS_PORT" --entries "$ENTRIES"
run load-hashdb --port "$HASHDB_ADMIN_PORT" --key "$admin" --entries "$ENTRIES"

"$JCMD" "$HASHDB_PID" GC.run >/dev/null
sleep 2
"$JCMD" "$HASHDB_PID" GC.run >/dev/null
sleep 1
hashdb_rss1=$(rss_kb "$HASHDB_PID"); redis_rss1=$(rss_kb "$REDIS_PID")
redis_used=$(redis-cli -p "$REDIS_PORT" info memory | awk -F: '/^used_memory:/ {print $2}' | tr -d '\r')
db_bytes=$(curl -s -H "Authorization: Bearer $admin" "http://127.0.0.1:$HASHDB_ADMIN_PORT/v1/admin/stats" \
  | sed -n 's/.*"databaseBytes":\([0-9]*\).*/\1/p')

common=(--entries "$ENTRIES" --batch "$BATCH" --connections "$CONNECTIONS" --seconds "$SECONDS_" --warmup "$WARMUP" --hit-ratio "$HIT_RATIO")
redis_line="$(run bench-redis --port "$REDIS_PORT" "${common[@]}")"
hashdb_line="$(run bench-hashdb --port "$HASHDB_PORT" --key "$query" "${common[@]}")"
echo "$redis_line"
echo "$hashdb_line"

val() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2"; }
r_hps=$(val hashes_per_s "$redis_line"); h_hps=$(val hashes_per_s "$hashdb_line")
awk -v h="$h_hps" -v r="$r_hps" 'BEGIN { printf "RATIO bulk hashes/s hashdb/redis = %.2f (hashdb %.0f, redis %.0f; goal >= 2)\n", h / r, h, r }'
awk -v h0="$hashdb_rss0" -v h1="$hashdb_rss1" -v r0="$redis_rss0" -v r1="$redis_rss1" -v ru="$redis_used" -v db="$db_bytes" -v n="$ENTRIES" 'BEGIN {
  hg = (h1 - h0) * 1024; rg = (r1 - r0) * 1024
  printf "RSS growth for %d sha256 entries: hashdb %.0f MiB (%.1f B/entry; database structures %.0f MiB), redis %.0f MiB (%.1f B/entry; used_memory %.0f MiB)\n", n, hg / 1048576, hg / n, db / 1048576, rg / 1048576, rg / n, ru / 1048576
  printf "RATIO RSS growth hashdb/redis = %.2f (goal <= 0.75)\n", hg / rg }'
