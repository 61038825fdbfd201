#!/usr/bin/env bash
# Prior check at national scale (issue 5): GET /fhir/ImagingStudy/$prior-check?patient=<BSN>&code=<LOINC> against the
# packaged gateway jar on a lean corpus (`load --lean`: one SubmissionSet per patient, a KOS manifest per study, a
# report for one study in REPORT_EVERY), open-model load at rising fixed rates until it saturates. The corpus is loaded
# by the generator through COPY at any size (`replicate`, which grew a base inside PostgreSQL, went with the packed
# metadata of V15: its rows cannot be rewritten in SQL).
#
#   STUDIES=1000000 bench/run-prior-check.sh
#   STUDIES=10000000 bench/run-prior-check.sh        # ~1 h of loading on 2 quiet cores
#   STUDIES=2000 RATES=10,20 SECONDS_PER_RATE=5 WARMUP_SECONDS=5 RESULTS=- bench/run-prior-check.sh
#
# Environment (defaults in brackets):
#   STUDIES [1000000]  PATIENTS [STUDIES/5]  REPORT_EVERY [10]
#   RATES [10,25,50,100,200]  SECONDS_PER_RATE [30]  WARMUP_RATE [10]  WARMUP_SECONDS [20]
#   CODE [http://loinc.org|24627-2] (the planned exam; CT chest)  GATEWAY_JAVA_OPTS []  SKIP_BUILD [0]  JFR [0]
#   READY_TIMEOUT [600] (s to wait for the gateway)  CORPUS [bench/target/prior-check-$STUDIES]  RESULTS [docs/benchmarks.md] ("-" for nowhere)  NOTE []
# Everything listens on and talks to 127.0.0.1 only. Only processes this script started are stopped.
set -euo pipefail

cd "$(dirname "$0")/.."
STUDIES=${STUDIES:-1000000}
PATIENTS=${PATIENTS:-$((STUDIES / 5))}
REPORT_EVERY=${REPORT_EVERY:-10}
RATES=${RATES:-10,25,50,100,200}
SECONDS_PER_RATE=${SECONDS_PER_RATE:-30}
WARMUP_RATE=${WARMUP_RATE:-10}
WARMUP_SECONDS=${WARMUP_SECONDS:-20}
CODE=${CODE:-http://loinc.org|24627-2}
GATEWAY_JAVA_OPTS=${GATEWAY_JAVA_OPTS:-}
SKIP_BUILD=${SKIP_BUILD:-0}
JFR=${JFR:-0}
RESULTS=${RESULTS:-docs/benchmarks.md}
NOTE=${NOTE:-}
CORPUS=${CORPUS:-bench/target/prior-check-$STUDIES}
WORK=$CORPUS/run
COMMAND="STUDIES=$STUDIES PATIENTS=$PATIENTS REPORT_EVERY=$REPORT_EVERY RATES=$RATES SECONDS_PER_RATE=$SECONDS_PER_RATE WARMUP_RATE=$WARMUP_RATE WARMUP_SECONDS=$WARMUP_SECONDS${GATEWAY_JAVA_OPTS:+ GATEWAY_JAVA_OPTS=\"$GATEWAY_JAVA_OPTS\"}$( [[ $JFR == 1 ]] && echo " JFR=1" || true ) bench/run-prior-check.sh"
mkdir -p "$WORK"
# shellcheck source=bench/lib.sh
. bench/lib.sh

LOAD_BEFORE_BUILD=$(loadavg)
describe_build
build_and_copy_jars

# ---------------------------------------------------------------- corpus (each step a no-op when already done)
log "lean corpus: $STUDIES studies, $PATIENTS patients, into $CORPUS/pg"
java -jar "$BENCH_JAR" load --lean --report-every "$REPORT_EVERY" --data-dir "$CORPUS/pg" --studies "$STUDIES" \
  --patients "$PATIENTS" --summary "$CORPUS/load-summary.txt" 2>&1 | tee "$WORK/load.last.log"
[[ ${PIPESTATUS[0]} == 0 ]] || { log "load failed"; exit 1; }

trap cleanup EXIT
start_gateway
start_sampler

GW_CPU0=$(cpu_of "$GW_PID"); PG_CPU0=$(pg_cpu); RUN_START=$(date +%s)
LOAD_BEFORE_RUN=$(loadavg)
log "running the prior-check load (load average before: $LOAD_BEFORE_RUN)"
set +e
java -jar "$BENCH_JAR" prior-check --base "http://127.0.0.1:$PORT/fhir" --patients "$PATIENTS" --code "$CODE" \
  --rates "$RATES" --seconds "$SECONDS_PER_RATE" --warmup-rate "$WARMUP_RATE" --warmup-seconds "$WARMUP_SECONDS" \
  --markdown "$WORK/results.md" 2>&1 | tee "$WORK/prior-check.log"
GEN_RC=${PIPESTATUS[0]}
set -e
RUN_END=$(date +%s)
GW_CPU1=$(cpu_of "$GW_PID"); PG_CPU1=$(pg_cpu)
LOAD_AFTER_RUN=$(loadavg)
PG_PSS=$(pg_pss_mb)
cleanup
[[ -s $WORK/results.md ]] || { log "the load generator wrote no results (rc $GEN_RC)"; exit 1; }

# ---------------------------------------------------------------- report
sample_stats
REQUESTS=$(awk -F'|' '/^\| [0-9]/ { gsub(/[ ,]/, "", $5); s += $5 } END { print s + 0 }' "$WORK/results.md")
WARM_OK=$(grep -o 'warm-up: *[0-9]* req/s target: [0-9,]* ok' "$WORK/prior-check.log" | grep -o '[0-9,]* ok' | tr -d ', ok' || echo 0)
ALL_OK=$(( REQUESTS + ${WARM_OK:-0} ))
cpu_ms() { awk -v a="$1" -v b="$2" -v n="$ALL_OK" 'BEGIN { if (n > 0) printf "%.2f", (b - a) * 1000 / n; else print "-" }'; }
cpu_share() { awk -v a="$1" -v b="$2" -v t="$((RUN_END - RUN_START))" 'BEGIN { if (t > 0) printf "%.0f", (b - a) * 100 / t; else print "-" }'; }
# the highest throughput of a phase that kept up (throughput >= 95 % of the target rate, no errors)
SUSTAINED=$(awk -F'|' '/^\| [0-9]/ { t = $2 + 0; e = $6; gsub(/[ ,]/, "", e); x = $7; gsub(/[ ,]/, "", x);
  if (e + 0 == 0 && x + 0 >= 0.95 * t && x + 0 > m) { m = x + 0; p50 = $8 + 0; p99 = $10 + 0 } }
  END { if (m > 0) printf "%d checks/s (p50 %s ms, p99 %s ms)", m, p50, p99; else printf "none of the rates" }' "$WORK/results.md")
ERROR_LINES=$(grep -E 'errors [1-9]' "$WORK/prior-check.log" | sed 's/^/    /' || true)
BUILT="loaded by the generator in $(summary load_seconds) s ($(summary studies_per_second) studies/s)"

SECTION=$(cat <<EOT

## Prior check (\$prior-check) at $(summary studies) studies — $(date -u +'%Y-%m-%d %H:%M UTC')

Command: \`$COMMAND\` ($(commit_note)).

Machine: $(machine). **Shared and loaded**: other engineers' builds, tests and benchmarks ran at the same time;
load average (1/5/15 min) before the build $LOAD_BEFORE_BUILD, before the run $LOAD_BEFORE_RUN, after it
$LOAD_AFTER_RUN; 1-minute load average during the run: $LOAD_STATS. The numbers are floors. Gateway ready
${GW_READY_SECONDS} s after its start.

Corpus: $(summary studies) studies, $(summary patients) patients (1 + Poisson(4) studies each), layout
$(summary layout): $(summary document_entries) DocumentEntries, $(summary submission_sets) SubmissionSets,
$(summary report_documents) reports in the repository; $BUILT. Database: $(summary database_size).

Each request: \`GET /fhir/ImagingStudy/\$prior-check?patient=<BSN>&code=$CODE\` for a random corpus patient (consent
and audit on, as shipped). Open model (fixed arrival rate, latency from the intended start), warm-up ${WARMUP_RATE}
req/s for ${WARMUP_SECONDS} s, then ${SECONDS_PER_RATE} s per rate, 10 s pause between phases. An error is anything
but HTTP 200 with at least one ranked study, or a request not sent within the phase's time bound; errors are not in
the percentiles. Highest throughput of a phase that kept up (≥ 95 % of its rate, no errors): **${SUSTAINED}**
(target: 5,000 checks/s, p99 ≤ 10 ms).

$(cat "$WORK/results.md")
${ERROR_LINES:+
Phases with errors (generator output):

$ERROR_LINES
}
Gateway: RSS at most ${RSS_MAX_MB} MB (default JVM heap settings${GATEWAY_JAVA_OPTS:+, $GATEWAY_JAVA_OPTS}); CPU over
the run $(cpu_share "$GW_CPU0" "$GW_CPU1") % of one core (gateway JVM), $(cpu_share "$PG_CPU0" "$PG_CPU1") % (PostgreSQL); per
successful check (warm-up included) gateway $(cpu_ms "$GW_CPU0" "$GW_CPU1") ms, PostgreSQL $(cpu_ms "$PG_CPU0" "$PG_CPU1") ms
CPU. PostgreSQL PSS ${PG_PSS} MB at the end. The load generator runs on the same $(nproc) cores.${NOTE:+

$NOTE}
EOT
)
append_results "$SECTION"
