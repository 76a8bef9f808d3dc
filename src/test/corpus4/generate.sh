#!/bin/bash
# Regenerates src/test/resources/io/usagebackfill/corpus4/*.log (not handwritten/) with the real libraries.
# Needs: apt-get install php-cli php-monolog liblog-log4perl-perl liblog-dispatch-perl elixir erlang-base python3-twisted
#        (cd node && npm ci)
set -euo pipefail
export TZ=UTC LANG=C.UTF-8
here=$(cd "$(dirname "$0")" && pwd); R=$here/../resources/io/usagebackfill/corpus4
rm -f "$R"/*.log
php "$here/php/monolog.php" "$R"
perl "$here/perl/log4perl.pl" "$R"
(cd "$here/elixir" && { elixir logger.exs default; elixir logger.exs dated; } > "$R/elixir-logger.log" 2>&1)
(cd "$here/erlang" && erlc logger_corpus.erl && erl -noshell -pa . -eval "logger_corpus:main([\"$R/erlang-logger.log\"]), halt()." && rm -f logger_corpus.beam)
/usr/bin/python3 "$here/python/twisted_logger.py" "$R"
cd "$here/node"
node loglevel.mjs > "$R/loglevel-default.log" 2>&1; node loglevel.mjs iso > "$R/loglevel-iso.log" 2>&1
node lambdalog.mjs > "$R/lambda-log.log" 2>&1; node lambdalog.mjs ts >> "$R/lambda-log.log" 2>&1
node npmlog.mjs 2> "$R/npmlog.log"
node simple-node-logger.cjs "$R/simple-node-logger.log"
node tracer.cjs > "$R/tracer.log"
node morgan.cjs "$R/morgan.log"; sleep 1
