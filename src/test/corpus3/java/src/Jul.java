import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * java.util.logging with SimpleFormatter and the format in -Djava.util.logging.SimpleFormatter.format
 * ("%1$tFT%1$tT.%1$tL%1$tz %4$s %3$s %5$s%6$s%n": zone offset without a colon). The message is a MessageFormat
 * pattern, so the numbers are formatted by it (grouping separators above 999). The usage is IBM watsonx.ai's text
 * generation result (input_token_count, generated_token_count).
 */
public class Jul {
    private static final Logger LOG = Logger.getLogger("llm.watsonx");

    public static void main(String[] args) {
        LOG.info("watsonx client ready");
        LOG.log(Level.INFO, "token_usage provider={0} model={1} input_token_count={2} generated_token_count={3}",
                new Object[] {"watsonx", "ibm/granite-3-8b-instruct", 512, 64});
        LOG.log(Level.INFO, "token_usage provider={0} model={1} input_token_count={2} generated_token_count={3}",
                new Object[] {"watsonx", "meta-llama/llama-3-3-70b-instruct", 1843, 230});
        LOG.log(Level.SEVERE, "could not insert into token_usage: {0}", "duplicate key");
    }
}
