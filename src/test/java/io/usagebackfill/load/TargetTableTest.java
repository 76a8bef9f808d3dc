package io.usagebackfill.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TargetTableTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
        token_usage           | "token_usage"
        analytics.token_usage | "analytics"."token_usage"
        TokenUsage_2025       | "TokenUsage_2025"
        _t$1                  | "_t$1"
        """)
    void aPlainNameIsAcceptedAndQuotedInSql(String option, String sql) {
        assertThat(TargetTable.parse(option).sql()).isEqualTo(sql);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"", "token_usage; DROP TABLE users", "\"token_usage\"", "a.b.c", "1table", "a b",
        "token_usage--", "public.", ".token_usage", "tøken"})
    void anythingElseIsRefusedNamingTheOption(String option) {
        assertThatThrownBy(() -> TargetTable.parse(option)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--table ").hasMessageContaining("is not a table name");
    }

    @Test
    void aQuoteInsideAnIdentifierIsDoubled() {
        assertThat(TargetTable.quote("we\"ird")).isEqualTo("\"we\"\"ird\"");
    }
}
