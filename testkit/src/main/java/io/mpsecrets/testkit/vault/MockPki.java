package io.mpsecrets.testkit.vault;

import io.mpsecrets.testkit.pki.TestPki;
import io.mpsecrets.testkit.vault.MockVault.VaultError;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Vault's PKI secrets engine, the part applications use: a root CA and an intermediate that issues ({@link TestPki},
 * real X.509), roles with allowed domains and TTLs ({@code roles/<role>}), {@code issue/<role>} (a new key and
 * certificate each time, the key PKCS#1 or SEC1 PEM unless {@code private_key_format=pkcs8}, answered as Vault
 * answers: {@code certificate}, {@code issuing_ca}, {@code ca_chain}, {@code private_key}, {@code private_key_type},
 * {@code serial_number}, {@code expiration}, no lease), revocation ({@code revoke}) and the CRL ({@code cert/crl}),
 * the CA ({@code cert/ca}, {@code cert/ca_chain}). Vault's own refusals: a name the role does not allow, an unknown
 * role (400 with Vault's words); a TTL past the role's {@code max_ttl} is cut to it with a warning, as Vault does.
 * Thread-safe.
 */
public final class MockPki {

    /** Where the mock mounts it unless told otherwise. */
    public static final String MOUNT = "pki";

    /**
     * A role: what names it may issue for and for how long.
     *
     * @param allowedDomains domains names must be (bare) or end in (subdomains)
     * @param allowSubdomains whether names under an allowed domain are allowed
     * @param allowBareDomains whether an allowed domain itself is
     * @param allowLocalhost whether {@code localhost} is allowed
     * @param allowAnyName whether every name is allowed
     * @param allowIpSans whether IP alternative names are allowed
     * @param ttl the default lifetime
     * @param maxTtl the longest lifetime
     * @param keyType {@code ec} or {@code rsa}
     */
    public record Role(
            List<String> allowedDomains,
            boolean allowSubdomains,
            boolean allowBareDomains,
            boolean allowLocalhost,
            boolean allowAnyName,
            boolean allowIpSans,
            Duration ttl,
            Duration maxTtl,
            String keyType) {}

    private final String mount;
    private volatile TestPki pki;
    private final Map<String, Role> roles = new ConcurrentHashMap<>();
    private final Map<BigInteger, X509Certificate> issued = new ConcurrentHashMap<>();
    private final AtomicInteger issues = new AtomicInteger();

    MockPki(String mount) {
        this.mount = mount;
    }

    /** The CA, made on first use (two key pairs and two certificates). */
    public TestPki ca() {
        TestPki current = pki;
        if (current == null) {
            synchronized (this) {
                if (pki == null) {
                    pki = TestPki.create("mock Vault " + mount);
                }
                current = pki;
            }
        }
        return current;
    }

    /** Adds or replaces a role, as {@code vault write pki/roles/<name>} does. */
    public void role(String name, Role role) {
        roles.put(name, role);
    }

    /** How many certificates {@code issue/<role>} made. */
    public int issuedCount() {
        return issues.get();
    }

    /** Every certificate issued, by serial. */
    public Map<BigInteger, X509Certificate> issued() {
        return Map.copyOf(issued);
    }

    /** Routes a request under the mount; {@code rest} is the path after it. */
    JsonObject route(String rest, String method, JsonObject body) throws VaultError {
        boolean write = method.equals("POST") || method.equals("PUT");
        if (rest.startsWith("roles/") && rest.length() > "roles/".length()) {
            String name = rest.substring("roles/".length());
            if (write) {
                roles.put(name, role(body, roles.get(name)));
                return null;
            }
            if (method.equals("DELETE")) {
                roles.remove(name);
                return null;
            }
            Role role = roles.get(name);
            if (role == null) {
                throw new VaultError(404, null);
            }
            return data(Json.createObjectBuilder()
                    .add("allowed_domains", strings(role.allowedDomains()))
                    .add("allow_subdomains", role.allowSubdomains())
                    .add("allow_bare_domains", role.allowBareDomains())
                    .add("allow_localhost", role.allowLocalhost())
                    .add("allow_any_name", role.allowAnyName())
                    .add("allow_ip_sans", role.allowIpSans())
                    .add("ttl", role.ttl().toSeconds())
                    .add("max_ttl", role.maxTtl().toSeconds())
                    .add("key_type", role.keyType()));
        }
        if (rest.startsWith("issue/") && write) {
            return issue(rest.substring("issue/".length()), body);
        }
        if ((rest.equals("revoke")) && write) {
            return revoke(body);
        }
        if (rest.equals("cert/ca") && method.equals("GET")) {
            return data(Json.createObjectBuilder().add("certificate", ca().issuerPem()));
        }
        if (rest.equals("cert/ca_chain") && method.equals("GET")) {
            return data(Json.createObjectBuilder().add("certificate", ca().issuerPem() + ca().rootPem()));
        }
        if (rest.equals("cert/crl") && method.equals("GET")) {
            return data(Json.createObjectBuilder().add("certificate", TestPki.pem(ca().crl())));
        }
        throw new VaultError(404, "no handler for route \"" + mount + "/" + rest + "\". route entry not found.");
    }

    private static Role role(JsonObject body, Role existing) throws VaultError {
        Role base = existing != null
                ? existing
                : new Role(List.of(), false, false, true, false, true, Duration.ofDays(3), Duration.ofDays(30), "ec");
        String keyType = body.containsKey("key_type") ? MockVault.string(body, "key_type") : base.keyType();
        if (!keyType.equals("ec") && !keyType.equals("rsa")) {
            throw new VaultError(400, "the mock Vault's PKI engine issues ec and rsa keys");
        }
        return new Role(
                body.containsKey("allowed_domains") ? list(body.get("allowed_domains")) : base.allowedDomains(),
                bool(body, "allow_subdomains", base.allowSubdomains()),
                bool(body, "allow_bare_domains", base.allowBareDomains()),
                bool(body, "allow_localhost", base.allowLocalhost()),
                bool(body, "allow_any_name", base.allowAnyName()),
                bool(body, "allow_ip_sans", base.allowIpSans()),
                MockDatabase.duration(body.get("ttl"), base.ttl()),
                MockDatabase.duration(body.get("max_ttl"), base.maxTtl()),
                keyType);
    }

    private JsonObject issue(String roleName, JsonObject body) throws VaultError {
        Role role = roles.get(roleName);
        if (role == null) {
            throw new VaultError(400, "unknown role: " + roleName);
        }
        String commonName = MockVault.string(body, "common_name");
        if (commonName == null || commonName.isEmpty()) {
            throw new VaultError(400, "the common_name field is required");
        }
        List<String> names = new ArrayList<>();
        names.add(commonName);
        names.addAll(list(body.get("alt_names")));
        for (String name : names) {
            if (!allowed(role, name)) {
                throw new VaultError(400, "common name " + name + " not allowed by this role");
            }
        }
        List<String> ips = list(body.get("ip_sans"));
        if (!ips.isEmpty() && !role.allowIpSans()) {
            throw new VaultError(400, "IP Subject Alternative Names are not allowed in this role");
        }
        Duration ttl = MockDatabase.duration(body.get("ttl"), role.ttl());
        List<String> warnings = new ArrayList<>();
        if (ttl.compareTo(role.maxTtl()) > 0) {
            warnings.add("TTL \"" + ttl + "\" is longer than permitted maxTTL \"" + role.maxTtl()
                    + "\", so maxTTL is being used");
            ttl = role.maxTtl();
        }
        // Vault writes the key as PKCS#1 or SEC1 PEM unless private_key_format=pkcs8 is asked for
        boolean pkcs8 = "pkcs8".equals(MockVault.string(body, "private_key_format"));
        List<String> altNames = new ArrayList<>(names);
        altNames.addAll(ips);
        Instant now = Instant.now();
        TestPki.Issued made = ca().issue(
                        commonName,
                        altNames,
                        now.minusSeconds(30),
                        now.plus(ttl),
                        role.keyType().equals("rsa") ? TestPki.KeyType.RSA : TestPki.KeyType.EC);
        issued.put(made.serial(), made.certificate());
        issues.incrementAndGet();
        JsonObjectBuilder answer = Json.createObjectBuilder()
                .add("request_id", java.util.UUID.randomUUID().toString())
                .add("lease_id", "")
                .add("renewable", false)
                .add("lease_duration", 0)
                .add(
                        "data",
                        Json.createObjectBuilder()
                                .add("certificate", made.leafPem())
                                .add("issuing_ca", made.issuerPem())
                                .add(
                                        "ca_chain",
                                        Json.createArrayBuilder()
                                                .add(made.issuerPem())
                                                .add(made.rootPem()))
                                .add("private_key", pkcs8 ? made.keyPem() : made.traditionalKeyPem())
                                .add("private_key_type", role.keyType())
                                .add("serial_number", colons(made.serial()))
                                .add(
                                        "expiration",
                                        made.certificate()
                                                .getNotAfter()
                                                .toInstant()
                                                .getEpochSecond()));
        if (!warnings.isEmpty()) {
            answer.add("warnings", strings(warnings));
        }
        return answer.build();
    }

    private JsonObject revoke(JsonObject body) throws VaultError {
        String text = MockVault.string(body, "serial_number");
        if (text == null || text.isEmpty()) {
            throw new VaultError(400, "the serial_number field is required");
        }
        BigInteger serial;
        try {
            serial = new BigInteger(text.replace(":", "").replace("-", ""), 16);
        } catch (NumberFormatException e) {
            throw new VaultError(400, "invalid serial number");
        }
        if (!issued.containsKey(serial)) {
            throw new VaultError(400, "certificate with serial " + text + " not found");
        }
        ca().revoke(serial);
        return data(
                Json.createObjectBuilder().add("revocation_time", Instant.now().getEpochSecond()));
    }

    /** Whether the certificate with this serial was revoked. */
    public boolean revoked(BigInteger serial) {
        return ca().isRevoked(serial);
    }

    private static boolean allowed(Role role, String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (role.allowAnyName()) {
            return true;
        }
        if (lower.equals("localhost") || lower.endsWith(".localhost")) {
            return role.allowLocalhost();
        }
        for (String domain : role.allowedDomains()) {
            String d = domain.toLowerCase(Locale.ROOT);
            if (lower.equals(d) && role.allowBareDomains()) {
                return true;
            }
            if (lower.endsWith("." + d) && role.allowSubdomains()) {
                return true;
            }
        }
        return false;
    }

    /** Vault's serial form: hex bytes joined by colons. */
    static String colons(BigInteger serial) {
        byte[] bytes = serial.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            if (out.length() > 0) {
                out.append(':');
            }
            out.append(String.format("%02x", b & 0xff));
        }
        return out.toString();
    }

    /** A comma-separated string or a JSON array of strings. */
    private static List<String> list(JsonValue value) {
        List<String> out = new ArrayList<>();
        if (value instanceof JsonString text) {
            for (String part : text.getString().split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        } else if (value != null && value.getValueType() == JsonValue.ValueType.ARRAY) {
            value.asJsonArray().forEach(v -> out.addAll(list(v)));
        }
        return out;
    }

    private static boolean bool(JsonObject body, String name, boolean fallback) {
        JsonValue value = body.get(name);
        if (value == JsonValue.TRUE) {
            return true;
        }
        if (value == JsonValue.FALSE) {
            return false;
        }
        if (value instanceof JsonString text) {
            return Boolean.parseBoolean(text.getString());
        }
        return fallback;
    }

    private static JsonArrayBuilder strings(List<String> values) {
        JsonArrayBuilder out = Json.createArrayBuilder();
        values.forEach(out::add);
        return out;
    }

    private static JsonObject data(JsonObjectBuilder data) {
        return Json.createObjectBuilder().add("data", data).build();
    }
}
