package io.mpsecrets.testkit.gcp;

import com.sun.net.httpserver.HttpExchange;
import io.mpsecrets.testkit.gcp.GoogleRest.Call;
import io.mpsecrets.testkit.gcp.GoogleRest.GoogleError;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Google Cloud mocks on the testkit's port (a test's {@code server.gcp()}): Secret Manager
 * ({@link #secretManager()}, under {@code /v1/projects/.../secrets}), Cloud KMS ({@link #kms()}, under
 * {@code /v1/projects/.../keyRings}) and the token issuers Application Default Credentials use ({@link #auth()}: the
 * OAuth 2.0 token endpoint {@code /token}, the Security Token Service {@code /v1/token}, IAM's
 * {@code generateAccessToken} and the metadata server {@code /computeMetadata/v1/}). Secret Manager and Cloud KMS
 * require a bearer token {@link #auth()} issued (401 {@code UNAUTHENTICATED} otherwise), and check their policies for
 * the principal it stands for. Point a client at {@link #endpoint()} for every one of them: Google's clients take an
 * endpoint per service ({@code mpsecrets.gcp.endpoint}, {@code mpsecrets.kms.gcp-kms.endpoint}, a key file's
 * {@code token_uri}, {@code GCE_METADATA_HOST}).
 */
public final class MockGoogleCloud {

    private static final Map<Long, String> PROJECTS = new ConcurrentHashMap<>();

    private final URI endpoint;
    private final MockGoogleAuth auth;
    private final MockSecretManager secretManager = new MockSecretManager();
    private final MockCloudKms kms = new MockCloudKms();

    /** The mocks, reached at {@code endpoint} (the testkit's address). */
    public MockGoogleCloud(URI endpoint) {
        this.endpoint = endpoint;
        this.auth = new MockGoogleAuth(endpoint);
    }

    public URI endpoint() {
        return endpoint;
    }

    public MockGoogleAuth auth() {
        return auth;
    }

    public MockSecretManager secretManager() {
        return secretManager;
    }

    public MockCloudKms kms() {
        return kms;
    }

    /**
     * The project number Google would answer with for the project id {@code project} (made up, the same for the same
     * id); a number stands for itself.
     */
    public static long projectNumber(String project) {
        if (project.chars().allMatch(Character::isDigit)) {
            return Long.parseLong(project);
        }
        long number = 100_000_000_000L + Math.floorMod((long) project.hashCode() * 2_654_435_761L, 899_999_999_999L);
        PROJECTS.putIfAbsent(number, project);
        return number;
    }

    /** The project id a request's project (an id, or a number {@link #projectNumber} made) stands for. */
    static String projectId(String project) {
        if (!project.isEmpty() && project.chars().allMatch(Character::isDigit) && project.length() < 19) {
            return PROJECTS.getOrDefault(Long.parseLong(project), project);
        }
        projectNumber(project);
        return project;
    }

    /** Whether a request to {@code path} is for one of the Google mocks. */
    public boolean serves(String path) {
        return auth.serves(path) || secretManager.serves(path) || kms.serves(path);
    }

    /** Serves one request: a token issuer's, or a Secret Manager or Cloud KMS call by an authenticated caller. */
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        try {
            byte[] body = GoogleRest.body(exchange);
            if (auth.serves(path)) {
                auth.handle(exchange, path, body);
                return;
            }
            Map<String, String> query = GoogleRest.query(exchange.getRequestURI());
            String principal = auth.principal(exchange.getRequestHeaders().getFirst("Authorization"))
                    .orElseThrow(GoogleRest::unauthenticated);
            // Google's Java HTTP transport sends PATCH as POST with this header, which Google's front ends honour.
            String override = exchange.getRequestHeaders().getFirst("X-HTTP-Method-Override");
            Call call = new Call(
                    override == null ? exchange.getRequestMethod() : override.toUpperCase(java.util.Locale.ROOT),
                    path,
                    query,
                    GoogleRest.json(body),
                    principal,
                    GoogleRest.enumsAsInts(query));
            GoogleRest.send(exchange, 200, kms.serves(path) ? kms.handle(call) : secretManager.handle(call));
        } catch (GoogleError e) {
            GoogleRest.sendError(exchange, e);
        }
    }

    @Override
    public String toString() {
        return "MockGoogleCloud[" + endpoint + "]";
    }
}
