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
# The database server's own CPU (user+sys, in seconds) so far: its postmaster's reaped children, which every backend
# of a finished load is. Only for a server on this machine; elsewhere it prints nothing.
postmaster_pid() { # the parent of the server's long-lived checkpointer, when it runs here
  local checkpointer
  checkpointer=$(psql -qAt "$BENCH_PG/postgres" -c \
    "SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer'" 2>/dev/null) || return 0
  [ -n "$checkpointer" ] && awk '{ print $4 }' "/proc/$checkpointer/stat" 2>/dev/null || true
}
server_cpu() { # server_cpu PID: prints the server's CPU-s so far, or nothing
  [ -n "$1" ] && [ -r "/proc/$1/stat" ] && awk '{ printf "%.2f\n", ($16 + $17) / 100 }' "/proc/$1/stat"
}
