package io.mpsecrets.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.mpsecrets.testkit.leak.LeakGuard;
import io.quarkus.test.QuarkusUnitTest;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.logging.Level;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A build-time-fixed property set at run time to an {@code ENC(...)} value (from the environment, say) is never
 * decrypted: Quarkus compares it with the value the build fixed and its warning quotes the run-time value, which
 * would be the plaintext. The start fails instead, naming the property.
 */
class RunTimeFixedEncTest {

    /** {@link LeakGuard#CANARY} encrypted for quarkus.application.version, application orders, dev-keyring.json. */
    static final String VERSION = "ENC(AQEAEmxvY2FsOnF1YXJrdXMtaXQtMQA9AcweBT-wGoezEtLBTVIjKludRlxu5iTMoApiDkSGnocm"
            + "Pu0B55e_f_G02dhfFk5jmqtrRU2zaxpxRN9sm7lGiKGdDzEWRlZHJjevJfdurCWXN5PSB7_4Sbxx3nMW"
            + "sCoxMbAdtZKgehZ5jIgkBDuwcEBKBbFkrALUbNwJyv8)";

    static String keyring() {
        try {
            return Path.of(RunTimeFixedEncTest.class
                            .getResource("/dev-keyring.json")
                            .toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @RegisterExtension
    static final QuarkusUnitTest APP = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addAsResource(
                    new StringAsset(String.join(
                            "\n",
                            "mpsecrets.app=orders",
                            "mpsecrets.kms.local.keyring=" + keyring(),
                            "quarkus.application.version=1.0")),
                    "application.properties"))
            .overrideRuntimeConfigKey("quarkus.application.version", VERSION)
            .setLogRecordPredicate(record -> record.getLevel().intValue() >= Level.FINE.intValue())
            .assertLogRecords(records -> records.forEach(record -> {
                assertThat(String.valueOf(record.getMessage())).doesNotContain(LeakGuard.CANARY);
                assertThat(String.valueOf(record.getThrown())).doesNotContain(LeakGuard.CANARY);
            }))
            .assertException(failure -> {
                assertThat(failure).hasStackTraceContaining("quarkus.application.version");
                assertThat(failure).hasStackTraceContaining("fixed when the application is built");
                LeakGuard.assertNoLeak(failure);
            });

    @Test
    void theApplicationDoesNotStart() {
        fail("the application should not have started with a secret on a build-time-fixed property");
    }
}
