#!/usr/bin/env bash
# The demo on a fresh machine: installs Java 17 and Maven if needed, builds the jar, generates the
# built-in demo archive (2 cameras x 2 days x 2 minutes of synthetic pen footage with ground truth),
# prints what it made, and classifies the demo herd's enrolment crops with the default embedder.
# No GPU and no network beyond Maven Central are needed.
#
#   scripts/demo.sh [OUT_DIR]        (default: demo-out/)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${1:-$ROOT/demo-out}
# shellcheck source=lib/prereqs.sh
. "$ROOT/scripts/lib/prereqs.sh"
farmid_prereqs

echo "== 1/2 synthetic pen archive -> $OUT/synth"
"$ROOT/scripts/farmid" synth --out "$OUT/synth" --json "$OUT/synth.json"

echo
echo "== 2/2 the default embedder names the demo herd's animals by their mean embeddings"
echo "   (animals it never saw in training; half of each animal's enrolment crops form its mean)"
"$ROOT/scripts/farmid" eval-crops --model "$ROOT/models/embedder-default" --crops "$OUT/synth/enrol" \
  --json "$OUT/eval-crops.json"

echo
echo "Demo archive ready:"
echo "  videos        $OUT/synth/archive/<camera>/<date>/<time>.mp4"
echo "  ground truth  $OUT/synth/ground-truth/ (MOTChallenge rows + seqinfo .ini)"
echo "  herd register $OUT/synth/animals.csv   visitors: $OUT/synth/visitors.csv"
echo "  enrolment     $OUT/synth/enrol/<animal id>/*.png"
echo "  figures       $OUT/synth.json, $OUT/eval-crops.json"
