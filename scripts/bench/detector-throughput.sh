#!/usr/bin/env bash
# Detector throughput on CPU (frames/s, detection alone) on 1280x720 frames: a generated clip, and
# the real SecurePig clip when ../shared/data is there.
# Usage: scripts/bench/detector-throughput.sh [MODEL_DIR] [JSON_DIR]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
MODEL=${1:-$ROOT/models/detector-default}
OUT=${2:-/tmp/farmid-bench-detector}
mkdir -p "$OUT"
"$ROOT/scripts/farmid" synth --out "$OUT/synth" --seed 5 --cameras 1 --days 1 --minutes 0.4 \
  --clip-minutes 0.4 --herd-changes 0 --enrol-crops 0 >/dev/null
CLIP=$(find "$OUT/synth/archive" -name '*.mp4' | head -1)
"$ROOT/scripts/farmid" bench-detector --model "$MODEL" --video "$CLIP" --frames 100 --json "$OUT/synthetic.json"
REAL="$ROOT/../shared/data/securepig-clips/Fleeing_Involved_ID7_ID12.mp4"
if [ -f "$REAL" ]; then
  "$ROOT/scripts/farmid" bench-detector --model "$MODEL" --video "$REAL" --frames 100 --json "$OUT/securepig.json"
else
  echo "skipped the real clip: $REAL is absent"
fi
