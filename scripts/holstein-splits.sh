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
#   OUT/choose-train.csv     heldout-train.csv less every fourth of its cows in id order (15 of
#   OUT/choose-fewshot.csv   61), and those cows enrolled and queried as above: the same test
#                            made only of cows the report's model trains on, to choose a training
#                            recipe on without looking at the 21 held-out cows
#   OUT/choose-val.csv       the train rows alone: every fifth crop of each cow (name order) is
#                            val, the others train; like split.csv, most val crops share a clip
#                            with train crops: a classifier is chosen there, never on val
#
#   scripts/holstein-splits.sh OUT
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SPLIT=$ROOT/../shared/data/holstein2025/split.csv
OUT=${1:?usage: holstein-splits.sh OUT}
[[ -f $SPLIT ]] || { echo "holstein-splits: no $SPLIT" >&2; exit 2; }
mkdir -p "$OUT"
export LC_ALL=C
HELD_ROWS=$(mktemp)
trap 'rm -f "$HELD_ROWS" "$HELD_ROWS.best"' EXIT

# few_shot IN HELD_IDS TRAIN_OUT FEWSHOT_OUT [DISJOINT_OUT]: the train rows of IN's cows not in
# HELD_IDS to TRAIN_OUT; the held cows' rows to FEWSHOT_OUT (the first 3 crops, in name order, of
# each one's largest clip enrol it, its crops of other clips are queries); with DISJOINT_OUT, every
# train row and the val rows whose clip gave no train crop of that cow.
few_shot() {
awk -F, -v held_ids="$2" -v train_out="$3" -v disjoint_out="${5:-}" -v held_rows="$HELD_ROWS" '
  function clip(p,   n) {
    n = p; sub(/.*\//, "", n)
    sub(/\.[jJ][pP][eE]?[gG]$/, "", n); sub(/_cls[0-9]+$/, "", n); sub(/_obj[0-9]+$/, "", n)
    sub(/\([0-9]+\)$/, "", n); sub(/[_-][0-9]+$/, "", n)
    return n
  }
  BEGIN { n = split(held_ids, h, ","); for (i = 1; i <= n; i++) held[h[i]] = 1 }
  NR == 1 { next }
  { path[NR] = $1; id[NR] = $2; split_[NR] = $3; c[NR] = clip($1)
    if ($3 == "train") trained[$2 SUBSEP c[NR]] = 1
    size[$2 SUBSEP c[NR]]++ }
  END {
    header = "path,identity,split"
    print header > train_out
    if (disjoint_out != "") print header > disjoint_out
    for (r = 2; r <= NR; r++) {
      if (disjoint_out != "" && (split_[r] == "train" || !((id[r] SUBSEP c[r]) in trained)))
        print path[r] "," id[r] "," split_[r] > disjoint_out
      if (!(id[r] in held) && split_[r] == "train")
        print path[r] "," id[r] ",train" > train_out
      if (id[r] in held) {
        k = id[r] SUBSEP c[r]
        if (!(id[r] in best) || size[k] > size[id[r] SUBSEP best[id[r]]] ||
            (size[k] == size[id[r] SUBSEP best[id[r]]] && c[r] < best[id[r]])) best[id[r]] = c[r]
        print path[r] "," id[r] "," c[r] > held_rows
      }
    }
    # Each held-out cow: path, identity, its largest clip (ties: the first clip by name).
    close(held_rows)
    for (k in best) print k "," best[k] > (held_rows ".best")
  }' "$1"
sort "$HELD_ROWS" | awk -F, -v best_file="$HELD_ROWS.best" '
  BEGIN { while ((getline l < best_file) > 0) { split(l, f, ","); best[f[1]] = f[2] }
          print "path,identity,split" }
  { if ($3 == best[$2]) { if (enrolled[$2]++ < 3) print $1 "," $2 ",train" }
    else print $1 "," $2 ",val" }' > "$4"
rm -f "$HELD_ROWS.best"
}

# every fourth cow in id order (of $1's rows), counted from the $2-th: the ids, comma-separated
cows() { tail -n +2 "$1" | cut -d, -f2 | sort -u | awk -v r="$2" 'NR % 4 == r' | paste -sd,; }

# Every fourth cow in id order, from the second, is held out of training.
few_shot "$SPLIT" "$(cows "$SPLIT" 2)" "$OUT/heldout-train.csv" "$OUT/heldout-fewshot.csv" \
  "$OUT/clip-disjoint.csv"
# Among the cows left, every fourth, from the fourth, is held out of choosing.
few_shot "$OUT/heldout-train.csv" "$(cows "$OUT/heldout-train.csv" 0)" "$OUT/choose-train.csv" \
  "$OUT/choose-fewshot.csv"
# The train rows alone, every fifth crop of each cow in name order made val.
{ echo "path,identity,split"
  awk -F, 'NR > 1 && $3 == "train"' "$SPLIT" | sort -t, -k2,2 -k1,1 |
    awk -F, '{ print $1 "," $2 "," (++n[$2] % 5 == 0 ? "val" : "train") }'; } > "$OUT/choose-val.csv"
for f in clip-disjoint heldout-train heldout-fewshot choose-train choose-fewshot choose-val; do
  echo "$OUT/$f.csv: $(($(wc -l < "$OUT/$f.csv") - 1)) rows"
done
