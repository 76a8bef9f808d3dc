package io.usagebackfill.run;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import javax.sql.DataSource;

import io.usagebackfill.config.SessionFreeTransactionManager;

/**
 * One run at a time per database: a transaction-level advisory lock, taken in a transaction that its own connection
 * keeps open for the whole run and rolls back at the end. The server drops it with the transaction, also when the
 * process dies (even by SIGKILL: the connection closes, and a pooler closes the server connection of a client that
 * left mid-transaction), so a crash never leaves it held; which is also how {@code restart} and {@code status} tell
 * a crashed run (lock free) from a live one (lock held).
 *
 * <p>A session-level lock would outlive the run on a transaction-mode pooler's server connection, and be taken
 * again by any later run routed there (advisory locks are re-entrant in a session); an open transaction instead
 * keeps that server connection for this lock alone, in session and transaction pooling alike. The transaction
 * takes no snapshot and no transaction id while it waits (READ COMMITTED, an advisory lock only), so it holds back
 * neither VACUUM nor anyone's locks; the server timeouts that would end it ({@code
 * idle_in_transaction_session_timeout}, {@code transaction_timeout}) are lifted for it, and a statement every
 * {@link #HEARTBEAT} keeps a pooler from ending it as idle; if its connection is lost all the same, the run is told
 * ({@link #onLost}). Thread-safe.
 */
public final class RunLock implements AutoCloseable {

    private static final long KEY = 0x75736167655f6266L;

    /**
     * How often the lock's transaction says it is alive: a pooler that ends transactions idle for longer (PgBouncer's
     * {@code idle_transaction_timeout}, in whole seconds) would end the lock with it, and let a second run in.
     */
    static final Duration HEARTBEAT = Duration.ofMillis(500);

    private final Connection connection;
    private final String keepAlive;
    private volatile Runnable onLost = () -> { };
    private boolean closed;
    private Thread heartbeat;

    private RunLock(Connection connection, String keepAlive) {
        this.connection = connection;
        this.keepAlive = keepAlive;
    }

    /**
     * Runs {@code action} (once, on the lock's own thread) if the lock's connection is lost while the run holds it: the
     * server or a pooler ended its transaction, so the lock no longer keeps a second run out.
     */
    public void onLost(Runnable action) {
        this.onLost = action;
    }

    private void beat() {
        while (true) {
            try {
                Thread.sleep(HEARTBEAT.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            synchronized (this) {
                if (closed) {
                    return;
                }
                // A statement with no snapshot, as the one that took the lock ended: it holds back no VACUUM.
                try (Statement st = connection.createStatement()) {
                    st.execute(keepAlive);
                } catch (SQLException lost) {
                    closed = true;
                    onLost.run();
                    return;
                }
            }
        }
    }

    /**
     * @return the lock, or null when another process holds it
     */
    public static RunLock tryAcquire(DataSource dataSource) throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
            connection.setAutoCommit(false);
            try (Statement st = connection.createStatement()) {
                st.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED");
                boolean taken;
                try (ResultSet rs = st.executeQuery("SELECT pg_try_advisory_xact_lock(" + KEY + ")")) {
                    rs.next();
                    taken = rs.getBoolean(1);
                }
                if (taken) {
                    // Last: a statement after the SELECT replaces its portal (the driver's unnamed one), which would
                    // otherwise keep the SELECT's snapshot registered, and so hold back VACUUM, for the whole run.
                    String lift = SessionFreeTransactionManager.liftTimeouts(
                            connection.getMetaData().getDatabaseMajorVersion());
                    st.execute(lift);
                    RunLock lock = new RunLock(connection, lift);
                    lock.heartbeat = new Thread(lock::beat, "usage-backfill-lock");
                    lock.heartbeat.setDaemon(true);
                    lock.heartbeat.start();
                    return lock;
                }
            }
            release(connection);
            return null;
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /**
     * Whether some session holds the lock now, i.e. a run is alive; read from {@code pg_locks} without taking it,
     * so a read-only role can ask.
     */
    public static boolean isHeld(Connection connection) throws SQLException {
        // An advisory lock is per database, and pg_locks shows every database's: another database's run is not ours.
        try (var st = connection.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory'"
                + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                + " AND classid::bigint = ? AND objid::bigint = ? AND objsubid = 1 AND granted)")) {
            st.setLong(1, KEY >>> 32);
            st.setLong(2, KEY & 0xffffffffL);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** Ends the lock; one whose connection was lost is gone already, so nothing is said of it here. */
    @Override
    public void close() {
        boolean lost;
        synchronized (this) {
            lost = closed;
            closed = true;
        }
        heartbeat.interrupt();
        try {
            if (lost) {
                connection.close();
            } else {
                release(connection);
            }
        } catch (SQLException gone) {
            // A connection lost as the run ended took the lock with it: nothing is left to free.
        }
    }

    /** Ends the lock's transaction, which frees the lock, and hands the connection back in autocommit. */
    private static void release(Connection connection) throws SQLException {
        try {
            connection.rollback();
            connection.setAutoCommit(true);
        } finally {
            connection.close();
        }
    }
}
