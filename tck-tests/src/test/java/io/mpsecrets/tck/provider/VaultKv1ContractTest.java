package io.mpsecrets.tck.provider;

import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretProvider;
import io.mpsecrets.config.Settings;
import io.mpsecrets.provider.vault.VaultSecretProvider;
import io.mpsecrets.provider.vault.VaultSettings;
import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.WithMockServer;
import java.util.Map;
import java.util.Optional;

/** HashiCorp Vault, KV version 1 at {@code kv/}: no versions kept, so versions are content hashes. */
@WithMockServer
class VaultKv1ContractTest extends SecretProviderContract {

    private final MockServer server;

    VaultKv1ContractTest(MockServer server) {
        this.server = server;
    }

    @Override
    protected SecretProvider provider() {
        Map<String, String> settings = Map.of("mpsecrets.vault.address", server.endpoint().toString(), "mpsecrets.vault.token", "root",
                "mpsecrets.vault.kv1-mounts", "kv", "mpsecrets.vault.max-attempts", "1");
        return new VaultSecretProvider(VaultSettings.read(new Settings(name -> Optional.ofNullable(settings.get(name))), Map.of()));
    }

    @Override
    protected SecretId put(String name, String text) {
        server.vault().putV1("kv/" + name, VaultKv2ContractTest.data(text));
        return SecretId.of("kv/" + name);
    }

    @Override
    protected boolean plainText() {
        return false;
    }

    @Override
    protected SecretId absent(String name) {
        return SecretId.of("kv/" + name);
    }

    @Override
    protected boolean breakStore() {
        server.vault().seal();
        return true;
    }

    @Override
    protected void repairStore() {
        server.vault().unseal();
    }
}
