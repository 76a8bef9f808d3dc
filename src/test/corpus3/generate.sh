#!/usr/bin/env bash
# Writes the third corpus: every file in src/test/resources/io/usagebackfill/corpus3/ is what one real logging
# library printed when this script ran its program (nothing is edited afterwards). Needs (see README.md):
#   npm (the registry), Debian's python3-loguru python3-daiquiri python3-eliot python3-logbook golang-go
#   golang-github-sirupsen-logrus-dev golang-go.uber-zap-dev golang-github-rs-zerolog-dev
#   golang-golang-x-exp-dev golang-github-go-kit-log-dev golang-github-hashicorp-go-hclog-dev ruby ruby-logging,
#   and Maven for the Java libraries. Run from anywhere; TZ=UTC so that zone-less local times are UTC.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(cd "$here/../resources/io/usagebackfill" && pwd)/corpus3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
export TZ=UTC LANG=C.UTF-8

# Node.js: the versions pinned in node/package.json
cp "$here"/node/package.json "$here"/node/*.mjs "$work"/
(cd "$work" && npm install --no-audit --no-fund --silent >/dev/null)
(cd "$work" && node tslog.mjs) > "$out/tslog.log"
(cd "$work" && ROARR_LOG=true node roarr.mjs) > "$out/roarr.log"
(cd "$work" && node bole.mjs) > "$out/bole.log"
(cd "$work" && node logtape.mjs) > "$out/logtape.log"
(cd "$work" && DEBUG='llm:*' node debug.mjs 2> "$out/debug.log")
(cd "$work" && node consola.mjs) > "$out/consola.log" 2>&1
(cd "$work" && node signale.mjs) > "$out/signale.log" 2>&1

# Python: Debian's packages, run by Debian's interpreter
for script in loguru_json loguru_text eliot_messages logbook_text; do
  /usr/bin/python3 "$here/python/$script.py" > "$out/${script//_/-}.log"
done
/usr/bin/python3 "$here/python/daiquiri_extras.py" 2> "$out/daiquiri-extras.log"

# Go: Debian's Go and libraries, GOPATH mode against /usr/share/gocode (no module download)
for program in logrus zap zerolog slog gokit hclog; do
  (cd "$here/go/$program" && GOPATH=/usr/share/gocode GO111MODULE=off GOFLAGS= GOCACHE="$work/gocache" \
    go run main.go) > "$out/go-$program.log" 2>&1
done

# Ruby: Debian's ruby and ruby-logging
ruby "$here/ruby/stdlib_logger.rb" > "$out/ruby-logger.log"
ruby "$here/ruby/logging_json.rb" > "$out/ruby-logging-json.log"

# Java: the versions in java/pom.xml, fetched by Maven, compiled and run with plain javac/java
mvn -q -f "$here/java/pom.xml" dependency:copy-dependencies -DoutputDirectory="$work/lib"
javac -d "$work/classes" -cp "$work/lib/*" "$here"/java/src/*.java
cp="$work/classes:$work/lib/*"
java -cp "$cp" -Dlog4j2.configurationFile="$here/java/conf/log4j2-template.xml" Log4jTemplate > "$out/log4j2-json-template.log"
java -cp "$cp" -Dlog4j2.configurationFile="$here/java/conf/log4j2-jsonlayout.xml" Log4jJsonLayout > "$out/log4j2-jsonlayout.log"
mkdir -p "$work/tinylog" && cp "$here/java/conf/tinylog.properties" "$work/tinylog/"
rm -f "$out/tinylog-json.log" && java -cp "$work/tinylog:$cp" -Dtinylog.writer.file="$out/tinylog-json.log" Tinylog
java -cp "$work/classes" '-Djava.util.logging.SimpleFormatter.format=%1$tFT%1$tT.%1$tL%1$tz %4$s %3$s %5$s%6$s%n' Jul \
  2> "$out/jul-simpleformatter.log"
java -cp "$cp" -Djava.util.logging.manager=org.jboss.logmanager.LogManager JbossLogmanager > "$out/jboss-logmanager-json.log"
ls -l "$out"
