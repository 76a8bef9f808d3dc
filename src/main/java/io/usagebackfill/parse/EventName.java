package io.usagebackfill.parse;

import tools.jackson.databind.JsonNode;

/** Decides whether a payload names the {@code token_usage} event, in any letter case. Thread-safe. */
final class EventName {

    static final String TOKEN_USAGE = "token_usage";
    private static final String[] NAME_FIELDS = {"msg", "message", "event", "type"};

    private EventName() {
    }

    static boolean isTokenUsage(JsonNode payload) {
        for (String field : NAME_FIELDS) {
            JsonNode value = payload.get(field);
            if (value != null && value.isString() && value.stringValue().strip().equalsIgnoreCase(TOKEN_USAGE)) {
                return true;
            }
        }
        return false;
    }
}
