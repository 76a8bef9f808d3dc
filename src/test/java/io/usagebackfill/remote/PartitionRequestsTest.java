package io.usagebackfill.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.support.converter.MessageConversionException;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.integration.IntegrationMessageHeaderAccessor;
import org.springframework.messaging.MessageHeaders;

class PartitionRequestsTest {

    private final PartitionRequests converter = new PartitionRequests();

    @Test
    void aRequestTravelsAsJsonAndComesBackTheSame() {
        Message message = converter.toMessage(new StepExecutionRequest("loadPartition", 42), new MessageProperties());

        assertThat(new String(message.getBody(), StandardCharsets.UTF_8))
                .isEqualTo("{\"stepName\":\"loadPartition\",\"stepExecutionId\":42}");
        assertThat(message.getMessageProperties().getContentType()).isEqualTo("application/json");
        StepExecutionRequest back = (StepExecutionRequest) converter.fromMessage(message);
        assertThat(back.getStepName()).isEqualTo("loadPartition");
        assertThat(back.getStepExecutionId()).isEqualTo(42);
    }

    @Test
    void theJobExecutionOfARequestIsReadFromSpringBatchIntegrationsCorrelation() {
        assertThat(PartitionRequests.jobExecutionOf(new MessageHeaders(Map.of(
                IntegrationMessageHeaderAccessor.CORRELATION_ID, "17:loadPartition")))).isEqualTo(17L);
        assertThat(PartitionRequests.jobExecutionOf(new MessageHeaders(Map.of()))).isNull();
        assertThat(PartitionRequests.jobExecutionOf(new MessageHeaders(Map.of(
                IntegrationMessageHeaderAccessor.CORRELATION_ID, "someone else's")))).isNull();
    }

    @Test
    void aMessageThatIsNotARequestIsRefusedNotGuessed() {
        assertThatThrownBy(() -> converter.fromMessage(new Message("{\"stepName\":\"x\"}".getBytes())))
                .isInstanceOf(MessageConversionException.class).hasMessageContaining("not a partition request");
        assertThatThrownBy(() -> converter.fromMessage(new Message(new byte[] {(byte) 0xac, (byte) 0xed, 0, 5})))
                .isInstanceOf(MessageConversionException.class).hasMessageContaining("not JSON");
    }

    @Test
    void aFailedPartitionsReasonIsItsDeepestCauseOrTheManagersOwnSentence() {
        StepExecution fromTrace = partition("org.springframework.batch.core.step.FatalStepExecutionException: Unable"
                + " to process chunk\n\tat org.example.A.b(A.java:1)\nCaused by: java.sql.SQLException: disk full\n"
                + "\tat org.example.C.d(C.java:2)");
        StepExecution skipLimit = partition("org.springframework.batch.core.step.FatalStepExecutionException: Unable"
                + " to process chunk\nCaused by: org.springframework.batch.core.step.skip.SkipLimitExceededException:"
                + " Skip limit of '5' exceeded\nCaused by: io.usagebackfill.catalog.RejectedLineException: bad");
        StepExecution stalled = partition("partition 2 made no progress for 300 s");

        assertThat(RemotePartitions.reason(fromTrace)).isEqualTo("SQLException: disk full");
        assertThat(RemotePartitions.reason(skipLimit)).startsWith("more lines were rejected than --skip-limit allows");
        assertThat(RemotePartitions.reason(stalled)).isEqualTo("partition 2 made no progress for 300 s");
    }

    private static StepExecution partition(String exitDescription) {
        JobExecution job = new JobExecution(1L, new JobInstance(1L, "tokenUsageBackfill"), new JobParameters());
        StepExecution partition = new StepExecution(2L, "loadPartition:partition2", job);
        partition.setStatus(BatchStatus.FAILED);
        partition.setExitStatus(new ExitStatus("FAILED", exitDescription));
        partition.setEndTime(LocalDateTime.now());
        return partition;
    }
}
