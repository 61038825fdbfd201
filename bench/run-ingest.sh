#!/usr/bin/env bash
# Ingest through ITI-41 (issue 9): durable registrations per second, and recovery after kill -9.
#
# 1. Starts the packaged gateway on a corpus data dir (a fresh, empty one unless CORPUS is given) and runs
#    `register` (ITI-41 Provide and Register in its RAD-68 form: KOS manifest + report per study, MTOM,
#    SOAP 1.2/WS-Addressing; closed model at CONCURRENCY) for REGISTER_SECONDS: durable registrations/s
#    (a registration counts when the gateway answered Success, which it does after its commit; synchronous_commit=on).
# 2. Kill test, twice: `register` over KILL_PATIENTS patients, and once KILL_AFTER_ACKS were acknowledged
#      jvm     kill -9 of the gateway JVM only. Its embedded PostgreSQL is a child process of its own and survives
#              (kill -9 is not passed on to children); the restarted gateway stops that orphan (SIGTERM, a clean
#              shutdown) and starts it again: no crash recovery.
#      jvm_pg  kill -9 of the JVM and, at the same instant, of the postmaster and all its backends (a crash of the
#              whole node, except that the OS page cache survives): PostgreSQL replays its WAL at start.
#    then restarts the gateway (time from restart to ready; PostgreSQL's crash recovery from its log), checks that no
#    acknowledged registration is lost and none is half-stored (`ingest-check`: the journal of the sender against the
#    database: submission set, DocumentEntries and document bytes of every study), resumes the sender from its
#    checkpoint until the range is complete, and checks again.
# 3. Optionally (BULK_STUDIES > 0) the bulk path on an empty data dir: `load --lean`, its studies_per_second.
#
#   bench/run-ingest.sh
#   REGISTER_SECONDS=60 WORK=/work/benchdata/ingest-run RESULTS=/tmp/ingest.md bench/run-ingest.sh
#
# Environment (defaults in brackets):
#   WORK [bench/target/ingest] (this run's files)  CORPUS [$WORK/corpus, emptied first] (its PostgreSQL data is $CORPUS/pg)
#   REGISTER_SECONDS [60] (measured, after WARMUP_SECONDS [20] of registering)  CONCURRENCY [8]  KILL_AFTER_ACKS [300]  KILL_PATIENTS [800]  REGISTER_STUDIES [5000000] (size of
#   the register corpus, seed 41; patients STUDIES/5; the rate phase takes patients from 0, the kill tests from
#   the middle and three quarters)  BULK_STUDIES [0]  GATEWAY_JAVA_OPTS []  SKIP_BUILD [0]  JFR [0]  READY_TIMEOUT [600]
#   KILL_TESTS [1] (0: the rate only, e.g. with JFR=1 for a profile of the gateway)
#   RESULTS [-] (Markdown section appended there; "-" prints it)  NOTE []
# Results (key=value) in $WORK/ingest-results.properties, the Markdown section also in $WORK/ingest-results.md. Everything on 127.0.0.1; only processes started here are stopped.
set -euo pipefail

cd "$(dirname "$0")/.."
WORK=${WORK:-bench/target/ingest}
REGISTER_SECONDS=${REGISTER_SECONDS:-60}
WARMUP_SECONDS=${WARMUP_SECONDS:-20}
CONCURRENCY=${CONCURRENCY:-8}
KILL_AFTER_ACKS=${KILL_AFTER_ACKS:-300}
KILL_PATIENTS=${KILL_PATIENTS:-800}
REGISTER_STUDIES=${REGISTER_STUDIES:-5000000}
BULK_STUDIES=${BULK_STUDIES:-0}
GATEWAY_JAVA_OPTS=${GATEWAY_JAVA_OPTS:-}
SKIP_BUILD=${SKIP_BUILD:-0}
JFR=${JFR:-0}
RESULTS=${RESULTS:--}
NOTE=${NOTE:-}
COMMAND="REGISTER_SECONDS=$REGISTER_SECONDS WARMUP_SECONDS=$WARMUP_SECONDS CONCURRENCY=$CONCURRENCY KILL_AFTER_ACKS=$KILL_AFTER_ACKS KILL_PATIENTS=$KILL_PATIENTS${CORPUS:+ CORPUS=$CORPUS}${BULK_STUDIES:+ BULK_STUDIES=$BULK_STUDIES}$( [[ $JFR == 1 ]] && echo " JFR=1" || true ) bench/run-ingest.sh"
mkdir -p "$WORK"
if [[ -z ${CORPUS:-} ]]; then
  CORPUS=$WORK/corpus
  rm -rf "$CORPUS"
fi
mkdir -p "$CORPUS"
OUT=$WORK/ingest-results.properties
: > "$OUT"
# shellcheck source=bench/lib.sh
. bench/lib.sh

put() { echo "$1=$2" | tee -a "$OUT"; }
prop() { sed -n "s/^$2=//p" "$1" 2>/dev/null | tail -1; }
REGISTER_PATIENTS=$((REGISTER_STUDIES / 5))

register() { # register ARGS...: the sender against the running gateway
  java -jar "$BENCH_JAR" register --base "http://127.0.0.1:$PORT" --studies "$REGISTER_STUDIES" \
    --pg-data-dir "$CORPUS/pg" --concurrency "$CONCURRENCY" "$@"
}

# Starts the gateway and sets READY_S (restart to ready, ms resolution).
timed_start() {
  local t0
  t0=$(date +%s.%N)
  start_gateway
  READY_S=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
}

# Seconds from the gateway's first step on its database (stopping the orphaned server, or starting the embedded one) to
# its "Database ready" line (WAL replayed if needed, migrations checked): the database's share of a restart; "-" when
# not found.
db_ready() {
  local from to
  from=$(grep -m1 -E 'Stopping a PostgreSQL server|EmbeddedPostgres' "$WORK/gateway.log" | cut -d' ' -f1)
  to=$(grep -m1 'Database ready' "$WORK/gateway.log" | cut -d' ' -f1)
  if [[ -n $from && -n $to ]]; then
    awk -v a="$(date -d "$from" +%s.%N)" -v b="$(date -d "$to" +%s.%N)" 'BEGIN { printf "%.1f", b - a }'
  else echo "-"; fi
}

# PostgreSQL's crash recovery (WAL replay) as it logs it ("redo done at ... elapsed: N s"), or "-" when there was none.
pg_recovery() {
  local line
  line=$(grep -o 'redo done at .*elapsed: [0-9.]* s' "$WORK/gateway.log" | tail -1 || true)
  if [[ -n $line ]]; then echo "$line" | grep -o 'elapsed: [0-9.]* s' | grep -o '[0-9.]*'; else echo "-"; fi
}

describe_build
build_and_copy_jars
trap cleanup EXIT

# ------------------------------------------------------------------ 1. rate
timed_start
put startup_seconds "$READY_S"
start_sampler
GW_CPU0=$(cpu_of "$GW_PID"); PG_CPU0=$(pg_cpu); RUN_START=$(date +%s)
LOAD_BEFORE_RUN=$(loadavg)
log "registering for $WARMUP_SECONDS + $REGISTER_SECONDS s (closed model, concurrency $CONCURRENCY)"
set +e
register --from 0 --warmup-seconds "$WARMUP_SECONDS" --duration "$REGISTER_SECONDS" --summary "$WORK/rate.summary" 2>&1 | tee "$WORK/rate.log"
RC=${PIPESTATUS[0]}
set -e
RUN_END=$(date +%s)
GW_CPU1=$(cpu_of "$GW_PID"); PG_CPU1=$(pg_cpu)
[[ $RC == 0 ]] || log "register ended with rc $RC (errors: $(prop "$WORK/rate.summary" error_kinds))"
REGS=$(prop "$WORK/rate.summary" acknowledged) # CPU from before the warm-up: per registration of the whole run
per_reg() { awk -v a="$1" -v b="$2" -v n="$REGS" 'BEGIN { if (n > 0) printf "%.2f", (b - a) * 1000 / n; else print "-" }'; }
put ingest_registrations_per_second "$(prop "$WORK/rate.summary" registrations_per_second)"
put ingest_documents_per_second "$(prop "$WORK/rate.summary" documents_per_second)"
put ingest_registrations "$(prop "$WORK/rate.summary" registrations)"
put ingest_seconds "$(prop "$WORK/rate.summary" seconds)"
put ingest_latency_p50_ms "$(prop "$WORK/rate.summary" latency_p50_ms)"
put ingest_latency_p99_ms "$(prop "$WORK/rate.summary" latency_p99_ms)"
put ingest_errors "$(prop "$WORK/rate.summary" errors)"
put ingest_concurrency "$CONCURRENCY"
put sender_cpu_ms_per_registration "$(prop "$WORK/rate.summary" sender_cpu_ms_per_registration)"
put gateway_cpu_ms_per_registration "$(per_reg "$GW_CPU0" "$GW_CPU1")"
put pg_cpu_ms_per_registration "$(per_reg "$PG_CPU0" "$PG_CPU1")"
sample_stats
put gateway_rss_max_mb "$RSS_MAX_MB"

# ------------------------------------------------------------------ 2. kill -9
LOST=0; HALF=0
kill_test() { # kill_test NAME FROM
  local name=$1 from=$2 journal=$WORK/$1.journal checkpoint=$WORK/$1.checkpoint
  rm -f "$journal" "$checkpoint"
  log "kill test '$name': registering patients $from.. and kill -9 after $KILL_AFTER_ACKS acknowledged registrations"
  register --from "$from" --count "$KILL_PATIENTS" --duration 0 --journal "$journal" --checkpoint "$checkpoint" \
    --summary "$WORK/$name.before.summary" > "$WORK/$name.before.log" 2>&1 &
  local sender=$!
  local waited=0
  until [[ $(grep -c '^A ' "$journal" 2>/dev/null || true) -ge $KILL_AFTER_ACKS ]] || (( waited >= 6000 )) || ! kill -0 "$sender" 2>/dev/null; do
    sleep 0.1; waited=$((waited + 1))
  done
  if [[ $name == jvm_pg ]]; then
    local backends
    backends=$(ps -o pid= --ppid "$PG_PID" | tr '\n' ' ')
    log "kill -9 gateway JVM $GW_PID, postmaster $PG_PID and its children $backends"
    kill -KILL "$GW_PID" "$PG_PID" $backends 2>/dev/null || true
  else
    log "kill -9 gateway JVM $GW_PID (PostgreSQL $PG_PID left running)"
    kill -KILL "$GW_PID"
  fi
  local killed=$GW_PID
  while kill -0 "$killed" 2>/dev/null; do sleep 0.1; done
  GW_PID=""
  wait "$sender" || true
  [[ -n $SAMPLER_PID ]] && kill "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=""
  put "${name}_acknowledged_before_kill" "$(prop "$WORK/$name.before.summary" registrations)"
  put "${name}_registrations_per_second_before_kill" "$(prop "$WORK/$name.before.summary" registrations_per_second)"
  mv "$WORK/gateway.log" "$WORK/gateway.before-$name.log"
  timed_start
  put "recovery_seconds_$name" "$READY_S"
  put "pg_crash_recovery_seconds_$name" "$(pg_recovery)"
  put "db_ready_seconds_$name" "$(db_ready)"
  set +e
  java -jar "$BENCH_JAR" ingest-check --journal "$journal" --pg-data-dir "$CORPUS/pg" --summary "$WORK/$name.check" 2>&1 | tee "$WORK/$name.check.log"
  set -e
  put "${name}_lost" "$(prop "$WORK/$name.check" lost)"
  put "${name}_half_stored" "$(prop "$WORK/$name.check" half_stored)"
  put "${name}_unacknowledged_stored" "$(prop "$WORK/$name.check" unacknowledged_stored)"
  put "${name}_unacknowledged_absent" "$(prop "$WORK/$name.check" unacknowledged_absent)"
  LOST=$(( LOST + $(prop "$WORK/$name.check" lost || true) + 0 ))
  HALF=$(( HALF + $(prop "$WORK/$name.check" half_stored || true) + 0 ))
  [[ -s $WORK/$name.check ]] || { log "ingest-check failed for '$name'"; LOST=$((LOST + 1000000)); }
  log "resuming the sender from its checkpoint ($(cat "$checkpoint" 2>/dev/null || echo none))"
  set +e
  register --from "$from" --count "$KILL_PATIENTS" --duration 0 --journal "$journal" --checkpoint "$checkpoint" \
    --summary "$WORK/$name.after.summary" > "$WORK/$name.after.log" 2>&1
  RC=$?
  java -jar "$BENCH_JAR" ingest-check --journal "$journal" --pg-data-dir "$CORPUS/pg" --summary "$WORK/$name.final" > "$WORK/$name.final.log" 2>&1
  set -e
  local end next
  end=$(prop "$WORK/$name.after.summary" end_patient); next=$(prop "$WORK/$name.after.summary" next_patient)
  put "${name}_resumed_complete" "$( [[ $RC == 0 && $next == "$end" && $(prop "$WORK/$name.final" lost) == 0 && $(prop "$WORK/$name.final" unacknowledged) == 0 ]] && echo 1 || echo 0 )"
  put "${name}_resumed_from_patient" "$(prop "$WORK/$name.after.summary" first_patient)"
  cp "$WORK/gateway.log" "$WORK/gateway.after-$name.log"
}
if [[ ${KILL_TESTS:-1} == 1 ]]; then
  kill_test jvm $((REGISTER_PATIENTS / 2))
  kill_test jvm_pg $((REGISTER_PATIENTS * 3 / 4))
fi
put lost "$LOST"
put half_stored "$HALF"
cleanup

# ------------------------------------------------------------------ 3. bulk path
if (( BULK_STUDIES > 0 )); then
  rm -rf "$WORK/bulk"; mkdir -p "$WORK/bulk"
  log "bulk path: load --lean $BULK_STUDIES studies into an empty data dir"
  java -jar "$BENCH_JAR" load --lean --data-dir "$WORK/bulk/pg" --studies "$BULK_STUDIES" --summary "$WORK/bulk/load-summary.txt" > "$WORK/bulk.log" 2>&1
  put bulk_studies "$BULK_STUDIES"
  put bulk_studies_per_second "$(prop "$WORK/bulk/load-summary.txt" studies_per_second)"
  rm -rf "$WORK/bulk"
fi

# ------------------------------------------------------------------ report
v() { prop "$OUT" "$1"; }
BULK_LINE=""
if (( BULK_STUDIES > 0 )); then BULK_LINE="| bulk path, load --lean of $BULK_STUDIES studies: studies/s | $(v bulk_studies_per_second) |"; fi
SECTION=$(cat <<EOS

## Ingest through ITI-41 (RAD-68) and recovery after kill -9 — $(date -u +'%Y-%m-%d %H:%M UTC')

Command: \`$COMMAND\` ($(commit_note)).

Machine: $(machine). Load average before the run $LOAD_BEFORE_RUN; 1-minute load average during the rate phase: $LOAD_STATS.

Each registration is one ITI-41 Provide and Register Document Set-b request (RAD-68: a SubmissionSet with the KOS
manifest DocumentEntry and the report DocumentEntry and both documents as MTOM parts, SOAP 1.2 + WS-Addressing),
counted when the gateway answered Success — after its transaction committed with synchronous_commit=on. Closed model,
$CONCURRENCY requests in flight, sender on the same 2 cores.

| figure | value |
|---|---:|
| durable registrations/s (studies) | $(v ingest_registrations_per_second) |
| documents/s | $(v ingest_documents_per_second) |
| registrations in $(v ingest_seconds) s | $(v ingest_registrations) |
| latency p50 / p99 ms | $(v ingest_latency_p50_ms) / $(v ingest_latency_p99_ms) |
| errors (non-Success) | $(v ingest_errors) |
| CPU ms per registration: gateway / PostgreSQL / sender | $(v gateway_cpu_ms_per_registration) / $(v pg_cpu_ms_per_registration) / $(v sender_cpu_ms_per_registration) |
| gateway start (empty data dir) s | $(v startup_seconds) |
| restart to ready after kill -9 of the JVM only, s | $(v recovery_seconds_jvm) |
| restart to ready after kill -9 of JVM + PostgreSQL, s (WAL replay s) | $(v recovery_seconds_jvm_pg) ($(v pg_crash_recovery_seconds_jvm_pg)) |
| of which until the database was ready (jvm / jvm_pg), s | $(v db_ready_seconds_jvm) / $(v db_ready_seconds_jvm_pg) |
| acknowledged before the kills (jvm / jvm_pg) | $(v jvm_acknowledged_before_kill) / $(v jvm_pg_acknowledged_before_kill) |
| acknowledged but lost / half-stored | $(v lost) / $(v half_stored) |
| sent, unacknowledged: stored whole / absent (jvm; jvm_pg) | $(v jvm_unacknowledged_stored) / $(v jvm_unacknowledged_absent); $(v jvm_pg_unacknowledged_stored) / $(v jvm_pg_unacknowledged_absent) |
| sender resumed from its checkpoint and completed (jvm / jvm_pg) | $(v jvm_resumed_complete) / $(v jvm_pg_resumed_complete) |
$BULK_LINE
${NOTE:+
$NOTE
}
EOS
)
printf '%s\n' "$SECTION" > "$WORK/ingest-results.md"
append_results "$SECTION"
log "results in $OUT"
[[ $LOST == 0 && $HALF == 0 ]]
