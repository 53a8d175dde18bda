package io.mpsecrets.testkit.vault;

import static io.mpsecrets.testkit.vault.MockVault.string;

import io.mpsecrets.testkit.vault.MockVault.VaultError;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The mock Vault's tokens: the root token, those made through the Java API, by logins and by {@code
 * auth/token/create} (Vault's rules: {@link #create}); how Vault describes one ({@code lookup-self}, the {@code auth}
 * of an answer). At most {@value #MAX} at once (expired ones make room).
 */
final class VaultTokens {

    static final int MAX = 100_000;

    /** A token's TTL when none is asked: a dev server's system default, 768 h. */
    static final Duration DEFAULT_TTL = Duration.ofHours(768);

    /** What {@link #create} refuses rather than ignore: parameters for token kinds the mock does not have. */
    private static final List<String> UNSUPPORTED =
            List.of("id", "period", "explicit_max_ttl", "lease", "entity_alias", "role_name", "num_uses");

    private static final Set<String> TYPES = Set.of("", "service", "default", "default-service");

    /**
     * A token; its expiry (null: never) moves with renewals, never past its max TTL ({@code maxExpires}, null: none).
     * It belongs to the namespace it was made in ({@code ""}: the root namespace), and is good there and below.
     */
    static final class Token {
        final String id;
        final String accessor;
        final List<String> policies;
        final Duration ttl;
        final boolean renewable;
        final String displayName;
        final Map<String, String> meta;
        final Instant issued;
        final String path;
        final String namespace;
        final Instant maxExpires;
        volatile Instant expires;
        /** The TTL of the last grant (the login's, or a renewal's, which the max TTL may cut short). */
        volatile Duration granted;

        Token(
                String id,
                String accessor,
                List<String> policies,
                Duration ttl,
                Instant expires,
                boolean renewable,
                String displayName,
                Map<String, String> meta,
                Instant issued,
                String path) {
            this(id, accessor, policies, ttl, expires, renewable, displayName, meta, issued, path, "", null);
        }

        Token(
                String id,
                String accessor,
                List<String> policies,
                Duration ttl,
                Instant expires,
                boolean renewable,
                String displayName,
                Map<String, String> meta,
                Instant issued,
                String path,
                String namespace,
                Instant maxExpires) {
            this.id = id;
            this.accessor = accessor;
            this.policies = List.copyOf(policies);
            this.ttl = ttl;
            this.expires = expires;
            this.renewable = renewable;
            this.displayName = displayName;
            this.meta = Map.copyOf(meta);
            this.issued = issued;
            this.path = path;
            this.namespace = namespace;
            this.maxExpires = maxExpires;
            this.granted = expires == null ? Duration.ZERO : Duration.between(issued, expires);
        }

        boolean expired(Instant now) {
            Instant end = expires;
            return end != null && now.isAfter(end);
        }

        /**
         * Whether the token may be used in {@code requestNamespace}: Vault takes a token in the namespace it was made
         * in and in the namespaces below it.
         */
        boolean usableIn(String requestNamespace) {
            return namespace.isEmpty()
                    || namespace.equals(requestNamespace)
                    || requestNamespace.startsWith(namespace + "/");
        }

        /**
         * {@code renew-self}: a new TTL of {@code increment} (the token's own TTL when zero), cut at the max TTL;
         * what was granted.
         */
        Duration renew(Duration increment) {
            Instant now = Instant.now();
            Instant end = now.plus(increment.isZero() ? ttl : increment);
            if (maxExpires != null && end.isAfter(maxExpires)) {
                end = maxExpires;
            }
            expires = end;
            granted = Duration.between(now, end);
            return granted;
        }
    }

    private final ConcurrentHashMap<String, Token> tokens = new ConcurrentHashMap<>();
    private final String rootId;

    VaultTokens(String rootId) {
        this.rootId = rootId;
        putRoot();
    }

    private void putRoot() {
        tokens.put(
                rootId,
                new Token(
                        rootId,
                        UUID.randomUUID().toString(),
                        List.of("root"),
                        Duration.ZERO,
                        null,
                        false,
                        "root",
                        Map.of(),
                        Instant.now(),
                        "auth/token/root"));
    }

    /** The token, or null when there is none by that id. */
    Token get(String id) {
        return id == null ? null : tokens.get(id);
    }

    void revoke(Token token) {
        tokens.remove(token.id);
    }

    /** The ids of the live tokens made at {@code path} (a login's), oldest first. */
    List<String> from(String path) {
        Instant now = Instant.now();
        return tokens.values().stream()
                .filter(t -> t.path.equals(path) || t.path.startsWith(path + "/"))
                .filter(t -> !t.expired(now))
                .sorted(java.util.Comparator.comparing((Token t) -> t.issued))
                .map(t -> t.id)
                .toList();
    }

    /** Revokes the token by that id; whether there was one. */
    boolean revoke(String id) {
        return id != null && !id.equals(rootId) && tokens.remove(id) != null;
    }

    /** A token as the Java API makes one: not counted against the bound (a test makes a few). */
    Token issue(
            List<String> policyNames,
            Duration ttl,
            boolean renewable,
            String displayName,
            Map<String, String> meta,
            String path) {
        String id = "hvs." + UUID.randomUUID().toString().replace("-", "");
        Instant now = Instant.now();
        Token token = new Token(
                id,
                UUID.randomUUID().toString(),
                policyNames,
                ttl,
                ttl.isZero() ? null : now.plus(ttl),
                renewable,
                displayName,
                meta,
                now,
                path);
        tokens.put(id, token);
        return token;
    }

    /** A token a login gives, within the bound. */
    Token login(List<String> policyNames, Duration ttl, String method, String path) throws VaultError {
        return login(policyNames, ttl, null, method, path, Map.of(), "");
    }

    /**
     * A token a login gives, within the bound: in {@code namespace}, living at most {@code maxTtl} (null: no max TTL)
     * however often it is renewed.
     */
    Token login(
            List<String> policyNames,
            Duration ttl,
            Duration maxTtl,
            String method,
            String path,
            Map<String, String> meta,
            String namespace)
            throws VaultError {
        room();
        Instant now = Instant.now();
        Instant max = maxTtl == null || maxTtl.isZero() ? null : now.plus(maxTtl);
        Instant expires = ttl.isZero() ? max : now.plus(ttl);
        if (max != null && expires.isAfter(max)) {
            expires = max;
        }
        String id = "hvs." + UUID.randomUUID().toString().replace("-", "");
        Token token = new Token(
                id,
                UUID.randomUUID().toString(),
                withDefault(policyNames, false),
                ttl.isZero() && max != null ? maxTtl : ttl,
                expires,
                expires != null,
                method,
                meta,
                now,
                path,
                namespace,
                max);
        tokens.put(id, token);
        return token;
    }

    /**
     * {@code auth/token/create}, as {@code vault token create} sends it: {@code policies} (a list, or names
     * separated by commas), {@code ttl}, {@code renewable}, {@code no_default_policy}, {@code display_name},
     * {@code meta}, {@code no_parent}. Vault's rules: no policies asked, the parent's; a token that is not root may
     * give only policies it has itself; {@code default} added unless refused; without a TTL a root child never expires
     * and another lives 768 h. What the mock does not do ({@code num_uses}, {@code period}, {@code explicit_max_ttl},
     * {@code id}, batch tokens, roles) is refused rather than ignored.
     */
    JsonObject create(JsonObject body, Token parent) throws VaultError {
        for (String unsupported : UNSUPPORTED) {
            JsonValue value = body.get(unsupported);
            if (value != null
                    && value != JsonValue.NULL
                    && !(value instanceof JsonString text && text.getString().isEmpty())
                    && !(value instanceof JsonNumber number && number.doubleValue() == 0)) {
                throw new VaultError(400, "the mock Vault does not implement " + unsupported + " on tokens");
            }
        }
        String type = string(body, "type");
        if (type != null && !TYPES.contains(type)) {
            throw new VaultError(400, "the mock Vault does not implement " + printable(type) + " tokens");
        }
        List<String> asked = names(body.get("policies"));
        if (asked.isEmpty()) {
            asked = parent.policies.stream().filter(p -> !p.equals("default")).toList();
        }
        if (!parent.policies.contains("root")) {
            for (String name : asked) {
                if (!name.equals("default") && !parent.policies.contains(name)) {
                    throw new VaultError(400, "child policies must be subset of parent");
                }
            }
        }
        List<String> names = withDefault(asked, body.get("no_default_policy") == JsonValue.TRUE);
        JsonValue ttlValue = body.get("ttl");
        Duration ttl = ttlValue == null
                        || ttlValue == JsonValue.NULL
                        || (ttlValue instanceof JsonString text
                                && text.getString().isEmpty())
                ? Duration.ZERO
                : MockDatabase.duration(ttlValue, Duration.ZERO);
        if (ttl.isZero() && !names.contains("root")) {
            ttl = DEFAULT_TTL;
        }
        Map<String, String> meta = new LinkedHashMap<>();
        if (body.get("meta") instanceof JsonObject given) {
            if (given.size() > 64) {
                throw new VaultError(400, "the mock Vault takes at most 64 meta entries");
            }
            given.forEach(
                    (key, value) -> meta.put(key, value instanceof JsonString s ? s.getString() : value.toString()));
        }
        String displayName = string(body, "display_name");
        room();
        Token token = issue(
                names,
                ttl,
                !ttl.isZero() && body.get("renewable") != JsonValue.FALSE,
                displayName == null || displayName.isEmpty()
                        ? "token"
                        : "token-" + printable(displayName).replaceAll("[^A-Za-z0-9_-]", "-"),
                meta,
                "auth/token/create");
        return Json.createObjectBuilder()
                .add("request_id", UUID.randomUUID().toString())
                .add("lease_id", "")
                .add("renewable", false)
                .add("lease_duration", 0)
                .add("data", JsonValue.NULL)
                .add("wrap_info", JsonValue.NULL)
                .add("warnings", JsonValue.NULL)
                .add("auth", auth(token))
                .build();
    }

    /**
     * Policy names as Vault gives them to a token: lower-cased, sorted, without repeats, with {@code default} unless
     * asked not to or the token is a root token.
     */
    static List<String> withDefault(List<String> names, boolean noDefault) {
        TreeSet<String> out = new TreeSet<>();
        for (String name : names) {
            String trimmed = name.trim().toLowerCase(Locale.ROOT);
            if (!trimmed.isEmpty()) {
                out.add(trimmed);
            }
        }
        if (out.contains("root")) {
            return List.of("root");
        }
        if (!noDefault) {
            out.add("default");
        }
        return List.copyOf(out);
    }

    /** A list of names as Vault takes one: a JSON list of strings, or one string of names separated by commas. */
    private static List<String> names(JsonValue value) throws VaultError {
        List<String> out = new ArrayList<>();
        if (value == null || value == JsonValue.NULL) {
            return out;
        }
        if (value instanceof JsonString text) {
            out.addAll(List.of(text.getString().split(",")));
        } else if (value instanceof JsonArray array) {
            for (JsonValue one : array) {
                if (!(one instanceof JsonString text)) {
                    throw new VaultError(400, "policies must be a list of names");
                }
                out.add(text.getString());
            }
        } else {
            throw new VaultError(400, "policies must be a list of names");
        }
        if (out.size() > MockVault.MAX_POLICIES) {
            throw new VaultError(400, "the mock Vault gives a token at most " + MockVault.MAX_POLICIES + " policies");
        }
        return out.stream()
                .map(name -> name.trim().toLowerCase(Locale.ROOT))
                .filter(name -> !name.isEmpty())
                .toList();
    }

    /** Keeps the table bounded: expired tokens go first; past the bound, a 400. */
    private void room() throws VaultError {
        if (tokens.size() < MAX) {
            return;
        }
        Instant now = Instant.now();
        tokens.values().removeIf(t -> t.expired(now));
        if (tokens.size() >= MAX) {
            throw new VaultError(400, "the mock Vault holds at most " + MAX + " tokens");
        }
    }

    /** A token as {@code lookup-self} describes it. */
    static JsonObject describe(Token token) {
        Instant end = token.expires;
        return Json.createObjectBuilder()
                .add("accessor", token.accessor)
                .add("creation_time", token.issued.getEpochSecond())
                .add("creation_ttl", token.ttl.toSeconds())
                .add("display_name", token.displayName)
                .add("entity_id", "")
                .add("expire_time", end == null ? JsonValue.NULL : Json.createValue(end.toString()))
                .add(
                        "explicit_max_ttl",
                        token.maxExpires == null
                                ? 0
                                : Duration.between(token.issued, token.maxExpires)
                                        .toSeconds())
                .add("id", token.id)
                .add("issue_time", token.issued.toString())
                .add(
                        "meta",
                        token.meta.isEmpty()
                                ? JsonValue.NULL
                                : strings(token.meta).build())
                .add("num_uses", 0)
                .add("orphan", true)
                .add("path", token.path)
                .add("policies", array(token.policies))
                .add("renewable", token.renewable)
                .add("ttl", secondsLeft(token))
                .add("type", "service")
                .build();
    }

    /** A token as an answer's {@code auth} gives it: with the TTL granted, as Vault answers. */
    static JsonObjectBuilder auth(Token token) {
        return Json.createObjectBuilder()
                .add("client_token", token.id)
                .add("accessor", token.accessor)
                .add("policies", array(token.policies))
                .add("token_policies", array(token.policies))
                .add(
                        "metadata",
                        token.meta.isEmpty()
                                ? JsonValue.NULL
                                : strings(token.meta).build())
                .add("lease_duration", token.granted.toSeconds())
                .add("renewable", token.renewable)
                .add("entity_id", "")
                .add("token_type", "service")
                .add("orphan", true)
                .add("mfa_requirement", JsonValue.NULL)
                .add("num_uses", 0);
    }

    /** Seconds to its expiry; 0 when it never expires. */
    static long secondsLeft(Token token) {
        Instant end = token.expires;
        return end == null
                ? 0
                : Math.max(0, Duration.between(Instant.now(), end).getSeconds());
    }

    /** For the state file: every token but the root token (given at each start). */
    JsonArrayBuilder snapshot() {
        JsonArrayBuilder out = Json.createArrayBuilder();
        for (Token token : tokens.values()) {
            if (token.id.equals(rootId)) {
                continue;
            }
            Instant end = token.expires;
            out.add(Json.createObjectBuilder()
                    .add("id", token.id)
                    .add("accessor", token.accessor)
                    .add("policies", array(token.policies))
                    .add("ttl", token.ttl.toSeconds())
                    .add("expires", end == null ? JsonValue.NULL : Json.createValue(end.toString()))
                    .add("renewable", token.renewable)
                    .add("display_name", token.displayName)
                    .add("meta", strings(token.meta))
                    .add("issued", token.issued.toString())
                    .add("path", token.path)
                    .add("namespace", token.namespace)
                    .add(
                            "max_expires",
                            token.maxExpires == null ? JsonValue.NULL : Json.createValue(token.maxExpires.toString())));
        }
        return out;
    }

    /** Puts back the tokens {@link #snapshot()} wrote that have not expired since. */
    void restore(JsonArray saved) {
        Instant now = Instant.now();
        for (JsonValue value : saved) {
            JsonObject one = VaultState.object(value, "token");
            List<String> names = new ArrayList<>();
            for (JsonValue name : VaultState.array(one.get("policies"), "token policies")) {
                names.add(VaultState.string(name, "token policy"));
            }
            Map<String, String> meta = new LinkedHashMap<>();
            VaultState.object(one.get("meta"), "token meta")
                    .forEach((k, v) -> meta.put(k, VaultState.string(v, "token meta")));
            Token token = new Token(
                    VaultState.string(one.get("id"), "token id"),
                    VaultState.string(one.get("accessor"), "token accessor"),
                    names,
                    Duration.ofSeconds(VaultState.seconds(one.get("ttl"), "token ttl")),
                    VaultState.optionalInstant(one.get("expires"), "token expiry"),
                    VaultState.bool(one.get("renewable"), "token renewable"),
                    VaultState.string(one.get("display_name"), "token display_name"),
                    meta,
                    VaultState.instant(one.get("issued"), "token issued"),
                    VaultState.string(one.get("path"), "token path"),
                    one.containsKey("namespace") ? VaultState.string(one.get("namespace"), "token namespace") : "",
                    one.containsKey("max_expires")
                            ? VaultState.optionalInstant(one.get("max_expires"), "token max_expires")
                            : null);
            if (!token.expired(now) && !token.id.equals(rootId)) {
                tokens.put(token.id, token);
            }
        }
        if (tokens.size() > MAX) {
            throw new IllegalArgumentException("more than " + MAX + " tokens");
        }
    }

    private static JsonObjectBuilder strings(Map<String, String> values) {
        JsonObjectBuilder out = Json.createObjectBuilder();
        values.forEach(out::add);
        return out;
    }

    private static JsonArrayBuilder array(List<String> values) {
        JsonArrayBuilder out = Json.createArrayBuilder();
        values.forEach(out::add);
        return out;
    }

    /** A value from a request as a message or name may show it: printable, cut short. */
    private static String printable(String value) {
        String cut = value.length() > 64 ? value.substring(0, 64) : value;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
