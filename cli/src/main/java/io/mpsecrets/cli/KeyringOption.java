package io.mpsecrets.cli;

import io.mpsecrets.kms.local.LocalKeyringKmsFactory;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --keyring FILE}; by default $MPSECRETS_KMS_LOCAL_KEYRING, else ~/.mpsecrets/keyring.json: the variable
 * and the default the application reads ({@code mpsecrets.kms.local.keyring} through MicroProfile Config's
 * environment mapping), so one export serves both.
 */
final class KeyringOption {

    static final String ENVIRONMENT = "MPSECRETS_KMS_LOCAL_KEYRING";

    @Option(
            names = "--keyring",
            paramLabel = "FILE",
            description = "Local keyring file (default: $MPSECRETS_KMS_LOCAL_KEYRING or ~/.mpsecrets/keyring.json).")
    Path keyring;

    Path resolve(Map<String, String> env) {
        if (keyring != null) {
            return keyring;
        }
        String fromEnv = env.get(ENVIRONMENT);
        return fromEnv != null && !fromEnv.isBlank() ? Path.of(fromEnv) : LocalKeyringKmsFactory.defaultKeyring();
    }
}
