package io.usagebackfill.cli;

import java.sql.Connection;
import java.util.concurrent.Callable;

import javax.sql.DataSource;

import io.usagebackfill.config.BackfillContext;
import io.usagebackfill.load.TargetTable;
import io.usagebackfill.load.TokenUsageSchema;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code schema}: prints the guide's token_usage DDL, or applies it idempotently. */
@Command(name = "schema", mixinStandardHelpOptions = true,
        description = "Prints the migration guide's token_usage DDL and indexes; --apply applies them"
                + " idempotently (without a foreign key whose parent table, users or sessions, is missing).")
final class SchemaCommand implements Callable<Integer> {

    @Mixin
    DatabaseOption database;

    @Option(names = "--apply", description = "Apply the DDL to the database.")
    boolean apply;

    @Option(names = "--table", paramLabel = "NAME", defaultValue = "token_usage",
            description = "Table name, optionally schema.table. Default: ${DEFAULT-VALUE}.")
    String table;

    @Override
    public Integer call() throws Exception {
        TargetTable target = TargetTable.parse(table);
        if (!apply) {
            TokenUsageSchema.statements(target, true, true).forEach(sql -> System.out.println(sql + ";\n"));
            return ExitCodes.OK;
        }
        try (BackfillContext context = BackfillContext.withDatabase(database.resolve(), database.env());
                Connection connection = context.bean(DataSource.class).getConnection()) {
            TokenUsageSchema.Applied applied = TokenUsageSchema.apply(connection, target);
            io.usagebackfill.run.JobSchema.ensure(context.bean(DataSource.class));
            try {
                // CREATE TABLE IF NOT EXISTS leaves a table made earlier as it was: say so if a run would refuse it.
                RunSession.checkTable(context, connection, target);
            } catch (UsageException e) {
                throw new UsageException(target.display() + " existed already and was left as it is, but "
                        + e.getMessage());
            }
            System.out.println("schema: " + target.display() + " and its indexes, and the job's own schema"
                    + " usage_backfill, are in place in " + context.describeDatabase() + ".");
            if (!applied.userForeignKey() || !applied.sessionForeignKey()) {
                System.out.println("schema: no table " + (applied.userForeignKey() ? "" : "users")
                        + (!applied.userForeignKey() && !applied.sessionForeignKey() ? " or " : "")
                        + (applied.sessionForeignKey() ? "" : "sessions")
                        + " here, so that foreign key was left out (a table created earlier is left as it is).");
            }
            return ExitCodes.OK;
        }
    }
}
