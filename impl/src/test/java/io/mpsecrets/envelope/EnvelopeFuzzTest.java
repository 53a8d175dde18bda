package io.mpsecrets.envelope;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.backend.KmsRegistry;
import io.mpsecrets.kms.local.LocalKeyring;
import io.mpsecrets.kms.local.LocalKeyringKms;
import io.mpsecrets.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * Fuzz targets for {@code ENC(...)} values: any text, and any binary record inside {@code ENC(...)}, is parsed and
 * decrypted under the test keyring. The only outcome besides a plaintext is a {@link SecretException}; any other
 * exception is a finding. The seeds (EnvelopeFuzzTestInputs) are values that decrypt, and known edge cases.
 */
class EnvelopeFuzzTest {

    private static final EnvelopeDecryptor DECRYPTOR = new EnvelopeDecryptor(
            KmsRegistry.builder()
                    .add(LocalKeyringKms.of(LocalKeyring.load(Fixtures.testKeyring())), LocalKeyringKms::isLocalKeyId)
                    .build(),
            new DataKeyCache(16),
            EncryptionContext.forApplication("default"));

    private static void decrypt(String property, String text) {
        try {
            byte[] plaintext = DECRYPTOR.decrypt(property, EncryptedValue.parse(text, SecretRef.property(property)));
            Arrays.fill(plaintext, (byte) 0);
        } catch (SecretException expected) {
            // a typed refusal: what bad input must get
        }
    }

    @FuzzTest(maxDuration = "")
    void encText(byte[] input) {
        decrypt("db.password", new String(input, StandardCharsets.UTF_8));
    }

    @FuzzTest(maxDuration = "")
    void encBinary(byte[] record) {
        decrypt("db.password", "ENC(" + Base64.getUrlEncoder().withoutPadding().encodeToString(record) + ")");
    }
}
