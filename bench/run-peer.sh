#!/usr/bin/env bash
# The peer, side by side (issue 9): the HAPI FHIR JPA server 8.8.0 (bench-peer/) on the same PostgreSQL, loaded
# with the same generated corpus as FHIR transaction bundles, measured as the other run-*.sh measure Beeldbrug:
# start-up to ready, load rate, database bytes, RSS, ImagingStudy searches (patient= and the chained
# patient.identifier= form) at fixed rates, and the single-resource POST rate.
#
#   CORPUS=/work/benchdata/national-100000 bench/run-peer.sh            # starts its own PostgreSQL
#   CORPUS=… JDBC_URL=jdbc:postgresql://localhost:PORT/postgres bench/run-peer.sh   # a running one (e.g. `database`)
#
# Environment (defaults in brackets):
#   CORPUS (required): the generator's output directory (fhir/organizations.json, fhir/bundle-*.json)
#   JDBC_URL []: a running PostgreSQL (any database of it); the peer uses the database `peer` of that server,
#     created when missing. Empty: `beeldbrug-bench database` is started on PG_DIR and stopped at the end.
#   PG_DIR [$WORK/pg]  PG_USER [postgres]  PG_PASSWORD []
#   WORK [bench/target/peer-<corpus name>]: this run's files; the figures go to $WORK/peer-results.properties
#     and $WORK/peer-results.md
#   RATES [100,200,400]  IDENTIFIER_RATES [RATES] (the chained patient.identifier= form; it saturates far lower)  READ_RATES [100] (reads by id after each search form)  SECONDS_PER_RATE [30]  WARMUP_RATE [50]  WARMUP_SECONDS [20]  POOL [20000]
#   POST_RATES [100,250,500]  LOAD_CONCURRENCY [4]  PEER_POOL_SIZE [10]  PEER_JAVA_OPTS []
#   PEER_STUDIES []: load only the first bundles, up to this many studies (peer-load --max-studies); empty: all.
#     The searches draw from the whole corpus: with a part loaded, use SEARCHES=0 or a corpus of that size.
#   SEARCHES [1]: 0 skips the search phases; POSTS [1]: 0 skips peer-post
#   SKIP_BUILD [0]: 1 uses bench-peer/target/beeldbrug-peer.jar and bench/target/beeldbrug-bench.jar as they are
#   RESULTS [-]: where the Markdown section is appended ("-": printed only)
# Everything listens on and talks to 127.0.0.1 only. Only processes this script started are stopped.
set -euo pipefail

cd "$(dirname "$0")/.."
: "${CORPUS:?CORPUS must name the generator output directory}"
CORPUS=$(cd "$CORPUS" && pwd)
WORK=${WORK:-bench/target/peer-$(basename "$CORPUS")}
JDBC_URL=${JDBC_URL:-}
PG_DIR=${PG_DIR:-$WORK/pg}
PG_USER=${PG_USER:-postgres}
PG_PASSWORD=${PG_PASSWORD:-}
RATES=${RATES:-100,200,400}
SECONDS_PER_RATE=${SECONDS_PER_RATE:-30}
WARMUP_RATE=${WARMUP_RATE:-50}
WARMUP_SECONDS=${WARMUP_SECONDS:-20}
POOL=${POOL:-20000}
READ_RATES=${READ_RATES:-100}
IDENTIFIER_RATES=${IDENTIFIER_RATES:-$RATES}
POST_RATES=${POST_RATES:-100,250,500}
LOAD_CONCURRENCY=${LOAD_CONCURRENCY:-4}
PEER_POOL_SIZE=${PEER_POOL_SIZE:-10}
PEER_JAVA_OPTS=${PEER_JAVA_OPTS:-}
PEER_STUDIES=${PEER_STUDIES:-}
SEARCHES=${SEARCHES:-1}
POSTS=${POSTS:-1}
SKIP_BUILD=${SKIP_BUILD:-0}
RESULTS=${RESULTS:--}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
# shellcheck source=bench/lib.sh
. bench/lib.sh

describe_build
if [[ $SKIP_BUILD != 1 ]]; then
  log "building bench-peer (its own Maven project, HAPI FHIR JPA server 8.8.0) and bench"
  ./mvnw -B -q -f bench-peer/pom.xml package -DskipTests
  ./mvnw -B -q -o -pl bench -am package -Dmaven.test.skip=true
fi
cp bench-peer/target/beeldbrug-peer.jar "$WORK/beeldbrug-peer.jar"
cp bench/target/beeldbrug-bench.jar "$WORK/beeldbrug-bench.jar"
PEER_JAR=$WORK/beeldbrug-peer.jar
BENCH_JAR=$WORK/beeldbrug-bench.jar

DB_PID=""
PEER_PID=""
SAMPLER_PID=""
stop_pid() { # pid, name
  [[ -n $1 ]] && kill -0 "$1" 2>/dev/null || return 0
  log "stopping $2 (pid $1)"
  kill -TERM "$1" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$1" 2>/dev/null || return 0; sleep 1; done
  kill -KILL "$1" 2>/dev/null || true
}
peer_cleanup() {
  [[ -n $SAMPLER_PID ]] && kill "$SAMPLER_PID" 2>/dev/null || true
  stop_pid "$PEER_PID" "the peer"; PEER_PID=""
  stop_pid "$DB_PID" "PostgreSQL (database command)"; DB_PID=""
}
trap peer_cleanup EXIT

if [[ -z $JDBC_URL ]]; then
  rm -f "$WORK/pg.url"
  log "starting PostgreSQL on $PG_DIR (beeldbrug-bench database)"
  java -jar "$BENCH_JAR" database --data-dir "$PG_DIR" --url-file "$WORK/pg.url" > "$WORK/database.log" 2>&1 &
  DB_PID=$!
  for _ in $(seq 1 300); do [[ -s $WORK/pg.url ]] && break; kill -0 "$DB_PID" 2>/dev/null || { log "database failed; see $WORK/database.log"; exit 1; }; sleep 1; done
  JDBC_URL=$(head -1 "$WORK/pg.url")
fi
# the same server, the database `peer` (query string kept)
PEER_URL=$(echo "$JDBC_URL" | sed -E 's#^(jdbc:postgresql://[^/]+/)[^?]*#\1peer#')

PORT=$(free_port)
BASE=http://127.0.0.1:$PORT/fhir
log "starting the peer on $BASE ($PEER_URL)"
T0=$(date +%s.%N)
# shellcheck disable=SC2086
java $PEER_JAVA_OPTS -jar "$PEER_JAR" --port "$PORT" --jdbc-url "$PEER_URL" --user "$PG_USER" --password "$PG_PASSWORD" \
  --pool-size "$PEER_POOL_SIZE" > "$WORK/peer.log" 2>&1 &
PEER_PID=$!
until curl -fsS -o /dev/null "$BASE/metadata" 2>/dev/null; do
  kill -0 "$PEER_PID" 2>/dev/null || { log "the peer exited; see $WORK/peer.log"; exit 1; }
  (( $(date +%s) - ${T0%.*} > ${READY_TIMEOUT:-900} )) && { log "the peer is not ready after ${READY_TIMEOUT:-900} s"; exit 1; }
  sleep 0.2
done
START_SECONDS=$(awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
READY_LINE=$(grep -m1 'peer ready' "$WORK/peer.log" || true)
log "peer ready after $START_SECONDS s: $READY_LINE"
( while kill -0 "$PEER_PID" 2>/dev/null; do
    printf '%s %s %s\n' "$(date +%s)" "$(awk '/^VmRSS:/ { print $2 }' "/proc/$PEER_PID/status" 2>/dev/null)" "$(cut -d' ' -f1 /proc/loadavg)"
    sleep 2
  done ) > "$WORK/samples.txt" &
SAMPLER_PID=$!

RESTART=""
grep -q 'database created' "$WORK/peer.log" && RESTART="--restart"
log "loading the corpus's bundles into the peer${RESTART:+ (new database: recorded progress forgotten)}"
java -jar "$BENCH_JAR" peer-load --base "$BASE" --corpus "$CORPUS" --concurrency "$LOAD_CONCURRENCY" $RESTART \
  ${PEER_STUDIES:+--max-studies "$PEER_STUDIES"} 2>&1 | tee "$WORK/peer-load.log"
[[ ${PIPESTATUS[0]} == 0 ]] || { log "peer-load failed; see $WORK/peer-load.log and $WORK/peer.log"; exit 1; }
LOAD_LINE=$(grep '^peer-load: .* bundles loaded' "$WORK/peer-load.log" | tail -1)
LOAD_RPS=$(echo "$LOAD_LINE" | sed -nE 's/.* ([0-9]+) resources\/s.*/\1/p')
LOAD_SPS=$(echo "$LOAD_LINE" | sed -nE 's/.* ([0-9]+) studies\/s.*/\1/p')
LOAD_SECONDS=$(echo "$LOAD_LINE" | sed -nE 's/.* in ([0-9.]+) s:.*/\1/p')
if [[ $LOAD_LINE == "peer-load: 0 bundles loaded"* ]]; then
  LOAD_RPS=""; LOAD_SPS=""; LOAD_SECONDS=""   # everything was loaded before: no rate to report
fi

java -jar "$BENCH_JAR" peer-size --jdbc-url "$PEER_URL" --user "$PG_USER" --password "$PG_PASSWORD" > "$WORK/size.properties"
DB_BYTES=$(sed -n 's/^db_bytes=//p' "$WORK/size.properties")
STUDIES=$(sed -n 's/^studies=//p' "$WORK/size.properties")
PER_MILLION=$(awk -v b="$DB_BYTES" -v n="${STUDIES:-0}" 'BEGIN { if (n > 0) printf "%.0f", b / n * 1000000; else print "" }')
log "peer database: $DB_BYTES bytes for ${STUDIES:-?} studies ($PER_MILLION bytes per million studies)"

RUN_START=$(date +%s)
SEARCH_ROWS=""
# The figures of a load table in Markdown (stdin) as properties: <kind>_<name>_<rate>_{throughput,p50_ms,p99_ms,p999_ms,errors}
# for an open-model row (columns: target rate, duration, requests, ok, errors, throughput, p50, p90, p99, p99.9, …) and
# closed_<name or $2>_<connections>_… for a closed-model row (connections, duration, ok, errors, throughput, p50, p90, p99,
# p99.9, …). <kind> is "search" or "read" by the heading above the table, or $2 when given (then no _<name>).
markdown_rows() {
  awk -F'|' -v n="$1" -v fixed="${2:-}" '
    BEGIN { k = fixed == "" ? "search" : fixed }
    /^Read/ { k = "read"; closed = 0 } /^Search/ { k = "search"; closed = 0 } /^Closed/ { closed = 1 }
    /^\| [0-9]/ {
      for (i = 2; i <= NF; i++) gsub(/[ ,]/, "", $i)
      if (closed) { p = "closed_" (n == "" ? fixed : n) "_" $2; t = $6; p50 = $7; p99 = $9; p999 = $10; e = $5 }
      else { p = (fixed == "" ? k "_" n : fixed) "_" $2; t = $7; p50 = $8; p99 = $10; p999 = $11; e = $6 }
      printf "%s_throughput=%s\n%s_p50_ms=%s\n%s_p99_ms=%s\n%s_p999_ms=%s\n%s_errors=%s\n", p, t, p, p50, p, p99, p, p999, p, e }'
}
run_search() { # name, rates, extra fhir options...
  local name=$1 rates=$2; shift 2
  log "searches ($name) at $rates req/s"
  set +e
  java -jar "$BENCH_JAR" fhir "$URL_OPT" "$BASE" "$@" --pool "$POOL" --rates "$rates" --read-rates "$READ_RATES" \
    --seconds "$SECONDS_PER_RATE" --warmup-rate "$WARMUP_RATE" --warmup-seconds "$WARMUP_SECONDS" \
    --markdown "$WORK/search-$name.md" 2>&1 | tee "$WORK/search-$name.log"
  local rc=${PIPESTATUS[0]}
  set -e
  [[ $rc == 0 ]] || log "the $name searches failed (rc $rc); see $WORK/search-$name.log"
  # search_<form>_<rate>_… and read_<form>_<rate>_… from the Markdown tables (headed "Search …:" / "Read …:"), and
  # closed_<form>_<connections>_… from the closed-model table (headed "Closed model …", its own columns)
  [[ -s $WORK/search-$name.md ]] && SEARCH_ROWS+=$(markdown_rows "$name" < "$WORK/search-$name.md")$'\n'
  return 0
}
FHIR_HELP=$(java -jar "$BENCH_JAR" fhir --help 2>&1 || true)
URL_OPT=--url
grep -q -- '--base' <<< "$FHIR_HELP" && URL_OPT=--base
if [[ $SEARCHES == 1 ]] && ! grep -q -- '--corpus' <<< "$FHIR_HELP"; then
  log "the fhir command does not read a generated corpus (--corpus) in this build: searches skipped"
  SEARCHES=0
fi
if [[ $SEARCHES == 1 ]]; then
  # FHIR_PATIENT_ARGS / FHIR_IDENTIFIER_ARGS: the `fhir` options choosing the corpus and the search form
  # (patient=Patient/p<n> and the chained patient.identifier=<bsn>, each with modality and started)
  # shellcheck disable=SC2086
  run_search patient "$RATES" ${FHIR_PATIENT_ARGS:---corpus $CORPUS --patient-param reference}
  # shellcheck disable=SC2086
  run_search identifier "$IDENTIFIER_RATES" ${FHIR_IDENTIFIER_ARGS:---corpus $CORPUS --patient-param identifier}
fi
POST_ROWS=""
if [[ $POSTS == 1 ]]; then
  log "single-resource POST ImagingStudy at $POST_RATES req/s"
  set +e
  java -jar "$BENCH_JAR" peer-post --base "$BASE" --rates "$POST_RATES" --seconds "$SECONDS_PER_RATE" \
    --warmup-rate "$WARMUP_RATE" --warmup-seconds "$WARMUP_SECONDS" --markdown "$WORK/post.md" 2>&1 | tee "$WORK/post.log"
  set -e
  [[ ! -s $WORK/post.md ]] || POST_ROWS=$(markdown_rows "" post < "$WORK/post.md")
fi
RUN_END=$(date +%s)
RSS_MAX_MB=$(awk '$2 > m { m = $2 } END { printf "%d", m / 1024 }' "$WORK/samples.txt")
LOAD_STATS=$(awk -v s="$RUN_START" -v e="$RUN_END" '$1 >= s && $1 <= e { n++; t += $3; if ($3 > mx) mx = $3; if (mn == "" || $3 < mn) mn = $3 }
  END { if (n) printf "min %.2f, mean %.2f, max %.2f", mn, t / n, mx; else print "-" }' "$WORK/samples.txt")
peer_cleanup

{
  echo "peer=HAPI FHIR JPA server 8.8.0"
  echo "corpus=$CORPUS"
  echo "start_seconds=$START_SECONDS"
  echo "load_resources_per_second=$LOAD_RPS"
  echo "load_studies_per_second=$LOAD_SPS"
  echo "load_seconds=$LOAD_SECONDS"
  echo "studies=$STUDIES"
  echo "db_bytes=$DB_BYTES"
  echo "db_bytes_per_million_studies=$PER_MILLION"
  echo "rss_max_mb=$RSS_MAX_MB"
  printf '%s' "$SEARCH_ROWS"
  if [[ -n $POST_ROWS ]]; then printf '%s\n' "$POST_ROWS"; fi
} > "$WORK/peer-results.properties"

section() {
  echo
  echo "## The peer (HAPI FHIR JPA server 8.8.0), $(printf "%'d" "${STUDIES:-0}") studies — $(date -u +'%Y-%m-%d %H:%M UTC')"
  echo
  echo "Command: \`CORPUS=$CORPUS RATES=$RATES IDENTIFIER_RATES=$IDENTIFIER_RATES POST_RATES=$POST_RATES SECONDS_PER_RATE=$SECONDS_PER_RATE bench/run-peer.sh\` ($(commit_note))."
  echo "Machine: $(machine). Load average during the measured phases: $LOAD_STATS."
  echo
  echo "| figure | value |"
  echo "|---|---:|"
  echo "| start-up to ready (JVM start to \`/fhir/metadata\` 200) | $START_SECONDS s |"
  echo "| load (transaction bundles, $LOAD_CONCURRENCY in flight) | ${LOAD_RPS:-?} resources/s, ${LOAD_SPS:-?} studies/s, ${LOAD_SECONDS:-?} s |"
  echo "| database \`peer\` (pg_database_size) | $(printf "%'d" "${DB_BYTES:-0}") bytes, $(printf "%'d" "${PER_MILLION:-0}") bytes per million studies |"
  echo "| RSS max | $RSS_MAX_MB MB |"
  local n
  for n in patient identifier; do
    if [[ -s $WORK/search-$n.md ]]; then
      echo; echo "Searches, \`$n\` form:"; echo; cat "$WORK/search-$n.md"
    fi
  done
  if [[ -s $WORK/post.md ]]; then
    echo; cat "$WORK/post.md"
  fi
}
SECTION=$(section)
printf '%s\n' "$SECTION" > "$WORK/peer-results.md"
append_results "$SECTION"
log "figures in $WORK/peer-results.properties"
