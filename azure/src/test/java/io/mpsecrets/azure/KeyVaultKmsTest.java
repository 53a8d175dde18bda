package io.mpsecrets.azure;

import static io.mpsecrets.azure.AzureTestSettings.clientSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.api.DataKey;
import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.GeneratedDataKey;
import io.mpsecrets.api.exception.DecryptionFailedException;
import io.mpsecrets.api.exception.KeyDisabledException;
import io.mpsecrets.api.exception.SecretAccessDeniedException;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.api.exception.UnknownKeyException;
import io.mpsecrets.testkit.azure.MockAzure;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.mpsecrets.testkit.mock.Policy;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code azure-keyvault} KMS against the testkit's mock Key Vault over HTTPS: data keys wrapped under an RSA key's
 * current version (RSA-OAEP-256) and a Managed HSM oct-HSM key (A256KW), a rotated key wrapping new data keys under its
 * new version while old ones still unwrap, the encryption context bound, and Key Vault's refusals typed.
 */
class KeyVaultKmsTest {

    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final EncryptionContext ORDERS = EncryptionContext.forApplication("orders");
    private static MockAzure azure;
    private Map<String, String> settings;

    @BeforeAll
    static void start() {
        azure = MockAzure.start();
    }

    @AfterAll
    static void stop() {
        azure.close();
    }

    @BeforeEach
    void reset() {
        azure.vault().faults().reset();
        settings = clientSecret(azure);
    }

    private KeyVaultKms kms() {
        return new KeyVaultKms(AzureTestSettings.read(settings, Map.of()));
    }

    private static String keyName(String hint) {
        return hint + "-" + NAMES.incrementAndGet();
    }

    private static String keyId(String name) {
        return KeyVaultKms.PREFIX + azure.vaultUrl() + "/keys/" + name;
    }

    private static byte[] bytes(DataKey key) {
        return key.secretKey().getEncoded();
    }

    @Test
    void anRsaKeyWrapsADataKeyUnderItsCurrentVersionAndUnwrapsIt() {
        String name = keyName("orders-key");
        String versioned = azure.vault().createRsaKey(name);
        KeyVaultKms kms = kms();
        GeneratedDataKey generated = kms.generateDataKey(keyId(name), ORDERS);
        assertEquals(KeyVaultKms.PREFIX + versioned, generated.keyId(), "the value names the version that wrapped it");
        assertEquals(DataKey.LENGTH, bytes(generated.dataKey()).length);
        assertEquals((byte) 1, generated.wrappedKey()[1], "RSA-OAEP-256");

        long unwraps = azure.vault().counter().calls("UnwrapKey");
        DataKey unwrapped = kms.decrypt(generated.keyId(), generated.wrappedKey(), ORDERS);
        assertArrayEquals(bytes(generated.dataKey()), bytes(unwrapped));
        assertEquals(unwraps + 1, azure.vault().counter().calls("UnwrapKey"), "one unwrap per data key");
        LeakGuard.assertNoLeak(kms, generated, unwrapped);
    }

    @Test
    void aManagedHsmOctKeyWrapsWithAesKeyWrap() {
        String name = keyName("hsm-key");
        azure.vault().createOctKey(name);
        KeyVaultKms kms = kms();
        GeneratedDataKey generated = kms.generateDataKey(keyId(name), ORDERS);
        assertEquals((byte) 2, generated.wrappedKey()[1], "A256KW");
        assertArrayEquals(
                bytes(generated.dataKey()), bytes(kms.decrypt(generated.keyId(), generated.wrappedKey(), ORDERS)));
    }

    @Test
    void aRotatedKeyWrapsNewDataKeysUnderTheNewVersionAndOldOnesStillUnwrap() {
        String name = keyName("rotated-key");
        String first = azure.vault().createRsaKey(name);
        KeyVaultKms kms = kms();
        GeneratedDataKey before = kms.generateDataKey(keyId(name), ORDERS);
        String second = azure.vault().rotateKey(name);
        GeneratedDataKey after = kms.generateDataKey(keyId(name), ORDERS);

        assertEquals(KeyVaultKms.PREFIX + first, before.keyId());
        assertEquals(KeyVaultKms.PREFIX + second, after.keyId());
        assertArrayEquals(bytes(before.dataKey()), bytes(kms.decrypt(before.keyId(), before.wrappedKey(), ORDERS)));
        assertArrayEquals(bytes(after.dataKey()), bytes(kms.decrypt(after.keyId(), after.wrappedKey(), ORDERS)));
        // The old version named with the new version's wrapped key: Key Vault cannot unwrap it.
        DecryptionFailedException crossed = assertThrows(
                DecryptionFailedException.class, () -> kms.decrypt(before.keyId(), after.wrappedKey(), ORDERS));
        assertEquals(FailureReason.WRONG_KEY, crossed.reason());
    }

    @Test
    void aDataKeyWrappedForAnotherApplicationOrTamperedIsAWrongKey() {
        String name = keyName("context-key");
        azure.vault().createRsaKey(name);
        KeyVaultKms kms = kms();
        GeneratedDataKey generated = kms.generateDataKey(keyId(name), ORDERS);

        DecryptionFailedException other = assertThrows(
                DecryptionFailedException.class,
                () -> kms.decrypt(
                        generated.keyId(), generated.wrappedKey(), EncryptionContext.forApplication("billing")));
        assertEquals(FailureReason.WRONG_KEY, other.reason());
        assertThat(other.getMessage()).contains("another encryption context");

        byte[] tampered = generated.wrappedKey().clone();
        tampered[tampered.length - 1] ^= 1;
        DecryptionFailedException flipped =
                assertThrows(DecryptionFailedException.class, () -> kms.decrypt(generated.keyId(), tampered, ORDERS));
        assertEquals(FailureReason.WRONG_KEY, flipped.reason());

        long unwraps = azure.vault().counter().calls("UnwrapKey");
        byte[] notOurs = {9, 9, 9, 9};
        assertThrows(DecryptionFailedException.class, () -> kms.decrypt(generated.keyId(), notOurs, ORDERS));
        assertEquals(unwraps, azure.vault().counter().calls("UnwrapKey"), "a foreign blob is not sent to Key Vault");
        LeakGuard.assertNoLeak(other, flipped);
    }

    @Test
    void missingDisabledAndDeniedKeysAreTypedRefusals() {
        KeyVaultKms kms = kms();
        UnknownKeyException missing =
                assertThrows(UnknownKeyException.class, () -> kms.generateDataKey(keyId(keyName("absent")), ORDERS));
        assertEquals("azure-keyvault", missing.ref().backend());
        assertThat(missing.reason().transientFailure()).isFalse();

        String disabled = keyName("disabled-key");
        azure.vault().createRsaKey(disabled);
        GeneratedDataKey made = kms.generateDataKey(keyId(disabled), ORDERS);
        azure.vault().keyEnabled(disabled, false);
        assertThrows(KeyDisabledException.class, () -> kms.generateDataKey(keyId(disabled), ORDERS));
        SecretException unwrapDisabled =
                assertThrows(KeyDisabledException.class, () -> kms.decrypt(made.keyId(), made.wrappedKey(), ORDERS));
        assertThat(unwrapDisabled.getMessage()).contains("KeyDisabled");

        String denied = keyName("denied-key");
        azure.vault().createRsaKey(denied);
        GeneratedDataKey deniedKey = kms.generateDataKey(keyId(denied), ORDERS);
        azure.vault().keyPolicy(denied, Policy.of(Policy.allow(AzureTestSettings.CLIENT, "get", "wrapKey")));
        SecretException refused = assertThrows(
                SecretAccessDeniedException.class,
                () -> kms.decrypt(deniedKey.keyId(), deniedKey.wrappedKey(), ORDERS));
        assertThat(refused.getMessage()).contains("ForbiddenByRbac");
        assertThat(refused.reason().transientFailure()).isFalse();
    }

    @Test
    void keyIdsAreCheckedBeforeAnythingIsAsked() {
        KeyVaultKms kms = kms();
        long before = azure.vault().counter().total();
        for (String bad : new String[] {
            "azure-keyvault:http://plain.example/keys/k",
            "azure-keyvault:https://v.vault.azure.net/secrets/k",
            "azure-keyvault:https://v.vault.azure.net/keys/../secrets/k",
            "azure-keyvault:https://v.vault.azure.net/keys/k?x=y",
            "aws:alias/k"
        }) {
            assertThrows(UnknownKeyException.class, () -> kms.generateDataKey(bad, ORDERS), bad);
        }
        assertEquals(before, azure.vault().counter().total());
        assertThat(new KeyVaultKmsFactory().supports(keyId("k"))).isTrue();
        assertThat(new KeyVaultKmsFactory().supports("aws:alias/k")).isFalse();
    }

    @Test
    void throttledWrapsAreRetriedAndThenTransient() {
        String name = keyName("busy-key");
        azure.vault().createRsaKey(name);
        azure.vault().retryAfter(java.time.Duration.ZERO);
        try {
            KeyVaultKms kms = kms();
            kms.generateDataKey(keyId(name), ORDERS);
            azure.vault().faults().throttleNext(1);
            GeneratedDataKey generated = kms.generateDataKey(keyId(name), ORDERS);
            azure.vault().faults().throttleNext(5);
            SecretException busy = assertThrows(
                    SecretException.class, () -> kms.decrypt(generated.keyId(), generated.wrappedKey(), ORDERS));
            assertEquals(FailureReason.THROTTLED, busy.reason());
        } finally {
            azure.vault().retryAfter(java.time.Duration.ofSeconds(1));
        }
    }
}
