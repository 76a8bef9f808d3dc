package io.usagebackfill.cli;

import java.util.HashMap;
import java.util.Map;

import io.usagebackfill.config.SessionFreeTransactionManager;
import picocli.CommandLine.Option;

/**
 * {@code --statement-timeout}, for the commands that load chunks in the tool's transactions: {@code import},
 * {@code run}, {@code restart} and {@code worker}.
 */
final class StatementTimeoutOption {

    @Option(names = "--statement-timeout", paramLabel = "SECONDS", description = "statement_timeout of the tool's"
            + " own transactions, set in each (SET LOCAL) over the role's or the database's (an API role's few"
            + " seconds); a statement it cuts off fails the run (exit 1) naming it. Default: 0, none (the"
            + " connection's socketTimeout still ends a stall).")
    Integer seconds;

    /**
     * The context's properties: {@code more}, and the tool's statement_timeout.
     *
     * @throws UsageException for a negative number
     */
    Map<String, Object> with(Map<String, Object> more) {
        int given = seconds == null ? 0 : seconds;
        if (given < 0) {
            throw new UsageException("--statement-timeout " + given + " is not a number of seconds; use 0 (none)"
                    + " or more");
        }
        Map<String, Object> properties = new HashMap<>(more);
        properties.put(SessionFreeTransactionManager.STATEMENT_TIMEOUT, given);
        return properties;
    }
}
