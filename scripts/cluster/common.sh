# Shared by up.sh, down.sh and status.sh: options and the layout of a cluster folder.
#   DIR/spark-home/jars/   links to the project's Spark runtime jars (the Maven provided class path)
#   DIR/pids/*.pid         one file per process up.sh started: master, worker-1, worker-2, ...
#   DIR/logs/*.log         their logs
#   DIR/work/worker-N/     each worker's work folder (executor stdout/stderr per application)
#   DIR/master-url         spark://127.0.0.1:PORT
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CLUSTER_DIR="${FARMID_CLUSTER_DIR:-${TMPDIR:-/tmp}/farmid-cluster}"
WORKERS=2
CORES=1
MEMORY=2g
PORT=7077

cluster_usage() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
}

cluster_options() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --dir) CLUSTER_DIR="$2"; shift 2 ;;
      --workers) WORKERS="$2"; shift 2 ;;
      --cores) CORES="$2"; shift 2 ;;
      --memory) MEMORY="$2"; shift 2 ;;
      --port) PORT="$2"; shift 2 ;;
      -h|--help) cluster_usage; exit 0 ;;
      *) echo "$(basename "$0"): unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
  done
  CLUSTER_DIR=$(mkdir -p "$CLUSTER_DIR" && cd "$CLUSTER_DIR" && pwd)
}

# Starts one Spark daemon in the background, logging to DIR/logs/NAME.log, its pid in
# DIR/pids/NAME.pid. Needs SH (the spark-home folder) and JFLAGS.
cluster_start() { # name, class, args...
  local name="$1"; shift
  nohup java "${JFLAGS[@]}" -Xmx512m -cp "$SH/conf/:$SH/jars/*" \
    -Dlog4j2.configurationFile="$SH/conf/log4j2-daemons.properties" "$@" \
    >>"$CLUSTER_DIR/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$CLUSTER_DIR/pids/$name.pid"
}

cluster_env() {
  mapfile -t JFLAGS < <(grep -v '^\s*#' "$ROOT/conf/java17-flags" | grep -v '^\s*$')
  SH="$CLUSTER_DIR/spark-home"
  export SPARK_HOME="$SH" SPARK_SCALA_VERSION=2.12 SPARK_LOCAL_IP=127.0.0.1 SPARK_LOCAL_HOSTNAME=127.0.0.1
  export SPARK_CONF_DIR="$SH/conf"
}

# Worker N with the cores and memory of the cluster, registered with its master.
cluster_start_worker() { # index
  mkdir -p "$CLUSTER_DIR/work/worker-$1"
  cluster_start "worker-$1" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores "$CORES" \
    --memory "$MEMORY" --work-dir "$CLUSTER_DIR/work/worker-$1" --webui-port 0 "$(cat "$CLUSTER_DIR/master-url")"
}

# Waits until the log holds the text; false after 60 s.
cluster_wait_for() { # log file, text, since-line
  for _ in $(seq 1 120); do
    tail -n +"${3:-1}" "$1" 2>/dev/null | grep -q "$2" && return 0
    sleep 0.5
  done
  return 1
}

# True when the pid file names a live process whose command line is the expected Spark class,
# so a recycled pid is never taken for ours.
cluster_alive() {
  local pidfile="$1" class="$2" pid
  [ -f "$pidfile" ] || return 1
  pid=$(cat "$pidfile")
  [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "$class"
}

cluster_class() {
  case "$(basename "$1" .pid)" in
    master) echo org.apache.spark.deploy.master.Master ;;
    *) echo org.apache.spark.deploy.worker.Worker ;;
  esac
}
