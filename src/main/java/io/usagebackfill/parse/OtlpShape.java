package io.usagebackfill.parse;

import io.usagebackfill.catalog.CanonicalTree;
import io.usagebackfill.catalog.RejectedLineException;
import tools.jackson.databind.node.ObjectNode;

/**
 * An OTLP/JSON export request holding one log record (the reader splits a line of many into one a record, see
 * {@link OtlpRecords}); the record's attributes, body and times become the event's fields. Thread-safe.
 */
final class OtlpShape implements LineShape {

    private final JsonPayloads json;

    OtlpShape(JsonPayloads json) {
        this.json = json;
    }

    @Override
    public boolean accepts(String line) {
        return line.startsWith(OtlpRecords.PREFIX);
    }

    @Override
    public LineRecord read(String line) {
        ObjectNode export = json.parseObject(line);
        if (export == null) {
            return LineRecord.NOTHING;
        }
        int records = 0;
        for (var resourceLogs : export.path("resourceLogs")) {
            for (var scopeLogs : resourceLogs.path("scopeLogs")) {
                records += scopeLogs.path("logRecords").size();
            }
        }
        if (records > 1) {
            // The reader splits a file's export lines; one inside a container wrapper is not split.
            throw new RejectedLineException("the OTLP export request holds " + records + " log records inside a"
                    + " container wrapper; write the collector's file export to a file of its own");
        }
        ObjectNode fields = OtlpRecords.firstRecordFields(export);
        return fields == null ? LineRecord.NOTHING : new LineRecord(CanonicalTree.of(fields), false, null,
                "an OpenTelemetry log record");
    }
}
