package io.usagebackfill.load;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.usagebackfill.normalize.TokenUsage;

/**
 * Loads one chunk of rows with COPY, exactly once, inside the caller's transaction.
 *
 * <p>A chunk of new rows is copied straight into the table inside a savepoint, which costs no more than a plain
 * COPY. When that hits a row already present (a re-run, a rotated copy, a restart), the savepoint is rolled back and
 * the chunk goes through a temporary staging table and {@code INSERT ... ON CONFLICT DO NOTHING} on the table's
 * unique key ({@code (id)}, or {@code (id, created_at)} on a table partitioned by time), which counts the
 * duplicates ({@link StagingMerge}). After a chunk that had duplicates the next one goes straight to the merge,
 * since re-runs tend to be duplicates throughout. Where row-level security applies to the role, PostgreSQL refuses
 * COPY into the table, and every chunk goes through the merge, whose INSERT the policies check; a row they refuse
 * is handed to {@link RefusedRows} and the rest of its chunk loads.
 *
 * <p>User and session ids are not looked up in their parent tables before the COPY: the COPY's own foreign-key
 * check finds an unknown one, and only then is the chunk copied again with those ids nulled (and the chunks after
 * it are looked up first), so logs whose ids the parent tables hold pay for one check of each id, not two. A
 * foreign key checked only at commit ({@code INITIALLY DEFERRED}) is always looked up first, as is a chunk that
 * goes to the merge.
 *
 * <p>A row already present is either one the table held before the run (an earlier run loaded it) or a repeat
 * within the run's logs (a rotated copy, a line logged twice), counted apart. A repeat is an event whose row the run
 * inserted, which the row's {@code xmin} tells ({@link RunXids}: one run holds the database's run lock, so a row
 * inserted by a transaction inside one of the run's executions is the run's own), or one found present before in
 * the same run, which
 * {@code usage_backfill.run_seen_id} remembers (committed with the chunk, so a restart keeps it). Not thread-safe:
 * one loader per step or partition.
 */
public final class TokenUsageLoader implements ChunkLoader {

    private static final String UNIQUE_VIOLATION = "23505";
    private static final String FOREIGN_KEY_VIOLATION = "23503";
    private static final String DEADLOCK = "40P01";

    private final TargetTable table;
    private final TableShape shape;
    private final RowCopy copy;
    private StagingMerge staging;
    private RefusedRows refusals;
    /** Counts the rows that land in the table's DEFAULT partition; null for a table without one. */
    private DefaultPartitionRows inDefault;
    private final RunXids runXids;
    private final long jobInstanceId;
    private boolean expectDuplicates;
    private boolean expectUnknownReferences;
    /** Whether a chunk's rows replace rows already there under their ids ({@code --replace-fixed}). */
    private boolean replace;
    /** The ids of the rows the chunk being loaded replaced ({@link #replace}). */
    private Set<UUID> replaced = Set.of();
    /** Of the rows the chunk being loaded inserted, those that replaced one ({@link #replaced}). */
    private long replacedInserted;
    /** Whether this loader has recorded a chunk yet (see {@link RunInserts}). */
    private boolean recorded;

    public TokenUsageLoader(TargetTable table, TableShape shape) {
        this(table, shape, 0, null);
    }

    /**
     * @param jobInstanceId the run, whose repeats are told apart
     * @param runXids the transactions of the run's own inserts, or null to count every row already present as there
     *     before the run
     */
    public TokenUsageLoader(TargetTable table, TableShape shape, long jobInstanceId, RunXids runXids) {
        this.table = table;
        this.shape = shape;
        this.jobInstanceId = jobInstanceId;
        this.runXids = runXids;
        this.copy = new RowCopy(shape);
        this.staging = new StagingMerge(table, shape, copy, false);
    }

    /**
     * This loader, handing the rows a row-level security policy refuses to {@code refused} (each a reject of its
     * line) and loading the rest of their chunk; without it such a refusal fails the chunk.
     */
    public TokenUsageLoader refusingTo(RefusedRows refused) {
        this.refusals = refused;
        this.staging = new StagingMerge(table, shape, copy, refused != null);
        return this;
    }

    /** This loader, counting by month the rows that land in {@code defaultPartition} (null: none). */
    public TokenUsageLoader countingDefault(PartitionRange defaultPartition) {
        this.inDefault = defaultPartition == null ? null : new DefaultPartitionRows(defaultPartition);
        return this;
    }

    /**
     * This loader, deleting each chunk's rows already in the table (by id) before loading it: a line corrected again
     * replaces the row of its earlier correction, in the same transaction.
     */
    public TokenUsageLoader replacing(boolean replaceExisting) {
        this.replace = replaceExisting;
        return this;
    }

    /** Forgets the duplicates the run met, once it has ended. */
    public static void forget(Connection connection, long jobInstanceId) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(
                "DELETE FROM usage_backfill.run_seen_id WHERE job_instance_id = ?")) {
            st.setLong(1, jobInstanceId);
            st.executeUpdate();
        }
    }

    /** A transaction id, taken when a run starts, that rows the run inserts are younger than. */
    public static long currentXid(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT txid_current()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * @throws SQLException when the database refuses the chunk for any reason other than rows already present;
     *     the caller's transaction is then to be rolled back
     */
    @Override
    public ChunkLoad load(Connection connection, List<? extends TokenUsage> chunk) throws SQLException {
        // Rows replaced were in the table before: not the run's to take back (its record would make undo delete a
        // row it cannot restore), so they are kept out of the record, and an undo keeps their new values.
        replaced = replace ? InsertedRows.deleteReturningIds(connection, table,
                chunk.stream().map(TokenUsage::id).distinct().toList()) : Set.of();
        replacedInserted = 0;
        ChunkLoad load = loadChunk(connection, chunk);
        return replaced.isEmpty() ? load : load.replacing(replacedInserted);
    }

    private ChunkLoad loadChunk(Connection connection, List<? extends TokenUsage> chunk) throws SQLException {
        boolean checkReferences = expectUnknownReferences || shape.checksReferencesAtCommit();
        KnownReferences.Filtered filtered = checkReferences ? KnownReferences.filter(connection, shape, chunk)
                : KnownReferences.unchecked(chunk);
        // Row-level security refuses COPY into the table: every chunk goes through the merge, which it checks.
        if (!expectDuplicates && !shape.rowSecurity()) {
            Savepoint savepoint = connection.setSavepoint();
            try {
                long copied = copy.into(connection, table.sql(), filtered.rows());
                connection.releaseSavepoint(savepoint);
                return copied(connection, filtered, copied);
            } catch (SQLException e) {
                if (!UNIQUE_VIOLATION.equals(e.getSQLState()) && !FOREIGN_KEY_VIOLATION.equals(e.getSQLState())
                        && !DEADLOCK.equals(e.getSQLState())) {
                    throw e;
                }
                connection.rollback(savepoint);
                if (FOREIGN_KEY_VIOLATION.equals(e.getSQLState()) && !checkReferences) {
                    // Logs whose ids the parent tables lack tend to go on lacking them: check the next chunks first.
                    expectUnknownReferences = true;
                    return loadChunk(connection, chunk);
                }
            }
        }
        if (!checkReferences) {
            filtered = KnownReferences.filter(connection, shape, chunk);
        }
        StagingMerge.Merged merged = staging.merge(connection, filtered.rows());
        List<TokenUsage> rows = withoutRefused(filtered.rows(), merged.refused());
        List<TokenUsage> inserted = new ArrayList<>(merged.ids().size());
        List<UUID> present = new ArrayList<>(rows.size() - merged.ids().size());
        Set<UUID> unclaimed = new HashSet<>(merged.ids());
        long repeatedInChunk = 0;
        for (TokenUsage row : rows) {
            // An event twice in one chunk (a rotated copy) is inserted once; its second copy found it there.
            if (unclaimed.remove(row.id())) {
                inserted.add(row);
            } else {
                present.add(row.id());
                repeatedInChunk += merged.ids().contains(row.id()) ? 1 : 0;
            }
        }
        expectDuplicates = inserted.size() < rows.size();
        Stored stored = stored(connection, present, merged.ids());
        // An event neither inserted nor found had its insert dropped by the database: no duplicate, no repeat.
        long vanished = present.size() - stored.found();
        long repeated = repeatedInChunk + stored.insertedByThisRun();
        List<TokenUsage> alreadyThere = new ArrayList<>();
        if (runXids != null) {
            // Each other copy of an event that was in the table before the run is a repeat, but for the first one
            // the run meets, which the claim tells.
            long older = present.size() - vanished - repeated;
            Set<UUID> claimed = claimFirstMeetings(connection, present, merged.ids());
            repeated += older - claimed.size();
            for (TokenUsage row : rows) {
                if (claimed.remove(row.id())) {
                    alreadyThere.add(row);
                }
            }
        }
        record(connection, inserted);
        ChunkLoad load = ChunkLoad.of(rows, inserted, merged.totals().plus(stored.totals()),
                filtered.nulledUserIds(inserted), filtered.nulledSessionIds(inserted)).repeatedInInput(repeated)
                .alreadyThere(alreadyThere);
        load = countDefault(connection, load, inserted);
        if (vanished == 0 && load.read().equals(load.loaded())) {
            if (inserted.isEmpty() || !StoredRows.triggersMayChange(connection, table)) {
                return load;
            }
            // The sums hold, but a trigger may have changed the time or model of what this chunk inserted.
            Differences inInserted = StoredRows.compare(connection, table, inserted).differences();
            return inInserted.any() ? load.differing(inInserted, 0) : load;
        }
        return load.differing(StoredRows.compare(connection, table, rows).differences(), vanished);
    }

    /**
     * A chunk COPY took whole, checked against what the table now holds for it: the server's count of the rows
     * copied and the rows read back, so a trigger or rule that dropped or changed rows is reported, not hidden.
     */
    private ChunkLoad copied(Connection connection, KnownReferences.Filtered filtered, long copied)
            throws SQLException {
        List<TokenUsage> rows = filtered.rows();
        ChunkLoad.Totals read = ChunkLoad.Totals.of(rows);
        if (copied == rows.size() && !StoredRows.triggersMayChange(connection, table)) {
            record(connection, rows);
            return countDefault(connection, ChunkLoad.of(rows, rows, read, filtered.nulledUserIds(rows),
                    filtered.nulledSessionIds(rows)), rows);
        }
        // A trigger can change any column, the time and model as well as the counts: each row is compared.
        StoredRows.Compared compared = StoredRows.compare(connection, table, rows);
        if (copied == rows.size() && !compared.differences().any()) {
            record(connection, rows);
            return countDefault(connection, ChunkLoad.of(rows, rows, read, filtered.nulledUserIds(rows),
                    filtered.nulledSessionIds(rows)), rows);
        }
        List<TokenUsage> inserted = new ArrayList<>(rows.size());
        for (TokenUsage row : rows) {
            if (!compared.missing().contains(row.id())) {
                inserted.add(row);
            }
        }
        record(connection, inserted);
        return countDefault(connection, ChunkLoad.of(rows, inserted, compared.stored(),
                filtered.nulledUserIds(inserted), filtered.nulledSessionIds(inserted)), inserted)
                .differing(compared.differences(), compared.missing().size());
    }

    /** The load with the rows it inserted into the DEFAULT partition counted, where the table has one. */
    private ChunkLoad countDefault(Connection connection, ChunkLoad load, List<TokenUsage> inserted)
            throws SQLException {
        return inDefault == null ? load : load.inDefault(inDefault.byMonth(connection, inserted));
    }

    /**
     * The chunk without the rows a policy refused, each handed to {@link #refusals} as the reject of its line (an
     * event read twice in the chunk, twice).
     */
    private List<TokenUsage> withoutRefused(List<TokenUsage> rows, Map<UUID, String> refused) {
        if (refused.isEmpty()) {
            return rows;
        }
        List<TokenUsage> kept = new ArrayList<>(rows.size());
        for (TokenUsage row : rows) {
            String reason = refused.get(row.id());
            if (reason == null) {
                kept.add(row);
            } else {
                refusals.refused(row, reason);
            }
        }
        return kept;
    }

    /** Keeps which rows the run inserted, for {@code undo}; a loader without a run (a test's) keeps nothing. */
    private void record(Connection connection, List<TokenUsage> inserted) throws SQLException {
        List<TokenUsage> own = replaced.isEmpty() ? inserted
                : inserted.stream().filter(row -> !replaced.contains(row.id())).toList();
        replacedInserted = inserted.size() - own.size();
        if (jobInstanceId > 0) {
            RunInserts.record(connection, jobInstanceId, table, own, !recorded);
            recorded = true;
        }
    }

    /**
     * Remembers the present rows the table held before the run, by id, and returns those ids it met here for the
     * first time in the run.
     */
    private Set<UUID> claimFirstMeetings(Connection connection, List<UUID> present, Set<UUID> justInserted)
            throws SQLException {
        Set<UUID> candidates = new java.util.TreeSet<>(present);
        candidates.removeAll(justInserted);
        if (candidates.isEmpty()) {
            return new HashSet<>();
        }
        try (PreparedStatement st = connection.prepareStatement("WITH c AS (INSERT INTO usage_backfill.run_seen_id"
                + " SELECT ?, u.id FROM unnest(?::uuid[]) AS u (id) JOIN " + table.sql() + " t ON t.id = u.id"
                + " WHERE NOT " + runXids.owns("t.xmin") + " ORDER BY u.id"
                + " ON CONFLICT DO NOTHING RETURNING id) SELECT id FROM c")) {
            st.setLong(1, jobInstanceId);
            st.setArray(2, connection.createArrayOf("uuid", candidates.toArray()));
            Set<UUID> claimed = new HashSet<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    claimed.add(rs.getObject(1, UUID.class));
                }
            }
            return claimed;
        }
    }

    /** @param found how many of the ids (counted per occurrence) have a row */
    private record Stored(ChunkLoad.Totals totals, long insertedByThisRun, long found) {
    }

    /**
     * Tokens and cost of rows already in the table, as stored, for the run's reconciliation; and how many of them
     * this run inserted earlier (other than in this chunk, {@code justInserted}).
     */
    private Stored stored(Connection connection, List<UUID> ids, Set<UUID> justInserted) throws SQLException {
        if (ids.isEmpty()) {
            return new Stored(ChunkLoad.Totals.ZERO, 0, 0);
        }
        // Joined per occurrence, so an id present twice in the chunk counts twice, as it was read twice. age() of a
        // younger transaction is smaller; a frozen row's is the largest there is.
        try (PreparedStatement st = connection.prepareStatement("SELECT coalesce(sum(t.prompt_tokens), 0),"
                + " coalesce(sum(t.completion_tokens), 0), coalesce(sum(t.total_tokens), 0),"
                + " coalesce(sum(t.cost_usd), 0), count(*) FILTER (WHERE " + (runXids == null ? "false"
                        : "NOT (t.id = ANY (?::uuid[])) AND " + runXids.owns("t.xmin")) + ")"
                + ", count(*) FROM unnest(?::uuid[]) AS u (id) JOIN " + table.sql() + " t ON t.id = u.id")) {
            int at = 1;
            if (runXids != null) {
                st.setArray(at++, connection.createArrayOf("uuid", justInserted.toArray()));
            }
            st.setArray(at, connection.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return new Stored(new ChunkLoad.Totals(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)),
                        rs.getLong(5), rs.getLong(6));
            }
        }
    }

}
