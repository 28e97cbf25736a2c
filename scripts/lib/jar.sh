# Shared by scripts/farmid and scripts/submit: builds the shaded jar when it is missing or older
# than the sources, and sets RUN_JAR to a copy of it that a later rebuild cannot change under a
# running job (the copy is replaced by an atomic rename, and keeps one name because JavaCPP caches
# the natives it unpacks under the jar's file name). Needs ROOT.
farmid_jar() {
  local jar="$ROOT/jobs/target/farmid.jar"
  local provided="$ROOT/jobs/target/provided-classpath.txt"
  if [ ! -f "$jar" ] || [ ! -f "$provided" ] || [ ! -f "$ROOT/jobs/target/runtime-classpath.txt" ] || [ -n "$(find "$ROOT/pom.xml" "$ROOT/common" \
      "$ROOT/models" "$ROOT/jobs" "$ROOT/conf" -newer "$jar" -type f -not -path '*/target/*' \
      -print -quit)" ]; then
    echo "farmid: building the jar (first run or sources changed)..." >&2
    local log
    log=$(mktemp)
    if ! (cd "$ROOT" && mvn -B -ntp -DskipTests -Dspotless.check.skip=true install) >"$log" 2>&1; then
      tail -n 40 "$log" >&2
      echo "farmid: build failed; full log in $log" >&2
      exit 1
    fi
    rm -f "$log"
  fi
  RUN_JAR="$ROOT/jobs/target/launch/farmid.jar"
  if [ ! -f "$RUN_JAR" ] || [ "$jar" -nt "$RUN_JAR" ]; then
    mkdir -p "$(dirname "$RUN_JAR")"
    cp "$jar" "$RUN_JAR.$$" && mv -f "$RUN_JAR.$$" "$RUN_JAR"
  fi
  PROVIDED_CLASSPATH=$(cat "$provided")
}
