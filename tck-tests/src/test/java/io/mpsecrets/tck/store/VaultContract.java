package io.mpsecrets.tck.store;

import io.mpsecrets.api.SecretId;
import io.mpsecrets.testkit.MockServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.StringReader;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HashiCorp Vault's KV engine, mp-secrets' Vault client against the mock Vault. KV data is a JSON object of
 * fields, so the contract hands this store JSON objects only ({@link #plainText()}); an outage is a sealed Vault.
 */
abstract class VaultContract extends SecretStoreContract {

    protected final MockServer server;
    private final String mount;

    VaultContract(MockServer server, String mount) {
        this.server = server;
        this.mount = mount;
    }

    /** Extra settings of the variant under test (e.g. which mounts are KV version 1). */
    protected Map<String, String> variant() {
        return Map.of();
    }

    /** Writes {@code data} at {@code path} ({@code <mount>/<name>}) the way the variant's engine stores it. */
    protected abstract void write(String path, Map<String, String> data);

    @Override
    protected String store() {
        return "vault";
    }

    @Override
    protected Map<String, String> settings() {
        Map<String, String> settings = new HashMap<>(variant());
        settings.put("mpsecrets.vault.address", server.endpoint().toString());
        settings.put("mpsecrets.vault.token", "root");
        settings.put("mpsecrets.vault.max-attempts", "1");
        return settings;
    }

    @Override
    protected SecretId put(String name, String json) {
        Map<String, String> data = new LinkedHashMap<>();
        JsonObject object = Json.createReader(new StringReader(json)).readObject();
        object.forEach((k, v) -> data.put(k, v instanceof JsonString s ? s.getString() : v.toString()));
        write(mount + "/" + name, data);
        return SecretId.of(mount + "/" + name);
    }

    @Override
    protected SecretId absent(String name) {
        return SecretId.of(mount + "/" + name);
    }

    @Override
    protected boolean plainText() {
        return false;
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
