package io.mpsecrets.bench;

import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.config.SecretMarkerFactory;
import io.mpsecrets.config.SecretResolverFactory;
import io.mpsecrets.envelope.EnvelopeEncryptor;
import io.mpsecrets.kms.local.LocalKeyring;
import io.mpsecrets.kms.local.LocalKeyringKms;
import io.mpsecrets.testkit.files.TempDirectory;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/** A keyring in a temporary directory, a value encrypted under it, and configs with and without mp-secrets. */
final class BenchFixture {

    /** A typical secret: a 24-character password. */
    static final String PLAINTEXT = "x9Lw2-bench-secret-value";

    final Path dir;
    final LocalKeyring keyring;
    final String encrypted;

    BenchFixture() {
        // Audit lines go to the io.mpsecrets.audit logger; benchmarks measure the work, not the console.
        Logger.getLogger("io.mpsecrets").setLevel(Level.WARNING);
        dir = TempDirectory.removedAtExit("mpsecrets-bench");
        keyring = LocalKeyring.generate("bench");
        keyring.writeTo(dir.resolve("keyring.json"), false);
        try (EnvelopeEncryptor encryptor = new EnvelopeEncryptor(
                LocalKeyringKms.of(keyring), "local", EncryptionContext.forApplication("default"))) {
            encrypted = encryptor.encrypt(PLAINTEXT.getBytes(StandardCharsets.UTF_8), "db.password");
        }
    }

    Map<String, String> values(boolean cachePlaintext, boolean everyAccess) {
        Map<String, String> values = new HashMap<>();
        values.put("plain.value", PLAINTEXT);
        values.put("db.password", encrypted);
        values.put("mpsecrets.kms.local.keyring", dir.resolve("keyring.json").toString());
        values.put("mpsecrets.cache.plaintext", Boolean.toString(cachePlaintext));
        values.put("mpsecrets.audit.every-access", Boolean.toString(everyAccess));
        return values;
    }

    /**
     * Audit lines go to a handler that drops them, as a fast asynchronous appender would: the benchmark measures
     * building and logging the event, not the console.
     */
    static void auditToNowhere() {
        Logger audit = Logger.getLogger("io.mpsecrets.audit");
        audit.setLevel(Level.INFO);
        audit.setUseParentHandlers(false);
        audit.addHandler(new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {}

            @Override
            public void flush() {}

            @Override
            public void close() {}
        });
    }

    /** SmallRye Config as an application has it without mp-secrets. */
    SmallRyeConfig plainConfig() {
        return new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(values(true, false), "bench", 100))
                .build();
    }

    /** The same with mp-secrets' interceptors, as discovery would add them. */
    SmallRyeConfig mpSecretsConfig(boolean cachePlaintext) {
        return mpSecretsConfig(cachePlaintext, false);
    }

    /** With {@code everyAccess}, each read is an audit event written to the audit logger. */
    SmallRyeConfig mpSecretsConfig(boolean cachePlaintext, boolean everyAccess) {
        return new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withInterceptorFactories(new SecretMarkerFactory())
                .withInterceptorFactories(new SecretResolverFactory())
                .withSources(new PropertiesConfigSource(values(cachePlaintext, everyAccess), "bench", 100))
                .build();
    }
}
