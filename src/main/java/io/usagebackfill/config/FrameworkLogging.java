package io.usagebackfill.config;

import java.nio.charset.StandardCharsets;
import java.util.logging.Handler;
import java.util.logging.LogManager;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.bridge.SLF4JBridgeHandler;
import org.springframework.boot.logging.LogFile;
import org.springframework.boot.logging.LoggingInitializationContext;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.logging.LoggingSystemFactory;
import org.springframework.boot.logging.logback.LogbackLoggingSystem;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * How the frameworks' own log lines are written: to stderr at WARN (the embedded server's at ERROR), secrets masked
 * in every message and stack trace whatever the level, since at DEBUG the pool prints its driver properties and the
 * driver its URL. Spring Boot then sets the levels ({@code logging.level.root=OFF} unless {@code LOGGING_LEVEL_*}
 * says otherwise). Set up in code rather than from a {@code logback.xml}: Logback parsed that file as the first
 * logger was made and Spring Boot parsed it again as the context started, one of the larger parts of a run's start-up
 * (BENCHMARKS.md, Start-up). Logback finds this class as its {@link Configurator} (META-INF/services) and Spring Boot uses
 * {@link LoggingSystem this logging system} (META-INF/spring.factories), whose defaults are the same set-up; a
 * {@code logging.config} file still replaces it. Stateless.
 */
public final class FrameworkLogging extends ContextAwareBase implements Configurator {

    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{36} - %maskedMsg%n%maskedEx";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        apply(context);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Adds the stderr appender to a context that holds none, and the levels it starts with. */
    static void apply(LoggerContext context) {
        PatternLayout layout = new PatternLayout();
        layout.setContext(context);
        layout.getInstanceConverterMap().put("maskedMsg", MaskedMessageConverter::new);
        layout.getInstanceConverterMap().put("maskedEx", MaskedThrowableConverter::new);
        layout.setPattern(PATTERN);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setCharset(StandardCharsets.UTF_8);
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stderr);
        context.getLogger("io.zonky.test.db.postgres").setLevel(Level.ERROR);
    }

    /** Spring Boot's Logback system with {@link FrameworkLogging} as its defaults instead of Boot's console format. */
    public static final class LogbackSystem extends LogbackLoggingSystem {

        public LogbackSystem(ClassLoader classLoader) {
            super(classLoader);
        }

        @Override
        protected void loadDefaults(LoggingInitializationContext initializationContext, LogFile logFile) {
            LoggerContext context = (LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
            context.stop();
            context.reset();
            if (julBridged()) {
                // As Boot does for its own defaults: a level set on a logger reaches java.util.logging's (the
                // driver's), which would otherwise drop its records before the bridge sees them.
                LevelChangePropagator propagator = new LevelChangePropagator();
                propagator.setResetJUL(true);
                propagator.setContext(context);
                context.addListener(propagator);
            }
            apply(context);
            context.start();
        }

        private static boolean julBridged() {
            Handler[] handlers = LogManager.getLogManager().getLogger("").getHandlers();
            return handlers.length == 1 && handlers[0] instanceof SLF4JBridgeHandler;
        }
    }

    /** Puts {@link LogbackSystem} before Boot's own. */
    @Order(Ordered.HIGHEST_PRECEDENCE)
    public static final class Factory implements LoggingSystemFactory {

        @Override
        public LoggingSystem getLoggingSystem(ClassLoader classLoader) {
            return new LogbackSystem(classLoader);
        }
    }
}
