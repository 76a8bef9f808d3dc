package io.usagebackfill.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TimeWindowTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"2025-11-01,2025-11-01T00:00:00Z", "2025-11-01T12:30:00Z,2025-11-01T12:30:00Z",
        "2025-11-01T12:30:00+02:00,2025-11-01T10:30:00Z", "2025-11-01T12:30:00.123456Z,2025-11-01T12:30:00.123456Z"})
    void aDateIsMidnightUtcAndAnInstantKeepsItsOffset(String value, String instant) {
        assertThat(TimeWindow.parse("--since", value)).isEqualTo(Instant.parse(instant));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"yesterday", "2025-13-01", "2025-11-01 12:00", "1762682400", "2025-11-01T12:00:00"})
    void anythingElseIsRefusedNamingTheOption(String value) {
        assertThatThrownBy(() -> TimeWindow.parse("--until", value)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--until " + value + " is not a date or an instant");
    }

    @ParameterizedTest(name = "{0} in [10:00, 11:00) is {1}")
    @CsvSource({"2025-11-01T09:59:59.999999Z,false", "2025-11-01T10:00:00Z,true", "2025-11-01T10:59:59.999999Z,true",
        "2025-11-01T11:00:00Z,false"})
    void theStartIsInsideAndTheEndOutside(String time, boolean inside) {
        TimeWindow window = new TimeWindow(Instant.parse("2025-11-01T10:00:00Z"), Instant.parse("2025-11-01T11:00:00Z"));

        assertThat(window.contains(Instant.parse(time))).isEqualTo(inside);
    }

    @Test
    void anOpenEndHoldsEverythingOnThatSideAndAnEmptyWindowIsRefused() {
        Instant noon = Instant.parse("2025-11-01T12:00:00Z");

        assertThat(new TimeWindow(noon, null).contains(Instant.parse("2099-01-01T00:00:00Z"))).isTrue();
        assertThat(new TimeWindow(null, noon).contains(Instant.parse("2000-01-01T00:00:00Z"))).isTrue();
        assertThatThrownBy(() -> new TimeWindow(noon, noon)).hasMessageContaining("is not before --until");
    }
}
