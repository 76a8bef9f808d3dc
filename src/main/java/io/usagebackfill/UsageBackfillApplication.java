package io.usagebackfill;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import io.usagebackfill.cli.UsageBackfillCommand;
import io.usagebackfill.config.JsonLines;
import io.usagebackfill.config.NoMessageSource;
import io.usagebackfill.job.BackfillJobConfiguration;
import io.usagebackfill.remote.RemotePartitioningConfiguration;
import io.usagebackfill.run.BackfillRuns;
import io.usagebackfill.run.StopRequest;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration;
import org.springframework.boot.persistence.autoconfigure.PersistenceExceptionTranslationAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.MessageSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Entry point: the command line parses first, then each command starts Spring with the database it resolved. The
 * auto-configurations left out are ones a batch job started from the command line has no use for (no annotated
 * transactions, aspects, async or scheduled methods, SSL bundles or availability probes); every run pays their
 * start-up otherwise. The beans of its own are imported by name rather than found by a component scan, which would
 * read every class file of the tool at each start to find these four.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@Import({BackfillJobConfiguration.class, RemotePartitioningConfiguration.class, BackfillRuns.class,
        StopRequest.class})
@EnableAutoConfiguration(exclude = {AopAutoConfiguration.class, ApplicationAvailabilityAutoConfiguration.class,
        SslAutoConfiguration.class, TaskExecutionAutoConfiguration.class, TaskSchedulingAutoConfiguration.class,
        JdbcClientAutoConfiguration.class, PersistenceExceptionTranslationAutoConfiguration.class,
        TransactionAutoConfiguration.class})
public class UsageBackfillApplication {

    /** See {@link NoMessageSource}: named so, it takes the place of the context's default one. */
    @Bean
    static MessageSource messageSource() {
        return new NoMessageSource();
    }

    public static void main(String[] args) {
        // Under cron or `env -i` the locale is POSIX, whose ASCII would print every model name's non-ASCII letter
        // and the summary's own punctuation as '?': the tool writes UTF-8, as its JSON and CSV are, whatever it is.
        System.setOut(new PrintStream(new JsonLines(new FileOutputStream(FileDescriptor.out), "stdout"), true,
                StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new JsonLines(new FileOutputStream(FileDescriptor.err), "stderr"), true,
                StandardCharsets.UTF_8));
        if (asksForJson(args)) {
            // Before anything is parsed, so even a usage error is a JSON line.
            JsonLines.useJson();
        }
        System.exit(UsageBackfillCommand.execute(args));
    }

    private static boolean asksForJson(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--log-format=json") || args[i].equals("--log-format") && i + 1 < args.length
                    && args[i + 1].equals("json")) {
                return true;
            }
        }
        return false;
    }
}
