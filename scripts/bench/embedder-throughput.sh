#!/usr/bin/env bash
# Embedder inference throughput on CPU at batch 1, 8 and 32, side by side in one process.
# Usage: scripts/bench/embedder-throughput.sh [MODEL_DIR] [JSON_OUT]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
MODEL=${1:-$ROOT/models/embedder-default}
JSON=${2:-/tmp/farmid-bench-embedder.json}
"$ROOT/scripts/farmid" bench-embedder --model "$MODEL" --batches 1,8,32 --crops 512 --json "$JSON"
echo "figures written to $JSON"
