package io.mpsecrets.vault;

import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.backend.Renewal;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.api.exception.SecretAccessDeniedException;
import io.mpsecrets.api.exception.SecretException;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The Vault token a store's (or Transit KMS's) requests carry, through its life: logged in on first use by the
 * configured method (a token given or in a file, checked with {@code lookup-self}; an AppRole or Kubernetes login),
 * renewed with {@code renew-self} once two thirds of its TTL have passed, and logged in again when it cannot be
 * renewed, or when Vault refuses it (403) and the method can give another (a login, a token file an agent rewrites).
 * A fixed token is used until Vault says no. It talks to Vault through an unauthenticated {@link VaultClient}, and
 * is the {@link VaultClient.Credentials} of the authenticated one, so neither class knows the other's job.
 *
 * <p>Concurrency: the token in use is read without a lock; logins and renewals happen under one lock, so that
 * threads finding it due at once log in (or renew) once. The token's id is a secret: it is printed nowhere.
 */
final class VaultToken implements VaultClient.Credentials {

    private final VaultSettings settings;
    private final VaultClient vault;
    private final Object loginLock = new Object();
    private volatile Held held;

    /** A token and when to renew it; {@code renewAt} is null for a token that does not expire. */
    private record Held(String id, Long renewAt, Long expiresAt, boolean renewable) {
        @Override
        public String toString() {
            return "Token[redacted]";
        }
    }

    private VaultToken(VaultSettings settings, VaultClient vault) {
        this.settings = settings;
        this.vault = vault;
    }

    /** A client for {@code settings} whose requests carry a token kept by a new {@code VaultToken}. */
    static VaultClient client(VaultSettings settings) {
        VaultClient unauthenticated = new VaultClient(settings);
        return unauthenticated.authenticated(new VaultToken(settings, unauthenticated));
    }

    /** A usable token: logs in on first use, renews after two thirds of its TTL, logs in again when it must. */
    @Override
    public String token(SecretRef ref) {
        Held current = held;
        long now = System.nanoTime();
        if (current != null && (current.renewAt() == null || now - current.renewAt() < 0)) {
            return current.id();
        }
        synchronized (loginLock) {
            current = held;
            now = System.nanoTime();
            if (current != null && (current.renewAt() == null || now - current.renewAt() < 0)) {
                return current.id();
            }
            if (current != null && current.renewable()) {
                try {
                    Held renewed = fromAuth(renewSelf(current, ref), current.id(), ref);
                    held = renewed;
                    return renewed.id();
                } catch (SecretException e) {
                    if (!canLogIn() && now - current.expiresAt() < 0) {
                        return current.id(); // renewal failed but the token still lives: try again on the next request
                    }
                }
            } else if (current != null && !canLogIn() && now - current.expiresAt() < 0) {
                return current.id(); // a fixed, non-renewable token: use it until Vault says no
            }
            Held fresh = login(ref);
            held = fresh;
            return fresh.id();
        }
    }

    /** Vault refused {@code token}: it is dropped, for a fresh login, unless it is a fixed one. */
    @Override
    public boolean refused(String token) {
        if (!canLogIn()) {
            return false;
        }
        synchronized (loginLock) {
            Held current = held;
            if (current != null && current.id().equals(token)) {
                held = null;
            }
        }
        return true;
    }

    /** Whether the method can give another token: every login can, and a token file, which an agent rewrites. */
    private boolean canLogIn() {
        return !(settings.auth() instanceof VaultSettings.TokenAuth auth)
                || auth.file().isPresent();
    }

    /** One {@code renew-self} with {@code current}; no retry here: the caller falls back to logging in again. */
    private JsonObject renewSelf(Held current, SecretRef ref) {
        VaultClient.Answer answer =
                vault.send("POST", "auth/token/renew-self", null, JsonValue.EMPTY_JSON_OBJECT, current.id());
        if (answer.status() / 100 != 2) {
            throw VaultClient.failure(answer.status(), answer, ref);
        }
        return answer.json(ref);
    }

    private Held login(SecretRef ref) {
        VaultSettings.Auth auth = settings.auth();
        if (auth instanceof VaultSettings.TokenAuth tokenAuth) {
            String id =
                    tokenAuth.token().orElseGet(() -> readFile(tokenAuth.file().orElseThrow(), "token-file"));
            return lookup(id, ref);
        }
        JsonObject body;
        String mount;
        if (auth instanceof VaultSettings.AppRoleAuth appRole) {
            mount = appRole.mount();
            body = Json.createObjectBuilder()
                    .add("role_id", appRole.roleId())
                    .add(
                            "secret_id",
                            appRole.secretId()
                                    .orElseGet(() ->
                                            readFile(appRole.secretIdFile().orElseThrow(), "approle.secret-id-file")))
                    .build();
        } else {
            VaultSettings.KubernetesAuth kubernetes = (VaultSettings.KubernetesAuth) auth;
            mount = kubernetes.mount();
            body = Json.createObjectBuilder()
                    .add("role", kubernetes.role())
                    .add("jwt", readFile(kubernetes.jwtFile(), "kubernetes.jwt-file"))
                    .build();
        }
        SecretRef loginRef = ref.withBackend(VaultSettings.STORE);
        JsonObject answer;
        try {
            answer = vault.post("auth/" + mount + "/login", body, loginRef);
        } catch (ConfigurationException refused) {
            // Vault answers a bad role or secret id with 400.
            throw new SecretAccessDeniedException(
                    loginRef, "Vault refused the " + auth + " login: " + refused.detail(), null);
        }
        JsonObject authBlock = VaultJson.object(answer, "auth", loginRef);
        if (!(authBlock.get("client_token") instanceof JsonString clientToken)) {
            throw new SecretAccessDeniedException(loginRef, "Vault's " + auth + " login gave no token", null);
        }
        return fromAuth(answer, clientToken.getString(), loginRef);
    }

    /** A given token: its TTL and renewability from {@code lookup-self}; treated as not expiring if that is refused. */
    private Held lookup(String id, SecretRef ref) {
        VaultClient.Answer answer = vault.send("GET", "auth/token/lookup-self", null, null, id);
        if (answer.status() == 403) {
            throw new SecretAccessDeniedException(
                    ref, "Vault does not accept the configured token (" + settings.auth() + ")", null);
        }
        if (answer.status() / 100 != 2) {
            return new Held(id, null, null, false);
        }
        JsonObject data = VaultJson.object(answer.json(ref), "data", ref);
        return held(id, VaultJson.seconds(data, "ttl", ref), VaultJson.bool(data, "renewable", ref));
    }

    private static Held fromAuth(JsonObject answer, String id, SecretRef ref) {
        JsonObject auth = VaultJson.object(answer, "auth", ref);
        return held(id, VaultJson.seconds(auth, "lease_duration", ref), VaultJson.bool(auth, "renewable", ref));
    }

    private static Held held(String id, long ttlSeconds, boolean renewable) {
        if (ttlSeconds <= 0) {
            return new Held(id, null, null, renewable);
        }
        long now = System.nanoTime();
        long ttl = TimeUnit.SECONDS.toNanos(ttlSeconds);
        return new Held(id, now + Renewal.dueAfterNanos(ttl), now + ttl, renewable);
    }

    private static String readFile(Path file, String setting) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new ConfigurationException(VaultSettings.PREFIX + setting + ": cannot read " + file + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    @Override
    public String toString() {
        return "VaultToken[" + settings.auth() + "]";
    }
}
