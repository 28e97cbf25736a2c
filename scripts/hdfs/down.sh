#!/usr/bin/env bash
# Stops exactly the NameNode and DataNode scripts/hdfs/up.sh started (by the ids it recorded, each
# checked to still be that daemon) and nothing else. The filesystem's data stays in DIR until the
# next up.sh formats a new one.
#
#   scripts/hdfs/down.sh [--dir DIR]
set -euo pipefail
# shellcheck source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
hdfs_options "$@"
stopped=0
for name in datanode namenode; do
  f="$HDFS_DIR/pids/$name.pid"
  [ -f "$f" ] || continue
  if hdfs_alive "$f" "$(hdfs_class "$name")"; then
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
rm -f "$HDFS_DIR/url"
echo "$stopped process(es) stopped; logs kept in $HDFS_DIR/logs"
