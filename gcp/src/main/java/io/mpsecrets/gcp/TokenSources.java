package io.mpsecrets.gcp;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.backend.BoundedReads;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.api.exception.InvalidSecretValueException;
import io.mpsecrets.api.exception.ServiceUnavailableException;
import io.mpsecrets.gcp.GcpFailures.Api;
import io.mpsecrets.gcp.GoogleCredentials.Source;
import io.mpsecrets.gcp.GoogleCredentials.Token;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Where Application Default Credentials get access tokens, one class per kind of credentials Google's libraries
 * accept: a service account key (a signed JWT exchanged at its {@code token_uri}, RFC 7523), gcloud's user credentials
 * (a refresh token), workload identity federation (a subject token from a file or URL exchanged at Google's Security
 * Token Service, RFC 8693, then optionally a service account impersonated), the metadata server, and service account
 * impersonation (IAM Service Account Credentials {@code generateAccessToken}). Every answer is bounded and checked: a
 * token is printable ASCII of at most 8 KiB and lives from one second to a day. Nothing here prints a key, a token, a
 * refresh token, a client secret or a subject token, and a token endpoint's error that quotes one is withheld.
 */
final class TokenSources {

    /** The scope every token is asked for: Secret Manager and Cloud KMS both accept it. */
    static final String CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform";

    static final URI GOOGLE_TOKEN_URI = URI.create("https://oauth2.googleapis.com/token");

    private static final int MAX_TOKEN_LENGTH = 8192;
    private static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7e]+");
    private static final long MAX_LIFETIME_SECONDS = 24 * 3600;

    private TokenSources() {}

    /**
     * The source a credentials file describes, by its {@code type}.
     *
     * @param where the setting and file, to name them in errors
     * @throws ConfigurationException when the file is not one this reads, naming what is missing (never a value)
     */
    static Source fromJson(JsonObject json, String where, GcpHttp http, LongSupplier nanoTime) {
        String type = text(json, "type", where);
        switch (type) {
            case "service_account":
                return new ServiceAccount(
                        http,
                        text(json, "client_email", where),
                        privateKey(text(json, "private_key", where), where),
                        optional(json, "private_key_id", where).orElse(null),
                        optional(json, "token_uri", where)
                                .map(uri -> url(uri, where + " token_uri"))
                                .orElse(GOOGLE_TOKEN_URI),
                        optional(json, "project_id", where));
            case "authorized_user":
                return new AuthorizedUser(
                        http,
                        text(json, "client_id", where),
                        text(json, "client_secret", where),
                        text(json, "refresh_token", where),
                        optional(json, "token_uri", where)
                                .map(uri -> url(uri, where + " token_uri"))
                                .orElse(GOOGLE_TOKEN_URI),
                        optional(json, "quota_project_id", where));
            case "external_account":
                return externalAccount(json, where, http, nanoTime);
            case "impersonated_service_account": {
                if (!(json.get("source_credentials") instanceof JsonObject inner)) {
                    throw new ConfigurationException(where + " has no source_credentials object");
                }
                Source base = fromJson(inner, where + " source_credentials", http, nanoTime);
                URI url = url(text(json, "service_account_impersonation_url", where), where);
                return new Impersonated(
                        http.authenticated(new GoogleCredentials(base, nanoTime)),
                        url,
                        strings(json, "delegates"),
                        base);
            }
            default:
                // The type is not quoted: a file that is not a credentials file may hold anything in that field.
                throw new ConfigurationException(where + " is of a type not read here; the types read are"
                        + " service_account, authorized_user, external_account and impersonated_service_account");
        }
    }

    private static Source externalAccount(JsonObject json, String where, GcpHttp http, LongSupplier nanoTime) {
        if (!(json.get("credential_source") instanceof JsonObject credentialSource)) {
            throw new ConfigurationException(where + " has no credential_source object");
        }
        SubjectToken subject;
        if (credentialSource.containsKey("file")) {
            subject = new SubjectToken(
                    Optional.of(Path.of(text(credentialSource, "file", where))),
                    Optional.empty(),
                    Map.of(),
                    format(credentialSource, where));
        } else if (credentialSource.containsKey("url")) {
            Map<String, String> headers = new LinkedHashMap<>();
            if (credentialSource.get("headers") instanceof JsonObject given) {
                given.forEach((name, value) -> {
                    if (value instanceof JsonString text) {
                        headers.put(name, text.getString());
                    }
                });
            }
            subject = new SubjectToken(
                    Optional.empty(),
                    Optional.of(url(text(credentialSource, "url", where), where + " credential_source.url")),
                    headers,
                    format(credentialSource, where));
        } else {
            throw new ConfigurationException(where + ": only file and url credential sources are read (not an AWS"
                    + " environment_id or an executable); point credential_source at a file or URL that holds the"
                    + " subject token");
        }
        Source federated = new ExternalAccount(
                http,
                text(json, "audience", where),
                text(json, "subject_token_type", where),
                optional(json, "token_url", where)
                        .map(uri -> url(uri, where + " token_url"))
                        .orElse(URI.create("https://sts.googleapis.com/v1/token")),
                subject);
        Optional<String> impersonation = optional(json, "service_account_impersonation_url", where);
        if (impersonation.isEmpty()) {
            return federated;
        }
        return new Impersonated(
                http.authenticated(new GoogleCredentials(federated, nanoTime)),
                url(impersonation.get(), where + " service_account_impersonation_url"),
                List.of(),
                federated);
    }

    /** A service account key: a JWT signed with its key, exchanged at its {@code token_uri} (RFC 7523). */
    static final class ServiceAccount implements Source {
        private final GcpHttp http;
        private final String email;
        private final PrivateKey key;
        private final String keyId;
        private final URI tokenUri;
        private final Optional<String> project;

        ServiceAccount(
                GcpHttp http, String email, PrivateKey key, String keyId, URI tokenUri, Optional<String> project) {
            this.http = http;
            this.email = email;
            this.key = key;
            this.keyId = keyId;
            this.tokenUri = tokenUri;
            this.project = project;
        }

        @Override
        public Token fetch(SecretRef ref) {
            String assertion = assertion(Instant.now());
            return oauth(
                    http,
                    tokenUri,
                    form("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion", assertion),
                    List.of(assertion),
                    ref);
        }

        /** The JWT: RS256, issued by the service account for the cloud-platform scope, to the token endpoint. */
        String assertion(Instant now) {
            Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
            var header = Json.createObjectBuilder().add("alg", "RS256").add("typ", "JWT");
            if (keyId != null) {
                header.add("kid", keyId);
            }
            String claims = Json.createObjectBuilder()
                    .add("iss", email)
                    .add("scope", CLOUD_PLATFORM)
                    .add("aud", tokenUri.toString())
                    .add("iat", now.getEpochSecond())
                    .add("exp", now.getEpochSecond() + 3600)
                    .build()
                    .toString();
            String signed = base64.encodeToString(header.build().toString().getBytes(StandardCharsets.UTF_8)) + "."
                    + base64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
            try {
                Signature signature = Signature.getInstance("SHA256withRSA");
                signature.initSign(key);
                signature.update(signed.getBytes(StandardCharsets.US_ASCII));
                return signed + "." + base64.encodeToString(signature.sign());
            } catch (GeneralSecurityException e) {
                throw new ConfigurationException("cannot sign with the service account's key ("
                        + e.getClass().getSimpleName() + ")");
            }
        }

        @Override
        public Optional<String> project(SecretRef ref) {
            return project;
        }

        @Override
        public String describe() {
            return "service account " + email;
        }
    }

    /** gcloud's user credentials ({@code gcloud auth application-default login}): a refresh token. */
    static final class AuthorizedUser implements Source {
        private final GcpHttp http;
        private final String clientId;
        private final String clientSecret;
        private final String refreshToken;
        private final URI tokenUri;
        private final Optional<String> quotaProject;

        AuthorizedUser(
                GcpHttp http,
                String clientId,
                String clientSecret,
                String refreshToken,
                URI tokenUri,
                Optional<String> quotaProject) {
            this.http = http;
            this.clientId = clientId;
            this.clientSecret = clientSecret;
            this.refreshToken = refreshToken;
            this.tokenUri = tokenUri;
            this.quotaProject = quotaProject;
        }

        @Override
        public Token fetch(SecretRef ref) {
            return oauth(
                    http,
                    tokenUri,
                    form(
                            "grant_type", "refresh_token",
                            "client_id", clientId,
                            "client_secret", clientSecret,
                            "refresh_token", refreshToken),
                    List.of(clientSecret, refreshToken),
                    ref);
        }

        @Override
        public Optional<String> project(SecretRef ref) {
            return quotaProject;
        }

        @Override
        public String describe() {
            return "user credentials of client " + clientId;
        }
    }

    /** How an external account's subject token is read: from a file (read afresh each time) or a URL. */
    record SubjectToken(Optional<Path> file, Optional<URI> url, Map<String, String> headers, Optional<String> field) {
        String read(GcpHttp http, SecretRef ref) {
            byte[] bytes;
            if (file.isPresent()) {
                try (InputStream in = Files.newInputStream(file.get())) {
                    bytes = BoundedReads.readAll(in, GoogleCredentials.MAX_FILE_SIZE, "the subject token file");
                } catch (IOException e) {
                    // A projected token being rewritten, or a volume not mounted yet: worth another try.
                    throw new ServiceUnavailableException(
                            FailureReason.UNAVAILABLE,
                            ref,
                            "cannot read the subject token file " + file.get() + " ("
                                    + e.getClass().getSimpleName() + ")",
                            null);
                }
            } else {
                GcpHttp.Answer answer = http.send("GET", url.get(), headers, null, null, Api.TOKEN, ref);
                if (!answer.ok()) {
                    throw GcpFailures.oauth(answer.status(), answer.body(), Api.TOKEN, ref, List.of());
                }
                bytes = answer.body();
            }
            String token;
            if (field.isPresent()) {
                JsonObject json = GcpJson.parse(bytes, "the subject token source", ref);
                token = GcpJson.required(json, field.get(), "the subject token source", ref);
            } else {
                token = new String(bytes, StandardCharsets.UTF_8).trim();
            }
            if (token.isEmpty()) {
                throw new InvalidSecretValueException(ref, "the subject token source holds no token");
            }
            return token;
        }
    }

    /** Workload identity federation: a subject token exchanged at the Security Token Service (RFC 8693). */
    static final class ExternalAccount implements Source {
        private final GcpHttp http;
        private final String audience;
        private final String subjectTokenType;
        private final URI tokenUrl;
        private final SubjectToken subject;

        ExternalAccount(GcpHttp http, String audience, String subjectTokenType, URI tokenUrl, SubjectToken subject) {
            this.http = http;
            this.audience = audience;
            this.subjectTokenType = subjectTokenType;
            this.tokenUrl = tokenUrl;
            this.subject = subject;
        }

        @Override
        public Token fetch(SecretRef ref) {
            String subjectToken = subject.read(http, ref);
            return oauth(
                    http,
                    tokenUrl,
                    form(
                            "grant_type", "urn:ietf:params:oauth:grant-type:token-exchange",
                            "audience", audience,
                            "scope", CLOUD_PLATFORM,
                            "requested_token_type", "urn:ietf:params:oauth:token-type:access_token",
                            "subject_token", subjectToken,
                            "subject_token_type", subjectTokenType),
                    List.of(subjectToken),
                    ref);
        }

        @Override
        public String describe() {
            return "external account " + audience;
        }
    }

    /** The metadata server of Compute Engine, GKE and Cloud Run: the attached service account's token. */
    static final class Metadata implements Source {
        private static final Map<String, String> FLAVOR = Map.of("Metadata-Flavor", "Google");
        private final GcpHttp http;
        private final URI endpoint;

        Metadata(GcpHttp http, URI endpoint) {
            this.http = http;
            this.endpoint = endpoint;
        }

        @Override
        public Token fetch(SecretRef ref) {
            GcpHttp.Answer answer = ask("instance/service-accounts/default/token", ref);
            JsonObject json = GcpJson.parse(answer.body(), Api.METADATA.words, ref);
            return token(
                    GcpJson.required(json, "access_token", Api.METADATA.words, ref),
                    GcpJson.integer(json, "expires_in", 0, Long.MAX_VALUE, Api.METADATA.words, ref)
                            .orElse(300L),
                    Api.METADATA,
                    ref);
        }

        /** {@code project/project-id}, plain text. */
        @Override
        public Optional<String> project(SecretRef ref) {
            byte[] body = ask("project/project-id", ref).body();
            String project = new String(body, StandardCharsets.UTF_8).trim();
            if (!GcpSettings.PROJECT.matcher(project).matches()) {
                throw new InvalidSecretValueException(ref, "the metadata server answered with no project id");
            }
            return Optional.of(project);
        }

        private GcpHttp.Answer ask(String path, SecretRef ref) {
            URI uri = URI.create(endpoint + "/computeMetadata/v1/" + path);
            GcpHttp.Answer answer = http.send("GET", uri, FLAVOR, null, null, Api.METADATA, ref);
            if (answer.ok() && !answer.metadataFlavor().filter("Google"::equals).isPresent()) {
                // Google's libraries check this too: whatever answered is not the metadata server (a proxy, a portal).
                throw new InvalidSecretValueException(
                        ref, "the metadata server's answer lacks the header Metadata-Flavor: Google");
            }
            if (!answer.ok()) {
                throw GcpFailures.oauth(answer.status(), answer.body(), Api.METADATA, ref, List.of());
            }
            return answer;
        }

        @Override
        public String describe() {
            return "metadata server " + endpoint;
        }
    }

    /** A service account impersonated through IAM Service Account Credentials {@code generateAccessToken}. */
    static final class Impersonated implements Source {
        private static final Pattern URL_PATH =
                Pattern.compile("/v1/projects/-/serviceAccounts/[^/?#]+:generateAccessToken");
        private final GcpHttp caller;
        private final URI url;
        private final List<String> delegates;
        private final Source base;

        /**
         * @param caller a client authenticated as the identity that impersonates
         * @param base that identity's source, whose project these credentials keep
         */
        Impersonated(GcpHttp caller, URI url, List<String> delegates, Source base) {
            if (!URL_PATH.matcher(url.getRawPath()).matches()) {
                throw new ConfigurationException("a service account impersonation URL is"
                        + " <iam endpoint>/v1/projects/-/serviceAccounts/<e-mail>:generateAccessToken");
            }
            this.caller = caller;
            this.url = url;
            this.delegates = List.copyOf(delegates);
            this.base = base;
        }

        static URI url(URI iamEndpoint, String account) {
            return URI.create(iamEndpoint + "/v1/projects/-/serviceAccounts/"
                    + URLEncoder.encode(account, StandardCharsets.UTF_8) + ":generateAccessToken");
        }

        @Override
        public Token fetch(SecretRef ref) {
            JsonArrayBuilder names = Json.createArrayBuilder();
            delegates.forEach(delegate -> names.add("projects/-/serviceAccounts/" + delegate));
            JsonObject request = Json.createObjectBuilder()
                    .add("scope", Json.createArrayBuilder().add(CLOUD_PLATFORM))
                    .add("delegates", names)
                    .add("lifetime", "3600s")
                    .build();
            JsonObject answer = caller.post(url, request, Api.IAM_CREDENTIALS, ref, List.of());
            String words = Api.IAM_CREDENTIALS.words;
            String expire = GcpJson.required(answer, "expireTime", words, ref);
            long seconds;
            try {
                seconds = Duration.between(Instant.now(), Instant.parse(expire)).toSeconds();
            } catch (DateTimeParseException e) {
                throw new InvalidSecretValueException(ref, words + " answered with an expireTime that is no time");
            }
            return token(GcpJson.required(answer, "accessToken", words, ref), seconds, Api.IAM_CREDENTIALS, ref);
        }

        @Override
        public Optional<String> project(SecretRef ref) {
            return base.project(ref);
        }

        @Override
        public String describe() {
            return "service account impersonated by " + base.describe();
        }
    }

    /** A POST to an OAuth 2.0 token endpoint and its answer: {@code access_token} and {@code expires_in}. */
    static Token oauth(GcpHttp http, URI endpoint, byte[] form, List<String> withheld, SecretRef ref) {
        GcpHttp.Answer answer =
                http.send("POST", endpoint, Map.of(), "application/x-www-form-urlencoded", form, Api.TOKEN, ref);
        if (!answer.ok()) {
            throw GcpFailures.oauth(answer.status(), answer.body(), Api.TOKEN, ref, withheld);
        }
        JsonObject json = GcpJson.parse(answer.body(), Api.TOKEN.words, ref);
        return token(
                GcpJson.required(json, "access_token", Api.TOKEN.words, ref),
                GcpJson.integer(json, "expires_in", 0, Long.MAX_VALUE, Api.TOKEN.words, ref)
                        .orElse(300L),
                Api.TOKEN,
                ref);
    }

    /** A token as a service gave it: printable ASCII of at most 8 KiB, living from one second to a day. */
    static Token token(String value, long seconds, Api api, SecretRef ref) {
        if (value.length() > MAX_TOKEN_LENGTH || !TOKEN.matcher(value).matches()) {
            throw new InvalidSecretValueException(
                    ref, api.words + " answered with a token that cannot be sent as a bearer token");
        }
        if (seconds < 1 || seconds > MAX_LIFETIME_SECONDS) {
            throw new InvalidSecretValueException(
                    ref, api.words + " answered with a token that expires in " + seconds + " s (1 s to a day is read)");
        }
        return new Token(value, Duration.ofSeconds(seconds));
    }

    private static byte[] form(String... pairs) {
        StringJoiner out = new StringJoiner("&");
        for (int i = 0; i < pairs.length; i += 2) {
            out.add(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static PrivateKey privateKey(String pem, String where) {
        String body = pem.replace("-----BEGIN PRIVATE KEY-----", "")
                .replace("-----END PRIVATE KEY-----", "")
                .replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new ConfigurationException(where + ": private_key is not a PEM PKCS #8 RSA key");
        }
    }

    private static Optional<String> format(JsonObject credentialSource, String where) {
        if (!(credentialSource.get("format") instanceof JsonObject format)) {
            return Optional.empty();
        }
        String type = optional(format, "type", where).orElse("text");
        if (type.equals("text")) {
            return Optional.empty();
        }
        if (type.equals("json")) {
            return Optional.of(text(format, "subject_token_field_name", where));
        }
        throw new ConfigurationException(where + ": credential_source.format.type is text or json");
    }

    private static String text(JsonObject json, String name, String where) {
        return optional(json, name, where).orElseThrow(() -> new ConfigurationException(where + " has no " + name));
    }

    private static Optional<String> optional(JsonObject json, String name, String where) {
        JsonValue value = json.get(name);
        if (value == null || value == JsonValue.NULL) {
            return Optional.empty();
        }
        if (value instanceof JsonString text && !text.getString().isBlank()) {
            return Optional.of(text.getString().trim());
        }
        throw new ConfigurationException(where + ": " + name + " is not a string");
    }

    private static List<String> strings(JsonObject json, String name) {
        List<String> out = new ArrayList<>();
        if (json.get(name) instanceof jakarta.json.JsonArray array) {
            array.forEach(value -> {
                if (value instanceof JsonString text) {
                    out.add(text.getString());
                }
            });
        }
        return out;
    }

    private static URI url(String text, String where) {
        return GcpSettings.withoutSlash(io.mpsecrets.api.backend.Settings.url(where, text));
    }
}
