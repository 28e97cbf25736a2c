#!/usr/bin/env bash
# Stops exactly the processes scripts/cluster/up.sh started (by the ids it recorded, each checked
# to still be that Spark master or worker) and nothing else; workers stop their executors.
#
#   scripts/cluster/down.sh [--dir DIR]
set -euo pipefail
# shellcheck source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cluster_options "$@"
shopt -s nullglob
stopped=0
# workers first, so they do not try to re-register with a stopping master
for f in "$CLUSTER_DIR"/pids/worker-*.pid "$CLUSTER_DIR/pids/master.pid"; do
  [ -f "$f" ] || continue
  name=$(basename "$f" .pid)
  if cluster_alive "$f" "$(cluster_class "$f")"; then
    pid=$(cat "$f")
    kill "$pid"
    for _ in $(seq 1 40); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.25
    done
    if kill -0 "$pid" 2>/dev/null; then
      kill -9 "$pid"
    fi
    echo "stopped $name (pid $pid)"
    stopped=$((stopped + 1))
  else
    echo "$name: not running"
  fi
  rm -f "$f"
done
rm -f "$CLUSTER_DIR/master-url"
echo "$stopped process(es) stopped; logs kept in $CLUSTER_DIR/logs"
