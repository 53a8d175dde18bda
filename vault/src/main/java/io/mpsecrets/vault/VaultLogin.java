package io.mpsecrets.vault;

import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.backend.BoundedReads;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.api.exception.SecretAccessDeniedException;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.api.spi.AwsRequestSigner;
import io.mpsecrets.api.spi.BackendEvents;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * A login by the configured method ({@link VaultSettings.Auth}), giving a token and its lease: a token given or in a
 * file is checked with {@code lookup-self}; AppRole, Kubernetes, JWT/OIDC, userpass, LDAP, TLS certificate and AWS IAM
 * logins are sent to {@code auth/<mount>/login}. Secret material (a JWT, a password, a secret id) is read from its file
 * at each login, bounded, and goes into the login's body only.
 *
 * <p>Wrapped secrets (an AppRole secret id or a token delivered as a wrapping token in a file) are unwrapped once:
 * {@code sys/wrapping/lookup} first, whose {@code creation_path} must be where such a secret is made (a wrapping token
 * made elsewhere was substituted), then {@code sys/wrapping/unwrap}. A wrapping token Vault no longer has is refused
 * with an audited denial: it was used (by someone else, if not by this application) or it expired. The file is read
 * again at each login, so a new wrapping token delivered there is unwrapped in turn; the one used is remembered by
 * its hash only.
 *
 * <p>The {@code aws} method's request is signed by the {@link AwsRequestSigner} that {@code mpsecrets-aws} provides,
 * looked up when the login is built: without it, {@code auth=aws} is a configuration error.
 */
final class VaultLogin {

    /** What Vault answers for a wrapping token it does not have (used, expired, never made). */
    private static final String NOT_VALID = "wrapping token is not valid or does not exist";

    private static final String GET_CALLER_IDENTITY = "Action=GetCallerIdentity&Version=2011-06-15";

    /**
     * A token and its lease: its TTL in seconds (0: it does not expire), whether {@code renew-self} extends it, and the
     * TTL a renewal gives (the token's own: a login's lease, a given token's {@code creation_ttl}).
     */
    record Granted(String token, long ttlSeconds, boolean renewable, long renewsFor) {
        Granted(String token, long ttlSeconds, boolean renewable) {
            this(token, ttlSeconds, renewable, ttlSeconds);
        }

        @Override
        public String toString() {
            return "Granted[redacted, ttl=" + ttlSeconds + ", renewable=" + renewable + "]";
        }
    }

    private final VaultSettings settings;
    private final VaultClient vault;
    private final BackendEvents events;
    private final AwsRequestSigner signer;

    // Under VaultToken's lock, which every login holds.
    private byte[] usedWrappingToken; // SHA-256 of the last wrapping token unwrapped
    private String unwrappedSecretId;

    VaultLogin(VaultSettings settings, VaultClient vault, BackendEvents events) {
        this.settings = settings;
        this.vault = vault;
        this.events = events;
        this.signer = settings.auth() instanceof VaultSettings.AwsAuth ? awsSigner() : null;
    }

    /**
     * Whether a login may give another token than the last: every method but a token given as a setting (a token file
     * may be rewritten by an agent; a wrapped-token file may hold a new wrapping token).
     */
    boolean canLogInAgain() {
        return !(settings.auth() instanceof VaultSettings.TokenAuth auth)
                || auth.file().isPresent()
                || auth.wrappedFile().isPresent();
    }

    /** A token, by the configured method. */
    Granted login(SecretRef ref) {
        VaultSettings.Auth auth = settings.auth();
        SecretRef loginRef = ref.withBackend(VaultSettings.STORE);
        if (auth instanceof VaultSettings.TokenAuth token) {
            if (token.wrappedFile().isPresent()) {
                return wrappedToken(token.wrappedFile().get(), loginRef);
            }
            String id = token.token().orElseGet(() -> readSecret(token.file().orElseThrow(), "token-file"));
            return lookup(id, loginRef);
        }
        JsonObjectBuilder body = Json.createObjectBuilder();
        String path;
        if (auth instanceof VaultSettings.AppRoleAuth appRole) {
            path = "auth/" + appRole.mount() + "/login";
            body.add("role_id", appRole.roleId()).add("secret_id", secretId(appRole, loginRef));
        } else if (auth instanceof VaultSettings.KubernetesAuth kubernetes) {
            path = "auth/" + kubernetes.mount() + "/login";
            body.add("role", kubernetes.role()).add("jwt", readSecret(kubernetes.jwtFile(), "kubernetes.jwt-file"));
        } else if (auth instanceof VaultSettings.JwtAuth jwt) {
            path = "auth/" + jwt.mount() + "/login";
            jwt.role().ifPresent(role -> body.add("role", role));
            body.add("jwt", readSecret(jwt.jwtFile(), "jwt.jwt-file"));
        } else if (auth instanceof VaultSettings.PasswordAuth password) {
            path = "auth/" + password.mount() + "/login/"
                    + URLEncoder.encode(password.username(), StandardCharsets.UTF_8)
                            .replace("+", "%20");
            body.add("password", readSecret(password.passwordFile(), password.method() + ".password-file"));
        } else if (auth instanceof VaultSettings.CertAuth cert) {
            path = "auth/" + cert.mount() + "/login"; // the connection presents the certificate
            cert.role().ifPresent(role -> body.add("name", role));
        } else if (auth instanceof VaultSettings.AwsAuth aws) {
            path = "auth/" + aws.mount() + "/login";
            aws(aws, body, loginRef);
        } else {
            throw new IllegalStateException("no login for " + auth);
        }
        JsonObject answer;
        try {
            answer = vault.post(path, body.build(), loginRef);
        } catch (SecretException refused) {
            if (refused.reason().transientFailure()) {
                throw refused;
            }
            // Vault answers a bad role, JWT, password or secret id with 400, a missing mount with 404.
            throw new SecretAccessDeniedException(
                    loginRef, "Vault refused the " + auth + " login: " + refused.detail(), null);
        }
        return granted(answer, auth.toString(), loginRef);
    }

    private static Granted granted(JsonObject answer, String what, SecretRef ref) {
        JsonObject authBlock = VaultJson.object(answer, "auth", ref);
        if (!(authBlock.get("client_token") instanceof JsonString clientToken)) {
            throw new SecretAccessDeniedException(ref, "Vault's " + what + " login gave no token", null);
        }
        return new Granted(
                clientToken.getString(),
                VaultJson.seconds(authBlock, "lease_duration", ref),
                VaultJson.bool(authBlock, "renewable", ref));
    }

    /** A given token: its TTL and renewability from {@code lookup-self}; treated as not expiring if that is refused. */
    private Granted lookup(String id, SecretRef ref) {
        VaultClient.Answer answer = vault.send("GET", "auth/token/lookup-self", null, null, id);
        if (answer.status() == 403) {
            throw new SecretAccessDeniedException(
                    ref, "Vault does not accept the configured token (" + settings.auth() + ")", null);
        }
        if (answer.status() / 100 != 2) {
            return new Granted(id, 0, false);
        }
        JsonObject data = VaultJson.object(answer.json(ref), "data", ref);
        long ttl = VaultJson.seconds(data, "ttl", ref);
        if (ttl <= 0) {
            return new Granted(id, 0, false);
        }
        // What a renewal gives back is the token's TTL at its creation, not what is left of it now.
        long creationTtl = VaultJson.seconds(data, "creation_ttl", ref);
        return new Granted(id, ttl, VaultJson.bool(data, "renewable", ref), Math.max(ttl, creationTtl));
    }

    // ---- wrapped secrets ----

    private String secretId(VaultSettings.AppRoleAuth appRole, SecretRef ref) {
        if (appRole.secretId().isPresent()) {
            return appRole.secretId().get();
        }
        if (appRole.secretIdFile().isPresent()) {
            return readSecret(appRole.secretIdFile().get(), "approle.secret-id-file");
        }
        Path file = appRole.wrappedSecretIdFile().orElseThrow();
        String wrapping = readSecret(file, "approle.wrapped-secret-id-file");
        byte[] hash = sha256(wrapping);
        if (unwrappedSecretId != null && Arrays.equals(hash, usedWrappingToken)) {
            return unwrappedSecretId; // a secret id may serve many logins; its wrapping token only one unwrap
        }
        JsonObject answer =
                unwrap(wrapping, file, "auth/" + appRole.mount() + "/role/", "/secret-id", "an AppRole secret id", ref);
        JsonObject data = VaultJson.object(answer, "data", ref);
        String secretId = VaultJson.string(data, "secret_id", ref)
                .orElseThrow(() -> new SecretAccessDeniedException(
                        ref, "the answer wrapped in " + file + " holds no secret_id", null));
        usedWrappingToken = hash;
        unwrappedSecretId = secretId;
        return secretId;
    }

    private Granted wrappedToken(Path file, SecretRef ref) {
        String wrapping = readSecret(file, "wrapped-token-file");
        byte[] hash = sha256(wrapping);
        if (Arrays.equals(hash, usedWrappingToken)) {
            throw new SecretAccessDeniedException(
                    ref,
                    "the token delivered wrapped in " + file + " was unwrapped already and can give no other;"
                            + " deliver a new wrapping token there",
                    null);
        }
        JsonObject answer = unwrap(wrapping, file, "auth/token/create", "", "a token", ref);
        usedWrappingToken = hash;
        return granted(answer, "wrapped token", ref);
    }

    /**
     * The answer wrapped under {@code wrapping}, once: its creation path must start with {@code pathStart} and end
     * with {@code pathEnd}.
     */
    private JsonObject unwrap(
            String wrapping, Path file, String pathStart, String pathEnd, String what, SecretRef ref) {
        JsonObject description;
        try {
            description = vault.post(
                    "sys/wrapping/lookup",
                    Json.createObjectBuilder().add("token", wrapping).build(),
                    ref);
        } catch (SecretException e) {
            if (e.detail() != null && e.detail().contains(NOT_VALID)) {
                throw notValid(file, ref);
            }
            throw e;
        }
        String path = VaultJson.string(VaultJson.object(description, "data", ref), "creation_path", ref)
                .orElse("");
        if (!path.startsWith(pathStart) || !path.endsWith(pathEnd)) {
            String detail = "the wrapping token in " + file + " does not wrap " + what + " (Vault made it at '"
                    + path + "', not at " + pathStart + "..." + pathEnd + "): not unwrapped, it may have been"
                    + " substituted";
            events.credentialsRefused(ref, detail);
            throw new SecretAccessDeniedException(ref, detail, null);
        }
        VaultClient.Answer answer =
                vault.send("POST", "sys/wrapping/unwrap", null, JsonValue.EMPTY_JSON_OBJECT, wrapping);
        if (answer.status() == 400 && answer.errors().contains(NOT_VALID)) {
            throw notValid(file, ref);
        }
        if (answer.status() / 100 != 2) {
            throw VaultClient.failure(answer.status(), answer, ref);
        }
        return answer.json(ref);
    }

    private SecretAccessDeniedException notValid(Path file, SecretRef ref) {
        String detail = "the wrapping token in " + file + " is not valid: Vault has no such token, it was used or it"
                + " expired. If this application did not unwrap it, someone else may have: treat what it wrapped as"
                + " exposed";
        events.credentialsRefused(ref, detail);
        return new SecretAccessDeniedException(ref, detail, null);
    }

    // ---- AWS IAM ----

    /** The IAM login's body: a signed {@code sts:GetCallerIdentity}, as Vault forwards it to STS. */
    private void aws(VaultSettings.AwsAuth aws, JsonObjectBuilder body, SecretRef ref) {
        byte[] request = GET_CALLER_IDENTITY.getBytes(StandardCharsets.UTF_8);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of("application/x-www-form-urlencoded; charset=utf-8"));
        aws.serverId().ifPresent(id -> headers.put("X-Vault-AWS-IAM-Server-ID", List.of(id)));
        Map<String, List<String>> signed;
        try {
            signed = signer.sign(
                    new AwsRequestSigner.Request("POST", aws.stsEndpoint(), headers, request), aws.region(), "sts");
        } catch (SecretException e) {
            throw e.withRef(ref);
        }
        JsonObjectBuilder signedHeaders = Json.createObjectBuilder();
        signed.forEach((name, values) -> signedHeaders.add(name, Json.createArrayBuilder(values)));
        Base64.Encoder base64 = Base64.getEncoder();
        aws.role().ifPresent(role -> body.add("role", role));
        body.add("iam_http_request_method", "POST")
                .add(
                        "iam_request_url",
                        base64.encodeToString(aws.stsEndpoint().toString().getBytes(StandardCharsets.UTF_8)))
                .add("iam_request_body", base64.encodeToString(request))
                .add(
                        "iam_request_headers",
                        base64.encodeToString(signedHeaders.build().toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** The signer {@code mpsecrets-aws} provides, from this class's loader or the thread's. */
    static AwsRequestSigner awsSigner() {
        for (ClassLoader loader : new ClassLoader[] {
            VaultLogin.class.getClassLoader(), Thread.currentThread().getContextClassLoader()
        }) {
            if (loader == null) {
                continue;
            }
            try {
                Iterator<AwsRequestSigner> found =
                        ServiceLoader.load(AwsRequestSigner.class, loader).iterator();
                if (found.hasNext()) {
                    return found.next();
                }
            } catch (ServiceConfigurationError e) {
                throw new ConfigurationException(VaultSettings.PREFIX + "auth=aws: the AWS request signer cannot be"
                        + " loaded (" + e.getClass().getSimpleName() + "); is the AWS SDK on the class path?");
            }
        }
        throw new ConfigurationException(VaultSettings.PREFIX + "auth=aws needs mpsecrets-aws (and the AWS SDK) on the"
                + " class path: the AWS SDK signs the login's sts:GetCallerIdentity request with the credentials of"
                + " its default chain");
    }

    // ---- files ----

    /** A secret's file, bounded and stripped of white space at its ends; its content is never quoted. */
    static String readSecret(Path file, String setting) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = BoundedReads.readAll(in, VaultSettings.MAX_FILE_SIZE, VaultSettings.PREFIX + setting);
        } catch (BoundedReads.TooLarge e) {
            throw new ConfigurationException(VaultSettings.PREFIX + setting + ": " + file + " is " + e.getMessage());
        } catch (IOException e) {
            throw new ConfigurationException(VaultSettings.PREFIX + setting + ": cannot read " + file + " ("
                    + e.getClass().getSimpleName() + ")");
        }
        try {
            String text = new String(bytes, StandardCharsets.UTF_8).strip();
            if (text.isEmpty()) {
                throw new ConfigurationException(VaultSettings.PREFIX + setting + ": " + file + " is empty");
            }
            return text;
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "VaultLogin[" + settings.auth() + "]";
    }
}
