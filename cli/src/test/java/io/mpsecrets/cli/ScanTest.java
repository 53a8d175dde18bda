package io.mpsecrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.envelope.EnvelopeEncryptor;
import io.mpsecrets.kms.local.LocalKeyring;
import io.mpsecrets.kms.local.LocalKeyringKms;
import io.mpsecrets.testkit.leak.LeakGuard;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mpsecrets scan} over a fixture repository: planted plaintext secrets in each kind of configuration file
 * an application ships (and clean files beside them: ENC values, store references, expressions, placeholders,
 * digests), the application's own values in a log, and a secret that only the history still holds.
 */
class ScanTest {

    /** Plaintexts planted in the fixtures: none may appear in what the scan prints. */
    private static final List<String> PLANTED = List.of(
            "hunter2-plain-Kx9",
            "S3cretPass",
            "Zp8vQ2mL7xR4tN9w",
            "sk_live_51Hx8TqLkd",
            "plainPw1234",
            "wildflyPw99",
            "jpaPw-777",
            "k8sPlainPw1",
            "q8Vd2LmZr7Tn4Xw9Bk3Hf6Jp",
            "AKIAJ7QX2MZLK4PRT5VA");

    @TempDir
    Path dir;

    private Path write(String name, String... lines) throws Exception {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.write(file, List.of(lines));
        return file;
    }

    private CliRun.Result scan(String... args) {
        PLANTED.forEach(LeakGuard::watch);
        CliRun.Result result = CliRun.run(Map.of(), "", args);
        LeakGuard.check(result.out(), "scan's standard output");
        return result;
    }

    private void plantConfiguration() throws Exception {
        write(
                "repo/src/main/resources/application.properties",
                "db.user=orders",
                "db.password=hunter2-plain-Kx9",
                "api.token=ENC(AQEADGxvY2FsOnRlc3QtMgA9AV2TMz9iud92myktk0dIPjEhMmYO3X4tuMDo50N2HFxnISPBzaHiPq1o)",
                "db.url=jdbc:postgresql://orders:S3cretPass@db:5432/orders",
                "mail.password=${vault::mail#password}",
                "placeholder.password=changeme",
                "cache.salt=q8Vd2LmZr7Tn4Xw9Bk3Hf6Jp",
                "build.sha=3f786850e387550fdab836ed7e6dc881de23001b");
        write(
                "repo/src/main/resources/application.yaml",
                "app:",
                "  oauth:",
                "    client-secret: Zp8vQ2mL7xR4tN9w",
                "    client-id: orders-service",
                "  other: ${gcp::orders-key}");
        write("repo/.env", "export STRIPE_API_KEY=sk_live_51Hx8TqLkd", "DB_PASSWORD=ENC(AQEADGxvY2Fs)");
        write(
                "repo/liberty/server.xml",
                "<server>",
                "  <dataSource id=\"orders\"><properties.postgresql user=\"orders\" password=\"plainPw1234\"/>",
                "  </dataSource>",
                "  <authData id=\"a\" user=\"u\" password=\"{xor}Lz4sLCgwLTs=\"/>",
                "  <authData id=\"b\" user=\"u\" password=\"{aes}ARCk7cs3TFKpQAhzAyt1CUVw\"/>",
                "</server>");
        write(
                "repo/wildfly/standalone.xml",
                "<security><user-name>orders</user-name><password>wildflyPw99</password></security>",
                "<security><password>${env.DB_PASSWORD}</password></security>");
        write(
                "repo/src/main/resources/META-INF/persistence.xml",
                "<property name=\"jakarta.persistence.jdbc.user\" value=\"orders\"/>",
                "<property name=\"jakarta.persistence.jdbc.password\" value=\"jpaPw-777\"/>");
        write(
                "repo/k8s/deployment.yaml",
                "kind: Deployment",
                "spec:",
                "  template:",
                "    spec:",
                "      containers:",
                "        - name: orders",
                "          env:",
                "            - name: LOG_LEVEL",
                "              value: debug",
                "            - name: DB_PASSWORD",
                "              value: k8sPlainPw1",
                "---",
                "kind: Secret",
                "metadata:",
                "  name: orders",
                "stringData:",
                "  username: orders",
                "data:",
                "  token: c2stbGl2ZQ==");
        write(
                "repo/notes.txt",
                "-----BEGIN PRIVATE KEY-----",
                "the docs' key AKIAIOSFODNN7EXAMPLE is no one's, AKIAJ7QX2MZLK4PRT5VA is someone's");
    }

    @Test
    void findsEachPlantedSecretByFileLineAndRuleAndNothingInTheCleanOnes() throws Exception {
        plantConfiguration();
        CliRun.Result result = scan("scan", dir.resolve("repo").toString());

        assertThat(result.out().lines().sorted().toList())
                .containsExactly(
                        ".env:1: plaintext-secret: STRIPE_API_KEY",
                        "k8s/deployment.yaml:11: plaintext-secret: DB_PASSWORD",
                        "k8s/deployment.yaml:17: kubernetes-secret: stringData.username",
                        "k8s/deployment.yaml:19: kubernetes-secret: data.token",
                        "liberty/server.xml:2: plaintext-secret: password",
                        "liberty/server.xml:4: obfuscated-password: password",
                        "notes.txt:1: private-key: private-key",
                        "notes.txt:2: aws-access-key: aws-access-key",
                        "src/main/resources/META-INF/persistence.xml:2: plaintext-secret:"
                                + " jakarta.persistence.jdbc.password",
                        "src/main/resources/application.properties:2: plaintext-secret: db.password",
                        "src/main/resources/application.properties:4: credentials-in-url: db.url",
                        "src/main/resources/application.properties:7: high-entropy: cache.salt (warning)",
                        "src/main/resources/application.yaml:3: plaintext-secret: app.oauth.client-secret",
                        "wildfly/standalone.xml:1: plaintext-secret: password");
        assertThat(result.status()).isEqualTo(MpSecretsCommand.FAILED);
        assertThat(result.err()).contains("8 file(s)").contains("14 finding(s)");
    }

    @Test
    void aCleanTreeExitsZero() throws Exception {
        write("clean/app.properties", "db.password=ENC(AQEADGxvY2Fs)", "api.key=${aws::prod/api#key}");
        CliRun.Result result = scan("scan", dir.resolve("clean").toString());
        assertThat(result.out()).isEmpty();
        assertThat(result.status()).isEqualTo(MpSecretsCommand.OK);
        assertThat(result.err()).contains("no findings");
    }

    @Test
    void findsTheApplicationsOwnValuesInALogAsTheyAreAndEncoded() throws Exception {
        Path keyring = dir.resolve("keyring.json");
        LocalKeyring.generate("dev").writeTo(keyring, false);
        String password = "pw \"" + LeakGuard.CANARY + "\"/&";
        Files.createDirectories(dir.resolve("store"));
        Files.writeString(dir.resolve("store/api-token"), "tok-" + LeakGuard.CANARY);
        Path config = write(
                "app/app.properties",
                "mpsecrets.kms.local.keyring=" + keyring,
                "mpsecrets.file.dir=" + dir.resolve("store"),
                "db.password=" + enc(keyring, password, "db.password"),
                "api.token=${file::api-token}");
        String basic = Base64.getEncoder().encodeToString(("orders:" + password).getBytes(StandardCharsets.UTF_8));
        write(
                "logs/server.log",
                "started",
                "connecting with " + password,
                "calling with tok-" + LeakGuard.CANARY,
                "jdbc:postgresql://db/orders?password=" + URLEncoder.encode(password, StandardCharsets.UTF_8),
                "Authorization: Basic " + basic,
                "{\"password\":\"pw \\\"" + LeakGuard.CANARY + "\\\"/&\"}",
                "nothing here");

        CliRun.Result result =
                scan("scan", "--config", config.toString(), dir.resolve("logs").toString());

        assertThat(result.out().lines().toList())
                .containsExactly(
                        "server.log:2: exposed-value: db.password",
                        "server.log:3: exposed-value: api.token",
                        "server.log:4: exposed-value: db.password",
                        "server.log:5: exposed-value: db.password",
                        "server.log:6: exposed-value: db.password");
        assertThat(result.err()).contains("2 secret value(s) looked for");
    }

    @Test
    void withGitASecretThatOnlyTheHistoryHoldsIsFoundInTheCommitThatBroughtItIn() throws Exception {
        Path repo = dir.resolve("history");
        RevCommit leaked;
        try (Git git =
                Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            write("history/app.properties", "db.password=hunter2-plain-Kx9");
            git.add().addFilepattern(".").call();
            leaked = commit(git, "add the config");
            write("history/app.properties", "db.password=ENC(AQEADGxvY2Fs)");
            git.add().addFilepattern(".").call();
            commit(git, "encrypt the password");
        }
        assertThat(scan("scan", repo.toString()).status()).isEqualTo(MpSecretsCommand.OK);

        CliRun.Result result = scan("scan", "--git", repo.toString());
        assertThat(result.out().lines().toList())
                .containsExactly(leaked.abbreviate(12).name() + ":app.properties:1: plaintext-secret: db.password");
        assertThat(result.err()).contains("2 file version(s) in 2 commit(s)");
    }

    @Test
    void sarifNamesRulesFilesAndLinesForACiSystem() throws Exception {
        plantConfiguration();
        Path out = dir.resolve("scan.sarif");
        CliRun.Result result = scan(
                "scan",
                "--format",
                "sarif",
                "--output",
                out.toString(),
                dir.resolve("repo").toString());
        assertThat(result.status()).isEqualTo(MpSecretsCommand.FAILED);
        String text = Files.readString(out);
        LeakGuard.check(text, "the SARIF file");
        PLANTED.forEach(planted -> assertThat(text).doesNotContain(planted));
        JsonObject sarif;
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            sarif = reader.readObject();
        }
        assertThat(sarif.getString("version")).isEqualTo("2.1.0");
        JsonObject run = sarif.getJsonArray("runs").getJsonObject(0);
        assertThat(run.getJsonObject("tool").getJsonObject("driver").getString("name"))
                .isEqualTo("mpsecrets scan");
        assertThat(run.getJsonArray("results")).hasSize(14);
        JsonObject first = run.getJsonArray("results").stream()
                .map(v -> v.asJsonObject())
                .filter(r -> r.getString("ruleId").equals("credentials-in-url"))
                .findFirst()
                .orElseThrow();
        JsonObject location = first.getJsonArray("locations").getJsonObject(0).getJsonObject("physicalLocation");
        assertThat(location.getJsonObject("artifactLocation").getString("uri"))
                .isEqualTo("src/main/resources/application.properties");
        assertThat(location.getJsonObject("region").getInt("startLine")).isEqualTo(4);
        assertThat(first.getString("level")).isEqualTo("error");
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(scan("scan", dir.resolve("missing").toString()).status()).isEqualTo(MpSecretsCommand.USAGE);
        assertThat(scan("scan", "--format", "xml", dir.toString()).status()).isEqualTo(MpSecretsCommand.USAGE);
    }

    private static RevCommit commit(Git git, String message) throws Exception {
        return git.commit()
                .setMessage(message)
                .setAuthor("Test", "test@example.org")
                .setCommitter("Test", "test@example.org")
                .setSign(false)
                .call();
    }

    private static String enc(Path keyring, String plaintext, String property) {
        try (LocalKeyringKms kms = LocalKeyringKms.open(keyring);
                EnvelopeEncryptor encryptor =
                        new EnvelopeEncryptor(kms, "local:dev-1", EncryptionContext.forApplication("default"))) {
            return encryptor.encrypt(plaintext.getBytes(StandardCharsets.UTF_8), property);
        }
    }
}
