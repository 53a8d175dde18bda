package io.mpsecrets.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** The packaged jar, as a developer runs it: {@code java -jar testkit/target/mpsecrets-testkit.jar --port 0}. */
class StandaloneServerIT {

    @TempDir
    Path dir;

    @Test
    void printsItsAddressFirstAndServesKmsSecretsManagerAndVaultOnOnePort() throws Exception {
        Path jar = Path.of("target", "mpsecrets-testkit.jar");
        assertThat(jar).exists();
        Path policies = dir.resolve("policies.json");
        Files.writeString(
                policies, "{\"kms\": {\"alias/orders\": [{\"principal\": \"AKIDAPP\", \"operations\": [\"*\"]}]}}");
        Process process = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        jar.toString(),
                        "--port",
                        "0",
                        "--create-key",
                        "alias/orders",
                        "--policies",
                        policies.toString(),
                        "--vault-token",
                        "dev-root")
                .redirectErrorStream(true)
                .start();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String first = out.readLine();
            assertThat(first).matches("listening http://127\\.0\\.0\\.1:\\d+");
            URI endpoint = URI.create(first.substring("listening ".length()));
            // Where each mock is and the Vault token, then the keys it created.
            List<String> banner = new ArrayList<>();
            String line = out.readLine();
            while (line != null && !line.startsWith("kms key ")) {
                banner.add(line);
                line = out.readLine();
            }
            assertThat(banner)
                    .contains("vault " + endpoint + " token dev-root", "kms " + endpoint + " region us-east-1");
            assertThat(line)
                    .startsWith("kms key arn:aws:kms:us-east-1:111122223333:key/")
                    .endsWith(" alias/orders");

            try (KmsClient app = kms(endpoint, "AKIDAPP");
                    KmsClient other = kms(endpoint, "AKIDOTHER");
                    SecretsManagerClient secrets = SecretsManagerClient.builder()
                            .httpClientBuilder(UrlConnectionHttpClient.builder())
                            .endpointOverride(endpoint)
                            .region(Region.US_EAST_1)
                            .credentialsProvider(credentials("AKIDAPP"))
                            .build()) {
                assertThat(app.describeKey(b -> b.keyId("alias/orders"))
                                .keyMetadata()
                                .enabled())
                        .isTrue();
                KmsException denied =
                        assertThrows(KmsException.class, () -> other.describeKey(b -> b.keyId("alias/orders")));
                assertEquals("AccessDeniedException", denied.awsErrorDetails().errorCode());
                secrets.createSecret(b -> b.name("prod/db").secretString("{}"));
                assertEquals(
                        "{}", secrets.getSecretValue(b -> b.secretId("prod/db")).secretString());
            }
            HttpResponse<String> vault = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(endpoint.resolve("/v1/auth/token/lookup-self"))
                                    .header("X-Vault-Token", "dev-root")
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(200, vault.statusCode());
        } finally {
            process.destroy();
            assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static StaticCredentialsProvider credentials(String principal) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(principal, "x"));
    }

    private static KmsClient kms(URI endpoint, String principal) {
        return KmsClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials(principal))
                .build();
    }
}
