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
CORPUS=$WORK
COMMAND="STUDIES=$STUDIES PATIENTS=$PATIENTS RATES=$RATES SECONDS_PER_RATE=$SECONDS_PER_RATE WARMUP_RATE=$WARMUP_RATE WARMUP_SECONDS=$WARMUP_SECONDS${GATEWAY_JAVA_OPTS:+ GATEWAY_JAVA_OPTS=\"$GATEWAY_JAVA_OPTS\"}$( [[ $JFR == 1 ]] && echo " JFR=1" || true ) bench/run-iti18.sh"
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
java -jar "$BENCH_JAR" iti18 --url "http://127.0.0.1:$PORT/services/registry/iti18" --patients "$PATIENTS" \
  --rates "$RATES" --seconds "$SECONDS_PER_RATE" --warmup-rate "$WARMUP_RATE" --warmup-seconds "$WARMUP_SECONDS" \
  --markdown "$WORK/results.md" 2>&1 | tee "$WORK/iti18.log"
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
REQUESTS=$(awk -F'|' 'NR > 2 { gsub(/[ ,]/, "", $5); s += $5 } END { print s }' "$WORK/results.md")
WARM_OK=$(grep -o 'warm-up: *[0-9]* req/s target: [0-9,]* ok' "$WORK/iti18.log" | grep -o '[0-9,]* ok' | tr -d ', ok' || echo 0)
ALL_OK=$(( REQUESTS + ${WARM_OK:-0} ))
cpu_ms() { awk -v a="$1" -v b="$2" -v n="$ALL_OK" 'BEGIN { if (n > 0) printf "%.2f", (b - a) * 1000 / n; else print "-" }'; }

SECTION=$(cat <<EOF

## ITI-18 FindDocuments, $(summary document_entries) DocumentEntries — $(date -u +'%Y-%m-%d %H:%M UTC')

Command: \`$COMMAND\` ($(commit_note)).

Machine: $(machine). Load average (1/5/15 min) before the
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
other processes ran on the machine (see the load averages); the audit record each query writes is committed
with the gateway's embedded PostgreSQL setting (\`synchronous_commit=on\`, a WAL flush per commit, since commit
068e253; \`off\` before it).${NOTE:+ $NOTE}
EOF
)
append_results "$SECTION"
