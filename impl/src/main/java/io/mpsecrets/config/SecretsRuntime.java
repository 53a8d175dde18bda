package io.mpsecrets.config;

import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretProvider;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.SecretValue;
import io.mpsecrets.api.WorkerContext;
import io.mpsecrets.api.event.SecretAccessDenied;
import io.mpsecrets.api.event.SecretDecrypted;
import io.mpsecrets.api.event.SecretFailure;
import io.mpsecrets.api.event.SecretFetched;
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
import java.lang.ref.WeakReference;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everything mp-secrets holds for one application's config: settings, the key management services, the secret
 * stores, the caches (data keys, plaintexts, store secrets) and the audit log. Built with the config without
 * touching a KMS or a store; closed at application shutdown, which zeroes data keys and store values and drops
 * plaintexts.
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
    private final ConcurrentHashMap<String, String> plaintexts = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Reference> references = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Store> stores = new ConcurrentHashMap<>();

    /** A secret reference as read: the property, the store and the secret id (with field). */
    public record Reference(String property, String store, SecretId id) {
    }

    /** A store's provider and cache policy, built on first use. */
    public record Store(SecretProvider provider, CachePolicy policy) {
    }

    SecretsRuntime(MpSecretsSettings settings, KmsRegistry kms, AuditLog audit, Ticker ticker) {
        this.settings = settings;
        this.kms = kms;
        this.audit = audit;
        this.dataKeys = new DataKeyCache(settings.dataKeyCacheSize());
        this.decryptor = new EnvelopeDecryptor(kms, dataKeys, EncryptionContext.forApplication(settings.application()));
        this.secrets = new SecretCache(ticker, new AuditingListener());
    }

    public static SecretsRuntime create(MpSecretsSettings settings) {
        SecretsRuntime runtime = new SecretsRuntime(settings, kmsRegistry(settings), new AuditLog(), Ticker.SYSTEM);
        RUNTIMES.values().removeIf(ref -> ref.get() == null);
        RUNTIMES.put(runtime.id, new WeakReference<>(runtime));
        return runtime;
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

    public WorkerContext workerContext() {
        return WorkerContext.ofCurrentThread(settings.application(), null);
    }

    String cachedPlaintext(String tag) {
        return plaintexts.get(tag);
    }

    Reference reference(String tag) {
        return references.get(tag);
    }

    /** The plaintext of a marked piece of a value: an {@code ENC(...)} value or a reference's {@code store::id}. */
    String plaintext(String property, String text, String tag, Settings lookup) {
        if (EncryptedValue.looksEncrypted(text)) {
            return decrypt(property, text, tag);
        }
        SecretReference parsed = SecretReference.parse(text);
        Reference reference = new Reference(property, parsed.store(), parsed.id());
        references.put(tag, reference);
        return resolve(reference, lookup);
    }

    /** A store secret's current value (or field), through the cache. */
    public String resolve(Reference reference, Settings lookup) {
        SecretRef ref = new SecretRef(reference.property(), reference.store(), reference.id().toString(), null, null);
        try {
            Store store = store(reference.store(), lookup);
            SecretId whole = reference.id().withoutField();
            CachedSecret secret = secrets.get(new SecretCache.Key(reference.store(), whole), store.policy(),
                    () -> store.provider().fetch(whole), reference.property());
            return reference.id().field() == null ? secret.text(ref) : secret.field(reference.id().field(), ref);
        } catch (SecretException e) {
            throw e.ref().property() == null ? e.withProperty(reference.property()) : e;
        }
    }

    /** The store's provider, built from its settings on first use. */
    public Store store(String name, Settings lookup) {
        Store store = stores.get(name);
        if (store == null) {
            synchronized (stores) {
                store = stores.computeIfAbsent(name, n -> new Store(Providers.create(n, lookup), StoreSettings.cachePolicy(n, lookup)));
            }
        }
        return store;
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
        audit.emit(new SecretDecrypted(Instant.now(), SecretRef.property(property).withKeyId(value.keyId()), workerContext()));
        if (settings.cachePlaintext()) {
            plaintexts.put(tag, plaintext);
        }
        return plaintext;
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
            audit.emit(new SecretFetched(Instant.now(), new SecretRef(property, key.provider(), key.id().toString(), null,
                    value.version().orElse(null)), workerContext()));
        }

        @Override
        public void failed(SecretCache.Key key, SecretException failure, boolean servedStale, String property) {
            SecretRef ref = new SecretRef(property, key.provider(), key.id().toString(), null, null);
            auditFailure(failure.ref().property() == null && property != null ? failure.withRef(ref) : failure, servedStale);
        }
    }

    @Override
    public void close() {
        RUNTIMES.remove(id);
        plaintexts.clear();
        references.clear();
        secrets.close();
        dataKeys.close();
        kms.close();
        stores.values().forEach(store -> store.provider().close());
        stores.clear();
    }
}
