import org.jboss.logmanager.Level;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.Logger;
import org.jboss.logmanager.MDC;
import org.jboss.logmanager.formatters.JsonFormatter;
import org.jboss.logmanager.handlers.ConsoleHandler;

/**
 * JBoss Log Manager 3.1 (Quarkus and WildFly) with its JsonFormatter: "timestamp" with an offset, "message", the MDC
 * as an "mdc" object of strings. The usage is Amazon Bedrock Converse's TokenUsage as the AWS SDK for Java v2
 * names its getters (inputTokens, outputTokens, totalTokens, cacheReadInputTokens: read from the cache, counted
 * apart from inputTokens).
 */
public class JbossLogmanager {
    public static void main(String[] args) {
        Logger root = LogContext.getLogContext().getLogger("");
        for (java.util.logging.Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        ConsoleHandler handler = new ConsoleHandler(ConsoleHandler.Target.SYSTEM_OUT, new JsonFormatter());
        root.addHandler(handler);
        Logger log = LogContext.getLogContext().getLogger("llm.bedrock");
        log.info("bedrock runtime client ready");
        MDC.put("provider", "bedrock");
        MDC.put("modelId", "us.amazon.nova-lite-v1:0");
        MDC.put("inputTokens", "640");
        MDC.put("outputTokens", "128");
        MDC.put("totalTokens", "2048");
        MDC.put("cacheReadInputTokens", "1280");
        log.info("token_usage");
        MDC.clear();
        log.log(Level.ERROR, "token_usage insert failed: deadlock detected");
        handler.flush();
    }
}
