package io.usagebackfill.support;

import java.util.UUID;
import java.util.function.Function;

import io.usagebackfill.config.BrokerUnavailableException;
import io.usagebackfill.config.BrokerUrl;
import io.usagebackfill.remote.Broker;
import org.junit.jupiter.api.Assumptions;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * The machine's RabbitMQ for the remote-partitioning tests: {@code TEST_BROKER_URL}, default
 * amqp://guest:guest@127.0.0.1:5672/ (what {@code rabbitmq-server -detached} serves).
 */
public final class TestBroker {

    public static final String URL = System.getenv().getOrDefault("TEST_BROKER_URL",
            "amqp://guest:guest@127.0.0.1:5672/");

    private TestBroker() {
    }

    /**
     * Returns when the broker answers; aborts the calling test class when it does not and no
     * {@code TEST_BROKER_URL} names it (a machine without RabbitMQ), and fails when one does (CI names it).
     */
    public static void requireOrSkip() {
        boolean named = System.getenv("TEST_BROKER_URL") != null;
        String probe = "usage-backfill.test.probe." + UUID.randomUUID();
        try {
            Broker.check(BrokerUrl.parse(URL, "TEST_BROKER_URL"), probe);
            deleteQueue(probe);
        } catch (BrokerUnavailableException e) {
            if (named) {
                throw e;
            }
            Assumptions.abort("no RabbitMQ at " + URL + " and no TEST_BROKER_URL: " + e.getMessage());
        }
    }

    /** How many requests wait in the queue, as the broker says. */
    public static long queued(String name) {
        return withBroker(admin -> {
            var info = admin.getQueueInfo(name);
            return info == null ? 0L : info.getMessageCount();
        });
    }

    public static void deleteQueue(String name) {
        withBroker(admin -> admin.deleteQueue(name));
    }

    private static <T> T withBroker(Function<RabbitAdmin, T> action) {
        BrokerUrl url = BrokerUrl.parse(URL, "TEST_BROKER_URL");
        CachingConnectionFactory broker = new CachingConnectionFactory(url.host(), url.port());
        broker.setUsername(url.user());
        broker.setPassword(url.password());
        broker.setVirtualHost(url.virtualHost());
        try {
            return action.apply(new RabbitAdmin(broker));
        } finally {
            broker.destroy();
        }
    }
}
