#!/usr/bin/env bash
# Audit flood: REQUESTS bulk requests, each repeating one listed sha256 COPIES times, alternating
# with bulk requests of as many misses, then an admin add. Prints the mean time of the last half
# of each kind (the first half warms up), the audit files' lines and bytes, and whether the admin
# add is in the admin audit stream. Goal: audit.jsonl grows by one line per request, not per hash.
#
#   benchmarks/audit-flood.sh
#   REQUESTS=6 COPIES=200000 benchmarks/audit-flood.sh
set -euo pipefail
source "$(dirname "$0")/common.sh"

REQUESTS=${REQUESTS:-6}
COPIES=${COPIES:-200000}
HEAP=${HEAP:-1g}

build_jar
work="$(mktemp -d /tmp/hashdb-audit-flood.XXXXXX)"
cleanup() {
  [[ -n "${HASHDB_PID:-}" ]] && kill "$HASHDB_PID" 2>/dev/null && wait "$HASHDB_PID" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

machine_info
echo "requests=$REQUESTS copies=$COPIES"
mkdir -p "$work/data"
admin="$(new_key "$work/data" admin flood-admin)"
query="$(new_key "$work/data" query flood-query)"
start_hashdb "$work/data" "$work/hashdb.log" --no-fsync
base="http://127.0.0.1:$HASHDB_PORT"
admin_base="http://127.0.0.1:$HASHDB_ADMIN_PORT"
hit="$(printf 'ab%.0s' $(seq 1 32))"
add() {
  curl -fsS -o /dev/null -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
    -d "{\"entries\":[{\"type\":\"sha256\",\"hash\":\"$1\",\"list\":\"flood\",\"category\":\"A1\"}]}" \
    "$admin_base/v1/admin/entries"
}
add "$hit"
repeat() { # repeat HEX N > FILE: N copies of the raw 32 bytes
  # shellcheck disable=SC2059
  printf "$(sed 's/../\\x&/g' <<<"$1")" >"$work/one"
  local n=1; cp "$work/one" "$2"
  while (( n * 2 <= COPIES )); do cat "$2" "$2" >"$2.tmp"; mv "$2.tmp" "$2"; n=$((n * 2)); done
  head -c $(( (COPIES - n) * 32 )) "$2" >>"$2"
}
repeat "$hit" "$work/hit.bin"
repeat "$(printf 'ef%.0s' $(seq 1 32))" "$work/miss.bin"
for ((i = 0; i < REQUESTS; i++)); do
  for kind in hit miss; do
    curl -fsS -o /dev/null -w "$kind %{time_total}\n" -H "Authorization: Bearer $query" \
      -H 'Content-Type: application/octet-stream' --data-binary "@$work/$kind.bin" \
      "$base/v1/lookup/bulk?type=sha256"
  done
done >"$work/times"
add "$(printf 'cd%.0s' $(seq 1 32))"
kill "$HASHDB_PID"; wait "$HASHDB_PID" 2>/dev/null || true; HASHDB_PID=
awk -v half=$((REQUESTS / 2)) '{n[$1]++; if (n[$1] > half) {s[$1] += $2; m[$1]++}}
  END {for (k in s) printf "bulk of %s: mean %.3f s over the last %d requests\n", k, s[k] / m[k], m[k]}' "$work/times"
wc -lc "$work"/data/audit.jsonl* "$work/data/admin-audit.jsonl"
echo "admin adds in admin-audit.jsonl: $(grep -c '"event":"add"' "$work/data/admin-audit.jsonl")"
