package io.mpsecrets.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.quarkus.test.QuarkusUnitTest;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An {@code ENC(...)} value on a property Quarkus fixes at build time is refused by the build, naming the property:
 * the build records values as written, so the application would run with the ciphertext.
 */
class BuildTimeFixedEncTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addAsResource(
                    new StringAsset(String.join(
                            "\n",
                            "mpsecrets.app=orders",
                            "mpsecrets.kms.local.keyring=" + RunTimeFixedEncTest.keyring(),
                            "quarkus.application.version=" + RunTimeFixedEncTest.VERSION,
                            "partner.key=${file::partner}",
                            "quarkus.application.name=orders-${file::name}")),
                    "application.properties"))
            .assertException(failure -> {
                assertThat(failure).hasStackTraceContaining("quarkus.application.version");
                assertThat(failure).hasStackTraceContaining("quarkus.application.name");
                assertThat(failure).hasStackTraceContaining("fixed when the application is built");
                assertThat(failure.toString()).doesNotContain("partner.key");
            });

    @Test
    void theBuildFails() {
        fail("the build should have failed");
    }
}
