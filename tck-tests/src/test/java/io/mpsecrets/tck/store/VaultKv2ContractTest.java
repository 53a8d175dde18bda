package io.mpsecrets.tck.store;

import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.WithMockServer;
import java.util.Map;

/** Vault KV version 2 at {@code secret/}: versions are numbers, and earlier ones stay readable. */
@WithMockServer
class VaultKv2ContractTest extends VaultContract {

    VaultKv2ContractTest(MockServer server) {
        super(server, "secret");
    }

    @Override
    protected void write(String path, Map<String, String> data) {
        server.vault().putV2(path, data);
    }
}
