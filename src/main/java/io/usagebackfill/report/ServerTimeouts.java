package io.usagebackfill.report;

import java.sql.SQLException;

/**
 * Names the setting behind a statement the server or a pooler cut off, which its own message leaves to guess
 * ("canceling statement due to statement timeout" says neither which setting nor where to change it). Stateless.
 */
final class ServerTimeouts {

    private ServerTimeouts() {
    }

    /**
     * What cut the statement off and how to give it more, as the start of a sentence (the caller says what was kept
     * and what to do next), or null when {@code sql} is no such timeout.
     */
    static String describe(SQLException sql) {
        String state = String.valueOf(sql.getSQLState());
        String message = String.valueOf(sql.getMessage());
        String quoted = " (" + FailureMessages.firstLine(message) + ")";
        if (state.equals("57014") && message.contains("statement timeout")) {
            return "the server cancelled a statement after statement_timeout" + quoted + "; the tool's transactions"
                    + " run with --statement-timeout (default 0, none) over the role's and the database's, so raise"
                    + " it, or the role's setting (ALTER ROLE … SET statement_timeout) for a statement outside them";
        }
        if (state.equals("55P03") && message.contains("lock timeout")) {
            return "the server gave up waiting for a lock after lock_timeout" + quoted + "; raise the role's or the"
                    + " database's lock_timeout, or find the transaction that holds the lock (pg_locks)";
        }
        if (state.equals("25P03")) {
            return "the server closed the connection after idle_in_transaction_session_timeout" + quoted + "; raise"
                    + " it for the role (ALTER ROLE … SET idle_in_transaction_session_timeout)";
        }
        if (message.contains("query_wait_timeout")) {
            return "the connection pooler found no free server connection within its query_wait_timeout" + quoted
                    + "; a run holds one server connection for its lock throughout and one per --threads partition at"
                    + " a time (docs/postgres.md), so give the pool more (PgBouncer's default_pool_size) or run with"
                    + " fewer --threads";
        }
        if (message.contains("query_timeout")) {
            return "the connection pooler cut a statement off after its query_timeout" + quoted + "; raise or"
                    + " remove the pooler's query_timeout";
        }
        return null;
    }
}
