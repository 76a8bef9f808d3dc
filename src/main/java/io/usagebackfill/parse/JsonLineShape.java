package io.usagebackfill.parse;

import java.time.Instant;

import tools.jackson.databind.node.ObjectNode;

/**
 * JSON lines as pino, winston, bunyan or structlog write them: the event name in msg, message, event or type. A
 * JSON logger given a formatted message (Python's with a JSON formatter, logback without structured arguments,
 * pino's printf-style message) keeps the event's data in the message, {@code "message": "token_usage {\"model\":
 * …}"} or {@code "token_usage model=gpt-4o prompt_tokens=12"}: read as the console line's would be, and looked up
 * after every field of the line's own.
 */
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
        String naming = payload == null ? null : name.naming(payload);
        if (naming == null) {
            return null;
        }
        String rest = EventName.after(naming);
        if (rest.isEmpty()) {
            return new RecognizedEvent(payload, outerTime, line);
        }
        ObjectNode inMessage = null;
        String unread = null;
        if (rest.startsWith("{") || rest.startsWith("[")) {
            try {
                inMessage = json.parseObject(rest);
                unread = inMessage == null ? "the message's data after token_usage is not a JSON object" : null;
            } catch (RuntimeException notJson) {
                // SLF4J's pattern without its arguments ("token_usage {} {}") carries nothing, and is no error.
                unread = rest.replace("{}", "").isBlank() ? null : "the message's JSON after token_usage cannot be"
                        + " read as one object (" + notJson.getMessage() + ")";
            }
        } else if (TextPrefixShape.logfmtAfterKeyword(EventName.TOKEN_USAGE + " " + rest) >= 0) {
            inMessage = LogfmtShape.parse(rest);
        }
        return new RecognizedEvent(payload, outerTime, line, false, false,
                inMessage == null || inMessage.isEmpty() ? null : inMessage, unread);
    }
}
