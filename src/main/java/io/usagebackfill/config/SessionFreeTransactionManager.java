package io.usagebackfill.config;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.DelegatingTransactionDefinition;

/**
 * The DataSource's transaction manager, making every setting a transaction needs inside the transaction and never
 * on the session, so that a transaction-mode pooler neither loses it (the next transaction may run on another
 * server connection) nor leaves it for another client:
 * <ul>
 * <li>an isolation level asked for (Spring Batch creates its runs {@code SERIALIZABLE}) is {@code SET TRANSACTION
 * ISOLATION LEVEL}, where the driver would have set the session's characteristics before the transaction and back
 * after it, two statements a pooler may send to two server connections;</li>
 * <li>{@code statement_timeout} is the tool's own ({@code --statement-timeout}, 0 for none), over whatever the role
 * or the database sets (a Supabase API role's few seconds), and the other server timeouts are lifted
 * ({@link #liftTimeouts}): a chunk may wait on another partition's insert of the same event, or on its parse thread,
 * inside its transaction.</li>
 * </ul>
 * Each transaction so begins on the server at once (one round trip, with its {@code BEGIN}). Thread-safe, as
 * Spring's transaction managers are.
 */
public final class SessionFreeTransactionManager extends JdbcTransactionManager {

    /** The Spring property holding {@code --statement-timeout}, in seconds. */
    public static final String STATEMENT_TIMEOUT = "usage-backfill.statement-timeout";

    private final int statementTimeoutSeconds;

    /** @param statementTimeoutSeconds the tool's {@code statement_timeout}; 0 for none */
    public SessionFreeTransactionManager(DataSource dataSource, int statementTimeoutSeconds) {
        super(dataSource);
        this.statementTimeoutSeconds = statementTimeoutSeconds;
    }

    @Override
    protected void doBegin(Object transaction, TransactionDefinition definition) {
        super.doBegin(transaction, new IsolationInside(definition));
    }

    @Override
    protected void prepareTransactionalConnection(Connection connection, TransactionDefinition definition)
            throws SQLException {
        super.prepareTransactionalConnection(connection, definition);
        int isolation = definition instanceof IsolationInside inside ? inside.requested
                : definition.getIsolationLevel();
        try (Statement st = connection.createStatement()) {
            int serverMajorVersion = connection.getMetaData().getDatabaseMajorVersion();
            st.execute(settings(isolation, statementTimeoutSeconds, serverMajorVersion));
        }
    }

    /**
     * The statements that lift, for the rest of the transaction, the server's timeouts a role or database may set
     * that a long transaction of the tool's must outlive: {@code lock_timeout}, {@code
     * idle_in_transaction_session_timeout} and, from PostgreSQL 17, {@code transaction_timeout}.
     */
    public static String liftTimeouts(int serverMajorVersion) {
        return "SET LOCAL lock_timeout = 0; SET LOCAL idle_in_transaction_session_timeout = 0"
                + (serverMajorVersion >= 17 ? "; SET LOCAL transaction_timeout = 0" : "");
    }

    /** The statements that open a transaction: its isolation first, as PostgreSQL requires, then its timeouts. */
    static String settings(int isolation, int statementTimeoutSeconds, int serverMajorVersion) {
        String level = switch (isolation) {
            case TransactionDefinition.ISOLATION_SERIALIZABLE -> "SERIALIZABLE";
            case TransactionDefinition.ISOLATION_REPEATABLE_READ -> "REPEATABLE READ";
            case TransactionDefinition.ISOLATION_READ_COMMITTED -> "READ COMMITTED";
            case TransactionDefinition.ISOLATION_READ_UNCOMMITTED -> "READ UNCOMMITTED";
            default -> null;
        };
        return (level == null ? "" : "SET TRANSACTION ISOLATION LEVEL " + level + "; ")
                + "SET LOCAL statement_timeout = '" + statementTimeoutSeconds + "s'; "
                + liftTimeouts(serverMajorVersion);
    }

    /** The definition with its isolation kept for the transaction itself, so the driver never sets the session's. */
    private static final class IsolationInside extends DelegatingTransactionDefinition {

        private final int requested;

        IsolationInside(TransactionDefinition definition) {
            super(definition);
            this.requested = definition.getIsolationLevel();
        }

        @Override
        public int getIsolationLevel() {
            return ISOLATION_DEFAULT;
        }
    }
}
