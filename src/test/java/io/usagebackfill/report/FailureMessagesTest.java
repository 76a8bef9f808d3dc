package io.usagebackfill.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

class FailureMessagesTest {

    @Test
    void aPartitionedRunsFailureIsThePartitionsCauseNotTheWrappers() {
        Throwable wrapper = new IllegalStateException("Partition handler returned an unsuccessful step");
        Throwable close = new IllegalStateException("Failed to close 1 delegate(s) due to exceptions");
        Throwable cause = new RuntimeException("chunk failed", new java.io.IOException("Broken pipe"));

        String message = FailureMessages.describe(List.of(wrapper, close, cause));

        assertThat(message).startsWith("Broken pipe").contains("`restart`")
                .doesNotContain("Partition handler").doesNotContain("Failed to close");
    }

    @Test
    void aKnownCauseWinsWhereverItIsInTheList() {
        Throwable wrapper = new IllegalStateException("Partition handler returned an unsuccessful step");
        SQLException refused = new SQLException("ERROR: injected failure", "P0001");

        assertThat(FailureMessages.describe(List.of(wrapper, new RuntimeException(refused))))
                .startsWith("the database refused a chunk (ERROR: injected failure");
    }

    @Test
    void aValueTheTableRefusesIsNamedByItsColumnAndTableButNotQuoted() {
        SQLException tooLong = new PSQLException(new ServerErrorMessage("SERROR\u0000C22001\u0000Mvalue too long for"
                + " type character varying(10)\u0000WCOPY public.token_usage, line 3, column model:"
                + " \"gpt-4o-2024-08-06\"\u0000"));

        assertThat(FailureMessages.describe(List.of(new RuntimeException(tooLong))))
                .startsWith("the database refused a chunk (ERROR: value too long for type character varying(10) in"
                        + " column model of public.token_usage, SQLSTATE 22001)")
                .doesNotContain("gpt-4o");
    }

    @Test
    void aCommandThatRunsNoChunksSpeaksOfNoChunkNorOfRestart() {
        RuntimeException lost = new RuntimeException(new SQLException("An I/O error occurred while sending", "08006"));
        RuntimeException refused = new RuntimeException(new SQLException("ERROR: relation x does not exist", "42P01"));

        assertThat(FailureMessages.describeOutsideRun(lost)).startsWith("the connection to the database was lost")
                .contains("run it again").doesNotContain("chunk").doesNotContain("restart");
        assertThat(FailureMessages.describeOutsideRun(refused)).contains("relation x does not exist", "42P01")
                .doesNotContain("chunk").doesNotContain("restart");
        assertThat(FailureMessages.describe(lost)).contains("chunk in flight").contains("`restart`");
    }

    @Test
    void aStatementCutOffByATimeoutNamesTheSettingAndHowToLiftIt() {
        SQLException statement = new SQLException("ERROR: canceling statement due to statement timeout", "57014");
        SQLException cancelled = new SQLException("ERROR: canceling statement due to user request", "57014");
        SQLException idle = new SQLException("FATAL: terminating connection due to idle-in-transaction timeout",
                "25P03");
        SQLException pooler = new SQLException("FATAL: query_wait_timeout", "08P01");

        assertThat(FailureMessages.describe(List.of(new RuntimeException(statement))))
                .startsWith("the server cancelled a statement after statement_timeout (ERROR: canceling statement")
                .contains("--statement-timeout").contains("`restart`");
        assertThat(FailureMessages.describe(List.of(new RuntimeException(cancelled))))
                .startsWith("the database refused a chunk").doesNotContain("statement_timeout");
        assertThat(FailureMessages.describe(List.of(new RuntimeException(idle))))
                .startsWith("the server closed the connection after idle_in_transaction_session_timeout");
        assertThat(FailureMessages.describe(List.of(new RuntimeException(pooler))))
                .startsWith("the connection pooler found no free server connection within its query_wait_timeout")
                .contains("--threads").doesNotContain("connection to the database was lost");
        assertThat(FailureMessages.describeOutsideRun(new RuntimeException(statement)))
                .contains("statement_timeout").doesNotContain("chunk").doesNotContain("restart");
    }

    @Test
    void aBrokerThatRefusesTheConnectionIsNamedAsTheBrokerNotAsTheDatabase() {
        Throwable refused = new org.springframework.amqp.AmqpConnectException(
                new java.net.ConnectException("Connection refused"));

        assertThat(FailureMessages.describe(List.of(refused))).startsWith("cannot reach the broker")
                .contains("Connection refused").contains("RabbitMQ").doesNotContain("database");
    }
}
