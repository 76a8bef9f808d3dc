package io.usagebackfill;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.usagebackfill.config.DatabaseUrl;
import io.usagebackfill.support.BackfillCli;
import io.usagebackfill.support.JarProcess;
import io.usagebackfill.support.TestDatabase;
import io.usagebackfill.support.TokenEvents;
import io.usagebackfill.support.Totals;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sslmode=verify-full} with {@code sslrootcert=FILE}, as a managed Postgres's connection string asks for it,
 * against a PostgreSQL with SSL on ({@code TEST_SSL_DATABASE_URL}, which lets in only SSL connections, and the CA
 * that signed its certificate for {@code localhost} in {@code TEST_SSL_ROOT_CERT}; .ci/run makes both). A check
 * that fails is a configuration error: exit 2, one sentence.
 */
class SslIT {

    private static final String SERVER = System.getenv("TEST_SSL_DATABASE_URL");
    private static final String ROOT_CERT = System.getenv("TEST_SSL_ROOT_CERT");

    private static TestDatabase database;

    @TempDir
    Path dir;

    @BeforeAll
    static void aServerWithSsl() throws Exception {
        Assumptions.assumeTrue(SERVER != null && ROOT_CERT != null, "TEST_SSL_DATABASE_URL and TEST_SSL_ROOT_CERT"
                + " are not set, so there is no PostgreSQL with SSL on to test against; .ci/run makes one on port"
                + " 5433");
        database = TestDatabase.createOn(DatabaseUrl.parse(SERVER + "&sslmode=verify-full&sslrootcert=" + ROOT_CERT,
                "TEST_SSL_DATABASE_URL"));
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        if (database != null) {
            database.close();
        }
    }

    @Test
    void verifyFullWithTheRootThatSignedTheServersCertificateLoadsEveryEvent() throws Exception {
        Files.write(dir.resolve("app.log"), TokenEvents.lines(0, 50, TokenEvents::pino));
        BackfillCli cli = new BackfillCli(database);
        String url = url("localhost", ROOT_CERT);

        assertThat(cli.run("schema", "--apply", "--db", url)).isZero();
        BackfillCli.Outcome run = cli.capture("import", "--db", url, "--rejects", dir.resolve("r.log").toString(),
                dir.resolve("app.log").toString());

        assertThat(run.exit()).as(run.printed()).isZero();
        assertThat(Totals.inTable(database)).isEqualTo(TokenEvents.totals(0, 50));
    }

    @Test
    void aCertificateTheRootDidNotSignExitsTwoInOneSentenceNamingSslrootcert() throws Exception {
        String output = refused(url("localhost", anotherCa().toString()));

        assertThat(output).startsWith("status: the database server at").contains("did not sign")
                .contains("point sslrootcert=FILE at the CA certificate").contains("retrying will not help");
    }

    @Test
    void aHostNameTheCertificateDoesNotNameExitsTwoInOneSentenceNamingVerifyFull() throws Exception {
        String output = refused(url("127.0.0.1", ROOT_CERT));

        assertThat(output).startsWith("status: the database server at jdbc:postgresql://127.0.0.1:")
                .contains("issued for another host name than the URL's, which sslmode=verify-full refuses")
                .contains("sslmode=verify-ca").contains("retrying will not help");
    }

    @Test
    void aRootCertificateFileThatIsNotThereExitsTwoNamingSslrootcert() throws Exception {
        String output = refused(url("localhost", dir.resolve("missing.crt").toString()));

        assertThat(output).startsWith("status: cannot read the root certificate").contains("missing.crt")
                .contains("sslrootcert=FILE").contains("retrying will not help");
    }

    /** What {@code status} prints, as its own process, for a connection the certificate check must refuse. */
    private String refused(String url) throws Exception {
        JarProcess status = JarProcess.start(dir.resolve("status.out"), Map.of(), "status", "--db", url);

        assertThat(status.exitCode()).as(status.output()).isEqualTo(2);
        assertThat(status.output().strip().lines()).as("one sentence, nothing else").hasSize(1);
        return status.output().strip();
    }

    /** The URL a provider's dashboard gives, reaching the SSL server by {@code host}. */
    private static String url(String host, String rootCert) {
        URI server = URI.create(SERVER.substring("jdbc:".length()));
        java.util.regex.Matcher user = java.util.regex.Pattern.compile("[?&]user=([^&]*)").matcher(SERVER);
        return "postgres://" + (user.find() ? user.group(1) : "postgres") + "@" + host + ":" + server.getPort() + "/" + database.name()
                + "?sslmode=verify-full&sslrootcert=" + rootCert;
    }

    /** A CA certificate of its own, made with the JDK's keytool: a root that signed nothing the server has. */
    private Path anotherCa() throws Exception {
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Path store = dir.resolve("other.p12");
        Path certificate = dir.resolve("other-root.crt");
        run(List.of(keytool, "-genkeypair", "-alias", "other", "-keyalg", "RSA", "-keysize", "2048", "-dname",
                "CN=another CA", "-ext", "bc:c", "-validity", "30", "-keystore", store.toString(), "-storetype",
                "PKCS12", "-storepass", "changeit", "-keypass", "changeit"));
        run(List.of(keytool, "-exportcert", "-rfc", "-alias", "other", "-keystore", store.toString(), "-storepass",
                "changeit", "-file", certificate.toString()));
        return certificate;
    }

    private static void run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }
}
