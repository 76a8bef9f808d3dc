package io.usagebackfill;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.usagebackfill.config.DatabaseUrl;
import io.usagebackfill.config.PoolerSafety;
import io.usagebackfill.run.RunLock;
import io.usagebackfill.support.DatabaseExtension;
import io.usagebackfill.support.TestDatabase;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The run lock as the server sees it: a transaction-level advisory lock in a transaction its connection keeps open,
 * so it ends with that transaction (or the process), holds nothing back meanwhile, and through a transaction-mode
 * pooler ({@code TEST_PGBOUNCER_URL}) is neither left on a pooled server connection nor taken twice.
 */
class RunLockIT {

    private static final String POOLER = System.getenv("TEST_PGBOUNCER_URL");

    @RegisterExtension
    static final DatabaseExtension DATABASE = DatabaseExtension.database();

    private final TestDatabase database = DATABASE.testDatabase();

    @Test
    void theLockIsHeldInAnOpenTransactionThatHoldsNoSnapshotAndNoTransactionIdAndEndsWithIt() throws Exception {
        DataSource direct = dataSource(database.cliUrl());

        try (RunLock lock = RunLock.tryAcquire(direct)) {
            assertThat(lock).isNotNull();
            assertThat(RunLock.tryAcquire(direct)).as("a second run's attempt").isNull();
            assertThat(held()).isTrue();
            assertThat(database.count("SELECT count(*) FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid"
                    + " WHERE l.locktype = 'advisory' AND a.datname = current_database()"
                    + " AND a.state = 'idle in transaction' AND a.backend_xmin IS NULL AND a.backend_xid IS NULL"))
                    .as("the lock's session: idle in its transaction, holding back no VACUUM").isEqualTo(1);
        }

        assertThat(held()).isFalse();
        try (RunLock again = RunLock.tryAcquire(direct)) {
            assertThat(again).as("the next run's").isNotNull();
        }
    }

    @Test
    void aLockWhoseConnectionTheServerEndsTellsTheRunSoItStops() throws Exception {
        CountDownLatch lost = new CountDownLatch(1);
        try (RunLock lock = RunLock.tryAcquire(dataSource(database.cliUrl()))) {
            lock.onLost(lost::countDown);
            assertThat(lost.await(2, TimeUnit.SECONDS)).as("a live lock is not lost").isFalse();

            database.execute("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory'"
                    + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");

            assertThat(lost.await(60, TimeUnit.SECONDS)).as("the run told of the lost lock").isTrue();
        }
        try (RunLock next = RunLock.tryAcquire(dataSource(database.cliUrl()))) {
            assertThat(next).as("the next run's").isNotNull();
        }
    }

    @Test
    void aDatabaseThatEndsIdleOrLongTransactionsSoonDoesNotEndTheLocksTransaction() throws Exception {
        // transaction_timeout is PostgreSQL 17's; the embedded server (18) has it, 15 has not.
        boolean transactionTimeout = database.count("SELECT current_setting('server_version_num')::int") >= 170000;
        database.execute("ALTER DATABASE " + database.name() + " SET idle_in_transaction_session_timeout = '100ms'");
        if (transactionTimeout) {
            database.execute("ALTER DATABASE " + database.name() + " SET transaction_timeout = '300ms'");
        }
        try (RunLock lock = RunLock.tryAcquire(dataSource(database.cliUrl()))) {
            assertThat(lock).isNotNull();
            Instant longerThanEither = Instant.now().plus(Duration.ofSeconds(1));
            while (Instant.now().isBefore(longerThanEither)) {
                assertThat(held()).as("the lock, while the run is idle in its transaction").isTrue();
                Thread.sleep(100);
            }
        } finally {
            database.execute("ALTER DATABASE " + database.name() + " RESET ALL");
        }
        assertThat(held()).isFalse();
    }

    @Test
    void throughATransactionPoolerTheLockIsNeitherLeftOnAServerConnectionNorTakenTwice() throws Exception {
        Assumptions.assumeTrue(POOLER != null && !POOLER.isBlank(), "TEST_PGBOUNCER_URL is not set: no PgBouncer"
                + " in transaction mode to test through (.ci/run starts one on port 6432)");
        DataSource pooled = dataSource(database.cliUrlAt(POOLER));

        for (int run = 0; run < 3; run++) {
            try (RunLock lock = RunLock.tryAcquire(pooled)) {
                assertThat(lock).isNotNull();
            }
            assertThat(held()).as("the lock after run " + run + " ended").isFalse();
        }
        try (RunLock first = RunLock.tryAcquire(pooled)) {
            assertThat(first).isNotNull();
            assertThat(RunLock.tryAcquire(pooled)).as("a second run's attempt, through the same pool").isNull();
        }
    }

    /** Whether the server shows the lock held, asked past any pooler. */
    private boolean held() throws Exception {
        try (Connection connection = database.connect()) {
            return RunLock.isHeld(connection);
        }
    }

    /** Connections as the tool opens them (its driver settings), no pool of our own. */
    private static DataSource dataSource(String url) {
        DatabaseUrl parsed = DatabaseUrl.parse(url, "the test's URL");
        DriverManagerDataSource dataSource = new DriverManagerDataSource(PoolerSafety.apply(parsed.jdbcUrl()));
        dataSource.setConnectionProperties(parsed.connectionProperties());
        return dataSource;
    }
}
