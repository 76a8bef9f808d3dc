package io.usagebackfill.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.transaction.TransactionDefinition;

class SessionFreeTransactionManagerTest {

    @Test
    void anIsolationLevelIsSetForTheTransactionBeforeItsTimeouts() {
        assertThat(SessionFreeTransactionManager.settings(TransactionDefinition.ISOLATION_SERIALIZABLE, 30, 15))
                .isEqualTo("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE; SET LOCAL statement_timeout = '30s';"
                        + " SET LOCAL lock_timeout = 0; SET LOCAL idle_in_transaction_session_timeout = 0");
    }

    @Test
    void theDefaultIsolationSetsOnlyTheTimeoutsAndZeroLiftsTheRolesStatementTimeout() {
        assertThat(SessionFreeTransactionManager.settings(TransactionDefinition.ISOLATION_DEFAULT, 0, 15))
                .isEqualTo("SET LOCAL statement_timeout = '0s'; SET LOCAL lock_timeout = 0;"
                        + " SET LOCAL idle_in_transaction_session_timeout = 0");
    }

    @Test
    void fromPostgreSql17TheTransactionTimeoutIsLiftedToo() {
        assertThat(SessionFreeTransactionManager.settings(TransactionDefinition.ISOLATION_DEFAULT, 0, 17))
                .endsWith("; SET LOCAL transaction_timeout = 0");
    }
}
