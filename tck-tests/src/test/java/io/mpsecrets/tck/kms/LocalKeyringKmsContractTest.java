package io.mpsecrets.tck.kms;

import io.mpsecrets.kms.local.LocalKeyring;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** The local keyring (the development default). */
class LocalKeyringKmsContractTest extends KmsContract {

    @TempDir
    static Path dir;

    private static Path keyring() {
        Path file = dir.resolve("keyring.json");
        if (!file.toFile().exists()) {
            LocalKeyring.generate("contract").writeTo(file, false);
        }
        return file;
    }

    @Override
    protected String kms() {
        return "local";
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of("mpsecrets.kms.local.keyring", keyring().toString());
    }

    @Override
    protected String keyId() {
        return "local:contract";
    }

    @Override
    protected String absentKeyId() {
        return "local:absent";
    }
}
