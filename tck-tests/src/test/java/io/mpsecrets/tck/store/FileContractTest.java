package io.mpsecrets.tck.store;

import io.mpsecrets.api.SecretId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** A directory of mounted secret files, written the way Kubernetes and Docker update them (atomic renames). */
class FileContractTest extends SecretStoreContract {

    @TempDir
    Path dir;

    @Override
    protected String store() {
        return "file";
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of("mpsecrets.file.dir", dir.toString());
    }

    private SecretId write(String name, byte[] content) {
        try {
            Path temp = Files.createTempFile(dir, ".write", ".tmp");
            Files.write(temp, content);
            Files.move(temp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return SecretId.of(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected SecretId put(String name, String text) {
        return write(name, text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    protected SecretId absent(String name) {
        return SecretId.of(name);
    }

    @Override
    protected SecretId putBinary(String name, byte[] bytes) {
        return write(name, bytes);
    }
}
