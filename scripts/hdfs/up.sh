#!/usr/bin/env bash
# Starts a single-node HDFS on 127.0.0.1 from Maven Central's Hadoop jars (the release the job's
# Spark is built with; no Hadoop download): one NameNode and one DataNode, each its own JVM,
# replication 1, permissions off. Formats a new filesystem on each start.
#
#   scripts/hdfs/up.sh [--port P] [--dir DIR]
#
# Defaults: port 9820, DIR = $FARMID_HDFS_DIR or /tmp/farmid-hdfs. Prints the filesystem's URL;
# point the job at it with URIs, e.g.
#   scripts/farmid run --archive hdfs://127.0.0.1:9820/farm/archive --warehouse hdfs://127.0.0.1:9820/farm/w ...
# Stop it with scripts/hdfs/down.sh --dir DIR (the same DIR).
set -euo pipefail
# shellcheck source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
hdfs_options "$@"
[[ "$PORT" =~ ^[1-9][0-9]*$ ]] || { echo "up.sh: --port takes a positive integer, got $PORT" >&2; exit 2; }
# shellcheck source=../lib/prereqs.sh
. "$ROOT/scripts/lib/prereqs.sh"
farmid_prereqs

if hdfs_alive "$HDFS_DIR/pids/namenode.pid" "$(hdfs_class namenode)"; then
  echo "up.sh: an HDFS already runs from $HDFS_DIR (NameNode pid $(cat "$HDFS_DIR/pids/namenode.pid")); stop it with down.sh --dir $HDFS_DIR" >&2
  exit 1
fi
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  echo "up.sh: port $PORT on 127.0.0.1 is taken; choose another with --port" >&2
  exit 1
fi

CP_FILE="$HDFS_DIR/classpath.txt"
if [ ! -s "$CP_FILE" ] || [ "$ROOT/scripts/hdfs/pom.xml" -nt "$CP_FILE" ]; then
  echo "up.sh: resolving the Hadoop jars (Maven)" >&2
  mvn -B -ntp -q -f "$ROOT/scripts/hdfs/pom.xml" dependency:build-classpath -Dmdep.outputFile="$CP_FILE" >&2
fi
rm -rf "$HDFS_DIR/name" "$HDFS_DIR/data" "$HDFS_DIR/pids" "$HDFS_DIR/conf"
mkdir -p "$HDFS_DIR/conf/webapps/hdfs" "$HDFS_DIR/conf/webapps/datanode" "$HDFS_DIR/conf/webapps/static" \
  "$HDFS_DIR/pids" "$HDFS_DIR/logs"
URL="hdfs://127.0.0.1:$PORT"
cat >"$HDFS_DIR/conf/core-site.xml" <<XML
<configuration>
  <property><name>fs.defaultFS</name><value>$URL</value></property>
  <property><name>hadoop.tmp.dir</name><value>$HDFS_DIR/tmp</value></property>
</configuration>
XML
cat >"$HDFS_DIR/conf/hdfs-site.xml" <<XML
<configuration>
  <property><name>dfs.replication</name><value>1</value></property>
  <property><name>dfs.namenode.rpc-address</name><value>127.0.0.1:$PORT</value></property>
  <property><name>dfs.namenode.name.dir</name><value>$HDFS_DIR/name</value></property>
  <property><name>dfs.datanode.data.dir</name><value>$HDFS_DIR/data</value></property>
  <property><name>dfs.namenode.http-address</name><value>127.0.0.1:0</value></property>
  <property><name>dfs.datanode.address</name><value>127.0.0.1:0</value></property>
  <property><name>dfs.datanode.http.address</name><value>127.0.0.1:0</value></property>
  <property><name>dfs.datanode.ipc.address</name><value>127.0.0.1:0</value></property>
  <property><name>dfs.permissions.enabled</name><value>false</value></property>
  <property><name>dfs.namenode.safemode.extension</name><value>0</value></property>
</configuration>
XML
cat >"$HDFS_DIR/conf/log4j.properties" <<'LOG'
log4j.rootLogger=WARN,stderr
log4j.logger.org.apache.hadoop.hdfs.StateChange=INFO
log4j.logger.org.apache.hadoop.hdfs.server.datanode.DataNode=INFO
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=%d{HH:mm:ss} %-5p %c{1}: %m%n
LOG
CP="$HDFS_DIR/conf:$(cat "$CP_FILE")"
start() { # name, class, args...
  local name="$1"; shift
  nohup java -Xmx512m -cp "$CP" "$@" >>"$HDFS_DIR/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$HDFS_DIR/pids/$name.pid"
}
wait_for() { # log, text
  for _ in $(seq 1 120); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    sleep 0.5
  done
  return 1
}
failed() { # log, what
  echo "up.sh: $2 did not start within 60 s; its log: $1" >&2
  tail -n 20 "$1" >&2
  "$ROOT/scripts/hdfs/down.sh" --dir "$HDFS_DIR" >/dev/null 2>&1 || true
  exit 1
}
: >"$HDFS_DIR/logs/format.log"
java -cp "$CP" "$(hdfs_class namenode)" -format -force -nonInteractive >>"$HDFS_DIR/logs/format.log" 2>&1 \
  || failed "$HDFS_DIR/logs/format.log" "formatting the NameNode"
: >"$HDFS_DIR/logs/namenode.log"
: >"$HDFS_DIR/logs/datanode.log"
start namenode "$(hdfs_class namenode)"
start datanode "$(hdfs_class datanode)"
wait_for "$HDFS_DIR/logs/namenode.log" "Leaving safe mode" || failed "$HDFS_DIR/logs/namenode.log" "the NameNode"
wait_for "$HDFS_DIR/logs/datanode.log" "Successfully sent block report" || failed "$HDFS_DIR/logs/datanode.log" "the DataNode"
echo "$URL" >"$HDFS_DIR/url"
echo "HDFS up: NameNode pid $(cat "$HDFS_DIR/pids/namenode.pid"), DataNode pid $(cat "$HDFS_DIR/pids/datanode.pid"); logs in $HDFS_DIR/logs" >&2
echo "$URL"
