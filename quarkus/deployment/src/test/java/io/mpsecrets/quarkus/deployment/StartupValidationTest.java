package io.mpsecrets.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.quarkus.test.QuarkusUnitTest;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code mpsecrets.validate=fail} on Quarkus: an application whose config file holds a password in plain text, a
 * placeholder at that, does not start, and the reason names the property, never the value.
 */
class StartupValidationTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addAsResource(
                    new StringAsset(String.join(
                            "\n",
                            "mpsecrets.validate=fail",
                            "db.password=changeme-placeholder",
                            "quarkus.arc.remove-unused-beans=false")),
                    "application.properties"))
            .assertException(failure -> {
                assertThat(failure).hasStackTraceContaining("mpsecrets.validate=fail");
                assertThat(failure).hasStackTraceContaining("db.password");
                assertThat(failure.toString()).doesNotContain("changeme-placeholder");
            });

    @Test
    void theApplicationDoesNotStart() {
        fail("the application should not have started");
    }
}
