package io.mpsecrets.tck.provider;

import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretProvider;
import io.mpsecrets.config.Settings;
import io.mpsecrets.provider.vault.VaultSecretProvider;
import io.mpsecrets.provider.vault.VaultSettings;
import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.WithMockServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** HashiCorp Vault, KV version 2 at {@code secret/}: mp-secrets' Vault client against the mock Vault. */
@WithMockServer
class VaultKv2ContractTest extends SecretProviderContract {

    private final MockServer server;

    VaultKv2ContractTest(MockServer server) {
        this.server = server;
    }

    /** KV data is a JSON object of fields; the contract hands this store JSON objects only ({@link #plainText()}). */
    static Map<String, String> data(String json) {
        Map<String, String> data = new LinkedHashMap<>();
        JsonObject object = Json.createReader(new StringReader(json)).readObject();
        object.forEach((k, v) -> data.put(k, v instanceof JsonString s ? s.getString() : v.toString()));
        return data;
    }

    @Override
    protected SecretProvider provider() {
        Map<String, String> settings = Map.of("mpsecrets.vault.address", server.endpoint().toString(), "mpsecrets.vault.token", "root",
                "mpsecrets.vault.max-attempts", "1");
        return new VaultSecretProvider(VaultSettings.read(new Settings(name -> Optional.ofNullable(settings.get(name))), Map.of()));
    }

    @Override
    protected SecretId put(String name, String text) {
        server.vault().putV2("secret/" + name, data(text));
        return SecretId.of("secret/" + name);
    }

    @Override
    protected boolean plainText() {
        return false;
    }

    @Override
    protected SecretId absent(String name) {
        return SecretId.of("secret/" + name);
    }

    @Override
    protected Optional<SecretId> earlierVersion(SecretId current, String versionId) {
        return Optional.of(new SecretId(current.path(), null, versionId, null));
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
