package io.mpsecrets.config;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;
import io.mpsecrets.envelope.EncryptedValue;
import jakarta.annotation.Priority;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sits next to the config sources (after profiles, before {@code ${...}} expansion) and marks each
 * {@code ENC(...)} value with the name it was read as; {@link EncryptedValueInterceptor} decrypts it after
 * expansion. It decrypts nothing itself, so config build and name iteration never touch a KMS.
 *
 * <p>SmallRye runs lower priorities closer to the sources: profiles are at 3200, expressions at 3300.
 */
@Priority(EncryptedValueMarker.PRIORITY)
public final class EncryptedValueMarker implements ConfigSourceInterceptor {

    public static final int PRIORITY = Priorities.LIBRARY + 260;
    private static final long serialVersionUID = 1L;

    /** The last tag made per property, so repeated reads reuse one string (and its cached hash). */
    private final transient ConcurrentHashMap<String, Marked> marked = new ConcurrentHashMap<>();

    private record Marked(String raw, String tag) {
    }

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (value == null) {
            return null;
        }
        String raw = value.getValue();
        if (!EncryptedValue.looksEncrypted(raw)) {
            return value;
        }
        Marked last = marked.get(name);
        if (last == null || !(last.raw() == raw || last.raw().equals(raw))) {
            last = new Marked(raw, EncryptedValueTag.of(name, raw));
            marked.put(name, last);
        }
        return value.withValue(last.tag());
    }
}
