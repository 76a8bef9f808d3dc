# What the benchmark scripts share; sourced once WORK, BENCH_PG, DB and UB are set. Each figure is one run's "wall cpu", and a table
# gives medians and ratios of them.
timed() { # timed CMD...: "wall cpu" in seconds of one run (cpu: user+sys of the process); fails if CMD does
  /usr/bin/time -f "%e %U %S" -o "$WORK/time.txt" "$@" >"$WORK/last.out" 2>&1 \
    || { echo "failed: $* (output in $WORK/last.out)" >&2; exit 1; }
  awk '{ printf "%.2f %.2f\n", $1, $2 + $3 }' "$WORK/time.txt"
}
median() { tr ' ' '\n' | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
fresh_db() { # the guide's schema: users and sessions with the corpus's ids, token_usage with its FKs and indexes
  dropdb --if-exists --maintenance-db="$BENCH_PG/postgres" "$DB"
  createdb --maintenance-db="$BENCH_PG/postgres" "$DB"
  psql -q "$BENCH_PG/$DB" -c "CREATE TABLE users (id UUID PRIMARY KEY); CREATE TABLE sessions (id UUID PRIMARY KEY)" \
    -c "\\copy users FROM '$WORK/ids/users.csv'" -c "\\copy sessions FROM '$WORK/ids/sessions.csv'"
  "$UB" schema --db "$BENCH_PG/$DB" --apply >/dev/null
}
