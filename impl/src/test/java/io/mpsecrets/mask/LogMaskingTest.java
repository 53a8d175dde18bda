package io.mpsecrets.mask;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpsecrets.kms.local.LocalKeyring;
import io.mpsecrets.testing.Fixtures;
import io.mpsecrets.testing.MpConfigs;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.smallrye.config.SmallRyeConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application that logs its own secret by mistake, through java.util.logging as servers route it: in a message,
 * as a parameter, in an exception's message and its cause's, URL-encoded in a connection URL. What the handler
 * writes holds only markers. Built as an application's config is, from properties, with an {@code ENC} value and a
 * file store.
 */
class LogMaskingTest {

    private static final Logger APPLICATION = Logger.getLogger("org.example.orders");

    @TempDir
    Path dir;

    private final MpConfigs configs = new MpConfigs();
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private final Filter ownFilter = record -> !record.getMessage().startsWith("DROP");
    private StreamHandler handler;

    @BeforeEach
    void handler() {
        LeakGuard.expectMasked();
        handler = new StreamHandler(written, new SimpleFormatter());
        handler.setFilter(ownFilter);
        Logger.getLogger("").addHandler(handler);
    }

    @AfterEach
    void close() {
        configs.close();
        Logger.getLogger("").removeHandler(handler);
    }

    private String logged() {
        handler.flush();
        return written.toString(StandardCharsets.UTF_8);
    }

    private SmallRyeConfig config(Map<String, String> extra) {
        LocalKeyring keyring = LocalKeyring.generate("dev");
        Path keyringFile = dir.resolve("keyring-" + configs.hashCode() + "-" + System.nanoTime() + ".json");
        keyring.writeTo(keyringFile, false);
        Map<String, String> values = new HashMap<>(extra);
        values.put("mpsecrets.kms.local.keyring", keyringFile.toString());
        values.put("db.password", Fixtures.encrypt(keyring, "pw-" + LeakGuard.CANARY + " &x", "db.password"));
        values.put("mpsecrets.sources", "file");
        values.put("mpsecrets.file.dir", dir.resolve("store").toString());
        values.put("mpsecrets.file.ttl", "PT1H");
        return configs.build(values);
    }

    private void store(String name, String value) throws IOException {
        Files.createDirectories(dir.resolve("store"));
        Path temp = Files.createTempFile(dir, ".write", ".tmp");
        Files.writeString(temp, value);
        Files.move(temp, dir.resolve("store").resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void theApplicationsOwnMistakesReachTheLogOnlyAsMarkers() throws IOException {
        store("api-token", "tok-" + LeakGuard.CANARY);
        SmallRyeConfig config = config(Map.of());
        String password = config.getValue("db.password", String.class);
        String token = config.getValue("api-token", String.class);

        APPLICATION.info("connecting with password " + password);
        APPLICATION.log(Level.INFO, "calling the API with {0}", token);
        APPLICATION.log(
                Level.WARNING,
                "login failed",
                new IllegalStateException(
                        "refused: " + token, new SQLException("password authentication failed: " + password)));
        APPLICATION.info(
                "jdbc:postgresql://db/orders?password=" + java.net.URLEncoder.encode(password, StandardCharsets.UTF_8));
        APPLICATION.info("DROP this line, it is the handler's own filter's to drop " + password);

        String log = logged();
        assertThat(log)
                .contains("connecting with password ***db.password***")
                .contains("calling the API with ***api-token***")
                .contains("java.lang.IllegalStateException: refused: ***api-token***")
                .contains("Caused by: java.sql.SQLException: password authentication failed: ***db.password***")
                .contains("orders?password=***db.password***")
                .doesNotContain("DROP");
        LeakGuard.check(log, "the application's log");
        // The application's own exception is left as it was; only the record's copy is masked.
        assertThat(handler.getFilter()).isInstanceOf(MaskingFilter.class);
    }

    @Test
    void duringTheGraceBothTheOldAndTheNewValueAreMasked() throws IOException {
        store("api-token", "old-" + LeakGuard.CANARY);
        SmallRyeConfig config =
                config(Map.of("mpsecrets.rotation.grace", "PT1H", "mpsecrets.rotation.interval", "PT1H"));
        String old = config.getValue("api-token", String.class);
        store("api-token", "new-" + LeakGuard.CANARY);
        configs.runtime(0).stores().checkRotation();
        String current = config.getValue("api-token", String.class);
        assertThat(current).isNotEqualTo(old);

        APPLICATION.info("still holding " + old + " and now " + current);
        assertThat(logged()).contains("still holding ***api-token*** and now ***api-token***");
    }

    /** As Open Liberty's root handler: it publishes whatever it is given, without asking its filter. */
    private static final class FilterIgnoringHandler extends java.util.logging.Handler {
        final StringBuilder published = new StringBuilder();

        @Override
        public void publish(java.util.logging.LogRecord record) {
            published.append(new SimpleFormatter().format(record));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }

    @Test
    void aHandlerThatIgnoresFiltersIsWrappedOnItsLoggerAndGivenBackAtTheEnd() throws IOException {
        FilterIgnoringHandler ignoring = new FilterIgnoringHandler();
        Logger root = Logger.getLogger("");
        root.addHandler(ignoring);
        try {
            store("api-token", "tok-" + LeakGuard.CANARY);
            String token = config(Map.of()).getValue("api-token", String.class);
            assertThat(root.getHandlers()).doesNotContain(ignoring).anyMatch(h -> h instanceof MaskingHandler);

            APPLICATION.log(Level.SEVERE, "token {0}", token);
            assertThat(ignoring.published.toString()).contains("token ***api-token***");
            LeakGuard.check(ignoring.published.toString(), "a handler that ignores filters");

            configs.close();
            assertThat(root.getHandlers()).contains(ignoring).noneMatch(h -> h instanceof MaskingHandler);
        } finally {
            root.removeHandler(ignoring);
        }
    }

    @Test
    void withMaskingOffNoFilterIsInstalledAndClosingTheLastRuntimeTakesItsFilterOut() throws IOException {
        store("api-token", "tok-" + LeakGuard.CANARY);
        SmallRyeConfig off = config(Map.of("mpsecrets.mask.logs", "false"));
        off.getValue("api-token", String.class);
        assertThat(handler.getFilter()).isSameAs(ownFilter);
        configs.close();

        SmallRyeConfig on = config(Map.of());
        on.getValue("api-token", String.class);
        assertThat(handler.getFilter()).isInstanceOf(MaskingFilter.class);
        configs.close();
        assertThat(handler.getFilter()).isSameAs(ownFilter);
    }
    /** A bean the failing application below needs. */
    @jakarta.enterprise.context.Dependent
    public static class SomeBean {}

    /**
     * An application that fails its start-up validation (a plaintext secret under {@code mpsecrets.validate=fail})
     * read its values while validating; the container fires no BeforeShutdown for it, so mp-secrets closes its runtime
     * itself: no mask of it stays on the server's handlers (it stayed, with the values, until the JVM ended).
     */
    @Test
    void anApplicationThatFailsToStartLeavesNoMaskRunning() throws IOException {
        Files.createDirectories(dir.resolve("store"));
        int before = LogMasking.running();
        SmallRyeConfig failing =
                config(Map.of("mpsecrets.validate", "fail", "mail.password", "plain-" + LeakGuard.CANARY));
        org.junit.jupiter.api.Assertions.assertThrows(
                Throwable.class,
                () -> io.mpsecrets.testing.WeldApplication.start(failing, SomeBean.class)
                        .close());
        assertThat(LogMasking.running())
                .as("masks running after the failed start")
                .isEqualTo(before);
    }
}
