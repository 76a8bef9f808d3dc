package io.usagebackfill.remote;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

/**
 * Which database a process works on, the same from every host that reaches it, however its URL names the server:
 * the cluster's system identifier (fixed when the cluster was made) and the database's name. A partition request
 * carries its manager's, so a worker on another database (a queue shared by mistake, or two databases whose job
 * executions have the same ids) puts it back instead of running a step execution of its own database's.
 */
final class DatabaseIdentity {

    private DatabaseIdentity() {
    }

    static String of(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection(); Statement st = connection.createStatement()) {
            String cluster;
            try (ResultSet rs = st.executeQuery("SELECT system_identifier::text FROM pg_control_system()")) {
                cluster = rs.next() ? rs.getString(1) : "?";
            } catch (SQLException restricted) {
                // A server that keeps the function from this role: the database's name still tells most apart.
                cluster = "?";
            }
            try (ResultSet rs = st.executeQuery("SELECT current_database()")) {
                rs.next();
                return cluster + "/" + rs.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read which database this is: " + e.getMessage(), e);
        }
    }
}
