# Shared by bench/run-*.sh (sourced, not run): build, corpus load, the gateway process on loopback,
# CPU/RSS sampling and the machine description. Callers set STUDIES, PATIENTS, CORPUS (the corpus
# directory; its PostgreSQL data is $CORPUS/pg), WORK (this run's files), SKIP_BUILD, GATEWAY_JAVA_OPTS,
# JFR. Only processes started here are stopped.

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*"; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# What is built: the commit, and uncommitted changes to the code under test.
describe_build() {
  COMMIT=$(git rev-parse --short HEAD)
  DIRTY=$(git status --porcelain --untracked-files=no | wc -l)
  DIRTY_BUILT=$(git status --porcelain --untracked-files=no -- registry/src/main gateway/src/main bench/src/main | awk '{ print $2 }' | tr '\n' ' ' | sed 's/ *$//')
}

commit_note() {
  echo "commit \`$COMMIT\`$( [[ $DIRTY != 0 ]] && echo ", $DIRTY uncommitted tracked file(s) in the working tree" || true )$( [[ -n $DIRTY_BUILT ]] && echo "; the jars include uncommitted changes to: $DIRTY_BUILT" || true )"
}

# Builds (unless SKIP_BUILD=1) and copies the jars into $WORK: others may rebuild gateway/target while
# this runs (a fat jar replaced under a starting JVM fails with EOFException).
build_and_copy_jars() {
  if [[ $SKIP_BUILD != 1 ]]; then
    log "building registry, gateway and bench (offline)"
    mvn -B -q -o -pl registry,gateway,bench -am package -Dmaven.test.skip=true
  fi
  cp gateway/target/beeldbrug-gateway.jar "$WORK/beeldbrug-gateway.jar"
  cp bench/target/beeldbrug-bench.jar "$WORK/beeldbrug-bench.jar"
  GATEWAY_JAR=$WORK/beeldbrug-gateway.jar
  BENCH_JAR=$WORK/beeldbrug-bench.jar
}

load_corpus() {
  mkdir -p "$CORPUS"
  log "loading the corpus ($STUDIES studies, $PATIENTS patients) into $CORPUS/pg (reused when already loaded)"
  java -jar "$BENCH_JAR" load --data-dir "$CORPUS/pg" --studies "$STUDIES" --patients "$PATIENTS" \
    --summary "$CORPUS/load-summary.txt" 2>&1 | tee "$WORK/load.last.log"
  [[ ${PIPESTATUS[0]} == 0 ]] || { log "load failed"; exit 1; }
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

GW_PID=""
SAMPLER_PID=""
cleanup() {
  [[ -n $SAMPLER_PID ]] && kill "$SAMPLER_PID" 2>/dev/null || true
  SAMPLER_PID=""
  if [[ -n $GW_PID ]] && kill -0 "$GW_PID" 2>/dev/null; then
    log "stopping the gateway (pid $GW_PID)"
    kill -TERM "$GW_PID" 2>/dev/null || true
    for _ in $(seq 1 120); do kill -0 "$GW_PID" 2>/dev/null || break; sleep 1; done
    kill -0 "$GW_PID" 2>/dev/null && kill -KILL "$GW_PID" 2>/dev/null || true
  fi
  GW_PID=""
  # a gateway killed before it could stop its embedded PostgreSQL leaves it running: stop that one
  if [[ -f $CORPUS/pg/postmaster.pid ]]; then
    local pg
    pg=$(head -1 "$CORPUS/pg/postmaster.pid")
    if [[ -n $pg ]] && tr '\0' ' ' < "/proc/$pg/cmdline" 2>/dev/null | grep -q -- "-D $(realpath "$CORPUS/pg")"; then
      log "stopping the PostgreSQL left running on $CORPUS/pg (pid $pg)"
      kill -TERM "$pg" 2>/dev/null || true
      for _ in $(seq 1 30); do kill -0 "$pg" 2>/dev/null || break; sleep 1; done
    fi
  fi
}

# Starts the gateway jar on the corpus, on free loopback ports ($PORT, $MPORT), and waits for readiness.
start_gateway() {
  PORT=$(free_port)
  MPORT=$(free_port)
  while [[ $MPORT == "$PORT" ]]; do MPORT=$(free_port); done
  local jfr_opts=""
  [[ $JFR == 1 ]] && jfr_opts="-XX:StartFlightRecording=settings=profile,filename=$WORK/gateway.jfr,dumponexit=true"
  log "starting the gateway on 127.0.0.1:$PORT (management $MPORT)"
  # shellcheck disable=SC2086
  java $GATEWAY_JAVA_OPTS $jfr_opts -jar "$GATEWAY_JAR" \
    --server.address=127.0.0.1 --server.port="$PORT" \
    --management.server.address=127.0.0.1 --management.server.port="$MPORT" \
    --beeldbrug.db.embedded-data-dir="$CORPUS/pg" --beeldbrug.demo.enabled=false \
    > "$WORK/gateway.log" 2>&1 &
  GW_PID=$!
  local start
  start=$(date +%s)
  until curl -fsS "http://127.0.0.1:$MPORT/actuator/health/readiness" 2>/dev/null | grep -q '"UP"'; do
    kill -0 "$GW_PID" 2>/dev/null || { log "the gateway exited; see $WORK/gateway.log"; exit 1; }
    (( $(date +%s) - start > ${READY_TIMEOUT:-600} )) && { log "the gateway is not ready after ${READY_TIMEOUT:-600} s"; exit 1; }
    sleep 1
  done
  GW_READY_SECONDS=$(( $(date +%s) - start ))
  log "gateway ready after $GW_READY_SECONDS s"
  PG_PID=$(head -1 "$CORPUS/pg/postmaster.pid")
}

# CPU seconds of the gateway JVM and of its PostgreSQL (postmaster, backends, reaped children).
TICKS=$(getconf CLK_TCK)
cpu_of() { awk -v t="$TICKS" '{ print ($14 + $15 + $16 + $17) / t }' "/proc/$1/stat" 2>/dev/null || echo 0; }
pg_cpu() {
  local total
  total=$(cpu_of "$PG_PID")
  for c in $(ps -o pid= --ppid "$PG_PID"); do total=$(awk -v a="$total" -v b="$(cpu_of "$c")" 'BEGIN { print a + b }'); done
  echo "$total"
}
pg_pss_mb() {
  local kb=0
  for p in "$PG_PID" $(ps -o pid= --ppid "$PG_PID"); do
    kb=$(( kb + $(awk '/^Pss:/ { print $2 }' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0) ))
  done
  echo $(( kb / 1024 ))
}

# Samples the gateway's RSS and the load average every 2 s into $WORK/samples.txt.
start_sampler() {
  ( while kill -0 "$GW_PID" 2>/dev/null; do
      printf '%s %s %s\n' "$(date +%s)" "$(awk '/^VmRSS:/ { print $2 }' "/proc/$GW_PID/status")" "$(cut -d' ' -f1 /proc/loadavg)"
      sleep 2
    done ) > "$WORK/samples.txt" &
  SAMPLER_PID=$!
}

# After a run from $RUN_START to $RUN_END: RSS_MAX_MB and LOAD_STATS from the samples.
sample_stats() {
  RSS_MAX_MB=$(awk -v s="$RUN_START" '$1 >= s && $2 > m { m = $2 } END { printf "%d", m / 1024 }' "$WORK/samples.txt")
  LOAD_STATS=$(awk -v s="$RUN_START" -v e="$RUN_END" '$1 >= s && $1 <= e { n++; t += $3; if ($3 > mx) mx = $3; if (mn == "" || $3 < mn) mn = $3 }
    END { printf "min %.2f, mean %.2f, max %.2f", mn, t / n, mx }' "$WORK/samples.txt")
}

summary() { sed -n "s/^$1=//p" "$CORPUS/load-summary.txt"; }

machine() {
  local cpu mem java
  cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
  mem=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
  java=$(java -version 2>&1 | head -2 | tr '\n' ' ' | sed 's/ *$//')
  echo "$(nproc) cores ($cpu), $mem memory; $java"
}

# Appends $1 (a Markdown section) to $RESULTS, or prints it when RESULTS is "-".
append_results() {
  if [[ $RESULTS != "-" ]]; then
    if [[ ! -f $RESULTS ]]; then
      printf '# Benchmarks\n\nMeasured results, newest last. Each section names its command, commit, machine and date.\n' > "$RESULTS"
    fi
    printf '%s\n' "$1" >> "$RESULTS"
    log "results appended to $RESULTS"
  else
    printf '%s\n' "$1"
  fi
}
