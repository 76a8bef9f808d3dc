package io.usagebackfill.parse;

import io.usagebackfill.normalize.EventTime;
import io.usagebackfill.normalize.RejectedLineException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Docker's json-file driver: {@code {"log":"<app line>\n","stream":"stdout","time":"..."}}. Docker always writes
 * {@code log} first, so the prefix identifies the wrapper without parsing every JSON line twice.
 */
final class DockerJsonWrapper {

    private final JsonPayloads json;

    DockerJsonWrapper(JsonPayloads json) {
        this.json = json;
    }

    boolean accepts(String line) {
        return line.startsWith("{\"log\":");
    }

    Unwrapped unwrap(String line) {
        ObjectNode wrapper = json.parseObject(line);
        JsonNode log = wrapper == null ? null : wrapper.get("log");
        if (log == null || !log.isString()) {
            throw new RejectedLineException("the Docker json-file line has no \"log\" text");
        }
        JsonNode time = wrapper.get("time");
        String inner = log.stringValue().stripTrailing();
        return new Unwrapped(inner, time != null && time.isString() ? EventTime.parseText(time.stringValue()) : null);
    }
}
