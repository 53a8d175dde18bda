package io.mpsecrets.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.test.QuarkusDevModeTest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Dev mode with a local keyring: an ENC value is decrypted when the application reads it, and audited. */
class DevModeTest {

    /** The integration tests' ENC value for orders.signing-key, under dev-keyring.json (a copy of theirs). */
    static final String ENCRYPTED =
            "ENC(AQEAEmxvY2FsOnF1YXJrdXMtaXQtMQA9ASPT9_-7bTwMQMs03Qz7liLRk3pnVD9I_PjwxNXxX7bLsOcgX_-PvO"
                    + "VPNOEoO8PycNq2dDQ4Lev4Sw6PRL03ppNyf4JAqecNEwmsw-xHG1stazt0sSo4b36m5C-KM74qcoEL677eNe7Vwfwg"
                    + "SVU6-ptUFiiY_mojrdTDr6o1AIkyGU9RDHwuzUuKBiY)";

    @ApplicationScoped
    public static class ReadsAtStart {
        private static final Logger LOG = Logger.getLogger(ReadsAtStart.class.getName());

        @Inject
        @ConfigProperty(name = "orders.signing-key")
        String signingKey;

        void onStart(@Observes StartupEvent event) {
            LOG.info("orders: signing key ready (" + signingKey.length() + " characters)");
        }
    }

    private static String keyring() {
        try {
            return Path.of(DevModeTest.class.getResource("/dev-keyring.json").toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @RegisterExtension
    static final QuarkusDevModeTest DEV = new QuarkusDevModeTest()
            .withApplicationRoot(jar -> jar.addClass(ReadsAtStart.class)
                    .addAsResource(
                            new StringAsset(String.join(
                                    "\n",
                                    "mpsecrets.app=orders",
                                    "mpsecrets.kms.local.keyring=" + keyring(),
                                    "orders.signing-key=" + ENCRYPTED)),
                            "application.properties"))
            .setLogRecordPredicate(record -> record.getLevel().intValue() >= Level.INFO.intValue());

    @Test
    void theValueIsDecryptedAtRunTimeInDevMode() {
        assertThat(DEV.getLogRecords())
                .anySatisfy(
                        record -> assertThat(record.getMessage()).contains("orders: signing key ready (51 characters)"))
                .anySatisfy(record -> assertThat(record.getMessage())
                        .contains("event=decrypted property=orders.signing-key key=local:quarkus-it-1"));
    }
}
