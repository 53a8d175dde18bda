package io.mpsecrets.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import org.eclipse.microprofile.health.Readiness;

/**
 * Adds mp-secrets' health checks as {@code @Readiness @ApplicationScoped} beans. Loaded only once the Health API is
 * known to be present ({@link #available}): its annotations would not resolve otherwise.
 */
public final class HealthRegistration {

    static final String API = "org.eclipse.microprofile.health.HealthCheck";

    private HealthRegistration() {}

    /** Whether the MicroProfile Health API is visible to {@code loader}. */
    public static boolean available(ClassLoader loader) {
        try {
            Class.forName(API, false, loader);
            Class.forName("org.eclipse.microprofile.health.Readiness$Literal", false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    public static void register(BeforeBeanDiscovery event) {
        for (Class<?> check :
                new Class<?>[] {SecretsReadinessCheck.class, SecretsRotationCheck.class, SecretsTlsCheck.class}) {
            event.addAnnotatedType(check, "mpsecrets-" + check.getSimpleName())
                    .add(ApplicationScoped.Literal.INSTANCE)
                    .add(Readiness.Literal.INSTANCE);
        }
    }
}
