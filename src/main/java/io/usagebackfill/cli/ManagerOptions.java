package io.usagebackfill.cli;

import java.util.Map;

import io.usagebackfill.config.BrokerUrl;
import io.usagebackfill.remote.RemotePartitioningConfiguration;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What the commands that send partitions to workers share: the broker, and how long a silent partition waits. */
final class ManagerOptions {

    private static final int MIN_TIMEOUT = 5;

    @Mixin
    BrokerOptions broker;

    @Option(names = "--partition-timeout", paramLabel = "SECONDS", defaultValue = "300", description = "A partition"
            + " a worker took whose checkpoint does not move for this long is sent again (its worker stopped or"
            + " died), and fails the run if it stalls again; with no worker taking any partition for this long,"
            + " the waiting ones fail. Default: ${DEFAULT-VALUE}.")
    long partitionTimeout;

    /**
     * Takes the job file's broker, queue and partition timeout for those the command line did not give, so
     * {@code restart JOBFILE} reaches the same workers as {@code run JOBFILE} did.
     */
    void defaultsFrom(JobDefinition job, CommandLine.ParseResult given) {
        Map<String, String> settings = job.managerSettings();
        if (broker.url == null && settings.containsKey("broker")) {
            broker.url = settings.get("broker");
        }
        if (!given.hasMatchedOption("--broker-queue") && settings.containsKey("broker-queue")) {
            broker.queue = settings.get("broker-queue");
        }
        if (!given.hasMatchedOption("--partition-timeout") && settings.containsKey("partition-timeout")) {
            try {
                partitionTimeout = Long.parseLong(settings.get("partition-timeout"));
            } catch (NumberFormatException e) {
                throw new UsageException("job file " + job.file() + " sets partition-timeout="
                        + settings.get("partition-timeout") + ", which is not a whole number of seconds");
            }
        }
    }

    /** The context's properties for a manager sending to {@code url}, after checking the broker. */
    Map<String, Object> connect(BrokerUrl url) {
        if (partitionTimeout < MIN_TIMEOUT) {
            throw new UsageException("--partition-timeout " + partitionTimeout + " is too short; use " + MIN_TIMEOUT
                    + " seconds or more (longer than a chunk takes)");
        }
        Map<String, Object> properties = broker.connect("manager", url);
        properties.put(RemotePartitioningConfiguration.PARTITION_TIMEOUT, partitionTimeout);
        return properties;
    }
}
