#!/usr/bin/env bash
# National scale (issue 9), one command: generates the synthetic national corpus, bulk-loads it into Beeldbrug's
# store, and measures the packaged gateway jar — start-up, the prior check (FHIR $prior-check and CDS Hooks
# order-sign), FHIR ImagingStudy search, ITI-18 FindDocuments (open model at fixed arrival rates, cold right after a
# start with dropped caches and warm; closed model at CONNECTIONS), database bytes per million studies, heap and RSS,
# durable ITI-41 registrations/s and recovery after kill -9 — and the peer (HAPI FHIR JPA server, bench-peer/) on the
# same PostgreSQL with the same corpus as FHIR resources: its start-up, load rate, size, RSS, the same ImagingStudy
# searches and its single-resource POST rate. Prints a results table with the ratios, appends it with the machine,
# date and commands to docs/benchmarks.md, adds rows to docs/bench/national.csv and redraws
# docs/bench/latency-vs-corpus.png (latency against corpus size).
#
#   bench/run-national.sh quick     # 1,000,000 studies (the peer 100,000); about 30 minutes on 2 quiet cores
#   bench/run-national.sh full      # 1,000,000 then 10,000,000 studies (~55 GB of disk, ~2.5 h with the peer at 1 M)
#   STUDIES=20000 PEER_STUDIES=20000 SECONDS_PER_RATE=5 RESULTS=- bench/run-national.sh quick    # a smoke run
#
# Environment (defaults in brackets; quick/full set the sizes):
#   STUDIES [quick 1000000 | full "1000000 10000000"] (space-separated, ascending; each size generated and loaded)
#   PEER [1] (0: skip the peer)  PEER_STUDIES [quick 100000 | full 1000000] (studies loaded into the peer, at most the
#   smallest size; the peer's figures are for that corpus)  PEER_RATES [quick 25,50,100,200 | full …,400]
#   PEER_IDENTIFIER_RATES [5,10] (the peer's chained patient.identifier= search)
#   SECONDS_PER_RATE [quick 10 | full 30]  INGEST_SECONDS [quick 30 | full 60]  CONNECTIONS [8]
#   PRIOR_RATES [10,25,50,100,200]  SIGN_RATES [10,50,100]  SEARCH_RATES [25,50,100,200,400]  ITI18_RATES [50,100,200,400]
#   COLD_SECONDS [20]  WARMUP_SECONDS [20]  SEED [20261130]
#   CORPUS_ROOT [bench/target/national-$MODE]  RESULTS [docs/benchmarks.md] ("-" prints only)  CSV [docs/bench/national.csv]
#   PLOT [docs/bench/latency-vs-corpus.png]  SKIP_BUILD [0]  GATEWAY_JAVA_OPTS []  NOTE []
# Everything listens on and talks to 127.0.0.1 only. Only processes this script started are stopped. Cold phases drop
# the kernel's page cache first when run as root (else they are "after a restart" only; the report says which).
set -euo pipefail

cd "$(dirname "$0")/.."
MODE=${1:-quick}
# the command as given: the settings the caller chose, then the script
COMMAND="bench/run-national.sh $MODE"
for v in GATEWAY_JAVA_OPTS SEED PEER_IDENTIFIER_RATES PEER_RATES POST_RATES INGEST_SECONDS COLD_SECONDS ITI18_RATES SEARCH_RATES SIGN_RATES PRIOR_RATES CONNECTIONS \
         SECONDS_PER_RATE PEER_STUDIES PEER STUDIES; do
  [[ -n ${!v:-} ]] && COMMAND="$v=\"${!v}\" $COMMAND"
done
case $MODE in
  quick) DEFAULT_SIZES=1000000; DEFAULT_PEER=100000; DEFAULT_SECONDS=10; DEFAULT_PEER_RATES=25,50,100,200; DEFAULT_INGEST=30 ;;
  full) DEFAULT_SIZES="1000000 10000000"; DEFAULT_PEER=1000000; DEFAULT_SECONDS=30; DEFAULT_PEER_RATES=25,50,100,200,400; DEFAULT_INGEST=60 ;;
  *) echo "usage: bench/run-national.sh quick|full" >&2; exit 2 ;;
esac
SIZES=${STUDIES:-$DEFAULT_SIZES}
PEER=${PEER:-1}
PEER_STUDIES=${PEER_STUDIES:-$DEFAULT_PEER}
SECONDS_PER_RATE=${SECONDS_PER_RATE:-$DEFAULT_SECONDS}
CONNECTIONS=${CONNECTIONS:-8}
PRIOR_RATES=${PRIOR_RATES:-10,25,50,100,200}
SIGN_RATES=${SIGN_RATES:-10,50,100}
SEARCH_RATES=${SEARCH_RATES:-25,50,100,200,400}
ITI18_RATES=${ITI18_RATES:-50,100,200,400}
POST_RATES=${POST_RATES:-100,250,500}
COLD_SECONDS=${COLD_SECONDS:-20}
WARMUP_SECONDS=${WARMUP_SECONDS:-20}
INGEST_SECONDS=${INGEST_SECONDS:-$DEFAULT_INGEST}
PEER_RATES=${PEER_RATES:-$DEFAULT_PEER_RATES}
# the chained patient.identifier= form: the peer answers ~15 req/s of it here; higher rates only queue until timeouts
PEER_IDENTIFIER_RATES=${PEER_IDENTIFIER_RATES:-5,10}
SEED=${SEED:-20261130}
CORPUS_ROOT=${CORPUS_ROOT:-bench/target/national-$MODE}
RESULTS=${RESULTS:-docs/benchmarks.md}
CSV=${CSV:-docs/bench/national.csv}
PLOT=${PLOT:-docs/bench/latency-vs-corpus.png}
SKIP_BUILD=${SKIP_BUILD:-0}
GATEWAY_JAVA_OPTS=${GATEWAY_JAVA_OPTS:-}
NOTE=${NOTE:-}
JFR=0
mkdir -p "$CORPUS_ROOT"
CORPUS_ROOT=$(cd "$CORPUS_ROOT" && pwd)
CORPUS=$CORPUS_ROOT
WORK=$CORPUS_ROOT/run-$(date -u +%Y%m%dT%H%M%S)
mkdir -p "$WORK"
# shellcheck source=bench/lib.sh
. bench/lib.sh
T0=$(date +%s)
LOAD_BEFORE=$(loadavg)
FACTS=$WORK/facts.properties   # key=value figures for the report, prefixed by the corpus size
: > "$FACTS"
fact() { printf '%s=%s\n' "$1" "$2" >> "$FACTS"; }
can_drop_caches() { [[ -w /proc/sys/vm/drop_caches ]]; }
drop_caches() { if can_drop_caches; then sync; echo 3 > /proc/sys/vm/drop_caches; fi; }

# ---------------------------------------------------------------- build (the gateway, the bench tools and the peer)
describe_build
if [[ $SKIP_BUILD != 1 ]]; then
  log "building registry, adapters, gateway and bench"
  ./mvnw -B -q -pl registry,adapters/dicom,adapters/dicomweb,adapters/mitz,gateway,bench -am package -Dmaven.test.skip=true
  if [[ $PEER == 1 ]]; then
    log "building the peer (bench-peer: HAPI FHIR JPA server, its own versions)"
    ./mvnw -B -q -f bench-peer/pom.xml package -DskipTests
  fi
fi
SKIP_BUILD=1 build_and_copy_jars
[[ $PEER == 1 ]] && cp bench-peer/target/beeldbrug-peer.jar "$WORK/beeldbrug-peer.jar"
bench() { java -jar "$BENCH_JAR" "$@"; }

# The national corpus of $1 studies: CORPUS=$CORPUS_ROOT/$1, generated into $CORPUS/corpus (corpus.properties; FHIR
# bundles too when the peer takes this very corpus) and bulk-loaded into $CORPUS/pg; both steps are no-ops when done
# (resumable). The previous size's database is deleted first (disk: ~5–8 GB per million studies).
corpus_for_size() {
  local size=$1 previous=$2 outputs=dicom
  CORPUS=$CORPUS_ROOT/$size
  CORPUS_DIR=$CORPUS/corpus
  [[ $PEER == 1 && $PEER_STUDIES == "$size" ]] && outputs=fhir,dicom
  log "national corpus: $size studies (seed $SEED) in $CORPUS_DIR"
  bench generate --out "$CORPUS_DIR" --studies "$size" --seed "$SEED" --outputs "$outputs" --dicom-patients 20 \
    > "$WORK/generate-$size.log" 2>&1 || { tail -20 "$WORK/generate-$size.log"; log "generate failed"; exit 1; }
  tail -3 "$WORK/generate-$size.log"
  if (( previous > 0 )) && [[ -d $CORPUS_ROOT/$previous/pg ]]; then
    log "deleting the $previous-study database (disk)"
    rm -rf "$CORPUS_ROOT/$previous/pg"
  fi
  PG_DATA=$CORPUS/pg
  log "bulk load into $PG_DATA"
  bench load --lean --corpus "$CORPUS_DIR" --data-dir "$PG_DATA" --summary "$CORPUS_DIR/load-summary.txt" > "$WORK/load-$size.log" 2>&1 \
    || { tail -20 "$WORK/load-$size.log"; log "load failed"; exit 1; }
  grep -E '^(Loaded|Database size|Bytes per study|Check)' "$WORK/load-$size.log" | sed 's/^/    /' || true
  LOAD_SUMMARY=$CORPUS_DIR/load-summary.txt
  CORPUS_PATIENTS=$(sed -n 's/^patients=//p' "$CORPUS_DIR/corpus.properties")
}

# The corpus options of the load commands.
corpus_args() { echo "--corpus $CORPUS_DIR"; }

# run_load SIZE NAME COMMAND ARGS...: one load command; its phases land in $WORK/SIZE-NAME.csv and .md; a failed
# command is reported, not fatal (the other measurements go on).
run_load() {
  local size=$1 name=$2; shift 2
  log "$name at $size studies (load average $(loadavg))"
  set +e
  bench "$@" --csv "$WORK/$size-$name.csv" --markdown "$WORK/$size-$name.md" > "$WORK/$size-$name.log" 2>&1
  local rc=$?
  set -e
  grep -E '^(cold|warm-up|[a-zA-Z-]+( closed)?):' "$WORK/$size-$name.log" | sed 's/^/    /' || true
  (( rc == 0 )) || log "$name exited with $rc (see $WORK/$size-$name.log)"
  fact "$size.$name.exit" "$rc"
}

# Durable ITI-41 registrations/s and recovery after kill -9 on the loaded corpus (bench/run-ingest.sh; it adds studies,
# so it runs on the largest size only, after the read measurements).
ingest_and_recovery() {
  local size=$1
  log "ingest through ITI-41 and recovery after kill -9 at $size studies"
  set +e
  WORK=$WORK/ingest CORPUS=$CORPUS SKIP_BUILD=1 REGISTER_SECONDS=$INGEST_SECONDS WARMUP_SECONDS=$WARMUP_SECONDS \
    CONCURRENCY=$CONNECTIONS GATEWAY_JAVA_OPTS=$GATEWAY_JAVA_OPTS RESULTS=- bench/run-ingest.sh > "$WORK/ingest.log" 2>&1
  local rc=$?
  set -e
  (( rc == 0 )) || log "run-ingest.sh exited with $rc (see $WORK/ingest.log)"
  sed "s/^/$size./" "$WORK/ingest/ingest-results.properties" >> "$FACTS" 2>/dev/null || true
  [[ -f $WORK/ingest/ingest-results.md ]] || sed -n '/^## /,$p' "$WORK/ingest.log" > "$WORK/ingest-results.md" || true
}

# The peer on the same PostgreSQL server (the largest size's data directory, its own database `peer`), loaded with
# the same generator's corpus of PEER_STUDIES studies as FHIR resources (bench/run-peer.sh).
peer_run() {
  local dir=$CORPUS_ROOT/$PEER_STUDIES/corpus
  if [[ ! -f $dir/fhir/organizations.json ]] || [[ ! -f $dir/progress/fhir.done ]] || ! grep -q . "$dir/progress/fhir.done"; then
    dir=$CORPUS_ROOT/peer-$PEER_STUDIES/corpus
    log "FHIR bundles of the national corpus with $PEER_STUDIES studies (seed $SEED) for the peer, in $dir"
    bench generate --out "$dir" --studies "$PEER_STUDIES" --seed "$SEED" --outputs fhir > "$WORK/generate-peer.log" 2>&1 \
      || { tail -20 "$WORK/generate-peer.log"; log "generate failed"; return 0; }
  fi
  log "the peer (HAPI FHIR JPA) on the PostgreSQL of $CORPUS/pg with $PEER_STUDIES studies"
  local pw=$WORK/peer   # (a prefix assignment is visible to the ones after it: name the paths first)
  mkdir -p "$pw"
  set +e
  WORK=$pw CORPUS=$dir PG_DIR=$CORPUS/pg SKIP_BUILD=1 RATES=$PEER_RATES IDENTIFIER_RATES=$PEER_IDENTIFIER_RATES SECONDS_PER_RATE=$SECONDS_PER_RATE \
    WARMUP_SECONDS=$WARMUP_SECONDS POST_RATES=$POST_RATES RESULTS=- \
    FHIR_PATIENT_ARGS="--corpus $dir --patient-param reference --connections $CONNECTIONS --csv $pw/peer-patient.csv" \
    FHIR_IDENTIFIER_ARGS="--corpus $dir --patient-param identifier --connections $CONNECTIONS --csv $pw/peer-identifier.csv" \
    bench/run-peer.sh > "$WORK/peer.log" 2>&1
  local rc=$?
  set -e
  (( rc == 0 )) || log "run-peer.sh exited with $rc (see $WORK/peer.log)"
  sed "s/^/peer./" "$pw/peer-results.properties" >> "$FACTS" 2>/dev/null || true
  cp "$pw/peer-results.md" "$WORK/peer-results.md" 2>/dev/null || true
}

heap_used_mb() { jcmd "$1" GC.heap_info 2>/dev/null | awk '/total/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?/, "", v); printf "%d", v / 1024; exit } }'; }
heap_max_mb() { jcmd "$1" VM.flags 2>/dev/null | tr ' ' '\n' | awk -F= '/^-XX:MaxHeapSize=/ { printf "%d", $2 / 1048576 }'; }

trap cleanup EXIT
PREVIOUS=0
for SIZE in $SIZES; do
  log "==================== $SIZE studies"
  # ---------------------------------------------------------------- corpus: generate and bulk-load (no-ops when done)
  corpus_for_size "$SIZE" "$PREVIOUS"
  PREVIOUS=$SIZE
  fact "$SIZE.bulk_studies_per_second" "$(sed -n 's/^studies_per_second=//p' "$LOAD_SUMMARY")"
  fact "$SIZE.bulk_seconds" "$(sed -n 's/^load_seconds=//p' "$LOAD_SUMMARY")"

  # ---------------------------------------------------------------- start-up, cold and warm phases
  drop_caches
  start_gateway
  fact "$SIZE.start_seconds" "$GW_READY_SECONDS"
  start_sampler
  GW_CPU0=$(cpu_of "$GW_PID"); PG_CPU0=$(pg_cpu); RUN_START=$(date +%s)
  PGURL="jdbc:postgresql://127.0.0.1:$(sed -n 4p "$CORPUS/pg/postmaster.pid")/postgres"
  common=(--seconds "$SECONDS_PER_RATE" --warmup-seconds "$WARMUP_SECONDS" --connections "$CONNECTIONS" --pause-seconds 5)
  run_load "$SIZE" prior-check prior-check --base "http://127.0.0.1:$PORT/fhir" $(corpus_args) --rates "$PRIOR_RATES" \
    --warmup-rate 10 --cold-seconds "$COLD_SECONDS" "${common[@]}"
  run_load "$SIZE" order-sign order-sign --base "http://127.0.0.1:$PORT" $(corpus_args) --rates "$SIGN_RATES" --warmup-rate 10 "${common[@]}"
  run_load "$SIZE" search fhir --url "http://127.0.0.1:$PORT/fhir" $(corpus_args) --studies "$SIZE" --rates "$SEARCH_RATES" --read-rates 100 \
    --warmup-rate 50 "${common[@]}"
  run_load "$SIZE" iti18 iti18 --url "http://127.0.0.1:$PORT/services/registry/iti18" $(corpus_args) --rates "$ITI18_RATES" --warmup-rate 50 "${common[@]}"
  RUN_END=$(date +%s)
  GW_CPU1=$(cpu_of "$GW_PID"); PG_CPU1=$(pg_cpu)
  sample_stats
  fact "$SIZE.rss_max_mb" "$RSS_MAX_MB"
  fact "$SIZE.heap_used_mb" "$(heap_used_mb "$GW_PID")"
  fact "$SIZE.heap_max_mb" "$(heap_max_mb "$GW_PID")"
  fact "$SIZE.load_during" "$LOAD_STATS"
  fact "$SIZE.gateway_cpu_seconds" "$(awk -v a="$GW_CPU0" -v b="$GW_CPU1" 'BEGIN { printf "%.0f", b - a }')"
  fact "$SIZE.postgres_cpu_seconds" "$(awk -v a="$PG_CPU0" -v b="$PG_CPU1" 'BEGIN { printf "%.0f", b - a }')"
  DB_BYTES=$(bench query --jdbc-url "$PGURL" "select pg_database_size('postgres')")
  fact "$SIZE.db_bytes" "$DB_BYTES"
  # where the bytes are: per table, heap / TOAST / indexes, in bytes per study
  bench query --jdbc-url "$PGURL" "select '| ' || c.relname || ' | ' || round(pg_relation_size(c.oid)::numeric / $SIZE) || ' | '
      || round(coalesce(pg_total_relation_size(nullif(c.reltoastrelid, 0)), 0)::numeric / $SIZE) || ' | '
      || round(pg_indexes_size(c.oid)::numeric / $SIZE) || ' | ' || round(pg_total_relation_size(c.oid)::numeric / $SIZE) || ' |'
      from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind = 'r'
      and pg_total_relation_size(c.oid) > 1048576 order by pg_total_relation_size(c.oid) desc" > "$WORK/$SIZE-sizes.rows"
  { echo "Database bytes per study at $SIZE studies, by table:"; echo
    echo "| table | heap | TOAST | indexes | total |"; echo "|---|---:|---:|---:|---:|"; cat "$WORK/$SIZE-sizes.rows"; } > "$WORK/$SIZE-sizes.md"
  fact "$SIZE.studies" "$(sed -n 's/^studies=//p' "$LOAD_SUMMARY")"
  cleanup

  # ---------------------------------------------------------------- ingest through ITI-41 and recovery after kill -9
  [[ $SIZE == "${SIZES##* }" ]] && ingest_and_recovery "$SIZE"
done

# ---------------------------------------------------------------- the peer, on the same PostgreSQL, with the same corpus
if [[ $PEER == 1 ]]; then
  peer_run
fi

# ---------------------------------------------------------------- report
T1=$(date +%s)
fact total_seconds $((T1 - T0))
python3 bench/national-report.py --facts "$FACTS" --work "$WORK" --mode "$MODE" --command "$COMMAND" \
  --commit "$(commit_note)" --machine "$(machine)" --load-before "$LOAD_BEFORE" --load-after "$(loadavg)" \
  --cold "$(can_drop_caches && echo 'page cache dropped before the start' || echo 'after a restart; page cache NOT dropped (not root)')" \
  --csv "$CSV" --note "$NOTE" > "$WORK/section.md"
append_results "$(cat "$WORK/section.md")"
if [[ $RESULTS != "-" ]]; then
  java -Djava.awt.headless=true -jar "$BENCH_JAR" plot --csv "$CSV" --out "$PLOT"
fi
log "done in $(( (T1 - T0) / 60 )) min; work files in $WORK"
