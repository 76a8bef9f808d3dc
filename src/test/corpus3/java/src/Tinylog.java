import org.tinylog.Logger;

/**
 * tinylog 2.7's JSON writer (conf/tinylog.properties): the message, JSON of the OpenAI Java SDK's CompletionUsage as
 * Jackson writes it (snake_case), is escaped into the "message" string.
 */
public class Tinylog {
    public static void main(String[] args) {
        Logger.tag("llm").info("openai client ready");
        Logger.tag("llm").info("token_usage {}", "{\"provider\":\"openai\",\"model\":\"o4-mini-2025-04-16\",\"usage\":"
                + "{\"completion_tokens\":1187,\"prompt_tokens\":96,\"total_tokens\":1283,\"completion_tokens_details\":"
                + "{\"reasoning_tokens\":1024},\"prompt_tokens_details\":{\"cached_tokens\":0}}}");
        Logger.tag("llm").error("token_usage not stored: {}", "connection refused");
    }
}
