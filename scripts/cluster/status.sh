#!/usr/bin/env bash
# Reports the processes scripts/cluster/up.sh started and the executor JVMs under each worker.
#
#   scripts/cluster/status.sh [--dir DIR]      exit code 0 when master and every worker run
set -euo pipefail
# shellcheck source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cluster_options "$@"
shopt -s nullglob
files=("$CLUSTER_DIR"/pids/*.pid)
if [ ${#files[@]} -eq 0 ]; then
  echo "no cluster in $CLUSTER_DIR"
  exit 1
fi
[ -f "$CLUSTER_DIR/master-url" ] && echo "master url: $(cat "$CLUSTER_DIR/master-url")"
down=0
for f in "${files[@]}"; do
  name=$(basename "$f" .pid)
  pid=$(cat "$f")
  if cluster_alive "$f" "$(cluster_class "$f")"; then
    executors=$(pgrep -P "$pid" -f CoarseGrainedExecutorBackend | tr '\n' ' ' || true)
    echo "$name: running (pid $pid)${executors:+, executors: $executors}"
  else
    echo "$name: DOWN (recorded pid $pid)"
    down=1
  fi
done
exit $down
