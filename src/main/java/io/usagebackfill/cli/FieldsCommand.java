package io.usagebackfill.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.usagebackfill.catalog.FieldCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fields --print}: writes the field catalog in the form {@code --fields} reads. */
@Command(name = "fields", mixinStandardHelpOptions = true,
        description = "Prints the field catalog: for each column, the event's name, its envelopes and usage"
                + " objects, the paths tried in order. Copy it as the start of a --fields file.")
final class FieldsCommand implements Callable<Integer> {

    @Option(names = "--print", required = true, description = "Write the catalog to stdout.")
    boolean print;

    @Option(names = "--fields", paramLabel = "FILE", description = "Show the catalog with this --fields file laid"
            + " over it.")
    Path fields;

    @Override
    public Integer call() throws IOException {
        FieldCatalog catalog = fields == null ? FieldCatalog.builtIn() : FieldCatalog.withFile(fields);
        System.out.print(catalog.print());
        return ExitCodes.OK;
    }
}
