#!/usr/bin/env bash
# The performance benchmark behind BENCHMARKS.md. Each figure is measured side by side with its yardstick in the
# same run, on a fresh database each time, and reported as a ratio (these machines are too noisy for absolute times):
#   1. import (end to end, exactly-once mode)  vs  psql \copy of the same rows as finished CSV, guide's schema;
#      1b. the same with --threads THREADS (partitions loading at once)
#   2. import --csv-out (no database, JVM start included)  vs  the guide's grep | jq -r @csv pipeline
#   3. memory: a 2M-line import under -Xmx96m (peak RSS), and the time of a 10x larger input against a 1x one
#   4. restart after kill -9 at half way  vs  a full import
#   5. a second nightly (incremental) over an unchanged ~300 MB directory  vs  the first
#
# Usage: bench/benchmark.sh            (ROUNDS=3 LINES=600000 MEM_LINES=2000000 BENCH_PG=postgresql://postgres@127.0.0.1:5432)
# Needs: a JDK 17, psql/createdb/dropdb, jq, GNU time (/usr/bin/time), a PostgreSQL server at BENCH_PG.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
THREADS=${THREADS:-2}
LINES=${LINES:-600000}
MEM_LINES=${MEM_LINES:-2000000}
NIGHTLY_LINES=${NIGHTLY_LINES:-1500000}
BENCH_PG=${BENCH_PG:-postgresql://postgres@127.0.0.1:5432}
WORK=${WORK:-target/bench}
DB=usage_backfill_bench
UB=${UB:-bin/usage-backfill}   # the launcher the README uses (extracted jar, class-data archive, serial GC)
COLUMNS_SQL="user_id,session_id,provider,model,prompt_tokens,completion_tokens,total_tokens,cost_usd,created_at"
# The guide's section 6 by hand: the events' fields in the CSV's column order, cost in micro-dollars.
JQ_CSV='select(.msg == "token_usage") | [.user_id, .session_id, .provider, .model, .prompt_tokens, .completion_tokens,
  .total_tokens, ((.cost_usd // 0) * 1000000 | round), (.time / 1000 | todate)] | @csv'

mkdir -p "$WORK"
[ -f target/app/usage-backfill.jsa ] && [ -z "${REBUILD:-}" ] || ./mvnw -q package -DskipTests
corpus() { # corpus DIR LINES: a deterministic pino log, made once
  [ -f "$1/app-000.log" ] || java -cp target/test-classes io.usagebackfill.corpus.CorpusGenerator \
    --lines "$2" --out "$1" --ids "$WORK/ids" >/dev/null
}
CORPUS="$WORK/corpus-$LINES"
corpus "$CORPUS" "$LINES"

fresh_db() { # the guide's schema: users and sessions with the corpus's ids, token_usage with its FKs and indexes
  dropdb --if-exists --maintenance-db="$BENCH_PG/postgres" "$DB"
  createdb --maintenance-db="$BENCH_PG/postgres" "$DB"
  psql -q "$BENCH_PG/$DB" -c "CREATE TABLE users (id UUID PRIMARY KEY); CREATE TABLE sessions (id UUID PRIMARY KEY)" \
    -c "\\copy users FROM '$WORK/ids/users.csv'" -c "\\copy sessions FROM '$WORK/ids/sessions.csv'"
  "$UB" schema --db "$BENCH_PG/$DB" --apply >/dev/null
}
seconds() { # seconds CMD...: wall time of one run, printed with millisecond precision
  local start end
  start=$(date +%s%N); "$@" >/dev/null 2>&1; end=$(date +%s%N)
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", (e - s) / 1e9 }'
}
median() { tr ' ' '\n' | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

import_db() { "$UB" import --db "$BENCH_PG/$DB" --rejects "$WORK/rejects.log" "$@"; }
psql_copy() { psql -q "$BENCH_PG/$DB" -c "\\copy token_usage ($COLUMNS_SQL) FROM '$WORK/finished.csv' CSV HEADER"; }
csv_out() { "$UB" import --csv-out "$WORK/ours.csv" --rejects "$WORK/rejects.log" "$CORPUS"; }
grep_jq() { grep token_usage "$CORPUS/app-000.log" | jq -r "$JQ_CSV" > "$WORK/jq.csv"; }

# The finished CSV psql loads is ours: the same rows, already validated and converted.
csv_out >/dev/null
rows=$(($(wc -l < "$WORK/ours.csv") - 1))
cp "$WORK/ours.csv" "$WORK/finished.csv"

declare -a t_import t_threads t_copy t_csv t_jq
for round in $(seq 1 "$ROUNDS"); do
  # Alternate which goes first, so a drifting machine favours neither.
  if [ $((round % 2)) -eq 1 ]; then
    fresh_db; t_copy+=("$(seconds psql_copy)"); fresh_db; t_import+=("$(seconds import_db "$CORPUS")")
    fresh_db; t_threads+=("$(seconds import_db --threads "$THREADS" "$CORPUS")")
    t_csv+=("$(seconds csv_out)"); t_jq+=("$(seconds grep_jq)")
  else
    fresh_db; t_threads+=("$(seconds import_db --threads "$THREADS" "$CORPUS")")
    fresh_db; t_import+=("$(seconds import_db "$CORPUS")"); fresh_db; t_copy+=("$(seconds psql_copy)")
    t_jq+=("$(seconds grep_jq)"); t_csv+=("$(seconds csv_out)")
  fi
  loaded=$(psql -qAt "$BENCH_PG/$DB" -c "SELECT count(*) FROM token_usage")
  [ "$loaded" -eq "$rows" ] || { echo "round $round: $loaded rows loaded, expected $rows" >&2; exit 1; }
done
m_import=$(echo "${t_import[*]}" | median); m_copy=$(echo "${t_copy[*]}" | median)
m_threads=$(echo "${t_threads[*]}" | median)
m_csv=$(echo "${t_csv[*]}" | median); m_jq=$(echo "${t_jq[*]}" | median)

# Restart cost: kill -9 once half the rows are in, then time the restart alone.
restart_after_half() { # restart_after_half CORPUS ROWS: sets at_kill and t_restart
  fresh_db
  "$UB" import --db "$BENCH_PG/$DB" --rejects "$WORK/rejects.log" "$1" >/dev/null 2>&1 &
  local pid=$!
  until [ "$(psql -qAt "$BENCH_PG/$DB" -c "SELECT count(*) FROM token_usage")" -ge $(($2 / 2)) ]; do sleep 0.02; done
  kill -9 "$pid"; wait "$pid" 2>/dev/null || true
  at_kill=$(psql -qAt "$BENCH_PG/$DB" -c "SELECT count(*) FROM token_usage")
  t_restart=$(seconds "$UB" restart --db "$BENCH_PG/$DB")
  local after
  after=$(psql -qAt "$BENCH_PG/$DB" -c "SELECT count(DISTINCT id) FROM token_usage")
  [ "$after" -eq "$2" ] || { echo "restart ended with $after rows, expected $2" >&2; exit 1; }
}
restart_after_half "$CORPUS" "$rows"
at_kill_small=$at_kill; t_restart_small=$t_restart

# Bounded memory and linear time: MEM_LINES under -Xmx96m, and 10x that against MEM_LINES / 10.
SMALL="$WORK/corpus-$((MEM_LINES / 10))"; LARGE="$WORK/corpus-$MEM_LINES"
corpus "$SMALL" $((MEM_LINES / 10))
corpus "$LARGE" "$MEM_LINES"
fresh_db
t_small=$(seconds env JAVA_OPTS=-Xmx96m "$UB" import --db "$BENCH_PG/$DB" --rejects "$WORK/rejects.log" "$SMALL")
fresh_db
start=$(date +%s%N)
/usr/bin/time -f %M -o "$WORK/rss.txt" env JAVA_OPTS=-Xmx96m "$UB" import --db "$BENCH_PG/$DB" \
  --rejects "$WORK/rejects.log" "$LARGE" >/dev/null 2>&1
t_large=$(awk -v s="$start" -v e="$(date +%s%N)" 'BEGIN { printf "%.3f", (e - s) / 1e9 }')
rss_mb=$(awk '{ printf "%.0f", $1 / 1024 }' "$WORK/rss.txt")
# The restart again on the large corpus, where start-up is a smaller share of the run: the full run to compare
# with is the same import without the memory cap.
large_rows=$(psql -qAt "$BENCH_PG/$DB" -c "SELECT count(*) FROM token_usage")
fresh_db
t_large_full=$(seconds import_db "$LARGE")
restart_after_half "$LARGE" "$large_rows"
# The nightly: a directory of NIGHTLY_LINES lines in 10 files; the second night finds nothing changed.
NIGHTLY="$WORK/nightly-$NIGHTLY_LINES"
[ -f "$NIGHTLY/app-009.log" ] || java -cp target/test-classes io.usagebackfill.corpus.CorpusGenerator \
  --lines "$NIGHTLY_LINES" --files 10 --out "$NIGHTLY" --ids "$WORK/ids" >/dev/null
nightly_mb=$(du -sm "$NIGHTLY" | cut -f1)
fresh_db
nightly() { "$UB" import --db "$BENCH_PG/$DB" --incremental --until auto --run-key "$1" \
  --rejects "$WORK/rejects.log" "$NIGHTLY"; }
t_night1=$(seconds nightly night-1)
t_night2=$(seconds nightly night-2)
# A more usual night: 1% new lines, in a new file the app started; removed again afterwards.
java -cp target/test-classes io.usagebackfill.corpus.CorpusGenerator --lines $((NIGHTLY_LINES / 100)) \
  --out "$WORK/nightly-new" >/dev/null
sed 's/req-/req-new-/' "$WORK/nightly-new/app-000.log" > "$NIGHTLY/app-010.log"
t_night3=$(seconds nightly night-3)
rm -f "$NIGHTLY/app-010.log"
dropdb --if-exists --maintenance-db="$BENCH_PG/postgres" "$DB"

cat <<EOF
machine: $(nproc) CPUs, $(free -m | awk '/Mem:/ { print $2 }') MB RAM, $(psql -qAt "$BENCH_PG/postgres" -c "SHOW server_version") PostgreSQL, $(java -version 2>&1 | head -1)
corpus: $LINES lines, $rows events; medians of $ROUNDS rounds (seconds, each on a fresh database)

| measure | ours | yardstick | ratio | target |
|---|---|---|---|---|
| 1. import vs psql \\copy of the finished CSV | $m_import | $m_copy | $(ratio "$m_import" "$m_copy") | <= 1.10 |
| 1b. import --threads $THREADS vs psql \\copy (stretch) | $m_threads | $m_copy | $(ratio "$m_threads" "$m_copy") | < 1.00 |
| 2. --csv-out vs grep \\| jq @csv | $m_csv | $m_jq | $(ratio "$m_csv" "$m_jq") | <= 0.20 |
| 3a. peak RSS of a $MEM_LINES-line import, -Xmx96m (MB) | $rss_mb | 400 | $(ratio "$rss_mb" 400) | <= 1.00 |
| 3b. $MEM_LINES lines vs $((MEM_LINES / 10)) lines | $t_large | $t_small | $(ratio "$t_large" "$t_small") | <= 10.5 |
| 4. restart after kill -9 at $at_kill_small of $rows rows vs a full import | $t_restart_small | $m_import | $(ratio "$t_restart_small" "$m_import") | <= 0.60 |
| 4b. the same on the $MEM_LINES-line corpus, at $at_kill of $large_rows rows | $t_restart | $t_large_full | $(ratio "$t_restart" "$t_large_full") | <= 0.60 |
| 5. second nightly over the unchanged $nightly_mb MB directory vs the first | $t_night2 | $t_night1 | $(ratio "$t_night2" "$t_night1") | < 0.10 |
| 5b. a nightly with 1% new lines vs the first (no target; start-up bound) | $t_night3 | $t_night1 | $(ratio "$t_night3" "$t_night1") | |
EOF
