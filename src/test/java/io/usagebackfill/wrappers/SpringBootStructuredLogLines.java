package io.usagebackfill.wrappers;

import java.math.BigDecimal;
import java.sql.SQLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * Writes the Spring Boot lines of {@code sample-logs/wrappers/spring-boot-*.log}: a Spring Boot application started
 * with {@code logging.structured.format.file=ecs|gelf|logstash} and {@code logging.file.name}, logging one
 * {@code token_usage} call (usage as SLF4J key-value pairs, the user id in the MDC), one error that names the table
 * and one start-up line, through Spring Boot's own structured log formatters. Run it from the test class path:
 * {@code java -cp target/test-classes:target/classes:<test class path> io.usagebackfill.wrappers.SpringBootStructuredLogLines
 * ecs /tmp/spring-boot-ecs.log}. Not a test; the lines it wrote are kept as they came out.
 */
public final class SpringBootStructuredLogLines {

    private static final Logger LOG = LoggerFactory.getLogger("com.example.llm.UsageLogger");

    private SpringBootStructuredLogLines() {
    }

    public static void main(String[] args) throws Exception {
        String format = args[0];
        SpringApplication application = new SpringApplication(App.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        try (ConfigurableApplicationContext context = application.run(
                "--logging.config=classpath:io/usagebackfill/wrappers/structured-file-logback.xml",
                "--logging.structured.format.file=" + format, "--logging.file.name=" + args[1],
                "--logging.level.root=INFO", "--spring.application.name=api", "--spring.main.log-startup-info=true",
                "--logging.structured.ecs.service.version=1.4.2", "--logging.structured.gelf.host=api-1")) {
            MDC.put("user_id", "3f0e1b2c-4d5e-4f60-8a7b-9c0d1e2f3a01");
            switch (format) {
            case "ecs" -> LOG.atInfo().addKeyValue("provider", "openai").addKeyValue("model", "gpt-4o-mini")
                    .addKeyValue("prompt_tokens", 40).addKeyValue("completion_tokens", 8)
                    .addKeyValue("cost_usd", 0.0000108).log("token_usage");
            case "gelf" -> LOG.atInfo().addKeyValue("provider", "anthropic")
                    .addKeyValue("model", "claude-3-5-haiku-20241022").addKeyValue("input_tokens", 120)
                    .addKeyValue("output_tokens", 33).log("token_usage");
            default -> LOG.atInfo().addKeyValue("provider", "google").addKeyValue("model", "gemini-2.0-flash")
                    .addKeyValue("prompt_tokens", 64).addKeyValue("completion_tokens", 16)
                    .addKeyValue("total_tokens", 80).addKeyValue("cost_usd", new BigDecimal("0.000032"))
                    .log("token_usage");
            }
            MDC.clear();
            LOG.error("failed to insert into token_usage",
                    new SQLException("ERROR: relation \"token_usage\" does not exist", "42P01"));
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class App {
    }
}
