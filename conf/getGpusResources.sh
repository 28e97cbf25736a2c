#!/usr/bin/env bash
# Spark GPU discovery script (spark.executor.resource.gpu.discoveryScript): prints the GPUs of
# this machine as Spark's ResourceInformation JSON, e.g. {"name": "gpu", "addresses": ["0","1"]}.
# Needs nvidia-smi; prints no addresses when there is none, so executors start without GPUs.
set -euo pipefail
if command -v nvidia-smi >/dev/null 2>&1; then
  ADDRS=$(nvidia-smi --query-gpu=index --format=csv,noheader | sed -e 's/^ *//' -e 's/.*/"&"/' | paste -sd, -)
else
  ADDRS=""
fi
echo "{\"name\": \"gpu\", \"addresses\": [${ADDRS}]}"
