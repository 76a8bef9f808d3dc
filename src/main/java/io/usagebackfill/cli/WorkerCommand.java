package io.usagebackfill.cli;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

import javax.sql.DataSource;

import io.usagebackfill.config.BackfillContext;
import io.usagebackfill.config.BrokerUrl;
import io.usagebackfill.config.DatabaseUrl;
import io.usagebackfill.remote.PartitionWorker;
import io.usagebackfill.run.JobSchema;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code worker}: runs the partitions a manager ({@code import --partitions N}) sends over the broker. */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Takes partitions of runs started with `import --partitions N` from the broker, one at a time,"
                + " and loads each into the shared database exactly as `--threads` does, until stopped (SIGTERM:"
                + " the chunk in flight commits, the partition goes back to the queue) or idle for --idle-exit.")
final class WorkerCommand implements Callable<Integer> {

    /** How long a stopped worker waits for the chunk in flight to commit; below Kubernetes' default 30 s grace. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    @Mixin
    DatabaseOption database;

    @Mixin
    StatementTimeoutOption statementTimeout;

    @Mixin
    BrokerOptions broker;

    @Option(names = "--idle-exit", paramLabel = "SECONDS", description = "Exit (0) once no partition has run or"
            + " arrived for this long. Default: run until stopped.")
    Integer idleExit;

    @Override
    public Integer call() throws Exception {
        if (idleExit != null && idleExit < 1) {
            throw new UsageException("--idle-exit " + idleExit + " is not a number of seconds; use 1 or more");
        }
        BrokerUrl url = broker.resolve(database.env());
        if (url == null) {
            throw new UsageException("worker takes partitions from a broker; give --broker amqp://user:password@host"
                    + ":5672/vhost (or " + BrokerUrl.ENVIRONMENT + ")");
        }
        DatabaseUrl db = database.resolve();
        if (db == null) {
            throw new UsageException("worker loads into the manager's database; give --db URL (or POSTGRES_URL /"
                    + " DATABASE_URL), the same the manager uses");
        }
        Map<String, Object> properties = broker.connect("worker", url);
        // This command's own hook stops the worker in order; Spring's would close the database under it.
        properties.put("spring.main.register-shutdown-hook", "false");
        try (BackfillContext context = BackfillContext.withDatabase(db, database.env(),
                statementTimeout.with(properties), null)) {
            JobSchema.ensure(context.bean(DataSource.class));
            PartitionWorker worker = context.bean(PartitionWorker.class);
            Thread onStop = new Thread(() -> {
                try {
                    if (!worker.stop(STOP_GRACE)) {
                        System.err.println("worker: stopped; no partition was running");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    System.out.flush();
                    System.err.flush();
                    // The partition in flight is back on the queue (or there was none): end here, before its next
                    // chunk can do anything the next worker would redo.
                    Runtime.getRuntime().halt(ExitCodes.OK);
                }
            }, "usage-backfill-stop");
            Runtime.getRuntime().addShutdownHook(onStop);
            System.err.println("worker: taking partitions from queue " + broker.queue + " at " + url.redacted()
                    + " for database " + db.redacted() + (idleExit == null ? "; runs until stopped"
                            : "; exits after " + idleExit + " s without work"));
            worker.awaitIdle(idleExit == null ? null : Duration.ofSeconds(idleExit));
            Runtime.getRuntime().removeShutdownHook(onStop);
            System.err.println("worker: no partition for " + idleExit + " s; exiting");
            worker.stop(Duration.ZERO);
            return ExitCodes.OK;
        }
    }
}
