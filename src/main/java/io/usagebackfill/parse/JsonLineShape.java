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
        return new RecognizedEvent(withMessageFields(payload), outerTime, line);
    }

    /**
     * A JSON logger given a formatted message (Python's with a JSON formatter, logback without structured
     * arguments, pino's printf-style message) keeps the event's data in the message: {@code "message":
     * "token_usage {\"model\": …}"} or {@code "token_usage model=gpt-4o prompt_tokens=12"}, read as the console
     * line's would be. The line's own fields win over the message's; a message that is not an object or pairs
     * (SLF4J's unrendered {@code "token_usage {} {}"}) adds nothing.
     */
    private ObjectNode withMessageFields(ObjectNode payload) {
        String rest = name.after(payload);
        ObjectNode inner = null;
        if (rest.startsWith("{")) {
            try {
                inner = json.parseObject(rest);
            } catch (RuntimeException notAnObject) {
                return payload;
            }
        } else if (TextPrefixShape.logfmtAfterKeyword(EventName.TOKEN_USAGE + " " + rest) >= 0) {
            inner = LogfmtShape.parse(rest);
        }
        if (inner == null || inner.isEmpty()) {
            return payload;
        }
        ObjectNode merged = inner.deepCopy();
        merged.setAll(payload);
        return merged;
    }
}
