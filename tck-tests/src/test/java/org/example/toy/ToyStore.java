package org.example.toy;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.SecretStore;
import io.mpsecrets.api.SecretValue;
import io.mpsecrets.api.backend.Sizes;
import io.mpsecrets.api.exception.InvalidSecretValueException;
import io.mpsecrets.api.exception.SecretNotFoundException;
import io.mpsecrets.api.exception.ServiceUnavailableException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The toy store: {@link ToySecrets} of one namespace, each value at most {@code max-size} bytes. */
final class ToyStore implements SecretStore {

    static final long DEFAULT_MAX_SIZE = 64 * 1024;

    private final String namespace;
    private final long maxSize;
    private final String maxSizeSetting;

    ToyStore(String namespace, long maxSize, String maxSizeSetting) {
        this.namespace = namespace;
        this.maxSize = maxSize;
        this.maxSizeSetting = maxSizeSetting;
    }

    @Override
    public String name() {
        return ToyStoreFactory.NAME;
    }

    @Override
    public SecretValue fetch(SecretId id) {
        SecretRef ref = SecretRef.secret(name(), id.withoutField().toString());
        if (ToySecrets.isDown()) {
            throw new ServiceUnavailableException(FailureReason.UNAVAILABLE, ref, "the toy service is down", null);
        }
        if (id.stage() != null) {
            throw new SecretNotFoundException(ref, "the toy store has versions, not stages");
        }
        List<String> versions = ToySecrets.versions(namespace, id.path());
        if (versions == null) {
            throw new SecretNotFoundException(ref, "no such toy secret");
        }
        int version = versions.size();
        if (id.versionId() != null) {
            try {
                version = Integer.parseInt(id.versionId().substring(1));
            } catch (NumberFormatException | IndexOutOfBoundsException e) {
                version = 0;
            }
            if (!id.versionId().startsWith("v") || version < 1 || version > versions.size()) {
                throw new SecretNotFoundException(ref, "no such toy version");
            }
        }
        String text = versions.get(version - 1);
        if (text.getBytes(StandardCharsets.UTF_8).length > maxSize) {
            throw new InvalidSecretValueException(
                    ref, "larger than " + maxSizeSetting + " (" + Sizes.format(maxSize) + ")");
        }
        return SecretValue.ofUtf8(text, "v" + version, null);
    }

    @Override
    public List<String> list() {
        return ToySecrets.names(namespace);
    }

    @Override
    public String toString() {
        return "ToyStore[" + namespace + "]";
    }
}
