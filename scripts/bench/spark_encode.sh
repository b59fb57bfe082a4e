#!/usr/bin/env bash
# Spark local[2] against local encoding on one generated manifest (dev.btw.spark.SparkEncodeBench, a test-scope
# main class): prints one JSON line. Usage: scripts/bench/spark_encode.sh [ROWS] (default 3000); run from the
# repository root. Builds btw-spark and its modules first.
set -euo pipefail
rows="${1:-3000}"
mvn -B -ntp -q -pl btw-spark -am test-compile -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
cpfile="$(mktemp)"
scratch="$(mktemp -d)"
trap 'rm -rf "$cpfile" "$scratch"' EXIT
mvn -B -ntp -q -pl btw-spark dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cpfile"
# this build's own classes, not whatever btw SNAPSHOT jars the local repository holds
deps="$(tr ':' '\n' < "$cpfile" | grep -v '/dev/btw/' | paste -sd: -)"
cp="btw-spark/target/test-classes:btw-spark/target/classes:btw-djl/target/classes:btw-data/target/classes"
cp="$cp:btw-core/target/classes:$deps"
java -Xss4m -Dai.djl.offline=true \
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED \
  --add-opens=java.base/java.lang.invoke=ALL-UNNAMED \
  -cp "$cp" dev.btw.spark.SparkEncodeBench models "$scratch" "$rows" 2>"$scratch/spark.log"
