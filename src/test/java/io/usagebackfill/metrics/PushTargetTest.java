package io.usagebackfill.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PushTargetTest {

    @Test
    void aHostAndPortAloneIsAPlainHttpGateway() {
        assertThat(PushTarget.parse("--metrics-push", "pushgateway:9091"))
                .isEqualTo(new PushTarget(false, "pushgateway:9091", null, null));
    }

    @Test
    void aUrlWithoutAPortUsesThePushgatewaysOwn() {
        assertThat(PushTarget.parse("--metrics-push", "http://pushgateway/").address()).isEqualTo("pushgateway:9091");
        assertThat(PushTarget.parse("--metrics-push", "https://metrics.example.com").address())
                .isEqualTo("metrics.example.com:443");
    }

    @Test
    void aPathBehindAProxyIsKept() {
        assertThat(PushTarget.parse("--metrics-push", "https://proxy:8443/pushgateway/").address())
                .isEqualTo("proxy:8443/pushgateway");
    }

    @Test
    void credentialsInTheUrlAreSentAsBasicAuthenticationAndNeverShown() {
        PushTarget target = PushTarget.parse("--metrics-push", "https://ops:s%3Dcret@gw.example.com:9091");

        assertThat(target.user()).isEqualTo("ops");
        assertThat(target.password()).isEqualTo("s=cret");
        assertThat(target.display()).isEqualTo("https://ops@gw.example.com:9091").doesNotContain("cret");
        assertThat(target.toString()).doesNotContain("cret");
    }

    @Test
    void aUrlThatIsNoPushgatewaysIsRefusedWithoutItsPassword() {
        assertThatThrownBy(() -> PushTarget.parse("USAGE_BACKFILL_METRICS_PUSH", "ftp://ops:secret@gw:21"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("USAGE_BACKFILL_METRICS_PUSH ftp://ops:…@gw:21 is not a Pushgateway URL")
                .hasMessageContaining("http or https").hasMessageContaining("give http://host:9091")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> PushTarget.parse("--metrics-push", "http://gw:9091/metrics?job=x"))
                .hasMessageContaining("no ?query");
        assertThatThrownBy(() -> PushTarget.parse("--metrics-push", "http:///x")).hasMessageContaining("no host");
    }
}
