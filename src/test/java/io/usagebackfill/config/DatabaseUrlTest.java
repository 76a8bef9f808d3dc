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
        assertThat(jdbc.redacted()).doesNotContain("hunter2").contains("password=***");
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
}
