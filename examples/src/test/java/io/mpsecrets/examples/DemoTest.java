package io.mpsecrets.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's set-up writes a config whose password mp-secrets decrypts, and the app reports it without the value. */
class DemoTest {

    @TempDir
    Path dir;

    @Test
    void setupProducesADecryptableConfigAndTheReportHidesTheValue() throws Exception {
        Path config = dir.resolve("META-INF/microprofile-config.properties");
        DemoSetup.main(new String[] {dir.resolve("keyring.json").toString(), config.toString()});
        SmallRyeConfig smallRye = new SmallRyeConfigBuilder().addDefaultInterceptors().addDiscoveredInterceptors()
                .withSources(new PropertiesConfigSource(config.toUri().toURL(), 100)).build();
        String password = smallRye.getValue("demo.db.password", String.class);
        assertEquals(24, password.length());
        assertFalse(password.startsWith("ENC("));

        HelloSecrets app = new HelloSecrets();
        app.user = smallRye.getValue("demo.db.user", String.class);
        app.password = password;
        String report = app.report();
        assertTrue(report.contains("decrypted and injected"), report);
        assertFalse(report.contains(password));
    }
}
