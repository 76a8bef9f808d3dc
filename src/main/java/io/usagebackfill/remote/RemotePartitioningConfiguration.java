package io.usagebackfill.remote;

import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import io.usagebackfill.config.BrokerUrl;
import io.usagebackfill.job.PartitionRunner;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.integration.partition.BeanFactoryStepLocator;
import org.springframework.batch.integration.partition.StepExecutionRequestHandler;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.amqp.dsl.Amqp;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.integration.config.EnableIntegration;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.integration.dsl.Pollers;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.messaging.MessageChannel;

/**
 * Wiring of remote partitioning over RabbitMQ, following Spring Batch Integration's documented setup: the manager
 * sends partition requests through a channel to an AMQP outbound adapter; a worker polls the queue with an AMQP
 * inbound adapter into a {@link StepExecutionRequestHandler}. The one choice between this machine's threads and
 * workers is the {@link PartitionRunner} bean: remote when the command started the context with a broker
 * ({@value #ROLE} set), threads otherwise. Wiring only.
 */
@Configuration(proxyBeanMethods = false)
public class RemotePartitioningConfiguration {

    /** {@code manager} or {@code worker}; absent without a broker. */
    public static final String ROLE = "usage-backfill.broker.role";
    /** The broker's URL, as given. */
    public static final String URL = "usage-backfill.broker.url";
    public static final String QUEUE = "usage-backfill.broker.queue";
    /** Seconds without progress after which the manager re-sends, then fails, a partition. */
    public static final String PARTITION_TIMEOUT = "usage-backfill.broker.partition-timeout";

    @Bean
    PartitionRunner partitionRunner(@Value("${" + ROLE + ":}") String role, ObjectProvider<JobRepository> repository,
            ObjectProvider<DataSource> dataSource,
            @Qualifier("partitionRequests") ObjectProvider<MessageChannel> partitionRequests,
            @Value("${" + QUEUE + ":" + Broker.DEFAULT_QUEUE + "}") String queue,
            @Value("${" + PARTITION_TIMEOUT + ":300}") long partitionTimeoutSeconds,
            @Value("${" + URL + ":}") String url) {
        if (!"manager".equals(role)) {
            return PartitionRunner.onThreads();
        }
        BrokerUrl broker = BrokerUrl.parse(url, "--broker");
        return new RemotePartitions(repository.getObject(), new JdbcTemplate(dataSource.getObject()),
                partitionRequests.getObject(), queue, Duration.ofSeconds(partitionTimeoutSeconds), System.err,
                () -> Broker.trouble(broker, queue));
    }

    /** The broker, its queue and the template both sides send with. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(ROLE)
    @EnableIntegration
    static class BrokerChannels {

        @Bean
        CachingConnectionFactory brokerConnectionFactory(@Value("${" + URL + "}") String url) {
            return Broker.connectionFactory(BrokerUrl.parse(url, "--broker"));
        }

        @Bean
        Queue partitionQueue(@Value("${" + QUEUE + "}") String queue) {
            return Broker.queue(queue);
        }

        @Bean
        RabbitAdmin brokerAdmin(CachingConnectionFactory brokerConnectionFactory) {
            return new RabbitAdmin(brokerConnectionFactory);
        }

        @Bean
        RabbitTemplate partitionTemplate(CachingConnectionFactory brokerConnectionFactory,
                @Value("${" + QUEUE + "}") String queue) {
            RabbitTemplate template = new RabbitTemplate(brokerConnectionFactory);
            template.setMessageConverter(new PartitionRequests());
            template.setRoutingKey(queue);
            return template;
        }
    }

    /** The manager's outbound side: requests go from this channel to the queue. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = ROLE, havingValue = "manager")
    static class ManagerChannels {

        @Bean
        DirectChannel partitionRequests() {
            return new DirectChannel();
        }

        @Bean
        IntegrationFlow partitionRequestsOut(DirectChannel partitionRequests, RabbitTemplate partitionTemplate,
                DataSource dataSource) {
            String database = DatabaseIdentity.of(dataSource);
            return IntegrationFlow.from(partitionRequests)
                    .enrichHeaders(headers -> headers.headerFunction(PartitionRequests.JOB_EXECUTION,
                            message -> PartitionRequests.jobExecutionOf(message.getHeaders()), true)
                            .header(PartitionRequests.DATABASE, database, true))
                    .handle(Amqp.outboundAdapter(partitionTemplate).mappedRequestHeaders(
                            "STANDARD_REQUEST_HEADERS", PartitionRequests.JOB_EXECUTION, PartitionRequests.DATABASE))
                    .get();
        }
    }

    /** The worker's inbound side: one request at a time, polled only while the worker is free. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = ROLE, havingValue = "worker")
    static class WorkerChannels {

        @Bean
        PartitionWorker partitionWorker(JobRepository jobRepository, BeanFactory beanFactory,
                RabbitTemplate partitionTemplate, DataSource dataSource) {
            BeanFactoryStepLocator steps = new BeanFactoryStepLocator();
            steps.setBeanFactory(beanFactory);
            StepExecutionRequestHandler handler = new StepExecutionRequestHandler();
            handler.setJobRepository(jobRepository);
            handler.setStepLocator(steps);
            return new PartitionWorker(jobRepository, handler, DatabaseIdentity.of(dataSource),
                    (request, headers) -> partitionTemplate.convertAndSend(request, message -> {
                        for (String header : List.of(PartitionRequests.JOB_EXECUTION, PartitionRequests.DATABASE)) {
                            if (headers.get(header) != null) {
                                message.getMessageProperties().setHeader(header, headers.get(header));
                            }
                        }
                        return message;
                    }), System.err, System::nanoTime);
        }

        @Bean
        IntegrationFlow partitionRequestsIn(CachingConnectionFactory brokerConnectionFactory,
                @Value("${" + QUEUE + "}") String queue, PartitionWorker partitionWorker) {
            return IntegrationFlow.from(Amqp.inboundPolledAdapter(brokerConnectionFactory, queue)
                            .messageConverter(new PartitionRequests()),
                    poll -> poll.poller(Pollers.fixedDelay(Duration.ofMillis(500)).maxMessagesPerPoll(1)))
                    .handle(partitionWorker, "take").get();
        }
    }
}
