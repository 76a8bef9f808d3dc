package io.usagebackfill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnfinishedExportTest {

    @Test
    void anExportsFailureKeepsItsCauseAndAdvisesRunningItAgainNotARestart() {
        String message = RunSession.unfinishedExport("/logs/app.log.gz is damaged after line 7 (Unexpected end of"
                + " ZLIB input stream); every committed chunk is kept, so `restart` resumes after the last one once"
                + " the cause is fixed", "/out/usage.csv");

        assertThat(message).startsWith("/logs/app.log.gz is damaged after line 7 (Unexpected end of ZLIB input"
                + " stream); the export did not finish, so /out/usage.csv was left as it was")
                .contains("run the same command again").doesNotContain("`restart`").doesNotContain("committed");
    }

    @Test
    void aStoppedExportSaysWhatStoppedIt() {
        assertThat(RunSession.unfinishedExport("stopped by SIGTERM", "/out/usage.csv"))
                .startsWith("stopped by SIGTERM; the export did not finish, so /out/usage.csv was left as it was");
    }
}
