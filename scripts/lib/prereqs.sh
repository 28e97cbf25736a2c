#!/usr/bin/env bash
# Sourced by scripts/demo.sh and .ci/run: makes sure Java 17 and Maven are there, installing them
# from Debian's packages when they are not (needs root), and points JAVA_HOME at Java 17.
farmid_prereqs() {
  local jdk=/usr/lib/jvm/java-17-openjdk-amd64
  if ! command -v mvn >/dev/null 2>&1 || [ ! -x "$jdk/bin/javac" ]; then
    echo "installing Java 17 and Maven from Debian's packages..." >&2
    if [ "$(id -u)" != "0" ]; then
      echo "need root to install openjdk-17-jdk-headless and maven; install them, then re-run" >&2
      return 1
    fi
    apt-get update -qq && apt-get install -y -qq openjdk-17-jdk-headless maven >/dev/null
  fi
  # report and render draw text: Java2D needs fontconfig and at least one font.
  if ! command -v fc-list >/dev/null 2>&1 || [ -z "$(fc-list 2>/dev/null | head -n 1)" ]; then
    if [ "$(id -u)" = "0" ]; then
      echo "installing fonts for report and render..." >&2
      apt-get update -qq && apt-get install -y -qq fontconfig fonts-dejavu-core >/dev/null
    else
      echo "warning: no fonts found; report and render need fontconfig and fonts-dejavu-core" >&2
    fi
  fi
  # Spark 3.5 fails on newer Java (Hadoop's getSubject); always build and run on 17.
  export JAVA_HOME="$jdk"
  export PATH="$JAVA_HOME/bin:$PATH"
}
