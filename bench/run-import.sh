#!/usr/bin/env bash
# PACS bridge import benchmark (issue 8): one study of $INSTANCES CT instances in $SERIES series is copied from a
# "ZDC archive" Orthanc into a "hospital PACS" Orthanc, side by side in the same run:
#   1. Beeldbrug import job over DICOMweb  (WADO-RS from the ZDC, C-STORE into the hospital)
#   2. Beeldbrug import job over DIMSE     (C-FIND + C-GET from the ZDC, C-STORE into the hospital)
#   3. plain dcmtk: movescu -S -aem HOSPITAL (the ZDC Orthanc C-STOREs straight into the hospital)
# The hospital's copy is deleted before each run; each run is checked to end with all instances there.
#
#   bench/run-import.sh                                  # build, run, append to docs/benchmarks.md
#   INSTANCES=200 RESULTS=- bench/run-import.sh          # a smoke run
#
# Environment (defaults in brackets): INSTANCES [1000]  SERIES [4]  BATCH [50]  SKIP_BUILD [0]
#   RESULTS [docs/benchmarks.md] ("-" = print only)  NOTE []
# Needs: orthanc, orthanc-dicomweb, dcmtk, python3-pydicom. Everything listens on 127.0.0.1 only; only processes
# this script started are stopped.
set -euo pipefail

cd "$(dirname "$0")/.."
INSTANCES=${INSTANCES:-1000}
SERIES=${SERIES:-4}
BATCH=${BATCH:-50}
SKIP_BUILD=${SKIP_BUILD:-0}
RESULTS=${RESULTS:-docs/benchmarks.md}
NOTE=${NOTE:-}
WORK=bench/target/import-$INSTANCES
COMMAND="INSTANCES=$INSTANCES SERIES=$SERIES BATCH=$BATCH bench/run-import.sh"
export TCP_NODELAY=1
rm -rf "$WORK"; mkdir -p "$WORK"
# shellcheck source=bench/lib.sh
. bench/lib.sh
CORPUS=$WORK   # the gateway's embedded PostgreSQL lives in $WORK/pg (lib.sh's cleanup looks there)

ORTHANC_PIDS=()
stop_all() {
  cleanup
  for p in "${ORTHANC_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
}
trap stop_all EXIT

describe_build
if [[ $SKIP_BUILD != 1 ]]; then
  log "building registry, adapters and gateway (offline)"
  ./mvnw -B -q -o -pl registry,adapters/dicom,adapters/dicomweb,gateway -am package -Dmaven.test.skip=true
fi
cp gateway/target/beeldbrug-gateway.jar "$WORK/beeldbrug-gateway.jar"

# ---- two Orthancs: the ZDC (DICOMweb plugin; knows HOSPITAL as a C-MOVE destination) and the hospital
ZDC_DICOM=$(free_port); ZDC_HTTP=$(free_port); HOSP_DICOM=$(free_port); HOSP_HTTP=$(free_port)
orthanc_config() { # name dicom http plugins modalities
  python3 - "$WORK/$1" "$2" "$3" "$4" "$5" <<'PY'
import json, sys, os
d, dicom, http, plugins, modalities = sys.argv[1:]
os.makedirs(d, exist_ok=True)
cfg = {"Name": os.path.basename(d), "StorageDirectory": d + "/storage", "IndexDirectory": d + "/index",
       "DicomAet": "ORTHANC", "DicomPort": int(dicom), "HttpPort": int(http), "RemoteAccessAllowed": False,
       "AuthenticationEnabled": False, "DicomCheckCalledAet": False, "DicomAlwaysAllowEcho": True,
       "DicomAlwaysAllowStore": True, "DicomAlwaysAllowFind": True, "DicomAlwaysAllowMove": True,
       "DicomAlwaysAllowGet": True, "KeepAlive": False, "StableAge": 1,
       "DicomModalities": json.loads(modalities), "Plugins": json.loads(plugins),
       "DicomWeb": {"Enable": True, "Root": "/dicom-web/", "EnableWado": True}}
json.dump(cfg, open(d + "/orthanc.json", "w"), indent=1)
PY
}
orthanc_config zdc "$ZDC_DICOM" "$ZDC_HTTP" '["/usr/share/orthanc/plugins/libOrthancDicomWeb.so"]' \
  "{\"HOSPITAL\": [\"HOSPITAL\", \"127.0.0.1\", $HOSP_DICOM], \"BENCH\": [\"BENCH\", \"127.0.0.1\", 1]}"
orthanc_config hospital "$HOSP_DICOM" "$HOSP_HTTP" '[]' '{}'
Orthanc "$WORK/zdc/orthanc.json" > "$WORK/zdc.log" 2>&1 & ORTHANC_PIDS+=($!)
Orthanc "$WORK/hospital/orthanc.json" > "$WORK/hospital.log" 2>&1 & ORTHANC_PIDS+=($!)
for port in $ZDC_HTTP $HOSP_HTTP; do
  until curl -fsS "http://127.0.0.1:$port/system" > /dev/null 2>&1; do sleep 0.2; done
done

# ---- the study: CT_small with new UIDs, loaded into the ZDC with storescu
STUDY=2.25.$(date +%s%N)
log "making $INSTANCES instances ($SERIES series) of study $STUDY"
/usr/bin/python3 - "$WORK/study" "$STUDY" "$INSTANCES" "$SERIES" <<'PY'
import os, sys
from pydicom import dcmread
d, study, n, series = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
os.makedirs(d, exist_ok=True)
for i in range(n):
    ds = dcmread("/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm")
    s = i % series + 1
    ds.StudyInstanceUID = study
    ds.SeriesInstanceUID = f"{study}.{s}"
    ds.SOPInstanceUID = f"{study}.{s}.{i + 1}"
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.InstanceNumber = i + 1
    ds.save_as(f"{d}/{i}.dcm")
PY
storescu -R -aec ORTHANC 127.0.0.1 "$ZDC_DICOM" --scan-directories "$WORK/study"
SIZE_MB=$(du -sm "$WORK/study" | cut -f1)

# ---- the gateway: sources zdc (DICOMweb), zdc-dimse (the same Orthanc over DIMSE), hospital
PORT=$(free_port); MPORT=$(free_port)
start_bridge() { # source id of the ZDC: zdc or zdc-dimse, both URA 12000001 (the sample's author institution)
  local web=""; [[ $1 == zdc ]] && web="--beeldbrug.bridge.sources[0].dicomweb.base-url=http://127.0.0.1:$ZDC_HTTP/dicom-web/"
  java -jar "$WORK/beeldbrug-gateway.jar" --server.address=127.0.0.1 --server.port="$PORT" \
    --management.server.address=127.0.0.1 --management.server.port="$MPORT" \
    --beeldbrug.db.embedded-data-dir="$WORK/pg" --beeldbrug.demo.studies=8 \
    --beeldbrug.bridge.serve.spool-dir="$WORK/spool" --beeldbrug.bridge.serve.imports.batch-size="$BATCH" \
    --beeldbrug.bridge.serve.imports.poll-interval=100ms \
    --beeldbrug.bridge.sources[0].id="$1" --beeldbrug.bridge.sources[0].ura=12000001 \
    --beeldbrug.bridge.sources[0].name=ZDC --beeldbrug.bridge.sources[0].type=zdc $web \
    --beeldbrug.bridge.sources[0].dicom.ae-title=ORTHANC --beeldbrug.bridge.sources[0].dicom.port="$ZDC_DICOM" \
    --beeldbrug.bridge.sources[1].id=hospital --beeldbrug.bridge.sources[1].ura=00009999 \
    --beeldbrug.bridge.sources[1].name=Hospital --beeldbrug.bridge.sources[1].dicom.ae-title=ORTHANC \
    --beeldbrug.bridge.sources[1].dicom.port="$HOSP_DICOM" > "$WORK/gateway-$1.log" 2>&1 &
  GW_PID=$!
  until curl -fsS "http://127.0.0.1:$MPORT/actuator/health/readiness" 2>/dev/null | grep -q '"UP"'; do
    kill -0 "$GW_PID" 2>/dev/null || { log "the gateway exited; see $WORK/gateway-$1.log"; exit 1; }
    sleep 1
  done
}
hospital_count() {
  curl -fsS -X POST "http://127.0.0.1:$HOSP_HTTP/tools/find" \
    -d "{\"Level\":\"Instance\",\"Query\":{\"StudyInstanceUID\":\"$STUDY\"}}" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'
}
hospital_clear() {
  for id in $(curl -fsS -X POST "http://127.0.0.1:$HOSP_HTTP/tools/find" \
      -d "{\"Level\":\"Study\",\"Query\":{\"StudyInstanceUID\":\"$STUDY\"}}" | python3 -c 'import json,sys; print(" ".join(json.load(sys.stdin)))'); do
    curl -fsS -X DELETE "http://127.0.0.1:$HOSP_HTTP/studies/$id" > /dev/null
  done
}
now() { date +%s.%N; }
declare -A SECS
run_import() { # source id
  hospital_clear
  start_bridge "$1"
  if [[ $1 == zdc ]]; then
    sed -e "s/1.2.528.1.1001.200.10.4711.1^/$STUDY^/" -e "s/1.2.528.1.1001.200.10.4711.2001/$STUDY.9001/" \
        -e "s/1.2.528.1.1001.200.10.4711.1001/$STUDY.9002/" docs/samples/iti41-provide-and-register.xml > "$WORK/iti41.xml"
    curl -fsS -H 'Content-Type: application/soap+xml; charset=UTF-8' --data-binary @"$WORK/iti41.xml" \
      "http://127.0.0.1:$PORT/services/repository/iti41" | grep -q 'ResponseStatusType:Success'
  fi
  local t0 id state
  t0=$(now)
  id=$(curl -fsS -H 'Content-Type: application/json' -d "{\"study\":\"$STUDY\",\"target\":\"hospital\"}" \
    "http://127.0.0.1:$PORT/api/imports" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  while :; do
    state=$(curl -fsS "http://127.0.0.1:$PORT/api/imports/$id" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')
    [[ $state == done || $state == failed ]] && break
    sleep 0.05
  done
  SECS[$1]=$(python3 -c "print(f'{$(now) - $t0:.2f}')")
  [[ $state == done && $(hospital_count) == "$INSTANCES" ]] || { log "import over $1 ended $state"; exit 1; }
  log "import over $1: ${SECS[$1]} s"
  cleanup
}
run_import zdc
run_import zdc-dimse
hospital_clear
MOVE_CMD="movescu -S -aet BENCH -aec ORTHANC -aem HOSPITAL -k QueryRetrieveLevel=STUDY -k StudyInstanceUID=$STUDY 127.0.0.1 $ZDC_DICOM"
t0=$(now)
$MOVE_CMD
SECS[movescu]=$(python3 -c "print(f'{$(now) - $t0:.2f}')")
[[ $(hospital_count) == "$INSTANCES" ]] || { log "movescu did not move every instance"; exit 1; }
log "movescu: ${SECS[movescu]} s"

rate() { python3 -c "print(f'{$INSTANCES / ${SECS[$1]}:.0f}')"; }
append_results "
## PACS bridge import: $INSTANCES instances ($(date -u +%Y-%m-%d))

\`$COMMAND\` — $(commit_note); $(machine); load before the run $(loadavg).
One study of $INSTANCES CT instances ($SERIES series, $SIZE_MB MB, pydicom's CT_small with new UIDs) from a ZDC
Orthanc into a hospital Orthanc on loopback, the hospital's copy deleted before each run. The import time is
from \`POST /api/imports\` to the job's state \`done\` (includes listing source and target at instance level
and the final check; batches of $BATCH instances per C-STORE association).

| path | seconds | instances/s |
|---|---:|---:|
| Beeldbrug import, WADO-RS from the ZDC → C-STORE | ${SECS[zdc]} | $(rate zdc) |
| Beeldbrug import, C-GET from the ZDC → C-STORE | ${SECS[zdc-dimse]} | $(rate zdc-dimse) |
| dcmtk \`$MOVE_CMD\` (ZDC stores directly into the hospital) | ${SECS[movescu]} | $(rate movescu) |
${NOTE:+
$NOTE}"
