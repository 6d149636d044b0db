# Shared helpers of the side-by-side benchmark scripts (sourced, not run).
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# HASHDB_BENCH_JAR: a jar built elsewhere (e.g. with -Dhashdb.buildDir=...); not rebuilt here
jar="${HASHDB_BENCH_JAR:-$root/benchmarks/target/benchmarks.jar}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
JCMD="${JAVA_HOME:+$JAVA_HOME/bin/}jcmd"

build_jar() {
  [[ -n "${HASHDB_BENCH_JAR:-}" ]] && return 0
  if [[ ! -f "$jar" || -n "$(find "$root" -path '*/target*' -prune -o -name '*.java' -newer "$jar" -print -quit)" ]]; then
    echo "building $jar ..." >&2
    (cd "$root" && mvn -B -q -ntp -pl benchmarks -am package -DskipTests)
  fi
}

# rss_kb PID: resident set size in KiB
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

# wait_ready PORT: until /readyz answers 200 (max 10 min)
wait_ready() {
  for _ in $(seq 1 6000); do
    if curl -fs "http://127.0.0.1:$1/readyz" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  echo "server on port $1 not ready" >&2; return 1
}

# start_hashdb DATA_DIR LOGFILE [serve options...]: starts the server, sets HASHDB_PID, HASHDB_PORT
# (public listener: lookups, health) and HASHDB_ADMIN_PORT (admin listener: admin, replica, metrics)
start_hashdb() {
  local data="$1" log="$2"; shift 2
  rm -f "$data.port" "$data.admin-port"
  # SERVER_GC_OPTS: the default lets the heap shrink to the live data after a full GC (a
  # lookup server's garbage is small and short-lived, so a 64 MiB young generation is plenty);
  # with G1 (SERVER_GC_OPTS="-XX:+UseG1GC ...") humongous regions keep more memory committed.
  # shellcheck disable=SC2086
  "$JAVA" -Xms64m -Xmx${HEAP:-3g} ${SERVER_GC_OPTS:--XX:+UseSerialGC -Xmn64m -XX:MinHeapFreeRatio=5 -XX:MaxHeapFreeRatio=10} \
    -cp "$jar" org.hashdb.server.cli.ServeCommand --init --data "$data" --port 0 --port-file "$data.port" \
    --admin-port 0 --admin-port-file "$data.admin-port" "$@" >"$log" 2>&1 &
  HASHDB_PID=$!
  for _ in $(seq 1 600); do [[ -f "$data.port" ]] && break; sleep 0.1; done
  HASHDB_PORT="$(cat "$data.port")"
  HASHDB_ADMIN_PORT="$(cat "$data.admin-port")"
  wait_ready "$HASHDB_PORT"
}

# new_key DATA_DIR ROLE NAME: prints a new key (edits keys.json only); query keys see every list
# and are not rate limited (explicitly: the default rate of a query key would cap the benchmark)
new_key() {
  local scope=()
  [[ "$2" == query ]] && scope=(--all-lists --rate 0)
  "$JAVA" -cp "$jar" org.hashdb.server.cli.HashDbCommand keys create --data "$1" --role "$2" --name "$3" \
    "${scope[@]}" 2>/dev/null
}

machine_info() {
  echo "server JVM options: -Xms64m -Xmx${HEAP:-3g} ${SERVER_GC_OPTS:--XX:+UseSerialGC -Xmn64m -XX:MinHeapFreeRatio=5 -XX:MaxHeapFreeRatio=10}"
  echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB RAM, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "java: $("$JAVA" -version 2>&1 | head -1)"
}
