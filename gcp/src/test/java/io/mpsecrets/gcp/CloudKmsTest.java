package io.mpsecrets.gcp;

import static io.mpsecrets.gcp.GcpTestSupport.ACCOUNT;
import static io.mpsecrets.gcp.GcpTestSupport.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpsecrets.api.DataKey;
import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.GeneratedDataKey;
import io.mpsecrets.api.KeyManagementService;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.WithMockServer;
import io.mpsecrets.testkit.gcp.MockCloudKms;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.mpsecrets.testkit.mock.Policy;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code gcp-kms} KMS against the testkit's Cloud KMS, built by its factory (its credentials from the store's
 * settings): data keys wrapped and unwrapped, the encryption context enforced by Cloud KMS as additional authenticated
 * data, rotation keeping old data keys, Google's integrity fields checked, refusals typed.
 */
@WithMockServer
class CloudKmsTest {

    private static final EncryptionContext ORDERS = EncryptionContext.forApplication("orders");

    private final MockServer server;
    private final MockCloudKms keys;

    @TempDir
    Path dir;

    CloudKmsTest(MockServer server) {
        this.server = server;
        this.keys = server.gcp().kms();
    }

    @AfterEach
    void reset() {
        keys.faults().reset();
        keys.corruptNextAnswers(0);
    }

    private String newKey() {
        return keys.createKey("projects/orders-prod/locations/europe-west1/keyRings/mpsecrets/cryptoKeys/k-"
                + UUID.randomUUID().toString().substring(0, 8));
    }

    private KeyManagementService kms() {
        return GcpTestSupport.kms(settings(server, dir));
    }

    private static byte[] bytes(DataKey key) {
        return key.secretKey().getEncoded();
    }

    @Test
    void aDataKeyIsWrappedAndUnwrappedUnderItsContext() {
        String key = newKey();
        KeyManagementService kms = kms();
        assertTrue(new CloudKmsFactory().supports("gcp-kms:" + key));
        assertFalse(new CloudKmsFactory().supports("gcp-kms:projects/p/keyRings/r"));
        long encrypts = keys.calls("Encrypt");
        long decrypts = keys.calls("Decrypt");
        GeneratedDataKey generated = kms.generateDataKey("gcp-kms:" + key, ORDERS);
        DataKey unwrapped = kms.decrypt("gcp-kms:" + key, generated.wrappedKey(), ORDERS);
        assertArrayEquals(bytes(generated.dataKey()), bytes(unwrapped));
        assertEquals(encrypts + 1, keys.calls("Encrypt"));
        assertEquals(decrypts + 1, keys.calls("Decrypt"));
        LeakGuard.assertNoLeak(kms, generated, unwrapped);
    }

    @Test
    void cloudKmsItselfRefusesADataKeyForAnotherApplication() {
        String key = newKey();
        KeyManagementService kms = kms();
        GeneratedDataKey generated = kms.generateDataKey("gcp-kms:" + key, ORDERS);
        long before = keys.calls("Decrypt");
        SecretException other = assertThrows(
                SecretException.class,
                () -> kms.decrypt(
                        "gcp-kms:" + key, generated.wrappedKey(), EncryptionContext.forApplication("billing")));
        assertEquals(FailureReason.WRONG_KEY, other.reason());
        assertEquals(before + 1, keys.calls("Decrypt"), "Cloud KMS was asked, and refused: not retried");
        SecretException none = assertThrows(
                SecretException.class,
                () -> kms.decrypt("gcp-kms:" + key, generated.wrappedKey(), EncryptionContext.empty()));
        assertEquals(FailureReason.WRONG_KEY, none.reason());
    }

    @Test
    void aRotatedKeyStillUnwrapsWhatItsOlderVersionWrapped() {
        String key = newKey();
        KeyManagementService kms = kms();
        GeneratedDataKey before = kms.generateDataKey("gcp-kms:" + key, ORDERS);
        assertEquals(2, keys.rotate(key));
        GeneratedDataKey after = kms.generateDataKey("gcp-kms:" + key, ORDERS);
        assertArrayEquals(bytes(before.dataKey()), bytes(kms.decrypt("gcp-kms:" + key, before.wrappedKey(), ORDERS)));
        assertArrayEquals(bytes(after.dataKey()), bytes(kms.decrypt("gcp-kms:" + key, after.wrappedKey(), ORDERS)));

        keys.disable(key, 1);
        SecretException disabled =
                assertThrows(SecretException.class, () -> kms.decrypt("gcp-kms:" + key, before.wrappedKey(), ORDERS));
        assertEquals(FailureReason.KEY_DISABLED, disabled.reason());
        assertFalse(disabled.reason().transientFailure());
    }

    @Test
    void answersThatFailTheirIntegrityChecksAreAskedAgainThenRefused() {
        String key = newKey();
        KeyManagementService kms = kms();
        keys.corruptNextAnswers(1);
        GeneratedDataKey generated = kms.generateDataKey("gcp-kms:" + key, ORDERS);
        keys.corruptNextAnswers(1);
        assertArrayEquals(
                bytes(generated.dataKey()), bytes(kms.decrypt("gcp-kms:" + key, generated.wrappedKey(), ORDERS)));

        keys.corruptNextAnswers(3);
        SecretException corrupted = assertThrows(
                SecretException.class, () -> kms.decrypt("gcp-kms:" + key, generated.wrappedKey(), ORDERS));
        assertEquals(FailureReason.INVALID_VALUE, corrupted.reason());
        assertThat(corrupted.getMessage()).contains("integrity");
    }

    @Test
    void deniedMissingAndMalformedKeysAreTypedFailures() {
        String key = newKey();
        KeyManagementService kms = kms();
        GeneratedDataKey generated = kms.generateDataKey("gcp-kms:" + key, ORDERS);
        keys.policy(key, Policy.of(Policy.allow("someone-else@example.com", MockCloudKms.DECRYPT)));
        SecretException denied = assertThrows(
                SecretException.class, () -> kms.decrypt("gcp-kms:" + key, generated.wrappedKey(), ORDERS));
        assertEquals(FailureReason.ACCESS_DENIED, denied.reason());
        keys.policy(key, Policy.of(Policy.allow(ACCOUNT, MockCloudKms.DECRYPT, MockCloudKms.ENCRYPT)));
        assertArrayEquals(
                bytes(generated.dataKey()), bytes(kms.decrypt("gcp-kms:" + key, generated.wrappedKey(), ORDERS)));

        SecretException missing = assertThrows(
                SecretException.class,
                () -> kms.generateDataKey("gcp-kms:" + key.replace("/cryptoKeys/", "/cryptoKeys/no-"), ORDERS));
        assertEquals(FailureReason.UNKNOWN_KEY, missing.reason());
        for (String id : new String[] {
            "gcp-kms:projects/x", "aws:alias/x", "gcp-kms:projects/orders-prod/locations/eu/keyRings/r/cryptoKeys/../k"
        }) {
            assertEquals(
                    FailureReason.UNKNOWN_KEY,
                    assertThrows(SecretException.class, () -> kms.generateDataKey(id, ORDERS))
                            .reason(),
                    id);
        }
        LeakGuard.assertNoLeak(denied, missing);
    }

    @Test
    void throttlingIsRetriedThenTransient() {
        String key = newKey();
        KeyManagementService kms = kms();
        keys.faults().only("Encrypt").throttleNext(1);
        kms.generateDataKey("gcp-kms:" + key, ORDERS);
        keys.faults().reset();
        keys.faults().only("Encrypt").throttleNext(3);
        SecretException throttled =
                assertThrows(SecretException.class, () -> kms.generateDataKey("gcp-kms:" + key, ORDERS));
        assertEquals(FailureReason.THROTTLED, throttled.reason());
    }
}
