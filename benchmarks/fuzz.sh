#!/usr/bin/env bash
# Fuzzes every Jazzer @FuzzTest in turn and prints executions and findings per target.
#
#   benchmarks/fuzz.sh [MINUTES] [FILTER]
#   MAX_EXECUTIONS=10000000 benchmarks/fuzz.sh 60          (the issue's run: 10M or one hour)
#
# Each target stops at MINUTES (default 1) or MAX_EXECUTIONS (default 10,000,000), whichever
# comes first; the "stopped by" column says which.
# FILTER: only targets whose name matches this extended regex (e.g. "http1", "jsonLookup|http1").
# Findings are written by Jazzer as
# regression inputs next to the seeds (src/test/resources/.../<Class>Inputs/<method>/crash-*):
# commit them with the fix, and `mvn verify` replays them. The fuzzer's own corpus goes to
# .cifuzz-corpus/ (ignored by git). Output: one log per target in target/fuzz/.
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES="${1:-1}"
MAX_EXECUTIONS="${MAX_EXECUTIONS:-10000000}"
FILTER="${2:-}"
TARGETS=(
  "hashdb-core org.hashdb.core.hash.HashCodecFuzzTest#hexAndType"
  "hashdb-core org.hashdb.core.lists.ListFilesFuzzTest#csvImport"
  "hashdb-core org.hashdb.core.lists.ListFilesFuzzTest#hexImport"
  "hashdb-core org.hashdb.core.lists.ListFilesFuzzTest#signedRelease"
  "hashdb-core org.hashdb.core.lists.ListFilesFuzzTest#encryptedRelease"
  "hashdb-core org.hashdb.core.lists.ListFilesFuzzTest#keyFiles"
  "hashdb-core org.hashdb.core.disk.StorageFilesFuzzTest#snapshotReader"
  "hashdb-core org.hashdb.core.disk.StorageFilesFuzzTest#walReader"
  "hashdb-core org.hashdb.core.db.StoreRecordsFuzzTest#changeRecords"
  "hashdb-core org.hashdb.core.db.StoreRecordsFuzzTest#snapshotContent"
  "hashdb-core org.hashdb.core.pdq.ImageDecodeFuzzTest#decodeAndHash"
  "hashdb-server org.hashdb.server.api.RequestBodiesFuzzTest#jsonLookup"
  "hashdb-server org.hashdb.server.api.RequestBodiesFuzzTest#adminEntries"
  "hashdb-server org.hashdb.server.api.ChangeFeedFuzzTest#feedRoundTrip"
  "hashdb-server org.hashdb.server.auth.KeyFileFuzzTest#keysJson"
  "hashdb-server org.hashdb.server.http.HttpPipelineFuzzTest#http1"
)
LOGS=target/fuzz
mkdir -p "$LOGS"
java -version 2>&1 | head -1
echo "fuzzing each target for $MINUTES min or $MAX_EXECUTIONS executions (JAZZER_FUZZ=1); logs in $LOGS/"
[[ -n "${SKIP_COMPILE:-}" ]] || mvn -B -ntp -q -o -pl hashdb-server -am test-compile
printf '%-58s %14s %8s %10s %9s %-11s %s\n' target executions seconds exec/s findings "stopped by" result
for t in "${TARGETS[@]}"; do
  module="${t%% *}"
  test="${t#* }"
  [[ -n "$FILTER" && ! "$test" =~ $FILTER ]] && continue
  log="$LOGS/${test//[#.]/_}.log"
  start=$(date +%s)
  if JAZZER_FUZZ=1 JAZZER_MAX_DURATION="${MINUTES}m" JAZZER_MAX_EXECUTIONS="$MAX_EXECUTIONS" mvn -B -ntp -o -pl "$module" -am test \
      -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1; then
    result=ok
  else
    result=FAILED
  fi
  secs=$(( $(date +%s) - start ))
  # libFuzzer's last status line ("#N DONE ..." or "#N pulse ...") or "Done N runs in S second(s)"
  execs=$(grep -aoE '^#[0-9]+' "$log" | tail -1 | tr -d '#' || true)
  done_line=$(grep -aoE 'Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1 || true)
  if [[ -n "$done_line" ]]; then
    execs=$(awk '{print $2}' <<<"$done_line")
    secs_f=$(awk '{print $5}' <<<"$done_line")
  else
    secs_f=$secs
  fi
  execs="${execs:-0}"
  rate=$(( secs_f > 0 ? execs / secs_f : 0 ))
  findings=$(grep -acE '== Java Exception|FuzzTestFindingException|Crash reproducer' "$log" || true)
  if (( execs >= MAX_EXECUTIONS )); then stopped=executions; elif (( findings > 0 )); then stopped=finding; else stopped=time; fi
  printf '%-58s %14s %8s %10s %9s %-11s %s\n' "$test" "$execs" "$secs_f" "$rate" "$findings" "$stopped" "$result"
done
