#!/usr/bin/env bash
# A choosing split made of a farm's own unlabelled tracks (a cut-crops folder of pre-label --link
# tracks, one folder per track), so a training recipe can be chosen without the labelled identity
# set it is reported on. Each track's crops in time order (their names end in the frame's time):
#   OUT/choose-train.csv  the first half of every track's crops: what the recipe trains on
#   OUT/choose-eval.csv   each track of at least 15 crops: its first 3 crops enrol it (train),
#                         its last 30% are queries (val), seconds after the training half ends
# Paths are relative to CROPS (eval-crops --root CROPS).
#
#   scripts/track-splits.sh CROPS OUT
set -euo pipefail
CROPS=${1:?usage: track-splits.sh CROPS OUT}
OUT=${2:?usage: track-splits.sh CROPS OUT}
[[ -d $CROPS ]] || { echo "track-splits: no folder $CROPS" >&2; exit 2; }
mkdir -p "$OUT"
export LC_ALL=C
(cd "$CROPS" && find . -mindepth 2 -maxdepth 2 -name '*.png' | sed 's|^\./||' | sort) | awk -F/ -v out="$OUT" '
  { n[$1]++; path[$1, n[$1]] = $0 }
  END {
    print "path,identity,split" > (out "/choose-train.csv")
    print "path,identity,split" > (out "/choose-eval.csv")
    for (t in n) {
      half = int(n[t] / 2)
      for (i = 1; i <= half; i++) print path[t, i] "," t ",train" > (out "/choose-train.csv")
      if (n[t] < 15) continue
      for (i = 1; i <= 3; i++) print path[t, i] "," t ",train" > (out "/choose-eval.csv")
      for (i = n[t] - int(n[t] * 0.3) + 1; i <= n[t]; i++)
        print path[t, i] "," t ",val" > (out "/choose-eval.csv")
    }
  }'
for f in choose-train choose-eval; do
  echo "$OUT/$f.csv: $(($(wc -l < "$OUT/$f.csv") - 1)) rows"
done
