#!/usr/bin/env bash
# Harder splits of ../shared/data/holstein2025 than its own split.csv, whose val crops mostly come
# from clips that also gave train crops (near-duplicates on both sides). A crop's clip is its file
# name without the extension, "_clsN", "_objN", "(N)" and a trailing frame number ("_000034",
# "-3"), so 20250401093214_20250401093754_0018_cls0.jpg and ..._0028_cls0.jpg are one clip.
# Writes, with paths relative to the dataset's folder (eval-crops --root it):
#   OUT/clip-disjoint.csv    every train row, and the val rows whose clip gave no train crop of
#                            that cow (29 crops of 19 cows): identification across clips
#   OUT/heldout-train.csv    the train rows of the cows not held out (every fourth cow in id
#                            order, from the second, is held out: 21 of 82), to train on
#   OUT/heldout-fewshot.csv  the held-out cows: the first 3 crops (name order) of each one's
#                            largest clip enrol it (train), its crops of other clips are queries
#                            (val; 63 enrol, 791 queries): few-shot identification of cows
#                            never trained on
#
#   scripts/holstein-splits.sh OUT
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SPLIT=$ROOT/../shared/data/holstein2025/split.csv
OUT=${1:?usage: holstein-splits.sh OUT}
[[ -f $SPLIT ]] || { echo "holstein-splits: no $SPLIT" >&2; exit 2; }
mkdir -p "$OUT"
LC_ALL=C awk -F, -v out="$OUT" '
  function clip(p,   n) {
    n = p; sub(/.*\//, "", n)
    sub(/\.[jJ][pP][eE]?[gG]$/, "", n); sub(/_cls[0-9]+$/, "", n); sub(/_obj[0-9]+$/, "", n)
    sub(/\([0-9]+\)$/, "", n); sub(/[_-][0-9]+$/, "", n)
    return n
  }
  NR == 1 { next }
  { path[NR] = $1; id[NR] = $2; split_[NR] = $3; c[NR] = clip($1); ids[$2] = 1
    if ($3 == "train") trained[$2 SUBSEP c[NR]] = 1
    size[$2 SUBSEP c[NR]]++ }
  END {
    n = asorti_(ids, order)
    for (i = 2; i <= n; i += 4) held[order[i]] = 1
    h = "path,identity,split"
    print h > (out "/clip-disjoint.csv"); print h > (out "/heldout-train.csv")
    print h > (out "/heldout-fewshot.csv")
    for (r = 2; r <= NR; r++) {
      if (split_[r] == "train" || !((id[r] SUBSEP c[r]) in trained))
        print path[r] "," id[r] "," split_[r] > (out "/clip-disjoint.csv")
      if (!(id[r] in held) && split_[r] == "train")
        print path[r] "," id[r] ",train" > (out "/heldout-train.csv")
      if (id[r] in held) {
        k = id[r] SUBSEP c[r]
        if (!(id[r] in best) || size[k] > size[id[r] SUBSEP best[id[r]]] ||
            (size[k] == size[id[r] SUBSEP best[id[r]]] && c[r] < best[id[r]])) best[id[r]] = c[r]
      }
    }
    m = 0
    for (r = 2; r <= NR; r++) if (id[r] in held) rows[++m] = path[r] SUBSEP id[r] SUBSEP c[r]
    # name order within each cow: a plain insertion sort on the path (a few hundred rows)
    for (i = 2; i <= m; i++) { v = rows[i]; j = i - 1
      while (j > 0 && rows[j] > v) { rows[j + 1] = rows[j]; j-- } rows[j + 1] = v }
    for (i = 1; i <= m; i++) {
      split(rows[i], f, SUBSEP)
      if (f[3] == best[f[2]]) { if (enrolled[f[2]]++ < 3) print f[1] "," f[2] ",train" > (out "/heldout-fewshot.csv") }
      else print f[1] "," f[2] ",val" > (out "/heldout-fewshot.csv")
    }
  }
  function asorti_(a, o,   k, n, i, j, v) {
    n = 0; for (k in a) o[++n] = k
    for (i = 2; i <= n; i++) { v = o[i]; j = i - 1; while (j > 0 && o[j] > v) { o[j + 1] = o[j]; j-- } o[j + 1] = v }
    return n
  }' "$SPLIT"
for f in clip-disjoint heldout-train heldout-fewshot; do
  echo "$OUT/$f.csv: $(($(wc -l < "$OUT/$f.csv") - 1)) rows"
done
