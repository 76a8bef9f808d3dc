import org.apache.logging.log4j.CloseableThreadContext;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Log4j 2.25 JsonTemplateLayout (template JsonLayout.json: "instant" as epochSecond and nanoOfSecond, the thread
 * context as "contextMap", every value a string). The counts are LangChain4j's TokenUsage (inputTokenCount,
 * outputTokenCount, totalTokenCount) of a ChatResponse, put in the thread context around the log call.
 */
public class Log4jTemplate {
    private static final Logger LOG = LogManager.getLogger("llm.usage");

    public static void main(String[] args) {
        LOG.info("chat model ready");
        try (CloseableThreadContext.Instance ctx = CloseableThreadContext.put("provider", "mistral")
                .put("modelName", "mistral-large-2411").put("inputTokenCount", "1290")
                .put("outputTokenCount", "318").put("totalTokenCount", "1608")
                .put("userId", "b6a1f3c2-9d4e-4f7a-8c21-0e5d7b9a1c34")) {
            LOG.info("token_usage");
        }
        LOG.error("token_usage insert failed", new IllegalStateException("ERROR: relation \"token_usage\" does not exist"));
    }
}
