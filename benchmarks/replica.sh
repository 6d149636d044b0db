#!/usr/bin/env bash
# Read replicas, measured in one run on this machine: a primary with ENTRIES synthetic SHA-256
# entries and two replicas (serve --replica-of), all on loopback.
#   1. bootstrap: a replica started on an empty directory, until /readyz is 200 (snapshot
#      download streamed to disk, loaded, digest checked);
#   2. add-to-visibility: LATENCY_ADDS single adds on the primary, each looked up on a replica
#      until it matches, timed from the primary's acknowledgement (p50, p99);
#   3. catch-up: replica 2 stopped, CATCHUP_CHANGES changes of CATCHUP_PER_CHANGE entries written
#      to the primary ("an hour's worth" at the defaults: one add of 100 entries a second for an
#      hour, 3,600 changes, 360,000 entries), replica 2 restarted, changes/s applied, against the
#      rate the primary took the same writes at in the same run;
#   4. lookups through HAProxy (docs/operations.md's configuration) with one replica (both server
#      lines on replica 1) vs two, under wrk; the ratio is the figure (the machine is shared).
#
#   benchmarks/replica.sh
#   ENTRIES=1000000 CATCHUP_CHANGES=3600 benchmarks/replica.sh     # a smaller run
#   SERVE_ARGS="--config FILE" benchmarks/replica.sh   # extra serve options for every node (e.g. psi.enabled=false)
set -euo pipefail
source "$(dirname "$0")/common.sh"

ENTRIES=${ENTRIES:-10000000}
LATENCY_ADDS=${LATENCY_ADDS:-300}
CATCHUP_CHANGES=${CATCHUP_CHANGES:-3600}
CATCHUP_PER_CHANGE=${CATCHUP_PER_CHANGE:-100}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-16}
HEAP=${HEAP:-3g}
HAPROXY=$(command -v haproxy || echo /usr/sbin/haproxy)

build_jar
work="$(mktemp -d /tmp/hashdb-replica.XXXXXX)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# start_replica N DIR: serve --replica-of the primary; sets REPLICA_PID
start_replica() {
  local dir="$2"; mkdir -p "$dir"; rm -f "$dir.port"
  # shellcheck disable=SC2086
  HASHDB_REPLICA_KEY="$replica_key" "$JAVA" -Xms64m -Xmx"$HEAP" ${SERVER_GC_OPTS:--XX:+UseSerialGC -Xmn64m} \
    -cp "$jar" org.hashdb.server.cli.ServeCommand --data "$dir" --port "${3:-0}" --port-file "$dir.port" \
    --admin-port 0 --admin-port-file "$dir.admin-port" \
    --no-fsync --no-access-log --replica-of "$primary_admin" ${SERVE_ARGS:-} >"$work/replica$1.log" 2>&1 &
  REPLICA_PID=$!
  pids+=("$REPLICA_PID")
}
port_of() { for _ in $(seq 1 600); do [[ -f "$1.port" ]] && break; sleep 0.1; done; cat "$1.port"; }
admin_port_of() { port_of "$1" >/dev/null; cat "$1.admin-port"; }

machine_info
echo "entries=$ENTRIES latency_adds=$LATENCY_ADDS catchup=${CATCHUP_CHANGES}x$CATCHUP_PER_CHANGE wrk=-t1 -c$CONNECTIONS -d$DURATION"
mkdir -p "$work/primary"
admin="$(new_key "$work/primary" admin bench-admin)"
query="$(new_key "$work/primary" query bench-query)"
replica_key="$(new_key "$work/primary" replica bench-replicas)"
t0=$(date +%s.%N)
# shellcheck disable=SC2086
start_hashdb "$work/primary" "$work/primary.log" --synthetic "$ENTRIES" --seed 42 --no-fsync --no-access-log ${SERVE_ARGS:-}
pids+=("$HASHDB_PID")
primary="http://127.0.0.1:$HASHDB_PORT"
primary_admin="http://127.0.0.1:$HASHDB_ADMIN_PORT" # writes, stats, and what replicas follow
echo "primary ready with $ENTRIES entries in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}') s"

# 1. bootstrap (and the primary's resident memory around it: the snapshot is streamed from a
# file, never held in memory)
hwm_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; }
rss_before=$(rss_kb "$HASHDB_PID"); hwm_before=$(hwm_kb "$HASHDB_PID")
t0=$(date +%s.%N)
start_replica 1 "$work/r1"; r1_pid=$REPLICA_PID
r1_port=$(port_of "$work/r1"); wait_ready "$r1_port"
t1=$(date +%s.%N)
snap_mb=$(du -m "$work"/r1/snapshot-*.hdb | awk '{s+=$1} END {print s}')
echo "RESULT primary RSS $((rss_before / 1024)) MiB before the snapshot download, $(( $(rss_kb "$HASHDB_PID") / 1024 )) MiB after serving it; peak RSS $((hwm_before / 1024)) MiB before, $(( $(hwm_kb "$HASHDB_PID") / 1024 )) MiB after (snapshot file $snap_mb MiB)"
echo "RESULT bootstrap of $ENTRIES entries: $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}') s from process start to /readyz 200 ($(grep -o 'replica bootstrapped.*' "$work/replica1.log"))"
start_replica 2 "$work/r2"; r2_pid=$REPLICA_PID
r2_port=$(port_of "$work/r2"); wait_ready "$r2_port"

# 2. add-to-visibility
"$JAVA" -cp "$jar" org.hashdb.bench.replica.ReplicaBench latency "$primary_admin" "http://127.0.0.1:$r1_port" "$admin" "$query" "$LATENCY_ADDS"

# 3. catch-up
kill "$r2_pid"; wait "$r2_pid" 2>/dev/null || true
"$JAVA" -cp "$jar" org.hashdb.bench.replica.ReplicaBench write "$primary_admin" "$admin" "$CATCHUP_CHANGES" "$CATCHUP_PER_CHANGE"
target=$(curl -fs -H "Authorization: Bearer $admin" "$primary_admin/v1/admin/stats" | grep -o '"sequence":[0-9]*' | head -1 | cut -d: -f2)
start_replica 2 "$work/r2" "$r2_port"; r2_pid=$REPLICA_PID
"$JAVA" -cp "$jar" org.hashdb.bench.replica.ReplicaBench catchup "http://127.0.0.1:$(admin_port_of "$work/r2")" "$admin" "$target"
wait_ready "$r2_port"

# 4. HAProxy: one replica (both lines on replica 1) vs two, same configuration text
sed -n '/<!-- haproxy.cfg:start -->/,/<!-- haproxy.cfg:end -->/p' "$root/docs/operations.md" | sed '1,2d;$d' | sed '$d' >"$work/haproxy.cfg"
"$JAVA" -cp "$jar" org.hashdb.bench.load.BulkLoad paths --entries "$ENTRIES" --seed 42 \
  --count 100000 --hit-ratio 0.1 --out "$work/hash-paths.txt" >/dev/null
cat >"$work/rotate.lua" <<'LUA'
local paths = {}
local i = 0
function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  wrk.headers["Authorization"] = "Bearer " .. args[2]
  i = math.random(#paths)
end
function request()
  i = i + 1
  if i > #paths then i = 1 end
  return wrk.format("GET", paths[i])
end
LUA
lb() { # lb BACKEND1 BACKEND2: req/s through HAProxy
  local port; port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  HASHDB_LB_BIND="127.0.0.1:$port" HASHDB_REPLICA1="$1" HASHDB_REPLICA2="$2" "$HAPROXY" -db -f "$work/haproxy.cfg" >"$work/haproxy.log" 2>&1 &
  local hp=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
  wrk -t1 -c"$CONNECTIONS" -d3s -s "$work/rotate.lua" "http://127.0.0.1:$port" -- "$work/hash-paths.txt" "$query" >/dev/null
  local out; out=$(wrk -t1 -c"$CONNECTIONS" -d"$DURATION" -s "$work/rotate.lua" "http://127.0.0.1:$port" -- "$work/hash-paths.txt" "$query")
  kill "$hp"; wait "$hp" 2>/dev/null || true
  echo "$out" | grep -E "Non-2xx|Socket errors" >&2 || true
  awk '/Requests\/sec/ {print $2}' <<<"$out"
}
one=$(lb "127.0.0.1:$r1_port" "127.0.0.1:$r1_port")
two=$(lb "127.0.0.1:$r1_port" "127.0.0.1:$r2_port")
one_b=$(lb "127.0.0.1:$r1_port" "127.0.0.1:$r1_port")
awk -v o="$one" -v t="$two" -v b="$one_b" 'BEGIN { printf "RESULT lookups through HAProxy: one replica %.0f req/s (again after: %.0f), two replicas %.0f req/s, ratio two/one %.2f\n", o, b, t, t / ((o + b) / 2) }'
