package io.mpsecrets.quarkus.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mpsecrets.api.event.SecretDecrypted;
import io.mpsecrets.api.event.SecretRotated;
import io.mpsecrets.config.ConfigRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.time.Duration;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

/**
 * The orders application on Quarkus with the mp-secrets extension: values decrypted on injection at run time
 * (the build read them without a keyring), store references resolved and rotated, audit events observed through
 * ArC.
 */
@QuarkusTest
@QuarkusTestResource(MockServicesResource.class)
class QuarkusSecretsTest {

    @Inject
    OrdersSecrets secrets;

    @Inject
    AuditTrail audit;

    @Inject
    Config config;

    @Test
    void anEncValueUnderTheLocalKeyringIsDecryptedForItsProperty() {
        assertEquals(MockServicesResource.SIGNING_KEY, secrets.signingKey());
        assertEquals("hello", config.getValue("orders.greeting", String.class));
    }

    @Test
    void anEncValueWhoseDataKeyAwsKmsWrappedIsDecryptedThroughTheMock() {
        assertEquals(MockServicesResource.KMS_SIGNING_KEY, secrets.kmsSigningKey());
    }

    @Test
    void theApplicationsObserverSeesTheEventsWithNamesOnly() {
        secrets.signingKey();
        assertThat(audit.events())
                .filteredOn(e -> e instanceof SecretDecrypted)
                .extracting(e -> e.attributes().get("property"))
                .contains("orders.signing-key", "orders.kms-signing-key");
        assertThat(audit.events()).allSatisfy(e -> assertThat(e.toString()).doesNotContain("canary"));
        assertThat(audit.events())
                .anySatisfy(e -> assertEquals("orders", e.attributes().get("app")));
    }

    @Test
    void aRotatedStoreSecretIsSeenThroughTheSupplier() throws Exception {
        assertEquals(MockServicesResource.PARTNER_KEY, secrets.partnerKey());
        String next = "partner-2-" + io.mpsecrets.testkit.leak.LeakGuard.CANARY;
        Files.writeString(MockServicesResource.secrets.resolve("partner"), next);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!next.equals(secrets.partnerKey()) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(next, secrets.partnerKey());
        // The watcher emits the rotation after the swap a reader may already have seen, on its own thread.
        while (audit.events().stream().noneMatch(e -> e instanceof SecretRotated) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(audit.events()).anySatisfy(e -> {
            assertThat(e).isInstanceOf(SecretRotated.class);
            assertEquals("partner.api-key", e.attributes().get("property"));
        });
    }

    @Test
    void aStoreListedAsASourceServesItsSecretsAsProperties() {
        assertEquals(MockServicesResource.VENDOR_KEY, config.getValue("vendor", String.class));
    }

    @Test
    void theRuntimeIsTheInterceptorsNotThePortableSource() {
        assertThat(ConfigRegistry.runtimeOf(config)).isPresent();
        assertThat(config.getConfigSources())
                .noneMatch(source -> source.getName().startsWith("mp-secrets (portable)"));
    }
}
