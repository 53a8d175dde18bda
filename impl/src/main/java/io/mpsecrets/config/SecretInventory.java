package io.mpsecrets.config;

import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.cache.CachedSecret;
import io.mpsecrets.envelope.EncryptedValue;
import io.mpsecrets.runtime.MpSecretsSettings;
import io.mpsecrets.runtime.SecretReference;
import io.mpsecrets.runtime.SecretsRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Predicate;
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
     * @param backend the store ({@code aws}, {@code vault}, ...) of a reference; the KMS ({@code local}, {@code aws})
     *        of an encrypted value
     * @param secretId a reference's secret id ({@code prod/db#password})
     * @param keyId the key an encrypted value is under ({@code local:dev-2}, a KMS key ARN)
     * @param version the store version last fetched, if any yet
     * @param reads how many times the property was read
     */
    public record Entry(
            String property, String kind, String backend, String secretId, String keyId, String version, long reads) {}

    private SecretInventory() {}

    public static List<Entry> of(Config config) {
        Optional<SecretsRuntime> runtime = ConfigRegistry.runtimeOf(config);
        Predicate<String> isStore = runtime.map(r -> RawValues.stores(r.backends()))
                .orElseGet(() -> SecretReference.SHIPPED_STORES::contains);
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
            if (EncryptedValue.isEncryptedForm(raw)) {
                String keyId = keyId(property, raw);
                String kms = keyId == null
                        ? null
                        : runtime.flatMap(r -> r.kmsNameFor(keyId)).orElse(null);
                entries.add(new Entry(property, "encrypted", kms, null, keyId, null, count));
                continue;
            }
            Optional<SecretReference> reference = RawValues.reference(raw, isStore);
            if (reference.isPresent()) {
                SecretReference ref = reference.get();
                String version = runtime.flatMap(
                                r -> r.stores().peek(ref.store(), ref.id().withoutField()))
                        .flatMap(CachedSecret::version)
                        .orElse(null);
                entries.add(
                        new Entry(property, "reference", ref.store(), ref.id().toString(), null, version, count));
            }
        }
        return entries;
    }

    private static String keyId(String property, String raw) {
        try {
            return EncryptedValue.parse(raw.trim(), SecretRef.property(property))
                    .keyId();
        } catch (SecretException malformed) {
            return null;
        }
    }
}
