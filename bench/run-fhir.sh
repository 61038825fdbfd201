#!/usr/bin/env bash
# FHIR ImagingStudy benchmark: the packaged gateway jar with the benchmark corpus (default 1,000,000
# studies, each a KOS manifest + report), under an open-model load at fixed rates:
# ImagingStudy?patient.identifier=<bsn>&modality=<code>&started=ge<date> searches drawn from the corpus
# (each answer's total checked against the corpus), then reads of ImagingStudy/<Study Instance UID>.
#
#   bench/run-fhir.sh                          # build, load (or reuse), run, append to docs/benchmarks.md
#   STUDIES=2000 RATES=20 SECONDS_PER_RATE=5 RESULTS=- bench/run-fhir.sh   # a smoke run
#
# Environment (defaults in brackets):
#   STUDIES [1000000]  PATIENTS [STUDIES/5]  RATES [25,50,100,200]  READ_RATES [100]  SECONDS_PER_RATE [40]
#   WARMUP_RATE [50]  WARMUP_SECONDS [30]  POOL [20000] (distinct searches drawn)  GATEWAY_JAVA_OPTS []
#   SKIP_BUILD [0]  JFR [0]: 1 records a JFR profile of the gateway ($WORK/gateway.jfr)
#   CORPUS [bench/target/iti18-$STUDIES]: the corpus directory, shared with bench/run-iti18.sh (same loader)
#   RESULTS [docs/benchmarks.md]: where the results section is appended ("-" for nowhere)
#   NOTE []: a free-text remark added to the results section
# Everything listens on and talks to 127.0.0.1 only. Only processes this script started are stopped.
set -euo pipefail

cd "$(dirname "$0")/.."
STUDIES=${STUDIES:-1000000}
PATIENTS=${PATIENTS:-$((STUDIES / 5))}
RATES=${RATES:-25,50,100,200}
READ_RATES=${READ_RATES:-100}
SECONDS_PER_RATE=${SECONDS_PER_RATE:-40}
WARMUP_RATE=${WARMUP_RATE:-50}
WARMUP_SECONDS=${WARMUP_SECONDS:-30}
POOL=${POOL:-20000}
GATEWAY_JAVA_OPTS=${GATEWAY_JAVA_OPTS:-}
SKIP_BUILD=${SKIP_BUILD:-0}
JFR=${JFR:-0}
RESULTS=${RESULTS:-docs/benchmarks.md}
NOTE=${NOTE:-}
CORPUS=${CORPUS:-bench/target/iti18-$STUDIES}
WORK=bench/target/fhir-$STUDIES
COMMAND="STUDIES=$STUDIES PATIENTS=$PATIENTS RATES=$RATES READ_RATES=$READ_RATES SECONDS_PER_RATE=$SECONDS_PER_RATE WARMUP_RATE=$WARMUP_RATE WARMUP_SECONDS=$WARMUP_SECONDS POOL=$POOL${GATEWAY_JAVA_OPTS:+ GATEWAY_JAVA_OPTS=\"$GATEWAY_JAVA_OPTS\"}$( [[ $JFR == 1 ]] && echo " JFR=1" || true ) bench/run-fhir.sh"
mkdir -p "$WORK"
# shellcheck source=bench/lib.sh
. bench/lib.sh

LOAD_BEFORE_BUILD=$(loadavg)
describe_build
build_and_copy_jars
load_corpus
trap cleanup EXIT
start_gateway
start_sampler

GW_CPU0=$(cpu_of "$GW_PID"); PG_CPU0=$(pg_cpu); RUN_START=$(date +%s)
LOAD_BEFORE_RUN=$(loadavg)
log "running the load generator (load average before: $LOAD_BEFORE_RUN)"
set +e
java -jar "$BENCH_JAR" fhir --url "http://127.0.0.1:$PORT/fhir" --studies "$STUDIES" --patients "$PATIENTS" \
  --pool "$POOL" --rates "$RATES" --read-rates "$READ_RATES" --seconds "$SECONDS_PER_RATE" \
  --warmup-rate "$WARMUP_RATE" --warmup-seconds "$WARMUP_SECONDS" \
  --markdown "$WORK/results.md" 2>&1 | tee "$WORK/fhir.log"
GEN_RC=${PIPESTATUS[0]}
set -e
RUN_END=$(date +%s)
GW_CPU1=$(cpu_of "$GW_PID"); PG_CPU1=$(pg_cpu)
LOAD_AFTER_RUN=$(loadavg)
PG_PSS=$(pg_pss_mb)
cleanup
[[ $GEN_RC == 0 && -s $WORK/results.md ]] || { log "the load generator failed (rc $GEN_RC)"; exit 1; }

# ---------------------------------------------------------------- report
sample_stats
# successful requests of all phases (column 5 of the table rows) and of the warm-up
REQUESTS=$(awk -F'|' '/^\| [0-9]/ { gsub(/[ ,]/, "", $5); s += $5 } END { print s + 0 }' "$WORK/results.md")
WARM_OK=$(grep -o 'warm-up: *[0-9]* req/s target: [0-9,]* ok' "$WORK/fhir.log" | grep -o '[0-9,]* ok' | tr -d ', ok' || echo 0)
ALL_OK=$(( REQUESTS + ${WARM_OK:-0} ))
cpu_ms() { awk -v a="$1" -v b="$2" -v n="$ALL_OK" 'BEGIN { if (n > 0) printf "%.2f", (b - a) * 1000 / n; else print "-" }'; }
DRAWN=$(grep -o '[0-9.]* studies expected per search on average' "$WORK/fhir.log" | cut -d' ' -f1 || true)
ERROR_LINES=$(grep -E '^(search|read): .*errors [1-9]' "$WORK/fhir.log" | sed 's/^/    /' || true)

SECTION=$(cat <<EOF

## FHIR ImagingStudy search and read, $(summary studies) studies — $(date -u +'%Y-%m-%d %H:%M UTC')

Command: \`$COMMAND\` ($(commit_note)).

Machine: $(machine). Load average (1/5/15 min) before the
build $LOAD_BEFORE_BUILD, before the run $LOAD_BEFORE_RUN, after it $LOAD_AFTER_RUN; 1-minute load average during
the run: $LOAD_STATS. Gateway ready ${GW_READY_SECONDS} s after its start.

Corpus: $(summary studies) studies × (KOS manifest + report) = $(summary document_entries) DocumentEntries,
$(summary patients) patients (1 + Poisson(4) studies each), seed $(summary seed), in \`$CORPUS\` (the loader of
\`bench/run-iti18.sh\`). Bulk load: $(summary load_seconds) s (COPY + index rebuild $(summary copy_and_index_seconds) s,
ANALYZE $(summary analyze_seconds) s; loaded $(summary loaded_at)). Database size after the load: $(summary database_size).

Each search: \`GET /fhir/ImagingStudy?patient.identifier=http://fhir.nl/fhir/NamingSystem/bsn|<bsn>&modality=<DCM system>|<code>&started=ge<date>\`
(JSON), one of $POOL searches drawn from the corpus: a random patient, one of their studies, its modality, and a
date 0–3 years before it, so that it finds that study and the patient's other studies of that modality since
(${DRAWN:-?} on average). Each read: \`GET /fhir/ImagingStudy/<Study Instance UID>\` of a random corpus study.
Open model (fixed arrival rate, latency from the intended start), warm-up ${WARMUP_RATE} searches/s for
${WARMUP_SECONDS} s, then ${SECONDS_PER_RATE} s per rate, 10 s pause between phases. An error is anything but
HTTP 200 with exactly the studies the corpus says (Bundle.total and the ImagingStudy entries; for a read, that study),
or a request not sent within the phase's time bound; errors are not in the latency percentiles.

$(cat "$WORK/results.md")
${ERROR_LINES:+
Phases with errors (generator output):

$ERROR_LINES
}
Gateway: RSS at most ${RSS_MAX_MB} MB during the run (default JVM heap settings${GATEWAY_JAVA_OPTS:+, $GATEWAY_JAVA_OPTS});
PostgreSQL PSS ${PG_PSS} MB at the end. CPU per successful request (warm-up included, searches and reads together):
gateway JVM $(cpu_ms "$GW_CPU0" "$GW_CPU1") ms, PostgreSQL $(cpu_ms "$PG_CPU0" "$PG_CPU1") ms.

What distorts these numbers: the load generator runs on the same $(nproc) cores as the gateway and its database;
other processes ran on the machine (see the load averages); every request writes an audit record into the same
database, with the gateway's embedded PostgreSQL setting (\`synchronous_commit=on\`, a WAL flush per commit, since
commit 068e253; \`off\` before it).${NOTE:+ $NOTE}
EOF
)
append_results "$SECTION"
