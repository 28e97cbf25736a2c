#!/usr/bin/env bash
# Starts worker N of a running cluster again (after it died or was stopped), with the cores and
# memory up.sh gave it, and waits until the master has it back.
#
#   scripts/cluster/worker.sh N [--dir DIR]
set -euo pipefail
# shellcheck source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
N="${1:-}"
[[ "$N" =~ ^[1-9][0-9]*$ ]] || { echo "worker.sh: give the worker number, e.g. worker.sh 1 (see --help)" >&2; exit 2; }
shift
cluster_options "$@"
[ -f "$CLUSTER_DIR/master-url" ] || { echo "worker.sh: no cluster in $CLUSTER_DIR (start one with up.sh)" >&2; exit 1; }
# shellcheck disable=SC1091
. "$CLUSTER_DIR/cluster.env"
if cluster_alive "$CLUSTER_DIR/pids/worker-$N.pid" "$(cluster_class worker)"; then
  echo "worker-$N already runs (pid $(cat "$CLUSTER_DIR/pids/worker-$N.pid"))"
  exit 0
fi
cluster_env
since=$(( $(wc -l <"$CLUSTER_DIR/logs/worker-$N.log" 2>/dev/null || echo 0) + 1 ))
cluster_start_worker "$N"
if ! cluster_wait_for "$CLUSTER_DIR/logs/worker-$N.log" "Successfully registered with master" "$since"; then
  echo "worker.sh: worker-$N did not register within 60 s; its log: $CLUSTER_DIR/logs/worker-$N.log" >&2
  exit 1
fi
echo "worker-$N running (pid $(cat "$CLUSTER_DIR/pids/worker-$N.pid"))"
