package io.mpsecrets.tck.store;

import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.WithMockServer;
import java.util.Map;

/** Vault KV version 1 at {@code kv/}: no versions kept, so versions are content hashes. */
@WithMockServer
class VaultKv1ContractTest extends VaultContract {

    VaultKv1ContractTest(MockServer server) {
        super(server, "kv");
    }

    @Override
    protected Map<String, String> variant() {
        return Map.of("mpsecrets.vault.kv1-mounts", "kv");
    }

    @Override
    protected void write(String path, Map<String, String> data) {
        server.vault().putV1(path, data);
    }

    /** The store has VERSIONS, but a KV version 1 mount keeps none. */
    @Override
    protected boolean keepsVersions() {
        return false;
    }
}
