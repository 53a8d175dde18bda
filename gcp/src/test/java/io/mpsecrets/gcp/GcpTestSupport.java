package io.mpsecrets.gcp;

import io.mpsecrets.api.KeyManagementService;
import io.mpsecrets.api.SecretStore;
import io.mpsecrets.api.spi.BackendContext;
import io.mpsecrets.testkit.MockServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Backends built as the runtime builds them (their factories, from settings), against the testkit's mock Google. */
final class GcpTestSupport {

    static final String PROJECT = "orders-prod";
    static final String ACCOUNT = "orders@orders-prod.iam.gserviceaccount.com";
    static final String KEY = "projects/orders-prod/locations/europe-west1/keyRings/mpsecrets/cryptoKeys/data-keys";

    private GcpTestSupport() {}

    /** A context with these settings (pairs of names and values), no environment and the application "orders". */
    static BackendContext context(String name, String prefix, Map<String, String> settings) {
        return new BackendContext() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String prefix() {
                return prefix;
            }

            @Override
            public Optional<String> setting(String setting) {
                return Optional.ofNullable(settings.get(setting)).filter(value -> !value.isBlank());
            }

            @Override
            public Map<String, String> environment() {
                return Map.of();
            }

            @Override
            public String application() {
                return "orders";
            }
        };
    }

    /** The settings of a store and a KMS that reach the mock as {@link #ACCOUNT}, with a key file in {@code dir}. */
    static Map<String, String> settings(MockServer server, Path dir, String... more) {
        Path key;
        try {
            key = server.gcp().auth().serviceAccountKeyFile(dir.resolve("key.json"), ACCOUNT, PROJECT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> settings = new HashMap<>(Map.of(
                "mpsecrets.gcp.endpoint", server.endpoint().toString(),
                "mpsecrets.gcp.credentials-file", key.toString(),
                "mpsecrets.gcp.project", PROJECT,
                "mpsecrets.gcp.timeout", "PT5S",
                "mpsecrets.kms.gcp-kms.endpoint", server.endpoint().toString()));
        for (int i = 0; i < more.length; i += 2) {
            if (more[i + 1] == null) {
                settings.remove(more[i]);
            } else {
                settings.put(more[i], more[i + 1]);
            }
        }
        return settings;
    }

    static SecretStore store(Map<String, String> settings) {
        return new SecretManagerStoreFactory().create(context("gcp", "mpsecrets.gcp.", settings));
    }

    static KeyManagementService kms(Map<String, String> settings) {
        return new CloudKmsFactory().create(context("gcp-kms", "mpsecrets.kms.gcp-kms.", settings));
    }
}
