package io.mpsecrets.config;

import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretProvider;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.SecretValue;
import io.mpsecrets.api.WorkerContext;
import io.mpsecrets.api.event.SecretAccessDenied;
import io.mpsecrets.api.event.SecretAccessed;
import io.mpsecrets.api.event.SecretDecrypted;
import io.mpsecrets.api.event.SecretFailure;
import io.mpsecrets.api.event.SecretFetched;
import io.mpsecrets.api.event.SecretRotated;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.audit.AuditLog;
import io.mpsecrets.cache.CachePolicy;
import io.mpsecrets.cache.CachedSecret;
import io.mpsecrets.cache.SecretCache;
import io.mpsecrets.cache.Ticker;
import io.mpsecrets.envelope.DataKeyCache;
import io.mpsecrets.envelope.EncryptedValue;
import io.mpsecrets.envelope.EnvelopeDecryptor;
import io.mpsecrets.kms.KmsRegistry;
import io.mpsecrets.kms.aws.AwsKms;
import io.mpsecrets.kms.local.LocalKeyringKms;
import io.mpsecrets.provider.Providers;
import io.mpsecrets.rotation.RotationWatcher;
import java.lang.ref.WeakReference;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Everything mp-secrets holds for one application's config: settings, the key management services, the secret
 * stores, the caches (data keys, plaintexts, store secrets), the rotation watcher and the audit log. Built with
 * the config without touching a KMS or a store. {@link #close()} (at application shutdown) stops the watcher,
 * zeroes data keys and store values and drops plaintexts; a runtime used again afterwards starts over empty.
 *
 * <p>The config's {@link SecretResolver} owns it. Others that need it (the store config sources, the CDI
 * extension) ask the config for {@link #LOOKUP}, which the resolver answers with this runtime's id.
 */
public final class SecretsRuntime implements AutoCloseable {

    /** A reserved config name: its value is the id of the config's runtime. */
    public static final String LOOKUP = SecretTag.START + "mpsecrets-runtime" + SecretTag.END;

    private static final ConcurrentHashMap<String, WeakReference<SecretsRuntime>> RUNTIMES = new ConcurrentHashMap<>();

    private final String id = UUID.randomUUID().toString();
    private final MpSecretsSettings settings;
    private final KmsRegistry kms;
    private final DataKeyCache dataKeys;
    private final EnvelopeDecryptor decryptor;
    private final AuditLog audit;
    private final SecretCache secrets;
    private final ConcurrentHashMap<String, Decrypted> plaintexts = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Reference> references = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Store> stores = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<SecretCache.Key, Set<String>> readers = new ConcurrentHashMap<>();
    private volatile String module;
    private RotationWatcher watcher;

    /** A decrypted ENC value, cached by its tag. */
    private record Decrypted(String plaintext, SecretRef ref, LongAdder reads) {
    }

    /** A secret reference as read: the property, the store and the secret id (with field). */
    public record Reference(String property, String store, SecretId id, LongAdder reads) {
        SecretRef ref() {
            return new SecretRef(property, store, id.toString(), null, null);
        }
    }

    /** A store's provider and cache policy, built on first use. */
    public record Store(SecretProvider provider, CachePolicy policy) {
    }

    SecretsRuntime(MpSecretsSettings settings, KmsRegistry kms, Ticker ticker) {
        this.settings = settings;
        this.kms = kms;
        this.audit = new AuditLog(settings.auditRequired());
        this.dataKeys = new DataKeyCache(settings.dataKeyCacheSize());
        this.decryptor = new EnvelopeDecryptor(kms, dataKeys, EncryptionContext.forApplication(settings.application()));
        this.secrets = new SecretCache(ticker, new AuditingListener());
    }

    public static SecretsRuntime create(MpSecretsSettings settings) {
        SecretsRuntime runtime = new SecretsRuntime(settings, kmsRegistry(settings), Ticker.SYSTEM);
        RUNTIMES.values().removeIf(ref -> ref.get() == null);
        RUNTIMES.put(runtime.id, new WeakReference<>(runtime));
        return runtime;
    }

    /** The runtime of a config: its resolver answers {@link #LOOKUP}. Empty when mp-secrets is not installed in it. */
    public static Optional<SecretsRuntime> of(org.eclipse.microprofile.config.Config config) {
        org.eclipse.microprofile.config.ConfigValue id = config.getConfigValue(LOOKUP);
        return id == null ? Optional.empty() : find(id.getValue());
    }

    /** The runtime with this id, while its config lives. */
    public static Optional<SecretsRuntime> find(String id) {
        WeakReference<SecretsRuntime> ref = id == null ? null : RUNTIMES.get(id);
        return Optional.ofNullable(ref == null ? null : ref.get());
    }

    static KmsRegistry kmsRegistry(MpSecretsSettings settings) {
        KmsRegistry.Builder builder = KmsRegistry.builder();
        if (settings.kms().contains("local")) {
            builder.add("local", LocalKeyringKms::isLocalKeyId, () -> LocalKeyringKms.open(settings.localKeyring()));
        }
        if (settings.kms().contains("aws")) {
            builder.add("aws", AwsKms::isAwsKeyId, () -> AwsKms.create(settings.awsKms()));
        }
        return builder.build();
    }

    public String id() {
        return id;
    }

    public MpSecretsSettings settings() {
        return settings;
    }

    public AuditLog audit() {
        return audit;
    }

    public SecretCache secrets() {
        return secrets;
    }

    /** The module (e.g. the web module's name) that events name as the worker; set by the CDI extension. */
    public void module(String module) {
        this.module = module;
    }

    public WorkerContext workerContext() {
        return WorkerContext.ofCurrentThread(settings.application(), module);
    }

    /** How many times each secret property was read, cache hits included. */
    public Map<String, Long> readCounts() {
        Map<String, Long> counts = new TreeMap<>();
        plaintexts.values().forEach(d -> counts.merge(d.ref().property(), d.reads().sum(), Long::sum));
        references.values().forEach(r -> counts.merge(r.property(), r.reads().sum(), Long::sum));
        return counts;
    }

    /**
     * The plaintext a tag stands for. {@code pieces} answers a tag with the property it was read as and its text
     * (an {@code ENC(...)} value or a reference's {@code store::id}); {@code lookup} reads settings.
     */
    String read(String tag, String readAs, Function<String, io.smallrye.config.ConfigValue> pieces, Supplier<Settings> lookup) {
        Decrypted decrypted = plaintexts.get(tag);
        if (decrypted != null) {
            accessed(decrypted.ref(), decrypted.reads());
            return decrypted.plaintext();
        }
        Reference reference = references.get(tag);
        if (reference == null) {
            io.smallrye.config.ConfigValue piece = pieces.apply(tag);
            if (piece == null) {
                // Not a tag the marker gave (or its value changed meanwhile): a raw value holding U+0002.
                throw SecretTag.malformed(readAs);
            }
            if (EncryptedValue.looksEncrypted(piece.getValue())) {
                return decrypt(piece.getName(), piece.getValue(), tag);
            }
            SecretReference parsed = SecretReference.parse(piece.getValue());
            reference = new Reference(piece.getName(), parsed.store(), parsed.id(), new LongAdder());
            references.put(tag, reference);
        }
        String value = resolve(reference, lookup.get());
        accessed(reference.ref(), reference.reads());
        return value;
    }

    private void accessed(SecretRef ref, LongAdder reads) {
        reads.increment();
        if (settings.auditEveryAccess() || settings.auditRequired()) {
            audit.emitForAccess(new SecretAccessed(Instant.now(), ref, workerContext()));
        }
    }

    /** A store secret's current value (or field), through the cache. */
    public String resolve(Reference reference, Settings lookup) {
        SecretRef ref = reference.ref();
        try {
            Store store = store(reference.store(), lookup);
            SecretId whole = reference.id().withoutField();
            SecretCache.Key key = new SecretCache.Key(reference.store(), whole);
            readers.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(reference.property());
            CachedSecret secret = secrets.get(key, store.policy(), () -> store.provider().fetch(whole), reference.property());
            return reference.id().field() == null ? secret.text(ref) : secret.field(reference.id().field(), ref);
        } catch (SecretException e) {
            throw e.ref().property() == null ? e.withProperty(reference.property()) : e;
        }
    }

    /** The store's provider, built from its settings on first use; starts the rotation watcher if one is set. */
    public Store store(String name, Settings lookup) {
        Store store = stores.get(name);
        if (store == null) {
            synchronized (stores) {
                store = stores.computeIfAbsent(name, n -> new Store(Providers.create(n, lookup), StoreSettings.cachePolicy(n, lookup)));
                if (watcher == null && settings.rotationInterval().isPresent()) {
                    watcher = RotationWatcher.start(secrets, new WatchedStores(), settings.rotationInterval().get(), settings.application());
                }
            }
        }
        return store;
    }

    /** Whether a rotation watcher thread is running. */
    public boolean watching() {
        synchronized (stores) {
            return watcher != null;
        }
    }

    /** Runs one rotation check now (tests, and operators' tools). */
    public void checkRotation() {
        RotationWatcher current;
        synchronized (stores) {
            current = watcher;
        }
        if (current != null) {
            current.poll();
        }
    }

    /**
     * Decrypts {@code encrypted} read as {@code property}, auditing the outcome, and caches the plaintext under
     * {@code tag} when plaintext caching is on.
     */
    String decrypt(String property, String encrypted, String tag) {
        String plaintext;
        EncryptedValue value;
        try {
            value = EncryptedValue.parse(encrypted, SecretRef.property(property));
            plaintext = decryptor.decryptToString(property, value);
        } catch (SecretException e) {
            SecretException named = e.ref().property() == null ? e.withProperty(property) : e;
            auditFailure(named, false);
            throw named;
        }
        SecretRef ref = SecretRef.property(property).withKeyId(value.keyId());
        audit.emitForAccess(new SecretDecrypted(Instant.now(), ref, workerContext()));
        Decrypted decrypted = new Decrypted(plaintext, ref, new LongAdder());
        if (settings.cachePlaintext()) {
            plaintexts.put(tag, decrypted);
        }
        accessed(ref, decrypted.reads());
        return plaintext;
    }

    /** Decrypts a value without caching it (validation of another environment's value); empty if it does not decrypt. */
    public Optional<String> decryptOnce(String property, String encrypted) {
        try {
            EncryptedValue value = EncryptedValue.parse(encrypted, SecretRef.property(property));
            String plaintext = decryptor.decryptToString(property, value);
            audit.emitForAccess(new SecretDecrypted(Instant.now(), SecretRef.property(property).withKeyId(value.keyId()), workerContext()));
            return Optional.of(plaintext);
        } catch (SecretException e) {
            return Optional.empty();
        }
    }

    /**
     * When a secret was made, as far as can be known: for an {@code ENC(...)} value under the local keyring, its key
     * version's creation; for a store secret already read, the version's creation date the store reported.
     */
    public Optional<Instant> created(String property, String raw) {
        String text = raw.trim();
        if (EncryptedValue.looksEncrypted(text)) {
            try {
                String keyId = EncryptedValue.parse(text, SecretRef.property(property)).keyId();
                return kms.forKeyId(keyId) instanceof LocalKeyringKms local ? local.created(keyId) : Optional.empty();
            } catch (SecretException e) {
                return Optional.empty();
            }
        }
        return RawValues.reference(text).flatMap(reference -> secrets.peek(new SecretCache.Key(reference.store(), reference.id())))
                .flatMap(cached -> cached.value().created());
    }

    private void auditFailure(SecretException failure, boolean servedStale) {
        if (failure.reason() == FailureReason.ACCESS_DENIED) {
            audit.emit(new SecretAccessDenied(Instant.now(), failure.ref(), workerContext()));
        } else {
            audit.emit(new SecretFailure(Instant.now(), failure.ref(), failure.reason(), servedStale, workerContext()));
        }
    }

    /** Audits what the store cache does. */
    private final class AuditingListener implements SecretCache.Listener {
        @Override
        public void fetched(SecretCache.Key key, SecretValue value, String property) {
            audit.emitForAccess(new SecretFetched(Instant.now(), new SecretRef(property, key.provider(), key.id().toString(), null,
                    value.version().orElse(null)), workerContext()));
        }

        @Override
        public void rotated(SecretCache.Key key, String previousVersion, String newVersion) {
            Set<String> properties = readers.getOrDefault(key, Set.of());
            for (String property : properties.isEmpty() ? java.util.Collections.<String>singleton(null) : properties) {
                audit.emit(new SecretRotated(Instant.now(), new SecretRef(property, key.provider(), key.id().toString(), null, newVersion),
                        previousVersion, workerContext()));
            }
        }

        @Override
        public void failed(SecretCache.Key key, SecretException failure, boolean servedStale, String property) {
            SecretRef ref = new SecretRef(property, key.provider(), key.id().toString(), null, null);
            auditFailure(failure.ref().property() == null && property != null ? failure.withRef(ref) : failure, servedStale);
        }
    }

    /** The stores as the rotation watcher sees them: only those the application opened. */
    private final class WatchedStores implements RotationWatcher.Stores {
        @Override
        public Optional<SecretProvider> provider(String store) {
            return Optional.ofNullable(stores.get(store)).map(Store::provider);
        }

        @Override
        public CachePolicy policy(String store) {
            Store open = stores.get(store);
            return open == null ? CachePolicy.DEFAULT : open.policy();
        }

        @Override
        public void checkFailed(SecretCache.Key key, SecretException failure) {
            // The cached value stays in service: audited as served stale, at WARNING.
            auditFailure(failure.withRef(new SecretRef(null, key.provider(), key.id().toString(), null, null)), true);
        }
    }

    @Override
    public void close() {
        RotationWatcher stopping;
        synchronized (stores) {
            stopping = watcher;
            watcher = null;
        }
        if (stopping != null) {
            stopping.close();
        }
        plaintexts.clear();
        references.clear();
        readers.clear();
        secrets.close();
        dataKeys.close();
        kms.close();
        stores.values().forEach(store -> store.provider().close());
        stores.clear();
    }
}
