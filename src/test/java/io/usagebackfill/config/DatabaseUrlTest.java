package io.usagebackfill.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class DatabaseUrlTest {

    @Test
    void aNodeStyleUrlBecomesJdbcWithTheCredentialsKeptApart() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://app:s%40cret@db.example.com:6543/app?sslmode=require", "--db");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:6543/app?sslmode=require");
        assertThat(url.user()).isEqualTo("app");
        assertThat(url.password()).isEqualTo("s@cret");
    }

    @Test
    void thePasswordNeverAppearsInWhatIsPrinted() {
        DatabaseUrl node = DatabaseUrl.parse("postgresql://app:hunter2@db/app", "--db");
        DatabaseUrl jdbc = DatabaseUrl.parse("jdbc:postgresql://db/app?user=app&password=hunter2", "--db");

        assertThat(node.toString()).doesNotContain("hunter2").contains("app");
        assertThat(jdbc.redacted()).doesNotContain("hunter2").contains("user=app");
        assertThat(jdbc.jdbcUrl()).doesNotContain("hunter2");
        assertThat(jdbc.password()).isEqualTo("hunter2");
    }

    @Test
    void aJdbcUrlWithThePasswordInItsUserPartKeepsItApartToo() {
        DatabaseUrl url = DatabaseUrl.parse("jdbc:postgresql://app:hun%40ter2@db:5433,db2/app?sslmode=require", "--db");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5433,db2/app?sslmode=require");
        assertThat(url.user()).isEqualTo("app");
        assertThat(url.password()).isEqualTo("hun@ter2");
        assertThat(url.connectionProperties()).containsEntry("user", "app").containsEntry("password", "hun@ter2");
    }

    @Test
    void everyPasswordLikeParameterLeavesTheUrlForTheDriversProperties() {
        DatabaseUrl url = DatabaseUrl.parse("jdbc:postgresql://db/app?user=app&sslpassword=k3y%26&sslmode=verify-full"
                + "&password=pw&client_secret=s3&ApplicationName=nightly", "DATABASE_URL");
        DatabaseUrl node = DatabaseUrl.parse("postgres://app:pw@db/app?sslpassword=k3y&sslmode=require", "--db");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db/app?user=app&sslmode=verify-full"
                + "&ApplicationName=nightly");
        assertThat(url.connectionProperties()).containsEntry("sslpassword", "k3y&").containsEntry("password", "pw")
                .containsEntry("client_secret", "s3");
        assertThat(node.jdbcUrl()).isEqualTo("jdbc:postgresql://db/app?sslmode=require");
        assertThat(node.connectionProperties()).containsEntry("sslpassword", "k3y").containsEntry("password", "pw");
        assertThat(url.toString() + node).doesNotContain("k3y").doesNotContain("pw").doesNotContain("s3");
    }

    @Test
    void maskingHidesPasswordLikeValuesAndUserPartPasswordsInAnyText() {
        assertThat(DatabaseUrl.mask("dataSourceProperties....{sslpassword=k3y, password=<masked>}"))
                .isEqualTo("dataSourceProperties....{sslpassword=***, password=***}");
        assertThat(DatabaseUrl.mask("Connecting with URL: jdbc:postgresql://app:hunter2@db/app?sslPassword=k3y&a=b"))
                .isEqualTo("Connecting with URL: jdbc:postgresql://app:***@db/app?sslPassword=***&a=b");
        assertThat(DatabaseUrl.mask("prompt_tokens=5 model=gpt-4o")).isEqualTo("prompt_tokens=5 model=gpt-4o");
    }

    @Test
    void badPercentEncodingInAPasswordIsNeverQuotedInTheError() {
        DatabaseUrl url = DatabaseUrl.parse("jdbc:postgresql://app:p%zzw@db/app", "--db");

        assertThat(url.password()).isEqualTo("p%zzw");
        assertThat(url.toString()).doesNotContain("zz");
    }

    @Test
    void theOptionWinsOverPostgresUrlWhichWinsOverDatabaseUrl() {
        Map<String, String> env = Map.of("POSTGRES_URL", "postgres://a@one/db", "DATABASE_URL", "postgres://b@two/db");

        assertThat(DatabaseUrl.resolve("postgres://c@three/db", env::get).jdbcUrl()).contains("three");
        assertThat(DatabaseUrl.resolve(null, env::get).jdbcUrl()).contains("one");
        assertThat(DatabaseUrl.resolve(null, Map.of("DATABASE_URL", "postgres://b@two/db")::get).jdbcUrl())
                .contains("two");
        assertThat(DatabaseUrl.resolve(null, Map.<String, String>of()::get)).isNull();
    }

    @Test
    void anythingElseIsRefusedWithAMessageNamingWhereItCameFrom() {
        assertThatThrownBy(() -> DatabaseUrl.parse("mysql://db/app", "POSTGRES_URL"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("POSTGRES_URL is not");
    }

    @Test
    void anUnencodedAtInThePasswordIsRefusedWithTheHintAndWithoutThePassword() {
        assertThatThrownBy(() -> DatabaseUrl.parse("postgres://app:p@ss:w0rd@db.example.com:5432/app", "--db"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("percent-encode")
                .hasMessageContaining("%40").hasMessageNotContaining("w0rd");
        assertThatThrownBy(() -> DatabaseUrl.parse("jdbc:postgresql://db:port/app", "POSTGRES_URL"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("POSTGRES_URL is not a valid");
    }

    @Test
    void pgpasswordFillsOnlyAPasswordTheUrlLeavesOut() {
        assertThat(DatabaseUrl.parse("postgres://app@db/app", "--db").withPassword("s3cret").password())
                .isEqualTo("s3cret");
        assertThat(DatabaseUrl.parse("postgres://app:mine@db/app", "--db").withPassword("s3cret").password())
                .isEqualTo("mine");
        assertThat(DatabaseUrl.parse("jdbc:postgresql://db/app?password=mine", "--db").withPassword("s3cret")
                .password()).isEqualTo("mine");
    }

    @Test
    void theLocationForReportsIsHostPortAndDatabaseOnly() {
        assertThat(DatabaseUrl.parse("postgres://app:secret@db.example.com:6543/app?sslmode=require", "--db")
                .location()).isEqualTo("db.example.com:6543/app");
    }
}
