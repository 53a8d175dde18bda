package io.mpsecrets.config;

import io.mpsecrets.envelope.EncryptedValue;
import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;
import jakarta.annotation.Priority;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sits next to the config sources (after profiles, before {@code ${...}} expansion) and replaces each
 * {@code ENC(...)} value by a short {@link EncryptedValueTag tag}, remembering the property it was read as and the
 * raw text; {@link EncryptedValueInterceptor} decrypts it after expansion. It decrypts nothing itself, so config
 * build and name iteration never touch a KMS.
 *
 * <p>SmallRye runs lower priorities closer to the sources: profiles are at 3200, expressions at 3300.
 */
@Priority(EncryptedValueMarker.PRIORITY)
public final class EncryptedValueMarker implements ConfigSourceInterceptor {

    public static final int PRIORITY = Priorities.LIBRARY + 260;
    private static final long serialVersionUID = 1L;

    /** The tag last given per property; a new one when the raw value changes. */
    private final transient ConcurrentHashMap<String, Marked> byProperty = new ConcurrentHashMap<>();
    private final transient ConcurrentHashMap<String, Marked> byTag = new ConcurrentHashMap<>();
    private final transient AtomicLong serials = new AtomicLong();

    private record Marked(String property, String raw, String tag) {
    }

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        if (name.startsWith(EncryptedValueTag.RAW)) {
            Marked marked = byTag.get(name.substring(EncryptedValueTag.RAW.length()));
            return marked == null ? null : ConfigValue.builder().withName(marked.property()).withValue(marked.raw()).build();
        }
        ConfigValue value = context.proceed(name);
        if (value == null) {
            return null;
        }
        String raw = value.getValue();
        if (!EncryptedValue.looksEncrypted(raw)) {
            return value;
        }
        Marked last = byProperty.get(name);
        if (last == null || !(last.raw() == raw || last.raw().equals(raw))) {
            last = mark(name, raw);
        }
        return value.withValue(last.tag());
    }

    private synchronized Marked mark(String property, String raw) {
        Marked last = byProperty.get(property);
        if (last != null && last.raw().equals(raw)) {
            return last;
        }
        Marked next = new Marked(property, raw, EncryptedValueTag.of(serials.incrementAndGet()));
        byTag.put(next.tag(), next);
        byProperty.put(property, next);
        if (last != null) {
            byTag.remove(last.tag());
        }
        return next;
    }
}
