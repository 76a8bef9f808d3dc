package io.usagebackfill;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.usagebackfill.support.BackfillCli;
import io.usagebackfill.support.DatabaseExtension;
import io.usagebackfill.support.StallingProxy;
import io.usagebackfill.support.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database that stops answering, at login or mid-run, ends the command with exit 1 and one sentence instead of
 * hanging it, and {@code restart} then loads exactly what is missing. The stalls are a proxy on 127.0.0.1 (the
 * mid-run one stalls only the connection writing a chunk, for ever: without a socket timeout the run would hang);
 * shorter timeouts than the defaults are {@code --db} URL parameters. The {@code @Timeout} only stops a hang.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class StalledDatabaseIT {

    @RegisterExtension
    static final DatabaseExtension DATABASE = DatabaseExtension.withFreshTable();

    @TempDir
    Path dir;

    private TestDatabase database;
    private BackfillCli cli;
    private URI server;

    @BeforeEach
    void connect() {
        database = DATABASE.testDatabase();
        cli = DATABASE.cli();
        server = URI.create(database.cliUrl().substring("jdbc:".length()));
    }

    @Test
    void aServerThatAcceptsAndNeverAnswersIsExitOneWithinTheDefaultLoginTimeout() throws Exception {
        try (StallingProxy silent = StallingProxy.silent()) {
            BackfillCli.Outcome status = cli.capture("status", "--db", viaProxy(silent, ""));
            BackfillCli.Outcome imported = cli.capture("import", "--db", viaProxy(silent, "&loginTimeout=2"),
                    Files.write(dir.resolve("app.log"), BackfillIT.events(0, 3)).toString());

            assertThat(status.exit()).isEqualTo(1);
            assertThat(status.stderr().strip()).startsWith("status: cannot connect to the database")
                    .contains("timed out").hasLineCount(1);
            assertThat(imported.exit()).isEqualTo(1);
            assertThat(imported.stderr()).contains("cannot connect to the database");
        }
        assertThat(database.count("SELECT count(*) FROM token_usage")).isZero();
    }

    @Test
    void aNetworkStallMidRunIsExitOneAndRestartLoadsEveryEventOnce() throws Exception {
        int events = 20_000;
        List<String> lines = new ArrayList<>(BackfillIT.events(0, events));
        Path log = Files.write(dir.resolve("app.log"), lines);
        long expectedPrompt = 0;
        for (int i = 0; i < events; i++) {
            expectedPrompt += 10 + i;
        }

        BackfillCli.Outcome stalled;
        try (StallingProxy proxy = StallingProxy.stallingAfter(server.getHost(), port(), 1 << 20)) {
            stalled = cli.capture("import", "--db", viaProxy(proxy, "&socketTimeout=3"), "--chunk-size", "500",
                    "--rejects", dir.resolve("r.log").toString(), log.toString());
            assertThat(proxy.stalledConnections()).isEqualTo(1);
        }
        long loadedBeforeTheStall = database.count("SELECT count(*) FROM token_usage");
        BackfillCli.Outcome restarted = cli.capture("restart");

        assertThat(stalled.exit()).as(stalled.printed()).isEqualTo(1);
        assertThat(stalled.printed()).contains("the connection to the database was lost").contains("restart");
        assertThat(loadedBeforeTheStall).isPositive().isLessThan(events);
        assertThat(restarted.exit()).as(restarted.printed()).isZero();
        try (Connection c = database.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT id), sum(prompt_tokens),"
                        + " sum(completion_tokens), sum(total_tokens), sum(cost_usd) FROM token_usage")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(events);
            assertThat(rs.getLong(2)).isEqualTo(events);
            assertThat(rs.getLong(3)).isEqualTo(expectedPrompt);
            assertThat(rs.getLong(4)).isEqualTo(5L * events);
            assertThat(rs.getLong(5)).isEqualTo(expectedPrompt + 5L * events);
            assertThat(rs.getLong(6)).isEqualTo(20L * events);
        }
    }

    private int port() {
        return server.getPort() < 0 ? 5432 : server.getPort();
    }

    private String viaProxy(StallingProxy proxy, String parameters) {
        return database.cliUrl().replaceFirst("//[^/]+/", "//127.0.0.1:" + proxy.port() + "/") + parameters;
    }
}
