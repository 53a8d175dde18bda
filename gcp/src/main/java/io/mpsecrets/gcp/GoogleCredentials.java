package io.mpsecrets.gcp;

import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.backend.BoundedReads;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.api.exception.SecretException;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Application Default Credentials, as Google's client libraries find them, and the access token they give, kept until
 * shortly before it expires: the credentials file named by {@code credentials-file} or
 * {@code GOOGLE_APPLICATION_CREDENTIALS} (a service account key, gcloud's user credentials, workload identity
 * federation's {@code external_account}, or an {@code impersonated_service_account}), else gcloud's application default
 * credentials file, else the metadata server of Compute Engine, GKE or Cloud Run; then, when
 * {@code impersonate-service-account} is set, that service account through IAM's {@code generateAccessToken}. The file
 * is read when the backend is built (a wrong file is a configuration error at start-up); no token is asked for until a
 * request needs one. A token is used until {@link #REFRESH_MARGIN} (at most half its life) before it expires, then a
 * new one is asked for, by one thread while the others wait; a token Google answers 401 to is dropped once.
 */
final class GoogleCredentials implements GcpHttp.Credentials {

    /** As Google's own libraries: a token is refreshed when less than 3 min 45 s of it remain. */
    static final Duration REFRESH_MARGIN = Duration.ofSeconds(225);

    /** A credentials file is a few kilobytes; more is not one. */
    static final long MAX_FILE_SIZE = 64 * 1024;

    /** Where tokens come from. */
    interface Source {

        /** A new token; throws as the token endpoint's answer says. */
        Token fetch(SecretRef ref);

        /** The project these credentials belong to, when they name one (a key file's {@code project_id}). */
        default Optional<String> project(SecretRef ref) {
            return Optional.empty();
        }

        /** What the credentials are, without anything secret: {@code service account orders@p.iam...}. */
        String describe();
    }

    /** An access token and how long it is valid from when it was received. Never prints its value. */
    record Token(String value, Duration lifetime) {
        @Override
        public String toString() {
            return "Token[redacted, " + lifetime + "]";
        }
    }

    private final Source source;
    private final LongSupplier nanoTime;
    private String token;
    private long refreshAt;

    GoogleCredentials(Source source, LongSupplier nanoTime) {
        this.source = source;
        this.nanoTime = nanoTime;
    }

    /**
     * The application's default credentials, from {@code settings}, asking for tokens through {@code http}; with
     * {@code impersonate-service-account}, those of that service account.
     *
     * @throws ConfigurationException when the credentials file cannot be read or is not one Google's libraries accept
     */
    static GoogleCredentials applicationDefault(GcpSettings settings, GcpHttp http, LongSupplier nanoTime) {
        Source source = settings.credentialsFile()
                .map(file -> fromFile(file, settings, http, nanoTime))
                .orElseGet(() -> new TokenSources.Metadata(http, settings.metadata()));
        GoogleCredentials base = new GoogleCredentials(source, nanoTime);
        if (settings.impersonate().isEmpty()) {
            return base;
        }
        String account = settings.impersonate().get();
        return new GoogleCredentials(
                new TokenSources.Impersonated(
                        http.authenticated(base),
                        TokenSources.Impersonated.url(settings.iamEndpoint(), account),
                        java.util.List.of(),
                        source),
                nanoTime);
    }

    private static Source fromFile(Path file, GcpSettings settings, GcpHttp http, LongSupplier nanoTime) {
        String setting = settings.prefix() + "credentials-file";
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = BoundedReads.readAll(in, MAX_FILE_SIZE, setting);
        } catch (IOException e) {
            throw new ConfigurationException(setting + ": cannot read " + file + " (" + e.getMessage() + ")");
        }
        JsonObject json;
        try {
            json = GcpJson.parse(bytes, "the credentials file", SecretRef.NONE);
        } catch (SecretException e) {
            throw new ConfigurationException(setting + ": " + file + " is not a JSON credentials file");
        }
        return TokenSources.fromJson(json, setting + " " + file, http, nanoTime);
    }

    @Override
    public synchronized String token(SecretRef ref) {
        long now = nanoTime.getAsLong();
        if (token == null || now - refreshAt >= 0) {
            Token fresh = source.fetch(ref);
            long lifetime = fresh.lifetime().toNanos();
            token = fresh.value();
            refreshAt = now + lifetime - Math.min(REFRESH_MARGIN.toNanos(), lifetime / 2);
        }
        return token;
    }

    @Override
    public synchronized boolean refused(String refused) {
        if (refused != null && refused.equals(token)) {
            token = null;
        }
        return true;
    }

    /** The credentials' own project, if they name one (a key file's, the metadata server's). */
    Optional<String> project(SecretRef ref) {
        return source.project(ref);
    }

    @Override
    public String toString() {
        return "GoogleCredentials[" + source.describe() + "]";
    }
}
