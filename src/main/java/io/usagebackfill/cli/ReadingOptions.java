package io.usagebackfill.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneId;

import io.usagebackfill.catalog.FieldCatalog;
import io.usagebackfill.normalize.EventNormalizer;
import io.usagebackfill.normalize.LogZone;
import io.usagebackfill.normalize.ProviderCatalog;
import io.usagebackfill.parse.EventRecognizer;
import picocli.CommandLine.Option;

/**
 * {@code --fields}, {@code --provider-map} and {@code --log-timezone} as {@code explain} and {@code verify} take
 * them, to read lines exactly as an import given the same options did.
 */
final class ReadingOptions {

    @Option(names = "--fields", paramLabel = "FILE", description = "Field map laid over the built-in catalog, as"
            + " import takes it.")
    Path fields;

    @Option(names = "--provider-map", paramLabel = "FILE", description = "Extra model-prefix,provider lines, as"
            + " import takes them.")
    Path providerMap;

    @Option(names = "--log-timezone", paramLabel = "ZONE", description = "Zone of times logged without one"
            + " (default UTC), as import takes it.")
    String logTimezone;

    /** @throws UsageException naming the option whose file cannot be read */
    FieldCatalog catalog() {
        try {
            return fields == null ? FieldCatalog.builtIn() : FieldCatalog.withFile(fields);
        } catch (IllegalArgumentException | IOException e) {
            throw new UsageException("--fields " + fields + " cannot be read (" + e.getMessage() + "); give a"
                    + " readable file (fields --print writes the built-in one to start from)");
        }
    }

    ZoneId zone() {
        return LogZone.of(logTimezone);
    }

    EventRecognizer recognizer(FieldCatalog catalog) {
        return new EventRecognizer(catalog, zone());
    }

    /** @throws UsageException naming the option whose file cannot be read */
    EventNormalizer normalizer(FieldCatalog catalog) {
        ProviderCatalog providers;
        try {
            providers = providerMap == null ? ProviderCatalog.builtIn() : ProviderCatalog.withFile(providerMap);
        } catch (IllegalArgumentException | IOException e) {
            throw new UsageException("--provider-map " + providerMap + " cannot be read (" + e.getMessage() + ")");
        }
        return new EventNormalizer(providers, catalog, zone());
    }
}
