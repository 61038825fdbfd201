#!/usr/bin/env bash
# The cost of consent + audit (issue 6) on ITI-18 FindDocuments and the prior check, in ONE run: one corpus (bulk
# loader + Consents for a share of the patients), the packaged jar started twice on the same database one after
# the other — guarded (normal) and with the benchmark-only profile bench-unguarded (pass-through consent gate, no
# audit records; it refuses to start without BEELDBRUG_BENCH_UNGUARDED=measure-only, set here only for that JVM) —
# each driven by the same open-model load (fixed arrival rates, latency from the intended start).
#
#   bench/run-consent-cost.sh
#   STUDIES=2000 RATES=20 SECONDS_PER_RATE=5 WARMUP_SECONDS=5 RESULTS=- bench/run-consent-cost.sh   # a smoke run
#
# Environment (defaults in brackets):
#   STUDIES [100000]  PATIENTS [STUDIES/5]  CONSENT_SHARE [0.2]  RATES [25,50]  SECONDS_PER_RATE [30]
#   WARMUP_RATE [20]  WARMUP_SECONDS [15]  GATEWAY_JAVA_OPTS []  SKIP_BUILD [0]
#   RESULTS [docs/benchmarks.md] ("-" for nowhere)  NOTE []
# Everything listens on and talks to 127.0.0.1 only. Only processes this script started are stopped.
set -euo pipefail

cd "$(dirname "$0")/.."
STUDIES=${STUDIES:-100000}
PATIENTS=${PATIENTS:-$((STUDIES / 5))}
CONSENT_SHARE=${CONSENT_SHARE:-0.2}
RATES=${RATES:-25,50}
SECONDS_PER_RATE=${SECONDS_PER_RATE:-30}
WARMUP_RATE=${WARMUP_RATE:-20}
WARMUP_SECONDS=${WARMUP_SECONDS:-15}
GATEWAY_JAVA_OPTS=${GATEWAY_JAVA_OPTS:-}
SKIP_BUILD=${SKIP_BUILD:-0}
JFR=0
RESULTS=${RESULTS:-docs/benchmarks.md}
NOTE=${NOTE:-}
WORK=bench/target/consent-cost-$STUDIES
CORPUS=$WORK
COMMAND="STUDIES=$STUDIES PATIENTS=$PATIENTS CONSENT_SHARE=$CONSENT_SHARE RATES=$RATES SECONDS_PER_RATE=$SECONDS_PER_RATE WARMUP_RATE=$WARMUP_RATE WARMUP_SECONDS=$WARMUP_SECONDS${GATEWAY_JAVA_OPTS:+ GATEWAY_JAVA_OPTS=\"$GATEWAY_JAVA_OPTS\"} bench/run-consent-cost.sh"
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
trap cleanup EXIT

# drive MODE (guarded|unguarded): starts the jar, runs both load generators, stops it.
drive() {
  local mode=$1 base_opts=$GATEWAY_JAVA_OPTS
  if [[ $mode == unguarded ]]; then
    GATEWAY_JAVA_OPTS="$base_opts -Dspring.profiles.active=bench-unguarded"
    export BEELDBRUG_BENCH_UNGUARDED=measure-only
  fi
  start_gateway
  unset BEELDBRUG_BENCH_UNGUARDED
  GATEWAY_JAVA_OPTS=$base_opts
  cp "$WORK/gateway.log" "$WORK/gateway-$mode.log.start"
  if [[ $mode == unguarded ]]; then
    grep -q "NO CONSENT CHECK AND NO AUDIT TRAIL" "$WORK/gateway.log" || { log "the unguarded profile is not on"; exit 1; }
  else
    grep -q "NO CONSENT CHECK" "$WORK/gateway.log" && { log "the guarded gateway runs unguarded"; exit 1; }
  fi
  local audit0
  audit0=$(curl -fsS "http://127.0.0.1:$MPORT/actuator/audittrail" 2>/dev/null | head -c 300 || true)
  log "$mode: ITI-18 (load average $(loadavg))"
  java -jar "$BENCH_JAR" iti18 --url "http://127.0.0.1:$PORT/services/registry/iti18" --patients "$PATIENTS" \
    --rates "$RATES" --seconds "$SECONDS_PER_RATE" --warmup-rate "$WARMUP_RATE" --warmup-seconds "$WARMUP_SECONDS" \
    --markdown "$WORK/iti18-$mode.md" > "$WORK/iti18-$mode.log" 2>&1 || log "$mode ITI-18: generator rc $?"
  log "$mode: prior check (load average $(loadavg))"
  java -jar "$BENCH_JAR" prior-check --base "http://127.0.0.1:$PORT/fhir" --patients "$PATIENTS" \
    --rates "$RATES" --seconds "$SECONDS_PER_RATE" --warmup-rate "$WARMUP_RATE" --warmup-seconds "$WARMUP_SECONDS" \
    --markdown "$WORK/prior-$mode.md" > "$WORK/prior-$mode.log" 2>&1 || log "$mode prior check: generator rc $?"
  echo "$mode: audit trail before: $audit0" >> "$WORK/audit.txt"
  echo "$mode: audit trail after: $(curl -fsS "http://127.0.0.1:$MPORT/actuator/audittrail" 2>/dev/null | head -c 300 || true)" >> "$WORK/audit.txt"
  cp "$WORK/gateway.log" "$WORK/gateway-$mode.log"
  cleanup
}

: > "$WORK/audit.txt"
LOAD_BEFORE_RUN=$(loadavg)
RUN_T0=$(date +%s)
drive guarded
drive unguarded
RUN_T1=$(date +%s)
LOAD_AFTER_RUN=$(loadavg)

# rows of a results table: rate|requests|ok|errors|throughput|p50|p99|p99.9
rows() { awk -F'|' 'NR > 2 { for (i = 2; i <= NF; i++) gsub(/^ +| +$/, "", $i); print $2 "|" $4 "|" $5 "|" $6 "|" $7 "|" $8 "|" $10 "|" $11 }' "$1"; }
side_by_side() {
  local name=$1 g=$2 u=$3
  paste -d'#' <(rows "$g") <(rows "$u") | awk -F'#' -v n="$name" '{
    split($1, a, "|"); split($2, b, "|");
    printf "| %s | %s | %s / %s | %s / %s | %s | %s | %.2f | %s | %s | %.2f | %s | %s | %.2f | %s | %s | %.2f |\n",
      n, a[1], a[4], b[4], a[3], b[3],
      a[5], b[5], (b[5] > 0 ? a[5] / b[5] : 0),
      a[6], b[6], (b[6] > 0 ? a[6] / b[6] : 0),
      a[7], b[7], (b[7] > 0 ? a[7] / b[7] : 0),
      a[8], b[8], (b[8] > 0 ? a[8] / b[8] : 0) }'
}
TABLE=$(
  echo "| path | target req/s | errors g / u | ok g / u | throughput g | throughput u | ratio | p50 ms g | p50 ms u | ratio | p99 ms g | p99 ms u | ratio | p99.9 ms g | p99.9 ms u | ratio |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  side_by_side "ITI-18 FindDocuments" "$WORK/iti18-guarded.md" "$WORK/iti18-unguarded.md"
  side_by_side "\$prior-check" "$WORK/prior-guarded.md" "$WORK/prior-unguarded.md"
)
echo "$TABLE"

SECTION=$(cat <<EOT

## Cost of consent + audit: ITI-18 FindDocuments and \$prior-check, with vs without, same run — $(date -u +'%Y-%m-%d %H:%M UTC')

Command: \`$COMMAND\` ($(commit_note)).

Machine: $(machine). **Shared and loaded**: other engineers' builds and tests ran at the same time. Load average
(1/5/15 min) before the build $LOAD_BEFORE_BUILD, before the run $LOAD_BEFORE_RUN, after it $LOAD_AFTER_RUN
(the two gateways ran one after the other, $((RUN_T1 - RUN_T0)) s in all, so they did not see the same background load).

Corpus: $(summary studies) studies ($(summary document_entries) DocumentEntries), $(summary patients) patients, seed
$(summary seed); Consents ($CONSENT_SHARE of the patients): ${CONSENTS#consents: }. Every answer stays non-empty
(a study-specific deny only for patients with more than one study), so the two modes return comparable work.

**g** = guarded: the packaged jar as shipped (ReleaseGuard → ConsentService reads the patient's Consents and decides
each item; one hash-chained audit record per request in PostgreSQL). **u** = unguarded: the same jar and database
with the benchmark-only profile \`bench-unguarded\` (ReleaseGuard a pass-through, audit queue dropping every record;
started with \`BEELDBRUG_BENCH_UNGUARDED=measure-only\`). Ratio = g / u (latency: > 1 is the cost; throughput:
< 1 is the cost). Each path: warm-up ${WARMUP_RATE} req/s for ${WARMUP_SECONDS} s, then ${SECONDS_PER_RATE} s per
rate, open model (latency from the intended start, no coordinated omission); ITI-18 first, then the prior check
(\`GET /fhir/ImagingStudy/\$prior-check?patient=<BSN>&code=http://loinc.org|24627-2\`), random corpus patients.

$TABLE

Full tables: guarded ITI-18 / prior check, then unguarded.

$(cat "$WORK/iti18-guarded.md")

$(cat "$WORK/prior-guarded.md")

$(cat "$WORK/iti18-unguarded.md")

$(cat "$WORK/prior-unguarded.md")
${NOTE:+
$NOTE}
EOT
)
append_results "$SECTION"
