package io.mpsecrets.kms;

import io.mpsecrets.api.KeyManagementService;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.exception.UnknownKeyException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The key management services an application can use, picked by the form of a value's key id
 * ({@code local:...} for the keyring, ARNs and aliases for AWS KMS). Each is built on first use, so a config
 * whose values are never read never opens a keyring or a network client.
 */
public final class KmsRegistry implements AutoCloseable {

    private final List<Entry> entries;

    private KmsRegistry(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The KMS for {@code keyId}; the error names the key id when none is configured for its form. */
    public KeyManagementService forKeyId(String keyId) {
        for (Entry entry : entries) {
            if (entry.handles().test(keyId)) {
                return entry.get();
            }
        }
        throw new UnknownKeyException(SecretRef.key(keyId), "no key management service enabled for key ids of this form (mpsecrets.kms enables "
                + entries.stream().map(Entry::name).toList() + ")", null);
    }

    /** The KMS called {@code name} ({@code local}, {@code aws}). */
    public KeyManagementService named(String name) {
        for (Entry entry : entries) {
            if (entry.name().equals(name)) {
                return entry.get();
            }
        }
        throw new io.mpsecrets.api.exception.ConfigurationException("unknown KMS '" + name + "'");
    }

    @Override
    public void close() {
        for (Entry entry : entries) {
            entry.close();
        }
    }

    public static final class Builder {
        private final List<Entry> entries = new ArrayList<>();

        /** Adds a KMS built lazily; {@code handles} says which key ids are its own. */
        public Builder add(String name, Predicate<String> handles, Supplier<? extends KeyManagementService> factory) {
            entries.add(new Entry(name, handles, factory));
            return this;
        }

        public Builder add(KeyManagementService kms) {
            return add(kms.name(), kms::handles, () -> kms);
        }

        public KmsRegistry build() {
            return new KmsRegistry(entries);
        }
    }

    private static final class Entry {
        private final String name;
        private final Predicate<String> handles;
        private final Supplier<? extends KeyManagementService> factory;
        private volatile KeyManagementService instance;

        Entry(String name, Predicate<String> handles, Supplier<? extends KeyManagementService> factory) {
            this.name = name;
            this.handles = handles;
            this.factory = factory;
        }

        String name() {
            return name;
        }

        Predicate<String> handles() {
            return handles;
        }

        KeyManagementService get() {
            KeyManagementService kms = instance;
            if (kms == null) {
                synchronized (this) {
                    kms = instance;
                    if (kms == null) {
                        kms = factory.get();
                        instance = kms;
                    }
                }
            }
            return kms;
        }

        synchronized void close() {
            if (instance != null) {
                instance.close();
                instance = null;
            }
        }
    }
}
