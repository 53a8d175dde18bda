package io.mpsecrets.examples;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

/**
 * An ordinary CDI application: it injects {@code demo.db.password} with {@code @ConfigProperty} and knows nothing
 * of mp-secrets, whose jar on the class path decrypts the ENC(...) value on injection. It reports what it got,
 * never the value.
 */
@ApplicationScoped
public class HelloSecrets {

    @Inject
    @ConfigProperty(name = "demo.db.user")
    String user;

    @Inject
    @ConfigProperty(name = "demo.db.password")
    String password;

    /** What the application would do with the password: here, only say whether it has a usable one. */
    String report() {
        boolean decrypted = password != null && !password.startsWith("ENC(") && password.length() >= 16;
        return "demo.db.password for user " + user + ": " + (decrypted ? "decrypted and injected" : "NOT decrypted")
                + " (value not shown)";
    }

    public static void main(String[] args) {
        try (WeldContainer container = new Weld().disableDiscovery().addBeanClass(HelloSecrets.class)
                .addExtension(new io.smallrye.config.inject.ConfigExtension()).initialize()) {
            System.out.println(container.select(HelloSecrets.class).get().report());
        }
    }
}
