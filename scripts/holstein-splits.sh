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
export LC_ALL=C
# Every fourth cow in id order, from the second, is held out.
held=$(tail -n +2 "$SPLIT" | cut -d, -f2 | sort -u | awk 'NR % 4 == 2' | paste -sd,)
HELD_ROWS=$(mktemp)
trap 'rm -f "$HELD_ROWS"' EXIT
awk -F, -v out="$OUT" -v held_ids="$held" -v held_rows="$HELD_ROWS" '
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
    print header > (out "/clip-disjoint.csv"); print header > (out "/heldout-train.csv")
    for (r = 2; r <= NR; r++) {
      if (split_[r] == "train" || !((id[r] SUBSEP c[r]) in trained))
        print path[r] "," id[r] "," split_[r] > (out "/clip-disjoint.csv")
      if (!(id[r] in held) && split_[r] == "train")
        print path[r] "," id[r] ",train" > (out "/heldout-train.csv")
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
  }' "$SPLIT"
# In name order, the first 3 crops of each held-out cow's largest clip enrol it, the crops of its
# other clips are queries.
sort "$HELD_ROWS" | awk -F, -v best_file="$HELD_ROWS.best" '
  BEGIN { while ((getline l < best_file) > 0) { split(l, f, ","); best[f[1]] = f[2] }
          print "path,identity,split" }
  { if ($3 == best[$2]) { if (enrolled[$2]++ < 3) print $1 "," $2 ",train" }
    else print $1 "," $2 ",val" }' > "$OUT/heldout-fewshot.csv"
rm -f "$HELD_ROWS.best"
for f in clip-disjoint heldout-train heldout-fewshot; do
  echo "$OUT/$f.csv: $(($(wc -l < "$OUT/$f.csv") - 1)) rows"
done
