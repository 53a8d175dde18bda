package io.mpsecrets.examples.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mpsecrets.testkit.MockSecret;
import io.mpsecrets.testkit.leak.ExpectsMaskedLogs;
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

/**
 * The orders application logs its signing key by mistake (a message, a parameter, an exception and its cause) on a
 * real server: what the server's log holds is the marker {@code ***tokens.signing-key***}, never the key.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@ExpectsMaskedLogs
@MockSecret(name = MaskedLogIT.SECRET, value = "{\"signing_key\":\"careless-" + LeakGuard.CANARY + "\"}")
class MaskedLogIT {

    static final String SECRET = "orders/careless";
    private static final String MARKER = "***tokens.signing-key***";

    @Deployment(testable = false)
    static WebArchive orders() {
        return AppServer.packagedWar(
                        "orders-careless",
                        Map.of("mpsecrets.app", "orders", "tokens.signing-key", "${aws::" + SECRET + "#signing_key}"))
                .addClass(CarelessResource.class);
    }

    @Test
    void theServersLogHoldsOnlyTheMarker(@ArquillianResource URL orders) throws Exception {
        AppServer.Answer answer = AppServer.postForm(orders, "api/careless", "");
        assertEquals(200, answer.status(), answer.body());

        String log = AppServer.mainLog();
        assertThat(log).contains("signing tokens with " + MARKER);
        assertThat(log).contains("the key is " + MARKER);
        assertThat(log).contains("java.lang.IllegalStateException: bad key " + MARKER);
        assertThat(log).contains("java.lang.IllegalArgumentException: key rejected: " + MARKER);
        LeakGuard.check(log, "the server's log", true);
    }
}
