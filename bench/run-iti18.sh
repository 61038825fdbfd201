#!/usr/bin/env bash
# ITI-18 FindDocuments benchmark: the packaged gateway jar with a corpus of 1,000,000 DocumentEntries
# (500,000 studies x KOS manifest + report), under an open-model load at fixed rates.
#
#   bench/run-iti18.sh                      # build, load (or reuse), run, append to docs/benchmarks.md
#   RATES=100,500 SECONDS_PER_RATE=30 bench/run-iti18.sh
#
# Environment (defaults in brackets):
#   STUDIES [500000]  PATIENTS [STUDIES/5]  RATES [50,100,250,500,1000]  SECONDS_PER_RATE [40]
#   WARMUP_RATE [100]  WARMUP_SECONDS [30]  GATEWAY_JAVA_OPTS []  SKIP_BUILD [0]
#   JFR [0]: 1 records a JFR profile of the gateway for the whole run ($WORK/gateway.jfr)
#   RESULTS [docs/benchmarks.md]: where the results section is appended ("-" for nowhere)
#   NOTE []: a free-text remark added to the results section
# Everything listens on and talks to 127.0.0.1 only. Only processes this script started are stopped.
set -euo pipefail

cd "$(dirname "$0")/.."
STUDIES=${STUDIES:-500000}
PATIENTS=${PATIENTS:-$((STUDIES / 5))}
RATES=${RATES:-50,100,250,500,1000}
SECONDS_PER_RATE=${SECONDS_PER_RATE:-40}
WARMUP_RATE=${WARMUP_RATE:-100}
WARMUP_SECONDS=${WARMUP_SECONDS:-30}
GATEWAY_JAVA_OPTS=${GATEWAY_JAVA_OPTS:-}
SKIP_BUILD=${SKIP_BUILD:-0}
JFR=${JFR:-0}
RESULTS=${RESULTS:-docs/benchmarks.md}
NOTE=${NOTE:-}
WORK=bench/target/iti18-$STUDIES
BENCH_JAR=bench/target/beeldbrug-bench.jar
GATEWAY_JAR=gateway/target/beeldbrug-gateway.jar
COMMAND="STUDIES=$STUDIES PATIENTS=$PATIENTS RATES=$RATES SECONDS_PER_RATE=$SECONDS_PER_RATE WARMUP_RATE=$WARMUP_RATE WARMUP_SECONDS=$WARMUP_SECONDS${GATEWAY_JAVA_OPTS:+ GATEWAY_JAVA_OPTS=\"$GATEWAY_JAVA_OPTS\"}$( [[ $JFR == 1 ]] && echo " JFR=1" || true ) bench/run-iti18.sh"
mkdir -p "$WORK"
log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*"; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

LOAD_BEFORE_BUILD=$(loadavg)
# what is built: the commit, and uncommitted changes to the code under test
COMMIT=$(git rev-parse --short HEAD)
DIRTY=$(git status --porcelain --untracked-files=no | wc -l)
DIRTY_BUILT=$(git status --porcelain --untracked-files=no -- registry/src/main gateway/src/main | awk '{ print $2 }' | tr '\n' ' ' | sed 's/ *$//')
if [[ $SKIP_BUILD != 1 ]]; then
  log "building registry, gateway and bench (offline)"
  mvn -B -q -o -pl registry,gateway,bench -am package -Dmaven.test.skip=true
fi

# Run copies of the jars: others may rebuild gateway/target while this runs (a fat jar replaced under a
# starting JVM fails with EOFException).
cp "$GATEWAY_JAR" "$WORK/beeldbrug-gateway.jar"
cp "$BENCH_JAR" "$WORK/beeldbrug-bench.jar"
GATEWAY_JAR=$WORK/beeldbrug-gateway.jar
BENCH_JAR=$WORK/beeldbrug-bench.jar

log "loading the corpus ($STUDIES studies, $PATIENTS patients) into $WORK/pg (reused when already loaded)"
java -jar "$BENCH_JAR" load --data-dir "$WORK/pg" --studies "$STUDIES" --patients "$PATIENTS" \
  --summary "$WORK/load-summary.txt" 2>&1 | tee "$WORK/load.last.log"
[[ ${PIPESTATUS[0]} == 0 ]] || { log "load failed"; exit 1; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
PORT=$(free_port)
MPORT=$(free_port)
while [[ $MPORT == "$PORT" ]]; do MPORT=$(free_port); done

GW_PID=""
SAMPLER_PID=""
cleanup() {
  [[ -n $SAMPLER_PID ]] && kill "$SAMPLER_PID" 2>/dev/null || true
  if [[ -n $GW_PID ]] && kill -0 "$GW_PID" 2>/dev/null; then
    log "stopping the gateway (pid $GW_PID)"
    kill -TERM "$GW_PID" 2>/dev/null || true
    for _ in $(seq 1 120); do kill -0 "$GW_PID" 2>/dev/null || break; sleep 1; done
    kill -0 "$GW_PID" 2>/dev/null && kill -KILL "$GW_PID" 2>/dev/null || true
  fi
  # a gateway killed before it could stop its embedded PostgreSQL leaves it running: stop that one
  if [[ -f $WORK/pg/postmaster.pid ]]; then
    local pg
    pg=$(head -1 "$WORK/pg/postmaster.pid")
    if [[ -n $pg ]] && tr '\0' ' ' < "/proc/$pg/cmdline" 2>/dev/null | grep -q -- "-D $(pwd)/$WORK/pg"; then
      log "stopping the PostgreSQL left running on $WORK/pg (pid $pg)"
      kill -TERM "$pg" 2>/dev/null || true
      for _ in $(seq 1 30); do kill -0 "$pg" 2>/dev/null || break; sleep 1; done
    fi
  fi
}
trap cleanup EXIT

JFR_OPTS=""
[[ $JFR == 1 ]] && JFR_OPTS="-XX:StartFlightRecording=settings=profile,filename=$WORK/gateway.jfr,dumponexit=true"
log "starting the gateway on 127.0.0.1:$PORT (management $MPORT)"
# shellcheck disable=SC2086
java $GATEWAY_JAVA_OPTS $JFR_OPTS -jar "$GATEWAY_JAR" \
  --server.address=127.0.0.1 --server.port="$PORT" \
  --management.server.address=127.0.0.1 --management.server.port="$MPORT" \
  --beeldbrug.db.embedded-data-dir="$WORK/pg" --beeldbrug.demo.enabled=false \
  > "$WORK/gateway.log" 2>&1 &
GW_PID=$!
START=$(date +%s)
until curl -fsS "http://127.0.0.1:$MPORT/actuator/health/readiness" 2>/dev/null | grep -q '"UP"'; do
  kill -0 "$GW_PID" 2>/dev/null || { log "the gateway exited; see $WORK/gateway.log"; exit 1; }
  (( $(date +%s) - START > 600 )) && { log "the gateway is not ready after 600 s"; exit 1; }
  sleep 1
done
log "gateway ready after $(( $(date +%s) - START )) s"

# CPU seconds of the gateway JVM and of its PostgreSQL (postmaster, backends, reaped children).
TICKS=$(getconf CLK_TCK)
PG_PID=$(head -1 "$WORK/pg/postmaster.pid")
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
# Sample the gateway's RSS and the load average every 2 s.
( while kill -0 "$GW_PID" 2>/dev/null; do
    printf '%s %s %s\n' "$(date +%s)" "$(awk '/^VmRSS:/ { print $2 }' "/proc/$GW_PID/status")" "$(cut -d' ' -f1 /proc/loadavg)"
    sleep 2
  done ) > "$WORK/samples.txt" &
SAMPLER_PID=$!

GW_CPU0=$(cpu_of "$GW_PID"); PG_CPU0=$(pg_cpu); RUN_START=$(date +%s)
LOAD_BEFORE_RUN=$(loadavg)
log "running the load generator (load average before: $LOAD_BEFORE_RUN)"
set +e
java -jar "$BENCH_JAR" iti18 --url "http://127.0.0.1:$PORT/services/registry/iti18" --patients "$PATIENTS" \
  --rates "$RATES" --seconds "$SECONDS_PER_RATE" --warmup-rate "$WARMUP_RATE" --warmup-seconds "$WARMUP_SECONDS" \
  --markdown "$WORK/results.md" 2>&1 | tee "$WORK/iti18.log"
GEN_RC=${PIPESTATUS[0]}
set -e
RUN_END=$(date +%s)
GW_CPU1=$(cpu_of "$GW_PID"); PG_CPU1=$(pg_cpu)
LOAD_AFTER_RUN=$(loadavg)
PG_PSS=$(pg_pss_mb)
kill "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=""
cleanup
GW_PID=""
[[ $GEN_RC == 0 && -s $WORK/results.md ]] || { log "the load generator failed (rc $GEN_RC)"; exit 1; }

# ---------------------------------------------------------------- report
RSS_MAX_MB=$(awk -v s="$RUN_START" '$1 >= s && $2 > m { m = $2 } END { printf "%d", m / 1024 }' "$WORK/samples.txt")
LOAD_STATS=$(awk -v s="$RUN_START" -v e="$RUN_END" '$1 >= s && $1 <= e { n++; t += $3; if ($3 > mx) mx = $3; if (mn == "" || $3 < mn) mn = $3 }
  END { printf "min %.2f, mean %.2f, max %.2f", mn, t / n, mx }' "$WORK/samples.txt")
REQUESTS=$(awk -F'|' 'NR > 2 { gsub(/[ ,]/, "", $5); s += $5 } END { print s }' "$WORK/results.md")
WARM_OK=$(grep -o 'warm-up: *[0-9]* req/s target: [0-9,]* ok' "$WORK/iti18.log" | grep -o '[0-9,]* ok' | tr -d ', ok' || echo 0)
ALL_OK=$(( REQUESTS + ${WARM_OK:-0} ))
cpu_ms() { awk -v a="$1" -v b="$2" -v n="$ALL_OK" 'BEGIN { if (n > 0) printf "%.2f", (b - a) * 1000 / n; else print "-" }'; }
summary() { sed -n "s/^$1=//p" "$WORK/load-summary.txt"; }
CPU_MODEL=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
MEM=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
JAVA_VERSION=$(java -version 2>&1 | head -2 | tr '\n' ' ' | sed 's/ *$//')

SECTION=$(cat <<EOF

## ITI-18 FindDocuments, $(summary document_entries) DocumentEntries — $(date -u +'%Y-%m-%d %H:%M UTC')

Command: \`$COMMAND\` (commit \`$COMMIT\`$( [[ $DIRTY != 0 ]] && echo ", $DIRTY uncommitted tracked file(s) in the working tree" || true )$( [[ -n $DIRTY_BUILT ]] && echo "; the jars include uncommitted changes to: $DIRTY_BUILT" || true )).

Machine: $(nproc) cores ($CPU_MODEL), $MEM memory; $JAVA_VERSION. Load average (1/5/15 min) before the
build $LOAD_BEFORE_BUILD, before the run $LOAD_BEFORE_RUN, after it $LOAD_AFTER_RUN; 1-minute load average during
the run: $LOAD_STATS.

Corpus: $(summary studies) studies × (KOS manifest + report) = $(summary document_entries) DocumentEntries, as many
SubmissionSets and HasMember associations, $(summary studies) report documents in the repository, $(summary patients)
patients (1 + Poisson(4) studies each), seed $(summary seed). Bulk load: $(summary load_seconds) s
($(summary document_entries_per_second) DocumentEntries/s; COPY + index rebuild $(summary copy_and_index_seconds) s,
ANALYZE $(summary analyze_seconds) s; loaded $(summary loaded_at)). Database size after the load: $(summary database_size).

Each request: FindDocuments, LeafClass, status Approved, one random patient of the corpus; open model (fixed
arrival rate, latency from the intended start), warm-up ${WARMUP_RATE} req/s for ${WARMUP_SECONDS} s, then
${SECONDS_PER_RATE} s per rate. An error is anything but HTTP 200 + Success + ≥ 1 DocumentEntry, or a request not
sent within the phase's time bound; errors are not in the latency percentiles.

$(cat "$WORK/results.md")

Gateway: RSS at most ${RSS_MAX_MB} MB during the run (default JVM heap settings${GATEWAY_JAVA_OPTS:+, $GATEWAY_JAVA_OPTS});
PostgreSQL PSS ${PG_PSS} MB at the end. CPU per successful request (warm-up included): gateway JVM
$(cpu_ms "$GW_CPU0" "$GW_CPU1") ms, PostgreSQL $(cpu_ms "$PG_CPU0" "$PG_CPU1") ms.

What distorts these numbers: the load generator runs on the same $(nproc) cores as the gateway and its database;
other processes ran on the machine (see the load averages); the embedded PostgreSQL runs with
\`synchronous_commit=off\` (io.zonky embedded-postgres default), so the audit record each query writes does not wait
for a WAL flush.${NOTE:+ $NOTE}
EOF
)
if [[ $RESULTS != "-" ]]; then
  if [[ ! -f $RESULTS ]]; then
    printf '# Benchmarks\n\nMeasured results, newest last. Each section names its command, commit, machine and date.\n' > "$RESULTS"
  fi
  printf '%s\n' "$SECTION" >> "$RESULTS"
  log "results appended to $RESULTS"
else
  printf '%s\n' "$SECTION"
fi
