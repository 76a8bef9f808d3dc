package io.usagebackfill.parse;

import io.usagebackfill.catalog.EventTime;
import io.usagebackfill.catalog.RejectedLineException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Docker's json-file driver: {@code {"log":"<app line>\n","stream":"stdout","time":"..."}}. Docker writes {@code log}
 * first, so that prefix identifies the wrapper without parsing every JSON line twice; a line rewritten by a log
 * shipper with its keys in another order is Docker's too when it has a {@code log} text and a {@code stream} of
 * {@code stdout} or {@code stderr}. Thread-safe.
 */
final class DockerJsonWrapper {

    private final JsonPayloads json;

    DockerJsonWrapper(JsonPayloads json) {
        this.json = json;
    }

    /** Whether the line may be a Docker wrapper: only these are parsed by {@link #unwrap}. */
    boolean accepts(String line) {
        return line.startsWith("{") && line.contains("\"log\"") && line.contains("\"stream\"");
    }

    /**
     * @return the app's line and the wrapper's time, or null when a line with its keys in another order turns out
     *     not to be Docker's (an app's own JSON with such fields)
     * @throws RejectedLineException when a line that starts as Docker's has no {@code log} text or is not JSON
     */
    Unwrapped unwrap(String line) {
        if (!isDockerFirst(line)) {
            ObjectNode wrapper = parseQuietly(line);
            return wrapper != null && isWrapper(wrapper) ? unwrapped(wrapper) : null;
        }
        ObjectNode wrapper = json.parseObject(line);
        JsonNode log = wrapper == null ? null : wrapper.get("log");
        if (log == null || !log.isString()) {
            throw new RejectedLineException("the Docker json-file line has no \"log\" text");
        }
        return unwrapped(wrapper);
    }

    private static boolean isDockerFirst(String line) {
        return line.startsWith("{\"log\":");
    }

    private ObjectNode parseQuietly(String line) {
        try {
            return json.parseObject(line);
        } catch (RejectedLineException notJson) {
            // not a wrapper; the JSON line shape parses it again and gives the reason
            return null;
        }
    }

    private static boolean isWrapper(ObjectNode object) {
        JsonNode log = object.get("log");
        JsonNode stream = object.get("stream");
        return log != null && log.isString() && stream != null && stream.isString()
                && (stream.stringValue().equals("stdout") || stream.stringValue().equals("stderr"));
    }

    private static Unwrapped unwrapped(ObjectNode wrapper) {
        JsonNode time = wrapper.get("time");
        String inner = wrapper.get("log").stringValue().stripTrailing();
        return new Unwrapped(inner, time != null && time.isString() ? EventTime.parseText(time.stringValue()) : null);
    }
}
