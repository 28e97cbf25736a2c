#!/usr/bin/env bash
# How the settings after detection were chosen (a script run on demand, not a test):
#   scripts/choose-settings.sh [WORK_DIR]
# Generates the choosing archives, seeds 6100-6109 (no reported figure comes from them), runs the
# whole pipeline on each with the default models (skipped where WORK_DIR already holds it), then
# scores grids of the crowded tracking profile on the crowded archives and of track.crowded-from
# and the gallery's threshold factor on all ten with `bench settings` (README, Choosing
# settings), and the infrared means' threshold factor on all ten. Writes WORK_DIR/crowded.json,
# crowded-from.json, infrared-factor.json, frame-exclusive.json (README, Choosing settings, try 6),
# frame-exclusive-margin.json (try 7), unknown-weight.json (try 11), min-share.json (try 12) and prints the best combinations; the second grid uses the crowded profile of the configuration (pass the first
# grid's best with --set after WORK_DIR to score it before making it the default). About 40 minutes on 2 cores, most of it the ten pipeline runs.
# GRIDS="NAME ..." scores only the grids of those names (the JSON files' names, such as
# GRIDS=unknown-weight for try 11).
# RUN_SET="KEY=VALUE ..." runs the pipeline with those settings too (for a setting bench settings
# cannot vary, such as pipeline.embed-average; use a WORK_DIR of its own).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${1:-$ROOT/choose-out}
shift || true
F="$ROOT/scripts/farmid"
mkdir -p "$WORK"
# seed, animals per pen, night share, visitors per pen, days (two days bring a herd change)
ARCHIVES=("6100 30 1 3 1" "6101 20 0.5 1 1" "6102 6 0 1 1" "6103 12 1 0 1" "6104 8 0.25 1 2"
  "6105 10 0.5 2 2" "6106 30 0 3 2" "6107 20 1 3 2" "6108 12 0.5 3 2" "6109 30 0.5 1 2")
CROWDED=(6100 6101 6106 6107 6109)
RUN_ARGS=()
for kv in ${RUN_SET:-}; do
  RUN_ARGS+=(--set "$kv")
done
ALL=()
for spec in "${ARCHIVES[@]}"; do
  read -r seed animals night visitors days <<<"$spec"
  a="$WORK/choose-$seed"
  changes=$((days > 1 ? 1 : 0))
  if [ ! -d "$a" ]; then
    echo "choose-settings: archive $seed ($animals animals, night $night, $visitors visitors)" >&2
    "$F" synth --out "$a" --seed "$seed" --cameras 2 --days "$days" --minutes 1 --clip-minutes 1 \
      --animals "$animals" --night-fraction "$night" --visitors "$visitors" \
      --herd-changes "$changes" --enrol-crops 12 >"$a.log" 2>&1
  fi
  if [ ! -d "$WORK/wh-$seed" ]; then
    echo "choose-settings: pipeline on archive $seed" >&2
    "$F" run --archive "$a/archive" --enrol-crops "$a/enrol" --ground-truth "$a" \
      --warehouse "$WORK/wh-$seed" "${RUN_ARGS[@]}" >"$WORK/run-$seed.log" 2>&1
  fi
  ALL+=(--case "c$seed=$WORK/wh-$seed,$a")
done
# grid NAME ARGS...: one `bench settings` grid, written to WORK_DIR/NAME.json; GRIDS="NAME ..."
# scores only the grids named (the pipeline runs above are made either way)
grid() {
  local name=$1
  shift
  if [ -z "${GRIDS:-}" ] || [[ " $GRIDS " == *" $name "* ]]; then
    echo "choose-settings: grid $name" >&2
    "$F" bench settings "$@" --json "$WORK/$name.json"
  fi
}
CASES=()
for seed in "${CROWDED[@]}"; do
  CASES+=(--case "c$seed=$WORK/wh-$seed,$WORK/choose-$seed")
done
grid crowded "${CASES[@]}" --set track.crowded-from=1 \
  --vary track.crowded.max-motion=0.6,0.8,1,1.5 --vary track.crowded.appearance-weight=0.45,0.6,0.85 \
  --vary track.crowded.max-cost=0.55,0.6,0.7,0.9 --vary track.crowded.max-misses=3,10 \
  --vary track.crowded.min-share=0.3,0.4
grid crowded-from "${ALL[@]}" "$@" --vary track.crowded-from=0,12,14,16,18,20 \
  --vary gallery.threshold-factor=1.5,1.75,2,2.5
grid infrared-factor "${ALL[@]}" "$@" \
  --vary gallery.infrared-threshold-factor=0.75,1,1.1,1.25,1.4,1.5,1.75,2,2.5
# try 6 was scored before try 7 made a loser's regret its vote weight: its figures come back with
# --set gallery.frame-exclusive-margin=zero after WORK_DIR
grid frame-exclusive "${ALL[@]}" "$@" --vary gallery.frame-exclusive=false,true \
  --vary gallery.frame-exclusive-reassign=true,false --vary gallery.threshold-factor=1.5,2,2.5
grid frame-exclusive-margin "${ALL[@]}" "$@" --vary gallery.frame-exclusive-margin=zero,regret \
  --vary gallery.frame-exclusive-reassign=false,true
grid frame-exclusive-margin-tracks "${ALL[@]}" "$@" --vary track.min-share=0.3,0.4,0.5 \
  --vary track.crowded.min-share=0.2,0.3,0.4 --vary track.crowded.switch-penalty=1.5,3
# try 11: what an `unknown` crop weighs in its track's vote (README, Choosing settings)
grid unknown-weight "${ALL[@]}" "$@" --vary track.unknown-weight=1,0.75,0.5,0.3 \
  --vary track.crowded.unknown-weight=1,0.75,0.5,0.3 --vary track.min-share=0.3,0.4,0.5 \
  --vary track.crowded.min-share=0.2,0.3,0.4
# try 12: the shares a track's winner needs; scored under an unknown weight of 0.5, then the default
# (README, Choosing settings): RUN_SET="track.unknown-weight=0.5" and --set track.unknown-weight=0.5
# after WORK_DIR, in a WORK_DIR of its own
grid min-share "${ALL[@]}" "$@" --vary track.min-share=0.3,0.4,0.5,0.6 \
  --vary track.crowded.min-share=0.2,0.3,0.4
