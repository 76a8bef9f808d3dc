package io.usagebackfill.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.usagebackfill.source.Manifest;
import io.usagebackfill.source.SourceFile;
import org.junit.jupiter.api.Test;

/** State saved by version 0.1.0 as first released (before windows, prices, ledgers), read by this one. */
class StateJsonTest {

    private static final String FIRST_CHECKPOINT = """
            {"read":{"fileIndex":1,"fingerprint":"ab","offset":120,"lineNumber":3,"linesRead":9,"noiseLines":4,
            "notices":[]},"process":{"events":5,"ignored":0,"inferredProviders":1},
            "rejects":{"linesBytes":0,"reasonsBytes":0,"count":0,"byReason":{}},
            "load":{"inserted":5,"duplicates":0,"nulledUserIds":0,"nulledSessionIds":0,
            "perModel":{"gpt-4o":{"calls":5,"tokens":50,"costMicros":7}},"retired":true}}""";

    @Test
    void aCheckpointWithoutTheFieldsAddedSinceReadsThemAsZeroOrEmpty() {
        Checkpoint checkpoint = StateJson.MAPPER.readValue(FIRST_CHECKPOINT, Checkpoint.class);

        assertThat(checkpoint.read().offset()).isEqualTo(120);
        assertThat(checkpoint.process().events()).isEqualTo(5);
        assertThat(checkpoint.process().outsideWindow()).isZero();
        assertThat(checkpoint.process().estimatedCosts()).isZero();
        assertThat(checkpoint.load().perModel().get("gpt-4o").tokens()).isEqualTo(50);
        assertThat(checkpoint.load().first()).isNull();
    }

    @Test
    void aFileListWithoutStartPositionsStartsEachFileAtItsBeginning() {
        List<SourceFile> files = Manifest.read("""
                [{"path":"/logs/app.log","size":10,"modifiedMillis":1,"gzip":false,"fingerprint":"ab",
                "fingerprintBytes":10}]""");

        assertThat(files).singleElement().satisfies(file -> {
            assertThat(file.startOffset()).isZero();
            assertThat(file.startLine()).isZero();
        });
    }
}
