#!/usr/bin/env bash
# GET /v1/hashes/sha256/{hex} vs GET /healthz on the same server in one run, under wrk with
# the same Lua script (rotating over a file of paths, same Authorization header), same threads
# and connections. The lookup path includes key check, rate-limit check, index lookup, metrics,
# audit of hits and the JSON response; /healthz is the floor of the HTTP stack. Prints both
# req/s and the ratio (goal >= 0.8).
#
#   benchmarks/single-vs-healthz.sh
#   ENTRIES=1000000 DURATION=10s CONNECTIONS=16 THREADS=1 benchmarks/single-vs-healthz.sh
#   SERVE_ARGS="--config FILE" benchmarks/single-vs-healthz.sh   # extra serve options (e.g. psi.enabled=false)
set -euo pipefail
source "$(dirname "$0")/common.sh"

ENTRIES=${ENTRIES:-1000000}
DURATION=${DURATION:-10s}
THREADS=${THREADS:-1}
CONNECTIONS=${CONNECTIONS:-16}
HIT_RATIO=${HIT_RATIO:-0.1}
HEAP=${HEAP:-2g}

command -v wrk >/dev/null || apt-get install -y wrk >/dev/null
build_jar
work="$(mktemp -d /tmp/hashdb-single.XXXXXX)"
cleanup() {
  [[ -n "${HASHDB_PID:-}" ]] && kill "$HASHDB_PID" 2>/dev/null && wait "$HASHDB_PID" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

machine_info
echo "entries=$ENTRIES duration=$DURATION threads=$THREADS connections=$CONNECTIONS hit_ratio=$HIT_RATIO"
mkdir -p "$work/data"
query="$(new_key "$work/data" query bench-query)"
# --synthetic loads the same seeded stream BulkLoad's `paths` draws its hits from
start_hashdb "$work/data" "$work/hashdb.log" ${SERVE_ARGS:-} --synthetic "$ENTRIES" --seed 42 --no-fsync
"$JAVA" -cp "$jar" org.hashdb.bench.load.BulkLoad paths --entries "$ENTRIES" --seed 42 \
  --count 100000 --hit-ratio "$HIT_RATIO" --out "$work/hash-paths.txt" >/dev/null
awk 'BEGIN { for (i = 0; i < 100000; i++) print "/healthz" }' >"$work/healthz-paths.txt"
cat >"$work/rotate.lua" <<'LUA'
-- wrk script: rotate over the paths in args[1], authenticate with args[2]
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

url="http://127.0.0.1:$HASHDB_PORT"
wrkrun() { wrk -t"$THREADS" -c"$CONNECTIONS" -d"$1" -s "$work/rotate.lua" "$url" -- "$2" "$query"; }
# warm up both paths (JIT), then measure each once
wrkrun 5s "$work/hash-paths.txt" >/dev/null
wrkrun 5s "$work/healthz-paths.txt" >/dev/null
healthz_out="$(wrkrun "$DURATION" "$work/healthz-paths.txt")"
hash_out="$(wrkrun "$DURATION" "$work/hash-paths.txt")"
echo "--- /healthz";  echo "$healthz_out" | grep -E "Latency|Requests/sec|Non-2xx|Socket errors" || true
echo "--- /v1/hashes/sha256/{hex}"; echo "$hash_out" | grep -E "Latency|Requests/sec|Non-2xx|Socket errors" || true
h=$(awk '/Requests\/sec/ {print $2}' <<<"$healthz_out")
s=$(awk '/Requests\/sec/ {print $2}' <<<"$hash_out")
awk -v s="$s" -v h="$h" 'BEGIN { printf "RATIO single lookup req/s / healthz req/s = %.2f (lookup %.0f, healthz %.0f; goal >= 0.8)\n", s / h, s, h }'
