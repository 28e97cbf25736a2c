#!/usr/bin/env bash
# Starts a Spark standalone cluster on 127.0.0.1 from the project's own Maven jars (no Spark
# download): one master and N workers, each its own JVM; executors run in JVMs of their own.
#
#   scripts/cluster/up.sh [--workers N] [--cores C] [--memory M] [--port P] [--dir DIR]
#
# Defaults: 2 workers, 1 core and 2g each, port 7077, DIR = $FARMID_CLUSTER_DIR or
# /tmp/farmid-cluster. Prints the master URL; run jobs on it with
#   scripts/farmid --master spark://127.0.0.1:7077 <command> ...
# Stop it with scripts/cluster/down.sh --dir DIR (the same DIR); see scripts/cluster/status.sh.
set -euo pipefail
# shellcheck source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cluster_options "$@"
for n in "$WORKERS" "$CORES" "$PORT"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "up.sh: --workers, --cores and --port take positive integers, got $n" >&2; exit 2; }
done
[[ "$MEMORY" =~ ^[1-9][0-9]*[mg]$ ]] || { echo "up.sh: --memory takes e.g. 2g or 1500m, got $MEMORY" >&2; exit 2; }

# shellcheck source=../lib/prereqs.sh
. "$ROOT/scripts/lib/prereqs.sh"
farmid_prereqs
# shellcheck source=../lib/jar.sh
. "$ROOT/scripts/lib/jar.sh"
farmid_jar

if cluster_alive "$CLUSTER_DIR/pids/master.pid" "$(cluster_class master)"; then
  echo "up.sh: a cluster already runs from $CLUSTER_DIR (master pid $(cat "$CLUSTER_DIR/pids/master.pid")); stop it with down.sh --dir $CLUSTER_DIR" >&2
  exit 1
fi
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  echo "up.sh: port $PORT on 127.0.0.1 is taken; choose another with --port" >&2
  exit 1
fi

cluster_env
rm -rf "$SH" "$CLUSTER_DIR/pids"
mkdir -p "$SH/jars" "$SH/conf" "$CLUSTER_DIR/pids" "$CLUSTER_DIR/logs" "$CLUSTER_DIR/work"
# Spark's jars as a distribution's jars/ would hold them: the provided class path plus the
# runtime one (Spark dependencies the build resolved at compile scope), less the project's own
# modules, which reach executors inside the shaded jar (spark.jars).
RUNTIME_CLASSPATH=$(cat "$ROOT/jobs/target/runtime-classpath.txt")
IFS=':' read -r -a JARS <<<"$PROVIDED_CLASSPATH:$RUNTIME_CLASSPATH"
for j in "${JARS[@]}"; do
  case "$(basename "$j")" in
    farmid-*) ;;
    *) ln -sf "$j" "$SH/jars/$(basename "$j")" ;;
  esac
done
# Daemons log Spark's deploy messages (registration, executors launched and lost) at info;
# executors log like the driver (conf/log4j2.properties), so farmid's lines show in their stderr.
cat >"$SH/conf/log4j2-daemons.properties" <<'LOG'
rootLogger.level = warn
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %-5p %c{1}: %m%n
logger.deploy.name = org.apache.spark.deploy
logger.deploy.level = info
LOG
cp "$ROOT/conf/log4j2.properties" "$SH/conf/log4j2.properties"

URL="spark://127.0.0.1:$PORT"
echo "$URL" >"$CLUSTER_DIR/master-url"
printf 'CORES=%s\nMEMORY=%s\nWORKERS=%s\n' "$CORES" "$MEMORY" "$WORKERS" >"$CLUSTER_DIR/cluster.env"
failed() { # log, what
  echo "up.sh: $2 did not start within 60 s; its log: $1" >&2
  tail -n 20 "$1" >&2
  "$ROOT/scripts/cluster/down.sh" --dir "$CLUSTER_DIR" >/dev/null 2>&1 || true
  exit 1
}
: >"$CLUSTER_DIR/logs/master.log"
cluster_start master org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$PORT" --webui-port 0
cluster_wait_for "$CLUSTER_DIR/logs/master.log" "I have been elected leader" || failed "$CLUSTER_DIR/logs/master.log" "the master"
for i in $(seq 1 "$WORKERS"); do
  : >"$CLUSTER_DIR/logs/worker-$i.log"
  cluster_start_worker "$i"
done
for i in $(seq 1 "$WORKERS"); do
  cluster_wait_for "$CLUSTER_DIR/logs/worker-$i.log" "Successfully registered with master" \
    || failed "$CLUSTER_DIR/logs/worker-$i.log" "worker $i"
done
echo "cluster up: $URL, $WORKERS worker(s) x $CORES core(s) x $MEMORY, folder $CLUSTER_DIR"
echo "run a job:  scripts/farmid --master $URL <command> ..."
echo "stop it:    scripts/cluster/down.sh --dir $CLUSTER_DIR"
