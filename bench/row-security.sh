#!/usr/bin/env bash
# What row-level security costs (issue 21), measured side by side in one run on the corpus of benchmark.sh. The same
# logs are loaded three ways, each on a fresh database with the guide's schema (users and sessions with the corpus's
# ids, token_usage with both foreign keys and its indexes), plus the yardstick:
#   1. the plain table, imported by its owner: COPY straight into the table (the fast path)
#   2. the same table with ROW LEVEL SECURITY enabled, a SELECT policy showing every row and an INSERT policy
#      admitting every row, imported by a role that is not the owner: PostgreSQL refuses it COPY FROM, so every chunk
#      is copied into a transaction-local staging table and merged with INSERT … SELECT … ON CONFLICT DO NOTHING,
#      which the policies check; nothing is refused
#   3. as 2, with an INSERT policy refusing a known share of the rows (REFUSE=user: the corpus's first user, ~0.2%;
#      REFUSE=provider: provider google, ~17%): the refused rows must be exactly the corpus's rows of that user (or
#      provider), each a reject, and every other row loaded
#   psql \copy of the finished rows (import --csv-out of the same logs) into the plain table, as the owner
# Times are medians of ROUNDS (the four loads interleaved, their order reversed every other round); the figures to
# read are the ratios (2)/(1), (3)/(1) and (1)/psql. CPU is the JVM's (user+sys of the import, GNU time).
#
# Usage: bench/row-security.sh    (ROUNDS=3 LINES=2000000 REFUSE=user BENCH_PG=postgresql://postgres@127.0.0.1:5432)
# Makes (and drops at the end) the database usage_backfill_rls_bench and the login role usage_backfill_rls_loader,
# which must be able to log in without a password from this host (trust, or a ~/.pgpass line).
# About 7 minutes on 2 CPUs with ROUNDS=3 once the corpus exists (2 more to make it); LINES=1000000 for half that;
# REFUSE=provider refuses ~830 rows of every 5,000-row chunk, each sorted out by halves: LINES=200000 for that one.
# Needs: a JDK 17, psql/createdb/dropdb, jq, GNU time (/usr/bin/time), a PostgreSQL server at BENCH_PG (a superuser).
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
LINES=${LINES:-2000000}
REFUSE=${REFUSE:-user}
BENCH_PG=${BENCH_PG:-postgresql://postgres@127.0.0.1:5432}
WORK=${WORK:-target/bench}
DB=usage_backfill_rls_bench
ROLE=usage_backfill_rls_loader
UB=${UB:-bin/usage-backfill}
export PGOPTIONS="-c client_min_messages=warning"
COLUMNS_SQL="id,user_id,session_id,provider,model,prompt_tokens,completion_tokens,total_tokens,cost_usd,created_at"
CORPUS="$WORK/corpus-$LINES"
OWNER_URL="$BENCH_PG/$DB"
# The same server and database as the role (a URL's user part replaced, or added).
ROLE_URL=$(echo "$BENCH_PG/$DB" | sed -E "s#^(postgres(ql)?://)([^@/]*@)?#\\1$ROLE@#")

mkdir -p "$WORK"
[ -f target/app/usage-backfill.jsa ] && [ -z "${REBUILD:-}" ] || ./mvnw -q package -DskipTests
[ -f "$CORPUS/app-000.log" ] || java -cp target/test-classes io.usagebackfill.corpus.CorpusGenerator \
  --lines "$LINES" --out "$CORPUS" --ids "$WORK/ids" >/dev/null
[ -f "$WORK/ids/users.csv" ] || java -cp target/test-classes io.usagebackfill.corpus.CorpusGenerator \
  --lines 1 --out "$WORK/ids-only" --ids "$WORK/ids" >/dev/null

# What way 3 refuses, and how many rows of the corpus that is, read from the logs themselves.
case "$REFUSE" in
  user) refused_value=$(head -1 "$WORK/ids/users.csv"); refused_field=user_id
    refused_check="user_id <> '$refused_value'" ;;
  provider) refused_value=google; refused_field=provider; refused_check="provider <> 'google'" ;;
  *) echo "REFUSE is user or provider, not $REFUSE" >&2; exit 2 ;;
esac
refused=$(grep -F '"msg":"token_usage"' "$CORPUS/app-000.log" | grep -cF "\"$refused_field\":\"$refused_value\"")

cleanup() {
  dropdb --if-exists --maintenance-db="$BENCH_PG/postgres" "$DB" || true
  psql -q "$BENCH_PG/postgres" -c "DROP ROLE IF EXISTS $ROLE" || true
}
trap cleanup EXIT
psql -q "$BENCH_PG/postgres" -c "DROP DATABASE IF EXISTS $DB" -c "DROP ROLE IF EXISTS $ROLE" \
  -c "CREATE ROLE $ROLE LOGIN"

row_security() { # row_security CHECK: RLS on token_usage; the role sees every row and may insert those CHECK admits
  psql -q -v ON_ERROR_STOP=1 "$OWNER_URL" <<EOF
ALTER TABLE token_usage ENABLE ROW LEVEL SECURITY;
GRANT SELECT, INSERT ON token_usage TO $ROLE;
GRANT SELECT ON users, sessions TO $ROLE;
GRANT USAGE ON SCHEMA usage_backfill TO $ROLE;
GRANT ALL ON ALL TABLES IN SCHEMA usage_backfill TO $ROLE;
GRANT ALL ON ALL SEQUENCES IN SCHEMA usage_backfill TO $ROLE;
CREATE POLICY see_all ON token_usage FOR SELECT TO $ROLE USING (true);
CREATE POLICY insert_checked ON token_usage FOR INSERT TO $ROLE WITH CHECK ($1);
EOF
}
. bench/common.sh  # timed, median, ratio, fresh_db
sql() { psql -qAt "$OWNER_URL" -c "$1"; }
fail() { echo "$*" >&2; exit 1; }

import() { # import URL: one import of the corpus, its report in $WORK/rls-report.json; prints "wall cpu"
  rm -f "$WORK/rls-rejects.log" "$WORK/rls-rejects.log.reasons.csv"
  timed "$UB" import --db "$1" --rejects "$WORK/rls-rejects.log" --report-json "$WORK/rls-report.json" \
    --skip-limit 100000000 --quiet "$CORPUS"
}
report() { jq -r "$1" "$WORK/rls-report.json"; }
check() { # check WAY: the rows in the table, the rejects and the path the report names
  local loaded rejects
  loaded=$(sql "SELECT count(*) FROM token_usage")
  rejects=0; [ ! -f "$WORK/rls-rejects.log" ] || rejects=$(wc -l < "$WORK/rls-rejects.log")
  [ "$1" = copy ] || { [ "$(report .status)" = COMPLETED ] && [ "$(report .reconciliation.matches)" = true ]; } \
    || fail "way $1: $(report .status), reconciled: $(report .reconciliation.matches)"
  case $1 in
    1) [ "$loaded" -eq "$rows" ] && [ "$rejects" -eq 0 ] && [ "$(report .table.rowLevelSecurity)" = false ] \
         || fail "way 1: $loaded rows, $rejects rejects, row security $(report .table.rowLevelSecurity)" ;;
    2) [ "$loaded" -eq "$rows" ] && [ "$rejects" -eq 0 ] && [ "$(report .table.rowLevelSecurity)" = true ] \
         || fail "way 2: $loaded rows, $rejects rejects, row security $(report .table.rowLevelSecurity)" ;;
    3) local left
       left=$(sql "SELECT count(*) FROM token_usage WHERE NOT ($refused_check)")
       [ "$loaded" -eq $((rows - refused)) ] && [ "$rejects" -eq "$refused" ] && [ "$left" -eq 0 ] \
         && [ "$(report .rejected)" -eq "$refused" ] && [ "$(report .inserted)" -eq $((rows - refused)) ] \
         && [ "$(report '.rejectReasons | keys | length')" -eq 1 ] \
         && report '.rejectReasons | keys[0]' | grep -q '^row-level security refused the row' \
         || fail "way 3: $loaded rows (expected $((rows - refused))), $rejects rejects and $(report .rejected)" \
           "in the report (expected $refused), $left refused rows in the table; reasons: $(report .rejectReasons)" ;;
    copy) [ "$loaded" -eq "$rows" ] || fail "psql \\copy: $loaded rows, expected $rows" ;;
  esac
}

# The finished rows psql loads are ours: the same rows (and ids), validated and converted.
timed "$UB" import --csv-out "$WORK/rls-finished.csv" --rejects "$WORK/rls-rejects.log" --quiet "$CORPUS" >/dev/null
rows=$(($(wc -l < "$WORK/rls-finished.csv") - 1))
in_csv=$(awk -F, -v f="$refused_field" -v v="$refused_value" \
  'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } $c[f] == v' "$WORK/rls-finished.csv" | wc -l)
[ "$in_csv" -eq "$refused" ] || fail "the corpus has $refused events of $refused_field $refused_value, the CSV $in_csv"
[ "$refused" -gt 0 ] || fail "the corpus has no event of $refused_field $refused_value"

w1=(); c1=(); w2=(); c2=(); w3=(); c3=(); wp=()
way() { # way NAME: one load on a fresh database, its check, its figures kept
  local t
  fresh_db
  case $1 in
    1) t=$(import "$OWNER_URL"); check 1; w1+=("${t% *}"); c1+=("${t#* }") ;;
    2) row_security true; t=$(import "$ROLE_URL"); check 2; w2+=("${t% *}"); c2+=("${t#* }") ;;
    3) row_security "$refused_check"; t=$(import "$ROLE_URL"); check 3; w3+=("${t% *}"); c3+=("${t#* }") ;;
    copy) t=$(timed psql -q "$OWNER_URL" -c "\\copy token_usage ($COLUMNS_SQL) FROM '$WORK/rls-finished.csv' CSV HEADER")
      check copy; wp+=("${t% *}") ;;
  esac
}
for round in $(seq 1 "$ROUNDS"); do
  # Alternate the order, so a drifting machine favours none.
  if [ $((round % 2)) -eq 1 ]; then order="copy 1 2 3"; else order="3 2 1 copy"; fi
  for w in $order; do way "$w"; done
  echo "round $round: way 1 ${w1[-1]} s, way 2 ${w2[-1]} s, way 3 ${w3[-1]} s, psql ${wp[-1]} s" >&2
done
m() { echo "$@" | median; }
m1=$(m "${w1[@]}"); m2=$(m "${w2[@]}"); m3=$(m "${w3[@]}"); mp=$(m "${wp[@]}")
n1=$(m "${c1[@]}"); n2=$(m "${c2[@]}"); n3=$(m "${c3[@]}")
share=$(awk -v r="$refused" -v n="$rows" 'BEGIN { printf "%.2f", 100 * r / n }')

cat <<EOT
machine: $(nproc) CPUs, $(free -m | awk '/Mem:/ { print $2 }') MB RAM, PostgreSQL $(psql -qAt "$BENCH_PG/postgres" -c "SHOW server_version") on the same machine, $(java -version 2>&1 | head -1)
corpus: $LINES lines, $rows events; medians of $ROUNDS rounds (seconds, each load on a fresh database); load average after: $(cut -d' ' -f1-3 /proc/loadavg)

| way | wall (s) | JVM CPU (s) | wall vs (1) | CPU vs (1) |
|---|---|---|---|---|
| 1. plain table, imported by its owner: COPY straight in | $m1 | $n1 | 1.00 | 1.00 |
| 2. RLS, policies admitting every row, a non-owner role: staging COPY + INSERT … SELECT | $m2 | $n2 | $(ratio "$m2" "$m1") | $(ratio "$n2" "$n1") |
| 3. RLS, the INSERT policy refusing $refused_field $refused_value: $refused rows ($share%) rejected, the rest loaded | $m3 | $n3 | $(ratio "$m3" "$m1") | $(ratio "$n3" "$n1") |
| \`psql \\copy\` of the finished rows into the plain table (yardstick) | $mp | | | |

(1) / psql \\copy: $(ratio "$m1" "$mp"); (2) / psql \\copy: $(ratio "$m2" "$mp"); (3) / psql \\copy: $(ratio "$m3" "$mp")
rounds (wall): way 1 ${w1[*]} | way 2 ${w2[*]} | way 3 ${w3[*]} | psql ${wp[*]}
rounds (JVM CPU): way 1 ${c1[*]} | way 2 ${c2[*]} | way 3 ${c3[*]}
EOT
rm -f "$WORK/rls-finished.csv" "$WORK/rls-rejects.log" "$WORK/rls-rejects.log.reasons.csv"
