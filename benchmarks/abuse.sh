#!/usr/bin/env bash
# Every attack of org.hashdb.bench.abuse.AbuseRun against a server, one after the other, while
# a well-behaved client looks up a hash every 100 ms; prints per attack the server's RSS growth
# (when its pid is known), the worst latency the well-behaved client saw, and the fraction of
# slow connections the server closed within CLOSE_WAIT seconds.
#
#   benchmarks/abuse.sh                       # starts a local server with the default limits
#   benchmarks/abuse.sh --url http://host:8080 --key QUERY_KEY [--probe-key KEY]
#       [--match-sha256 HEX] [--pid PID] [--attack all|NAME,...] [--seconds N]
#       [--close-wait N] [--size NAME=N]... [--warmup N]
#                                             # any running server (options go to AbuseRun)
#
# Without --url, the script serves a fresh data directory (query keys for the attacker and
# the well-behaved client, one listed SHA-256 value, 20,000 PDQ entries) on cleartext HTTP and
# then on HTTPS (for the HTTP/2 flood, with a self-signed certificate), with the default
# deadlines unless SETTINGS names a properties file.
set -euo pipefail
source "$(dirname "$0")/common.sh"

SECONDS_=${SECONDS_:-20}
CLOSE_WAIT=${CLOSE_WAIT:-75}
HEAP=${HEAP:-1g}
build_jar
abuse() { "$JAVA" -Xss512k -cp "$jar" org.hashdb.bench.abuse.AbuseRun "$@"; }

if [[ $# -gt 0 ]]; then
  abuse "$@"
  exit
fi

work="$(mktemp -d /tmp/hashdb-abuse.XXXXXX)"
cleanup() {
  [[ -n "${HASHDB_PID:-}" ]] && kill "$HASHDB_PID" 2>/dev/null && wait "$HASHDB_PID" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

machine_info
echo "seconds=$SECONDS_ close_wait=$CLOSE_WAIT settings=${SETTINGS:-defaults}"
match="$(printf '5a%.0s' $(seq 32))"
seed() { # seed ADMIN_PORT ADMIN_KEY: one listed sha256 value and 20,000 PDQ entries (admin listener, cleartext)
  "$JAVA" -cp "$jar" org.hashdb.bench.abuse.AbuseSeed "http://127.0.0.1:$1" "$2" "$match"
}
serve() { # serve NAME [serve options]: a fresh data directory with its keys; sets the keys
  local dir="$work/$1"; shift
  mkdir -p "$dir"
  attack_key="$(new_key "$dir" query attacker)"
  probe_key="$(new_key "$dir" query client)"
  local admin_key; admin_key="$(new_key "$dir" admin admin)"
  local cfg=()
  [[ -n "${SETTINGS:-}" ]] && cfg=(--config "$SETTINGS")
  start_hashdb_any "$dir" "$work/$(basename "$dir").log" "${cfg[@]}" --no-fsync "$@"
  seed "$HASHDB_ADMIN_PORT" "$admin_key"
}
start_hashdb_any() { # like start_hashdb, but waits with curl -k (HTTPS too)
  local data="$1" log="$2"; shift 2
  rm -f "$data.port" "$data.admin-port"
  # shellcheck disable=SC2086
  "$JAVA" -Xms64m -Xmx${HEAP} ${SERVER_GC_OPTS:--XX:+UseSerialGC -Xmn64m -XX:MinHeapFreeRatio=5 -XX:MaxHeapFreeRatio=10} \
    -cp "$jar" org.hashdb.server.cli.ServeCommand --init --data "$data" --port 0 --port-file "$data.port" \
    --admin-port 0 --admin-port-file "$data.admin-port" "$@" >"$log" 2>&1 &
  HASHDB_PID=$!
  for _ in $(seq 1 600); do [[ -s "$data.port" ]] && break; sleep 0.1; done
  HASHDB_PORT="$(cat "$data.port")"
  HASHDB_ADMIN_PORT="$(cat "$data.admin-port")"
  for _ in $(seq 1 600); do
    curl -ksf "$SCHEME://127.0.0.1:$HASHDB_PORT/readyz" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "server not ready" >&2; return 1
}

SCHEME=http
serve plain
echo "--- cleartext server (pid $HASHDB_PID)"
abuse --url "http://127.0.0.1:$HASHDB_PORT" --key "$attack_key" --probe-key "$probe_key" \
  --match-sha256 "$match" --pid "$HASHDB_PID" --seconds "$SECONDS_" --close-wait "$CLOSE_WAIT" \
  --attack pipelined-nonreaders,trickled-bodies,slowloris-headers,idle-connections,heavy-pdq-batches,audit-flood
kill "$HASHDB_PID"; wait "$HASHDB_PID" 2>/dev/null || true; HASHDB_PID=

SCHEME=https
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$work/key.pem" \
  -out "$work/cert.pem" -days 2 -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1,DNS:localhost \
  >/dev/null 2>&1
serve tls --tls-cert "$work/cert.pem" --tls-key "$work/key.pem"
echo "--- TLS server (pid $HASHDB_PID)"
abuse --url "https://127.0.0.1:$HASHDB_PORT" --key "$attack_key" --probe-key "$probe_key" \
  --pid "$HASHDB_PID" --seconds "$SECONDS_" --close-wait "$CLOSE_WAIT" --attack http2-stream-flood \
  --warmup 2 # the server's first HTTP/2 traffic: the WARMUP lines are the cold-JIT figures
