#!/usr/bin/env bash
# The detector on real top-view pens, measured on frames it never trained on: the hand-labelled
# SecurePig views (jobs/src/test/resources/securepig-views, 24 views of four ceiling cameras,
# rebuilt from ../shared/data/securepig-clips). The detectors:
#   default      models/detector-default (synthetic pens only, random start)
#   imagenet     the mobilenet_v2 detector from the ImageNet backbone, trained on the synthetic
#                frames SYNTH31 and FaroPig train (x40), 20 epochs (no SecurePig frame)
#   fold         imagenet fine-tuned 8 epochs on the views of two cameras (x40, beside SYNTH31 and
#                FaroPig train x20) and measured on the other two: the loop a farm runs when it
#                labels a few frames of some of its cameras, here with cameras disjoint
#   cn           the centernet detector (the COCO CenterNet's MobileNetV3 + feature pyramid under
#                one-class heads, input 320x192) fine-tuned from COCO on SYNTH31 (every 12th
#                frame) and FaroPig train x40, 8 epochs (no SecurePig frame)
#   cnfold       the centernet detector fine-tuned from COCO, 8 epochs, on the fold data above
#   scratch      the compact network from random weights on the same fold data and recipe: what
#                the COCO start adds
#   cnall        the centernet detector fine-tuned from COCO on all 24 views (x40, SYNTH31, FaroPig
#                train x20): the detector a farm has after labelling them, which
#                scripts/pig-tracks.sh follows the pigs with (no unseen SecurePig view left)
#   cn448, cnfold448  cn and cnfold with the input at 448x256 instead of 320x192 (the views are
#                640x360), the recipe otherwise the same
#   cnclip448    the cnfold448 recipe with the views split by clip instead of by camera: trained on
#                the 12 views of one clip (all four cameras), measured on the other clip's 12
#                (the loop of a farm that labels a few frames of each of its cameras, then runs
#                the model on the rest of its footage; the clips are 12 minutes apart)
#   zc-CAM-zZ    zoomed training frames (--zoom-share 0.5 --zoom-max 2; z0: none), chosen inside
#                the 23/24 fold's own cameras: the cnfold448 recipe on one camera's six views,
#                measured on the other camera's (23 -> 24 and 24 -> 23)
#   zfold-c2324-zZ  cnfold448 on 23/24 with that zoom (z2) and without (z0), measured on the
#                cameras never seen (21/22): tried, not kept (README, Real pens)
#   self448      cnfold448 trained again with the farm's unlabelled footage beside the labels: every
#                view of both clips every 0.2 s, at least 1 s from any labelled view's time,
#                pre-labelled by that fold's cnfold448 (score >= 0.5, x3) (self-training on the
#                cameras' own footage; no label of the held-out cameras is used): tried, not
#                kept (README, Real pens)
# and each on FaroPig val and the synthetic seed-22 archive (the default detector's own test),
# to see what real frames cost elsewhere. Run on demand (about 5 hours on 2 cores); figures land
# in WORK/*.json and WORK/figures.md.
#
#   scripts/eval-real-pens.sh [WORK_DIR]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${1:-/tmp/farmid-real-pens}
DATA=$ROOT/../shared/data
F="$ROOT/scripts/farmid"
VIEWS=$ROOT/jobs/src/test/resources/securepig-views
for need in securepig-clips faropig/data.yaml; do
  [[ -e "$DATA/$need" ]] || { echo "eval-real-pens: no $DATA/$need" >&2; exit 2; }
done
mkdir -p "$WORK"

# The views, all of them and by camera pair (a filtered frames file keeps those views' boxes).
views() { # NAME CAMERA_REGEX
  [[ -f "$WORK/$1/annotations.json" ]] && return
  grep -E "^file_name|^($2)_" "$VIEWS/frames.csv" > "$WORK/$1.csv"
  "$F" export-frames --archive "$DATA/securepig-clips" --frames "$WORK/$1.csv" \
    --labels "$VIEWS/annotations.json" --out "$WORK/$1" --conf "$VIEWS/mosaic.conf"
}
views securepig 'D68VOGH2[1-4]'
views c2122 'D68VOGH21|D68VOGH22'
views c2324 'D68VOGH23|D68VOGH24'
views cdis 'D68VOGH2[1-4]_undated_Displacement'
views cflee 'D68VOGH2[1-4]_undated_Fleeing'
views c23 'D68VOGH23'
views c24 'D68VOGH24'

[[ -d "$WORK/synth31" ]] || "$F" synth --out "$WORK/synth31" --seed 31 --cameras 48 --days 1 \
  --minutes 0.5 --clip-minutes 0.5 --night-fraction 0.3 --visitors 1 --herd-changes 0 --enrol-crops 0
[[ -d "$WORK/synth22" ]] || "$F" synth --out "$WORK/synth22" --seed 22 --night-fraction 0.3 \
  --enrol-crops 0
COMMON=(--seed 1 --frame-step 6 --test-flips xy --soft-nms-sigma 0.25 --learning-rate-schedule cosine)
[[ -f "$WORK/imagenet/model.json" ]] || "$F" train-detector --backbone mobilenet_v2 \
  --backbone-weights "$ROOT/models/pretrained/mobilenet_v2" --archive "$WORK/synth31" \
  --archive "$DATA/faropig/train@40" --epochs 20 --learning-rate 0.002 "${COMMON[@]}" \
  --out "$WORK/imagenet"
for fold in c2122:c2324 c2324:c2122; do
  train=${fold%%:*}
  [[ -f "$WORK/fold-$train/model.json" ]] || "$F" train-detector --init-from "$WORK/imagenet" \
    --archive "$WORK/synth31" --archive "$WORK/$train@40" --archive "$DATA/faropig/train@20" \
    --epochs 8 --learning-rate 0.001 "${COMMON[@]}" --out "$WORK/fold-$train"
done
# The COCO start: the same recipe for every centernet and scratch model, fixed before any was
# measured.
CN=(--seed 1 --frame-step 12 --test-flips xy --soft-nms-sigma 0.25 --learning-rate-schedule cosine
  --learning-rate 0.001 --epochs 8)
COCO=(--backbone centernet --backbone-weights "$ROOT/models/pretrained/centernet")
[[ -f "$WORK/cn/model.json" ]] || "$F" train-detector "${COCO[@]}" --input-size 320x192 "${CN[@]}" \
  --archive "$WORK/synth31" --archive "$DATA/faropig/train@40" --out "$WORK/cn"
[[ -f "$WORK/cn448/model.json" ]] || "$F" train-detector "${COCO[@]}" --input-size 448x256 \
  "${CN[@]}" --archive "$WORK/synth31" --archive "$DATA/faropig/train@40" --out "$WORK/cn448"
[[ -f "$WORK/cnall/model.json" ]] || "$F" train-detector "${COCO[@]}" --input-size 320x192 \
  "${CN[@]}" --archive "$WORK/synth31" --archive "$WORK/securepig@40" \
  --archive "$DATA/faropig/train@20" --out "$WORK/cnall"
for train in c2122 c2324; do
  for net in cnfold cnfold448 scratch; do
    [[ -f "$WORK/$net-$train/model.json" ]] && continue
    extra=()
    [[ $net == cnfold ]] && extra=("${COCO[@]}" --input-size 320x192)
    [[ $net == cnfold448 ]] && extra=("${COCO[@]}" --input-size 448x256)
    "$F" train-detector "${extra[@]}" "${CN[@]}" --archive "$WORK/synth31" \
      --archive "$WORK/$train@40" --archive "$DATA/faropig/train@20" --out "$WORK/$net-$train"
  done
done

for train in cdis cflee; do
  [[ -f "$WORK/cnclip448-$train/model.json" ]] || "$F" train-detector "${COCO[@]}" \
    --input-size 448x256 "${CN[@]}" --archive "$WORK/synth31" --archive "$WORK/$train@40" \
    --archive "$DATA/faropig/train@20" --out "$WORK/cnclip448-$train"
done

# The cameras' unlabelled footage: every view every 0.2 s, less the frames within 1 s of a labelled
# view's time (1.68, 5.04 and 8.4 s in both clips), pre-labelled by each fold's detector.
if [[ ! -f "$WORK/unlabelled/annotations.json" ]]; then
  [[ -f "$WORK/every/frames.csv" ]] || "$F" export-frames --archive "$DATA/securepig-clips" \
    --every 0.2 --conf "$VIEWS/mosaic.conf" --out "$WORK/every"
  awk -F, 'BEGIN { split("1680 5040 8400", labelled, " ") }
    NR == 1 { print; next }
    { near = 0
      for (i in labelled) if (($7 - labelled[i]) ^ 2 < 1000 ^ 2) near = 1
      if (!near) print }' "$WORK/every/frames.csv" > "$WORK/unlabelled.csv"
  "$F" export-frames --archive "$DATA/securepig-clips" --frames "$WORK/unlabelled.csv" \
    --conf "$VIEWS/mosaic.conf" --out "$WORK/unlabelled"
fi
for train in c2122 c2324; do
  pseudo=$WORK/unlabelled/pre-labels-cnfold448-$train.json
  [[ -f "$pseudo" ]] || "$F" pre-label --export "$WORK/unlabelled" \
    --model "$WORK/cnfold448-$train" --score 0.5 --out "$pseudo"
  [[ -f "$WORK/self448-$train/model.json" ]] || "$F" train-detector "${COCO[@]}" \
    --input-size 448x256 "${CN[@]}" --archive "$WORK/synth31" --archive "$WORK/$train@40" \
    --archive "$DATA/faropig/train@20" --archive "$pseudo@3" --out "$WORK/self448-$train"
done

ev() { # MODEL_DIR DATA MODEL_NAME DATA_NAME
  [[ -f "$WORK/eval-$3@$4.json" ]] || "$F" eval-detector --model "$1" --archive "$2" \
    --json "$WORK/eval-$3@$4.json"
}
# Zoomed training frames: chosen on one camera of the 23/24 fold against the other, then the fold.
for pair in c23:c24 c24:c23; do
  train=${pair%%:*}
  for z in 0 2; do
    zoom=(); [[ $z != 0 ]] && zoom=(--zoom-share 0.5 --zoom-max "$z")
    [[ -f "$WORK/zc-$train-z$z/model.json" ]] || "$F" train-detector "${COCO[@]}" \
      --input-size 448x256 "${CN[@]}" "${zoom[@]}" --archive "$WORK/synth31" \
      --archive "$WORK/$train@40" --archive "$DATA/faropig/train@20" --out "$WORK/zc-$train-z$z"
    ev "$WORK/zc-$train-z$z" "$WORK/${pair#*:}" "zc-$train-z$z" "${pair#*:}"
  done
done
# the 23/24 fold with that zoom, beside the same recipe without it (z0, trained with the same build)
for z in 0 2; do
  zoom=(); [[ $z != 0 ]] && zoom=(--zoom-share 0.5 --zoom-max "$z")
  [[ -f "$WORK/zfold-c2324-z$z/model.json" ]] || "$F" train-detector "${COCO[@]}" \
    --input-size 448x256 "${CN[@]}" "${zoom[@]}" --archive "$WORK/synth31" \
    --archive "$WORK/c2324@40" --archive "$DATA/faropig/train@20" --out "$WORK/zfold-c2324-z$z"
  ev "$WORK/zfold-c2324-z$z" "$WORK/c2122" "zfold-c2324-z$z" c2122
  ev "$WORK/zfold-c2324-z$z" "$DATA/faropig" "zfold-c2324-z$z" faropig
done
for name in default imagenet cn cn448 cnall fold-c2122 fold-c2324 cnfold-c2122 cnfold-c2324 \
    cnfold448-c2122 cnfold448-c2324 self448-c2122 self448-c2324 scratch-c2122 scratch-c2324 \
    cnclip448-cdis cnclip448-cflee; do
  model="$WORK/$name"; [[ $name == default ]] && model="$ROOT/models/detector-default"
  case $name in
    *-c2122) ev "$model" "$WORK/c2324" "$name" c2324 ;;   # the cameras it never saw
    *-c2324) ev "$model" "$WORK/c2122" "$name" c2122 ;;
    *-cdis) ev "$model" "$WORK/cflee" "$name" cflee ;;      # the clip it never saw
    *-cflee) ev "$model" "$WORK/cdis" "$name" cdis ;;
    cnall) ;;                                              # every view trained on
    *) ev "$model" "$WORK/securepig" "$name" securepig
       ev "$model" "$WORK/c2122" "$name" c2122; ev "$model" "$WORK/c2324" "$name" c2324 ;;
  esac
  ev "$model" "$DATA/faropig" "$name" faropig
  ev "$model" "$WORK/synth22" "$name" synth22
done
{
  echo "| model | data | mAP50 | mAP | confident precision | confident recall |"
  echo "|---|---|---:|---:|---:|---:|"
  for f in "$WORK"/eval-*@*.json; do
    n=$(basename "$f" .json); n=${n#eval-}
    sed -e 's/[{},]/\n/g' "$f" | awk -F: -v m="${n%@*}" -v d="${n#*@}" '
      { gsub(/[" ]/, "", $1); gsub(/ /, "", $2); v[$1] = $2 }
      END { printf "| %s | %s | %.3f | %.3f | %.3f | %.3f |\n", m, d, v["map50"], v["map"],
              v["precision50_confident"], v["recall50_confident"] }'
  done
} > "$WORK/figures.md"
cat "$WORK/figures.md"
