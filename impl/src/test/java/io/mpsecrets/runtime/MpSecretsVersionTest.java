package io.mpsecrets.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpsecrets.backend.Backends;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** The library says which version runs, from which commit, with which backends: once, at INFO, names only. */
class MpSecretsVersionTest {

    @Test
    void theBuildRecordedTheVersionAndTheCommit() {
        MpSecretsVersion version = MpSecretsVersion.current();
        assertThat(version.version()).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        assertThat(version.commit()).matches("[0-9a-f]{12}|unknown");
        assertThat(version).hasToString(version.version() + " (commit " + version.commit() + ")");
    }

    @Test
    void theStartUpLineNamesTheBackendsAndIsWrittenOnce() {
        Backends backends = Backends.discover(getClass().getClassLoader());
        assertThat(MpSecretsVersion.line(backends))
                .startsWith("mp-secrets " + MpSecretsVersion.current() + ": stores ")
                .contains("env", "file", "; KMSs ", "local");
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger logger = Logger.getLogger("io.mpsecrets");
        logger.addHandler(handler);
        try {
            MpSecretsVersion.announce(backends);
            MpSecretsVersion.announce(backends);
        } finally {
            logger.removeHandler(handler);
        }
        assertThat(records)
                .as("at most once per loaded copy (an earlier test's runtime may have said it already)")
                .hasSizeLessThanOrEqualTo(1)
                .allSatisfy(record -> assertThat(record.getMessage()).isEqualTo(MpSecretsVersion.line(backends)));
    }
}
