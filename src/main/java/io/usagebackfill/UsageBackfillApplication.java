package io.usagebackfill;

import io.usagebackfill.cli.UsageBackfillCommand;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Entry point: the command line parses first, then each command starts Spring with the database it resolved. */
@SpringBootApplication
public class UsageBackfillApplication {

    public static void main(String[] args) {
        System.exit(UsageBackfillCommand.execute(args));
    }
}
