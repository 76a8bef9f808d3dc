#!/usr/bin/env bash
# JMH benchmark of the parser's inner loop (src/test/java/io/usagebackfill/bench/ParserBenchmark.java).
# Usage: bench/parser.sh [JMH options, e.g. -f 1 -wi 2 -i 3]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" org.openjdk.jmh.Main ParserBenchmark "$@"
