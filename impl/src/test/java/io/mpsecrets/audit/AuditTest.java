package io.mpsecrets.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.WorkerContext;
import io.mpsecrets.api.event.SecretDecrypted;
import io.mpsecrets.api.event.SecretEvent;
import io.mpsecrets.api.exception.AuditFailureException;
import io.mpsecrets.config.ConfigRegistry;
import io.mpsecrets.kms.local.LocalKeyring;
import io.mpsecrets.runtime.SecretsRuntime;
import io.mpsecrets.testing.AuditRecorder;
import io.mpsecrets.testing.Fixtures;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditTest {

    @TempDir
    Path dir;

    private final AuditRecorder audit = new AuditRecorder();
    private final Logger auditLogger = Logger.getLogger(AuditLog.LOGGER_NAME);
    private Level levelBefore;
    private LocalKeyring keyring;
    private Path keyringFile;

    @BeforeEach
    void keyring() {
        levelBefore = auditLogger.getLevel();
        keyring = LocalKeyring.generate("dev");
        keyringFile = dir.resolve("keyring.json");
        keyring.writeTo(keyringFile, false);
    }

    @AfterEach
    void restore() {
        auditLogger.setLevel(levelBefore);
        audit.close();
    }

    private SmallRyeConfig config(String... settings) {
        Map<String, String> values = new HashMap<>(Map.of(
                "mpsecrets.kms.local.keyring",
                keyringFile.toString(),
                "db.password",
                Fixtures.encrypt(keyring, Fixtures.SECRET, "db.password"),
                "api.token",
                "${env::MPS_TEST_TOKEN}"));
        for (int i = 0; i < settings.length; i += 2) {
            values.put(settings[i], settings[i + 1]);
        }
        return new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDiscoveredInterceptors()
                .withSources(new PropertiesConfigSource(values, "app", 100))
                .build();
    }

    @Test
    void cacheHitsAreCountedNotLogged() {
        SmallRyeConfig config = config();
        for (int i = 0; i < 5; i++) {
            config.getValue("db.password", String.class);
            config.getValue("api.token", String.class);
        }
        assertThat(audit.events("decrypted")).hasSize(1);
        assertThat(audit.events("fetched")).hasSize(1);
        assertThat(audit.events("accessed")).isEmpty();
        SecretsRuntime runtime = ConfigRegistry.runtimeOf(config).orElseThrow();
        assertEquals(Map.of("api.token", 5L, "db.password", 5L), runtime.readCounts());
    }

    @Test
    void everyAccessMakesEachReadAnEvent() {
        SmallRyeConfig config = config("mpsecrets.audit.every-access", "true");
        for (int i = 0; i < 3; i++) {
            config.getValue("db.password", String.class);
        }
        assertThat(audit.events("accessed"))
                .hasSize(3)
                .allSatisfy(line -> assertThat(line)
                        .startsWith(
                                "event=accessed property=db.password key=local:dev-1 outcome=ok app=default thread="));
    }

    @Test
    void requiredAuditRefusesAnAccessNoSinkRecords() {
        SmallRyeConfig config = config("mpsecrets.audit.required", "true");
        assertEquals(Fixtures.SECRET, config.getValue("db.password", String.class));
        auditLogger.setLevel(Level.OFF); // the operator switched the audit log off, and nothing else records
        AuditFailureException refused =
                assertThrows(AuditFailureException.class, () -> config.getValue("db.password", String.class));
        assertEquals(FailureReason.AUDIT_UNAVAILABLE, refused.reason());
        assertThat(refused.getMessage()).contains("property=db.password", "mpsecrets.audit.required=true");
        assertThrows(AuditFailureException.class, () -> config.getValue("api.token", String.class));
        LeakGuard.assertNoLeak(refused);

        // Another sink that records (the CDI bridge, say) lets accesses through again.
        List<SecretEvent> recorded = new CopyOnWriteArrayList<>();
        ConfigRegistry.runtimeOf(config).orElseThrow().audit().attach(event -> recorded.add(event));
        assertEquals(Fixtures.SECRET, config.getValue("db.password", String.class));
        assertThat(recorded).isNotEmpty();
    }

    @Test
    void withoutRequiredAuditAnOffLogDoesNotBlock() {
        auditLogger.setLevel(Level.OFF);
        assertEquals(Fixtures.SECRET, config().getValue("db.password", String.class));
    }

    @Test
    void aLateSinkGetsTheBacklogOnceAndAFailingSinkIsSkipped() {
        AuditLog log = new AuditLog(false);
        WorkerContext worker = new WorkerContext("a", null, "t");
        log.emit(new SecretDecrypted(Instant.now(), SecretRef.property("x"), worker));
        log.attach(event -> {
            throw new IllegalStateException("broken sink");
        });
        List<SecretEvent> late = new CopyOnWriteArrayList<>();
        log.attach(late::add);
        log.emit(new SecretDecrypted(Instant.now(), SecretRef.property("y"), worker));
        assertThat(late)
                .extracting(e -> e.ref().property())
                .containsExactly("y"); // the backlog went to the first late sink
        assertThat(LeakGuard.capturedOutput()).contains("audit sink", "failed on a decrypted event");
    }

    @Test
    void auditLinesAreParseableAndQuoteOddValues() {
        String line = AuditLogLine.format(new SecretDecrypted(
                Instant.now(),
                new SecretRef("odd name", null, null, "k=v\"x", null),
                new WorkerContext("app", null, "main")));
        assertEquals("event=decrypted property=\"odd name\" key=\"k=v\\\"x\" outcome=ok app=app thread=main", line);
    }
}
