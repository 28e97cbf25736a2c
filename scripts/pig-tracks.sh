#!/usr/bin/env bash
# An embedder learnt from a farm's own unlabelled footage, measured on real pigs: the SecurePig
# Displacement clip exported every 0.2 s per camera view, a detector's boxes linked into tracks
# (pre-label --link), one folder of crops per track (cut-crops), the embedder trained on those
# tracks as identities (ImageNet start and random start, same settings); then evaluated on the
# hand-labelled pig identity set (jobs/src/test/resources/securepig-views: three crops of each pig
# from the Displacement clip enrol it, its 55 crops from the Fleeing clip are classified). The
# numbers another tracker burnt in beside each pig name the pigs of the identity set, so every crop,
# tracks and identity set alike, is cut with --mask-overlay: no embedder can read them. With
# QUERY_CLIP=1 the Fleeing clip's tracks are trained on too (unlabelled, but the clip the queries
# come from: a transductive figure, reported apart). With ENROL_CLIP=Fleeing it runs the other
# direction: the Fleeing clip's three crops of each pig enrol it, its Displacement crops are
# asked, and the tracks trained on are the Fleeing clip's. TRAIN_ARGS adds train-embedder options to
# every training (a recipe, chosen on scripts/track-splits.sh's split of the same tracks, never on
# the identity set); its models and figures are named with TAG. Run on demand (not a test);
# figures land in WORK/*.json.
#
#   [QUERY_CLIP=1] [ENROL_CLIP=Displacement|Fleeing] [TRAIN_ARGS="..." TAG=name] \
#     scripts/pig-tracks.sh WORK_DIR DETECTOR_DIR [SEEDS] [EPOCHS]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [[ $# -lt 2 ]]; then
  echo "usage: scripts/pig-tracks.sh WORK_DIR DETECTOR_DIR [SEEDS] [EPOCHS]" >&2
  echo "  DETECTOR_DIR: a detector that finds the SecurePig pigs, e.g. the 'cnall' model of" >&2
  echo "  scripts/eval-real-pens.sh (the COCO CenterNet fine-tuned on the 24 labelled views)" >&2
  exit 2
fi
WORK=$1
DETECTOR=$2
SEEDS=${3:-1 2 3}
EPOCHS=${4:-20}
DATA=$ROOT/../shared/data
FARMID="$ROOT/scripts/farmid"
VIEWS=$ROOT/jobs/src/test/resources/securepig-views
MASK=(--mask-overlay 50)
if [[ ! -d "$DATA/securepig-clips" ]]; then
  echo "pig-tracks: no $DATA/securepig-clips (the real data beside the repository)" >&2
  exit 2
fi
case ${ENROL_CLIP:-Displacement} in
  Displacement)
    ENROL=Displacement_Involved_ID2_ID10.mp4 OTHER=Fleeing_Involved_ID7_ID12.mp4 SUFFIX= ;;
  Fleeing)
    ENROL=Fleeing_Involved_ID7_ID12.mp4 OTHER=Displacement_Involved_ID2_ID10.mp4 SUFFIX=-fleeing ;;
  *)
    echo "pig-tracks: ENROL_CLIP must be Displacement or Fleeing, got '$ENROL_CLIP'" >&2
    exit 2 ;;
esac
mkdir -p "$WORK"

PIGS=$WORK/securepig-crops-masked$SUFFIX
if [[ ! -f "$PIGS/split.csv" ]]; then
  echo "== the pig identity set, overlay masked, enrolled from ${ENROL%%_*}"
  rm -rf "$WORK/securepig-views$SUFFIX" "$PIGS"
  "$FARMID" export-frames --archive "$DATA/securepig-clips" --frames "$VIEWS/frames.csv" \
    --labels "$VIEWS/annotations.json" --conf "$VIEWS/mosaic.conf" --out "$WORK/securepig-views$SUFFIX"
  "$FARMID" cut-crops --labels "$WORK/securepig-views$SUFFIX" --out "$PIGS" --enrol 3 \
    --enrol-first "${ENROL%%_*}" "${MASK[@]}"
fi

CLIPS=("$ENROL")
NAME=tracks$SUFFIX
if [[ ${QUERY_CLIP:-0} == 1 ]]; then
  CLIPS+=("$OTHER")
  NAME=tracks-both-clips
fi
if [[ ! -f "$WORK/$NAME-crops/split.csv" ]]; then
  echo "== tracks of ${CLIPS[*]}: every 0.2 s, linked, one folder per track"
  rm -rf "$WORK/$NAME-archive" "$WORK/$NAME-export" "$WORK/$NAME-crops"
  mkdir -p "$WORK/$NAME-archive"
  for c in "${CLIPS[@]}"; do cp "$DATA/securepig-clips/$c" "$WORK/$NAME-archive/"; done
  "$FARMID" export-frames --archive "$WORK/$NAME-archive" --conf "$VIEWS/mosaic.conf" \
    --out "$WORK/$NAME-export" --every 0.2
  "$FARMID" pre-label --export "$WORK/$NAME-export" --model "$DETECTOR" --link --min-track 10 \
    --json "$WORK/$NAME-pre-label.json"
  "$FARMID" cut-crops --labels "$WORK/$NAME-export/pre-labels.json" --out "$WORK/$NAME-crops" \
    "${MASK[@]}" --json "$WORK/$NAME-cut.json"
fi

echo "== baselines on the masked identity set"
"$FARMID" eval-crops --model "$ROOT/models/embedder-default" --split-csv "$PIGS/split.csv" \
  --json "$WORK/eval-pigs$SUFFIX-default.json"

COMMON=(--width 1.0 --epochs "$EPOCHS" --learning-rate 0.001 --learning-rate-schedule cosine)
read -r -a RECIPE <<< "${TRAIN_ARGS:-}"
COMMON+=("${RECIPE[@]}")
RUN=$NAME${TAG:+-$TAG}
for seed in $SEEDS; do
  for start in pretrained scratch; do
    # from random weights: the first seed only, beside the pretrained start
    [[ $start == scratch && $seed != "${SEEDS%% *}" ]] && continue
    extra=()
    [[ $start == pretrained ]] && extra=(--backbone-weights "$ROOT/models/pretrained/mobilenet_v2")
    model=$WORK/embedder-$RUN-$start-seed$seed
    echo "== embedder on the tracks, $start, seed $seed"
    [[ -f "$model/model.json" ]] || "$FARMID" train-embedder "${COMMON[@]}" "${extra[@]}" \
      --seed "$seed" --crops "$WORK/$NAME-crops" --out "$model" \
      --json "$WORK/train-$RUN-$start-seed$seed.json"
    "$FARMID" eval-crops --model "$model" --split-csv "$PIGS/split.csv" \
      --json "$WORK/eval-pigs$SUFFIX-$RUN-$start-seed$seed.json"
  done
done
echo "== macro F1 on the masked pig identity set (enrolled from ${ENROL%%_*})"
for f in "$WORK"/eval-pigs$SUFFIX-*.json; do
  [[ -z $SUFFIX && $f == */eval-pigs-fleeing-* ]] && continue
  printf '%-60s %s\n' "$(basename "$f" .json)" "$(grep -o '"macro_f1" : [0-9.]*' "$f" | cut -d' ' -f3)"
done
