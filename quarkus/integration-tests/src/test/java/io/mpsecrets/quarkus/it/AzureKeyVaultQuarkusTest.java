package io.mpsecrets.quarkus.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

/**
 * Azure Key Vault on Quarkus: the application reads a Key Vault secret through {@code ${azure::...}} and sees its
 * new version after a rotation without a restart, and an {@code ENC} value whose data key a Key Vault key wrapped.
 */
@QuarkusTest
@QuarkusTestResource(value = AzureResource.class, restrictToAnnotatedClass = true)
class AzureKeyVaultQuarkusTest {

    @Inject
    Config config;

    @Test
    void aKeyVaultSecretIsReadAndItsNewVersionSeenWithoutARestart() throws Exception {
        assertEquals(AzureResource.FIRST, config.getValue("cloud.azure-api-key", String.class));
        AzureResource.azure.vault().setSecret(AzureResource.SECRET, AzureResource.SECOND);
        long start = System.nanoTime();
        while (!AzureResource.SECOND.equals(config.getValue("cloud.azure-api-key", String.class))) {
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("still the first version")
                    .isLessThan(Duration.ofSeconds(10));
            Thread.sleep(50);
        }
    }

    @Test
    void anEncValueWhoseDataKeyKeyVaultWrappedIsDecrypted() {
        assertEquals(AzureResource.ENCRYPTED, config.getValue("cloud.azure-encrypted", String.class));
    }
}
