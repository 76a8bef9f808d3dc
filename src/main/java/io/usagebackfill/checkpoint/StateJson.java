package io.usagebackfill.checkpoint;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON of state saved in the database (checkpoints, file lists). A run saved by an earlier version must still
 * be read by this one, for {@code status} and {@code restart}: a field it did not have yet reads as 0 or null
 * (Jackson 3 would refuse the missing number), and a field it had that this version dropped is ignored.
 */
public final class StateJson {

    public static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private StateJson() {
    }
}
