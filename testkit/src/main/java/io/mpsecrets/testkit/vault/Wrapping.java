package io.mpsecrets.testkit.vault;

import io.mpsecrets.testkit.vault.MockVault.VaultError;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Vault's response wrapping: an answer put away under a single-use wrapping token (a request with
 * {@code X-Vault-Wrap-TTL}, or {@code sys/wrapping/wrap}), given back once by {@code sys/wrapping/unwrap} and described
 * by {@code sys/wrapping/lookup} (its creation path, which a careful client checks before it unwraps). A token used
 * or expired is Vault's 400 {@code wrapping token is not valid or does not exist}. At most {@value #MAX} at once
 * (expired ones make room).
 */
final class Wrapping {

    static final int MAX = 10_000;

    /** Vault's answer to a wrapping token it does not have (used, expired, never issued). */
    static final String NOT_VALID = "wrapping token is not valid or does not exist";

    private record Wrapped(JsonObject answer, String creationPath, Instant created, Duration ttl, String accessor) {
        boolean expired(Instant now) {
            return now.isAfter(created.plus(ttl));
        }
    }

    private final ConcurrentHashMap<String, Wrapped> wrapped = new ConcurrentHashMap<>();

    /** Puts {@code answer} away for {@code ttl}: the answer Vault gives instead, with its {@code wrap_info}. */
    JsonObject wrap(JsonObject answer, Duration ttl, String creationPath) throws VaultError {
        if (ttl.isZero() || ttl.isNegative()) {
            throw new VaultError(400, "invalid wrap TTL");
        }
        if (wrapped.size() >= MAX) {
            Instant now = Instant.now();
            wrapped.values().removeIf(w -> w.expired(now));
            if (wrapped.size() >= MAX) {
                throw new VaultError(400, "the mock Vault holds at most " + MAX + " wrapped answers");
            }
        }
        String token = "hvs." + UUID.randomUUID().toString().replace("-", "");
        Wrapped entry = new Wrapped(
                answer, creationPath, Instant.now(), ttl, UUID.randomUUID().toString());
        wrapped.put(token, entry);
        JsonValue auth = answer.get("auth");
        String wrappedAccessor = auth instanceof JsonObject a && a.get("accessor") instanceof jakarta.json.JsonString s
                ? s.getString()
                : "";
        return Json.createObjectBuilder()
                .add("request_id", UUID.randomUUID().toString())
                .add("lease_id", "")
                .add("renewable", false)
                .add("lease_duration", 0)
                .add("data", JsonValue.NULL)
                .add(
                        "wrap_info",
                        Json.createObjectBuilder()
                                .add("token", token)
                                .add("accessor", entry.accessor())
                                .add("ttl", ttl.toSeconds())
                                .add("creation_time", entry.created().toString())
                                .add("creation_path", creationPath)
                                .add("wrapped_accessor", wrappedAccessor))
                .add("warnings", JsonValue.NULL)
                .add("auth", JsonValue.NULL)
                .build();
    }

    /** The wrapped answer, once: the token is spent whatever happens next. */
    JsonObject unwrap(String token) throws VaultError {
        Wrapped entry = token == null ? null : wrapped.remove(token);
        if (entry == null || entry.expired(Instant.now())) {
            throw new VaultError(400, NOT_VALID);
        }
        return entry.answer();
    }

    /** {@code sys/wrapping/lookup}: where and when the token was made, for how long; the token stays unused. */
    JsonObject lookup(String token) throws VaultError {
        Wrapped entry = token == null ? null : wrapped.get(token);
        if (entry == null || entry.expired(Instant.now())) {
            throw new VaultError(400, NOT_VALID);
        }
        return MockVault.envelope(Json.createObjectBuilder()
                .add("creation_path", entry.creationPath())
                .add("creation_time", entry.created().toString())
                .add("creation_ttl", entry.ttl().toSeconds())
                .build());
    }
}
