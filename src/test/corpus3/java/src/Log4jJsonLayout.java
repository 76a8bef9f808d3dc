import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.message.ObjectMessage;

/**
 * Log4j 2.25's older JsonLayout (Jackson) with objectMessageAsJsonObject: an ObjectMessage of a map is written as
 * the "message" object, the time as "instant": {epochSecond, nanoOfSecond}. The usage is the Google Gen AI Java
 * SDK's GenerateContentResponseUsageMetadata as its toJson() names it (promptTokenCount, candidatesTokenCount,
 * thoughtsTokenCount, totalTokenCount).
 */
public class Log4jJsonLayout {
    private static final Logger LOG = LogManager.getLogger("llm.usage");

    public static void main(String[] args) {
        LOG.info("vertex client ready");
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("promptTokenCount", 402);
        usage.put("candidatesTokenCount", 95);
        usage.put("thoughtsTokenCount", 311);
        usage.put("totalTokenCount", 808);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("event", "token_usage");
        event.put("provider", "vertex_ai");
        event.put("modelVersion", "gemini-2.5-flash-001");
        event.put("usageMetadata", usage);
        LOG.info(new ObjectMessage(event));
        LOG.warn("token_usage rows are written asynchronously");
    }
}
