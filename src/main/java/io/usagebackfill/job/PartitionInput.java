package io.usagebackfill.job;

import static io.usagebackfill.job.JobParameterNames.*;

import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;

import io.usagebackfill.catalog.FieldCatalog;
import io.usagebackfill.load.TableLimits;
import io.usagebackfill.normalize.CountLimits;
import io.usagebackfill.normalize.EventNormalizer;
import io.usagebackfill.normalize.LogZone;
import io.usagebackfill.normalize.PriceList;
import io.usagebackfill.normalize.ProviderCatalog;
import io.usagebackfill.normalize.RowCheck;
import io.usagebackfill.normalize.TimeWindow;
import io.usagebackfill.parse.EventArrays;
import io.usagebackfill.parse.EventRecognizer;
import io.usagebackfill.read.LogLineReader;
import io.usagebackfill.source.SourceFile;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * How a partition's files are read and their lines turned into rows, from the run's parameters: one recipe for the
 * load and for the look at the events' times before it, so both see the same events. Stateless.
 */
final class PartitionInput {

    private PartitionInput() {
    }

    /** A reader over the partition's files (and ranges of files), from their starts. */
    static LogLineReader reader(JobParameters parameters, List<SourceFile> files) {
        return new LogLineReader(files, parameters.getLong(MAX_LINE_BYTES).intValue(),
                Boolean.parseBoolean(parameters.getString(STRICT)), EventArrays::split);
    }

    /**
     * The processor that recognises and normalises each line: the run's field map, providers, zone, window, prices
     * and corrections, and the table's limits ({@code limits}, null for a CSV file).
     */
    static TokenUsageProcessor processor(JobParameters parameters, TableLimits limits) throws IOException {
        FieldCatalog catalog = fieldCatalog(parameters.getString(FIELDS));
        ZoneId logZone = LogZone.of(parameters.getString(LOG_TIMEZONE));
        return new TokenUsageProcessor(new EventRecognizer(catalog, logZone),
                new EventNormalizer(providers(parameters.getString(PROVIDER_MAP)), catalog, logZone,
                        limits == null ? CountLimits.GUIDE : limits.counts()),
                parameters.getLong(MAX_LINE_BYTES).intValue(),
                TimeWindow.saved(parameters.getString(SINCE), parameters.getString(UNTIL)),
                prices(parameters.getString(PRICES)), limits == null ? RowCheck.NONE : limits.rowCheck(),
                CorrectedLines.of(parameters.getString(FIXES)));
    }

    private static PriceList prices(String file) {
        return file == null || file.isEmpty() ? PriceList.NONE : PriceList.read(Path.of(file));
    }

    private static FieldCatalog fieldCatalog(String file) throws IOException {
        return file == null || file.isEmpty() ? FieldCatalog.builtIn() : FieldCatalog.withFile(Path.of(file));
    }

    private static ProviderCatalog providers(String providerMap) throws IOException {
        return providerMap == null || providerMap.isEmpty() ? ProviderCatalog.builtIn()
                : ProviderCatalog.withFile(Path.of(providerMap));
    }
}
