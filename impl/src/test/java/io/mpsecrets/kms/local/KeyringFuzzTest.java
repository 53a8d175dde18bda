package io.mpsecrets.kms.local;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.api.exception.SecretException;
import java.nio.file.Path;

/**
 * Fuzz target for the keyring file: any bytes are a keyring or a {@link ConfigurationException}; a keyring that loads
 * makes and unwraps a data key. Seeds (KeyringFuzzTestInputs): real keyrings and broken ones.
 */
class KeyringFuzzTest {

    private static final Path FILE = Path.of("fuzz-keyring.json");

    @FuzzTest(maxDuration = "")
    void keyringFile(byte[] content) {
        LocalKeyring keyring;
        try {
            keyring = LocalKeyring.parse(content, FILE);
        } catch (ConfigurationException expected) {
            return;
        }
        try (LocalKeyringKms kms = LocalKeyringKms.of(keyring)) {
            var made = kms.generateDataKey("local", EncryptionContext.forApplication("fuzz"));
            kms.decrypt(made.keyId(), made.wrappedKey(), EncryptionContext.forApplication("fuzz"))
                    .destroy();
            made.dataKey().destroy();
        } catch (SecretException expected) {
            // a keyring that loads but whose keys cannot serve: typed
        }
    }
}
