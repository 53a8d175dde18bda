package io.mpsecrets.store.env;

import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.SecretStore;
import io.mpsecrets.api.SecretValue;
import io.mpsecrets.api.backend.ContentVersion;
import io.mpsecrets.api.exception.SecretNotFoundException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Environment variables as a secret store, for development parity with the stores used in production:
 * {@code ${env::DB_CREDENTIALS#password}} reads a field of a JSON value like {@code ${aws::prod/db#password}} does.
 */
public final class EnvSecretStore implements SecretStore {

    public static final String NAME = "env";

    private final Map<String, String> environment;

    public EnvSecretStore(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SecretValue fetch(SecretId id) {
        if (id.pinned()) {
            throw new SecretNotFoundException(
                    SecretRef.secret(NAME, id.toString()), "an environment variable has only its current value");
        }
        String value = environment.get(id.path());
        if (value == null) {
            throw new SecretNotFoundException(SecretRef.secret(NAME, id.path()), "no such environment variable");
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        try {
            return SecretValue.of(bytes, ContentVersion.of(bytes), null);
        } finally {
            java.util.Arrays.fill(bytes, (byte) 0);
        }
    }
}
