package io.usagebackfill.run;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

/**
 * One run at a time per database: a session-level advisory lock held on its own connection for the whole run. The
 * server drops it when the process dies, even by SIGKILL, so a crash never leaves it held; which is also how
 * {@code restart} tells a crashed run (lock free) from a live one (lock held). Not thread-safe.
 */
public final class RunLock implements AutoCloseable {

    private static final long KEY = 0x75736167655f6266L;

    private final Connection connection;

    private RunLock(Connection connection) {
        this.connection = connection;
    }

    /**
     * @return the lock, or null when another process holds it
     */
    public static RunLock tryAcquire(DataSource dataSource) throws SQLException {
        Connection connection = dataSource.getConnection();
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("SELECT pg_try_advisory_lock(" + KEY + ")")) {
            rs.next();
            if (rs.getBoolean(1)) {
                return new RunLock(connection);
            }
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        connection.close();
        return null;
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

    @Override
    public void close() throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("SELECT pg_advisory_unlock(" + KEY + ")");
        } finally {
            connection.close();
        }
    }
}
