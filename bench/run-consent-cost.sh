#!/usr/bin/env bash
# The cost of consent + audit (issue 6) on ITI-18 FindDocuments and the prior check, robust to background load:
# one corpus (bulk loader + Consents for a share of the patients) in ONE embedded PostgreSQL (`bench database`,
# durable commits as the gateway runs it), and the packaged jar started TWICE AT THE SAME TIME against it
# (--beeldbrug.db.url): guarded (as shipped) and with the benchmark-only profile bench-unguarded (pass-through
# consent gate, no audit records; it refuses to start without BEELDBRUG_BENCH_UNGUARDED=measure-only, set here only
# for that JVM). `bench consent-cost` then warms both up and alternates short fixed-rate phases between them
# (g, u / u, g / ...; same patient sequence within a round), so that both modes see the same background load.
#
#   bench/run-consent-cost.sh
#   STUDIES=2000 RATES=20 ROUNDS=2 PHASE_SECONDS=3 WARMUP_SECONDS=3 WARMUP_ROUNDS=1 RESULTS=- bench/run-consent-cost.sh  # smoke
#
# Environment (defaults in brackets):
#   STUDIES [100000]  PATIENTS [STUDIES/5]  CONSENT_SHARE [0.2]  RATES [5,10,20]  ROUNDS [6]  PHASE_SECONDS [10]
#   WARMUP_RATE [5]  WARMUP_SECONDS [20]  WARMUP_ROUNDS [3]  MAX_IN_FLIGHT [64]  GRACE_SECONDS [5]
#   GATEWAY_JAVA_OPTS []  SKIP_BUILD [0]
#   RESULTS [docs/benchmarks.md] ("-" for nowhere)  NOTE []
# The low default rates suit this shared 2-core machine at load averages of 30-50 (at 25 req/s the gateways could
# not keep up there); on a quiet machine try RATES=25,50,100 WARMUP_RATE=25.
# Default pool sizes: what ships. Everything listens on and talks to 127.0.0.1 only. Only processes this script
# started are stopped.
set -euo pipefail

cd "$(dirname "$0")/.."
STUDIES=${STUDIES:-100000}
PATIENTS=${PATIENTS:-$((STUDIES / 5))}
CONSENT_SHARE=${CONSENT_SHARE:-0.2}
RATES=${RATES:-5,10,20}
ROUNDS=${ROUNDS:-6}
PHASE_SECONDS=${PHASE_SECONDS:-10}
WARMUP_RATE=${WARMUP_RATE:-5}
WARMUP_SECONDS=${WARMUP_SECONDS:-20}
WARMUP_ROUNDS=${WARMUP_ROUNDS:-3}
MAX_IN_FLIGHT=${MAX_IN_FLIGHT:-64}
GRACE_SECONDS=${GRACE_SECONDS:-5}
GATEWAY_JAVA_OPTS=${GATEWAY_JAVA_OPTS:-}
SKIP_BUILD=${SKIP_BUILD:-0}
JFR=0
RESULTS=${RESULTS:-docs/benchmarks.md}
NOTE=${NOTE:-}
WORK=bench/target/consent-cost-$STUDIES
CORPUS=$WORK
COMMAND="STUDIES=$STUDIES PATIENTS=$PATIENTS CONSENT_SHARE=$CONSENT_SHARE RATES=$RATES ROUNDS=$ROUNDS PHASE_SECONDS=$PHASE_SECONDS WARMUP_RATE=$WARMUP_RATE WARMUP_SECONDS=$WARMUP_SECONDS WARMUP_ROUNDS=$WARMUP_ROUNDS MAX_IN_FLIGHT=$MAX_IN_FLIGHT GRACE_SECONDS=$GRACE_SECONDS${GATEWAY_JAVA_OPTS:+ GATEWAY_JAVA_OPTS=\"$GATEWAY_JAVA_OPTS\"} bench/run-consent-cost.sh"
mkdir -p "$WORK"
# shellcheck source=bench/lib.sh
. bench/lib.sh

LOAD_BEFORE_BUILD=$(loadavg)
describe_build
build_and_copy_jars
load_corpus
log "consents for $CONSENT_SHARE of the patients"
java -jar "$BENCH_JAR" consents --data-dir "$CORPUS/pg" --studies "$STUDIES" --patients "$PATIENTS" \
  --share "$CONSENT_SHARE" | tee "$WORK/consents.log"
CONSENTS=$(tail -1 "$WORK/consents.log")

DB_PID=""
G_PID=""
U_PID=""
stop_pid() {
  local pid=$1 what=$2
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
    log "stopping $what (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
  return 0
}
stop_all() {
  stop_pid "$G_PID" "the guarded gateway"
  stop_pid "$U_PID" "the unguarded gateway"
  stop_pid "$DB_PID" "the database"
  G_PID="" U_PID="" DB_PID=""
  cleanup # lib.sh: a PostgreSQL left running on $CORPUS/pg
}
trap stop_all EXIT
trap "exit 143" TERM INT

log "starting the embedded PostgreSQL of the corpus (durable commits)"
rm -f "$WORK/db.url"
java -jar "$BENCH_JAR" database --data-dir "$CORPUS/pg" --url-file "$WORK/db.url" > "$WORK/database.log" 2>&1 &
DB_PID=$!
for _ in $(seq 1 120); do [[ -s $WORK/db.url ]] && break; kill -0 "$DB_PID" 2>/dev/null || break; sleep 1; done
[[ -s $WORK/db.url ]] || { log "the database did not start; see $WORK/database.log"; exit 1; }
DB_URL=$(cat "$WORK/db.url")
POSTMASTER=$(head -1 "$CORPUS/pg/postmaster.pid")
tr '\0' ' ' < "/proc/$POSTMASTER/cmdline" | grep -q "synchronous_commit=on" \
  || { log "the database does not run with synchronous_commit=on (as the gateway runs it)"; exit 1; }

# start_one MODE: starts the jar on the shared database on free loopback ports; sets G_/U_PID, _PORT, _MPORT.
start_one() {
  local mode=$1 port mport opts=$GATEWAY_JAVA_OPTS
  port=$(free_port)
  mport=$(free_port)
  while [[ $mport == "$port" ]]; do mport=$(free_port); done
  [[ $mode == u ]] && opts="$opts -Dspring.profiles.active=bench-unguarded"
  log "starting the $mode gateway on 127.0.0.1:$port (management $mport), database $DB_URL"
  # shellcheck disable=SC2086
  if [[ $mode == u ]]; then
    BEELDBRUG_BENCH_UNGUARDED=measure-only java $opts -jar "$GATEWAY_JAR" \
      --server.address=127.0.0.1 --server.port="$port" \
      --management.server.address=127.0.0.1 --management.server.port="$mport" \
      --beeldbrug.db.url="$DB_URL" --beeldbrug.db.user=postgres --beeldbrug.demo.enabled=false \
      > "$WORK/gateway-$mode.log" 2>&1 &
  else
    java $opts -jar "$GATEWAY_JAR" \
      --server.address=127.0.0.1 --server.port="$port" \
      --management.server.address=127.0.0.1 --management.server.port="$mport" \
      --beeldbrug.db.url="$DB_URL" --beeldbrug.db.user=postgres --beeldbrug.demo.enabled=false \
      > "$WORK/gateway-$mode.log" 2>&1 &
  fi
  if [[ $mode == u ]]; then U_PID=$!; U_PORT=$port; U_MPORT=$mport; else G_PID=$!; G_PORT=$port; G_MPORT=$mport; fi
}
# await_ready MODE PID MPORT
await_ready() {
  local mode=$1 pid=$2 mport=$3 start=$GW_T0
  until curl -fsS "http://127.0.0.1:$mport/actuator/health/readiness" 2>/dev/null | grep -q '"UP"'; do
    kill -0 "$pid" 2>/dev/null || { log "the $mode gateway exited; see $WORK/gateway-$mode.log"; exit 1; }
    (( $(date +%s) - start > 900 )) && { log "the $mode gateway is not ready after 900 s"; exit 1; }
    sleep 1
  done
  log "$mode gateway ready after $(( $(date +%s) - start )) s"
}
# both at once (the corpus' schema is current, and migrations take PostgreSQL's advisory lock anyway)
GW_T0=$(date +%s)
start_one g
start_one u
await_ready g "$G_PID" "$G_MPORT"
await_ready u "$U_PID" "$U_MPORT"
grep -q "NO CONSENT CHECK AND NO AUDIT TRAIL" "$WORK/gateway-u.log" || { log "the unguarded profile is not on"; exit 1; }
grep -q "NO CONSENT CHECK" "$WORK/gateway-g.log" && { log "the guarded gateway runs unguarded"; exit 1; }
grep -q "Database ready (external)" "$WORK/gateway-g.log" && grep -q "Database ready (external)" "$WORK/gateway-u.log" \
  || { log "a gateway does not use the shared database"; exit 1; }
# the id of the newest audit record (the guarded gateway's actuator): how many the run wrote
latest_audit() { curl -fsS "http://127.0.0.1:$G_MPORT/actuator/audittrail" 2>/dev/null | sed -n 's/.*"latestEventId":\([0-9]*\).*/\1/p'; }
AUDIT0=$(latest_audit)

LOAD_BEFORE_RUN=$(loadavg)
RUN_T0=$(date +%s)
log "interleaved run (load average $LOAD_BEFORE_RUN)"
java -jar "$BENCH_JAR" consent-cost --guarded "http://127.0.0.1:$G_PORT" --unguarded "http://127.0.0.1:$U_PORT" \
  --guarded-pid "$G_PID" --unguarded-pid "$U_PID" --db-pid "$POSTMASTER" --patients "$PATIENTS" \
  --rates "$RATES" --rounds "$ROUNDS" --phase-seconds "$PHASE_SECONDS" \
  --warmup-rate "$WARMUP_RATE" --warmup-seconds "$WARMUP_SECONDS" --warmup-rounds "$WARMUP_ROUNDS" \
  --max-in-flight "$MAX_IN_FLIGHT" --grace-seconds "$GRACE_SECONDS" --markdown "$WORK/consent-cost.md" | tee "$WORK/consent-cost.log" || log "consent-cost: rc $?"
RUN_T1=$(date +%s)
LOAD_AFTER_RUN=$(loadavg)
[[ -s $WORK/consent-cost.md ]] || { log "no results"; exit 1; }
AUDIT1=$(latest_audit)
G_REQUESTS=$(grep -E '^[a-z0-9-]+ round [0-9]+ g |^warm-up [a-z0-9-]+ g:' "$WORK/consent-cost.log" | sed -n 's/.* ok of \([0-9,]*\) in .*/\1/p' | tr -d , | awk '{ s += $1 } END { print s }')

SECTION=$(cat <<EOT

## Cost of consent + audit: ITI-18 FindDocuments and \$prior-check, both gateways at once, interleaved — $(date -u +'%Y-%m-%d %H:%M UTC')

Command: \`$COMMAND\` ($(commit_note)).

Machine: $(machine). **Shared and loaded**: other engineers' builds and tests ran at the same time. Load average
(1/5/15 min) before the build $LOAD_BEFORE_BUILD, before the run $LOAD_BEFORE_RUN, after it $LOAD_AFTER_RUN
($((RUN_T1 - RUN_T0)) s of load in all, warm-up included); the 1-minute load at the start of every phase is in the
last table.

Corpus: $(summary studies) studies ($(summary document_entries) DocumentEntries), $(summary patients) patients, seed
$(summary seed); Consents ($CONSENT_SHARE of the patients): ${CONSENTS#consents: }. Every answer stays non-empty
(a study-specific deny only for patients with more than one study), so the two modes return comparable work
(items/response below).

Set-up: ONE embedded PostgreSQL (\`bench database\`, as the gateway starts its own: \`synchronous_commit=on\`, every
audit record's commit waits for its WAL flush) and the packaged jar started twice against it at the same time
(\`--beeldbrug.db.url\`), default pool sizes (what ships), default JVM options${GATEWAY_JAVA_OPTS:+ plus \`$GATEWAY_JAVA_OPTS\`}.
**g** = guarded: as shipped (ReleaseGuard → ConsentService reads the patient's Consents and decides each item; one
hash-chained audit record per request, appended under the chain's advisory lock in the request thread).
**u** = unguarded: profile \`bench-unguarded\` (ReleaseGuard a pass-through, audit queue dropping every record;
started with \`BEELDBRUG_BENCH_UNGUARDED=measure-only\`). Only one gateway is loaded at a time, the other idles.
Warm-up: $WARMUP_ROUNDS pairs of ${WARMUP_SECONDS}-s phases at $WARMUP_RATE req/s per path and gateway, all before
anything is measured. Then per path and rate $ROUNDS rounds of two ${PHASE_SECONDS}-s phases, one per gateway (g
first in odd rounds, u first in even ones; the same random patient sequence in both phases of a round, a new one
each round), 1 s idle before each phase, at most $MAX_IN_FLIGHT requests in flight (a due request waits for
a slot with its clock running), sending stops $GRACE_SECONDS s after a phase's planned end (the rest counts as
errors, "not sent"); open model (latency from the intended start, no coordinated omission).
ITI-18 first, then the prior check (\`GET /fhir/ImagingStudy/\$prior-check?patient=<BSN>&code=http://loinc.org|24627-2\`).
CPU = user + system time of the gateway JVM, and of the postmaster with all its backends (both gateways' idle
connections included), over the phase, divided by its requests. Audit records written during the run (newest
audit event id before ${AUDIT0:-?}, after ${AUDIT1:-?}): $(( ${AUDIT1:-0} - ${AUDIT0:-0} )) for $G_REQUESTS requests sent to g,
warm-up included (u writes none).

$(cat "$WORK/consent-cost.md")
${NOTE:+
$NOTE}
EOT
)
append_results "$SECTION"
