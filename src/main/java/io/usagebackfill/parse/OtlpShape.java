package io.usagebackfill.parse;

import java.time.Instant;

import io.usagebackfill.catalog.RejectedLineException;
import tools.jackson.databind.node.ObjectNode;

/**
 * An OTLP/JSON export request holding one log record (the reader splits a line of many into one a record, see
 * {@link OtlpRecords}); the record's attributes, body and times become the event's fields. Thread-safe.
 */
final class OtlpShape implements LineShape {

    private final JsonPayloads json;
    private final EventName name;

    OtlpShape(JsonPayloads json, EventName name) {
        this.json = json;
        this.name = name;
    }

    @Override
    public boolean accepts(String line) {
        return line.startsWith(OtlpRecords.PREFIX);
    }

    @Override
    public RecognizedEvent recognize(String line, Instant outerTime) {
        ObjectNode export = json.parseObject(line);
        if (export == null) {
            return null;
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
        if (fields == null || !name.isTokenUsage(fields)) {
            return null;
        }
        return new RecognizedEvent(fields, outerTime, line);
    }
}
