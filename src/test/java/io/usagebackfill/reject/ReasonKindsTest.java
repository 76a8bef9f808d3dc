package io.usagebackfill.reject;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReasonKindsTest {

    @Test
    void theOffendingValueGoesAndTheStatedLimitsStay() {
        assertThat(ReasonKinds.kindOf("prompt_tokens is -5, not a token count; token counts must be whole numbers"
                + " from 0 to 2147483647")).isEqualTo("prompt_tokens is …, not a token count; token counts must be"
                        + " whole numbers from 0 to 2147483647");
        assertThat(ReasonKinds.kindOf("cost_usd is 5000 USD, beyond what cost_usd (INT micro-dollars) can hold: at"
                + " most 2147.483647 USD")).isEqualTo("cost_usd is … USD, beyond what cost_usd (INT micro-dollars)"
                        + " can hold: at most 2147.483647 USD");
        assertThat(ReasonKinds.kindOf("user_id is \"abc\", not a UUID")).isEqualTo("user_id is …, not a UUID");
        assertThat(ReasonKinds.kindOf("provider is missing")).isEqualTo("provider is missing");
        assertThat(ReasonKinds.kindOf("user_id is {\"id\":1}, not a UUID")).isEqualTo("user_id is …, not a UUID");
    }

    @Test
    void twoReasonsThatDifferOnlyInTheirValueAreOneKind() {
        assertThat(ReasonKinds.kindOf("the line is 2000001 bytes, longer than --max-line-bytes 1048576"))
                .isEqualTo(ReasonKinds.kindOf("the line is 3000000 bytes, longer than --max-line-bytes 1048576"));
    }
}
