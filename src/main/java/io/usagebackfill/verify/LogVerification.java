package io.usagebackfill.verify;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import io.usagebackfill.catalog.RejectedLineException;
import io.usagebackfill.config.SessionFreeTransactionManager;
import io.usagebackfill.job.TokenUsageProcessor;
import io.usagebackfill.load.TableCheck;
import io.usagebackfill.load.TargetTable;
import io.usagebackfill.normalize.TokenUsage;
import io.usagebackfill.parse.EventArrays;
import io.usagebackfill.read.LogLine;
import io.usagebackfill.read.LogLineReader;
import io.usagebackfill.source.SourceFile;

/**
 * {@code verify}: reads logs exactly as {@code import} does (the same reader, recogniser, normaliser and ids) and
 * compares every event with the table, in chunks, in one read-only look at one snapshot: nothing is written but a
 * temporary table of the ids read. Rows are unexpected only among those that the runs in scope recorded inserting,
 * inside the span of the events read: rows from other hosts' logs, loaded by runs over other files, are never taken
 * for strays. Not thread-safe.
 */
public final class LogVerification {

    private static final int CHUNK = 1000;

    private final DataSource dataSource;
    private final TargetTable table;
    private final TokenUsageProcessor processor;

    public LogVerification(DataSource dataSource, TargetTable table, TokenUsageProcessor processor) {
        this.dataSource = dataSource;
        this.table = table;
        this.processor = processor;
    }

    /**
     * @param scope the runs whose inserted rows are looked through for rows these logs do not give: those that read
     *     nothing but these files ({@link VerifyScope})
     */
    public VerifyReport verify(List<SourceFile> files, List<Long> scope) throws Exception {
        VerifyReport report = new VerifyReport();
        try (Connection connection = dataSource.getConnection();
                LogLineReader reader = new LogLineReader(files, LogLineReader.MAX_LINE_BYTES, false,
                        EventArrays::split)) {
            connection.setAutoCommit(false);
            try (Statement st = connection.createStatement()) {
                // In the transaction, not as the session's characteristics, which a transaction pooler would apply
                // to another server connection than the transaction's and leave there for other clients.
                st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ; " + SessionFreeTransactionManager
                        .liftTimeouts(connection.getMetaData().getDatabaseMajorVersion()));
            }
            try {
                TableCheck check = new TableCheck(connection, table);
                List<TokenUsage> chunk = new ArrayList<>(CHUNK);
                for (LogLine line; (line = reader.read()) != null; ) {
                    TokenUsage row = read(line, report);
                    if (row != null) {
                        report.event(row.createdAt());
                        chunk.add(row);
                    }
                    if (chunk.size() == CHUNK) {
                        check.compare(chunk).forEach(report::add);
                        chunk.clear();
                    }
                }
                check.compare(chunk).forEach(report::add);
                scope.forEach(run -> report.scope(String.valueOf(run)));
                check.unexpected(scope.stream().mapToLong(Long::longValue).toArray(), report.first(), report.last(),
                        report::add);
                report.read(reader.position().linesRead(), processor.counts().events(), check.compared());
            } finally {
                connection.rollback();
            }
        }
        return report;
    }

    private TokenUsage read(LogLine line, VerifyReport report) {
        try {
            return processor.process(line);
        } catch (RejectedLineException e) {
            report.rejected(line.where(), e.reason());
            return null;
        }
    }
}
