#!/usr/bin/env bash
# JMH benchmarks of the parser's stages: src/test/java/io/usagebackfill/bench/ParserBenchmark.java (scan a noise line,
# scan an event line, recognise, normalise, both, a whole event line, a file) and load/CopyEncodeBenchmark.java
# (encode a row for COPY). Usage: bench/parser.sh [JMH options, e.g. -f 1 -wi 2 -i 3 -prof gc] [name patterns]
# With no pattern every benchmark runs; `bench/parser.sh -prof gc recognizeAndNormalizeOneEvent` runs one.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" org.openjdk.jmh.Main "$@"
