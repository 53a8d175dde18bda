package io.mpsecrets.testkit;

/** Creates what a test class declares with {@link MockKey} and {@link MockSecret}, once per server and class. */
public final class MockDeclarations {

    private MockDeclarations() {}

    /** The properties the declared secrets name ({@link MockSecret#property}), each valued with its reference. */
    public static java.util.Map<String, String> properties(Class<?> testClass) {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        for (MockSecret secret : testClass.getAnnotationsByType(MockSecret.class)) {
            if (!secret.property().isEmpty()) {
                out.put(
                        secret.property(),
                        "${aws::" + secret.name() + (secret.field().isEmpty() ? "" : "#" + secret.field()) + "}");
            }
        }
        return out;
    }

    /** Creates the declared keys and secrets that {@code server} does not have yet. */
    public static void apply(MockServer server, Class<?> testClass) {
        for (MockKey key : testClass.getAnnotationsByType(MockKey.class)) {
            if (server.kms().keyArnForAlias(key.alias()).isEmpty()) {
                server.kms().createKeyWithAlias(key.alias());
            }
        }
        for (MockSecret secret : testClass.getAnnotationsByType(MockSecret.class)) {
            if (!server.secretsManager().exists(secret.name())) {
                server.secretsManager().createSecret(secret.name(), secret.value());
            }
        }
    }
}
