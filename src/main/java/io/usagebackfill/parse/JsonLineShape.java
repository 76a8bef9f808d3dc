package io.usagebackfill.parse;

import io.usagebackfill.catalog.RejectedLineException;

/**
 * JSON lines as pino, winston, bunyan or structlog write them, and any record of JSON: an object, or an array
 * ({@code ["token_usage", {…}]} as a logger of arguments writes it, a shipper's {@code [time, {record}]}). Where in it
 * the event is, is the recogniser's to find.
 */
final class JsonLineShape implements LineShape {

    private final JsonPayloads json;

    JsonLineShape(JsonPayloads json) {
        this.json = json;
    }

    @Override
    public boolean accepts(String line) {
        return line.startsWith("{") || line.startsWith("[");
    }

    @Override
    public LineRecord read(String line) {
        if (line.startsWith("[")) {
            try {
                var array = json.parseArray(line);
                return array == null ? LineRecord.NOTHING : new LineRecord(array, false, null, "a JSON array");
            } catch (RejectedLineException notJson) {
                // "[2025-11-09T10:00:00.123] [INFO] llm - token_usage {…}": a text prefix in brackets.
                return null;
            }
        }
        var object = json.parseEvent(line);
        return object == null ? LineRecord.NOTHING : new LineRecord(object, false, null, "a JSON object");
    }
}
