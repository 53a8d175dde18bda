package io.mpsecrets.tck.kms;

import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.WithMockServer;
import java.util.Map;

/** Vault Transit: mp-secrets' Vault client against the testkit's mock Transit engine. */
@WithMockServer
class VaultTransitKmsContractTest extends KmsContract {

    private final MockServer server;
    private final String key = "contract" + System.nanoTime();

    VaultTransitKmsContractTest(MockServer server) {
        this.server = server;
        server.vault().transitKey(key);
    }

    @Override
    protected String kms() {
        return "vault-transit";
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of(
                "mpsecrets.vault.address", server.endpoint().toString(),
                "mpsecrets.vault.token", server.vault().rootToken());
    }

    @Override
    protected String keyId() {
        return "vault-transit:" + key;
    }

    @Override
    protected String absentKeyId() {
        return "vault-transit:absent";
    }
}
