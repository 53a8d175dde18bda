package io.mpsecrets.validate;

import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.config.RawValues;
import io.mpsecrets.envelope.EncryptedValue;
import io.mpsecrets.runtime.SecretsRuntime;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;

/** How old a secret is, as far as can be known without resolving it, for rotation-age findings. */
final class SecretAge {

    private SecretAge() {}

    /**
     * When a secret was made: for an {@code ENC(...)} value, its key's creation as its KMS tells (the local keyring
     * knows each key version's); for a store secret already read, the creation date the store reported for the version.
     */
    static Optional<Instant> created(SecretsRuntime runtime, String property, String raw, Predicate<String> isStore) {
        String text = raw.trim();
        if (EncryptedValue.isEncryptedForm(text)) {
            try {
                return runtime.encrypted()
                        .keyCreated(EncryptedValue.parse(text, SecretRef.property(property))
                                .keyId());
            } catch (SecretException e) {
                return Optional.empty();
            }
        }
        return RawValues.reference(text, isStore)
                .flatMap(reference ->
                        runtime.stores().peek(reference.store(), reference.id().withoutField()))
                .flatMap(cached -> cached.value().created());
    }
}
