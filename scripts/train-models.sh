#!/usr/bin/env bash
# Reproduces the committed default models from generated data. Seeds are fixed here:
#   training animals: synth --seed 131 (16 pens x 10 animals, 20 enrolment crops each)
#   unseen animals:   synth --seed 202 (2 pens x 10 animals, 20 crops each), never trained on
#   embedder:         train-embedder --seed 1 (settings from conf/application.conf, among them
#                     the cosine-softmax term with margin 0.25), 45 epochs,
#                     then fine-tuned from it (--init-from) for 15 epochs, learning rate 0.0005
#                     on a cosine, with partial views and neighbours' bands (shares 0.3 and 0.3)
#   detector frames:  synth --seed 31 (48 pen layouts, 30% night clips); evaluated on --seed 22
#                     and --seed 23
#   detector:         train-detector --seed 1 --epochs 60 --frame-step 6 --stride 4 --giou-weight 5,
#                     exported with --test-flips xy --soft-nms-sigma 0.25; then fine-tuned across
#                     the operating envelope: synth --seed 41..44 (12 pens each of 6 / 12 / 20 / 30
#                     animals, 2 visitors, half the clips at night) beside the seed-31 frames,
#                     25 epochs from it at 0.001 on a cosine. Chosen over the detector above on
#                     choosing archives (seeds 6100-6103); reported on seeds 7000+ and 22 / 23
#   pretrained:       models/pretrained/mobilenet_v2 is not trained here: scripts/import-pretrained.sh
#                     converts it from the npm package nsfwjs@4.4.0 (ImageNet MobileNetV2); the
#                     default models above start from random weights
# Usage: scripts/train-models.sh [WORK_DIR]   (default: /tmp/farmid-train-models)
# About 70 minutes on 2 cores. Figures land in WORK_DIR/*.json.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${1:-/tmp/farmid-train-models}
FARMID="$ROOT/scripts/farmid"
mkdir -p "$WORK"

echo "== training animals (seed 131: 160 animals in 16 pens)"
"$FARMID" synth --out "$WORK/train-animals" --seed 131 --cameras 16 --days 1 --minutes 0.1 \
  --clip-minutes 0.1 --animals 10 --visitors 0 --herd-changes 0 --enrol-crops 20
echo "== unseen animals (seed 202)"
"$FARMID" synth --out "$WORK/unseen-animals" --seed 202 --cameras 2 --days 1 --minutes 0.1 \
  --clip-minutes 0.1 --animals 10 --visitors 0 --herd-changes 0 --enrol-crops 20

echo "== embedder -> models/embedder-default"
rm -rf "$WORK/embedder-base" "$WORK/embedder-default"
"$FARMID" train-embedder --crops "$WORK/train-animals/enrol" --out "$WORK/embedder-base" \
  --seed 1 --epochs 45 --patience 12 --json "$WORK/train-embedder-base.json"
echo "== embedder fine-tuned on partial and touching views"
"$FARMID" train-embedder --crops "$WORK/train-animals/enrol" --out "$WORK/embedder-default" \
  --init-from "$WORK/embedder-base" --seed 1 --epochs 15 --patience 15 --learning-rate 0.0005 \
  --learning-rate-schedule cosine --partial-view-share 0.3 --occlusion-share 0.3 \
  --json "$WORK/train-embedder.json"
echo "== nearest-mean F1 on unseen animals"
"$FARMID" eval-crops --model "$WORK/embedder-default" --crops "$WORK/unseen-animals/enrol" \
  --json "$WORK/eval-unseen.json"

echo "== detector frames (seed 31: 48 pen layouts) and evaluation frames (seeds 22 and 23)"
# Every sixth frame of 48 layouts rather than every second of 16: as many frames per epoch, three
# times the pens (mAP on the unseen archives 0.777 / 0.762 -> 0.811 / 0.801; see README, Figures).
"$FARMID" synth --out "$WORK/detector-train" --seed 31 --cameras 48 --days 1 --minutes 0.5 \
  --clip-minutes 0.5 --night-fraction 0.3 --visitors 1 --herd-changes 0 --enrol-crops 0
for seed in 22 23; do
  "$FARMID" synth --out "$WORK/detector-eval-$seed" --seed $seed --night-fraction 0.3 --enrol-crops 0
done
echo "== detector at the demo's density (8 animals per pen)"
rm -rf "$WORK/detector-base" "$WORK/detector-default"
"$FARMID" train-detector --archive "$WORK/detector-train" --out "$WORK/detector-base" \
  --seed 1 --epochs 60 --frame-step 6 --stride 4 --giou-weight 5 --test-flips xy \
  --soft-nms-sigma 0.25 --json "$WORK/train-detector-base.json"
echo "== envelope frames (seeds 41-44: 12 pens each of 6 / 12 / 20 / 30 animals, 2 visitors, half night)"
for spec in "41 6" "42 12" "43 20" "44 30"; do
  set -- $spec
  "$FARMID" synth --out "$WORK/envelope-$2" --seed "$1" --cameras 12 --days 1 --minutes 0.5 \
    --clip-minutes 0.5 --animals "$2" --visitors 2 --night-fraction 0.5 --herd-changes 0 \
    --enrol-crops 0
done
echo "== detector fine-tuned across the envelope -> models/detector-default"
"$FARMID" train-detector --archive "$WORK/envelope-6" --archive "$WORK/envelope-12" \
  --archive "$WORK/envelope-20" --archive "$WORK/envelope-30" --archive "$WORK/detector-train" \
  --init-from "$WORK/detector-base" --out "$WORK/detector-default" --seed 1 --epochs 25 \
  --frame-step 6 --learning-rate 0.001 --learning-rate-schedule cosine --test-flips xy \
  --soft-nms-sigma 0.25 --json "$WORK/train-detector.json"
for seed in 22 23; do
  "$FARMID" eval-detector --model "$WORK/detector-default" --archive "$WORK/detector-eval-$seed" \
    --json "$WORK/eval-detector-$seed.json"
done

for m in embedder-default detector-default; do
  rm -rf "${ROOT:?}/models/$m"
  cp -r "$WORK/$m" "$ROOT/models/$m"
done
echo "models/embedder-default and models/detector-default updated; figures in $WORK"
