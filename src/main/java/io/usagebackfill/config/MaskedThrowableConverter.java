package io.usagebackfill.config;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * A log line's stack trace with secrets masked as in {@link MaskedMessageConverter}: exception messages may quote a
 * URL too. Used by {@link FrameworkLogging} as {@code %maskedEx}. Thread-safe once started.
 */
public final class MaskedThrowableConverter extends ThrowableProxyConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return DatabaseUrl.mask(super.convert(event));
    }
}
