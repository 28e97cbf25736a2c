#!/usr/bin/env bash
# What pretraining adds, measured side by side on real data: the same networks trained with the
# same settings, once from random weights and once from the pretrained ImageNet backbone
# (models/pretrained/mobilenet_v2) or the default detector; each evaluated on data never
# trained on. Run on demand (not a test); figures land in WORK/*.json.
#
#   scripts/compare-pretrained.sh [WORK_DIR] [EPOCHS]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${1:-/tmp/farmid-pretrained}
EPOCHS=${2:-30}
DATA=$ROOT/../shared/data
FARMID="$ROOT/scripts/farmid"
for need in holstein2025/split.csv faropig/data.yaml; do
  if [[ ! -f "$DATA/$need" ]]; then
    echo "compare-pretrained: no $DATA/$need (the real data beside the repository)" >&2
    exit 2
  fi
done
mkdir -p "$WORK"

echo "== embedder on Holstein2025 (val split), width 1.0, $EPOCHS epochs, seed 1"
COMMON=(--split-csv "$DATA/holstein2025/split.csv" --flips none --seed 1 --validation-share 0
  --width 1.0 --epochs "$EPOCHS" --learning-rate 0.001 --learning-rate-schedule cosine)
for start in pretrained scratch; do
  extra=()
  [[ $start == pretrained ]] && extra=(--backbone-weights "$ROOT/models/pretrained/mobilenet_v2")
  "$FARMID" train-embedder "${COMMON[@]}" "${extra[@]}" --out "$WORK/embedder-$start" \
    --json "$WORK/train-embedder-$start.json"
  "$FARMID" eval-crops --model "$WORK/embedder-$start" \
    --split-csv "$DATA/holstein2025/split.csv" --json "$WORK/eval-embedder-$start.json"
done
echo "figures: $WORK/eval-embedder-*.json"
