package io.mpsecrets.gcp;

import io.mpsecrets.api.backend.Settings;
import io.mpsecrets.api.exception.ConfigurationException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How mp-secrets reaches Google Cloud and who it is there, read from {@code <prefix>*} ({@code mpsecrets.gcp.} for the
 * store; the KMS reads {@code mpsecrets.kms.gcp-kms.} first and falls back to the store's), with Google's own
 * environment variables as Google's client libraries read them: {@code GOOGLE_APPLICATION_CREDENTIALS},
 * {@code GOOGLE_CLOUD_PROJECT}, {@code GCE_METADATA_HOST}, {@code CLOUDSDK_CONFIG}.
 *
 * @param prefix where the settings were read, to name them in errors
 * @param project the project of short secret names, when set ({@code project}, else {@code GOOGLE_CLOUD_PROJECT});
 *     otherwise the credentials' project
 * @param credentialsFile a credentials file ({@code credentials-file}, else {@code GOOGLE_APPLICATION_CREDENTIALS},
 *     else gcloud's application default credentials when that file exists); empty: the metadata server
 * @param metadata the metadata server ({@code metadata-endpoint}, else {@code http://<GCE_METADATA_HOST>}, else
 *     {@code http://169.254.169.254})
 * @param impersonate a service account to act as, through IAM's {@code generateAccessToken}
 * @param iamEndpoint IAM Service Account Credentials ({@code iam-endpoint})
 * @param timeout per exchange, body included
 * @param maxAttempts tries per request while Google is throttling, failing or unreachable
 * @param maxResponseSize the largest answer read; a larger one is refused, never read whole
 */
public record GcpSettings(
        String prefix,
        Optional<String> project,
        Optional<Path> credentialsFile,
        URI metadata,
        Optional<String> impersonate,
        URI iamEndpoint,
        Duration timeout,
        int maxAttempts,
        long maxResponseSize) {

    /** The store's name, {@code gcp} as in {@code ${gcp::db-password}}. */
    public static final String STORE = "gcp";

    /** The KMS's name, {@code gcp-kms} as in {@code mpsecrets.kms=gcp-kms}. */
    public static final String KMS = "gcp-kms";

    public static final String PREFIX = "mpsecrets." + STORE + ".";

    /** The settings every reader of these settings reads, relative to its prefix. */
    static final Set<String> CONNECTION = Set.of(
            "project",
            "credentials-file",
            "metadata-endpoint",
            "impersonate-service-account",
            "iam-endpoint",
            "timeout",
            "max-attempts",
            "max-response-size");

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final long DEFAULT_MAX_RESPONSE_SIZE = 1024 * 1024;
    static final URI DEFAULT_METADATA = URI.create("http://169.254.169.254");
    static final URI DEFAULT_IAM = URI.create("https://iamcredentials.googleapis.com");

    /** A service account's e-mail address, as IAM names it in a resource name. */
    private static final Pattern SERVICE_ACCOUNT = Pattern.compile("[a-z0-9][a-z0-9.+_-]{0,99}@[a-z0-9.-]{1,200}");

    /** Project ids (6 to 30 characters, optionally domain-scoped as {@code example.com:p}) and project numbers. */
    static final Pattern PROJECT =
            Pattern.compile("(?:[a-z0-9][a-z0-9.-]{0,62}:)?[a-z][a-z0-9-]{4,28}[a-z0-9]|[0-9]{1,20}");

    /**
     * @param environment the process environment (or what stands for it)
     */
    public static GcpSettings read(String prefix, Settings settings, Map<String, String> environment) {
        Optional<String> project = settings.string(prefix + "project")
                .or(() -> nonBlank(environment.get("GOOGLE_CLOUD_PROJECT")))
                .or(() -> nonBlank(environment.get("GCLOUD_PROJECT")));
        if (project.isPresent() && !PROJECT.matcher(project.get()).matches()) {
            throw new ConfigurationException(
                    prefix + "project is not a Google Cloud project id (6 to 30 lowercase letters, digits and"
                            + " hyphens, starting with a letter) or project number");
        }
        Optional<String> impersonate = settings.string(prefix + "impersonate-service-account");
        if (impersonate.isPresent()
                && !SERVICE_ACCOUNT.matcher(impersonate.get()).matches()) {
            throw new ConfigurationException(
                    prefix + "impersonate-service-account is not a service account's e-mail address");
        }
        URI metadata = settings.url(prefix + "metadata-endpoint")
                .or(() -> nonBlank(environment.get("GCE_METADATA_HOST"))
                        .map(host -> Settings.url("GCE_METADATA_HOST", "http://" + host)))
                .orElse(DEFAULT_METADATA);
        return new GcpSettings(
                prefix,
                project,
                credentialsFile(prefix, settings, environment),
                withoutSlash(metadata),
                impersonate,
                withoutSlash(settings.url(prefix + "iam-endpoint").orElse(DEFAULT_IAM)),
                settings.duration(prefix + "timeout", DEFAULT_TIMEOUT),
                settings.intBetween(prefix + "max-attempts", 1, 20, 3),
                settings.bytes(prefix + "max-response-size", DEFAULT_MAX_RESPONSE_SIZE));
    }

    /**
     * Application Default Credentials' order: the file named by the setting or {@code GOOGLE_APPLICATION_CREDENTIALS},
     * else gcloud's ({@code gcloud auth application-default login}) where it exists, else none (the metadata server).
     */
    private static Optional<Path> credentialsFile(String prefix, Settings settings, Map<String, String> environment) {
        Optional<Path> named = settings.path(prefix + "credentials-file")
                .or(() -> nonBlank(environment.get("GOOGLE_APPLICATION_CREDENTIALS"))
                        .map(Settings::expandHome));
        if (named.isPresent()) {
            if (!Files.isReadable(named.get())) {
                throw new ConfigurationException(prefix + "credentials-file (or GOOGLE_APPLICATION_CREDENTIALS) names "
                        + named.get() + ", which is not a readable file");
            }
            return named;
        }
        Path gcloud = nonBlank(environment.get("CLOUDSDK_CONFIG"))
                .map(Path::of)
                .orElse(Path.of(System.getProperty("user.home"), ".config", "gcloud"))
                .resolve("application_default_credentials.json");
        return Files.isReadable(gcloud) ? Optional.of(gcloud) : Optional.empty();
    }

    static URI withoutSlash(URI uri) {
        String text = uri.toString();
        return text.endsWith("/") ? URI.create(text.substring(0, text.length() - 1)) : uri;
    }

    static Optional<String> nonBlank(String text) {
        return text == null || text.isBlank() ? Optional.empty() : Optional.of(text.trim());
    }
}
