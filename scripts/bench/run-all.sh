#!/usr/bin/env bash
# The benchmark suite: every figure against a reference measured side by side in the same run,
# printed as one table and written as JSON (a list of rows: figure, ours, reference, ratio, goal,
# unit, detail). About 15 minutes on 2 cores.
#
# Usage: scripts/bench/run-all.sh [--out DIR] [--quick]
#   --out DIR  where inputs, logs and figures go (default: bench-out/ in the repository)
#   --quick    smaller inputs (about 6 minutes; figures noisier), for checking the suite itself
#
# Inputs: the real SecurePig pen clips in ../shared/data (1280x720 H.264, 25 fps, a keyframe every
# 10 s) when present, otherwise a synthetic 1280x720 25 fps clip; FFmpeg's command-line tool is
# the reference decoder and cuts the test files (installed from Debian's packages when missing).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT="$ROOT/bench-out"
QUICK=0
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT="$2"; shift 2 ;;
    --quick) QUICK=1; shift ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run-all.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
FARMID="$ROOT/scripts/farmid"
IN="$OUT/inputs"
FIG="$OUT/figures"
mkdir -p "$IN" "$FIG"
rm -f "$FIG"/*.json
log() { echo "run-all: $(date +%H:%M:%S) $*" >&2; }
START=$(date +%s)

if ! command -v ffmpeg >/dev/null 2>&1; then
  if [ "$(id -u)" != "0" ]; then
    echo "run-all.sh: needs ffmpeg (Debian package ffmpeg); install it and re-run" >&2
    exit 1
  fi
  log "installing ffmpeg from Debian's packages"
  apt-get update -qq && apt-get install -y -qq ffmpeg >/dev/null
fi

if [ "$QUICK" = 1 ]; then
  REPEAT=3; LONG=5; ROWS=250000; PAIRS=4000000; CAMS=2; MINUTES=1
else
  REPEAT=6; LONG=10; ROWS=1000000; PAIRS=8000000; CAMS=2; MINUTES=3
fi

# 1-minute 1280x720 clip: the real pen clip six times over, or a synthetic one
REAL="$ROOT/../shared/data/securepig-clips/Fleeing_Involved_ID7_ID12.mp4"
CLIP="$IN/clip-1min.mp4"
if [ ! -f "$CLIP" ]; then
  if [ -f "$REAL" ]; then
    log "1-minute clip: $REAL six times over"
    for _ in $(seq 1 6); do printf "file '%s'\n" "$REAL"; done >"$IN/six.txt"
    ffmpeg -v error -y -f concat -safe 0 -i "$IN/six.txt" -c copy "$CLIP"
  else
    log "1-minute clip: synthetic (../shared/data is absent)"
    "$FARMID" synth --out "$IN/synth-25fps" --cameras 1 --days 1 --minutes 1 --clip-minutes 1 \
      --fps 25 --herd-changes 0 --enrol-crops 0 >/dev/null
    cp "$(find "$IN/synth-25fps/archive" -name '*.mp4' | head -1)" "$CLIP"
  fi
fi
# the same footage with a keyframe every second (what many cameras are set to)
GOP1="$IN/clip-1min-keyframe-1s.mp4"
[ -f "$GOP1" ] || ffmpeg -v error -y -i "$CLIP" -an -c:v libx264 -preset veryfast -g 25 \
  -keyint_min 25 -sc_threshold 0 "$GOP1"
# a long video: the 1-minute clip LONG times over
LONGCLIP="$IN/clip-${LONG}min.mp4"
if [ ! -f "$LONGCLIP" ]; then
  for _ in $(seq 1 "$LONG"); do printf "file '%s'\n" "$CLIP"; done >"$IN/long.txt"
  ffmpeg -v error -y -f concat -safe 0 -i "$IN/long.txt" -c copy "$LONGCLIP"
fi
# synthetic pens at the default 1280x720, 5 frames/s, with enrolment crops, for the pipeline
SYNTH="$IN/synth-pens"
if [ ! -d "$SYNTH/archive" ]; then
  log "synthetic pens: $CAMS cameras x $MINUTES minutes"
  "$FARMID" synth --out "$SYNTH" --seed 11 --cameras "$CAMS" --days 1 --minutes "$MINUTES" \
    --clip-minutes "$MINUTES" --herd-changes 0 --enrol-crops 12 >/dev/null
fi

log "figures 1, 2: decoding"
"$FARMID" bench decode --video "$CLIP" --sampled "$GOP1" --repeats 3 --json "$FIG/1-decode.json"
log "figures 3, 7: the pipeline on one core"
rm -rf "$OUT/pipeline-warehouse"
"$FARMID" --master 'local[1]' bench pipeline --synth "$SYNTH" \
  --warehouse "$OUT/pipeline-warehouse" --set pipeline.sample-fps=5 --json "$FIG/3-pipeline.json"
log "figure 4: scaling"
rm -rf "$OUT/scaling"
"$FARMID" bench scaling --archive "$SYNTH/archive" --work "$OUT/scaling" \
  --set pipeline.sample-fps=5 --json "$FIG/4-scaling.json"
log "figure 5: classification"
"$FARMID" --master 'local[2]' bench classify --rows "$ROWS" --pair-budget "$PAIRS" \
  --json "$FIG/5-classify.json"
log "figure 6: memory"
rm -rf "$OUT/memory"
"$FARMID" bench memory --short "$CLIP" --long "$LONGCLIP" --work "$OUT/memory" \
  --json "$FIG/6-memory.json"

log "all figures ($(( ($(date +%s) - START) / 60 )) min $(( ($(date +%s) - START) % 60 )) s)"
"$FARMID" bench table "$FIG/1-decode.json" "$FIG/3-pipeline.json" "$FIG/4-scaling.json" \
  "$FIG/5-classify.json" "$FIG/6-memory.json" --json "$OUT/figures.json"
echo "figures written to $OUT/figures.json"
