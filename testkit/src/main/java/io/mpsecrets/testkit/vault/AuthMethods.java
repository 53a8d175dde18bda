package io.mpsecrets.testkit.vault;

import static io.mpsecrets.testkit.vault.MockVault.string;

import io.mpsecrets.testkit.vault.MockVault.VaultError;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The mock Vault's auth methods other than tokens, AppRole and Kubernetes, each at a mount of its own
 * ({@code auth/<mount>/login}), checking what Vault checks: {@code jwt} (and {@code oidc} roles used with a JWT: the
 * signature against the configured public keys, RS256 or ES256, the issuer, expiry and not-before, bound audiences,
 * subject and claims), {@code userpass} and {@code ldap} (a user's password; the mock's LDAP is a table of users),
 * {@code cert} (the TLS client certificate of the connection, verified against a role's CA), and {@code aws}'s IAM
 * method (the SigV4 signature of the forwarded {@code sts:GetCallerIdentity} request, checked as STS would with the
 * credentials a test gives, and the {@code X-Vault-AWS-IAM-Server-ID} header). A login that passes is a
 * {@link Grant}; one that does not is Vault's error (400, its message). No expiry leeway: a JWT past its {@code exp}
 * is refused at once (Vault allows 150 s by default).
 */
final class AuthMethods {

    /** What a login grants: the token's policies, TTL and metadata. */
    record Grant(List<String> policies, Duration ttl, Map<String, String> meta, String method) {}

    /** A role or user: its token's policies and TTL. */
    record TokenSpec(List<String> policies, Duration ttl) {}

    record JwtRole(
            String name,
            Set<String> boundAudiences,
            String boundSubject,
            Map<String, String> boundClaims,
            TokenSpec token) {}

    static final class Jwt {
        final List<PublicKey> keys = new java.util.concurrent.CopyOnWriteArrayList<>();
        volatile String boundIssuer;
        volatile String defaultRole;
        final Map<String, JwtRole> roles = new ConcurrentHashMap<>();
    }

    record User(String password, TokenSpec token) {}

    static final class Passwords {
        final String type;
        final Map<String, User> users = new ConcurrentHashMap<>();

        Passwords(String type) {
            this.type = type;
        }
    }

    record CertRole(String name, X509Certificate certificate, TokenSpec token) {}

    static final class Cert {
        final Map<String, CertRole> roles = new ConcurrentHashMap<>();
    }

    record AwsRole(String name, String boundIamPrincipalArn, TokenSpec token) {}

    record AwsCredentials(String secretAccessKey, String arn) {}

    static final class Aws {
        final Map<String, AwsRole> roles = new ConcurrentHashMap<>();
        volatile String serverId;
    }

    /** STS's own limit on a request's clock skew. */
    private static final Duration MAX_SKEW = Duration.ofMinutes(15);

    private static final Pattern AUTHORIZATION = Pattern.compile(
            "AWS4-HMAC-SHA256\\s+Credential=([^/,\\s]+)/(\\d{8})/([^/,\\s]+)/([^/,\\s]+)/aws4_request,\\s*"
                    + "SignedHeaders=([^,\\s]+),\\s*Signature=([0-9a-f]{64})");

    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Map<String, Object> mounts = new ConcurrentHashMap<>();
    private final Map<String, AwsCredentials> awsCredentials = new ConcurrentHashMap<>();

    // ---- set-up ----

    Jwt jwt(String mount) {
        return (Jwt) mounts.compute(mount, (m, existing) -> existing instanceof Jwt jwt ? jwt : new Jwt());
    }

    Passwords passwords(String mount, String type) {
        return (Passwords) mounts.compute(
                mount,
                (m, existing) -> existing instanceof Passwords p && p.type.equals(type) ? p : new Passwords(type));
    }

    Cert cert(String mount) {
        return (Cert) mounts.compute(mount, (m, existing) -> existing instanceof Cert cert ? cert : new Cert());
    }

    Aws aws(String mount) {
        return (Aws) mounts.compute(mount, (m, existing) -> existing instanceof Aws aws ? aws : new Aws());
    }

    void awsCredentials(String accessKeyId, String secretAccessKey, String arn) {
        awsCredentials.put(accessKeyId, new AwsCredentials(secretAccessKey, arn));
    }

    /**
     * The mount a path logs in at ({@code auth/<mount>/login} or, for passwords, {@code auth/<mount>/login/<user>}),
     * or null when no method of these is mounted there.
     */
    String mountOf(String path) {
        for (Map.Entry<String, Object> entry : mounts.entrySet()) {
            String login = "auth/" + entry.getKey() + "/login";
            if (path.equals(login) && !(entry.getValue() instanceof Passwords)) {
                return entry.getKey();
            }
            if (path.startsWith(login + "/") && entry.getValue() instanceof Passwords) {
                return entry.getKey();
            }
        }
        return null;
    }

    // ---- logins ----

    Grant login(String mount, String path, JsonObject body, Certificate[] peer) throws VaultError {
        Object method = mounts.get(mount);
        if (method instanceof Jwt jwt) {
            return jwt(jwt, body);
        }
        if (method instanceof Passwords passwords) {
            return password(passwords, path.substring(("auth/" + mount + "/login/").length()), body);
        }
        if (method instanceof Cert cert) {
            return cert(cert, body, peer);
        }
        return aws((Aws) method, body);
    }

    private static Grant jwt(Jwt method, JsonObject body) throws VaultError {
        String jwt = string(body, "jwt");
        if (jwt == null || jwt.isEmpty()) {
            throw new VaultError(400, "missing token");
        }
        String roleName = string(body, "role");
        if (roleName == null || roleName.isEmpty()) {
            roleName = method.defaultRole;
        }
        if (roleName == null || roleName.isEmpty()) {
            throw new VaultError(400, "missing role");
        }
        JwtRole role = method.roles.get(roleName.toLowerCase(Locale.ROOT));
        if (role == null) {
            throw new VaultError(400, "role \"" + printable(roleName) + "\" could not be found");
        }
        String[] parts = jwt.split("\\.", -1);
        if (parts.length != 3) {
            throw new VaultError(400, "error validating token: malformed token");
        }
        JsonObject header = jsonOrError(base64Url(parts[0]));
        JsonObject claims = jsonOrError(base64Url(parts[1]));
        byte[] signature = base64Url(parts[2]);
        String alg = string(header, "alg");
        byte[] signed = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
        boolean verified = false;
        for (PublicKey key : method.keys) {
            verified |= verifies(alg, key, signed, signature);
        }
        if (!verified) {
            throw new VaultError(400, "error validating token: failed to verify id token signature");
        }
        long now = Instant.now().getEpochSecond();
        Long exp = seconds(claims, "exp");
        if (exp == null) {
            throw new VaultError(400, "error validating claims: exp claim is required");
        }
        if (now >= exp) {
            throw new VaultError(400, "error validating claims: token is expired");
        }
        Long nbf = seconds(claims, "nbf");
        if (nbf != null && now < nbf) {
            throw new VaultError(400, "error validating claims: token is not yet valid");
        }
        String boundIssuer = method.boundIssuer;
        if (boundIssuer != null && !boundIssuer.equals(string(claims, "iss"))) {
            throw new VaultError(400, "error validating claims: invalid issuer (iss) claim");
        }
        List<String> audiences = strings(claims.get("aud"));
        if (role.boundAudiences().isEmpty() && !audiences.isEmpty()) {
            throw new VaultError(
                    400,
                    "error validating claims: audience claim found in JWT but no audiences bound" + " to the role");
        }
        if (!role.boundAudiences().isEmpty() && audiences.stream().noneMatch(role.boundAudiences()::contains)) {
            throw new VaultError(400, "error validating claims: invalid audience (aud) claim: audience not found");
        }
        String subject = string(claims, "sub");
        if (subject == null) {
            throw new VaultError(400, "claim \"sub\" not found in token");
        }
        if (role.boundSubject() != null && !role.boundSubject().equals(subject)) {
            throw new VaultError(400, "error validating claims: sub claim does not match bound subject");
        }
        for (Map.Entry<String, String> bound : role.boundClaims().entrySet()) {
            if (!strings(claims.get(bound.getKey())).contains(bound.getValue())) {
                throw new VaultError(
                        400,
                        "error validating claims: claim \"" + bound.getKey()
                                + "\" does not match any associated bound claim values");
            }
        }
        return new Grant(role.token().policies(), role.token().ttl(), Map.of("role", role.name()), "jwt");
    }

    private static boolean verifies(String alg, PublicKey key, byte[] signed, byte[] signature) throws VaultError {
        String algorithm;
        if ("RS256".equals(alg) && key instanceof RSAPublicKey) {
            algorithm = "SHA256withRSA";
        } else if ("ES256".equals(alg) && key instanceof ECPublicKey) {
            algorithm = "SHA256withECDSAinP1363Format"; // JWS carries R || S, not DER
        } else if ("RS256".equals(alg) || "ES256".equals(alg)) {
            return false;
        } else {
            throw new VaultError(400, "error validating token: unsupported signing algorithm");
        }
        try {
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(key);
            verifier.update(signed);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static Grant password(Passwords method, String username, JsonObject body) throws VaultError {
        User user = method.users.get(username.toLowerCase(Locale.ROOT));
        String password = string(body, "password");
        if (user == null
                || password == null
                || !MessageDigest.isEqual(
                        user.password().getBytes(StandardCharsets.UTF_8), password.getBytes(StandardCharsets.UTF_8))) {
            throw new VaultError(
                    400,
                    method.type.equals("ldap")
                            ? "ldap operation failed: failed to bind as user"
                            : "invalid username or password");
        }
        return new Grant(
                user.token().policies(),
                user.token().ttl(),
                Map.of("username", username.toLowerCase(Locale.ROOT)),
                method.type);
    }

    private static Grant cert(Cert method, JsonObject body, Certificate[] peer) throws VaultError {
        if (peer == null || peer.length == 0 || !(peer[0] instanceof X509Certificate leaf)) {
            throw new VaultError(400, "client certificate must be supplied");
        }
        String name = string(body, "name");
        List<CertRole> candidates = new ArrayList<>();
        if (name != null && !name.isEmpty()) {
            CertRole role = method.roles.get(name.toLowerCase(Locale.ROOT));
            if (role != null) {
                candidates.add(role);
            }
        } else {
            candidates.addAll(method.roles.values());
        }
        for (CertRole role : candidates) {
            if (trusted(leaf, role.certificate())) {
                return new Grant(
                        role.token().policies(),
                        role.token().ttl(),
                        Map.of(
                                "cert_name",
                                role.name(),
                                "common_name",
                                leaf.getSubjectX500Principal().getName()),
                        "cert");
            }
        }
        throw new VaultError(400, "invalid certificate or no client certificate supplied");
    }

    /** Signed by {@code trusted} (or is it), within its validity, and meant for client authentication. */
    private static boolean trusted(X509Certificate leaf, X509Certificate trusted) {
        try {
            leaf.checkValidity();
            if (!leaf.equals(trusted)) {
                if (!leaf.getIssuerX500Principal().equals(trusted.getSubjectX500Principal())) {
                    return false;
                }
                leaf.verify(trusted.getPublicKey());
            }
            List<String> usages = leaf.getExtendedKeyUsage();
            return usages == null
                    || usages.contains("1.3.6.1.5.5.7.3.2") // clientAuth
                    || usages.contains("2.5.29.37.0"); // any
        } catch (GeneralSecurityException e) {
            return false;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * The IAM method: the request Vault would forward to STS, checked here as STS checks it (SigV4 with the caller's
     * secret key, a clock skew of at most 15 minutes, service {@code sts}), then the caller's ARN against the role.
     */
    private Grant aws(Aws method, JsonObject body) throws VaultError {
        String httpMethod = string(body, "iam_http_request_method");
        if (!"POST".equals(httpMethod)) {
            throw new VaultError(400, "error parsing iam_http_request_method: only POST is supported");
        }
        URI url;
        String requestBody;
        Map<String, List<String>> headers;
        try {
            url = URI.create(decoded(body, "iam_request_url"));
            requestBody = decoded(body, "iam_request_body");
            headers = headers(json(Base64.getDecoder().decode(string(body, "iam_request_headers"))));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new VaultError(400, "error parsing the iam_request_* parameters");
        }
        if (!form(requestBody).getOrDefault("Action", "").equals("GetCallerIdentity")) {
            throw new VaultError(400, "iam_request_body must be an sts:GetCallerIdentity request");
        }
        String serverId = method.serverId;
        String authorization = header(headers, "authorization");
        Matcher auth = authorization == null ? null : AUTHORIZATION.matcher(authorization);
        if (auth == null || !auth.matches()) {
            throw sts("IncompleteSignature", "Authorization header is missing or malformed");
        }
        List<String> signedHeaders = List.of(auth.group(5).split(";"));
        if (serverId != null) {
            String given = header(headers, "x-vault-aws-iam-server-id");
            if (given == null) {
                throw new VaultError(400, "missing header \"X-Vault-AWS-IAM-Server-ID\"");
            }
            if (!given.equals(serverId)) {
                throw new VaultError(
                        400, "expected \"" + printable(serverId) + "\" but got \"" + printable(given) + "\"");
            }
            if (!signedHeaders.contains("x-vault-aws-iam-server-id")) {
                throw new VaultError(400, "vault header wasn't signed");
            }
        }
        AwsCredentials credentials = awsCredentials.get(auth.group(1));
        if (credentials == null) {
            throw sts("InvalidClientTokenId", "The security token included in the request is invalid.");
        }
        if (!auth.group(4).equals("sts")) {
            throw sts("SignatureDoesNotMatch", "Credential should be scoped to correct service: 'sts'.");
        }
        String amzDate = header(headers, "x-amz-date");
        try {
            Instant signedAt = AMZ_DATE.parse(amzDate, Instant::from);
            if (Duration.between(signedAt, Instant.now()).abs().compareTo(MAX_SKEW) > 0) {
                throw sts("SignatureDoesNotMatch", "Signature expired");
            }
            if (!amzDate.startsWith(auth.group(2))) {
                throw sts("SignatureDoesNotMatch", "Date in Credential scope does not match the request's date");
            }
        } catch (DateTimeParseException | NullPointerException e) {
            throw sts("IncompleteSignature", "X-Amz-Date is missing or malformed");
        }
        String expected = signature(
                httpMethod,
                url,
                headers,
                signedHeaders,
                requestBody,
                amzDate,
                auth.group(2) + "/" + auth.group(3) + "/" + auth.group(4) + "/aws4_request",
                credentials.secretAccessKey(),
                auth.group(2),
                auth.group(3),
                auth.group(4));
        if (!MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.US_ASCII), auth.group(6).getBytes(StandardCharsets.US_ASCII))) {
            throw sts(
                    "SignatureDoesNotMatch",
                    "The request signature we calculated does not match the signature you provided.");
        }
        String roleName = string(body, "role");
        if (roleName == null || roleName.isEmpty()) {
            String arn = credentials.arn();
            roleName = arn.substring(arn.lastIndexOf('/') + 1);
        }
        AwsRole role = method.roles.get(roleName.toLowerCase(Locale.ROOT));
        if (role == null) {
            throw new VaultError(400, "entry for role " + printable(roleName) + " not found");
        }
        if (!role.boundIamPrincipalArn().equals(credentials.arn())) {
            throw new VaultError(
                    403,
                    "IAM Principal \"" + credentials.arn() + "\" does not belong to the role \"" + role.name() + "\"");
        }
        return new Grant(
                role.token().policies(),
                role.token().ttl(),
                Map.of("role", role.name(), "canonical_arn", credentials.arn()),
                "aws");
    }

    /** SigV4 of the request, as STS computes it. */
    private static String signature(
            String method,
            URI url,
            Map<String, List<String>> headers,
            List<String> signedHeaders,
            String body,
            String amzDate,
            String scope,
            String secretKey,
            String date,
            String region,
            String service)
            throws VaultError {
        StringBuilder canonicalHeaders = new StringBuilder();
        for (String name : signedHeaders) {
            String value = header(headers, name);
            if (value == null && name.equals("host")) {
                value = url.getPort() < 0 ? url.getHost() : url.getHost() + ":" + url.getPort();
            }
            if (value == null) {
                throw sts("SignatureDoesNotMatch", "a signed header is missing");
            }
            canonicalHeaders
                    .append(name)
                    .append(':')
                    .append(value.trim().replaceAll("\\s+", " "))
                    .append('\n');
        }
        String payloadHash = header(headers, "x-amz-content-sha256");
        if (payloadHash == null || payloadHash.equals("UNSIGNED-PAYLOAD")) {
            payloadHash = hex(sha256(body.getBytes(StandardCharsets.UTF_8)));
        }
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        String canonicalRequest = method + "\n" + path + "\n" + canonicalQuery(url.getRawQuery()) + "\n"
                + canonicalHeaders + "\n" + String.join(";", signedHeaders) + "\n" + payloadHash;
        String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
                + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, service);
        key = hmac(key, "aws4_request");
        return hex(hmac(key, toSign));
    }

    private static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        TreeMap<String, String> sorted = new TreeMap<>();
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            sorted.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
        }
        StringBuilder out = new StringBuilder();
        sorted.forEach((k, v) ->
                out.append(out.length() == 0 ? "" : "&").append(k).append('=').append(v));
        return out.toString();
    }

    private static VaultError sts(String code, String message) {
        return new VaultError(
                400,
                "error making upstream request: received error code 403 from STS: <ErrorResponse "
                        + "xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>" + code
                        + "</Code><Message>" + message + "</Message></Error></ErrorResponse>");
    }

    // ---- helpers ----

    private static String header(Map<String, List<String>> headers, String lowerName) {
        for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
            if (entry.getKey().toLowerCase(Locale.ROOT).equals(lowerName)) {
                return String.join(",", entry.getValue());
            }
        }
        return null;
    }

    /** {@code iam_request_headers}: a JSON object of header names to a string or a list of strings. */
    private static Map<String, List<String>> headers(JsonObject json) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        json.forEach((name, value) -> out.put(name, strings(value)));
        return out;
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static String decoded(JsonObject body, String member) {
        return new String(Base64.getDecoder().decode(string(body, member)), StandardCharsets.UTF_8);
    }

    private static byte[] base64Url(String part) throws VaultError {
        try {
            return Base64.getUrlDecoder().decode(part);
        } catch (IllegalArgumentException e) {
            throw new VaultError(400, "error validating token: malformed token");
        }
    }

    private static JsonObject json(byte[] bytes) {
        try (JsonReader reader = Json.createReader(new ByteArrayInputStream(bytes))) {
            return reader.readObject();
        } catch (JsonException | IllegalStateException e) {
            throw new IllegalArgumentException("not a JSON object");
        }
    }

    private static JsonObject json(String text) {
        return json(text.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonObject jsonOrError(byte[] bytes) throws VaultError {
        try {
            return json(bytes);
        } catch (IllegalArgumentException e) {
            throw new VaultError(400, "error validating token: malformed token");
        }
    }

    private static Long seconds(JsonObject claims, String name) throws VaultError {
        JsonValue value = claims.get(name);
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (value instanceof JsonNumber number) {
            return number.longValue();
        }
        throw new VaultError(400, "error validating claims: " + name + " is not a number");
    }

    /** A claim as strings: a string, or the strings of a list. */
    private static List<String> strings(JsonValue value) {
        List<String> out = new ArrayList<>();
        if (value instanceof JsonString text) {
            out.add(text.getString());
        } else if (value instanceof JsonArray array) {
            for (JsonValue one : array) {
                if (one instanceof JsonString text) {
                    out.add(text.getString());
                }
            }
        }
        return out;
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** A value from a request as a message may show it: printable, cut short. */
    static String printable(String value) {
        String cut = value.length() > 64 ? value.substring(0, 64) : value;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
