package io.mpsecrets.bench.startup;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.BatchGetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.SecretValueEntry;

/**
 * The floor under an application that reads its secrets from AWS with the AWS SDK itself, by hand and with nothing
 * kept or checked beyond it: {@link StartupApp}'s plain application, then either ({@code secrets}) the same values read
 * from Secrets Manager with one SDK client and {@code BatchGetSecretValue} (20 names a call, as AWS allows), or
 * ({@code kms}) one data key unwrapped with the SDK's KMS client (the same encryption context mp-secrets binds) and the
 * values decrypted with JCA's AES-GCM; and one {@code java.util.logging} line (the audit record). Both clients are
 * built as mp-secrets builds them: the JDK URL-connection HTTP client, a region, an endpoint and a named profile.
 *
 * <pre>java -cp ... io.mpsecrets.bench.startup.StartupAwsFloorApp app.properties 50 secrets|kms floor.txt endpoint
 * profile</pre>
 *
 * {@code floor.txt}: for {@code secrets}, one secret name a line; for {@code kms}, the wrapped data key (base64), the
 * application name, then one {@code base64(nonce || ciphertext)} a line.
 */
public final class StartupAwsFloorApp {

    private StartupAwsFloorApp() {}

    public static void main(String[] args) throws Exception {
        StartupApp.main(new String[] {args[0], args[1]});
        int n = Integer.parseInt(args[1]);
        List<String> lines = Files.readAllLines(Path.of(args[3]));
        URI endpoint = URI.create(args[4]);
        DefaultCredentialsProvider credentials =
                DefaultCredentialsProvider.builder().profileName(args[5]).build();
        int read;
        if (args[2].equals("secrets")) {
            read = readSecrets(lines, endpoint, credentials);
        } else {
            read = decryptValues(lines, endpoint, credentials);
        }
        if (read != n) {
            throw new IllegalStateException("the floor read " + read + " values, not " + n);
        }
        Logger.getLogger("io.mpsecrets.bench.floor").info("event=read values=" + n + " outcome=ok");
    }

    private static int readSecrets(List<String> names, URI endpoint, DefaultCredentialsProvider credentials) {
        int read = 0;
        try (SecretsManagerClient client = SecretsManagerClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(Region.US_EAST_1)
                .endpointOverride(endpoint)
                .credentialsProvider(credentials)
                .build()) {
            for (int from = 0; from < names.size(); from += 20) {
                List<String> batch = names.subList(from, Math.min(names.size(), from + 20));
                BatchGetSecretValueResponse answer = client.batchGetSecretValue(b -> b.secretIdList(batch));
                for (SecretValueEntry entry : answer.secretValues()) {
                    if (entry.secretString() == null || !entry.secretString().startsWith("secret-value-")) {
                        throw new IllegalStateException("a secret did not read");
                    }
                    read++;
                }
            }
        }
        return read;
    }

    private static int decryptValues(List<String> lines, URI endpoint, DefaultCredentialsProvider credentials)
            throws Exception {
        byte[] key;
        try (KmsClient kms = KmsClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(Region.US_EAST_1)
                .endpointOverride(endpoint)
                .credentialsProvider(credentials)
                .build()) {
            Map<String, String> context = new HashMap<>();
            context.put("mpsecrets:app", lines.get(1));
            key = kms.decrypt(b -> b.ciphertextBlob(
                                    SdkBytes.fromByteArray(Base64.getDecoder().decode(lines.get(0))))
                            .encryptionContext(context))
                    .plaintext()
                    .asByteArray();
        }
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        SecretKeySpec spec = new SecretKeySpec(key, "AES");
        List<String> plaintexts = new ArrayList<>();
        for (String line : lines.subList(2, lines.size())) {
            byte[] sealed = Base64.getDecoder().decode(line);
            cipher.init(Cipher.DECRYPT_MODE, spec, new GCMParameterSpec(128, sealed, 0, 12));
            plaintexts.add(new String(cipher.doFinal(sealed, 12, sealed.length - 12), StandardCharsets.UTF_8));
        }
        java.util.Arrays.fill(key, (byte) 0);
        return (int)
                plaintexts.stream().filter(p -> p.startsWith("secret-value-")).count();
    }
}
