#!/usr/bin/env bash
# What the safety net costs (issue 22), measured side by side in one run on the 2M-line corpus of benchmark.sh:
#   1. import with the run's record of inserted ids (this checkout)  vs  the same import by a build without it
#      (OLD_UB, a launcher of an older checkout) and vs psql \copy of the same rows
#   2. verify of the loaded table  vs  import --dry-run of the same logs (both read everything and ask the table)
#      with the peak RSS of each
# Usage: OLD_UB=/path/to/old/bin/usage-backfill bench/safety-net.sh   (ROUNDS=3 LINES=2000000)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
LINES=${LINES:-2000000}
BENCH_PG=${BENCH_PG:-postgresql://postgres@127.0.0.1:5432}
WORK=${WORK:-target/bench}
DB=usage_backfill_safety
UB=bin/usage-backfill
OLD_UB=${OLD_UB:?give OLD_UB, the launcher of a build without the run records}
export PGOPTIONS="-c client_min_messages=warning"
COLUMNS_SQL="id,user_id,session_id,provider,model,prompt_tokens,completion_tokens,total_tokens,cost_usd,created_at"
CORPUS="$WORK/corpus-$LINES"
mkdir -p "$WORK"
[ -f "$CORPUS/app-000.log" ] || java -cp target/test-classes io.usagebackfill.corpus.CorpusGenerator \
  --lines "$LINES" --out "$CORPUS" --ids "$WORK/ids" >/dev/null
. bench/common.sh  # median, fresh_db (its timed is replaced here by one that also gives the peak RSS)
timed() { # "wall cpu rss_mb" of one run; exit codes 0 and 1 (verify's "does not match") are both results
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/time.txt" "$@" >"$WORK/last.out" 2>&1 || [ $? -eq 1 ] \
    || { echo "failed: $* (output in $WORK/last.out)" >&2; exit 1; }
  awk '{ printf "%.2f %.2f %d\n", $1, $2 + $3, $4 / 1024 }' "$WORK/time.txt"
}
col() { awk -v c="$1" '{ print $c }'; }
[ -f "$WORK/finished-$LINES.csv" ] || { fresh_db; "$UB" import --db "$BENCH_PG/$DB" --quiet --rejects "$WORK/r.log" "$CORPUS" >/dev/null
  psql -q "$BENCH_PG/$DB" -c "\\copy (SELECT $COLUMNS_SQL FROM token_usage) TO '$WORK/finished-$LINES.csv' CSV HEADER"; }
new=(); old=(); copy=(); verify=(); dry=(); vrss=(); drss=()
for r in $(seq "$ROUNDS"); do
  fresh_db; old+=("$(timed "$OLD_UB" import --db "$BENCH_PG/$DB" --quiet --rejects "$WORK/r.log" "$CORPUS" | col 1)")
  fresh_db; psql -q "$BENCH_PG/$DB" -c "DROP SCHEMA usage_backfill CASCADE" >/dev/null
  copy+=("$(timed psql -q "$BENCH_PG/$DB" -c "\\copy token_usage ($COLUMNS_SQL) FROM '$WORK/finished-$LINES.csv' CSV HEADER" | col 1)")
  fresh_db; new+=("$(timed "$UB" import --db "$BENCH_PG/$DB" --quiet --rejects "$WORK/r.log" "$CORPUS" | col 1)")
  v=$(timed "$UB" verify --db "$BENCH_PG/$DB" "$CORPUS"); verify+=("$(echo "$v" | col 1)"); vrss+=("$(echo "$v" | col 3)")
  grep -q "the table holds every event" "$WORK/last.out" || { echo "verify did not match:"; cat "$WORK/last.out"; exit 1; }
  d=$(timed "$UB" import --dry-run --db "$BENCH_PG/$DB" --quiet --rejects "$WORK/r.log" "$CORPUS"); dry+=("$(echo "$d" | col 1)"); drss+=("$(echo "$d" | col 3)")
done
dropdb --if-exists --maintenance-db="$BENCH_PG/postgres" "$DB"
m() { echo "$@" | median; }
printf "import with run records   %6.2f s  (without: %6.2f s, ratio %.2f; psql \\\\copy %6.2f s, ratio %.2f)\n" \
  "$(m "${new[@]}")" "$(m "${old[@]}")" "$(awk -v a="$(m "${new[@]}")" -v b="$(m "${old[@]}")" 'BEGIN{print a/b}')" \
  "$(m "${copy[@]}")" "$(awk -v a="$(m "${new[@]}")" -v b="$(m "${copy[@]}")" 'BEGIN{print a/b}')"
printf "verify                    %6.2f s, peak RSS %d MB  (import --dry-run %6.2f s, %d MB; ratio %.2f)\n" \
  "$(m "${verify[@]}")" "$(m "${vrss[@]}")" "$(m "${dry[@]}")" "$(m "${drss[@]}")" \
  "$(awk -v a="$(m "${verify[@]}")" -v b="$(m "${dry[@]}")" 'BEGIN{print a/b}')"
echo "rounds: import new ${new[*]} | old ${old[*]} | copy ${copy[*]} | verify ${verify[*]} | dry-run ${dry[*]}"
