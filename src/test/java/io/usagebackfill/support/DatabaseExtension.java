package io.usagebackfill.support;

import java.sql.SQLException;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class's own database, made before its first test and dropped after its last, with the command line
 * pointed at it. Register it as a static field with {@code @RegisterExtension}.
 */
public final class DatabaseExtension implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    private final boolean freshTableEachTest;
    private TestDatabase database;
    private BackfillCli cli;

    private DatabaseExtension(boolean freshTableEachTest) {
        this.freshTableEachTest = freshTableEachTest;
    }

    /** The database only: the tests manage the tables. */
    public static DatabaseExtension database() {
        return new DatabaseExtension(false);
    }

    /** The database, and before each test an empty {@code token_usage} made by {@code schema --apply}. */
    public static DatabaseExtension withFreshTable() {
        return new DatabaseExtension(true);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws SQLException {
        database = TestDatabase.create();
        cli = new BackfillCli(database);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws SQLException {
        if (freshTableEachTest) {
            freshTable();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws SQLException {
        database.close();
    }

    public TestDatabase testDatabase() {
        return database;
    }

    public BackfillCli cli() {
        return cli;
    }

    /**
     * Drops {@code token_usage} and lets {@code schema --apply} make it anew; forgets what incremental runs read,
     * since that was loaded into the table just dropped.
     */
    public void freshTable() throws SQLException {
        database.execute("DROP TABLE IF EXISTS token_usage");
        if (database.count("SELECT count(*) FROM pg_tables WHERE schemaname = 'usage_backfill'"
                + " AND tablename = 'file_ledger'") > 0) {
            database.execute("TRUNCATE usage_backfill.file_ledger");
        }
        if (cli.run("schema", "--apply") != 0) {
            throw new IllegalStateException("schema --apply failed on " + database.name());
        }
    }
}
