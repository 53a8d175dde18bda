package io.mpsecrets.config;

import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.cache.CachedSecret;
import io.mpsecrets.cache.SecretCache;
import io.mpsecrets.envelope.EncryptedValue;
import io.mpsecrets.kms.aws.AwsKms;
import io.mpsecrets.kms.local.LocalKeyringKms;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.eclipse.microprofile.config.Config;

/**
 * Which secrets an application has, for a status page or an operator's tool: every property whose value is an
 * {@code ENC(...)} value or a store reference, with the key or store and version that stand behind it, and how
 * often it was read. Built from raw values and the cache only: listing decrypts and fetches nothing, and no entry
 * has a field that could hold a value.
 */
public final class SecretInventory {

    /**
     * One secret property.
     *
     * @param kind {@code encrypted} (an {@code ENC(...)} value) or {@code reference} (a store secret)
     * @param provider the store ({@code aws}, {@code vault}, ...) of a reference; the KMS ({@code local}, {@code aws})
     *        of an encrypted value
     * @param secretId a reference's secret id ({@code prod/db#password})
     * @param keyId the key an encrypted value is under ({@code local:dev-2}, a KMS key ARN)
     * @param version the store version last fetched, if any yet
     * @param reads how many times the property was read
     */
    public record Entry(String property, String kind, String provider, String secretId, String keyId, String version, long reads) {
    }

    private SecretInventory() {
    }

    public static List<Entry> of(Config config) {
        Optional<SecretsRuntime> runtime = SecretsRuntime.of(config);
        Map<String, Long> reads = runtime.map(SecretsRuntime::readCounts).orElse(Map.of());
        List<Entry> entries = new ArrayList<>();
        TreeSet<String> names = new TreeSet<>();
        config.getPropertyNames().forEach(names::add);
        for (String property : names) {
            if (property.startsWith(MpSecretsSettings.PREFIX) || property.startsWith("%")) {
                continue;
            }
            String raw = RawValues.raw(config, property).orElse(null);
            if (raw == null) {
                continue;
            }
            long count = reads.getOrDefault(property, 0L);
            if (EncryptedValue.looksEncrypted(raw.trim())) {
                String keyId;
                try {
                    keyId = EncryptedValue.parse(raw.trim(), SecretRef.property(property)).keyId();
                } catch (SecretException malformed) {
                    keyId = null;
                }
                entries.add(new Entry(property, "encrypted", kmsName(keyId), null, keyId, null, count));
                continue;
            }
            Optional<SecretReference> reference = RawValues.reference(raw);
            if (reference.isPresent()) {
                SecretReference ref = reference.get();
                String version = runtime.flatMap(r -> r.secrets().peek(new SecretCache.Key(ref.store(), ref.id())))
                        .flatMap(CachedSecret::version).orElse(null);
                entries.add(new Entry(property, "reference", ref.store(), ref.id().toString(), null, version, count));
            }
        }
        return entries;
    }

    /** The KMS a key id belongs to, by the same forms the runtime's registry picks a KMS by. */
    private static String kmsName(String keyId) {
        if (keyId == null) {
            return null;
        }
        return LocalKeyringKms.isLocalKeyId(keyId) ? "local" : AwsKms.isAwsKeyId(keyId) ? "aws" : null;
    }
}
