package io.mpsecrets.backend;

import io.mpsecrets.api.KeyManagementService;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.api.exception.UnknownKeyException;
import io.mpsecrets.api.spi.KeyManagementServiceFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The key management services an application may use, each picked by the form of a value's key id
 * ({@code local:...} for the keyring, ARNs and aliases for AWS KMS) and built on first use, so a config whose values
 * are never read never opens a keyring or a network client. A key id that no enabled KMS supports is refused,
 * naming the KMS it belongs to when one was found but not enabled; one that two enabled KMSs claim is refused too,
 * rather than sent to either.
 */
public final class KmsRegistry implements AutoCloseable {

    private final List<Entry> entries;
    private final Backends known;

    private KmsRegistry(List<Entry> entries, Backends known) {
        this.entries = List.copyOf(entries);
        this.known = known;
    }

    /** A builder; {@code known} (may be null) names KMSs found but not enabled in errors. */
    public static Builder builder(Backends known) {
        return new Builder(known);
    }

    public static Builder builder() {
        return new Builder(null);
    }

    /** The names of the enabled KMSs. */
    public List<String> names() {
        return entries.stream().map(Entry::name).toList();
    }

    /**
     * The KMS for {@code keyId}, built if it was not yet.
     *
     * @throws UnknownKeyException when no enabled KMS supports key ids of this form
     * @throws ConfigurationException when two enabled KMSs do, or the KMS cannot be built from its settings
     */
    public KeyManagementService forKeyId(String keyId) {
        return entry(keyId).get();
    }

    /** The name of the enabled KMS for {@code keyId}, without building it; empty when none supports it. */
    public Optional<String> nameFor(String keyId) {
        try {
            return Optional.of(entry(keyId).name());
        } catch (SecretException e) {
            return Optional.empty();
        }
    }

    private Entry entry(String keyId) {
        List<Entry> supporting = new ArrayList<>(1);
        for (Entry entry : entries) {
            if (entry.supports(keyId)) {
                supporting.add(entry);
            }
        }
        if (supporting.size() == 1) {
            return supporting.get(0);
        }
        if (supporting.size() > 1) {
            throw new ConfigurationException(
                    SecretRef.key(keyId),
                    "the key management services "
                            + supporting.stream().map(Entry::name).toList()
                            + " both claim this key id; enable one (mpsecrets.kms)",
                    null);
        }
        List<String> disabled = new ArrayList<>();
        if (known != null) {
            for (KeyManagementServiceFactory factory : known.kmsSupporting(keyId)) {
                disabled.add(factory.name());
            }
        }
        throw new UnknownKeyException(
                SecretRef.key(keyId),
                disabled.isEmpty()
                        ? "no key management service enabled for key ids of this form (mpsecrets.kms enables " + names()
                                + ")"
                        : "the key belongs to the key management service " + disabled
                                + ", which mpsecrets.kms does not enable (it enables " + names() + ")",
                null);
    }

    /**
     * The KMS called {@code name}, built if it was not yet.
     *
     * @throws ConfigurationException when no KMS of that name is enabled
     */
    public KeyManagementService named(String name) {
        for (Entry entry : entries) {
            if (entry.name().equals(name)) {
                return entry.get();
            }
        }
        throw new ConfigurationException(
                "the key management service '" + name + "' is not enabled (enabled: " + names() + ")");
    }

    /** Closes the KMSs that were built; the registry builds them again if asked. */
    @Override
    public void close() {
        for (Entry entry : entries) {
            entry.close();
        }
    }

    public static final class Builder {
        private final List<Entry> entries = new ArrayList<>();
        private final Backends known;

        private Builder(Backends known) {
            this.known = known;
        }

        /** Adds a KMS built lazily; {@code supports} says which key ids are its own. */
        public Builder add(String name, Predicate<String> supports, Supplier<? extends KeyManagementService> factory) {
            entries.add(new Entry(name, supports, factory));
            return this;
        }

        /** Adds a KMS that exists already (tests, tools), for the key ids {@code supports} accepts. */
        public Builder add(KeyManagementService kms, Predicate<String> supports) {
            return add(kms.name(), supports, () -> kms);
        }

        public KmsRegistry build() {
            return new KmsRegistry(entries, known);
        }
    }

    private static final class Entry {
        private final String name;
        private final Predicate<String> supports;
        private final Supplier<? extends KeyManagementService> factory;
        private volatile KeyManagementService instance;

        Entry(String name, Predicate<String> supports, Supplier<? extends KeyManagementService> factory) {
            this.name = name;
            this.supports = supports;
            this.factory = factory;
        }

        String name() {
            return name;
        }

        boolean supports(String keyId) {
            try {
                return supports.test(keyId);
            } catch (RuntimeException e) {
                return false;
            }
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
