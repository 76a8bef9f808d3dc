package io.usagebackfill.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PoolerSafetyTest {

    @Test
    void serverSidePreparedStatementsAndSessionSetsAfterConnectingAreOffByDefault() {
        assertThat(PoolerSafety.apply("jdbc:postgresql://db:6432/app")).isEqualTo("jdbc:postgresql://db:6432/app"
                + "?prepareThreshold=0&assumeMinServerVersion=9.0");
        assertThat(PoolerSafety.apply("jdbc:postgresql://db/app?sslmode=require"))
                .isEqualTo("jdbc:postgresql://db/app?sslmode=require&prepareThreshold=0&assumeMinServerVersion=9.0");
    }

    @Test
    void aUrlThatSetsItsOwnPrepareThresholdKeepsIt() {
        assertThat(PoolerSafety.apply("jdbc:postgresql://db/app?prepareThreshold=5"))
                .contains("prepareThreshold=5").doesNotContain("prepareThreshold=0");
    }
}
