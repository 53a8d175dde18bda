package io.mpsecrets.testkit.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.testkit.Clients;
import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.WithMockServer;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.mpsecrets.testkit.mock.Policy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AlreadyExistsException;
import software.amazon.awssdk.services.kms.model.CreateKeyResponse;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.DisabledException;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.IncorrectKeyException;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.NotFoundException;

@WithMockServer
class MockKmsTest {

    private static final byte[] CANARY = LeakGuard.CANARY.getBytes(StandardCharsets.UTF_8);

    private final MockServer server;
    private final KmsClient kms;

    MockKmsTest(MockServer server) {
        this.server = server;
        this.kms = Clients.kms(server, "AKIDWORKER1");
    }

    @AfterEach
    void reset() {
        server.kms().faults().reset();
        server.kms().counter().reset();
        kms.close();
    }

    private String newKey(String alias) {
        CreateKeyResponse key = kms.createKey(b -> b.description("test key"));
        kms.createAlias(b -> b.aliasName(alias).targetKeyId(key.keyMetadata().keyId()));
        return key.keyMetadata().arn();
    }

    @Test
    void createDescribeAndListKeysAndAliases() {
        String arn = newKey("alias/orders-" + System.nanoTime());
        assertThat(arn).matches("arn:aws:kms:us-east-1:111122223333:key/[0-9a-f-]{36}");
        var described = kms.describeKey(b -> b.keyId(arn)).keyMetadata();
        assertEquals(KeyState.ENABLED, described.keyState());
        assertEquals("111122223333", described.awsAccountId());
        assertThat(described.creationDate()).isNotNull();
        assertThat(kms.listAliases(b -> b.keyId(arn)).aliases())
                .singleElement()
                .satisfies(a -> assertThat(a.aliasName()).startsWith("alias/orders-"));
    }

    @Test
    void aliasRulesAreAwss() {
        String arn = newKey("alias/dup");
        assertThrows(
                AlreadyExistsException.class,
                () -> kms.createAlias(b -> b.aliasName("alias/dup").targetKeyId(arn)));
        KmsException reserved = assertThrows(
                KmsException.class,
                () -> kms.createAlias(b -> b.aliasName("alias/aws/x").targetKeyId(arn)));
        assertEquals("NotAuthorizedException", reserved.awsErrorDetails().errorCode());
        KmsException invalid = assertThrows(
                KmsException.class,
                () -> kms.createAlias(b -> b.aliasName("no-prefix").targetKeyId(arn)));
        assertEquals("ValidationException", invalid.awsErrorDetails().errorCode());
        assertThrows(
                NotFoundException.class,
                () -> kms.createAlias(
                        b -> b.aliasName("alias/other").targetKeyId("0f3c2e8a-aaaa-bbbb-cccc-0123456789ab")));
        assertThrows(NotFoundException.class, () -> kms.describeKey(b -> b.keyId("alias/nope")));
    }

    @Test
    void dataKeysDecryptUnderTheirContextOnly() {
        String arn = newKey("alias/data");
        Map<String, String> context = Map.of("mpsecrets:app", "orders");
        GenerateDataKeyResponse dataKey = kms.generateDataKey(
                b -> b.keyId("alias/data").keySpec(DataKeySpec.AES_256).encryptionContext(context));
        assertEquals(arn, dataKey.keyId());
        assertEquals(32, dataKey.plaintext().asByteArray().length);
        LeakGuard.watch(dataKey.plaintext().asByteArray());

        DecryptResponse decrypted =
                kms.decrypt(b -> b.ciphertextBlob(dataKey.ciphertextBlob()).encryptionContext(context));
        assertArrayEquals(
                dataKey.plaintext().asByteArray(), decrypted.plaintext().asByteArray());
        assertEquals(arn, decrypted.keyId());
        assertThrows(
                InvalidCiphertextException.class,
                () -> kms.decrypt(b -> b.ciphertextBlob(dataKey.ciphertextBlob())
                        .encryptionContext(Map.of("mpsecrets:app", "billing"))));
        assertThrows(
                InvalidCiphertextException.class, () -> kms.decrypt(b -> b.ciphertextBlob(dataKey.ciphertextBlob())));

        var withoutPlaintext =
                kms.generateDataKeyWithoutPlaintext(b -> b.keyId(arn).numberOfBytes(16));
        assertEquals(
                16,
                kms.decrypt(b -> b.ciphertextBlob(withoutPlaintext.ciphertextBlob()))
                        .plaintext()
                        .asByteArray()
                        .length);
    }

    @Test
    void generateDataKeyValidatesLikeAws() {
        newKey("alias/validate");
        KmsException both = assertThrows(
                KmsException.class,
                () -> kms.generateDataKey(b ->
                        b.keyId("alias/validate").keySpec(DataKeySpec.AES_256).numberOfBytes(32)));
        assertEquals("ValidationException", both.awsErrorDetails().errorCode());
        assertEquals(
                "ValidationException",
                assertThrows(KmsException.class, () -> kms.generateDataKey(b -> b.keyId("alias/validate")))
                        .awsErrorDetails()
                        .errorCode());
        assertEquals(
                "ValidationException",
                assertThrows(
                                KmsException.class,
                                () -> kms.generateDataKey(
                                        b -> b.keyId("alias/validate").numberOfBytes(2000)))
                        .awsErrorDetails()
                        .errorCode());
        assertThrows(
                NotFoundException.class,
                () -> kms.generateDataKey(b -> b.keyId("alias/unknown").keySpec(DataKeySpec.AES_256)));
    }

    @Test
    void everySingleBitFlipOfABlobIsInvalidCiphertext() {
        String arn = newKey("alias/tamper");
        byte[] blob = kms.encrypt(b -> b.keyId(arn).plaintext(SdkBytes.fromByteArray(CANARY)))
                .ciphertextBlob()
                .asByteArray();
        for (int bit = 0; bit < blob.length * 8; bit += 7) {
            byte[] flipped = blob.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThrows(
                    KmsException.class,
                    () -> kms.decrypt(b -> b.ciphertextBlob(SdkBytes.fromByteArray(flipped))),
                    "bit " + bit);
        }
        assertThat(new String(blob, StandardCharsets.ISO_8859_1)).doesNotContain("canary");
    }

    @Test
    void encryptDecryptAndReEncrypt() {
        String source = newKey("alias/source");
        String destination = newKey("alias/destination");
        var encrypted = kms.encrypt(b -> b.keyId("alias/source")
                .plaintext(SdkBytes.fromByteArray(CANARY))
                .encryptionContext(Map.of("a", "1")));
        assertEquals(source, encrypted.keyId());
        var reEncrypted = kms.reEncrypt(b -> b.ciphertextBlob(encrypted.ciphertextBlob())
                .sourceEncryptionContext(Map.of("a", "1"))
                .destinationKeyId("alias/destination")
                .destinationEncryptionContext(Map.of("b", "2")));
        assertEquals(source, reEncrypted.sourceKeyId());
        assertEquals(destination, reEncrypted.keyId());
        assertArrayEquals(
                CANARY,
                kms.decrypt(b -> b.ciphertextBlob(reEncrypted.ciphertextBlob()).encryptionContext(Map.of("b", "2")))
                        .plaintext()
                        .asByteArray());
        assertThrows(
                IncorrectKeyException.class,
                () -> kms.decrypt(b -> b.keyId(source)
                        .ciphertextBlob(reEncrypted.ciphertextBlob())
                        .encryptionContext(Map.of("b", "2"))));
        KmsException tooLong = assertThrows(
                KmsException.class,
                () -> kms.encrypt(b -> b.keyId(source).plaintext(SdkBytes.fromByteArray(new byte[5000]))));
        assertEquals("ValidationException", tooLong.awsErrorDetails().errorCode());
    }

    @Test
    void rotationAddsMaterialAndOldCiphertextsKeepDecrypting() {
        String arn = newKey("alias/rotating");
        var before = kms.encrypt(b -> b.keyId(arn).plaintext(SdkBytes.fromByteArray(CANARY)));
        kms.enableKeyRotation(b -> b.keyId(arn).rotationPeriodInDays(90));
        assertThat(kms.getKeyRotationStatus(b -> b.keyId(arn)).keyRotationEnabled())
                .isTrue();
        kms.rotateKeyOnDemand(b -> b.keyId(arn));
        assertEquals(2, server.kms().materialVersions(arn));
        var after = kms.encrypt(b -> b.keyId(arn).plaintext(SdkBytes.fromByteArray(CANARY)));
        assertArrayEquals(
                CANARY,
                kms.decrypt(b -> b.ciphertextBlob(before.ciphertextBlob()))
                        .plaintext()
                        .asByteArray());
        assertArrayEquals(
                CANARY,
                kms.decrypt(b -> b.ciphertextBlob(after.ciphertextBlob()))
                        .plaintext()
                        .asByteArray());
        kms.disableKeyRotation(b -> b.keyId(arn));
        assertThat(kms.getKeyRotationStatus(b -> b.keyId(arn)).keyRotationEnabled())
                .isFalse();
    }

    @Test
    void aDisabledKeyRefusesCryptoUntilEnabled() {
        String arn = newKey("alias/disable");
        var blob = kms.encrypt(b -> b.keyId(arn).plaintext(SdkBytes.fromByteArray(CANARY)))
                .ciphertextBlob();
        kms.disableKey(b -> b.keyId(arn));
        assertEquals(
                KeyState.DISABLED,
                kms.describeKey(b -> b.keyId(arn)).keyMetadata().keyState());
        assertThrows(DisabledException.class, () -> kms.decrypt(b -> b.ciphertextBlob(blob)));
        assertThrows(
                DisabledException.class,
                () -> kms.generateDataKey(b -> b.keyId(arn).keySpec(DataKeySpec.AES_256)));
        kms.enableKey(b -> b.keyId(arn));
        assertArrayEquals(
                CANARY, kms.decrypt(b -> b.ciphertextBlob(blob)).plaintext().asByteArray());
    }

    @Test
    void keyPoliciesDecideWhichPrincipalAndWorkerContextMayUnwrap() {
        String arn = newKey("alias/policy");
        server.kms()
                .policy(
                        arn,
                        Policy.of(
                                Policy.allow("AKIDWORKER1", "*"),
                                Policy.allowWithContext("AKIDWORKER2", Map.of("mpsecrets:app", "orders"), "Decrypt")));
        Map<String, String> orders = Map.of("mpsecrets:app", "orders");
        var dataKey = kms.generateDataKey(
                b -> b.keyId(arn).keySpec(DataKeySpec.AES_256).encryptionContext(orders));
        try (KmsClient second = Clients.kms(server, "AKIDWORKER2");
                KmsClient stranger = Clients.kms(server, "AKIDSTRANGER")) {
            assertEquals(
                    32,
                    second.decrypt(b ->
                                    b.ciphertextBlob(dataKey.ciphertextBlob()).encryptionContext(orders))
                            .plaintext()
                            .asByteArray()
                            .length);
            KmsException wrongContext = assertThrows(
                    KmsException.class,
                    () -> second.decrypt(b -> b.ciphertextBlob(dataKey.ciphertextBlob())
                            .encryptionContext(Map.of("mpsecrets:app", "billing"))));
            assertEquals("AccessDeniedException", wrongContext.awsErrorDetails().errorCode());
            KmsException denied = assertThrows(
                    KmsException.class,
                    () -> second.generateDataKey(
                            b -> b.keyId(arn).keySpec(DataKeySpec.AES_256).encryptionContext(orders)));
            assertEquals("AccessDeniedException", denied.awsErrorDetails().errorCode());
            assertThat(denied.awsErrorDetails().errorMessage()).contains("AKIDWORKER2", "kms:GenerateDataKey", arn);
            assertEquals(
                    "AccessDeniedException",
                    assertThrows(KmsException.class, () -> stranger.describeKey(b -> b.keyId(arn)))
                            .awsErrorDetails()
                            .errorCode());
        }
    }

    @Test
    void throttlingIsRetriedByTheSdkThenSurfaces() {
        String arn = newKey("alias/throttle");
        server.kms().faults().throttleNext(2);
        kms.describeKey(b -> b.keyId(arn));
        assertEquals(3, server.kms().calls("DescribeKey"), "two throttled attempts, then success");
        server.kms().faults().throttleRate(1.0);
        KmsException throttled = assertThrows(KmsException.class, () -> kms.describeKey(b -> b.keyId(arn)));
        assertThat(throttled.isThrottlingException()).isTrue();
        assertEquals("ThrottlingException", throttled.awsErrorDetails().errorCode());
    }

    @Test
    void serverErrorsAreRetriedAndLatencyIsAdded() {
        String arn = newKey("alias/flaky");
        server.kms().faults().only("Encrypt").failNext(1);
        kms.encrypt(b -> b.keyId(arn).plaintext(SdkBytes.fromByteArray(CANARY)));
        assertEquals(2, server.kms().calls("Encrypt"));
        server.kms().faults().reset().latency(Duration.ofMillis(200));
        long start = System.nanoTime();
        kms.describeKey(b -> b.keyId(arn));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    void unknownOperationsAndMissingCredentialsAreRefused() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var response = http.send(
                java.net.http.HttpRequest.newBuilder(server.endpoint())
                        .header("X-Amz-Target", "TrentService.Decrypt")
                        .header("Content-Type", "application/x-amz-json-1.1")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}"))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(400, response.statusCode());
        assertThat(response.body()).contains("MissingAuthenticationTokenException");
        assertThat(response.headers().firstValue("x-amzn-RequestId")).isPresent();
    }
}
