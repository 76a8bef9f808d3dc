package io.usagebackfill.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvironmentFileTest {

    @TempDir
    Path dir;

    @Test
    void plainKeyValueLinesKeepAnAmpersandAndWinOverTheEnvironment() throws Exception {
        Path file = Files.writeString(dir.resolve("env"), "# the database\n\nPOSTGRES_URL=postgres://app@db:5432/app"
                + "?sslmode=require&application_name=nightly\nPGPASSWORD='it''s # not a comment'\n");
        Map<String, String> process = Map.of("POSTGRES_URL", "postgres://other/db", "HOME", "/home/x");

        var env = EnvironmentFile.over(file, process::get);

        assertThat(env.apply("POSTGRES_URL")).isEqualTo("postgres://app@db:5432/app?sslmode=require"
                + "&application_name=nightly");
        assertThat(env.apply("PGPASSWORD")).isEqualTo("it''s # not a comment");
        assertThat(env.apply("HOME")).isEqualTo("/home/x");
    }

    @Test
    void anExportOrALineOfAnotherFormIsRefusedNamingTheLine() throws Exception {
        Path exported = Files.writeString(dir.resolve("exported"), "export POSTGRES_URL=postgres://db/app\n");
        Path spaced = Files.writeString(dir.resolve("spaced"), "A=1\nPOSTGRES_URL = postgres://db/app\n");

        assertThatThrownBy(() -> EnvironmentFile.over(exported, k -> null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(exported + ":1")
                .hasMessageContaining("export");
        assertThatThrownBy(() -> EnvironmentFile.over(spaced, k -> null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(spaced + ":2");
        assertThatThrownBy(() -> EnvironmentFile.over(dir.resolve("missing"), k -> null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be read");
    }

    @Test
    void aCommentAfterAQuotedValueAnUnclosedQuoteOrAKeySetTwiceIsRefusedNamingTheLine() throws Exception {
        Path commented = Files.writeString(dir.resolve("commented"), "POSTGRES_URL='postgres://db/app' # prod\n");
        Path unclosed = Files.writeString(dir.resolve("unclosed"), "PGPASSWORD=x\nPOSTGRES_URL=\"postgres://db/app\n");
        Path twice = Files.writeString(dir.resolve("twice"), "POSTGRES_URL=postgres://a/app\n\nPOSTGRES_URL=postgres://b/app\n");
        Path quoted = Files.writeString(dir.resolve("quoted"), "POSTGRES_URL='postgres://db/app?a=1&b=2'\n");

        assertThatThrownBy(() -> EnvironmentFile.over(commented, k -> null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(commented + ":1")
                .hasMessageContaining("text after its closing quote (# prod)");
        assertThatThrownBy(() -> EnvironmentFile.over(unclosed, k -> null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(unclosed + ":2")
                .hasMessageContaining("does not close");
        assertThatThrownBy(() -> EnvironmentFile.over(twice, k -> null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(twice + ":3")
                .hasMessageContaining("POSTGRES_URL a second time");
        assertThat(EnvironmentFile.over(quoted, k -> null).apply("POSTGRES_URL"))
                .isEqualTo("postgres://db/app?a=1&b=2");
    }

    @Test
    void theEmbeddedDatabaseLivesInUsageBackfillHomeElseInHomeTheVariable() {
        assertThat(EmbeddedDatabase.defaultDataDirectory(Map.of("USAGE_BACKFILL_HOME", "/srv/ub", "HOME", "/h")::get))
                .isEqualTo(Path.of("/srv/ub/postgres"));
        assertThat(EmbeddedDatabase.defaultDataDirectory(Map.of("HOME", "/var/lib/svc")::get))
                .isEqualTo(Path.of("/var/lib/svc/.usage-backfill/postgres"));
    }
}
