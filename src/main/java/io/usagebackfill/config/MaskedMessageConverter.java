package io.usagebackfill.config;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * A log line's message with every password-like {@code name=value} and {@code user:password@} masked: at DEBUG the
 * pool prints its driver properties and the driver its URL, and neither knows every parameter that is a secret.
 * Used by {@link FrameworkLogging} as {@code %maskedMsg}. Stateless and thread-safe.
 */
public final class MaskedMessageConverter extends ClassicConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return DatabaseUrl.mask(event.getFormattedMessage());
    }
}
