package io.usagebackfill.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.Arrays;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The build takes the embedded PostgreSQL server of the machine it runs on (a Maven profile per platform, chosen by
 * os.name and os.arch in pom.xml), and only that one: the resolver the embedded database starts through finds it.
 */
class EmbeddedPostgresBinariesTest {

    @Test
    void theClasspathCarriesThePostgresServerOfThisMachineAndNoOtherPlatforms() throws Exception {
        // The system names zonky's EmbeddedPostgres gives the resolver.
        String system = System.getProperty("os.name").startsWith("Mac") ? "Darwin" : "Linux";

        try (InputStream server = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system,
                System.getProperty("os.arch"))) {
            assertThat(server.read()).as("the server archive's first byte").isNotNegative();
        }
        Resource[] servers = new PathMatchingResourcePatternResolver().getResources("classpath*:postgres-*.txz");
        assertThat(Arrays.stream(servers).map(Resource::getFilename)).as("the servers on the classpath").hasSize(1);
    }
}
