package io.usagebackfill.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class BrokerUrlTest {

    @Test
    void anAmqpUrlGivesHostPortVhostAndCredentialsWithThePasswordPercentDecoded() {
        BrokerUrl url = BrokerUrl.parse("amqp://backfill:p%40ss@rabbit.example.com:5673/prod", "--broker");

        assertThat(url).isEqualTo(new BrokerUrl(false, "rabbit.example.com", 5673, "prod", "backfill", "p@ss"));
    }

    @Test
    void noPortMeansTheSchemesAndNoPathTheDefaultVhost() {
        assertThat(BrokerUrl.parse("amqp://h", "--broker")).isEqualTo(new BrokerUrl(false, "h", 5672, "/", null, null));
        assertThat(BrokerUrl.parse("amqps://h/", "--broker").port()).isEqualTo(5671);
        assertThat(BrokerUrl.parse("amqp://h/%2Fteam", "--broker").virtualHost()).isEqualTo("/team");
    }

    @Test
    void theRedactedFormMasksThePasswordAndKeepsTheRest() {
        BrokerUrl url = BrokerUrl.parse("amqp://guest:s3cret@127.0.0.1:5672/%2Fteam", "--broker");

        assertThat(url.redacted()).isEqualTo("amqp://guest:***@127.0.0.1:5672/%2Fteam");
        assertThat(url.toString()).doesNotContain("s3cret");
    }

    @Test
    void whatIsNotAnAmqpUrlWithAHostIsRefusedNamingWhereItCameFromAndNotThePassword() {
        assertThatThrownBy(() -> BrokerUrl.parse("http://guest:s3cret@host/", "USAGE_BACKFILL_BROKER"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("USAGE_BACKFILL_BROKER")
                .message().doesNotContain("s3cret");
        assertThatThrownBy(() -> BrokerUrl.parse("amqp://guest:s3cret@", "--broker"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names no host")
                .message().doesNotContain("s3cret");
        assertThatThrownBy(() -> BrokerUrl.parse("amqp://h:notaport/", "--broker"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BrokerUrl.parse("amqp://h/a/b", "--broker"))
                .hasMessageContaining("one segment");
    }

    @Test
    void theOptionWinsOverTheEnvironmentAndNeitherMeansNoBroker() {
        Map<String, String> env = Map.of("USAGE_BACKFILL_BROKER", "amqp://from-env");

        assertThat(BrokerUrl.resolve("amqp://from-option", env::get).host()).isEqualTo("from-option");
        assertThat(BrokerUrl.resolve(null, env::get).host()).isEqualTo("from-env");
        assertThat(BrokerUrl.resolve(" ", Map.<String, String>of()::get)).isNull();
    }
}
