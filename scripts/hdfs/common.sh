# Shared by up.sh and down.sh: options and the layout of an HDFS folder.
#   DIR/conf/            core-site.xml, hdfs-site.xml, log4j.properties (and empty webapps/)
#   DIR/name/, DIR/data/ the NameNode's metadata and the DataNode's blocks
#   DIR/pids/*.pid       namenode.pid, datanode.pid
#   DIR/logs/*.log       their logs
#   DIR/url              hdfs://127.0.0.1:PORT
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HDFS_DIR="${FARMID_HDFS_DIR:-${TMPDIR:-/tmp}/farmid-hdfs}"
PORT=9820

hdfs_usage() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
}

hdfs_options() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --dir) HDFS_DIR="$2"; shift 2 ;;
      --port) PORT="$2"; shift 2 ;;
      -h|--help) hdfs_usage; exit 0 ;;
      *) echo "$(basename "$0"): unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
  done
  HDFS_DIR=$(mkdir -p "$HDFS_DIR" && cd "$HDFS_DIR" && pwd)
}

# The class of a daemon, to check a recorded pid is still that daemon.
hdfs_class() { # namenode|datanode
  case "$1" in
    namenode) echo org.apache.hadoop.hdfs.server.namenode.NameNode ;;
    datanode) echo org.apache.hadoop.hdfs.server.datanode.DataNode ;;
  esac
}

hdfs_alive() { # pid file, class
  [ -f "$1" ] || return 1
  local pid
  pid=$(cat "$1")
  kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "$2"
}
