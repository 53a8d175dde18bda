package io.mpsecrets.testkit.vault;

import io.mpsecrets.testkit.vault.MockVault.VaultError;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The mock Vault's mount table ({@code sys/mounts}), with the engines mounted in it. It starts as {@code vault server
 * -dev} does ({@code secret/}: KV version 2; {@code sys/}, {@code cubbyhole/}, {@code identity/}, listed but not
 * served beyond {@code sys/}), plus what the mock has always served without being asked: KV version 1 at {@code kv/},
 * Transit at {@code transit/} and the database engine at {@code database/}. Those three are presets: the first
 * {@code vault secrets enable} at one of their paths takes it over as a dev server would mount it (a preset of the
 * type asked stays, with what it holds; another type replaces it, empty), so that a set-up script written for a real
 * Vault runs unchanged; a second one is refused as Vault refuses it. Engines it implements: {@code kv} (version 1, or
 * 2 with {@code options.version=2}; {@code kv-v2} is the same), {@code transit}, {@code database}; at any path, at
 * most {@value #MAX} mounts. Guarded by this.
 */
final class Mounts implements AutoCloseable {

    static final int MAX = 64;

    /** Mount paths: segments of letters, digits, {@code _ - .}; no {@code .} or {@code ..} segment. */
    private static final Pattern PATH = Pattern.compile("[\\w.-]+(/[\\w.-]+)*/");

    private static final Set<String> PROTECTED = Set.of("sys/", "cubbyhole/", "identity/");

    /** One mounted engine; {@code path} ends with {@code /}. */
    static final class Mount {
        final String path;
        final String type;
        final int kvVersion; // 1 or 2 for kv, else 0
        final String description;
        final String accessor;
        final String uuid;
        final boolean preset;
        final MockTransit transit;
        final MockDatabase database;
        final MockPki pki;

        Mount(
                String path,
                String type,
                int kvVersion,
                String description,
                String accessor,
                String uuid,
                boolean preset) {
            this.path = path;
            this.type = type;
            this.kvVersion = kvVersion;
            this.description = description;
            this.accessor = accessor;
            this.uuid = uuid;
            this.preset = preset;
            String name = path.substring(0, path.length() - 1);
            this.transit = type.equals("transit") ? new MockTransit(name) : null;
            this.database = type.equals("database") ? new MockDatabase(name) : null;
            this.pki = type.equals("pki") ? new MockPki(name) : null;
        }

        /** The path without its trailing slash, as stored keys begin ({@code secret}). */
        String name() {
            return path.substring(0, path.length() - 1);
        }

        /** The same mount, no longer a preset (what it holds kept). */
        private Mount claimed() {
            return new Mount(this);
        }

        private Mount(Mount preset) {
            this.path = preset.path;
            this.type = preset.type;
            this.kvVersion = preset.kvVersion;
            this.description = preset.description;
            this.accessor = preset.accessor;
            this.uuid = preset.uuid;
            this.preset = false;
            this.transit = preset.transit;
            this.database = preset.database;
            this.pki = preset.pki;
        }
    }

    private final TreeMap<String, Mount> mounts = new TreeMap<>();

    Mounts() {
        put(builtIn("cubbyhole/", "cubbyhole", 0, "per-token private secret storage"));
        put(builtIn("identity/", "identity", 0, "identity store"));
        put(builtIn("sys/", "system", 0, "system endpoints used for control, policy and debugging"));
        put(builtIn("secret/", "kv", 2, "key/value secret storage"));
        put(preset("kv/", "kv", 1));
        put(preset(MockTransit.MOUNT + "/", "transit", 0));
        put(preset(MockDatabase.MOUNT + "/", "database", 0));
        put(preset(MockPki.MOUNT + "/", "pki", 0));
    }

    private static Mount builtIn(String path, String type, int kvVersion, String description) {
        return new Mount(
                path,
                type,
                kvVersion,
                description,
                accessor(type),
                UUID.randomUUID().toString(),
                false);
    }

    private static Mount preset(String path, String type, int kvVersion) {
        return new Mount(
                path, type, kvVersion, "", accessor(type), UUID.randomUUID().toString(), true);
    }

    private static String accessor(String type) {
        return type + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    private void put(Mount mount) {
        mounts.put(mount.path, mount);
    }

    /** The mount a request path is under (the longest that matches), or null. */
    synchronized Mount resolve(String requestPath) {
        String path = requestPath.endsWith("/") ? requestPath : requestPath + "/";
        Map.Entry<String, Mount> candidate = mounts.floorEntry(path);
        while (candidate != null) {
            if (path.startsWith(candidate.getKey())) {
                return candidate.getValue();
            }
            candidate = mounts.lowerEntry(candidate.getKey());
        }
        return null;
    }

    /** The mount at exactly {@code path} ({@code transit/}), or null. */
    synchronized Mount at(String path) {
        return mounts.get(path);
    }

    synchronized List<Mount> all() {
        return new ArrayList<>(mounts.values());
    }

    /**
     * {@code POST sys/mounts/<path>}: Vault's answers for a path in use, an engine it does not know, a path it keeps
     * for itself.
     *
     * @return the mounts it replaced (a preset of another type), for the caller to let go of
     */
    synchronized List<Mount> enable(String rawPath, JsonObject body) throws VaultError {
        String path = path(rawPath);
        String type = MockVault.string(body, "type");
        if (type == null || type.isEmpty()) {
            throw new VaultError(400, "backend type must be specified");
        }
        JsonValue options = body.get("options");
        String version =
                options instanceof JsonObject o && o.get("version") instanceof JsonString v ? v.getString() : "";
        int kvVersion = 0;
        switch (type) {
            case "kv" -> kvVersion = version.isEmpty() || version.equals("1") ? 1 : version.equals("2") ? 2 : -1;
            case "kv-v2" -> {
                type = "kv";
                kvVersion = version.isEmpty() || version.equals("2") ? 2 : -1;
            }
            case "transit", "database", "pki" -> {}
            default ->
                throw new VaultError(
                        400,
                        "plugin not found in the catalog: " + printable(type)
                                + " (the mock Vault implements the kv, transit, database and pki secrets engines)");
        }
        if (kvVersion < 0) {
            throw new VaultError(400, "the mock Vault's kv engine has versions 1 and 2");
        }
        if (path.startsWith("auth/") || path.startsWith("audit/") || PROTECTED.contains(path)) {
            throw new VaultError(400, "cannot mount under \"" + path + "\"");
        }
        List<Mount> replaced = new ArrayList<>();
        for (Mount existing : mounts.values()) {
            if (path.startsWith(existing.path) || existing.path.startsWith(path)) {
                if (!existing.preset || !existing.path.equals(path)) {
                    throw new VaultError(400, "path is already in use at " + existing.path);
                }
            }
        }
        Mount preset = mounts.get(path);
        String description = MockVault.string(body, "description");
        if (preset != null && preset.type.equals(type) && preset.kvVersion == kvVersion) {
            put(preset.claimed());
            return replaced;
        }
        if (preset != null) {
            replaced.add(mounts.remove(path));
        }
        if (mounts.size() - PROTECTED.size() >= MAX) {
            throw new VaultError(400, "the mock Vault serves at most " + MAX + " mounts");
        }
        put(new Mount(
                path,
                type,
                kvVersion,
                description == null ? "" : description,
                accessor(type),
                UUID.randomUUID().toString(),
                false));
        return replaced;
    }

    /** {@code DELETE sys/mounts/<path>}: what it took away, or null (Vault answers 204 for a path not mounted). */
    synchronized Mount disable(String rawPath) throws VaultError {
        String path = path(rawPath);
        if (PROTECTED.contains(path)) {
            throw new VaultError(400, "cannot unmount \"" + path + "\"");
        }
        return mounts.remove(path);
    }

    /** A mount as {@code GET sys/mounts} lists it. */
    static JsonObject describe(Mount mount) {
        JsonObjectBuilder out = Json.createObjectBuilder()
                .add("accessor", mount.accessor)
                .add(
                        "config",
                        Json.createObjectBuilder()
                                .add("default_lease_ttl", 0)
                                .add("force_no_cache", false)
                                .add("max_lease_ttl", 0))
                .add("description", mount.description)
                .add("external_entropy_access", false)
                .add("local", mount.type.equals("cubbyhole"))
                .add(
                        "options",
                        mount.kvVersion == 0
                                ? JsonValue.NULL
                                : Json.createObjectBuilder()
                                        .add("version", Integer.toString(mount.kvVersion))
                                        .build())
                .add("plugin_version", "")
                .add("running_plugin_version", "")
                .add("running_sha256", "")
                .add("seal_wrap", false)
                .add("type", mount.type)
                .add("uuid", mount.uuid);
        return out.build();
    }

    /** All mounts, keyed by path. */
    synchronized JsonObject list() {
        JsonObjectBuilder out = Json.createObjectBuilder();
        mounts.values().forEach(m -> out.add(m.path, describe(m)));
        return out.build();
    }

    /** The mounts a state file keeps: all but Vault's own, with their flags. */
    synchronized JsonArrayBuilder snapshot() {
        JsonArrayBuilder out = Json.createArrayBuilder();
        for (Mount mount : mounts.values()) {
            if (!PROTECTED.contains(mount.path)) {
                out.add(Json.createObjectBuilder()
                        .add("path", mount.path)
                        .add("type", mount.type)
                        .add("kv_version", mount.kvVersion)
                        .add("description", mount.description)
                        .add("accessor", mount.accessor)
                        .add("uuid", mount.uuid)
                        .add("preset", mount.preset));
            }
        }
        return out;
    }

    /** Replaces every mount but Vault's own with those saved; returns the new ones. */
    synchronized List<Mount> restore(List<JsonValue> saved) {
        List<Mount> closed = new ArrayList<>();
        for (String path : List.copyOf(mounts.keySet())) {
            if (!PROTECTED.contains(path)) {
                closed.add(mounts.remove(path));
            }
        }
        closed.stream().filter(m -> m.database != null).forEach(m -> m.database.close());
        List<Mount> restored = new ArrayList<>();
        for (JsonValue value : saved) {
            JsonObject one = VaultState.object(value, "mount");
            String path = VaultState.string(one.get("path"), "mount path");
            String type = VaultState.string(one.get("type"), "mount type");
            int kvVersion = VaultState.integer(one.get("kv_version"), "mount kv_version");
            if (!PATH.matcher(path).matches()
                    || PROTECTED.contains(path)
                    || mounts.containsKey(path)
                    || !(type.equals("kv") && (kvVersion == 1 || kvVersion == 2)
                            || (type.equals("transit") || type.equals("database") || type.equals("pki"))
                                    && kvVersion == 0)) {
                throw new IllegalArgumentException("a mount is not one the mock Vault serves");
            }
            Mount mount = new Mount(
                    path,
                    type,
                    kvVersion,
                    VaultState.string(one.get("description"), "mount description"),
                    VaultState.string(one.get("accessor"), "mount accessor"),
                    VaultState.string(one.get("uuid"), "mount uuid"),
                    VaultState.bool(one.get("preset"), "mount preset"));
            put(mount);
            restored.add(mount);
        }
        if (mounts.size() - PROTECTED.size() > MAX) {
            throw new IllegalArgumentException("more than " + MAX + " mounts");
        }
        return restored;
    }

    /** Stops what a mount runs (the database engine's timer); its leases' users are dropped first. */
    static void close(Mount mount) {
        if (mount != null && mount.database != null) {
            mount.database.revokeAll();
            mount.database.close();
        }
    }

    @Override
    public synchronized void close() {
        for (Mount mount : mounts.values()) {
            if (mount.database != null) {
                mount.database.close();
            }
        }
    }

    /** A path as Vault takes it: slashes around it trimmed, one put at its end; checked. */
    static String path(String raw) throws VaultError {
        String trimmed = raw;
        while (trimmed.startsWith("/")) {
            trimmed = trimmed.substring(1);
        }
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        String path = trimmed + "/";
        if (path.length() > 256 || !PATH.matcher(path).matches() || path.matches("(.*/)?\\.{1,2}/.*")) {
            throw new VaultError(400, "invalid mount path");
        }
        return path;
    }

    private static String printable(String value) {
        String cut = value.length() > 64 ? value.substring(0, 64) + "..." : value;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
