package io.mpsecrets.tck.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpsecrets.api.spi.SecretStoreFactory;
import io.mpsecrets.runtime.SecretReference;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The stores a reference always belongs to mp-secrets for ({@link SecretReference#SHIPPED_STORES}) are exactly the
 * stores mp-secrets ships: every module's store factory is on this module's class path, so a new store that is not
 * named there (as {@code ssm} was not) fails here.
 */
class ShippedStoresTest {

    @Test
    void theShippedStoresAreEveryStoreFactoryMpSecretsShips() {
        Set<String> shipped = ServiceLoader.load(SecretStoreFactory.class).stream()
                .filter(provider -> provider.type().getName().startsWith("io.mpsecrets."))
                .map(provider -> provider.get().name())
                .collect(Collectors.toSet());
        assertThat(shipped).contains("file", "env", "aws", "ssm", "vault", "azure", "gcp");
        assertThat(SecretReference.SHIPPED_STORES).containsExactlyInAnyOrderElementsOf(shipped);
    }
}
