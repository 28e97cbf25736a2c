#!/usr/bin/env bash
# The demo on a fresh machine: installs Java 17 and Maven if needed, builds the jar, generates the
# built-in demo archive (2 cameras x 2 days x 2 minutes of synthetic pen footage with ground
# truth, a herd change and an unregistered visitor per pen), and runs the whole Spark pipeline on
# it with the committed default models: ingest, detect, enrol, gallery, classify, track, adapt
# (then classify and track again under the adapted means), evaluate. Prints the metrics and where
# the Delta tables are. No GPU and no network beyond Maven Central.
#
#   scripts/demo.sh [OUT_DIR]        (default: demo-out/)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${1:-$ROOT/demo-out}
# shellcheck source=lib/prereqs.sh
. "$ROOT/scripts/lib/prereqs.sh"
farmid_prereqs

echo "== 1/3 synthetic pen archive -> $OUT/synth"
"$ROOT/scripts/farmid" synth --out "$OUT/synth" --json "$OUT/synth.json"

echo
echo "== 2/3 the pipeline on Spark (local[*]) -> Delta tables in $OUT/warehouse"
rm -rf "$OUT/warehouse"
"$ROOT/scripts/farmid" run --archive "$OUT/synth/archive" --enrol-crops "$OUT/synth/enrol" \
  --ground-truth "$OUT/synth" --warehouse "$OUT/warehouse" --json "$OUT/run.json"

echo
echo "== 3/3 what analysts see: identities (voted along tracks) per animal and camera"
"$ROOT/scripts/farmid" sql --warehouse "$OUT/warehouse" \
  "SELECT camera, animal_id, count(*) AS detections, count(DISTINCT track_id) AS tracks,
     round(avg(CASE WHEN crop_animal_id = animal_id THEN 1.0 ELSE 0.0 END), 3) AS crops_agree
   FROM identities GROUP BY camera, animal_id ORDER BY camera, animal_id" --limit 40

echo
echo "Demo done:"
echo "  videos        $OUT/synth/archive/<camera>/<date>/<time>.mp4"
echo "  ground truth  $OUT/synth/ground-truth/ (MOTChallenge rows + seqinfo .ini)"
echo "  Delta tables  $OUT/warehouse/{videos,segments,detections,frames,enrolment,gallery,crop_identities,tracks,identities,metrics,confusion,matches,rejected_inputs,job_runs}"
echo "  figures       $OUT/run.json"
echo "  query them    scripts/farmid sql --warehouse $OUT/warehouse \"SELECT * FROM metrics\""
