package io.usagebackfill.reject;

import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import io.usagebackfill.read.LogLine;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Rejected lines in {@code usage_backfill.rejected_line}, for operators who would rather query than read files.
 * The insert joins the chunk's transaction (the same DataSource), so a rolled-back chunk takes its rejects with it.
 * {@code raw} keeps the bytes as read; {@code raw_text} is their UTF-8 reading with invalid bytes and NULs
 * (which PostgreSQL text cannot hold) replaced by U+FFFD.
 */
public final class RejectsTable {

    private final JdbcTemplate jdbc;
    private final long jobInstanceId;
    private final long jobExecutionId;

    public RejectsTable(JdbcTemplate jdbc, long jobInstanceId, long jobExecutionId) {
        this.jdbc = jdbc;
        this.jobInstanceId = jobInstanceId;
        this.jobExecutionId = jobExecutionId;
    }

    public void add(LogLine line, String reason, java.util.UUID lineId) {
        jdbc.update("INSERT INTO usage_backfill.rejected_line (job_instance_id, job_execution_id, file, line, reason,"
                + " reason_kind, raw, raw_text, line_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", jobInstanceId,
                jobExecutionId, line.file(), line.lineNumber(), reason, ReasonKinds.kindOf(reason), line.bytes(),
                text(line.bytes()), lineId);
    }

    /** The most frequent kinds of reason among a run's rejects, most frequent first. */
    public static Map<String, Long> topReasons(JdbcTemplate jdbc, long jobInstanceId, int limit) {
        Map<String, Long> top = new LinkedHashMap<>();
        jdbc.query("SELECT reason_kind, count(*) FROM usage_backfill.rejected_line WHERE job_instance_id = ?"
                + " GROUP BY reason_kind ORDER BY count(*) DESC, reason_kind LIMIT ?",
                rs -> {
                    top.put(rs.getString(1), rs.getLong(2));
                }, jobInstanceId, limit);
        return top;
    }

    private static String text(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(bytes)).toString()
                    .replace('\0', '\uFFFD');
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalStateException("a replacing decoder does not throw", e);
        }
    }
}
