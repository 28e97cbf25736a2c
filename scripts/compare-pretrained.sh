#!/usr/bin/env bash
# What pretraining adds, measured side by side on real data: the same embedder trained with the
# same settings on Holstein2025, once from random weights and once from the pretrained ImageNet
# backbone (models/pretrained/mobilenet_v2); each evaluated on data never trained on: Holstein2025
# val, and real pigs (the hand-labelled SecurePig views, jobs/src/test/resources/securepig-views:
# three crops of each pig from one clip enrol it, its crops from the other clip are classified).
# Run on demand (not a test); figures land in WORK/*.json.
#
#   scripts/compare-pretrained.sh [WORK_DIR] [EPOCHS] [SEED]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${1:-/tmp/farmid-pretrained}
EPOCHS=${2:-30}
SEED=${3:-1}
DATA=$ROOT/../shared/data
FARMID="$ROOT/scripts/farmid"
for need in holstein2025/split.csv securepig-clips; do
  if [[ ! -e "$DATA/$need" ]]; then
    echo "compare-pretrained: no $DATA/$need (the real data beside the repository)" >&2
    exit 2
  fi
done
mkdir -p "$WORK"

PIGS=$WORK/securepig-crops
if [[ ! -f "$PIGS/split.csv" ]]; then
  echo "== real pig crops: the SecurePig views rebuilt from the clips, cut per pig"
  VIEWS=$ROOT/jobs/src/test/resources/securepig-views
  rm -rf "$WORK/securepig-views" "$PIGS"
  "$FARMID" export-frames --archive "$DATA/securepig-clips" --frames "$VIEWS/frames.csv" \
    --out "$WORK/securepig-views" --set 'pipeline.mosaics=[{path = ".*[.]mp4", grid = "2x2",
      cameras = [D68VOGH24, D68VOGH23, D68VOGH22, D68VOGH21]}]'
  cp "$VIEWS/annotations.json" "$WORK/securepig-views/annotations.json"
  "$FARMID" cut-crops --labels "$WORK/securepig-views" --out "$PIGS" --enrol 3 \
    --enrol-first Displacement
fi

echo "== embedder on Holstein2025 (train split), width 1.0, $EPOCHS epochs, seed $SEED"
COMMON=(--split-csv "$DATA/holstein2025/split.csv" --flips none --seed "$SEED"
  --validation-share 0 --width 1.0 --epochs "$EPOCHS" --learning-rate 0.001
  --learning-rate-schedule cosine)
for start in pretrained scratch; do
  extra=()
  [[ $start == pretrained ]] && extra=(--backbone-weights "$ROOT/models/pretrained/mobilenet_v2")
  model=$WORK/embedder-$start-seed$SEED
  [[ -f "$model/model.json" ]] || "$FARMID" train-embedder "${COMMON[@]}" "${extra[@]}" \
    --out "$model" --json "$WORK/train-embedder-$start-seed$SEED.json"
  "$FARMID" eval-crops --model "$model" --split-csv "$DATA/holstein2025/split.csv" \
    --json "$WORK/eval-holstein-$start-seed$SEED.json"
  "$FARMID" eval-crops --model "$model" --split-csv "$PIGS/split.csv" \
    --json "$WORK/eval-securepig-$start-seed$SEED.json"
done
echo "figures: $WORK/eval-*.json"
