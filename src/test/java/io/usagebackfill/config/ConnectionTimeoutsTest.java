package io.usagebackfill.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConnectionTimeoutsTest {

    @Test
    void connectLoginAndSocketTimeoutsAndKeepaliveAreSetByDefault() {
        assertThat(ConnectionTimeouts.apply("jdbc:postgresql://db/app")).isEqualTo("jdbc:postgresql://db/app"
                + "?connectTimeout=10&loginTimeout=10&socketTimeout=300&tcpKeepAlive=true");
        assertThat(ConnectionTimeouts.apply("jdbc:postgresql://db/app?sslmode=require"))
                .startsWith("jdbc:postgresql://db/app?sslmode=require&connectTimeout=10&");
    }

    @Test
    void aSettingInTheUrlOverridesTheDefault() {
        String url = ConnectionTimeouts.apply("jdbc:postgresql://db/app?socketTimeout=0&tcpKeepAlive=false"
                + "&loginTimeout=3");

        assertThat(url).contains("socketTimeout=0").doesNotContain("socketTimeout=300")
                .contains("tcpKeepAlive=false").doesNotContain("tcpKeepAlive=true")
                .contains("loginTimeout=3").doesNotContain("loginTimeout=10").contains("connectTimeout=10");
    }
}
