package org.example.toy;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.SecretStore;
import io.mpsecrets.api.SecretValue;
import io.mpsecrets.api.exception.SecretNotFoundException;
import io.mpsecrets.api.exception.ServiceUnavailableException;
import java.util.List;

/** The toy store: {@link ToySecrets} of one namespace. */
final class ToyStore implements SecretStore {

    private final String namespace;

    ToyStore(String namespace) {
        this.namespace = namespace;
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
        return SecretValue.ofUtf8(versions.get(version - 1), "v" + version, null);
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
