package io.usagebackfill.remote;

import java.nio.charset.StandardCharsets;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.support.converter.MessageConversionException;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.integration.IntegrationMessageHeaderAccessor;
import org.springframework.messaging.MessageHeaders;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A partition request on the wire: Spring Batch Integration's {@link StepExecutionRequest} (the worker step's name
 * and the partition's step execution id) as a small JSON object, readable in the broker's console and safe to read
 * back, unlike a serialized Java object. Thread-safe.
 */
final class PartitionRequests implements MessageConverter {

    /**
     * The header naming the job execution a request belongs to, so a worker on another database (a queue shared by
     * mistake) can tell the request is not for it rather than run whatever step execution has that id there.
     */
    static final String JOB_EXECUTION = "usage-backfill-job-execution";

    /** The header naming the manager's database ({@link DatabaseIdentity}), which the job execution's id alone cannot. */
    static final String DATABASE = "usage-backfill-database";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String STEP_NAME = "stepName";
    private static final String STEP_EXECUTION_ID = "stepExecutionId";

    /**
     * The job execution of a request: Spring Batch Integration correlates a partition's request as
     * {@code jobExecutionId:stepName}; null when the message says nothing of it.
     */
    static Long jobExecutionOf(MessageHeaders headers) {
        Object correlation = headers.get(IntegrationMessageHeaderAccessor.CORRELATION_ID);
        if (correlation == null) {
            return null;
        }
        String text = correlation.toString();
        int colon = text.indexOf(':');
        try {
            return Long.valueOf(colon < 0 ? text : text.substring(0, colon));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public Message toMessage(Object object, MessageProperties properties) {
        if (!(object instanceof StepExecutionRequest request)) {
            throw new MessageConversionException("only partition requests go to the partition queue, not "
                    + object.getClass().getName());
        }
        ObjectNode json = JSON.createObjectNode().put(STEP_NAME, request.getStepName())
                .put(STEP_EXECUTION_ID, request.getStepExecutionId());
        properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        properties.setContentEncoding(StandardCharsets.UTF_8.name());
        return new Message(JSON.writeValueAsBytes(json), properties);
    }

    @Override
    public Object fromMessage(Message message) {
        try {
            JsonNode json = JSON.readTree(message.getBody());
            JsonNode name = json.get(STEP_NAME);
            JsonNode id = json.get(STEP_EXECUTION_ID);
            if (name == null || !name.isString() || id == null || !id.canConvertToLong()) {
                throw new MessageConversionException("a message on the partition queue is not a partition request"
                        + " (it lacks stepName or stepExecutionId)");
            }
            return new StepExecutionRequest(name.stringValue(), id.longValue());
        } catch (JacksonException e) {
            throw new MessageConversionException("a message on the partition queue is not JSON", e);
        }
    }
}
