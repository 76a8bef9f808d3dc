package io.usagebackfill.load;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import io.usagebackfill.normalize.TokenUsage;

/**
 * Which of the rows a chunk inserted landed in the table's DEFAULT partition (the one taking rows no other
 * partition fits), counted by UTC month of their time: the database says where each went (a look-up of the
 * chunk's ids in that partition alone), the rows say when. Immutable; works in the chunk's transaction.
 */
final class DefaultPartitionRows {

    private final PartitionRange partition;

    /** @param partition the DEFAULT partition */
    DefaultPartitionRows(PartitionRange partition) {
        this.partition = partition;
    }

    /** Of {@code inserted}, how many are in the DEFAULT partition, by month ({@code 2025-10}); empty for none. */
    Map<String, Long> byMonth(Connection connection, List<? extends TokenUsage> inserted) throws SQLException {
        Map<String, Long> months = new TreeMap<>();
        if (inserted.isEmpty()) {
            return months;
        }
        Set<UUID> there = new HashSet<>();
        try (PreparedStatement st = connection.prepareStatement("SELECT id FROM " + partition.sql()
                + " WHERE id = ANY (?::uuid[])")) {
            st.setArray(1, connection.createArrayOf("uuid", inserted.stream().map(TokenUsage::id).toArray()));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    there.add(rs.getObject(1, UUID.class));
                }
            }
        }
        for (TokenUsage row : inserted) {
            if (there.contains(row.id())) {
                months.merge(month(row), 1L, Long::sum);
            }
        }
        return months;
    }

    private static String month(TokenUsage row) {
        var at = row.createdAt().atOffset(ZoneOffset.UTC);
        return String.format(java.util.Locale.ROOT, "%04d-%02d", at.getYear(), at.getMonthValue());
    }
}
