package io.usagebackfill.cli;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import io.usagebackfill.config.BrokerUrl;
import io.usagebackfill.remote.Broker;
import io.usagebackfill.remote.RemotePartitioningConfiguration;
import picocli.CommandLine.Option;

/** {@code --broker} and {@code --broker-queue}, shared by {@code worker} and the commands that send partitions. */
final class BrokerOptions {

    @Option(names = "--broker", paramLabel = "URL", description = "RabbitMQ that carries the partitions,"
            + " amqp://user:password@host:5672/vhost. Default: $USAGE_BACKFILL_BROKER.")
    String url;

    @Option(names = "--broker-queue", paramLabel = "NAME", defaultValue = Broker.DEFAULT_QUEUE, description = "The"
            + " queue the manager sends partitions to and workers take them from. Default: ${DEFAULT-VALUE}.")
    String queue;

    /** The URL as given, by the option or the environment; kept for the context, which parses it again. */
    private String given;

    /** The broker to use, or null when none is given. */
    BrokerUrl resolve(Function<String, String> env) {
        given = url != null && !url.isBlank() ? url : env.apply(BrokerUrl.ENVIRONMENT);
        return BrokerUrl.resolve(url, env);
    }

    /**
     * Checks that the broker {@link #resolve} found answers and has the queue (declaring it), and returns the
     * context's properties for {@code role}.
     */
    Map<String, Object> connect(String role, BrokerUrl broker) {
        if (queue.isBlank() || queue.getBytes(StandardCharsets.UTF_8).length > 255 || queue.startsWith("amq.")) {
            throw new UsageException("--broker-queue " + queue + " cannot be a queue name; use 1 to 255 bytes not"
                    + " starting with amq.");
        }
        Broker.check(broker, queue);
        Map<String, Object> properties = new HashMap<>();
        properties.put(RemotePartitioningConfiguration.ROLE, role);
        properties.put(RemotePartitioningConfiguration.URL, given);
        properties.put(RemotePartitioningConfiguration.QUEUE, queue);
        return properties;
    }
}
