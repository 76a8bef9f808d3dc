package io.usagebackfill.remote;

import java.security.NoSuchAlgorithmException;

import javax.net.ssl.SSLContext;

import com.rabbitmq.client.impl.ForgivingExceptionHandler;
import io.usagebackfill.config.BrokerUnavailableException;
import io.usagebackfill.config.BrokerUrl;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * The RabbitMQ side of remote partitioning: connections to the broker, its partition queue (durable, so queued
 * partitions survive a broker restart), and a check before anything starts. Stateless.
 */
public final class Broker {

    /** The queue partitions go through when none is named. */
    public static final String DEFAULT_QUEUE = "usage-backfill.partitions";
    /** A broker that does not answer must fail in bounded time, as a database that does not. */
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private Broker() {
    }

    /** A connection factory for {@code url}; it connects when first used. */
    static CachingConnectionFactory connectionFactory(BrokerUrl url) {
        CachingConnectionFactory factory = new CachingConnectionFactory(url.host(), url.port());
        factory.setVirtualHost(url.virtualHost());
        if (url.user() != null) {
            factory.setUsername(url.user());
        }
        if (url.password() != null) {
            factory.setPassword(url.password());
        }
        factory.setConnectionTimeout(CONNECT_TIMEOUT_MILLIS);
        // The client would log a refused login as a warning before the one-sentence error says it.
        factory.getRabbitConnectionFactory().setExceptionHandler(new ForgivingExceptionHandler() {
            @Override
            protected void log(String message, Throwable e) {
                // the command reports what failed, once
            }
        });
        if (url.tls()) {
            try {
                factory.getRabbitConnectionFactory().useSslProtocol(SSLContext.getDefault());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("this JVM has no default TLS context for amqps://", e);
            }
        }
        return factory;
    }

    /** The durable queue the manager sends partitions to and workers take them from. */
    static Queue queue(String name) {
        return new Queue(name, true);
    }

    /**
     * Connects once and declares the queue, before Spring starts, so a broker that is down or refuses the
     * credentials is one sentence within the connect timeout.
     *
     * @throws BrokerUnavailableException when it cannot
     */
    public static void check(BrokerUrl url, String queue) {
        CachingConnectionFactory factory = connectionFactory(url);
        try (Connection ignored = factory.createConnection()) {
            new RabbitAdmin(factory).declareQueue(queue(queue));
        } catch (AmqpException e) {
            throw new BrokerUnavailableException(unreachable(url, e) + "; check --broker (or " + BrokerUrl.ENVIRONMENT
                    + ") and that RabbitMQ is running", e);
        } finally {
            factory.destroy();
        }
    }

    /** Why the broker cannot be used now, in a few words, or null when it answers and holds the queue. */
    static String trouble(BrokerUrl url, String queue) {
        try {
            check(url, queue);
            return null;
        } catch (BrokerUnavailableException e) {
            return unreachable(url, e.getCause());
        }
    }

    private static String unreachable(BrokerUrl url, Throwable e) {
        return "cannot reach the broker " + url.redacted() + " (" + reason(e) + ")";
    }

    private static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.lines().findFirst().orElse("").strip();
    }
}
