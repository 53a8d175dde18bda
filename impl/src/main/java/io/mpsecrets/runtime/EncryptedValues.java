package io.mpsecrets.runtime;

import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.event.SecretDecrypted;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.backend.KmsRegistry;
import io.mpsecrets.envelope.DataKeyCache;
import io.mpsecrets.envelope.EncryptedValue;
import io.mpsecrets.envelope.EnvelopeDecryptor;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * One application's {@code ENC(...)} values: decrypted through the enabled KMSs (unwrapped data keys cached), each
 * decryption audited, and, with {@code mpsecrets.cache.plaintext}, the plaintext kept per property until the
 * application stops or the property's value changes, so a cached read is a map lookup. Reads are counted per
 * property.
 */
public final class EncryptedValues implements AutoCloseable {

    /** The last plaintext of a property, with the {@code ENC(...)} text it came from. */
    private record Decrypted(String encrypted, String plaintext, SecretRef ref, LongAdder reads) {

        /** Whether this is the plaintext of {@code text} (the same instance, as a rule: the tag table's). */
        boolean decrypts(String text) {
            return encrypted == text || encrypted.equals(text);
        }
    }

    private final KmsRegistry kms;
    private final DataKeyCache dataKeys;
    private final EnvelopeDecryptor decryptor;
    private final boolean cachePlaintext;
    private final Auditor auditor;
    private final Gate gate;
    private final ServedValues served;
    private final ConcurrentHashMap<String, Decrypted> byProperty = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> reads = new ConcurrentHashMap<>();
    /** Successful decryptions: the plaintext cache's hits are the reads less these, so a hit costs no counter. */
    private final LongAdder decryptions = new LongAdder();

    EncryptedValues(
            KmsRegistry kms,
            int dataKeyCacheSize,
            EncryptionContext context,
            boolean cachePlaintext,
            Auditor auditor,
            Gate gate,
            ServedValues served) {
        this.kms = kms;
        this.dataKeys = new DataKeyCache(dataKeyCacheSize);
        this.decryptor = new EnvelopeDecryptor(kms, dataKeys, context);
        this.cachePlaintext = cachePlaintext;
        this.auditor = auditor;
        this.gate = gate;
        this.served = served;
    }

    /**
     * The plaintext of {@code encrypted} read as {@code property}: from the cache when this property last decrypted
     * the same text, else decrypted (and audited).
     *
     * @throws SecretException naming the property and key id when the value does not decrypt (audited)
     */
    public String plaintext(String property, String encrypted) {
        SecretReads.read(property);
        // A cached plaintext is an immutable string that no close zeroes: served without entering the gate, unless
        // a close began or ran while it was looked up (then the read enters, and meets the close or starts over).
        long epoch = gate.epoch();
        Decrypted cached = byProperty.get(property);
        if (cached != null && gate.unchanged(epoch) && cached.decrypts(encrypted)) {
            return hit(cached);
        }
        gate.enter(property);
        try {
            cached = byProperty.get(property);
            if (cached != null && cached.decrypts(encrypted)) {
                return hit(cached);
            }
            return decrypt(property, encrypted);
        } finally {
            gate.exit();
        }
    }

    private String hit(Decrypted cached) {
        cached.reads().increment();
        auditor.accessed(cached.ref());
        return cached.plaintext();
    }

    private String decrypt(String property, String encrypted) {
        String plaintext;
        EncryptedValue value;
        try {
            value = EncryptedValue.parse(encrypted, SecretRef.property(property));
            plaintext = decryptor.decryptToString(property, value);
        } catch (SecretException e) {
            SecretException named = e.ref().property() == null ? e.withProperty(property) : e;
            auditor.failed(named, false);
            throw named;
        }
        // Masked from here on: an observer of the event below, or the caller, may log it.
        served.served(property, plaintext);
        SecretRef ref = SecretRef.property(property).withKeyId(value.keyId());
        LongAdder count = reads.computeIfAbsent(property, p -> new LongAdder());
        Decrypted decrypted = new Decrypted(encrypted, plaintext, ref, count);
        if (cachePlaintext) {
            // Cached before the event: an observer that reads this property again (events are delivered on this
            // thread) gets the plaintext from the cache rather than decrypting, and announcing, it once more.
            byProperty.put(property, decrypted);
        }
        try {
            auditor.emitForAccess(new SecretDecrypted(Instant.now(), ref, auditor.workerContext()));
        } catch (RuntimeException refused) {
            byProperty.remove(property, decrypted);
            throw refused;
        }
        count.increment();
        decryptions.increment();
        auditor.accessed(ref);
        return plaintext;
    }

    /**
     * Decrypts without caching or counting (validation comparing another environment's value); empty when it does
     * not decrypt. The decryption is audited.
     */
    public Optional<String> decryptUncached(String property, String encrypted) {
        gate.enter(property);
        try {
            EncryptedValue value = EncryptedValue.parse(encrypted, SecretRef.property(property));
            String plaintext = decryptor.decryptToString(property, value);
            auditor.emitForAccess(new SecretDecrypted(
                    Instant.now(), SecretRef.property(property).withKeyId(value.keyId()), auditor.workerContext()));
            return Optional.of(plaintext);
        } catch (SecretException e) {
            return Optional.empty();
        } finally {
            gate.exit();
        }
    }

    /** The enabled KMS a key id belongs to, by name, without building it. */
    public Optional<String> kmsNameFor(String keyId) {
        return kms.nameFor(keyId);
    }

    /** When the key a key id names was created, as its KMS tells (the local keyring does); empty if unknown. */
    public Optional<Instant> keyCreated(String keyId) {
        try {
            return kms.forKeyId(keyId).keyCreated(keyId);
        } catch (SecretException e) {
            return Optional.empty();
        }
    }

    /** How many plaintexts are held (at most one per property). */
    public int held() {
        return byProperty.size();
    }

    /** Reads served from the plaintext cache, with no decryption (metrics). */
    public long plaintextCacheHits() {
        long reads = 0;
        for (LongAdder count : this.reads.values()) {
            reads += count.sum();
        }
        return Math.max(0, reads - decryptions.sum());
    }

    /** How many times each encrypted property was read, cache hits included. */
    public Map<String, Long> readCounts() {
        Map<String, Long> out = new TreeMap<>();
        reads.forEach((property, count) -> out.put(property, count.sum()));
        return out;
    }

    /**
     * Drops plaintexts and counts, zeroes the data keys and closes the KMSs. Called through {@link SecretsRuntime},
     * whose gate holds reads off meanwhile.
     */
    @Override
    public void close() {
        byProperty.clear();
        reads.clear();
        decryptions.reset();
        dataKeys.close();
        kms.close();
    }
}
