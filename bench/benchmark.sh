#!/usr/bin/env bash
# The performance benchmark behind BENCHMARKS.md. Each figure is measured side by side with its yardstick in the
# same run, on a fresh database each time, and reported as a ratio (these machines are too noisy for absolute times).
# Two blocks, the large one first (LINES, 2M lines by default) and the same at SMALL_LINES (600k):
#   1. import with default options (end to end, exactly-once)  vs  psql \copy of the same rows as finished CSV,
#      guide's schema; 1b. the same with --threads 1 (one partition, the default below 64 MB)
#   2. the JVM's CPU (user+sys, start-up and JIT included) per event of that default import
#   3. import --csv-out (no database, JVM start included)  vs  the guide's grep | jq -r @csv pipeline
# then, on the large corpus:
#   4. restart after kill -9 at half way  vs  a full import
#   5. memory: the import under -Xmx96m (peak RSS), and its time against a 10x smaller input (linear time)
#   6. the JIT's share of the import's CPU (-XX:+CITime)
#   7. a second nightly (incremental) over an unchanged ~300 MB directory  vs  the first
#
# Usage: bench/benchmark.sh    (ROUNDS=3 LINES=2000000 SMALL_LINES=600000 BENCH_PG=postgresql://postgres@127.0.0.1:5432)
# About 8 minutes on 2 CPUs with ROUNDS=3; ROUNDS=1 for a quick look. NIGHTLY=0 leaves row 7 out.
# Needs: a JDK 17, psql/createdb/dropdb, jq, GNU time (/usr/bin/time), a PostgreSQL server at BENCH_PG.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
LINES=${LINES:-2000000}
SMALL_LINES=${SMALL_LINES:-600000}
NIGHTLY=${NIGHTLY:-1}
NIGHTLY_LINES=${NIGHTLY_LINES:-1500000}
BENCH_PG=${BENCH_PG:-postgresql://postgres@127.0.0.1:5432}
WORK=${WORK:-target/bench}
DB=usage_backfill_bench
UB=${UB:-bin/usage-backfill}   # the launcher the README uses (extracted jar, class-data archive, serial GC)
COLUMNS_SQL="id,user_id,session_id,provider,model,prompt_tokens,completion_tokens,total_tokens,cost_usd,created_at"
# The guide's section 6 by hand: the events' fields in the CSV's column order, cost in micro-dollars.
JQ_CSV='select(.msg == "token_usage") | [.user_id, .session_id, .provider, .model, .prompt_tokens, .completion_tokens,
  .total_tokens, ((.cost_usd // 0) * 1000000 | round), (.time / 1000 | todate)] | @csv'

mkdir -p "$WORK"
[ -f target/app/usage-backfill.jsa ] && [ -z "${REBUILD:-}" ] || ./mvnw -q package -DskipTests
corpus() { # corpus DIR LINES: a deterministic pino log, made once
  [ -f "$1/app-000.log" ] || java -cp target/test-classes io.usagebackfill.corpus.CorpusGenerator \
    --lines "$2" --out "$1" --ids "$WORK/ids" >/dev/null
}
. bench/common.sh  # timed, median, ratio, fresh_db
count() { psql -qAt "$BENCH_PG/$DB" -c "SELECT count(*) FROM token_usage"; }

PM=$(postmaster_pid)
# server_cpu_of CMD...: runs CMD (a load), then prints its "wall cpu server": server is the CPU-s its backends took,
# read once they have exited; "-" when the server does not run on this machine.
server_cpu_of() {
  local before after t
  before=$(server_cpu "$PM"); t=$("$@")
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    [ "$(psql -qAt "$BENCH_PG/postgres" -c "SELECT count(*) FROM pg_stat_activity WHERE datname = '$DB'")" -eq 0 ] \
      && break
    sleep 0.2
  done
  after=$(server_cpu "$PM")
  echo "$t $( [ -n "$before" ] && awk -v a="$before" -v b="$after" 'BEGIN { printf "%.2f", b - a }' || echo -)"
}
# Each prints "wall cpu" of one run.
import_db() { timed "$UB" import --db "$BENCH_PG/$DB" --rejects "$WORK/rejects.log" --quiet "$@"; }
psql_copy() { timed psql -q "$BENCH_PG/$DB" -c "\\copy token_usage ($COLUMNS_SQL) FROM '$WORK/finished.csv' CSV HEADER"; }
csv_out() { timed "$UB" import --csv-out "$WORK/ours.csv" --rejects "$WORK/rejects.log" --quiet "$1"; }
grep_jq() { timed sh -c 'grep token_usage "$1" | jq -r "$2" > "$3"' _ "$1/app-000.log" "$JQ_CSV" "$WORK/jq.csv"; }

block() { # block CORPUS: rows 1-3 on one corpus; prints the table's rows, sets m_import and rows
  local dir=$1 round t
  csv_out "$dir" >/dev/null  # the finished CSV psql loads is ours: the same rows (and ids), validated and converted
  rows=$(($(wc -l < "$WORK/ours.csv") - 1))
  cp "$WORK/ours.csv" "$WORK/finished.csv"
  local w_import=() c_import=() s_import=() w_one=() w_copy=() s_copy=() w_csv=() w_jq=() w c s
  for round in $(seq 1 "$ROUNDS"); do
    # Alternate which goes first, so a drifting machine favours neither.
    if [ $((round % 2)) -eq 1 ]; then
      fresh_db; t=$(server_cpu_of psql_copy); w_copy+=("${t%% *}"); s_copy+=("${t##* }")
      fresh_db; t=$(server_cpu_of import_db "$dir"); read -r w c s <<<"$t"
      w_import+=("$w"); c_import+=("$c"); s_import+=("$s")
      fresh_db; w_one+=("$(import_db --threads 1 "$dir" | cut -d' ' -f1)")
      w_csv+=("$(csv_out "$dir" | cut -d' ' -f1)"); w_jq+=("$(grep_jq "$dir" | cut -d' ' -f1)")
    else
      fresh_db; w_one+=("$(import_db --threads 1 "$dir" | cut -d' ' -f1)")
      fresh_db; t=$(server_cpu_of import_db "$dir"); read -r w c s <<<"$t"
      w_import+=("$w"); c_import+=("$c"); s_import+=("$s")
      fresh_db; t=$(server_cpu_of psql_copy); w_copy+=("${t%% *}"); s_copy+=("${t##* }")
      w_jq+=("$(grep_jq "$dir" | cut -d' ' -f1)"); w_csv+=("$(csv_out "$dir" | cut -d' ' -f1)")
    fi
    [ "$(count)" -eq "$rows" ] || { echo "round $round: $(count) rows loaded, expected $rows" >&2; exit 1; }
  done
  m_import=$(echo "${w_import[*]}" | median)
  local m_copy m_one m_cpu m_csv m_jq lines m_s_import m_s_copy
  m_copy=$(echo "${w_copy[*]}" | median); m_one=$(echo "${w_one[*]}" | median)
  m_s_import=$(echo "${s_import[*]}" | median); m_s_copy=$(echo "${s_copy[*]}" | median)
  m_cpu=$(echo "${c_import[*]}" | median); m_csv=$(echo "${w_csv[*]}" | median); m_jq=$(echo "${w_jq[*]}" | median)
  lines=$(wc -l < "$dir/app-000.log")
  # The partitions the default picks, by the rule of --threads (job/Parallelism): one per 32 MB, at most nproc.
  threads_default=$(awk -v b="$(stat -c %s "$dir/app-000.log")" -v c="$(nproc)" \
    'BEGIN { n = int(b / 33554432); n = n < 1 ? 1 : n; n = n > c ? c : n; print (n > 12 ? 12 : n) }')
  echo "| 1. \`import\` (default options: --threads $threads_default) vs \`psql \\copy\`, $lines lines, $rows events | $m_import | $m_copy | $(ratio "$m_import" "$m_copy") | $2 |"
  echo "| 1b. \`import --threads 1\` vs the same \`psql \\copy\` | $m_one | $m_copy | $(ratio "$m_one" "$m_copy") | |"
  if [ "$m_s_copy" != "-" ] && [ -n "$PM" ]; then
    echo "| 1c. the database server's CPU-s for that default import vs for the \`psql \\copy\` (a host it shares) | $m_s_import | $m_s_copy | $(ratio "$m_s_import" "$m_s_copy") | |"
  fi
  echo "| 2. JVM CPU (user+sys) per event of the default import (µs; CPU-s in the ours column) | $m_cpu | | $(awk -v c="$m_cpu" -v n="$rows" 'BEGIN { printf "%.1f", c * 1e6 / n }') | $3 |"
  echo "| 3. \`--csv-out\` vs \`grep token_usage \\| jq -r @csv\` | $m_csv | $m_jq | $(ratio "$m_csv" "$m_jq") | $4 |"
}

CORPUS="$WORK/corpus-$LINES"; SMALL="$WORK/corpus-$SMALL_LINES"; TENTH="$WORK/corpus-$((LINES / 10))"
corpus "$CORPUS" "$LINES"; corpus "$SMALL" "$SMALL_LINES"; corpus "$TENTH" $((LINES / 10))

restart_after_half() { # restart_after_half CORPUS ROWS: sets at_kill and t_restart
  fresh_db
  "$UB" import --db "$BENCH_PG/$DB" --rejects "$WORK/rejects.log" --quiet "$1" >/dev/null 2>&1 &
  local pid=$!
  until [ "$(count)" -ge $(($2 / 2)) ]; do sleep 0.02; done
  kill -9 "$pid"; wait "$pid" 2>/dev/null || true
  at_kill=$(count)
  t_restart=$(timed "$UB" restart --db "$BENCH_PG/$DB" | cut -d' ' -f1)
  local after
  after=$(psql -qAt "$BENCH_PG/$DB" -c "SELECT count(DISTINCT id) FROM token_usage")
  [ "$after" -eq "$2" ] || { echo "restart ended with $after rows, expected $2" >&2; exit 1; }
}

block "$SMALL" "<= 1.50" "" "" > "$WORK/small.md"
block "$CORPUS" "<= 1.00" "<= 6" "<= 0.30" > "$WORK/large.md"
large_rows=$rows; m_large=$m_import

restart_after_half "$CORPUS" "$large_rows"

# Bounded memory and linear time: the large corpus under -Xmx96m, and a tenth of it the same way.
fresh_db
t_tenth=$(timed env JAVA_OPTS=-Xmx96m "$UB" import --db "$BENCH_PG/$DB" --rejects "$WORK/rejects.log" --quiet \
  "$TENTH" | cut -d' ' -f1)
fresh_db
start=$(date +%s%N)
/usr/bin/time -f %M -o "$WORK/rss.txt" env JAVA_OPTS=-Xmx96m "$UB" import --db "$BENCH_PG/$DB" \
  --rejects "$WORK/rejects.log" --quiet "$CORPUS" >/dev/null 2>&1
t_capped=$(awk -v s="$start" -v e="$(date +%s%N)" 'BEGIN { printf "%.2f", (e - s) / 1e9 }')
rss_mb=$(awk '{ printf "%.0f", $1 / 1024 }' "$WORK/rss.txt")
[ "$(count)" -eq "$large_rows" ] || { echo "the -Xmx96m import loaded $(count) rows, expected $large_rows" >&2; exit 1; }

# The JIT's share: one more default import with -XX:+CITime, which prints the compilers' times at exit.
fresh_db
jit=$(timed env JAVA_OPTS=-XX:+CITime "$UB" import --db "$BENCH_PG/$DB" --rejects "$WORK/rejects.log" --quiet \
  "$CORPUS")
jit_s=$(awk '/Total compilation time/ { printf "%.2f", $5 }' "$WORK/last.out")

if [ "$NIGHTLY" != 0 ]; then
  # The nightly: a directory of NIGHTLY_LINES lines in 10 files; the second night finds nothing changed.
  NIGHTLY_DIR="$WORK/nightly-$NIGHTLY_LINES"
  [ -f "$NIGHTLY_DIR/app-009.log" ] || java -cp target/test-classes io.usagebackfill.corpus.CorpusGenerator \
    --lines "$NIGHTLY_LINES" --files 10 --out "$NIGHTLY_DIR" --ids "$WORK/ids" >/dev/null
  nightly_mb=$(du -sm "$NIGHTLY_DIR" | cut -f1)
  fresh_db
  nightly() { timed "$UB" import --db "$BENCH_PG/$DB" --incremental --until auto --run-key "$1" --quiet \
    --rejects "$WORK/rejects.log" "$NIGHTLY_DIR"; }
  t_night1=$(nightly night-1 | cut -d' ' -f1)
  t_night2=$(nightly night-2 | cut -d' ' -f1)
  # A more usual night: 1% new lines, in a new file the app started; removed again afterwards.
  java -cp target/test-classes io.usagebackfill.corpus.CorpusGenerator --lines $((NIGHTLY_LINES / 100)) \
    --out "$WORK/nightly-new" >/dev/null
  sed 's/req-/req-new-/' "$WORK/nightly-new/app-000.log" > "$NIGHTLY_DIR/app-010.log"
  t_night3=$(nightly night-3 | cut -d' ' -f1)
  rm -f "$NIGHTLY_DIR/app-010.log"
fi
dropdb --if-exists --maintenance-db="$BENCH_PG/postgres" "$DB"

cat <<EOT
machine: $(nproc) CPUs, $(free -m | awk '/Mem:/ { print $2 }') MB RAM, PostgreSQL $(psql -qAt "$BENCH_PG/postgres" -c "SHOW server_version") on the same machine, $(java -version 2>&1 | head -1)
medians of $ROUNDS rounds (seconds, each load on a fresh database); load average after: $(cut -d' ' -f1-3 /proc/loadavg)

| measure | ours | yardstick | ratio | target |
|---|---|---|---|---|
$(cat "$WORK/large.md")
| 4. \`restart\` after \`kill -9\` at $at_kill of $large_rows rows vs a full default import | $t_restart | $m_large | $(ratio "$t_restart" "$m_large") | <= 0.55 |
| 5a. peak RSS of the $LINES-line import under -Xmx96m (MB, vs 400 MB) | $rss_mb | 400 | $(ratio "$rss_mb" 400) | <= 1.00 |
| 5b. that import vs the same of $((LINES / 10)) lines (10x the input) | $t_capped | $t_tenth | $(ratio "$t_capped" "$t_tenth") | <= 10.5 |
| 6. JIT compilation (-XX:+CITime, C1 + C2) in one default import (CPU-s, vs its JVM CPU-s) | $jit_s | ${jit#* } | $(ratio "$jit_s" "${jit#* }") | |
EOT
if [ "$NIGHTLY" != 0 ]; then
  echo "| 7. second nightly over the unchanged $nightly_mb MB directory vs the first | $t_night2 | $t_night1 | $(ratio "$t_night2" "$t_night1") | < 0.10 |"
  echo "| 7b. a nightly with 1% new lines vs the first (no target; start-up bound) | $t_night3 | $t_night1 | $(ratio "$t_night3" "$t_night1") | |"
fi
echo
echo "The same at $SMALL_LINES lines:"
echo
echo "| measure | ours | yardstick | ratio | target |"
echo "|---|---|---|---|---|"
cat "$WORK/small.md"
