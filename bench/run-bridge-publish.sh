#!/usr/bin/env bash
# PACS bridge publishing rate: the packaged gateway jar polls an Orthanc archive (QIDO-RS, interval 1 s,
# stable-after 1 s) that already holds $STUDIES studies of $INSTANCES instances (pydicom's CT_small with new
# UIDs, BSN in the header); measured from the bridge's start (its first poll: detection) until the last study
# is registered (its KOS manifest through the ITI-41 path), from the gateway's own log timestamps.
# Appends a section to docs/benchmarks.md. Needs orthanc, orthanc-dicomweb, dcmtk, python3-pydicom.
# Usage: bench/run-bridge-publish.sh        (STUDIES=200 INSTANCES=2 SKIP_BUILD=1 to reuse the jar)
set -euo pipefail
cd "$(dirname "$0")/.."
STUDIES=${STUDIES:-200}
INSTANCES=${INSTANCES:-2}
WORK=bench/target/bridge-publish-$(date -u +%Y%m%dT%H%M%SZ)
CORPUS=$WORK   # lib.sh's cleanup looks for a PostgreSQL left running under $CORPUS/pg
mkdir -p "$WORK"
# shellcheck source=bench/lib.sh
source bench/lib.sh
describe_build

if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  log "building the gateway jar (offline)"
  ./mvnw -B -q -o -pl gateway -am package -Dmaven.test.skip=true
fi
cp gateway/target/beeldbrug-gateway.jar "$WORK/beeldbrug-gateway.jar"

ORTHANC_PID=""
stop_all() {
  cleanup
  [[ -n $ORTHANC_PID ]] && kill "$ORTHANC_PID" 2>/dev/null || true
}
trap stop_all EXIT

HTTP=$(free_port); DICOM=$(free_port)
cat > "$WORK/orthanc.json" <<JSON
{"Name": "bench-zdc", "StorageDirectory": "$PWD/$WORK/orthanc/storage", "IndexDirectory": "$PWD/$WORK/orthanc/index",
 "DicomAet": "ORTHANC", "DicomPort": $DICOM, "HttpPort": $HTTP, "RemoteAccessAllowed": false,
 "AuthenticationEnabled": false, "KeepAlive": false, "DicomCheckCalledAet": false,
 "Plugins": ["/usr/share/orthanc/plugins/libOrthancDicomWeb.so"],
 "DicomWeb": {"Enable": true, "Root": "/dicom-web/", "EnableWado": true}}
JSON
log "starting Orthanc (DICOM $DICOM, HTTP $HTTP)"
TCP_NODELAY=1 Orthanc "$WORK/orthanc.json" > "$WORK/orthanc.log" 2>&1 &
ORTHANC_PID=$!
until curl -fsS "http://127.0.0.1:$HTTP/system" >/dev/null 2>&1; do sleep 0.5; done

log "writing $STUDIES studies x $INSTANCES instances"
/usr/bin/python3 - "$WORK/dicom" "$STUDIES" "$INSTANCES" <<'PY'
import sys, os, datetime
import pydicom
from pydicom.uid import generate_uid
from pydicom.data import get_testdata_file
out, studies, instances = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.makedirs(out, exist_ok=True)
src = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
today = datetime.date.today().strftime("%Y%m%d")
bsns = [n for n in range(999990000, 999999999) if sum(int(c) * w for c, w in zip(str(n), [9,8,7,6,5,4,3,2,-1])) % 11 == 0]
for s in range(studies):
    study, series = generate_uid(), generate_uid()
    for i in range(instances):
        ds = src.copy()
        ds.StudyInstanceUID, ds.SeriesInstanceUID = study, series
        ds.SOPInstanceUID = generate_uid()
        ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        ds.PatientID, ds.IssuerOfPatientID = str(bsns[s % len(bsns)]), "2.16.840.1.113883.2.4.6.3"
        ds.StudyDate, ds.StudyTime, ds.AccessionNumber = today, "093000", "BENCH%05d" % s
        ds.BodyPartExamined, ds.InstanceNumber = "CHEST", i + 1
        if "OtherPatientIDsSequence" in ds:
            del ds.OtherPatientIDsSequence
        ds.save_as(os.path.join(out, "s%05d_%03d.dcm" % (s, i)))
PY
log "storescu into Orthanc"
TCP_NODELAY=1 storescu -aec ORTHANC +sd 127.0.0.1 "$DICOM" "$WORK/dicom"

PORT=$(free_port); MPORT=$(free_port)
log "starting the gateway on 127.0.0.1:$PORT with the archive as QIDO source"
java -jar "$WORK/beeldbrug-gateway.jar" --server.address=127.0.0.1 --server.port="$PORT" \
  --management.server.address=127.0.0.1 --management.server.port="$MPORT" \
  --beeldbrug.db.embedded-data-dir="$WORK/pg" --beeldbrug.demo.enabled=false \
  --beeldbrug.bridge.publishing.spool-dir="$WORK/spool" \
  --beeldbrug.bridge.sources[0].id=zdc --beeldbrug.bridge.sources[0].ura=34000011 \
  --beeldbrug.bridge.sources[0].name="ZDC bench" --beeldbrug.bridge.sources[0].type=zdc \
  --beeldbrug.bridge.sources[0].dicomweb.base-url="http://127.0.0.1:$HTTP/dicom-web/" \
  --beeldbrug.bridge.sources[0].detection.mode=QIDO --beeldbrug.bridge.sources[0].detection.interval=1s \
  --beeldbrug.bridge.sources[0].detection.stable-after=1s \
  > "$WORK/gateway.log" 2>&1 &
GW_PID=$!
deadline=$(( $(date +%s) + 1800 ))
until [[ $(grep -c "study PUBLISHED" "$WORK/gateway.log" || true) -ge $STUDIES ]]; do
  kill -0 "$GW_PID" 2>/dev/null || { log "the gateway exited; see $WORK/gateway.log"; exit 1; }
  (( $(date +%s) > deadline )) && { log "not all studies published after 30 min"; exit 1; }
  sleep 1
done

RESULT=$(python3 - "$WORK/gateway.log" "$STUDIES" <<'PY'
import sys, re, datetime
log, n = sys.argv[1], int(sys.argv[2])
ts = lambda line: datetime.datetime.fromisoformat(line.split()[0].replace("Z", "+00:00"))
start = pub = None; times = []
for line in open(log):
    if "source(s) scheduled" in line: start = ts(line)
    if "study PUBLISHED" in line: times.append(ts(line))
total = (times[-1] - start).total_seconds()
phase = (times[-1] - times[0]).total_seconds()
print(f"{n} studies in {total:.1f} s from the first poll to the last registration: {n/total:.1f} studies/s; "
      f"registration phase (first to last registered) {phase:.1f} s: {(n-1)/phase if phase else float('nan'):.1f} studies/s")
PY
)
log "$RESULT"
{
  echo
  echo "## PACS bridge publishing rate ($(date -u +%Y-%m-%d))"
  echo
  echo "\`STUDIES=$STUDIES INSTANCES=$INSTANCES bench/run-bridge-publish.sh\` ($(commit_note)); $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), load average at the end $(loadavg)."
  echo "One Orthanc 1.10 (DICOMweb plugin) holding the studies, the packaged gateway polling it over QIDO-RS (interval 1 s,"
  echo "stable-after 1 s, WADO-RS metadata per study, KOS built and registered through the ITI-41 path, durable commits):"
  echo
  echo "- $RESULT"
} >> docs/benchmarks.md
log "appended to docs/benchmarks.md"
