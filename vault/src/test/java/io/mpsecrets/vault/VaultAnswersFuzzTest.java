package io.mpsecrets.vault;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.exception.SecretException;
import jakarta.json.JsonObject;

/**
 * Fuzz target for Vault's answers: any body is read as a KV version 1 or 2 secret, a KV metadata answer, a token
 * lookup and an error answer; the outcomes are values or {@link SecretException}s, nothing else.
 */
class VaultAnswersFuzzTest {

    private static final SecretRef REF = SecretRef.secret("vault", "secret/orders");

    @FuzzTest(maxDuration = "")
    void answer(byte[] body) {
        VaultJson.errors(body.clone());
        JsonObject json;
        try {
            json = VaultJson.parse(body.clone(), REF);
        } catch (SecretException expected) {
            return;
        }
        try {
            VaultSecretStore.kv2Value(json, REF).destroy();
        } catch (SecretException expected) {
            // typed
        }
        try {
            VaultJson.dataValue(json, REF).destroy();
        } catch (SecretException expected) {
            // typed
        }
        try {
            VaultSecretStore.kv2CurrentVersion(json, REF);
        } catch (SecretException expected) {
            // typed
        }
        try {
            JsonObject data = VaultJson.object(json, "data", REF);
            VaultJson.seconds(data, "ttl", REF);
            VaultJson.bool(data, "renewable", REF);
            JsonObject auth = VaultJson.object(json, "auth", REF);
            VaultJson.string(auth, "client_token", REF);
            VaultJson.seconds(auth, "lease_duration", REF);
        } catch (SecretException expected) {
            // typed
        }
    }
}
