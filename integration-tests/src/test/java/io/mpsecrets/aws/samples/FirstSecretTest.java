package io.mpsecrets.aws.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mpsecrets.cdi.MpSecretsExtension;
import io.mpsecrets.testkit.MockSecret;
import io.mpsecrets.testkit.MockSecrets;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.smallrye.config.inject.ConfigExtension;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;

// docs/testing.md shows this class as it is: a user's first test, in Weld SE.
@MockSecrets // mock AWS KMS, Secrets Manager and Vault on a free port; mp-secrets' settings point at them
@MockSecret(
        name = "orders/db",
        value = "{\"password\":\"" + FirstSecretTest.PASSWORD + "\"}",
        property = "db.password",
        field = "password") // db.password=${aws::orders/db#password}
class FirstSecretTest {

    static final String PASSWORD = "s3cr3t-" + LeakGuard.CANARY; // the leak guard fails the test if it leaks

    @Dependent
    public static class Database {
        @Inject
        @ConfigProperty(name = "db.password")
        String password;
    }

    @Test
    void theBeanGetsThePasswordFromSecretsManager() {
        try (WeldContainer app = new Weld()
                .disableDiscovery()
                .addExtension(new ConfigExtension())
                .addExtension(new MpSecretsExtension())
                .addBeanClasses(Database.class)
                .initialize()) {
            assertEquals(PASSWORD, app.select(Database.class).get().password);
        }
    }
}
