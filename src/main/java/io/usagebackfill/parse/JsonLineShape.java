package io.usagebackfill.parse;

import java.time.Instant;

import tools.jackson.databind.node.ObjectNode;

/** JSON lines as pino, winston, bunyan or structlog write them: the event name in msg, message, event or type. */
final class JsonLineShape implements LineShape {

    private final JsonPayloads json;
    private final EventName name;

    JsonLineShape(JsonPayloads json, EventName name) {
        this.json = json;
        this.name = name;
    }

    @Override
    public boolean accepts(String line) {
        return line.startsWith("{");
    }

    @Override
    public RecognizedEvent recognize(String line, Instant outerTime) {
        ObjectNode payload = json.parseEvent(line);
        if (payload == null || !name.isTokenUsage(payload)) {
            return null;
        }
        return new RecognizedEvent(payload, outerTime, line);
    }
}
