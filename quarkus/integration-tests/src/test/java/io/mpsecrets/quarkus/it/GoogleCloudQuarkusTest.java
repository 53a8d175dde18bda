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
 * Google Cloud on Quarkus: the application reads a Secret Manager secret through {@code ${gcp::...}} and sees its new
 * version without a restart (the rotation watcher reads version metadata), and decrypts an {@code ENC} value whose
 * data key Cloud KMS wrapped.
 */
@QuarkusTest
@QuarkusTestResource(value = GoogleCloudResource.class, restrictToAnnotatedClass = true)
class GoogleCloudQuarkusTest {

    @Inject
    Config config;

    @Test
    void aSecretManagerSecretIsReadAndItsNewVersionSeenWithoutARestart() throws Exception {
        assertEquals(GoogleCloudResource.FIRST, config.getValue("cloud.gcp-api-key", String.class));
        GoogleCloudResource.secretManager.addVersion(GoogleCloudResource.SECRET, GoogleCloudResource.SECOND);
        long start = System.nanoTime();
        while (!GoogleCloudResource.SECOND.equals(config.getValue("cloud.gcp-api-key", String.class))) {
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("still the first version")
                    .isLessThan(Duration.ofSeconds(10));
            Thread.sleep(50);
        }
    }

    @Test
    void anEncValueWhoseDataKeyCloudKmsWrappedIsDecrypted() {
        assertEquals(GoogleCloudResource.ENCRYPTED, config.getValue("cloud.gcp-encrypted", String.class));
    }
}
