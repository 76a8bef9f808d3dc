package io.usagebackfill.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.springframework.context.NoSuchMessageException;
import org.springframework.context.support.DefaultMessageSourceResolvable;

class NoMessageSourceTest {

    private final NoMessageSource messages = new NoMessageSource();

    @Test
    void aDefaultMessageComesBackFormattedWithItsArguments() {
        assertThat(messages.getMessage("code", null, "as it is", Locale.ROOT)).isEqualTo("as it is");
        assertThat(messages.getMessage("code", new Object[] {"x"}, "with {0}", Locale.ROOT)).isEqualTo("with x");
        assertThat(messages.getMessage(new DefaultMessageSourceResolvable(new String[] {"code"}, "default"),
                Locale.ROOT)).isEqualTo("default");
    }

    @Test
    void aCodeWithoutADefaultIsNoSuchMessage() {
        assertThat(messages.getMessage("code", null, null, Locale.ROOT)).isNull();
        assertThatThrownBy(() -> messages.getMessage("code", null, Locale.ROOT))
                .isInstanceOf(NoSuchMessageException.class);
        assertThatThrownBy(() -> messages.getMessage(new DefaultMessageSourceResolvable("code"), Locale.ROOT))
                .isInstanceOf(NoSuchMessageException.class);
    }
}
