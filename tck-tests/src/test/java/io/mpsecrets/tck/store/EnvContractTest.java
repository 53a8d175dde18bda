package io.mpsecrets.tck.store;

import io.mpsecrets.api.SecretId;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Environment variables (a map standing in for the process environment, which a test cannot change). */
class EnvContractTest extends SecretStoreContract {

    private final Map<String, String> environment = new ConcurrentHashMap<>();

    @Override
    protected String store() {
        return "env";
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of();
    }

    @Override
    protected Map<String, String> environment() {
        return environment;
    }

    private static String variable(String name) {
        return name.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    @Override
    protected SecretId put(String name, String text) {
        environment.put(variable(name), text);
        return SecretId.of(variable(name));
    }

    @Override
    protected SecretId absent(String name) {
        return SecretId.of(variable(name));
    }
}
