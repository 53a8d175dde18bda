package io.mpsecrets.examples.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mpsecrets.testkit.MockSecret;
import io.mpsecrets.testkit.leak.LeakGuard;
import java.net.URL;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

// docs/testing.md shows this class as it is: a user's first Arquillian test, on Open Liberty.
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@MockSecret(
        name = "orders/first",
        value = "{\"signing_key\":\"" + FirstLibertyIT.KEY + "\"}",
        property = "tokens.signing-key",
        field = "signing_key") // added to the deployment's config
class FirstLibertyIT {

    static final String KEY = "first-" + LeakGuard.CANARY; // scanned for in the server's logs after the class

    @Deployment(testable = false)
    static WebArchive orders() {
        return AppServer.packagedWar("orders-first", Map.of("mpsecrets.app", "orders"));
    }

    @Test
    void tokensAreSignedWithTheKeyFromSecretsManager(@ArquillianResource URL orders) throws Exception {
        String token = AppServer.json(AppServer.postForm(orders, "api/tokens", "subject=alice")
                        .body())
                .getString("token");
        assertThat(token).endsWith("." + AppServer.expectedSignature(token, KEY));
        assertEquals(200, AppServer.get(orders, "api/status").status());
    }
}
