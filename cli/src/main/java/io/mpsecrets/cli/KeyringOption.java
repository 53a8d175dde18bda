package io.mpsecrets.cli;

import io.mpsecrets.kms.local.LocalKeyringKmsFactory;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --keyring FILE}; by default $MPSECRETS_KEYRING, else ~/.mpsecrets/keyring.json (as the runtime). */
final class KeyringOption {

    @Option(
            names = "--keyring",
            paramLabel = "FILE",
            description = "Local keyring file (default: $MPSECRETS_KEYRING or ~/.mpsecrets/keyring.json).")
    Path keyring;

    Path resolve(Map<String, String> env) {
        if (keyring != null) {
            return keyring;
        }
        String fromEnv = env.get("MPSECRETS_KEYRING");
        return fromEnv != null && !fromEnv.isBlank() ? Path.of(fromEnv) : LocalKeyringKmsFactory.defaultKeyring();
    }
}
