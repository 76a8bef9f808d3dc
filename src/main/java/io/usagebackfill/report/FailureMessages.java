package io.usagebackfill.report;

import java.net.ConnectException;
import java.sql.SQLException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.usagebackfill.load.MissingPartitionsException;
import io.usagebackfill.read.DamagedFileException;
import io.usagebackfill.read.FileChangedException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.springframework.batch.core.step.skip.SkipLimitExceededException;

/**
 * Turns whatever stopped a run into one readable sentence that says what happened and what to do; never a stack
 * trace. Stateless.
 */
public final class FailureMessages {

    /** The server's context of a refused COPY row: {@code COPY token_usage, line 3, column model: "…"}. */
    private static final Pattern COPY_CONTEXT = Pattern.compile("^COPY ([^,]+), line \\d+, column ([^:]+)");

    /** Stands for the run's rejects file in a message; {@link #naming} puts the file's name in its place. */
    private static final String REJECTS_FILE = "the rejects file";

    private FailureMessages() {
    }

    /** The message with the run's rejects file named where it says "the rejects file". */
    public static String naming(String message, String rejectsFile) {
        return message == null || rejectsFile == null ? message
                : message.replace(REJECTS_FILE, "the rejects file " + rejectsFile);
    }

    public static String describe(List<Throwable> failures) {
        if (failures.isEmpty()) {
            return "the run stopped without an error (was it stopped from outside?); `restart` resumes it";
        }
        // A step that fails also fails to close what it opened, and a partitioned load adds the manager step's
        // "unsuccessful step": the first failure we can name, else the first that is not such a wrapper, is the cause.
        return failures.stream().map(FailureMessages::known).filter(java.util.Objects::nonNull).findFirst()
                .orElseGet(() -> describe(failures.stream().filter(f -> !isWrapper(f)).findFirst()
                        .orElse(failures.get(0))));
    }

    /**
     * Spring Batch's own reports that something else failed: a partition step's summary, the failure to close a
     * reader after the real failure, and a lookup of step records that the failure left incomplete.
     */
    private static boolean isWrapper(Throwable failure) {
        String message = String.valueOf(failure.getMessage());
        return message.startsWith("Partition handler returned an unsuccessful step")
                || message.startsWith("Failed to close") || message.startsWith("Incorrect result size")
                || failure instanceof org.springframework.dao.IncorrectResultSizeDataAccessException;
    }

    public static String describe(Throwable failure) {
        String known = known(failure);
        if (known != null) {
            return known;
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (isWrapper(root) && root.getSuppressed().length > 0) {
            return describe(root.getSuppressed()[0]);
        }
        return firstLine(root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName())
                + "; every committed chunk is kept, so `restart` resumes after the last one once the cause is fixed";
    }

    /**
     * The server's refusal for want of a privilege (SQLSTATE 42501), anywhere in the causes, or null: a grant
     * fixes it and a retry never does, so it is a configuration error whatever step met it.
     */
    public static SQLException insufficientPrivilege(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "42501".equals(sql.getSQLState())) {
                return sql;
            }
        }
        return null;
    }

    /**
     * The server's refusal of a row no partition of the table takes (a partition dropped, or a partitioning the
     * tool cannot check before loading), anywhere in the causes, or null: making the partition fixes it, a retry
     * never does.
     */
    public static SQLException noPartition(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PSQLException sql && sql.getServerErrorMessage() != null
                    && "ExecFindPartition".equals(sql.getServerErrorMessage().getRoutine())) {
                return sql;
            }
        }
        return null;
    }

    private static String known(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            // Says what it is and what to do, also where the server's refusal under it is a privilege's.
            if (t instanceof MissingPartitionsException) {
                return t.getMessage();
            }
        }
        SQLException unplaced = noPartition(failure);
        if (unplaced != null) {
            return "the database refused a chunk: " + firstLine(((PSQLException) unplaced).getServerErrorMessage()
                    .getMessage()) + "; make the partition that row needs (`import --dry-run` lists what the logs"
                    + " need, `import --create-partitions` makes them on a table partitioned by created_at), then"
                    + " `restart`: every committed chunk is kept";
        }
        SQLException denied = insufficientPrivilege(failure);
        if (denied != null) {
            return "the database user lacks a privilege (" + firstLine(denied.getMessage()) + "); a retry cannot"
                    + " help: grant it, or run `usage-backfill schema --apply` once as the table's owner (a run needs"
                    + " SELECT and INSERT on the table and every right in the schema usage_backfill)";
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SkipLimitExceededException) {
                return "more lines were rejected than --skip-limit allows; " + REJECTS_FILE + " says why,"
                        + " so fix the logs or raise the limit with `restart --skip-limit N`";
            }
            if (t instanceof DamagedFileException || t instanceof FileChangedException) {
                return t.getMessage();
            }
            if (t instanceof org.springframework.amqp.AmqpException) {
                Throwable root = t;
                while (root.getCause() != null && root.getCause() != root) {
                    root = root.getCause();
                }
                return "cannot reach the broker to send the partitions (" + firstLine(String.valueOf(root.getMessage()))
                        + "); start RabbitMQ (or fix --broker), then `restart`";
            }
            if (t instanceof ConnectException) {
                return "cannot connect to the database (" + t.getMessage() + "); check --db and that the server"
                        + " is running, then `restart`";
            }
            if (t instanceof java.io.UncheckedIOException && t.getMessage().contains("rejects file")) {
                return t.getMessage() + "; the chunk was rolled back with it, so make room and `restart`";
            }
            if (t instanceof SQLException sql && ServerTimeouts.describe(sql) != null) {
                return ServerTimeouts.describe(sql) + "; every committed chunk is kept, so `restart` resumes after"
                        + " the last one";
            }
            if (t instanceof SQLException sql && isConnectionLost(sql)) {
                return "the connection to the database was lost (" + firstLine(sql.getMessage()) + "); the chunk in"
                        + " flight was rolled back and every committed chunk is kept, so `restart` once the database"
                        + " is back";
            }
            if (t instanceof SQLException sql) {
                return "the database refused a chunk (" + firstLine(sql.getMessage()) + column(sql) + ", SQLSTATE "
                        + sql.getSQLState() + "); every committed chunk is kept, so fix the cause and `restart`";
            }
        }
        return null;
    }

    /**
     * What stopped a command that runs no chunks ({@code status}, {@code schema}): the database's refusal or lost
     * connection, without a chunk to speak of or a {@code restart} to suggest.
     */
    public static String describeOutsideRun(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && insufficientPrivilege(sql) != null) {
                return known(sql);
            }
            if (t instanceof SQLException sql && ServerTimeouts.describe(sql) != null) {
                return ServerTimeouts.describe(sql) + "; nothing was changed";
            }
            if (t instanceof SQLException sql && isConnectionLost(sql)) {
                return "the connection to the database was lost (" + firstLine(sql.getMessage()) + "); nothing was"
                        + " changed, so run it again once the database is back";
            }
            if (t instanceof SQLException sql) {
                return "the database refused (" + firstLine(sql.getMessage()) + ", SQLSTATE " + sql.getSQLState()
                        + "); nothing was changed";
            }
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return firstLine(root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName());
    }

    /**
     * Which column of which table a COPY refused a value for ({@code value too long for type character
     * varying(10)} says neither), from the server's context line, without the value itself; empty when it has none.
     */
    private static String column(SQLException sql) {
        ServerErrorMessage server = sql instanceof PSQLException psql ? psql.getServerErrorMessage() : null;
        Matcher where = server == null || server.getWhere() == null ? null
                : COPY_CONTEXT.matcher(server.getWhere());
        if (where == null || !where.find()) {
            return "";
        }
        // The merge's staging table (a chunk with rows already there) has the target's columns.
        return " in column " + where.group(2) + (where.group(1).equals("usage_backfill_staging") ? ""
                : " of " + where.group(1));
    }

    /** Class 08 is a connection exception, 57P an operator or server shutdown; a closed pool connection has none. */
    private static boolean isConnectionLost(SQLException sql) {
        String state = sql.getSQLState();
        return state == null ? String.valueOf(sql.getMessage()).contains("onnection is closed")
                : state.startsWith("08") || state.startsWith("57P");
    }

    static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int newline = message.indexOf('\n');
        String line = (newline >= 0 ? message.substring(0, newline) : message).strip();
        return line.length() > 300 ? line.substring(0, 297) + "..." : line;
    }
}
