package io.mpsecrets.quarkus.it;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** What the orders application injects, knowing nothing of mp-secrets. */
@ApplicationScoped
public class OrdersSecrets {

    @Inject
    @ConfigProperty(name = "orders.signing-key")
    String signingKey;

    @Inject
    @ConfigProperty(name = "orders.kms-signing-key")
    String kmsSigningKey;

    /** A store secret that rotates: read through the supplier each time. */
    @Inject
    @ConfigProperty(name = "partner.api-key")
    Supplier<String> partnerKey;

    public String signingKey() {
        return signingKey;
    }

    public String kmsSigningKey() {
        return kmsSigningKey;
    }

    public String partnerKey() {
        return partnerKey.get();
    }
}
