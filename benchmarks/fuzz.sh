#!/usr/bin/env bash
# Fuzzes every Jazzer @FuzzTest in turn and prints executions and findings per target.
#
#   benchmarks/fuzz.sh [MINUTES] [FILTER]
#   MAX_EXECUTIONS=10000000 benchmarks/fuzz.sh 60          (the issue's run: 10M or one hour)
#   nice -n 19 benchmarks/fuzz.sh 5 'walReader|http1'       (on a shared machine)
#
# Each target stops at MINUTES (default 1) or MAX_EXECUTIONS (default 10,000,000), whichever
# comes first; the "stopped by" column says which.
# FILTER: only targets whose name matches this extended regex (e.g. "http1", "jsonLookup|http1").
# Maven runs once, before the first target: it compiles the tests and writes each module's test
# class path (target/fuzz-classpath.txt; SKIP_COMPILE=1 reuses them). Every target then runs in
# a plain JVM of its own (org.hashdb.testing.FuzzMain, the JUnit Platform launcher) with
# JAZZER_FUZZ=1, so its time is spent fuzzing, not starting Maven. JAVA_HOME picks the JDK.
# Findings are written by Jazzer as
# regression inputs next to the seeds (src/test/resources/.../<Class>Inputs/<method>/crash-*):
# commit them with the fix, and `mvn verify` replays them (regression mode, no JAZZER_FUZZ).
# The fuzzer's own corpus goes to <module>/.cifuzz-corpus/ (ignored by git). Output: one log
# per target in target/fuzz/.
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
  "hashdb-core org.hashdb.core.video.VpdqTextFuzzTest#vpdqText"
  "hashdb-server org.hashdb.server.api.RequestBodiesFuzzTest#jsonLookup"
  "hashdb-server org.hashdb.server.api.RequestBodiesFuzzTest#adminEntries"
  "hashdb-server org.hashdb.server.psi.PsiRequestFuzzTest#privateLookup"
  "hashdb-server org.hashdb.server.api.ChangeFeedFuzzTest#feedRoundTrip"
  "hashdb-server org.hashdb.server.auth.KeyFileFuzzTest#keysJson"
  "hashdb-server org.hashdb.server.http.HttpPipelineFuzzTest#http1"
  "hashdb-server org.hashdb.server.http.HttpPipelineFuzzTest#bulkBody"
)
LOGS=target/fuzz
mkdir -p "$LOGS"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
"$JAVA" -version 2>&1 | head -1
# the flags the parent pom's jdk25 profile gives surefire on JDK 24 and later
JDK_ARGS=()
spec=$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
(( ${spec%%.*} >= 24 )) && JDK_ARGS=(--sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED)
echo "fuzzing each target for $MINUTES min or $MAX_EXECUTIONS executions (JAZZER_FUZZ=1); logs in $LOGS/"
if [[ -z "${SKIP_COMPILE:-}" ]]; then
  mvn -B -ntp -q -o -pl hashdb-server -am test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/fuzz-classpath.txt
fi
printf '%-58s %12s %7s %8s %8s %-10s %-6s %s\n' target executions seconds exec/s findings "stopped by" result "load avg (start-end), slow units"
for t in "${TARGETS[@]}"; do
  module="${t%% *}"
  test="${t#* }"
  [[ -n "$FILTER" && ! "$test" =~ $FILTER ]] && continue
  log="$LOGS/${test//[#.]/_}.log"
  cp="$module/target/test-classes:$module/target/classes:$(cat "$module/target/fuzz-classpath.txt")"
  props=(-Djazzer.internal.basedir="$PWD/$module")
  # as the module's surefire configuration: every leaked Netty buffer is reported (a finding)
  [[ "$module" == hashdb-server ]] && props+=(-Dio.netty.leakDetection.level=paranoid)
  class="${test%#*}"
  inputs="$module/src/test/resources/${class//.//}Inputs/${test#*#}"
  before=$(ls "$inputs" 2>/dev/null | grep -cE '^(crash|timeout|oom|leak)-' || true)
  slow_before=$(ls "$inputs" 2>/dev/null | grep -c '^slow-unit-' || true)
  load_start=$(cut -d' ' -f1 /proc/loadavg)
  start=$(date +%s)
  # a guard against a JVM that does not stop: SIGKILL, so that libFuzzer writes no input for it
  # (generous: at a load of 30 on 2 cores, start-up under nice 19 took 13 minutes)
  guard=$(( MINUTES * 120 + 3600 ))
  if JAZZER_FUZZ=1 JAZZER_MAX_DURATION="${MINUTES}m" JAZZER_MAX_EXECUTIONS="$MAX_EXECUTIONS" \
      timeout -s KILL "$guard" "$JAVA" -ea -Xmx2g "${JDK_ARGS[@]}" "${props[@]}" -cp "$cp" \
      org.hashdb.testing.FuzzMain "$test" >"$log" 2>&1; then
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
  # a finding: an input Jazzer wrote for this target, or a leaked buffer Netty reported
  after=$(ls "$inputs" 2>/dev/null | grep -cE '^(crash|timeout|oom|leak)-' || true)
  # a slow unit (libFuzzer's -report_slow_units, 10 s) is an input to time again, not a finding:
  # on a starved CPU any input can take that long
  slow=$(( $(ls "$inputs" 2>/dev/null | grep -c '^slow-unit-' || true) - slow_before ))
  leaks=$(grep -ac 'LEAK: ' "$log" || true)
  findings=$(( after - before + leaks ))
  if (( execs >= MAX_EXECUTIONS )); then stopped=executions
  elif (( findings > 0 )); then stopped=finding
  elif [[ -n "$done_line" ]]; then stopped=time
  elif (( secs >= guard )); then stopped=killed
  elif [[ "$result" == FAILED ]]; then stopped=error
  else stopped=time; fi
  printf '%-58s %12s %7s %8s %8s %-10s %-6s %s-%s, %s\n' "$test" "$execs" "$secs_f" "$rate" "$findings" \
    "$stopped" "$result" "$load_start" "$(cut -d' ' -f1 /proc/loadavg)" "$slow"
done
