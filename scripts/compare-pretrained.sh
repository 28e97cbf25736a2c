#!/usr/bin/env bash
# What pretraining adds, measured side by side on real data: the same embedder trained with the
# same settings on Holstein2025, once from random weights and once from the pretrained ImageNet
# backbone (models/pretrained/mobilenet_v2); each evaluated on data never trained on: Holstein2025
# val and its clip-disjoint slice (scripts/holstein-splits.sh), and real pigs (the hand-labelled
# SecurePig views, jobs/src/test/resources/securepig-views: three crops of each pig from one clip
# enrol it, its crops from the other clip are classified; cut with --mask-overlay, since the numbers
# another tracker burnt in beside each pig name them). With HELDOUT=1, also trained without 21
# of the 82 cows and tested on those cows, each enrolled by three crops of one clip (few-shot).
# With CHOOSE=1 it only trains on 46 of the 61 cows not held out and tests few-shot on the other
# 15 (choose-train / choose-fewshot of holstein-splits.sh): a recipe is chosen there, never on the
# report's splits. With CHOOSE=val it trains on the train rows of choose-val.csv (all 82 cows, every
# fifth crop of each held back) and asks those held-back crops, with one mean per cow and with the
# nearest gallery crop: the choosing test for val, whose queries mostly share a clip with train
# crops, as the few-shot one is for the held-out cows. TRAIN_ARGS adds train-embedder options to
# every training (a recipe; its models and figures are named with TAG).
# Run on demand (not a test); figures land in WORK/*.json.
#
#   [HELDOUT=1] [CHOOSE=1|val] [STARTS="pretrained scratch"] [TRAIN_ARGS="..." TAG=name] \
#     scripts/compare-pretrained.sh [WORK_DIR] [EPOCHS] [SEED]
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
HOLSTEIN=$DATA/holstein2025
"$ROOT/scripts/holstein-splits.sh" "$WORK/holstein-splits"

PIGS=$WORK/securepig-crops-masked
if [[ ${CHOOSE:-0} == 0 && ! -f "$PIGS/split.csv" ]]; then
  echo "== real pig crops: the SecurePig views rebuilt from the clips, cut per pig"
  VIEWS=$ROOT/jobs/src/test/resources/securepig-views
  rm -rf "$WORK/securepig-views" "$PIGS"
  "$FARMID" export-frames --archive "$DATA/securepig-clips" --frames "$VIEWS/frames.csv" \
    --labels "$VIEWS/annotations.json" --conf "$VIEWS/mosaic.conf" --out "$WORK/securepig-views"
  "$FARMID" cut-crops --labels "$WORK/securepig-views" --out "$PIGS" --enrol 3 \
    --enrol-first Displacement --mask-overlay 50
fi

echo "== embedder on Holstein2025 (train split), width 1.0, $EPOCHS epochs, seed $SEED"
COMMON=(--flips none --seed "$SEED"
  --validation-share 0 --width 1.0 --epochs "$EPOCHS" --learning-rate 0.001
  --learning-rate-schedule cosine)
read -r -a RECIPE <<< "${TRAIN_ARGS:-}"
TAG=${TAG:+-$TAG}
# train MODEL CSV: MODEL trained on CSV's train rows (paths below Holstein2025) with the recipe,
# unless it is there already; its figures in WORK/train-<MODEL's name>.json
train() {
  [[ -f "$1/model.json" ]] || "$FARMID" train-embedder "${COMMON[@]}" "${extra[@]}" \
    --split-csv "$2" --root "$HOLSTEIN" --out "$1" --json "$WORK/train-$(basename "$1").json"
}
# few_shot SPLIT NAME: trained on holstein-splits/SPLIT-train.csv, asked about the cows it left out
# (SPLIT-fewshot.csv); figures in eval-holstein-NAME-*.json
few_shot() {
  local model=$WORK/embedder-$start-$1-seed$SEED
  train "$model" "$WORK/holstein-splits/$1-train.csv"
  "$FARMID" eval-crops --model "$model" --split-csv "$WORK/holstein-splits/$1-fewshot.csv" \
    --root "$HOLSTEIN" --json "$WORK/eval-holstein-$2-$start-seed$SEED.json"
}
for start in ${STARTS:-pretrained scratch}; do
  extra=("${RECIPE[@]}")
  [[ $start == pretrained ]] && extra+=(--backbone-weights "$ROOT/models/pretrained/mobilenet_v2")
  start=$start$TAG
  if [[ ${CHOOSE:-0} == 1 ]]; then
    few_shot choose choose
    continue
  fi
  if [[ ${CHOOSE:-0} == val ]]; then
    model=$WORK/embedder-$start-choose-val-seed$SEED
    train "$model" "$WORK/holstein-splits/choose-val.csv"
    for means in 1 1000; do
      "$FARMID" eval-crops --model "$model" --split-csv "$WORK/holstein-splits/choose-val.csv" \
        --root "$HOLSTEIN" --means-per-animal "$means" \
        --json "$WORK/eval-holstein-choose-val-means$means-$start-seed$SEED.json"
    done
    continue
  fi
  model=$WORK/embedder-$start-seed$SEED
  train "$model" "$HOLSTEIN/split.csv"
  "$FARMID" eval-crops --model "$model" --split-csv "$DATA/holstein2025/split.csv" \
    --json "$WORK/eval-holstein-$start-seed$SEED.json"
  "$FARMID" eval-crops --model "$model" --split-csv "$WORK/holstein-splits/clip-disjoint.csv" \
    --root "$HOLSTEIN" --json "$WORK/eval-holstein-clip-disjoint-$start-seed$SEED.json"
  "$FARMID" eval-crops --model "$model" --split-csv "$PIGS/split.csv" \
    --json "$WORK/eval-securepig-$start-seed$SEED.json"
  if [[ ${HELDOUT:-0} == 1 ]]; then
    few_shot heldout fewshot
  fi
done
echo "figures: $WORK/eval-*.json"
