package io.mpsecrets.config;

import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.WorkerContext;
import io.mpsecrets.api.event.SecretAccessDenied;
import io.mpsecrets.api.event.SecretDecrypted;
import io.mpsecrets.api.event.SecretFailure;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.audit.AuditLog;
import io.mpsecrets.envelope.DataKeyCache;
import io.mpsecrets.envelope.EncryptedValue;
import io.mpsecrets.envelope.EnvelopeDecryptor;
import io.mpsecrets.kms.KmsRegistry;
import io.mpsecrets.kms.local.LocalKeyringKms;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everything mp-secrets holds for one application's config: settings, the key management services, the data key
 * and plaintext caches and the audit log. Built when the config is built, without touching a KMS; closed at
 * application shutdown, which zeroes the data keys and drops the plaintexts.
 */
public final class SecretsRuntime implements AutoCloseable {

    private final MpSecretsSettings settings;
    private final KmsRegistry kms;
    private final DataKeyCache dataKeys;
    private final EnvelopeDecryptor decryptor;
    private final AuditLog audit;
    private final ConcurrentHashMap<String, String> plaintexts = new ConcurrentHashMap<>();

    SecretsRuntime(MpSecretsSettings settings, KmsRegistry kms, AuditLog audit) {
        this.settings = settings;
        this.kms = kms;
        this.audit = audit;
        this.dataKeys = new DataKeyCache(settings.dataKeyCacheSize());
        this.decryptor = new EnvelopeDecryptor(kms, dataKeys, EncryptionContext.forApplication(settings.application()));
    }

    public static SecretsRuntime create(MpSecretsSettings settings) {
        return new SecretsRuntime(settings, kmsRegistry(settings), new AuditLog());
    }

    static KmsRegistry kmsRegistry(MpSecretsSettings settings) {
        KmsRegistry.Builder builder = KmsRegistry.builder();
        if (settings.kms().contains("local")) {
            builder.add("local", keyId -> keyId.equals("local") || keyId.startsWith("local:"),
                    () -> LocalKeyringKms.open(settings.localKeyring()));
        }
        return builder.build();
    }

    public MpSecretsSettings settings() {
        return settings;
    }

    public AuditLog audit() {
        return audit;
    }

    public WorkerContext workerContext() {
        return WorkerContext.ofCurrentThread(settings.application(), null);
    }

    String cachedPlaintext(String cacheKey) {
        return plaintexts.get(cacheKey);
    }

    /**
     * Decrypts {@code encrypted} read as {@code property}, auditing the outcome, and caches the plaintext under
     * {@code cacheKey} when plaintext caching is on.
     */
    String decrypt(String property, String encrypted, String cacheKey) {
        String plaintext;
        EncryptedValue value;
        try {
            value = EncryptedValue.parse(encrypted, SecretRef.property(property));
            plaintext = decryptor.decryptToString(property, value);
        } catch (SecretException e) {
            SecretException named = e.ref().property() == null ? e.withProperty(property) : e;
            if (named.reason() == FailureReason.ACCESS_DENIED) {
                audit.emit(new SecretAccessDenied(Instant.now(), named.ref(), workerContext()));
            } else {
                audit.emit(new SecretFailure(Instant.now(), named.ref(), named.reason(), false, workerContext()));
            }
            throw named;
        }
        audit.emit(new SecretDecrypted(Instant.now(), SecretRef.property(property).withKeyId(value.keyId()), workerContext()));
        if (settings.cachePlaintext()) {
            plaintexts.put(cacheKey, plaintext);
        }
        return plaintext;
    }

    @Override
    public void close() {
        plaintexts.clear();
        dataKeys.close();
        kms.close();
    }
}
